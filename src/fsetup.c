/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command's filesystem (see fsetup.h for the whole order).
 *
 * Three choices shape this file:
 *
 * - Sources are host paths, resolved before anything changes: each one is
 *   opened (O_PATH) first, and bound later through its descriptor's link in
 *   /proc/self/fd. With --rootfs, those binds happen after pivot_root() but
 *   before the old root is detached, since the kernel refuses (EINVAL) to
 *   bind from a tree that is no longer in the namespace. A recursive bind
 *   copies what is mounted in its source when it is made: a mount that an
 *   earlier option put on the source itself comes along.
 *
 * - Magic links are reached through a descriptor of /proc/self opened at
 *   the start and made the working directory for the duration, so that
 *   "fd/N" works whatever the command's tree does with /proc (a --tmpfs
 *   over it, the pivot), and mount targets that nsu creates in the new root
 *   are named by descriptors opened without following symbolic links.
 *
 * - Binds and remounts name their (ignored) filesystem type "none": the
 *   kernel reads no type for them, but checkers such as valgrind expect a
 *   string.
 *
 * - A read-only bind keeps every flag the mount already has (read with
 *   statvfs()): in a user namespace the kernel locks nosuid, nodev, noexec
 *   and the atime flags of mounts inherited from the host, and a remount
 *   that would clear one fails with EPERM. The same is done for every
 *   mount of the bound tree that a path still reaches (found in
 *   /proc/self/mountinfo and checked by mount id), as bubblewrap does.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "fsetup.h"
#include "mountinfo.h"
#include "util.h"

/* "fd/N", the magic link of descriptor N relative to /proc/self. */
#define FD_LINK_MAX sizeof("fd/-2147483648")

struct fs_ctx {
	const struct nsu_fs_setup *s;
	int self_fd;   /* /proc/self, the working directory while mounting */
	int *src;      /* per operation: its source, opened first (-1 for a tmpfs) */
	char *root;    /* --rootfs made absolute: the working directory changes */
};


static const char *fd_link(char buf[FD_LINK_MAX], int fd)
{
	snprintf(buf, FD_LINK_MAX, "fd/%d", fd);
	return buf;
}

/* The id of the mount @fd is on, from /proc/self/fdinfo. Return: it, or -1 with errno set. */
static int mount_id(const struct fs_ctx *c, int fd)
{
	char name[32], buf[512];
	_cleanup_close_ int info = -1;
	const char *p;
	ssize_t n;

	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	info = openat(c->self_fd, name, O_RDONLY | O_CLOEXEC);
	if (info < 0)
		return -1;
	n = read(info, buf, sizeof(buf) - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nmnt_id:");
	if (!p) {
		errno = ENOSYS; /* a kernel older than 3.15 */
		return -1;
	}
	return (int)strtol(p + 8, NULL, 10);
}

/* --- read-only mounts ------------------------------------------------------------ */

/**
 * remount_ro() - make the mount @fd is the root of read-only
 * @fd: an O_PATH descriptor of a mount's root
 * @name: the mount point, for the message
 * @e: receives the message on error
 *
 * The flags it has are given again, so that none the kernel locks is
 * cleared. Return: 0, or -1 with @e filled.
 */
static int remount_ro(int fd, const char *name, struct nsu_err *e)
{
	char link[FD_LINK_MAX];
	struct statvfs st;

	if (fstatvfs(fd, &st) < 0)
		return nsu_fail(e, errno, "reading the flags of %s: %s", name, strerror(errno));
	if (mount("none", fd_link(link, fd), "none",
		  MS_REMOUNT | MS_BIND | MS_RDONLY | nsu_mount_kept_flags(st.f_flag), NULL) < 0)
		return nsu_fail(e, errno, "remounting %s read-only: %s", name, strerror(errno));
	return 0;
}

/**
 * remount_all_ro() - make the mounts with the ids @ids read-only
 * @c: the context
 * @ids: mount ids; those that no longer exist are left alone
 * @n: how many
 * @top: the id of the mount at the top of the tree, shown as @top_name
 * @top_name: its path as the user wrote it
 * @e: receives the message on error
 *
 * Each mount is reached through its mount point, and only if that path
 * leads to it: a mount covered by another one, which nothing can reach,
 * is left as it is. Return: 0, or -1 with @e filled.
 */
static int remount_all_ro(const struct fs_ctx *c, const int *ids, size_t n, int top,
			  const char *top_name, struct nsu_err *e)
{
	struct nsu_mount_table t;
	const struct nsu_mount *top_ent;
	int r = 0;

	if (nsu_mount_table_read(c->self_fd, &t, e) < 0)
		return -1;
	top_ent = nsu_mount_find(&t, top);
	for (size_t i = 0; i < n && r == 0; i++) {
		const struct nsu_mount *m = nsu_mount_find(&t, ids[i]);
		_cleanup_close_ int fd = -1;
		char name[PATH_MAX];

		if (!m)
			continue;
		fd = open(m->path, O_PATH | O_CLOEXEC);
		if (fd < 0) {
			/* Hidden, or where the command cannot go either. */
			if (errno != ENOENT && errno != ENOTDIR && errno != EACCES &&
			    errno != ELOOP)
				r = nsu_fail(e, errno, "%s: %s", m->path, strerror(errno));
			continue;
		}
		if (mount_id(c, fd) != m->id)
			continue; /* covered by another mount */
		nsu_mount_display_path(name, sizeof(name), m->path, top_ent ? top_ent->path : "/", top_name);
		r = remount_ro(fd, m->id == top ? top_name : name, e);
	}
	nsu_mount_table_free(&t);
	return r;
}

/**
 * subtree_ids() - the mount @top and every mount under it
 * @c: the context
 * @top: a mount id
 * @ids: receives the ids (malloc()ed), @top first
 * @n: receives how many
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled.
 */
static int subtree_ids(const struct fs_ctx *c, int top, int **ids, size_t *n, struct nsu_err *e)
{
	_cleanup_free_ bool *in = NULL;
	struct nsu_mount_table t;
	size_t k = 1;

	if (nsu_mount_table_read(c->self_fd, &t, e) < 0)
		return -1;
	in = calloc(t.n ? t.n : 1, sizeof(*in));
	*ids = in ? malloc((nsu_mount_subtree(&t, top, in) + 1) * sizeof(**ids)) : NULL;
	if (!*ids) {
		nsu_mount_table_free(&t);
		return nsu_fail(e, ENOMEM, "%s", strerror(ENOMEM));
	}
	(*ids)[0] = top;
	for (size_t i = 0; i < t.n; i++)
		if (in[i] && t.v[i].id != top)
			(*ids)[k++] = t.v[i].id;
	*n = k;
	nsu_mount_table_free(&t);
	return 0;
}

/**
 * make_tree_ro() - make a bound tree read-only, submounts included
 * @c: the context
 * @fd: an O_PATH descriptor of the tree's top mount
 * @name: its path, for messages
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled.
 */
static int make_tree_ro(const struct fs_ctx *c, int fd, const char *name, struct nsu_err *e)
{
	_cleanup_free_ int *ids = NULL;
	int top = mount_id(c, fd);
	size_t n;

	if (top < 0)
		return nsu_fail(e, errno, "finding the mount on %s: %s", name, strerror(errno));
	if (subtree_ids(c, top, &ids, &n, e) < 0)
		return -1;
	return remount_all_ro(c, ids, n, top, name, e);
}

/* --- binds and tmpfs mounts ------------------------------------------------------ */

/* Create the missing directories that lead to @path, as mkdir -p does. */
static int make_parents(const char *path, struct nsu_err *e)
{
	_cleanup_free_ char *p = strdup(path);

	if (!p)
		return nsu_fail(e, ENOMEM, "%s", strerror(ENOMEM));
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		if (s[-1] == '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return nsu_fail(e, errno, "creating %s: %s", p, strerror(errno));
		*s = '/';
	}
	return 0;
}

/* Is @st the root directory? A mount over it would not become the command's root. */
static bool is_root(const struct stat *st)
{
	struct stat root;

	return stat("/", &root) == 0 && st->st_dev == root.st_dev && st->st_ino == root.st_ino;
}

/* @dest, created if missing: a directory if @dir, else an empty file. */
static int make_dest(const char *dest, bool dir, struct nsu_err *e)
{
	struct stat st;

	if (stat(dest, &st) < 0) {
		if (errno != ENOENT)
			return nsu_fail(e, errno, "%s: %s", dest, strerror(errno));
		if (make_parents(dest, e) < 0)
			return -1;
		if ((dir ? mkdir(dest, 0755) : mknod(dest, S_IFREG | 0644, 0)) < 0 &&
		    errno != EEXIST)
			return nsu_fail(e, errno, "creating %s: %s", dest, strerror(errno));
		if (stat(dest, &st) < 0) {
			int err = errno;

			if (err == ENOENT && lstat(dest, &st) == 0 && S_ISLNK(st.st_mode))
				return nsu_fail(e, err, "%s is a symbolic link to a missing file",
						dest);
			return nsu_fail(e, err, "%s: %s", dest, strerror(err));
		}
	}
	if (is_root(&st))
		return nsu_fail(e, EINVAL, "%s is the root directory, which cannot be mounted over "
				"(a root of its own is given with --rootfs)", dest);
	return 0;
}

/* "--bind SRC DEST" or "--tmpfs DEST" for @op, for messages. */
static const char *op_words(char *buf, size_t len, const struct nsu_fs_op *op)
{
	const char *dest = op->dest ? op->dest : "";

	if (op->kind == NSU_FS_BIND || op->kind == NSU_FS_RO_BIND)
		snprintf(buf, len, "%s %s %s", nsu_fs_option[op->kind], op->src ? op->src : "",
			 dest);
	else
		snprintf(buf, len, "%s %s", nsu_fs_option[op->kind], dest);
	return buf;
}

/*
 * Bind @src_fd (@src names it) recursively on @dest, which exists; read-only
 * with @ro, the mounts it brings along included.
 */
static int bind_tree(const struct fs_ctx *c, int src_fd, const char *src, const char *dest,
		     bool ro, struct nsu_err *e)
{
	char link[FD_LINK_MAX];
	_cleanup_close_ int top = -1;

	if (mount(fd_link(link, src_fd), dest, "none", MS_BIND | MS_REC, NULL) < 0)
		return nsu_fail(e, errno, "mounting %s on %s: %s", src, dest, strerror(errno));
	if (!ro)
		return 0;
	top = open(dest, O_PATH | O_CLOEXEC);
	if (top < 0)
		return nsu_fail(e, errno, "%s: %s", dest, strerror(errno));
	return make_tree_ro(c, top, dest, e);
}

/* --bind or --ro-bind @op: its source (@src_fd, opened before) bound recursively. */
static int bind_op(const struct fs_ctx *c, const struct nsu_fs_op *op, int src_fd,
		   struct nsu_err *e)
{
	struct stat st;

	if (fstat(src_fd, &st) < 0)
		return nsu_fail(e, errno, "%s: %s", op->src, strerror(errno));
	if (make_dest(op->dest, S_ISDIR(st.st_mode), e) < 0)
		return -1;
	return bind_tree(c, src_fd, op->src, op->dest, op->kind == NSU_FS_RO_BIND, e);
}

/*
 * The path of a --mask-path or --ro-path @op, as it is now (inside the new
 * root, after earlier options): 1 with an O_PATH descriptor in @fd and its
 * stat in @st, 0 when it does not exist, -1 with @e filled.
 */
static int open_existing(const struct nsu_fs_op *op, int *fd, struct stat *st, struct nsu_err *e)
{
	*fd = open(op->dest, O_PATH | O_CLOEXEC);
	if (*fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (*fd < 0 || fstat(*fd, st) < 0)
		return nsu_fail(e, errno, "%s: %s", op->dest, strerror(errno));
	if (is_root(st))
		return nsu_fail(e, EINVAL, "%s is the root directory (%s)", op->dest,
				op->kind == NSU_FS_MASK ? "nothing would be left to run" :
				"a read-only root is --rootfs DIR --ro-root");
	return 1;
}

/*
 * --mask-path @op: a directory gets an empty read-only tmpfs over it,
 * anything else the host's /dev/null (@null_fd, opened before), read-only;
 * a path that does not exist is left alone, as container runtimes do.
 */
static int mask_op(const struct nsu_fs_op *op, int null_fd, struct nsu_err *e)
{
	char link[FD_LINK_MAX], from[FD_LINK_MAX];
	_cleanup_close_ int fd = -1;
	_cleanup_close_ int top = -1;
	struct stat st;
	int got = open_existing(op, &fd, &st, e);

	if (got <= 0)
		return got;
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", fd_link(link, fd), "tmpfs",
			  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") < 0)
			return nsu_fail(e, errno, "mounting an empty tmpfs on %s: %s", op->dest,
					strerror(errno));
		return 0;
	}
	if (mount(fd_link(from, null_fd), fd_link(link, fd), "none", MS_BIND, NULL) < 0)
		return nsu_fail(e, errno, "mounting /dev/null on %s: %s", op->dest,
				strerror(errno));
	top = open(op->dest, O_PATH | O_CLOEXEC);
	if (top < 0)
		return nsu_fail(e, errno, "%s: %s", op->dest, strerror(errno));
	return remount_ro(top, op->dest, e);
}

/* --ro-path @op: the path, which must exist, bound onto itself read-only. */
static int ro_path_op(const struct fs_ctx *c, const struct nsu_fs_op *op, struct nsu_err *e)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	int got = open_existing(op, &fd, &st, e);

	if (got < 0)
		return -1;
	if (got == 0)
		return nsu_fail(e, ENOENT, "%s does not exist: there is nothing to make read-only "
				"(create it first, or leave the option out)", op->dest);
	return bind_tree(c, fd, op->dest, op->dest, true, e);
}

static int tmpfs_op(const struct nsu_fs_op *op, struct nsu_err *e)
{
	if (make_dest(op->dest, true, e) < 0)
		return -1;
	if (mount("tmpfs", op->dest, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
		return nsu_fail(e, errno, "mounting a tmpfs on %s: %s", op->dest, strerror(errno));
	return 0;
}

/* The binds and tmpfs mounts, in order; each message names its option. */
static int apply_ops(const struct fs_ctx *c, struct nsu_err *e)
{
	char words[PATH_MAX * 2 + 16];

	for (size_t i = 0; i < c->s->n_ops; i++) {
		const struct nsu_fs_op *op = &c->s->ops[i];
		int r;

		switch (op->kind) {
		case NSU_FS_TMPFS:
			r = tmpfs_op(op, e);
			break;
		case NSU_FS_MASK:
			r = mask_op(op, c->src[i], e);
			break;
		case NSU_FS_RO_PATH:
			r = ro_path_op(c, op, e);
			break;
		default:
			r = bind_op(c, op, c->src[i], e);
			break;
		}

		if (r < 0)
			return nsu_err_wrap(e, "%s", op_words(words, sizeof(words), op));
	}
	return 0;
}

/* Open every source before anything changes. Return: 0, or -1 with @e filled. */
static int open_sources(struct fs_ctx *c, struct nsu_err *e)
{
	char words[PATH_MAX * 2 + 16];

	c->src = malloc((c->s->n_ops ? c->s->n_ops : 1) * sizeof(*c->src));
	if (!c->src)
		return nsu_fail(e, ENOMEM, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < c->s->n_ops; i++)
		c->src[i] = -1;
	for (size_t i = 0; i < c->s->n_ops; i++) {
		const struct nsu_fs_op *op = &c->s->ops[i];

		op_words(words, sizeof(words), op);
		if (!op->dest || op->dest[0] != '/')
			return nsu_fail(e, EINVAL, "%s: the destination must be an absolute path",
					words);
		/* What --mask-path binds over a file: the host's, which no option hides. */
		if (op->kind == NSU_FS_MASK) {
			c->src[i] = open("/dev/null", O_PATH | O_CLOEXEC);
			if (c->src[i] < 0)
				return nsu_fail(e, errno, "%s: /dev/null: %s", words,
						strerror(errno));
			continue;
		}
		if (op->kind == NSU_FS_TMPFS || op->kind == NSU_FS_RO_PATH)
			continue;
		if (!op->src)
			return nsu_fail(e, EINVAL, "%s: no source", words);
		c->src[i] = open(op->src, O_PATH | O_CLOEXEC);
		if (c->src[i] < 0)
			return nsu_fail(e, errno, "%s: %s: %s", words, op->src, strerror(errno));
	}
	return 0;
}

/* --- the new root ---------------------------------------------------------------- */

/* Why a new procfs may be refused (EPERM) in a user namespace, for the message. */
static void proc_hint(const struct fs_ctx *c, char *buf, size_t len)
{
	struct nsu_err ignored;
	struct nsu_mount_table t;
	char list[512] = "";
	size_t used = 0;

	if (nsu_mount_table_read(c->self_fd, &t, &ignored) == 0) {
		for (size_t i = 0; i < t.n && used < sizeof(list); i++) {
			const char *p = t.v[i].path;

			/* binfmt_misc is on a directory the kernel keeps empty: no harm. */
			if (strncmp(p, "/proc/", 6) != 0 ||
			    strcmp(p, "/proc/sys/fs/binfmt_misc") == 0)
				continue;
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 used ? ", " : "", p);
		}
		nsu_mount_table_free(&t);
	}
	if (*list)
		snprintf(buf, len, " (in a user namespace the kernel gives a new procfs only where "
			 "a procfs is fully visible, and mounts cover parts of /proc here: %s; use "
			 "--pid without --mount-proc)", list);
	else
		snprintf(buf, len, " (in a user namespace the kernel gives a new procfs only to a "
			 "pid namespace of that user namespace, and only where a procfs is fully "
			 "visible; use --pid without --mount-proc)");
}

/* A fresh procfs on @target (a path, or an "fd/N" link). */
static int mount_fresh_proc(const struct fs_ctx *c, const char *target, const char *name,
			    struct nsu_err *e)
{
	char hint[768] = "";
	int err;

	if (!c->s->pid_ns)
		return nsu_fail(e, EINVAL, "a new procfs on %s needs a new pid namespace (--pid)",
				name);
	if (mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
		return 0;
	err = errno;
	if (err == EPERM)
		proc_hint(c, hint, sizeof(hint));
	return nsu_fail(e, err, "mounting a new procfs on %s: %s%s", name, strerror(err), hint);
}

/**
 * dir_in() - a directory of the new root, where nsu mounts something
 * @dir_fd: the directory it is in
 * @name: its name there (one component)
 * @shown: its path in the new root, for messages ("/dev/pts")
 * @e: receives the message on error
 *
 * Created if missing; a symbolic link is refused, never followed out of
 * the new root. Return: an O_PATH descriptor of it, or -1 with @e filled.
 */
static int dir_in(int dir_fd, const char *name, const char *shown, struct nsu_err *e)
{
	int fd = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
			return nsu_fail(e, errno, "%s is missing and cannot be created: %s "
					"(create the directories /proc, /sys and /dev in the new "
					"root)", shown, strerror(errno));
		fd = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd >= 0)
		return fd;
	if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		return nsu_fail(e, ELOOP, "%s is a symbolic link: it must be a directory of the "
				"new root", shown);
	return nsu_fail(e, errno, "%s: %s", shown, strerror(errno));
}

/*
 * The mount just made on @name in @dir_fd: its root, checked to be of the
 * filesystem type @magic. Return: an O_PATH descriptor, or -1 with @e filled.
 */
static int mounted_in(int dir_fd, const char *name, const char *shown, long magic,
		      struct nsu_err *e)
{
	_cleanup_close_ int fd = openat(dir_fd, name,
					O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	struct statfs sf;

	if (fd < 0 || fstatfs(fd, &sf) < 0)
		return nsu_fail(e, errno, "%s: %s", shown, strerror(errno));
	if ((long)sf.f_type != magic)
		return nsu_fail(e, EBUSY, "%s changed while it was being set up", shown);
	return steal_fd(&fd);
}

/* Bind the host's @src recursively onto @target_fd; @shown names the target. */
static int bind_host(const char *src, int target_fd, const char *shown, struct nsu_err *e)
{
	char from[FD_LINK_MAX], to[FD_LINK_MAX];
	_cleanup_close_ int fd = open(src, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return nsu_fail(e, errno, "the host's %s: %s", src, strerror(errno));
	if (mount(fd_link(from, fd), fd_link(to, target_fd), "none", MS_BIND | MS_REC, NULL) < 0)
		return nsu_fail(e, errno, "binding the host's %s on %s: %s", src, shown,
				strerror(errno));
	return 0;
}

/* /proc of the new root: a fresh procfs, or the host's bound. */
static int set_up_proc(const struct fs_ctx *c, int root_fd, struct nsu_err *e)
{
	char link[FD_LINK_MAX];
	_cleanup_close_ int fd = dir_in(root_fd, "proc", "/proc", e);

	if (fd < 0)
		return -1;
	if (c->s->proc_fresh)
		return mount_fresh_proc(c, fd_link(link, fd), "/proc", e);
	return bind_host("/proc", fd, "/proc", e);
}

/* /sys of the new root: the host's, read-only (a new sysfs needs a new network namespace). */
static int set_up_sys(const struct fs_ctx *c, int root_fd, struct nsu_err *e)
{
	_cleanup_close_ int fd = dir_in(root_fd, "sys", "/sys", e);
	_cleanup_close_ int top = -1;

	if (fd < 0 || bind_host("/sys", fd, "/sys", e) < 0)
		return -1;
	top = mounted_in(root_fd, "sys", "/sys", SYSFS_MAGIC, e);
	if (top < 0)
		return -1;
	return make_tree_ro(c, top, "/sys", e);
}

/* A tmpfs on the directory @name of @dir_fd, with the mode @mode. */
static int tmpfs_in(int dir_fd, const char *name, const char *shown, const char *mode,
		    struct nsu_err *e)
{
	char link[FD_LINK_MAX];
	_cleanup_close_ int fd = dir_in(dir_fd, name, shown, e);

	if (fd < 0)
		return -1;
	if (mount("tmpfs", fd_link(link, fd), "tmpfs", MS_NOSUID | MS_NODEV, mode) < 0)
		return nsu_fail(e, errno, "mounting a tmpfs on %s: %s", shown, strerror(errno));
	return 0;
}

/* The host's device @name bound on a file of the same name in the new /dev (@dev_fd). */
static int bind_device(int dev_fd, const char *name, struct nsu_err *e)
{
	char host[32], shown[32];
	_cleanup_close_ int fd = -1;

	snprintf(host, sizeof(host), "/dev/%s", name);
	snprintf(shown, sizeof(shown), "/dev/%s", name);
	if (mknodat(dev_fd, name, S_IFREG | 0644, 0) < 0)
		return nsu_fail(e, errno, "creating %s: %s", shown, strerror(errno));
	fd = openat(dev_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return nsu_fail(e, errno, "%s: %s", shown, strerror(errno));
	return bind_host(host, fd, shown, e);
}

/* /dev/pts: a new devpts instance, its own ptys only. */
static int set_up_pts(int dev_fd, struct nsu_err *e)
{
	char link[FD_LINK_MAX];
	_cleanup_close_ int fd = dir_in(dev_fd, "pts", "/dev/pts", e);

	if (fd < 0)
		return -1;
	/*
	 * No gid=: the tty group is not mapped in every user namespace, and
	 * the kernel refuses a gid that is not (EINVAL). New ptys then get the
	 * group of the process that opens them.
	 */
	if (mount("devpts", fd_link(link, fd), "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=620") < 0)
		return nsu_fail(e, errno, "mounting devpts on /dev/pts: %s", strerror(errno));
	return 0;
}

/* /dev of the new root: a tmpfs with a few devices, links, /dev/pts and /dev/shm. */
static int set_up_dev(int root_fd, struct nsu_err *e)
{
	static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" },       { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	_cleanup_close_ int dev = -1;

	if (tmpfs_in(root_fd, "dev", "/dev", "mode=0755", e) < 0)
		return -1;
	dev = mounted_in(root_fd, "dev", "/dev", TMPFS_MAGIC, e);
	if (dev < 0)
		return -1;
	for (size_t i = 0; i < NSU_ARRAY_SIZE(devices); i++)
		if (bind_device(dev, devices[i], e) < 0)
			return -1;
	for (size_t i = 0; i < NSU_ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][1], dev, links[i][0]) < 0)
			return nsu_fail(e, errno, "creating the link /dev/%s: %s", links[i][0],
					strerror(errno));
	if (set_up_pts(dev, e) < 0)
		return -1;
	return tmpfs_in(dev, "shm", "/dev/shm", "mode=1777", e);
}

/**
 * open_new_root() - bind the new root onto itself, so that it is a mount
 * @dir: the directory given with --rootfs
 * @e: receives the message on error
 *
 * Return: an O_PATH descriptor of the new mount's root, or -1 with @e filled.
 */
static int open_new_root(const char *dir, struct nsu_err *e)
{
	char link[FD_LINK_MAX];
	_cleanup_close_ int below = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int top = -1;
	struct stat a, b, root;

	if (below < 0)
		return nsu_fail(e, errno, "%s", strerror(errno));
	if (fstat(below, &a) < 0 || stat("/", &root) < 0)
		return nsu_fail(e, errno, "%s", strerror(errno));
	if (a.st_dev == root.st_dev && a.st_ino == root.st_ino)
		return nsu_fail(e, EINVAL, "it is the current root directory already");
	if (mount(fd_link(link, below), link, "none", MS_BIND | MS_REC, NULL) < 0)
		return nsu_fail(e, errno, "binding it onto itself: %s", strerror(errno));
	/* Only a path leads into the mount now on top of it; check that it is the same place. */
	top = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (top < 0 || fstat(top, &b) < 0)
		return nsu_fail(e, errno, "%s", strerror(errno));
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return nsu_fail(e, EBUSY, "it changed while it was being set up");
	return steal_fd(&top);
}

/* Make @root_fd the root; the old root stays, on top of it, until detached through @old_fd. */
static int pivot(const struct fs_ctx *c, int root_fd, int *old_fd, struct nsu_err *e)
{
	*old_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*old_fd < 0)
		return nsu_fail(e, errno, "opening the current root: %s", strerror(errno));
	if (fchdir(root_fd) < 0)
		return nsu_fail(e, errno, "entering the new root: %s", strerror(errno));
	/* The old root goes on top of the new one: it needs no directory of the new root. */
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		int err = errno;

		return nsu_fail(e, err, "switching to the new root (pivot_root): %s%s",
				strerror(err), err == EINVAL ? " (nsu's current root must be a "
							       "mount, not a chroot)" : "");
	}
	if (fchdir(c->self_fd) < 0)
		return nsu_fail(e, errno, "/proc/self: %s", strerror(errno));
	return 0;
}

/**
 * set_up_rootfs() - the command's own root, its binds, and its read-only root
 * @c: the context
 * @e: receives the message on error
 *
 * Messages of the root's own steps name --rootfs, those of the binds their
 * option, that of the last step --ro-root. Return: 0, or -1 with @e filled.
 */
static int set_up_rootfs(const struct fs_ctx *c, struct nsu_err *e)
{
	const struct nsu_fs_setup *s = c->s;
	_cleanup_close_ int root = -1;
	_cleanup_close_ int old = -1;
	_cleanup_free_ int *ids = NULL;
	char link[FD_LINK_MAX];
	int root_id = -1;
	size_t n_ids = 0;

	root = open_new_root(c->root, e);
	if (root < 0)
		return nsu_err_wrap(e, "--rootfs %s", s->rootfs);
	/* --ro-root: the new root and the mounts it brought, not what is added to it. */
	if (s->ro_root) {
		root_id = mount_id(c, root);
		if (root_id < 0)
			return nsu_fail(e, errno, "--ro-root: finding the new root's mount: %s",
					strerror(errno));
		if (subtree_ids(c, root_id, &ids, &n_ids, e) < 0)
			return nsu_err_wrap(e, "--ro-root");
	}
	if (set_up_proc(c, root, e) < 0 || set_up_sys(c, root, e) < 0 || set_up_dev(root, e) < 0 ||
	    pivot(c, root, &old, e) < 0)
		return nsu_err_wrap(e, "--rootfs %s", s->rootfs);
	/* The binds' sources are in the old root, which must still be there. */
	if (apply_ops(c, e) < 0)
		return -1;
	if (umount2(fd_link(link, old), MNT_DETACH) < 0)
		return nsu_fail(e, errno, "--rootfs %s: detaching the old root: %s", s->rootfs,
				strerror(errno));
	if (s->ro_root && remount_all_ro(c, ids, n_ids, root_id, "/", e) < 0)
		return nsu_err_wrap(e, "--ro-root");
	if (chdir("/") < 0)
		return nsu_fail(e, errno, "--rootfs %s: entering /: %s", s->rootfs,
				strerror(errno));
	return 0;
}

/* Without a root of its own: the binds and tmpfs mounts, then the new /proc. */
static int set_up_in_place(const struct fs_ctx *c, struct nsu_err *e)
{
	if (apply_ops(c, e) < 0)
		return -1;
	if (c->s->proc_fresh && mount_fresh_proc(c, "/proc", "/proc", e) < 0)
		return nsu_err_wrap(e, "--mount-proc");
	return 0;
}

/* @path, made absolute from the working directory (malloc()ed); NULL with errno set. */
static char *absolute(const char *path)
{
	_cleanup_free_ char *cwd = NULL;
	char *abs;

	if (path[0] == '/')
		return strdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd || asprintf(&abs, "%s/%s", cwd, path) < 0)
		return NULL;
	return abs;
}

static void ctx_free(struct fs_ctx *c)
{
	for (size_t i = 0; c->src && i < c->s->n_ops; i++)
		nsu_closep(&c->src[i]);
	free(c->src);
	free(c->root);
	nsu_closep(&c->self_fd);
}

int nsu_fs_setup(const struct nsu_fs_setup *s, struct nsu_err *e)
{
	struct fs_ctx c __attribute__((cleanup(ctx_free))) = { .s = s, .self_fd = -1 };
	_cleanup_close_ int cwd = -1;
	int r;

	if (s->ro_root && !s->rootfs)
		return nsu_fail(e, EINVAL, "--ro-root needs --rootfs");
	if (!s->rootfs && !s->n_ops)
		return s->proc_fresh ? set_up_in_place(&c, e) : 0;
	c.self_fd = open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c.self_fd < 0)
		return nsu_fail(e, errno, "opening /proc/self: %s (the filesystem options need "
				"/proc mounted)", strerror(errno));
	if (open_sources(&c, e) < 0)
		return -1;
	if (s->rootfs) {
		c.root = absolute(s->rootfs);
		if (!c.root)
			return nsu_fail(e, errno, "--rootfs %s: %s", s->rootfs, strerror(errno));
	}
	if (!s->rootfs) {
		cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cwd < 0)
			return nsu_fail(e, errno, "opening the working directory: %s",
					strerror(errno));
	}
	/* "fd/N" names descriptor N's magic link from here on. */
	if (fchdir(c.self_fd) < 0)
		return nsu_fail(e, errno, "/proc/self: %s", strerror(errno));
	if (s->rootfs)
		return set_up_rootfs(&c, e);
	r = set_up_in_place(&c, e);
	if (fchdir(cwd) < 0 && r == 0)
		return nsu_fail(e, errno, "returning to the working directory: %s",
				strerror(errno));
	return r;
}
