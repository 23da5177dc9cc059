/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "target.h"
#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* Field 22 of /proc/PID/stat, and the state (field 3). Return: 0, or -1. */
static int read_stat(int procfd, unsigned long long *start, char *state)
{
	char buf[1024], *p;
	_cleanup_close_ int fd = openat(procfd, "stat", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The name may hold spaces and parentheses: fields count from the last ')'. */
	p = strrchr(buf, ')');
	/* After the name: the state (field 3), 18 fields, the start time (field 22). */
	if (!p || sscanf(p + 1, " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s "
			 "%*s %*s %*s %*s %llu", state, start) != 2)
		return -1;
	return 0;
}

/* The namespaces of @kinds (CLONE_NEW* flags) that @dirfd, a /proc/PID, shows. */
static void read_namespaces(int dirfd, int kinds, struct nsu_ns_id ns[NSU_NS_COUNT])
{
	for (int k = 0; k < NSU_NS_COUNT; k++) {
		char name[32];
		struct stat st;

		snprintf(name, sizeof(name), "ns/%s", nsu_ns_info[k].name);
		if ((kinds & nsu_ns_info[k].flag) && fstatat(dirfd, name, &st, 0) == 0)
			ns[k] = (struct nsu_ns_id){ .dev = st.st_dev, .ino = st.st_ino };
		else
			ns[k] = (struct nsu_ns_id){ 0 };
	}
}

void nsu_own_namespaces(int kinds, struct nsu_ns_id ns[NSU_NS_COUNT])
{
	_cleanup_close_ int self = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (self >= 0)
		read_namespaces(self, kinds, ns);
	else
		memset(ns, 0, NSU_NS_COUNT * sizeof(*ns));
}

int nsu_target_open(struct nsu_target *t, pid_t pid, int kinds, struct nsu_err *e)
{
	char path[32], state;
	int err;

	*t = (struct nsu_target){ .pid = pid, .pidfd = -1, .procfd = -1 };
	/* The pidfd first: whatever is read from /proc after it is checked against it. */
	t->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (t->pidfd < 0 && errno != ENOSYS) {
		err = errno;
		return nsu_fail(e, err, "process %ld: %s", (long)pid,
				err == ESRCH ? "no such process" : strerror(err));
	}
	snprintf(path, sizeof(path), "/proc/%ld", (long)pid);
	t->procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->procfd < 0 || read_stat(t->procfd, &t->start, &state) < 0) {
		err = errno;
		nsu_target_close(t);
		return nsu_fail(e, err, "process %ld: %s", (long)pid,
				err == ENOENT ? "no such process" : strerror(err));
	}
	/* Each stat() of /proc costs some microseconds: only those asked for. */
	read_namespaces(t->procfd, kinds | CLONE_NEWUSER | CLONE_NEWNS, t->ns);
	if (state == 'Z' || !nsu_target_alive(t)) {
		nsu_target_close(t);
		return nsu_fail(e, ESRCH, "process %ld: it has ended", (long)pid);
	}
	if (!t->ns[NSU_NS_MNT].ino) {
		nsu_target_close(t);
		return nsu_fail(e, EPERM, "process %ld: its namespaces cannot be read: it is not "
				"yours (or nsu is not allowed to trace it)", (long)pid);
	}
	return 0;
}

bool nsu_target_alive(const struct nsu_target *t)
{
	struct pollfd p = { .fd = t->pidfd, .events = POLLIN };
	unsigned long long start;
	char state;

	/* A pidfd turns readable when its process ends. */
	if (t->pidfd >= 0)
		return poll(&p, 1, 0) == 0;
	return read_stat(t->procfd, &start, &state) == 0 && start == t->start && state != 'Z';
}

bool nsu_target_matches(const struct nsu_target *t, const struct nsu_session_record *r)
{
	if (t->pid != r->pid || t->start != r->start)
		return false;
	for (int k = 0; k < NSU_NS_COUNT; k++)
		if (r->has[k] && (t->ns[k].ino != r->ns[k].ino || t->ns[k].dev != r->ns[k].dev))
			return false;
	return nsu_target_alive(t);
}

void nsu_target_close(struct nsu_target *t)
{
	nsu_closep(&t->pidfd);
	nsu_closep(&t->procfd);
	t->pidfd = t->procfd = -1;
}
