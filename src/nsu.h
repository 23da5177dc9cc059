/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What main() decided, shared by the files that act on it: main.c (options,
 * configuration, the privileged path), userns.c (the user-namespace path)
 * and present.c (what nsu tells the user about its maps).
 */
#ifndef NSU_NSU_H
#define NSU_NSU_H

#include <pwd.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "check.h"
#include "conf.h"
#include "mapwrite.h"
#include "options.h"
#include "plan.h"
#include "report.h"

#define EXIT_NSU_FAILURE 125

extern const char *const nsu_kind_name[2];   /* "uid", "gid" */
extern const char *const nsu_subid_file[2];  /* "/etc/subuid", "/etc/subgid" */

/* Everything decided before anything runs. */
struct nsu {
	struct nsu_options o;
	struct nsu_config cfg;
	enum nsu_map_mode mode;
	uid_t uid;                  /* the caller, outside */
	gid_t gid;
	struct passwd *pw;          /* its passwd entry (&pw_entry), or NULL */
	struct passwd pw_entry;     /* a copy of its own, which no later lookup changes */
	char *pw_buf;               /* the strings of pw_entry */
	char owner[2][256];         /* whose uid and gid ranges to use */
	bool remap;                 /* root with --remap */
	bool direct;                /* privileged: nsu writes any map itself, no helpers */
	char **cmd;
};

/* Print what went wrong on the way to the command; the exit status for it. */
int nsu_report_failure(struct nsu_report *rep, const char *detail);

/* The command in a new user namespace: never returns on success (nsu ends like it). */
int nsu_run_in_userns(struct nsu *n);

/* --print-mappings: the maps nsu would write, and where they come from. */
int nsu_print_mappings(const struct nsu *n);

/* --check's trial (struct nsu_check_in.trial; @ctx is the struct nsu). */
enum nsu_trial nsu_trial(void *ctx, char *detail, size_t len);

/* present.c */
void nsu_print_map(FILE *f, const struct nsu_idmap *map);
void nsu_log_map(int kind, const struct nsu_plan_map *p, const struct nsu_plan_in *in);
void nsu_warn_zero_cut(int kind, const struct nsu_plan_map *p, const struct nsu_plan_in *in);
const char *nsu_status_text(int status, char *buf, size_t len);
void nsu_warn_fallback(const struct nsu *n, const struct nsu_plan_in in[2],
		       const struct nsu_plan_map plan[2], const struct nsu_map_job jobs[2]);

#endif
