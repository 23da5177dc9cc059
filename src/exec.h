/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Executing the command, and saying why it could not be executed the way a
 * shell would: "command not found" (127), "Permission denied" (126), and,
 * where a shell leaves the user guessing, the missing interpreter of a
 * script or the missing program interpreter (dynamic loader) of a binary.
 */
#ifndef NSU_EXEC_H
#define NSU_EXEC_H

#include <stdbool.h>
#include <stddef.h>

/* What made execve() say ENOENT for a file that exists. */
enum nsu_interp {
	NSU_INTERP_NONE = 0,  /* nothing found: the file itself is missing */
	NSU_INTERP_SCRIPT,    /* the interpreter named on a script's #! line */
	NSU_INTERP_ELF,       /* a binary's program interpreter (PT_INTERP) */
};

/*
 * Execute @argv[0] with @argv, searched in $PATH of the current environment
 * like execvp(3) (PATH unset: the system default path); after
 * nsu_exec_self(), this process's own executable with @argv. Returns only
 * on failure, with errno set.
 */
void nsu_exec_command(char *const argv[]);

/* From now on nsu_exec_command() executes /proc/self/exe (libnsu's nsu_reexec()). */
void nsu_exec_self(void);

/**
 * nsu_exec_error() - the errno to report for a failed exec of @cmd
 * @cmd: the command as given (a name searched in $PATH, or a path)
 * @err: errno of the failed exec
 *
 * execvp() says EACCES when a directory of $PATH could not be searched,
 * even if no such command exists anywhere; a shell says "command not found"
 * then, and so does this (ENOENT). A directory gives EISDIR.
 *
 * Return: the errno to report.
 */
int nsu_exec_error(const char *cmd, int err);

/**
 * nsu_exec_missing_interpreter() - why exec said ENOENT for an existing file
 * @cmd: the command as given
 * @interp: receives the missing interpreter's path
 * @len: its size
 *
 * Finds the file exec ran (the first executable @cmd in $PATH, or @cmd
 * itself) and reads its head: the program on a #! line, or an ELF binary's
 * program interpreter, when that does not exist.
 *
 * Return: what is missing, or NSU_INTERP_NONE (then the file itself is).
 */
enum nsu_interp nsu_exec_missing_interpreter(const char *cmd, char *interp, size_t len);

#endif
