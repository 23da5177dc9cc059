/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the child's failure reports: exit statuses and messages. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "report.h"
#include "tap.h"

static const char *msg(int stage, int err, const char *detail)
{
	static char buf[512];
	struct nsu_report r = { .stage = stage, .errnum = err };

	snprintf(r.detail, sizeof(r.detail), "%s", detail);
	nsu_report_message(&r, buf, sizeof(buf));
	return buf;
}

static int status(int stage, int err)
{
	struct nsu_report r = { .stage = stage, .errnum = err };

	return nsu_report_exit_status(&r);
}

int main(void)
{
	is_int(status(NSU_STAGE_EXEC, ENOENT), 127, "not found: 127");
	is_int(status(NSU_STAGE_EXEC, ENOTDIR), 127, "path through a file: 127");
	is_int(status(NSU_STAGE_EXEC, EACCES), 126, "not executable: 126");
	is_int(status(NSU_STAGE_EXEC, ENOEXEC), 126, "bad format: 126");
	is_int(status(NSU_STAGE_EXEC, EISDIR), 126, "directory: 126");
	is_int(status(NSU_STAGE_MOUNT, EPERM), 125, "setup failure: 125");
	is_int(status(NSU_STAGE_SETID, EINVAL), 125, "id switch failure: 125");
	is_int(status(NSU_STAGE_REEXEC, ENOENT), 125, "re-exec failure is nsu's own, even ENOENT");

	is_str(msg(NSU_STAGE_EXEC, ENOENT, "frob"), "frob: command not found", "like a shell");
	is_str(msg(NSU_STAGE_EXEC, ENOENT, "./frob"), "./frob: No such file or directory",
	       "a path is not a command name");
	is_str(msg(NSU_STAGE_EXEC, EACCES, "/etc/passwd"), "/etc/passwd: Permission denied",
	       "permission");
	ok(strstr(msg(NSU_STAGE_REEXEC, ENOENT, ""), "/proc") != NULL, "re-exec names /proc");
	ok(strstr(msg(NSU_STAGE_SETID, EPERM, ""), "chosen uid") != NULL, "id switch says what");
	is_str(msg(NSU_STAGE_CHDIR, ENOENT, "/nope"), "cannot change to directory /nope: No such file or directory", "chdir names the directory");
	is_int(status(NSU_STAGE_CHDIR, ENOENT), 125, "chdir failure is nsu's own: 125");

	{
		int p[2];
		struct nsu_report r;
		char longname[400];

		memset(longname, 'x', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		ok(pipe(p) == 0, "pipe");
		nsu_report_send(p[1], NSU_STAGE_EXEC, ENOENT, longname);
		is_int(read(p[0], &r, sizeof(r)), sizeof(r), "one whole record per write");
		is_int(r.stage, NSU_STAGE_EXEC, "stage travels");
		is_int(r.errnum, ENOENT, "errno travels");
		is_int(strlen(r.detail), sizeof(r.detail) - 1, "long detail truncated, terminated");
		close(p[0]);
		close(p[1]);
	}
	return tap_done();
}
