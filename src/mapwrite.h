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
	const struct nsu_idmap *map;       /* the map to write */
	const char *helper;                /* newuidmap/newgidmap; NULL: write directly */
	const struct nsu_idmap *fallback;  /* written directly if the helper fails;
					      NULL: then the job fails */
	bool deny_setgroups;               /* (gids) deny setgroups before a direct write */
	bool fell_back;                    /* out: the fallback map was written */
	char why[512];                     /* out: why the helper failed */
};

/*
 * Processes forked early, while nsu is still small (before libsubid is
 * loaded), that wait for a helper's arguments and then execute it: forking
 * later costs far more, and posix_spawn() would hold nsu until each setuid
 * helper is loaded, one after the other.
 */
struct nsu_launchers {
	pid_t pid[2];
	int cmd_fd[2];     /* where the helper's argv goes; closing it unneeded ends it */
	int err_fd[2];     /* the helper's stderr */
	int start_err[2];  /* errno of a launcher that could not be started */
};

/* No launchers (yet): what nsu_launchers_cancel() and nsu_maps_write() accept. */
void nsu_launchers_init(struct nsu_launchers *l);

/* Fork the two launchers (uid, gid). Failures are kept and reported later. */
void nsu_launchers_start(struct nsu_launchers *l);

/* End and reap launchers that will not be used. */
void nsu_launchers_cancel(struct nsu_launchers *l);

/**
 * nsu_maps_write() - write the uid and gid maps of @pid
 * @pid: the child, in its new user namespace
 * @jobs: [NSU_UID] and [NSU_GID]
 * @l: launchers from nsu_launchers_start(), used up (reaped) here
 * @e: receives the message on error
 *
 * Both helpers run concurrently. A job whose helper fails writes its
 * fallback map directly (fell_back is set, why says why); only a job that
 * has no fallback, or whose direct write fails, makes the call fail.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_maps_write(pid_t pid, struct nsu_map_job jobs[2], struct nsu_launchers *l,
		   struct nsu_err *e);

#endif
