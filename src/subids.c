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

#include "diagnose.h"
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

const char *const nsu_kind_name[2] = { "uid", "gid" };
const char *const nsu_subid_file[2] = { "/etc/subuid", "/etc/subgid" };

static struct {
	void *handle;  /* libsubid, while loaded */
	__typeof__(subid_init) *init;
	__typeof__(subid_get_uid_ranges) *get_uid_ranges;
	__typeof__(subid_get_gid_ranges) *get_gid_ranges;
	/*
	 * libsubid's own complaints, kept to explain a failure instead of
	 * printed. The stream stays buffered (glibc's memory streams crash
	 * when unbuffered) and is flushed before it is read.
	 */
	FILE *log;
	char *log_text;
	size_t log_len;
} lib;

static int subid_load(struct nsu_err *e)
{
	const char *why;

	if (lib.handle)
		return 0;
	lib.handle = dlopen(LIBSUBID_SONAME, RTLD_LAZY | RTLD_LOCAL);
	if (!lib.handle)
		return nsu_fail(e, ENOENT, "cannot load libsubid (%s); install it with: "
				"apt-get install libsubid4", dlerror());
	lib.init = (__typeof__(lib.init))dlsym(lib.handle, "subid_init");
	lib.get_uid_ranges = (__typeof__(lib.get_uid_ranges))dlsym(lib.handle, "subid_get_uid_ranges");
	lib.get_gid_ranges = (__typeof__(lib.get_gid_ranges))dlsym(lib.handle, "subid_get_gid_ranges");
	if (!lib.init || !lib.get_uid_ranges || !lib.get_gid_ranges) {
		why = LIBSUBID_SONAME " lacks the subid_* functions";
		nsu_subids_unload();
		return nsu_fail(e, ENOENT, "cannot load libsubid (%s); install it with: "
				"apt-get install libsubid4", why);
	}
	lib.log = open_memstream(&lib.log_text, &lib.log_len);
	/* No program name: libsubid would keep a copy that unloading it loses. */
	if (lib.log)
		lib.init(NULL, lib.log);
	return 0;
}

void nsu_subids_unload(void)
{
	if (lib.log)
		fclose(lib.log);
	free(lib.log_text);
	if (lib.handle)
		dlclose(lib.handle);
	memset(&lib, 0, sizeof(lib));
}

int nsu_subids_get(const char *owner, enum nsu_id_kind kind, struct nsu_range **out,
		   struct nsu_err *e)
{
	struct subid_range *r = NULL;
	struct nsu_range *v;
	int n;

	if (subid_load(e) < 0)
		return -1;
	n = kind == NSU_UID ? lib.get_uid_ranges(owner, &r) : lib.get_gid_ranges(owner, &r);
	if (n < 0) {
		struct nsu_fact file;
		size_t len = 0;

		free(r);
		if (lib.log && fflush(lib.log) == 0)
			len = lib.log_len;
		while (len > 0 && (lib.log_text[len - 1] == '\n' || lib.log_text[len - 1] == ' '))
			len--;
		nsu_fail(e, EIO, "libsubid could not read the subordinate %s ranges of %s",
			 nsu_kind_name[kind], owner);
		/* The usual causes, with the files backend: the file is missing or closed to us. */
		nsu_diag_subid_file(kind, &file);
		if (file.level != NSU_LEVEL_OK)
			nsu_err_append(e, ": %s (an administrator can fix it: %s)", file.text, file.fix);
		if (len)
			nsu_err_append(e, ": %.*s", (int)len, lib.log_text);
		return -1;
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
