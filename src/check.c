/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
	char fix[256], list[200] = "";
	size_t n = 0, off = 0;
	uint64_t total = 0;
	int got;

	if (in->pw)
		snprintf(fix, sizeof(fix), "usermod %s 100000-165535 %s (a range no other user has)",
			 flag[kind], in->owner);
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
	free(clean);
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

static void check_helper(struct tally *t, const char *path)
{
	char fix[300];
	struct stat st;

	if (stat(path, &st) < 0) {
		line(t, FAIL, "apt-get install uidmap (or dnf install shadow-utils)", "%s: %s", path,
		     strerror(errno));
		return;
	}
	if ((st.st_mode & S_ISUID) && st.st_uid == 0) {
		line(t, OK, NULL, "%s is setuid root", path);
		return;
	}
	if ((st.st_mode & S_ISUID) && !nsu_in_initial_userns()) {
		/* Root of the host is not mapped here: the owner shows as the overflow id. */
		line(t, WARN, "run nsu --check outside this user namespace to see the helper's owner",
		     "%s is setuid, but its owner (uid %lu here) cannot be told from inside a user "
		     "namespace", path, (unsigned long)st.st_uid);
		return;
	}
	if (getxattr(path, "security.capability", NULL, 0) >= 0) {
		line(t, OK, NULL, "%s has file capabilities", path);
		return;
	}
	snprintf(fix, sizeof(fix), "chown root %s && chmod u+s %s (or reinstall: apt-get install "
		 "--reinstall uidmap)", path, path);
	line(t, FAIL, fix, "%s is neither setuid root nor has file capabilities", path);
}

int nsu_check(const struct nsu_check_in *in)
{
	struct tally t = { 0 };
	char backend[200], detail[1200];
	long v;
	enum nsu_trial r;

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
	check_helper(&t, in->newuidmap);
	check_helper(&t, in->newgidmap);

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
