/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the command is isolated with, beyond its user and mount namespace:
 * more namespaces, a filesystem of binds or a root of its own, and the
 * process's privileges (pure: parsing, checking and passing on).
 *
 * The outer nsu passes these on to its inner stage as option words on the
 * command line of the re-execution (nsu_isolation_words()), which the inner
 * stage parses like the caller's options.
 */
#ifndef NSU_ISOLATION_H
#define NSU_ISOLATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "rlimit.h"

/* The namespaces nsu makes only when asked (clone() flags). */
#define NSU_ISOLATION_NS_MASK (CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
			       CLONE_NEWCGROUP)

enum nsu_fs_kind {
	NSU_FS_BIND,     /* --bind SRC DEST */
	NSU_FS_RO_BIND,  /* --ro-bind SRC DEST */
	NSU_FS_TMPFS,    /* --tmpfs DEST */
	NSU_FS_MASK,     /* --mask-path DEST: an empty read-only tmpfs, or /dev/null, over it */
	NSU_FS_RO_PATH,  /* --ro-path DEST: DEST bound onto itself read-only */
};

/* The option of each kind ("--ro-bind"). */
extern const char *const nsu_fs_option[];

/* One filesystem change, applied in command-line order. */
struct nsu_fs_op {
	enum nsu_fs_kind kind;
	const char *src;   /* NULL but for --bind and --ro-bind */
	const char *dest;
};

struct nsu_isolation {
	int ns;                  /* CLONE_NEWPID... of NSU_ISOLATION_NS_MASK */
	bool mount_proc;         /* --mount-proc: a /proc of the new pid namespace */
	const char *hostname;    /* --hostname, or NULL */
	struct nsu_fs_op *fs;    /* --bind, --ro-bind, --tmpfs (malloc()ed) */
	size_t n_fs;
	const char *rootfs;      /* --rootfs, or NULL */
	bool ro_root;            /* --ro-root */
	bool die_with_parent;    /* --die-with-parent */
	bool oom_set;            /* --oom-score-adj given */
	int oom_score_adj;
	bool caps_none;          /* --caps-none */
	uint64_t cap_drop;       /* --cap-drop: capability bits */
	uint64_t cap_add;        /* --cap-add */
	bool no_new_privs;       /* --no-new-privs */
	/* The command's own process; per command, as the OOM score and capabilities are: */
	bool user_set;           /* --user UID[:GID] */
	uint32_t user_uid, user_gid;
	bool setsid;             /* --setsid: a session of its own, no controlling terminal */
	bool new_pgrp;           /* --new-pgrp: a process group of its own */
	struct nsu_rlimit *rlimits; /* --rlimit, one per resource (malloc()ed) */
	size_t n_rlimits;
};

/* Release what nsu_isolation_add_fs() and nsu_isolation_add_rlimit() allocated. */
void nsu_isolation_free(struct nsu_isolation *iso);

/* Append a filesystem change (@src NULL but for binds). Return: 0, or -1 with @e filled. */
int nsu_isolation_add_fs(struct nsu_isolation *iso, enum nsu_fs_kind kind, const char *src,
			 const char *dest, struct nsu_err *e);

/*
 * Add an --rlimit; one given before for the same resource is replaced.
 * Return: 0, or -1 with @e filled.
 */
int nsu_isolation_add_rlimit(struct nsu_isolation *iso, const struct nsu_rlimit *l,
			     struct nsu_err *e);

/*
 * --user's value: UID or UID:GID, numbers from 0 to 4294967294 (GID is
 * UID when not given). Return: 0, or -1 with @e filled.
 */
int nsu_user_parse(const char *arg, uint32_t *uid, uint32_t *gid, struct nsu_err *e);

/*
 * The capability named @name as capsh(1) writes it, with or without the
 * "cap_" prefix, in any case ("sys_admin", "CAP_CHOWN"). Return: its
 * number, or -1 with @e filled (naming @opt).
 */
int nsu_cap_parse(const char *opt, const char *name, struct nsu_err *e);

/* --oom-score-adj's value: -1000..1000. Return: 0, or -1 with @e filled. */
int nsu_oom_parse(const char *arg, int *out, struct nsu_err *e);

/*
 * Check the whole: --mount-proc needs --pid, --ro-root needs --rootfs,
 * a capability both dropped and added, destinations that must be absolute.
 * --hostname implies --uts. Return: 0, or -1 with @e filled.
 */
int nsu_isolation_check(struct nsu_isolation *iso, struct nsu_err *e);

/* Does @iso ask for anything but the user and mount namespace? */
bool nsu_isolation_any(const struct nsu_isolation *iso);

/*
 * The option words that give @iso to nsu's inner stage (all of it but
 * --die-with-parent, which is the outer nsu's), as a NULL-terminated
 * vector in one malloc()ed block; NULL when out of memory.
 */
char **nsu_isolation_words(const struct nsu_isolation *iso);

/*
 * Only the words that shape the namespaces (namespaces, host name,
 * filesystem), which a session fixes when it is made; the same block.
 * The rest (OOM score, capabilities, no_new_privs, --user, --setsid,
 * --new-pgrp, --rlimit) is each command's own.
 */
char **nsu_isolation_shape_words(const struct nsu_isolation *iso);

#endif
