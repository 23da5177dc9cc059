/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "tty.h"

/* Is nsu a job of its own: the leader of its group, not part of a pipeline? */
static bool whole_job(void)
{
	struct stat st;

	if (getpgrp() != getpid())
		return false;
	for (int fd = 0; fd <= 2; fd++)
		if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
			return false;
	return true;
}

void nsu_tty_open(struct nsu_tty *t, pid_t child)
{
	*t = (struct nsu_tty){ .fd = -1, .own = getpgrp(), .child = child };
	if (child <= 0)
		return; /* a command in a session of its own: the terminal is not its */
	/* No controlling terminal (ENXIO) is the usual case for scripts and CI. */
	t->fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (t->fd >= 0)
		t->wants = whole_job();
}

bool nsu_tty_own_foreground(const struct nsu_tty *t)
{
	return t->fd >= 0 && tcgetpgrp(t->fd) == t->own;
}

/*
 * nsu blocks every signal, SIGTTOU included, so it may set the foreground
 * even while its own group is in the background (when taking it back).
 */
static bool set_foreground(const struct nsu_tty *t, pid_t pgrp)
{
	int r;

	do
		r = tcsetpgrp(t->fd, pgrp);
	while (r < 0 && errno == EINTR);
	return r == 0;
}

bool nsu_tty_give(struct nsu_tty *t)
{
	if (!t->wants || !nsu_tty_own_foreground(t))
		return false;
	if (set_foreground(t, t->child))
		t->handed = true;
	return t->handed;
}

bool nsu_tty_give_on_demand(struct nsu_tty *t)
{
	if (!nsu_tty_own_foreground(t))
		return false;
	t->wants = true;
	return nsu_tty_give(t);
}

void nsu_tty_take_back(struct nsu_tty *t)
{
	if (!t->handed)
		return;
	t->handed = false;
	if (tcgetpgrp(t->fd) != t->own)
		set_foreground(t, t->own);
}

void nsu_tty_close(struct nsu_tty *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}
