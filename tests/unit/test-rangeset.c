/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of --check's pure helpers. */
#include "config.h"

#include "diagnose.h"
#include "rangeset.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_shared(void)
{
	const struct nsu_range mine[] = { { 100000, 65536 } };
	struct nsu_range first;

	{
		/* Strictly inside: neither end of either range is shared. */
		const struct nsu_range theirs[] = { { 120000, 10 } };
		is_int(nsu_ranges_shared(mine, 1, theirs, 1, &first), 10, "a range inside another");
		ok(first.start == 120000 && first.count == 10, "... the shared run");
	}
	{
		const struct nsu_range theirs[] = { { 200000, 1000 } };
		is_int(nsu_ranges_shared(mine, 1, theirs, 1, &first), 0, "disjoint");
		is_int(first.count, 0, "... no shared run");
	}
	{
		const struct nsu_range theirs[] = { { 165536, 10 }, { 99990, 10 } };
		is_int(nsu_ranges_shared(mine, 1, theirs, 1, NULL), 0, "adjacent after: nothing shared");
		is_int(nsu_ranges_shared(mine, 1, theirs + 1, 1, NULL), 0, "adjacent before: nothing");
	}
	{
		const struct nsu_range a[] = { { 10, 10 }, { 50, 10 }, { 100, 100 } };
		const struct nsu_range b[] = { { 0, 15 }, { 55, 50 }, { 150, 1 }, { 199, 10 } };
		/* 10-14 (5), 55-59 (5), 100-104 (5), 150 (1), 199 (1) */
		is_int(nsu_ranges_shared(a, N(a), b, N(b), &first), 17, "several overlaps summed");
		ok(first.start == 10 && first.count == 5, "... the first run in id order");
	}
	{
		const struct nsu_range a[] = { { 0, 4294967295ULL } };
		const struct nsu_range b[] = { { 4294967290ULL, 5 } };
		is_int(nsu_ranges_shared(a, 1, b, 1, &first), 5, "at the top of the id space");
	}
	is_int(nsu_ranges_shared(mine, 1, NULL, 0, &first), 0, "no ranges on one side");
}

static void test_accounts(void)
{
	const struct nsu_account acc[] = {
		{ "root", 0, 0 }, { "daemon", 1, 1 }, { "bin", 2, 2 }, { "sys", 3, 3 },
		{ "sync", 4, 65534 }, { "nobody", 65534, 65534 }, { "alice", 1000, 1000 },
	};
	const struct nsu_range r[] = { { 0, 5 }, { 500, 100 }, { 65534, 1 }, { 100000, 65536 } };
	char names[200];
	bool hit[N(r)];

	is_int(nsu_accounts_in_ranges(acc, N(acc), r, N(r), 0, hit, names, sizeof(names), 3), 5,
	       "ids 1-4 and 65534, not root (skipped)");
	is_str(names, "daemon 1, bin 2, sys 3, ...", "three named, then ...");
	ok(hit[0] && !hit[1] && hit[2] && !hit[3], "the ranges that hold them");
	is_int(nsu_accounts_in_ranges(acc, N(acc), r + 2, 1, -1, NULL, names, sizeof(names), 3), 1,
	       "one account");
	is_str(names, "nobody 65534", "named without ...");
	is_int(nsu_accounts_in_ranges(acc, N(acc), r, 1, -1, NULL, names, sizeof(names), 5), 5,
	       "root counted when not skipped");
	is_str(names, "root 0, daemon 1, bin 2, sys 3, sync 4", "all five named");
	is_int(nsu_accounts_in_ranges(acc, N(acc), r + 3, 1, -1, hit, names, sizeof(names), 3), 0,
	       "none in the usual subordinate range");
	is_str(names, "", "no names");
	is_int(nsu_accounts_in_ranges(acc, N(acc), r, N(r), 0, NULL, names, 8, 3), 5,
	       "a small buffer still counts all");
	is_str(names, "daemon ", "... and is cut");
}

static void test_format(void)
{
	const struct nsu_range r[] = { { 1, 10 }, { 20, 1 }, { 30, 5 }, { 40, 5 }, { 50, 5 } };
	const bool only[] = { false, true, false, true, false };
	char buf[200];

	nsu_format_ranges(buf, sizeof(buf), r, 2, NULL, 4);
	is_str(buf, "1-10, 20-20", "two ranges");
	nsu_format_ranges(buf, sizeof(buf), r, N(r), NULL, 4);
	is_str(buf, "1-10, 20-20, 30-34, 40-44, ... (5 ranges)", "more than shown");
	nsu_format_ranges(buf, sizeof(buf), r, N(r), only, 4);
	is_str(buf, "20-20, 40-44", "only the flagged ones");
}

static void test_host_text(void)
{
	char m[64];

	ok(nsu_apparmor_profile_is("nsu (unconfined)\n", "nsu"), "AppArmor: nsu (unconfined)");
	ok(nsu_apparmor_profile_is("nsu (enforce)", "nsu"), "AppArmor: nsu (enforce)");
	ok(!nsu_apparmor_profile_is("nsu-other (unconfined)\n", "nsu"), "AppArmor: another name");
	ok(!nsu_apparmor_profile_is("/usr/bin/nsu (complain)\n", "nsu"), "AppArmor: a path");
	ok(!nsu_apparmor_profile_is("ns (unconfined)\n", "nsu"), "AppArmor: a shorter name");

	ok(nsu_nsswitch_subid("subid: sss\n", m, sizeof(m)), "nsswitch: subid: sss");
	is_str(m, "sss", "... the module");
	ok(nsu_nsswitch_subid("  subid:\tfiles # local\n", m, sizeof(m)), "nsswitch: files");
	is_str(m, "files", "... the module");
	ok(!nsu_nsswitch_subid("passwd: files\n", m, sizeof(m)), "nsswitch: another database");
	ok(!nsu_nsswitch_subid("subid:\n", m, sizeof(m)), "nsswitch: no module");
	ok(!nsu_nsswitch_subid("#subid: sss\n", m, sizeof(m)), "nsswitch: a comment");
}

int main(void)
{
	test_shared();
	test_accounts();
	test_format();
	test_host_text();
	return tap_done();
}
