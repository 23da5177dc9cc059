/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libnsu's public calls (include/nsu.h, libnsu(3)): the only symbols the
 * library exports (libnsu.sym). Their options go through libopts.c.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "diagnose.h"
#include "inner.h"
#include "libopts.h"
#include "log.h"
#include "options.h"
#include "reexec-mark.h"
#include "report.h"
#include "run.h"
#include "subids.h"
#include "util.h"

const char *nsu_version(void)
{
	return PACKAGE_VERSION;
}

static int set_error(struct nsu_error *err, int status, const struct nsu_err *e)
{
	if (err) {
		err->code = e->errnum;
		err->status = status;
		/* A message at its full length loses its last few characters to the prefix. */
		snprintf(err->message, sizeof(err->message), "nsu: %.*s",
			 (int)(sizeof(err->message) - 6), e->msg);
	}
	return -1;
}

/*
 * The copy was executed as /proc/self/exe, which the kernel takes as its
 * name ("exe" in ps and top): it gets its program's name back.
 */
static void name_copy(void)
{
	char path[4096];
	ssize_t len = readlink("/proc/self/exe", path, sizeof(path) - 1);
	const char *base;

	if (len <= 0)
		return;
	path[len] = '\0';
	base = strrchr(path, '/');
	prctl(PR_SET_NAME, base ? base + 1 : path);
}

int nsu_reexec(int argc, char **argv, const struct nsu_opts *opts, struct nsu_error *err)
{
	/* Static: the outer process ends in nsu_cli_run(), and it is tens of kilobytes. */
	static struct nsu n;
	struct nsu_opts o;
	struct nsu_err e;
	char **words = NULL;
	int ret = 0;

	/* A setuid or setcap program: libnsu grants nothing, and does nothing. */
	if (nsu_refuse_privileged_binary(&e) < 0)
		return set_error(err, EXIT_NSU_FAILURE, &e);
	/* The re-executed copy's first stage: nsu's own, which ends in the exec of the program. */
	if (argv && nsu_is_inner_stage(argc, argv))
		nsu_inner_stage(argc, argv);
	if (!argv || argc < 1 || !argv[0]) {
		nsu_fail(&e, EINVAL, "nsu_reexec() needs main()'s argc and argv");
		return set_error(err, EXIT_NSU_FAILURE, &e);
	}
	/* The options are checked on every path, so that a mistake shows as root too. */
	memset(&n, 0, sizeof(n));
	if (nsu_lib_copy_opts(&o, opts, &e) < 0 || nsu_lib_parse(&n, &o, argv, &words, &e) < 0) {
		ret = set_error(err, EXIT_NSU_FAILURE, &e);
	} else if (nsu_reexec_marked()) {
		/* The copy, whatever it runs as inside. */
		name_copy();
		ret = NSU_REEXEC_INSIDE;
	} else if (nsu_is_privileged()) {
		/* As for nsu: root gets a user namespace when it asks for one, or for a map. */
		bool mapping = n.even_root || n.o.uidmap || n.o.gidmap ||
			       n.o.mode != NSU_MODE_UNSET;

		if (!nsu_in_initial_userns())
			ret = NSU_REEXEC_INSIDE;
		else if (!mapping)
			ret = NSU_REEXEC_PRIVILEGED;
	}
	if (ret) {
		nsu_options_free(&n.o);
		free(words);
		return ret;
	}
	n.exec_self = true;
	nsu_cli_guard_stdio();
	/* The command's output and nsu's may not mix with what the program buffered. */
	fflush(NULL);
	_exit(nsu_cli_run(&n));
}

/* nsu_run_child()'s messages go nowhere without a log_fn. */
static void drop_line(const char *line, void *ctx)
{
	(void)line;
	(void)ctx;
}

int nsu_run_child(char *const argv[], const struct nsu_opts *opts, nsu_child_fn fn,
			     void *ctx, int *status, struct nsu_error *err)
{
	struct nsu_here here = { .fn = fn, .ctx = ctx };
	void (*sink)(const char *, void *) = nsu_log_sink;
	void *sink_ctx = nsu_log_sink_ctx;
	int verbosity = nsu_verbosity;
	struct nsu_outcome out = { .kind = NSU_OUTCOME_ERROR };
	struct nsu_run_req r;
	struct nsu_opts o;
	struct nsu *n;
	char **words = NULL;
	int ret = -1, cancel_state;

	if (status)
		*status = -1;
	if (!argv || !argv[0]) {
		nsu_fail(&out.err, EINVAL, "nsu_run_child() needs a command");
		return set_error(err, EXIT_NSU_FAILURE, &out.err);
	}
	if (nsu_lib_copy_opts(&o, opts, &out.err) < 0)
		return set_error(err, EXIT_NSU_FAILURE, &out.err);
	n = calloc(1, sizeof(*n));
	if (!n) {
		nsu_fail(&out.err, ENOMEM, "out of memory");
		return set_error(err, EXIT_NSU_FAILURE, &out.err);
	}
	/* Cancelled half-way, the call would leave its child, descriptors and settings. */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
	nsu_log_sink = o.log_fn ? o.log_fn : drop_line;
	nsu_log_sink_ctx = o.log_ctx;
	if (nsu_lib_parse(n, &o, argv, &words, &out.err) == 0 &&
	    nsu_refuse_privileged_binary(&out.err) == 0) {
		bool asked_pid = n->o.iso.ns & CLONE_NEWPID;

		if (nsu_cli_prepare(n, &r, &out.err) == 0) {
			/*
			 * A pid namespace that nsu.conf turns on is for nsu's runs:
			 * this child cannot be its init, and the program did not ask.
			 */
			if (!asked_pid && (n->o.iso.ns & CLONE_NEWPID)) {
				n->o.iso.ns &= ~CLONE_NEWPID;
				n->o.iso.mount_proc = false;
				nsu_info("the configured pid namespace does not apply to "
					 "nsu_run_child()");
			}
			/* Root with CAP_SYS_ADMIN: the mount namespace but no user namespace, as nsu. */
			if (!n->direct && nsu_is_privileged())
				r.userns = false;
			here.iso = r.iso;
			r.here = &here;
			nsu_run_here(&r, &out);
		}
	}
	switch (out.kind) {
	case NSU_OUTCOME_STATUS:
		if (status)
			*status = out.status;
		ret = 0;
		break;
	case NSU_OUTCOME_REPORT: {
		char msg[1400];

		/* The child ended without running the command: how, all the same. */
		if (status)
			*status = out.status;
		nsu_report_message(&out.report, msg, sizeof(msg));
		nsu_fail(&out.err, out.report.errnum, "%s", msg);
		set_error(err, nsu_report_exit_status(&out.report), &out.err);
		break;
	}
	default:
		set_error(err, EXIT_NSU_FAILURE, &out.err);
		break;
	}
	nsu_options_free(&n->o);
	free(n->pw_buf);
	free(n);
	free(words);
	nsu_log_sink = sink;
	nsu_log_sink_ctx = sink_ctx;
	nsu_verbosity = verbosity;
	pthread_setcancelstate(cancel_state, NULL);
	return ret;
}
