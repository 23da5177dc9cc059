/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Facts about the host and this process that decide whether nsu can work,
 * each checked and explained in one place: its level, what is the case,
 * and the fix. nsu --check prints them as lines ("FAIL  TEXT; fix: FIX");
 * the fallback warning and the failure messages give them as a reason.
 */
#ifndef NSU_DIAGNOSE_H
#define NSU_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>

enum nsu_level { NSU_LEVEL_OK, NSU_LEVEL_WARN, NSU_LEVEL_FAIL };

struct nsu_fact {
	enum nsu_level level;
	char text[600];    /* what is the case */
	char fix[600];     /* what to do about it; "" when nothing */
	char reason[1210]; /* the same as the reason in a message: "TEXT (FIX)" unless said otherwise */
};

/* --- small facts read from /proc ------------------------------------------------- */

/* The integer in a /proc/sys file, or -1 when it does not exist or cannot be read. */
long nsu_sysctl(const char *path);

/* Is this process's uid_map empty (a user namespace nobody wrote maps for)? */
bool nsu_uid_map_empty(void);

/* Is this process in the initial user namespace (the full identity map)? */
bool nsu_in_initial_userns(void);

/* --- facts --------------------------------------------------------------------- */

/* Why clone(CLONE_NEWUSER) failed with @err: the setting that stops it, and the fix. */
void nsu_diag_userns_failure(int err, struct nsu_fact *f);

/* user.max_user_namespaces; false when it cannot be read (no fact). */
bool nsu_diag_max_userns(struct nsu_fact *f);

/* kernel.unprivileged_userns_clone (Debian's older kernels); false when absent. */
bool nsu_diag_unpriv_userns(struct nsu_fact *f);

/* kernel.apparmor_restrict_unprivileged_userns (Ubuntu) and nsu's profile; false when absent. */
bool nsu_diag_apparmor(struct nsu_fact *f);

/* no_new_privs on this process (the setuid helpers cannot work under it). */
void nsu_diag_no_new_privs(struct nsu_fact *f);

/* Already in a user namespace (nested): where root of the host is not mapped. */
void nsu_diag_nesting(struct nsu_fact *f);

/* /proc mounted with hidepid: nsu works with it; said for completeness. */
void nsu_diag_hidepid(struct nsu_fact *f);

/**
 * nsu_diag_helper() - can the helper at @path map ids for an unprivileged caller?
 * @path: newuidmap or newgidmap (as configured)
 * @origin: "FILE:LINE" that configured it, or "" / NULL for the built-in default
 * @usual: the built-in default, for advice about a configured one
 * @f: receives the fact: OK (setuid root or file capabilities), WARN (cannot
 *     work in a nested namespace) or FAIL (missing, not setuid)
 */
void nsu_diag_helper(const char *path, const char *origin, const char *usual, struct nsu_fact *f);

/* How a helper run ended, for nsu_diag_helper_failure(). */
struct nsu_helper_run {
	const char *path, *origin, *usual;
	int spawn_err;          /* posix_spawn()'s error, or 0 */
	bool timed_out;         /* stopped after @timeout_s */
	unsigned timeout_s;
	int status;             /* wait status */
	const char *last_line;  /* the last line of its output, "" if none */
};

/* Why a helper that ran (or could not) did not write its map: f->reason. */
void nsu_diag_helper_failure(const struct nsu_helper_run *h, struct nsu_fact *f);

/*
 * The subordinate id file of @kind (0: /etc/subuid, 1: /etc/subgid), where
 * the files are the backend: OK when every user can read it, FAIL when it is
 * missing or closed to others (text "FILE does not exist" or "FILE: ERROR",
 * fix "touch FILE && chmod 0644 FILE" or "chmod 0644 FILE").
 */
void nsu_diag_subid_file(int kind, struct nsu_fact *f);

/* --- the parts of host listings the facts read (pure) ------------------------- */

/* Is @line of AppArmor's profile list ("NAME (MODE)") the profile @name? */
bool nsu_apparmor_profile_is(const char *line, const char *name);

/*
 * The service named by the "subid:" line of nsswitch.conf text @line (the
 * first word after it), copied to @buf; false when @line is not one.
 */
bool nsu_nsswitch_subid(const char *line, char *buf, size_t len);

#endif
