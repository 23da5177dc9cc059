/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The decisions after the options: configuration, who the caller is, and
 * which action to take; the run path (run.c) acts. The run path returns
 * errors and outcomes: this file reports failures and chooses the exit
 * status, for nsu's main() and for libnsu's nsu_reexec().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include "caps.h"
#include "check.h"
#include "cli.h"
#include "conf.h"
#include "idmap.h"
#include "inner.h"
#include "log.h"
#include "options.h"
#include "procsetup.h"
#include "report.h"
#include "record.h"
#include "run.h"
#include "session-run.h"
#include "signals.h"
#include "spawn.h"
#include "subids.h"
#include "trust.h"
#include "util.h"

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
	const char *nsu_config = getenv("NSU_CONFIG");
	size_t n = nsu_config_paths(SYSCONFDIR "/nsu.conf", getenv("XDG_CONFIG_HOME"),
				    getenv("HOME"), nsu_config, paths);
	uid_t uid = geteuid();
	int r = 0;

	nsu_config_defaults(cfg);
	if (n == 0)
		return nsu_fail(e, ENOMEM, "out of memory listing the configuration files");
	for (size_t i = 0; i < n; i++) {
		if (r == 0) {
			struct warnings w = { .used = 0 };
			/* Every file but the system one comes from the environment. */
			enum nsu_config_load got = nsu_config_load_file(cfg, paths[i], uid, i > 0,
									config_warning, &w, e);

			switch (got) {
			case NSU_CONFIG_FAILED:
				r = -1;
				break;
			case NSU_CONFIG_IGNORED:
				nsu_warn("warning: %s", e->msg);
				nsu_info("configuration %s: ignored", paths[i]);
				break;
			case NSU_CONFIG_READ:
				print_warnings(&w);
				nsu_info("configuration %s: read", paths[i]);
				break;
			case NSU_CONFIG_ABSENT:
				nsu_info("configuration %s: not present", paths[i]);
				/* A file named on purpose should exist. */
				if (i == n - 1 && nsu_config && *nsu_config)
					nsu_warn("warning: NSU_CONFIG names %s, which nsu cannot see "
						 "(missing, or a directory on its way is closed)", paths[i]);
				break;
			}
		}
		free(paths[i]);
	}
	return r;
}

/*
 * Without a command: the configured shell, $SHELL, the passwd entry's,
 * /bin/sh. A configured shell runs only if nobody but the caller and root
 * can change it: a file root reads may still name a program in a directory
 * of somebody else.
 */
static int shell_argv(struct nsu *n, struct nsu_err *e)
{
	static char *argv[2];
	const char *sh = n->cfg.shell[0] ? n->cfg.shell : getenv("SHELL");

	if (n->cfg.shell[0]) {
		struct nsu_err why;

		if (nsu_path_trusted(n->cfg.shell, n->uid, &why) < 0)
			return nsu_fail(e, why.errnum, "cannot run the shell %s set at %s: %s",
					n->cfg.shell, n->cfg.shell_origin, why.msg);
	}
	if (!sh || !*sh)
		sh = n->pw && n->pw->pw_shell && *n->pw->pw_shell ? n->pw->pw_shell : "/bin/sh";
	argv[0] = (char *)sh;
	argv[1] = NULL;
	n->cmd = argv;
	return 0;
}

/* Print what went wrong on the way to the command; the exit status for it. */
static int report_failure(const struct nsu_report *rep)
{
	char msg[1400];

	nsu_report_message(rep, msg, sizeof(msg));
	nsu_print("%s", msg);
	return nsu_report_exit_status(rep);
}

/* Report how a run ended: exit like the command, or say what failed. */
static int finish(struct nsu_outcome *out)
{
	switch (out->kind) {
	case NSU_OUTCOME_STATUS:
		nsu_exit_like(out->status);
	case NSU_OUTCOME_REPORT:
		return report_failure(&out->report);
	default:
		nsu_print("%s", out->err.msg);
		return EXIT_NSU_FAILURE;
	}
}

/*
 * The caller's passwd entry, in storage of its own (@n->pw_buf): getpwuid()'s
 * result lives in a buffer that the next getpwuid() anywhere overwrites.
 * NULL when there is no entry (or it cannot be read).
 */
static struct passwd *lookup_self(struct nsu *n)
{
	long hint = sysconf(_SC_GETPW_R_SIZE_MAX);
	size_t len = hint > 0 ? (size_t)hint : 1024;
	struct passwd *found = NULL;

	for (;;) {
		char *buf = realloc(n->pw_buf, len);
		int r;

		if (!buf)
			return NULL;
		n->pw_buf = buf;
		r = getpwuid_r(n->uid, &n->pw_entry, buf, len, &found);
		if (r != ERANGE || len >= 1024 * 1024)
			return r == 0 ? found : NULL;
		len *= 2;
	}
}

/*
 * The caller as the owner of the ranges to map: its passwd name when
 * @look_up finds its entry (kept in @n->pw), else its uid.
 */
static void name_self(struct nsu *n, bool look_up)
{
	n->pw = look_up ? lookup_self(n) : NULL;
	if (n->pw)
		snprintf(n->owner[NSU_UID], sizeof(n->owner[0]), "%s", n->pw->pw_name);
	else
		snprintf(n->owner[NSU_UID], sizeof(n->owner[0]), "%lu", (unsigned long)n->uid);
	snprintf(n->owner[NSU_GID], sizeof(n->owner[0]), "%s", n->owner[NSU_UID]);
}

/* A session is to be made: the caller named now, for its ranges and messages. */
static void name_session_maker(void *ctx, struct nsu_run_req *r)
{
	struct nsu *n = ctx;

	if (!n->pw && !n->remap)
		name_self(n, true);
	r->named = n->pw != NULL;
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

/* What a run needs, from the decisions so far. */
static void make_request(const struct nsu *n, struct nsu_run_req *r)
{
	const struct nsu_idmap *given[2] = { n->o.uidmap, n->o.gidmap };
	static const char *const given_opt[2] = { "--uidmap", "--gidmap" };

	*r = (struct nsu_run_req){
		.uid = n->uid, .gid = n->gid, .named = n->pw != NULL,
		.owner = { n->owner[NSU_UID], n->owner[NSU_GID] }, .mode = n->mode,
		.remap = n->remap, .direct = n->direct,
		.helper = { n->cfg.newuidmap, n->cfg.newgidmap },
		.helper_origin = { n->cfg.newuidmap_origin, n->cfg.newgidmap_origin },
		.helper_timeout = n->cfg.helper_timeout, .warn_fallback = n->cfg.warn_fallback,
		.containers_env = n->cfg.containers_env, .userns = true, .iso = &n->o.iso,
		.parent = n->parent, .chdir = n->o.chdir, .exec_self = n->exec_self,
		.env_ops = n->o.env_ops, .n_env_ops = n->o.n_env_ops, .cmd = n->cmd,
	};
	/* Without --gidmap, the --uidmap lines serve both (and the other way round). */
	for (int k = 0; k < 2; k++) {
		int from = given[k] ? k : 1 - k;

		r->explicit_map[k] = given[from];
		r->explicit_opt[k] = given_opt[given[from] ? from : NSU_GID];
	}
}

/* --check: the checks print their lines; the verdict becomes the exit status. */
static int check(struct nsu *n)
{
	static const struct nsu_isolation none = { 0 };
	struct nsu_run_req r;

	/* The check is of the automatic, full mapping, whatever else is asked. */
	n->mode = NSU_MODE_AUTO;
	make_request(n, &r);
	r.explicit_map[NSU_UID] = r.explicit_map[NSU_GID] = NULL;
	r.env_ops = NULL;
	r.n_env_ops = 0;
	r.iso = &none;
	switch (nsu_check(&(struct nsu_check_in){
		.uid = n->uid, .gid = n->gid, .pw = n->pw, .owner = n->owner[NSU_UID],
		.newuidmap = n->cfg.newuidmap, .newgidmap = n->cfg.newgidmap,
		.newuidmap_origin = n->cfg.newuidmap_origin,
		.newgidmap_origin = n->cfg.newgidmap_origin,
		.privileged = nsu_is_privileged(), .trial = nsu_run_trial, .ctx = &r })) {
	case NSU_VERDICT_FULL:
		return 0;
	case NSU_VERDICT_SINGLE:
		return 1;
	default:
		return 2;
	}
}

/*
 * What the configuration turns on for every run, added to the options:
 * its mount-proc applies to the runs that have a pid namespace.
 */
static void apply_config_isolation(struct nsu_isolation *iso, const struct nsu_config *cfg)
{
	iso->ns |= cfg->ns;
	if (cfg->mount_proc && (iso->ns & CLONE_NEWPID))
		iso->mount_proc = true;
	iso->die_with_parent |= cfg->die_with_parent;
	iso->no_new_privs |= cfg->no_new_privs;
}

/*
 * The words of the options that shape a session's namespaces (the mapping,
 * the namespaces, the filesystem), from the options and the configuration;
 * @given: there is at least one.
 */
static int session_shape(const struct nsu *n, char *out, size_t len, bool *given,
			 struct nsu_err *e)
{
	_cleanup_free_ char **iso = nsu_isolation_shape_words(&n->o.iso);
	const struct nsu_idmap *maps[2] = { n->o.uidmap, n->o.gidmap };
	static const char *const map_opt[2] = { "--uidmap", "--gidmap" };
	char text[2][NSU_SHAPE_MAX], remap[600];
	char *words[64];
	size_t k = 0;

	if (!iso)
		return nsu_fail(e, ENOMEM, "out of memory");
	if (n->mode == NSU_MODE_SINGLE)
		words[k++] = (char *)"--single";
	else if (n->mode == NSU_MODE_CURRENT_USER)
		words[k++] = (char *)"--map-current-user";
	for (int m = 0; m < 2; m++) {
		size_t used = 0;

		if (!maps[m])
			continue;
		text[m][0] = '\0';
		for (size_t i = 0; i < maps[m]->n && used < sizeof(text[m]); i++)
			used += (size_t)snprintf(text[m] + used, sizeof(text[m]) - used,
						 "%s%" PRIu32 ":%" PRIu32 ":%" PRIu32, i ? "," : "",
						 maps[m]->ext[i].inside, maps[m]->ext[i].outside,
						 maps[m]->ext[i].count);
		words[k++] = (char *)map_opt[m];
		words[k++] = text[m];
	}
	if (n->remap) {
		snprintf(remap, sizeof(remap), "%s:%s", n->owner[NSU_UID], n->owner[NSU_GID]);
		words[k++] = (char *)"--remap";
		words[k++] = remap;
	}
	for (size_t i = 0; iso[i] && k < NSU_ARRAY_SIZE(words) - 1; i++)
		words[k++] = iso[i];
	words[k] = NULL;
	*given = k > 0;
	return nsu_shape_join(words, out, len, e);
}

/* --session NAME: the command in the session, which is made first if need be. */
static int session(struct nsu *n, struct nsu_run_req *r)
{
	char shape[NSU_SHAPE_MAX];
	struct nsu_outcome out;
	bool given = false;

	if (session_shape(n, shape, sizeof(shape), &given, &out.err) < 0) {
		nsu_print("%s", out.err.msg);
		return EXIT_NSU_FAILURE;
	}
	/* Root with CAP_SYS_ADMIN: the session's namespaces but the user's, as for one call. */
	if (!n->direct && nsu_is_privileged())
		r->userns = false;
	nsu_session_run(&(struct nsu_session_call){
		.name = n->o.session, .req = r, .shape = shape, .shape_given = given,
		.runtime_dir = getenv("XDG_RUNTIME_DIR"), .name_maker = name_session_maker,
		.ctx = n }, &out);
	return finish(&out);
}

/* The configuration, and who the caller is. */
static int prepare_caller(struct nsu *n, struct nsu_err *e)
{
	nsu_verbosity = n->o.verbosity;
	if (load_config(&n->cfg, e) < 0)
		return -1;
	n->mode = n->o.mode != NSU_MODE_UNSET ? n->o.mode : n->cfg.mode;
	/* libnsu's caller chose its helpers: they replace the configured ones. */
	for (int k = 0; k < 2; k++) {
		char *path = k == NSU_UID ? n->cfg.newuidmap : n->cfg.newgidmap;
		char *origin = k == NSU_UID ? n->cfg.newuidmap_origin : n->cfg.newgidmap_origin;

		if (!n->helper[k])
			continue;
		snprintf(path, sizeof(n->cfg.newuidmap), "%s", n->helper[k]);
		snprintf(origin, sizeof(n->cfg.newuidmap_origin), "struct nsu_opts");
	}
	apply_config_isolation(&n->o.iso, &n->cfg);
	if (n->o.mode == NSU_MODE_SINGLE)
		n->cfg.warn_fallback = false; /* asked for: nothing to warn about */

	n->uid = geteuid();
	n->gid = getegid();
	/* [session] name: every call runs in that session, unless it names one. */
	if (!n->o.session && n->cfg.session[0] && n->o.action == NSU_ACTION_RUN && !n->lib)
		n->o.session = n->cfg.session;
	/*
	 * A call that joins a live session needs no passwd entry: its lookup
	 * (the name service) waits until the session has to be made.
	 */
	name_self(n, !n->o.session || n->o.action != NSU_ACTION_RUN || !n->o.command ||
			     n->o.remap_user);
	return 0;
}

/* For a run: whose ranges, the command, and who writes the maps; the request. */
static int prepare_run(struct nsu *n, struct nsu_run_req *r, struct nsu_err *e)
{
	if (n->o.remap_user && resolve_remap(n, e) < 0)
		return -1;
	if (n->o.command)
		n->cmd = n->o.command;
	else if (shell_argv(n, e) < 0)
		return -1;
	/*
	 * Root with CAP_SYS_ADMIN needs no user namespace, unless a mapping
	 * option asks for one: then it writes the maps itself.
	 */
	if (n->remap || (nsu_is_privileged() && (n->even_root || n->o.uidmap || n->o.gidmap ||
						 n->o.mode != NSU_MODE_UNSET)))
		n->direct = true;
	make_request(n, r);
	/*
	 * Limits the command cannot get are refused before anything is made:
	 * only without a new user namespace (root as it is, with
	 * CAP_SYS_RESOURCE) may a hard limit go up.
	 */
	return nsu_rlimits_check(&n->o.iso, !n->o.join && !n->direct && nsu_is_privileged() &&
					    nsu_has_cap(CAP_SYS_RESOURCE), e);
}

int nsu_cli_prepare(struct nsu *n, struct nsu_run_req *r, struct nsu_err *e)
{
	return prepare_caller(n, e) < 0 ? -1 : prepare_run(n, r, e);
}

/* Everything after the options: configuration, then the action asked for. */
static int dispatch(struct nsu *n)
{
	struct nsu_outcome out;
	struct nsu_run_req r;
	struct nsu_err e;

	if (prepare_caller(n, &e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	if (n->o.action == NSU_ACTION_CHECK)
		return check(n);
	if (n->o.action == NSU_ACTION_SESSION_STOP || n->o.action == NSU_ACTION_SESSION_LIST) {
		const char *runtime = getenv("XDG_RUNTIME_DIR");
		int rc = n->o.action == NSU_ACTION_SESSION_STOP ?
				 nsu_session_stop(n->o.session, runtime, &e) :
				 nsu_session_list(runtime, &e);

		if (rc < 0) {
			nsu_print("%s", e.msg);
			return EXIT_NSU_FAILURE;
		}
		return 0;
	}

	if (prepare_run(n, &r, &e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	if (n->o.join) {
		nsu_join_pid((pid_t)n->o.join, &r, &out);
		return finish(&out);
	}
	if (n->o.session)
		return session(n, &r);
	if (!n->direct && nsu_is_privileged()) {
		if (n->o.action == NSU_ACTION_PRINT_MAPPINGS) {
			printf("already root with CAP_SYS_ADMIN: no user namespace is made (only a "
			       "private mount namespace), the maps stay as they are\n");
			return fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
		}
		if (nsu_isolation_any(&n->o.iso)) {
			/* The namespaces and the rest are made as for anyone, the user's aside. */
			r.userns = false;
			nsu_run(&r, &out);
		} else {
			nsu_run_privileged(&r, &out);
		}
		return finish(&out);
	}
	if (n->o.action == NSU_ACTION_PRINT_MAPPINGS) {
		if (nsu_run_print_mappings(&r, &e) < 0) {
			nsu_print("%s", e.msg);
			return EXIT_NSU_FAILURE;
		}
		return 0;
	}
	nsu_run(&r, &out);
	return finish(&out);
}

/*
 * Make sure descriptors 0-2 are open before nsu creates any of its own, so
 * that none of its pipes becomes a standard stream (nsu's messages would go
 * into it). The placeholders are close-on-exec: the command sees the
 * standard streams exactly as the caller left them, closed ones closed.
 */
void nsu_cli_guard_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		got = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (got < 0)
			got = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (got != fd)
			_exit(EXIT_NSU_FAILURE); /* nothing to report on, and no safe way on */
	}
}

int nsu_cli_run(struct nsu *n)
{
	int r;

	switch (n->o.action) {
	case NSU_ACTION_HELP:
		fputs(nsu_usage_text, stdout);
		r = fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
		break;
	case NSU_ACTION_VERSION:
		printf("nsu %s\n", PACKAGE_VERSION);
		r = fflush(stdout) == 0 ? 0 : EXIT_NSU_FAILURE;
		break;
	default:
		r = dispatch(n);
		break;
	}
	nsu_options_free(&n->o);
	free(n->pw_buf);
	n->pw_buf = NULL;
	return r;
}
