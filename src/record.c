/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

const struct nsu_ns_info nsu_ns_info[NSU_NS_COUNT] = {
	[NSU_NS_USER] = { "user", CLONE_NEWUSER },
	[NSU_NS_MNT] = { "mnt", CLONE_NEWNS },
	[NSU_NS_PID] = { "pid", CLONE_NEWPID },
	[NSU_NS_UTS] = { "uts", CLONE_NEWUTS },
	[NSU_NS_IPC] = { "ipc", CLONE_NEWIPC },
	[NSU_NS_NET] = { "net", CLONE_NEWNET },
	[NSU_NS_CGROUP] = { "cgroup", CLONE_NEWCGROUP },
};

int nsu_record_kinds(const struct nsu_session_record *r)
{
	int kinds = 0;

	for (int k = 0; k < NSU_NS_COUNT; k++)
		if (r->has[k])
			kinds |= nsu_ns_info[k].flag;
	return kinds;
}

bool nsu_session_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static bool plain(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '\\';
}

int nsu_shape_join(char *const *words, char *out, size_t len, struct nsu_err *e)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; words && words[i]; i++) {
		const unsigned char *w = (const unsigned char *)words[i];

		if (i > 0) {
			if (used + 1 >= len)
				goto too_long;
			out[used++] = ' ';
		}
		if (!*w) {
			/* An empty word is written as the escape of nothing at all. */
			if (used + 2 >= len)
				goto too_long;
			out[used++] = '\\';
			out[used++] = '0';
		}
		for (; *w; w++) {
			if (plain(*w)) {
				if (used + 1 >= len)
					goto too_long;
				out[used++] = (char)*w;
			} else {
				if (used + 4 >= len)
					goto too_long;
				snprintf(out + used, 5, "\\x%02x", *w);
				used += 4;
			}
		}
		out[used] = '\0';
	}
	return 0;

too_long:
	out[0] = '\0';
	return nsu_fail(e, E2BIG, "the options that shape the session are longer than %zu "
			"bytes", len - 1);
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void nsu_shape_show(const char *shape, char *out, size_t len)
{
	size_t used = 0;

	for (const char *p = shape; *p && used + 1 < len; p++) {
		if (p[0] == '\\' && p[1] == '0') {
			/* An empty word: show it as the shell would quote it. */
			if (used + 2 >= len)
				break;
			out[used++] = '\'';
			out[used++] = '\'';
			p++;
		} else if (p[0] == '\\' && p[1] == 'x' && hex(p[2]) >= 0 && hex(p[3]) >= 0) {
			int c = hex(p[2]) << 4 | hex(p[3]);

			out[used++] = c >= ' ' && c < 0x7f ? (char)c : '?';
			p += 3;
		} else {
			out[used++] = *p;
		}
	}
	out[used] = '\0';
}

int nsu_record_format(const struct nsu_session_record *r, char *buf, size_t len)
{
	size_t used;
	int n;

	n = snprintf(buf, len, "nsu-session 1\npid %ld\nstart %llu\nuid %" PRIu32 "\ngid %" PRIu32
		     "\nflags %u\n", (long)r->pid, r->start, r->uid, r->gid, r->flags);
	if (n < 0 || (size_t)n >= len)
		return -1;
	used = (size_t)n;
	for (int k = 0; k < NSU_NS_COUNT; k++) {
		if (!r->has[k])
			continue;
		n = snprintf(buf + used, len - used, "ns %s %" PRIu64 " %" PRIu64 "\n",
			     nsu_ns_info[k].name, r->ns[k].dev, r->ns[k].ino);
		if (n < 0 || (size_t)n >= len - used)
			return -1;
		used += (size_t)n;
	}
	n = snprintf(buf + used, len - used, "shape %s\n", r->shape);
	if (n < 0 || (size_t)n >= len - used)
		return -1;
	return (int)(used + (size_t)n);
}

/* A whole unsigned number up to @max. Return: 0, or -1. */
static int number(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end || *v > max ? -1 : 0;
}

/* One "ns NAME DEV INO" value (after "ns "). */
static int parse_ns(const char *v, struct nsu_session_record *r)
{
	char name[16], dev[24], ino[24], extra;
	unsigned long long d, i;

	if (sscanf(v, "%15s %23s %23s %c", name, dev, ino, &extra) != 3 ||
	    number(dev, UINT64_MAX, &d) < 0 || number(ino, UINT64_MAX, &i) < 0)
		return -1;
	for (int k = 0; k < NSU_NS_COUNT; k++) {
		if (strcmp(name, nsu_ns_info[k].name) != 0)
			continue;
		if (r->has[k])
			return -1;
		r->has[k] = true;
		r->ns[k] = (struct nsu_ns_id){ .dev = d, .ino = i };
		return 0;
	}
	return -1;
}

int nsu_record_parse(const char *text, struct nsu_session_record *r)
{
	enum { HEAD = 1, PID = 2, START = 4, UID = 8, GID = 16, FLAGS = 32, SHAPE = 64 };
	unsigned seen = 0;
	const char *p = text;

	memset(r, 0, sizeof(*r));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[NSU_SHAPE_MAX + 16], *v;
		unsigned long long x;
		unsigned bit = 0;
		int bad = 0;

		if (!nl || n >= sizeof(line))
			return -1; /* every line ends with a newline, none is too long */
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		v = strchr(line, ' ');
		if (!v)
			return -1;
		*v++ = '\0';
		if (!strcmp(line, "nsu-session")) {
			bit = HEAD;
			bad = strcmp(v, "1") != 0;
		} else if (!strcmp(line, "pid")) {
			bit = PID;
			bad = number(v, 0x7fffffff, &x) < 0 || x < 1;
			r->pid = (pid_t)x;
		} else if (!strcmp(line, "start")) {
			bit = START;
			bad = number(v, UINT64_MAX, &r->start) < 0;
		} else if (!strcmp(line, "uid") || !strcmp(line, "gid")) {
			bit = line[0] == 'u' ? UID : GID;
			bad = number(v, 0xfffffffeULL, &x) < 0;
			*(line[0] == 'u' ? &r->uid : &r->gid) = (uint32_t)x;
		} else if (!strcmp(line, "flags")) {
			bit = FLAGS;
			bad = number(v, 0xffff, &x) < 0;
			r->flags = (unsigned)x;
		} else if (!strcmp(line, "ns")) {
			bad = parse_ns(v, r) < 0;
		} else if (!strcmp(line, "shape")) {
			bit = SHAPE;
			bad = strlen(v) >= sizeof(r->shape);
			if (!bad)
				memcpy(r->shape, v, strlen(v) + 1);
		} else {
			return -1;
		}
		if (bad || (seen & bit))
			return -1;
		seen |= bit;
	}
	/* The first line names the format; the user namespace or the mount one is always there. */
	if (seen != (HEAD | PID | START | UID | GID | FLAGS | SHAPE) || strncmp(text, "nsu-session ", 12))
		return -1;
	return r->has[NSU_NS_MNT] ? 0 : -1;
}
