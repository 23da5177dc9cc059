/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The init of a new pid namespace (--pid): nsu's inner stage, pid 1 there,
 * runs the command as its child, reaps every orphan, passes the signals
 * the outer nsu sends it on to the command's process group, and tells the
 * outer nsu when the command stops, continues and ends, over the report
 * pipe. When the command ends, so does the init, and the kernel ends every
 * process left in the namespace.
 */
#ifndef NSU_INIT_H
#define NSU_INIT_H

/* Run @cmd as the init's child; never returns. */
__attribute__((noreturn)) void nsu_init_run(char **cmd, int report_fd);

#endif
