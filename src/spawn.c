/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "mounts.h"
#include "procfs.h"
#include "report.h"
#include "spawn.h"

struct child_args {
	pid_t parent;
	int self_fd;     /* our own executable, from /proc/self/exe */
	int release_r, report_w;
	char **inner_argv;
	char **env;
	sigset_t mask;
};

/* The child never shares memory with the parent: this is its private stack. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int child_main(void *arg)
{
	struct child_args *a = arg;
	int r;

	/* Die with the parent; then make sure it did not die already. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->parent)
		_exit(125);

	/* Nothing mounted in here may propagate back to the host. */
	r = nsu_mounts_make_private();
	if (r < 0) {
		nsu_report_send(a->report_w, NSU_STAGE_MOUNT, -r, NULL);
		_exit(125);
	}

	/*
	 * Our uid is not mapped yet, so execve() would drop every capability.
	 * Carry them through the ambient set: the inner stage then keeps a
	 * full set up to the command's exec, which keeps PR_SET_PDEATHSIG
	 * armed (the kernel clears it when an exec grows the capability set).
	 */
	(void)nsu_caps_keep_across_exec();

	if (fcntl(a->release_r, F_SETFD, 0) < 0 || fcntl(a->report_w, F_SETFD, 0) < 0) {
		nsu_report_send(a->report_w, NSU_STAGE_REEXEC, errno, NULL);
		_exit(125);
	}
	sigprocmask(SIG_SETMASK, &a->mask, NULL);
	/*
	 * Execute the very file we run from. The descriptor was opened from
	 * /proc/self/exe before the clone (which also makes this work under
	 * valgrind, where /proc/self/exe would name valgrind itself).
	 */
	if (a->self_fd >= 0)
		syscall(SYS_execveat, a->self_fd, "", a->inner_argv, a->env, AT_EMPTY_PATH);
	execve("/proc/self/exe", a->inner_argv, a->env);
	nsu_report_send(a->report_w, NSU_STAGE_REEXEC, errno, NULL);
	_exit(125);
}

/* env + the marker, as a new NULL-terminated vector (only the array is new). */
static char **env_with_marker(char **env, char *marker)
{
	size_t n = 0;
	char **v;

	while (env[n])
		n++;
	v = malloc((n + 2) * sizeof(*v));
	if (!v)
		return NULL;
	memcpy(v, env, n * sizeof(*v));
	v[n] = marker;
	v[n + 1] = NULL;
	return v;
}

int nsu_spawn_child(struct nsu_child *c, int flags, const struct nsu_child_spec *spec,
		    struct nsu_err *e)
{
	int release[2] = { -1, -1 }, report[2] = { -1, -1 };
	struct child_args a = { .parent = getpid(), .mask = *spec->mask };
	char marker[128];
	size_t argc = 0;
	int saved;

	while (spec->argv[argc])
		argc++;

	if (pipe2(release, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0) {
		saved = errno;
		goto fail_pipes;
	}
	snprintf(marker, sizeof(marker), NSU_INNER_ENV "=%d,%d,%ld,%lu,%lu", release[0],
		 report[1], (long)a.parent, (unsigned long)spec->uid, (unsigned long)spec->gid);
	a.release_r = release[0];
	a.report_w = report[1];
	a.self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	a.env = env_with_marker(spec->env, marker);
	/* The inner stage's argv: "nsu", the directory to change to ("" for none), the command. */
	a.inner_argv = malloc((argc + 3) * sizeof(char *));
	if (!a.env || !a.inner_argv) {
		saved = ENOMEM;
		goto fail_alloc;
	}
	a.inner_argv[0] = (char *)"nsu";
	a.inner_argv[1] = (char *)(spec->chdir ? spec->chdir : "");
	memcpy(a.inner_argv + 2, spec->argv, (argc + 1) * sizeof(char *));

	c->pid = clone(child_main, child_stack + sizeof(child_stack), flags | SIGCHLD, &a);
	saved = errno;
	free(a.env);
	free(a.inner_argv);
	if (a.self_fd >= 0)
		close(a.self_fd);
	close(release[0]);
	close(report[1]);
	if (c->pid < 0) {
		close(release[1]);
		close(report[0]);
		return nsu_fail(e, saved, "clone failed: %s", strerror(saved));
	}
	c->release_fd = release[1];
	c->report_fd = report[0];
	return 0;

fail_alloc:
	free(a.env);
	free(a.inner_argv);
	if (a.self_fd >= 0)
		close(a.self_fd);
fail_pipes:
	for (int i = 0; i < 2; i++) {
		if (release[i] >= 0)
			close(release[i]);
		if (report[i] >= 0)
			close(report[i]);
	}
	return nsu_fail(e, saved, "cannot prepare the child process: %s", strerror(saved));
}

int nsu_child_wait_ready(struct nsu_child *c, struct nsu_report *rep)
{
	ssize_t n;

	do
		n = read(c->report_fd, rep, sizeof(*rep));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*rep))
		return -1;
	rep->detail[sizeof(rep->detail) - 1] = '\0';
	return rep->stage == NSU_STAGE_READY ? 0 : 1;
}

int nsu_child_release(struct nsu_child *c)
{
	ssize_t n;

	do
		n = write(c->release_fd, "1", 1);
	while (n < 0 && errno == EINTR);
	close(c->release_fd);
	c->release_fd = -1;
	return n == 1 ? 0 : -1;
}

void nsu_child_abort(struct nsu_child *c)
{
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (c->release_fd >= 0)
		close(c->release_fd);
	close(c->report_fd);
	c->release_fd = c->report_fd = -1;
}

struct marker {
	int release_r, report_w;
	pid_t parent;
	uid_t uid;
	gid_t gid;
};

static int parse_marker(const char *s, struct marker *m)
{
	unsigned long long v[5];
	char *end;

	for (int i = 0; i < 5; i++) {
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v[i] = strtoull(s, &end, 10);
		if (errno || *end != (i < 4 ? ',' : '\0'))
			return -1;
		if (v[i] > (i < 3 ? 0x7fffffffULL : 0xfffffffeULL))
			return -1;
		s = end + 1;
	}
	m->release_r = (int)v[0];
	m->report_w = (int)v[1];
	m->parent = (pid_t)v[2];
	m->uid = (uid_t)v[3];
	m->gid = (gid_t)v[4];
	return 0;
}

/*
 * Is the parent in another user namespace than ours? The inner stage's is:
 * it made ours. We usually may not even look (EACCES), which also says so.
 */
static bool parent_in_other_userns(pid_t parent)
{
	char self[64], theirs[64], path[64];
	ssize_t a, b;

	snprintf(path, sizeof(path), "/proc/%ld/ns/user", (long)parent);
	a = readlink("/proc/self/ns/user", self, sizeof(self));
	b = readlink(path, theirs, sizeof(theirs));
	if (b < 0)
		return errno == EACCES;
	return a > 0 && (a != b || memcmp(self, theirs, (size_t)a) != 0);
}

static bool is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Does a file @name exist in a directory of $PATH (as a shell would find it)? */
static bool found_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];
	struct stat st;

	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	while (*path) {
		size_t len = strcspn(path, ":");

		if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)len, path, len ? "/" : "",
			     name) < (int)sizeof(buf) &&
		    stat(buf, &st) == 0 && !S_ISDIR(st.st_mode))
			return true;
		path += len;
		if (*path == ':')
			path++;
	}
	return false;
}

int nsu_exec_error(const char *cmd, int err)
{
	struct stat st;

	if (err != EACCES)
		return err;
	/*
	 * execvp() says EACCES when a directory of $PATH could not be
	 * searched even if no such command exists anywhere; a shell says
	 * "command not found" then, and so do we.
	 */
	if (!strchr(cmd, '/'))
		return found_in_path(cmd) ? EACCES : ENOENT;
	if (stat(cmd, &st) == 0 && S_ISDIR(st.st_mode))
		return EISDIR;
	return EACCES;
}

void nsu_inner_stage(char **argv)
{
	const char *text = getenv(NSU_INNER_ENV);
	struct marker m;
	int release_r, report_w, err;
	ssize_t n;
	char go;

	if (!text)
		return;
	/*
	 * The marker only ever describes this process's own pipes and parent,
	 * in a user namespace the parent made and has not written maps for
	 * yet. Anything else is a marker set by somebody else: ignored, and
	 * removed.
	 */
	if (parse_marker(text, &m) < 0 || getppid() != m.parent || !is_pipe(m.release_r) ||
	    !is_pipe(m.report_w) || !argv[0] || !argv[1] || !argv[2] || !nsu_uid_map_empty() ||
	    !parent_in_other_userns(m.parent)) {
		unsetenv(NSU_INNER_ENV);
		return;
	}
	release_r = m.release_r;
	report_w = m.report_w;
	unsetenv(NSU_INNER_ENV);
	fcntl(report_w, F_SETFD, FD_CLOEXEC);

	/* Tell the parent it may write our maps, and wait until it has. */
	nsu_report_send(report_w, NSU_STAGE_READY, 0, NULL);
	do
		n = read(release_r, &go, 1);
	while (n < 0 && errno == EINTR);
	close(release_r);
	if (n != 1)
		_exit(125); /* the parent gave up and says why */

	if (setresgid(m.gid, m.gid, m.gid) < 0 || setresuid(m.uid, m.uid, m.uid) < 0) {
		nsu_report_send(report_w, NSU_STAGE_SETID, errno, NULL);
		_exit(125);
	}
	(void)nsu_caps_drop_inheritable();
	/* Re-arm after the id switch, which may clear it, and re-check the parent. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != m.parent)
		_exit(125);

	if (argv[1][0] && chdir(argv[1]) < 0) {
		nsu_report_send(report_w, NSU_STAGE_CHDIR, errno, argv[1]);
		_exit(125);
	}
	execvp(argv[2], argv + 2);
	err = nsu_exec_error(argv[2], errno);
	nsu_report_send(report_w, NSU_STAGE_EXEC, err, argv[2]);
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}
