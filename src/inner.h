/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsu's inner stage: the copy of nsu that the child re-executes in the new
 * namespaces. It proves the state on its command line is its own, says it
 * is ready, waits until its maps are written, sets up the isolation asked
 * for (host name, loopback, filesystem, OOM score), becomes the command's
 * user, trims its capabilities and executes the command; in a new pid
 * namespace it stays as the namespace's init and runs the command as its
 * child. See spawn.h for the command line.
 */
#ifndef NSU_INNER_H
#define NSU_INNER_H

#include <stdbool.h>

struct nsu_err;
struct nsu_isolation;

/*
 * The isolation that needs the capabilities of the namespace's root, before
 * the switch of ids: host name, loopback, filesystem. Return: 0, or -1 with
 * @e filled.
 */
int nsu_inner_set_up(const struct nsu_isolation *iso, struct nsu_err *e);

/* Is @argv the invocation of an inner stage (argv[1] is NSU_INNER_ARG)? */
bool nsu_is_inner_stage(int argc, char **argv);

/*
 * Run as the inner stage. Never returns. A state that is not this process's
 * own (someone typed the argument) ends in a message and exit status 125.
 */
__attribute__((noreturn)) void nsu_inner_stage(int argc, char **argv);

#endif
