/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --check: subordinate ranges, the caller's own and, for root, every user's. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpriv.h"
#include "rangeset.h"
#include "idmap.h"
#include "subids.h"
#include "util.h"

static const char *const file[2] = { "/etc/subuid", "/etc/subgid" };
static const char *const what[2] = { "uids", "gids" };
static const char *const one[2] = { "uid", "gid" };
static const char *const helper[2] = { "newuidmap", "newgidmap" };
static const char *const add_flag[2] = { "--add-subuids", "--add-subgids" };
static const char *const del_flag[2] = { "--del-subuids", "--del-subgids" };

/* Where the ranges come from, for a sentence: "in /etc/subuid" or the NSS module. */
static void where(const struct nsu_check_state *s, int kind, char *buf, size_t len)
{
	if (s->files)
		snprintf(buf, len, "in %s", file[kind]);
	else
		snprintf(buf, len, "from the NSS module '%s'", s->module);
}

/* A FAIL for each range of @owner, as libsubid returned them, that includes id 0. */
static void check_zero(struct nsu_check_state *s, int kind, const char *owner,
		       const struct nsu_range *raw, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char fix[512], from[128];
		uint64_t last = raw[i].start + raw[i].count - 1;

		if (raw[i].start != 0 || raw[i].count == 0)
			continue;
		where(s, kind, from, sizeof(from));
		snprintf(fix, sizeof(fix), "give %s a range that does not include 0: usermod %s "
			 "0-%" PRIu64 " %s, then usermod %s FIRST-LAST %s, with 65536 ids that no "
			 "other user has", owner, del_flag[kind], last, owner, add_flag[kind], owner);
		nsu_check_line(s, NSU_CHECK_FAIL, fix, "subordinate %s: the range 0-%" PRIu64 " of %s "
			       "%s includes %s 0 (root): %s lets %s map host %s 0 into a user "
			       "namespace, and own the files of %s 0 there", what[kind], last, owner,
			       from, one[kind], helper[kind], owner, one[kind], one[kind]);
	}
}

/* nsu_subids_get() failed for the caller: say why, with the fix for that cause. */
static void read_failure(struct nsu_check_state *s, int kind, const char *usual_fix,
			 const struct nsu_err *e)
{
	char fix[768];
	int err;

	if (!s->files) {
		snprintf(fix, sizeof(fix), "check the subid setup of /etc/nsswitch.conf (its "
			 "subid: line names the NSS module '%s')", s->module);
		nsu_check_line(s, NSU_CHECK_FAIL, fix, "subordinate %s: %s", what[kind], e->msg);
		return;
	}
	if (access(file[kind], R_OK) == 0) {
		snprintf(fix, sizeof(fix), "correct the lines of %s (NAME:FIRST:COUNT each)", file[kind]);
		nsu_check_line(s, NSU_CHECK_FAIL, fix, "subordinate %s: %s", what[kind], e->msg);
		return;
	}
	err = errno;
	if (err == ENOENT) {
		snprintf(fix, sizeof(fix), "an administrator creates it, readable by all (touch %s "
			 "&& chmod 0644 %s), then: %s", file[kind], file[kind], usual_fix);
		nsu_check_line(s, NSU_CHECK_FAIL, fix, "subordinate %s: %s does not exist (via files)",
			       what[kind], file[kind]);
		return;
	}
	snprintf(fix, sizeof(fix), "chmod 0644 %s (every user must be able to read it)", file[kind]);
	nsu_check_line(s, NSU_CHECK_FAIL, fix, "subordinate %s: %s: %s", what[kind], file[kind],
		       strerror(err));
}

/* A WARN when ids of existing users (or groups) lie in the caller's ranges. */
static void check_accounts_in(struct nsu_check_state *s, int kind, const char *owner,
			      const struct nsu_range *r, size_t n)
{
	static const char *const whose[2] = { "user", "group" };
	const struct nsu_accounts *a = kind == NSU_UID ? &s->users : &s->groups;
	char names[320], list[200], fix[400];
	_cleanup_free_ bool *hit = calloc(n, sizeof(*hit));
	size_t count;

	if (!hit)
		return;
	/* Id 0 has a FAIL line of its own. */
	count = nsu_accounts_in_ranges(a->v, a->n, r, n, 0, hit, names, sizeof(names), 3);
	nsu_format_ranges(list, sizeof(list), r, n, hit, 4);
	if (count == 0)
		return;
	snprintf(fix, sizeof(fix), "give %s ranges above the ids of all users and groups (usermod "
		 "%s / %s; such ranges usually start at 100000, see SUB_%s_MIN in "
		 "/etc/login.defs)", owner, del_flag[kind], add_flag[kind],
		 kind == NSU_UID ? "UID" : "GID");
	nsu_check_line(s, NSU_CHECK_WARN, fix, "subordinate %s: the %s of %zu existing %s%s %s in "
		       "%s (%s): inside nsu, %s can act as %s %s%s and change %s files", what[kind],
		       count == 1 ? one[kind] : what[kind], count, whose[kind], count == 1 ? "" : "s",
		       count == 1 ? "lies" : "lie", list, names, owner, count == 1 ? "that" : "those",
		       whose[kind], count == 1 ? "" : "s", count == 1 ? "its" : "their");
}

/*
 * A WARN when other users' ranges share ids with the caller's: every passwd
 * user's ranges are looked up and intersected with @r.
 */
static void check_shared(struct nsu_check_state *s, const struct nsu_check_in *in, int kind,
			 const struct nsu_range *r, size_t n)
{
	char names[200] = "", who[300], fix[200];
	struct nsu_range first = { 0, 0 };
	uint64_t first_total = 0;
	size_t sharers = 0, off = 0;

	for (size_t i = 0; i < s->users.n; i++) {
		const struct nsu_account *u = &s->users.v[i];
		_cleanup_free_ struct nsu_range *raw = NULL, *theirs = NULL;
		struct nsu_range run;
		size_t m = 0;
		struct nsu_err e;
		uint64_t shared;
		int got;

		if (u->id == in->uid || strcmp(u->name, in->owner) == 0)
			continue;
		got = nsu_subids_get(u->name, kind, &raw, &e);
		if (got > 0 && nsu_ranges_normalize(raw, (size_t)got, kind == NSU_UID ? u->id : u->gid,
						    &theirs, &m, NULL) < 0)
			m = 0;
		shared = m ? nsu_ranges_shared(r, n, theirs, m, &run) : 0;
		if (!shared)
			continue;
		if (sharers == 0) {
			first = run;
			first_total = shared;
		}
		if (sharers < 3 && off < sizeof(names))
			off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s",
						sharers ? ", " : "", u->name);
		sharers++;
	}
	if (sharers == 0)
		return;
	if (sharers == 1)
		snprintf(who, sizeof(who), "%s also has %" PRIu64 " ids of %s's ranges (%" PRIu64
			 "-%" PRIu64 "%s)", names, first_total, in->owner, first.start,
			 first.start + first.count - 1, first_total > first.count ? " and more" : "");
	else
		snprintf(who, sizeof(who), "%zu other users (%s%s) also have ids of %s's ranges",
			 sharers, names, sharers > 3 ? ", ..." : "", in->owner);
	snprintf(fix, sizeof(fix), "give each user a range of their own (usermod %s / %s)",
		 del_flag[kind], add_flag[kind]);
	nsu_check_line(s, NSU_CHECK_WARN, fix, "subordinate %s: %s: each can read and change the "
		       "other's files made inside nsu", what[kind], who);
}

void nsu_check_own_ranges(struct nsu_check_state *s, const struct nsu_check_in *in, int kind)
{
	const uint32_t own = kind == NSU_UID ? in->uid : in->gid;
	_cleanup_free_ struct nsu_range *raw = NULL, *clean = NULL;
	struct nsu_norm_report rep;
	struct nsu_err e;
	char fix[256], list[200];
	size_t n = 0;
	uint64_t total = 0;
	int got;

	if (in->pw)
		snprintf(fix, sizeof(fix), "usermod %s FIRST-LAST %s, with 65536 ids that no other "
			 "user has (see %s)", add_flag[kind], in->owner, file[kind]);
	else
		snprintf(fix, sizeof(fix), "create a user for uid %lu (useradd), then give it "
			 "ranges with usermod %s: newuidmap and newgidmap need a user name",
			 (unsigned long)in->uid, add_flag[kind]);
	got = nsu_subids_get(in->owner, kind, &raw, &e);
	if (got < 0) {
		read_failure(s, kind, fix, &e);
		return;
	}
	if (nsu_ranges_normalize(raw, (size_t)got, own, &clean, &n, &rep) < 0)
		n = 0;
	for (size_t i = 0; i < n; i++)
		total += clean[i].count;
	nsu_format_ranges(list, sizeof(list), clean, n, NULL, 4);
	if (n == 0)
		nsu_check_line(s, NSU_CHECK_FAIL, fix, "subordinate %s: %s has none in %s (via %s)",
			       what[kind], in->owner, file[kind], s->backend);
	else if (n + 1 > NSU_MAX_EXTENTS)
		nsu_check_line(s, NSU_CHECK_FAIL, "merge adjacent ranges", "subordinate %s: %zu "
			       "ranges, more than a map can hold (%d lines)", what[kind], n,
			       NSU_MAX_EXTENTS);
	else
		nsu_check_line(s, rep.empty || rep.invalid || rep.clipped ? NSU_CHECK_WARN : NSU_CHECK_OK,
			       "correct the lines of this user", "subordinate %s: %s (%" PRIu64
			       " ids) via %s%s", what[kind], list, total, s->backend,
			       rep.empty || rep.invalid || rep.clipped ?
			       "; some lines are empty or out of range" : "");
	check_zero(s, kind, in->owner, raw, (size_t)got);
	if (n > 0) {
		check_accounts_in(s, kind, in->owner, clean, n);
		check_shared(s, in, kind, clean, n);
	}
}

void nsu_check_host_ranges(struct nsu_check_state *s, int kind, bool *has)
{
	char fix[400];
	size_t count = 0;
	int64_t counted = -1;
	struct stat st;

	memset(has, 0, s->users.n * sizeof(*has));
	snprintf(fix, sizeof(fix), "give each user who needs them a range: usermod %s FIRST-LAST "
		 "USER, with 65536 ids that no other user has", add_flag[kind]);
	if (s->files && stat(file[kind], &st) < 0) {
		char fix2[600];
		int err = errno;

		snprintf(fix2, sizeof(fix2), "create it, readable by all (touch %s && chmod 0644 %s), "
			 "then %s", file[kind], file[kind], fix);
		if (err == ENOENT)
			nsu_check_line(s, NSU_CHECK_FAIL, fix2, "%s does not exist: no user has "
				       "subordinate %s", file[kind], what[kind]);
		else
			nsu_check_line(s, NSU_CHECK_FAIL, fix2, "%s: %s", file[kind], strerror(err));
		return;
	}
	if (s->files && (!S_ISREG(st.st_mode) || (st.st_mode & 0444) != 0444)) {
		char fix2[200];

		snprintf(fix2, sizeof(fix2), "chmod 0644 %s", file[kind]);
		nsu_check_line(s, NSU_CHECK_FAIL, fix2, "%s is not a file every user can read "
			       "(mode %04o): nsu, which reads it as the user who runs it, finds no "
			       "ranges", file[kind], (unsigned)(st.st_mode & 07777));
		return;
	}
	for (size_t i = 0; i < s->users.n; i++) {
		const struct nsu_account *u = &s->users.v[i];
		_cleanup_free_ struct nsu_range *raw = NULL, *clean = NULL;
		struct nsu_err e;
		size_t m = 0;
		int got;

		if (u->id == 0)
			continue; /* root needs no ranges to use nsu */
		got = nsu_subids_get(u->name, kind, &raw, &e);
		if (got < 0) {
			nsu_check_line(s, NSU_CHECK_FAIL, s->files ? "correct the lines of the file "
				       "(NAME:FIRST:COUNT each)" : "check the subid setup of "
				       "/etc/nsswitch.conf", "subordinate %s: %s", what[kind], e.msg);
			return;
		}
		check_zero(s, kind, u->name, raw, (size_t)got);
		if (got > 0 && nsu_ranges_normalize(raw, (size_t)got, kind == NSU_UID ? u->id : u->gid,
						    &clean, &m, NULL) < 0)
			m = 0;
		has[i] = m > 0;
		/* Entries of one uid are adjacent: count each uid once. */
		if (has[i] && (int64_t)u->id != counted) {
			counted = u->id;
			count++;
		}
	}
	if (count)
		nsu_check_line(s, NSU_CHECK_OK, NULL, "subordinate %s: %zu user%s ha%s ranges (via %s)",
			       what[kind], count, count == 1 ? "" : "s", count == 1 ? "s" : "ve",
			       s->backend);
	else
		nsu_check_line(s, NSU_CHECK_WARN, fix, "subordinate %s: no user has ranges (via %s)",
			       what[kind], s->backend);
}
