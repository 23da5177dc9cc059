/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/prctl.h>
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

bool nsu_has_cap(int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	_cleanup_cap_ cap_t caps = cap_get_proc();

	if (!caps || cap_get_flag(caps, (cap_value_t)cap, CAP_EFFECTIVE, &v) < 0)
		return false;
	return v == CAP_SET;
}

bool nsu_is_privileged(void)
{
	return geteuid() == 0 && nsu_has_cap(CAP_SYS_ADMIN);
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

int nsu_caps_bound(bool none, uint64_t drop, uint64_t add, bool root_inside)
{
	uint64_t keep = none ? add : ~drop;
	int last = (int)cap_max_bits() - 1;

	if (none || drop) {
		for (int c = 0; c <= last && c < 64; c++)
			if (!(keep & (UINT64_C(1) << c)) && cap_drop_bound((cap_value_t)c) < 0)
				return -errno;
	}
	/* A user other than root keeps its capabilities across the id switch only so. */
	if (add && !root_inside && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

int nsu_caps_finish(uint64_t add, bool root_inside)
{
	_cleanup_cap_ cap_t caps = cap_get_proc();
	uint64_t give = root_inside ? 0 : add;

	/*
	 * The inheritable set becomes what the command gets through the
	 * ambient set (emptying it empties the ambient set too): nothing for
	 * root, whose exec gives it the bounding set; the added ones for
	 * anyone else.
	 */
	if (!caps || cap_clear_flag(caps, CAP_INHERITABLE) < 0)
		return -errno;
	for (int c = 0; c < 64; c++) {
		cap_value_t v = (cap_value_t)c;

		if ((give & (UINT64_C(1) << c)) && cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET) < 0)
			return -errno;
	}
	if (cap_set_proc(caps) < 0)
		return -errno;
	for (int c = 0; c < 64; c++)
		if ((give & (UINT64_C(1) << c)) &&
		    cap_set_ambient((cap_value_t)c, CAP_SET) < 0)
			return -errno;
	return 0;
}
