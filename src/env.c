/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"

/*
 * The variable nsu once used to mark its inner stage: never passed on, so a
 * stale value in an environment means nothing to anyone.
 */
#define LEGACY_INNER_ENV "_NSU_INNER_STAGE"

static const char *const containers_vars[] = {
	"_CONTAINERS_USERNS_CONFIGURED",
	"_CONTAINERS_ROOTLESS_UID",
	"_CONTAINERS_ROOTLESS_GID",
};

/* Set @name to @value at the end of the environment (unset first: setenv keeps the place). */
static int set_last(const char *name, const char *value)
{
	if (unsetenv(name) < 0 || setenv(name, value, 1) < 0)
		return -errno;
	return 0;
}

int nsu_env_apply(bool containers, uid_t uid, gid_t gid, const struct nsu_env_op *ops,
		  size_t n_ops)
{
	char num[2][24];
	int r = 0;

	unsetenv(LEGACY_INNER_ENV);
	if (containers) {
		snprintf(num[0], sizeof(num[0]), "%lu", (unsigned long)uid);
		snprintf(num[1], sizeof(num[1]), "%lu", (unsigned long)gid);
		r = set_last(containers_vars[0], "done");
		if (r == 0)
			r = set_last(containers_vars[1], num[0]);
		if (r == 0)
			r = set_last(containers_vars[2], num[1]);
	}
	for (size_t i = 0; i < n_ops && r == 0; i++) {
		if (ops[i].value)
			r = set_last(ops[i].name, ops[i].value);
		else if (unsetenv(ops[i].name) < 0)
			r = -errno;
	}
	return r;
}
