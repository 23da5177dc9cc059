/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Subordinate id ranges, read through shadow-utils' libsubid. */
#ifndef NSU_SUBIDS_H
#define NSU_SUBIDS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "idmap.h"
#include "log.h"

enum nsu_id_kind { NSU_UID = 0, NSU_GID = 1 };

/**
 * nsu_subids_get() - the subordinate ranges of @owner
 * @owner: user name (lines keyed by the user's numeric uid are included by
 *         libsubid), or a numeric uid for a user without a name
 * @kind: NSU_UID for /etc/subuid, NSU_GID for /etc/subgid (or the NSS
 *        module configured for subid)
 * @out: receives a malloc()ed array, as libsubid returned it (unsanitised)
 * @e: receives the message on error
 *
 * Return: the number of ranges (0 when the user has none), or -1 with @e filled.
 */
int nsu_subids_get(const char *owner, enum nsu_id_kind kind, struct nsu_range **out,
		   struct nsu_err *e);

/*
 * Both lookups (uids and gids), run in a thread of their own so that loading
 * libsubid overlaps with the clone and the child's re-execution.
 */
struct nsu_subids_lookup {
	const char *owner[2];          /* in: whose ranges, per kind; NULL: skip */
	int n[2];                      /* out: number of ranges, or -1 (see err) */
	struct nsu_range *ranges[2];   /* out: malloc()ed */
	struct nsu_err err[2];         /* out: why a lookup failed */
	pthread_t thread;
	bool threaded;
};

/* Start the lookups (in a thread, or at once if no thread can be made). */
void nsu_subids_start(struct nsu_subids_lookup *l);

/* Wait for the lookups started by nsu_subids_start(). */
void nsu_subids_finish(struct nsu_subids_lookup *l);

#endif
