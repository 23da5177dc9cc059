/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The controlling terminal while the command runs.
 *
 * The command runs in a process group of its own, so nsu hands it the
 * terminal's foreground the way a shell hands it to a job, and takes it
 * back when the command stops or ends:
 *
 * - when nsu is a job by itself (it leads its process group and none of
 *   its standard descriptors is a pipe to a neighbour in a pipeline) and
 *   that job is in the foreground, the command gets the terminal before it
 *   starts, and again each time it is continued in the foreground;
 * - otherwise (nsu is one process of a script's or a pipeline's job) the
 *   terminal stays with that job, whose members keep their terminal
 *   signals; the command gets it only when it needs it, that is when it
 *   stops for reading or setting the terminal from the background (SIGTTIN,
 *   SIGTTOU) while nsu's job is in the foreground.
 *
 * Without a controlling terminal, or for a command in a session of its own
 * (--setsid), all of this does nothing: terminal signals then reach nsu,
 * which passes them on like any other.
 */
#ifndef NSU_TTY_H
#define NSU_TTY_H

#include <stdbool.h>
#include <sys/types.h>

struct nsu_tty {
	int fd;              /* the controlling terminal (close-on-exec), or -1 */
	pid_t own;           /* nsu's process group */
	pid_t child;         /* the command's process group */
	bool wants;          /* the command should have the foreground when nsu has it */
	bool handed;         /* nsu gave the foreground to the command */
};

/*
 * Open the controlling terminal, if any, for a command in process group
 * @child; @child 0: the command is in a session of its own (--setsid), and
 * the terminal stays with nsu's job.
 */
void nsu_tty_open(struct nsu_tty *t, pid_t child);

/* Is nsu's process group the terminal's foreground? */
bool nsu_tty_own_foreground(const struct nsu_tty *t);

/* Give the foreground to the command if it wants it and nsu has it; true if it now has it. */
bool nsu_tty_give(struct nsu_tty *t);

/* The command stopped for the terminal (SIGTTIN/SIGTTOU): give it, if nsu can. */
bool nsu_tty_give_on_demand(struct nsu_tty *t);

/* Take the foreground back from the command, if nsu gave it away. */
void nsu_tty_take_back(struct nsu_tty *t);

void nsu_tty_close(struct nsu_tty *t);

#endif
