/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command's environment, set in the process that executes nsu's inner
 * stage (and so the command) with setenv(3) and unsetenv(3).
 */
#ifndef NSU_ENV_H
#define NSU_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "options.h"

/**
 * nsu_env_apply() - turn this process's environment into the command's
 * @containers: set the containers variables
 * @uid: the caller's uid outside, for _CONTAINERS_ROOTLESS_UID
 * @gid: the caller's gid outside, for _CONTAINERS_ROOTLESS_GID
 * @ops: --setenv/--unsetenv operations, applied last, in order
 * @n_ops: their number
 *
 * The order and content of the environment are kept, except that the
 * variable earlier versions of nsu used internally is removed. With
 * @containers, earlier values of the three containers variables are
 * removed and _CONTAINERS_USERNS_CONFIGURED=done and the two ids appended,
 * as buildah and podman set them. A variable set by an operation moves to
 * the end.
 *
 * Return: 0, or -errno (ENOMEM) with the environment partly changed.
 */
int nsu_env_apply(bool containers, uid_t uid, gid_t gid, const struct nsu_env_op *ops,
		  size_t n_ops);

#endif
