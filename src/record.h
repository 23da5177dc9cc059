/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A session's record (pure: formatting and parsing, no system state): which
 * process holds the session's namespaces, how to recognise it (its start
 * time and the identity of each namespace), whom a joined command runs as
 * inside, and the options that shaped the namespaces.
 *
 * The record is a small text file, one "key value" per line:
 *
 *	nsu-session 1
 *	pid 4242
 *	start 1234567
 *	uid 0
 *	gid 0
 *	flags 0
 *	ns user 4 4026532180
 *	ns mnt 4 4026532181
 *	shape --pid --bind /src /work
 *
 * "ns NAME DEV INO" identify a namespace as stat() of /proc/PID/ns/NAME
 * does; "shape" holds the option words, each escaped (\xHH for a space, a
 * backslash or a byte that is not printable).
 */
#ifndef NSU_RECORD_H
#define NSU_RECORD_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"

/* The namespaces a session can hold, in the order they are joined (user first). */
enum nsu_ns_kind {
	NSU_NS_USER,
	NSU_NS_MNT,
	NSU_NS_PID,
	NSU_NS_UTS,
	NSU_NS_IPC,
	NSU_NS_NET,
	NSU_NS_CGROUP,
	NSU_NS_COUNT,
};

struct nsu_ns_info {
	const char *name;  /* as in /proc/PID/ns/ */
	int flag;          /* CLONE_NEW... */
};

extern const struct nsu_ns_info nsu_ns_info[NSU_NS_COUNT];

/* Every kind of nsu_ns_info, as CLONE_NEW* flags. */
#define NSU_NS_ALL (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | \
		    CLONE_NEWNET | CLONE_NEWCGROUP)

/* One namespace, as stat() of its /proc/PID/ns link shows it. */
struct nsu_ns_id {
	uint64_t dev, ino;
};

#define NSU_SHAPE_MAX 4096

struct nsu_session_record {
	pid_t pid;                          /* the holder */
	unsigned long long start;           /* its start time, in clock ticks after boot */
	uint32_t uid, gid;                  /* whom a command runs as inside */
	unsigned flags;                     /* enum nsu_inner_flags that apply to a joined command */
	bool has[NSU_NS_COUNT];             /* the namespaces the session made */
	struct nsu_ns_id ns[NSU_NS_COUNT];  /* ... and which they are */
	char shape[NSU_SHAPE_MAX];          /* the shaping option words, escaped, space-separated */
};

/* The kinds of namespaces @r records, as CLONE_NEW* flags. */
int nsu_record_kinds(const struct nsu_session_record *r);

/* A session name: 1 to 64 of A-Z a-z 0-9 . _ - and not starting with '.' or '-'. */
bool nsu_session_name_valid(const char *name);

/*
 * Join @words (NULL-terminated, may be NULL) into @out, each escaped.
 * Return: 0, or -1 (with @e filled) when it does not fit in @len.
 */
int nsu_shape_join(char *const *words, char *out, size_t len, struct nsu_err *e);

/* @shape (nsu_shape_join()'s form) unescaped into @out for a message, words kept apart by spaces. */
void nsu_shape_show(const char *shape, char *out, size_t len);

/* The record as text. Return: its length, or -1 if it does not fit in @len. */
int nsu_record_format(const struct nsu_session_record *r, char *buf, size_t len);

/* Parse a record. Return: 0, or -1 if @text is not a whole, valid record. */
int nsu_record_parse(const char *text, struct nsu_session_record *r);

#endif
