/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The child of libnsu's nsu_run_child(). The nsu command's child
 * re-executes nsu as its inner stage; this one cannot (the program is the
 * caller's), so it takes the inner stage's steps in its own process: a fork
 * of the caller (fork(), not clone(): the C library then keeps its locks
 * usable in the child of a program with threads), which enters its new
 * namespaces with unshare(), says it is ready, waits for its maps, sets up,
 * runs the caller's function and executes the command.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "become.h"
#include "env.h"
#include "exec.h"
#include "inner.h"
#include "procsetup.h"
#include "report.h"
#include "signals.h"
#include "spawn.h"
#include "util.h"

static __attribute__((noreturn)) void here_child(const struct nsu_child_spec *spec, int flags,
						 pid_t parent, int release_r, int report_w)
{
	const struct nsu_here *h = spec->here;
	struct nsu_report rep;
	struct nsu_err e;
	ssize_t n;
	char go;
	int r;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(125);
	/* The caller's handlers are for the caller (every signal is still blocked here). */
	nsu_signals_default_caught();
	if (spec->chld_ignored)
		signal(SIGCHLD, SIG_IGN);
	if (unshare(flags) < 0) {
		nsu_spawn_failed(errno, &e);
		nsu_report_die_setup(report_w, &e);
	}
	r = nsu_mounts_make_private();
	if (r < 0)
		nsu_report_die_at(report_w, NSU_STAGE_MOUNT, -r, NULL);
	r = nsu_env_apply(spec->containers_env, spec->outer_uid, spec->outer_gid, spec->env_ops,
			  spec->n_env_ops);
	if (r < 0) {
		nsu_fail(&e, -r, "cannot set the command's environment: %s", strerror(-r));
		nsu_report_die_setup(report_w, &e);
	}

	/* Ready for the maps; the parent writes them and lets us go. */
	nsu_report_send(report_w, NSU_STAGE_READY, 0, NULL);
	do
		n = read(release_r, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(125); /* the parent gave up and says why */
	close(release_r);

	if (nsu_inner_set_up(h->iso, &e) < 0)
		nsu_report_die_setup(report_w, &e);
	/* The caller's function and the command run with the caller's mask. */
	sigprocmask(SIG_SETMASK, spec->mask, NULL);
	if (h->fn && (r = h->fn(h->ctx)) != 0) {
		nsu_fail(&e, r > 0 ? r : EIO, "the function to run before %s failed: %s",
			 spec->argv[0], r > 0 ? strerror(r) : "it returned an error");
		nsu_report_die_setup(report_w, &e);
	}
	if (nsu_become(&(struct nsu_identity){ .uid = spec->uid, .gid = spec->gid,
					       .drop_groups = spec->flags & NSU_INNER_DROP_GROUPS },
		       h->iso, &rep) < 0) {
		nsu_report_die(report_w, &rep);
	}
	/* The switch of ids clears it: armed again, and the parent checked again. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(125);
	if (spec->chdir && chdir(spec->chdir) < 0)
		nsu_report_die_at(report_w, NSU_STAGE_CHDIR, errno, spec->chdir);
	/* --setsid, --new-pgrp, --rlimit: last, as on every path. */
	if (nsu_proc_setup(h->iso, &rep) < 0) {
		nsu_report_die(report_w, &rep);
	}
	nsu_report_exec(report_w, spec->argv);
}

int nsu_spawn_here(struct nsu_child *c, int flags, const struct nsu_child_spec *spec,
		   struct nsu_err *e)
{
	_cleanup_(nsu_child_pipes_close) struct nsu_child_pipes pp = NSU_CHILD_PIPES_NONE;
	pid_t parent = getpid(), pid;

	*c = (struct nsu_child){ .pid = -1, .pidfd = -1, .procfd = -1, .release_fd = -1,
				 .report_fd = -1 };
	if (flags & CLONE_NEWPID)
		return nsu_fail(e, EINVAL, "--pid needs nsu's own init, which only a re-executed "
				"program has: use nsu_reexec() or the nsu command for it");
	if (nsu_child_pipes_open(&pp, e) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return nsu_spawn_failed(errno, e);
	if (pid == 0) {
		/* The parent's ends: a parent gone must read as end of file here. */
		close(pp.release_w);
		close(pp.report_r);
		here_child(spec, flags, parent, pp.release_r, pp.report_w);
	}
	nsu_child_adopt(c, pid, -1, &pp);
	return 0;
}
