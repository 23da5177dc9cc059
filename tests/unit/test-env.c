/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the command's environment. */
#include "config.h"

#include <stdlib.h>

#include "env.h"
#include "tap.h"

static size_t count(char **v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

int main(void)
{
	{
		char *env[] = { NULL };
		char **v = nsu_env_build(env, 1000, 1001);
		is_int(count(v), 3, "empty environment gets the three variables");
		is_str(v[0], "_CONTAINERS_USERNS_CONFIGURED=done", "userns configured");
		is_str(v[1], "_CONTAINERS_ROOTLESS_UID=1000", "rootless uid");
		is_str(v[2], "_CONTAINERS_ROOTLESS_GID=1001", "rootless gid");
		free(v);
	}
	{
		char *env[] = { "A=1", "_CONTAINERS_ROOTLESS_UID=7", "B=with space", "_NSU_INNER_STAGE=3,4,5",
				"_CONTAINERS_USERNS_CONFIGURED=", "_CONTAINERS_ROOTLESS_UIDX=keep",
				"C=", NULL };
		char **v = nsu_env_build(env, 4294967294u, 0);
		is_int(count(v), 7, "old values replaced, marker dropped");
		is_str(v[0], "A=1", "order kept (1)");
		is_str(v[1], "B=with space", "order kept (2)");
		is_str(v[2], "_CONTAINERS_ROOTLESS_UIDX=keep", "only exact names are replaced");
		is_str(v[3], "C=", "empty value kept");
		is_str(v[5], "_CONTAINERS_ROOTLESS_UID=4294967294", "largest uid");
		is_str(v[6], "_CONTAINERS_ROOTLESS_GID=0", "gid 0");
		free(v);
	}
	{
		char *env[] = { "NOEQUALS", "_CONTAINERS_ROOTLESS_GID", NULL };
		char **v = nsu_env_build(env, 1, 2);
		is_int(count(v), 5, "entries without '=' are kept as they are");
		free(v);
	}
	return tap_done();
}
