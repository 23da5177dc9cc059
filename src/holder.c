/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "holder.h"

int nsu_holder_watch(const char *dir, struct nsu_err *e)
{
	int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

	if (fd < 0)
		return nsu_fail(e, errno, "session: cannot watch %s: %s", dir, strerror(errno));
	if (inotify_add_watch(fd, dir, IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0) {
		int err = errno;

		close(fd);
		return nsu_fail(e, err, "session: cannot watch %s: %s%s", dir, strerror(err),
				err == ENOSPC ? " (too many inotify watches: raise "
				"fs.inotify.max_user_watches)" : "");
	}
	return fd;
}

/*
 * Close every descriptor but @keep1 and @keep2 (the standard streams are
 * /dev/null). Those at or above the soft limit are a tool's that runs nsu
 * (valgrind keeps its own there): nothing nsu or its caller opened is.
 */
static void close_others(int keep1, int keep2)
{
	DIR *d = opendir("/proc/self/fd");
	struct rlimit rl = { .rlim_cur = 1024 };
	int fds[256], n = 0;
	struct dirent *de;

	getrlimit(RLIMIT_NOFILE, &rl);
	if (!d) {
		for (int fd = 3; fd < 1024 && (rlim_t)fd < rl.rlim_cur; fd++)
			if (fd != keep1 && fd != keep2)
				close(fd);
		return;
	}
	while ((de = readdir(d)) && n < (int)(sizeof(fds) / sizeof(fds[0]))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] != '.' && fd > 2 && fd != dirfd(d) && fd != keep1 &&
		    fd != keep2 && (rlim_t)fd < rl.rlim_cur)
			fds[n++] = fd;
	}
	closedir(d);
	while (n > 0)
		close(fds[--n]);
}

/* Has the directory gone (removed, renamed away, its filesystem unmounted)? */
static bool watch_ended(int fd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(fd, buf, sizeof(buf));

	for (ssize_t off = 0; off < n;) {
		const struct inotify_event *ev = (const struct inotify_event *)(buf + off);

		if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED))
			return true;
		off += (ssize_t)sizeof(*ev) + ev->len;
	}
	return false;
}

void nsu_holder_run(int watch_fd, int report_fd)
{
	sigset_t all;
	int sfd, null;

	/* Not bound to the nsu that made it, nor to anything of the caller's. */
	prctl(PR_SET_PDEATHSIG, 0);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	signal(SIGCHLD, SIG_DFL);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd <= 2; fd++)
		if (null < 0 || dup2(null, fd) < 0)
			close(fd);
	if (null > 2)
		close(null);
	if (chdir("/") < 0)
		_exit(125);
	close_others(watch_fd, sfd < 0 ? report_fd : sfd);
	if (sfd < 0)
		_exit(125);
	close(report_fd); /* the outer nsu reads its end of file: the holder runs */

	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
				       { .fd = watch_fd, .events = POLLIN } };
		struct signalfd_siginfo si;

		if (poll(p, 2, -1) < 0)
			continue;
		if ((p[1].revents & POLLIN) && watch_ended(watch_fd))
			_exit(0);
		if (!(p[0].revents & POLLIN) || read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		switch (si.ssi_signo) {
		case SIGCHLD:
			/* Orphans of the session's pid namespace come to its init. */
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			break;
		case SIGTERM:
		case SIGINT:
		case SIGQUIT:
			/* As pid 1, only from outside: inside, an init has no such signals. */
			if (getpid() != 1 || si.ssi_pid == 0)
				_exit(0);
			break;
		default:
			break; /* a hang-up or anything else: the session goes on */
		}
	}
}
