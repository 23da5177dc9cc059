/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What nsu decides before anything runs, and the action it then takes:
 * nsu's main() and libnsu's nsu_reexec() fill a struct nsu from the
 * options and hand it to nsu_cli_run().
 */
#ifndef NSU_CLI_H
#define NSU_CLI_H

#include <pwd.h>
#include <stdbool.h>
#include <sys/types.h>

#include "conf.h"
#include "idmap.h"
#include "options.h"

#define EXIT_NSU_FAILURE 125

struct nsu {
	struct nsu_options o;
	bool lib;                   /* a libnsu call: no configured session applies */
	bool exec_self;             /* the command is this program itself (nsu_reexec()) */
	bool even_root;             /* a user namespace even for root with CAP_SYS_ADMIN */
	const char *helper[2];      /* newuidmap/newgidmap instead of the configured, or NULL */
	struct nsu_config cfg;
	enum nsu_map_mode mode;
	uid_t uid;                  /* the caller, outside */
	gid_t gid;
	struct passwd *pw;          /* its passwd entry (&pw_entry), or NULL */
	struct passwd pw_entry;     /* a copy of its own, which no later lookup changes */
	char *pw_buf;               /* the strings of pw_entry */
	char owner[2][256];         /* whose uid and gid ranges to use */
	bool remap;                 /* root with --remap */
	bool direct;                /* privileged: nsu writes any map itself, no helpers */
	pid_t parent;               /* nsu's parent when it started */
	char **cmd;
};

/**
 * nsu_cli_run() - take the action @n->o asks for, as the nsu command does
 * @n: the parsed options (@n->parent set); released here
 *
 * Messages go to stderr. A run that starts the command does not return:
 * it ends like the command.
 *
 * Return: the exit status to end with.
 */
int nsu_cli_run(struct nsu *n);

/**
 * nsu_cli_prepare() - decide a run as nsu_cli_run() does, without running it
 * @n: the parsed options
 * @r: receives the request
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled.
 */
struct nsu_run_req;
struct nsu_err;
int nsu_cli_prepare(struct nsu *n, struct nsu_run_req *r, struct nsu_err *e);

/*
 * Make sure descriptors 0-2 are open before nsu creates any of its own;
 * ends the process (125) when that is impossible.
 */
void nsu_cli_guard_stdio(void);

#endif
