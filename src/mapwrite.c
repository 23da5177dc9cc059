/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mapwrite.h"
#include "procfs.h"

extern char **environ;

struct helper_run {
	pid_t pid;
	int err_fd;     /* read end of the helper's stderr */
	int spawn_err;  /* posix_spawn() failure */
};

static void helper_start(struct helper_run *h, struct nsu_idmap_argv *a, const char *path,
			 const char *target, const struct nsu_idmap *map)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	int p[2];

	h->pid = -1;
	h->err_fd = -1;
	h->spawn_err = 0;
	nsu_idmap_argv(a, path, target, map);
	if (pipe2(p, O_CLOEXEC) < 0) {
		h->spawn_err = errno;
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
	/* nsu blocks every signal for its signalfd; the helper starts with none blocked. */
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	h->spawn_err = posix_spawn(&h->pid, path, &fa, &attr, a->argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (h->spawn_err) {
		h->pid = -1;
		close(p[0]);
		return;
	}
	h->err_fd = p[0];
}

/* The helper's last line of output, trimmed. */
static void read_last_line(int fd, char *buf, size_t len)
{
	char all[4096];
	size_t used = 0;
	ssize_t n;
	char *line, *end;

	while (used < sizeof(all) - 1 && (n = read(fd, all + used, sizeof(all) - 1 - used)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		used += (size_t)n;
	}
	all[used] = '\0';
	while (used > 0 && (all[used - 1] == '\n' || all[used - 1] == ' '))
		all[--used] = '\0';
	line = strrchr(all, '\n');
	line = line ? line + 1 : all;
	end = line + strlen(line);
	snprintf(buf, len, "%.*s", (int)(end - line), line);
}

static bool has_file_caps(const char *path)
{
	return getxattr(path, "security.capability", NULL, 0) >= 0;
}

/* Why the helper of @job could not write the map: name the cause and the fix. */
static void explain(char *buf, size_t len, const struct nsu_map_job *job, int kind,
		    int spawn_err, int status, const char *out)
{
	const char *path = job->helper, *usual = kind == NSU_GID ? NSU_NEWGIDMAP : NSU_NEWUIDMAP;
	bool configured = job->helper_origin && *job->helper_origin;
	struct stat st;

	if (spawn_err == ENOENT && configured) {
		snprintf(buf, len, "%s does not exist (set at %s; the usual helper is %s)", path,
			 job->helper_origin, usual);
		return;
	}
	if (spawn_err == ENOENT) {
		snprintf(buf, len, "%s is not installed (install the uidmap package, "
			 "e.g. apt-get install uidmap)", path);
		return;
	}
	if (spawn_err) {
		snprintf(buf, len, "cannot run %s: %s", path, strerror(spawn_err));
		return;
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1) {
		snprintf(buf, len, "no_new_privs is set on this process, so the setuid "
			 "newuidmap and newgidmap cannot work (is nsu started by setpriv "
			 "--no-new-privs, a NoNewPrivileges= service or a container runtime?)");
		return;
	}
	if (!nsu_in_initial_userns()) {
		snprintf(buf, len, "nsu runs inside a user namespace where root of the host is not "
			 "mapped, so the setuid newuidmap and newgidmap cannot work here; run nsu "
			 "outside it, or as root of this namespace");
		return;
	}
	if (stat(path, &st) == 0 && !((st.st_mode & S_ISUID) && st.st_uid == 0) &&
	    !has_file_caps(path)) {
		if (configured)
			snprintf(buf, len, "%s is not a setuid newuidmap/newgidmap (set at %s; the "
				 "usual helper is %s)", path, job->helper_origin, usual);
		else
			snprintf(buf, len, "%s is neither setuid root nor has file capabilities "
				 "(reinstall it: apt-get install --reinstall uidmap)", path);
		return;
	}
	if (WIFSIGNALED(status))
		snprintf(buf, len, "%s was killed by signal %d", path, WTERMSIG(status));
	else if (*out)
		snprintf(buf, len, "%s failed: %.400s", path, out);
	else
		snprintf(buf, len, "%s failed with exit status %d", path, WEXITSTATUS(status));
}

static int write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0) {
		int saved = errno;

		close(fd);
		return -saved;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/* Write @map of @kind into /proc/PID/uid_map or gid_map ourselves. */
static int write_direct(pid_t pid, enum nsu_id_kind kind, const struct nsu_idmap *map,
			bool deny_setgroups, struct nsu_err *e)
{
	static const char *const kind_name[2] = { "uid", "gid" };
	char text[NSU_MAP_WRITE_MAX + 1];
	int r;

	if (nsu_idmap_format(map, text, sizeof(text)) < 0)
		return nsu_fail(e, E2BIG, "the %s map does not fit in one write", kind_name[kind]);
	if (kind == NSU_GID && deny_setgroups) {
		/* An unprivileged gid_map write requires setgroups to be denied. */
		r = write_proc(pid, "setgroups", "deny");
		if (r < 0 && r != -ENOENT)
			return nsu_fail(e, -r, "cannot write /proc/%ld/setgroups: %s",
					(long)pid, strerror(-r));
	}
	r = write_proc(pid, kind == NSU_UID ? "uid_map" : "gid_map", text);
	if (r < 0)
		return nsu_fail(e, -r, "cannot write the %s map of the new user namespace: %s",
				kind_name[kind], strerror(-r));
	return 0;
}

/* Has the kind's map of @pid been written (by a helper that said it did)? */
static bool map_written(pid_t pid, enum nsu_id_kind kind)
{
	char path[64], c;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, kind == NSU_UID ? "uid_map" : "gid_map");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true; /* cannot tell: trust the helper */
	n = read(fd, &c, 1);
	close(fd);
	return n != 0;
}

int nsu_maps_write(pid_t pid, struct nsu_map_job jobs[2], struct nsu_err *e)
{
	/* Up to 340 extents of argv each: too large for the stack. */
	static struct nsu_idmap_argv args[2];
	static const char *const kind_name[2] = { "uid", "gid" };
	struct helper_run run[2];
	char target[24];

	snprintf(target, sizeof(target), "%ld", (long)pid);

	/* Start both helpers before waiting for either: they run in parallel. */
	for (int k = 0; k < 2; k++) {
		jobs[k].fell_back = false;
		jobs[k].why[0] = '\0';
		run[k].pid = -1;
		run[k].err_fd = -1;
		if (jobs[k].helper)
			helper_start(&run[k], &args[k], jobs[k].helper, target, jobs[k].map);
	}

	/* Reap both before anything else, so no helper is left behind on error. */
	for (int k = 0; k < 2; k++) {
		int status = 0;
		char out[512] = "";

		if (!jobs[k].helper)
			continue;
		if (run[k].pid > 0) {
			while (waitpid(run[k].pid, &status, 0) < 0 && errno == EINTR)
				;
			read_last_line(run[k].err_fd, out, sizeof(out));
			close(run[k].err_fd);
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
				if (map_written(pid, (enum nsu_id_kind)k))
					continue;
				snprintf(jobs[k].why, sizeof(jobs[k].why), "%s succeeded but wrote no "
					 "map (is it really newuidmap/newgidmap?)", jobs[k].helper);
				continue;
			}
		}
		explain(jobs[k].why, sizeof(jobs[k].why), &jobs[k], k, run[k].spawn_err, status,
			out);
	}

	for (int k = 0; k < 2; k++) {
		const struct nsu_idmap *map = jobs[k].map;
		bool deny = jobs[k].deny_setgroups;

		if (jobs[k].helper && !jobs[k].why[0])
			continue; /* written by the helper */
		if (jobs[k].helper) {
			if (!jobs[k].fallback)
				return nsu_fail(e, EPERM, "cannot write the %s map: %s", kind_name[k],
						jobs[k].why);
			map = jobs[k].fallback;
			deny = true;
			jobs[k].fell_back = true;
		}
		if (write_direct(pid, (enum nsu_id_kind)k, map, deny, e) < 0)
			return -1;
	}
	return 0;
}
