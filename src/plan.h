/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deciding the maps (pure): from the mode, explicit --uidmap/--gidmap lines
 * and the subordinate ranges found, the map of each kind, where it came
 * from, and which inside id the command runs as.
 */
#ifndef NSU_PLAN_H
#define NSU_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "idmap.h"
#include "log.h"
#include "options.h"

enum nsu_map_source {
	NSU_SRC_RANGES,      /* own id to 0, subordinate ranges from 1 */
	NSU_SRC_NO_RANGE,    /* single-ID map: no usable range (see why) */
	NSU_SRC_SINGLE,      /* single-ID map, asked for */
	NSU_SRC_CURRENT,     /* own id kept, ranges around it */
	NSU_SRC_EXPLICIT,    /* --uidmap/--gidmap */
	NSU_SRC_REMAP,       /* root: another user's ranges from 0 */
};

/* What is known about one kind of id (uids or gids) before planning. */
struct nsu_plan_in {
	uint32_t own;                    /* the caller's outside id */
	const struct nsu_range *ranges;  /* subordinate ranges as found (any order) */
	size_t n;
	const struct nsu_err *lookup_err; /* why ranges could not be read, or NULL */
	const char *owner;               /* whose ranges they are */
	const char *file;                /* "/etc/subuid" or "/etc/subgid" */
	const char *kind;                /* "uid" or "gid" */
	const char *explicit_opt;        /* the option explicit lines came from */
	bool any_id;                     /* privileged: explicit lines may map any id */
};

struct nsu_plan_map {
	struct nsu_idmap map;
	enum nsu_map_source source;
	uint32_t inside_self;            /* the inside id the command runs as */
	bool zero_cut;                   /* a range held id 0 (host root), left out */
	struct nsu_err why;              /* for NSU_SRC_NO_RANGE: why */
};

/**
 * nsu_plan_map() - plan the map of one kind of id
 * @out: the result
 * @in: the caller's id and ranges
 * @mode: auto, single or current-user (ignored with @explicit or @remap)
 * @explicit: --uidmap/--gidmap lines, or NULL
 * @remap: plan root's map from @in->ranges alone (--remap)
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled (explicit lines not allowed, too many
 * ranges, nothing to run as).
 */
int nsu_plan_map(struct nsu_plan_map *out, const struct nsu_plan_in *in,
		 enum nsu_map_mode mode, const struct nsu_idmap *explicit, bool remap,
		 struct nsu_err *e);

/*
 * The inside id the command runs as, known before any range is read: 0,
 * except with --map-current-user (the own id) and with explicit lines that
 * do not map 0 (the own id's inside id; -1 if that is unmapped too).
 */
int64_t nsu_plan_inside_self(enum nsu_map_mode mode, const struct nsu_idmap *explicit,
			     uint32_t own);

/* A short description of where @p's map comes from, for --print-mappings. */
void nsu_plan_describe(const struct nsu_plan_map *p, const struct nsu_plan_in *in,
		       char *buf, size_t len);

#endif
