/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mount namespace setup. */
#ifndef NSU_MOUNTS_H
#define NSU_MOUNTS_H

/* Make every mount of this (new) mount namespace private. 0 or -errno. */
int nsu_mounts_make_private(void);

/* Move into a new mount namespace whose mounts are all private. 0 or -errno. */
int nsu_mounts_unshare(void);

#endif
