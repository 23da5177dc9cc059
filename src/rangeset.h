/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sets of ranges, compared with each other and with the ids of accounts:
 * which ids of subordinate ranges other users or groups hold (pure).
 */
#ifndef NSU_RANGESET_H
#define NSU_RANGESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accounts.h"
#include "idmap.h"

/**
 * nsu_ranges_shared() - how many ids two sets of ranges have in common
 * @a: sorted, disjoint ranges (see nsu_ranges_normalize())
 * @na: their number
 * @b: sorted, disjoint ranges
 * @nb: their number
 * @first: optional; receives the first run of shared ids (count 0 if none)
 *
 * Return: the number of ids in both.
 */
uint64_t nsu_ranges_shared(const struct nsu_range *a, size_t na, const struct nsu_range *b,
			   size_t nb, struct nsu_range *first);

/**
 * nsu_accounts_in_ranges() - the accounts whose id lies in some range
 * @acc: the accounts, sorted by id
 * @n: their number
 * @r: sorted, disjoint ranges
 * @nr: their number
 * @skip: an id not to count (-1: none)
 * @hit: optional, @nr flags; @hit[i] is set when range i holds one of them
 * @names: receives "name id, name id, ..." of the first @shown of them, and
 *         ", ..." when there are more
 * @len: the size of @names
 * @shown: how many to name
 *
 * Return: how many accounts have an id in @r (other than @skip).
 */
size_t nsu_accounts_in_ranges(const struct nsu_account *acc, size_t n, const struct nsu_range *r,
			      size_t nr, int64_t skip, bool *hit, char *names, size_t len,
			      size_t shown);

/**
 * nsu_format_ranges() - "a-b, c-d, ..." of the ranges (those with @only set)
 * @buf: output
 * @len: its size
 * @r: the ranges
 * @n: their number
 * @only: optional, @n flags: list only the ranges whose flag is set
 * @shown: at most this many are listed, then ", ... (N ranges)"
 */
void nsu_format_ranges(char *buf, size_t len, const struct nsu_range *r, size_t n,
		       const bool *only, size_t shown);

#endif
