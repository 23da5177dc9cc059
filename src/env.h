/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command's environment (pure). */
#ifndef NSU_ENV_H
#define NSU_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "options.h"

/**
 * nsu_env_build() - the command's environment
 * @env: the caller's environment
 * @containers: add the containers variables
 * @uid: the caller's uid outside, for _CONTAINERS_ROOTLESS_UID
 * @gid: the caller's gid outside, for _CONTAINERS_ROOTLESS_GID
 * @ops: --setenv/--unsetenv operations, applied last, in order
 * @n_ops: their number
 *
 * Order and content of @env are kept, except that any inner-stage marker is
 * left out. With @containers, earlier values of the three containers
 * variables are left out too and _CONTAINERS_USERNS_CONFIGURED=done and the
 * two ids are appended, as buildah and podman set them.
 *
 * Return: a malloc()ed NULL-terminated vector, released with
 * nsu_env_free(), or NULL when out of memory.
 */
char **nsu_env_build(char *const *env, bool containers, uid_t uid, gid_t gid,
		     const struct nsu_env_op *ops, size_t n_ops);

void nsu_env_free(char **env);

#endif
