/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <string.h>

#include "options.h"

const char nsu_usage_text[] =
	"Usage: nsu [OPTION...] [--] [COMMAND [ARG...]]\n"
	"\n"
	"Run COMMAND as root (uid 0, gid 0) in a new user and mount namespace,\n"
	"without privileges. Your uid and gid become 0; your subordinate ids from\n"
	"/etc/subuid and /etc/subgid follow from 1. Without COMMAND, run your shell.\n"
	"\n"
	"Options:\n"
	"  -v, --verbose   say what nsu decides and why (ranges, helpers, fallback)\n"
	"  -q, --quiet     do not warn when falling back to a single-ID map\n"
	"  -h, --help      show this help and exit\n"
	"  -V, --version   show the version and exit\n"
	"\n"
	"Exit status: that of COMMAND; 125 if nsu itself fails, 126 if COMMAND\n"
	"cannot be executed, 127 if it is not found. If COMMAND is killed by a\n"
	"signal, nsu is killed by the same signal.\n"
	"\n"
	"See nsu(1) for details.\n";

static const struct option long_options[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int nsu_options_parse(struct nsu_options *o, int argc, char **argv, struct nsu_err *e)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->action = NSU_ACTION_RUN;
	o->verbosity = NSU_NORMAL;

	optind = 0; /* full re-initialisation, so the parser can be called again */
	opterr = 0;
	/* "+": stop at the first non-option, the command's options are its own. */
	while ((c = getopt_long(argc, argv, "+vqhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'v':
			o->verbosity = NSU_VERBOSE;
			break;
		case 'q':
			o->verbosity = NSU_QUIET;
			break;
		case 'h':
			o->action = NSU_ACTION_HELP;
			return 0;
		case 'V':
			o->action = NSU_ACTION_VERSION;
			return 0;
		default: {
			const char *arg = argv[optind - 1];

			if (strncmp(arg, "--", 2) == 0) {
				size_t len = strcspn(arg, "=");

				if (arg[len] == '=')
					return nsu_fail(e, 0, "option '%.*s' takes no value; "
							"see 'nsu --help'", (int)len, arg);
				return nsu_fail(e, 0, "unknown option '%s'; see 'nsu --help'", arg);
			}
			return nsu_fail(e, 0, "unknown option '-%c'; see 'nsu --help'", optopt);
		}
		}
	}
	if (optind < argc)
		o->command = argv + optind;
	return 0;
}
