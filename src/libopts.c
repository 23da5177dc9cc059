/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libopts.h"
#include "subids.h"

void nsu_opts_init(struct nsu_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->size = sizeof(*o);
}

int nsu_lib_copy_opts(struct nsu_opts *to, const struct nsu_opts *from, struct nsu_err *e)
{
	nsu_opts_init(to);
	if (!from)
		return 0;
	if (from->size < offsetof(struct nsu_opts, mapping))
		return nsu_fail(e, EINVAL, "struct nsu_opts of size %zu: set it up with "
				"nsu_opts_init() from nsu.h", from->size);
	/* A newer header's fields, which this library does not know, must be left unset. */
	for (size_t i = sizeof(*to); i < from->size; i++)
		if (((const unsigned char *)from)[i])
			return nsu_fail(e, EINVAL, "struct nsu_opts of size %zu sets fields that "
					"this libnsu (%s, size %zu) does not know: build against "
					"its nsu.h, or install a newer libnsu", from->size,
					PACKAGE_VERSION, sizeof(*to));
	memcpy(to, from, from->size < sizeof(*to) ? from->size : sizeof(*to));
	to->size = sizeof(*to);
	return 0;
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* "nsu" OPTIONS... -- CMD...: malloc()ed, NULL-terminated; *cmd_at: where CMD starts. */
static char **option_words(const struct nsu_opts *o, char *const cmd[], size_t *cmd_at,
			   struct nsu_err *e)
{
	static const char *const mode_word[] = { [NSU_MAPPING_SINGLE] = "--single",
						 [NSU_MAPPING_CURRENT_USER] = "--map-current-user" };
	size_t max = 16 + 2 * (count(o->rlimits) + count(o->mask_paths) + count(o->ro_paths)) +
		     count(o->args) + count((const char *const *)cmd);
	const char **w = calloc(max, sizeof(*w));
	size_t n = 0;

	if (!w) {
		nsu_fail(e, ENOMEM, "out of memory");
		return NULL;
	}
#define WORD(x) (w[n++] = (x))
	WORD("nsu");
	if (o->mapping == NSU_MAPPING_SINGLE || o->mapping == NSU_MAPPING_CURRENT_USER)
		WORD(mode_word[o->mapping]);
	if (o->uidmap)
		WORD("--uidmap"), WORD(o->uidmap);
	if (o->gidmap)
		WORD("--gidmap"), WORD(o->gidmap);
	if (o->log_level == NSU_LOG_QUIET)
		WORD("-q");
	else if (o->log_level == NSU_LOG_VERBOSE)
		WORD("-v");
	if (o->user)
		WORD("--user"), WORD(o->user);
	if (o->flags & NSU_SETSID)
		WORD("--setsid");
	if (o->flags & NSU_NEW_PGRP)
		WORD("--new-pgrp");
	for (size_t i = 0; i < count(o->rlimits); i++)
		WORD("--rlimit"), WORD(o->rlimits[i]);
	for (size_t i = 0; i < count(o->mask_paths); i++)
		WORD("--mask-path"), WORD(o->mask_paths[i]);
	for (size_t i = 0; i < count(o->ro_paths); i++)
		WORD("--ro-path"), WORD(o->ro_paths[i]);
	if (o->chdir)
		WORD("--chdir"), WORD(o->chdir);
	for (size_t i = 0; i < count(o->args); i++)
		WORD(o->args[i]);
	WORD("--");
	*cmd_at = n;
	for (size_t i = 0; cmd[i]; i++)
		WORD(cmd[i]);
#undef WORD
	return (char **)w;
}

/* nsu's parser, which uses getopt_long(): the program's getopt() state is kept. */
static int parse_keeping_getopt(struct nsu *n, int argc, char **words, struct nsu_err *e)
{
	int saved_optind = optind, saved_opterr = opterr, saved_optopt = optopt;
	char *saved_optarg = optarg;
	int r = nsu_options_parse(&n->o, argc, words, e);

	optind = saved_optind;
	opterr = saved_opterr;
	optopt = saved_optopt;
	optarg = saved_optarg;
	return r;
}

int nsu_lib_parse(struct nsu *n, const struct nsu_opts *o, char *const cmd[], char ***words,
		 struct nsu_err *e)
{
	size_t argc = 0, at;
	int r;

	if (o->mapping < NSU_MAPPING_DEFAULT || o->mapping > NSU_MAPPING_CURRENT_USER)
		return nsu_fail(e, EINVAL, "struct nsu_opts: mapping %d is not an enum "
				"nsu_mapping", o->mapping);
	if (o->log_level < NSU_LOG_DEFAULT || o->log_level > NSU_LOG_VERBOSE)
		return nsu_fail(e, EINVAL, "struct nsu_opts: log_level %d is not an enum "
				"nsu_log_level", o->log_level);
	if (o->flags & ~(NSU_EVEN_ROOT | NSU_SETSID | NSU_NEW_PGRP))
		return nsu_fail(e, EINVAL, "struct nsu_opts: unknown flags 0x%x",
				o->flags & ~(NSU_EVEN_ROOT | NSU_SETSID | NSU_NEW_PGRP));
	*words = option_words(o, cmd, &at, e);
	if (!*words)
		return -1;
	while ((*words)[argc])
		argc++;
	r = parse_keeping_getopt(n, (int)argc, *words, e);
	if (r < 0)
		return nsu_err_wrap(e, "struct nsu_opts");
	if (n->o.action != NSU_ACTION_RUN || n->o.session || n->o.join)
		return nsu_fail(e, EINVAL, "struct nsu_opts: args may hold options of a run only "
				"(not --check, --print-mappings, --session..., --join, --help)");
	/* A word of o->args that is no option would start the command early. */
	if (n->o.command != *words + at)
		return nsu_fail(e, EINVAL, "struct nsu_opts: args holds '%s', which is not an "
				"option of nsu", n->o.command ? n->o.command[0] : "--");
	if (o->mapping == NSU_MAPPING_AUTO && n->o.mode == NSU_MODE_UNSET)
		n->o.mode = NSU_MODE_AUTO;
	n->lib = true;
	n->even_root = o->flags & NSU_EVEN_ROOT;
	n->helper[NSU_UID] = o->newuidmap;
	n->helper[NSU_GID] = o->newgidmap;
	n->parent = getppid();
	return 0;
}

