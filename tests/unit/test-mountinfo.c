/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the mount table: the mountinfo line parser, the mounts of
 * a tree, the flags a remount keeps, the paths in messages.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "mountinfo.h"
#include "tap.h"
#include "util.h"

static void test_parse(void)
{
	static const struct {
		const char *line;
		int r, id, parent;
		const char *path;
	} t[] = {
		{ "22 27 0:21 / /proc rw,relatime - proc proc rw\n", 0, 22, 27, "/proc" },
		{ "84 63 254:0 /tmp/r / rw - ext4 /dev/vda rw", 0, 84, 63, "/" },
		{ "1 2 0:1 / /a\\040b\\011c\\012d\\134e rw - tmpfs x rw", 0, 1, 2, "/a b\tc\nd\\e" },
		{ "1 2 0:1 / /deleted\\040(deleted) rw - tmpfs x rw", 0, 1, 2, "/deleted (deleted)" },
		{ "", -1, 0, 0, NULL },
		{ "1 2 0:1 /", -1, 0, 0, NULL },                      /* too few fields */
		{ "x 2 0:1 / /a rw", -1, 0, 0, NULL },                /* id not a number */
		{ "1 2x 0:1 / /a rw", -1, 0, 0, NULL },               /* trailing junk */
		{ "-1 2 0:1 / /a rw", -1, 0, 0, NULL },               /* negative */
		{ "1 99999999999 0:1 / /a rw", -1, 0, 0, NULL },      /* out of range */
		{ "1 2 0:1 / a rw", -1, 0, 0, NULL },                 /* relative path */
		{ "1 2 0:1 / /a\\04 rw", -1, 0, 0, NULL },            /* short escape */
		{ "1 2 0:1 / /a\\400 rw", -1, 0, 0, NULL },           /* escape past 255 */
		{ "1 2 0:1 / /a\\000b rw", -1, 0, 0, NULL },          /* a NUL in the path */
		{ "1 2 0:1 / /a\\ rw", -1, 0, 0, NULL },              /* lone backslash */
	};

	for (size_t i = 0; i < NSU_ARRAY_SIZE(t); i++) {
		char *line = strdup(t[i].line), what[160];
		struct nsu_mount m = { 0 };
		int r = nsu_mountinfo_parse_line(line, &m);

		snprintf(what, sizeof(what), "nsu_mountinfo_parse_line case %zu", i);
		ok(r == t[i].r && (r < 0 || (m.id == t[i].id && m.parent == t[i].parent &&
					     strcmp(m.path, t[i].path) == 0)), "%s", what);
		free(line);
	}
}

static void test_subtree(void)
{
	/* 1 is the root; 2 under 1; 3, 4 under 2; 5 under 4 but listed first; 6 elsewhere. */
	struct nsu_mount v[] = {
		{ 5, 4, "/a/b/c" }, { 1, 0, "/" }, { 2, 1, "/a" }, { 3, 2, "/a/x" },
		{ 4, 2, "/a/b" },   { 6, 9, "/z" }, { 7, 7, "/self" },
	};
	struct nsu_mount_table t = { .v = v, .n = NSU_ARRAY_SIZE(v) };
	bool in[NSU_ARRAY_SIZE(v)];

	ok(nsu_mount_subtree(&t, 2, in) == 4 && in[0] && !in[1] && in[2] && in[3] && in[4] && !in[5] &&
	   !in[6], "nsu_mount_subtree: children listed before their parent are found");
	ok(nsu_mount_subtree(&t, 1, in) == 5 && in[1] && !in[5], "nsu_mount_subtree: from the root");
	ok(nsu_mount_subtree(&t, 42, in) == 0, "nsu_mount_subtree: an unknown top marks nothing");
	ok(nsu_mount_subtree(&t, 7, in) == 1 && in[6], "nsu_mount_subtree: a mount that is its own parent");
}

static void test_flags(void)
{
	ok(nsu_mount_kept_flags(ST_RDONLY | ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_RELATIME) ==
	   (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME),
	   "nsu_mount_kept_flags: nosuid, nodev, noexec, relatime (ro is the caller's)");
	ok(nsu_mount_kept_flags(ST_NOATIME | ST_NODIRATIME) == (MS_NOATIME | MS_NODIRATIME),
	   "nsu_mount_kept_flags: noatime, nodiratime");
	ok(nsu_mount_kept_flags(ST_SYNCHRONOUS | ST_MANDLOCK) == 0,
	   "nsu_mount_kept_flags: superblock flags are not per-mount flags");
	ok(nsu_mount_kept_flags(ST_NOSYMFOLLOW) == MS_NOSYMFOLLOW, "nsu_mount_kept_flags: nosymfollow");
}

static void test_display(void)
{
	char b[64];

	nsu_mount_display_path(b, sizeof(b), "/srv/r/sys/fs/cgroup", "/srv/r/sys", "/sys");
	ok(strcmp(b, "/sys/fs/cgroup") == 0, "nsu_mount_display_path: under the top");
	nsu_mount_display_path(b, sizeof(b), "/srv/r/sysx", "/srv/r/sys", "/sys");
	ok(strcmp(b, "/srv/r/sysx") == 0, "nsu_mount_display_path: a sibling with the same start");
	nsu_mount_display_path(b, sizeof(b), "/mnt", "/", "/");
	ok(strcmp(b, "/mnt") == 0, "nsu_mount_display_path: under the root");
}

static void test_find(void)
{
	struct nsu_mount v[] = { { 5, 4, "/a" }, { 1, 0, "/" } };
	struct nsu_mount_table t = { .v = v, .n = NSU_ARRAY_SIZE(v) };

	ok(nsu_mount_find(&t, 1) == &v[1], "nsu_mount_find: by id");
	ok(nsu_mount_find(&t, 4) == NULL, "nsu_mount_find: a parent id is not an id");
}

static void test_read(void)
{
	struct nsu_mount_table t;
	struct nsu_err e;
	bool root = false;

	/* This process's own table: it has a root mount, which is its own top. */
	is_int(nsu_mount_table_read(-1, &t, &e), 0, "nsu_mount_table_read: /proc/self/mountinfo");
	for (size_t i = 0; i < t.n; i++)
		root |= strcmp(t.v[i].path, "/") == 0;
	ok(t.n > 0 && root, "... lists the root mount");
	nsu_mount_table_free(&t);
	ok(t.n == 0 && t.v == NULL, "... and is empty after nsu_mount_table_free");
}

int main(void)
{
	test_parse();
	test_subtree();
	test_flags();
	test_display();
	test_find();
	test_read();
	return tap_done();
}
