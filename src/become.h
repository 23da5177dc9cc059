/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The last steps before the command runs, in its namespaces: the OOM score,
 * the capabilities' bounding set, the switch to the ids it runs as, what
 * capabilities its exec gives it, and no_new_privs. --user replaces the
 * ids here, for every path that runs a command. The inner stage takes
 * them after its set-up; a command that joins a session takes them after
 * setns().
 */
#ifndef NSU_BECOME_H
#define NSU_BECOME_H

#include <stdbool.h>
#include <stdint.h>

#include "isolation.h"
#include "report.h"

/* Whom the command runs as inside. */
struct nsu_identity {
	uint32_t uid, gid;
	bool drop_groups;  /* clear the supplementary groups (where nsu wrote the maps itself) */
	bool try_drop_groups; /* clear them if the namespace allows (setgroups not denied) */
	bool keep;         /* keep the ids the process has (uid and gid unused) */
};

/**
 * nsu_become() - become the command's process, with every capability still held
 * @id: the ids to switch to, unless @iso has --user: then its ids, without
 *      supplementary groups where the user namespace allows setgroups()
 * @iso: the OOM score, the capability options, no_new_privs and --user
 * @rep: receives the failure, as the inner stage reports it
 *
 * Return: 0, or -1 with @rep filled.
 */
int nsu_become(const struct nsu_identity *id, const struct nsu_isolation *iso,
	       struct nsu_report *rep);

#endif
