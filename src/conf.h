/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration files (inih): /etc/nsu.conf, then ~/.config/nsu/nsu.conf
 * ($XDG_CONFIG_HOME), then the file named by $NSU_CONFIG; later files
 * override earlier ones, options override all. Only files the caller or
 * root could have written are read (trust.h). See nsu.conf(5).
 */
#ifndef NSU_CONF_H
#define NSU_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "log.h"
#include "options.h"

/* [mapping] helper-timeout: the default and the range accepted, in seconds. */
#define NSU_HELPER_TIMEOUT_DEFAULT 30
#define NSU_HELPER_TIMEOUT_MIN 1
#define NSU_HELPER_TIMEOUT_MAX 3600

struct nsu_config {
	enum nsu_map_mode mode;     /* [mapping] mode */
	char newuidmap[PATH_MAX];   /* [mapping] newuidmap */
	char newgidmap[PATH_MAX];   /* [mapping] newgidmap */
	char newuidmap_origin[PATH_MAX + 16]; /* "FILE:LINE" that set it; "" for the default */
	char newgidmap_origin[PATH_MAX + 16];
	bool warn_fallback;         /* [mapping] warn-fallback */
	unsigned helper_timeout;    /* [mapping] helper-timeout, in seconds */
	bool containers_env;        /* [command] containers-env */
	char shell[PATH_MAX];       /* [command] shell; "" = $SHELL, passwd, /bin/sh */
	char shell_origin[PATH_MAX + 16]; /* "FILE:LINE" that set it; "" when not set */
	bool die_with_parent;       /* [command] die-with-parent */
	bool no_new_privs;          /* [command] no-new-privs */
	int ns;                     /* [namespaces] pid, uts, ipc, net, cgroup: CLONE_NEW* flags */
	bool mount_proc;            /* [namespaces] mount-proc: with a pid namespace, a fresh /proc */
	char session[65];           /* [session] name: the session of every call; "" for none */
};

/* Receives a warning (unknown key or section), "FILE:LINE: ..." without prefix. */
typedef void (*nsu_config_warn_fn)(void *ctx, const char *msg);

/* The built-in defaults. */
void nsu_config_defaults(struct nsu_config *c);

/**
 * nsu_config_parse() - apply the settings in @text to @c
 * @c: configuration to update (keys not in @text keep their value)
 * @text: the file's content
 * @name: the file's name, for messages
 * @warn: called for each unknown section or key; may be NULL
 * @ctx: passed to @warn
 * @e: receives "FILE:LINE: ..." on error
 *
 * A malformed line or an invalid value is an error; @c may then be
 * partly updated.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_config_parse(struct nsu_config *c, const char *text, const char *name,
		     nsu_config_warn_fn warn, void *ctx, struct nsu_err *e);

/* What nsu_config_load_file() did with a file. */
enum nsu_config_load {
	NSU_CONFIG_FAILED = -1, /* an error: the file cannot be read, or is invalid */
	NSU_CONFIG_ABSENT = 0,  /* missing, or out of the caller's sight */
	NSU_CONFIG_READ = 1,    /* applied */
	NSU_CONFIG_IGNORED = 2, /* not trusted: not applied, with a warning */
};

/**
 * nsu_config_load_file() - apply the file @path, if it exists and is trusted
 * @c: configuration to update
 * @path: the file
 * @uid: the caller (geteuid())
 * @from_env: @path comes from the environment (the user file, $NSU_CONFIG),
 *            which su without '-' and sudo -E keep from another user
 * @warn, @ctx: as for nsu_config_parse()
 * @e: receives the error, or the reason a file is ignored
 *
 * The file is used only when it is a regular file owned by @uid or root,
 * not writable by group or others (nsu_trust_file()). It is opened without
 * following a symbolic link at its last component and without blocking
 * (a FIFO or a device never hangs nsu), and judged on the opened file. A
 * file that fails is ignored: @e then says "ignoring PATH: why (fix)".
 *
 * A missing file is absent, and so is one behind a directory closed to
 * the caller (another user's $HOME kept across sudo). A directory, a
 * trusted file that cannot be read, one larger than 64 KiB or one with a
 * NUL byte is an error, as is an invalid file.
 *
 * Return: what was done; @e is filled for NSU_CONFIG_FAILED and
 * NSU_CONFIG_IGNORED.
 */
enum nsu_config_load nsu_config_load_file(struct nsu_config *c, const char *path, uid_t uid,
					  bool from_env, nsu_config_warn_fn warn, void *ctx,
					  struct nsu_err *e);

/**
 * nsu_config_paths() - the files to read, in order
 * @sys: the system file (SYSCONFDIR/nsu.conf)
 * @xdg_config_home, @home, @nsu_config: the environment's values, or NULL
 * @out: receives up to three paths (malloc()ed; free each)
 *
 * Return: the number of paths (at least 1, the system file), or 0 when out
 * of memory (then nothing is left to free).
 */
size_t nsu_config_paths(const char *sys, const char *xdg_config_home, const char *home,
			const char *nsu_config, char *out[3]);

#endif
