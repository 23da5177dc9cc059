/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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

/* A failure of @stage with errno @err, as a report. */
static int failed(struct nsu_report *rep, enum nsu_stage stage, int err)
{
	*rep = (struct nsu_report){ .stage = stage, .errnum = err };
	return -1;
}

int nsu_become(const struct nsu_identity *id, const struct nsu_isolation *iso,
	       struct nsu_report *rep)
{
	bool root = id->keep ? geteuid() == 0 : id->uid == 0;
	struct nsu_err e;
	int r;

	if (iso->oom_set && set_oom_score_adj(iso->oom_score_adj, &e) < 0) {
		*rep = (struct nsu_report){ .stage = NSU_STAGE_SETUP, .errnum = e.errnum };
		snprintf(rep->text, sizeof(rep->text), "%s", e.msg);
		return -1;
	}
	/* The bounding set, while the capabilities to change it are still there. */
	r = nsu_caps_bound(iso->caps_none, iso->cap_drop, iso->cap_add, root);
	if (r < 0)
		return failed(rep, NSU_STAGE_CAPS, -r);
	if (!id->keep && setresgid(id->gid, id->gid, id->gid) < 0)
		return failed(rep, NSU_STAGE_SETID, errno);
	if (!id->keep && id->drop_groups && setgroups(0, NULL) < 0)
		return failed(rep, NSU_STAGE_GROUPS, errno);
	if (!id->keep && setresuid(id->uid, id->uid, id->uid) < 0)
		return failed(rep, NSU_STAGE_SETID, errno);
	r = nsu_caps_finish(iso->cap_add, root);
	if (r < 0)
		return failed(rep, NSU_STAGE_CAPS, -r);
	if (iso->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return failed(rep, NSU_STAGE_CAPS, errno);
	return 0;
}
