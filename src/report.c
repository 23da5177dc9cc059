/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

void nsu_report_send(int fd, enum nsu_stage stage, int errnum, const char *detail)
{
	struct nsu_report r = { .stage = stage, .errnum = errnum };
	ssize_t n;

	if (detail)
		snprintf(r.detail, sizeof(r.detail), "%s", detail);
	do
		n = write(fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
}

int nsu_report_exit_status(const struct nsu_report *r)
{
	if (r->stage != NSU_STAGE_EXEC)
		return 125;
	return (r->errnum == ENOENT || r->errnum == ENOTDIR) ? 127 : 126;
}

void nsu_report_message(const struct nsu_report *r, char *buf, size_t len)
{
	const char *err = strerror(r->errnum);

	switch (r->stage) {
	case NSU_STAGE_MOUNT:
		snprintf(buf, len, "cannot make the mounts of the new mount namespace private: %s", err);
		break;
	case NSU_STAGE_REEXEC:
		snprintf(buf, len, "cannot re-execute nsu through /proc/self/exe: %s; "
			 "nsu needs /proc mounted and its own binary executable", err);
		break;
	case NSU_STAGE_SETID:
		snprintf(buf, len, "cannot switch to the chosen uid and gid in the new user "
			 "namespace: %s; the id maps were not accepted", err);
		break;
	case NSU_STAGE_CHDIR:
		snprintf(buf, len, "cannot change to directory %s: %s", r->detail, err);
		break;
	case NSU_STAGE_EXEC:
		if (r->errnum == ENOENT && !strchr(r->detail, '/'))
			snprintf(buf, len, "%s: command not found", r->detail);
		else
			snprintf(buf, len, "%s: %s", r->detail, err);
		break;
	default:
		snprintf(buf, len, "the namespace setup failed: %s", err);
		break;
	}
}
