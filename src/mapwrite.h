/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing a child's uid_map and gid_map: the full maps through the setuid
 * newuidmap/newgidmap of shadow-utils, run concurrently, else the single-ID
 * map "0 <own id> 1" written directly (setgroups denied first for gids).
 */
#ifndef NSU_MAPWRITE_H
#define NSU_MAPWRITE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "idmap.h"
#include "log.h"
#include "subids.h"

struct nsu_map_job {
	const struct nsu_idmap *map;  /* what to write; n == 1: single-ID map only */
	const char *helper;           /* newuidmap or newgidmap */
	bool full;                    /* out: the whole map was written by the helper */
	char why[512];                /* in: why the map is single-ID (n == 1);
					 out: why the helper failed, if it did */
};

/**
 * nsu_maps_write() - write the uid and gid maps of @pid
 * @pid: the child, in its new user namespace
 * @jobs: [NSU_UID] and [NSU_GID]
 * @e: receives the message on error
 *
 * A job whose helper fails falls back to its single-ID map (jobs[k].full is
 * false and jobs[k].why says why). Only when even that cannot be written is
 * the call a failure.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_maps_write(pid_t pid, struct nsu_map_job jobs[2], struct nsu_err *e);

#endif
