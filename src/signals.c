/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "signals.h"

int nsu_signals_take(struct nsu_sigs *s, struct nsu_err *e)
{
	struct sigaction chld;
	sigset_t all;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	sigemptyset(&s->deferred);
	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, &s->orig) < 0)
		return nsu_fail(e, errno, "cannot block signals: %s", strerror(errno));
	s->fd = signalfd(-1, &all, SFD_CLOEXEC);
	if (s->fd < 0) {
		int saved = errno;

		sigprocmask(SIG_SETMASK, &s->orig, NULL);
		return nsu_fail(e, saved, "cannot create a signalfd: %s", strerror(saved));
	}
	/*
	 * With SIGCHLD ignored (or SA_NOCLDWAIT) the kernel reaps nsu's
	 * children itself and queues no SIGCHLD: nsu could neither learn of
	 * nor report their end.
	 */
	if (sigaction(SIGCHLD, NULL, &chld) == 0 &&
	    (chld.sa_handler == SIG_IGN || (chld.sa_flags & SA_NOCLDWAIT))) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		s->chld_ignored = chld.sa_handler == SIG_IGN;
		s->chld_reset = true;
		s->chld_act = chld;
		sigaction(SIGCHLD, &dfl, NULL);
	}
	return 0;
}

void nsu_signals_give_back(struct nsu_sigs *s)
{
	if (s->chld_reset)
		sigaction(SIGCHLD, &s->chld_act, NULL);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	sigprocmask(SIG_SETMASK, &s->orig, NULL);
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

static bool ignored(int sig)
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

static bool is_stop(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Signals whose default action is to do nothing (SIGCHLD and SIGCONT aside). */
static bool harmless(int sig)
{
	return sig == SIGWINCH || sig == SIGURG;
}

/* Did nsu send @si to itself (a SIGPIPE of its own write, say)? */
static bool own(const struct signalfd_siginfo *si)
{
	return si->ssi_code == SI_USER && (pid_t)si->ssi_pid == getpid();
}

/* Does the process catch @sig with a handler of its own? */
static bool caught(int sig)
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
	       sa.sa_handler != SIG_IGN;
}

void nsu_signals_default_caught(void)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (caught(sig))
			signal(sig, SIG_DFL);
}

void nsu_signals_drain(struct nsu_sigs *s)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	struct signalfd_siginfo si;

	while (s->fd >= 0 && poll(&p, 1, 0) == 1 && read(s->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo != SIGCHLD && !own(&si))
			sigaddset(&s->deferred, (int)si.ssi_signo);
}

/* One signal during set-up: 0 to go on waiting, or an enum nsu_wait to return. */
static int setup_signal(struct nsu_sigs *s, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (sig == SIGCHLD)
		return NSU_WAIT_CHILD;
	if (sig == SIGCONT) {
		if (s->child)
			nsu_child_signal(s->child, SIGCONT, NULL);
		return 0;
	}
	if (own(si) || ignored(sig))
		return 0;
	/*
	 * Blocked by the caller: the command starts with it pending. Caught
	 * by a handler (a program using libnsu): it is given back afterwards.
	 */
	if (sigismember(&s->orig, sig) || harmless(sig) || caught(sig)) {
		sigaddset(&s->deferred, sig);
		return 0;
	}
	if (is_stop(sig)) {
		if (s->child)
			nsu_child_signal(s->child, SIGSTOP, NULL);
		stop_self(sig);
		if (s->child)
			nsu_child_signal(s->child, SIGCONT, NULL);
		return 0;
	}
	s->fatal = sig;
	return NSU_WAIT_FATAL;
}

int64_t nsu_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum nsu_wait nsu_setup_wait(struct nsu_sigs *s, struct pollfd *fds, nfds_t n, int timeout_ms)
{
	struct pollfd p[8];
	int64_t deadline = timeout_ms >= 0 ? nsu_now_ms() + timeout_ms : -1;
	bool chld = false;

	if (n > 7)
		n = 7;
	for (;;) {
		int left = -1, r, got;

		if (deadline >= 0) {
			int64_t d = deadline - nsu_now_ms();

			left = d > 0 ? (int)d : 0;
		}
		memcpy(p, fds, n * sizeof(*p));
		p[n] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
		r = poll(p, n + 1, chld ? 0 : left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NSU_WAIT_TIMEOUT; /* cannot wait: as if time ran out */
		for (nfds_t i = 0; i < n; i++)
			fds[i].revents = p[i].revents;
		if (p[n].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(s->fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				got = setup_signal(s, &si);
				if (got == NSU_WAIT_FATAL)
					return NSU_WAIT_FATAL;
				if (got == NSU_WAIT_CHILD)
					chld = true;
			}
			continue; /* read every pending signal first */
		}
		if (r > 0)
			return NSU_WAIT_READY;
		if (chld)
			return NSU_WAIT_CHILD;
		return NSU_WAIT_TIMEOUT;
	}
}

/*
 * The command's process group, or the command alone if it left its group.
 * Through an init (a new pid namespace), the init alone: it passes the
 * signal on to the command's group itself.
 */
/* The stop signal nsu_stop_for() last turned into SIGSTOP, for nsu_stop_seen(). */
static int stop_asked;

int nsu_stop_for(pid_t pid, int sig)
{
	pid_t sid;

	if (!is_stop(sig))
		return sig;
	sid = getsid(pid);
	if (sid < 0 || sid == getsid(0))
		return sig;
	stop_asked = sig;
	return SIGSTOP;
}

int nsu_stop_seen(int sig)
{
	int asked = stop_asked;

	stop_asked = 0;
	return sig == SIGSTOP && asked ? asked : sig;
}

static void to_command(const struct nsu_child *child, const struct nsu_watch *w, int sig)
{
	if (!w->via_init)
		sig = nsu_stop_for(child->pid, sig);
	if (w->via_init || getpgid(child->pid) != child->pid || killpg(child->pid, sig) < 0)
		nsu_child_signal(child, sig, NULL);
}

void nsu_signals_pass_deferred(struct nsu_sigs *s, const struct nsu_child *child,
			       const struct nsu_watch *w)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&s->deferred, sig) == 1)
			to_command(child, w, sig);
	sigemptyset(&s->deferred);
}

static void forward(const struct nsu_child *child, const struct nsu_watch *w,
		    const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	/* sigqueue() and tkill() name one process: nsu. Pass it to the command alone. */
	if (si->ssi_code == SI_QUEUE) {
		siginfo_t info;

		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = SI_QUEUE;
		info.si_pid = getpid();
		info.si_uid = getuid();
		info.si_value.sival_ptr = (void *)(uintptr_t)si->ssi_ptr;
		if (nsu_child_signal(child, sig, &info) == 0)
			return;
	}
	if (si->ssi_code == SI_QUEUE || si->ssi_code == SI_TKILL) {
		nsu_child_signal(child, sig, NULL);
		return;
	}
	to_command(child, w, sig);
}

/* Where the supervision stands. */
struct watch_state {
	const struct nsu_child *child;
	struct nsu_watch *w;
	struct nsu_tty *tty;
	bool stopped;
};

/* The command stopped with @sig: give it the terminal, or stop as it did. */
static void command_stopped(struct watch_state *st, int sig)
{
	/* Stopped for the terminal while nsu's job has it: give it. */
	if ((sig == SIGTTIN || sig == SIGTTOU) && nsu_tty_give_on_demand(st->tty)) {
		to_command(st->child, st->w, SIGCONT);
		return;
	}
	nsu_tty_take_back(st->tty);
	st->stopped = true;
	/* Stopped for the signal nsu was stopped with: the shell sees that one. */
	stop_self(nsu_stop_seen(sig));
}

/* What the init of a new pid namespace says of the command (its report pipe is readable). */
static void init_report(struct watch_state *st)
{
	struct nsu_report rep;

	switch (nsu_child_read_report((struct nsu_child *)st->child, &rep)) {
	case -1:
		st->w->init_done = true; /* the init ended: its status follows */
		return;
	case 0:
		return;
	default:
		break;
	}
	switch (rep.stage) {
	case NSU_STAGE_STOPPED:
		command_stopped(st, rep.errnum);
		break;
	case NSU_STAGE_CONTINUED:
		st->stopped = false;
		break;
	case NSU_STAGE_ENDED:
		st->w->ended = true;
		st->w->status = rep.errnum;
		break;
	default:
		/* A failure of the command's exec, or of the init: it stands. */
		if (!st->w->reported) {
			st->w->reported = true;
			st->w->report = rep;
		}
		break;
	}
}

int nsu_supervise(const struct nsu_child *child, struct nsu_sigs *s, struct nsu_tty *tty,
		  struct nsu_watch *w)
{
	struct watch_state st = { .child = child, .w = w, .tty = tty };
	int64_t settle_at = w->settle ? nsu_now_ms() + w->settle_ms : 0;
	int status;

	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = s->fd, .events = POLLIN },
			{ .fd = w->via_init && !w->init_done ? child->report_fd : -1, .events = POLLIN },
		};
		struct signalfd_siginfo si;
		int64_t left = settle_at - nsu_now_ms();
		ssize_t n;
		int sig, got;

		got = poll(fds, 2, w->settle ? (left > 0 ? (int)left : 0) : -1);
		if (got == 0 && w->settle) {
			w->settle();
			w->settle = NULL;
			continue;
		}
		if (got < 0) {
			if (errno == EINTR)
				continue;
			fds[0].revents = POLLIN; /* cannot wait: read the signals as they come */
		}
		if (fds[1].revents)
			init_report(&st);
		if (!fds[0].revents)
			continue;
		n = read(s->fd, &si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(si)) {
			/* Cannot read signals any more: just wait for the command. */
			status = nsu_child_reap(child);
			nsu_tty_take_back(tty);
			return status;
		}
		sig = (int)si.ssi_signo;

		if (sig == SIGCHLD) {
			while (nsu_child_wait(child, &status, WNOHANG | WUNTRACED | WCONTINUED) > 0) {
				if (WIFEXITED(status) || WIFSIGNALED(status)) {
					/* What the init said is still in the pipe: read it all. */
					while (w->via_init && !w->init_done)
						init_report(&st);
					nsu_tty_take_back(tty);
					return status;
				}
				if (WIFSTOPPED(status))
					command_stopped(&st, WSTOPSIG(status));
				else if (WIFCONTINUED(status))
					st.stopped = false;
			}
			continue;
		}
		if (sig == SIGCONT) {
			if (st.stopped) {
				nsu_tty_give(tty);
				to_command(child, w, SIGCONT);
			}
			continue;
		}
		if (own(&si))
			continue;
		forward(child, w, &si);
	}
}

void nsu_die_of(int sig)
{
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

void nsu_die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		nsu_die_of(SIGKILL);
}

void nsu_exit_like(int status)
{
	if (WIFSIGNALED(status))
		nsu_die_of(WTERMSIG(status));
	if (WIFEXITED(status))
		exit(WEXITSTATUS(status));
	exit(125);
}
