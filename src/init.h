/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The init of a new pid namespace (--pid): nsu's inner stage, pid 1 there,
 * runs the command as its child, reaps every orphan, passes the signals
 * the outer nsu sends it on to the command's process group (the init's own,
 * or with --setsid or --new-pgrp the command's), hands the terminal's
 * foreground on to a command with a group of its own, and tells the
 * outer nsu when the command stops, continues and ends, over the report
 * pipe. When the command ends, so does the init, and the kernel ends every
 * process left in the namespace.
 */
#ifndef NSU_INIT_H
#define NSU_INIT_H

#include "isolation.h"

/*
 * Run @cmd as the init's child, with @iso's process options (--setsid,
 * --new-pgrp, --rlimit) applied in that child; never returns.
 */
__attribute__((noreturn)) void nsu_init_run(char **cmd, const struct nsu_isolation *iso,
					    int report_fd);

#endif
