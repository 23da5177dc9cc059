/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsu: run a command as root in a new user and mount namespace, without
 * privileges of its own. main() parses the options; cli.c decides and acts.
 * Only these two report failures and choose the exit status.
 */
#include "config.h"

#include <unistd.h>

#include "caps.h"
#include "cli.h"
#include "inner.h"
#include "log.h"
#include "options.h"

int main(int argc, char **argv)
{
	/* Static: zero from the start, without clearing its tens of kilobytes on the stack. */
	static struct nsu n;
	struct nsu_err e;

	n.parent = getppid();

	nsu_cli_guard_stdio();
	if (nsu_refuse_privileged_binary(&e) < 0) {
		/* Privileged by mistake: say so and leave, running nothing else. */
		nsu_print("%s", e.msg);
		_exit(EXIT_NSU_FAILURE);
	}
	if (nsu_is_inner_stage(argc, argv))
		nsu_inner_stage(argc, argv); /* never returns */

	if (nsu_options_parse(&n.o, argc, argv, &e) < 0) {
		nsu_print("%s", e.msg);
		return EXIT_NSU_FAILURE;
	}
	return nsu_cli_run(&n);
}
