/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libnsu's options (struct nsu_opts of <nsu.h>), turned into nsu's own
 * option words and parsed by nsu's parser, so that a program gets the
 * checks and the behaviour of the command, word for word (pure: nothing of
 * the system is read or changed).
 */
#ifndef NSU_LIBOPTS_H
#define NSU_LIBOPTS_H

#include "cli.h"
#include "log.h"
#include "nsu.h"

/*
 * @to: the caller's options @from (NULL: the defaults), of whatever size
 * its header had, the rest zero. Return: 0, or -1 with @e filled.
 */
int nsu_lib_copy_opts(struct nsu_opts *to, const struct nsu_opts *from, struct nsu_err *e);

/**
 * nsu_lib_parse() - parse @o for the command @cmd into @n, as nsu's options
 * @n: zeroed; receives the options (release with nsu_options_free()), the
 *     helpers, the flags and nsu's parent
 * @o: from nsu_lib_copy_opts()
 * @cmd: the command, NULL-terminated
 * @words: receives the option words, which @n points into (free() after @n)
 * @e: receives the message on error
 *
 * Only options of a run are allowed, and every word of @o->args must
 * belong to an option.
 *
 * Return: 0, or -1 with @e filled.
 */
int nsu_lib_parse(struct nsu *n, const struct nsu_opts *o, char *const cmd[], char ***words,
		  struct nsu_err *e);

#endif
