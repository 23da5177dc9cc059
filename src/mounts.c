/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <sys/mount.h>

#include "mounts.h"

int nsu_mounts_make_private(void)
{
	/* Source and type are ignored for a propagation change; "none" keeps checkers quiet. */
	return mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ? -errno : 0;
}

int nsu_mounts_unshare(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	return nsu_mounts_make_private();
}
