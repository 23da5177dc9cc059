/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which files nsu may read with effect or execute: only what the caller or
 * root could have written. Root runs nsu too, often with an environment
 * kept from another user (su without '-', sudo -E), so a path that comes
 * from a configuration file or the environment is not trusted by itself.
 */
#ifndef NSU_TRUST_H
#define NSU_TRUST_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "log.h"

/* What is wrong with a file, as far as its stat tells. */
enum nsu_trust {
	NSU_TRUST_OK = 0,
	NSU_TRUST_TYPE,     /* not a regular file */
	NSU_TRUST_OWNER,    /* owned by neither the caller nor root */
	NSU_TRUST_WRITABLE, /* writable by group or others */
};

/**
 * nsu_trust_file() - may @uid trust the file @st describes?
 * @st: the file's stat
 * @uid: the caller
 *
 * A trusted file is a regular file owned by @uid or root, and writable
 * neither by its group nor by others (the group bits also carry the mask of
 * an ACL, so a write ACL entry for anyone else counts too). The type is
 * checked first, then the owner, then the mode. Pure.
 *
 * Return: NSU_TRUST_OK or the first thing wrong.
 */
enum nsu_trust nsu_trust_file(const struct stat *st, uid_t uid);

/**
 * nsu_trust_dir() - may @uid trust the names in the directory @st describes?
 * @st: the directory's stat
 * @uid: the caller
 *
 * Nobody but @uid and root may add, remove or rename entries: the directory
 * is owned by @uid or root and not writable by group or others, unless it
 * has the sticky bit (like /tmp: others may add entries but not replace
 * those of @uid or root). Pure.
 *
 * Return: NSU_TRUST_OK, NSU_TRUST_TYPE for a non-directory, NSU_TRUST_OWNER
 * or NSU_TRUST_WRITABLE.
 */
enum nsu_trust nsu_trust_dir(const struct stat *st, uid_t uid);

/* "a regular file", "a directory", "a FIFO", ...: the type of @mode, for messages. */
const char *nsu_file_type_name(mode_t mode);

/* "uid 1000 (alice)", or "uid 1000" when no user has that uid: for messages. */
void nsu_describe_uid(uid_t uid, char *buf, size_t len);

/**
 * nsu_path_trusted() - may @uid run the program at @path, or read it?
 * @path: an absolute path
 * @uid: the caller (geteuid())
 * @e: receives what is wrong, naming the offending path and the fix
 *
 * Resolves @path one name at a time, following symbolic links as the
 * kernel does (/bin/sh is one on Debian). Every symbolic link on the way
 * must be owned by @uid or root, and the file it ends at must pass
 * nsu_trust_file(). For root, every directory a name is looked up in must
 * also pass nsu_trust_dir(): then only root can change what @path names
 * (OpenSSH's safe_path() applies the same idea to authorized_keys files).
 * For another caller the program runs with the caller's own privileges,
 * like any in its $PATH, and the file's own owner and mode are what count.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_path_trusted(const char *path, uid_t uid, struct nsu_err *e);

#endif
