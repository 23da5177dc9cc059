/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scoped cleanup, as bubblewrap and systemd do it: a variable declared
 * _cleanup_free_ is freed, one declared _cleanup_close_ closed, when it goes
 * out of scope, so that no error path can leak or free what was never set.
 * steal_pointer() and steal_fd() hand a value on and leave nothing to clean.
 */
#ifndef NSU_UTIL_H
#define NSU_UTIL_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void nsu_freep(void *p)
{
	free(*(void **)p);
}

static inline void nsu_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}

#define _cleanup_free_ _cleanup_(nsu_freep)
#define _cleanup_close_ _cleanup_(nsu_closep)

/* The pointer in *@pp, which is left NULL. */
#define steal_pointer(pp)                                                                 \
	({                                                                                \
		__typeof__(*(pp)) steal_ = *(pp);                                         \
		*(pp) = NULL;                                                             \
		steal_;                                                                   \
	})

/* The descriptor in *@fd, which is left -1. */
static inline int steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

#define NSU_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
