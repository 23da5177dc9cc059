/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

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

/* Is @entry ("NAME=value") the variable @name? */
static bool is_var(const char *entry, const char *name)
{
	size_t len = strlen(name);

	return strncmp(entry, name, len) == 0 && entry[len] == '=';
}

static bool is_containers_var(const char *entry)
{
	for (size_t i = 0; i < sizeof(containers_vars) / sizeof(containers_vars[0]); i++)
		if (is_var(entry, containers_vars[i]))
			return true;
	return false;
}

/*
 * The vector holds pointers into the caller's environment and into one
 * block of text for the entries made here: both are freed with it.
 */
struct env_block {
	char *text;   /* entries made here, back to back */
	size_t used;
	size_t size;
};

static char *add_text(struct env_block *b, const char *a, const char *sep, const char *c)
{
	size_t need = strlen(a) + strlen(sep) + strlen(c) + 1;
	char *p;

	if (b->used + need > b->size)
		return NULL;
	p = b->text + b->used;
	b->used += (size_t)sprintf(p, "%s%s%s", a, sep, c) + 1;
	return p;
}

/* Remove NAME from v[0..*k), keeping the order. */
static void remove_var(char **v, size_t *k, const char *name)
{
	size_t w = 0;

	for (size_t i = 0; i < *k; i++)
		if (!is_var(v[i], name))
			v[w++] = v[i];
	*k = w;
}

char **nsu_env_build(char *const *env, bool containers, uid_t uid, gid_t gid,
		     const struct nsu_env_op *ops, size_t n_ops)
{
	struct env_block b = { 0 };
	size_t n = 0, k = 0, slots;
	char **v, num[2][24];

	while (env[n])
		n++;
	b.size = 128;
	for (size_t i = 0; i < n_ops; i++)
		b.size += strlen(ops[i].name) + (ops[i].value ? strlen(ops[i].value) : 0) + 2;
	slots = n + 3 + n_ops + 1;
	v = malloc(slots * sizeof(*v) + b.size);
	if (!v)
		return NULL;
	b.text = (char *)(v + slots);

	for (size_t i = 0; i < n; i++)
		if (!is_var(env[i], LEGACY_INNER_ENV) && !(containers && is_containers_var(env[i])))
			v[k++] = env[i];
	if (containers) {
		snprintf(num[0], sizeof(num[0]), "%lu", (unsigned long)uid);
		snprintf(num[1], sizeof(num[1]), "%lu", (unsigned long)gid);
		v[k++] = add_text(&b, containers_vars[0], "=", "done");
		v[k++] = add_text(&b, containers_vars[1], "=", num[0]);
		v[k++] = add_text(&b, containers_vars[2], "=", num[1]);
	}
	for (size_t i = 0; i < n_ops; i++) {
		remove_var(v, &k, ops[i].name);
		if (ops[i].value)
			v[k++] = add_text(&b, ops[i].name, "=", ops[i].value);
	}
	v[k] = NULL;
	return v;
}

void nsu_env_free(char **env)
{
	free(env);
}
