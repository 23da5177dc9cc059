/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <dlfcn.h>

#include <shadow/subid.h>

#include "subids.h"

/*
 * libsubid is loaded on first use rather than linked: it pulls in PAM,
 * SELinux, libaudit, libsemanage and more (a dozen libraries, about a
 * millisecond of loader work). Only the outer nsu needs it, after the clone,
 * where the load overlaps with the child's re-execution; the inner stage and
 * the privileged path never pay for it. The prototypes still come from
 * <shadow/subid.h>, so the calls are type-checked.
 */
#define STR_(x) #x
#define STR(x) STR_(x)
#define LIBSUBID_SONAME "libsubid.so." STR(SUBID_ABI_MAJOR)

static struct {
	__typeof__(subid_init) *init;
	__typeof__(subid_get_uid_ranges) *get_uid_ranges;
	__typeof__(subid_get_gid_ranges) *get_gid_ranges;
} lib;

/*
 * libsubid's own complaints, kept to explain a failure instead of printed.
 * The stream stays buffered (glibc's memory streams crash when unbuffered)
 * and is flushed before it is read.
 */
static FILE *subid_log_stream;
static char *subid_log;
static size_t subid_log_len;

static int subid_setup(struct nsu_err *e)
{
	static int state; /* 0: not tried, 1: loaded, -1: failed */
	static char why[256];
	void *h;
	FILE *f;

	if (state == 0) {
		state = -1;
		h = dlopen(LIBSUBID_SONAME, RTLD_LAZY | RTLD_LOCAL);
		if (!h) {
			snprintf(why, sizeof(why), "%s", dlerror());
		} else {
			lib.init = (__typeof__(lib.init))dlsym(h, "subid_init");
			lib.get_uid_ranges = (__typeof__(lib.get_uid_ranges))dlsym(h, "subid_get_uid_ranges");
			lib.get_gid_ranges = (__typeof__(lib.get_gid_ranges))dlsym(h, "subid_get_gid_ranges");
			if (!lib.init || !lib.get_uid_ranges || !lib.get_gid_ranges)
				snprintf(why, sizeof(why), "%s lacks the subid_* functions", LIBSUBID_SONAME);
			else
				state = 1;
		}
		if (state == 1) {
			f = open_memstream(&subid_log, &subid_log_len);
			if (f) {
				subid_log_stream = f;
				lib.init("nsu", f);
			}
		}
	}
	if (state < 0)
		return nsu_fail(e, ENOENT, "cannot load libsubid (%s); install it with: "
				"apt-get install libsubid4", why);
	return 0;
}

int nsu_subids_get(const char *owner, enum nsu_id_kind kind, struct nsu_range **out,
		   struct nsu_err *e)
{
	struct subid_range *r = NULL;
	struct nsu_range *v;
	int n;

	if (subid_setup(e) < 0)
		return -1;
	n = kind == NSU_UID ? lib.get_uid_ranges(owner, &r) : lib.get_gid_ranges(owner, &r);
	if (n < 0) {
		const char *file = kind == NSU_UID ? "/etc/subuid" : "/etc/subgid";
		char why[200] = "";
		size_t len;

		if (subid_log_stream)
			fflush(subid_log_stream);
		len = subid_log_len;

		while (len > 0 && (subid_log[len - 1] == '\n' || subid_log[len - 1] == ' '))
			len--;
		free(r);
		/* The usual causes, with the files backend: the file is missing or closed to us. */
		if (access(file, R_OK) < 0) {
			if (errno == ENOENT)
				snprintf(why, sizeof(why), ": %s does not exist (an administrator can "
					 "create it with: touch %s && chmod 644 %s)", file, file, file);
			else
				snprintf(why, sizeof(why), ": %s: %s (it must be readable by all: "
					 "chmod 644 %s)", file, strerror(errno), file);
		}
		return nsu_fail(e, EIO, "libsubid could not read the subordinate %s ranges of %s%s%s%.*s",
				kind == NSU_UID ? "uid" : "gid", owner, why, len ? ": " : "",
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
