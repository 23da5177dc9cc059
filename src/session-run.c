/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "join.h"
#include "session-run.h"
#include "session.h"
#include "target.h"
#include "util.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* Every namespace kind a record can name, as clone() flags. */
static int kinds_of(const struct nsu_session_record *r)
{
	int flags = 0;

	for (int k = 0; k < NSU_NS_COUNT; k++)
		if (r->has[k])
			flags |= nsu_ns_info[k].flag;
	return flags;
}

/*
 * The live session @name: 1 with its record in @r and its holder in @t
 * (opened), 0 when there is none (no record, or its holder is gone: @stale
 * then says there was a record), -1 with @e filled.
 */
static int find_live(const struct nsu_session_dir *d, const char *name,
		     struct nsu_session_record *r, struct nsu_target *t, bool *stale,
		     struct nsu_err *e)
{
	struct nsu_err ignored;
	int got = nsu_session_read(d, name, r, e);

	*stale = false;
	if (got <= 0)
		return got;
	if (nsu_target_open(t, r->pid, nsu_record_kinds(r), &ignored) == 0) {
		if (nsu_target_matches(t, r))
			return 1;
		nsu_target_close(t);
	}
	*stale = true;
	return 0;
}

/* The record of the holder @h of session @name, from what /proc shows of it. */
static int record_holder(const struct nsu_session_call *c, const struct nsu_hold *h,
			 struct nsu_target *t, struct nsu_session_record *r, struct nsu_err *e)
{
	int made = CLONE_NEWNS | c->req->iso->ns | (c->req->userns ? CLONE_NEWUSER : 0);

	if (nsu_target_open(t, h->pid, made, e) < 0)
		return nsu_err_wrap(e, "session %s: its holder", c->name);
	*r = (struct nsu_session_record){ .pid = h->pid, .start = t->start, .uid = h->uid,
					  .gid = h->gid, .flags = h->drop_groups };
	for (int k = 0; k < NSU_NS_COUNT; k++) {
		r->has[k] = made & nsu_ns_info[k].flag;
		if (r->has[k])
			r->ns[k] = t->ns[k];
	}
	snprintf(r->shape, sizeof(r->shape), "%s", c->shape);
	return 0;
}

/* Make session @c->name under its lock, unless a racing call has made it meanwhile. */
static int make(const struct nsu_session_call *c, const struct nsu_session_dir *d,
		struct nsu_session_record *r, struct nsu_target *t, struct nsu_sigs *sigs,
		bool *made, struct nsu_outcome *out)
{
	_cleanup_close_ int lock = nsu_session_lock(d, c->name, &out->err);
	char path[PATH_MAX + 80];
	struct nsu_run_req req;
	struct nsu_hold h;
	bool stale;
	int got;

	*made = false;
	if (lock < 0)
		return -1;
	got = find_live(d, c->name, r, t, &stale, &out->err);
	if (got != 0)
		return got < 0 ? -1 : 0;
	if (stale)
		nsu_info("session %s: its holder (pid %ld) is gone: making it anew", c->name,
			 (long)r->pid);
	nsu_session_remove(d, c->name);
	nsu_session_path(d, c->name, path, sizeof(path));
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		nsu_fail(&out->err, errno, "cannot make %s: %s", path, strerror(errno));
		return -1;
	}
	req = *c->req;
	req.hold_dir = path;
	if (c->name_maker)
		c->name_maker(c->ctx, &req);
	if (nsu_run_hold(&req, &h, sigs, out) < 0) {
		nsu_session_remove(d, c->name);
		return -1;
	}
	*made = true;
	out->kind = NSU_OUTCOME_ERROR;
	if (record_holder(c, &h, t, r, &out->err) < 0 ||
	    nsu_session_write(d, c->name, r, &out->err) < 0) {
		kill(h.pid, SIGKILL);
		nsu_session_remove(d, c->name);
		return -1;
	}
	nsu_info("session %s: made, held by pid %ld", c->name, (long)h.pid);
	return 0;
}

void nsu_session_run(const struct nsu_session_call *c, struct nsu_outcome *out)
{
	const struct nsu_run_req *q = c->req;
	struct nsu_session_record r;
	struct nsu_session_dir d;
	struct nsu_target t = { .pidfd = -1, .procfd = -1 };
	struct nsu_sigs sigs;
	bool stale, made = false;
	int got;

	memset(out, 0, sizeof(*out));
	out->kind = NSU_OUTCOME_ERROR;
	if (nsu_session_dir_open(&d, q->uid, c->runtime_dir, true, &out->err) < 0)
		return;
	got = find_live(&d, c->name, &r, &t, &stale, &out->err);
	if (got < 0 || (got == 0 && make(c, &d, &r, &t, &sigs, &made, out) < 0))
		return;
	if (!made && c->shape_given && strcmp(r.shape, c->shape) != 0) {
		char was[NSU_SHAPE_MAX], asked[NSU_SHAPE_MAX];

		nsu_shape_show(r.shape, was, sizeof(was));
		nsu_shape_show(c->shape, asked, sizeof(asked));
		nsu_fail(&out->err, EEXIST, "session %s was made with '%s' and this call asks for "
			 "'%s': what shapes a session's namespaces is fixed when it is made; stop "
			 "it first (nsu --session-stop %s) to make it anew", c->name, was, asked,
			 c->name);
		nsu_target_close(&t);
		return;
	}
	{
		struct nsu_join_req j = {
			.t = &t, .ns = nsu_join_differing(&t, kinds_of(&r)),
			.id = { .uid = r.uid, .gid = r.gid, .drop_groups = r.flags & 1 },
			.iso = q->iso, .parent = q->parent, .chdir = q->chdir,
			.containers_env = q->containers_env, .outer_uid = q->uid,
			.outer_gid = q->gid, .env_ops = q->env_ops, .n_env_ops = q->n_env_ops,
			.cmd = q->cmd, .sigs = made ? &sigs : NULL,
		};

		/*
		 * The call that made the session runs the command as a child: the
		 * holder is its child and must not become the command's. So does a
		 * session with a pid namespace, which applies only to children,
		 * and a command with a session or group of its own.
		 */
		if (made || nsu_join_needs_child(&j))
			nsu_join_run(&j, out);
		else
			nsu_join_exec(&j, out);
	}
	nsu_target_close(&t);
}

int nsu_session_stop(const char *name, const char *runtime_dir, struct nsu_err *e)
{
	_cleanup_close_ int lock = -1;
	struct nsu_session_record r;
	struct nsu_session_dir d;
	struct nsu_target t;
	bool stale;
	int got;

	if (nsu_session_dir_open(&d, geteuid(), runtime_dir, false, e) < 0) {
		if (e->errnum == ENOENT)
			return nsu_fail(e, ENOENT, "no session named %s (nsu --session-list lists "
					"yours)", name);
		return -1;
	}
	lock = nsu_session_lock(&d, name, e);
	if (lock < 0)
		return -1;
	got = find_live(&d, name, &r, &t, &stale, e);
	if (got < 0)
		return -1;
	if (got == 0) {
		nsu_session_remove(&d, name);
		if (stale)
			return 0; /* its holder is gone already: only the record was left */
		return nsu_fail(e, ENOENT, "no session named %s (nsu --session-list lists yours)",
				name);
	}
	/* The holder, and with it (as the init of a pid namespace) all that runs there. */
	if (t.pidfd < 0 || syscall(SYS_pidfd_send_signal, t.pidfd, SIGKILL, NULL, 0) < 0)
		kill(t.pid, SIGKILL);
	for (int i = 0; i < 500 && nsu_target_alive(&t); i++)
		usleep(10000);
	nsu_target_close(&t);
	nsu_session_remove(&d, name);
	nsu_info("session %s: stopped", name);
	return 0;
}

/* "0:61001:1,1:100000:65536" from /proc/PID/{uid,gid}_map. */
static void map_summary(int procfd, const char *file, char *out, size_t len)
{
	char buf[4096];
	_cleanup_close_ int fd = openat(procfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	size_t used = 0;

	out[0] = '\0';
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *l = strtok(buf, "\n"); l && used < len; l = strtok(NULL, "\n")) {
		unsigned long a, b, c;

		if (sscanf(l, "%lu %lu %lu", &a, &b, &c) == 3)
			used += (size_t)snprintf(out + used, len - used, "%s%lu:%lu:%lu",
						 used ? "," : "", a, b, c);
	}
}

/* How long ago a process started at @start clock ticks after boot ("3m20s"). */
static void age(unsigned long long start, char *out, size_t len)
{
	long hz = sysconf(_SC_CLK_TCK);
	double up = 0;
	FILE *f = fopen("/proc/uptime", "re");
	unsigned long long s;

	if (f) {
		if (fscanf(f, "%lf", &up) != 1)
			up = 0;
		fclose(f);
	}
	s = up > (double)start / (double)(hz > 0 ? hz : 100) ?
		    (unsigned long long)(up - (double)start / (double)(hz > 0 ? hz : 100)) : 0;
	if (s < 60)
		snprintf(out, len, "%llus", s);
	else if (s < 3600)
		snprintf(out, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, len, "%lluh%02llum", s / 3600, s / 60 % 60);
	else
		snprintf(out, len, "%llud%02lluh", s / 86400, s / 3600 % 24);
}

int nsu_session_list(const char *runtime_dir, struct nsu_err *e)
{
	struct nsu_session_dir d;
	struct dirent *de;
	DIR *dir;

	printf("%-20s %8s %8s  %-30s %-30s %s\n", "NAME", "PID", "AGE", "UID MAP", "GID MAP",
	       "NAMESPACES");
	if (nsu_session_dir_open(&d, geteuid(), runtime_dir, false, e) < 0) {
		if (e->errnum != ENOENT)
			return -1;
		/* No session was ever made. */
		return fflush(stdout) == 0 ? 0 : nsu_fail(e, errno, "cannot write the list: %s",
							  strerror(errno));
	}
	dir = opendir(d.path);
	if (!dir)
		return nsu_fail(e, errno, "cannot read %s: %s", d.path, strerror(errno));
	while ((de = readdir(dir))) {
		char when[32], uids[256], gids[256], names[64] = "";
		struct nsu_session_record r;
		struct nsu_target t;
		struct nsu_err ignored;
		size_t used = 0;
		bool stale;

		if (de->d_name[0] == '.' || !nsu_session_name_valid(de->d_name) ||
		    find_live(&d, de->d_name, &r, &t, &stale, &ignored) != 1)
			continue;
		for (int k = 0; k < NSU_NS_COUNT; k++)
			if (r.has[k])
				used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
							 used ? "," : "", nsu_ns_info[k].name);
		age(r.start, when, sizeof(when));
		map_summary(t.procfd, "uid_map", uids, sizeof(uids));
		map_summary(t.procfd, "gid_map", gids, sizeof(gids));
		printf("%-20s %8ld %8s  %-30s %-30s %s\n", de->d_name, (long)r.pid, when, uids,
		       gids, names);
		nsu_target_close(&t);
	}
	closedir(dir);
	if (fflush(stdout) != 0)
		return nsu_fail(e, errno, "cannot write the list: %s", strerror(errno));
	return 0;
}

/* Is @id (0) mapped inside the user namespace of @t (its FILE, uid_map or gid_map)? */
static bool zero_mapped(const struct nsu_target *t, const char *file)
{
	char buf[4096];
	_cleanup_close_ int fd = openat(t->procfd, file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		unsigned long a, b, c;

		if (sscanf(l, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && c > 0)
			return true;
	}
	return false;
}

void nsu_join_pid(pid_t pid, const struct nsu_run_req *q, struct nsu_outcome *out)
{
	struct nsu_target t;
	struct nsu_join_req j = {
		.t = &t, .iso = q->iso, .parent = q->parent, .chdir = q->chdir,
		.containers_env = q->containers_env, .outer_uid = q->uid, .outer_gid = q->gid,
		.env_ops = q->env_ops, .n_env_ops = q->n_env_ops, .cmd = q->cmd,
		.id = { .keep = true },
	};
	int all = 0;

	memset(out, 0, sizeof(*out));
	out->kind = NSU_OUTCOME_ERROR;
	if (nsu_target_open(&t, pid, NSU_NS_ALL, &out->err) < 0) {
		nsu_err_wrap(&out->err, "--join");
		return;
	}
	for (int k = 0; k < NSU_NS_COUNT; k++)
		all |= nsu_ns_info[k].flag;
	j.ns = nsu_join_differing(&t, all);
	if (!j.ns) {
		nsu_fail(&out->err, EINVAL, "--join: process %ld is in nsu's own namespaces: "
			 "there is nothing to join", (long)pid);
		nsu_target_close(&t);
		return;
	}
	/* In its user namespace, root there if root is mapped (as nsenter does). */
	if ((j.ns & CLONE_NEWUSER) && zero_mapped(&t, "uid_map") && zero_mapped(&t, "gid_map"))
		j.id = (struct nsu_identity){ .uid = 0, .gid = 0 };
	if (nsu_join_needs_child(&j))
		nsu_join_run(&j, out);
	else
		nsu_join_exec(&j, out);
	nsu_target_close(&t);
}
