/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <shadow/subid.h>

#include "subids.h"

/* libsubid's own complaints, kept to explain a failure instead of printed. */
static char *subid_log;
static size_t subid_log_len;

static void subid_setup(void)
{
	static bool done;
	FILE *f;

	if (done)
		return;
	done = true;
	f = open_memstream(&subid_log, &subid_log_len);
	if (f) {
		setvbuf(f, NULL, _IONBF, 0);
		subid_init("nsu", f);
	}
}

int nsu_subids_get(const char *owner, enum nsu_id_kind kind, struct nsu_range **out,
		   struct nsu_err *e)
{
	struct subid_range *r = NULL;
	struct nsu_range *v;
	int n;

	subid_setup();
	n = kind == NSU_UID ? subid_get_uid_ranges(owner, &r) : subid_get_gid_ranges(owner, &r);
	if (n < 0) {
		size_t len = subid_log_len;

		while (len > 0 && (subid_log[len - 1] == '\n' || subid_log[len - 1] == ' '))
			len--;
		free(r);
		return nsu_fail(e, EIO, "libsubid could not read the subordinate %s ranges of %s%s%.*s",
				kind == NSU_UID ? "uid" : "gid", owner, len ? ": " : "",
				(int)len, subid_log ? subid_log : "");
	}
	v = calloc((size_t)n + 1, sizeof(*v));
	if (!v) {
		free(r);
		return nsu_fail(e, ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++) {
		v[i].start = r[i].start;
		v[i].count = r[i].count;
	}
	free(r);
	*out = v;
	return n;
}
