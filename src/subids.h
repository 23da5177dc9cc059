/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Subordinate id ranges, read through shadow-utils' libsubid. */
#ifndef NSU_SUBIDS_H
#define NSU_SUBIDS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "idmap.h"
#include "log.h"

enum nsu_id_kind { NSU_UID = 0, NSU_GID = 1 };

extern const char *const nsu_kind_name[2];   /* "uid", "gid" */
extern const char *const nsu_subid_file[2];  /* "/etc/subuid", "/etc/subgid" */

/**
 * nsu_subids_get() - the subordinate ranges of @owner
 * @owner: user name (lines keyed by the user's numeric uid are included by
 *         libsubid), or a numeric uid for a user without a name
 * @kind: NSU_UID for /etc/subuid, NSU_GID for /etc/subgid (or the NSS
 *        module configured for subid)
 * @out: receives a malloc()ed array, as libsubid returned it (unsanitised)
 * @e: receives the message on error
 *
 * libsubid is loaded on the first call and stays until nsu_subids_unload().
 *
 * Return: the number of ranges (0 when the user has none), or -1 with @e filled.
 */
int nsu_subids_get(const char *owner, enum nsu_id_kind kind, struct nsu_range **out,
		   struct nsu_err *e);

/*
 * Unload libsubid and what it pulled in (PAM, SELinux, audit...): a process
 * that supervises a long command keeps none of it. A later nsu_subids_get()
 * loads it again.
 */
void nsu_subids_unload(void);

#endif
