/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signals in the outer nsu, from the clone to the end.
 *
 * nsu blocks every signal and reads them from a signalfd, whatever
 * dispositions and mask it inherited; the command still inherits the
 * caller's mask and dispositions exactly (SIGCHLD, which nsu needs, is put
 * back for it).
 *
 * During set-up (clone, maps, release) no wait is without the signalfd: a
 * stop stops the child and nsu; a terminating signal ends the set-up at
 * once, and nsu dies of it after killing the child and any helper. Once the
 * command runs, nsu supervises it: every signal is passed on once, stops
 * are mirrored, and nsu ends with the command's status.
 */
#ifndef NSU_SIGNALS_H
#define NSU_SIGNALS_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "child.h"
#include "log.h"
#include "tty.h"

struct nsu_sigs {
	int fd;             /* signalfd of every signal (close-on-exec) */
	sigset_t orig;      /* the caller's mask: the command's */
	bool chld_ignored;  /* the caller ignored SIGCHLD (now default for nsu) */
	bool chld_reset;    /* SIGCHLD was ignored or SA_NOCLDWAIT: chld_act is the caller's */
	struct sigaction chld_act;
	const struct nsu_child *child; /* during set-up: stopped and continued with nsu */
	int fatal;          /* the terminating signal that ended the set-up, or 0 */
	sigset_t deferred;  /* received during set-up, to pass on after the release */
};

/**
 * nsu_signals_take() - block all signals and read them from a signalfd
 * @s: receives the state
 * @e: receives the message on error
 *
 * SIGCHLD, if the caller ignored it (then the kernel would reap nsu's
 * children itself and say nothing), is reset to its default for nsu.
 *
 * Return: 0, or -1 with @e filled (and nothing changed).
 */
int nsu_signals_take(struct nsu_sigs *s, struct nsu_err *e);

/* Undo nsu_signals_take(): the caller's mask and SIGCHLD back, the signalfd closed. */
void nsu_signals_give_back(struct nsu_sigs *s);

/*
 * Read the signals that came and wait in the signalfd into s->deferred,
 * but SIGCHLD and those nsu sent itself (a SIGPIPE of its own write).
 */
void nsu_signals_drain(struct nsu_sigs *s);

enum nsu_wait {
	NSU_WAIT_FATAL = -1,   /* a terminating signal: s->fatal; end the set-up */
	NSU_WAIT_TIMEOUT = 0,  /* @timeout_ms passed */
	NSU_WAIT_READY = 1,    /* some of @fds are ready */
	NSU_WAIT_CHILD = 2,    /* SIGCHLD: a child of nsu changed state */
};

/**
 * nsu_setup_wait() - wait for @fds during set-up, acting on signals
 * @s: the signal state (s->child is the child being set up, or NULL)
 * @fds: descriptors to wait for (revents are filled), may be empty
 * @n: their number
 * @timeout_ms: at most this long (-1: no limit)
 *
 * Stops (TSTP, TTIN, TTOU at their default action) stop the child and nsu
 * until nsu is continued. A signal that would terminate nsu (at its default
 * action, not blocked by the caller) returns NSU_WAIT_FATAL. Others (and
 * those the caller catches with a handler, which only a program that uses
 * libnsu has) are kept in s->deferred.
 *
 * Return: an enum nsu_wait.
 */
enum nsu_wait nsu_setup_wait(struct nsu_sigs *s, struct pollfd *fds, nfds_t n, int timeout_ms);

/*
 * What supervision learns besides the child's end: with a new pid
 * namespace, the child is its init, which reports the command's stops and
 * end, and any failure to execute it, over its report pipe.
 */
struct nsu_watch {
	bool via_init;              /* in: the child is the init of a new pid namespace */
	bool init_done;             /* its report pipe reached its end */
	bool ended;                 /* the init reported the command's end: */
	int status;                 /* ... with this wait status */
	bool reported;              /* a failure report arrived: */
	struct nsu_report report;
	/* in: called once after the command has run settle_ms (not if it ends before) */
	void (*settle)(void);
	int settle_ms;
};

/* After the release: pass the signals deferred during set-up to the command. */
void nsu_signals_pass_deferred(struct nsu_sigs *s, const struct nsu_child *child,
			       const struct nsu_watch *w);

/**
 * nsu_supervise() - pass signals on to @child until it terminates
 * @child: the command's process, leader of its own process group
 * @s: from nsu_signals_take()
 * @tty: the terminal, handed to the command and back
 *
 * A signal that can only have been sent to nsu itself (sigqueue, tkill)
 * goes to the command; any other goes to the command's process group, as
 * the signals sent to a job or by the terminal reach the whole job. When the
 * command stops, nsu takes the terminal back and stops with the same signal,
 * so the shell sees the job stopped; on SIGCONT the command gets the
 * terminal back (if it had it and nsu has it) and continues. A command
 * stopped for reading or setting the terminal from the background gets it
 * when nsu's job has it.
 *
 * Return: the child's wait status (with @w->via_init, the init's: the
 * command's is in @w).
 */
int nsu_supervise(const struct nsu_child *child, struct nsu_sigs *s, struct nsu_tty *tty,
		  struct nsu_watch *w);

/* Exit with @status's exit code, or die of its signal (with no core dump). */
__attribute__((noreturn)) void nsu_exit_like(int status);

/*
 * The signal that stops @pid for a stop signal @sig sent on to it. The
 * kernel discards SIGTSTP, SIGTTIN and SIGTTOU for a process in an orphaned
 * process group, as a command in a session of its own (--setsid) is: for
 * such a process (in another session than this one) it is SIGSTOP, which
 * stops it all the same. Any other signal is @sig.
 */
int nsu_stop_for(pid_t pid, int sig);

/*
 * @sig, a signal the command stopped with, as the caller of nsu_stop_for()
 * asked: the stop signal it turned into SIGSTOP, if it did.
 */
int nsu_stop_seen(int sig);

/*
 * Set every signal this process catches with a handler back to its
 * default action (ignored ones stay ignored), as posix_spawn()'s
 * SETSIGDEF does: for a child of a program that uses libnsu.
 */
void nsu_signals_default_caught(void);

/* Milliseconds of CLOCK_MONOTONIC. */
int64_t nsu_now_ms(void);

/* Die of @sig (the default action of a terminating signal) without a core dump. */
__attribute__((noreturn)) void nsu_die_of(int sig);

/*
 * --die-with-parent: this process gets SIGKILL when its parent (@parent,
 * as it was at nsu's start) dies, across exec too; a parent that is gone
 * already counts, and the process dies at once.
 */
void nsu_die_with_parent(pid_t parent);

#endif
