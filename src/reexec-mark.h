/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How a program re-executed by libnsu's nsu_reexec() knows it is the
 * re-executed copy, whatever it runs as inside (--user, --map-current-user
 * and the capability options leave it without CAP_SYS_ADMIN, and it must
 * not re-execute itself again): the inner stage puts the identity of the
 * new user namespace in NSU_REEXEC_USERNS, and the copy compares it with
 * its own. The variable grants nothing: it only matches in the namespace
 * nsu made, where the copy (and whatever it runs) is inside already.
 */
#ifndef NSU_REEXEC_MARK_H
#define NSU_REEXEC_MARK_H

#include <stdbool.h>

#define NSU_REEXEC_ENV "NSU_REEXEC_USERNS"

/* Mark the environment with this process's user namespace. 0, or -errno. */
int nsu_reexec_mark(void);

/* Does the mark name this process's user namespace (not the initial one)? */
bool nsu_reexec_marked(void);

#endif
