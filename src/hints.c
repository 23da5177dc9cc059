/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hints.h"
#include "procfs.h"

void nsu_userns_hint(int err, char *buf, size_t len)
{
	switch (err) {
	case ENOSPC:
		if (nsu_sysctl("/proc/sys/user/max_user_namespaces") == 0)
			snprintf(buf, len, "user namespaces are disabled (user.max_user_namespaces = 0); "
				 "enable them with: sysctl -w user.max_user_namespaces=15000");
		else
			snprintf(buf, len, "the limit on user namespaces is reached; raise it with: "
				 "sysctl -w user.max_user_namespaces=15000");
		return;
	case EUSERS:
		snprintf(buf, len, "user namespaces are nested too deeply (the kernel allows 32 levels)");
		return;
	case EINVAL:
		snprintf(buf, len, "this kernel has no user namespace support (CONFIG_USER_NS)");
		return;
	case EPERM:
		if (nsu_uid_map_empty())
			snprintf(buf, len, "this process runs in a user namespace that has no uid "
				 "map yet, where nothing can be created; run nsu from a namespace "
				 "whose maps are written (e.g. unshare --map-root-user, or nsu itself)");
		else if (nsu_sysctl("/proc/sys/kernel/unprivileged_userns_clone") == 0)
			snprintf(buf, len, "unprivileged user namespaces are disabled; enable them with: "
				 "sysctl -w kernel.unprivileged_userns_clone=1");
		else if (nsu_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
			snprintf(buf, len, "AppArmor restricts unprivileged user namespaces; allow nsu "
				 "with an AppArmor profile that has the 'userns,' rule, or run: "
				 "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
		else
			snprintf(buf, len, "not permitted here: nsu may be running in a chroot, or under "
				 "a seccomp filter (container runtime) that forbids user namespaces");
		return;
	default:
		snprintf(buf, len, "%s", strerror(err));
		return;
	}
}
