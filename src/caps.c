/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/capability.h>

#include "caps.h"

int nsu_refuse_privileged_binary(struct nsu_err *e)
{
	struct stat st;
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	if (getresuid(&ruid, &euid, &suid) == 0 && getresgid(&rgid, &egid, &sgid) == 0 &&
	    (ruid != euid || ruid != suid || rgid != egid || rgid != sgid))
		return nsu_fail(e, EPERM, "refusing to run with differing real and effective ids: "
				"nsu must not be installed setuid or setgid (chmod u-s,g-s on it)");
	if (getauxval(AT_SECURE))
		return nsu_fail(e, EPERM, "refusing to run in secure-execution mode: nsu must not be "
				"installed setuid, setgid or with file capabilities");
	if (stat("/proc/self/exe", &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)))
		return nsu_fail(e, EPERM, "refusing to run: the nsu binary has a setuid or setgid bit; "
				"remove it with: chmod u-s,g-s \"$(command -v nsu)\"");
	if (getxattr("/proc/self/exe", "security.capability", NULL, 0) >= 0)
		return nsu_fail(e, EPERM, "refusing to run: the nsu binary has file capabilities; "
				"remove them with: setcap -r \"$(command -v nsu)\"");
	return 0;
}

bool nsu_is_privileged(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps;

	if (geteuid() != 0)
		return false;
	caps = cap_get_proc();
	if (!caps)
		return false;
	if (cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v) < 0)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

int nsu_caps_keep_across_exec(void)
{
	/*
	 * Raw system calls, no libcap: this runs in the child right after
	 * clone(), while another thread of the parent may hold malloc's locks.
	 */
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0 } };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		data[i].inheritable = data[i].permitted;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	for (unsigned long c = 0; c < 32UL * _LINUX_CAPABILITY_U32S_3; c++) {
		if (!(data[c / 32].permitted & (1U << (c % 32))))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	}
	return 0;
}

int nsu_caps_drop_inheritable(void)
{
	cap_t caps = cap_get_proc();
	int r = 0;

	if (!caps)
		return -errno;
	if (cap_clear_flag(caps, CAP_INHERITABLE) < 0 || cap_set_proc(caps) < 0)
		r = -errno;
	cap_free(caps);
	return r;
}
