/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration files (inih): /etc/nsu.conf, then ~/.config/nsu/nsu.conf
 * ($XDG_CONFIG_HOME), then the file named by $NSU_CONFIG; later files
 * override earlier ones, options override all. See nsu.conf(5).
 */
#ifndef NSU_CONF_H
#define NSU_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "options.h"

struct nsu_config {
	enum nsu_map_mode mode;     /* [mapping] mode */
	char newuidmap[PATH_MAX];   /* [mapping] newuidmap */
	char newgidmap[PATH_MAX];   /* [mapping] newgidmap */
	char newuidmap_origin[PATH_MAX + 16]; /* "FILE:LINE" that set it; "" for the default */
	char newgidmap_origin[PATH_MAX + 16];
	bool warn_fallback;         /* [mapping] warn-fallback */
	bool containers_env;        /* [command] containers-env */
	char shell[PATH_MAX];       /* [command] shell; "" = $SHELL, passwd, /bin/sh */
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

/**
 * nsu_config_load_file() - apply the file @path, if it exists
 * Return: 1 when read, 0 when it does not exist, -1 with @e filled when
 * it cannot be read or is invalid.
 */
int nsu_config_load_file(struct nsu_config *c, const char *path,
			 nsu_config_warn_fn warn, void *ctx, struct nsu_err *e);

/**
 * nsu_config_paths() - the files to read, in order
 * @sys: the system file (SYSCONFDIR/nsu.conf)
 * @xdg_config_home, @home, @nsu_config: the environment's values, or NULL
 * @out: receives up to three paths (malloc()ed; free each)
 *
 * Return: the number of paths.
 */
size_t nsu_config_paths(const char *sys, const char *xdg_config_home, const char *home,
			const char *nsu_config, char *out[3]);

#endif
