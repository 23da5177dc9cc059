/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of session records: names, the shape words, and the record
 * format (round trip, and every malformed record refused).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "options.h"
#include "record.h"
#include "tap.h"
#include "util.h"

static void test_names(void)
{
	static const char *const good[] = { "a", "build", "B-1.x_y", "0",
		"1234567890123456789012345678901234567890123456789012345678901234" };
	static const char *const bad[] = { "", ".", "..", ".x", "-x", "a/b", "../x", "a b", "é",
		"a:b", "12345678901234567890123456789012345678901234567890123456789012345" };

	for (size_t i = 0; i < NSU_ARRAY_SIZE(good); i++)
		ok(nsu_session_name_valid(good[i]), "'%s' is a session name", good[i]);
	for (size_t i = 0; i < NSU_ARRAY_SIZE(bad); i++)
		ok(!nsu_session_name_valid(bad[i]), "'%s' is not a session name", bad[i]);
}

static void test_shape(void)
{
	char *words[] = { "--pid", "--bind", "/a b", "/c\\d", "", "--hostname", "h\x01", NULL };
	char out[256], shown[256], small[8];
	struct nsu_err e;

	is_int(nsu_shape_join(words, out, sizeof(out), &e), 0, "nsu_shape_join");
	is_str(out, "--pid --bind /a\\x20b /c\\x5cd \\0 --hostname h\\x01", "... escapes");
	ok(!strchr(out, '\n') && !strchr(out, '\t'), "... one line without blanks in a word");
	nsu_shape_show(out, shown, sizeof(shown));
	is_str(shown, "--pid --bind /a b /c\\d '' --hostname h?", "nsu_shape_show");
	is_int(nsu_shape_join(NULL, out, sizeof(out), &e), 0, "no words");
	is_str(out, "", "... nothing");
	is_int(nsu_shape_join(words, small, sizeof(small), &e), -1, "too long");
	ok(strstr(e.msg, "longer than 7 bytes") != NULL, "... says so");
	is_str(small, "", "... and leaves nothing half written");
}

static void test_record(void)
{
	struct nsu_session_record r = { .pid = 4242, .start = 123456789012ULL, .uid = 0,
					.gid = 7, .flags = 1 }, back;
	char text[8192];
	int n;

	r.has[NSU_NS_USER] = r.has[NSU_NS_MNT] = r.has[NSU_NS_NET] = true;
	r.ns[NSU_NS_USER] = (struct nsu_ns_id){ 4, 4026532180ULL };
	r.ns[NSU_NS_MNT] = (struct nsu_ns_id){ 4, 4026532181ULL };
	r.ns[NSU_NS_NET] = (struct nsu_ns_id){ 4, 18446744073709551615ULL };
	snprintf(r.shape, sizeof(r.shape), "--net --bind /a\\x20b /c");
	n = nsu_record_format(&r, text, sizeof(text));
	ok(n > 0 && (size_t)n == strlen(text), "nsu_record_format");
	is_str(text, "nsu-session 1\npid 4242\nstart 123456789012\nuid 0\ngid 7\nflags 1\n"
	       "ns user 4 4026532180\nns mnt 4 4026532181\nns net 4 18446744073709551615\n"
	       "shape --net --bind /a\\x20b /c\n", "... the text");
	is_int(nsu_record_parse(text, &back), 0, "nsu_record_parse");
	ok(memcmp(&r, &back, sizeof(r)) == 0, "... gives the same record back");
	is_int(nsu_record_format(&r, text, 40), -1, "a buffer too small");
}

static void test_bad_records(void)
{
	static const char *const bad[] = {
		"",
		"nsu-session 1\n",
		/* no mount namespace */
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nshape \n",
		/* another format */
		"nsu-session 2\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
		/* pid 0, a pid too large, a negative one */
		"nsu-session 1\npid 0\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
		"nsu-session 1\npid 2147483648\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
		"nsu-session 1\npid -1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
		/* a key twice, an unknown key, an unknown namespace, a namespace twice */
		"nsu-session 1\npid 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \nx 1\n",
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nns time 1 2\nshape \n",
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nns mnt 1 2\nshape \n",
		/* no final newline, a uid too large, junk after a number, a missing field */
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape ",
		"nsu-session 1\npid 1\nstart 1\nuid 4294967295\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
		"nsu-session 1\npid 1x\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nns mnt 1 2\nshape \n",
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1\nshape \n",
		"nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2 3\nshape \n",
		/* the format line not first */
		"pid 1\nnsu-session 1\nstart 1\nuid 0\ngid 0\nflags 0\nns mnt 1 2\nshape \n",
	};
	struct nsu_session_record r;

	for (size_t i = 0; i < NSU_ARRAY_SIZE(bad); i++)
		is_int(nsu_record_parse(bad[i], &r), -1, "malformed record refused");
	is_int(nsu_record_parse("nsu-session 1\npid 1\nstart 1\nuid 0\ngid 0\nflags 0\n"
				"ns mnt 1 2\nshape \n", &r), 0, "the smallest record");
	ok(r.has[NSU_NS_MNT] && !r.has[NSU_NS_USER] && r.shape[0] == '\0', "... root's, no shape");
}

/* The error message of parsing @argv (NULL-terminated), or "" when it parses. */
static const char *parse_error(char **argv)
{
	static struct nsu_err e;
	struct nsu_options o;
	int argc = 0;

	while (argv[argc])
		argc++;
	e.msg[0] = '\0';
	if (nsu_options_parse(&o, argc, argv, &e) == 0) {
		nsu_options_free(&o);
		return "";
	}
	return e.msg;
}

static void test_options(void)
{
	is_str(parse_error((char *[]){ "nsu", "--session", "s", "--", "true", NULL }), "",
	       "--session NAME");
	is_str(parse_error((char *[]){ "nsu", "--session", "a/b", "--", "true", NULL }),
	       "option '--session': 'a/b' is not a session name (1 to 64 of letters, digits, '.', "
	       "'_' and '-', not starting with '.' or '-')", "--session with a path");
	is_str(parse_error((char *[]){ "nsu", "--session", "a", "--session", "b", "--", "true",
				       NULL }),
	       "option '--session b': the session is 'a' already", "two sessions");
	is_str(parse_error((char *[]){ "nsu", "--session-list", "--", "true", NULL }),
	       "option '--session-list' runs no command, but 'true' was given",
	       "--session-list with a command");
	is_str(parse_error((char *[]){ "nsu", "--session-stop", "s", "--join", "1", NULL }),
	       "option '--session-stop' cannot be combined with '--join'", "--session-stop --join");
	is_str(parse_error((char *[]){ "nsu", "--join", "1", "--session", "s", "--", "true", NULL }),
	       "options '--join' and '--session' cannot be combined: a session is joined with "
	       "--session NAME", "--join --session");
	is_str(parse_error((char *[]){ "nsu", "--join", "12", "--bind", "/a", "/b", "--", "true",
				       NULL }),
	       "option '--join' enters the namespaces of process 12 as they are: a filesystem "
	       "option cannot apply to them", "--join --bind");
	is_str(parse_error((char *[]){ "nsu", "--join", "12", "--single", "--", "true", NULL }),
	       "option '--join' enters the namespaces of process 12 as they are: --single cannot "
	       "apply to them", "--join --single");
	is_str(parse_error((char *[]){ "nsu", "--join", "12", "--caps-none", "-w", "/", "--",
				       "true", NULL }), "", "--join with per-command options");
	is_str(parse_error((char *[]){ "nsu", "--join", "0", "--", "true", NULL }),
	       "option '--join': '0' is not a process id", "--join 0");
	is_str(parse_error((char *[]){ "nsu", "--join", "4194305", "--", "true", NULL }),
	       "option '--join': '4194305' is not a process id", "--join past the largest pid");
	is_str(parse_error((char *[]){ "nsu", "--check", "--session", "s", NULL }),
	       "option '--check' cannot be combined with '--session'", "--check --session");
}

int main(void)
{
	test_names();
	test_shape();
	test_record();
	test_bad_records();
	test_options();
	return tap_done();
}
