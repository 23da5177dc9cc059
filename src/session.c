/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session.h"
#include "util.h"

/*
 * @path is a directory of @uid's own, which no one else may enter or
 * change, reached without following a symbolic link at its end.
 */
static int own_private_dir(const char *path, uid_t uid, const char *what, struct nsu_err *e)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return nsu_fail(e, errno, "%s %s: %s", what, path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return nsu_fail(e, ENOTDIR, "%s %s is not a directory (it may be a symbolic "
				"link): remove it, nsu makes it anew", what, path);
	if (st.st_uid != uid)
		return nsu_fail(e, EPERM, "%s %s belongs to uid %lu, not to you: remove it (as "
				"root), nsu makes it anew", what, path, (unsigned long)st.st_uid);
	if (st.st_mode & 077)
		return nsu_fail(e, EPERM, "%s %s may be entered by others (mode %03o): chmod "
				"0700 %s", what, path, (unsigned)(st.st_mode & 0777), path);
	return 0;
}

int nsu_session_dir_open(struct nsu_session_dir *d, uid_t uid, const char *runtime_dir,
			 bool create, struct nsu_err *e)
{
	struct stat st;
	int n;

	/*
	 * $XDG_RUNTIME_DIR only if it is the caller's own, private directory
	 * (su and sudo may keep another user's).
	 */
	if (runtime_dir && runtime_dir[0] == '/' && lstat(runtime_dir, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == uid && !(st.st_mode & 077))
		n = snprintf(d->path, sizeof(d->path), "%s/nsu", runtime_dir);
	else
		n = snprintf(d->path, sizeof(d->path), "/tmp/nsu-%lu", (unsigned long)uid);
	if (n < 0 || (size_t)n >= sizeof(d->path))
		return nsu_fail(e, ENAMETOOLONG, "$XDG_RUNTIME_DIR is too long");
	if (create && mkdir(d->path, 0700) < 0 && errno != EEXIST)
		return nsu_fail(e, errno, "cannot make the directory of sessions %s: %s", d->path,
				strerror(errno));
	return own_private_dir(d->path, uid, "the directory of sessions", e);
}

void nsu_session_path(const struct nsu_session_dir *d, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", d->path, name);
}

int nsu_session_lock(const struct nsu_session_dir *d, const char *name, struct nsu_err *e)
{
	char path[PATH_MAX + 80];
	int fd;

	snprintf(path, sizeof(path), "%s/.%s.lock", d->path, name);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0)
		return nsu_fail(e, errno, "cannot open the lock %s: %s", path, strerror(errno));
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int err = errno;

			close(fd);
			return nsu_fail(e, err, "cannot lock %s: %s", path, strerror(err));
		}
	}
	return fd;
}

int nsu_session_read(const struct nsu_session_dir *d, const char *name,
		     struct nsu_session_record *r, struct nsu_err *e)
{
	char path[PATH_MAX + 80], text[NSU_SHAPE_MAX + 1024];
	_cleanup_close_ int fd = -1;
	struct stat st;
	size_t used = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s/record", d->path, name);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return 0;
		return nsu_fail(e, errno, "cannot read %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return 0; /* not a record nsu wrote: made anew */
	while ((n = read(fd, text + used, sizeof(text) - 1 - used)) > 0)
		used += (size_t)n;
	if (n < 0)
		return nsu_fail(e, errno, "cannot read %s: %s", path, strerror(errno));
	text[used] = '\0';
	return nsu_record_parse(text, r) == 0 ? 1 : 0;
}

int nsu_session_write(const struct nsu_session_dir *d, const char *name,
		      const struct nsu_session_record *r, struct nsu_err *e)
{
	char dir[PATH_MAX + 80], path[PATH_MAX + 100], tmp[PATH_MAX + 100];
	char text[NSU_SHAPE_MAX + 1024];
	_cleanup_close_ int fd = -1;
	int len = nsu_record_format(r, text, sizeof(text));

	if (len < 0)
		return nsu_fail(e, E2BIG, "the record of session %s is too long", name);
	nsu_session_path(d, name, dir, sizeof(dir));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return nsu_fail(e, errno, "cannot make %s: %s", dir, strerror(errno));
	if (own_private_dir(dir, geteuid(), "the session directory", e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/record", dir);
	snprintf(tmp, sizeof(tmp), "%s/.record.tmp", dir);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, (size_t)len) != len || fsync(fd) < 0 ||
	    rename(tmp, path) < 0) {
		int err = errno;

		unlink(tmp);
		return nsu_fail(e, err, "cannot write %s: %s", path, strerror(err));
	}
	return 0;
}

void nsu_session_remove(const struct nsu_session_dir *d, const char *name)
{
	char dir[PATH_MAX + 80], path[PATH_MAX + 100];

	nsu_session_path(d, name, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/record", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.record.tmp", dir);
	unlink(path);
	rmdir(dir);
}
