/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "procsetup.h"

static int set_limits(const struct nsu_isolation *iso, struct nsu_err *e)
{
	for (size_t i = 0; i < iso->n_rlimits; i++) {
		const struct nsu_rlimit *l = &iso->rlimits[i];
		struct rlimit cur, want;
		char given[80];

		if (getrlimit(l->resource, &cur) == 0) {
			want = nsu_rlimit_result(l, &cur);
			if (setrlimit(l->resource, &want) == 0)
				continue;
		}
		nsu_rlimit_format(l, given, sizeof(given));
		return nsu_fail(e, errno, "--rlimit %s: %s%s", given, strerror(errno),
				errno == EPERM ? " (a hard limit can only be lowered here)" : "");
	}
	return 0;
}

int nsu_proc_setup(const struct nsu_isolation *iso, struct nsu_report *rep)
{
	struct nsu_err e;

	if (iso->setsid && getsid(0) != getpid() && setsid() < 0) {
		nsu_fail(&e, errno, "--setsid: cannot start a new session: %s", strerror(errno));
		return nsu_report_from_err(rep, &e);
	}
	if (iso->new_pgrp && !iso->setsid && getpgrp() != getpid() && setpgid(0, 0) < 0) {
		nsu_fail(&e, errno, "--new-pgrp: cannot start a new process group: %s",
			 strerror(errno));
		return nsu_report_from_err(rep, &e);
	}
	if (set_limits(iso, &e) < 0)
		return nsu_report_from_err(rep, &e);
	return 0;
}

int nsu_rlimits_check(const struct nsu_isolation *iso, bool may_raise, struct nsu_err *e)
{
	for (size_t i = 0; i < iso->n_rlimits; i++) {
		struct rlimit cur;

		if (getrlimit(iso->rlimits[i].resource, &cur) < 0)
			return nsu_fail(e, errno, "--rlimit: cannot read the current limits: %s",
					strerror(errno));
		if (nsu_rlimit_check(&iso->rlimits[i], &cur, may_raise, e) < 0)
			return -1;
	}
	return 0;
}
