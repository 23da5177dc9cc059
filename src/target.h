/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process whose namespaces a command joins (a session's holder, or the
 * process of --join), held by a pidfd so that its pid cannot be taken by
 * another process meanwhile, and recognised by its start time and the
 * identity of its namespaces.
 */
#ifndef NSU_TARGET_H
#define NSU_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include "log.h"
#include "record.h"

struct nsu_target {
	pid_t pid;
	int pidfd;                          /* pidfd_open(), or -1 on kernels before 5.3 */
	int procfd;                         /* its /proc/PID directory */
	unsigned long long start;           /* its start time, in clock ticks after boot */
	struct nsu_ns_id ns[NSU_NS_COUNT];  /* its namespaces (ino 0: cannot be read) */
};

/**
 * nsu_target_open() - hold process @pid and read what identifies it
 * @t: receives the process (close with nsu_target_close())
 * @pid: the process
 * @kinds: the kinds of namespaces to read (CLONE_NEW* flags; its user and
 *         mount namespaces are always read), NSU_NS_ALL for all
 * @e: receives the message on error (no such process, not ours to see)
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_target_open(struct nsu_target *t, pid_t pid, int kinds, struct nsu_err *e);

/* Is it still running (not ended, not a zombie)? */
bool nsu_target_alive(const struct nsu_target *t);

/*
 * Is it the process @r records: the same start time, and the same
 * namespaces of each kind the record names? And still running?
 */
bool nsu_target_matches(const struct nsu_target *t, const struct nsu_session_record *r);

/* This process's own namespaces of @kinds, as stat() of /proc/self/ns/NAME shows them. */
void nsu_own_namespaces(int kinds, struct nsu_ns_id ns[NSU_NS_COUNT]);

void nsu_target_close(struct nsu_target *t);

#endif
