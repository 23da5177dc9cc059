/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line parsing (pure: no system state is read or changed). */
#ifndef NSU_OPTIONS_H
#define NSU_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "idmap.h"
#include "isolation.h"
#include "log.h"

enum nsu_action {
	NSU_ACTION_RUN,
	NSU_ACTION_HELP,
	NSU_ACTION_VERSION,
	NSU_ACTION_PRINT_MAPPINGS,
	NSU_ACTION_CHECK,
	NSU_ACTION_SESSION_STOP,   /* --session-stop NAME */
	NSU_ACTION_SESSION_LIST,   /* --session-list */
};

/* How the maps are made when no explicit --uidmap/--gidmap is given. */
enum nsu_map_mode {
	NSU_MODE_UNSET = 0,     /* not chosen: the configuration decides */
	NSU_MODE_AUTO,          /* own id -> 0, subordinate ranges from 1 */
	NSU_MODE_SINGLE,        /* own id -> 0 only */
	NSU_MODE_CURRENT_USER,  /* own id -> own id, ranges fill 0.. around it */
};

/* One --setenv (value set) or --unsetenv (value NULL), in command-line order. */
struct nsu_env_op {
	const char *name;
	const char *value;
};

struct nsu_options {
	enum nsu_action action;
	int verbosity;              /* enum nsu_verbosity */
	bool verbosity_set;         /* -v or -q was given */
	enum nsu_map_mode mode;
	struct nsu_idmap *uidmap;   /* --uidmap triples, or NULL */
	struct nsu_idmap *gidmap;   /* --gidmap triples, or NULL */
	char *remap_user;           /* --remap USER[:GROUP], or NULL */
	char *remap_group;          /* the GROUP part, or NULL */
	const char *chdir;          /* -w/--chdir, or NULL */
	struct nsu_env_op *env_ops; /* --setenv/--unsetenv */
	size_t n_env_ops;
	struct nsu_isolation iso;   /* namespaces, filesystem, privileges */
	const char *session;        /* --session NAME, --session-stop NAME, or NULL */
	long join;                  /* --join PID, or 0 */
	char **command;             /* NULL-terminated, points into argv; NULL: the shell */
};

/**
 * nsu_options_parse() - parse nsu's own options
 * @o: receives the result; release it with nsu_options_free()
 * @argc: argument count
 * @argv: argument vector; options end at "--" or at the first word that is
 *        not an option, and everything after belongs to the command verbatim
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled (exit status 125 material).
 */
int nsu_options_parse(struct nsu_options *o, int argc, char **argv, struct nsu_err *e);

void nsu_options_free(struct nsu_options *o);

/* Is @name usable as an environment variable name (non-empty, no '=')? */
bool nsu_env_name_valid(const char *name);

/* The --help text. */
extern const char nsu_usage_text[];

#endif
