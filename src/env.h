/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command's environment (pure). */
#ifndef NSU_ENV_H
#define NSU_ENV_H

#include <sys/types.h>

/**
 * nsu_env_build() - the caller's environment plus the containers variables
 * @env: the caller's environment
 * @uid: the caller's uid outside, for _CONTAINERS_ROOTLESS_UID
 * @gid: the caller's gid outside, for _CONTAINERS_ROOTLESS_GID
 *
 * Order and content of @env are kept, except that earlier values of the
 * three containers variables and any inner-stage marker are left out;
 * _CONTAINERS_USERNS_CONFIGURED=done and the two ids are appended, as
 * buildah and podman set them.
 *
 * Return: a malloc()ed NULL-terminated vector (one allocation: free() it),
 * or NULL when out of memory.
 */
char **nsu_env_build(char *const *env, uid_t uid, gid_t gid);

#endif
