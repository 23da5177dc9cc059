/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command's filesystem, set up by nsu's inner stage in its new mount
 * namespace: a root of its own (--rootfs, entered with pivot_root, with
 * /proc, /sys and a small /dev), binds and tmpfs mounts in command-line
 * order with paths masked (--mask-path) or made read-only (--ro-path), a
 * /proc of a new pid namespace, a read-only root.
 */
#ifndef NSU_FSETUP_H
#define NSU_FSETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "isolation.h"
#include "log.h"

struct nsu_fs_setup {
	const char *rootfs;            /* --rootfs DIR, or NULL */
	bool ro_root;                  /* --ro-root */
	bool proc_fresh;               /* a new procfs for the new pid namespace (--mount-proc) */
	bool pid_ns;                   /* the process runs in a new pid namespace (--pid) */
	const struct nsu_fs_op *ops;   /* --bind, --ro-bind, --tmpfs, --mask-path, --ro-path */
	size_t n_ops;
};

/**
 * nsu_fs_setup() - set up the filesystem the command sees
 * @s: what to set up
 * @e: receives the message on error, naming the option, the path and the
 *     step ("--rootfs /srv/r: mounting devpts on /dev/pts: Permission denied")
 *
 * Runs in the inner stage, in the new mount namespace (its mounts already
 * private), with all capabilities over it, before the switch to the
 * command's ids. With a root of its own, the order is: bind DIR onto itself,
 * set up /proc (a fresh procfs with @proc_fresh, else a recursive bind of
 * the host's), /sys (a read-only recursive bind), /dev (a tmpfs with the
 * devices null, zero, full, random, urandom and tty bound in, the links fd,
 * stdin, stdout, stderr and ptmx, a new devpts instance on /dev/pts and a
 * tmpfs on /dev/shm), pivot_root into it and detach the old root; then
 * the operations of @ops in order, their paths inside the new root; then
 * the new root made read-only with @ro_root. Without a root of its own: the
 * operations, then a fresh /proc with @proc_fresh. An operation's path is
 * resolved when its turn comes, so it sees what earlier ones mounted; the
 * path of a --mask-path that does not exist then is skipped.
 *
 * Return: 0, or -1 with @e filled (the caller stops: nothing is run).
 */
int nsu_fs_setup(const struct nsu_fs_setup *s, struct nsu_err *e);

#endif
