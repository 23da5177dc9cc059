/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "diagnose.h"
#include "util.h"

static const char *const subid_file[2] = { "/etc/subuid", "/etc/subgid" };

/* --- small facts read from /proc ------------------------------------------------- */

/* Read up to @len - 1 bytes of @path into @buf; the length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

long nsu_sysctl(const char *path)
{
	char buf[32];

	return read_small(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 10) : -1;
}

bool nsu_uid_map_empty(void)
{
	char buf[2];

	return read_small("/proc/self/uid_map", buf, sizeof(buf)) == 0;
}

bool nsu_in_initial_userns(void)
{
	char buf[128];
	unsigned long a, b, c;
	const char *nl;
	ssize_t n = read_small("/proc/self/uid_map", buf, sizeof(buf));

	if (n < 0)
		return true;  /* no /proc to tell: assume the common case */
	if (n == 0)
		return false; /* a namespace without maps */
	nl = strchr(buf, '\n');
	return sscanf(buf, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 &&
	       c == 4294967295UL && (!nl || !strchr(nl + 1, '\n'));
}

/* --- filling a fact ---------------------------------------------------------------- */

/* Set @f's level, text and fix; its reason becomes "TEXT (FIX)" (or TEXT). */
__attribute__((format(printf, 4, 5)))
static void fact(struct nsu_fact *f, enum nsu_level level, const char *fix, const char *fmt, ...)
{
	va_list ap;

	f->level = level;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
	snprintf(f->fix, sizeof(f->fix), "%s", fix ? fix : "");
	if (*f->fix)
		snprintf(f->reason, sizeof(f->reason), "%s (%s)", f->text, f->fix);
	else
		snprintf(f->reason, sizeof(f->reason), "%s", f->text);
}

/* Say the fact differently where it is a reason in a sentence. */
__attribute__((format(printf, 2, 3)))
static void reason(struct nsu_fact *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->reason, sizeof(f->reason), fmt, ap);
	va_end(ap);
}

/* --- the kernel ------------------------------------------------------------------ */

#define MAX_USERNS "/proc/sys/user/max_user_namespaces"
#define UNPRIV_USERNS "/proc/sys/kernel/unprivileged_userns_clone"
#define APPARMOR_USERNS "/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
#define MAX_USERNS_FIX "sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/)"
#define UNPRIV_USERNS_FIX "sysctl -w kernel.unprivileged_userns_clone=1"
#define APPARMOR_FIX "install nsu's AppArmor profile (contrib/apparmor/nsu into " \
	"/etc/apparmor.d/, then apparmor_parser -r /etc/apparmor.d/nsu) or sysctl -w " \
	"kernel.apparmor_restrict_unprivileged_userns=0"

bool nsu_diag_max_userns(struct nsu_fact *f)
{
	long v = nsu_sysctl(MAX_USERNS);

	if (v < 0)
		return false;
	if (v == 0)
		fact(f, NSU_LEVEL_FAIL, MAX_USERNS_FIX, "user namespaces are disabled "
		     "(user.max_user_namespaces = 0)");
	else
		fact(f, NSU_LEVEL_OK, NULL, "user.max_user_namespaces = %ld", v);
	return true;
}

bool nsu_diag_unpriv_userns(struct nsu_fact *f)
{
	long v = nsu_sysctl(UNPRIV_USERNS);

	if (v < 0)
		return false;
	if (v == 0)
		fact(f, NSU_LEVEL_FAIL, UNPRIV_USERNS_FIX, "unprivileged user namespaces are "
		     "disabled (kernel.unprivileged_userns_clone = 0)");
	else
		fact(f, NSU_LEVEL_OK, NULL, "kernel.unprivileged_userns_clone = %ld", v);
	return true;
}

/* Is nsu's AppArmor profile loaded? 1 yes, 0 no, -1 cannot tell. */
static int apparmor_profile_loaded(void)
{
	FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");
	_cleanup_free_ char *l = NULL;
	size_t cap = 0;
	int found = 0;

	if (!f)
		return -1;
	while (!found && getline(&l, &cap, f) > 0)
		found = nsu_apparmor_profile_is(l, "nsu");
	if (ferror(f))
		found = -1;
	fclose(f);
	return found;
}

bool nsu_diag_apparmor(struct nsu_fact *f)
{
	long v = nsu_sysctl(APPARMOR_USERNS);

	if (v < 0)
		return false;
	if (v == 0)
		fact(f, NSU_LEVEL_OK, NULL, "kernel.apparmor_restrict_unprivileged_userns = 0");
	else if (apparmor_profile_loaded() == 1)
		fact(f, NSU_LEVEL_OK, NULL, "AppArmor restricts unprivileged user namespaces, and "
		     "nsu's profile, which allows them, is loaded");
	else
		fact(f, NSU_LEVEL_WARN, APPARMOR_FIX, "AppArmor restricts unprivileged user "
		     "namespaces (kernel.apparmor_restrict_unprivileged_userns = %ld)", v);
	return true;
}

void nsu_diag_userns_failure(int err, struct nsu_fact *f)
{
	switch (err) {
	case ENOSPC:
		if (nsu_diag_max_userns(f) && f->level == NSU_LEVEL_FAIL)
			return;
		fact(f, NSU_LEVEL_FAIL, MAX_USERNS_FIX, "the limit on user namespaces "
		     "(user.max_user_namespaces) is reached");
		return;
	case EUSERS:
		fact(f, NSU_LEVEL_FAIL, NULL, "user namespaces are nested too deeply (the kernel "
		     "allows 32 levels)");
		return;
	case EINVAL:
		fact(f, NSU_LEVEL_FAIL, NULL, "this kernel has no user namespace support "
		     "(CONFIG_USER_NS)");
		return;
	case EPERM:
		if (nsu_uid_map_empty()) {
			fact(f, NSU_LEVEL_FAIL, "run nsu from a namespace whose maps are written "
			     "(e.g. unshare --map-root-user, or nsu itself)", "this process runs in "
			     "a user namespace without a uid map, where no namespace can be created");
			return;
		}
		if (nsu_diag_unpriv_userns(f) && f->level == NSU_LEVEL_FAIL)
			return;
		if (nsu_diag_apparmor(f) && f->level != NSU_LEVEL_OK)
			return;
		fact(f, NSU_LEVEL_FAIL, NULL, "not permitted here: nsu may be running in a chroot, "
		     "or under a seccomp filter (container runtime) that forbids user namespaces");
		return;
	default:
		fact(f, NSU_LEVEL_FAIL, NULL, "%s", strerror(err));
		return;
	}
}

/* --- this process ---------------------------------------------------------------- */

void nsu_diag_no_new_privs(struct nsu_fact *f)
{
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		fact(f, NSU_LEVEL_OK, NULL, "no_new_privs is not set");
		return;
	}
	fact(f, NSU_LEVEL_WARN, "run nsu from a process without no_new_privs (not under setpriv "
	     "--no-new-privs, NoNewPrivileges=yes or a container that sets it)", "no_new_privs "
	     "is set: newuidmap and newgidmap cannot use their setuid bit");
	reason(f, "no_new_privs is set on this process, so the setuid newuidmap and newgidmap "
	       "cannot work (is nsu started by setpriv --no-new-privs, a NoNewPrivileges= service "
	       "or a container runtime?)");
}

void nsu_diag_nesting(struct nsu_fact *f)
{
	if (nsu_in_initial_userns()) {
		fact(f, NSU_LEVEL_OK, NULL, "running in the initial user namespace");
		return;
	}
	fact(f, NSU_LEVEL_WARN, "none needed if this is intended; the ranges must then be mapped "
	     "in this namespace too", "already inside a user namespace (nested)");
	reason(f, "nsu runs inside a user namespace where root of the host is not mapped, so the "
	       "setuid newuidmap and newgidmap cannot work here; run nsu outside it, or as root "
	       "of this namespace");
}

void nsu_diag_hidepid(struct nsu_fact *f)
{
	FILE *m = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *l = NULL;
	size_t cap = 0;
	char opt[64] = "";

	while (m && getline(&l, &cap, m) > 0) {
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - proc proc SUPEROPTS" */
		char point[256], *sep = strstr(l, " - proc ");
		const char *h;

		if (!sep || sscanf(l, "%*s %*s %*s %*s %255s", point) != 1 || strcmp(point, "/proc"))
			continue;
		h = strstr(sep, "hidepid=");
		if (h)
			snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(h, ", \n"), h);
	}
	if (m)
		fclose(m);
	if (*opt)
		fact(f, NSU_LEVEL_OK, NULL, "/proc is mounted with %s, which nsu works with", opt);
	else
		fact(f, NSU_LEVEL_OK, NULL, "/proc shows every process (no hidepid)");
}

/* --- the helpers ------------------------------------------------------------------- */

/* The helper at @path cannot be found (@err from stat() or exec()). */
static void helper_missing(const char *path, const char *origin, const char *usual, int err,
			   struct nsu_fact *f)
{
	char fix[700];

	if (origin && *origin) {
		/* Never advise making an arbitrary configured file setuid. */
		snprintf(fix, sizeof(fix), "set it to shadow-utils' helper (%s) at %s, or remove "
			 "that setting", usual, origin);
		fact(f, NSU_LEVEL_FAIL, fix, "%s: %s (set at %s)", path, strerror(err), origin);
		if (err == ENOENT)
			reason(f, "%s does not exist (set at %s; the usual helper is %s)", path,
			       origin, usual);
	} else if (err == ENOENT) {
		fact(f, NSU_LEVEL_FAIL, "install the uidmap package, e.g. apt-get install uidmap",
		     "%s is not installed", path);
	} else {
		fact(f, NSU_LEVEL_FAIL, NULL, "%s: %s", path, strerror(err));
	}
}

void nsu_diag_helper(const char *path, const char *origin, const char *usual, struct nsu_fact *f)
{
	bool configured = origin && *origin;
	char fix[700];
	struct stat st;

	if (stat(path, &st) < 0) {
		helper_missing(path, origin, usual, errno, f);
		return;
	}
	if ((st.st_mode & S_ISUID) && st.st_uid == 0) {
		fact(f, NSU_LEVEL_OK, NULL, "%s is setuid root", path);
		return;
	}
	if (getxattr(path, "security.capability", NULL, 0) >= 0) {
		fact(f, NSU_LEVEL_OK, NULL, "%s has file capabilities", path);
		return;
	}
	if (!nsu_in_initial_userns()) {
		/* Root of the host is not mapped here: no setuid helper can work. */
		fact(f, NSU_LEVEL_WARN, "run nsu outside this user namespace", "%s cannot work inside "
		     "this user namespace: its owner, root of the host, is not mapped here", path);
		return;
	}
	if (configured) {
		/* Never advise making an arbitrary configured file setuid. */
		snprintf(fix, sizeof(fix), "set it to shadow-utils' helper (%s) at %s, or remove "
			 "that setting", usual, origin);
		fact(f, NSU_LEVEL_FAIL, fix, "%s (set at %s) is not a setuid newuidmap/newgidmap",
		     path, origin);
		reason(f, "%s is not a setuid newuidmap/newgidmap (set at %s; the usual helper is %s)",
		       path, origin, usual);
	} else {
		fact(f, NSU_LEVEL_FAIL, "reinstall it: apt-get install --reinstall uidmap",
		     "%s is neither setuid root nor has file capabilities", path);
	}
}

void nsu_diag_helper_failure(const struct nsu_helper_run *h, struct nsu_fact *f)
{
	f->level = NSU_LEVEL_FAIL;
	if (h->timed_out) {
		fact(f, NSU_LEVEL_FAIL, NULL, "%s did not finish within %u seconds and was stopped "
		     "(a slow user database? helper-timeout in nsu.conf sets the limit)", h->path,
		     h->timeout_s);
		return;
	}
	if (h->spawn_err == ENOENT) {
		/* The helper, or the interpreter of a script standing in for it, is missing. */
		helper_missing(h->path, h->origin, h->usual, ENOENT, f);
		return;
	}
	if (h->spawn_err) {
		fact(f, NSU_LEVEL_FAIL, NULL, "cannot run %s: %s%s", h->path, strerror(h->spawn_err),
		     h->spawn_err == EAGAIN ? " (the limit on your processes, ulimit -u, is "
		     "reached?)" : "");
		return;
	}
	/* What keeps any setuid helper from working here, then this helper itself. */
	nsu_diag_no_new_privs(f);
	if (f->level != NSU_LEVEL_OK)
		return;
	nsu_diag_nesting(f);
	if (f->level != NSU_LEVEL_OK)
		return;
	nsu_diag_helper(h->path, h->origin, h->usual, f);
	if (f->level != NSU_LEVEL_OK)
		return;
	if (WIFSIGNALED(h->status))
		fact(f, NSU_LEVEL_FAIL, NULL, "%s was killed by signal %d", h->path,
		     WTERMSIG(h->status));
	else if (*h->last_line)
		fact(f, NSU_LEVEL_FAIL, NULL, "%s failed: %.400s", h->path, h->last_line);
	else
		fact(f, NSU_LEVEL_FAIL, NULL, "%s failed with exit status %d", h->path,
		     WEXITSTATUS(h->status));
}

/* --- the subordinate id files ------------------------------------------------------ */

void nsu_diag_subid_file(int kind, struct nsu_fact *f)
{
	const char *file = subid_file[kind];
	char fix[200];

	if (access(file, R_OK) == 0) {
		fact(f, NSU_LEVEL_OK, NULL, "%s can be read", file);
		return;
	}
	if (errno == ENOENT) {
		snprintf(fix, sizeof(fix), "touch %s && chmod 0644 %s", file, file);
		fact(f, NSU_LEVEL_FAIL, fix, "%s does not exist", file);
		return;
	}
	snprintf(fix, sizeof(fix), "chmod 0644 %s (every user must be able to read it)", file);
	fact(f, NSU_LEVEL_FAIL, fix, "%s: %s", file, strerror(errno));
}

/* --- the parts of host listings the facts read --------------------------------- */

bool nsu_apparmor_profile_is(const char *line, const char *name)
{
	size_t n = strlen(name);

	/* "nsu (unconfined)", "nsu (enforce)": the name, then the mode in parentheses. */
	return strncmp(line, name, n) == 0 &&
	       (line[n] == '\0' || line[n] == '\n' || (line[n] == ' ' && line[n + 1] == '('));
}

bool nsu_nsswitch_subid(const char *line, char *buf, size_t len)
{
	const char *p = line;
	size_t n;

	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "subid:", 6) != 0)
		return false;
	p += 6;
	while (isspace((unsigned char)*p))
		p++;
	n = strcspn(p, " \t\n#[");
	if (n == 0)
		return false;
	snprintf(buf, len, "%.*s", (int)n, p);
	return true;
}
