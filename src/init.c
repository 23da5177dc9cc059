/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "exec.h"
#include "init.h"
#include "procsetup.h"
#include "signals.h"
#include "report.h"

static __attribute__((noreturn)) void init_fail(int report_fd, const char *what)
{
	struct nsu_err e;

	nsu_fail(&e, errno, "--pid: cannot %s for the new pid namespace: %s", what,
		 strerror(errno));
	nsu_report_die_setup(report_fd, &e);
}

/*
 * The command, in the init's process group unless it asks for a group or
 * session of its own, with its limits and the caller's mask and dispositions.
 * With --new-pgrp it takes the terminal's foreground from the init's group
 * (@tty, or -1) itself too, as a shell's child does: it may read the
 * terminal before the init has handed it over. (Every signal is still
 * blocked here, SIGTTOU included.)
 */
static __attribute__((noreturn)) void run_command(char **cmd, const struct nsu_isolation *iso,
						  int report_fd, const sigset_t *mask,
						  bool chld_ignored, int tty, pid_t init_group)
{
	struct nsu_report rep;

	if (nsu_proc_setup(iso, &rep) < 0)
		nsu_report_die(report_fd, &rep);
	if (tty >= 0) {
		if (tcgetpgrp(tty) == init_group)
			tcsetpgrp(tty, getpgrp());
		close(tty);
	}
	if (chld_ignored)
		signal(SIGCHLD, SIG_IGN);
	sigprocmask(SIG_SETMASK, mask, NULL);
	nsu_report_exec(report_fd, cmd);
}

/*
 * --new-pgrp: the terminal's foreground, when the outer nsu gave it to the
 * init's group, goes on to the command's group (@pgrp), as a shell hands it
 * to a job. The init blocks SIGTTOU, so it may set it from the background.
 */
static void hand_terminal(int tty, pid_t pgrp)
{
	if (tty >= 0 && tcgetpgrp(tty) == getpgrp())
		tcsetpgrp(tty, pgrp);
}

/*
 * A signal from outside (the outer nsu): on to the command, or its whole
 * @group (0: the init's own).
 */
static void forward(pid_t child, pid_t group, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	/* A command in a session of its own would not stop for TSTP, TTIN, TTOU. */
	sig = nsu_stop_for(child, sig);

	if (si->ssi_code == SI_QUEUE) {
		union sigval v = { .sival_ptr = (void *)(uintptr_t)si->ssi_ptr };

		if (sigqueue(child, sig, v) == 0)
			return;
	}
	if (si->ssi_code == SI_QUEUE || si->ssi_code == SI_TKILL || killpg(group, sig) < 0)
		kill(child, sig);
}

void nsu_init_run(char **cmd, const struct nsu_isolation *iso, int report_fd)
{
	/* With --setsid or --new-pgrp, the command's group is its own, and signals go there. */
	bool own_group = iso->setsid || iso->new_pgrp;
	struct sigaction chld;
	sigset_t all, mask;
	bool chld_ignored;
	pid_t child, group, init_group;
	int sfd, tty = -1;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &mask);
	/* An ignored SIGCHLD would let the kernel reap orphans unseen; the command keeps it. */
	chld_ignored = sigaction(SIGCHLD, NULL, &chld) == 0 && chld.sa_handler == SIG_IGN;
	if (chld_ignored)
		signal(SIGCHLD, SIG_DFL);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	if (sfd < 0)
		init_fail(report_fd, "read signals");
	/* Without a session of its own, the command may get the terminal's foreground. */
	if (iso->new_pgrp && !iso->setsid)
		tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	init_group = getpgrp();
	child = fork();
	if (child < 0)
		init_fail(report_fd, "start the command");
	if (child == 0) {
		close(sfd);
		run_command(cmd, iso, report_fd, &mask, chld_ignored, tty, init_group);
	}
	group = own_group ? child : 0;
	if (iso->new_pgrp && !iso->setsid) {
		/* Both sides set the group, as a shell does: neither waits for the other. */
		setpgid(child, child);
		hand_terminal(tty, child);
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
			if (si.ssi_code != SI_KERNEL && si.ssi_pid == 0) {
				/* fg: the outer nsu gave the terminal back before this SIGCONT. */
				if (si.ssi_signo == SIGCONT)
					hand_terminal(tty, child);
				forward(child, group, &si);
			}
			continue;
		}
		/* Reap every child: orphans come to the init. */
		while ((p = waitpid(-1, &status, WNOHANG | WUNTRACED | WCONTINUED)) > 0) {
			if (p != child)
				continue;
			if (WIFSTOPPED(status)) {
				/* As the outer nsu asked: it stops with that signal. */
				nsu_report_send(report_fd, NSU_STAGE_STOPPED,
						nsu_stop_seen(WSTOPSIG(status)), NULL);
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
