/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rangeset.h"

uint64_t nsu_ranges_shared(const struct nsu_range *a, size_t na, const struct nsu_range *b,
			   size_t nb, struct nsu_range *first)
{
	uint64_t total = 0;
	size_t i = 0, j = 0;

	if (first)
		*first = (struct nsu_range){ 0, 0 };
	/* Both sorted and disjoint: walk them side by side. */
	while (i < na && j < nb) {
		uint64_t a_end = a[i].start + a[i].count, b_end = b[j].start + b[j].count;
		uint64_t lo = a[i].start > b[j].start ? a[i].start : b[j].start;
		uint64_t hi = a_end < b_end ? a_end : b_end;

		if (lo < hi) {
			if (first && total == 0)
				*first = (struct nsu_range){ lo, hi - lo };
			total += hi - lo;
		}
		if (a_end < b_end)
			i++;
		else
			j++;
	}
	return total;
}

/* The index of the range holding @id, or -1. */
static long find(const struct nsu_range *r, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (id < r[mid].start)
			hi = mid;
		else if (id - r[mid].start >= r[mid].count)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

size_t nsu_accounts_in_ranges(const struct nsu_account *acc, size_t n, const struct nsu_range *r,
			      size_t nr, int64_t skip, bool *hit, char *names, size_t len,
			      size_t shown)
{
	size_t count = 0, off = 0;

	if (len)
		names[0] = '\0';
	if (hit)
		memset(hit, 0, nr * sizeof(*hit));
	for (size_t i = 0; i < n; i++) {
		long k;

		if ((int64_t)acc[i].id == skip || (k = find(r, nr, acc[i].id)) < 0)
			continue;
		if (hit)
			hit[k] = true;
		if (count < shown && off < len)
			off += (size_t)snprintf(names + off, len - off, "%s%s %" PRIu32,
						count ? ", " : "", acc[i].name, acc[i].id);
		else if (count == shown && off < len)
			off += (size_t)snprintf(names + off, len - off, ", ...");
		count++;
	}
	return count;
}

void nsu_format_ranges(char *buf, size_t len, const struct nsu_range *r, size_t n,
		       const bool *only, size_t shown)
{
	size_t off = 0, listed = 0, all = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (only && !only[i])
			continue;
		all++;
		if (listed < shown && off < len) {
			off += (size_t)snprintf(buf + off, len - off, "%s%" PRIu64 "-%" PRIu64,
						listed ? ", " : "", r[i].start,
						r[i].start + r[i].count - 1);
			listed++;
		}
	}
	if (all > listed && off < len)
		snprintf(buf + off, len - off, ", ... (%zu ranges)", all);
}
