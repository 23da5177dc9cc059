/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of --rlimit: the names and values it reads, what it refuses,
 * how it writes them back for the inner stage, and the check against the
 * current limits.
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "rlimit.h"
#include "tap.h"
#include "util.h"

#define INF RLIM_INFINITY

static void test_parse(void)
{
	static const struct {
		const char *arg;
		int resource;
		int soft_set, hard_set;
		rlim_t soft, hard;
		const char *back;
	} good[] = {
		{ "nofile=1024", RLIMIT_NOFILE, 1, 0, 1024, 0, "nofile=1024" },
		{ "NOFILE=10:20", RLIMIT_NOFILE, 1, 1, 10, 20, "nofile=10:20" },
		{ "NoFile=5:", RLIMIT_NOFILE, 1, 0, 5, 0, "nofile=5" },
		{ "nproc=:100", RLIMIT_NPROC, 0, 1, 0, 100, "nproc=:100" },
		{ "core=0", RLIMIT_CORE, 1, 0, 0, 0, "core=0" },
		{ "core=unlimited", RLIMIT_CORE, 1, 0, INF, 0, "core=unlimited" },
		{ "as=INFINITY:unlimited", RLIMIT_AS, 1, 1, INF, INF, "as=unlimited:unlimited" },
		{ "fsize=1:unlimited", RLIMIT_FSIZE, 1, 1, 1, INF, "fsize=1:unlimited" },
		{ "stack=8388608", RLIMIT_STACK, 1, 0, 8388608, 0, "stack=8388608" },
		{ "cpu=7:7", RLIMIT_CPU, 1, 1, 7, 7, "cpu=7:7" },
		{ "memlock=65536", RLIMIT_MEMLOCK, 1, 0, 65536, 0, "memlock=65536" },
		{ "sigpending=3", RLIMIT_SIGPENDING, 1, 0, 3, 0, "sigpending=3" },
		{ "rttime=18446744073709551614", RLIMIT_RTTIME, 1, 0, 18446744073709551614ULL, 0,
		  "rttime=18446744073709551614" },
	};
	static const struct {
		const char *arg, *msg;
	} bad[] = {
		{ "nofiles=1", "option '--rlimit': 'nofiles' is not a limit" },
		{ "=1", "option '--rlimit': '' is not a limit" },
		{ "", "option '--rlimit': '' is not a limit" },
		{ "nofile", "option '--rlimit nofile' needs a value: nofile=SOFT[:HARD]" },
		{ "nofile=", "option '--rlimit nofile=': the value is not" },
		{ "nofile=:", "option '--rlimit nofile=:': the value is not" },
		{ "nofile=-1", "option '--rlimit nofile=-1': the value is not" },
		{ "nofile=+1", "option '--rlimit nofile=+1': the value is not" },
		{ "nofile= 1", "option '--rlimit nofile= 1': the value is not" },
		{ "nofile=1x", "option '--rlimit nofile=1x': the value is not" },
		{ "nofile=0x10", "option '--rlimit nofile=0x10': the value is not" },
		{ "nofile=1:2:3", "option '--rlimit nofile=1:2:3': the value is not" },
		{ "nofile=18446744073709551615", "option '--rlimit nofile=18446744073709551615': "
		  "the value is not" },
		{ "nofile=99999999999999999999", "option '--rlimit nofile=99999999999999999999': "
		  "the value is not" },
		{ "nofile=unlimitedx", "option '--rlimit nofile=unlimitedx': the value is not" },
		{ "nofile=20:10", "option '--rlimit nofile=20:10': the soft limit is above the "
		  "hard limit" },
		{ "nofile=unlimited:10", "option '--rlimit nofile=unlimited:10': the soft limit is "
		  "above the hard limit" },
	};
	struct nsu_rlimit l;
	struct nsu_err e;
	char back[80];

	for (size_t i = 0; i < NSU_ARRAY_SIZE(good); i++) {
		int r = nsu_rlimit_parse(good[i].arg, &l, &e);

		ok(r == 0 && l.resource == good[i].resource && l.soft_set == !!good[i].soft_set &&
		   l.hard_set == !!good[i].hard_set && (!l.soft_set || l.soft == good[i].soft) &&
		   (!l.hard_set || l.hard == good[i].hard), "nsu_rlimit_parse('%s')", good[i].arg);
		nsu_rlimit_format(&l, back, sizeof(back));
		is_str(back, good[i].back, "... written back");
	}
	for (size_t i = 0; i < NSU_ARRAY_SIZE(bad); i++) {
		e.msg[0] = '\0';
		ok(nsu_rlimit_parse(bad[i].arg, &l, &e) == -1 &&
		   strncmp(e.msg, bad[i].msg, strlen(bad[i].msg)) == 0,
		   "nsu_rlimit_parse('%s') fails: %s", bad[i].arg, e.msg);
	}
	ok(strstr(e.msg, "a number below 2^64-1 or 'unlimited'") || strstr(e.msg, "soft limit"),
	   "the message says what a value is");
	is_str(nsu_rlimit_name(RLIMIT_NOFILE), "nofile", "nsu_rlimit_name(RLIMIT_NOFILE)");
	ok(nsu_rlimit_name(-5) == NULL, "nsu_rlimit_name() of no limit is NULL");
}

static void test_check(void)
{
	struct rlimit cur = { .rlim_cur = 1024, .rlim_max = 4096 }, got;
	struct nsu_rlimit l;
	struct nsu_err e;

	nsu_rlimit_parse("nofile=2048", &l, &e);
	ok(nsu_rlimit_check(&l, &cur, false, &e) == 0, "a soft limit up to the hard one: fine");
	got = nsu_rlimit_result(&l, &cur);
	ok(got.rlim_cur == 2048 && got.rlim_max == 4096, "... the hard limit stays");

	nsu_rlimit_parse("nofile=8192", &l, &e);
	ok(nsu_rlimit_check(&l, &cur, false, &e) == -1, "a soft limit above the hard one: refused");
	ok(strstr(e.msg, "--rlimit nofile=8192: the soft limit 8192 would be above the hard "
		  "limit 4096") != NULL, "... saying so: %s", e.msg);

	nsu_rlimit_parse("nofile=100:8192", &l, &e);
	ok(nsu_rlimit_check(&l, &cur, false, &e) == -1, "a hard limit raised: refused");
	ok(strstr(e.msg, "--rlimit nofile=100:8192: the hard limit of nofile is 4096 here") &&
	   strstr(e.msg, "CAP_SYS_RESOURCE") && strstr(e.msg, "prlimit --pid PID --nofile=:N"),
	   "... naming the current limit and the way out: %s", e.msg);
	ok(nsu_rlimit_check(&l, &cur, true, &e) == 0, "... allowed with CAP_SYS_RESOURCE");

	nsu_rlimit_parse("nofile=:unlimited", &l, &e);
	ok(nsu_rlimit_check(&l, &cur, false, &e) == -1, "an unlimited hard limit: refused");
	ok(strstr(e.msg, "ask for at most 4096") != NULL, "... saying how far it may go");

	nsu_rlimit_parse("nofile=:512", &l, &e);
	ok(nsu_rlimit_check(&l, &cur, false, &e) == 0, "a hard limit lowered: fine");
	got = nsu_rlimit_result(&l, &cur);
	ok(got.rlim_cur == 512 && got.rlim_max == 512, "... taking the soft one down with it");

	cur = (struct rlimit){ .rlim_cur = 10, .rlim_max = INF };
	nsu_rlimit_parse("core=unlimited:unlimited", &l, &e);
	ok(nsu_rlimit_check(&l, &cur, false, &e) == 0, "unlimited under an unlimited hard limit");
}

int main(void)
{
	test_parse();
	test_check();
	return tap_done();
}
