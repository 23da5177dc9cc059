/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "become.h"
#include "caps.h"

/* Lower than the current value, the kernel wants CAP_SYS_RESOURCE of the host. */
static int set_oom_score_adj(int v, struct nsu_err *e)
{
	char buf[16], cur[16] = "";
	int fd = open("/proc/self/oom_score_adj", O_RDWR | O_CLOEXEC);
	ssize_t n;
	int len;

	if (fd < 0)
		return nsu_fail(e, errno, "--oom-score-adj %d: cannot open "
				"/proc/self/oom_score_adj: %s", v, strerror(errno));
	n = read(fd, cur, sizeof(cur) - 1);
	cur[n > 0 ? n : 0] = '\0';
	cur[strcspn(cur, "\n")] = '\0';
	len = snprintf(buf, sizeof(buf), "%d", v);
	n = pwrite(fd, buf, (size_t)len, 0);
	if (n < 0) {
		int err = errno;

		close(fd);
		/*
		 * The kernel's floor is the least value set with privileges for
		 * this process or its ancestors (often 0), which it does not show.
		 */
		if (err == EACCES || err == EPERM)
			return nsu_fail(e, err, "--oom-score-adj %d: the kernel refuses to lower the "
					"OOM score adjustment that far without CAP_SYS_RESOURCE "
					"(it is %s now; raising it always works)", v,
					*cur ? cur : "unknown");
		return nsu_fail(e, err, "--oom-score-adj %d: %s", v, strerror(err));
	}
	close(fd);
	return 0;
}

/*
 * The inside ids that the map @file ("/proc/self/uid_map") covers, merged
 * where adjacent in the order the kernel lists them: "0-65536".
 */
static void mapped_ranges(const char *file, char *out, size_t len)
{
	unsigned long long start = 0, end = 0, in, outside, count;
	FILE *f = fopen(file, "re");
	size_t used = 0;
	bool open_range = false;

	out[0] = '\0';
	if (!f)
		return;
	while (fscanf(f, "%llu %llu %llu", &in, &outside, &count) == 3 && used < len) {
		if (open_range && in == end + 1) {
			end = in + count - 1;
			continue;
		}
		if (open_range)
			used += (size_t)snprintf(out + used, len - used, "%s%llu-%llu",
						 used ? ", " : "", start, end);
		start = in;
		end = in + count - 1;
		open_range = count > 0;
	}
	if (open_range && used < len)
		snprintf(out + used, len - used, "%s%llu-%llu", used ? ", " : "", start, end);
	fclose(f);
}

/* --user's id switch failed with @err: unmapped ids are named with the map and the way out. */
static int user_failed(const struct nsu_isolation *iso, bool gid, int err, struct nsu_report *rep)
{
	char ranges[256];
	uint32_t id = gid ? iso->user_gid : iso->user_uid;

	*rep = (struct nsu_report){ .stage = NSU_STAGE_SETUP, .errnum = err };
	if (err != EINVAL) {
		snprintf(rep->text, sizeof(rep->text), "--user %" PRIu32 ":%" PRIu32 ": cannot "
			 "switch to %s %" PRIu32 ": %s", iso->user_uid, iso->user_gid,
			 gid ? "gid" : "uid", id, strerror(err));
		return -1;
	}
	mapped_ranges(gid ? "/proc/self/gid_map" : "/proc/self/uid_map", ranges, sizeof(ranges));
	snprintf(rep->text, sizeof(rep->text), "--user %" PRIu32 ":%" PRIu32 ": %s %" PRIu32
		 " is not mapped inside (the map has %s); choose a mapped one, see nsu "
		 "--print-mappings", iso->user_uid, iso->user_gid, gid ? "gid" : "uid", id,
		 *ranges ? ranges : "no id");
	return -1;
}

/* A failure of @stage with errno @err, as a report. */
static int failed(struct nsu_report *rep, enum nsu_stage stage, int err)
{
	*rep = (struct nsu_report){ .stage = stage, .errnum = err };
	return -1;
}

int nsu_become(const struct nsu_identity *how, const struct nsu_isolation *iso,
	       struct nsu_report *rep)
{
	/* --user: the command's ids instead, without groups where the namespace allows. */
	const struct nsu_identity *id = !iso->user_set ? how : &(struct nsu_identity){
		.uid = iso->user_uid, .gid = iso->user_gid, .drop_groups = how->drop_groups,
		.try_drop_groups = true };
	bool root = id->keep ? geteuid() == 0 : id->uid == 0;
	struct nsu_err e;
	int r;

	if (iso->oom_set && set_oom_score_adj(iso->oom_score_adj, &e) < 0)
		return nsu_report_from_err(rep, &e);
	/* The bounding set, while the capabilities to change it are still there. */
	r = nsu_caps_bound(iso->caps_none, iso->cap_drop, iso->cap_add, root);
	if (r < 0)
		return failed(rep, NSU_STAGE_CAPS, -r);
	if (!id->keep && setresgid(id->gid, id->gid, id->gid) < 0)
		return iso->user_set ? user_failed(iso, true, errno, rep) :
				       failed(rep, NSU_STAGE_SETID, errno);
	/* setgroups is denied in a namespace with only the own gid mapped: groups stay then. */
	if (!id->keep && (id->drop_groups || id->try_drop_groups) && setgroups(0, NULL) < 0 &&
	    (id->drop_groups || errno != EPERM))
		return failed(rep, NSU_STAGE_GROUPS, errno);
	if (!id->keep && setresuid(id->uid, id->uid, id->uid) < 0)
		return iso->user_set ? user_failed(iso, false, errno, rep) :
				       failed(rep, NSU_STAGE_SETID, errno);
	r = nsu_caps_finish(iso->cap_add, root);
	if (r < 0)
		return failed(rep, NSU_STAGE_CAPS, -r);
	if (iso->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return failed(rep, NSU_STAGE_CAPS, errno);
	return 0;
}
