/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "checkpriv.h"
#include "diagnose.h"
#include "subids.h"
#include "util.h"

void nsu_check_line(struct nsu_check_state *s, enum nsu_check_level lvl, const char *fix,
		    const char *fmt, ...)
{
	static const char *const tag[] = { "OK  ", "WARN", "FAIL" };
	va_list ap;

	printf("%s  ", tag[lvl]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fix && lvl != NSU_CHECK_OK)
		printf("; fix: %s", fix);
	putchar('\n');
	if (lvl == NSU_CHECK_FAIL)
		s->fails++;
}

/* The subid backend: nsswitch.conf's "subid:" service, else the files. */
static void subid_backend(struct nsu_check_state *s)
{
	char l[512], module[64];
	FILE *f = fopen("/etc/nsswitch.conf", "re");

	s->files = true;
	s->module[0] = '\0';
	snprintf(s->backend, sizeof(s->backend), "files");
	if (!f)
		return;
	while (fgets(l, sizeof(l), f)) {
		if (!nsu_nsswitch_subid(l, module, sizeof(module)))
			continue;
		s->files = strcmp(module, "files") == 0;
		snprintf(s->module, sizeof(s->module), "%s", s->files ? "" : module);
		if (s->files)
			snprintf(s->backend, sizeof(s->backend), "files");
		else
			snprintf(s->backend, sizeof(s->backend), "the NSS module '%s' (subid: in "
				 "/etc/nsswitch.conf)", module);
	}
	fclose(f);
}

/* Print @f as a check line. Return: whether it is OK. */
static bool check_fact(struct nsu_check_state *s, const struct nsu_fact *f)
{
	static const enum nsu_check_level level[] = {
		[NSU_LEVEL_OK] = NSU_CHECK_OK, [NSU_LEVEL_WARN] = NSU_CHECK_WARN,
		[NSU_LEVEL_FAIL] = NSU_CHECK_FAIL,
	};

	nsu_check_line(s, level[f->level], *f->fix ? f->fix : NULL, "%s", f->text);
	return f->level == NSU_LEVEL_OK;
}

/* Can the helper at @path map ids for an unprivileged caller? */
static bool check_helper(struct nsu_check_state *s, const char *path, const char *origin,
			 const char *usual)
{
	struct nsu_fact f;

	nsu_diag_helper(path, origin, usual, &f);
	return check_fact(s, &f);
}

/*
 * The kernel's settings for unprivileged user namespaces. Return: true when
 * they are closed to unprivileged users (as far as can be told).
 */
static bool check_kernel(struct nsu_check_state *s)
{
	struct nsu_fact f;
	bool closed = false;

	if (nsu_diag_max_userns(&f))
		closed |= !check_fact(s, &f);
	if (nsu_diag_unpriv_userns(&f))
		closed |= !check_fact(s, &f);
	if (nsu_diag_apparmor(&f))
		closed |= !check_fact(s, &f);
	return closed;
}

/* This process: no_new_privs, nesting, /proc. */
static void check_process(struct nsu_check_state *s)
{
	struct nsu_fact f;

	nsu_diag_no_new_privs(&f);
	check_fact(s, &f);
	nsu_diag_nesting(&f);
	check_fact(s, &f);
	nsu_diag_hidepid(&f);
	check_fact(s, &f);
}

/* The caller's own run: its ranges, the helpers, the kernel, then a real trial. */
static enum nsu_verdict check_user(struct nsu_check_state *s, const struct nsu_check_in *in)
{
	char detail[1200];
	enum nsu_trial r;

	nsu_check_own_ranges(s, in, NSU_UID);
	nsu_check_own_ranges(s, in, NSU_GID);
	check_helper(s, in->newuidmap, in->newuidmap_origin, NSU_NEWUIDMAP);
	check_helper(s, in->newgidmap, in->newgidmap_origin, NSU_NEWGIDMAP);
	check_kernel(s);
	check_process(s);
	fflush(stdout);

	r = in->trial(in->ctx, detail, sizeof(detail));
	switch (r) {
	case NSU_TRIAL_FULL:
		nsu_check_line(s, NSU_CHECK_OK, NULL, "trial: the full mapping works (%s)", detail);
		/* It works, but something failed that should not (a range including 0). */
		return s->fails ? NSU_VERDICT_SINGLE : NSU_VERDICT_FULL;
	case NSU_TRIAL_SINGLE:
		nsu_check_line(s, NSU_CHECK_WARN, "see the lines above", "trial: only the single-ID "
			       "map works: %s", detail);
		return NSU_VERDICT_SINGLE;
	default:
		nsu_check_line(s, NSU_CHECK_FAIL, "see the lines above", "trial: nothing works: %s",
			       detail);
		return NSU_VERDICT_NONE;
	}
}

/*
 * Root of the host: nsu needs nothing more for root itself, so check the
 * host for unprivileged users, and end with what they get.
 */
static enum nsu_verdict check_host(struct nsu_check_state *s, const struct nsu_check_in *in)
{
	_cleanup_free_ bool *has_uids = NULL, *has_gids = NULL;
	bool helpers, closed, **has[2] = { &has_uids, &has_gids };
	size_t both = 0;
	int64_t counted = -1;
	enum nsu_verdict verdict;

	helpers = check_helper(s, in->newuidmap, in->newuidmap_origin, NSU_NEWUIDMAP);
	helpers = check_helper(s, in->newgidmap, in->newgidmap_origin, NSU_NEWGIDMAP) && helpers;
	closed = check_kernel(s);
	for (int k = 0; k < 2; k++) {
		*has[k] = calloc(s->users.n + 1, sizeof(**has[k]));
		if (*has[k])
			nsu_check_host_ranges(s, k, *has[k]);
	}
	for (size_t i = 0; has_uids && has_gids && i < s->users.n; i++) {
		if (has_uids[i] && has_gids[i] && (int64_t)s->users.v[i].id != counted) {
			counted = s->users.v[i].id;
			both++;
		}
	}

	if (closed) {
		nsu_check_line(s, NSU_CHECK_FAIL, "see the lines above", "unprivileged users cannot "
			       "use nsu: user namespaces are closed to them");
		verdict = NSU_VERDICT_NONE;
	} else if (!helpers) {
		nsu_check_line(s, NSU_CHECK_WARN, "see the lines above", "unprivileged users get only "
			       "the single-ID map: newuidmap and newgidmap cannot map their ranges");
		verdict = NSU_VERDICT_SINGLE;
	} else if (both == 0) {
		nsu_check_line(s, NSU_CHECK_WARN, "give a user ranges: usermod --add-subuids "
			       "FIRST-LAST --add-subgids FIRST-LAST USER, with 65536 ids that no "
			       "other user has", "unprivileged users get only the single-ID map: "
			       "no user has both subordinate uids and gids");
		verdict = NSU_VERDICT_SINGLE;
	} else {
		/* A FAIL above (a range including 0) needs fixing even though runs work. */
		nsu_check_line(s, s->fails ? NSU_CHECK_WARN : NSU_CHECK_OK, "see the FAIL lines "
			       "above", "unprivileged users with subordinate ranges get the full "
			       "mapping (%zu user%s ha%s ranges)%s; others get the single-ID map",
			       both, both == 1 ? "" : "s", both == 1 ? "s" : "ve",
			       s->fails ? ", but a check failed" : "");
		verdict = s->fails ? NSU_VERDICT_SINGLE : NSU_VERDICT_FULL;
	}
	return verdict;
}

enum nsu_verdict nsu_check(const struct nsu_check_in *in)
{
	struct nsu_check_state s = { .fails = 0 };
	enum nsu_verdict verdict;
	struct nsu_fact f;
	struct nsu_err e;

	if (nsu_uid_map_empty()) {
		/* The first cause a user namespace fails with EPERM: no map. */
		nsu_diag_userns_failure(EPERM, &f);
		check_fact(&s, &f);
		fflush(stdout);
		return NSU_VERDICT_NONE;
	}
	if (in->pw)
		nsu_check_line(&s, NSU_CHECK_OK, NULL, "user %s: uid %lu, gid %lu", in->pw->pw_name,
			       (unsigned long)in->uid, (unsigned long)in->gid);
	else
		nsu_check_line(&s, NSU_CHECK_WARN, "create a user for this uid (useradd)", "uid %lu "
			       "has no passwd entry: newuidmap and newgidmap refuse a caller without a "
			       "user name", (unsigned long)in->uid);
	if (in->privileged)
		nsu_check_line(&s, NSU_CHECK_OK, NULL, "root with CAP_SYS_ADMIN: nsu runs commands "
			       "in a private mount namespace, without a new user namespace");
	if (in->privileged && !nsu_in_initial_userns()) {
		/* Root of a user namespace (nsu inside nsu): the host is not ours to judge. */
		fflush(stdout);
		return NSU_VERDICT_FULL;
	}

	subid_backend(&s);
	/* Without the databases, the checks that need them find nothing: not an error. */
	if (nsu_accounts_load(&s.users, false, &e) < 0)
		s.users = (struct nsu_accounts){ NULL, 0 };
	if (nsu_accounts_load(&s.groups, true, &e) < 0)
		s.groups = (struct nsu_accounts){ NULL, 0 };
	verdict = in->privileged ? check_host(&s, in) : check_user(&s, in);
	nsu_accounts_free(&s.users);
	nsu_accounts_free(&s.groups);
	nsu_subids_unload();
	fflush(stdout);
	return verdict;
}
