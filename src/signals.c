/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signals.h"

int nsu_signals_block(sigset_t *orig, struct nsu_err *e)
{
	sigset_t all;
	int fd;

	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, orig) < 0)
		return nsu_fail(e, errno, "cannot block signals: %s", strerror(errno));
	fd = signalfd(-1, &all, SFD_CLOEXEC);
	if (fd < 0) {
		int saved = errno;

		sigprocmask(SIG_SETMASK, orig, NULL);
		return nsu_fail(e, saved, "cannot create a signalfd: %s", strerror(saved));
	}
	return fd;
}

/* Stop this process the way the command stopped, until someone continues it. */
static void stop_self(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, old;
	sigset_t one;

	sigemptyset(&one);
	sigaddset(&one, sig);
	/* The caller may have left a stop signal ignored; stop all the same. */
	if (sigaction(sig, &dfl, &old) < 0) {
		kill(getpid(), SIGSTOP);
		return;
	}
	kill(getpid(), sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL); /* delivered here: we stop */
	sigprocmask(SIG_BLOCK, &one, NULL);
	sigaction(sig, &old, NULL);
}

static void forward(pid_t child, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (si->ssi_code == SI_QUEUE) {
		union sigval v = { .sival_ptr = (void *)(uintptr_t)si->ssi_ptr };

		if (sigqueue(child, sig, v) == 0)
			return;
	}
	kill(child, sig);
}

int nsu_supervise(pid_t child, int sigfd)
{
	bool stopped = false;

	for (;;) {
		struct signalfd_siginfo si;
		ssize_t n = read(sigfd, &si, sizeof(si));
		int sig;

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(si)) {
			/* Cannot read signals any more: just wait for the command. */
			int status;

			while (waitpid(child, &status, 0) < 0)
				if (errno != EINTR)
					return 125 << 8;
			return status;
		}
		sig = (int)si.ssi_signo;

		if (sig == SIGCHLD) {
			int status;
			pid_t p;

			while ((p = waitpid(child, &status, WNOHANG | WUNTRACED | WCONTINUED)) > 0) {
				if (WIFEXITED(status) || WIFSIGNALED(status))
					return status;
				if (WIFSTOPPED(status)) {
					stopped = true;
					stop_self(WSTOPSIG(status));
				} else if (WIFCONTINUED(status)) {
					stopped = false;
				}
			}
			continue;
		}
		if (sig == SIGCONT) {
			if (stopped)
				kill(child, SIGCONT);
			continue;
		}
		/*
		 * Signals from the kernel are either the terminal's (INT, QUIT,
		 * TSTP, WINCH, HUP...), already sent to the whole foreground
		 * process group and so to the command too, or about nsu itself.
		 */
		if (si.ssi_code == SI_KERNEL)
			continue;
		forward(child, &si);
	}
}

void nsu_exit_like(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		struct rlimit none = { 0, 0 };
		sigset_t one;

		/* Die of the same signal, without a core dump of our own. */
		setrlimit(RLIMIT_CORE, &none);
		signal(sig, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, sig);
		kill(getpid(), sig);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
		/* Only reached for a signal whose default is not to terminate. */
		_exit(128 + sig);
	}
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	exit(125);
}
