/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec.h"

/* The search path of execvp() when PATH is not set (glibc's confstr(_CS_PATH)). */
#define DEFAULT_PATH "/bin:/usr/bin"

static bool exec_self;

void nsu_exec_self(void)
{
	exec_self = true;
}

void nsu_exec_command(char *const argv[])
{
	if (exec_self) {
		execv("/proc/self/exe", argv);
		return;
	}
	execvp(argv[0], argv);
}

/*
 * Call @fn with each candidate file for @name in $PATH, in execvp()'s order,
 * until it returns true; returns that, or false when none matched.
 */
static bool each_in_path(const char *name, bool (*fn)(const char *file, void *ctx), void *ctx)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (!path)
		path = DEFAULT_PATH;
	for (;;) {
		size_t len = strcspn(path, ":");
		/* An empty element is the current directory. */
		int n = len ? snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name) :
			      snprintf(buf, sizeof(buf), "%s", name);

		if (n > 0 && (size_t)n < sizeof(buf) && fn(buf, ctx))
			return true;
		if (path[len] == '\0')
			return false;
		path += len + 1;
	}
}

static bool exists_not_dir(const char *file, void *ctx)
{
	struct stat st;

	(void)ctx;
	return stat(file, &st) == 0 && !S_ISDIR(st.st_mode);
}

int nsu_exec_error(const char *cmd, int err)
{
	struct stat st;

	if (err != EACCES)
		return err;
	if (!strchr(cmd, '/'))
		return each_in_path(cmd, exists_not_dir, NULL) ? EACCES : ENOENT;
	if (stat(cmd, &st) == 0 && S_ISDIR(st.st_mode))
		return EISDIR;
	return EACCES;
}

/* The program interpreter named in the ELF file @fd, if it has one. */
static bool elf_interpreter(int fd, const unsigned char *head, size_t n, char *out, size_t len)
{
	uint64_t phoff, offset = 0, size = 0;
	unsigned phnum, phentsize;
	bool wide;

	if (n < EI_NIDENT || memcmp(head, ELFMAG, SELFMAG) != 0)
		return false;
	wide = head[EI_CLASS] == ELFCLASS64;
	if (wide && n >= sizeof(Elf64_Ehdr)) {
		const Elf64_Ehdr *h = (const Elf64_Ehdr *)(const void *)head;

		phoff = h->e_phoff;
		phnum = h->e_phnum;
		phentsize = h->e_phentsize;
		if (phentsize != sizeof(Elf64_Phdr))
			return false;
	} else if (!wide && head[EI_CLASS] == ELFCLASS32 && n >= sizeof(Elf32_Ehdr)) {
		const Elf32_Ehdr *h = (const Elf32_Ehdr *)(const void *)head;

		phoff = h->e_phoff;
		phnum = h->e_phnum;
		phentsize = h->e_phentsize;
		if (phentsize != sizeof(Elf32_Phdr))
			return false;
	} else {
		return false;
	}
	for (unsigned i = 0; i < phnum && i < 512; i++) {
		union { Elf64_Phdr p64; Elf32_Phdr p32; } ph;

		if (pread(fd, &ph, phentsize, (off_t)(phoff + (uint64_t)i * phentsize)) !=
		    (ssize_t)phentsize)
			return false;
		if ((wide ? ph.p64.p_type : ph.p32.p_type) != PT_INTERP)
			continue;
		offset = wide ? ph.p64.p_offset : ph.p32.p_offset;
		size = wide ? ph.p64.p_filesz : ph.p32.p_filesz;
		break;
	}
	if (size < 2 || size > len)
		return false;
	if (pread(fd, out, (size_t)size, (off_t)offset) != (ssize_t)size || out[size - 1] != '\0')
		return false;
	return true;
}

/* The program named on the #! line of @head. */
static bool script_interpreter(const unsigned char *head, size_t n, char *out, size_t len)
{
	size_t i = 2, start, end;

	if (n < 2 || head[0] != '#' || head[1] != '!')
		return false;
	while (i < n && (head[i] == ' ' || head[i] == '\t'))
		i++;
	start = i;
	while (i < n && head[i] != ' ' && head[i] != '\t' && head[i] != '\n' && head[i] != '\0')
		i++;
	end = i;
	if (end == start || end - start >= len)
		return false;
	memcpy(out, head + start, end - start);
	out[end - start] = '\0';
	return true;
}

struct interp_search {
	enum nsu_interp kind;
	char *out;
	size_t len;
};

/* Is @file the one exec ran, and is its interpreter missing? */
static bool missing_interpreter(const char *file, void *ctx)
{
	struct interp_search *s = ctx;
	unsigned char head[256];
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode) || access(file, X_OK) < 0)
		return false;
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	n = pread(fd, head, sizeof(head), 0);
	if (n > 0 && script_interpreter(head, (size_t)n, s->out, s->len))
		s->kind = NSU_INTERP_SCRIPT;
	else if (n > 0 && elf_interpreter(fd, head, (size_t)n, s->out, s->len))
		s->kind = NSU_INTERP_ELF;
	close(fd);
	/* The first executable file is the one exec ran: stop there either way. */
	if (s->kind != NSU_INTERP_NONE && access(s->out, F_OK) == 0)
		s->kind = NSU_INTERP_NONE; /* it exists: something else is missing */
	return true;
}

enum nsu_interp nsu_exec_missing_interpreter(const char *cmd, char *interp, size_t len)
{
	struct interp_search s = { .kind = NSU_INTERP_NONE, .out = interp, .len = len };

	if (len)
		interp[0] = '\0';
	if (strchr(cmd, '/'))
		missing_interpreter(cmd, &s);
	else
		each_in_path(cmd, missing_interpreter, &s);
	if (s.kind == NSU_INTERP_NONE && len)
		interp[0] = '\0';
	return s.kind;
}
