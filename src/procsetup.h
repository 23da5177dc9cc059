/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command's own process, right before its exec: a session of its own
 * (--setsid) or a process group of its own (--new-pgrp), and its resource
 * limits (--rlimit). Each path that executes a command takes this step
 * last: the inner stage, the child of --pid's init, a joined call.
 */
#ifndef NSU_PROCSETUP_H
#define NSU_PROCSETUP_H

#include <stdbool.h>

#include "isolation.h"
#include "log.h"
#include "report.h"

/**
 * nsu_proc_setup() - the session, process group and limits of @iso
 * @iso: the options of the command
 * @rep: receives the failure (NSU_STAGE_SETUP, naming the option)
 *
 * A process that already leads a session (or, for --new-pgrp, a group)
 * is left as it is: whoever created it made it so on purpose (setsid()
 * fails for a group leader).
 *
 * Return: 0, or -1 with @rep filled.
 */
int nsu_proc_setup(const struct nsu_isolation *iso, struct nsu_report *rep);

/**
 * nsu_rlimits_check() - can the command get the limits of @iso?
 * @iso: the options of the command
 * @may_raise: the command runs where nsu has CAP_SYS_RESOURCE (root
 *             without a new user namespace): hard limits may go up
 * @e: receives the message (naming the option and what to do instead)
 *
 * The outer nsu asks this before anything is made, against its own limits,
 * which the command inherits.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_rlimits_check(const struct nsu_isolation *iso, bool may_raise, struct nsu_err *e);

#endif
