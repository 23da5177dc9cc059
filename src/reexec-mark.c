/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diagnose.h"
#include "reexec-mark.h"

/* "DEV:INO" of this process's user namespace, or -errno. */
static int userns_id(char *buf, size_t len)
{
	struct stat st;

	if (stat("/proc/self/ns/user", &st) < 0)
		return -errno;
	snprintf(buf, len, "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	return 0;
}

int nsu_reexec_mark(void)
{
	char id[64];
	int r = userns_id(id, sizeof(id));

	if (r < 0)
		return r;
	return setenv(NSU_REEXEC_ENV, id, 1) < 0 ? -errno : 0;
}

bool nsu_reexec_marked(void)
{
	const char *mark = getenv(NSU_REEXEC_ENV);
	char id[64];

	return mark && userns_id(id, sizeof(id)) == 0 && strcmp(mark, id) == 0 &&
	       !nsu_in_initial_userns();
}
