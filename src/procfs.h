/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small facts read from /proc about this process and the kernel. */
#ifndef NSU_PROCFS_H
#define NSU_PROCFS_H

#include <stdbool.h>

/* The integer in a /proc/sys file, or -1 when it does not exist or cannot be read. */
long nsu_sysctl(const char *path);

/* Is this process's uid_map empty (a user namespace nobody wrote maps for)? */
bool nsu_uid_map_empty(void);

/* Is this process in the initial user namespace (the full identity map)? */
bool nsu_in_initial_userns(void);

#endif
