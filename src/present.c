/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What nsu tells about its maps: --print-mappings lines, -v lines, the fallback warning. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "log.h"
#include "present.h"
#include "subids.h"

void nsu_print_map(FILE *f, const struct nsu_idmap *map)
{
	for (size_t i = 0; i < map->n; i++)
		fprintf(f, "%10" PRIu32 " %10" PRIu32 " %10" PRIu32 "\n", map->ext[i].inside,
			map->ext[i].outside, map->ext[i].count);
}

void nsu_log_map(int kind, const struct nsu_plan_map *p, const struct nsu_plan_in *in)
{
	char what[700];

	if (nsu_verbosity < NSU_VERBOSE)
		return;
	nsu_plan_describe(p, in, what, sizeof(what));
	nsu_info("%s map: %s", nsu_kind_name[kind], what);
	for (size_t i = 0; i < p->map.n; i++)
		nsu_info("%s map: %" PRIu32 " %" PRIu32 " %" PRIu32, nsu_kind_name[kind],
			 p->map.ext[i].inside, p->map.ext[i].outside, p->map.ext[i].count);
}

/* A range held id 0, root of the host: say that nsu left it out, and what to fix. */
void nsu_warn_zero_cut(int kind, const struct nsu_plan_map *p, const struct nsu_plan_in *in)
{
	if (!p->zero_cut)
		return;
	nsu_warn("warning: the subordinate %s ranges of %s in %s include %s 0, root of the "
		 "host; nsu leaves it out of the map (an administrator should correct that "
		 "line: subordinate ids never include 0)", nsu_kind_name[kind], in->owner,
		 nsu_subid_file[kind], nsu_kind_name[kind]);
}

/* "exit status N" or "killed by signal N (NAME)", for messages. */
const char *nsu_status_text(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d, %s", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	return buf;
}

/* One warning for whatever fell back to a single-ID map: what, why, the fix. */
void nsu_warn_fallback(const struct nsu_fallback_view *v)
{
	static const char *const add_flag[2] = { "--add-subuids", "--add-subgids" };
	const char *why[2];
	bool no_range[2];
	char what[80], text[1100], fix[600] = "", tail[100];
	size_t off;

	for (int k = 0; k < 2; k++) {
		no_range[k] = v->plan[k].source == NSU_SRC_NO_RANGE && !v->in[k].lookup_err;
		why[k] = v->jobs[k].fell_back ? v->jobs[k].why.msg :
			 v->plan[k].source == NSU_SRC_NO_RANGE ? v->plan[k].why.msg : NULL;
	}
	if (!why[NSU_UID] && !why[NSU_GID])
		return;
	nsu_info("single-ID map for %s%s%s", why[NSU_UID] ? "uids" : "",
		 why[NSU_UID] && why[NSU_GID] ? " and " : "", why[NSU_GID] ? "gids" : "");

	if (why[NSU_UID] && why[NSU_GID])
		snprintf(what, sizeof(what), "uid %lu and gid %lu", (unsigned long)v->own[NSU_UID],
			 (unsigned long)v->own[NSU_GID]);
	else
		snprintf(what, sizeof(what), "%s %lu", why[NSU_UID] ? "uid" : "gid",
			 (unsigned long)v->own[why[NSU_UID] ? NSU_UID : NSU_GID]);

	if (no_range[NSU_UID] && no_range[NSU_GID])
		snprintf(text, sizeof(text), "%s has no subordinate ids in %s and %s", v->owner,
			 nsu_subid_file[NSU_UID], nsu_subid_file[NSU_GID]);
	else if (why[NSU_UID] && why[NSU_GID] && strcmp(why[NSU_UID], why[NSU_GID]))
		snprintf(text, sizeof(text), "%.500s; %.500s", why[NSU_UID], why[NSU_GID]);
	else
		snprintf(text, sizeof(text), "%.500s", why[NSU_UID] ? why[NSU_UID] : why[NSU_GID]);

	if ((no_range[NSU_UID] || no_range[NSU_GID]) && v->direct) {
		/* Root writes any map itself: it needs a user's ranges, not ranges of its own. */
		snprintf(fix, sizeof(fix), "; as root, name the user whose subordinate ranges to "
			 "map with --remap USER, or give the map lines with --uidmap and --gidmap");
	} else if ((no_range[NSU_UID] || no_range[NSU_GID]) && !v->named) {
		/* Neither usermod nor newuidmap/newgidmap work for a uid without a name. */
		snprintf(fix, sizeof(fix), "; uid %lu has no user name, and newuidmap and "
			 "newgidmap need one: an administrator can create the user (useradd) and "
			 "give it ranges (usermod --add-subuids, --add-subgids)",
			 (unsigned long)v->own[NSU_UID]);
	} else if (no_range[NSU_UID] || no_range[NSU_GID]) {
		off = (size_t)snprintf(fix, sizeof(fix), "; an administrator can add some with: usermod");
		for (int k = 0; k < 2; k++)
			if (no_range[k])
				off += (size_t)snprintf(fix + off, sizeof(fix) - off, " %s FIRST-LAST",
							add_flag[k]);
		snprintf(fix + off, sizeof(fix) - off, " %s, with 65536 ids that no other user has",
			 v->owner);
	}
	if (why[NSU_UID] && why[NSU_GID])
		snprintf(tail, sizeof(tail), "chown to other ids fails inside");
	else
		/* A mixed map: say so, it surprises otherwise. */
		snprintf(tail, sizeof(tail), "%ss keep their full map, but %s to other %ss fails "
			 "inside", why[NSU_UID] ? "gid" : "uid", why[NSU_UID] ? "chown" : "chgrp",
			 why[NSU_UID] ? "uid" : "gid");
	/* Where nsu writes the gid map itself (root), setgroups stays allowed. */
	nsu_warn("warning: mapping only %s%s: %s%s (%s; --single or -q silences this)", what,
		 why[NSU_GID] && !v->direct ? " (setgroups denied)" : "", text, fix, tail);
}
