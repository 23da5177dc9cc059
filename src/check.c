/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "check.h"
#include "idmap.h"
#include "procfs.h"
#include "subids.h"

enum level { OK, WARN, FAIL };

struct tally {
	unsigned fails;
};

__attribute__((format(printf, 4, 5)))
static void line(struct tally *t, enum level lvl, const char *fix, const char *fmt, ...)
{
	static const char *const tag[] = { "OK  ", "WARN", "FAIL" };
	va_list ap;

	printf("%s  ", tag[lvl]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fix && lvl != OK)
		printf("; fix: %s", fix);
	putchar('\n');
	if (lvl == FAIL)
		t->fails++;
}

/* The subid backend: nsswitch.conf's "subid:" service, else the files. */
static void subid_backend(char *buf, size_t len)
{
	char l[512];
	FILE *f = fopen("/etc/nsswitch.conf", "re");

	snprintf(buf, len, "files");
	if (!f)
		return;
	while (fgets(l, sizeof(l), f)) {
		char *p = l;

		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "subid:", 6) != 0)
			continue;
		p += 6;
		while (isspace((unsigned char)*p))
			p++;
		p[strcspn(p, " \t\n#")] = '\0';
		if (*p)
			snprintf(buf, len, "the NSS module '%s' (subid: in /etc/nsswitch.conf)", p);
	}
	fclose(f);
}

/*
 * Does another user own ids of these ranges? Checks the first and the last
 * id of each (overlaps of whole or shifted ranges show there); fills @who.
 */
static bool shared_with(const struct nsu_check_in *in, enum nsu_id_kind kind,
			const struct nsu_range *r, size_t n, char *who, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		const uint64_t probe[2] = { r[i].start, r[i].start + r[i].count - 1 };

		for (int p = 0; p < 2; p++) {
			struct nsu_err e;
			uid_t *owners;
			int got = nsu_subids_owners(kind, (uint32_t)probe[p], &owners, &e);

			for (int j = 0; j < got; j++) {
				struct passwd *pw;

				if (owners[j] == in->uid)
					continue;
				pw = getpwuid(owners[j]);
				if (pw)
					snprintf(who, len, "%s", pw->pw_name);
				else
					snprintf(who, len, "uid %lu", (unsigned long)owners[j]);
				free(owners);
				return true;
			}
			free(owners);
		}
	}
	return false;
}

static void check_ranges(struct tally *t, const struct nsu_check_in *in, enum nsu_id_kind kind,
			 const char *backend)
{
	static const char *const file[2] = { "/etc/subuid", "/etc/subgid" };
	static const char *const flag[2] = { "--add-subuids", "--add-subgids" };
	static const char *const what[2] = { "uids", "gids" };
	const uint32_t own = kind == NSU_UID ? in->uid : in->gid;
	struct nsu_range *raw = NULL, *clean = NULL;
	struct nsu_norm_report rep;
	struct nsu_err e;
	char fix[256], list[200] = "", sharer[64];
	bool shared;
	size_t n = 0, off = 0;
	uint64_t total = 0;
	int got;

	if (in->pw)
		snprintf(fix, sizeof(fix), "usermod %s FIRST-LAST %s, with 65536 ids that no other "
			 "user has (see %s)", flag[kind], in->owner, file[kind]);
	else
		snprintf(fix, sizeof(fix), "create a user for uid %lu (useradd), then give it "
			 "ranges with usermod %s: newuidmap and newgidmap need a user name",
			 (unsigned long)in->uid, flag[kind]);
	got = nsu_subids_get(in->owner, kind, &raw, &e);
	if (got < 0) {
		line(t, FAIL, "check the subid setup of /etc/nsswitch.conf", "subordinate %s: %s",
		     what[kind], e.msg);
		return;
	}
	if (nsu_ranges_normalize(raw, (size_t)got, own, &clean, &n, &rep) < 0)
		n = 0;
	free(raw);
	for (size_t i = 0; i < n; i++) {
		total += clean[i].count;
		if (i < 4)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%" PRIu64 "-%" PRIu64,
						i ? ", " : "", clean[i].start,
						clean[i].start + clean[i].count - 1);
	}
	if (n > 4)
		snprintf(list + off, sizeof(list) - off, ", ... (%zu ranges)", n);
	shared = shared_with(in, kind, clean, n, sharer, sizeof(sharer));
	free(clean);
	if (n > 0 && shared)
		line(t, WARN, "give each user a range of their own (usermod --del-subuids / "
		     "--add-subuids)", "subordinate %s: %s also has ids of %s's ranges: each can "
		     "read and change the other's files made inside nsu", what[kind], sharer,
		     in->owner);
	if (n == 0)
		line(t, FAIL, fix, "subordinate %s: %s has none in %s (via %s)", what[kind],
		     in->owner, file[kind], backend);
	else if (n + 1 > NSU_MAX_EXTENTS)
		line(t, FAIL, "merge adjacent ranges", "subordinate %s: %zu ranges, more than a map "
		     "can hold (%d lines)", what[kind], n, NSU_MAX_EXTENTS);
	else
		line(t, rep.empty || rep.invalid || rep.clipped ? WARN : OK,
		     "correct the lines of this user", "subordinate %s: %s (%" PRIu64 " ids) via %s%s",
		     what[kind], list, total, backend,
		     rep.empty || rep.invalid || rep.clipped ? "; some lines are empty or out of range" : "");
}

static void check_helper(struct tally *t, const char *path, const char *origin,
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
			line(t, FAIL, fix, "%s: %s (set at %s)", path, strerror(errno), origin);
		else
			line(t, FAIL, "apt-get install uidmap (or dnf install shadow-utils)", "%s: %s",
			     path, strerror(errno));
		return;
	}
	if ((st.st_mode & S_ISUID) && st.st_uid == 0) {
		line(t, OK, NULL, "%s is setuid root", path);
		return;
	}
	if (getxattr(path, "security.capability", NULL, 0) >= 0) {
		line(t, OK, NULL, "%s has file capabilities", path);
		return;
	}
	if (!nsu_in_initial_userns()) {
		/* Root of the host is not mapped here: no setuid helper can work. */
		line(t, WARN, "run nsu outside this user namespace", "%s cannot work inside this "
		     "user namespace: its owner, root of the host, is not mapped here", path);
		return;
	}
	if (configured)
		line(t, FAIL, fix, "%s (set at %s) is not a setuid newuidmap/newgidmap", path, origin);
	else
		line(t, FAIL, "reinstall it: apt-get install --reinstall uidmap",
		     "%s is neither setuid root nor has file capabilities", path);
}

int nsu_check(const struct nsu_check_in *in)
{
	struct tally t = { 0 };
	char backend[200], detail[1200];
	long v;
	enum nsu_trial r;

	if (nsu_uid_map_empty()) {
		line(&t, FAIL, "run nsu from a namespace whose maps are written (e.g. unshare "
		     "--map-root-user, or nsu itself)", "this process runs in a user namespace "
		     "without a uid map, where no namespace can be created");
		fflush(stdout);
		return 2;
	}
	if (in->pw)
		line(&t, OK, NULL, "user %s: uid %lu, gid %lu", in->pw->pw_name,
		     (unsigned long)in->uid, (unsigned long)in->gid);
	else
		line(&t, WARN, "create a user for this uid (useradd)", "uid %lu has no passwd "
		     "entry: newuidmap and newgidmap refuse a caller without a user name",
		     (unsigned long)in->uid);

	if (in->privileged) {
		line(&t, OK, NULL, "root with CAP_SYS_ADMIN: nsu runs commands in a private mount "
		     "namespace, without a new user namespace");
		fflush(stdout);
		return 0;
	}

	subid_backend(backend, sizeof(backend));
	check_ranges(&t, in, NSU_UID, backend);
	check_ranges(&t, in, NSU_GID, backend);
	check_helper(&t, in->newuidmap, in->newuidmap_origin, NSU_NEWUIDMAP);
	check_helper(&t, in->newgidmap, in->newgidmap_origin, NSU_NEWGIDMAP);

	v = nsu_sysctl("/proc/sys/user/max_user_namespaces");
	if (v == 0)
		line(&t, FAIL, "sysctl -w user.max_user_namespaces=15000 (persist it in "
		     "/etc/sysctl.d/)", "user namespaces are disabled (user.max_user_namespaces = 0)");
	else if (v > 0)
		line(&t, OK, NULL, "user.max_user_namespaces = %ld", v);
	v = nsu_sysctl("/proc/sys/kernel/unprivileged_userns_clone");
	if (v == 0)
		line(&t, FAIL, "sysctl -w kernel.unprivileged_userns_clone=1",
		     "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0)");
	else if (v > 0)
		line(&t, OK, NULL, "kernel.unprivileged_userns_clone = %ld", v);
	v = nsu_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
	if (v == 1)
		line(&t, WARN, "install nsu's AppArmor profile (contrib/apparmor/nsu into "
		     "/etc/apparmor.d/, then apparmor_parser -r /etc/apparmor.d/nsu) or "
		     "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
		     "AppArmor restricts unprivileged user namespaces "
		     "(kernel.apparmor_restrict_unprivileged_userns = 1)");
	else if (v == 0)
		line(&t, OK, NULL, "kernel.apparmor_restrict_unprivileged_userns = 0");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
		line(&t, WARN, "run nsu from a process without no_new_privs (not under setpriv "
		     "--no-new-privs, NoNewPrivileges=yes or a container that sets it)",
		     "no_new_privs is set: newuidmap and newgidmap cannot use their setuid bit");
	else
		line(&t, OK, NULL, "no_new_privs is not set");
	if (nsu_in_initial_userns())
		line(&t, OK, NULL, "running in the initial user namespace");
	else
		line(&t, WARN, "none needed if this is intended; the ranges must then be mapped in "
		     "this namespace too", "already inside a user namespace (nested)");
	fflush(stdout);

	r = in->trial(in->ctx, detail, sizeof(detail));
	switch (r) {
	case NSU_TRIAL_FULL:
		line(&t, OK, NULL, "trial: the full mapping works (%s)", detail);
		break;
	case NSU_TRIAL_SINGLE:
		line(&t, WARN, "see the lines above", "trial: only the single-ID map works: %s", detail);
		break;
	case NSU_TRIAL_FAILED:
		line(&t, FAIL, "see the lines above", "trial: nothing works: %s", detail);
		break;
	}
	fflush(stdout);
	return r == NSU_TRIAL_FULL ? 0 : r == NSU_TRIAL_SINGLE ? 1 : 2;
}
