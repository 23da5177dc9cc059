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

#include "child.h"
#include "idmap.h"
#include "log.h"
#include "signals.h"
#include "subids.h"

struct nsu_map_job {
	const struct nsu_idmap *map;       /* the map to write */
	const char *helper;                /* newuidmap/newgidmap; NULL: write directly */
	const char *helper_origin;         /* "FILE:LINE" that chose a helper; "" or NULL:
					      the built-in default */
	const struct nsu_idmap *fallback;  /* written directly if the helper fails;
					      NULL: then the job fails */
	bool deny_setgroups;               /* (gids) deny setgroups before a direct write */
	bool failed;                       /* out: the helper failed (or was not run) */
	bool fell_back;                    /* out: the fallback map was written */
	struct nsu_err why;                /* out: why it failed */
};

/**
 * nsu_maps_write() - write the uid and gid maps of @child
 * @child: the child, in its new user namespace
 * @jobs: [NSU_UID] and [NSU_GID]
 * @sigs: the signals of the set-up, read while the helpers run
 * @timeout_s: how long the helpers may take before they are stopped
 * @e: receives the message on error
 *
 * Both helpers run concurrently, their output read as it comes; a helper
 * that cannot be started for lack of resources (EAGAIN) is tried again. A
 * job whose helper fails, or does not finish in time, writes its fallback
 * map directly (fell_back is set, why says why); only a job that has no
 * fallback, or whose direct write fails, makes the call fail. A
 * terminating signal stops the helpers and ends the call (sigs->fatal).
 *
 * Return: 0, or -1 with @e filled (or sigs->fatal set).
 */
int nsu_maps_write(const struct nsu_child *child, struct nsu_map_job jobs[2],
		   struct nsu_sigs *sigs, unsigned timeout_s, struct nsu_err *e);

#endif
