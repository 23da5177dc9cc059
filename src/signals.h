/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The outer nsu while the command runs: forward signals, mirror job-control
 * stops, and leave with the command's exit status or die of its signal.
 */
#ifndef NSU_SIGNALS_H
#define NSU_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

#include "log.h"

/**
 * nsu_signals_block() - block all signals and read them from a signalfd
 * @orig: receives the previous mask, which the command must inherit
 * @e: receives the message on error
 *
 * Return: the signalfd (close-on-exec), or -1 with @e filled.
 */
int nsu_signals_block(sigset_t *orig, struct nsu_err *e);

/**
 * nsu_supervise() - forward signals to @child until it terminates
 * @child: the command's process
 * @sigfd: from nsu_signals_block()
 *
 * Every catchable signal sent to nsu is passed on, except SIGCHLD and those
 * the kernel generated (the terminal already delivered those to the whole
 * foreground process group, the command included). When the command stops,
 * nsu stops with the same signal so the shell sees the job stopped; SIGCONT
 * is passed on when the command is still stopped.
 *
 * Return: the command's wait status.
 */
int nsu_supervise(pid_t child, int sigfd);

/* Exit with @status's exit code, or die of its signal (with no core dump). */
__attribute__((noreturn)) void nsu_exit_like(int status);

#endif
