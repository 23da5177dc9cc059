/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal TAP producer for nsu's unit tests (read by Automake's tap-driver.sh). */
#ifndef NSU_TAP_H
#define NSU_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

__attribute__((format(printf, 2, 3))) static int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)

#define is_int(got, want, name)                                                          \
	do {                                                                              \
		long long g_ = (long long)(got), w_ = (long long)(want);                      \
		if (!tap_ok(g_ == w_, "%s", name))                                            \
			printf("#   got %lld, want %lld\n", g_, w_);                               \
	} while (0)

#define is_str(got, want, name)                                                          \
	do {                                                                              \
		const char *g_ = (got), *w_ = (want);                                         \
		if (!tap_ok(g_ && w_ && strcmp(g_, w_) == 0, "%s", name))                      \
			printf("#   got \"%s\"\n#  want \"%s\"\n", g_ ? g_ : "(null)",             \
			       w_ ? w_ : "(null)");                                               \
	} while (0)

/* Print the plan at the end and return the exit status for main(). */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
