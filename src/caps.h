/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capabilities and privilege checks (libcap). */
#ifndef NSU_CAPS_H
#define NSU_CAPS_H

#include <stdbool.h>

#include "log.h"

/**
 * nsu_refuse_privileged_binary() - make sure nsu itself grants nothing
 *
 * nsu relies on the setuid helpers of shadow-utils and must never run with
 * privileges of its own: no setuid/setgid bit, no file capabilities, no
 * secure-execution mode.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_refuse_privileged_binary(struct nsu_err *e);

/* True when running as uid 0 with CAP_SYS_ADMIN in the current user namespace. */
bool nsu_is_privileged(void);

/*
 * Raise every permitted capability into the inheritable and ambient sets
 * (libcap's IAB), so that they survive one execve() by a process whose uid
 * is not yet mapped. Return: 0 or -errno.
 */
int nsu_caps_keep_across_exec(void);

/* Empty the inheritable set, which also empties the ambient set. 0 or -errno. */
int nsu_caps_drop_inheritable(void);

#endif
