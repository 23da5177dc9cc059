/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

/* Read up to @len - 1 bytes of @path into @buf; the length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

long nsu_sysctl(const char *path)
{
	char buf[32];

	return read_small(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 10) : -1;
}

bool nsu_uid_map_empty(void)
{
	char buf[2];

	return read_small("/proc/self/uid_map", buf, sizeof(buf)) == 0;
}

bool nsu_in_initial_userns(void)
{
	char buf[128];
	unsigned long a, b, c;
	const char *nl;

	ssize_t n = read_small("/proc/self/uid_map", buf, sizeof(buf));

	if (n < 0)
		return true;  /* no /proc to tell: assume the common case */
	if (n == 0)
		return false; /* a namespace without maps */
	nl = strchr(buf, '\n');
	return sscanf(buf, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 &&
	       c == 4294967295UL && (!nl || !strchr(nl + 1, '\n'));
}
