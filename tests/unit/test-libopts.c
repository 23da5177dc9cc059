/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of libnsu's options: struct nsu_opts of any size, its fields
 * turned into nsu's options, and what is refused.
 */
#include "config.h"

#include <getopt.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "libopts.h"
#include "nsu.h"
#include "subids.h"
#include "tap.h"
#include "util.h"

static char *cmd[] = { "sh", "-c", "echo -- -x", NULL };

/* Parse @o for cmd into a fresh struct nsu: 0 or -1, with @e. */
static int parse(const struct nsu_opts *o, struct nsu *n, struct nsu_err *e)
{
	struct nsu_opts copy;
	char **words = NULL;
	int r;

	memset(n, 0, sizeof(*n));
	e->msg[0] = '\0';
	r = nsu_lib_copy_opts(&copy, o, e);
	if (r == 0)
		r = nsu_lib_parse(n, &copy, cmd, &words, e);
	/* The command stays in argv's words: check it before they go. */
	if (r == 0) {
		ok(n->o.command && strcmp(n->o.command[0], "sh") == 0 &&
			   strcmp(n->o.command[2], "echo -- -x") == 0 && !n->o.command[3],
		   "the command is passed on word for word");
	}
	nsu_options_free(&n->o);
	free(words);
	return r;
}

static void test_sizes(void)
{
	struct nsu_opts o;
	struct nsu n;
	struct nsu_err e;

	ok(parse(NULL, &n, &e) == 0 && n.o.mode == NSU_MODE_UNSET && !n.even_root,
	   "no options: the defaults");
	nsu_opts_init(&o);
	is_int((int)o.size, (int)sizeof(o), "nsu_opts_init() records the size");
	o.size = 3;
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "nsu_opts_init()"), "a size too small is refused");
	{
		/* A newer header's struct: larger, with fields this library does not know. */
		struct {
			struct nsu_opts o;
			unsigned char more[16];
		} big;

		memset(&big, 0, sizeof(big));
		nsu_opts_init(&big.o);
		big.o.size = sizeof(big);
		ok(parse(&big.o, &n, &e) == 0, "a larger struct, its unknown fields unset: accepted");
		big.more[3] = 1;
		ok(parse(&big.o, &n, &e) < 0 && strstr(e.msg, "does not know"),
		   "a larger struct that sets an unknown field: refused");
	}

	/* An older header's struct: the fields after its end are not read. */
	nsu_opts_init(&o);
	o.mapping = NSU_MAPPING_SINGLE;
	o.args = (const char *const[]){ "not-an-option", NULL };
	o.size = offsetof(struct nsu_opts, args);
	ok(parse(&o, &n, &e) == 0 && n.o.mode == NSU_MODE_SINGLE,
	   "an older, shorter struct: read up to its size, the rest is zero");
}

static void test_fields(void)
{
	struct nsu_opts o;
	struct nsu n;
	struct nsu_err e;

	nsu_opts_init(&o);
	o.mapping = NSU_MAPPING_AUTO;
	ok(parse(&o, &n, &e) == 0 && n.o.mode == NSU_MODE_AUTO, "NSU_MAPPING_AUTO");
	o.mapping = NSU_MAPPING_CURRENT_USER;
	ok(parse(&o, &n, &e) == 0 && n.o.mode == NSU_MODE_CURRENT_USER,
	   "NSU_MAPPING_CURRENT_USER");
	o.mapping = 9;
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "mapping 9"), "an unknown mapping is refused");

	nsu_opts_init(&o);
	o.uidmap = "0:1000:1,1:100000:65536";
	o.gidmap = "0:1000:1";
	o.log_level = NSU_LOG_QUIET;
	o.flags = NSU_EVEN_ROOT;
	o.newuidmap = "/opt/shadow/bin/newuidmap";
	o.chdir = "/srv";
	ok(parse(&o, &n, &e) == 0, "maps, quiet, even root, a helper, a directory");
	ok(n.even_root && n.lib, "NSU_EVEN_ROOT");
	is_str(n.helper[NSU_UID], "/opt/shadow/bin/newuidmap", "the uid helper");
	ok(n.helper[NSU_GID] == NULL, "the gid helper stays the configured one");
	is_int(n.o.verbosity, NSU_QUIET, "NSU_LOG_QUIET is -q");
	is_str(n.o.chdir, "/srv", "chdir");

	o.uidmap = "0:4294967290:10";
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "struct nsu_opts: ") && strstr(e.msg, "--uidmap"),
	   "a uidmap past the last id is refused by nsu's parser");
	o.uidmap = NULL;
	o.log_level = 3;
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "log_level 3"), "an unknown log level");
	o.log_level = 0;
	o.flags = 0x100;
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "unknown flags 0x100"), "unknown flags");
}

static void test_getopt_kept(void)
{
	struct nsu_opts o;
	struct nsu n;
	struct nsu_err e;

	nsu_opts_init(&o);
	o.args = (const char *const[]){ "--net", NULL };
	optind = 7;
	opterr = 1;
	optopt = 'x';
	ok(parse(&o, &n, &e) == 0 && optind == 7 && opterr == 1 && optopt == 'x',
	   "the program's getopt() state is kept");
	optind = 1;
}

static void test_args(void)
{
	static const char *const refused[][3] = {
		{ "--check", NULL }, { "--session", "s", NULL }, { "--join", "1", NULL },
		{ "--print-mappings", NULL }, { "--help", NULL }, { "--session-list", NULL },
	};
	struct nsu_opts o;
	struct nsu n;
	struct nsu_err e;

	nsu_opts_init(&o);
	o.args = (const char *const[]){ "--net", "--hostname", "b1", "--cap-drop", "net_raw", NULL };
	ok(parse(&o, &n, &e) == 0, "args: options of a run (%s)", e.msg);
	o.args = (const char *const[]){ "--net", "oops", NULL };
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "'oops', which is not an option"),
	   "args: a word that belongs to no option");
	o.args = (const char *const[]){ "--", NULL };
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "which is not an option"),
	   "args: an end of the options");
	o.args = (const char *const[]){ "--no-such-option", NULL };
	ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "--no-such-option"), "args: an unknown option");
	for (size_t i = 0; i < NSU_ARRAY_SIZE(refused); i++) {
		o.args = refused[i];
		ok(parse(&o, &n, &e) < 0 && strstr(e.msg, "struct nsu_opts"),
		   "args: %s is refused (%s)", refused[i][0], e.msg);
	}
}

int main(void)
{
	test_sizes();
	test_fields();
	test_args();
	test_getopt_kept();
	return tap_done();
}
