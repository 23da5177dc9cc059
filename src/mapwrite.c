/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diagnose.h"
#include "mapwrite.h"
#include "trust.h"
#include "util.h"

extern char **environ;

/* Keep this much of a helper's output: its last line says why it failed. */
#define HELPER_OUTPUT_MAX 4096
/* Attempts to start a helper when the system is short of processes (EAGAIN). */
#define SPAWN_ATTEMPTS 6

struct helper_run {
	pid_t pid;       /* -1: not started, or reaped */
	int err_fd;      /* read end of the helper's stderr (non-blocking), or -1 */
	int spawn_err;   /* posix_spawn() failure */
	int status;      /* wait status once reaped */
	bool timed_out;  /* stopped for taking too long */
	int attempts;    /* starts tried */
	int64_t retry_at; /* when to try again after EAGAIN, or 0 */
	int pass_fd;     /* the child's /proc directory, passed as "fd:N"; or -1 */
	char target[24]; /* the helper's first argument: "fd:N" or the pid */
	size_t used;
	char out[HELPER_OUTPUT_MAX];
};

static int helper_spawn(struct helper_run *h, struct nsu_idmap_argv *a, const char *path,
			int pass_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	int p[2], r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
	/* The child's /proc directory, for "fd:N": a dup2 onto itself keeps it open across exec. */
	if (pass_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, pass_fd, pass_fd);
	/* nsu blocks every signal for its signalfd; the helper starts with none blocked. */
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	r = posix_spawn(&h->pid, path, &fa, &attr, a->argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r) {
		h->pid = -1;
		close(p[0]);
		return r;
	}
	/* Read as it comes, so a talkative helper never blocks on a full pipe. */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	h->err_fd = p[0];
	return 0;
}

/* Keep what the helper wrote (its last HELPER_OUTPUT_MAX bytes). */
static void helper_read(struct helper_run *h)
{
	for (;;) {
		ssize_t n;

		if (h->used == sizeof(h->out)) {
			memmove(h->out, h->out + sizeof(h->out) / 2, sizeof(h->out) / 2);
			h->used = sizeof(h->out) / 2;
		}
		n = read(h->err_fd, h->out + h->used, sizeof(h->out) - h->used);
		if (n > 0) {
			h->used += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			close(h->err_fd);
			h->err_fd = -1;
		}
		return; /* EAGAIN: nothing more for now */
	}
}

/* Reap the helper if it ended (or wait for it, after a SIGKILL). */
static bool helper_reap(struct helper_run *h, int flags)
{
	pid_t p;

	do
		p = waitpid(h->pid, &h->status, flags);
	while (p < 0 && errno == EINTR);
	if (p == 0)
		return false;
	h->pid = -1;
	if (h->err_fd >= 0) {
		helper_read(h);
		if (h->err_fd >= 0)
			close(h->err_fd);
		h->err_fd = -1;
	}
	return true;
}

static void helper_kill(struct helper_run *h)
{
	if (h->pid > 0) {
		kill(h->pid, SIGKILL);
		helper_reap(h, 0);
	}
}

/* The helper's last line of output, trimmed. */
static void last_line(const struct helper_run *h, char *buf, size_t len)
{
	size_t end = h->used, start;

	while (end > 0 && (h->out[end - 1] == '\n' || h->out[end - 1] == ' ' || h->out[end - 1] == '\0'))
		end--;
	start = end;
	while (start > 0 && h->out[start - 1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), h->out + start);
}

/* Write @text to the file @name of the child's /proc directory. 0 or -errno. */
static int write_proc(const struct nsu_child *child, const char *name, const char *text)
{
	_cleanup_close_ int fd = -1;
	size_t len = strlen(text);
	char path[64];
	ssize_t n;

	if (child->procfd >= 0) {
		fd = openat(child->procfd, name, O_WRONLY | O_CLOEXEC);
	} else {
		snprintf(path, sizeof(path), "/proc/%ld/%s", (long)child->pid, name);
		fd = open(path, O_WRONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* Write @map of @kind into the child's uid_map or gid_map ourselves. */
static int write_direct(const struct nsu_child *child, enum nsu_id_kind kind,
			const struct nsu_idmap *map, bool deny_setgroups, struct nsu_err *e)
{
	char text[NSU_MAP_WRITE_MAX + 1];
	int r;

	if (nsu_idmap_format(map, text, sizeof(text)) < 0)
		return nsu_fail(e, E2BIG, "the %s map does not fit in one write", nsu_kind_name[kind]);
	if (kind == NSU_GID && deny_setgroups) {
		/* An unprivileged gid_map write requires setgroups to be denied. */
		r = write_proc(child, "setgroups", "deny");
		if (r < 0 && r != -ENOENT)
			return nsu_fail(e, -r, "cannot write /proc/%ld/setgroups: %s",
					(long)child->pid, strerror(-r));
	}
	r = write_proc(child, kind == NSU_UID ? "uid_map" : "gid_map", text);
	if (r < 0)
		return nsu_fail(e, -r, "cannot write the %s map of the new user namespace: %s",
				nsu_kind_name[kind], strerror(-r));
	return 0;
}

/* Has the kind's map of the child been written (by a helper that said it did)? */
static bool map_written(const struct nsu_child *child, enum nsu_id_kind kind)
{
	const char *name = kind == NSU_UID ? "uid_map" : "gid_map";
	_cleanup_close_ int fd = -1;
	char path[64], c;

	if (child->procfd >= 0) {
		fd = openat(child->procfd, name, O_RDONLY | O_CLOEXEC);
	} else {
		snprintf(path, sizeof(path), "/proc/%ld/%s", (long)child->pid, name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return true; /* cannot tell: trust the helper */
	return read(fd, &c, 1) != 0;
}

/*
 * Does the helper take "fd:N", a descriptor of the target's /proc directory
 * (shadow-utils 4.14 and later)? Its usage text says so; older ones take a
 * pid only.
 */
static bool helper_takes_fd(const char *path)
{
	static const char mark[] = "fd:<pidfd>";
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char buf[65536 + sizeof(mark)];
	size_t keep = 0;
	ssize_t n;

	if (fd < 0)
		return false;
	/* At most 4 MiB: a helper is much smaller; anything bigger is not one. */
	for (int i = 0; i < 64 && (n = read(fd, buf + keep, sizeof(buf) - keep)) > 0; i++) {
		size_t have = keep + (size_t)n;

		if (memmem(buf, have, mark, sizeof(mark) - 1))
			return true;
		/* Keep the tail: the mark may straddle two reads. */
		keep = have < sizeof(mark) - 1 ? have : sizeof(mark) - 1;
		memmove(buf, buf + have - keep, keep);
	}
	return false;
}

/*
 * A helper named in a configuration file runs only if nobody but the caller
 * and root can have put it there; if not, the job says why (and falls back).
 */
static bool refused(struct nsu_map_job *job)
{
	struct nsu_err e;

	/* A missing one is explained as such when it fails to start. */
	if (!job->helper_origin || !*job->helper_origin || access(job->helper, F_OK) < 0 ||
	    nsu_path_trusted(job->helper, geteuid(), &e) == 0)
		return false;
	job->why = e;
	nsu_err_wrap(&job->why, "%s (set at %s) is not run", job->helper, job->helper_origin);
	job->failed = true;
	return true;
}

/*
 * Start the helper of @job. When the system is short of processes (EAGAIN,
 * often the other helper counting against RLIMIT_NPROC), schedule another
 * try a little later: 5, 10, 20... ms, the time for a process to end.
 */
static void start_job(struct helper_run *h, struct nsu_idmap_argv *a, const struct nsu_map_job *job,
		      const struct nsu_child *child)
{
	if (h->attempts++ == 0) {
		/* By descriptor where the helper takes one: it then cannot reach another process. */
		h->pass_fd = child->procfd >= 0 && helper_takes_fd(job->helper) ? child->procfd : -1;
		if (h->pass_fd >= 0)
			snprintf(h->target, sizeof(h->target), "fd:%d", h->pass_fd);
		else
			snprintf(h->target, sizeof(h->target), "%ld", (long)child->pid);
		nsu_idmap_argv(a, job->helper, h->target, job->map);
	}
	h->spawn_err = helper_spawn(h, a, job->helper, h->pass_fd);
	h->retry_at = 0;
	if (h->spawn_err == EAGAIN && h->attempts < SPAWN_ATTEMPTS)
		h->retry_at = nsu_now_ms() + (5 << (h->attempts - 1));
}

/* Why the helper of @job did not write its map. */
static void explain(struct nsu_map_job *job, int kind, const struct helper_run *h,
		    unsigned timeout_s)
{
	char out[512];
	struct nsu_fact f;

	last_line(h, out, sizeof(out));
	nsu_diag_helper_failure(&(struct nsu_helper_run){
		.path = job->helper, .origin = job->helper_origin,
		.usual = kind == NSU_GID ? NSU_NEWGIDMAP : NSU_NEWUIDMAP,
		.spawn_err = h->spawn_err, .timed_out = h->timed_out, .timeout_s = timeout_s,
		.status = h->status, .last_line = out }, &f);
	nsu_fail(&job->why, h->spawn_err ? h->spawn_err : EPERM, "%s", f.reason);
	job->failed = true;
}

int nsu_maps_write(const struct nsu_child *child, struct nsu_map_job jobs[2],
		   struct nsu_sigs *sigs, unsigned timeout_s, struct nsu_err *e)
{
	/* Up to 340 extents of argv each: too large for the stack. */
	static struct nsu_idmap_argv args[2];
	static struct helper_run run[2];
	int64_t deadline;
	bool fatal = false;

	/* Start both helpers before waiting for either: they run in parallel. */
	for (int k = 0; k < 2; k++) {
		jobs[k].fell_back = false;
		jobs[k].failed = false;
		run[k] = (struct helper_run){ .pid = -1, .err_fd = -1, .pass_fd = -1 };
		if (jobs[k].helper && !refused(&jobs[k]))
			start_job(&run[k], &args[k], &jobs[k], child);
	}

	/* Read their output and wait for their end, reacting to signals meanwhile. */
	deadline = nsu_now_ms() + (int64_t)timeout_s * 1000;
	while (run[0].pid > 0 || run[1].pid > 0 || run[0].retry_at || run[1].retry_at) {
		struct pollfd fds[2];
		int who[2], n = 0;
		int64_t now = nsu_now_ms(), until = deadline;

		for (int k = 0; k < 2; k++) {
			if (run[k].err_fd >= 0) {
				fds[n] = (struct pollfd){ .fd = run[k].err_fd, .events = POLLIN };
				who[n++] = k;
			}
			if (run[k].retry_at && run[k].retry_at < until)
				until = run[k].retry_at;
		}
		if (nsu_setup_wait(sigs, fds, (nfds_t)n, until > now ? (int)(until - now) : 0) ==
		    NSU_WAIT_FATAL) {
			fatal = true;
			break;
		}
		for (int i = 0; i < n; i++)
			if (fds[i].revents)
				helper_read(&run[who[i]]);
		now = nsu_now_ms();
		for (int k = 0; k < 2; k++) {
			if (run[k].pid > 0)
				helper_reap(&run[k], WNOHANG);
			if (run[k].retry_at && now >= run[k].retry_at)
				start_job(&run[k], &args[k], &jobs[k], child);
			if (run[k].pid > 0 && now >= deadline) {
				run[k].timed_out = true;
				helper_kill(&run[k]);
			}
		}
	}
	if (fatal) {
		/* Ending at once: no helper is left behind. */
		for (int k = 0; k < 2; k++)
			helper_kill(&run[k]);
		return nsu_fail(e, EINTR, "interrupted by signal %d", sigs->fatal);
	}

	for (int k = 0; k < 2; k++) {
		const struct helper_run *h = &run[k];

		if (!jobs[k].helper || jobs[k].failed)
			continue;
		if (!h->spawn_err && !h->timed_out && WIFEXITED(h->status) &&
		    WEXITSTATUS(h->status) == 0) {
			if (!map_written(child, (enum nsu_id_kind)k)) {
				nsu_fail(&jobs[k].why, EIO, "%s succeeded but wrote no map (is it "
					 "really newuidmap/newgidmap?)", jobs[k].helper);
				jobs[k].failed = true;
			}
			continue;
		}
		explain(&jobs[k], k, h, timeout_s);
	}

	for (int k = 0; k < 2; k++) {
		const struct nsu_idmap *map = jobs[k].map;
		bool deny = jobs[k].deny_setgroups;

		if (jobs[k].helper && !jobs[k].failed)
			continue; /* written by the helper */
		if (jobs[k].helper) {
			if (!jobs[k].fallback)
				return nsu_fail(e, EPERM, "cannot write the %s map: %s",
						nsu_kind_name[k], jobs[k].why.msg);
			map = jobs[k].fallback;
			deny = true;
			jobs[k].fell_back = true;
		}
		if (write_direct(child, (enum nsu_id_kind)k, map, deny, e) < 0)
			return -1;
	}
	return 0;
}
