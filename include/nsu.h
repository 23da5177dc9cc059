/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libnsu: become root in a new user namespace, without privileges of one's
 * own, the way the nsu command does it. See libnsu(3).
 */
#ifndef NSU_H
#define NSU_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface: the N of the symbol version NSU_N and of libnsu.so.N. */
#define NSU_API_VERSION 1

/* How the uid and gid maps are made when no explicit map is given. */
enum nsu_mapping {
	NSU_MAPPING_DEFAULT = 0,       /* as the configuration says (nsu.conf(5)); auto if unset */
	NSU_MAPPING_AUTO = 1,          /* own id -> 0, subordinate ranges from 1 (nsu's default) */
	NSU_MAPPING_SINGLE = 2,        /* own id -> 0 only (nsu --single) */
	NSU_MAPPING_CURRENT_USER = 3,  /* own id -> own id (nsu --map-current-user) */
};

/* How much nsu says on stderr (nsu_reexec()) or to log_fn (nsu_run_child()). */
enum nsu_log_level {
	NSU_LOG_DEFAULT = 0,   /* errors and warnings (the fallback to a single-ID map) */
	NSU_LOG_QUIET = 1,     /* errors only (nsu -q) */
	NSU_LOG_VERBOSE = 2,   /* what nsu does, step by step (nsu -v) */
};

/* Flags of struct nsu_opts. */
#define NSU_EVEN_ROOT 0x1u  /* a new user namespace even for root with CAP_SYS_ADMIN */
#define NSU_SETSID    0x2u  /* the command runs in a new session (nsu --setsid) */
#define NSU_NEW_PGRP  0x4u  /* the command leads a new process group (nsu --new-pgrp) */

/*
 * Options. Set them up with nsu_opts_init(), which zeroes them and records
 * their size (newer versions of the library add fields at the end only).
 * Strings are read during the call only; every one may be NULL.
 */
struct nsu_opts {
	size_t size;                    /* sizeof(struct nsu_opts), from nsu_opts_init() */
	int mapping;                    /* enum nsu_mapping */
	const char *uidmap;             /* "INSIDE:OUTSIDE:COUNT[,...]", as nsu --uidmap */
	const char *gidmap;             /* as nsu --gidmap (without it, uidmap serves both) */
	int log_level;                  /* enum nsu_log_level */
	const char *newuidmap;          /* the helpers to run, instead of the configured ones */
	const char *newgidmap;
	unsigned flags;                 /* NSU_EVEN_ROOT, NSU_SETSID, NSU_NEW_PGRP */
	const char *user;               /* "UID[:GID]" inside to run as, as nsu --user */
	const char *const *rlimits;     /* "NAME=SOFT[:HARD]" each, as nsu --rlimit; NULL-ended */
	const char *const *mask_paths;  /* paths to hide, as nsu --mask-path; NULL-ended */
	const char *const *ro_paths;    /* paths to make read-only, as nsu --ro-path; NULL-ended */
	const char *chdir;              /* directory to run in, inside (nsu -w) */
	const char *const *args;        /* more of nsu(1)'s options as words, e.g.
					   { "--net", "--hostname", "b1", NULL }; NULL-ended */
	/* nsu_run_child(): each message line ("nsu: ..."), or NULL to drop them */
	void (*log_fn)(const char *line, void *ctx);
	void *log_ctx;
};

/* Why a call failed. */
struct nsu_error {
	int code;           /* errno of the failure, 0 if none applies */
	int status;         /* the exit status nsu would end with: 125, 126 or 127 */
	char message[1024]; /* "nsu: what failed and what to do about it" (no newline) */
};

/* Zero @o and set @o->size. */
void nsu_opts_init(struct nsu_opts *o);

/* What nsu_reexec() found. */
enum nsu_reexec_result {
	NSU_REEXEC_PRIVILEGED = 1,  /* already uid 0 with CAP_SYS_ADMIN, in the initial
				       user namespace: nothing was done */
	NSU_REEXEC_INSIDE = 2,      /* the re-executed program (root inside, or the user
				       and capabilities the options chose), or uid 0 with
				       CAP_SYS_ADMIN in a user namespace already (inside
				       nsu, or a rootless container) */
};

/**
 * nsu_reexec() - run this program again as root in a new user and mount namespace
 *
 * Call it first thing in main(), with main's @argc and @argv. Unless the
 * program already runs as uid 0 with CAP_SYS_ADMIN, it starts
 * /proc/self/exe again with the same @argv and environment in a new user
 * and mount namespace, as nsu does, and the calling process never returns:
 * it waits, passes signals on and ends exactly as the re-executed program
 * does (its exit status, or death by the same signal). Its failures from
 * then on are printed on stderr ("nsu: ...") and end it with 125.
 *
 * Return: NSU_REEXEC_PRIVILEGED or NSU_REEXEC_INSIDE (go on as root), or -1
 * with @err filled when the options are wrong (nothing was started or
 * printed).
 */
int nsu_reexec(int argc, char **argv, const struct nsu_opts *o, struct nsu_error *err);

/* Called in the child of nsu_run_child(), before it executes the command. */
typedef int (*nsu_child_fn)(void *ctx);

/**
 * nsu_run_child() - run a command as root in a new user and mount namespace
 * @argv: the command, searched in $PATH
 * @o: options, or NULL for the defaults
 * @fn: called in the child, as root of the namespace with its capabilities,
 *      after the filesystem options and before the switch to --user and the
 *      command's capabilities; a return other than 0 (an errno value) stops
 *      the child: the command is not run. May be NULL.
 * @ctx: passed to @fn
 * @status: receives the command's wait status (WIFEXITED()...)
 * @err: receives the failure
 *
 * The child is a fork of the caller (keep @fn async-signal-safe in a program
 * with threads). Signals are blocked and read from a signalfd while the
 * namespace is set up (a few milliseconds) and given back, with any that
 * came, before the command is waited for; no signal handler is installed
 * and the signal mask is left as it was found. Nothing is printed.
 *
 * Return: 0 when the command ran (@status says how it ended), or -1 with
 * @err filled (@err->status 127: not found, 126: not executable, 125:
 * anything else; @status then holds the child's wait status, or -1).
 */
int nsu_run_child(char *const argv[], const struct nsu_opts *o, nsu_child_fn fn, void *ctx,
		  int *status, struct nsu_error *err);

/* The version of nsu the library comes with, as nsu --version prints it ("0.1.0"). */
const char *nsu_version(void);

#ifdef __cplusplus
}
#endif

#endif
