/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starting the command in new namespaces.
 *
 * The outer nsu clone()s a child into a new user + mount namespace. The
 * child makes its mounts private and at once re-executes nsu itself
 * (/proc/self/exe) as the inner stage, keeping its capabilities in the
 * ambient set; this overlaps with the parent's work of looking up ranges and
 * writing the id maps. The inner stage waits on the release pipe until the
 * maps are written, becomes uid/gid 0 and executes the command. Failures on
 * the way are sent back on the report pipe (see report.h).
 */
#ifndef NSU_SPAWN_H
#define NSU_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"
#include "report.h"

/*
 * Environment variable that carries "RELEASE_FD,REPORT_FD,PARENT_PID,UID,GID"
 * to the inner stage; it never reaches the command.
 */
#define NSU_INNER_ENV "_NSU_INNER_STAGE"

struct nsu_child {
	pid_t pid;
	int release_fd;  /* write one byte once the maps are in place */
	int report_fd;   /* read a struct nsu_report, or EOF on success */
};

/* What the child runs, and how. */
struct nsu_child_spec {
	char **argv;               /* the command */
	char **env;                /* its environment (without the inner-stage marker) */
	const sigset_t *mask;      /* the signal mask it must start with */
	const char *chdir;         /* directory to change to inside, or NULL */
	uint32_t uid, gid;         /* inside ids to become */
};

/**
 * nsu_spawn_child() - clone the child that becomes the command
 * @c: receives the child's pid and the parent's ends of the pipes
 * @flags: namespace flags for clone()
 * @spec: the command and its setting
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled (clone failed: no child exists).
 */
int nsu_spawn_child(struct nsu_child *c, int flags, const struct nsu_child_spec *spec,
		    struct nsu_err *e);

/**
 * nsu_child_wait_ready() - wait until the child runs as the inner stage
 * @c: the child
 * @rep: receives the child's failure report, if it sent one instead
 *
 * The maps must not be written before: the inner stage proves it is one by
 * finding its user namespace still without maps.
 *
 * Return: 0 when ready; 1 when @rep holds a failure; -1 when the child
 * ended without a word (reap it to learn how).
 */
int nsu_child_wait_ready(struct nsu_child *c, struct nsu_report *rep);

/* Let the child go on: its id maps are written. Closes c->release_fd. */
int nsu_child_release(struct nsu_child *c);

/* Kill and reap a child that will not be released; closes the pipes. */
void nsu_child_abort(struct nsu_child *c);

/* The errno to report when executing @cmd failed with @err, as a shell sees it. */
int nsu_exec_error(const char *cmd, int err);

/*
 * If this process was started as the inner stage, finish the setup and
 * execute the command: never returns. Otherwise (no marker, or one that is
 * not for this process) remove any marker and return.
 */
void nsu_inner_stage(char **argv);

#endif
