/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sessions on disk: where their records live, the lock that makes the
 * first calls of the same name create one session only, and reading,
 * writing, listing and removing records.
 *
 * The records of a user's sessions are in $XDG_RUNTIME_DIR/nsu (when that
 * is a directory of the caller's own that nobody else may enter), else in
 * /tmp/nsu-UID, which must be a real directory owned by the caller with no
 * access for group or others. Session NAME has the directory NAME there
 * holding the file "record"; the lock is the file ".NAME.lock" next to it.
 */
#ifndef NSU_SESSION_H
#define NSU_SESSION_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "log.h"
#include "record.h"

struct nsu_session_dir {
	char path[PATH_MAX];   /* the directory of this user's session records */
};

/**
 * nsu_session_dir_open() - find, or make, the directory of the caller's sessions
 * @d: receives its path
 * @uid: the caller
 * @runtime_dir: $XDG_RUNTIME_DIR, or NULL
 * @create: make it if it is missing (else a missing one is an error, ENOENT)
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_session_dir_open(struct nsu_session_dir *d, uid_t uid, const char *runtime_dir,
			 bool create, struct nsu_err *e);

/* The directory of session @name ("DIR/NAME"). */
void nsu_session_path(const struct nsu_session_dir *d, const char *name, char *out, size_t len);

/* Take the lock of session @name (waits for another nsu's). Return: its fd, or -1 with @e filled. */
int nsu_session_lock(const struct nsu_session_dir *d, const char *name, struct nsu_err *e);

/*
 * Read the record of session @name. Return: 1 and @r filled; 0 when there
 * is none (or it is not a valid record: the session is made anew); -1 with
 * @e filled when it cannot be read.
 */
int nsu_session_read(const struct nsu_session_dir *d, const char *name,
		     struct nsu_session_record *r, struct nsu_err *e);

/* Write the record of session @name (its directory is made if missing). Return: 0, or -1 with @e. */
int nsu_session_write(const struct nsu_session_dir *d, const char *name,
		      const struct nsu_session_record *r, struct nsu_err *e);

/* Remove the record and the directory of session @name (what is not there is no error). */
void nsu_session_remove(const struct nsu_session_dir *d, const char *name);

#endif
