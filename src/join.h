/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a command in the namespaces of a process that holds them: a
 * session's holder, or the process of --join. No new namespace, no id map,
 * no helper and no re-execution: setns(), the switch to the command's ids,
 * and its exec.
 *
 * Without a pid namespace to enter, nsu becomes the command itself, as
 * nsenter does: exit status, signals, the terminal and job control are the
 * command's own. A pid namespace applies only to children, so there nsu
 * enters the user and pid namespaces, forks the command, and supervises it
 * as it does a command it started in new namespaces. So it does for a
 * command that needs a session or process group of its own (--setsid,
 * --new-pgrp): nsu's own process is one of its caller's job.
 */
#ifndef NSU_JOIN_H
#define NSU_JOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "become.h"
#include "isolation.h"
#include "options.h"
#include "run.h"
#include "target.h"

struct nsu_join_req {
	const struct nsu_target *t;          /* whose namespaces */
	int ns;                              /* the CLONE_NEW... flags of those to enter */
	struct nsu_identity id;              /* whom the command runs as inside */
	const struct nsu_isolation *iso;     /* per command: OOM score, capabilities, no_new_privs,
						die-with-parent */
	pid_t parent;                        /* nsu's parent when it started */
	const char *chdir;                   /* -w, or NULL: the current directory, if it is there */
	bool containers_env;                 /* add the _CONTAINERS_* variables */
	uid_t outer_uid;                     /* ... naming these ids */
	gid_t outer_gid;
	const struct nsu_env_op *env_ops;    /* --setenv/--unsetenv */
	size_t n_env_ops;
	char **cmd;
	struct nsu_sigs *sigs;               /* nsu_join_run(): the signals if taken already, or NULL */
};

/* Must @r run the command as a supervised child (nsu_join_run()), not as nsu itself? */
bool nsu_join_needs_child(const struct nsu_join_req *r);

/**
 * nsu_join_exec() - become the command, in @r->t's namespaces
 * @r: the request; nsu_join_needs_child() must be false for it
 * @out: receives why it failed (on success it never returns)
 */
void nsu_join_exec(const struct nsu_join_req *r, struct nsu_outcome *out);

/**
 * nsu_join_run() - run the command in @r->t's namespaces as a child, supervised
 * @r: the request
 * @out: receives how it ended
 */
void nsu_join_run(const struct nsu_join_req *r, struct nsu_outcome *out);

/*
 * The namespaces of @t that differ from this process's, among the kinds
 * @kinds allows (CLONE_NEW... flags): those a join enters.
 */
int nsu_join_differing(const struct nsu_target *t, int kinds);

#endif
