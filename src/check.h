/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsu --check: diagnose the host and the user, one line per check. */
#ifndef NSU_CHECK_H
#define NSU_CHECK_H

#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum nsu_trial {
	NSU_TRIAL_FULL,    /* the full mapping works */
	NSU_TRIAL_SINGLE,  /* only the single-ID fallback works */
	NSU_TRIAL_FAILED,  /* nothing works */
};

struct nsu_check_in {
	uid_t uid;
	gid_t gid;
	const struct passwd *pw;  /* NULL: no passwd entry */
	const char *owner;        /* name (or number) the ranges are looked up by */
	const char *newuidmap;
	const char *newgidmap;
	const char *newuidmap_origin;  /* "FILE:LINE" that set it, "" for the default */
	const char *newgidmap_origin;
	bool privileged;          /* root with CAP_SYS_ADMIN: no user namespace needed */
	/* Run a command the real way; fill @detail; say how far it got. */
	enum nsu_trial (*trial)(void *ctx, char *detail, size_t len);
	void *ctx;
};

/*
 * What the checks conclude. For a user: FULL when the full mapping works
 * and no check failed, SINGLE when only the single-ID fallback works or a
 * check failed (a range including id 0), NONE when nothing does. Root of
 * the host, which needs no user namespace, gets the same scale for
 * unprivileged users: FULL when those with subordinate ranges get the full
 * mapping, SINGLE when users can only get the single-ID map, NONE when user
 * namespaces are closed to them. Root of a nested user namespace gets FULL.
 */
enum nsu_verdict {
	NSU_VERDICT_FULL,
	NSU_VERDICT_SINGLE,
	NSU_VERDICT_NONE,
};

/* Print the checks on stdout, one line each; what they conclude. */
enum nsu_verdict nsu_check(const struct nsu_check_in *in);

#endif
