/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starting the command in new namespaces.
 *
 * The outer nsu clone()s a child into a new user + mount namespace. The
 * child leads a process group of its own, makes its mounts private and at
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
 * directory to change to ("" for none). It proves the state is its own
 * before acting on it: its parent is the one named, both descriptors are
 * pipes, and its user namespace has no maps yet.
 */
#ifndef NSU_SPAWN_H
#define NSU_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"
#include "report.h"

/* argv[1] of the inner stage. Not an option anyone types: nsu refuses it otherwise. */
#define NSU_INNER_ARG "--inner-stage-of-nsu"

/* What the inner stage does besides switching ids. */
enum nsu_inner_flags {
	NSU_INNER_DROP_GROUPS = 1 << 0,  /* clear the supplementary groups (nsu wrote the maps) */
};

struct nsu_child {
	pid_t pid;       /* also its process group */
	int release_fd;  /* write one byte once the maps are in place */
	int report_fd;   /* read a struct nsu_report, or EOF on success */
};

/* What the child runs, and how. */
struct nsu_child_spec {
	char **argv;               /* the command */
	char **env;                /* its environment */
	const sigset_t *mask;      /* the signal mask it must start with */
	bool chld_ignored;         /* the caller ignored SIGCHLD: so must the command */
	const char *chdir;         /* directory to change to inside, or NULL */
	uint32_t uid, gid;         /* inside ids to become */
	unsigned flags;            /* enum nsu_inner_flags */
};

/**
 * nsu_spawn_child() - clone the child that becomes the command
 * @c: receives the child's pid and the parent's ends of the pipes
 * @flags: namespace flags for clone()
 * @spec: the command and its setting
 * @e: receives the message on error
 *
 * Return: 0; -1 with @e filled when the child could not be prepared (pipes,
 * memory); -2 with @e filled when clone() itself failed (@e->errnum is its
 * errno, which may say something about user namespaces). No child exists
 * after a failure.
 */
int nsu_spawn_child(struct nsu_child *c, int flags, const struct nsu_child_spec *spec,
		    struct nsu_err *e);

/**
 * nsu_child_read_report() - read the child's word once its report pipe is readable
 * @c: the child
 * @rep: receives the record
 *
 * Return: 0 for the inner stage's word that it runs and waits for its maps;
 * 1 when @rep holds a failure; -1 at end of file (before the release: the
 * child ended without a word; after it: the command was executed).
 */
int nsu_child_read_report(struct nsu_child *c, struct nsu_report *rep);

/* Let the child go on: its id maps are written. Closes c->release_fd. */
int nsu_child_release(struct nsu_child *c);

/* Kill and reap a child that will not be released; closes the pipes. */
void nsu_child_abort(struct nsu_child *c);

/* Close the parent's ends of the pipes that are still open. */
void nsu_child_close(struct nsu_child *c);

/* Is @argv the invocation of an inner stage (argv[1] is NSU_INNER_ARG)? */
bool nsu_is_inner_stage(int argc, char **argv);

/*
 * Run as the inner stage: finish the setup and execute the command. Never
 * returns. A state that is not this process's own (someone typed the
 * argument) ends in a message and exit status 125.
 */
__attribute__((noreturn)) void nsu_inner_stage(int argc, char **argv);

#endif
