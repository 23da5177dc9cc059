/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the configuration parser, with hostile input. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "tap.h"

/*
 * Linked with -Wl,--wrap=malloc: every malloc() of this test and of the code
 * under test comes here. fail_malloc = N makes the Nth call from now fail.
 */
void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size);
static unsigned fail_malloc;

void *__wrap_malloc(size_t size)
{
	if (fail_malloc && --fail_malloc == 0) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_malloc(size);
}

static char warnings[2048];

static void collect(void *ctx, const char *msg)
{
	size_t off = strlen(warnings);

	(void)ctx;
	snprintf(warnings + off, sizeof(warnings) - off, "%s|", msg);
}

static int parse(struct nsu_config *c, const char *text, struct nsu_err *e)
{
	warnings[0] = '\0';
	nsu_config_defaults(c);
	return nsu_config_parse(c, text, "t.conf", collect, NULL, e);
}

static void test_values(void)
{
	struct nsu_config c;
	struct nsu_err e;

	nsu_config_defaults(&c);
	is_int(c.mode, NSU_MODE_AUTO, "default mode auto");
	ok(c.warn_fallback && c.containers_env, "defaults: warn, containers env");
	is_str(c.newuidmap, NSU_NEWUIDMAP, "default newuidmap");
	is_str(c.shell, "", "default shell: none");

	is_int(parse(&c, "", &e), 0, "empty file");
	is_int(parse(&c, "# comment\n; other comment\n\n", &e), 0, "comments only");
	is_int(parse(&c,
		     "[mapping]\n"
		     "mode = single\n"
		     "newuidmap = /opt/bin/newuidmap\n"
		     "newgidmap=/opt/bin/newgidmap\n"
		     "warn-fallback = no\n"
		     "[command]\n"
		     "containers-env = off\n"
		     "shell = /bin/zsh\n", &e), 0, "every key");
	is_int(c.mode, NSU_MODE_SINGLE, "mode single");
	is_str(c.newuidmap, "/opt/bin/newuidmap", "newuidmap");
	is_str(c.newgidmap, "/opt/bin/newgidmap", "newgidmap without spaces");
	ok(!c.warn_fallback, "warn-fallback no");
	ok(!c.containers_env, "containers-env off");
	is_str(c.shell, "/bin/zsh", "shell");
	is_str(warnings, "", "no warnings");

	parse(&c, "[mapping]\nmode = current-user\n", &e);
	is_int(c.mode, NSU_MODE_CURRENT_USER, "mode current-user");
	parse(&c, "[mapping]\nwarn-fallback = TRUE\n", &e);
	ok(c.warn_fallback, "booleans are case-insensitive");
	parse(&c, "[mapping]\nmode = single ; inline comment\n", &e);
	is_int(c.mode, NSU_MODE_SINGLE, "inline ; comment");
	is_int(parse(&c, "  [mapping]\n\tmode = single\n    warn-fallback = no\n", &e), 0,
	       "indented lines are settings");
	ok(c.mode == NSU_MODE_SINGLE && !c.warn_fallback, "... both applied");

	{
		/* Later files override earlier ones: parse twice into one config. */
		nsu_config_defaults(&c);
		nsu_config_parse(&c, "[mapping]\nmode = single\nwarn-fallback = no\n", "a", NULL, NULL, &e);
		nsu_config_parse(&c, "[mapping]\nmode = auto\n", "b", NULL, NULL, &e);
		is_int(c.mode, NSU_MODE_AUTO, "second file overrides");
		ok(!c.warn_fallback, "keys it does not set stay");
	}
}

static void test_warnings(void)
{
	struct nsu_config c;
	struct nsu_err e;

	is_int(parse(&c, "[mapping]\nmod = single\n", &e), 0, "unknown key is not an error");
	is_str(warnings, "t.conf:2: unknown key 'mod' in [mapping] ignored|", "... but a warning with file:line");
	is_int(parse(&c, "\n\n[extra]\nx = 1\ny = 2\n", &e), 0, "unknown section");
	is_str(warnings, "t.conf:4: unknown section [extra] (key 'x' ignored)|"
	       "t.conf:5: unknown section [extra] (key 'y' ignored)|", "one warning per key, lines right");
	is_int(parse(&c, "mode = single\n", &e), 0, "key outside any section");
	is_str(warnings, "t.conf:1: unknown section [] (key 'mode' ignored)|", "named");
}

static void test_errors(void)
{
	struct nsu_config c;
	struct nsu_err e;

	is_int(parse(&c, "[mapping]\nthis is not a setting\n", &e), -1, "malformed line");
	is_str(e.msg, "t.conf:2: malformed line: expected [section], key = value, or a comment "
	       "starting with # or ;", "names file:line");
	is_int(parse(&c, "[mapping\nmode=auto\n", &e), -1, "unclosed section");
	ok(strncmp(e.msg, "t.conf:1: ", 10) == 0, "names line 1");
	is_int(parse(&c, "[mapping]\nmode = root\n", &e), -1, "bad mode");
	is_str(e.msg, "t.conf:2: mode must be auto, single or current-user, not 'root'", "message");
	is_int(parse(&c, "[mapping]\n\nwarn-fallback = maybe\n", &e), -1, "bad boolean");
	is_str(e.msg, "t.conf:3: warn-fallback must be yes or no, not 'maybe'", "message");
	is_int(parse(&c, "[mapping]\nnewuidmap = newuidmap\n", &e), -1, "relative helper path");
	is_str(e.msg, "t.conf:2: newuidmap must be an absolute path, not 'newuidmap'", "message");
	is_int(parse(&c, "[command]\nshell = \n", &e), -1, "empty shell");
	is_int(parse(&c, "[command]\ncontainers-env =\n", &e), -1, "empty boolean");
	{
		char big[8192];
		memcpy(big, "[mapping]\nnewuidmap = /", 23);
		memset(big + 23, 'a', sizeof(big) - 25);
		big[sizeof(big) - 2] = '\n';
		big[sizeof(big) - 1] = '\0';
		is_int(parse(&c, big, &e), -1, "over-long line refused, not split");
		is_str(c.newuidmap, NSU_NEWUIDMAP, "... and nothing of it applied");
	}
	{
		char big[600];
		memcpy(big, "# ", 2);
		memset(big + 2, 'c', sizeof(big) - 20);
		memcpy(big + sizeof(big) - 18, "\n[mapping]\nmode=", 17);
		big[sizeof(big) - 1] = '\0';
		is_int(parse(&c, big, &e), -1, "a long comment line is fine (error only from the bad mode)");
		ok(strstr(e.msg, "t.conf:3: mode must be") != NULL, "... the error is on line 3");
	}
	is_int(parse(&c, "[mapping]\nmode = single\x01\n", &e), -1, "control byte refused");
	is_int(parse(&c, "[mapping]\nmode = auto\n  single\n", &e), -1,
	       "an indented word is no continuation of the value before");
	is_str(e.msg, "t.conf:3: malformed line: expected [section], key = value, or a comment "
	       "starting with # or ;", "... but a malformed line");
	is_int(parse(&c, "[mapping]\nmode = auto\nbad\nmode = single\n", &e), -1, "error in the middle");
	ok(strncmp(e.msg, "t.conf:3: ", 10) == 0, "first error's line");
}

static void test_paths(void)
{
	char *p[3];
	size_t n;

	n = nsu_config_paths("/etc/nsu.conf", NULL, "/home/a", NULL, p);
	is_int(n, 2, "system + user");
	is_str(p[0], "/etc/nsu.conf", "system first");
	is_str(p[1], "/home/a/.config/nsu/nsu.conf", "then ~/.config");
	for (size_t i = 0; i < n; i++)
		free(p[i]);

	n = nsu_config_paths("/etc/nsu.conf", "/x/cfg", "/home/a", "/tmp/my.conf", p);
	is_int(n, 3, "system + XDG + NSU_CONFIG");
	is_str(p[1], "/x/cfg/nsu/nsu.conf", "XDG_CONFIG_HOME wins over HOME");
	is_str(p[2], "/tmp/my.conf", "NSU_CONFIG last");
	for (size_t i = 0; i < n; i++)
		free(p[i]);

	n = nsu_config_paths("/etc/nsu.conf", "relative", "", "", p);
	is_int(n, 1, "relative XDG, empty HOME and NSU_CONFIG ignored");
	free(p[0]);
}

static void test_paths_out_of_memory(void)
{
	char *p[3];
	size_t n;

	/* Each of the three allocations fails in turn: no list, nothing left over. */
	for (unsigned k = 1; k <= 3; k++) {
		p[0] = p[1] = p[2] = (char *)"unset";
		fail_malloc = k;
		n = nsu_config_paths("/etc/nsu.conf", "/x/cfg", "/home/a", "/tmp/my.conf", p);
		fail_malloc = 0;
		is_int(n, 0, k == 1 ? "out of memory for the system file: 0 files" :
		       k == 2 ? "out of memory for the user file: 0 files, not a shorter list" :
		       "out of memory for NSU_CONFIG: 0 files, not a shorter list");
		ok(!p[0] && !p[1] && !p[2], "... and every entry freed and NULL");
	}
	fail_malloc = 2;
	n = nsu_config_paths("/etc/nsu.conf", NULL, "/home/a", NULL, p);
	fail_malloc = 0;
	is_int(n, 0, "out of memory for ~/.config's file: 0 files");
	n = nsu_config_paths("/etc/nsu.conf", NULL, "/home/a", NULL, p);
	is_int(n, 2, "with memory again: the files");
	for (size_t i = 0; i < n; i++)
		free(p[i]);
}

static void test_helper_timeout(void)
{
	static const char *const bad_values[] = {
		"0", "3601", "-5", "+5", "5s", "0x10", "1.5", "1e3", "4294967326",
		"99999999999999999999999999", "thirty",
	};
	struct nsu_config c;
	struct nsu_err e;
	char text[128], want[256];

	nsu_config_defaults(&c);
	is_int(c.helper_timeout, 30, "helper-timeout: 30 seconds by default");
	is_int(parse(&c, "[mapping]\nhelper-timeout = 1\n", &e), 0, "helper-timeout = 1");
	is_int(c.helper_timeout, 1, "... 1 second");
	is_int(parse(&c, "[mapping]\nhelper-timeout=3600\n", &e), 0, "helper-timeout = 3600");
	is_int(c.helper_timeout, 3600, "... the maximum");
	is_int(parse(&c, "[mapping]\nhelper-timeout = 045 ; seconds\n", &e), 0,
	       "leading zeros and a comment");
	is_int(c.helper_timeout, 45, "... decimal 45, not octal");
	is_str(warnings, "", "... no warning");
	for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		snprintf(text, sizeof(text), "[mapping]\n\nhelper-timeout = %s\n", bad_values[i]);
		snprintf(want, sizeof(want), "t.conf:3: helper-timeout must be a whole number of "
			 "seconds from 1 to 3600, not '%s'", bad_values[i]);
		is_int(parse(&c, text, &e), -1, bad_values[i]);
		is_str(e.msg, want, "... names FILE:LINE, the key, the range and the value");
		is_int(c.helper_timeout, 30, "... and the default stays");
	}
	is_int(parse(&c, "[mapping]\nhelper-timeout =\n", &e), -1, "an empty value");
	is_int(parse(&c, "[command]\nhelper-timeout = 5\n", &e), 0, "in [command]: unknown");
	is_str(warnings, "t.conf:2: unknown key 'helper-timeout' in [command] ignored|", "... a warning");
}

static void test_shell_origin(void)
{
	struct nsu_config c;
	struct nsu_err e;

	nsu_config_defaults(&c);
	is_str(c.shell_origin, "", "no shell set: no origin");
	is_int(parse(&c, "[command]\n\nshell = /bin/zsh\n", &e), 0, "shell set");
	is_str(c.shell_origin, "t.conf:3", "... its origin is FILE:LINE");
	parse(&c, "[mapping]\nnewuidmap = /opt/newuidmap\n", &e);
	is_str(c.shell_origin, "", "newuidmap does not set the shell's origin");
	is_str(c.newuidmap_origin, "t.conf:2", "... but its own");
}

static void test_namespaces(void)
{
	static const struct {
		const char *key;
		int flag;
	} ns[] = {
		{ "pid", CLONE_NEWPID }, { "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC },
		{ "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
	};
	struct nsu_config c;
	struct nsu_err e;
	char text[128], want[256];

	nsu_config_defaults(&c);
	ok(c.ns == 0 && !c.mount_proc, "[namespaces]: none by default, no mount-proc");
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		snprintf(text, sizeof(text), "[namespaces]\n%s = yes\n", ns[i].key);
		is_int(parse(&c, text, &e), 0, ns[i].key);
		is_int(c.ns, ns[i].flag, "... that namespace's flag alone");
		ok(!c.mount_proc, "... and no mount-proc");
		is_str(warnings, "", "... no warning");

		snprintf(text, sizeof(text), "[namespaces]\n%s = yes\n%s = no\n", ns[i].key,
			 ns[i].key);
		is_int(parse(&c, text, &e), 0, "yes, then no");
		is_int(c.ns, 0, "... the last one counts");

		snprintf(text, sizeof(text), "[namespaces]\n\n%s = maybe\n", ns[i].key);
		snprintf(want, sizeof(want), "t.conf:3: %s must be yes or no, not 'maybe'", ns[i].key);
		is_int(parse(&c, text, &e), -1, "not a yes/no value");
		is_str(e.msg, want, "... names FILE:LINE, the key and the value");
		is_int(c.ns, 0, "... and nothing set");
	}
	is_int(parse(&c, "[namespaces]\npid = yes\nuts=on\nipc = 1\nnet = TRUE\ncgroup = Yes\n"
		     "mount-proc = yes\n", &e), 0, "every key, every spelling of yes");
	is_int(c.ns, CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP,
	       "... all five namespaces");
	ok(c.mount_proc, "... and mount-proc");

	is_int(parse(&c, "[namespaces]\nmount-proc = yes\n", &e), 0, "mount-proc alone");
	ok(c.mount_proc && c.ns == 0, "... is kept without a pid namespace (no error)");
	is_int(parse(&c, "[namespaces]\nmount-proc = off\n", &e), 0, "mount-proc = off");
	ok(!c.mount_proc, "... off");
	is_int(parse(&c, "[namespaces]\nmount-proc = \n", &e), -1, "mount-proc empty");
	is_str(e.msg, "t.conf:2: mount-proc must be yes or no, not ''", "... an error");

	{
		/* A later file turns off what an earlier one turned on, and only that. */
		nsu_config_defaults(&c);
		is_int(nsu_config_parse(&c, "[namespaces]\npid = yes\nnet = yes\nmount-proc = yes\n",
					"a", NULL, NULL, &e), 0, "first file: pid, net, mount-proc");
		is_int(nsu_config_parse(&c, "[namespaces]\nnet = no\n", "b", NULL, NULL, &e), 0,
		       "second file: net = no");
		is_int(c.ns, CLONE_NEWPID, "... net off, pid still on");
		ok(c.mount_proc, "... mount-proc still on");
		is_int(nsu_config_parse(&c, "[namespaces]\nuts = yes\n", "c", NULL, NULL, &e), 0,
		       "third file: uts");
		is_int(c.ns, CLONE_NEWPID | CLONE_NEWUTS, "... added to pid");
	}

	is_int(parse(&c, "[namespaces]\nuser = yes\nmnt = yes\ndie-with-parent = yes\n", &e), 0,
	       "keys [namespaces] does not know are not an error");
	is_str(warnings, "t.conf:2: unknown key 'user' in [namespaces] ignored|"
	       "t.conf:3: unknown key 'mnt' in [namespaces] ignored|"
	       "t.conf:4: unknown key 'die-with-parent' in [namespaces] ignored|",
	       "... but a warning each, with FILE:LINE");
	ok(c.ns == 0 && !c.die_with_parent, "... and nothing set");
	is_int(parse(&c, "[command]\npid = yes\n[mapping]\nnet = yes\n", &e), 0,
	       "namespace keys in other sections");
	is_str(warnings, "t.conf:2: unknown key 'pid' in [command] ignored|"
	       "t.conf:4: unknown key 'net' in [mapping] ignored|", "... are unknown keys there");
	is_int(c.ns, 0, "... and set nothing");
	is_int(parse(&c, "[Namespaces]\npid = yes\n", &e), 0, "section names are case-sensitive");
	is_str(warnings, "t.conf:2: unknown section [Namespaces] (key 'pid' ignored)|", "... a warning");
	is_int(parse(&c, "[namespaces]\nPID = yes\n", &e), 0, "keys are case-sensitive");
	is_str(warnings, "t.conf:2: unknown key 'PID' in [namespaces] ignored|", "... a warning");
}

static void test_command_flags(void)
{
	static const char *const keys[] = { "die-with-parent", "no-new-privs" };
	struct nsu_config c;
	struct nsu_err e;
	char text[128], want[256];

	nsu_config_defaults(&c);
	ok(!c.die_with_parent && !c.no_new_privs, "die-with-parent and no-new-privs: no by default");
	is_int(parse(&c, "[command]\ndie-with-parent = yes\n", &e), 0, "die-with-parent = yes");
	ok(c.die_with_parent && !c.no_new_privs, "... only die-with-parent");
	is_int(parse(&c, "[command]\nno-new-privs = on\n", &e), 0, "no-new-privs = on");
	ok(c.no_new_privs && !c.die_with_parent, "... only no-new-privs");
	is_str(warnings, "", "... no warning");
	is_int(parse(&c, "[command]\ndie-with-parent = 1\nno-new-privs = yes\n"
		     "die-with-parent = false\n", &e), 0, "yes, then false");
	ok(!c.die_with_parent && c.no_new_privs, "... the last value of each key counts");
	{
		nsu_config_defaults(&c);
		nsu_config_parse(&c, "[command]\ndie-with-parent = yes\nno-new-privs = yes\n", "a",
				 NULL, NULL, &e);
		nsu_config_parse(&c, "[command]\nno-new-privs = no\n", "b", NULL, NULL, &e);
		ok(c.die_with_parent && !c.no_new_privs, "a later file's no turns off only its key");
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(text, sizeof(text), "[command]\n%s = always\n", keys[i]);
		snprintf(want, sizeof(want), "t.conf:2: %s must be yes or no, not 'always'", keys[i]);
		is_int(parse(&c, text, &e), -1, keys[i]);
		is_str(e.msg, want, "... a bad value names FILE:LINE, the key and the value");
		ok(!c.die_with_parent && !c.no_new_privs, "... and sets nothing");

		snprintf(text, sizeof(text), "[mapping]\n%s = yes\n", keys[i]);
		snprintf(want, sizeof(want), "t.conf:2: unknown key '%s' in [mapping] ignored|", keys[i]);
		is_int(parse(&c, text, &e), 0, "in [mapping]");
		is_str(warnings, want, "... an unknown key there");
	}
}

/* --- loading files: which ones are trusted ---------------------------------------- */

static char dir[64];

static char *at(const char *rel)
{
	static char paths[4][PATH_MAX];
	static unsigned next;
	char *p = paths[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, rel);
	return p;
}

static void write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) < 0 || chmod(path, mode) < 0) {
		printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static const char single[] = "[mapping]\nmode = single\n";

/* Load @path for @uid into defaults: what happened, with the config in *c. */
static enum nsu_config_load load(const char *path, uid_t uid, bool from_env,
				 struct nsu_config *c, struct nsu_err *e)
{
	nsu_config_defaults(c);
	memset(e, 0, sizeof(*e));
	return nsu_config_load_file(c, path, uid, from_env, NULL, NULL, e);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void test_load(void)
{
	struct nsu_config c;
	struct nsu_err e;
	char want[2 * PATH_MAX], target[PATH_MAX];
	uid_t me = geteuid();
	/* Somebody else, never root: as root a uid to chown to, else ourselves to another caller. */
	uid_t other = me == 0 ? 4242 : me;
	uid_t other_caller = other + 1;
	char owner[64];

	snprintf(dir, sizeof(dir), "/tmp/nsu-conf.XXXXXX");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		exit(1);
	}
	/* A FIFO that blocked nsu would hang this test: end it instead. */
	alarm(60);

	write_file(at("good.conf"), single, strlen(single), 0644);
	is_int(load(at("good.conf"), me, true, &c, &e), NSU_CONFIG_READ, "own 0644 file: read");
	is_int(c.mode, NSU_MODE_SINGLE, "... and applied");
	write_file(at("ro.conf"), single, strlen(single), 0400);
	is_int(load(at("ro.conf"), me, true, &c, &e), NSU_CONFIG_READ, "own 0400 file: read");

	is_int(load(at("none.conf"), me, true, &c, &e), NSU_CONFIG_ABSENT, "missing: absent");
	is_int(load(at("good.conf/x"), me, true, &c, &e), NSU_CONFIG_ABSENT,
	       "under a file (ENOTDIR): absent");

	write_file(at("gw.conf"), single, strlen(single), 0664);
	is_int(load(at("gw.conf"), me, true, &c, &e), NSU_CONFIG_IGNORED, "group-writable: ignored");
	snprintf(want, sizeof(want), "ignoring %s: it is writable by group or others "
		 "(chmod go-w it)", at("gw.conf"));
	is_str(e.msg, want, "... saying why and what to do");
	is_int(c.mode, NSU_MODE_AUTO, "... and not applied");
	write_file(at("ow.conf"), single, strlen(single), 0606);
	is_int(load(at("ow.conf"), me, false, &c, &e), NSU_CONFIG_IGNORED, "other-writable: ignored");

	if (symlink("good.conf", at("link.conf")) < 0 || !realpath(at("good.conf"), target)) {
		printf("Bail out! symlink: %s\n", strerror(errno));
		exit(1);
	}
	is_int(load(at("link.conf"), me, true, &c, &e), NSU_CONFIG_IGNORED,
	       "a symbolic link to a good file: ignored");
	snprintf(want, sizeof(want), "ignoring %s: nsu reads configuration only from the file "
		 "itself, not through a symbolic link (replace the link with the file, or set "
		 "NSU_CONFIG=%s)", at("link.conf"), target);
	is_str(e.msg, want, "... naming the target");
	is_int(c.mode, NSU_MODE_AUTO, "... and not applied");
	if (symlink("none.conf", at("dangling.conf")) < 0) {
		printf("Bail out! symlink: %s\n", strerror(errno));
		exit(1);
	}
	is_int(load(at("dangling.conf"), me, true, &c, &e), NSU_CONFIG_IGNORED,
	       "a dangling symbolic link: ignored");
	snprintf(want, sizeof(want), "ignoring %s: nsu reads configuration only from the file "
		 "itself, not through a symbolic link (replace the link with the file)",
		 at("dangling.conf"));
	is_str(e.msg, want, "... and suggesting no target");

	if (mkfifo(at("fifo"), 0644) < 0) {
		printf("Bail out! mkfifo: %s\n", strerror(errno));
		exit(1);
	}
	is_int(load(at("fifo"), me, true, &c, &e), NSU_CONFIG_IGNORED, "a FIFO: ignored, no hang");
	snprintf(want, sizeof(want), "ignoring %s: it is a FIFO, not a regular file (use a regular "
		 "file)", at("fifo"));
	is_str(e.msg, want, "... saying what it is");
	is_int(load("/dev/null", me, true, &c, &e), NSU_CONFIG_IGNORED, "/dev/null: ignored");
	is_str(e.msg, "ignoring /dev/null: it is a character device, not a regular file (use a "
	       "regular file)", "... a device");
	is_int(load(dir, me, true, &c, &e), NSU_CONFIG_FAILED, "a directory: an error");
	snprintf(want, sizeof(want), "cannot read %s: Is a directory", dir);
	is_str(e.msg, want, "... as before");

	/* Somebody else's file (root's is fine: see good.conf when running as root). */
	write_file(at("other.conf"), single, strlen(single), 0644);
	if (me == 0 && chown(at("other.conf"), other, (gid_t)-1) < 0) {
		printf("Bail out! chown: %s\n", strerror(errno));
		exit(1);
	}
	snprintf(owner, sizeof(owner), "uid %lu", (unsigned long)other);
	is_int(load(at("other.conf"), other_caller, true, &c, &e), NSU_CONFIG_IGNORED,
	       "another user's file: ignored");
	ok(strncmp(e.msg, "ignoring ", 9) == 0 && strstr(e.msg, owner) &&
	   strstr(e.msg, ", not by you or root (use a copy of your own)"), "... naming the owner");
	is_int(c.mode, NSU_MODE_AUTO, "... and not applied");
	is_int(load(at("other.conf"), 0, true, &c, &e), NSU_CONFIG_IGNORED,
	       "root and a user's file from the environment: ignored");
	ok(strstr(e.msg, owner) && strstr(e.msg, ", and as root nsu reads only files owned by root "
					   "(was the environment kept by su without '-' or by "
					   "sudo -E?)"), "... naming the likely cause");
	is_int(load(at("other.conf"), 0, false, &c, &e), NSU_CONFIG_IGNORED,
	       "root and a system file of a user: ignored");
	ok(strstr(e.msg, "as root nsu reads only files owned by root (chown it to root)") != NULL,
	   "... with the fix");
	is_int(load(at("other.conf"), other, true, &c, &e), NSU_CONFIG_READ, "the owner's own file: read");
	is_int(c.mode, NSU_MODE_SINGLE, "... and applied");

	/* The limits of before stay. */
	{
		static char big[64 * 1024 + 2];

		memset(big, '#', sizeof(big));
		write_file(at("big.conf"), big, sizeof(big), 0644);
		is_int(load(at("big.conf"), me, true, &c, &e), NSU_CONFIG_FAILED, "over 64 KiB: an error");
		snprintf(want, sizeof(want), "%s: larger than 64 KiB, not a configuration file",
			 at("big.conf"));
		is_str(e.msg, want, "... saying so");
		write_file(at("nul.conf"), "[mapping]\0\n", 11, 0644);
		is_int(load(at("nul.conf"), me, true, &c, &e), NSU_CONFIG_FAILED, "a NUL byte: an error");
		write_file(at("bad.conf"), "[mapping]\nmode = x\n", 19, 0644);
		is_int(load(at("bad.conf"), me, true, &c, &e), NSU_CONFIG_FAILED, "invalid: an error");
		snprintf(want, sizeof(want), "%s:2: mode must be auto, single or current-user, not 'x'",
			 at("bad.conf"));
		is_str(e.msg, want, "... naming FILE:LINE");
	}
	fail_malloc = 1;
	is_int(load(at("good.conf"), me, true, &c, &e), NSU_CONFIG_FAILED, "out of memory: an error");
	fail_malloc = 0;
	alarm(0);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	test_values();
	test_warnings();
	test_errors();
	test_paths();
	test_paths_out_of_memory();
	test_helper_timeout();
	test_shell_origin();
	test_namespaces();
	test_command_flags();
	test_load();
	return tap_done();
}
