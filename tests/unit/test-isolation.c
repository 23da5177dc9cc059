/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the isolation options: capability names, the OOM score,
 * the checks of the whole, and the words that pass them to the inner stage.
 */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isolation.h"
#include "options.h"
#include "tap.h"
#include "util.h"

static void test_caps(void)
{
	static const struct {
		const char *name;
		int cap;
	} good[] = {
		{ "chown", 0 },          { "CHOWN", 0 },        { "cap_chown", 0 },
		{ "CAP_SYS_ADMIN", 21 }, { "Cap_Sys_Admin", 21 }, { "sys_admin", 21 },
		{ "net_raw", 13 },       { "setfcap", 31 },
	};
	static const char *const bad[] = {
		"", "12", "cap_", "cap_12", "sys_nothing", "sys admin", "all", "-chown",
		"cap_cap_chown",
		"a_name_far_too_long_to_be_any_capability_that_the_kernel_knows_of_at_all",
	};
	struct nsu_err e;

	for (size_t i = 0; i < NSU_ARRAY_SIZE(good); i++)
		ok(nsu_cap_parse("--cap-drop", good[i].name, &e) == good[i].cap,
		   "nsu_cap_parse('%s') is %d", good[i].name, good[i].cap);
	for (size_t i = 0; i < NSU_ARRAY_SIZE(bad); i++) {
		char want[300];

		e.msg[0] = '\0';
		ok(nsu_cap_parse("--cap-add", bad[i], &e) == -1, "nsu_cap_parse('%s') fails", bad[i]);
		snprintf(want, sizeof(want), "option '--cap-add': '%s' is not a capability (see "
			 "capabilities(7); capsh --print lists them)", bad[i]);
		is_str(e.msg, want, "... with that message");
	}
}

static void test_oom(void)
{
	static const struct {
		const char *arg;
		int v;
	} good[] = { { "0", 0 }, { "-1000", -1000 }, { "1000", 1000 }, { "+5", 5 }, { "-1", -1 } };
	static const char *const bad[] = { "", "1001", "-1001", " 5", "5 ", "5x", "1e3", "-",
					   "99999999999999999999", "0x10" };
	struct nsu_err e;
	int v;

	for (size_t i = 0; i < NSU_ARRAY_SIZE(good); i++) {
		v = 12345;
		ok(nsu_oom_parse(good[i].arg, &v, &e) == 0 && v == good[i].v,
		   "nsu_oom_parse('%s') gives %d", good[i].arg, good[i].v);
	}
	for (size_t i = 0; i < NSU_ARRAY_SIZE(bad); i++) {
		char want[200];

		v = 12345;
		ok(nsu_oom_parse(bad[i], &v, &e) == -1, "nsu_oom_parse('%s') fails", bad[i]);
		snprintf(want, sizeof(want), "option '--oom-score-adj': '%s' is not a number from "
			 "-1000 to 1000", bad[i]);
		is_str(e.msg, want, "... with that message");
		is_int(v, 12345, "... and leaves the value alone");
	}
}

/* Check @iso; the message, or "" when it passes. */
static const char *checked(struct nsu_isolation *iso)
{
	static struct nsu_err e;

	e.msg[0] = '\0';
	if (nsu_isolation_check(iso, &e) == 0)
		return "";
	return e.msg;
}

static void test_check(void)
{
	struct nsu_isolation iso = { 0 };
	struct nsu_err e;
	char name[70];

	is_str(checked(&iso), "", "nothing asked: fine");
	ok(!nsu_isolation_any(&iso), "... and nothing to do");

	iso = (struct nsu_isolation){ .hostname = "box" };
	is_str(checked(&iso), "", "--hostname alone");
	ok(iso.ns == CLONE_NEWUTS, "... implies --uts");
	ok(nsu_isolation_any(&iso), "... and is something to do");

	iso = (struct nsu_isolation){ .hostname = "" };
	is_str(checked(&iso), "option '--hostname' needs a name, not ''", "an empty host name");
	memset(name, 'h', 65);
	name[65] = '\0';
	iso = (struct nsu_isolation){ .hostname = name };
	ok(strstr(checked(&iso), "is longer than 64 characters") != NULL, "a host name of 65");
	name[64] = '\0';
	iso = (struct nsu_isolation){ .hostname = name };
	is_str(checked(&iso), "", "a host name of 64");

	iso = (struct nsu_isolation){ .mount_proc = true };
	is_str(checked(&iso), "option '--mount-proc' needs '--pid': a /proc of its own shows a "
	       "pid namespace of its own", "--mount-proc without --pid");
	iso = (struct nsu_isolation){ .mount_proc = true, .ns = CLONE_NEWPID };
	is_str(checked(&iso), "", "--mount-proc with --pid");

	iso = (struct nsu_isolation){ .ro_root = true };
	is_str(checked(&iso), "option '--ro-root' needs '--rootfs DIR'", "--ro-root alone");
	iso = (struct nsu_isolation){ .rootfs = "" };
	is_str(checked(&iso), "option '--rootfs' needs a directory, not ''", "an empty --rootfs");

	iso = (struct nsu_isolation){ .cap_drop = 1 << 21 | 1, .cap_add = 1 << 21 };
	is_str(checked(&iso), "options '--cap-drop' and '--cap-add' both name cap_sys_admin",
	       "a capability dropped and added");
	iso = (struct nsu_isolation){ .caps_none = true, .cap_add = 1 };
	is_str(checked(&iso), "", "--caps-none with --cap-add");
	ok(nsu_isolation_any(&iso), "... is something to do");

	iso = (struct nsu_isolation){ 0 };
	nsu_isolation_add_fs(&iso, NSU_FS_BIND, "/a", "b", &e);
	is_str(checked(&iso), "option '--bind': DEST 'b' must be an absolute path (where to mount)",
	       "a relative DEST");
	iso.rootfs = "/r";
	is_str(checked(&iso), "option '--bind': DEST 'b' must be an absolute path (inside the "
	       "new root)", "a relative DEST with --rootfs");
	nsu_isolation_free(&iso);
	iso = (struct nsu_isolation){ 0 };
	nsu_isolation_add_fs(&iso, NSU_FS_RO_BIND, "", "/b", &e);
	is_str(checked(&iso), "option '--ro-bind' needs a SRC, not ''", "an empty SRC");
	nsu_isolation_free(&iso);
	ok(iso.fs == NULL && iso.n_fs == 0, "nsu_isolation_free empties the list");

	iso = (struct nsu_isolation){ 0 };
	nsu_isolation_add_fs(&iso, NSU_FS_MASK, NULL, "m", &e);
	is_str(checked(&iso), "option '--mask-path': PATH 'm' must be an absolute path (where to "
	       "mount)", "a relative --mask-path");
	nsu_isolation_free(&iso);
	ok(nsu_isolation_any(&(struct nsu_isolation){ .setsid = true }), "--setsid is work to do");
	ok(nsu_isolation_any(&(struct nsu_isolation){ .new_pgrp = true }), "--new-pgrp too");
	ok(nsu_isolation_any(&(struct nsu_isolation){ .user_set = true }), "--user too");

	iso = (struct nsu_isolation){ .die_with_parent = true };
	ok(!nsu_isolation_any(&iso), "--die-with-parent alone needs no inner stage work");
}

/* The words of the isolation of @argv, joined by spaces. */
static void words_of(char **argv, int argc, char *out, size_t len)
{
	struct nsu_options o;
	struct nsu_err e;
	size_t used = 0;
	char **w;

	out[0] = '\0';
	if (nsu_options_parse(&o, argc, argv, &e) < 0) {
		snprintf(out, len, "error: %.900s", e.msg);
		return;
	}
	w = nsu_isolation_words(&o.iso);
	for (size_t i = 0; w && w[i]; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? " " : "", w[i]);
	free(w);
	nsu_options_free(&o);
}

static void test_words(void)
{
	char *argv[] = {
		"nsu", "--net", "--pid", "--mount-proc", "--bind", "/a b", "/c", "--hostname",
		"h", "--tmpfs", "/t", "--ro-bind", "/x", "/y", "--cap-drop", "SYS_ADMIN",
		"--caps-none", "--cap-add", "chown", "--cap-add", "cap_fowner", "--cap-drop",
		"net_raw", "--oom-score-adj", "-5", "--no-new-privs", "--die-with-parent",
		"--rootfs", "/r", "--ro-root", "--ipc", "--cgroup", "--", "cmd", NULL,
	};
	const char *want = "--pid --uts --ipc --net --cgroup --mount-proc --hostname h "
			   "--rootfs /r --ro-root --bind /a b /c --tmpfs /t --ro-bind /x /y "
			   "--oom-score-adj -5 --caps-none --cap-drop cap_net_raw --cap-drop "
			   "cap_sys_admin --cap-add cap_chown --cap-add cap_fowner --no-new-privs";
	char got[1024], again[1024];
	char *re[64] = { "nsu" };
	int n = 1;
	char *copy, *save = NULL;

	words_of(argv, (int)NSU_ARRAY_SIZE(argv) - 1, got, sizeof(got));
	is_str(got, want, "nsu_isolation_words: every option, in a fixed order, binds in "
	       "command-line order, no --die-with-parent");

	/* Parsed again (as the inner stage does), they give the same words. */
	copy = strdup("--pid --uts --ipc --net --cgroup --mount-proc --hostname h --rootfs /r "
		      "--ro-root --bind /a /c --tmpfs /t --ro-bind /x /y --oom-score-adj -5 "
		      "--caps-none --cap-drop cap_net_raw --cap-drop cap_sys_admin --cap-add "
		      "cap_chown --cap-add cap_fowner --no-new-privs");
	for (char *t = strtok_r(copy, " ", &save); t && n < 60; t = strtok_r(NULL, " ", &save))
		re[n++] = t;
	re[n++] = "--";
	re[n++] = "cmd";
	re[n] = NULL;
	words_of(re, n, again, sizeof(again));
	is_str(again, "--pid --uts --ipc --net --cgroup --mount-proc --hostname h --rootfs /r "
	       "--ro-root --bind /a /c --tmpfs /t --ro-bind /x /y --oom-score-adj -5 "
	       "--caps-none --cap-drop cap_net_raw --cap-drop cap_sys_admin --cap-add cap_chown "
	       "--cap-add cap_fowner --no-new-privs", "... and parse back to themselves");
	free(copy);

	{
		char *none[] = { "nsu", "--", "cmd", NULL };

		words_of(none, 3, got, sizeof(got));
		is_str(got, "", "no isolation: no words");
	}
}

/* The options of the command's process, and the paths masked or made read-only. */
static void test_process_words(void)
{
	char *argv[] = {
		"nsu", "--rlimit", "NOFILE=10:20", "--mask-path", "/m", "--user", "5", "--setsid",
		"--bind", "/a", "/b", "--ro-path", "/r", "--new-pgrp", "--rlimit", "core=:unlimited",
		"--rlimit", "as=infinity", "--", "cmd", NULL,
	};
	const char *want = "--mask-path /m --bind /a /b --ro-path /r --user 5:5 --setsid "
			   "--new-pgrp --rlimit nofile=10:20 --rlimit core=:unlimited --rlimit "
			   "as=unlimited";
	struct nsu_options o;
	struct nsu_err e;
	char got[1024], again[1024];
	char *re[40] = { "nsu" };
	char *copy, *save = NULL, **w;
	size_t used = 0;
	int n = 1;

	words_of(argv, (int)NSU_ARRAY_SIZE(argv) - 1, got, sizeof(got));
	is_str(got, want, "nsu_isolation_words: paths in command-line order, then the process");
	copy = strdup(want);
	for (char *t = strtok_r(copy, " ", &save); t && n < 36; t = strtok_r(NULL, " ", &save))
		re[n++] = t;
	re[n++] = "--";
	re[n++] = "cmd";
	re[n] = NULL;
	words_of(re, n, again, sizeof(again));
	is_str(again, want, "... and parse back to themselves");
	free(copy);

	/* A session's shape has the paths, not what each command sets for itself. */
	ok(nsu_options_parse(&o, (int)NSU_ARRAY_SIZE(argv) - 1, argv, &e) == 0, "parsed");
	w = nsu_isolation_shape_words(&o.iso);
	got[0] = '\0';
	for (size_t i = 0; w && w[i]; i++)
		used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s", i ? " " : "", w[i]);
	free(w);
	is_str(got, "--mask-path /m --bind /a /b --ro-path /r",
	       "nsu_isolation_shape_words: the paths, no --user, --setsid, --new-pgrp, --rlimit");
	nsu_options_free(&o);
}

int main(void)
{
	test_caps();
	test_oom();
	test_check();
	test_words();
	test_process_words();
	return tap_done();
}
