/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of command-line parsing. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "options.h"
#include "tap.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static void test_parse(void)
{
	struct nsu_options o;
	struct nsu_err e;

	{
		char *argv[] = { "nsu", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "no arguments");
		ok(o.command == NULL, "no command: the shell");
		is_int(o.action, NSU_ACTION_RUN, "action run");
	}
	{
		char *argv[] = { "nsu", "--", "id", "-u", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_str(o.command[0], "id", "command after --");
		is_str(o.command[1], "-u", "its option kept");
		ok(o.command[2] == NULL, "command ends");
	}
	{
		char *argv[] = { "nsu", "ls", "-v", "--help", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_str(o.command[0], "ls", "first non-option starts the command");
		is_str(o.command[1], "-v", "options after it belong to the command");
		is_int(o.verbosity, NSU_NORMAL, "... and are not nsu's");
		is_int(o.action, NSU_ACTION_RUN, "--help after the command is the command's");
	}
	{
		char *argv[] = { "nsu", "-v", "--", "--", "x", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.verbosity, NSU_VERBOSE, "-v");
		is_str(o.command[0], "--", "a second -- is the command");
	}
	{
		char *argv[] = { "nsu", "--quiet", "true", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.verbosity, NSU_QUIET, "--quiet");
	}
	{
		char *argv[] = { "nsu", "-qv", "true", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.verbosity, NSU_VERBOSE, "bundled short options, last wins");
	}
	{
		char *argv[] = { "nsu", "--help", "--bogus", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "--help first wins");
		is_int(o.action, NSU_ACTION_HELP, "help");
	}
	{
		char *argv[] = { "nsu", "-V", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.action, NSU_ACTION_VERSION, "-V");
	}
	{
		char *argv[] = { "nsu", "--version", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.action, NSU_ACTION_VERSION, "--version");
	}
	{
		char *argv[] = { "nsu", "--verb", "true", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "unambiguous prefix accepted");
		is_int(o.verbosity, NSU_VERBOSE, "--verb is --verbose");
	}
}

static void test_errors(void)
{
	struct nsu_options o;
	struct nsu_err e;

	{
		char *argv[] = { "nsu", "--bogus", "true", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "unknown long option");
		is_str(e.msg, "unknown or ambiguous option '--bogus'; see 'nsu --help'", "message names it");
	}
	{
		char *argv[] = { "nsu", "-x", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "unknown short option");
		is_str(e.msg, "unknown option '-x'; see 'nsu --help'", "message names it");
	}
	{
		char *argv[] = { "nsu", "--verbose=yes", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "argument to a flag refused");
		is_str(e.msg, "option '--verbose' takes no value; see 'nsu --help'", "message says so");
	}
	{
		char *argv[] = { "nsu", "--s", "x", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "ambiguous prefix refused");
		is_str(e.msg, "option '--s' is ambiguous: --single, --setenv, --setsid, --session, --session-stop, --session-list; see 'nsu --help'",
		       "message names it and its candidates");
	}
	{
		char *argv[] = { "nsu", "--uidmap", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "missing value");
		is_str(e.msg, "option '--uidmap' needs a value; see 'nsu --help'", "message says so");
	}
	{
		char *argv[] = { "nsu", "-w", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "missing value for -w");
		is_str(e.msg, "option '-w' needs a value; see 'nsu --help'", "message says so");
	}
	{
		char *argv[] = { "nsu", "-", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "lone - is a command");
		is_str(o.command[0], "-", "... named -");
	}
	{
		char *argv[] = { "nsu", "--", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "lone --");
		ok(o.command == NULL, "... means the shell");
	}
}

static void test_mapping_options(void)
{
	struct nsu_options o;
	struct nsu_err e;

	{
		char *argv[] = { "nsu", "--uidmap", "0:1000:1", "--uidmap=1:100000:10,11:200000:5",
				 "--gidmap", "0:1000:1", "true", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "--uidmap repeated, --gidmap");
		ok(o.uidmap && o.uidmap->n == 3, "three uid lines accumulated");
		ok(o.uidmap && o.uidmap->ext[2].inside == 11 && o.uidmap->ext[2].outside == 200000 &&
		   o.uidmap->ext[2].count == 5, "last uid line parsed");
		ok(o.gidmap && o.gidmap->n == 1, "one gid line");
		is_str(o.command[0], "true", "command follows");
		nsu_options_free(&o);
	}
	{
		char *argv[] = { "nsu", "--uidmap", "0:1000", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "bad --uidmap");
		is_str(e.msg, "option '--uidmap': '0:1000' is not INSIDE:OUTSIDE:COUNT with decimal "
		       "ids up to 4294967294", "message names option and value");
	}
	{
		char *argv[] = { "nsu", "--gidmap", "0:1:0", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "count 0");
		is_str(e.msg, "option '--gidmap': '0:1:0' maps no id (COUNT is 0)", "message");
	}
	{
		char *argv[] = { "nsu", "--uidmap", "", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "empty --uidmap");
	}
	{
		char *argv[] = { "nsu", "--map-current-user", "id", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.mode, NSU_MODE_CURRENT_USER, "--map-current-user");
	}
	{
		char *argv[] = { "nsu", "--single", "--single", "id", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "--single twice is fine");
		is_int(o.mode, NSU_MODE_SINGLE, "--single");
	}
	{
		char *argv[] = { "nsu", "--single", "--map-current-user", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "two modes conflict");
		is_str(e.msg, "options '--single' and '--map-current-user' cannot be combined", "message");
	}
	{
		char *argv[] = { "nsu", "--uidmap", "0:1:1", "--single", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "--single with --uidmap");
		is_str(e.msg, "options '--single' and '--uidmap' cannot be combined", "message");
	}
	{
		char *argv[] = { "nsu", "--remap", "builder", "--gidmap", "0:1:1", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "--remap with --gidmap");
		is_str(e.msg, "options '--remap' and '--gidmap' cannot be combined", "message");
	}
	{
		char *argv[] = { "nsu", "--remap", "builder:staff", "id", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "--remap USER:GROUP");
		is_str(o.remap_user, "builder", "user part");
		is_str(o.remap_group, "staff", "group part");
		nsu_options_free(&o);
	}
	{
		char *argv[] = { "nsu", "--remap", "1234", "id", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_str(o.remap_user, "1234", "numeric user");
		ok(o.remap_group == NULL, "no group");
		nsu_options_free(&o);
	}
	{
		const char *bad[] = { "", ":g", "u:", "u:g:x", "::" };
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char *argv[] = { "nsu", "--remap", (char *)bad[i], NULL };
			is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "bad --remap value refused");
		}
		is_str(e.msg, "option '--remap': '::' is not USER or USER:GROUP", "message");
	}
	{
		char *argv[] = { "nsu", "--print-mappings", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.action, NSU_ACTION_PRINT_MAPPINGS, "--print-mappings");
	}
	{
		char *argv[] = { "nsu", "--check", NULL };
		nsu_options_parse(&o, ARGC(argv), argv, &e);
		is_int(o.action, NSU_ACTION_CHECK, "--check");
	}
	{
		char *argv[] = { "nsu", "--check", "extra", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "--check with a command");
		is_str(e.msg, "option '--check' runs no command, but 'extra' was given", "message");
	}
	{
		char *argv[] = { "nsu", "--print-mappings", "--", "id", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "--print-mappings with a command");
	}
}

static void test_command_options(void)
{
	struct nsu_options o;
	struct nsu_err e;

	{
		char *argv[] = { "nsu", "-w", "/tmp", "--chdir=/var", "--setenv", "A", "1 2",
				 "--unsetenv", "B", "--setenv", "C", "", "env", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "command options");
		is_str(o.chdir, "/var", "last --chdir wins");
		is_int(o.n_env_ops, 3, "three env ops");
		is_str(o.env_ops[0].name, "A", "setenv name");
		is_str(o.env_ops[0].value, "1 2", "setenv value verbatim");
		ok(o.env_ops[1].value == NULL, "unsetenv has no value");
		is_str(o.env_ops[2].value, "", "empty value allowed");
		is_str(o.command[0], "env", "command");
		nsu_options_free(&o);
	}
	{
		char *argv[] = { "nsu", "--setenv", "A", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "--setenv without VALUE");
		is_str(e.msg, "option '--setenv' needs VAR and VALUE", "message");
	}
	{
		char *argv[] = { "nsu", "--setenv", "A=B", "x", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "name with '='");
		is_str(e.msg, "option '--setenv': 'A=B' is not a variable name (--setenv takes VAR and "
		       "VALUE as two words: --setenv A B)", "message suggests the two words");
	}
	{
		char *argv[] = { "nsu", "--unsetenv", "", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "empty name");
	}
	{
		char *argv[] = { "nsu", "--chdir", "", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "empty --chdir");
		is_str(e.msg, "option '--chdir' needs a directory, not ''", "message");
	}
	{
		char *argv[] = { "nsu", "--setenv", "-x", "x", "id", NULL };
		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "a VAR may look like an option");
		is_str(o.env_ops[0].name, "-x", "... taken verbatim");
		nsu_options_free(&o);
	}
}

/* --user, --setsid, --new-pgrp, --rlimit, --mask-path, --ro-path. */
static void test_process_options(void)
{
	static const struct {
		const char *arg;
		uint32_t uid, gid;
	} users[] = {
		{ "0", 0, 0 },          { "5000", 5000, 5000 },   { "5000:100", 5000, 100 },
		{ "0:0", 0, 0 },        { "1:4294967294", 1, 4294967294U },
		{ "4294967294", 4294967294U, 4294967294U },       { "007", 7, 7 },
	};
	static const char *const bad_users[] = {
		"", ":", "5000:", ":5000", "-1", "+1", " 1", "1 ", "1x", "abc", "root", "1:2:3",
		"4294967295", "4294967296", "1:4294967295", "99999999999999999999", "0x10",
	};
	struct nsu_options o;
	struct nsu_err e;

	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		char *argv[] = { "nsu", "--user", (char *)users[i].arg, "id", NULL };

		ok(nsu_options_parse(&o, ARGC(argv), argv, &e) == 0 && o.iso.user_set &&
		   o.iso.user_uid == users[i].uid && o.iso.user_gid == users[i].gid,
		   "--user %s is uid %u, gid %u", users[i].arg, (unsigned)users[i].uid,
		   (unsigned)users[i].gid);
		nsu_options_free(&o);
	}
	for (size_t i = 0; i < sizeof(bad_users) / sizeof(bad_users[0]); i++) {
		char *argv[] = { "nsu", "--user", (char *)bad_users[i], "id", NULL };
		char want[300];

		snprintf(want, sizeof(want), "option '--user': '%s' is not UID or UID:GID, numbers "
			 "from 0 to 4294967294 (ids inside the namespace; names are not looked up)",
			 bad_users[i]);
		ok(nsu_options_parse(&o, ARGC(argv), argv, &e) == -1, "--user '%s' is refused", bad_users[i]);
		is_str(e.msg, want, "... with that message");
	}
	{
		char *argv[] = { "nsu", "--setsid", "--new-pgrp", "--rlimit", "nofile=10:20",
				 "--rlimit", "CORE=0", "--rlimit", "nofile=30", "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "--setsid --new-pgrp --rlimit");
		ok(o.iso.setsid && o.iso.new_pgrp, "... both flags set");
		is_int(o.iso.n_rlimits, 2, "... one limit per resource");
		ok(o.iso.rlimits[0].resource == RLIMIT_NOFILE && o.iso.rlimits[0].soft == 30 &&
		   !o.iso.rlimits[0].hard_set, "... the last nofile counts");
		ok(o.iso.rlimits[1].resource == RLIMIT_CORE && o.iso.rlimits[1].soft == 0,
		   "... and core=0");
		ok(nsu_isolation_any(&o.iso), "... is work for the inner stage");
		nsu_options_free(&o);
	}
	{
		char *argv[] = { "nsu", "--rlimit", "nofile=2:1", "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "--rlimit soft > hard");
		is_str(e.msg, "option '--rlimit nofile=2:1': the soft limit is above the hard limit; "
		       "the soft limit is the one enforced, and may be at most the hard one",
		       "... with that message");
	}
	{
		char *argv[] = { "nsu", "--mask-path", "/a", "--tmpfs", "/t", "--ro-path", "/b",
				 "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "--mask-path and --ro-path");
		is_int(o.iso.n_fs, 3, "... filesystem operations");
		ok(o.iso.fs[0].kind == NSU_FS_MASK && !o.iso.fs[0].src &&
		   strcmp(o.iso.fs[0].dest, "/a") == 0, "... --mask-path /a first");
		ok(o.iso.fs[2].kind == NSU_FS_RO_PATH && strcmp(o.iso.fs[2].dest, "/b") == 0,
		   "... --ro-path /b in command-line order");
		nsu_options_free(&o);
	}
	{
		char *argv[] = { "nsu", "--ro-path", "rel", "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "a relative --ro-path");
		is_str(e.msg, "option '--ro-path': PATH 'rel' must be an absolute path (where to "
		       "mount)", "... with that message");
	}
	{
		char *argv[] = { "nsu", "--join", "1", "--mask-path", "/a", "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "--mask-path with --join");
		is_str(e.msg, "option '--join' enters the namespaces of process 1 as they are: a "
		       "filesystem option cannot apply to them", "... with that message");
	}
	{
		char *argv[] = { "nsu", "--join", "1", "--user", "5", "--rlimit", "nofile=5",
				 "--setsid", "--new-pgrp", "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0,
		       "--user, --rlimit, --setsid, --new-pgrp with --join");
		nsu_options_free(&o);
	}
}

/* "--" where an option's value should be: the value was forgotten. */
static void test_value_before_dashes(void)
{
	static const struct {
		const char *args[4];
		const char *msg;
	} refused[] = {
		{ { "--setenv", "FOO", "--", "id" },
		  "option '--setenv FOO' needs a VALUE before '--'; see 'nsu --help'" },
		{ { "--setenv", "--", "x", "id" },
		  "option '--setenv' needs VAR and VALUE before '--'; see 'nsu --help'" },
		{ { "--setenv=FOO", "--", "id" },
		  "option '--setenv FOO' needs a VALUE before '--'; see 'nsu --help'" },
		{ { "--unsetenv", "--", "id" },
		  "option '--unsetenv' needs a VAR before '--'; see 'nsu --help'" },
		{ { "--unset", "--", "id" },
		  "option '--unsetenv' needs a VAR before '--'; see 'nsu --help'" },
		{ { "-w", "--", "id" }, "option '-w' needs a DIR before '--'; see 'nsu --help'" },
		{ { "-vw", "--", "id" }, "option '-w' needs a DIR before '--'; see 'nsu --help'" },
		{ { "--chdir", "--", "id" },
		  "option '--chdir' needs a DIR before '--'; see 'nsu --help'" },
		{ { "--uidmap", "--", "id" },
		  "option '--uidmap' needs IN:OUT:COUNT before '--'; see 'nsu --help'" },
		{ { "--remap", "--", "id" },
		  "option '--remap' needs USER[:GROUP] before '--'; see 'nsu --help'" },
		{ { "--user", "--", "id" },
		  "option '--user' needs UID[:GID] before '--'; see 'nsu --help'" },
		{ { "--rlimit", "--", "id" },
		  "option '--rlimit' needs NAME=SOFT[:HARD] before '--'; see 'nsu --help'" },
		{ { "--mask-path", "--", "id" },
		  "option '--mask-path' needs a PATH before '--'; see 'nsu --help'" },
		{ { "--ro-path", "--", "id" },
		  "option '--ro-path' needs a PATH before '--'; see 'nsu --help'" },
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		char *argv[6] = { "nsu" };
		struct nsu_options o;
		struct nsu_err e;
		int argc = 1;

		for (int k = 0; k < 4 && refused[i].args[k]; k++)
			argv[argc++] = (char *)refused[i].args[k];
		argv[argc] = NULL;
		is_int(nsu_options_parse(&o, argc, argv, &e), -1, refused[i].msg);
		is_str(e.msg, refused[i].msg, "... with that message");
	}
	{
		struct nsu_options o;
		struct nsu_err e;
		char *argv[] = { "nsu", "--setenv", "CFLAGS", "-O2", "--unsetenv", "-x", "-w", "-d",
				 "--", "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "values that look like options");
		is_str(o.env_ops[0].value, "-O2", "--setenv CFLAGS -O2");
		is_str(o.env_ops[1].name, "-x", "--unsetenv -x");
		is_str(o.chdir, "-d", "-w -d");
		is_str(o.command[0], "id", "the command after --");
		nsu_options_free(&o);
	}
	{
		struct nsu_options o;
		struct nsu_err e;
		char *argv[] = { "nsu", "--chdir=--", "-w--", "id", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "'--' attached to its option");
		is_str(o.chdir, "--", "... is the value asked for");
	}
}

/* Each error names the option that caused it, as it was written. */
static void test_error_names(void)
{
	static const struct {
		const char *args[3];
		const char *msg;
	} cases[] = {
		{ { "--single", "-xv", "true" }, "unknown option '-x'; see 'nsu --help'" },
		{ { "-vx", "true" }, "unknown option '-x'; see 'nsu --help'" },
		{ { "--verbose", "-vqz" }, "unknown option '-z'; see 'nsu --help'" },
		{ { "--single", "-vw" }, "option '-w' needs a value; see 'nsu --help'" },
		{ { "--chdir" }, "option '--chdir' needs a value; see 'nsu --help'" },
		{ { "--single", "--chd" }, "option '--chdir' needs a value; see 'nsu --help'" },
		{ { "--uid" }, "option '--uidmap' needs a value; see 'nsu --help'" },
		{ { "--u" }, "option '--u' is ambiguous: --uidmap, --unsetenv, --uts, --user; see 'nsu --help'" },
		{ { "--u=1" }, "option '--u' is ambiguous: --uidmap, --unsetenv, --uts, --user; see 'nsu --help'" },
		{ { "--s=1" }, "option '--s' is ambiguous: --single, --setenv, --setsid, --session, --session-stop, --session-list; see 'nsu --help'" },
		{ { "--ch=x" }, "option '--ch' is ambiguous: --check, --chdir; see 'nsu --help'" },
		{ { "-v", "--single=1" }, "option '--single' takes no value; see 'nsu --help'" },
		{ { "--sin=1" }, "option '--single' takes no value; see 'nsu --help'" },
		{ { "--help=x" }, "option '--help' takes no value; see 'nsu --help'" },
		{ { "--single", "--bogus=1" }, "unknown or ambiguous option '--bogus'; see 'nsu --help'" },
		{ { "--=x" }, "unknown or ambiguous option '--=x'; see 'nsu --help'" },
		{ { "-v\001" }, "unknown option character 0x01; see 'nsu --help'" },
		{ { "-\351" }, "unknown option character 0xe9; see 'nsu --help'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[5] = { "nsu" };
		struct nsu_options o;
		struct nsu_err e;
		int argc = 1;

		for (int k = 0; k < 3 && cases[i].args[k]; k++)
			argv[argc++] = (char *)cases[i].args[k];
		argv[argc] = NULL;
		is_int(nsu_options_parse(&o, argc, argv, &e), -1, cases[i].msg);
		is_str(e.msg, cases[i].msg, "... with that message");
	}
	{
		struct nsu_options o;
		struct nsu_err e;
		char *argv[] = { "nsu", "--sin", "--unset", "A", "--ch", "--", "x", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), -1, "unique prefixes, then --ch");
		is_str(e.msg, "option '--ch' is ambiguous: --check, --chdir; see 'nsu --help'", "message");
	}
	{
		struct nsu_options o;
		struct nsu_err e;
		char *argv[] = { "nsu", "--sin", "--unset", "A", "--che", NULL };

		is_int(nsu_options_parse(&o, ARGC(argv), argv, &e), 0, "unique prefixes still accepted");
		is_int(o.mode, NSU_MODE_SINGLE, "--sin is --single");
		is_str(o.env_ops[0].name, "A", "--unset is --unsetenv");
		is_int(o.action, NSU_ACTION_CHECK, "--che is --check");
		nsu_options_free(&o);
	}
}

int main(void)
{
	test_parse();
	test_errors();
	test_mapping_options();
	test_command_options();
	test_process_options();
	test_value_before_dashes();
	test_error_names();
	return tap_done();
}
