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
 * Print the checks on stdout. Return the exit status: 0 when the full
 * mapping works and no check failed, 1 when only the single-ID fallback
 * works (or the full mapping works but a check failed, such as a range
 * including id 0), 2 when nothing does. Root of the host, which needs no
 * user namespace, gets the same scale for unprivileged users: 0 when those
 * with subordinate ranges get the full mapping, 1 when users can only get
 * the single-ID map, 2 when user namespaces are closed to them. Root of a
 * nested user namespace gets 0.
 */
int nsu_check(const struct nsu_check_in *in);

#endif
