/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of trust.c: the judgement on a stat, then nsu_path_trusted() on
 * files, directories and links made for the purpose under /tmp. As root,
 * "somebody else's" files are chown'ed to another uid; as anybody else, the
 * test's own files are somebody else's to a caller of another uid.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "trust.h"

static struct stat mkst(mode_t mode, uid_t owner)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_mode = mode;
	st.st_uid = owner;
	return st;
}

static void test_judgement(void)
{
	static const struct {
		mode_t mode;
		uid_t owner, caller;
		enum nsu_trust file, dir;
		const char *name;
	} cases[] = {
		{ S_IFREG | 0644, 1000, 1000, NSU_TRUST_OK, NSU_TRUST_TYPE, "own 0644" },
		{ S_IFREG | 0755, 0, 1000, NSU_TRUST_OK, NSU_TRUST_TYPE, "root's 0755" },
		{ S_IFREG | 04755, 0, 1000, NSU_TRUST_OK, NSU_TRUST_TYPE, "root's setuid" },
		{ S_IFREG | 0600, 0, 0, NSU_TRUST_OK, NSU_TRUST_TYPE, "root's, root calling" },
		{ S_IFREG | 0644, 1001, 1000, NSU_TRUST_OWNER, NSU_TRUST_TYPE, "another user's" },
		{ S_IFREG | 0644, 1000, 0, NSU_TRUST_OWNER, NSU_TRUST_TYPE, "a user's, root calling" },
		{ S_IFREG | 0664, 1001, 1000, NSU_TRUST_OWNER, NSU_TRUST_TYPE,
		  "another user's and writable: the owner first" },
		{ S_IFREG | 0664, 1000, 1000, NSU_TRUST_WRITABLE, NSU_TRUST_TYPE, "group-writable" },
		{ S_IFREG | 0646, 0, 0, NSU_TRUST_WRITABLE, NSU_TRUST_TYPE, "other-writable" },
		{ S_IFREG | 01666, 0, 0, NSU_TRUST_WRITABLE, NSU_TRUST_TYPE,
		  "sticky does not help a file" },
		{ S_IFIFO | 0644, 1000, 1000, NSU_TRUST_TYPE, NSU_TRUST_TYPE, "FIFO" },
		{ S_IFCHR | 0666, 0, 1000, NSU_TRUST_TYPE, NSU_TRUST_TYPE, "character device" },
		{ S_IFLNK | 0777, 1000, 1000, NSU_TRUST_TYPE, NSU_TRUST_TYPE, "symbolic link" },
		{ S_IFDIR | 0755, 0, 1000, NSU_TRUST_TYPE, NSU_TRUST_OK, "root's directory" },
		{ S_IFDIR | 0700, 1000, 1000, NSU_TRUST_TYPE, NSU_TRUST_OK, "own directory" },
		{ S_IFDIR | 01777, 0, 1000, NSU_TRUST_TYPE, NSU_TRUST_OK, "/tmp: sticky" },
		{ S_IFDIR | 01770, 1000, 1000, NSU_TRUST_TYPE, NSU_TRUST_OK, "sticky, group-writable" },
		{ S_IFDIR | 0777, 0, 1000, NSU_TRUST_TYPE, NSU_TRUST_WRITABLE, "world-writable directory" },
		{ S_IFDIR | 0775, 1000, 1000, NSU_TRUST_TYPE, NSU_TRUST_WRITABLE, "group-writable directory" },
		{ S_IFDIR | 01777, 1001, 1000, NSU_TRUST_TYPE, NSU_TRUST_OWNER,
		  "sticky directory of another user" },
		{ S_IFDIR | 0755, 1000, 0, NSU_TRUST_TYPE, NSU_TRUST_OWNER, "a user's directory, root calling" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stat st = mkst(cases[i].mode, cases[i].owner);

		is_int(nsu_trust_file(&st, cases[i].caller), cases[i].file, cases[i].name);
		is_int(nsu_trust_dir(&st, cases[i].caller), cases[i].dir, cases[i].name);
	}
	is_str(nsu_file_type_name(S_IFIFO | 0644), "a FIFO", "type name of a FIFO");
	is_str(nsu_file_type_name(S_IFDIR), "a directory", "type name of a directory");
	is_str(nsu_file_type_name(S_IFCHR), "a character device", "type name of a device");
}

static void test_describe_uid(void)
{
	char buf[300];
	uid_t none = (uid_t)4294967294U;

	nsu_describe_uid(0, buf, sizeof(buf));
	is_str(buf, "uid 0 (root)", "root by number and name");
	nsu_describe_uid(none, buf, sizeof(buf));
	if (!getpwuid(none))
		is_str(buf, "uid 4294967294", "a uid without a user: the number alone");
	else
		ok(strncmp(buf, "uid 4294967294 (", 16) == 0, "a uid with a user: number and name");
}

/* --- nsu_path_trusted() on real files ------------------------------------------ */

static char tmp[256];       /* /tmp, resolved: messages name resolved paths */
static char base[300];      /* our temporary directory: BASE below */
static uid_t caller;        /* who asks */
static uid_t foreign;       /* somebody else to the caller, never root */
static char foreign_desc[300];

static char *at(const char *rel)
{
	static char paths[8][PATH_MAX];
	static unsigned next;
	char *p = paths[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", base, rel);
	return p;
}

static void make_file(const char *path, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs("#!/bin/sh\n", f) < 0 || fclose(f) != 0 || chmod(path, mode) < 0) {
		printf("Bail out! cannot create %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, 0700) < 0 || chmod(path, mode) < 0) {
		printf("Bail out! cannot create %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void make_link(const char *target, const char *path)
{
	if (symlink(target, path) < 0) {
		printf("Bail out! cannot create %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Make @path somebody else's (as root; otherwise it already is, to the caller). */
static void make_foreign(const char *path)
{
	if (geteuid() == 0 && lchown(path, foreign, (gid_t)-1) < 0) {
		printf("Bail out! cannot chown %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* nsu_path_trusted(@path) fails with exactly @want. */
static void refused(const char *path, uid_t uid, const char *want, const char *name)
{
	struct nsu_err e = { 0 };

	is_int(nsu_path_trusted(path, uid, &e), -1, name);
	is_str(e.msg, want, name);
}

static void accepted(const char *path, uid_t uid, const char *name)
{
	struct nsu_err e = { 0 };

	if (!tap_ok(nsu_path_trusted(path, uid, &e) == 0, "%s", name))
		printf("#   %s\n", e.msg);
}

/*
 * A path through a directory others may write: refused with @want for root,
 * whom nobody else may hand a program; accepted for anyone else.
 */
static void refused_for_root(const char *path, uid_t uid, const char *want, const char *name)
{
	if (uid == 0)
		refused(path, uid, want, name);
	else
		accepted(path, uid, name);
}

/* The test's own files, checked for itself. */
static void test_paths(void)
{
	char want[2 * PATH_MAX];
	uid_t me = geteuid();

	make_file(at("prog"), 0755);
	accepted(at("prog"), me, "a program of the caller in a directory of the caller");
	accepted("/bin/sh", me, "/bin/sh (a symbolic link on some systems)");

	make_file(at("gw"), 0775);
	snprintf(want, sizeof(want), "%s is writable by group or others (chmod go-w %s)",
		 at("gw"), at("gw"));
	refused(at("gw"), me, want, "a group-writable program");
	make_file(at("ow"), 0757);
	snprintf(want, sizeof(want), "%s is writable by group or others (chmod go-w %s)",
		 at("ow"), at("ow"));
	refused(at("ow"), me, want, "an other-writable program");

	make_dir(at("dir"), 0755);
	snprintf(want, sizeof(want), "%s is a directory, not a regular file", at("dir"));
	refused(at("dir"), me, want, "a directory");
	if (mkfifo(at("fifo"), 0644) == 0) {
		snprintf(want, sizeof(want), "%s is a FIFO, not a regular file", at("fifo"));
		refused(at("fifo"), me, want, "a FIFO");
	} else {
		ok(0, "mkfifo: %s", strerror(errno));
	}
	refused("/", me, "/ is a directory, not a regular file", "/");
	snprintf(want, sizeof(want), "cannot check %s: No such file or directory", at("none"));
	refused(at("none"), me, want, "a missing program");
	snprintf(want, sizeof(want), "cannot check %s: Not a directory", at("prog"));
	refused(at("prog/x"), me, want, "a program taken for a directory");
	refused(at("prog/"), me, want, "a trailing slash after a program");
	refused("bin/sh", me, "bin/sh is not an absolute path", "a relative path");

	/* Directories: whoever may write one decides what its names are. */
	make_dir(at("ww"), 0777);
	make_file(at("ww/prog"), 0755);
	snprintf(want, sizeof(want), "directory %s is writable by group or others, so its entries "
		 "can be replaced (chmod go-w %s, or move the program out of it)", at("ww"), at("ww"));
	refused_for_root(at("ww/prog"), me, want, "a program in a world-writable directory");
	if (me == 0)
		accepted(at("ww/prog"), 4242, "the same, for a caller who is not root");
	make_dir(at("gwd"), 0770);
	make_file(at("gwd/prog"), 0755);
	ok((nsu_path_trusted(at("gwd/prog"), me, &(struct nsu_err){ 0 }) == -1) == (me == 0),
	   "a program in a group-writable directory (refused for root only)");
	make_dir(at("sticky"), 01777);
	make_file(at("sticky/prog"), 0755);
	accepted(at("sticky/prog"), me, "a program in a sticky world-writable directory");
	accepted(at("ww/../prog"), me, ".. out of a world-writable directory: its parent");
	accepted(at("./sticky//prog"), me, ". and doubled slashes");

	/* Symbolic links: followed, and where each one lies is checked too. */
	make_link("prog", at("rel-link"));
	accepted(at("rel-link"), me, "a relative link to a good program");
	make_link(at("prog"), at("abs-link"));
	accepted(at("abs-link"), me, "an absolute link to a good program");
	make_link("rel-link", at("link-link"));
	accepted(at("link-link"), me, "a link to a link");
	make_link("gw", at("bad-link"));
	snprintf(want, sizeof(want), "%s is writable by group or others (chmod go-w %s)",
		 at("gw"), at("gw"));
	refused(at("bad-link"), me, want, "a link to a writable program names the program");
	make_link("../prog", at("ww/link"));
	snprintf(want, sizeof(want), "directory %s is writable by group or others, so its entries "
		 "can be replaced (chmod go-w %s, or move the program out of it)", at("ww"), at("ww"));
	refused_for_root(at("ww/link"), me, want,
			 "a link in a world-writable directory, even to a good program");
	make_link("ww", at("dir-link"));
	refused_for_root(at("dir-link/prog"), me, want, "a link to a world-writable directory");
	make_link(base, at("ww/up"));
	refused_for_root(at("ww/up/prog"), me, want, "a way through a world-writable directory");
	make_link("loop-b", at("loop-a"));
	make_link("loop-a", at("loop-b"));
	snprintf(want, sizeof(want), "cannot check %s: Too many levels of symbolic links",
		 at("loop-a"));
	refused(at("loop-a"), me, want, "a loop of links");
	make_link("none", at("dangling"));
	snprintf(want, sizeof(want), "cannot check %s: No such file or directory", at("none"));
	refused(at("dangling"), me, want, "a dangling link names what is missing");
}

/* Files somebody else owns; /tmp (root's, sticky) is their directory. */
static void test_owners(void)
{
	char want[2 * PATH_MAX];
	char file[PATH_MAX], dir[PATH_MAX], link[PATH_MAX], inner[PATH_MAX + 8];
	const char *whom = caller == 0 ? "root" : "you or root";
	int fd;

	snprintf(file, sizeof(file), "%s/nsu-trust-file.XXXXXX", tmp);
	snprintf(dir, sizeof(dir), "%s/nsu-trust-dir.XXXXXX", tmp);
	snprintf(link, sizeof(link), "%s/nsu-trust-link.XXXXXX", tmp);
	fd = mkstemp(file);

	if (fd < 0 || fchmod(fd, 0755) < 0 || close(fd) < 0 || !mkdtemp(dir) || chmod(dir, 0755) < 0) {
		printf("Bail out! cannot create files in /tmp: %s\n", strerror(errno));
		exit(1);
	}
	snprintf(inner, sizeof(inner), "%s/prog", dir);
	make_file(inner, 0755);
	/* A unique name for the link: create a file, then replace it. */
	fd = mkstemp(link);
	if (fd < 0 || close(fd) < 0 || unlink(link) < 0 || symlink("/bin/sh", link) < 0) {
		printf("Bail out! cannot create a link in /tmp: %s\n", strerror(errno));
		exit(1);
	}
	make_foreign(file);
	make_foreign(dir);
	make_foreign(link);

	snprintf(want, sizeof(want), "%s is owned by %s, not by %s (use a program owned by %s)",
		 file, foreign_desc, whom, whom);
	refused(file, caller, want, "a program of somebody else");
	if (caller == 0)
		snprintf(want, sizeof(want), "directory %s is owned by %s, not by %s, so its "
			 "entries can be replaced (move the program out of it)", dir, foreign_desc,
			 whom);
	else
		snprintf(want, sizeof(want), "%s is owned by %s, not by %s (use a program owned "
			 "by %s)", inner, foreign_desc, whom, whom);
	refused(inner, caller, want, "a program in a directory of somebody else");
	snprintf(want, sizeof(want), "symbolic link %s is owned by %s, not by %s (name its target "
		 "instead)", link, foreign_desc, whom);
	refused(link, caller, want, "a link of somebody else, even to /bin/sh");

	/* The same files are fine for their owner. */
	accepted(file, foreign, "a program of the caller");
	accepted(link, foreign, "a link of the caller to /bin/sh");
	accepted(inner, foreign, "a program in a directory of the caller");

	unlink(file);
	unlink(link);
	unlink(inner);
	rmdir(dir);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	test_judgement();
	test_describe_uid();

	{
		char resolved[PATH_MAX];

		if (!realpath("/tmp", resolved) || strlen(resolved) >= sizeof(tmp)) {
			printf("Bail out! /tmp: %s\n", strerror(errno));
			return 1;
		}
		memcpy(tmp, resolved, strlen(resolved) + 1);
	}
	snprintf(base, sizeof(base), "%s/nsu-trust.XXXXXX", tmp);
	if (!mkdtemp(base)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_paths();
	nftw(base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	/* Root: chown to another uid. Anybody else: ask as another uid. */
	if (geteuid() == 0) {
		caller = 0;
		foreign = 4242;
	} else {
		caller = geteuid() + 1;
		foreign = geteuid();
	}
	nsu_describe_uid(foreign, foreign_desc, sizeof(foreign_desc));
	test_owners();
	return tap_done();
}
