/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "isolation.h"
#include "util.h"

const char *const nsu_fs_option[] = {
	[NSU_FS_BIND] = "--bind", [NSU_FS_RO_BIND] = "--ro-bind", [NSU_FS_TMPFS] = "--tmpfs",
	[NSU_FS_MASK] = "--mask-path", [NSU_FS_RO_PATH] = "--ro-path",
};

void nsu_isolation_free(struct nsu_isolation *iso)
{
	free(iso->fs);
	free(iso->rlimits);
	iso->fs = NULL;
	iso->n_fs = 0;
	iso->rlimits = NULL;
	iso->n_rlimits = 0;
}

int nsu_isolation_add_fs(struct nsu_isolation *iso, enum nsu_fs_kind kind, const char *src,
			 const char *dest, struct nsu_err *e)
{
	struct nsu_fs_op *v = realloc(iso->fs, (iso->n_fs + 1) * sizeof(*v));

	if (!v)
		return nsu_fail(e, ENOMEM, "out of memory");
	iso->fs = v;
	iso->fs[iso->n_fs++] = (struct nsu_fs_op){ .kind = kind, .src = src, .dest = dest };
	return 0;
}

int nsu_isolation_add_rlimit(struct nsu_isolation *iso, const struct nsu_rlimit *l,
			     struct nsu_err *e)
{
	struct nsu_rlimit *v;

	for (size_t i = 0; i < iso->n_rlimits; i++)
		if (iso->rlimits[i].resource == l->resource) {
			iso->rlimits[i] = *l; /* the last one given counts */
			return 0;
		}
	v = realloc(iso->rlimits, (iso->n_rlimits + 1) * sizeof(*v));
	if (!v)
		return nsu_fail(e, ENOMEM, "out of memory");
	iso->rlimits = v;
	iso->rlimits[iso->n_rlimits++] = *l;
	return 0;
}

/* A uid or gid: decimal digits, 0 to 4294967294 (4294967295 is (uid_t)-1, "no id"). */
static int parse_id(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX - 1)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int nsu_user_parse(const char *arg, uint32_t *uid, uint32_t *gid, struct nsu_err *e)
{
	const char *colon = strchr(arg, ':');
	size_t ulen = colon ? (size_t)(colon - arg) : strlen(arg);

	if (parse_id(arg, ulen, uid) < 0 || (colon && parse_id(colon + 1, strlen(colon + 1), gid) < 0))
		return nsu_fail(e, EINVAL, "option '--user': '%s' is not UID or UID:GID, numbers "
				"from 0 to 4294967294 (ids inside the namespace; names are not "
				"looked up)", arg);
	if (!colon)
		*gid = *uid;
	return 0;
}

int nsu_cap_parse(const char *opt, const char *name, struct nsu_err *e)
{
	char lower[64];
	size_t n = strlen(name);
	cap_value_t cap;

	if (n == 0 || n + 4 >= sizeof(lower))
		return nsu_fail(e, EINVAL, "option '%s': '%s' is not a capability (see "
				"capabilities(7); capsh --print lists them)", opt, name);
	/* capsh writes cap_sys_admin; SYS_ADMIN and CAP_SYS_ADMIN mean the same. */
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	if (strncmp(lower, "cap_", 4) != 0) {
		memmove(lower + 4, lower, n + 1);
		memcpy(lower, "cap_", 4);
	}
	if (!isalpha((unsigned char)lower[4]) || cap_from_name(lower, &cap) < 0 || cap < 0 ||
	    cap > 63)
		return nsu_fail(e, EINVAL, "option '%s': '%s' is not a capability (see "
				"capabilities(7); capsh --print lists them)", opt, name);
	return (int)cap;
}

int nsu_oom_parse(const char *arg, int *out, struct nsu_err *e)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v < -1000 || v > 1000 || isspace((unsigned char)*arg))
		return nsu_fail(e, EINVAL, "option '--oom-score-adj': '%s' is not a number from "
				"-1000 to 1000", arg);
	*out = (int)v;
	return 0;
}

int nsu_isolation_check(struct nsu_isolation *iso, struct nsu_err *e)
{
	uint64_t both = iso->cap_drop & iso->cap_add;

	if (iso->hostname)
		iso->ns |= CLONE_NEWUTS;
	if (iso->hostname && !*iso->hostname)
		return nsu_fail(e, EINVAL, "option '--hostname' needs a name, not ''");
	if (iso->hostname && strlen(iso->hostname) > 64)
		return nsu_fail(e, EINVAL, "option '--hostname': '%s' is longer than 64 characters, "
				"the most a host name may have", iso->hostname);
	if (iso->mount_proc && !(iso->ns & CLONE_NEWPID))
		return nsu_fail(e, EINVAL, "option '--mount-proc' needs '--pid': a /proc of its "
				"own shows a pid namespace of its own");
	if (iso->ro_root && !iso->rootfs)
		return nsu_fail(e, EINVAL, "option '--ro-root' needs '--rootfs DIR'");
	if (iso->rootfs && !*iso->rootfs)
		return nsu_fail(e, EINVAL, "option '--rootfs' needs a directory, not ''");
	if (both) {
		char *name = cap_to_name((cap_value_t)__builtin_ctzll(both));

		nsu_fail(e, EINVAL, "options '--cap-drop' and '--cap-add' both name %s",
			 name ? name : "a capability");
		cap_free(name);
		return -1;
	}
	for (size_t i = 0; i < iso->n_fs; i++) {
		const struct nsu_fs_op *op = &iso->fs[i];
		const char *opt = nsu_fs_option[op->kind];

		if (op->src && !*op->src)
			return nsu_fail(e, EINVAL, "option '%s' needs a SRC, not ''", opt);
		if (op->dest[0] != '/')
			return nsu_fail(e, EINVAL, "option '%s': %s '%s' must be an absolute path "
					"(%s)", opt, op->src || op->kind == NSU_FS_TMPFS ? "DEST" :
					"PATH", op->dest, iso->rootfs ? "inside the new root" :
					"where to mount");
	}
	return 0;
}

bool nsu_isolation_any(const struct nsu_isolation *iso)
{
	return iso->ns || iso->mount_proc || iso->hostname || iso->n_fs || iso->rootfs ||
	       iso->oom_set || iso->caps_none || iso->cap_drop || iso->cap_add ||
	       iso->no_new_privs || iso->user_set || iso->setsid || iso->new_pgrp ||
	       iso->n_rlimits;
}

/* Words and the text they point into, built in two passes (size, then fill). */
struct words {
	char **v;     /* NULL while measuring */
	char *text;
	size_t n, size;
};

static void word(struct words *w, const char *s)
{
	size_t len = strlen(s) + 1;

	if (w->v) {
		memcpy(w->text, s, len);
		w->v[w->n] = w->text;
		w->text += len;
	}
	w->n++;
	w->size += len;
}

static void cap_words(struct words *w, const char *opt, uint64_t caps)
{
	for (int c = 0; c < 64; c++) {
		char num[8], *name;

		if (!(caps & (UINT64_C(1) << c)))
			continue;
		/* libcap's own allocation: cap_free(), not free(). */
		name = cap_to_name((cap_value_t)c);
		snprintf(num, sizeof(num), "%d", c);
		word(w, opt);
		word(w, name ? name : num);
		cap_free(name);
	}
}

/* The words of @iso: those that shape the namespaces, then, unless @shape_only, the rest. */
static void all_words(const struct nsu_isolation *iso, bool shape_only, struct words *w)
{
	static const struct { int flag; const char *opt; } ns[] = {
		{ CLONE_NEWPID, "--pid" }, { CLONE_NEWUTS, "--uts" }, { CLONE_NEWIPC, "--ipc" },
		{ CLONE_NEWNET, "--net" }, { CLONE_NEWCGROUP, "--cgroup" },
	};
	char num[80];

	for (size_t i = 0; i < NSU_ARRAY_SIZE(ns); i++)
		if (iso->ns & ns[i].flag)
			word(w, ns[i].opt);
	if (iso->mount_proc)
		word(w, "--mount-proc");
	if (iso->hostname) {
		word(w, "--hostname");
		word(w, iso->hostname);
	}
	if (iso->rootfs) {
		word(w, "--rootfs");
		word(w, iso->rootfs);
	}
	if (iso->ro_root)
		word(w, "--ro-root");
	for (size_t i = 0; i < iso->n_fs; i++) {
		word(w, nsu_fs_option[iso->fs[i].kind]);
		if (iso->fs[i].src)
			word(w, iso->fs[i].src);
		word(w, iso->fs[i].dest);
	}
	if (shape_only)
		return;
	if (iso->oom_set) {
		snprintf(num, sizeof(num), "%d", iso->oom_score_adj);
		word(w, "--oom-score-adj");
		word(w, num);
	}
	if (iso->caps_none)
		word(w, "--caps-none");
	cap_words(w, "--cap-drop", iso->cap_drop);
	cap_words(w, "--cap-add", iso->cap_add);
	if (iso->no_new_privs)
		word(w, "--no-new-privs");
	if (iso->user_set) {
		snprintf(num, sizeof(num), "%" PRIu32 ":%" PRIu32, iso->user_uid, iso->user_gid);
		word(w, "--user");
		word(w, num);
	}
	if (iso->setsid)
		word(w, "--setsid");
	if (iso->new_pgrp)
		word(w, "--new-pgrp");
	for (size_t i = 0; i < iso->n_rlimits; i++) {
		nsu_rlimit_format(&iso->rlimits[i], num, sizeof(num));
		word(w, "--rlimit");
		word(w, num);
	}
}

static char **words_of(const struct nsu_isolation *iso, bool shape_only)
{
	struct words w = { 0 };
	size_t n;
	char **v;

	all_words(iso, shape_only, &w); /* measure */
	n = w.n;
	v = malloc((n + 1) * sizeof(char *) + w.size);
	if (!v)
		return NULL;
	w = (struct words){ .v = v, .text = (char *)(v + n + 1) };
	all_words(iso, shape_only, &w); /* fill */
	v[n] = NULL;
	return v;
}

char **nsu_isolation_words(const struct nsu_isolation *iso)
{
	return words_of(iso, false);
}

char **nsu_isolation_shape_words(const struct nsu_isolation *iso)
{
	return words_of(iso, true);
}
