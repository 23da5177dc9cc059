/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The record a child writes to the parent over the close-on-exec report
 * pipe when a step between clone() and the command's exec fails. End of
 * file on the pipe without a record means the command was executed.
 */
#ifndef NSU_REPORT_H
#define NSU_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

enum nsu_stage {
	NSU_STAGE_NONE = 0,
	NSU_STAGE_READY,   /* not a failure: the inner stage runs and waits for its maps */
	NSU_STAGE_MOUNT,   /* making the mount tree private */
	NSU_STAGE_REEXEC,  /* executing /proc/self/exe as the inner stage */
	NSU_STAGE_SETID,   /* becoming uid/gid 0 */
	NSU_STAGE_CHDIR,   /* changing to the --chdir directory */
	NSU_STAGE_EXEC,    /* executing the command */
	NSU_STAGE_CAPS,    /* keeping or trimming capabilities */
	NSU_STAGE_GROUPS,  /* clearing the supplementary groups */
	NSU_STAGE_SETUP,   /* the isolation asked for: text is the whole message */
	/* Not failures: what the init of a new pid namespace tells about the command. */
	NSU_STAGE_STOPPED,   /* it stopped: errnum is the signal */
	NSU_STAGE_CONTINUED, /* it was continued */
	NSU_STAGE_ENDED,     /* it ended: errnum is its wait status */
};

struct nsu_report {
	int32_t stage;     /* enum nsu_stage */
	int32_t errnum;    /* errno of the failure */
	int32_t interp;    /* enum nsu_interp: for ENOENT of an existing file, what is missing */
	char detail[256];  /* the command or directory */
	char interp_path[256]; /* the missing interpreter */
	char text[1024];   /* NSU_STAGE_SETUP: the whole message (a struct nsu_err's) */
};

/* Send a report (one write, smaller than PIPE_BUF, so it arrives whole). */
void nsu_report_send(int fd, enum nsu_stage stage, int errnum, const char *detail);

/* Send a whole record (one write). */
void nsu_report_write(int fd, const struct nsu_report *r);

/*
 * @r: the report of a failed set-up step, with @e's whole message (stage
 * NSU_STAGE_SETUP). Returns -1, for "return nsu_report_from_err(...)".
 */
int nsu_report_from_err(struct nsu_report *r, const struct nsu_err *e);

/* Send the report of a failed set-up step, with @e's whole message. */
void nsu_report_setup_failure(int fd, const struct nsu_err *e);

/*
 * A child's last words before the command: send the report (@r, a stage
 * with @err and @detail, or @e's message) and end with status 125.
 */
__attribute__((noreturn)) void nsu_report_die(int fd, const struct nsu_report *r);
__attribute__((noreturn)) void nsu_report_die_at(int fd, enum nsu_stage stage, int err,
						 const char *detail);
__attribute__((noreturn)) void nsu_report_die_setup(int fd, const struct nsu_err *e);

/*
 * Execute @cmd (nsu_exec_command()); where it cannot be, report why on @fd
 * and end with 127, 126 or 125, as nsu does.
 */
__attribute__((noreturn)) void nsu_report_exec(int fd, char *const cmd[]);

/* The record of a failed exec of @cmd with errno @err (and the missing interpreter, if any). */
void nsu_report_fill_exec(struct nsu_report *r, const char *cmd, int err);

/* The exit status nsu uses for a report: 127, 126 or 125. */
int nsu_report_exit_status(const struct nsu_report *r);

/* A one-line message for a report, without the "nsu: " prefix. */
void nsu_report_message(const struct nsu_report *r, char *buf, size_t len);

#endif
