/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libnsu-reexec: calls nsu_reexec() first thing, as libnsu(3) asks, then
 * says which case it is ("reexec inside" or "reexec privileged") and
 * executes CMD.
 *
 *   libnsu-reexec [-e] [-s] [-u UID[:GID]] [-U MAP] -- CMD...
 *
 * -e: NSU_EVEN_ROOT; -s: NSU_MAPPING_SINGLE; -u: user; -U: uidmap. Then it
 * prints its own name as the kernel has it ("comm NAME"). The words are read
 * by hand: a parser with state of its own (getopt) must not run before
 * nsu_reexec(), which may be the start of nsu's inner stage.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <nsu.h>

int main(int argc, char **argv)
{
	struct nsu_error err;
	struct nsu_opts o;
	char name[64];
	FILE *comm;
	int i, r;

	nsu_opts_init(&o);
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-e") == 0)
			o.flags |= NSU_EVEN_ROOT;
		else if (strcmp(argv[i], "-s") == 0)
			o.mapping = NSU_MAPPING_SINGLE;
		else if (strcmp(argv[i], "-u") == 0 && i + 1 < argc)
			o.user = argv[++i];
		else if (strcmp(argv[i], "-U") == 0 && i + 1 < argc)
			o.uidmap = argv[++i];
	}
	r = nsu_reexec(argc, argv, &o, &err);
	if (r < 0) {
		printf("error %d %d %s\n", err.status, err.code, err.message);
		return err.status;
	}
	if (i + 1 >= argc)
		return 2;
	printf("reexec %s\n", r == NSU_REEXEC_INSIDE ? "inside" : "privileged");
	comm = fopen("/proc/self/comm", "r");
	if (comm && fgets(name, sizeof(name), comm))
		printf("comm %s", name);
	if (comm)
		fclose(comm);
	fflush(stdout);
	execvp(argv[i + 1], argv + i + 1);
	perror("libnsu-reexec: exec");
	return 127;
}
