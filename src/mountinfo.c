/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "mountinfo.h"
#include "util.h"

/*
 * Decode mountinfo's escapes (\040 for a space, \011, \012, \134) in place.
 * Return: 0, or -1 if @s holds a malformed one.
 */
static int unescape_octal(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		if (r[1] < '0' || r[1] > '3' || r[2] < '0' || r[2] > '7' || r[3] < '0' ||
		    r[3] > '7')
			return -1;
		*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
		r += 3;
		if (w[-1] == '\0')
			return -1;
	}
	*w = '\0';
	return 0;
}

/**
 * nsu_mountinfo_parse_line() - the ids and mount point of one mountinfo line
 * @line: "ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS ...", changed in place
 * @m: receives the ids and the mount point, which points into @line
 *
 * Return: 0, or -1 for a line that does not have that form.
 */
int nsu_mountinfo_parse_line(char *line, struct nsu_mount *m)
{
	char *field[5], *save = NULL, *tok = line;
	char *end;
	long v[2];

	for (int i = 0; i < 5; i++) {
		field[i] = strtok_r(tok, " \n", &save);
		tok = NULL;
		if (!field[i])
			return -1;
	}
	for (int i = 0; i < 2; i++) {
		errno = 0;
		v[i] = strtol(field[i], &end, 10);
		if (errno || *end || end == field[i] || v[i] < 0 || v[i] > 0x7fffffff)
			return -1;
	}
	if (field[4][0] != '/' || unescape_octal(field[4]) < 0)
		return -1;
	m->id = (int)v[0];
	m->parent = (int)v[1];
	m->path = field[4];
	return 0;
}

void nsu_mount_table_free(struct nsu_mount_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->lines[i]);
	free(t->lines);
	free(t->v);
	*t = (struct nsu_mount_table){ 0 };
}

/* Add @line (taken) to @t. Return: 0, or -1 when out of memory (@line freed). */
static int table_add(struct nsu_mount_table *t, char *line, const struct nsu_mount *m)
{
	struct nsu_mount *v = realloc(t->v, (t->n + 1) * sizeof(*v));
	char **lines;

	if (v)
		t->v = v;
	lines = v ? realloc(t->lines, (t->n + 1) * sizeof(*lines)) : NULL;
	if (!lines) {
		free(line);
		return -1;
	}
	t->lines = lines;
	t->v[t->n] = *m;
	t->lines[t->n++] = line;
	return 0;
}

/* Read this process's mount table. Return: 0, or -1 with @e filled. */
int nsu_mount_table_read(int self_fd, struct nsu_mount_table *t, struct nsu_err *e)
{
	int fd = self_fd >= 0 ? openat(self_fd, "mountinfo", O_RDONLY | O_CLOEXEC)
				 : open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	FILE *f;

	*t = (struct nsu_mount_table){ 0 };
	if (fd < 0 || !(f = fdopen(fd, "r"))) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return nsu_fail(e, err, "reading /proc/self/mountinfo: %s", strerror(err));
	}
	while (getline(&line, &cap, f) > 0) {
		struct nsu_mount m;

		if (nsu_mountinfo_parse_line(line, &m) < 0)
			continue;
		if (table_add(t, steal_pointer(&line), &m) < 0) {
			fclose(f);
			nsu_mount_table_free(t);
			return nsu_fail(e, ENOMEM, "reading /proc/self/mountinfo: %s",
					strerror(ENOMEM));
		}
		cap = 0;
	}
	fclose(f);
	return 0;
}

/*
 * Mark in @in (one flag per entry of @t) the mount @top and every mount
 * under it, following the parent ids. Return: how many were marked.
 */
size_t nsu_mount_subtree(const struct nsu_mount_table *t, int top, bool *in)
{
	size_t marked = 0;
	bool grew = true;

	for (size_t i = 0; i < t->n; i++) {
		in[i] = t->v[i].id == top;
		marked += in[i];
	}
	/* Mount ids are not ordered parents first: repeat until nothing is added. */
	while (grew) {
		grew = false;
		for (size_t i = 0; i < t->n; i++) {
			if (in[i])
				continue;
			for (size_t j = 0; j < t->n; j++) {
				if (in[j] && t->v[j].id == t->v[i].parent) {
					in[i] = grew = true;
					marked++;
					break;
				}
			}
		}
	}
	return marked;
}

/* The per-mount flags of statvfs()'s @st, as mount() takes them. */
unsigned long nsu_mount_kept_flags(unsigned long st)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_NOSUID, MS_NOSUID },       { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC },       { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
		{ ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
	};
	unsigned long ms = 0;

	for (size_t i = 0; i < NSU_ARRAY_SIZE(map); i++)
		if (st & map[i].st)
			ms |= map[i].ms;
	return ms;
}

/* @path shown under @top_name instead of @top_path (its start), for messages. */
void nsu_mount_display_path(char *buf, size_t len, const char *path, const char *top_path,
			 const char *top_name)
{
	size_t n = strlen(top_path);

	if (strcmp(top_path, "/") != 0 && strncmp(path, top_path, n) == 0 &&
	    (path[n] == '/' || path[n] == '\0'))
		snprintf(buf, len, "%s%s", strcmp(top_name, "/") ? top_name : "", path + n);
	else
		snprintf(buf, len, "%s", path);
}

/* The entry of @t with mount id @id, or NULL. */
const struct nsu_mount *nsu_mount_find(const struct nsu_mount_table *t, int id)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return &t->v[i];
	return NULL;
}

