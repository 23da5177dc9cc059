/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of map planning: modes, explicit lines, remap, whom the command runs as. */
#include "config.h"
#include <errno.h>

#include <stdlib.h>

#include "plan.h"
#include "tap.h"

#define R(s, c) { .start = (s), .count = (c) }

static const char *text(const struct nsu_idmap *m)
{
	static char buf[NSU_MAP_WRITE_MAX + 1];

	return nsu_idmap_format(m, buf, sizeof(buf)) < 0 ? "ERROR" : buf;
}

static struct nsu_plan_in uid_in(uint32_t own, const struct nsu_range *r, size_t n)
{
	return (struct nsu_plan_in){ .own = own, .ranges = r, .n = n, .owner = "alice",
				     .file = "/etc/subuid", .kind = "uid" };
}

static struct nsu_idmap *parse(const char *spec)
{
	static struct nsu_idmap m;
	struct nsu_err e;

	m.n = 0;
	return nsu_idmap_parse(&m, spec, &e) == 0 ? &m : NULL;
}

static void test_modes(void)
{
	struct nsu_range r[] = { R(100000, 65536) };
	struct nsu_plan_in in = uid_in(1000, r, 1);
	struct nsu_plan_map p;
	struct nsu_err e;
	char d[512];

	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, NULL, false, &e), 0, "auto");
	is_int(p.source, NSU_SRC_RANGES, "auto: from the ranges");
	is_str(text(&p.map), "0 1000 1\n1 100000 65536\n", "auto: the map");
	is_int(p.inside_self, 0, "auto: runs as 0");
	nsu_plan_describe(&p, &in, d, sizeof(d));
	is_str(d, "your uid 1000 as 0, then the subordinate uids of alice from /etc/subuid", "described");

	nsu_plan_map(&p, &in, NSU_MODE_SINGLE, NULL, false, &e);
	is_int(p.source, NSU_SRC_SINGLE, "single, as asked");
	is_str(text(&p.map), "0 1000 1\n", "single: own id only");

	nsu_plan_map(&p, &in, NSU_MODE_CURRENT_USER, NULL, false, &e);
	is_int(p.source, NSU_SRC_CURRENT, "current user");
	is_int(p.inside_self, 1000, "current user: runs as the own uid");
	is_str(text(&p.map), "0 100999 1\n1 100000 999\n1000 1000 1\n1001 101000 64536\n",
	       "current user: 0 and the uid traded");

	in = uid_in(1000, NULL, 0);
	nsu_plan_map(&p, &in, NSU_MODE_AUTO, NULL, false, &e);
	is_int(p.source, NSU_SRC_NO_RANGE, "no ranges: single-ID map");
	is_str(p.why.msg, "alice has no range in /etc/subuid", "... and why");
	in.lookup_err = &(struct nsu_err){ EIO, "libsubid could not read the subordinate uid ranges of alice" };
	nsu_plan_map(&p, &in, NSU_MODE_AUTO, NULL, false, &e);
	is_str(p.why.msg, "libsubid could not read the subordinate uid ranges of alice", "a lookup error is the why");
	nsu_plan_map(&p, &in, NSU_MODE_CURRENT_USER, NULL, false, &e);
	is_str(text(&p.map), "1000 1000 1\n", "current user without ranges: own id to itself");
}

static void test_explicit(void)
{
	struct nsu_range r[] = { R(100000, 65536) };
	struct nsu_plan_in in = uid_in(1000, r, 1);
	struct nsu_plan_map p;
	struct nsu_err e;

	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, parse("1:100000:10,0:1000:1"), false, &e), 0,
	       "explicit lines within the caller's ids");
	is_str(text(&p.map), "0 1000 1\n1 100000 10\n", "sorted by inside id");
	is_int(p.inside_self, 0, "0 mapped: runs as 0");
	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, parse("1000:1000:1"), false, &e), 0, "own id kept");
	is_int(p.inside_self, 1000, "0 unmapped: runs as the own id's inside id");
	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, parse("5:100000:1"), false, &e), -1,
	       "neither 0 nor the own id mapped");
	ok(strstr(e.msg, "maps neither uid 0 nor your own uid 1000") != NULL, "... says so");
	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, parse("0:999:1"), false, &e), -1, "a foreign id");
	is_str(e.msg, "--uidmap: outside ids 999-999 (of 0:999:1) are neither your own id nor in "
	       "your subordinate ranges (your uid is 1000)", "... named, with the own id");
	in.explicit_opt = "--gidmap";
	in.kind = "gid";
	nsu_plan_map(&p, &in, NSU_MODE_AUTO, parse("0:999:1"), false, &e);
	ok(strncmp(e.msg, "--gidmap: ", 10) == 0, "the option named is the one the lines came from");
	in = uid_in(1000, r, 1);
	in.any_id = true;
	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, parse("0:0:1,1:5:10"), false, &e), 0,
	       "privileged: any ids");
	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, parse("0:0:10,5:20:1"), false, &e), -1,
	       "privileged: overlaps still refused");
}

static void test_remap(void)
{
	struct nsu_range r[] = { R(300000, 2000), R(200000, 1000) };
	struct nsu_plan_in in = uid_in(0, r, 2);
	struct nsu_plan_map p;
	struct nsu_err e;

	in.owner = "builder";
	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, NULL, true, &e), 0, "remap");
	is_int(p.source, NSU_SRC_REMAP, "remap source");
	is_str(text(&p.map), "0 200000 1000\n1000 300000 2000\n", "builder's ranges from 0, root unmapped");
	in = uid_in(0, NULL, 0);
	in.owner = "builder";
	is_int(nsu_plan_map(&p, &in, NSU_MODE_AUTO, NULL, true, &e), -1, "remap without ranges");
	ok(strstr(e.msg, "builder has no range in /etc/subuid") != NULL, "... says whose");
	ok(strstr(e.msg, "100000") == NULL, "... and suggests no concrete range");
}

static void test_inside_self(void)
{
	is_int(nsu_plan_inside_self(NSU_MODE_AUTO, NULL, 1000), 0, "auto: 0");
	is_int(nsu_plan_inside_self(NSU_MODE_SINGLE, NULL, 1000), 0, "single: 0");
	is_int(nsu_plan_inside_self(NSU_MODE_CURRENT_USER, NULL, 1000), 1000, "current user: own");
	is_int(nsu_plan_inside_self(NSU_MODE_AUTO, parse("7:1000:1"), 1000), 7, "explicit: own's inside id");
	is_int(nsu_plan_inside_self(NSU_MODE_AUTO, parse("7:100000:1"), 1000), -1, "explicit: none");
}

int main(void)
{
	test_modes();
	test_explicit();
	test_remap();
	test_inside_self();
	return tap_done();
}
