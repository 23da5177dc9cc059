/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "diagnose.h"
#include "env.h"
#include "exec.h"
#include "report.h"
#include "spawn.h"
#include "util.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

struct child_args {
	pid_t parent;
	int self_fd;     /* our own executable, from /proc/self/exe */
	int release_r, report_w;
	char **inner_argv;
	size_t cmd_index;  /* where the command starts in inner_argv */
	const struct nsu_child_spec *spec;
};

extern char **environ;

/* The child never shares memory with the parent: this is its private stack. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));

/*
 * The child runs on that stack, which AddressSanitizer does not know as
 * one: left instrumented, its way out through _exit() draws a false
 * report about the stack's bounds.
 */
#define CHILD_CODE __attribute__((no_sanitize_address))

static CHILD_CODE __attribute__((noreturn)) void child_fail(int fd, enum nsu_stage stage, int err,
							     const char *detail)
{
	nsu_report_send(fd, stage, err, detail);
	_exit(125);
}

int CHILD_CODE nsu_mounts_make_private(void)
{
	/* Source and type are ignored for a propagation change; "none" keeps checkers quiet. */
	return mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ? -errno : 0;
}

static CHILD_CODE int child_main(void *arg)
{
	struct child_args *a = arg;
	const struct nsu_child_spec *spec = a->spec;
	int r;

	/*
	 * A process group of its own: signals sent to nsu's group reach nsu
	 * alone, which passes them on once, and the terminal can be handed
	 * to the command as a shell hands it to a job. A session's holder
	 * gets a session of its own: it outlives the caller's. So does a
	 * command run with --setsid, which must not keep the terminal (a
	 * group leader cannot call setsid(): it is done here, first).
	 */
	if ((spec->flags & (NSU_INNER_HOLDER | NSU_INNER_NEW_SESSION) ? setsid() :
								       setpgid(0, 0)) < 0)
		child_fail(a->report_w, NSU_STAGE_NONE, errno, NULL);

	/*
	 * Die with the parent; then make sure it did not die already (in a new
	 * pid namespace getppid() cannot tell: there the release pipe does, which
	 * reads end of file once the parent is gone).
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->parent)
		_exit(125);

	/* nsu reset SIGCHLD to wait for its children; the command gets it back as it was. */
	if (spec->chld_ignored)
		signal(SIGCHLD, SIG_IGN);

	r = nsu_mounts_make_private();
	if (r < 0)
		child_fail(a->report_w, NSU_STAGE_MOUNT, -r, NULL);

	/*
	 * Our uid is not mapped yet, so execve() would drop every capability.
	 * Carry them through the ambient set: the inner stage then keeps a
	 * full set up to the command's exec, which keeps PR_SET_PDEATHSIG
	 * armed (the kernel clears it when an exec grows the capability set).
	 */
	r = nsu_caps_keep_across_exec();
	if (r < 0)
		child_fail(a->report_w, NSU_STAGE_CAPS, -r, NULL);

	/* The command's environment, made here: the process that executes applies it. */
	r = nsu_env_apply(spec->containers_env, spec->outer_uid, spec->outer_gid, spec->env_ops,
			  spec->n_env_ops);
	if (r < 0)
		child_fail(a->report_w, NSU_STAGE_REEXEC, -r, NULL);

	if (fcntl(a->release_r, F_SETFD, 0) < 0 || fcntl(a->report_w, F_SETFD, 0) < 0)
		child_fail(a->report_w, NSU_STAGE_REEXEC, errno, NULL);
	sigprocmask(SIG_SETMASK, spec->mask, NULL);
	/*
	 * Execute the very file we run from. The descriptor was opened from
	 * /proc/self/exe before the clone (which also makes this work under
	 * valgrind, where /proc/self/exe would name valgrind itself).
	 */
	if (a->self_fd >= 0)
		syscall(SYS_execveat, a->self_fd, "", a->inner_argv, environ, AT_EMPTY_PATH);
	else
		execve("/proc/self/exe", a->inner_argv, environ);
	/* Too large to pass through nsu: the command could not be executed (126). */
	if (errno == E2BIG)
		child_fail(a->report_w, NSU_STAGE_EXEC, E2BIG, a->inner_argv[a->cmd_index]);
	child_fail(a->report_w, NSU_STAGE_REEXEC, errno, NULL);
}

/* Why clone() failed: what user namespaces need here, or the resource that ran out. */
int nsu_spawn_failed(int err, struct nsu_err *e)
{
	struct nsu_fact f;

	switch (err) {
	case EAGAIN:
		return nsu_fail(e, err, "cannot create a process: %s (the limit on your "
				"processes, ulimit -u, is reached?)", strerror(err));
	case ENOMEM:
		return nsu_fail(e, err, "cannot create a process: %s", strerror(err));
	default:
		nsu_diag_userns_failure(err, &f);
		if (*f.fix)
			return nsu_fail(e, err, "cannot create a user namespace: %s; fix: %s", f.text,
					f.fix);
		return nsu_fail(e, err, "cannot create a user namespace: %s", f.text);
	}
}

/*
 * clone() the child, with a pidfd where the kernel gives one (5.2 and later).
 *
 * The parent reads the ranges meanwhile, off the child's CPU (see
 * step_aside() in run.c). (No CLONE_VM: the child has its own copy of the
 * memory.)
 */
static pid_t clone_child(struct child_args *a, int flags, int *pidfd)
{
	pid_t pid;

	flags |= SIGCHLD;
	*pidfd = -1;
	pid = clone(child_main, child_stack + sizeof(child_stack), flags | CLONE_PIDFD, a, pidfd);
	if (pid < 0 && errno == EINVAL) {
		*pidfd = -1;
		pid = clone(child_main, child_stack + sizeof(child_stack), flags, a);
	}
	return pid; /* the pidfd is close-on-exec */
}

int nsu_spawn_child(struct nsu_child *c, int flags, const struct nsu_child_spec *spec,
		    struct nsu_err *e)
{
	_cleanup_(nsu_child_pipes_close) struct nsu_child_pipes pp = NSU_CHILD_PIPES_NONE;
	_cleanup_close_ int self_fd = -1;
	_cleanup_free_ char **inner_argv = NULL;
	/* In a new pid namespace, the parent is outside it: getppid() there is 0. */
	struct child_args a = { .parent = flags & CLONE_NEWPID ? 0 : getpid(), .spec = spec };
	char state[128];
	size_t argc = 0, nwords = 0;
	int pidfd;
	pid_t pid;

	*c = (struct nsu_child){ .pid = -1, .pidfd = -1, .procfd = -1, .release_fd = -1,
				 .report_fd = -1 };
	while (spec->argv[argc])
		argc++;

	if (nsu_child_pipes_open(&pp, e) < 0)
		return -1;
	snprintf(state, sizeof(state), "%d,%d,%ld,%lu,%lu,%u", pp.release_r, pp.report_w,
		 (long)a.parent, (unsigned long)spec->uid, (unsigned long)spec->gid, spec->flags);
	self_fd = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	while (spec->iso_words && spec->iso_words[nwords])
		nwords++;
	/* nsu NSU_INNER_ARG STATE DIR ISOLATION-OPTIONS... -- CMD... */
	inner_argv = calloc(argc + nwords + 6, sizeof(char *));
	if (!inner_argv)
		return nsu_fail(e, ENOMEM, "out of memory");
	inner_argv[0] = (char *)"nsu";
	inner_argv[1] = (char *)NSU_INNER_ARG;
	inner_argv[2] = state;
	inner_argv[3] = (char *)(spec->chdir ? spec->chdir : "");
	if (nwords)
		memcpy(inner_argv + 4, spec->iso_words, nwords * sizeof(char *));
	inner_argv[4 + nwords] = (char *)"--";
	memcpy(inner_argv + 5 + nwords, spec->argv, (argc + 1) * sizeof(char *));
	a.cmd_index = 5 + nwords;
	a.self_fd = self_fd;
	a.release_r = pp.release_r;
	a.report_w = pp.report_w;
	a.inner_argv = inner_argv;

	pid = clone_child(&a, flags, &pidfd);
	if (pid < 0)
		return nsu_spawn_failed(errno, e);
	nsu_child_adopt(c, pid, pidfd, &pp);
	return 0;
}
