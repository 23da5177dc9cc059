/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure id-map logic: normalise subordinate ranges and lay them out as the
 * extents of a user-namespace uid_map/gid_map. No system calls here, so all
 * of it is unit-testable without privileges.
 */
#ifndef NSU_IDMAP_H
#define NSU_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

/* The kernel accepts at most this many lines in one uid_map/gid_map write. */
#define NSU_MAX_EXTENTS 340
/* ... and the whole write must be shorter than one page. */
#define NSU_MAP_WRITE_MAX 4095
/* (uid_t)-1 is never a valid id, so the highest usable one is 2^32 - 2. */
#define NSU_ID_MAX UINT32_C(4294967294)

/* A range of outside ids as read from /etc/subuid or /etc/subgid. */
struct nsu_range {
	uint64_t start;
	uint64_t count;
};

/* One line of a uid_map/gid_map: inside, outside, count. */
struct nsu_extent {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

struct nsu_idmap {
	size_t n;
	struct nsu_extent ext[NSU_MAX_EXTENTS];
};

/* What normalisation had to fix in its input, for --verbose and warnings. */
struct nsu_norm_report {
	unsigned empty;     /* ranges with count 0, dropped */
	unsigned invalid;   /* ranges starting past NSU_ID_MAX, dropped */
	unsigned clipped;   /* ranges running past NSU_ID_MAX, shortened */
	unsigned merged;    /* ranges folded into a neighbour (overlap or adjacency) */
	int own_id_cut;     /* the caller's own id was cut out of a range */
	int zero_cut;       /* id 0 (root of the host) was cut out of a range */
};

/**
 * nsu_ranges_normalize() - clean up subordinate ranges
 * @in: ranges as given (any order, possibly overlapping, empty or overflowing)
 * @n: number of ranges in @in
 * @own_id: the caller's own id, which is mapped separately and so must not
 *          appear in any range
 * @out: receives a malloc()ed array of sorted, disjoint, non-adjacent ranges
 *       within [1, NSU_ID_MAX] that contain neither @own_id nor 0: a range
 *       never maps host root (newuidmap would allow an administrator's line
 *       that holds 0; nsu does not)
 * @out_n: receives the number of ranges in @out
 * @rep: optional; receives what had to be fixed
 *
 * Return: 0, or -ENOMEM.
 */
int nsu_ranges_normalize(const struct nsu_range *in, size_t n, uint32_t own_id,
			 struct nsu_range **out, size_t *out_n, struct nsu_norm_report *rep);

/**
 * nsu_idmap_build() - the map: the own id, then the ranges back to back
 * @map: receives the extents, sorted by inside id
 * @own_id: the caller's outside id
 * @own_inside: 0 for root ("0 own 1", "1 a n", "1+n b m", ...); an id K > 0
 *              keeps that layout but trades inside ids 0 and K, so that the
 *              own id is K inside and every other id keeps its place (if the
 *              ranges do not reach K, 0 gets the last subordinate id); or -1
 *              to leave @own_id unmapped and lay the ranges from 0 (root
 *              remapping another user)
 * @r: normalised ranges (see nsu_ranges_normalize())
 * @n: number of ranges
 *
 * Ranges that would push inside ids past NSU_ID_MAX are shortened or left out.
 *
 * Return: 0; -EINVAL when @own_id or @own_inside is past NSU_ID_MAX; -E2BIG
 * when the map needs more than NSU_MAX_EXTENTS lines or its text does not
 * fit in one kernel write.
 */
int nsu_idmap_build(struct nsu_idmap *map, uint32_t own_id, int64_t own_inside,
		    const struct nsu_range *r, size_t n);

/* The map holding only "@inside @outside 1". */
void nsu_idmap_single(struct nsu_idmap *map, uint32_t inside, uint32_t outside);

/**
 * nsu_idmap_parse() - append "INSIDE:OUTSIDE:COUNT[,...]" to @map
 * @map: the map to extend (its n extents so far stay)
 * @spec: the text, e.g. from --uidmap; decimal numbers only
 * @e: receives the message on error
 *
 * Only the syntax and the bounds of each triple are checked here (count at
 * least 1, no id past NSU_ID_MAX); see nsu_idmap_check() for the whole map.
 *
 * Return: 0, or -EINVAL / -E2BIG with @e filled.
 */
int nsu_idmap_parse(struct nsu_idmap *map, const char *spec, struct nsu_err *e);

/**
 * nsu_idmap_check() - is @map one the kernel and the caller may use?
 * @map: the map
 * @allowed: sorted, disjoint outside ranges the caller may map (own id and
 *           subordinate ranges)
 * @n: number of @allowed ranges
 * @e: receives the message on error
 *
 * Rejects overlapping inside or outside ranges, more than NSU_MAX_EXTENTS
 * lines or 4 KiB of text, and outside ids not covered by @allowed.
 *
 * Return: 0, or -EINVAL / -EPERM / -E2BIG with @e filled.
 */
int nsu_idmap_check(const struct nsu_idmap *map, const struct nsu_range *allowed, size_t n,
		    struct nsu_err *e);

/* Map inside id @inside to its outside id; -1 if it is not mapped. */
int64_t nsu_idmap_to_outside(const struct nsu_idmap *map, uint32_t inside);

/* Map outside id @outside to its inside id; -1 if it is not mapped. */
int64_t nsu_idmap_to_inside(const struct nsu_idmap *map, uint32_t outside);

/* Sort the extents of @map by inside id. */
void nsu_idmap_sort(struct nsu_idmap *map);

/* The number of ids the map covers (inside), at most 2^32 - 1. */
uint64_t nsu_idmap_size(const struct nsu_idmap *map);

/**
 * nsu_idmap_format() - the map as the kernel reads it ("in out count\n" lines)
 * @map: the map
 * @buf: output buffer
 * @len: its size
 *
 * Return: the length written (without the NUL), or -ENOSPC if @len is too small.
 */
int nsu_idmap_format(const struct nsu_idmap *map, char *buf, size_t len);

/* Storage for the argument vector of newuidmap/newgidmap. */
struct nsu_idmap_argv {
	char *argv[2 + 3 * NSU_MAX_EXTENTS + 1];
	char num[3 * NSU_MAX_EXTENTS][11];
};

/**
 * nsu_idmap_argv() - build "HELPER TARGET in out count ..." for newuidmap
 * @a: storage; a->argv is the NULL-terminated vector afterwards
 * @helper: argv[0]
 * @target: the process the map is for (a pid, or "fd:N" for a pidfd)
 * @map: the map
 */
void nsu_idmap_argv(struct nsu_idmap_argv *a, const char *helper,
		    const char *target, const struct nsu_idmap *map);

#endif
