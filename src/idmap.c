/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

/* Fill @e; return -@errnum (these functions return negative errno values). */
#define fail_neg(e, errnum, ...) (nsu_fail((e), (errnum), __VA_ARGS__), -(errnum))

static int range_cmp(const void *a, const void *b)
{
	const struct nsu_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->count > y->count) - (x->count < y->count);
}

/*
 * Remove @id from the sorted, disjoint ranges v[0..*m) (one extra slot is
 * free for a split); whether it was there.
 */
static bool cut_id(struct nsu_range *v, size_t *m, uint32_t id)
{
	for (size_t i = 0; i < *m; i++) {
		uint64_t s = v[i].start, e = v[i].start + v[i].count;

		if (id < s || id >= e)
			continue;
		if (id == s && e - s == 1) {
			memmove(&v[i], &v[i + 1], (*m - i - 1) * sizeof(*v));
			(*m)--;
		} else if (id == s) {
			v[i].start++;
			v[i].count--;
		} else if (id == e - 1) {
			v[i].count--;
		} else {
			memmove(&v[i + 2], &v[i + 1], (*m - i - 1) * sizeof(*v));
			v[i].count = id - s;
			v[i + 1].start = (uint64_t)id + 1;
			v[i + 1].count = e - id - 1;
			(*m)++;
		}
		return true; /* ranges are disjoint: at most one holds it */
	}
	return false;
}

int nsu_ranges_normalize(const struct nsu_range *in, size_t n, uint32_t own_id,
			 struct nsu_range **out, size_t *out_n, struct nsu_norm_report *rep)
{
	struct nsu_norm_report r = { 0 };
	struct nsu_range *v;
	size_t i, m = 0;

	/* One extra slot: cutting out the own id may split one range in two. */
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;

	for (i = 0; i < n; i++) {
		uint64_t start = in[i].start, count = in[i].count;

		if (count == 0) {
			r.empty++;
			continue;
		}
		if (start > NSU_ID_MAX) {
			r.invalid++;
			continue;
		}
		if (count > (uint64_t)NSU_ID_MAX - start + 1) {
			count = (uint64_t)NSU_ID_MAX - start + 1;
			r.clipped++;
		}
		v[m].start = start;
		v[m].count = count;
		m++;
	}

	qsort(v, m, sizeof(*v), range_cmp);

	/* Merge overlapping and adjacent ranges. */
	if (m > 0) {
		size_t w = 0;

		for (i = 1; i < m; i++) {
			uint64_t end = v[w].start + v[w].count;

			if (v[i].start <= end) {
				uint64_t iend = v[i].start + v[i].count;

				if (iend > end)
					v[w].count = iend - v[w].start;
				r.merged++;
			} else {
				v[++w] = v[i];
			}
		}
		m = w + 1;
	}

	/* The caller's own id is mapped on its own; host root never from a range. */
	r.own_id_cut = cut_id(v, &m, own_id);
	if (own_id != 0)
		r.zero_cut = cut_id(v, &m, 0);

	*out = v;
	*out_n = m;
	if (rep)
		*rep = r;
	return 0;
}

/* Decimal digits of v, for the length of the map text. */
static size_t digits(uint32_t v)
{
	size_t d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

static size_t extent_text_len(const struct nsu_extent *e)
{
	return digits(e->inside) + digits(e->outside) + digits(e->count) + 3;
}

/* Append an extent; -E2BIG past the kernel's limits. */
static int push_extent(struct nsu_idmap *map, size_t *text, uint32_t inside, uint32_t outside,
		       uint32_t count)
{
	struct nsu_extent *e;

	if (map->n == NSU_MAX_EXTENTS)
		return -E2BIG;
	e = &map->ext[map->n++];
	e->inside = inside;
	e->outside = outside;
	e->count = count;
	*text += extent_text_len(e);
	return *text > NSU_MAP_WRITE_MAX ? -E2BIG : 0;
}

static int extent_cmp(const void *a, const void *b)
{
	const struct nsu_extent *x = a, *y = b;

	return (x->inside > y->inside) - (x->inside < y->inside);
}

void nsu_idmap_sort(struct nsu_idmap *map)
{
	qsort(map->ext, map->n, sizeof(map->ext[0]), extent_cmp);
}

void nsu_idmap_single(struct nsu_idmap *map, uint32_t inside, uint32_t outside)
{
	map->ext[0] = (struct nsu_extent){ .inside = inside, .outside = outside, .count = 1 };
	map->n = 1;
}

/* Recount the text of @map; -E2BIG past the kernel's limits. */
static int check_limits(const struct nsu_idmap *map)
{
	size_t text = 0;

	for (size_t i = 0; i < map->n; i++)
		text += extent_text_len(&map->ext[i]);
	return map->n > NSU_MAX_EXTENTS || text > NSU_MAP_WRITE_MAX ? -E2BIG : 0;
}

/*
 * Move the own id from inside 0 to inside @k, and put at 0 the outside id
 * that was at @k: inside ids 0 and @k trade places, all others keep theirs.
 * If the ranges do not reach @k, 0 gets the last subordinate id instead.
 */
static int swap_own(struct nsu_idmap *map, uint32_t k)
{
	struct nsu_extent *e = NULL;
	uint32_t x;

	if (map->n < 2)
		goto move; /* no ranges: only the own id, at @k */
	for (size_t i = 1; i < map->n; i++)
		if (k >= map->ext[i].inside && (uint64_t)k < (uint64_t)map->ext[i].inside + map->ext[i].count)
			e = &map->ext[i];
	if (e) {
		uint32_t end = e->inside + (e->count - 1);

		x = e->outside + (k - e->inside);
		if (map->n + 1 > NSU_MAX_EXTENTS)
			return -E2BIG;
		/* Split e around k: [inside, k) stays in e, (k, end] is appended. */
		if (k < end)
			map->ext[map->n++] = (struct nsu_extent){ .inside = k + 1, .outside = x + 1,
								  .count = end - k };
		e->count = k - e->inside;
	} else {
		e = &map->ext[map->n - 1]; /* sorted: the highest inside ids */
		x = e->outside + (e->count - 1);
		e->count--;
	}
	/* Drop an extent the split or shortening emptied. */
	for (size_t i = 1; i < map->n; i++)
		if (map->ext[i].count == 0) {
			memmove(&map->ext[i], &map->ext[i + 1], (map->n - i - 1) * sizeof(map->ext[0]));
			map->n--;
			break;
		}
	if (map->n + 1 > NSU_MAX_EXTENTS)
		return -E2BIG;
	map->ext[map->n++] = (struct nsu_extent){ .inside = 0, .outside = x, .count = 1 };
move:
	map->ext[0].inside = k;
	nsu_idmap_sort(map);
	return check_limits(map);
}

int nsu_idmap_build(struct nsu_idmap *map, uint32_t own_id, int64_t own_inside,
		    const struct nsu_range *r, size_t n)
{
	uint64_t next; /* next free inside id */
	size_t i, text = 0;
	int ret = 0;

	map->n = 0;
	/* (uid_t)-1 is no id: neither side of a map line may use it. */
	if (own_inside > (int64_t)NSU_ID_MAX || (own_inside >= 0 && own_id > NSU_ID_MAX))
		return -EINVAL;
	if (own_inside >= 0) {
		nsu_idmap_single(map, 0, own_id);
		text = extent_text_len(&map->ext[0]);
	}

	/* The ranges back to back after the own id (from 0 when it is not mapped). */
	next = own_inside >= 0 ? 1 : 0;
	for (i = 0; i < n && ret == 0 && next <= NSU_ID_MAX; i++) {
		uint64_t count = r[i].count;

		if (count == 0 || r[i].start > NSU_ID_MAX)
			continue;
		if (count > NSU_ID_MAX - next + 1)
			count = NSU_ID_MAX - next + 1;
		ret = push_extent(map, &text, (uint32_t)next, (uint32_t)r[i].start, (uint32_t)count);
		next += count;
	}
	if (ret == 0 && own_inside > 0)
		ret = swap_own(map, (uint32_t)own_inside);
	return ret;
}

/* Parse a decimal id in [0, NSU_ID_MAX] (count: [1, NSU_ID_MAX + 1]) ending at @stop. */
static int parse_num(const char **p, char stop, uint64_t max, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -1;
		s++;
	}
	if (*s != stop && !(stop == ',' && *s == '\0'))
		return -1;
	*out = v;
	*p = s;
	return 0;
}

int nsu_idmap_parse(struct nsu_idmap *map, const char *spec, struct nsu_err *e)
{
	const char *p = spec;
	size_t text = 0;

	for (size_t i = 0; i < map->n; i++)
		text += extent_text_len(&map->ext[i]);
	if (!*spec)
		return fail_neg(e, EINVAL, "empty map; expected INSIDE:OUTSIDE:COUNT");
	for (;;) {
		const char *start = p;
		uint64_t in, out, count;
		int len;

		if (parse_num(&p, ':', NSU_ID_MAX, &in) < 0 || !*p++ ||
		    parse_num(&p, ':', NSU_ID_MAX, &out) < 0 || !*p++ ||
		    parse_num(&p, ',', (uint64_t)NSU_ID_MAX + 1, &count) < 0) {
			len = (int)strcspn(start, ",");
			if (len == 0)
				return fail_neg(e, EINVAL, "'%.200s' has an empty entry; expected "
						"INSIDE:OUTSIDE:COUNT[,INSIDE:OUTSIDE:COUNT...]", spec);
			return fail_neg(e, EINVAL, "'%.*s' is not INSIDE:OUTSIDE:COUNT with "
					"decimal ids up to %" PRIu32, len, start, NSU_ID_MAX);
		}
		len = (int)(p - start);
		if (count == 0)
			return fail_neg(e, EINVAL, "'%.*s' maps no id (COUNT is 0)", len, start);
		if (in + count - 1 > NSU_ID_MAX || out + count - 1 > NSU_ID_MAX)
			return fail_neg(e, EINVAL, "'%.*s' runs past id %" PRIu32, len, start,
					NSU_ID_MAX);
		if (push_extent(map, &text, (uint32_t)in, (uint32_t)out, (uint32_t)count) < 0)
			return fail_neg(e, E2BIG, "too many lines: the kernel accepts at most %d "
					"(and %d bytes) in one map", NSU_MAX_EXTENTS, NSU_MAP_WRITE_MAX);
		if (*p == '\0')
			return 0;
		p++; /* ',' */
	}
}

/* Is [start, start+count) inside the union of the sorted, disjoint @r? */
static bool covered(const struct nsu_range *r, size_t n, uint64_t start, uint64_t count)
{
	uint64_t end = start + count;

	for (size_t i = 0; i < n && start < end; i++) {
		uint64_t rs = r[i].start, re = r[i].start + r[i].count;

		if (re <= start)
			continue;
		if (rs > start)
			return false;
		start = re;
	}
	return start >= end;
}

/* Do [a, a+na) and [b, b+nb) share an id? */
static bool overlap(uint64_t a, uint64_t na, uint64_t b, uint64_t nb)
{
	return a < b + nb && b < a + na;
}

int nsu_idmap_check(const struct nsu_idmap *map, const struct nsu_range *allowed, size_t n,
		    struct nsu_err *e)
{
	size_t text = 0;

	if (map->n == 0)
		return fail_neg(e, EINVAL, "the map is empty");
	if (map->n > NSU_MAX_EXTENTS)
		return fail_neg(e, E2BIG, "%zu lines: the kernel accepts at most %d", map->n,
				NSU_MAX_EXTENTS);
	for (size_t i = 0; i < map->n; i++) {
		const struct nsu_extent *a = &map->ext[i];

		text += extent_text_len(a);
		for (size_t j = i + 1; j < map->n; j++) {
			const struct nsu_extent *b = &map->ext[j];
			const char *side = overlap(a->inside, a->count, b->inside, b->count) ? "inside" :
					   overlap(a->outside, a->count, b->outside, b->count) ? "outside" :
					   NULL;

			if (side)
				return fail_neg(e, EINVAL, "%" PRIu32 ":%" PRIu32 ":%" PRIu32 " and %"
						PRIu32 ":%" PRIu32 ":%" PRIu32 " overlap %s", a->inside,
						a->outside, a->count, b->inside, b->outside, b->count,
						side);
		}
		if (!covered(allowed, n, a->outside, a->count))
			return fail_neg(e, EPERM, "outside ids %" PRIu32 "-%" PRIu64 " (of %" PRIu32
					":%" PRIu32 ":%" PRIu32 ") are neither your own id nor in "
					"your subordinate ranges", a->outside,
					(uint64_t)a->outside + a->count - 1, a->inside, a->outside,
					a->count);
	}
	if (text > NSU_MAP_WRITE_MAX)
		return fail_neg(e, E2BIG, "the map text exceeds %d bytes, the most the kernel "
				"accepts in one write", NSU_MAP_WRITE_MAX);
	return 0;
}

int64_t nsu_idmap_to_outside(const struct nsu_idmap *map, uint32_t inside)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct nsu_extent *e = &map->ext[i];

		if (inside >= e->inside && (uint64_t)inside < (uint64_t)e->inside + e->count)
			return (int64_t)e->outside + (inside - e->inside);
	}
	return -1;
}

int64_t nsu_idmap_to_inside(const struct nsu_idmap *map, uint32_t outside)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct nsu_extent *e = &map->ext[i];

		if (outside >= e->outside && (uint64_t)outside < (uint64_t)e->outside + e->count)
			return (int64_t)e->inside + (outside - e->outside);
	}
	return -1;
}

uint64_t nsu_idmap_size(const struct nsu_idmap *map)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < map->n; i++)
		total += map->ext[i].count;
	return total;
}

int nsu_idmap_format(const struct nsu_idmap *map, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len == 0)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < map->n; i++) {
		const struct nsu_extent *e = &map->ext[i];
		int k = snprintf(buf + off, len - off, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
				 e->inside, e->outside, e->count);

		if (k < 0 || (size_t)k >= len - off)
			return -ENOSPC;
		off += (size_t)k;
	}
	return (int)off;
}

void nsu_idmap_argv(struct nsu_idmap_argv *a, const char *helper,
		    const char *target, const struct nsu_idmap *map)
{
	size_t i, k = 0, j = 0;

	a->argv[k++] = (char *)helper;
	a->argv[k++] = (char *)target;
	for (i = 0; i < map->n; i++) {
		const uint32_t f[3] = { map->ext[i].inside, map->ext[i].outside, map->ext[i].count };

		for (int t = 0; t < 3; t++, j++) {
			snprintf(a->num[j], sizeof(a->num[j]), "%" PRIu32, f[t]);
			a->argv[k++] = a->num[j];
		}
	}
	a->argv[k] = NULL;
}
