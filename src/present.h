/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What nsu tells about its maps: --print-mappings lines, -v lines, warnings. */
#ifndef NSU_PRESENT_H
#define NSU_PRESENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "idmap.h"
#include "mapwrite.h"
#include "plan.h"

/* Print the lines of @map as /proc/PID/uid_map shows them. */
void nsu_print_map(FILE *f, const struct nsu_idmap *map);

/* -v: where the @kind map comes from, and its lines. */
void nsu_log_map(int kind, const struct nsu_plan_map *p, const struct nsu_plan_in *in);

/* A range held id 0, root of the host: warn that nsu left it out. */
void nsu_warn_zero_cut(int kind, const struct nsu_plan_map *p, const struct nsu_plan_in *in);

/* "exit status N" or "killed by signal N, NAME", for messages; returns @buf. */
const char *nsu_status_text(int status, char *buf, size_t len);

/* What the fallback warning speaks of. */
struct nsu_fallback_view {
	const char *owner;                /* whose ranges */
	uint32_t own[2];                  /* the caller's uid and gid */
	bool named;                       /* the caller has a user name */
	bool direct;                      /* root, writing the maps itself */
	const struct nsu_plan_in *in;     /* [2] */
	const struct nsu_plan_map *plan;  /* [2] */
	const struct nsu_map_job *jobs;   /* [2] */
};

/* One warning for whatever fell back to a single-ID map: what, why, the fix. */
void nsu_warn_fallback(const struct nsu_fallback_view *v);

#endif
