/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The run path: one command in a new user and mount namespace, from the
 * ranges to the command's end (run.c reads top to bottom), and the same
 * steps for --print-mappings and --check's trial.
 */
#ifndef NSU_RUN_H
#define NSU_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "check.h"
#include "idmap.h"
#include "isolation.h"
#include "log.h"
#include "options.h"
#include "report.h"
#include "signals.h"
#include "spawn.h"

/* What one run needs: decided by main() from the options and configuration. */
struct nsu_run_req {
	uid_t uid;                           /* the caller, outside */
	gid_t gid;
	bool named;                          /* the caller has a passwd entry */
	const char *owner[2];                /* whose uid and gid ranges to use */
	enum nsu_map_mode mode;
	const struct nsu_idmap *explicit_map[2]; /* --uidmap/--gidmap lines per kind, or NULL */
	const char *explicit_opt[2];         /* the option each came from */
	bool remap;                          /* root with --remap: another user's ranges from 0 */
	bool direct;                         /* root: nsu writes any map itself, no helpers */
	const char *helper[2];               /* newuidmap, newgidmap */
	const char *helper_origin[2];        /* "FILE:LINE" that set each, "" for the default */
	unsigned helper_timeout;             /* seconds a helper may take */
	bool warn_fallback;                  /* warn when a map falls back */
	bool containers_env;                 /* add the _CONTAINERS_* variables */
	bool userns;                         /* a new user namespace (false: root as it is) */
	const struct nsu_isolation *iso;     /* more namespaces, filesystem, privileges */
	pid_t parent;                        /* nsu's parent when it started (--die-with-parent) */
	const char *hold_dir;                /* nsu_run_hold(): the session's directory */
	const char *chdir;                   /* -w, or NULL */
	bool exec_self;                      /* cmd is this program: exec /proc/self/exe (libnsu) */
	const struct nsu_here *here;         /* nsu_run_here(): the child's function */
	const struct nsu_env_op *env_ops;    /* --setenv/--unsetenv */
	size_t n_env_ops;
	char **cmd;                          /* the command */
};

/* How a run ended, for main() to report. */
struct nsu_outcome {
	enum {
		NSU_OUTCOME_STATUS,  /* the command's wait status, or a signal that ended the set-up */
		NSU_OUTCOME_REPORT,  /* the child failed before the command ran: report */
		NSU_OUTCOME_ERROR,   /* nsu failed: err */
	} kind;
	int status;          /* with a report too: the child's wait status, where nsu reaped it */
	struct nsu_report report;
	struct nsu_err err;
};

/**
 * nsu_run() - run @r->cmd in a new user and mount namespace
 * @r: the request
 * @out: receives how it ended
 *
 * Signals are nsu's from the clone on (see signals.h); the command starts
 * with the caller's mask and dispositions.
 */
void nsu_run(const struct nsu_run_req *r, struct nsu_outcome *out);

/**
 * nsu_run_here() - run @r->cmd in a child that sets itself up (libnsu)
 * @r: the request, with @r->here
 * @out: receives how it ended
 *
 * Like nsu_run(), but the child runs @r->here's function before the
 * command, and signals are nsu's during the set-up only: given back, and
 * those that came raised again, before the command is waited for. The
 * command is not supervised: it stays in the caller's process group, and
 * nothing is passed on to it.
 */
void nsu_run_here(const struct nsu_run_req *r, struct nsu_outcome *out);

/* A session's holder, once it runs. */
struct nsu_hold {
	pid_t pid;
	uint32_t uid, gid;      /* whom the session's commands run as inside */
	bool drop_groups;       /* ... without supplementary groups */
};

/**
 * nsu_run_hold() - make the namespaces of @r, held by a session's holder
 * @r: the request; @r->hold_dir is the session's directory (the holder ends
 *     when it goes), @r->cmd is not run
 * @h: receives the holder, which runs detached and is not waited for
 * @sigs: receives the signals, taken (see signals.h) and still so on
 *        success: signals that came during the set-up wait in sigs->deferred
 *        for the command that joins next
 * @out: receives why it failed
 *
 * Return: 0, or -1 with @out filled.
 */
int nsu_run_hold(const struct nsu_run_req *r, struct nsu_hold *h, struct nsu_sigs *sigs,
		 struct nsu_outcome *out);

/**
 * nsu_run_privileged() - run @r->cmd as we are, in a private mount namespace only
 * @r: the request
 * @out: receives why it could not run the command (on success it never returns)
 *
 * For root with CAP_SYS_ADMIN (real root, or nsu inside nsu), who needs no
 * new user namespace.
 */
void nsu_run_privileged(const struct nsu_run_req *r, struct nsu_outcome *out);

/**
 * nsu_run_print_mappings() - print the maps a run would write, on stdout
 * Return: 0, or -1 with @e filled.
 */
int nsu_run_print_mappings(const struct nsu_run_req *r, struct nsu_err *e);

/* --check's trial (struct nsu_check_in.trial): @ctx is a struct nsu_run_req. */
enum nsu_trial nsu_run_trial(void *ctx, char *detail, size_t len);

#endif
