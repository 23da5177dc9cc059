/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the configuration parser, with hostile input. */
#include "config.h"

#include <stdlib.h>

#include "conf.h"
#include "tap.h"

static char warnings[2048];

static void collect(void *ctx, const char *msg)
{
	size_t off = strlen(warnings);

	(void)ctx;
	snprintf(warnings + off, sizeof(warnings) - off, "%s|", msg);
}

static int parse(struct nsu_config *c, const char *text, struct nsu_err *e)
{
	warnings[0] = '\0';
	nsu_config_defaults(c);
	return nsu_config_parse(c, text, "t.conf", collect, NULL, e);
}

static void test_values(void)
{
	struct nsu_config c;
	struct nsu_err e;

	nsu_config_defaults(&c);
	is_int(c.mode, NSU_MODE_AUTO, "default mode auto");
	ok(c.warn_fallback && c.containers_env, "defaults: warn, containers env");
	is_str(c.newuidmap, NSU_NEWUIDMAP, "default newuidmap");
	is_str(c.shell, "", "default shell: none");

	is_int(parse(&c, "", &e), 0, "empty file");
	is_int(parse(&c, "# comment\n; other comment\n\n", &e), 0, "comments only");
	is_int(parse(&c,
		     "[mapping]\n"
		     "mode = single\n"
		     "newuidmap = /opt/bin/newuidmap\n"
		     "newgidmap=/opt/bin/newgidmap\n"
		     "warn-fallback = no\n"
		     "[command]\n"
		     "containers-env = off\n"
		     "shell = /bin/zsh\n", &e), 0, "every key");
	is_int(c.mode, NSU_MODE_SINGLE, "mode single");
	is_str(c.newuidmap, "/opt/bin/newuidmap", "newuidmap");
	is_str(c.newgidmap, "/opt/bin/newgidmap", "newgidmap without spaces");
	ok(!c.warn_fallback, "warn-fallback no");
	ok(!c.containers_env, "containers-env off");
	is_str(c.shell, "/bin/zsh", "shell");
	is_str(warnings, "", "no warnings");

	parse(&c, "[mapping]\nmode = current-user\n", &e);
	is_int(c.mode, NSU_MODE_CURRENT_USER, "mode current-user");
	parse(&c, "[mapping]\nwarn-fallback = TRUE\n", &e);
	ok(c.warn_fallback, "booleans are case-insensitive");
	parse(&c, "[mapping]\nmode = single ; inline comment\n", &e);
	is_int(c.mode, NSU_MODE_SINGLE, "inline ; comment");
	is_int(parse(&c, "  [mapping]\n\tmode = single\n    warn-fallback = no\n", &e), 0,
	       "indented lines are settings");
	ok(c.mode == NSU_MODE_SINGLE && !c.warn_fallback, "... both applied");

	{
		/* Later files override earlier ones: parse twice into one config. */
		nsu_config_defaults(&c);
		nsu_config_parse(&c, "[mapping]\nmode = single\nwarn-fallback = no\n", "a", NULL, NULL, &e);
		nsu_config_parse(&c, "[mapping]\nmode = auto\n", "b", NULL, NULL, &e);
		is_int(c.mode, NSU_MODE_AUTO, "second file overrides");
		ok(!c.warn_fallback, "keys it does not set stay");
	}
}

static void test_warnings(void)
{
	struct nsu_config c;
	struct nsu_err e;

	is_int(parse(&c, "[mapping]\nmod = single\n", &e), 0, "unknown key is not an error");
	is_str(warnings, "t.conf:2: unknown key 'mod' in [mapping] ignored|", "... but a warning with file:line");
	is_int(parse(&c, "\n\n[extra]\nx = 1\ny = 2\n", &e), 0, "unknown section");
	is_str(warnings, "t.conf:4: unknown section [extra] (key 'x' ignored)|"
	       "t.conf:5: unknown section [extra] (key 'y' ignored)|", "one warning per key, lines right");
	is_int(parse(&c, "mode = single\n", &e), 0, "key outside any section");
	is_str(warnings, "t.conf:1: unknown section [] (key 'mode' ignored)|", "named");
}

static void test_errors(void)
{
	struct nsu_config c;
	struct nsu_err e;

	is_int(parse(&c, "[mapping]\nthis is not a setting\n", &e), -1, "malformed line");
	is_str(e.msg, "t.conf:2: malformed line: expected [section], key = value, or a comment "
	       "starting with # or ;", "names file:line");
	is_int(parse(&c, "[mapping\nmode=auto\n", &e), -1, "unclosed section");
	ok(strncmp(e.msg, "t.conf:1: ", 10) == 0, "names line 1");
	is_int(parse(&c, "[mapping]\nmode = root\n", &e), -1, "bad mode");
	is_str(e.msg, "t.conf:2: mode must be auto, single or current-user, not 'root'", "message");
	is_int(parse(&c, "[mapping]\n\nwarn-fallback = maybe\n", &e), -1, "bad boolean");
	is_str(e.msg, "t.conf:3: warn-fallback must be yes or no, not 'maybe'", "message");
	is_int(parse(&c, "[mapping]\nnewuidmap = newuidmap\n", &e), -1, "relative helper path");
	is_str(e.msg, "t.conf:2: newuidmap must be an absolute path, not 'newuidmap'", "message");
	is_int(parse(&c, "[command]\nshell = \n", &e), -1, "empty shell");
	is_int(parse(&c, "[command]\ncontainers-env =\n", &e), -1, "empty boolean");
	{
		char big[8192];
		memcpy(big, "[mapping]\nnewuidmap = /", 23);
		memset(big + 23, 'a', sizeof(big) - 25);
		big[sizeof(big) - 2] = '\n';
		big[sizeof(big) - 1] = '\0';
		is_int(parse(&c, big, &e), -1, "over-long line refused, not split");
		is_str(c.newuidmap, NSU_NEWUIDMAP, "... and nothing of it applied");
	}
	{
		char big[600];
		memcpy(big, "# ", 2);
		memset(big + 2, 'c', sizeof(big) - 20);
		memcpy(big + sizeof(big) - 18, "\n[mapping]\nmode=", 17);
		big[sizeof(big) - 1] = '\0';
		is_int(parse(&c, big, &e), -1, "a long comment line is fine (error only from the bad mode)");
		ok(strstr(e.msg, "t.conf:3: mode must be") != NULL, "... the error is on line 3");
	}
	is_int(parse(&c, "[mapping]\nmode = single\x01\n", &e), -1, "control byte refused");
	is_int(parse(&c, "[mapping]\nmode = auto\n  single\n", &e), -1,
	       "an indented word is no continuation of the value before");
	is_str(e.msg, "t.conf:3: malformed line: expected [section], key = value, or a comment "
	       "starting with # or ;", "... but a malformed line");
	is_int(parse(&c, "[mapping]\nmode = auto\nbad\nmode = single\n", &e), -1, "error in the middle");
	ok(strncmp(e.msg, "t.conf:3: ", 10) == 0, "first error's line");
}

static void test_paths(void)
{
	char *p[3];
	size_t n;

	n = nsu_config_paths("/etc/nsu.conf", NULL, "/home/a", NULL, p);
	is_int(n, 2, "system + user");
	is_str(p[0], "/etc/nsu.conf", "system first");
	is_str(p[1], "/home/a/.config/nsu/nsu.conf", "then ~/.config");
	for (size_t i = 0; i < n; i++)
		free(p[i]);

	n = nsu_config_paths("/etc/nsu.conf", "/x/cfg", "/home/a", "/tmp/my.conf", p);
	is_int(n, 3, "system + XDG + NSU_CONFIG");
	is_str(p[1], "/x/cfg/nsu/nsu.conf", "XDG_CONFIG_HOME wins over HOME");
	is_str(p[2], "/tmp/my.conf", "NSU_CONFIG last");
	for (size_t i = 0; i < n; i++)
		free(p[i]);

	n = nsu_config_paths("/etc/nsu.conf", "relative", "", "", p);
	is_int(n, 1, "relative XDG, empty HOME and NSU_CONFIG ignored");
	free(p[0]);
}

int main(void)
{
	test_values();
	test_warnings();
	test_errors();
	test_paths();
	return tap_done();
}
