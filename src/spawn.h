/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starting the command in new namespaces.
 *
 * The outer nsu clone()s a child into a new user + mount namespace. The
 * child leads a process group of its own (with --setsid, a session), makes its mounts private and at
 * once re-executes nsu itself (/proc/self/exe) as the inner stage, keeping
 * its capabilities in the ambient set; this overlaps with the parent's work
 * of looking up ranges and writing the id maps. The inner stage waits on the
 * release pipe until the maps are written, becomes the chosen inside user
 * and executes the command. Failures on the way are sent back on the report
 * pipe (see report.h).
 *
 * The inner stage is told what it is by its arguments, never by the
 * environment (which is the command's): nsu NSU_INNER_ARG STATE DIR CMD...,
 * where STATE is "RELEASE_FD,REPORT_FD,PARENT_PID,UID,GID,FLAGS" and DIR the
 * directory to change to ("" for none), or for a session's holder the
 * session's directory, which it watches. It proves the state is its own
 * before acting on it: its parent is the one named, both descriptors are
 * pipes, and its user namespace has no maps yet.
 */
#ifndef NSU_SPAWN_H
#define NSU_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "child.h"
#include "log.h"
#include "options.h"
#include "report.h"

/* argv[1] of the inner stage. Not an option anyone types: nsu refuses it otherwise. */
#define NSU_INNER_ARG "--inner-stage-of-nsu"

/* What the inner stage does besides switching ids. */
enum nsu_inner_flags {
	NSU_INNER_DROP_GROUPS = 1 << 0,  /* clear the supplementary groups (nsu wrote the maps) */
	NSU_INNER_NO_USERNS = 1 << 1,    /* no new user namespace (root): no maps to wait for */
	NSU_INNER_HOLDER = 1 << 2,       /* hold a session's namespaces (DIR: its directory) */
	NSU_INNER_NEW_SESSION = 1 << 3,  /* a session of its own (--setsid), not just a group */
	NSU_INNER_EXEC_SELF = 1 << 4,    /* the command is the program itself: exec /proc/self/exe */
};

/*
 * libnsu's nsu_run_child(): the child sets itself up in its own process, a
 * fork of the caller, and runs @fn before the command (see here.c).
 */
struct nsu_here {
	int (*fn)(void *ctx);             /* run before the command; non-zero: an errno, stop */
	void *ctx;
	const struct nsu_isolation *iso;  /* the set-up asked for */
};

/* What the child runs, and how. */
struct nsu_child_spec {
	char **argv;               /* the command */
	const sigset_t *mask;      /* the signal mask it must start with */
	bool chld_ignored;         /* the caller ignored SIGCHLD: so must the command */
	bool containers_env;       /* add the _CONTAINERS_* variables */
	uid_t outer_uid;           /* ... naming these ids */
	gid_t outer_gid;
	const struct nsu_env_op *env_ops;  /* --setenv/--unsetenv, applied by the child */
	size_t n_env_ops;
	const char *chdir;         /* directory to change to inside, or NULL */
	uint32_t uid, gid;         /* inside ids to become */
	unsigned flags;            /* enum nsu_inner_flags */
	char **iso_words;          /* the isolation, as option words for the inner stage, or NULL */
	const struct nsu_here *here; /* set: the child sets itself up, no re-execution */
};

/**
 * nsu_spawn_child() - clone the child that becomes the command
 * @c: receives the child's pid, descriptors and the parent's ends of the pipes
 * @flags: namespace flags for clone()
 * @spec: the command and its setting
 * @e: receives the message on error (why user namespaces are not available
 *     to this process, when clone() says so)
 *
 * Return: 0, or -1 with @e filled (no child exists then).
 */
int nsu_spawn_child(struct nsu_child *c, int flags, const struct nsu_child_spec *spec,
		    struct nsu_err *e);

/**
 * nsu_spawn_here() - fork the child of @spec->here, which enters new namespaces itself
 * @c: receives the child's pid, descriptors and the parent's ends of the pipes
 * @flags: namespace flags for unshare() (no CLONE_NEWPID)
 * @spec: the command and its setting
 * @e: receives the message on error
 *
 * The child stays in the caller's process group. It reports as the inner
 * stage does: ready for its maps, then a failure or end of file at the exec.
 *
 * Return: 0, or -1 with @e filled (no child exists then).
 */
int nsu_spawn_here(struct nsu_child *c, int flags, const struct nsu_child_spec *spec,
		   struct nsu_err *e);

/* Why a new process in new namespaces could not be made (errno @err). Returns -1. */
int nsu_spawn_failed(int err, struct nsu_err *e);

/* Make this process's mounts private: nothing mounted here propagates back. 0 or -errno. */
int nsu_mounts_make_private(void);

#endif
