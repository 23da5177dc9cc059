/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"
#include "exec.h"
#include "join.h"
#include "procsetup.h"
#include "sanitize.h"
#include "signals.h"
#include "tty.h"
#include "util.h"

int nsu_join_differing(const struct nsu_target *t, int kinds)
{
	struct nsu_ns_id own[NSU_NS_COUNT];
	int flags = 0;

	nsu_own_namespaces(kinds, own);
	for (int k = 0; k < NSU_NS_COUNT; k++)
		if ((kinds & nsu_ns_info[k].flag) && t->ns[k].ino &&
		    (t->ns[k].ino != own[k].ino || t->ns[k].dev != own[k].dev))
			flags |= nsu_ns_info[k].flag;
	return flags;
}

/* The names of the namespaces in @flags, for messages ("user, mnt"). */
static void ns_names(int flags, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (int k = 0; k < NSU_NS_COUNT && used < len; k++)
		if (flags & nsu_ns_info[k].flag)
			used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "",
						 nsu_ns_info[k].name);
}

/*
 * Enter @t's namespaces of @flags: all at once through its pidfd (Linux
 * 5.8), else one by one through /proc/PID/ns, each checked to be the one
 * read when @t was opened, user first.
 */
static int enter(const struct nsu_target *t, int flags, struct nsu_err *e)
{
	char names[64];
	int err;

	if (!flags)
		return 0;
	if (t->pidfd >= 0 && setns(t->pidfd, flags) == 0)
		return 0;
	err = errno;
	if (t->pidfd < 0 || err == EINVAL) {
		err = 0;
		for (int k = 0; k < NSU_NS_COUNT && !err; k++) {
			char name[32];
			struct stat st;
			int fd;

			if (!(flags & nsu_ns_info[k].flag))
				continue;
			snprintf(name, sizeof(name), "ns/%s", nsu_ns_info[k].name);
			fd = openat(t->procfd, name, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || fstat(fd, &st) < 0)
				err = errno;
			else if (st.st_ino != t->ns[k].ino || st.st_dev != t->ns[k].dev)
				err = ESRCH; /* not the process we opened any more */
			else if (setns(fd, nsu_ns_info[k].flag) < 0)
				err = errno;
			if (fd >= 0)
				close(fd);
		}
		if (!err && !nsu_target_alive(t))
			err = ESRCH;
		if (!err)
			return 0;
	}
	ns_names(flags, names, sizeof(names));
	if (err == ESRCH)
		return nsu_fail(e, err, "process %ld ended while its namespaces (%s) were being "
				"entered", (long)t->pid, names);
	return nsu_fail(e, err, "cannot enter the namespaces (%s) of process %ld: %s%s", names,
			(long)t->pid, strerror(err),
			err == EPERM ? " (they must be yours: a user namespace you own, or one "
				       "you are root in)" : "");
}

/* The directory to start in: -w, else the caller's, else (not there inside) the root. */
static int enter_dir(const struct nsu_join_req *r, const char *cwd, struct nsu_report *rep)
{
	if (r->chdir) {
		if (chdir(r->chdir) == 0)
			return 0;
		*rep = (struct nsu_report){ .stage = NSU_STAGE_CHDIR, .errnum = errno };
		snprintf(rep->detail, sizeof(rep->detail), "%s", r->chdir);
		return -1;
	}
	if (cwd && chdir(cwd) == 0)
		return 0;
	nsu_info("%s is not there inside: starting in /", cwd ? cwd : "the current directory");
	if (chdir("/") == 0)
		return 0;
	*rep = (struct nsu_report){ .stage = NSU_STAGE_CHDIR, .errnum = errno };
	snprintf(rep->detail, sizeof(rep->detail), "/");
	return -1;
}

/* Inside: the directory, the ids, the capabilities, the environment and the limits. */
static int become_command(const struct nsu_join_req *r, const char *cwd, struct nsu_report *rep)
{
	int err;

	if (enter_dir(r, cwd, rep) < 0 || nsu_become(&r->id, r->iso, rep) < 0)
		return -1;
	err = -nsu_env_apply(r->containers_env, r->outer_uid, r->outer_gid, r->env_ops,
			     r->n_env_ops);
	if (err > 0) {
		*rep = (struct nsu_report){ .stage = NSU_STAGE_REEXEC, .errnum = err };
		return -1;
	}
	return nsu_proc_setup(r->iso, rep);
}

bool nsu_join_needs_child(const struct nsu_join_req *r)
{
	return (r->ns & CLONE_NEWPID) || r->iso->setsid || r->iso->new_pgrp;
}

/* --die-with-parent: armed across the exec of a process that becomes the command. */
static void die_with_parent(const struct nsu_join_req *r)
{
	if (r->iso->die_with_parent)
		nsu_die_with_parent(r->parent);
}

void nsu_join_exec(const struct nsu_join_req *r, struct nsu_outcome *out)
{
	_cleanup_free_ char *cwd = r->chdir ? NULL : getcwd(NULL, 0);

	memset(out, 0, sizeof(*out));
	out->kind = NSU_OUTCOME_ERROR;
	die_with_parent(r);
	if (enter(r->t, r->ns, &out->err) < 0)
		return;
	out->kind = NSU_OUTCOME_REPORT;
	if (become_command(r, cwd, &out->report) < 0)
		return;
	nsu_exec_command(r->cmd);
	nsu_report_fill_exec(&out->report, r->cmd[0], errno);
}

/* --- a child in a pid namespace ------------------------------------------------ */

struct join_child {
	const struct nsu_join_req *r;
	const char *cwd;
	const sigset_t *mask;
	bool chld_ignored;
	int release_r, report_w;
};

static __attribute__((noreturn)) void child_fail(int fd, const struct nsu_report *rep)
{
	nsu_report_write(fd, rep);
	_exit(rep->stage == NSU_STAGE_EXEC ? nsu_report_exit_status(rep) : 125);
}

/*
 * The forked child: its own process group (with --setsid, session), the
 * rest of the namespaces, the command.
 */
static __attribute__((noreturn)) void join_child(const struct join_child *c, int ns)
{
	struct pollfd p = { .fd = c->release_r, .events = POLLIN };
	struct nsu_report rep = { 0 };
	struct nsu_err e;
	ssize_t n;
	char go;

	if (c->r->iso->setsid)
		setsid();
	else
		setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Wait for the terminal; then the parent must still be there (its end stays open). */
	do
		n = read(c->release_r, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || poll(&p, 1, 0) != 0)
		_exit(125);
	close(c->release_r);
	if (enter(c->r->t, ns, &e) < 0) {
		nsu_report_from_err(&rep, &e);
		child_fail(c->report_w, &rep);
	}
	if (become_command(c->r, c->cwd, &rep) < 0)
		child_fail(c->report_w, &rep);
	if (c->chld_ignored)
		signal(SIGCHLD, SIG_IGN);
	sigprocmask(SIG_SETMASK, c->mask, NULL);
	nsu_exec_command(c->r->cmd);
	nsu_report_fill_exec(&rep, c->r->cmd[0], errno);
	child_fail(c->report_w, &rep);
}

/* Fork the child, which enters what is left of @r->ns; @ch receives it. */
static int fork_child(const struct nsu_join_req *r, int outer_ns, const char *cwd,
		      const struct nsu_sigs *sigs, struct nsu_child *ch, struct nsu_err *e)
{
	_cleanup_(nsu_child_pipes_close) struct nsu_child_pipes pp = NSU_CHILD_PIPES_NONE;
	pid_t pid;

	*ch = (struct nsu_child){ .pid = -1, .pidfd = -1, .procfd = -1, .release_fd = -1,
				  .report_fd = -1 };
	if (nsu_child_pipes_open(&pp, e) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return nsu_fail(e, errno, "cannot create a process: %s", strerror(errno));
	if (pid == 0) {
		struct join_child c = { .r = r, .cwd = cwd, .mask = &sigs->orig,
					.chld_ignored = sigs->chld_ignored,
					.release_r = pp.release_r, .report_w = pp.report_w };

		close(sigs->fd);
		close(pp.release_w);
		close(pp.report_r);
		join_child(&c, r->ns & ~outer_ns);
	}
	nsu_child_adopt(ch, pid, -1, &pp);
	return 0;
}

void nsu_join_run(const struct nsu_join_req *r, struct nsu_outcome *out)
{
	_cleanup_free_ char *cwd = r->chdir ? NULL : getcwd(NULL, 0);
	/* A pid namespace is for children: nsu enters it, and the user namespace it needs. */
	int outer_ns = r->ns & CLONE_NEWPID ? r->ns & (CLONE_NEWPID | CLONE_NEWUSER) : 0;
	struct nsu_watch w = { .via_init = false };
	struct nsu_sigs own, *sigs = r->sigs ? r->sigs : &own;
	struct nsu_child ch;
	struct nsu_tty tty;

	memset(out, 0, sizeof(*out));
	out->kind = NSU_OUTCOME_ERROR;
	die_with_parent(r);
	if (outer_ns & CLONE_NEWPID)
		nsu_leak_check_now();
	if (enter(r->t, outer_ns, &out->err) < 0 ||
	    (!r->sigs && nsu_signals_take(sigs, &out->err) < 0))
		return;
	if (fork_child(r, outer_ns, cwd, sigs, &ch, &out->err) < 0)
		return;
	/* The terminal's foreground to the command before it starts (not with --setsid). */
	nsu_tty_open(&tty, r->iso->setsid ? 0 : ch.pid);
	nsu_tty_give(&tty);
	if (nsu_child_release(&ch) < 0)
		nsu_info("the child ended before it could be released");
	nsu_signals_pass_deferred(sigs, &ch, &w);
	out->status = nsu_supervise(&ch, sigs, &tty, &w);
	nsu_tty_close(&tty);
	out->kind = NSU_OUTCOME_STATUS;
	if (nsu_child_read_report(&ch, &out->report) == 1)
		out->kind = NSU_OUTCOME_REPORT;
	nsu_child_close(&ch);
}
