/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

int nsu_verbosity = NSU_NORMAL;
void (*nsu_log_sink)(const char *line, void *ctx);
void *nsu_log_sink_ctx;

int nsu_fail(struct nsu_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	e->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int nsu_err_wrap(struct nsu_err *e, const char *fmt, ...)
{
	char msg[sizeof(e->msg)];
	va_list ap;
	int n;

	memcpy(msg, e->msg, sizeof(msg));
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s", msg);
	return -1;
}

int nsu_err_append(struct nsu_err *e, const char *fmt, ...)
{
	size_t used = strnlen(e->msg, sizeof(e->msg) - 1);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg + used, sizeof(e->msg) - used, fmt, ap);
	va_end(ap);
	return -1;
}

void nsu_vprint(const char *fmt, va_list ap)
{
	char buf[2048];
	int n, saved = errno;

	memcpy(buf, "nsu: ", 5);
	n = vsnprintf(buf + 5, sizeof(buf) - 6, fmt, ap);
	if (n < 0)
		n = 0;
	n += 5;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	if (nsu_log_sink) {
		buf[n] = '\0';
		nsu_log_sink(buf, nsu_log_sink_ctx);
		errno = saved;
		return;
	}
	buf[n++] = '\n';
	/* One write, so lines of concurrent calls never interleave. */
	if (write(STDERR_FILENO, buf, (size_t)n) < 0) {
		/* Nothing sensible is left to report to. */
	}
	errno = saved;
}

void nsu_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nsu_vprint(fmt, ap);
	va_end(ap);
}

void nsu_warn(const char *fmt, ...)
{
	va_list ap;

	if (nsu_verbosity < NSU_NORMAL)
		return;
	va_start(ap, fmt);
	nsu_vprint(fmt, ap);
	va_end(ap);
}

void nsu_info(const char *fmt, ...)
{
	va_list ap;

	if (nsu_verbosity < NSU_VERBOSE)
		return;
	va_start(ap, fmt);
	nsu_vprint(fmt, ap);
	va_end(ap);
}
