/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rlimit.h"
#include "util.h"

static const struct {
	int resource;
	const char *name;
} limits[] = {
	{ RLIMIT_AS, "as" },             { RLIMIT_CORE, "core" },
	{ RLIMIT_CPU, "cpu" },           { RLIMIT_DATA, "data" },
	{ RLIMIT_FSIZE, "fsize" },       { RLIMIT_LOCKS, "locks" },
	{ RLIMIT_MEMLOCK, "memlock" },   { RLIMIT_MSGQUEUE, "msgqueue" },
	{ RLIMIT_NICE, "nice" },         { RLIMIT_NOFILE, "nofile" },
	{ RLIMIT_NPROC, "nproc" },       { RLIMIT_RSS, "rss" },
	{ RLIMIT_RTPRIO, "rtprio" },     { RLIMIT_RTTIME, "rttime" },
	{ RLIMIT_SIGPENDING, "sigpending" }, { RLIMIT_STACK, "stack" },
};

#define NAMES "as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, " \
	      "rss, rtprio, rttime, sigpending, stack"

const char *nsu_rlimit_name(int resource)
{
	for (size_t i = 0; i < NSU_ARRAY_SIZE(limits); i++)
		if (limits[i].resource == resource)
			return limits[i].name;
	return NULL;
}

/* A value: digits below RLIM_INFINITY, or "unlimited" / "infinity". Return: 0 or -1. */
static int parse_value(const char *s, size_t len, rlim_t *out)
{
	unsigned long long v = 0;

	if ((len == 9 && strncasecmp(s, "unlimited", 9) == 0) ||
	    (len == 8 && strncasecmp(s, "infinity", 8) == 0)) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || v > (RLIM_INFINITY - 1 - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = (rlim_t)v;
	return 0;
}

int nsu_rlimit_parse(const char *arg, struct nsu_rlimit *out, struct nsu_err *e)
{
	const char *eq = strchr(arg, '='), *val, *colon;
	size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
	size_t i;

	*out = (struct nsu_rlimit){ .resource = -1 };
	for (i = 0; i < NSU_ARRAY_SIZE(limits); i++)
		if (strlen(limits[i].name) == nlen && strncasecmp(arg, limits[i].name, nlen) == 0)
			break;
	if (i == NSU_ARRAY_SIZE(limits))
		return nsu_fail(e, EINVAL, "option '--rlimit': '%.*s' is not a limit (one of: "
				NAMES ", as prlimit(1) names them)", (int)nlen, arg);
	out->resource = limits[i].resource;
	if (!eq)
		return nsu_fail(e, EINVAL, "option '--rlimit %s' needs a value: %s=SOFT[:HARD]",
				arg, limits[i].name);
	val = eq + 1;
	colon = strchr(val, ':');
	if (colon != val) {
		out->soft_set = true;
		if (parse_value(val, colon ? (size_t)(colon - val) : strlen(val), &out->soft) < 0)
			goto bad;
	}
	if (colon && colon[1]) {
		out->hard_set = true;
		if (parse_value(colon + 1, strlen(colon + 1), &out->hard) < 0)
			goto bad;
	}
	if (!out->soft_set && !out->hard_set)
		goto bad;
	if (out->soft_set && out->hard_set && out->soft > out->hard)
		return nsu_fail(e, EINVAL, "option '--rlimit %s': the soft limit is above the hard "
				"limit; the soft limit is the one enforced, and may be at most the "
				"hard one", arg);
	return 0;
bad:
	return nsu_fail(e, EINVAL, "option '--rlimit %s': the value is not SOFT, SOFT:HARD, "
			"SOFT: or :HARD, each a number below 2^64-1 or 'unlimited'", arg);
}

static void value(rlim_t v, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

void nsu_rlimit_format(const struct nsu_rlimit *l, char *buf, size_t len)
{
	char soft[24] = "", hard[24] = "";
	const char *name = nsu_rlimit_name(l->resource);

	if (l->soft_set)
		value(l->soft, soft, sizeof(soft));
	if (l->hard_set)
		value(l->hard, hard, sizeof(hard));
	snprintf(buf, len, "%s=%s%s%s", name ? name : "?", soft, l->hard_set ? ":" : "", hard);
}

struct rlimit nsu_rlimit_result(const struct nsu_rlimit *l, const struct rlimit *cur)
{
	struct rlimit r = *cur;

	if (l->hard_set)
		r.rlim_max = l->hard;
	if (l->soft_set)
		r.rlim_cur = l->soft;
	else if (r.rlim_cur > r.rlim_max)
		r.rlim_cur = r.rlim_max;
	return r;
}

int nsu_rlimit_check(const struct nsu_rlimit *l, const struct rlimit *cur, bool may_raise,
		     struct nsu_err *e)
{
	struct rlimit r = nsu_rlimit_result(l, cur);
	char given[80], hard[24], soft[24];
	const char *name = nsu_rlimit_name(l->resource);

	nsu_rlimit_format(l, given, sizeof(given));
	value(cur->rlim_max, hard, sizeof(hard));
	if (r.rlim_max > cur->rlim_max && !may_raise)
		return nsu_fail(e, EPERM, "--rlimit %s: the hard limit of %s is %s here, and only "
				"a process with CAP_SYS_RESOURCE outside every user namespace can "
				"raise it; ask for at most %s, or have it raised before nsu runs "
				"(as root: prlimit --pid PID --%s=:N, or limits.conf(5) at login)",
				given, name, hard, hard, name);
	if (r.rlim_cur > r.rlim_max) {
		value(r.rlim_cur, soft, sizeof(soft));
		value(r.rlim_max, hard, sizeof(hard));
		return nsu_fail(e, EINVAL, "--rlimit %s: the soft limit %s would be above the hard "
				"limit %s; ask for a soft limit of at most %s (ulimit -H shows the "
				"hard limits)", given, soft, hard, hard);
	}
	return 0;
}
