/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vgfix.so: keeps valgrind out of sight of the end-to-end tests.
 *
 * When the end-to-end tests run under memcheck (NSU_VALGRIND=1), the
 * fixture's $NSU runs the built nsu under valgrind with this library in
 * LD_PRELOAD. Valgrind 3.19 leaves the descriptor it first opened for
 * --log-file open in the program, without close-on-exec (it writes through
 * a close-on-exec copy of its own): nsu and every command after it would
 * see one more descriptor, or the log file where the caller had closed
 * stdin, stdout or stderr. The tests compare exactly those, and nsu's
 * handling of closed standard descriptors would not run at all.
 *
 * Valgrind 3.19 also answers nsu's open("/proc/self/exe", O_PATH | O_CLOEXEC)
 * with a descriptor of the program without close-on-exec, which would reach
 * the command too.
 *
 * And perl, which runs the wrapper that starts valgrind, keeps the wrapper
 * script open: where the caller closed stdin, stdout or stderr, there.
 *
 * So, in every process that loads it but the valgrind launcher, the
 * constructor closes each descriptor below the descriptor limit that names
 * a file in the log directory ($NSU_VG_LOGDIR) or the nsu that valgrind
 * runs ($NSU_VG_EXE), and stdin, stdout or stderr if it is the wrapper
 * script ($NSU_VG_SCRIPT), and:
 * - in nsu's outer stage (running under valgrind, as LD_PRELOAD shows)
 *   leaves the environment alone: the inner stage, also under valgrind,
 *   must load this library again;
 * - in nsu's inner stage, and in any program not run under valgrind (the
 *   command, a helper), puts LD_PRELOAD back as the caller had it
 *   ($NSU_VG_PRELOAD, or unset), removes VALGRIND_LIB unless the caller
 *   had it, and removes the NSU_VG_ variables, so that the command gets the
 *   caller's environment as nsu passes it on.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* nsu's own argument for its inner stage (NSU_INNER_ARG in src/spawn.h). */
#define INNER_ARG "--inner-stage-of-nsu"

static void close_fds(const char *dir, const char *exe)
{
	size_t len = strlen(dir);
	struct rlimit rl = { 0 };
	int fds[64], n = 0;
	struct dirent *e;
	DIR *d;

	/* Valgrind's own descriptors lie at and above the limit it reports. */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((e = readdir(d)) && n < 64) {
		char link[64], target[4096];
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		ssize_t r;

		if (*e->d_name < '0' || *e->d_name > '9' || *end || fd == dirfd(d) ||
		    (rlim_t)fd >= rl.rlim_cur)
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%ld", fd);
		r = readlink(link, target, sizeof(target) - 1);
		if (r <= 0)
			continue;
		target[r] = '\0';
		if ((strncmp(target, dir, len) == 0 && target[len] == '/') ||
		    (exe && strcmp(target, exe) == 0))
			fds[n++] = (int)fd;
	}
	closedir(d);
	while (n > 0)
		close(fds[--n]);
}

static void close_script(const char *script)
{
	struct stat me, st;

	if (!script || stat(script, &me) < 0)
		return;
	for (int fd = 0; fd < 3; fd++)
		if (fstat(fd, &st) == 0 && st.st_dev == me.st_dev && st.st_ino == me.st_ino)
			close(fd);
}

/*
 * tests/valgrind/run proves that memcheck sees both stages of nsu: with
 * NSU_VG_SELFTEST=outer, nsu's outer stage leaks a block; with
 * NSU_VG_SELFTEST=inner, its inner stage reads past the end of one.
 */
static void self_test(bool inner, const char *which)
{
	static char *keep;
	char *p;
	size_t n;

	if (!which || strcmp(which, inner ? "inner" : "outer") != 0)
		return;
	n = strlen(which);
	p = malloc(n);
	if (!p)
		return;
	if (inner) {
		memcpy(p, which, n);
		keep = p;
		if (((volatile char *)keep)[n] == 'x')
			abort();
	}
	/* Otherwise p is lost: a definite leak. */
}

/* What close_fds() looks for, kept for the children that fork() makes. */
static char saved_dir[4096], saved_exe[4096];

/*
 * Valgrind opens a log file of its own for each child of fork() (the
 * %p of --log-file), and leaves it open in the child as it does at start:
 * the init of nsu --pid forks the command, which would inherit it.
 */
static void after_fork(void)
{
	close_fds(saved_dir, *saved_exe ? saved_exe : NULL);
}

__attribute__((constructor)) static void vgfix(int argc, char **argv)
{
	const char *dir = getenv("NSU_VG_LOGDIR");
	const char *preload = getenv("LD_PRELOAD");
	const char *orig;
	bool under_valgrind = preload && strstr(preload, "/vgpreload_");
	bool inner = argc > 1 && argv && strcmp(argv[1], INNER_ARG) == 0;

	char exe[4096];
	ssize_t r;

	if (!dir || !*dir)
		return;
	/*
	 * The valgrind launcher, which runs first, passes the environment on
	 * to valgrind and the program: leave it alone.
	 */
	r = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (r > 0) {
		const char *base;

		exe[r] = '\0';
		base = strrchr(exe, '/');
		base = base ? base + 1 : exe;
		if (strcmp(base, "valgrind.bin") == 0 || strcmp(base, "valgrind") == 0)
			return;
	}
	close_fds(dir, getenv("NSU_VG_EXE"));
	close_script(getenv("NSU_VG_SCRIPT"));
	if (under_valgrind) {
		snprintf(saved_dir, sizeof(saved_dir), "%s", dir);
		snprintf(saved_exe, sizeof(saved_exe), "%s",
			 getenv("NSU_VG_EXE") ? getenv("NSU_VG_EXE") : "");
		pthread_atfork(NULL, NULL, after_fork);
	}
	if (under_valgrind)
		self_test(inner, getenv("NSU_VG_SELFTEST"));
	if (under_valgrind && !inner)
		return;
	orig = getenv("NSU_VG_PRELOAD");
	if (orig)
		setenv("LD_PRELOAD", orig, 1);
	else
		unsetenv("LD_PRELOAD");
	if (getenv("NSU_VG_NO_LIB"))
		unsetenv("VALGRIND_LIB");
	unsetenv("NSU_VG_NO_LIB");
	unsetenv("NSU_VG_PRELOAD");
	unsetenv("NSU_VG_LOGDIR");
	unsetenv("NSU_VG_EXE");
	unsetenv("NSU_VG_SCRIPT");
	unsetenv("NSU_VG_SELFTEST");
}
