/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sessions in use: --session NAME (join the session, or make it and then
 * join it), --session-stop, --session-list, and --join PID.
 *
 * A join never trusts the record alone: the holder is opened by pidfd and
 * must have the recorded start time and namespaces. A record whose holder
 * is gone (killed, the machine restarted, its pid reused) is made anew,
 * under the session's lock, so that first calls that race make one session.
 */
#ifndef NSU_SESSION_RUN_H
#define NSU_SESSION_RUN_H

#include <stdbool.h>

#include "run.h"

struct nsu_session_call {
	const char *name;               /* the session */
	const struct nsu_run_req *req;  /* how to make it, and the command with its options */
	const char *shape;              /* the call's shaping options (nsu_shape_join()) */
	bool shape_given;               /* the call asks for a shape (else it takes the session's) */
	const char *runtime_dir;        /* $XDG_RUNTIME_DIR, or NULL */
	/* Called on a copy of @req before a session is made: names the caller in it. */
	void (*name_maker)(void *ctx, struct nsu_run_req *req);
	void *ctx;
};

/* Run the command in session @c->name, made first if need be. */
void nsu_session_run(const struct nsu_session_call *c, struct nsu_outcome *out);

/* --session-stop: end the session and remove its record. Return: 0, or -1 with @e filled. */
int nsu_session_stop(const char *name, const char *runtime_dir, struct nsu_err *e);

/* --session-list: one line per live session on stdout. Return: 0, or -1 with @e filled. */
int nsu_session_list(const char *runtime_dir, struct nsu_err *e);

/* --join PID: run the command of @req in the namespaces of process @pid. */
void nsu_join_pid(pid_t pid, const struct nsu_run_req *req, struct nsu_outcome *out);

#endif
