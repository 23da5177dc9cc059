/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "spawn.h"

static const char *const replaced[] = {
	"_CONTAINERS_USERNS_CONFIGURED",
	"_CONTAINERS_ROOTLESS_UID",
	"_CONTAINERS_ROOTLESS_GID",
	NSU_INNER_ENV,
};

static bool is_replaced(const char *entry)
{
	for (size_t i = 0; i < sizeof(replaced) / sizeof(replaced[0]); i++) {
		size_t len = strlen(replaced[i]);

		if (strncmp(entry, replaced[i], len) == 0 && entry[len] == '=')
			return true;
	}
	return false;
}

char **nsu_env_build(char *const *env, uid_t uid, gid_t gid)
{
	enum { EXTRA = 3, TEXT = 128 };
	size_t n = 0, k = 0;
	char **v, *text;

	while (env[n])
		n++;
	/* The vector and the text of the new entries share one allocation. */
	v = malloc((n + EXTRA + 1) * sizeof(*v) + TEXT);
	if (!v)
		return NULL;
	text = (char *)(v + n + EXTRA + 1);
	for (size_t i = 0; i < n; i++)
		if (!is_replaced(env[i]))
			v[k++] = env[i];
	v[k++] = strcpy(text, "_CONTAINERS_USERNS_CONFIGURED=done");
	text += strlen(text) + 1;
	v[k++] = text;
	text += sprintf(text, "_CONTAINERS_ROOTLESS_UID=%lu", (unsigned long)uid) + 1;
	v[k++] = text;
	sprintf(text, "_CONTAINERS_ROOTLESS_GID=%lu", (unsigned long)gid);
	v[k] = NULL;
	return v;
}
