/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The users and groups of this host (passwd and group databases), copied. */
#ifndef NSU_ACCOUNTS_H
#define NSU_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

/* One passwd or group entry: its name and its uid or gid. */
struct nsu_account {
	char *name;
	uint32_t id;    /* uid (passwd) or gid (group) */
	uint32_t gid;   /* passwd: the primary gid; group: the gid again */
};

struct nsu_accounts {
	struct nsu_account *v;  /* sorted by id, entries of one id in database order */
	size_t n;
};

/**
 * nsu_accounts_load() - every entry of the passwd or the group database
 * @a: receives the entries; release them with nsu_accounts_free()
 * @groups: false for passwd (setpwent/getpwent), true for group (setgrent/getgrent)
 * @e: receives the message on error
 *
 * Entries the database cannot enumerate (some NSS modules list nothing) are
 * simply not there.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_accounts_load(struct nsu_accounts *a, bool groups, struct nsu_err *e);

void nsu_accounts_free(struct nsu_accounts *a);

#endif
