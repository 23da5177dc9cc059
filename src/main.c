/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsu: run a command as root in a new user and mount namespace, without
 * privileges of its own. This file decides; the other files do. It is the
 * only place that prints errors and chooses the exit status.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "check.h"
#include "conf.h"
#include "env.h"
#include "hints.h"
#include "idmap.h"
#include "log.h"
#include "mapwrite.h"
#include "mounts.h"
#include "options.h"
#include "plan.h"
#include "report.h"
#include "signals.h"
#include "spawn.h"
#include "subids.h"

#define EXIT_NSU_FAILURE 125

extern char **environ;

static const char *const kind_name[2] = { "uid", "gid" };
static const char *const subid_file[2] = { "/etc/subuid", "/etc/subgid" };

/* Everything decided before anything runs. */
struct nsu {
	struct nsu_options o;
	struct nsu_config cfg;
	enum nsu_map_mode mode;
	uid_t uid;                  /* the caller, outside */
	gid_t gid;
	struct passwd *pw;          /* its passwd entry, or NULL */
	char owner[2][256];         /* whose uid and gid ranges to use */
	bool remap;                 /* root with --remap */
	bool direct;                /* privileged: nsu writes any map itself, no helpers */
	char **cmd;
};

/* Warnings of one file, printed only if the file as a whole is valid. */
struct warnings {
	char text[4096];
	size_t used;
};

static void config_warning(void *ctx, const char *msg)
{
	struct warnings *w = ctx;
	int k = snprintf(w->text + w->used, sizeof(w->text) - w->used, "%s\n", msg);

	if (k > 0 && w->used + (size_t)k < sizeof(w->text))
		w->used += (size_t)k;
}

static void print_warnings(const struct warnings *w)
{
	char copy[sizeof(w->text)];

	memcpy(copy, w->text, w->used);
	copy[w->used] = '\0';
	for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n"))
		nsu_warn("warning: %s", l);
}

static int load_config(struct nsu_config *cfg, struct nsu_err *e)
{
	char *paths[3];
	size_t n = nsu_config_paths(SYSCONFDIR "/nsu.conf", getenv("XDG_CONFIG_HOME"),
				    getenv("HOME"), getenv("NSU_CONFIG"), paths);
	int r = 0;

	nsu_config_defaults(cfg);
	for (size_t i = 0; i < n; i++) {
		if (r == 0) {
			struct warnings w = { .used = 0 };
			int got = nsu_config_load_file(cfg, paths[i], config_warning, &w, e);

			if (got < 0) {
				r = -1;
			} else {
				print_warnings(&w);
				nsu_info("configuration %s: %s", paths[i], got ? "read" : "not present");
				/* A file named on purpose should exist. */
				if (!got && i == n - 1 && getenv("NSU_CONFIG") && *getenv("NSU_CONFIG"))
					nsu_warn("warning: NSU_CONFIG names %s, which nsu cannot see "
						 "(missing, or a directory on its way is closed)", paths[i]);
			}
		}
		free(paths[i]);
	}
	return r;
}

/* Without a command: the configured shell, $SHELL, the passwd entry's, /bin/sh. */
static char **shell_argv(const struct nsu *n)
{
	static char *argv[2];
	const char *sh = n->cfg.shell[0] ? n->cfg.shell : getenv("SHELL");

	if (!sh || !*sh)
		sh = n->pw && n->pw->pw_shell && *n->pw->pw_shell ? n->pw->pw_shell : "/bin/sh";
	argv[0] = (char *)sh;
	argv[1] = NULL;
	return argv;
}

/* Print what went wrong on the way to the command; the exit status for it. */
static int report_failure(struct nsu_report *rep, const char *detail)
{
	char msg[600];

	if (detail)
		snprintf(rep->detail, sizeof(rep->detail), "%s", detail);
	rep->detail[sizeof(rep->detail) - 1] = '\0';
	nsu_report_message(rep, msg, sizeof(msg));
	nsu_print("%s", msg);
	return nsu_report_exit_status(rep);
}

/* Root with CAP_SYS_ADMIN (real root, or nsu inside nsu): no new user namespace. */
static int run_privileged(struct nsu *n)
{
	char **env;
	int r = nsu_mounts_unshare();

	if (r < 0) {
		nsu_print("cannot create a private mount namespace: %s", strerror(-r));
		return EXIT_NSU_FAILURE;
	}
	nsu_info("already root with CAP_SYS_ADMIN: running in a new mount namespace only");
	if (n->o.chdir && chdir(n->o.chdir) < 0)
		return report_failure(&(struct nsu_report){ .stage = NSU_STAGE_CHDIR, .errnum = errno },
				      n->o.chdir);
	/* No containers variables: this is not a rootless namespace. */
	env = nsu_env_build(environ, false, 0, 0, n->o.env_ops, n->o.n_env_ops);
	if (!env) {
		nsu_print("out of memory");
		return EXIT_NSU_FAILURE;
	}
	execvpe(n->cmd[0], n->cmd, env);
	r = nsu_exec_error(n->cmd[0], errno);
	nsu_env_free(env);
	return report_failure(&(struct nsu_report){ .stage = NSU_STAGE_EXEC, .errnum = r },
			      n->cmd[0]);
}

/* The user and group whose ranges root maps with --remap USER[:GROUP]. */
static int resolve_remap(struct nsu *n, struct nsu_err *e)
{
	const char *user = n->o.remap_user, *group = n->o.remap_group;
	struct passwd *pw;
	char *end;

	if (n->uid != 0)
		return nsu_fail(e, EPERM, "--remap is for root: as %s, nsu maps your own "
				"subordinate ranges (see /etc/subuid)", n->owner[NSU_UID]);
	errno = 0;
	unsigned long id = strtoul(user, &end, 10);
	bool numeric = *end == '\0' && errno == 0 && user[0] >= '0' && user[0] <= '9';

	pw = numeric ? (id <= NSU_ID_MAX ? getpwuid((uid_t)id) : NULL) : getpwnam(user);
	if (!pw && !numeric)
		return nsu_fail(e, ENOENT, "--remap: no user named '%s'", user);
	if ((pw && pw->pw_uid == 0) || (numeric && id == 0))
		return nsu_fail(e, EINVAL, "--remap: root cannot be remapped to itself; name the "
				"user whose subordinate ranges to use (e.g. --remap builder)");
	snprintf(n->owner[NSU_UID], sizeof(n->owner[0]), "%s", pw ? pw->pw_name : user);
	if (group) {
		struct group *gr;

		errno = 0;
		id = strtoul(group, &end, 10);
		numeric = *end == '\0' && errno == 0 && group[0] >= '0' && group[0] <= '9';
		gr = numeric ? (id <= NSU_ID_MAX ? getgrgid((gid_t)id) : NULL) : getgrnam(group);
		if (!gr && !numeric)
			return nsu_fail(e, ENOENT, "--remap: no group named '%s'", group);
		snprintf(n->owner[NSU_GID], sizeof(n->owner[0]), "%s", gr ? gr->gr_name : group);
	} else {
		snprintf(n->owner[NSU_GID], sizeof(n->owner[0]), "%s", n->owner[NSU_UID]);
	}
	n->remap = true;
	return 0;
}

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

	for (int k = 0; k < 2; k++) {
		struct nsu_range *ranges = NULL;
		struct nsu_err le;
		int got = 0;

		in[k] = (struct nsu_plan_in){
			.own = own[k], .owner = n->owner[k], .file = subid_file[k],
			.kind = kind_name[k], .any_id = n->direct,
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

static void print_map(FILE *f, const struct nsu_idmap *map)
{
	for (size_t i = 0; i < map->n; i++)
		fprintf(f, "%10" PRIu32 " %10" PRIu32 " %10" PRIu32 "\n", map->ext[i].inside,
			map->ext[i].outside, map->ext[i].count);
}

static int print_mappings(const struct nsu *n)
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
		nsu_plan_describe(&plan[k], &in[k], what, sizeof(what));
		printf("%s map: %s\n", kind_name[k], what);
		print_map(stdout, &plan[k].map);
	}
	printf("command runs as uid %" PRIu32 " and gid %" PRIu32 " inside\n",
	       plan[NSU_UID].inside_self, plan[NSU_GID].inside_self);
	free_plan_in(in);
	return fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
}

static void log_map(int kind, const struct nsu_plan_map *p, const struct nsu_plan_in *in)
{
	char what[700];

	if (nsu_verbosity < NSU_VERBOSE)
		return;
	nsu_plan_describe(p, in, what, sizeof(what));
	nsu_info("%s map: %s", kind_name[kind], what);
	for (size_t i = 0; i < p->map.n; i++)
		nsu_info("%s map: %" PRIu32 " %" PRIu32 " %" PRIu32, kind_name[kind],
			 p->map.ext[i].inside, p->map.ext[i].outside, p->map.ext[i].count);
}

/* One warning for whatever fell back to a single-ID map: what, why, the fix. */
static void warn_fallback(const struct nsu *n, const struct nsu_plan_in in[2],
			  const struct nsu_plan_map plan[2], const struct nsu_map_job jobs[2])
{
	static const char *const add_flag[2] = { "--add-subuids", "--add-subgids" };
	const unsigned long own[2] = { (unsigned long)n->uid, (unsigned long)n->gid };
	const char *why[2];
	bool no_range[2];
	char what[80], text[1100], fix[600] = "";
	size_t off;

	for (int k = 0; k < 2; k++) {
		no_range[k] = plan[k].source == NSU_SRC_NO_RANGE && !in[k].lookup_error;
		why[k] = jobs[k].fell_back ? jobs[k].why :
			 plan[k].source == NSU_SRC_NO_RANGE ? plan[k].why : NULL;
	}
	if (!why[NSU_UID] && !why[NSU_GID])
		return;
	nsu_info("single-ID map for %s%s%s", why[NSU_UID] ? "uids" : "",
		 why[NSU_UID] && why[NSU_GID] ? " and " : "", why[NSU_GID] ? "gids" : "");
	if (!n->cfg.warn_fallback && nsu_verbosity < NSU_VERBOSE)
		return;

	if (why[NSU_UID] && why[NSU_GID])
		snprintf(what, sizeof(what), "uid %lu and gid %lu", own[NSU_UID], own[NSU_GID]);
	else
		snprintf(what, sizeof(what), "%s %lu", why[NSU_UID] ? "uid" : "gid",
			 own[why[NSU_UID] ? NSU_UID : NSU_GID]);

	if (no_range[NSU_UID] && no_range[NSU_GID])
		snprintf(text, sizeof(text), "%s has no subordinate ids in %s and %s",
			 n->owner[NSU_UID], subid_file[NSU_UID], subid_file[NSU_GID]);
	else if (why[NSU_UID] && why[NSU_GID] && strcmp(why[NSU_UID], why[NSU_GID]))
		snprintf(text, sizeof(text), "%.500s; %.500s", why[NSU_UID], why[NSU_GID]);
	else
		snprintf(text, sizeof(text), "%.500s", why[NSU_UID] ? why[NSU_UID] : why[NSU_GID]);

	if ((no_range[NSU_UID] || no_range[NSU_GID]) && !n->pw) {
		/* Neither usermod nor newuidmap/newgidmap work for a uid without a name. */
		snprintf(fix, sizeof(fix), "; uid %lu has no user name, and newuidmap and "
			 "newgidmap need one: an administrator can create the user (useradd) and "
			 "give it ranges (usermod --add-subuids, --add-subgids)", own[NSU_UID]);
	} else if (no_range[NSU_UID] || no_range[NSU_GID]) {
		off = (size_t)snprintf(fix, sizeof(fix), "; an administrator can add some with: usermod");
		for (int k = 0; k < 2; k++)
			if (no_range[k])
				off += (size_t)snprintf(fix + off, sizeof(fix) - off, " %s FIRST-LAST",
							add_flag[k]);
		snprintf(fix + off, sizeof(fix) - off, " %s, with 65536 ids that no other user has",
			 n->owner[NSU_UID]);
	}
	nsu_warn("warning: mapping only %s%s: %s%s (chown to other ids fails inside; --single "
		 "or -q silences this)", what, why[NSU_GID] ? " (setgroups denied)" : "", text, fix);
}

/* After the child is gone: report a failure it sent, or become its status. */
static int finish(int report_fd, int status)
{
	struct nsu_report rep;
	ssize_t got;

	do
		got = read(report_fd, &rep, sizeof(rep));
	while (got < 0 && errno == EINTR);
	if (got == (ssize_t)sizeof(rep))
		return report_failure(&rep, NULL);
	nsu_exit_like(status);
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

/**
 * launch() - clone the child for @n->cmd and write its maps
 * @n: the decisions
 * @l: receives the child and how its maps were made
 * @env: the command's environment
 * @mask: the signal mask the command starts with
 * @e: receives the message on error
 *
 * Return: 0; 1 when the child ended or failed before its maps were written
 * (l->early_report says whether it sent a report; the child is not reaped);
 * or -1 with @e filled (and no child left).
 */
static int launch(const struct nsu *n, struct launch *l, char **env, const sigset_t *mask,
		  struct nsu_err *e)
{
	struct nsu_child_spec spec;
	int64_t self[2];

	memset(l, 0, sizeof(*l));
	/* Whom the command runs as is known before any range is read. */
	for (int k = 0; k < 2; k++) {
		self[k] = n->remap ? 0 : nsu_plan_inside_self(n->mode, explicit_map(n, k),
							      k == NSU_UID ? n->uid : n->gid);
		if (self[k] < 0)
			return nsu_fail(e, EINVAL, "--%smap maps neither %s 0 nor your own %s "
					"inside: there would be no %s to run the command as",
					kind_name[k], kind_name[k], kind_name[k], kind_name[k]);
	}
	spec = (struct nsu_child_spec){ .argv = n->cmd, .env = env, .mask = mask,
					.chdir = n->o.chdir, .uid = (uint32_t)self[NSU_UID],
					.gid = (uint32_t)self[NSU_GID] };
	if (nsu_spawn_child(&l->child, CLONE_NEWUSER | CLONE_NEWNS, &spec, e) < 0) {
		char hint[512];

		nsu_userns_hint(e->errnum, hint, sizeof(hint));
		return nsu_fail(e, e->errnum, "cannot create a user namespace: %s", hint);
	}

	/* The child re-executes itself meanwhile; now work out its maps. */
	if (plan_maps(n, l->in, l->plan, e) < 0)
		goto fail;
	switch (nsu_child_wait_ready(&l->child, &l->early)) {
	case 0:
		break;
	case 1:
		l->early_report = true;
		/* fall through */
	default:
		free_plan_in(l->in);
		return 1;
	}
	log_map(NSU_UID, &l->plan[NSU_UID], &l->in[NSU_UID]);
	log_map(NSU_GID, &l->plan[NSU_GID], &l->in[NSU_GID]);
	make_jobs(n, l->plan, l->fallback, l->jobs);
	if (nsu_maps_write(l->child.pid, l->jobs, e) < 0)
		goto fail;
	return 0;

fail:
	free_plan_in(l->in);
	nsu_child_abort(&l->child);
	return -1;
}

static int run_in_userns(struct nsu *n)
{
	struct launch l;
	struct nsu_err e;
	sigset_t orig;
	char **env;
	int sigfd, status, r;

	env = nsu_env_build(environ, n->cfg.containers_env, n->uid, n->gid, n->o.env_ops,
			    n->o.n_env_ops);
	if (!env) {
		nsu_print("out of memory");
		return EXIT_NSU_FAILURE;
	}
	sigfd = nsu_signals_block(&orig, &e);
	if (sigfd < 0) {
		nsu_env_free(env);
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	r = launch(n, &l, env, &orig, &e);
	nsu_env_free(env);
	switch (r) {
	case 0:
		break;
	case 1:
		/* Gone before it could run the command: say why, or end like it. */
		while (waitpid(l.child.pid, &status, 0) < 0 && errno == EINTR)
			;
		if (l.early_report)
			return report_failure(&l.early, NULL);
		nsu_exit_like(status);
	default:
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	warn_fallback(n, l.in, l.plan, l.jobs);
	free_plan_in(l.in);
	nsu_options_free(&n->o); /* not needed any more; nsu ends in exit() below */

	if (nsu_child_release(&l.child) < 0)
		nsu_info("the child ended before it could be released");
	status = nsu_supervise(l.child.pid, sigfd);
	return finish(l.child.report_fd, status);
}

/* --check's real trial: run "true" the way a command would run. */
static enum nsu_trial trial(void *ctx, char *detail, size_t len)
{
	struct nsu *n = ctx;
	static char *true_argv[] = { "true", NULL };
	struct launch l;
	struct nsu_err e;
	sigset_t mask;
	int status;

	sigprocmask(SIG_SETMASK, NULL, &mask);
	n->cmd = true_argv;
	switch (launch(n, &l, environ, &mask, &e)) {
	case 0:
		break;
	case 1:
		while (waitpid(l.child.pid, &status, 0) < 0 && errno == EINTR)
			;
		close(l.child.report_fd);
		close(l.child.release_fd);
		if (l.early_report)
			nsu_report_message(&l.early, detail, len);
		else
			snprintf(detail, len, "the child ended early (wait status %d)", status);
		return NSU_TRIAL_FAILED;
	default:
		snprintf(detail, len, "%s", e.msg);
		return NSU_TRIAL_FAILED;
	}
	free_plan_in(l.in);
	nsu_child_release(&l.child);
	while (waitpid(l.child.pid, &status, 0) < 0 && errno == EINTR)
		;
	close(l.child.report_fd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(detail, len, "the command failed in the namespace (wait status %d)", status);
		return NSU_TRIAL_FAILED;
	}
	if (l.jobs[NSU_UID].fell_back || l.jobs[NSU_GID].fell_back ||
	    l.plan[NSU_UID].source == NSU_SRC_NO_RANGE || l.plan[NSU_GID].source == NSU_SRC_NO_RANGE) {
		const char *u = l.jobs[NSU_UID].fell_back ? l.jobs[NSU_UID].why : l.plan[NSU_UID].why;
		const char *g = l.jobs[NSU_GID].fell_back ? l.jobs[NSU_GID].why : l.plan[NSU_GID].why;

		if (!*u || !*g || !strcmp(u, g))
			snprintf(detail, len, "%s", *u ? u : g);
		else
			snprintf(detail, len, "%s; %s", u, g);
		return NSU_TRIAL_SINGLE;
	}
	snprintf(detail, len, "%zu uid and %zu gid map lines written", l.plan[NSU_UID].map.n,
		 l.plan[NSU_GID].map.n);
	return NSU_TRIAL_FULL;
}

/* Everything after the options: configuration, then the action asked for. */
static int dispatch(struct nsu *n)
{
	struct nsu_err e;

	nsu_verbosity = n->o.verbosity;
	if (load_config(&n->cfg, &e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	n->mode = n->o.mode != NSU_MODE_UNSET ? n->o.mode : n->cfg.mode;
	if (n->o.mode == NSU_MODE_SINGLE)
		n->cfg.warn_fallback = false; /* asked for: nothing to warn about */

	n->uid = geteuid();
	n->gid = getegid();
	n->pw = getpwuid(n->uid);
	if (n->pw)
		snprintf(n->owner[NSU_UID], sizeof(n->owner[0]), "%s", n->pw->pw_name);
	else
		snprintf(n->owner[NSU_UID], sizeof(n->owner[0]), "%lu", (unsigned long)n->uid);
	snprintf(n->owner[NSU_GID], sizeof(n->owner[0]), "%s", n->owner[NSU_UID]);

	if (n->o.action == NSU_ACTION_CHECK) {
		/* The check is of the automatic, full mapping, whatever else is asked. */
		nsu_options_free(&n->o);
		n->mode = NSU_MODE_AUTO;
		return nsu_check(&(struct nsu_check_in){
			.uid = n->uid, .gid = n->gid, .pw = n->pw, .owner = n->owner[NSU_UID],
			.newuidmap = n->cfg.newuidmap, .newgidmap = n->cfg.newgidmap,
			.newuidmap_origin = n->cfg.newuidmap_origin,
			.newgidmap_origin = n->cfg.newgidmap_origin,
			.privileged = nsu_is_privileged(), .trial = trial, .ctx = n });
	}

	if (n->o.remap_user && resolve_remap(n, &e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	n->cmd = n->o.command ? n->o.command : shell_argv(n);

	/*
	 * Root with CAP_SYS_ADMIN needs no user namespace, unless a mapping
	 * option asks for one: then it writes the maps itself.
	 */
	if (n->remap || (nsu_is_privileged() && (n->o.uidmap || n->o.gidmap ||
						 n->o.mode != NSU_MODE_UNSET)))
		n->direct = true;
	if (!n->direct && nsu_is_privileged()) {
		if (n->o.action == NSU_ACTION_PRINT_MAPPINGS) {
			printf("already root with CAP_SYS_ADMIN: no user namespace is made (only a "
			       "private mount namespace), the maps stay as they are\n");
			return fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
		}
		return run_privileged(n);
	}
	if (n->o.action == NSU_ACTION_PRINT_MAPPINGS)
		return print_mappings(n);
	return run_in_userns(n);
}

int main(int argc, char **argv)
{
	struct nsu n = { 0 };
	struct nsu_err e;
	int r;

	if (nsu_refuse_privileged_binary(&e) < 0) {
		/* Privileged by mistake: say so and leave, running nothing else. */
		nsu_print("%s", e.msg);
		_exit(EXIT_NSU_FAILURE);
	}
	nsu_inner_stage(argv); /* returns only in the outer nsu */

	if (nsu_options_parse(&n.o, argc, argv, &e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	switch (n.o.action) {
	case NSU_ACTION_HELP:
		fputs(nsu_usage_text, stdout);
		r = fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
		break;
	case NSU_ACTION_VERSION:
		printf("nsu %s\n", PACKAGE_VERSION);
		r = fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
		break;
	default:
		r = dispatch(&n);
		break;
	}
	nsu_options_free(&n.o);
	return r;
}
