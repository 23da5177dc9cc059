/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trust.h"

/* As the kernel: at most this many symbolic links in one resolution. */
#define MAX_LINKS 40

static bool owner_ok(const struct stat *st, uid_t uid)
{
	return st->st_uid == uid || st->st_uid == 0;
}

enum nsu_trust nsu_trust_file(const struct stat *st, uid_t uid)
{
	if (!S_ISREG(st->st_mode))
		return NSU_TRUST_TYPE;
	if (!owner_ok(st, uid))
		return NSU_TRUST_OWNER;
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return NSU_TRUST_WRITABLE;
	return NSU_TRUST_OK;
}

enum nsu_trust nsu_trust_dir(const struct stat *st, uid_t uid)
{
	if (!S_ISDIR(st->st_mode))
		return NSU_TRUST_TYPE;
	if (!owner_ok(st, uid))
		return NSU_TRUST_OWNER;
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
		return NSU_TRUST_WRITABLE;
	return NSU_TRUST_OK;
}

const char *nsu_file_type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFLNK:
		return "a symbolic link";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	default:
		return "a file of unknown type";
	}
}

void nsu_describe_uid(uid_t uid, char *buf, size_t len)
{
	struct passwd pwbuf, *pw = NULL;
	char strings[4096];

	/* getpwuid_r(): the caller may hold getpwuid()'s static entry. */
	if (getpwuid_r(uid, &pwbuf, strings, sizeof(strings), &pw) == 0 && pw && pw->pw_name &&
	    *pw->pw_name)
		snprintf(buf, len, "uid %lu (%s)", (unsigned long)uid, pw->pw_name);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)uid);
}

/* The owners @uid accepts, for messages. */
static const char *allowed(uid_t uid)
{
	return uid == 0 ? "root" : "you or root";
}

static int fail_errno(struct nsu_err *e, int errnum, const char *path)
{
	return nsu_fail(e, errnum, "cannot check %s: %s", path, strerror(errnum));
}

/* @dir, the directory @st describes, is where the next name is looked up. */
static int check_dir(const char *dir, const struct stat *st, uid_t uid, struct nsu_err *e)
{
	char owner[300];

	switch (nsu_trust_dir(st, uid)) {
	case NSU_TRUST_OK:
		return 0;
	case NSU_TRUST_TYPE:
		return nsu_fail(e, ENOTDIR, "cannot check %s: not a directory", dir);
	case NSU_TRUST_OWNER:
		nsu_describe_uid(st->st_uid, owner, sizeof(owner));
		return nsu_fail(e, EPERM, "directory %s is owned by %s, not by %s, so its entries "
				"can be replaced (move the program out of it)", dir, owner,
				allowed(uid));
	case NSU_TRUST_WRITABLE:
		break;
	}
	return nsu_fail(e, EPERM, "directory %s is writable by group or others, so its entries can "
			"be replaced (chmod go-w %s, or move the program out of it)", dir, dir);
}

static int check_file(const char *file, const struct stat *st, uid_t uid, struct nsu_err *e)
{
	char owner[300];

	switch (nsu_trust_file(st, uid)) {
	case NSU_TRUST_OK:
		return 0;
	case NSU_TRUST_TYPE:
		return nsu_fail(e, EINVAL, "%s is %s, not a regular file", file,
				nsu_file_type_name(st->st_mode));
	case NSU_TRUST_OWNER:
		nsu_describe_uid(st->st_uid, owner, sizeof(owner));
		return nsu_fail(e, EPERM, "%s is owned by %s, not by %s (use a program owned by %s)",
				file, owner, allowed(uid), allowed(uid));
	case NSU_TRUST_WRITABLE:
		break;
	}
	return nsu_fail(e, EPERM, "%s is writable by group or others (chmod go-w %s)", file, file);
}

int nsu_path_trusted(const char *path, uid_t uid, struct nsu_err *e)
{
	char cur[PATH_MAX] = "/"; /* resolved so far: no symbolic link, no . or .. */
	char rest[PATH_MAX];      /* still to resolve */
	char next[PATH_MAX];
	char target[PATH_MAX];
	char owner[300];
	struct stat st;           /* of cur */
	struct stat nst;          /* of next */
	size_t pos = 0, len, cur_len;
	int links = 0;

	if (path[0] != '/')
		return nsu_fail(e, EINVAL, "%s is not an absolute path", path);
	len = strlen(path);
	if (len >= sizeof(rest))
		return fail_errno(e, ENAMETOOLONG, path);
	memcpy(rest, path, len + 1);
	if (lstat(cur, &st) < 0)
		return fail_errno(e, errno, cur);

	for (;;) {
		const char *name;

		while (rest[pos] == '/')
			pos++;
		if (!rest[pos])
			break;
		name = rest + pos;
		len = strcspn(name, "/");
		pos += len;
		if (len == 1 && name[0] == '.')
			continue;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			/* cur has no symbolic link in it: its parent is what .. is. */
			char *slash = strrchr(cur, '/');

			if (slash == cur)
				cur[1] = '\0'; /* "/a" -> "/", and "/" stays */
			else
				*slash = '\0';
			if (lstat(cur, &st) < 0)
				return fail_errno(e, errno, cur);
			continue;
		}

		/*
		 * Looking up a name in cur: whoever may change cur decides what
		 * it is. That matters for root, whom nobody else may give a
		 * program to run; a user's own programs run with the user's
		 * privileges, wherever the user keeps them (as in $PATH).
		 */
		if (uid == 0 && check_dir(cur, &st, uid, e) < 0)
			return -1;
		cur_len = strlen(cur);
		if (cur_len + 1 + len >= sizeof(next))
			return fail_errno(e, ENAMETOOLONG, path);
		memcpy(next, cur, cur_len);
		if (cur_len > 1)
			next[cur_len++] = '/';
		memcpy(next + cur_len, name, len);
		next[cur_len + len] = '\0';
		if (lstat(next, &nst) < 0)
			return fail_errno(e, errno, next);

		if (S_ISLNK(nst.st_mode)) {
			ssize_t n;
			size_t left = strlen(rest + pos);

			if (!owner_ok(&nst, uid)) {
				nsu_describe_uid(nst.st_uid, owner, sizeof(owner));
				return nsu_fail(e, EPERM, "symbolic link %s is owned by %s, not by %s "
						"(name its target instead)", next, owner, allowed(uid));
			}
			if (++links > MAX_LINKS)
				return fail_errno(e, ELOOP, path);
			n = readlink(next, target, sizeof(target));
			if (n < 0)
				return fail_errno(e, errno, next);
			if ((size_t)n >= sizeof(target) || (size_t)n + left >= sizeof(rest))
				return fail_errno(e, ENAMETOOLONG, path);
			/* Go on with the target, then what followed the link. */
			memmove(rest + n, rest + pos, left + 1);
			memcpy(rest, target, (size_t)n);
			pos = 0;
			if (target[0] == '/') {
				memcpy(cur, "/", 2);
				if (lstat(cur, &st) < 0)
					return fail_errno(e, errno, cur);
			}
			continue;
		}
		/* More to come (even a trailing slash): this must be a directory. */
		if (rest[pos] && !S_ISDIR(nst.st_mode))
			return fail_errno(e, ENOTDIR, next);
		memcpy(cur, next, strlen(next) + 1);
		st = nst;
	}
	return check_file(cur, &st, uid, e);
}
