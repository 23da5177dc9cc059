/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "log.h"
#include "report.h"

void nsu_report_write(int fd, const struct nsu_report *r)
{
	ssize_t n;

	do
		n = write(fd, r, sizeof(*r));
	while (n < 0 && errno == EINTR);
}

void nsu_report_send(int fd, enum nsu_stage stage, int errnum, const char *detail)
{
	struct nsu_report r = { .stage = stage, .errnum = errnum };

	if (detail)
		snprintf(r.detail, sizeof(r.detail), "%s", detail);
	nsu_report_write(fd, &r);
}

int nsu_report_from_err(struct nsu_report *r, const struct nsu_err *e)
{
	*r = (struct nsu_report){ .stage = NSU_STAGE_SETUP, .errnum = e->errnum };
	snprintf(r->text, sizeof(r->text), "%s", e->msg);
	return -1;
}

void nsu_report_setup_failure(int fd, const struct nsu_err *e)
{
	struct nsu_report r;

	nsu_report_from_err(&r, e);
	nsu_report_write(fd, &r);
}

void nsu_report_die(int fd, const struct nsu_report *r)
{
	nsu_report_write(fd, r);
	_exit(125);
}

void nsu_report_die_at(int fd, enum nsu_stage stage, int err, const char *detail)
{
	nsu_report_send(fd, stage, err, detail);
	_exit(125);
}

void nsu_report_die_setup(int fd, const struct nsu_err *e)
{
	nsu_report_setup_failure(fd, e);
	_exit(125);
}

void nsu_report_exec(int fd, char *const cmd[])
{
	struct nsu_report r;

	nsu_exec_command(cmd);
	nsu_report_fill_exec(&r, cmd[0], errno);
	nsu_report_write(fd, &r);
	_exit(nsu_report_exit_status(&r));
}

void nsu_report_fill_exec(struct nsu_report *r, const char *cmd, int err)
{
	memset(r, 0, sizeof(*r));
	r->stage = NSU_STAGE_EXEC;
	r->errnum = nsu_exec_error(cmd, err);
	snprintf(r->detail, sizeof(r->detail), "%s", cmd);
	if (r->errnum == ENOENT)
		r->interp = (int32_t)nsu_exec_missing_interpreter(cmd, r->interp_path,
								  sizeof(r->interp_path));
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
	case NSU_STAGE_CAPS:
		snprintf(buf, len, "cannot set the capabilities of the new user namespace's "
			 "process: %s", err);
		break;
	case NSU_STAGE_GROUPS:
		snprintf(buf, len, "cannot clear the supplementary groups in the new user "
			 "namespace: %s", err);
		break;
	case NSU_STAGE_CHDIR:
		snprintf(buf, len, "cannot change to directory %s: %s", r->detail, err);
		break;
	case NSU_STAGE_SETUP:
		snprintf(buf, len, "%s", r->text);
		break;
	case NSU_STAGE_EXEC:
		if (r->errnum == ENOENT && r->interp == NSU_INTERP_SCRIPT)
			snprintf(buf, len, "%s: bad interpreter %s: %s (the program named on "
				 "its #! line does not exist)", r->detail, r->interp_path, err);
		else if (r->errnum == ENOENT && r->interp == NSU_INTERP_ELF)
			snprintf(buf, len, "%s: its program interpreter %s does not exist (a "
				 "binary for another C library or architecture?)", r->detail,
				 r->interp_path);
		else if (r->errnum == ENOENT && !strchr(r->detail, '/'))
			snprintf(buf, len, "%s: command not found", r->detail);
		else if (r->errnum == E2BIG)
			snprintf(buf, len, "%s: %s (the arguments and environment, with the few "
				 "nsu adds to run it, exceed the kernel's limit)", r->detail, err);
		else
			snprintf(buf, len, "%s: %s", r->detail, err);
		break;
	default:
		snprintf(buf, len, "the namespace setup failed: %s", err);
		break;
	}
}
