/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <sys/capability.h>

#include "caps.h"
#include "util.h"

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

/* Scoped cleanup of what libcap allocates. */
static inline void cap_freep(void *p)
{
	cap_free(*(void **)p);
}
#define _cleanup_cap_ _cleanup_(cap_freep)

bool nsu_is_privileged(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	_cleanup_cap_ cap_t caps = NULL;

	if (geteuid() != 0)
		return false;
	caps = cap_get_proc();
	if (!caps || cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v) < 0)
		return false;
	return v == CAP_SET;
}

int nsu_caps_keep_across_exec(void)
{
	_cleanup_cap_ cap_t caps = cap_get_proc();
	_cleanup_cap_ cap_iab_t iab = cap_iab_get_proc();

	/* Every permitted capability, inheritable and ambient: an exec keeps them all. */
	if (!caps || !iab || cap_iab_fill(iab, CAP_IAB_INH, caps, CAP_PERMITTED) < 0 ||
	    cap_iab_fill(iab, CAP_IAB_AMB, caps, CAP_PERMITTED) < 0 || cap_iab_set_proc(iab) < 0)
		return -errno;
	return 0;
}

int nsu_caps_drop_inheritable(void)
{
	_cleanup_cap_ cap_t caps = cap_get_proc();

	if (!caps || cap_clear_flag(caps, CAP_INHERITABLE) < 0 || cap_set_proc(caps) < 0)
		return -errno;
	return 0;
}
