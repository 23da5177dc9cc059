/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host facts that explain a failure, turned into advice. */
#ifndef NSU_HINTS_H
#define NSU_HINTS_H

#include <stddef.h>

/* Why creating a user namespace failed with @err, and the setting that fixes it. */
void nsu_userns_hint(int err, char *buf, size_t len);

#endif
