/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsu: run a command as root in a new user and mount namespace, without
 * privileges of its own. This file decides; the other files do. It is the
 * only place that prints errors and chooses the exit status.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps.h"
#include "env.h"
#include "hints.h"
#include "idmap.h"
#include "log.h"
#include "mapwrite.h"
#include "mounts.h"
#include "options.h"
#include "report.h"
#include "signals.h"
#include "spawn.h"
#include "subids.h"

#define EXIT_NSU_FAILURE 125

extern char **environ;

static const char *const kind_name[2] = { "uid", "gid" };
static const char *const subid_file[2] = { "/etc/subuid", "/etc/subgid" };

/* Without a command: the user's shell ($SHELL, the passwd entry, /bin/sh). */
static char **shell_argv(const struct passwd *pw)
{
	static char *argv[2];
	const char *sh = getenv("SHELL");

	if (!sh || !*sh)
		sh = pw && pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh";
	argv[0] = (char *)sh;
	argv[1] = NULL;
	return argv;
}

/* Print what went wrong on the way to the command; the exit status for it. */
static int report_failure(struct nsu_report *rep, const char *detail)
{
	char msg[512];

	if (detail)
		snprintf(rep->detail, sizeof(rep->detail), "%s", detail);
	rep->detail[sizeof(rep->detail) - 1] = '\0';
	nsu_report_message(rep, msg, sizeof(msg));
	nsu_print("%s", msg);
	return nsu_report_exit_status(rep);
}

/* Root with CAP_SYS_ADMIN (real root, or nsu inside nsu): no new user namespace. */
static int run_privileged(char **cmd)
{
	int r = nsu_mounts_unshare();

	if (r < 0) {
		nsu_print("cannot create a private mount namespace: %s", strerror(-r));
		return EXIT_NSU_FAILURE;
	}
	nsu_info("already root with CAP_SYS_ADMIN: running in a new mount namespace only");
	execvp(cmd[0], cmd);
	return report_failure(&(struct nsu_report){ .stage = NSU_STAGE_EXEC,
						    .errnum = nsu_exec_error(cmd[0], errno) },
			      cmd[0]);
}

/**
 * plan_map() - the map for one kind of id
 * @job: receives the map and, for a single-ID map, the reason in job->why
 * @map: storage for the map
 * @kind: uid or gid
 * @owner: whose ranges to look up
 * @own: the caller's own id of that kind
 * @e: receives the message when no map can be made at all
 *
 * Return: 0, or -1 with @e filled.
 */
static int plan_map(struct nsu_map_job *job, struct nsu_idmap *map, enum nsu_id_kind kind,
		    const char *owner, uint32_t own, struct nsu_err *e)
{
	struct nsu_range *raw = NULL, *clean = NULL;
	struct nsu_norm_report rep;
	struct nsu_err lookup;
	size_t n = 0;
	int got, r;

	job->map = map;
	job->why[0] = '\0';
	map->n = 0;

	got = nsu_subids_get(owner, kind, &raw, &lookup);
	if (got < 0) {
		snprintf(job->why, sizeof(job->why), "%.500s", lookup.msg);
		got = 0;
	}
	r = nsu_ranges_normalize(raw, (size_t)got, own, &clean, &n, &rep);
	free(raw);
	if (r < 0)
		return nsu_fail(e, -r, "out of memory");
	if (rep.empty || rep.invalid || rep.clipped)
		nsu_info("%s of %s: ignored %u empty and %u out-of-range %s ranges, shortened %u",
			 subid_file[kind], owner, rep.empty, rep.invalid, kind_name[kind], rep.clipped);

	r = nsu_idmap_build(map, own, clean, n);
	free(clean);
	if (r == -E2BIG)
		return nsu_fail(e, E2BIG, "%s has too many separate ranges for %s: the kernel "
				"accepts at most %d lines (and 4 KiB) in a %s map; merge "
				"adjacent ranges in %s", subid_file[kind], owner,
				NSU_MAX_EXTENTS, kind_name[kind], subid_file[kind]);
	if (map->n == 1 && !job->why[0])
		snprintf(job->why, sizeof(job->why), "%s has no range in %s", owner, subid_file[kind]);
	return 0;
}

static void log_map(enum nsu_id_kind kind, const struct nsu_idmap *map)
{
	char text[NSU_MAP_WRITE_MAX + 1];

	if (nsu_verbosity < NSU_VERBOSE || nsu_idmap_format(map, text, sizeof(text)) < 0)
		return;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		nsu_info("%s map: %s", kind_name[kind], line);
}

/* One warning for whatever fell back to the single-ID map: what, why, the fix. */
static void warn_fallback(const struct nsu_map_job jobs[2], const char *owner,
			  uid_t uid, gid_t gid)
{
	static const char *const add_flag[2] = { "--add-subuids", "--add-subgids" };
	bool single[2], no_range[2];
	char what[80], why[1100], fix[256] = "";
	size_t off;

	for (int k = 0; k < 2; k++) {
		single[k] = !jobs[k].full;
		no_range[k] = single[k] && jobs[k].map->n == 1;
	}
	if (!single[NSU_UID] && !single[NSU_GID])
		return;

	if (single[NSU_UID] && single[NSU_GID])
		snprintf(what, sizeof(what), "uid %lu and gid %lu", (unsigned long)uid,
			 (unsigned long)gid);
	else if (single[NSU_UID])
		snprintf(what, sizeof(what), "uid %lu", (unsigned long)uid);
	else
		snprintf(what, sizeof(what), "gid %lu", (unsigned long)gid);

	if (no_range[NSU_UID] && no_range[NSU_GID] && !strcmp(jobs[NSU_UID].why, jobs[NSU_GID].why))
		snprintf(why, sizeof(why), "%s", jobs[NSU_UID].why);
	else if (no_range[NSU_UID] && no_range[NSU_GID])
		snprintf(why, sizeof(why), "%s has no subordinate ids in %s and %s", owner,
			 subid_file[NSU_UID], subid_file[NSU_GID]);
	else if (single[NSU_UID] && single[NSU_GID] && strcmp(jobs[NSU_UID].why, jobs[NSU_GID].why))
		snprintf(why, sizeof(why), "%.500s; %.500s", jobs[NSU_UID].why, jobs[NSU_GID].why);
	else
		snprintf(why, sizeof(why), "%.500s", jobs[single[NSU_UID] ? NSU_UID : NSU_GID].why);

	if (no_range[NSU_UID] || no_range[NSU_GID]) {
		off = (size_t)snprintf(fix, sizeof(fix), "; an administrator can add some with: usermod");
		for (int k = 0; k < 2; k++)
			if (no_range[k])
				off += (size_t)snprintf(fix + off, sizeof(fix) - off, " %s 100000-165535",
							add_flag[k]);
		snprintf(fix + off, sizeof(fix) - off, " %s (pick a range no other user has)", owner);
	}
	nsu_warn("warning: mapping only %s to 0%s: %s%s", what,
		 single[NSU_GID] ? " (setgroups denied)" : "", why, fix);
}

/* After the child is gone: report a failure it sent, or become its status. */
static int finish(int report_fd, int status)
{
	struct nsu_report rep;
	ssize_t n;

	do
		n = read(report_fd, &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(rep))
		return report_failure(&rep, NULL);
	nsu_exit_like(status);
}

static int run_in_userns(char **cmd, const struct passwd *pw)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char owner_buf[24];
	const char *owner;
	struct nsu_idmap maps[2];
	struct nsu_map_job jobs[2] = {
		{ .helper = NSU_NEWUIDMAP },
		{ .helper = NSU_NEWGIDMAP },
	};
	struct nsu_child child;
	struct nsu_err e;
	sigset_t orig;
	char **env;
	int sigfd, status;

	if (pw) {
		owner = pw->pw_name;
	} else {
		snprintf(owner_buf, sizeof(owner_buf), "%lu", (unsigned long)uid);
		owner = owner_buf;
	}

	env = nsu_env_build(environ, uid, gid);
	if (!env) {
		nsu_print("out of memory");
		return EXIT_NSU_FAILURE;
	}
	sigfd = nsu_signals_block(&orig, &e);
	if (sigfd < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	if (nsu_spawn_child(&child, CLONE_NEWUSER | CLONE_NEWNS, cmd, env, &orig, &e) < 0) {
		char hint[512];

		nsu_userns_hint(e.errnum, hint, sizeof(hint));
		nsu_print("cannot create a user namespace: %s", hint);
		return EXIT_NSU_FAILURE;
	}
	free(env);

	/* The child re-executes itself meanwhile; now work out its maps. */
	if (plan_map(&jobs[NSU_UID], &maps[NSU_UID], NSU_UID, owner, uid, &e) < 0 ||
	    plan_map(&jobs[NSU_GID], &maps[NSU_GID], NSU_GID, owner, gid, &e) < 0) {
		nsu_child_abort(&child);
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	log_map(NSU_UID, &maps[NSU_UID]);
	log_map(NSU_GID, &maps[NSU_GID]);

	if (nsu_maps_write(child.pid, jobs, &e) < 0) {
		nsu_child_abort(&child);
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	warn_fallback(jobs, owner, uid, gid);

	if (nsu_child_release(&child) < 0) {
		/* The child is gone already; its status says why. */
		nsu_info("the child ended before it could be released");
	}
	status = nsu_supervise(child.pid, sigfd);
	return finish(child.report_fd, status);
}

int main(int argc, char **argv)
{
	struct nsu_options o;
	struct passwd *pw;
	struct nsu_err e;
	char **cmd;

	if (nsu_refuse_privileged_binary(&e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	nsu_inner_stage(argv); /* returns only in the outer nsu */

	if (nsu_options_parse(&o, argc, argv, &e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	switch (o.action) {
	case NSU_ACTION_HELP:
		fputs(nsu_usage_text, stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
	case NSU_ACTION_VERSION:
		printf("nsu %s\n", PACKAGE_VERSION);
		return fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
	case NSU_ACTION_RUN:
		break;
	}
	nsu_verbosity = o.verbosity;

	pw = getpwuid(geteuid());
	cmd = o.command ? o.command : shell_argv(pw);

	if (nsu_is_privileged())
		return run_privileged(cmd);
	return run_in_userns(cmd, pw);
}
