/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec.h"
#include "init.h"
#include "report.h"

static __attribute__((noreturn)) void init_fail(int report_fd, const char *what)
{
	struct nsu_err e;

	nsu_fail(&e, errno, "--pid: cannot %s for the new pid namespace: %s", what,
		 strerror(errno));
	nsu_report_setup_failure(report_fd, &e);
	_exit(125);
}

/* The command, in the init's process group, with the caller's mask and dispositions. */
static __attribute__((noreturn)) void run_command(char **cmd, int report_fd, const sigset_t *mask,
						  bool chld_ignored)
{
	struct nsu_report rep;

	if (chld_ignored)
		signal(SIGCHLD, SIG_IGN);
	sigprocmask(SIG_SETMASK, mask, NULL);
	nsu_exec_command(cmd);
	nsu_report_fill_exec(&rep, cmd[0], errno);
	nsu_report_write(report_fd, &rep);
	_exit(nsu_report_exit_status(&rep));
}

/* A signal from outside (the outer nsu): on to the command, or its whole group. */
static void forward(pid_t child, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (si->ssi_code == SI_QUEUE) {
		union sigval v = { .sival_ptr = (void *)(uintptr_t)si->ssi_ptr };

		if (sigqueue(child, sig, v) == 0)
			return;
	}
	if (si->ssi_code == SI_QUEUE || si->ssi_code == SI_TKILL || killpg(0, sig) < 0)
		kill(child, sig);
}

void nsu_init_run(char **cmd, int report_fd)
{
	struct sigaction chld;
	sigset_t all, mask;
	bool chld_ignored;
	pid_t child;
	int sfd;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &mask);
	/* An ignored SIGCHLD would let the kernel reap orphans unseen; the command keeps it. */
	chld_ignored = sigaction(SIGCHLD, NULL, &chld) == 0 && chld.sa_handler == SIG_IGN;
	if (chld_ignored)
		signal(SIGCHLD, SIG_DFL);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	if (sfd < 0)
		init_fail(report_fd, "read signals");
	child = fork();
	if (child < 0)
		init_fail(report_fd, "start the command");
	if (child == 0) {
		close(sfd);
		run_command(cmd, report_fd, &mask, chld_ignored);
	}

	for (;;) {
		struct signalfd_siginfo si;
		ssize_t n = read(sfd, &si, sizeof(si));
		int status;
		pid_t p;

		if (n != (ssize_t)sizeof(si)) {
			if (n < 0 && errno == EINTR)
				continue;
			/* Cannot read signals any more: wait for the command alone. */
			while (waitpid(child, &status, 0) < 0 && errno == EINTR)
				;
			nsu_report_send(report_fd, NSU_STAGE_ENDED, status, NULL);
			_exit(0);
		}
		if (si.ssi_signo != SIGCHLD) {
			/*
			 * Only what comes from outside the namespace (the outer nsu:
			 * a sender pid of 0 here) is passed on. The terminal's signals
			 * reached the command already (it is in this process group),
			 * and those sent from inside, the init's own forwarding
			 * included, reached whom they were sent to.
			 */
			if (si.ssi_code != SI_KERNEL && si.ssi_pid == 0)
				forward(child, &si);
			continue;
		}
		/* Reap every child: orphans come to the init. */
		while ((p = waitpid(-1, &status, WNOHANG | WUNTRACED | WCONTINUED)) > 0) {
			if (p != child)
				continue;
			if (WIFSTOPPED(status)) {
				nsu_report_send(report_fd, NSU_STAGE_STOPPED, WSTOPSIG(status), NULL);
			} else if (WIFCONTINUED(status)) {
				nsu_report_send(report_fd, NSU_STAGE_CONTINUED, 0, NULL);
			} else {
				/* Its end is the namespace's: the kernel ends the rest with the init. */
				nsu_report_send(report_fd, NSU_STAGE_ENDED, status, NULL);
				_exit(0);
			}
		}
	}
}
