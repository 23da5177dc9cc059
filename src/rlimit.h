/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --rlimit NAME=SOFT[:HARD] (pure: parsing, checking against given limits,
 * formatting). Names are prlimit(1)'s, in any case; values are numbers in
 * the unit of the limit (bytes, seconds, a count), or "unlimited".
 */
#ifndef NSU_RLIMIT_H
#define NSU_RLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

#include "log.h"

/* One --rlimit: which limit, and the soft and hard values given. */
struct nsu_rlimit {
	int resource;          /* RLIMIT_... */
	bool soft_set, hard_set;
	rlim_t soft, hard;     /* RLIM_INFINITY: unlimited */
};

/*
 * Parse "NAME=SOFT", "NAME=SOFT:HARD", "NAME=SOFT:" (the soft limit only) or
 * "NAME=:HARD" (the hard limit only). A soft limit above the hard one given
 * with it is refused. Return: 0, or -1 with @e filled (naming --rlimit).
 */
int nsu_rlimit_parse(const char *arg, struct nsu_rlimit *out, struct nsu_err *e);

/* prlimit's name of @resource in lower case ("nofile"), or NULL if unknown. */
const char *nsu_rlimit_name(int resource);

/* "nofile=1024:4096", "core=0", "stack=:unlimited": what nsu_rlimit_parse() reads back. */
void nsu_rlimit_format(const struct nsu_rlimit *l, char *buf, size_t len);

/*
 * The limits @l asks for, from the current ones @cur: a limit not given
 * stays; a hard limit lowered below the current soft one takes the soft
 * one down with it.
 */
struct rlimit nsu_rlimit_result(const struct nsu_rlimit *l, const struct rlimit *cur);

/*
 * Can @l be set over @cur? A hard limit above the current one needs
 * privileges a user namespace never has (@may_raise: the command runs
 * where nsu has CAP_SYS_RESOURCE), and a soft limit may not exceed the hard
 * one. Return: 0, or -1 with @e filled (what to do instead).
 */
int nsu_rlimit_check(const struct nsu_rlimit *l, const struct rlimit *cur, bool may_raise,
		     struct nsu_err *e);

#endif
