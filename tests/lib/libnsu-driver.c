/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libnsu-driver: calls nsu_run_child() the way the end-to-end tests ask,
 * and prints what came back.
 *
 *   libnsu-driver [OPTION...] -- CMD...
 *
 * Options: -u UID[:GID] (user), -r NAME=SOFT[:HARD] (rlimits), -m PATH
 * (mask_paths), -o PATH (ro_paths), -U MAP (uidmap), -a WORD (args), -s
 * (single mapping), -S (NSU_SETSID), -e (NSU_EVEN_ROOT), -v (log_fn: each
 * line on stderr as "log: LINE"), -c FILE:ID (the function creates FILE
 * owned by ID:ID), -f ERRNO (the function returns ERRNO), -i (SIGCHLD
 * ignored by the caller, and still so after the call: "sigchld ignored"),
 * -w (a SIGCHLD handler with SA_NOCLDWAIT, kept: "sigchld kept"), -t (a
 * SIGALRM handler and a timer that fires every 200 microseconds during the
 * calls), -n N (N calls, then "repeat K of N" for those that ran the
 * command and exited 0).
 *
 * It prints "status exited N" or "status signaled N", or "error STATUS
 * CODE MESSAGE"; then whether the signal mask, the SIGUSR1 handler and the
 * open descriptors are as they were before the call ("mask same",
 * "handler same", "fds same", or "... changed").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nsu.h>

static const char *create_file;
static unsigned long create_id;
static int fail_with;

static void on_usr1(int sig)
{
	(void)sig;
}

static void log_line(const char *line, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "log: %s\n", line);
}

/* Runs in the child, as root of the namespace. */
static int before_exec(void *ctx)
{
	int fd;

	(void)ctx;
	if (fail_with)
		return fail_with;
	if (!create_file)
		return 0;
	fd = open(create_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	if (fchown(fd, (uid_t)create_id, (gid_t)create_id) < 0) {
		int err = errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

static int same_mask(const sigset_t *a, const sigset_t *b)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(a, sig) != sigismember(b, sig))
			return 0;
	return 1;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	const char *rlimits[8] = { NULL }, *masks[8] = { NULL }, *ros[8] = { NULL };
	const char *args[8] = { NULL };
	size_t nr = 0, nm = 0, no = 0, na = 0;
	struct sigaction sa = { .sa_handler = on_usr1 }, before_sa, after_sa;
	sigset_t usr2, before_mask, after_mask;
	struct nsu_error err;
	struct nsu_opts o;
	int c, r, status, fds;
	int ignore_chld = 0, nocldwait = 0, timer = 0, repeat = 0, good = 0;
	struct sigaction before_chld, after_chld;
	char *colon;

	nsu_opts_init(&o);
	while ((c = getopt(argc, argv, "u:r:m:o:U:a:sSevc:f:iwtn:")) != -1) {
		switch (c) {
		case 'u': o.user = optarg; break;
		case 'r': if (nr < 7) rlimits[nr++] = optarg; break;
		case 'm': if (nm < 7) masks[nm++] = optarg; break;
		case 'o': if (no < 7) ros[no++] = optarg; break;
		case 'U': o.uidmap = optarg; break;
		case 'a': if (na < 7) args[na++] = optarg; break;
		case 's': o.mapping = NSU_MAPPING_SINGLE; break;
		case 'S': o.flags |= NSU_SETSID; break;
		case 'e': o.flags |= NSU_EVEN_ROOT; break;
		case 'v': o.log_level = NSU_LOG_VERBOSE; o.log_fn = log_line; break;
		case 'c':
			colon = strrchr(optarg, ':');
			if (!colon)
				return 2;
			*colon = '\0';
			create_file = optarg;
			create_id = strtoul(colon + 1, NULL, 10);
			break;
		case 'f': fail_with = atoi(optarg); break;
		case 'i': ignore_chld = 1; break;
		case 'w': nocldwait = 1; break;
		case 't': timer = 1; break;
		case 'n': repeat = atoi(optarg); break;
		default: return 2;
		}
	}
	if (optind >= argc)
		return 2;
	o.rlimits = rlimits;
	o.mask_paths = masks;
	o.ro_paths = ros;
	o.args = args;

	/* A state to find unchanged: SIGUSR2 blocked, a handler for SIGUSR1. */
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	if (ignore_chld)
		signal(SIGCHLD, SIG_IGN);
	if (nocldwait) {
		struct sigaction nw = { .sa_handler = on_usr1, .sa_flags = SA_NOCLDWAIT | SA_RESTART };

		sigaction(SIGCHLD, &nw, NULL);
	}
	sigaction(SIGCHLD, NULL, &before_chld);
	if (timer) {
		struct sigaction alarm = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
		struct itimerval every = { { 0, 200 }, { 0, 200 } };

		sigaction(SIGALRM, &alarm, NULL);
		setitimer(ITIMER_REAL, &every, NULL);
	}
	sigprocmask(SIG_BLOCK, NULL, &before_mask);
	sigaction(SIGUSR1, NULL, &before_sa);
	fds = count_fds();

	for (int i = 0; i < repeat; i++)
		good += nsu_run_child(argv + optind, &o, before_exec, NULL, &status, &err) == 0 &&
			WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (repeat)
		printf("repeat %d of %d\n", good, repeat);
	r = nsu_run_child(argv + optind, &o, before_exec, NULL, &status, &err);
	if (timer) {
		struct itimerval off = { { 0, 0 }, { 0, 0 } };

		setitimer(ITIMER_REAL, &off, NULL);
	}
	if (r == 0 && WIFEXITED(status))
		printf("status exited %d\n", WEXITSTATUS(status));
	else if (r == 0 && WIFSIGNALED(status))
		printf("status signaled %d\n", WTERMSIG(status));
	else if (r == 0)
		printf("status other %d\n", status);
	else
		printf("error %d %d %s\n", err.status, err.code, err.message);
	if (r < 0 && status != -1)
		printf("child %s %d\n", WIFEXITED(status) ? "exited" : "signaled",
		       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));

	sigprocmask(SIG_BLOCK, NULL, &after_mask);
	sigaction(SIGUSR1, NULL, &after_sa);
	printf("mask %s\n", same_mask(&before_mask, &after_mask) ? "same" : "changed");
	printf("handler %s\n", before_sa.sa_handler == after_sa.sa_handler ? "same" : "changed");
	printf("fds %s\n", count_fds() == fds ? "same" : "changed");
	sigaction(SIGCHLD, NULL, &after_chld);
	if (nocldwait)
		printf("sigchld %s\n", after_chld.sa_handler == before_chld.sa_handler &&
				       after_chld.sa_flags == before_chld.sa_flags ? "kept" : "changed");
	if (ignore_chld) {
		struct sigaction chld;

		sigaction(SIGCHLD, NULL, &chld);
		printf("sigchld %s\n", chld.sa_handler == SIG_IGN ? "ignored" : "not ignored");
	}
	return 0;
}
