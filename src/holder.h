/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The holder of a session: nsu's inner stage, set up like one that runs a
 * command, which instead stays in the new namespaces so that later calls
 * can join them. It lives in a session of its own with its standard
 * streams on /dev/null and its working directory at /, keeps no descriptor
 * of the caller's, and (as the init of the session's pid namespace) reaps
 * every orphan there. It ends when asked (SIGTERM, SIGINT, SIGQUIT), and
 * when the session's directory is removed, renamed or unmounted (the
 * runtime directory wiped at logout): no holder is left behind forever.
 */
#ifndef NSU_HOLDER_H
#define NSU_HOLDER_H

#include "log.h"

/*
 * Watch the session's directory @dir (inotify), before the set-up hides it.
 * Return: the descriptor, or -1 with @e filled.
 */
int nsu_holder_watch(const char *dir, struct nsu_err *e);

/*
 * Hold the namespaces until the end. Closing @report_fd tells the outer nsu
 * that the holder runs. Never returns.
 */
__attribute__((noreturn)) void nsu_holder_run(int watch_fd, int report_fd);

#endif
