/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the option parser: the input is argv, NUL-separated. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsu_options o;
	struct nsu_err e;
	char *buf, **argv;
	int argc = 1;

	if (size > 4096)
		return 0;
	buf = malloc(size + 1);
	argv = calloc(size + 3, sizeof(*argv));
	if (!buf || !argv)
		goto out;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"nsu";
	for (size_t i = 0; i <= size;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	if (nsu_options_parse(&o, argc, argv, &e) == 0) {
		if (o.command && (o.command < argv || o.command >= argv + argc))
			abort();
		for (size_t i = 0; i < o.n_env_ops; i++)
			if (!nsu_env_name_valid(o.env_ops[i].name))
				abort();
		if (o.uidmap && (o.uidmap->n == 0 || o.uidmap->n > NSU_MAX_EXTENTS))
			abort();
		nsu_options_free(&o);
	} else if (strncmp(e.msg, "", 1) == 0) {
		abort(); /* every error says something */
	}
out:
	free(buf);
	free(argv);
	return 0;
}
