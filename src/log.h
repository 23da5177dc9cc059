/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages and errors. Library code fills a struct nsu_err and returns; only
 * main() prints it and decides the exit status. Every line starts "nsu: ".
 */
#ifndef NSU_LOG_H
#define NSU_LOG_H

#include <stdarg.h>

struct nsu_err {
	int errnum;      /* errno of the failure, 0 if none applies */
	char msg[1024];  /* what failed and what to do about it */
};

enum nsu_verbosity { NSU_QUIET = -1, NSU_NORMAL = 0, NSU_VERBOSE = 1 };

extern int nsu_verbosity;

/*
 * Where message lines go instead of stderr (libnsu's nsu_run_child()): the
 * line without its newline. NULL: stderr.
 */
extern void (*nsu_log_sink)(const char *line, void *ctx);
extern void *nsu_log_sink_ctx;

/* Fill @e from a printf format; returns -1 so callers can "return nsu_fail(...)". */
int nsu_fail(struct nsu_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Put context before @e's message: "CONTEXT: message". The errno stays.
 * Returns -1, like nsu_fail().
 */
int nsu_err_wrap(struct nsu_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Add a remark after @e's message ("message (remark)"). Returns -1. */
int nsu_err_append(struct nsu_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "nsu: " + text + "\n" on stderr, written with a single write(2). */
void nsu_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nsu_vprint(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void nsu_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void nsu_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
