/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the id-map code. The first byte picks what the rest
 * is: ranges (binary) for normalise + build + format, or text for
 * --uidmap parsing and checking against a fixed set of allowed ranges.
 * Every result is checked for the invariants the kernel relies on.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idmap.h"

static void invariants(const struct nsu_idmap *m)
{
	char text[NSU_MAP_WRITE_MAX + 1];
	uint64_t total = 0;

	if (m->n > NSU_MAX_EXTENTS)
		abort();
	for (size_t i = 0; i < m->n; i++) {
		const struct nsu_extent *a = &m->ext[i];

		if (a->count == 0 || (uint64_t)a->inside + a->count - 1 > NSU_ID_MAX ||
		    (uint64_t)a->outside + a->count - 1 > NSU_ID_MAX)
			abort();
		for (size_t j = i + 1; j < m->n; j++) {
			const struct nsu_extent *b = &m->ext[j];

			if ((uint64_t)a->inside < (uint64_t)b->inside + b->count &&
			    (uint64_t)b->inside < (uint64_t)a->inside + a->count)
				abort(); /* inside overlap */
			if ((uint64_t)a->outside < (uint64_t)b->outside + b->count &&
			    (uint64_t)b->outside < (uint64_t)a->outside + a->count)
				abort(); /* outside overlap */
		}
		total += a->count;
	}
	if (total > (uint64_t)NSU_ID_MAX + 1)
		abort();
	if (nsu_idmap_format(m, text, sizeof(text)) < 0)
		abort(); /* a built map always fits one kernel write */
}

static void ranges_case(const uint8_t *data, size_t size)
{
	struct nsu_range *in, *out;
	struct nsu_idmap map;
	size_t n, m;
	uint32_t own;
	int64_t own_inside;

	if (size < 5)
		return;
	memcpy(&own, data, 4);
	own_inside = data[4] % 3 == 0 ? 0 : data[4] % 3 == 1 ? (int64_t)own : -1;
	data += 5;
	size -= 5;
	n = size / 16;
	in = calloc(n + 1, sizeof(*in));
	if (!in)
		return;
	for (size_t i = 0; i < n; i++) {
		memcpy(&in[i].start, data + 16 * i, 8);
		memcpy(&in[i].count, data + 16 * i + 8, 8);
	}
	if (nsu_ranges_normalize(in, n, own, &out, &m, NULL) == 0) {
		for (size_t i = 0; i < m; i++) {
			if (out[i].count == 0 || out[i].start + out[i].count - 1 > NSU_ID_MAX)
				abort();
			if (own_inside >= 0 && own >= out[i].start && own < out[i].start + out[i].count)
				abort(); /* own id must have been cut out */
			if (i && out[i].start <= out[i - 1].start + out[i - 1].count)
				abort(); /* sorted, disjoint, not adjacent (except around own id) */
		}
		if (nsu_idmap_build(&map, own, own_inside, out, m) == 0)
			invariants(&map);
		free(out);
	}
	free(in);
}

static void text_case(const uint8_t *data, size_t size)
{
	static const struct nsu_range allowed[] = {
		{ 1000, 1 }, { 100000, 65536 }, { 4294900000ULL, 67295 },
	};
	struct nsu_idmap map = { 0 };
	char *s = malloc(size + 1);
	struct nsu_err err;

	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';
	if (nsu_idmap_parse(&map, s, &err) == 0 && nsu_idmap_check(&map, allowed, 3, &err) == 0) {
		invariants(&map);
		nsu_idmap_sort(&map);
		(void)nsu_idmap_to_outside(&map, 0);
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		text_case(data + 1, size - 1);
	else
		ranges_case(data + 1, size - 1);
	return 0;
}
