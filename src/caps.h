/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capabilities and privilege checks (libcap). */
#ifndef NSU_CAPS_H
#define NSU_CAPS_H

#include <stdbool.h>
#include <stdint.h>

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

/* Is capability @cap (CAP_...) in this process's effective set? */
bool nsu_has_cap(int cap);

/* True when running as uid 0 with CAP_SYS_ADMIN in the current user namespace. */
bool nsu_is_privileged(void);

/*
 * Raise every permitted capability into the inheritable and ambient sets
 * (libcap's IAB), so that they survive one execve() by a process whose uid
 * is not yet mapped. Return: 0 or -errno.
 */
int nsu_caps_keep_across_exec(void);

/*
 * Before the switch to the command's ids, with every capability: trim the
 * bounding set (to @add with @none; without the @drop ones otherwise), and
 * keep the capabilities across the switch when a user other than root
 * inside is to get @add. Return: 0 or -errno.
 */
int nsu_caps_bound(bool none, uint64_t drop, uint64_t add, bool root_inside);

/*
 * After the switch: what the command's exec gives it. Root inside gets its
 * bounding set as any root does (inheritable and ambient emptied); another
 * user gets @add through the ambient set. Return: 0 or -errno.
 */
int nsu_caps_finish(uint64_t add, bool root_inside);

#endif
