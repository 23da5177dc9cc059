/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "conf.h"
#include "record.h"
#include "util.h"
#include "trust.h"

void nsu_config_defaults(struct nsu_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mode = NSU_MODE_AUTO;
	snprintf(c->newuidmap, sizeof(c->newuidmap), "%s", NSU_NEWUIDMAP);
	snprintf(c->newgidmap, sizeof(c->newgidmap), "%s", NSU_NEWGIDMAP);
	c->warn_fallback = true;
	c->helper_timeout = NSU_HELPER_TIMEOUT_DEFAULT;
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

/* Decimal digits only (no sign, blank or unit), from @min to @max. */
static int parse_uint(const char *v, unsigned min, unsigned max, unsigned *out)
{
	unsigned long n = 0;

	if (!*v)
		return -1;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > max)
			return -1; /* also keeps n from overflowing */
	}
	if (n < min)
		return -1;
	*out = (unsigned)n;
	return 0;
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

/* Record "FILE:LINE" of the current line in @dst, a *_origin field. */
static void set_origin(const struct parse_state *s, char dst[static PATH_MAX + 16])
{
	snprintf(dst, PATH_MAX + 16, "%.*s:%d", PATH_MAX - 1, s->name, s->rd.line);
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

/* The clone() flag of a [namespaces] key, or 0. */
static int namespace_flag(const char *key)
{
	static const struct {
		const char *key;
		int flag;
	} names[] = {
		{ "pid", CLONE_NEWPID }, { "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC },
		{ "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
	};

	for (size_t i = 0; i < NSU_ARRAY_SIZE(names); i++)
		if (!strcmp(key, names[i].key))
			return names[i].flag;
	return 0;
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
			set_origin(s, origin);
			return 1;
		}
		if (!strcmp(key, "warn-fallback")) {
			if (parse_bool(value, &b) < 0)
				goto bad_bool;
			c->warn_fallback = b;
			return 1;
		}
		if (!strcmp(key, "helper-timeout")) {
			if (parse_uint(value, NSU_HELPER_TIMEOUT_MIN, NSU_HELPER_TIMEOUT_MAX,
				       &c->helper_timeout) < 0)
				return bad(s, "helper-timeout must be a whole number of seconds from %d "
					   "to %d, not '%.200s'", NSU_HELPER_TIMEOUT_MIN,
					   NSU_HELPER_TIMEOUT_MAX, value);
			return 1;
		}
	} else if (!strcmp(section, "command")) {
		if (!strcmp(key, "containers-env")) {
			if (parse_bool(value, &b) < 0)
				goto bad_bool;
			c->containers_env = b;
			return 1;
		}
		if (!strcmp(key, "shell")) {
			if (!set_path(s, key, value, c->shell, sizeof(c->shell)))
				return 0;
			set_origin(s, c->shell_origin);
			return 1;
		}
		if (!strcmp(key, "die-with-parent") || !strcmp(key, "no-new-privs")) {
			if (parse_bool(value, &b) < 0)
				goto bad_bool;
			*(key[0] == 'd' ? &c->die_with_parent : &c->no_new_privs) = b;
			return 1;
		}
	} else if (!strcmp(section, "session")) {
		if (!strcmp(key, "name")) {
			/* "none" (or nothing) turns off what an earlier file set. */
			if (!*value || !strcmp(value, "none")) {
				c->session[0] = '\0';
				return 1;
			}
			if (!nsu_session_name_valid(value))
				return bad(s, "name must be a session name (1 to 64 of letters, digits, "
					   "'.', '_' and '-', not starting with '.' or '-') or none, not "
					   "'%.200s'", value);
			snprintf(c->session, sizeof(c->session), "%s", value);
			return 1;
		}
	} else if (!strcmp(section, "namespaces")) {
		int flag = namespace_flag(key);

		if (flag || !strcmp(key, "mount-proc")) {
			if (parse_bool(value, &b) < 0)
				goto bad_bool;
			if (!flag)
				c->mount_proc = b;
			else if (b)
				c->ns |= flag;
			else
				c->ns &= ~flag;
			return 1;
		}
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

/*
 * Fill @e with why the configuration file @path, of stat @st, is not used
 * by @uid; 0 when it may be.
 */
static int distrust(const char *path, const struct stat *st, uid_t uid, bool from_env,
		    struct nsu_err *e)
{
	char owner[300], target[PATH_MAX];

	switch (nsu_trust_file(st, uid)) {
	case NSU_TRUST_OK:
		return 0;
	case NSU_TRUST_TYPE:
		if (!S_ISLNK(st->st_mode))
			return nsu_fail(e, EINVAL, "ignoring %s: it is %s, not a regular file (use a "
					"regular file)", path, nsu_file_type_name(st->st_mode));
		if (!realpath(path, target)) /* dangling: no target to suggest */
			return nsu_fail(e, ELOOP, "ignoring %s: nsu reads configuration only from the "
					"file itself, not through a symbolic link (replace the link "
					"with the file)", path);
		return nsu_fail(e, ELOOP, "ignoring %s: nsu reads configuration only from the file "
				"itself, not through a symbolic link (replace the link with the "
				"file, or set NSU_CONFIG=%s)", path, target);
	case NSU_TRUST_OWNER:
		nsu_describe_uid(st->st_uid, owner, sizeof(owner));
		if (uid != 0)
			return nsu_fail(e, EPERM, "ignoring %s: it is owned by %s, not by you or root "
					"(%s)", path, owner,
					from_env ? "use a copy of your own" : "chown it to root");
		return nsu_fail(e, EPERM, "ignoring %s: it is owned by %s, and as root nsu reads "
				"only files owned by root (%s)", path, owner,
				from_env ? "was the environment kept by su without '-' or by sudo -E?"
					 : "chown it to root");
	case NSU_TRUST_WRITABLE:
		break;
	}
	return nsu_fail(e, EPERM, "ignoring %s: it is writable by group or others (chmod go-w it)",
			path);
}

/* Up to @len bytes of @fd; the number read, or -1 with errno set. */
static ssize_t read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

enum nsu_config_load nsu_config_load_file(struct nsu_config *c, const char *path, uid_t uid,
					  bool from_env, nsu_config_warn_fn warn, void *ctx,
					  struct nsu_err *e)
{
	struct stat st;
	_cleanup_free_ char *text = NULL;
	_cleanup_close_ int fd = -1;
	ssize_t n;
	int r, saved;

	/*
	 * A first look, without opening: a device or FIFO is never opened
	 * (opening one can have effects), a file that is not trusted is
	 * never read.
	 */
	if (lstat(path, &st) < 0) {
		saved = errno;
		/*
		 * Missing is fine. So is a file we cannot even see because a
		 * directory on its way is closed to us (a $HOME kept across
		 * sudo or setpriv): it is not ours to read.
		 */
		if (saved == ENOENT || saved == ENOTDIR || saved == EACCES)
			return NSU_CONFIG_ABSENT;
		nsu_fail(e, saved, "cannot read %s: %s", path, strerror(saved));
		return NSU_CONFIG_FAILED;
	}
	if (S_ISDIR(st.st_mode)) {
		nsu_fail(e, EISDIR, "cannot read %s: %s", path, strerror(EISDIR));
		return NSU_CONFIG_FAILED;
	}
	if (distrust(path, &st, uid, from_env, e) < 0)
		return NSU_CONFIG_IGNORED;

	/* The decision that counts is on the file opened, whatever the path names now. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		if (saved == ENOENT || saved == ENOTDIR)
			return NSU_CONFIG_ABSENT; /* removed since */
		if (saved == ELOOP && lstat(path, &st) == 0 && distrust(path, &st, uid, from_env, e) < 0)
			return NSU_CONFIG_IGNORED; /* replaced by a symbolic link since */
		nsu_fail(e, saved, "cannot read %s: %s", path, strerror(saved));
		return NSU_CONFIG_FAILED;
	}
	if (fstat(fd, &st) < 0) {
		nsu_fail(e, errno, "cannot read %s: %s", path, strerror(errno));
		return NSU_CONFIG_FAILED;
	}
	if (distrust(path, &st, uid, from_env, e) < 0)
		return NSU_CONFIG_IGNORED;

	text = malloc(CONFIG_MAX_SIZE + 1);
	if (!text) {
		nsu_fail(e, ENOMEM, "out of memory reading %s", path);
		return NSU_CONFIG_FAILED;
	}
	n = read_full(fd, text, CONFIG_MAX_SIZE + 1);
	if (n < 0) {
		nsu_fail(e, errno, "cannot read %s: %s", path, strerror(errno));
		return NSU_CONFIG_FAILED;
	}
	if (n > CONFIG_MAX_SIZE) {
		nsu_fail(e, EFBIG, "%s: larger than %d KiB, not a configuration file", path,
			 CONFIG_MAX_SIZE / 1024);
		return NSU_CONFIG_FAILED;
	}
	if (memchr(text, '\0', (size_t)n)) {
		nsu_fail(e, EINVAL, "%s: contains a NUL byte, not a configuration file", path);
		return NSU_CONFIG_FAILED;
	}
	text[n] = '\0';
	r = nsu_config_parse(c, text, path, warn, ctx, e);
	return r < 0 ? NSU_CONFIG_FAILED : NSU_CONFIG_READ;
}

/* @a followed by @b, malloc()ed; NULL when out of memory. */
static char *concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

size_t nsu_config_paths(const char *sys, const char *xdg_config_home, const char *home,
			const char *nsu_config, char *out[3])
{
	size_t n = 0;

	out[n++] = concat(sys, "");
	/* XDG: a relative $XDG_CONFIG_HOME is invalid and must be ignored. */
	if (xdg_config_home && xdg_config_home[0] == '/')
		out[n++] = concat(xdg_config_home, "/nsu/nsu.conf");
	else if (home && home[0] == '/')
		out[n++] = concat(home, "/.config/nsu/nsu.conf");
	if (nsu_config && *nsu_config)
		out[n++] = concat(nsu_config, "");
	for (size_t i = 0; i < n; i++) {
		if (out[i])
			continue;
		/* Out of memory: no list at all rather than one with a file missing. */
		for (size_t j = 0; j < n; j++) {
			free(out[j]);
			out[j] = NULL;
		}
		return 0;
	}
	return n;
}
