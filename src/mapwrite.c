/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mapwrite.h"

extern char **environ;


static void read_last_line(int fd, char *buf, size_t len);

/* Written by a launcher to the helper's stderr pipe when execve() fails. */
#define EXEC_FAILED "\001nsu: execve failed: errno "

/* The argument block a launcher reads: NUL-separated argv, path first. */
#define BLOCK_MAX (2 * 4096 + sizeof(((struct nsu_idmap_argv *)0)->num))

/*
 * A launcher: read the helper's argv from @cmd_r, then become the helper.
 * End of file before any argument means it is not needed.
 */
static void launcher_main(int cmd_r, int err_w)
{
	static char block[BLOCK_MAX + 1];
	static char *argv[2 + 3 * NSU_MAX_EXTENTS + 2];
	size_t used = 0, argc = 0;
	sigset_t none;
	ssize_t n;
	char msg[64];

	while (used < BLOCK_MAX && (n = read(cmd_r, block + used, BLOCK_MAX - used)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(127);
		}
		used += (size_t)n;
	}
	if (used == 0)
		_exit(0);
	block[used] = '\0';
	for (size_t i = 0; i < used && argc < sizeof(argv) / sizeof(argv[0]) - 1;
	     i += strlen(block + i) + 1)
		argv[argc++] = block + i;
	argv[argc] = NULL;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(err_w, STDERR_FILENO) >= 0)
		execve(argv[0], argv, environ);
	n = snprintf(msg, sizeof(msg), EXEC_FAILED "%d\n", errno);
	if (write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* the parent then sees exit status 127 alone */
	}
	_exit(127);
}

void nsu_launchers_init(struct nsu_launchers *l)
{
	for (int k = 0; k < 2; k++) {
		l->pid[k] = -1;
		l->cmd_fd[k] = l->err_fd[k] = -1;
		l->start_err[k] = 0;
	}
}

void nsu_launchers_start(struct nsu_launchers *l)
{
	int cmd[2][2] = { { -1, -1 }, { -1, -1 } }, err[2][2] = { { -1, -1 }, { -1, -1 } };

	nsu_launchers_init(l);
	for (int k = 0; k < 2; k++)
		if (pipe2(cmd[k], O_CLOEXEC) < 0 || pipe2(err[k], O_CLOEXEC) < 0)
			l->start_err[k] = errno;
	for (int k = 0; k < 2; k++) {
		if (l->start_err[k])
			continue;
		l->pid[k] = fork();
		if (l->pid[k] == 0) {
			/* Keep only our own ends: the parent's must see EOF when it closes them. */
			for (int j = 0; j < 2; j++) {
				close(cmd[j][1]);
				close(err[j][0]);
				if (j != k) {
					close(cmd[j][0]);
					close(err[j][1]);
				}
			}
			launcher_main(cmd[k][0], err[k][1]);
		}
		if (l->pid[k] < 0)
			l->start_err[k] = errno;
	}
	/* Keep the parent's ends of running launchers; close everything else. */
	for (int k = 0; k < 2; k++) {
		bool running = l->pid[k] > 0;
		int *keep[2] = { &cmd[k][1], &err[k][0] }, *drop[2] = { &cmd[k][0], &err[k][1] };

		for (int i = 0; i < 2; i++) {
			if (*drop[i] >= 0)
				close(*drop[i]);
			if (!running && *keep[i] >= 0)
				close(*keep[i]);
		}
		if (running) {
			l->cmd_fd[k] = cmd[k][1];
			l->err_fd[k] = err[k][0];
		}
	}
}

/* Hand launcher @k its helper's argv (or nothing, if @a is NULL). */
static void launcher_go(struct nsu_launchers *l, int k, const struct nsu_idmap_argv *a)
{
	char block[BLOCK_MAX];
	size_t used = 0;
	ssize_t n;

	if (l->cmd_fd[k] < 0)
		return;
	for (size_t i = 0; a && a->argv[i] && used < sizeof(block); i++) {
		size_t len = strlen(a->argv[i]) + 1;

		if (used + len > sizeof(block))
			break;
		memcpy(block + used, a->argv[i], len);
		used += len;
	}
	for (size_t off = 0; off < used; off += (size_t)n) {
		n = write(l->cmd_fd[k], block + off, used - off);
		if (n < 0 && errno != EINTR)
			break;
		if (n < 0)
			n = 0;
	}
	close(l->cmd_fd[k]);
	l->cmd_fd[k] = -1;
}

/* Wait for launcher @k; its wait status, and the helper's last line in @out. */
static int launcher_wait(struct nsu_launchers *l, int k, char *out, size_t len)
{
	int status = 0;

	out[0] = '\0';
	if (l->pid[k] <= 0)
		return -1;
	while (waitpid(l->pid[k], &status, 0) < 0 && errno == EINTR)
		;
	l->pid[k] = -1;
	read_last_line(l->err_fd[k], out, len);
	close(l->err_fd[k]);
	l->err_fd[k] = -1;
	return status;
}

void nsu_launchers_cancel(struct nsu_launchers *l)
{
	char out[512];

	for (int k = 0; k < 2; k++) {
		launcher_go(l, k, NULL);
		launcher_wait(l, k, out, sizeof(out));
	}
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

/* Why @path could not write the map: name the cause and the fix. */
static void explain(char *buf, size_t len, const char *path, int spawn_err, int status,
		    const char *out)
{
	struct stat st;

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
	if (stat(path, &st) == 0 && !((st.st_mode & S_ISUID) && st.st_uid == 0) &&
	    !has_file_caps(path)) {
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

int nsu_maps_write(pid_t pid, struct nsu_map_job jobs[2], struct nsu_launchers *l,
		   struct nsu_err *e)
{
	/* Up to 340 extents of argv each: too large for the stack. */
	static struct nsu_idmap_argv args[2];
	static const char *const kind_name[2] = { "uid", "gid" };
	char target[24];

	snprintf(target, sizeof(target), "%ld", (long)pid);

	/* Let both helpers go before waiting for either: they run in parallel. */
	for (int k = 0; k < 2; k++) {
		jobs[k].fell_back = false;
		jobs[k].why[0] = '\0';
		if (jobs[k].helper) {
			nsu_idmap_argv(&args[k], jobs[k].helper, target, jobs[k].map);
			launcher_go(l, k, &args[k]);
		} else {
			launcher_go(l, k, NULL);
		}
	}

	/* Reap both before anything else, so no helper is left behind on error. */
	for (int k = 0; k < 2; k++) {
		char out[512];
		int status = launcher_wait(l, k, out, sizeof(out)), start_err = l->start_err[k];

		if (!jobs[k].helper)
			continue;
		if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		if (strncmp(out, EXEC_FAILED, strlen(EXEC_FAILED)) == 0)
			start_err = atoi(out + strlen(EXEC_FAILED));
		explain(jobs[k].why, sizeof(jobs[k].why), jobs[k].helper, start_err, status, out);
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
