/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"

void nsu_accounts_free(struct nsu_accounts *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].name);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

static int add(struct nsu_accounts *a, size_t *cap, const char *name, uint32_t id, uint32_t gid)
{
	if (a->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct nsu_account *v = realloc(a->v, ncap * sizeof(*v));

		if (!v)
			return -1;
		a->v = v;
		*cap = ncap;
	}
	a->v[a->n].name = strdup(name);
	if (!a->v[a->n].name)
		return -1;
	a->v[a->n].id = id;
	a->v[a->n].gid = gid;
	a->n++;
	return 0;
}

struct ordered {
	struct nsu_account acc;
	size_t seq;  /* position in the database, to keep the order of equal ids */
};

static int by_id(const void *x, const void *y)
{
	const struct ordered *a = x, *b = y;

	if (a->acc.id != b->acc.id)
		return a->acc.id < b->acc.id ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sort by id, stably. */
static int sort_accounts(struct nsu_accounts *a)
{
	struct ordered *o = calloc(a->n ? a->n : 1, sizeof(*o));

	if (!o)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		o[i].acc = a->v[i];
		o[i].seq = i;
	}
	qsort(o, a->n, sizeof(*o), by_id);
	for (size_t i = 0; i < a->n; i++)
		a->v[i] = o[i].acc;
	free(o);
	return 0;
}

int nsu_accounts_load(struct nsu_accounts *a, bool groups, struct nsu_err *e)
{
	size_t cap = 0;
	int r = 0;

	a->v = NULL;
	a->n = 0;
	/* All copied first: lookups made later must not disturb the enumeration. */
	if (groups) {
		struct group *gr;

		setgrent();
		while (r == 0 && (gr = getgrent()))
			r = add(a, &cap, gr->gr_name, gr->gr_gid, gr->gr_gid);
		endgrent();
	} else {
		struct passwd *pw;

		setpwent();
		while (r == 0 && (pw = getpwent()))
			r = add(a, &cap, pw->pw_name, pw->pw_uid, pw->pw_gid);
		endpwent();
	}
	if (r < 0 || sort_accounts(a) < 0) {
		nsu_accounts_free(a);
		return nsu_fail(e, ENOMEM, "out of memory");
	}
	return 0;
}
