/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "conf.h"

void nsu_config_defaults(struct nsu_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = NSU_MODE_AUTO;
	snprintf(c->newuidmap, sizeof(c->newuidmap), "%s", NSU_NEWUIDMAP);
	snprintf(c->newgidmap, sizeof(c->newgidmap), "%s", NSU_NEWGIDMAP);
	c->warn_fallback = true;
	c->containers_env = true;
}

/* inih reads line by line through this reader, so we know the line number. */
struct reader {
	const char *p;   /* rest of the text */
	int line;        /* number of the line last handed out */
	int too_long;    /* number of the first line longer than inih's buffer */
	int max;         /* inih's line buffer size */
};

static char *read_line(char *buf, int size, void *stream)
{
	struct reader *r = stream;
	size_t len, n;

	if (!*r->p || size < 2)
		return NULL;
	/*
	 * Leading blanks go: settings may be indented, and inih would take an
	 * indented line for a continuation of the previous value.
	 */
	while (*r->p == ' ' || *r->p == '\t')
		r->p++;
	len = strcspn(r->p, "\n");
	r->line++;
	r->max = size;
	n = len;
	if (len > (size_t)size - 2 && (*r->p == '#' || *r->p == ';')) {
		/* A long comment is still a comment: hand out its start only. */
		n = (size_t)size - 2;
		memcpy(buf, r->p, n);
	} else if (len > (size_t)size - 2) {
		/*
		 * Too long for inih's buffer: hand out a line inih rejects,
		 * rather than a truncated setting.
		 */
		if (!r->too_long)
			r->too_long = r->line;
		n = 1;
		buf[0] = '\x01';
	} else {
		memcpy(buf, r->p, n);
	}
	buf[n] = '\n';
	buf[n + 1] = '\0';
	r->p += len + (r->p[len] == '\n');
	return buf;
}

struct parse_state {
	struct nsu_config *c;
	struct reader rd;
	const char *name;
	nsu_config_warn_fn warn;
	void *ctx;
	char error[512];  /* the handler's message for the first invalid value */
	int error_line;   /* ... and its line */
};

/* Record an invalid value (the first one counts); returns 0 for inih. */
__attribute__((format(printf, 2, 3)))
static int bad(struct parse_state *s, const char *fmt, ...)
{
	va_list ap;

	if (s->error_line)
		return 0;
	s->error_line = s->rd.line;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int set_path(struct parse_state *s, const char *key, const char *v, char *dst, size_t len)
{
	if (v[0] != '/')
		return bad(s, "%s must be an absolute path, not '%.300s'", key, v);
	if (strlen(v) >= len)
		return bad(s, "%s is too long", key);
	memcpy(dst, v, strlen(v) + 1);
	return 1;
}

__attribute__((format(printf, 2, 3)))
static void warn_at(struct parse_state *s, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	int n;

	if (!s->warn)
		return;
	n = snprintf(msg, sizeof(msg), "%s:%d: ", s->name, s->rd.line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	s->warn(s->ctx, msg);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *s = user;
	struct nsu_config *c = s->c;
	bool b;

	if (!key)
		return 1; /* a section header alone (inih calls with NULL key on some builds) */
	if (!strcmp(section, "mapping")) {
		if (!strcmp(key, "mode")) {
			if (!strcmp(value, "auto"))
				c->mode = NSU_MODE_AUTO;
			else if (!strcmp(value, "single"))
				c->mode = NSU_MODE_SINGLE;
			else if (!strcmp(value, "current-user"))
				c->mode = NSU_MODE_CURRENT_USER;
			else
				return bad(s, "mode must be auto, single or current-user, not '%.200s'",
					   value);
			return 1;
		}
		if (!strcmp(key, "newuidmap") || !strcmp(key, "newgidmap")) {
			bool uid = key[3] == 'u';
			char *origin = uid ? c->newuidmap_origin : c->newgidmap_origin;

			if (!set_path(s, key, value, uid ? c->newuidmap : c->newgidmap,
				      sizeof(c->newuidmap)))
				return 0;
			snprintf(origin, sizeof(c->newuidmap_origin), "%.*s:%d", PATH_MAX - 1, s->name,
				 s->rd.line);
			return 1;
		}
		if (!strcmp(key, "warn-fallback")) {
			if (parse_bool(value, &b) < 0)
				goto bad_bool;
			c->warn_fallback = b;
			return 1;
		}
	} else if (!strcmp(section, "command")) {
		if (!strcmp(key, "containers-env")) {
			if (parse_bool(value, &b) < 0)
				goto bad_bool;
			c->containers_env = b;
			return 1;
		}
		if (!strcmp(key, "shell"))
			return set_path(s, key, value, c->shell, sizeof(c->shell));
	} else {
		warn_at(s, "unknown section [%s] (key '%s' ignored)", section, key);
		return 1;
	}
	warn_at(s, "unknown key '%s' in [%s] ignored", key, section);
	return 1;

bad_bool:
	return bad(s, "%s must be yes or no, not '%.200s'", key, value);
}

int nsu_config_parse(struct nsu_config *c, const char *text, const char *name,
		     nsu_config_warn_fn warn, void *ctx, struct nsu_err *e)
{
	struct parse_state s = {
		.c = c, .rd = { .p = text }, .name = name, .warn = warn, .ctx = ctx,
	};
	int line;

	if (strlen(text) != strcspn(text, "\x01"))
		return nsu_fail(e, EINVAL, "%s: control character \\x01 in the file", name);
	line = ini_parse_stream(read_line, &s.rd, handler, &s);
	if (line == 0)
		return 0;
	if (line < 0)
		return nsu_fail(e, EIO, "%s: cannot parse the file", name);
	if (line == s.rd.too_long)
		return nsu_fail(e, EINVAL, "%s:%d: line longer than %d characters", name, line,
				s.rd.max - 2);
	if (line == s.error_line)
		return nsu_fail(e, EINVAL, "%s:%d: %s", name, line, s.error);
	return nsu_fail(e, EINVAL, "%s:%d: malformed line: expected [section], key = value, "
			"or a comment starting with # or ;", name, line);
}

/* Files larger than this are not configuration files. */
#define CONFIG_MAX_SIZE (64 * 1024)

int nsu_config_load_file(struct nsu_config *c, const char *path,
			 nsu_config_warn_fn warn, void *ctx, struct nsu_err *e)
{
	char *text;
	size_t n;
	int r;
	FILE *f = fopen(path, "re");

	if (!f) {
		struct stat st;
		int saved = errno;

		/*
		 * Missing is fine. So is a file we cannot even see because a
		 * directory on its way is closed to us (a $HOME kept across
		 * sudo or setpriv): it is not ours to read. A file we can see
		 * but not read is an error.
		 */
		if (saved == ENOENT || saved == ENOTDIR ||
		    (saved == EACCES && stat(path, &st) < 0 && errno == EACCES))
			return 0;
		return nsu_fail(e, saved, "cannot read %s: %s", path, strerror(saved));
	}
	text = malloc(CONFIG_MAX_SIZE + 1);
	if (!text) {
		fclose(f);
		return nsu_fail(e, ENOMEM, "out of memory");
	}
	n = fread(text, 1, CONFIG_MAX_SIZE + 1, f);
	if (ferror(f)) {
		int saved = errno;

		free(text);
		fclose(f);
		return nsu_fail(e, saved, "cannot read %s: %s", path, strerror(saved));
	}
	fclose(f);
	if (n > CONFIG_MAX_SIZE) {
		free(text);
		return nsu_fail(e, EFBIG, "%s: larger than %d KiB, not a configuration file",
				path, CONFIG_MAX_SIZE / 1024);
	}
	if (memchr(text, '\0', n)) {
		free(text);
		return nsu_fail(e, EINVAL, "%s: contains a NUL byte, not a configuration file", path);
	}
	text[n] = '\0';
	r = nsu_config_parse(c, text, path, warn, ctx, e);
	free(text);
	return r < 0 ? -1 : 1;
}

size_t nsu_config_paths(const char *sys, const char *xdg_config_home, const char *home,
			const char *nsu_config, char *out[3])
{
	size_t n = 0;

	out[n++] = strdup(sys);
	/* XDG: a relative $XDG_CONFIG_HOME is invalid and must be ignored. */
	if (xdg_config_home && xdg_config_home[0] == '/') {
		if (asprintf(&out[n], "%s/nsu/nsu.conf", xdg_config_home) >= 0)
			n++;
	} else if (home && home[0] == '/') {
		if (asprintf(&out[n], "%s/.config/nsu/nsu.conf", home) >= 0)
			n++;
	}
	if (nsu_config && *nsu_config)
		out[n++] = strdup(nsu_config);
	return n;
}
