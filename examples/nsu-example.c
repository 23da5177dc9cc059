/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsu-example: become root in a new user namespace with one call to
 * libnsu, then create files owned by several ids and check their owners.
 *
 *   cc nsu-example.c $(pkg-config --cflags --libs nsu) -o nsu-example
 *   ./nsu-example DIR [ID...]
 *
 * makes DIR/file-ID owned by uid ID and gid ID, for each ID (0 1 2 if none
 * is given). Seen from outside, the owners are the ids they map to: your
 * own for 0, your subordinate ids for the others (see /etc/subuid).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nsu.h>

static int make_owned(const char *dir, unsigned long id)
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "%s/file-%lu", dir, id);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "nsu-example: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fchown(fd, (uid_t)id, (gid_t)id) < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "nsu-example: %s: cannot give it to %lu: %s\n", path, id,
			strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (st.st_uid != id || st.st_gid != id) {
		fprintf(stderr, "nsu-example: %s is owned by %lu:%lu, not %lu:%lu\n", path,
			(unsigned long)st.st_uid, (unsigned long)st.st_gid, id, id);
		return -1;
	}
	printf("%s owned by %lu:%lu\n", path, id, id);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const fallback_ids[] = { "0", "1", "2" };
	struct nsu_error err;
	struct nsu_opts opts;
	int r, failed = 0;

	/* First thing: root from here on, or this process never comes back. */
	nsu_opts_init(&opts);
	r = nsu_reexec(argc, argv, &opts, &err);
	if (r < 0) {
		fprintf(stderr, "%s\n", err.message);
		return err.status;
	}
	printf("%s, uid %lu\n", r == NSU_REEXEC_INSIDE ? "root in a user namespace" :
		"already root (nothing to do)", (unsigned long)getuid());

	if (argc < 2) {
		fprintf(stderr, "usage: nsu-example DIR [ID...]\n");
		return 2;
	}
	for (int i = 2; i < (argc > 2 ? argc : 2 + 3); i++) {
		const char *word = argc > 2 ? argv[i] : fallback_ids[i - 2];
		char *end;
		unsigned long id;

		errno = 0;
		id = strtoul(word, &end, 10);
		if (errno || *end || !*word || id > 4294967294UL) {
			fprintf(stderr, "nsu-example: '%s' is not an id\n", word);
			return 2;
		}
		failed |= make_owned(argv[1], id) < 0;
	}
	return failed ? 1 : 0;
}
