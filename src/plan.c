/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "util.h"

/* The option the explicit lines of @in came from. */
static const char *explicit_opt(const struct nsu_plan_in *in)
{
	return in->explicit_opt ? in->explicit_opt : in->kind[0] == 'u' ? "--uidmap" : "--gidmap";
}

static int too_many(const struct nsu_plan_in *in, struct nsu_err *e)
{
	return nsu_fail(e, E2BIG, "%s has too many separate ranges for %s: the kernel accepts "
			"at most %d lines (and 4 KiB) in a %s map; merge adjacent ranges in %s",
			in->file, in->owner, NSU_MAX_EXTENTS, in->kind, in->file);
}

/* The outside ids the caller may map: its own id and its subordinate ranges (without 0). */
static int allowed_ids(const struct nsu_plan_in *in, struct nsu_range **out, size_t *n)
{
	_cleanup_free_ struct nsu_range *clean = NULL;
	struct nsu_range *all;
	size_t m, at = 0;

	if (nsu_ranges_normalize(in->ranges, in->n, in->own, &clean, &m, NULL) < 0)
		return -ENOMEM;
	all = calloc(m + 1, sizeof(*all));
	if (!all)
		return -ENOMEM;
	/* The own id was cut out of the ranges: it goes in at its place. */
	while (at < m && clean[at].start < in->own)
		at++;
	memcpy(all, clean, at * sizeof(*all));
	all[at] = (struct nsu_range){ .start = in->own, .count = 1 };
	memcpy(all + at + 1, clean + at, (m - at) * sizeof(*all));
	*out = all;
	*n = m + 1;
	return 0;
}

static int plan_explicit(struct nsu_plan_map *out, const struct nsu_plan_in *in,
			 const struct nsu_idmap *explicit, struct nsu_err *e)
{
	static const struct nsu_range everything = { 0, (uint64_t)NSU_ID_MAX + 1 };
	_cleanup_free_ struct nsu_range *allowed = NULL;
	size_t n;
	int64_t self;
	int r;

	if (in->any_id) {
		r = nsu_idmap_check(explicit, &everything, 1, e);
	} else {
		if (allowed_ids(in, &allowed, &n) < 0)
			return nsu_fail(e, ENOMEM, "out of memory");
		r = nsu_idmap_check(explicit, allowed, n, e);
	}
	if (r == -EPERM)
		nsu_err_append(e, " (your %s is %" PRIu32 ")", in->kind, in->own);
	if (r < 0)
		return nsu_err_wrap(e, "%s", explicit_opt(in));
	out->map = *explicit;
	nsu_idmap_sort(&out->map);
	out->source = NSU_SRC_EXPLICIT;
	self = nsu_plan_inside_self(NSU_MODE_AUTO, &out->map, in->own);
	if (self < 0)
		return nsu_fail(e, EINVAL, "%s maps neither %s 0 nor your own %s %" PRIu32
				" inside: there would be no %s to run the command as",
				explicit_opt(in), in->kind, in->kind, in->own, in->kind);
	out->inside_self = (uint32_t)self;
	return 0;
}

int64_t nsu_plan_inside_self(enum nsu_map_mode mode, const struct nsu_idmap *explicit,
			     uint32_t own)
{
	if (explicit) {
		/* Run as root if 0 is mapped, else as whatever the own id became. */
		if (nsu_idmap_to_outside(explicit, 0) >= 0)
			return 0;
		return nsu_idmap_to_inside(explicit, own);
	}
	return mode == NSU_MODE_CURRENT_USER ? own : 0;
}

int nsu_plan_map(struct nsu_plan_map *out, const struct nsu_plan_in *in,
		 enum nsu_map_mode mode, const struct nsu_idmap *explicit, bool remap,
		 struct nsu_err *e)
{
	_cleanup_free_ struct nsu_range *clean = NULL;
	struct nsu_norm_report rep;
	size_t n = 0;
	int64_t own_inside;
	int r;

	memset(out, 0, sizeof(*out));
	if (explicit)
		return plan_explicit(out, in, explicit, e);

	if (!remap && mode == NSU_MODE_SINGLE) {
		nsu_idmap_single(&out->map, 0, in->own);
		out->source = NSU_SRC_SINGLE;
		return 0;
	}

	/* Root remapping another user maps none of its own ids. */
	r = nsu_ranges_normalize(in->ranges, in->n, remap ? UINT32_MAX : in->own, &clean, &n, &rep);
	if (r < 0)
		return nsu_fail(e, ENOMEM, "out of memory");
	out->zero_cut = rep.zero_cut;

	if (remap) {
		if (n == 0) {
			if (in->lookup_err) {
				*e = *in->lookup_err;
				return nsu_err_wrap(e, "--remap");
			}
			if (in->kind[0] == 'g')
				return nsu_fail(e, ENOENT, "--remap: %s has no range in %s; add a "
						"line %s:START:COUNT to it (usermod --add-subgids "
						"works for a user of that name)", in->owner, in->file,
						in->owner);
			return nsu_fail(e, ENOENT, "--remap: %s has no range in %s; add one with: "
					"usermod --add-subuids FIRST-LAST %s, with ids that no other "
					"user has", in->owner, in->file, in->owner);
		}
		own_inside = -1;
		out->source = NSU_SRC_REMAP;
	} else if (mode == NSU_MODE_CURRENT_USER) {
		own_inside = in->own;
		out->source = NSU_SRC_CURRENT;
	} else {
		own_inside = 0;
		out->source = NSU_SRC_RANGES;
	}
	out->inside_self = (uint32_t)(own_inside < 0 ? 0 : own_inside);

	r = nsu_idmap_build(&out->map, in->own, own_inside, clean, n);
	if (r == -E2BIG)
		return too_many(in, e);

	if (!remap && out->map.n == 1) {
		out->source = NSU_SRC_NO_RANGE;
		if (in->lookup_err)
			out->why = *in->lookup_err;
		else
			nsu_fail(&out->why, ENOENT, "%s has no range in %s", in->owner, in->file);
	}
	return 0;
}

void nsu_plan_describe(const struct nsu_plan_map *p, const struct nsu_plan_in *in,
		       char *buf, size_t len)
{
	switch (p->source) {
	case NSU_SRC_RANGES:
		snprintf(buf, len, "your %s %" PRIu32 " as 0, then the subordinate %ss of %s "
			 "from %s", in->kind, in->own, in->kind, in->owner, in->file);
		break;
	case NSU_SRC_NO_RANGE:
		snprintf(buf, len, "single-ID map: %s", p->why.msg);
		break;
	case NSU_SRC_SINGLE:
		snprintf(buf, len, "single-ID map, as asked (--single or mode = single)");
		break;
	case NSU_SRC_CURRENT:
		snprintf(buf, len, "your %s %" PRIu32 " kept, the subordinate %ss of %s from %s "
			 "around it (--map-current-user)", in->kind, in->own, in->kind, in->owner,
			 in->file);
		break;
	case NSU_SRC_EXPLICIT:
		if (strcmp(explicit_opt(in) + 2, in->kind) == 0 ||
		    strncmp(explicit_opt(in) + 2, in->kind, 3) == 0)
			snprintf(buf, len, "as given with %s", explicit_opt(in));
		else
			snprintf(buf, len, "as given with %s (no --%smap: the same lines)",
				 explicit_opt(in), in->kind);
		break;
	case NSU_SRC_REMAP:
		snprintf(buf, len, "the subordinate %ss of %s from %s, from 0 (--remap)",
			 in->kind, in->owner, in->file);
		break;
	}
}
