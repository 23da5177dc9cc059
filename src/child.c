/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "util.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int nsu_child_pipes_open(struct nsu_child_pipes *p, struct nsu_err *e)
{
	int fds[2], err;

	*p = (struct nsu_child_pipes)NSU_CHILD_PIPES_NONE;
	if (pipe2(fds, O_CLOEXEC) == 0) {
		p->release_r = fds[0];
		p->release_w = fds[1];
		if (pipe2(fds, O_CLOEXEC) == 0) {
			p->report_r = fds[0];
			p->report_w = fds[1];
			return 0;
		}
	}
	err = errno;
	nsu_child_pipes_close(p);
	return nsu_fail(e, err, "cannot create a pipe: %s%s", strerror(err),
			err == EMFILE ? " (raise the limit, ulimit -n, or close some of the "
			"descriptors nsu is given)" : "");
}

void nsu_child_pipes_close(struct nsu_child_pipes *p)
{
	nsu_closep(&p->release_r);
	nsu_closep(&p->release_w);
	nsu_closep(&p->report_r);
	nsu_closep(&p->report_w);
}

void nsu_child_adopt(struct nsu_child *c, pid_t pid, int pidfd, struct nsu_child_pipes *p)
{
	char proc[32];

	c->pid = pid;
	c->pidfd = pidfd >= 0 ? pidfd : (int)syscall(SYS_pidfd_open, pid, 0);
	/* Ours and not reaped: this directory is the child's for as long as we use it. */
	snprintf(proc, sizeof(proc), "/proc/%ld", (long)pid);
	c->procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	c->release_fd = steal_fd(&p->release_w);
	c->report_fd = steal_fd(&p->report_r);
}

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

int nsu_child_read_report(struct nsu_child *c, struct nsu_report *rep)
{
	ssize_t n;

	memset(rep, 0, sizeof(*rep));
	do
		n = read(c->report_fd, rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*rep))
		return -1;
	rep->detail[sizeof(rep->detail) - 1] = '\0';
	rep->interp_path[sizeof(rep->interp_path) - 1] = '\0';
	rep->text[sizeof(rep->text) - 1] = '\0';
	return rep->stage == NSU_STAGE_READY ? 0 : 1;
}

int nsu_child_release(struct nsu_child *c)
{
	ssize_t n;

	/*
	 * The write end stays open while nsu runs: the inner stage reads its
	 * hang-up as nsu's end (nsu_child_close() closes it).
	 */
	do
		n = write(c->release_fd, "1", 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

int nsu_child_signal(const struct nsu_child *c, int sig, const siginfo_t *info)
{
	if (c->pidfd >= 0) {
		if (syscall(SYS_pidfd_send_signal, c->pidfd, sig, info, 0) == 0)
			return 0;
		if (errno != ENOSYS)
			return -1;
	}
	if (info)
		return syscall(SYS_rt_sigqueueinfo, c->pid, sig, info) == 0 ? 0 : -1;
	return kill(c->pid, sig);
}

/* A wait status, as waitpid() gives it, of what waitid() says. */
static int wait_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_KILLED:
		return si->si_status & 0x7f;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	case CLD_STOPPED:
	case CLD_TRAPPED:
		return ((si->si_status & 0xff) << 8) | 0x7f;
	default: /* CLD_CONTINUED */
		return 0xffff;
	}
}

int nsu_child_wait(const struct nsu_child *c, int *status, int options)
{
	siginfo_t si;
	int r, flags = WEXITED | (options & WNOHANG) | (options & WUNTRACED ? WSTOPPED : 0) |
		       (options & WCONTINUED);

	if (c->pidfd >= 0) {
		do {
			si.si_pid = 0;
			r = waitid((idtype_t)P_PIDFD, (id_t)c->pidfd, &si, flags);
		} while (r < 0 && errno == EINTR);
		if (r == 0) {
			if (si.si_pid == 0)
				return 0; /* WNOHANG, nothing new */
			*status = wait_status(&si);
			return 1;
		}
		if (errno != EINVAL)
			return -1;
		/* A kernel without P_PIDFD (before 5.4): by pid. */
	}
	do
		r = waitpid(c->pid, status, options);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -1 : r > 0;
}

int nsu_child_reap(const struct nsu_child *c)
{
	int status = 125 << 8;

	if (nsu_child_wait(c, &status, 0) < 0)
		status = 125 << 8;
	return status;
}

void nsu_child_close(struct nsu_child *c)
{
	nsu_closep(&c->release_fd);
	nsu_closep(&c->report_fd);
	nsu_closep(&c->pidfd);
	nsu_closep(&c->procfd);
	c->release_fd = c->report_fd = c->pidfd = c->procfd = -1;
}

void nsu_child_abort(struct nsu_child *c)
{
	nsu_child_signal(c, SIGKILL, NULL);
	nsu_child_reap(c);
	nsu_child_close(c);
}

