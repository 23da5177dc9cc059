/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The user-namespace path: read the ranges, plan the maps, clone the child,
 * write its maps, release it and supervise the command (and the same steps
 * for --print-mappings and --check's trial).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env.h"
#include "hints.h"
#include "idmap.h"
#include "log.h"
#include "nsu.h"
#include "signals.h"
#include "spawn.h"
#include "subids.h"
#include "tty.h"

extern char **environ;

/* The --uidmap/--gidmap lines for @kind; without --gidmap, the --uidmap lines serve both. */
static const struct nsu_idmap *explicit_map(const struct nsu *n, int kind)
{
	if (kind == NSU_GID && n->o.gidmap)
		return n->o.gidmap;
	return n->o.uidmap ? n->o.uidmap : n->o.gidmap;
}

/**
 * plan_maps() - read the ranges and decide both maps
 * @n: the decisions so far
 * @in: receives what was found, per kind (ranges are malloc()ed)
 * @plan: receives the maps
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled.
 */
static int plan_maps(const struct nsu *n, struct nsu_plan_in in[2], struct nsu_plan_map plan[2],
		     struct nsu_err *e)
{
	static char lookup_error[2][600];
	const uint32_t own[2] = { n->uid, n->gid };

	/* Whatever fails below, both are safe to free. */
	memset(in, 0, 2 * sizeof(*in));
	for (int k = 0; k < 2; k++) {
		struct nsu_range *ranges = NULL;
		struct nsu_err le;
		int got = 0;

		in[k] = (struct nsu_plan_in){
			.own = own[k], .owner = n->owner[k], .file = nsu_subid_file[k],
			.kind = nsu_kind_name[k], .any_id = n->direct,
			.explicit_opt = k == NSU_GID && n->o.gidmap ? "--gidmap" :
					n->o.uidmap ? "--uidmap" : "--gidmap",
		};
		/* A single-ID map needs no ranges: do not even look. */
		if (explicit_map(n, k) ? !n->direct : n->remap || n->mode != NSU_MODE_SINGLE) {
			got = nsu_subids_get(n->owner[k], (enum nsu_id_kind)k, &ranges, &le);
			if (got < 0) {
				snprintf(lookup_error[k], sizeof(lookup_error[k]), "%.590s", le.msg);
				in[k].lookup_error = lookup_error[k];
				got = 0;
			}
		}
		in[k].ranges = ranges;
		in[k].n = (size_t)got;
		if (nsu_plan_map(&plan[k], &in[k], n->mode, explicit_map(n, k), n->remap, e) < 0) {
			if (k == NSU_GID && !n->o.gidmap && n->o.uidmap)
				snprintf(e->msg + strlen(e->msg), sizeof(e->msg) - strlen(e->msg),
					 " (the gid map repeats --uidmap when no --gidmap is given)");
			return -1;
		}
	}
	return 0;
}

static void free_plan_in(struct nsu_plan_in in[2])
{
	for (int k = 0; k < 2; k++)
		free((void *)in[k].ranges);
}

int nsu_print_mappings(const struct nsu *n)
{
	struct nsu_plan_in in[2];
	struct nsu_plan_map plan[2];
	struct nsu_err e;
	char what[700];

	if (plan_maps(n, in, plan, &e) < 0) {
		free_plan_in(in);
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	for (int k = 0; k < 2; k++) {
		nsu_warn_zero_cut(k, &plan[k], &in[k]);
		nsu_plan_describe(&plan[k], &in[k], what, sizeof(what));
		printf("%s map: %s\n", nsu_kind_name[k], what);
		nsu_print_map(stdout, &plan[k].map);
	}
	printf("command runs as uid %" PRIu32 " and gid %" PRIu32 " inside\n",
	       plan[NSU_UID].inside_self, plan[NSU_GID].inside_self);
	free_plan_in(in);
	return fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
}

/* After the child is gone: report a failure it sent, or become its status. */
static int finish(struct nsu_child *c, int status)
{
	struct nsu_report rep;

	if (nsu_child_read_report(c, &rep) == 1)
		return nsu_report_failure(&rep, NULL);
	nsu_exit_like(status);
}

/* Reap the child, which is gone or going. */
static int reap(pid_t pid)
{
	int status = 125 << 8;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* How each map gets written, from the plan. */
static void make_jobs(const struct nsu *n, const struct nsu_plan_map plan[2],
		      struct nsu_idmap fallback[2], struct nsu_map_job jobs[2])
{
	const char *helper[2] = { n->cfg.newuidmap, n->cfg.newgidmap };
	const char *origin[2] = { n->cfg.newuidmap_origin, n->cfg.newgidmap_origin };
	const uint32_t own[2] = { n->uid, n->gid };

	for (int k = 0; k < 2; k++) {
		const struct nsu_idmap *m = &plan[k].map;
		bool own_only = m->n == 1 && m->ext[0].outside == own[k] && m->ext[0].count == 1;

		jobs[k] = (struct nsu_map_job){ .map = m };
		if (n->direct) {
			/* Root may write any map itself; newuidmap would want root's ranges. */
			continue;
		}
		if (own_only) {
			/* The kernel lets us map our own id: no helper needed. */
			jobs[k].deny_setgroups = true;
			continue;
		}
		jobs[k].helper = helper[k];
		jobs[k].helper_origin = origin[k];
		if (plan[k].source != NSU_SRC_EXPLICIT) {
			nsu_idmap_single(&fallback[k], plan[k].inside_self, own[k]);
			jobs[k].fallback = &fallback[k];
		}
	}
}

/* A child in its new namespaces, with its maps written but not yet released. */
struct launch {
	struct nsu_child child;
	struct nsu_plan_in in[2];
	struct nsu_plan_map plan[2];
	struct nsu_idmap fallback[2];
	struct nsu_map_job jobs[2];
	struct nsu_report early;       /* the child's failure before its maps, if any */
	bool early_report;
};

enum launch_result {
	LAUNCH_OK = 0,       /* maps written, the child waits for its release */
	LAUNCH_EARLY = 1,    /* the child ended or failed before its maps (not reaped) */
	LAUNCH_FAILED = -1,  /* nsu failed: @e; no child left */
	LAUNCH_SIGNAL = -2,  /* a terminating signal ended the set-up: sigs->fatal; no child left */
};

/* Why clone() could not make the namespaces, with the setting that fixes it. */
static int clone_failed(struct nsu_err *e)
{
	char hint[512];

	switch (e->errnum) {
	case EPERM:
	case ENOSPC:
	case EUSERS:
	case EINVAL:
		nsu_userns_hint(e->errnum, hint, sizeof(hint));
		return nsu_fail(e, e->errnum, "cannot create a user namespace: %s", hint);
	default:
		return nsu_fail(e, e->errnum, "cannot create a user namespace: %s",
				strerror(e->errnum));
	}
}

/* Wait, acting on signals, until the inner stage runs and waits for its maps. */
static enum launch_result wait_ready(struct launch *l, struct nsu_sigs *sigs)
{
	struct pollfd pfd = { .fd = l->child.report_fd, .events = POLLIN };

	for (;;) {
		switch (nsu_setup_wait(sigs, &pfd, 1, -1)) {
		case NSU_WAIT_FATAL:
			return LAUNCH_SIGNAL;
		case NSU_WAIT_READY:
			switch (nsu_child_read_report(&l->child, &l->early)) {
			case 0:
				return LAUNCH_OK;
			case 1:
				l->early_report = true;
				return LAUNCH_EARLY;
			default:
				return LAUNCH_EARLY;
			}
		default:
			break; /* a child changed state: its end shows as end of file */
		}
	}
}

/**
 * launch() - clone the child for @n->cmd and write its maps
 * @n: the decisions
 * @l: receives the child and how its maps were made
 * @env: the command's environment
 * @sigs: the signals, taken; the command starts with sigs->orig as its mask
 * @e: receives the message on error
 *
 * Return: an enum launch_result.
 */
static enum launch_result launch(const struct nsu *n, struct launch *l, char **env,
				 struct nsu_sigs *sigs, struct nsu_err *e)
{
	struct nsu_child_spec spec;
	enum launch_result r;
	int64_t self[2];

	memset(l, 0, sizeof(*l));
	/* Whom the command runs as is known before any range is read. */
	for (int k = 0; k < 2; k++) {
		self[k] = n->remap ? 0 : nsu_plan_inside_self(n->mode, explicit_map(n, k),
							      k == NSU_UID ? n->uid : n->gid);
		if (self[k] < 0) {
			nsu_fail(e, EINVAL, "--%smap maps neither %s 0 nor your own %s "
				 "inside: there would be no %s to run the command as",
				 nsu_kind_name[k], nsu_kind_name[k], nsu_kind_name[k], nsu_kind_name[k]);
			return LAUNCH_FAILED;
		}
	}
	spec = (struct nsu_child_spec){
		.argv = n->cmd, .env = env, .mask = &sigs->orig, .chld_ignored = sigs->chld_ignored,
		.chdir = n->o.chdir, .uid = (uint32_t)self[NSU_UID], .gid = (uint32_t)self[NSU_GID],
		/* Where nsu writes the maps itself, the command holds only mapped ids. */
		.flags = n->direct ? NSU_INNER_DROP_GROUPS : 0,
	};
	switch (nsu_spawn_child(&l->child, CLONE_NEWUSER | CLONE_NEWNS, &spec, e)) {
	case 0:
		break;
	case -2:
		clone_failed(e);
		return LAUNCH_FAILED;
	default:
		return LAUNCH_FAILED;
	}
	sigs->child = l->child.pid;

	/* The child re-executes itself meanwhile; now work out its maps. */
	r = plan_maps(n, l->in, l->plan, e) < 0 ? LAUNCH_FAILED : wait_ready(l, sigs);
	if (r == LAUNCH_OK) {
		for (int k = 0; k < 2; k++)
			nsu_log_map(k, &l->plan[k], &l->in[k]);
		make_jobs(n, l->plan, l->fallback, l->jobs);
		if (nsu_maps_write(l->child.pid, l->jobs, sigs, n->cfg.helper_timeout, e) < 0)
			r = sigs->fatal ? LAUNCH_SIGNAL : LAUNCH_FAILED;
	}
	if (r != LAUNCH_OK) {
		free_plan_in(l->in);
		if (r != LAUNCH_EARLY)
			nsu_child_abort(&l->child);
		sigs->child = 0;
	}
	return r;
}

int nsu_run_in_userns(struct nsu *n)
{
	struct nsu_sigs sigs;
	struct nsu_tty tty;
	struct launch l;
	struct nsu_err e;
	char **env;
	int status;

	env = nsu_env_build(environ, n->cfg.containers_env, n->uid, n->gid, n->o.env_ops,
			    n->o.n_env_ops);
	if (!env) {
		nsu_print("out of memory");
		return EXIT_NSU_FAILURE;
	}
	if (nsu_signals_take(&sigs, &e) < 0) {
		nsu_env_free(env);
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	switch (launch(n, &l, env, &sigs, &e)) {
	case LAUNCH_OK:
		break;
	case LAUNCH_EARLY:
		/* Gone before it could run the command: say why, or end like it. */
		nsu_env_free(env);
		status = reap(l.child.pid);
		if (l.early_report)
			return nsu_report_failure(&l.early, NULL);
		nsu_exit_like(status);
	case LAUNCH_SIGNAL:
		nsu_die_of(sigs.fatal);
	default:
		nsu_env_free(env);
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	nsu_env_free(env);
	for (int k = 0; k < 2; k++)
		nsu_warn_zero_cut(k, &l.plan[k], &l.in[k]);
	nsu_warn_fallback(n, l.in, l.plan, l.jobs);
	free_plan_in(l.in);
	nsu_options_free(&n->o); /* not needed any more; nsu ends in exit() below */

	/* The terminal's foreground to the command before it starts, as a shell would. */
	nsu_tty_open(&tty, l.child.pid);
	nsu_tty_give(&tty);
	sigs.child = 0;
	if (nsu_child_release(&l.child) < 0)
		nsu_info("the child ended before it could be released");
	nsu_signals_pass_deferred(&sigs, l.child.pid);
	status = nsu_supervise(l.child.pid, &sigs, &tty);
	nsu_tty_close(&tty);
	return finish(&l.child, status);
}

/* --check's real trial: run "true" the way a command would run. */
enum nsu_trial nsu_trial(void *ctx, char *detail, size_t len)
{
	struct nsu *n = ctx;
	static char *true_argv[] = { "true", NULL };
	struct nsu_sigs sigs;
	struct launch l;
	struct nsu_err e;
	struct nsu_report rep;
	enum nsu_trial verdict = NSU_TRIAL_FAILED;
	char what[64];
	int status;

	if (nsu_signals_take(&sigs, &e) < 0) {
		snprintf(detail, len, "%s", e.msg);
		return NSU_TRIAL_FAILED;
	}
	n->cmd = true_argv;
	switch (launch(n, &l, environ, &sigs, &e)) {
	case LAUNCH_OK:
		break;
	case LAUNCH_EARLY:
		status = reap(l.child.pid);
		nsu_child_close(&l.child);
		if (l.early_report)
			nsu_report_message(&l.early, detail, len);
		else
			snprintf(detail, len, "the child ended early (%s)",
				 nsu_status_text(status, what, sizeof(what)));
		goto out;
	case LAUNCH_SIGNAL:
		nsu_die_of(sigs.fatal);
	default:
		snprintf(detail, len, "%s", e.msg);
		goto out;
	}
	free_plan_in(l.in);
	sigs.child = 0;
	nsu_child_release(&l.child);
	status = reap(l.child.pid);
	if (nsu_child_read_report(&l.child, &rep) == 1) {
		/* The reason the child gave, not just how it ended. */
		nsu_report_message(&rep, detail, len);
		nsu_child_close(&l.child);
		goto out;
	}
	nsu_child_close(&l.child);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(detail, len, "the command failed in the namespace (%s)",
			 nsu_status_text(status, what, sizeof(what)));
		goto out;
	}
	if (l.jobs[NSU_UID].fell_back || l.jobs[NSU_GID].fell_back ||
	    l.plan[NSU_UID].source == NSU_SRC_NO_RANGE || l.plan[NSU_GID].source == NSU_SRC_NO_RANGE) {
		const char *u = l.jobs[NSU_UID].fell_back ? l.jobs[NSU_UID].why : l.plan[NSU_UID].why;
		const char *g = l.jobs[NSU_GID].fell_back ? l.jobs[NSU_GID].why : l.plan[NSU_GID].why;

		if (!*u || !*g || !strcmp(u, g))
			snprintf(detail, len, "%s", *u ? u : g);
		else
			snprintf(detail, len, "%s; %s", u, g);
		verdict = NSU_TRIAL_SINGLE;
		goto out;
	}
	snprintf(detail, len, "%zu uid and %zu gid map lines written", l.plan[NSU_UID].map.n,
		 l.plan[NSU_GID].map.n);
	verdict = NSU_TRIAL_FULL;
out:
	nsu_signals_give_back(&sigs);
	return verdict;
}
