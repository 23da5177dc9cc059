/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the parts of --check share: the line printer and the facts they pass on. */
#ifndef NSU_CHECKPRIV_H
#define NSU_CHECKPRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "accounts.h"
#include "check.h"

enum nsu_check_level { NSU_CHECK_OK, NSU_CHECK_WARN, NSU_CHECK_FAIL };

struct nsu_check_state {
	unsigned fails;                /* FAIL lines so far */
	bool files;                    /* the subid backend is /etc/subuid and /etc/subgid */
	char backend[200];             /* "files", or the NSS module and where it is set */
	char module[64];               /* the NSS module's name, "" for files */
	struct nsu_accounts users;     /* the passwd database (n == 0 if unreadable) */
	struct nsu_accounts groups;    /* the group database */
};

/* Print one check: "OK  ", "WARN" or "FAIL", the text, and for a non-OK line "; fix: @fix". */
__attribute__((format(printf, 4, 5)))
void nsu_check_line(struct nsu_check_state *s, enum nsu_check_level lvl, const char *fix,
		    const char *fmt, ...);

/* The caller's subordinate uids (@kind NSU_UID) or gids, and whom they are shared with. */
void nsu_check_own_ranges(struct nsu_check_state *s, const struct nsu_check_in *in, int kind);

/*
 * Root's view: the subid file of @kind and every user's ranges in it (a
 * range including id 0 is a FAIL). @has receives, for each entry of
 * s->users, whether that user has ranges of @kind.
 */
void nsu_check_host_ranges(struct nsu_check_state *s, int kind, bool *has);

#endif
