/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the id-map logic: normalisation, layout, formatting, limits. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"
#include "tap.h"

#define R(s, c) { .start = (s), .count = (c) }
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Normalise @in and render the result as "start+count," pairs. */
static const char *norm(const struct nsu_range *in, size_t n, uint32_t own,
			struct nsu_norm_report *rep)
{
	static char buf[1024];
	struct nsu_range *out;
	size_t m, off = 0;

	if (nsu_ranges_normalize(in, n, own, &out, &m, rep) < 0)
		return "ERROR";
	buf[0] = '\0';
	for (size_t i = 0; i < m; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%llu+%llu,",
					(unsigned long long)out[i].start,
					(unsigned long long)out[i].count);
	free(out);
	return buf;
}

static const char *map_text(const struct nsu_idmap *m)
{
	static char buf[NSU_MAP_WRITE_MAX + 1];

	return nsu_idmap_format(m, buf, sizeof(buf)) < 0 ? "ERROR" : buf;
}

static void test_normalize(void)
{
	struct nsu_norm_report rep;

	is_str(norm(NULL, 0, 1000, &rep), "", "no ranges stay none");
	{
		struct nsu_range in[] = { R(100000, 65536) };
		is_str(norm(in, N(in), 1000, &rep), "100000+65536,", "one range kept as is");
	}
	{
		struct nsu_range in[] = { R(300000, 10), R(100000, 10) };
		is_str(norm(in, N(in), 1000, &rep), "100000+10,300000+10,", "ranges sorted by start");
	}
	{
		struct nsu_range in[] = { R(700000, 1000), R(700500, 1000) };
		is_str(norm(in, N(in), 1, &rep), "700000+1500,", "overlapping ranges merged");
		is_int(rep.merged, 1, "merge counted");
	}
	{
		struct nsu_range in[] = { R(100, 10), R(110, 5) };
		is_str(norm(in, N(in), 1, &rep), "100+15,", "adjacent ranges merged");
	}
	{
		struct nsu_range in[] = { R(100, 100), R(120, 10) };
		is_str(norm(in, N(in), 1, &rep), "100+100,", "contained range absorbed");
	}
	{
		struct nsu_range in[] = { R(100, 10), R(100, 10), R(100, 10) };
		is_str(norm(in, N(in), 1, &rep), "100+10,", "duplicates merged");
	}
	{
		struct nsu_range in[] = { R(5000, 0), R(100, 10) };
		is_str(norm(in, N(in), 1, &rep), "100+10,", "empty range dropped");
		is_int(rep.empty, 1, "empty range counted");
	}
	{
		struct nsu_range in[] = { R(4294967290ULL, 100) };
		is_str(norm(in, N(in), 1, &rep), "4294967290+5,", "range clipped below (uid_t)-1");
		is_int(rep.clipped, 1, "clip counted");
	}
	{
		struct nsu_range in[] = { R(4294967295ULL, 1), R(1ULL << 40, 10), R(10, 1) };
		is_str(norm(in, N(in), 1, &rep), "10+1,", "ranges starting past the id space dropped");
		is_int(rep.invalid, 2, "invalid ranges counted");
	}
	{
		struct nsu_range in[] = { R(0xFFFFFFFFFFFFFFF0ULL, 0x20) };
		is_str(norm(in, N(in), 1, &rep), "", "64-bit overflow of start+count dropped");
	}
	{
		struct nsu_range in[] = { R(100, UINT64_MAX) };
		is_str(norm(in, N(in), 1, &rep), "100+4294967195,", "huge count clipped, no wrap");
	}
	{
		struct nsu_range in[] = { R(1000, 100) };
		is_str(norm(in, N(in), 1005, &rep), "1000+5,1006+94,", "own id cut out of the middle");
		ok(rep.own_id_cut, "own-id cut reported");
	}
	{
		struct nsu_range in[] = { R(1000, 100) };
		is_str(norm(in, N(in), 1000, &rep), "1001+99,", "own id cut from the start");
	}
	{
		struct nsu_range in[] = { R(1000, 100) };
		is_str(norm(in, N(in), 1099, &rep), "1000+99,", "own id cut from the end");
	}
	{
		struct nsu_range in[] = { R(1000, 1), R(2000, 5) };
		is_str(norm(in, N(in), 1000, &rep), "2000+5,", "range of only the own id removed");
	}
	{
		struct nsu_range in[] = { R(10, 5), R(1000, 100), R(5000, 5) };
		is_str(norm(in, N(in), 1050, &rep), "10+5,1000+50,1051+49,5000+5,",
		       "split keeps the following ranges in order");
	}
	{
		struct nsu_range in[] = { R(1000, 100) };
		is_str(norm(in, N(in), 50, &rep), "1000+100,", "own id outside the ranges: untouched");
		ok(!rep.own_id_cut, "no cut reported");
	}
}

static void test_build(void)
{
	struct nsu_idmap m;

	is_int(nsu_idmap_build(&m, 1000, 0, NULL, 0), 0, "single-ID map builds");
	is_str(map_text(&m), "0 1000 1\n", "single-ID map is 0 <own> 1");
	{
		struct nsu_range r[] = { R(100000, 65536) };
		is_int(nsu_idmap_build(&m, 1000, 0, r, N(r)), 0, "one range builds");
		is_str(map_text(&m), "0 1000 1\n1 100000 65536\n", "one range from inside 1");
		is_int(nsu_idmap_size(&m), 65537, "size counts all ids");
	}
	{
		struct nsu_range r[] = { R(200000, 1000), R(300000, 2000) };
		nsu_idmap_build(&m, 1002, 0, r, N(r));
		is_str(map_text(&m), "0 1002 1\n1 200000 1000\n1001 300000 2000\n",
		       "two ranges back to back");
	}
	{
		struct nsu_range r[] = { R(1, NSU_ID_MAX) };
		nsu_idmap_build(&m, 0, 0, r, N(r));
		is_str(map_text(&m), "0 0 1\n1 1 4294967294\n", "whole id space fits exactly");
		is_int(nsu_idmap_size(&m), 4294967295LL, "size is 2^32-1");
	}
	{
		struct nsu_range r[] = { R(1, 4000000000ULL), R(4000000001ULL, 294967294ULL) };
		nsu_idmap_build(&m, 0, 0, r, N(r));
		is_str(map_text(&m), "0 0 1\n1 1 4000000000\n4000000001 4000000001 294967294\n",
		       "inside ids stop at 2^32-2");
	}
	{
		struct nsu_range r[] = { R(1, 4294967294ULL), R(4294967294ULL, 1) };
		nsu_idmap_build(&m, 0, 0, r, N(r));
		is_int(m.n, 2, "ranges past the inside id space are left out");
	}
	{
		struct nsu_range r[NSU_MAX_EXTENTS - 1];
		for (size_t i = 0; i < N(r); i++)
			r[i] = (struct nsu_range)R(100 + 2 * i, 1);
		is_int(nsu_idmap_build(&m, 1, 0, r, N(r)), 0, "339 ranges + own id = 340 lines fit");
		is_int(m.n, NSU_MAX_EXTENTS, "340 extents");
	}
	{
		struct nsu_range r[NSU_MAX_EXTENTS];
		for (size_t i = 0; i < N(r); i++)
			r[i] = (struct nsu_range)R(100 + 2 * i, 1);
		is_int(nsu_idmap_build(&m, 1, 0, r, N(r)), -E2BIG, "341 lines refused");
	}
	{
		/* 200 ranges of large numbers: under 340 lines, over 4 KiB of text. */
		struct nsu_range r[200];
		for (size_t i = 0; i < N(r); i++)
			r[i] = (struct nsu_range)R(4000000000ULL + 1000000ULL * i, 999999);
		is_int(nsu_idmap_build(&m, 1, 0, r, N(r)), -E2BIG, "map text over 4 KiB refused");
	}
}

static void test_format_and_argv(void)
{
	struct nsu_range r[] = { R(100000, 65536) };
	struct nsu_idmap_argv a;
	struct nsu_idmap m;
	char small[8];

	nsu_idmap_build(&m, 1000, 0, r, N(r));
	is_int(nsu_idmap_format(&m, small, sizeof(small)), -ENOSPC, "format reports a short buffer");
	is_int(nsu_idmap_format(&m, small, 0), -ENOSPC, "format refuses a zero-length buffer");

	nsu_idmap_argv(&a, "/usr/bin/newuidmap", "4242", &m);
	is_str(a.argv[0], "/usr/bin/newuidmap", "argv[0] is the helper");
	is_str(a.argv[1], "4242", "argv[1] is the target");
	is_str(a.argv[2], "0", "first triple: inside");
	is_str(a.argv[3], "1000", "first triple: outside");
	is_str(a.argv[4], "1", "first triple: count");
	is_str(a.argv[5], "1", "second triple: inside");
	is_str(a.argv[6], "100000", "second triple: outside");
	is_str(a.argv[7], "65536", "second triple: count");
	ok(a.argv[8] == NULL, "argv is NULL-terminated");
	{
		struct nsu_range big[] = { R(1, NSU_ID_MAX) };
		nsu_idmap_build(&m, 0, 0, big, N(big));
		nsu_idmap_argv(&a, "h", "fd:3", &m);
		is_str(a.argv[7], "4294967294", "largest count fits its slot");
	}
}

static void test_layouts(void)
{
	struct nsu_idmap m;

	{
		/* keep the own id: 0 and 1000 trade places, every other id keeps its own. */
		struct nsu_range r[] = { R(100000, 65536) };
		is_int(nsu_idmap_build(&m, 1000, 1000, r, N(r)), 0, "own id kept: builds");
		is_str(map_text(&m), "0 100999 1\n1 100000 999\n1000 1000 1\n1001 101000 64536\n",
		       "own id kept: 0 and 1000 swapped, sorted by inside id");
		is_int(nsu_idmap_size(&m), 65537, "own id kept: every id mapped once");
		is_int(nsu_idmap_to_outside(&m, 33), 100032, "inside 33 is where the default map has it");
	}
	{
		struct nsu_range r[] = { R(200000, 500), R(300000, 2000) };
		nsu_idmap_build(&m, 1000, 1000, r, N(r));
		is_str(map_text(&m), "0 300499 1\n1 200000 500\n501 300000 499\n1000 1000 1\n"
		       "1001 300500 1500\n", "own id kept across two ranges");
	}
	{
		struct nsu_range r[] = { R(100000, 10) };
		nsu_idmap_build(&m, 70000, 70000, r, N(r));
		is_str(map_text(&m), "0 100009 1\n1 100000 9\n70000 70000 1\n",
		       "own id beyond the ranges: 0 takes the last subordinate id");
	}
	{
		struct nsu_range r[] = { R(100000, 1) };
		nsu_idmap_build(&m, 70000, 70000, r, N(r));
		is_str(map_text(&m), "0 100000 1\n70000 70000 1\n", "a one-id range moves to 0 whole");
	}
	{
		struct nsu_range r[] = { R(100000, 5) };
		nsu_idmap_build(&m, 1000, 5, r, N(r));
		is_str(map_text(&m), "0 100004 1\n1 100000 4\n5 1000 1\n", "own id at the range's last slot");
	}
	is_int(nsu_idmap_build(&m, 1000, 1000, NULL, 0), 0, "own id kept, no ranges");
	is_str(map_text(&m), "1000 1000 1\n", "... only the own id");
	{
		struct nsu_range r[] = { R(100000, 65536), R(300000, 10) };
		is_int(nsu_idmap_build(&m, 0, -1, r, N(r)), 0, "remap layout (no own id) builds");
		is_str(map_text(&m), "0 100000 65536\n65536 300000 10\n", "remap: ranges from inside 0");
	}
	is_int(nsu_idmap_build(&m, 0, -1, NULL, 0), 0, "remap with no ranges builds");
	/* Found by fuzzing: an own id of (uid_t)-1 made an invalid map line. */
	is_int(nsu_idmap_build(&m, 4294967295u, 0, NULL, 0), -EINVAL, "own id (uid_t)-1 refused");
	is_int(nsu_idmap_build(&m, 1000, 4294967295LL, NULL, 0), -EINVAL, "inside (uid_t)-1 refused");
	is_int(m.n, 0, "... an empty map");

	nsu_idmap_single(&m, 1000, 1000);
	is_int(nsu_idmap_to_inside(&m, 1000), 1000, "to_inside");
	is_int(nsu_idmap_to_inside(&m, 999), -1, "to_inside: unmapped");
	{
		struct nsu_range r[] = { R(100000, 65536) };
		nsu_idmap_build(&m, 1000, 0, r, N(r));
		is_int(nsu_idmap_to_outside(&m, 1000), 100999, "chown 1000 lands on 100999");
		is_int(nsu_idmap_to_outside(&m, 0), 1000, "0 is the caller");
		is_int(nsu_idmap_to_outside(&m, 65537), -1, "past the map: unmapped");
	}
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Parse @spec into a fresh map; its text, or "ERR:" + message. */
static const char *parse(const char *spec)
{
	static char buf[NSU_MAP_WRITE_MAX + 300];
	static struct nsu_idmap m;
	struct nsu_err e;

	m.n = 0;
	if (nsu_idmap_parse(&m, spec, &e) < 0) {
		snprintf(buf, sizeof(buf), "ERR:%s", e.msg);
		return buf;
	}
	return map_text(&m);
}

static void test_parse(void)
{
	is_str(parse("0:1000:1"), "0 1000 1\n", "one triple");
	is_str(parse("0:1000:1,1:100000:65536"), "0 1000 1\n1 100000 65536\n", "comma list");
	is_str(parse("0:0:4294967295"), "0 0 4294967295\n", "the whole id space");
	is_str(parse("4294967294:5:1"), "4294967294 5 1\n", "highest inside id");
	is_str(parse(""), "ERR:empty map; expected INSIDE:OUTSIDE:COUNT", "empty");
	ok(starts(parse("0:1000"), "ERR:'0:1000' is not"), "two fields");
	ok(starts(parse("0:1000:1:2"), "ERR:"), "four fields");
	ok(starts(parse("a:1000:1"), "ERR:'a:1000:1' is not"), "letters");
	ok(starts(parse("-1:1000:1"), "ERR:"), "negative");
	ok(starts(parse("+1:1000:1"), "ERR:"), "plus sign");
	ok(starts(parse(" 0:1000:1"), "ERR:"), "leading space");
	ok(starts(parse("0:1000:1 "), "ERR:"), "trailing space");
	ok(starts(parse("0:1000:1x"), "ERR:"), "trailing junk");
	is_str(parse("0:1000:1,"), "ERR:'0:1000:1,' has an empty entry; expected "
	       "INSIDE:OUTSIDE:COUNT[,INSIDE:OUTSIDE:COUNT...]", "trailing comma names the value");
	ok(starts(parse(",0:1000:1"), "ERR:',0:1000:1' has an empty entry"), "leading comma");
	ok(starts(parse("0:1:1,,1:2:1"), "ERR:'0:1:1,,1:2:1' has an empty entry"), "double comma");
	ok(starts(parse("0::1"), "ERR:"), "empty field");
	ok(starts(parse("0x10:1000:1"), "ERR:"), "hex");
	ok(starts(parse("4294967295:1:1"), "ERR:"), "(uid_t)-1 inside");
	ok(starts(parse("1:4294967295:1"), "ERR:"), "(uid_t)-1 outside");
	ok(starts(parse("99999999999999999999999:1:1"), "ERR:"), "64-bit overflow");
	is_str(parse("0:1000:0"), "ERR:'0:1000:0' maps no id (COUNT is 0)", "count 0");
	is_str(parse("4294967290:1:10"), "ERR:'4294967290:1:10' runs past id 4294967294",
	       "inside end overflows");
	is_str(parse("1:4294967290:10"), "ERR:'1:4294967290:10' runs past id 4294967294",
	       "outside end overflows");
	{
		char spec[341 * 16];
		size_t off = 0;
		for (int i = 0; i < 341; i++)
			off += (size_t)snprintf(spec + off, sizeof(spec) - off, "%s%d:%d:1",
						i ? "," : "", i, i);
		ok(starts(parse(spec), "ERR:too many lines"), "341 triples refused");
	}
}

static const char *check(const char *spec, const struct nsu_range *allowed, size_t n)
{
	static struct nsu_err e;
	struct nsu_idmap m = { 0 };

	if (nsu_idmap_parse(&m, spec, &e) < 0)
		return "PARSE";
	if (nsu_idmap_check(&m, allowed, n, &e) < 0)
		return e.msg;
	return "OK";
}

static void test_check(void)
{
	/* Caller 1000 with 100000:65536, as nsu passes it: own id merged in. */
	struct nsu_range allowed[] = { R(1000, 1), R(100000, 65536) };
	struct nsu_range adjacent[] = { R(1000, 1), R(1001, 100) };

	is_str(check("0:1000:1", allowed, N(allowed)), "OK", "own id");
	is_str(check("0:1000:1,1:100000:65536", allowed, N(allowed)), "OK", "own id + whole range");
	is_str(check("5:100010:10", allowed, N(allowed)), "OK", "part of a range");
	is_str(check("0:1000:101", adjacent, N(adjacent)), "OK", "one triple across adjacent allowed ranges");
	is_str(check("0:1001:1", allowed, N(allowed)),
	       "outside ids 1001-1001 (of 0:1001:1) are neither your own id nor in your subordinate ranges",
	       "foreign id refused, named");
	ok(strcmp(check("0:100000:65537", allowed, N(allowed)), "OK") != 0, "one past the range refused");
	ok(strcmp(check("0:999:2", allowed, N(allowed)), "OK") != 0, "range starting before own id refused");
	is_str(check("0:1000:1,0:100000:1", allowed, N(allowed)),
	       "0:1000:1 and 0:100000:1 overlap inside", "inside overlap");
	is_str(check("0:100000:10,5:100005:1", allowed, N(allowed)),
	       "0:100000:10 and 5:100005:1 overlap inside", "inside overlap (contained)");
	is_str(check("0:100000:10,20:100009:5", allowed, N(allowed)),
	       "0:100000:10 and 20:100009:5 overlap outside", "outside overlap");
	is_str(check("0:100000:10,10:100010:10", allowed, N(allowed)), "OK", "adjacent triples fine");
	is_str(check("0:1000:1", NULL, 0),
	       "outside ids 1000-1000 (of 0:1000:1) are neither your own id nor in your subordinate ranges",
	       "nothing allowed");
}

int main(void)
{
	test_normalize();
	test_build();
	test_format_and_argv();
	test_layouts();
	test_parse();
	test_check();
	return tap_done();
}
