/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the configuration parser (hostile files). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void ignore(void *ctx, const char *msg)
{
	(void)ctx;
	if (!*msg)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsu_config c;
	struct nsu_err e;
	char *text;

	if (size > 65536)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nsu_config_defaults(&c);
	if (nsu_config_parse(&c, text, "fuzz.conf", ignore, NULL, &e) == 0) {
		if (c.newuidmap[0] != '/' || c.newgidmap[0] != '/' || (c.shell[0] && c.shell[0] != '/'))
			abort(); /* only absolute paths get in */
		if (c.mode != NSU_MODE_AUTO && c.mode != NSU_MODE_SINGLE &&
		    c.mode != NSU_MODE_CURRENT_USER)
			abort();
	} else if (strncmp(e.msg, "fuzz.conf", 9) != 0) {
		abort(); /* every error names the file */
	}
	free(text);
	return 0;
}
