/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libnsu's public calls (include/nsu.h, libnsu(3)). The options of a call
 * become nsu's own option words and go through nsu's parser, so that a
 * program gets the checks and the behaviour of the command, word for word.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "diagnose.h"
#include "inner.h"
#include "log.h"
#include "options.h"
#include "report.h"
#include "run.h"
#include "subids.h"
#include "util.h"
#include "nsu.h"

void nsu_opts_init(struct nsu_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->size = sizeof(*o);
}

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

/* The caller's options, of whatever size its header had; the rest zero. */
static int copy_opts(struct nsu_opts *to, const struct nsu_opts *from, struct nsu_err *e)
{
	nsu_opts_init(to);
	if (!from)
		return 0;
	if (from->size < offsetof(struct nsu_opts, mapping) || from->size > sizeof(*to))
		return nsu_fail(e, EINVAL, "struct nsu_opts of size %zu: set it up with "
				"nsu_opts_init() from this library's nsu.h", from->size);
	memcpy(to, from, from->size);
	to->size = sizeof(*to);
	return 0;
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* "nsu" OPTIONS... -- CMD...: malloc()ed, NULL-terminated; *cmd_at: where CMD starts. */
static char **option_words(const struct nsu_opts *o, char *const cmd[], size_t *cmd_at,
			   struct nsu_err *e)
{
	static const char *const mode_word[] = { [NSU_MAPPING_SINGLE] = "--single",
						 [NSU_MAPPING_CURRENT_USER] = "--map-current-user" };
	size_t max = 16 + 2 * (count(o->rlimits) + count(o->mask_paths) + count(o->ro_paths)) +
		     count(o->args) + count((const char *const *)cmd);
	const char **w = calloc(max, sizeof(*w));
	size_t n = 0;

	if (!w) {
		nsu_fail(e, ENOMEM, "out of memory");
		return NULL;
	}
#define WORD(x) (w[n++] = (x))
	WORD("nsu");
	if (o->mapping == NSU_MAPPING_SINGLE || o->mapping == NSU_MAPPING_CURRENT_USER)
		WORD(mode_word[o->mapping]);
	if (o->uidmap)
		WORD("--uidmap"), WORD(o->uidmap);
	if (o->gidmap)
		WORD("--gidmap"), WORD(o->gidmap);
	if (o->log_level == NSU_LOG_QUIET)
		WORD("-q");
	else if (o->log_level == NSU_LOG_VERBOSE)
		WORD("-v");
	if (o->user)
		WORD("--user"), WORD(o->user);
	if (o->flags & NSU_SETSID)
		WORD("--setsid");
	if (o->flags & NSU_NEW_PGRP)
		WORD("--new-pgrp");
	for (size_t i = 0; i < count(o->rlimits); i++)
		WORD("--rlimit"), WORD(o->rlimits[i]);
	for (size_t i = 0; i < count(o->mask_paths); i++)
		WORD("--mask-path"), WORD(o->mask_paths[i]);
	for (size_t i = 0; i < count(o->ro_paths); i++)
		WORD("--ro-path"), WORD(o->ro_paths[i]);
	if (o->chdir)
		WORD("--chdir"), WORD(o->chdir);
	for (size_t i = 0; i < count(o->args); i++)
		WORD(o->args[i]);
	WORD("--");
	*cmd_at = n;
	for (size_t i = 0; cmd[i]; i++)
		WORD(cmd[i]);
#undef WORD
	return (char **)w;
}

/* Check and parse @o into @n for the command @cmd. Return: 0, or -1 with @e filled. */
static int parse(struct nsu *n, const struct nsu_opts *o, char *const cmd[], char ***words,
		 struct nsu_err *e)
{
	size_t argc = 0, at;

	if (o->mapping < NSU_MAPPING_DEFAULT || o->mapping > NSU_MAPPING_CURRENT_USER)
		return nsu_fail(e, EINVAL, "struct nsu_opts: mapping %d is not an enum "
				"nsu_mapping", o->mapping);
	if (o->log_level < NSU_LOG_DEFAULT || o->log_level > NSU_LOG_VERBOSE)
		return nsu_fail(e, EINVAL, "struct nsu_opts: log_level %d is not an enum "
				"nsu_log_level", o->log_level);
	if (o->flags & ~(NSU_EVEN_ROOT | NSU_SETSID | NSU_NEW_PGRP))
		return nsu_fail(e, EINVAL, "struct nsu_opts: unknown flags 0x%x",
				o->flags & ~(NSU_EVEN_ROOT | NSU_SETSID | NSU_NEW_PGRP));
	*words = option_words(o, cmd, &at, e);
	if (!*words)
		return -1;
	while ((*words)[argc])
		argc++;
	if (nsu_options_parse(&n->o, (int)argc, *words, e) < 0)
		return nsu_err_wrap(e, "struct nsu_opts");
	/* A word of o->args that is no option would start the command early. */
	if (n->o.command != *words + at)
		return nsu_fail(e, EINVAL, "struct nsu_opts: args holds '%s', which is not an "
				"option of nsu", n->o.command ? n->o.command[0] : "--");
	if (n->o.action != NSU_ACTION_RUN || n->o.session || n->o.join)
		return nsu_fail(e, EINVAL, "struct nsu_opts: args may hold options of a run only "
				"(not --check, --print-mappings, --session..., --join, --help)");
	if (o->mapping == NSU_MAPPING_AUTO && n->o.mode == NSU_MODE_UNSET)
		n->o.mode = NSU_MODE_AUTO;
	n->lib = true;
	n->even_root = o->flags & NSU_EVEN_ROOT;
	n->helper[NSU_UID] = o->newuidmap;
	n->helper[NSU_GID] = o->newgidmap;
	n->parent = getppid();
	return 0;
}

int nsu_reexec(int argc, char **argv, const struct nsu_opts *opts,
			  struct nsu_error *err)
{
	/* Static: the outer process ends in nsu_cli_run(), and it is tens of kilobytes. */
	static struct nsu n;
	struct nsu_opts o;
	struct nsu_err e;
	char **words = NULL;

	/* The re-executed copy's first stage: nsu's own, which ends in the exec of the program. */
	if (argv && nsu_is_inner_stage(argc, argv))
		nsu_inner_stage(argc, argv);
	if (!argv || argc < 1 || !argv[0]) {
		nsu_fail(&e, EINVAL, "nsu_reexec() needs main()'s argc and argv");
		return set_error(err, EXIT_NSU_FAILURE, &e);
	}
	if (copy_opts(&o, opts, &e) < 0 || nsu_refuse_privileged_binary(&e) < 0)
		return set_error(err, EXIT_NSU_FAILURE, &e);
	if (nsu_is_privileged()) {
		if (!nsu_in_initial_userns())
			return NSU_REEXEC_INSIDE;
		if (!(o.flags & NSU_EVEN_ROOT))
			return NSU_REEXEC_PRIVILEGED;
	}
	memset(&n, 0, sizeof(n));
	if (parse(&n, &o, argv, &words, &e) < 0) {
		nsu_options_free(&n.o);
		free(words);
		return set_error(err, EXIT_NSU_FAILURE, &e);
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
	int ret = -1;

	if (status)
		*status = -1;
	if (!argv || !argv[0]) {
		nsu_fail(&out.err, EINVAL, "nsu_run_child() needs a command");
		return set_error(err, EXIT_NSU_FAILURE, &out.err);
	}
	if (copy_opts(&o, opts, &out.err) < 0)
		return set_error(err, EXIT_NSU_FAILURE, &out.err);
	n = calloc(1, sizeof(*n));
	if (!n) {
		nsu_fail(&out.err, ENOMEM, "out of memory");
		return set_error(err, EXIT_NSU_FAILURE, &out.err);
	}
	nsu_log_sink = o.log_fn ? o.log_fn : drop_line;
	nsu_log_sink_ctx = o.log_ctx;
	if (parse(n, &o, argv, &words, &out.err) == 0 &&
	    nsu_refuse_privileged_binary(&out.err) == 0 && nsu_cli_prepare(n, &r, &out.err) == 0) {
		/* Root with CAP_SYS_ADMIN: the mount namespace but no user namespace, as nsu. */
		if (!n->direct && nsu_is_privileged())
			r.userns = false;
		here.iso = r.iso;
		r.here = &here;
		nsu_run_here(&r, &out);
	}
	switch (out.kind) {
	case NSU_OUTCOME_STATUS:
		if (status)
			*status = out.status;
		ret = 0;
		break;
	case NSU_OUTCOME_REPORT: {
		char msg[1400];

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
	return ret;
}
