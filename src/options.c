/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "record.h"

const char nsu_usage_text[] =
	"Usage: nsu [OPTION...] [--] [COMMAND [ARG...]]\n"
	"\n"
	"Run COMMAND as root (uid 0, gid 0) in a new user and mount namespace,\n"
	"without privileges. Your uid and gid become 0; your subordinate ids from\n"
	"/etc/subuid and /etc/subgid follow from 1. Without COMMAND, run your shell.\n"
	"\n"
	"Mapping:\n"
	"      --uidmap IN:OUT:COUNT[,...]  use these uid map lines (repeatable); each\n"
	"                          OUT range must be your uid or in your subuid ranges\n"
	"      --gidmap IN:OUT:COUNT[,...]  the same for gids (when only one of the two\n"
	"                          is given, its lines serve for uids and gids)\n"
	"      --map-current-user  keep your own uid and gid inside; 0 and the other ids\n"
	"                          come from your subordinate ranges\n"
	"      --single            map only your own uid and gid (to 0), quietly\n"
	"      --remap USER[:GROUP]  (root) map the subordinate ranges of USER (and\n"
	"                          GROUP's subgid ranges) from 0, like userns-remap\n"
	"      --print-mappings    print the maps nsu would write, and exit\n"
	"      --check             diagnose this host and user (as root: the host\n"
	"                          for unprivileged users), and exit\n"
	"\n"
	"Namespaces (besides the user and mount namespace):\n"
	"      --pid               a pid namespace: COMMAND runs under a small init\n"
	"                          that reaps orphans; all end when COMMAND ends\n"
	"      --mount-proc        (with --pid) a /proc of the new pid namespace\n"
	"      --uts               a UTS namespace (host name)\n"
	"      --hostname NAME     set the host name inside (implies --uts)\n"
	"      --ipc               an IPC namespace\n"
	"      --net               a network namespace, with only the loopback up\n"
	"      --cgroup            a cgroup namespace\n"
	"\n"
	"Filesystem (in the order given):\n"
	"      --bind SRC DEST     bind SRC onto DEST inside\n"
	"      --ro-bind SRC DEST  the same, read-only\n"
	"      --tmpfs DEST        an empty tmpfs on DEST\n"
	"      --mask-path PATH    hide PATH: an empty read-only directory, or\n"
	"                          /dev/null, over it (skipped if PATH is missing)\n"
	"      --ro-path PATH      make PATH read-only (it must exist)\n"
	"      --rootfs DIR        run in DIR as / (pivot_root), with /proc, /sys and\n"
	"                          a small /dev; DESTs are then inside DIR\n"
	"      --ro-root           (with --rootfs) make the new root read-only\n"
	"\n"
	"Command:\n"
	"  -w, --chdir DIR         change to DIR inside before running COMMAND\n"
	"      --setenv VAR VALUE  set VAR to VALUE in COMMAND's environment\n"
	"      --unsetenv VAR      remove VAR from COMMAND's environment\n"
	"      --die-with-parent   kill COMMAND when nsu's parent dies\n"
	"      --oom-score-adj N   COMMAND's OOM score adjustment (-1000..1000)\n"
	"      --caps-none         COMMAND keeps no capability inside\n"
	"      --cap-drop CAP      drop CAP (e.g. sys_admin) from COMMAND (repeatable)\n"
	"      --cap-add CAP       give COMMAND CAP when it would not have it\n"
	"                          (repeatable)\n"
	"      --no-new-privs      set no_new_privs for COMMAND\n"
	"      --user UID[:GID]    run COMMAND as UID and GID (default: UID) inside,\n"
	"                          instead of 0, without supplementary groups\n"
	"      --setsid            run COMMAND in a new session, without the\n"
	"                          controlling terminal (it cannot inject input)\n"
	"      --new-pgrp          COMMAND leads a process group of its own, also\n"
	"                          under --pid's init and in a joined session\n"
	"      --rlimit NAME=SOFT[:HARD]  set COMMAND's resource limit NAME (as\n"
	"                          prlimit(1) names them: nofile, nproc, core...)\n"
	"                          to a number or 'unlimited' (repeatable)\n"
	"\n"
	"Sessions (many calls, one set-up):\n"
	"      --session NAME      run COMMAND in session NAME, made on first use with\n"
	"                          the namespaces these options ask for; later calls\n"
	"                          join it (no id maps written, no helper run)\n"
	"      --session-stop NAME  end session NAME and what runs in its pid namespace\n"
	"      --session-list      list your sessions, and exit\n"
	"      --join PID          run COMMAND in the namespaces of process PID\n"
	"\n"
	"Messages:\n"
	"  -v, --verbose           say what nsu decides and why (ranges, helpers,\n"
	"                          fallback)\n"
	"  -q, --quiet             no warnings (single-ID fallback, configuration)\n"
	"  -h, --help              show this help and exit\n"
	"  -V, --version           show the version and exit\n"
	"\n"
	"Configuration: " SYSCONFDIR "/nsu.conf, then ~/.config/nsu/nsu.conf, then\n"
	"$NSU_CONFIG (see nsu.conf(5)); options override them.\n"
	"\n"
	"Exit status: that of COMMAND; 125 if nsu itself fails, 126 if COMMAND\n"
	"cannot be executed, 127 if it is not found. If COMMAND is killed by a\n"
	"signal, nsu is killed by the same signal.\n"
	"\n"
	"See nsu(1) for details.\n";

enum {
	OPT_UIDMAP = 0x100,
	OPT_GIDMAP,
	OPT_MAP_CURRENT_USER,
	OPT_SINGLE,
	OPT_REMAP,
	OPT_PRINT_MAPPINGS,
	OPT_CHECK,
	OPT_SETENV,
	OPT_UNSETENV,
	OPT_PID,
	OPT_MOUNT_PROC,
	OPT_UTS,
	OPT_HOSTNAME,
	OPT_IPC,
	OPT_NET,
	OPT_CGROUP,
	OPT_BIND,
	OPT_RO_BIND,
	OPT_TMPFS,
	OPT_ROOTFS,
	OPT_RO_ROOT,
	OPT_DIE_WITH_PARENT,
	OPT_OOM_SCORE_ADJ,
	OPT_CAPS_NONE,
	OPT_CAP_DROP,
	OPT_CAP_ADD,
	OPT_NO_NEW_PRIVS,
	OPT_USER,
	OPT_SETSID,
	OPT_NEW_PGRP,
	OPT_RLIMIT,
	OPT_MASK_PATH,
	OPT_RO_PATH,
	OPT_SESSION,
	OPT_SESSION_STOP,
	OPT_SESSION_LIST,
	OPT_JOIN,
};

static const struct option long_options[] = {
	{ "uidmap", required_argument, NULL, OPT_UIDMAP },
	{ "gidmap", required_argument, NULL, OPT_GIDMAP },
	{ "map-current-user", no_argument, NULL, OPT_MAP_CURRENT_USER },
	{ "single", no_argument, NULL, OPT_SINGLE },
	{ "remap", required_argument, NULL, OPT_REMAP },
	{ "print-mappings", no_argument, NULL, OPT_PRINT_MAPPINGS },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "chdir", required_argument, NULL, 'w' },
	{ "setenv", required_argument, NULL, OPT_SETENV },
	{ "unsetenv", required_argument, NULL, OPT_UNSETENV },
	{ "pid", no_argument, NULL, OPT_PID },
	{ "mount-proc", no_argument, NULL, OPT_MOUNT_PROC },
	{ "uts", no_argument, NULL, OPT_UTS },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "ipc", no_argument, NULL, OPT_IPC },
	{ "net", no_argument, NULL, OPT_NET },
	{ "cgroup", no_argument, NULL, OPT_CGROUP },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "ro-bind", required_argument, NULL, OPT_RO_BIND },
	{ "tmpfs", required_argument, NULL, OPT_TMPFS },
	{ "rootfs", required_argument, NULL, OPT_ROOTFS },
	{ "ro-root", no_argument, NULL, OPT_RO_ROOT },
	{ "die-with-parent", no_argument, NULL, OPT_DIE_WITH_PARENT },
	{ "oom-score-adj", required_argument, NULL, OPT_OOM_SCORE_ADJ },
	{ "caps-none", no_argument, NULL, OPT_CAPS_NONE },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS },
	{ "user", required_argument, NULL, OPT_USER },
	{ "setsid", no_argument, NULL, OPT_SETSID },
	{ "new-pgrp", no_argument, NULL, OPT_NEW_PGRP },
	{ "rlimit", required_argument, NULL, OPT_RLIMIT },
	{ "mask-path", required_argument, NULL, OPT_MASK_PATH },
	{ "ro-path", required_argument, NULL, OPT_RO_PATH },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "session-stop", required_argument, NULL, OPT_SESSION_STOP },
	{ "session-list", no_argument, NULL, OPT_SESSION_LIST },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

bool nsu_env_name_valid(const char *name)
{
	return *name && !strchr(name, '=');
}

void nsu_options_free(struct nsu_options *o)
{
	free(o->uidmap);
	free(o->gidmap);
	free(o->remap_user);
	free(o->env_ops);
	nsu_isolation_free(&o->iso);
	o->uidmap = o->gidmap = NULL;
	o->remap_user = o->remap_group = NULL;
	o->env_ops = NULL;
}

static int add_map(struct nsu_idmap **map, const char *opt, const char *spec, struct nsu_err *e)
{
	if (!*map) {
		*map = calloc(1, sizeof(**map));
		if (!*map)
			return nsu_fail(e, ENOMEM, "out of memory");
	}
	if (nsu_idmap_parse(*map, spec, e) < 0)
		return nsu_err_wrap(e, "option '%s'", opt);
	return 0;
}

static int set_remap(struct nsu_options *o, const char *arg, struct nsu_err *e)
{
	char *copy, *colon;

	free(o->remap_user);
	o->remap_user = o->remap_group = NULL;
	colon = strchr(arg, ':');
	if (!*arg || colon == arg || (colon && (!colon[1] || strchr(colon + 1, ':'))))
		return nsu_fail(e, EINVAL, "option '--remap': '%s' is not USER or USER:GROUP", arg);
	copy = strdup(arg);
	if (!copy)
		return nsu_fail(e, ENOMEM, "out of memory");
	o->remap_user = copy;
	if (colon) {
		copy[colon - arg] = '\0';
		o->remap_group = copy + (colon - arg) + 1;
	}
	return 0;
}

static int add_env_op(struct nsu_options *o, int argc, const char *name, const char *value,
		      struct nsu_err *e)
{
	if (!nsu_env_name_valid(name)) {
		if (value && *name && strchr(name, '='))
			return nsu_fail(e, EINVAL, "option '--setenv': '%s' is not a variable name "
					"(--setenv takes VAR and VALUE as two words: --setenv %.*s %s)",
					name, (int)strcspn(name, "="), name, strchr(name, '=') + 1);
		return nsu_fail(e, EINVAL, "option '%s': '%s' is not a variable name",
				value ? "--setenv" : "--unsetenv", name);
	}
	if (!o->env_ops) {
		/* Each op takes at least one argument: argc bounds their number. */
		o->env_ops = calloc((size_t)argc, sizeof(*o->env_ops));
		if (!o->env_ops)
			return nsu_fail(e, ENOMEM, "out of memory");
	}
	o->env_ops[o->n_env_ops].name = name;
	o->env_ops[o->n_env_ops].value = value;
	o->n_env_ops++;
	return 0;
}

static int set_mode(struct nsu_options *o, enum nsu_map_mode mode, struct nsu_err *e)
{
	static const char *const name[] = {
		[NSU_MODE_SINGLE] = "--single",
		[NSU_MODE_CURRENT_USER] = "--map-current-user",
	};

	if (o->mode != NSU_MODE_UNSET && o->mode != mode)
		return nsu_fail(e, EINVAL, "options '%s' and '%s' cannot be combined",
				name[o->mode], name[mode]);
	o->mode = mode;
	return 0;
}

/* Options that choose the mapping in different ways exclude each other. */
static int check_conflicts(const struct nsu_options *o, struct nsu_err *e)
{
	const char *mode = o->mode == NSU_MODE_SINGLE ? "--single" :
			   o->mode == NSU_MODE_CURRENT_USER ? "--map-current-user" : NULL;
	const char *explicit = o->uidmap ? "--uidmap" : o->gidmap ? "--gidmap" : NULL;

	if (mode && explicit)
		return nsu_fail(e, EINVAL, "options '%s' and '%s' cannot be combined", mode, explicit);
	if (o->remap_user && (mode || explicit))
		return nsu_fail(e, EINVAL, "options '--remap' and '%s' cannot be combined",
				mode ? mode : explicit);
	return 0;
}

/* The option that chose @a (one that runs no command). */
static const char *action_option(enum nsu_action a)
{
	switch (a) {
	case NSU_ACTION_CHECK:
		return "--check";
	case NSU_ACTION_PRINT_MAPPINGS:
		return "--print-mappings";
	case NSU_ACTION_SESSION_STOP:
		return "--session-stop";
	default:
		return "--session-list";
	}
}

static int set_session(struct nsu_options *o, const char *opt, const char *name, struct nsu_err *e)
{
	if (!nsu_session_name_valid(name))
		return nsu_fail(e, EINVAL, "option '%s': '%s' is not a session name (1 to 64 of "
				"letters, digits, '.', '_' and '-', not starting with '.' or '-')",
				opt, name);
	if (o->session && strcmp(o->session, name) != 0)
		return nsu_fail(e, EINVAL, "option '%s %s': the session is '%s' already", opt, name,
				o->session);
	o->session = name;
	return 0;
}

static int set_join(struct nsu_options *o, const char *arg, struct nsu_err *e)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(arg, &end, 10);
	/* The kernel's largest pid is 4194304 (PID_MAX_LIMIT). */
	if (*arg < '1' || *arg > '9' || *end || errno || pid > 4194304)
		return nsu_fail(e, EINVAL, "option '--join': '%s' is not a process id", arg);
	o->join = pid;
	return 0;
}

/*
 * The session options among themselves and with the rest: one of them at
 * a time; --join enters namespaces as they are, so options that would shape
 * them have nothing to act on.
 */
static int check_session(const struct nsu_options *o, struct nsu_err *e)
{
	const struct nsu_isolation *i = &o->iso;
	const char *shaping = o->uidmap ? "--uidmap" : o->gidmap ? "--gidmap" :
			      o->remap_user ? "--remap" :
			      o->mode == NSU_MODE_SINGLE ? "--single" :
			      o->mode == NSU_MODE_CURRENT_USER ? "--map-current-user" :
			      i->ns || i->hostname ? "a namespace option" :
			      i->n_fs || i->rootfs || i->mount_proc ? "a filesystem option" : NULL;
	bool stop = o->action == NSU_ACTION_SESSION_STOP, list = o->action == NSU_ACTION_SESSION_LIST;

	if ((stop || list) && (o->join || (list && o->session)))
		return nsu_fail(e, EINVAL, "option '%s' cannot be combined with '%s'",
				stop ? "--session-stop" : "--session-list",
				o->join ? "--join" : "--session");
	if (o->join && o->session)
		return nsu_fail(e, EINVAL, "options '--join' and '--session' cannot be combined: "
				"a session is joined with --session NAME");
	if (o->join && shaping)
		return nsu_fail(e, EINVAL, "option '--join' enters the namespaces of process %ld as "
				"they are: %s cannot apply to them", o->join, shaping);
	if ((o->join || o->session) && (o->action == NSU_ACTION_CHECK ||
					o->action == NSU_ACTION_PRINT_MAPPINGS))
		return nsu_fail(e, EINVAL, "option '%s' cannot be combined with '%s'",
				action_option(o->action), o->join ? "--join" : "--session");
	return 0;
}

/* An option of two words (--bind SRC DEST): @optarg and the next word. */
static int pair(const char *opt, int argc, char **argv, const char **second,
		struct nsu_err *e)
{
	if (optind >= argc)
		return nsu_fail(e, EINVAL, "option '%s' needs SRC and DEST", opt);
	if (strcmp(argv[optind], "--") == 0)
		return nsu_fail(e, EINVAL, "option '%s %s' needs a DEST before '--'; see "
				"'nsu --help'", opt, optarg);
	*second = argv[optind++];
	return 0;
}

/* The options of namespaces, filesystem and privileges (struct nsu_isolation). */
static int isolation_option(struct nsu_isolation *iso, int c, int argc, char **argv,
			    struct nsu_err *e)
{
	static const struct { int opt, flag; } ns[] = {
		{ OPT_PID, CLONE_NEWPID }, { OPT_UTS, CLONE_NEWUTS }, { OPT_IPC, CLONE_NEWIPC },
		{ OPT_NET, CLONE_NEWNET }, { OPT_CGROUP, CLONE_NEWCGROUP },
	};
	struct nsu_rlimit lim;
	const char *dest = NULL;
	int cap;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if (c == ns[i].opt) {
			iso->ns |= ns[i].flag;
			return 0;
		}
	switch (c) {
	case OPT_MOUNT_PROC:
		iso->mount_proc = true;
		return 0;
	case OPT_HOSTNAME:
		iso->hostname = optarg;
		return 0;
	case OPT_BIND:
	case OPT_RO_BIND:
		if (pair(c == OPT_BIND ? "--bind" : "--ro-bind", argc, argv, &dest, e) < 0)
			return -1;
		return nsu_isolation_add_fs(iso, c == OPT_BIND ? NSU_FS_BIND : NSU_FS_RO_BIND,
					    optarg, dest, e);
	case OPT_TMPFS:
		return nsu_isolation_add_fs(iso, NSU_FS_TMPFS, NULL, optarg, e);
	case OPT_MASK_PATH:
		return nsu_isolation_add_fs(iso, NSU_FS_MASK, NULL, optarg, e);
	case OPT_RO_PATH:
		return nsu_isolation_add_fs(iso, NSU_FS_RO_PATH, NULL, optarg, e);
	case OPT_ROOTFS:
		iso->rootfs = optarg;
		return 0;
	case OPT_RO_ROOT:
		iso->ro_root = true;
		return 0;
	case OPT_DIE_WITH_PARENT:
		iso->die_with_parent = true;
		return 0;
	case OPT_OOM_SCORE_ADJ:
		iso->oom_set = true;
		return nsu_oom_parse(optarg, &iso->oom_score_adj, e);
	case OPT_CAPS_NONE:
		iso->caps_none = true;
		return 0;
	case OPT_CAP_DROP:
	case OPT_CAP_ADD:
		cap = nsu_cap_parse(c == OPT_CAP_DROP ? "--cap-drop" : "--cap-add", optarg, e);
		if (cap < 0)
			return -1;
		*(c == OPT_CAP_DROP ? &iso->cap_drop : &iso->cap_add) |= UINT64_C(1) << cap;
		return 0;
	case OPT_NO_NEW_PRIVS:
		iso->no_new_privs = true;
		return 0;
	case OPT_USER:
		iso->user_set = true;
		return nsu_user_parse(optarg, &iso->user_uid, &iso->user_gid, e);
	case OPT_SETSID:
		iso->setsid = true;
		return 0;
	case OPT_NEW_PGRP:
		iso->new_pgrp = true;
		return 0;
	case OPT_RLIMIT:
		if (nsu_rlimit_parse(optarg, &lim, e) < 0)
			return -1;
		return nsu_isolation_add_rlimit(iso, &lim, e);
	default:
		return 1; /* not one of these */
	}
}

/* The long option of the table whose value is @val, or NULL. */
static const struct option *long_option_of(int val)
{
	for (const struct option *lo = long_options; lo->name; lo++)
		if (lo->val == val)
			return lo;
	return NULL;
}

/* "--NAME[=VALUE]" that getopt_long did not take: unknown, or ambiguous. */
static int bad_long_option(const char *arg, struct nsu_err *e)
{
	size_t len = strcspn(arg + 2, "="), n = 0, off = 0;
	char list[200] = "";

	for (const struct option *lo = long_options; lo->name && len > 0; lo++) {
		if (strncmp(lo->name, arg + 2, len) != 0)
			continue;
		if (off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s--%s",
						n ? ", " : "", lo->name);
		n++;
	}
	if (n > 1)
		return nsu_fail(e, EINVAL, "option '--%.*s' is ambiguous: %s; see 'nsu --help'",
				(int)len, arg + 2, list);
	return nsu_fail(e, EINVAL, "unknown or ambiguous option '%.*s'; see 'nsu --help'",
			(int)(len ? len + 2 : strlen(arg)), arg);
}

/*
 * What getopt_long refused (@c is '?' or ':'). The word it was reading is
 * argv[optind - 1] only for a long option or for the last option of a
 * cluster of short ones: a short option is named by optopt, never by a word.
 */
static int option_error(int c, char **argv, struct nsu_err *e)
{
	const char *word = argv[optind - 1];
	const struct option *lo;

	if (c == ':') {
		/* A missing value: --NAME at the end, or -w ending its cluster. */
		if (strncmp(word, "--", 2) == 0 && (lo = long_option_of(optopt)))
			return nsu_fail(e, EINVAL, "option '--%s' needs a value; see 'nsu --help'",
					lo->name);
		return nsu_fail(e, EINVAL, "option '-%c' needs a value; see 'nsu --help'", optopt);
	}
	if (optopt == 0)
		return bad_long_option(word, e);
	if (optopt > UCHAR_MAX || (optopt > 0 && strchr("vqhV", optopt))) {
		/* Flags are valid as short options: only their long form can carry a value. */
		lo = long_option_of(optopt);
		return nsu_fail(e, EINVAL, "option '--%s' takes no value; see 'nsu --help'",
				lo ? lo->name : "?");
	}
	/* getopt stores the character as a (possibly signed) char. */
	if (isprint((unsigned char)optopt))
		return nsu_fail(e, EINVAL, "unknown option '-%c'; see 'nsu --help'", optopt);
	return nsu_fail(e, EINVAL, "unknown option character 0x%02x; see 'nsu --help'",
			(unsigned char)optopt);
}

/*
 * "--" as the separate word after an option that takes a value: the value
 * was forgotten, and "--" was meant to end nsu's options. @what names the
 * value for the message; @word is the option as written.
 */
static int value_missing_before_dashes(const char *word, const struct option *lo,
				       const char *what, struct nsu_err *e)
{
	if (strncmp(word, "--", 2) == 0 && lo)
		return nsu_fail(e, EINVAL, "option '--%s' needs %s before '--'; see 'nsu --help'",
				lo->name, what);
	return nsu_fail(e, EINVAL, "option '-%c' needs %s before '--'; see 'nsu --help'",
			lo ? lo->val : '?', what);
}

/* The value of an option that takes one, given as the separate word "--"? */
static int check_value(int c, int argc, char **argv, struct nsu_err *e)
{
	const struct option *lo = long_option_of(c);
	const char *what;

	/* optarg is the word itself when it was separate, not after '=' or in a cluster. */
	if (!lo || lo->has_arg != required_argument || optind < 2 || optind > argc ||
	    optarg != argv[optind - 1] || strcmp(optarg, "--") != 0)
		return 0;
	switch (c) {
	case 'w':
		what = "a DIR";
		break;
	case OPT_SETENV:
		what = "VAR and VALUE";
		break;
	case OPT_UNSETENV:
		what = "a VAR";
		break;
	case OPT_REMAP:
		what = "USER[:GROUP]";
		break;
	case OPT_HOSTNAME:
		what = "a NAME";
		break;
	case OPT_BIND:
	case OPT_RO_BIND:
		what = "SRC and DEST";
		break;
	case OPT_TMPFS:
	case OPT_ROOTFS:
		what = "a DIR";
		break;
	case OPT_MASK_PATH:
	case OPT_RO_PATH:
		what = "a PATH";
		break;
	case OPT_USER:
		what = "UID[:GID]";
		break;
	case OPT_RLIMIT:
		what = "NAME=SOFT[:HARD]";
		break;
	case OPT_OOM_SCORE_ADJ:
		what = "a number";
		break;
	case OPT_CAP_DROP:
	case OPT_CAP_ADD:
		what = "a CAP";
		break;
	case OPT_SESSION:
	case OPT_SESSION_STOP:
		what = "a NAME";
		break;
	case OPT_JOIN:
		what = "a PID";
		break;
	default:
		what = "IN:OUT:COUNT";
		break;
	}
	return value_missing_before_dashes(argv[optind - 2], lo, what, e);
}

int nsu_options_parse(struct nsu_options *o, int argc, char **argv, struct nsu_err *e)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->action = NSU_ACTION_RUN;
	o->verbosity = NSU_NORMAL;

	optind = 0; /* full re-initialisation, so the parser can be called again */
	opterr = 0;
	/*
	 * "+": stop at the first non-option, the command's options are its own;
	 * ":": a missing value is told apart from an unknown option.
	 */
	while ((c = getopt_long(argc, argv, "+:vqhVw:", long_options, NULL)) != -1) {
		int r = check_value(c, argc, argv, e);

		if (r < 0) {
			nsu_options_free(o);
			return -1;
		}
		switch (c) {
		case 'v':
			o->verbosity = NSU_VERBOSE;
			o->verbosity_set = true;
			break;
		case 'q':
			o->verbosity = NSU_QUIET;
			o->verbosity_set = true;
			break;
		case 'h':
			o->action = NSU_ACTION_HELP;
			return 0;
		case 'V':
			o->action = NSU_ACTION_VERSION;
			return 0;
		case 'w':
			if (!*optarg)
				r = nsu_fail(e, EINVAL, "option '--chdir' needs a directory, not ''");
			o->chdir = optarg;
			break;
		case OPT_UIDMAP:
			r = add_map(&o->uidmap, "--uidmap", optarg, e);
			break;
		case OPT_GIDMAP:
			r = add_map(&o->gidmap, "--gidmap", optarg, e);
			break;
		case OPT_MAP_CURRENT_USER:
			r = set_mode(o, NSU_MODE_CURRENT_USER, e);
			break;
		case OPT_SINGLE:
			r = set_mode(o, NSU_MODE_SINGLE, e);
			break;
		case OPT_REMAP:
			r = set_remap(o, optarg, e);
			break;
		case OPT_PRINT_MAPPINGS:
			o->action = NSU_ACTION_PRINT_MAPPINGS;
			break;
		case OPT_CHECK:
			o->action = NSU_ACTION_CHECK;
			break;
		case OPT_SETENV:
			if (optind >= argc) {
				r = nsu_fail(e, EINVAL, "option '--setenv' needs VAR and VALUE");
				break;
			}
			if (strcmp(argv[optind], "--") == 0) {
				r = nsu_fail(e, EINVAL, "option '--setenv %s' needs a VALUE before '--'; "
					     "see 'nsu --help'", optarg);
				break;
			}
			r = add_env_op(o, argc, optarg, argv[optind++], e);
			break;
		case OPT_UNSETENV:
			r = add_env_op(o, argc, optarg, NULL, e);
			break;
		case OPT_SESSION:
		case OPT_SESSION_STOP:
			r = set_session(o, c == OPT_SESSION ? "--session" : "--session-stop", optarg, e);
			if (c == OPT_SESSION_STOP)
				o->action = NSU_ACTION_SESSION_STOP;
			break;
		case OPT_SESSION_LIST:
			o->action = NSU_ACTION_SESSION_LIST;
			break;
		case OPT_JOIN:
			r = set_join(o, optarg, e);
			break;
		default:
			r = isolation_option(&o->iso, c, argc, argv, e);
			if (r > 0)
				r = option_error(c, argv, e);
			break;
		}
		if (r < 0) {
			nsu_options_free(o);
			return -1;
		}
	}
	if (check_conflicts(o, e) < 0 || nsu_isolation_check(&o->iso, e) < 0 ||
	    check_session(o, e) < 0) {
		nsu_options_free(o);
		return -1;
	}
	if (optind < argc)
		o->command = argv + optind;
	if (o->command && o->action != NSU_ACTION_RUN) {
		nsu_fail(e, EINVAL, "option '%s' runs no command, but '%s' was given",
			 action_option(o->action), o->command[0]);
		nsu_options_free(o);
		return -1;
	}
	return 0;
}
