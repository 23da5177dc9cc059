/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the command's environment. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "tap.h"

extern char **environ;

/* The environment nsu_env_apply() makes of @env (which it changes in place). */
static char **build(char *const *env, bool containers, uid_t uid, gid_t gid,
		    const struct nsu_env_op *ops, size_t n_ops)
{
	static char **copy;  /* the previous one, freed when the next is made */
	size_t n = 0;

	while (env[n])
		n++;
	free(copy);
	copy = calloc(n + 1, sizeof(*copy));
	if (!copy)
		abort();
	memcpy(copy, env, n * sizeof(*copy));
	environ = copy;
	if (nsu_env_apply(containers, uid, gid, ops, n_ops) < 0)
		abort();
	return environ;
}

static size_t count(char **v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

static void test_containers(void)
{
	{
		char *env[] = { NULL };
		char **v = build(env, true, 1000, 1001, NULL, 0);
		is_int(count(v), 3, "empty environment gets the three variables");
		is_str(v[0], "_CONTAINERS_USERNS_CONFIGURED=done", "userns configured");
		is_str(v[1], "_CONTAINERS_ROOTLESS_UID=1000", "rootless uid");
		is_str(v[2], "_CONTAINERS_ROOTLESS_GID=1001", "rootless gid");
	}
	{
		char *env[] = { "A=1", "_CONTAINERS_ROOTLESS_UID=7", "B=with space", "_NSU_INNER_STAGE=3,4,5",
				"_CONTAINERS_USERNS_CONFIGURED=", "_CONTAINERS_ROOTLESS_UIDX=keep",
				"C=", NULL };
		char **v = build(env, true, 4294967294u, 0, NULL, 0);
		is_int(count(v), 7, "old values replaced, marker dropped");
		is_str(v[0], "A=1", "order kept (1)");
		is_str(v[1], "B=with space", "order kept (2)");
		is_str(v[2], "_CONTAINERS_ROOTLESS_UIDX=keep", "only exact names are replaced");
		is_str(v[3], "C=", "empty value kept");
		is_str(v[5], "_CONTAINERS_ROOTLESS_UID=4294967294", "largest uid");
		is_str(v[6], "_CONTAINERS_ROOTLESS_GID=0", "gid 0");
	}
	{
		char *env[] = { "NOEQUALS", "_CONTAINERS_ROOTLESS_GID", NULL };
		char **v = build(env, true, 1, 2, NULL, 0);
		is_int(count(v), 5, "entries without '=' are kept as they are");
	}
	{
		char *env[] = { "_CONTAINERS_ROOTLESS_UID=7", "_NSU_INNER_STAGE=1", "X=1", NULL };
		char **v = build(env, false, 1, 2, NULL, 0);
		is_int(count(v), 2, "containers-env off: nothing added, nothing replaced");
		is_str(v[0], "_CONTAINERS_ROOTLESS_UID=7", "the caller's value stays");
		is_str(v[1], "X=1", "the marker is still dropped");
	}
}

static void test_ops(void)
{
	char *env[] = { "A=1", "B=2", "C=3", NULL };
	struct nsu_env_op ops[] = {
		{ "B", NULL },           /* unset */
		{ "D", "4 4" },          /* new */
		{ "A", "one" },          /* replace: moves to the end */
		{ "D", "" },             /* replace again, empty */
		{ "NOPE", NULL },        /* unset of an absent variable */
		{ "_CONTAINERS_ROOTLESS_UID", NULL }, /* explicit wins over nsu's own */
	};
	char **v = build(env, true, 10, 20, ops, sizeof(ops) / sizeof(ops[0]));

	is_int(count(v), 5, "ops applied");
	is_str(v[0], "C=3", "untouched variable stays in place");
	is_str(v[1], "_CONTAINERS_USERNS_CONFIGURED=done", "containers variable");
	is_str(v[2], "_CONTAINERS_ROOTLESS_GID=20", "--unsetenv removed the uid one only");
	is_str(v[3], "A=one", "replaced value");
	is_str(v[4], "D=", "last --setenv of a name wins, empty allowed");
}

int main(void)
{
	test_containers();
	test_ops();
	return tap_done();
}
