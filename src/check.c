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
#include "diag.h"
#include "procfs.h"
#include "subids.h"

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

/* Can the helper at @path map ids for an unprivileged caller? */
static bool check_helper(struct nsu_check_state *s, const char *path, const char *origin,
			 const char *usual)
{
	bool configured = origin && *origin;
	char fix[PATH_MAX + 200];
	struct stat st;

	/* Never advise making an arbitrary configured file setuid. */
	if (configured)
		snprintf(fix, sizeof(fix), "set it to shadow-utils' helper (%s) at %s, or remove "
			 "that setting", usual, origin);
	if (stat(path, &st) < 0) {
		if (configured)
			nsu_check_line(s, NSU_CHECK_FAIL, fix, "%s: %s (set at %s)", path,
				       strerror(errno), origin);
		else
			nsu_check_line(s, NSU_CHECK_FAIL, "apt-get install uidmap (or dnf install "
				       "shadow-utils)", "%s: %s", path, strerror(errno));
		return false;
	}
	if ((st.st_mode & S_ISUID) && st.st_uid == 0) {
		nsu_check_line(s, NSU_CHECK_OK, NULL, "%s is setuid root", path);
		return true;
	}
	if (getxattr(path, "security.capability", NULL, 0) >= 0) {
		nsu_check_line(s, NSU_CHECK_OK, NULL, "%s has file capabilities", path);
		return true;
	}
	if (!nsu_in_initial_userns()) {
		/* Root of the host is not mapped here: no setuid helper can work. */
		nsu_check_line(s, NSU_CHECK_WARN, "run nsu outside this user namespace", "%s cannot "
			       "work inside this user namespace: its owner, root of the host, is not "
			       "mapped here", path);
		return false;
	}
	if (configured)
		nsu_check_line(s, NSU_CHECK_FAIL, fix, "%s (set at %s) is not a setuid "
			       "newuidmap/newgidmap", path, origin);
	else
		nsu_check_line(s, NSU_CHECK_FAIL, "reinstall it: apt-get install --reinstall uidmap",
			       "%s is neither setuid root nor has file capabilities", path);
	return false;
}

/* Is nsu's AppArmor profile loaded? 1 yes, 0 no, -1 cannot tell. */
static int apparmor_profile_loaded(void)
{
	FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");
	char *l = NULL;
	size_t cap = 0;
	int found = 0;

	if (!f)
		return -1;
	while (!found && getline(&l, &cap, f) > 0)
		found = nsu_apparmor_profile_is(l, "nsu");
	if (ferror(f))
		found = -1;
	free(l);
	fclose(f);
	return found;
}

/*
 * The kernel's settings for unprivileged user namespaces. Return: true when
 * they are closed to unprivileged users (as far as can be told).
 */
static bool check_kernel(struct nsu_check_state *s)
{
	bool closed = false;
	long v = nsu_sysctl("/proc/sys/user/max_user_namespaces");

	if (v == 0) {
		nsu_check_line(s, NSU_CHECK_FAIL, "sysctl -w user.max_user_namespaces=15000 (persist "
			       "it in /etc/sysctl.d/)", "user namespaces are disabled "
			       "(user.max_user_namespaces = 0)");
		closed = true;
	} else if (v > 0) {
		nsu_check_line(s, NSU_CHECK_OK, NULL, "user.max_user_namespaces = %ld", v);
	}
	v = nsu_sysctl("/proc/sys/kernel/unprivileged_userns_clone");
	if (v == 0) {
		nsu_check_line(s, NSU_CHECK_FAIL, "sysctl -w kernel.unprivileged_userns_clone=1",
			       "unprivileged user namespaces are disabled "
			       "(kernel.unprivileged_userns_clone = 0)");
		closed = true;
	} else if (v > 0) {
		nsu_check_line(s, NSU_CHECK_OK, NULL, "kernel.unprivileged_userns_clone = %ld", v);
	}
	v = nsu_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
	if (v == 1) {
		int loaded = apparmor_profile_loaded();

		if (loaded == 1)
			nsu_check_line(s, NSU_CHECK_OK, NULL, "AppArmor restricts unprivileged user "
				       "namespaces, and nsu's profile, which allows them, is loaded");
		else
			nsu_check_line(s, NSU_CHECK_WARN, "install nsu's AppArmor profile "
				       "(contrib/apparmor/nsu into /etc/apparmor.d/, then "
				       "apparmor_parser -r /etc/apparmor.d/nsu) or sysctl -w "
				       "kernel.apparmor_restrict_unprivileged_userns=0",
				       "AppArmor restricts unprivileged user namespaces "
				       "(kernel.apparmor_restrict_unprivileged_userns = 1)");
		closed = closed || loaded == 0;
	} else if (v == 0) {
		nsu_check_line(s, NSU_CHECK_OK, NULL, "kernel.apparmor_restrict_unprivileged_userns = 0");
	}
	return closed;
}

/* This process: no_new_privs, and whether it already runs in a user namespace. */
static void check_process(struct nsu_check_state *s)
{
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		nsu_check_line(s, NSU_CHECK_WARN, "run nsu from a process without no_new_privs (not "
			       "under setpriv --no-new-privs, NoNewPrivileges=yes or a container that "
			       "sets it)", "no_new_privs is set: newuidmap and newgidmap cannot use "
			       "their setuid bit");
	else
		nsu_check_line(s, NSU_CHECK_OK, NULL, "no_new_privs is not set");
	if (nsu_in_initial_userns())
		nsu_check_line(s, NSU_CHECK_OK, NULL, "running in the initial user namespace");
	else
		nsu_check_line(s, NSU_CHECK_WARN, "none needed if this is intended; the ranges must "
			       "then be mapped in this namespace too", "already inside a user "
			       "namespace (nested)");
}

/* The caller's own run: its ranges, the helpers, the kernel, then a real trial. */
static int check_user(struct nsu_check_state *s, const struct nsu_check_in *in)
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
		return s->fails ? 1 : 0;
	case NSU_TRIAL_SINGLE:
		nsu_check_line(s, NSU_CHECK_WARN, "see the lines above", "trial: only the single-ID "
			       "map works: %s", detail);
		return 1;
	default:
		nsu_check_line(s, NSU_CHECK_FAIL, "see the lines above", "trial: nothing works: %s",
			       detail);
		return 2;
	}
}

/*
 * Root of the host: nsu needs nothing more for root itself, so check the
 * host for unprivileged users, and end with what they get.
 */
static int check_host(struct nsu_check_state *s, const struct nsu_check_in *in)
{
	bool helpers, closed, *has[2];
	size_t both = 0;
	int64_t counted = -1;
	int status;

	helpers = check_helper(s, in->newuidmap, in->newuidmap_origin, NSU_NEWUIDMAP);
	helpers = check_helper(s, in->newgidmap, in->newgidmap_origin, NSU_NEWGIDMAP) && helpers;
	closed = check_kernel(s);
	for (int k = 0; k < 2; k++) {
		has[k] = calloc(s->users.n + 1, sizeof(*has[k]));
		if (has[k])
			nsu_check_host_ranges(s, k, has[k]);
	}
	for (size_t i = 0; has[0] && has[1] && i < s->users.n; i++) {
		if (has[0][i] && has[1][i] && (int64_t)s->users.v[i].id != counted) {
			counted = s->users.v[i].id;
			both++;
		}
	}
	free(has[0]);
	free(has[1]);

	if (closed) {
		nsu_check_line(s, NSU_CHECK_FAIL, "see the lines above", "unprivileged users cannot "
			       "use nsu: user namespaces are closed to them");
		status = 2;
	} else if (!helpers) {
		nsu_check_line(s, NSU_CHECK_WARN, "see the lines above", "unprivileged users get only "
			       "the single-ID map: newuidmap and newgidmap cannot map their ranges");
		status = 1;
	} else if (both == 0) {
		nsu_check_line(s, NSU_CHECK_WARN, "give a user ranges: usermod --add-subuids "
			       "FIRST-LAST --add-subgids FIRST-LAST USER, with 65536 ids that no "
			       "other user has", "unprivileged users get only the single-ID map: "
			       "no user has both subordinate uids and gids");
		status = 1;
	} else {
		/* A FAIL above (a range including 0) needs fixing even though runs work. */
		nsu_check_line(s, s->fails ? NSU_CHECK_WARN : NSU_CHECK_OK, "see the FAIL lines "
			       "above", "unprivileged users with subordinate ranges get the full "
			       "mapping (%zu user%s ha%s ranges)%s; others get the single-ID map",
			       both, both == 1 ? "" : "s", both == 1 ? "s" : "ve",
			       s->fails ? ", but a check failed" : "");
		status = s->fails ? 1 : 0;
	}
	return status;
}

int nsu_check(const struct nsu_check_in *in)
{
	struct nsu_check_state s = { .fails = 0 };
	struct nsu_err e;
	int status;

	if (nsu_uid_map_empty()) {
		nsu_check_line(&s, NSU_CHECK_FAIL, "run nsu from a namespace whose maps are written "
			       "(e.g. unshare --map-root-user, or nsu itself)", "this process runs "
			       "in a user namespace without a uid map, where no namespace can be "
			       "created");
		fflush(stdout);
		return 2;
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
		return 0;
	}

	subid_backend(&s);
	/* Without the databases, the checks that need them find nothing: not an error. */
	if (nsu_accounts_load(&s.users, false, &e) < 0)
		s.users = (struct nsu_accounts){ NULL, 0 };
	if (nsu_accounts_load(&s.groups, true, &e) < 0)
		s.groups = (struct nsu_accounts){ NULL, 0 };
	status = in->privileged ? check_host(&s, in) : check_user(&s, in);
	nsu_accounts_free(&s.users);
	nsu_accounts_free(&s.groups);
	fflush(stdout);
	return status;
}
