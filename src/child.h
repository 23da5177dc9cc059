/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The child nsu starts for the command, as the outer nsu holds it. */
#ifndef NSU_CHILD_H
#define NSU_CHILD_H

#include <signal.h>
#include <sys/types.h>

#include "log.h"
#include "report.h"

/*
 * The child, by descriptor as well as by number: signals and waits go
 * through its pidfd and its maps are written through its /proc directory,
 * so that nothing can reach another process that got the same pid. (nsu
 * never waits for it before it is done with it, which keeps the pid too.)
 */
struct nsu_child {
	pid_t pid;       /* also its process group */
	int pidfd;       /* from clone(CLONE_PIDFD), or -1 on kernels without */
	int procfd;      /* its /proc/PID directory, or -1 */
	int release_fd;  /* write one byte once the maps are in place */
	int report_fd;   /* read a struct nsu_report, or EOF on success */
};

/* The two pipes between nsu and a child it starts, all close-on-exec. */
struct nsu_child_pipes {
	int release_r, release_w;  /* the child reads its release from release_r */
	int report_r, report_w;    /* and writes its report to report_w */
};

#define NSU_CHILD_PIPES_NONE { -1, -1, -1, -1 }

/* Open both pipes. Return: 0, or -1 with @e filled (none left open). */
int nsu_child_pipes_open(struct nsu_child_pipes *p, struct nsu_err *e);

/* Close what is still open of @p (for _cleanup_). */
void nsu_child_pipes_close(struct nsu_child_pipes *p);

/*
 * @c takes child @pid: its pidfd (or, given -1, one opened now), its /proc
 * directory, and nsu's ends of @p (taken out of @p).
 */
void nsu_child_adopt(struct nsu_child *c, pid_t pid, int pidfd, struct nsu_child_pipes *p);

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

/* Let the child go on: its id maps are written. c->release_fd stays open (see child.c). */
int nsu_child_release(struct nsu_child *c);

/* Send @sig to the child alone (with @info's value, if given, as sigqueue() does). */
int nsu_child_signal(const struct nsu_child *c, int sig, const siginfo_t *info);

/*
 * Wait for a change of the child's state (waitpid() @options: WNOHANG,
 * WUNTRACED, WCONTINUED); @status receives a wait status. Return: 1 when
 * it changed, 0 with WNOHANG when not, -1 on error.
 */
int nsu_child_wait(const struct nsu_child *c, int *status, int options);

/* Wait for the child to end (it has, or is about to); its wait status. */
int nsu_child_reap(const struct nsu_child *c);

/* Kill and reap a child that will not be released; closes its descriptors. */
void nsu_child_abort(struct nsu_child *c);

/* Close the parent's descriptors of the child that are still open. */
void nsu_child_close(struct nsu_child *c);

#endif
