/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line parsing (pure: no system state is read or changed). */
#ifndef NSU_OPTIONS_H
#define NSU_OPTIONS_H

#include "log.h"

enum nsu_action {
	NSU_ACTION_RUN,
	NSU_ACTION_HELP,
	NSU_ACTION_VERSION,
};

struct nsu_options {
	enum nsu_action action;
	int verbosity;   /* enum nsu_verbosity */
	char **command;  /* NULL-terminated, points into argv; NULL: the user's shell */
};

/**
 * nsu_options_parse() - parse nsu's own options
 * @o: receives the result
 * @argc: argument count
 * @argv: argument vector; options end at "--" or at the first word that is
 *        not an option, and everything after belongs to the command verbatim
 * @e: receives the message on error
 *
 * Return: 0, or -1 with @e filled (exit status 125 material).
 */
int nsu_options_parse(struct nsu_options *o, int argc, char **argv, struct nsu_err *e);

/* The --help text. */
extern const char nsu_usage_text[];

#endif
