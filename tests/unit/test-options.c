/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of command-line parsing. */
#include "config.h"

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
		is_str(e.msg, "unknown option '--bogus'; see 'nsu --help'", "message names it");
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

int main(void)
{
	test_parse();
	test_errors();
	return tap_done();
}
