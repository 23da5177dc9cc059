/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

static int range_cmp(const void *a, const void *b)
{
	const struct nsu_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->count > y->count) - (x->count < y->count);
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

	/* Cut the caller's own id out (it is mapped to 0 on its own). */
	for (i = 0; i < m; i++) {
		uint64_t s = v[i].start, e = v[i].start + v[i].count;

		if (own_id < s || own_id >= e)
			continue;
		r.own_id_cut = 1;
		if (own_id == s && e - s == 1) {
			memmove(&v[i], &v[i + 1], (m - i - 1) * sizeof(*v));
			m--;
		} else if (own_id == s) {
			v[i].start++;
			v[i].count--;
		} else if (own_id == e - 1) {
			v[i].count--;
		} else {
			memmove(&v[i + 2], &v[i + 1], (m - i - 1) * sizeof(*v));
			v[i].count = own_id - s;
			v[i + 1].start = (uint64_t)own_id + 1;
			v[i + 1].count = e - own_id - 1;
			m++;
		}
		break; /* ranges are disjoint: at most one holds it */
	}

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

int nsu_idmap_build(struct nsu_idmap *map, uint32_t own_id,
		    const struct nsu_range *r, size_t n)
{
	uint64_t next = 1;
	size_t i, text;

	map->ext[0] = (struct nsu_extent){ .inside = 0, .outside = own_id, .count = 1 };
	map->n = 1;
	text = extent_text_len(&map->ext[0]);

	for (i = 0; i < n && next <= NSU_ID_MAX; i++) {
		struct nsu_extent *e;
		uint64_t count = r[i].count;

		if (count == 0 || r[i].start > NSU_ID_MAX)
			continue;
		if (count > NSU_ID_MAX - next + 1)
			count = NSU_ID_MAX - next + 1;
		if (map->n == NSU_MAX_EXTENTS)
			return -E2BIG;
		e = &map->ext[map->n++];
		e->inside = (uint32_t)next;
		e->outside = (uint32_t)r[i].start;
		e->count = (uint32_t)count;
		text += extent_text_len(e);
		if (text > NSU_MAP_WRITE_MAX)
			return -E2BIG;
		next += count;
	}
	return 0;
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
