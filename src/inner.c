/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "become.h"
#include "diagnose.h"
#include "exec.h"
#include "fsetup.h"
#include "holder.h"
#include "init.h"
#include "inner.h"
#include "netlo.h"
#include "options.h"
#include "procsetup.h"
#include "reexec-mark.h"
#include "report.h"
#include "spawn.h"

/* What the outer nsu put on the command line: "RELEASE,REPORT,PARENT,UID,GID,FLAGS". */
struct inner_state {
	int release_r, report_w;
	pid_t parent;
	uid_t uid;
	gid_t gid;
	unsigned flags;
};

static int parse_state(const char *s, struct inner_state *m)
{
	static const unsigned long long max[6] = { 0x7fffffffULL, 0x7fffffffULL, 0x7fffffffULL,
						   0xfffffffeULL, 0xfffffffeULL, 0xffffULL };
	unsigned long long v[6];
	char *end;

	for (int i = 0; i < 6; i++) {
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v[i] = strtoull(s, &end, 10);
		if (errno || *end != (i < 5 ? ',' : '\0') || v[i] > max[i])
			return -1;
		s = end + 1;
	}
	m->release_r = (int)v[0];
	m->report_w = (int)v[1];
	m->parent = (pid_t)v[2];
	m->uid = (uid_t)v[3];
	m->gid = (gid_t)v[4];
	m->flags = (unsigned)v[5];
	return 0;
}

/*
 * Is the outer nsu still there? It holds the write end of the release pipe
 * until it ends, and is the only one to hold it: a hang-up there says it is
 * gone. (getppid() would say too, but not in a new pid namespace, where the
 * parent is outside and the answer is always 0.)
 */
static bool parent_alive(const struct inner_state *m)
{
	struct pollfd p = { .fd = m->release_r, .events = POLLIN };

	return poll(&p, 1, 0) == 0;
}

static bool is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

bool nsu_is_inner_stage(int argc, char **argv)
{
	return argc >= 2 && strcmp(argv[1], NSU_INNER_ARG) == 0;
}

/* The descriptors open now, as a bit set of the first 1024 numbers; false if unknown. */
static bool open_fds(unsigned long set[1024 / (8 * sizeof(unsigned long))])
{
	const size_t bits = 8 * sizeof(unsigned long);
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	if (!d)
		return false;
	memset(set, 0, 1024 / 8);
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] != '.' && fd != dirfd(d) && fd >= 0 && fd < 1024)
			set[fd / bits] |= 1UL << (fd % bits);
	}
	closedir(d);
	return true;
}

/*
 * Nothing of the inner stage's own may reach the command: every descriptor
 * that was not open when it started (the caller's, and its two pipes) must
 * be close-on-exec, the release pipe closed and the report pipe
 * close-on-exec.
 */
static int check_fds(const struct inner_state *m, const unsigned long *before, struct nsu_err *e)
{
	const size_t bits = 8 * sizeof(unsigned long);
	unsigned long now[1024 / (8 * sizeof(unsigned long))];

	if (fcntl(m->release_r, F_GETFD) >= 0 || !(fcntl(m->report_w, F_GETFD) & FD_CLOEXEC))
		return nsu_fail(e, EBADF, "nsu left one of its own pipes to the command "
				"(please report this bug)");
	if (!before || !open_fds(now))
		return 0;
	for (int fd = 3; fd < 1024; fd++) {
		int flags;

		if (!(now[fd / bits] & (1UL << (fd % bits))) || (before[fd / bits] & (1UL << (fd % bits))))
			continue;
		flags = fcntl(fd, F_GETFD);
		if (flags >= 0 && !(flags & FD_CLOEXEC))
			return nsu_fail(e, EBADF, "nsu left its descriptor %d open for the command "
					"(please report this bug)", fd);
	}
	return 0;
}

int nsu_inner_set_up(const struct nsu_isolation *iso, struct nsu_err *e)
{
	struct nsu_fs_setup fs = {
		.rootfs = iso->rootfs, .ro_root = iso->ro_root, .proc_fresh = iso->mount_proc,
		.pid_ns = iso->ns & CLONE_NEWPID, .ops = iso->fs, .n_ops = iso->n_fs,
	};

	if (iso->hostname && sethostname(iso->hostname, strlen(iso->hostname)) < 0)
		return nsu_fail(e, errno, "--hostname %s: cannot set the host name: %s",
				iso->hostname, strerror(errno));
	if ((iso->ns & CLONE_NEWNET) && nsu_loopback_up(e) < 0)
		return nsu_err_wrap(e, "--net");
	if ((fs.rootfs || fs.n_ops || fs.proc_fresh) && nsu_fs_setup(&fs, e) < 0)
		return -1;
	return 0;
}

void nsu_inner_stage(int argc, char **argv)
{
	unsigned long before[1024 / (8 * sizeof(unsigned long))];
	struct nsu_report rep;
	struct nsu_options o;
	struct inner_state m;
	struct nsu_err e;
	bool fds_known = false;
	int watch = -1;
	char **cmd;
	ssize_t n;
	char go;

	/*
	 * Only nsu's own re-execution passes this: the state names this
	 * process's parent and two pipes, in a user namespace the parent made
	 * and has not written maps for yet. Anything else was typed by hand.
	 */
	if (argc < 6 || parse_state(argv[2], &m) < 0 || getppid() != m.parent ||
	    !is_pipe(m.release_r) || !is_pipe(m.report_w) ||
	    (!(m.flags & NSU_INNER_NO_USERNS) && !nsu_uid_map_empty())) {
		nsu_print("%s is for nsu's own use (it starts nsu's inner stage) and cannot "
			  "be given by hand; see 'nsu --help'", NSU_INNER_ARG);
		_exit(125);
	}
	if (fcntl(m.report_w, F_SETFD, FD_CLOEXEC) < 0)
		nsu_report_die_at(m.report_w, NSU_STAGE_REEXEC, errno, NULL);
	/* The isolation, as the outer nsu wrote it: ARGV[3] stands for the program name. */
	if (nsu_options_parse(&o, argc - 3, argv + 3, &e) < 0 || !o.command)
		nsu_report_die_setup(m.report_w, &e);
	cmd = o.command;
	if (m.flags & NSU_INNER_EXEC_SELF) {
		int r = nsu_reexec_mark();

		if (r < 0)
			nsu_report_die_at(m.report_w, NSU_STAGE_REEXEC, -r, NULL);
		nsu_exec_self();
	}
	if (nsu_isolation_any(&o.iso))
		fds_known = open_fds(before);
	/* A session's holder watches its directory, before the set-up may hide it. */
	if ((m.flags & NSU_INNER_HOLDER) && (watch = nsu_holder_watch(argv[3], &e)) < 0)
		nsu_report_die_setup(m.report_w, &e);

	/* Tell the parent it may write our maps, and wait until it has. */
	nsu_report_send(m.report_w, NSU_STAGE_READY, 0, NULL);
	do
		n = read(m.release_r, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(125); /* the parent gave up and says why */

	if (nsu_inner_set_up(&o.iso, &e) < 0)
		nsu_report_die_setup(m.report_w, &e);
	/* Where nsu wrote the maps itself (root), keep no group of the caller. */
	if (nsu_become(&(struct nsu_identity){ .uid = m.uid, .gid = m.gid,
					       .drop_groups = m.flags & NSU_INNER_DROP_GROUPS },
		       &o.iso, &rep) < 0) {
		nsu_report_die(m.report_w, &rep);
	}
	/* Re-arm after the id switch, which may clear it, and re-check the parent. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || !parent_alive(&m))
		_exit(125);
	close(m.release_r);

	if (m.flags & NSU_INNER_HOLDER)
		nsu_holder_run(watch, m.report_w);
	if (argv[3][0] && chdir(argv[3]) < 0)
		nsu_report_die_at(m.report_w, NSU_STAGE_CHDIR, errno, argv[3]);
	if (check_fds(&m, fds_known ? before : NULL, &e) < 0)
		nsu_report_die_setup(m.report_w, &e);
	/* The init of a new pid namespace: the command runs as its child. */
	if (getpid() == 1)
		nsu_init_run(cmd, &o.iso, m.report_w);
	if (nsu_proc_setup(&o.iso, &rep) < 0) {
		nsu_report_die(m.report_w, &rep);
	}
	nsu_report_exec(m.report_w, cmd);
}
