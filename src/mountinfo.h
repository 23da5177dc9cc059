/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * This process's mount table, from /proc/self/mountinfo: the mounts' ids,
 * parents and mount points, and what the filesystem setup asks of them
 * (the mounts of a tree, the flags a remount must keep). Parsing and the
 * tree walk are pure, for the unit tests.
 */
#ifndef NSU_MOUNTINFO_H
#define NSU_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "log.h"

/* Older C libraries lack these (Linux 5.10). */
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

/* One line of /proc/self/mountinfo: what nsu needs of it. */
struct nsu_mount {
	int id, parent;
	char *path;    /* the mount point, as this process sees it */
};

struct nsu_mount_table {
	struct nsu_mount *v;
	size_t n;
	char **lines;  /* the lines the paths point into */
};

/* Parse one line in place (@m->path points into it). Return: 0, or -1 if malformed. */
int nsu_mountinfo_parse_line(char *line, struct nsu_mount *m);

/*
 * Read the mount table, from @self_fd's "mountinfo" (an O_PATH descriptor of
 * /proc/self), or /proc/self/mountinfo when @self_fd is -1. Malformed lines
 * are skipped. Return: 0, or -1 with @e filled.
 */
int nsu_mount_table_read(int self_fd, struct nsu_mount_table *t, struct nsu_err *e);

void nsu_mount_table_free(struct nsu_mount_table *t);

/* The entry with mount id @id, or NULL. */
const struct nsu_mount *nsu_mount_find(const struct nsu_mount_table *t, int id);

/*
 * Mark in @in (one flag per entry of @t) the mount @top and every mount
 * under it, following the parent ids. Return: how many were marked.
 */
size_t nsu_mount_subtree(const struct nsu_mount_table *t, int top, bool *in);

/*
 * The per-mount flags in statvfs()'s f_flag (nosuid, nodev, noexec, the
 * atime flags, nosymfollow) as mount() takes them: what a remount must
 * give again, since the kernel refuses to clear those it locked.
 */
unsigned long nsu_mount_kept_flags(unsigned long st_flags);

/*
 * @path for a message, its start @top_path shown as @top_name
 * ("/srv/r/sys/fs/cgroup" under "/srv/r/sys" shown as "/sys" gives
 * "/sys/fs/cgroup").
 */
void nsu_mount_display_path(char *buf, size_t len, const char *path, const char *top_path,
			    const char *top_name);

#endif
