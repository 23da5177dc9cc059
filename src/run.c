/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The run path, top to bottom: take the signals, clone the child (which
 * re-executes nsu as the inner stage), read the ranges and plan the maps
 * meanwhile, write the maps once the inner stage is ready, hand the
 * terminal over, release the child and supervise the command. The same
 * steps serve --print-mappings (planning only) and --check's trial.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "env.h"
#include "exec.h"
#include "log.h"
#include "mapwrite.h"
#include "plan.h"
#include "present.h"
#include "run.h"
#include "signals.h"
#include "spawn.h"
#include "subids.h"
#include "tty.h"
#include "util.h"

/* What was found and decided for both kinds of ids. */
struct maps {
	struct nsu_plan_in in[2];
	struct nsu_plan_map plan[2];
	struct nsu_err lookup_err[2];  /* why ranges could not be read (in[k].lookup_err) */
};

static void maps_free(struct maps *m)
{
	for (int k = 0; k < 2; k++) {
		free((void *)m->in[k].ranges);
		m->in[k].ranges = NULL;
	}
}

/**
 * plan_maps() - read the ranges and decide both maps
 * @r: the request
 * @m: receives what was found and decided (free with maps_free(), even on error)
 * @e: receives the message on error
 *
 * libsubid is loaded for the lookup; the caller unloads it (nsu_subids_unload())
 * once it is no longer in the way: the outer nsu that supervises a long
 * command keeps none of its libraries.
 *
 * Return: 0, or -1 with @e filled.
 */
static int plan_maps(const struct nsu_run_req *r, struct maps *m, struct nsu_err *e)
{
	const uint32_t own[2] = { r->uid, r->gid };
	int ret = 0;

	memset(m, 0, sizeof(*m));
	for (int k = 0; k < 2 && ret == 0; k++) {
		struct nsu_range *ranges = NULL;
		int got = 0;

		m->in[k] = (struct nsu_plan_in){
			.own = own[k], .owner = r->owner[k], .file = nsu_subid_file[k],
			.kind = nsu_kind_name[k], .any_id = r->direct,
			.explicit_opt = r->explicit_opt[k],
		};
		/* A single-ID map needs no ranges: do not even look. */
		if (r->explicit_map[k] ? !r->direct : r->remap || r->mode != NSU_MODE_SINGLE) {
			got = nsu_subids_get(r->owner[k], (enum nsu_id_kind)k, &ranges,
					     &m->lookup_err[k]);
			if (got < 0) {
				m->in[k].lookup_err = &m->lookup_err[k];
				got = 0;
			}
		}
		m->in[k].ranges = ranges;
		m->in[k].n = (size_t)got;
		ret = nsu_plan_map(&m->plan[k], &m->in[k], r->mode, r->explicit_map[k], r->remap, e);
		if (ret < 0 && k == NSU_GID && r->explicit_map[k] &&
		    strcmp(r->explicit_opt[k], "--uidmap") == 0)
			nsu_err_append(e, " (the gid map repeats --uidmap when no --gidmap is given)");
	}
	return ret;
}

int nsu_run_print_mappings(const struct nsu_run_req *r, struct nsu_err *e)
{
	struct maps m;
	char what[700];
	int ret = plan_maps(r, &m, e);

	for (int k = 0; k < 2 && ret == 0; k++) {
		nsu_warn_zero_cut(k, &m.plan[k], &m.in[k]);
		nsu_plan_describe(&m.plan[k], &m.in[k], what, sizeof(what));
		printf("%s map: %s\n", nsu_kind_name[k], what);
		nsu_print_map(stdout, &m.plan[k].map);
	}
	if (ret == 0)
		printf("command runs as uid %" PRIu32 " and gid %" PRIu32 " inside\n",
		       m.plan[NSU_UID].inside_self, m.plan[NSU_GID].inside_self);
	maps_free(&m);
	nsu_subids_unload();
	if (ret == 0 && fflush(stdout) != 0)
		ret = nsu_fail(e, errno, "cannot write the maps: %s", strerror(errno));
	return ret;
}

/* How each map gets written, from the plan. */
static void make_jobs(const struct nsu_run_req *r, const struct nsu_plan_map plan[2],
		      struct nsu_idmap fallback[2], struct nsu_map_job jobs[2])
{
	const uint32_t own[2] = { r->uid, r->gid };

	for (int k = 0; k < 2; k++) {
		const struct nsu_idmap *m = &plan[k].map;
		bool own_only = m->n == 1 && m->ext[0].outside == own[k] && m->ext[0].count == 1;

		jobs[k] = (struct nsu_map_job){ .map = m };
		if (r->direct) {
			/* Root may write any map itself; newuidmap would want root's ranges. */
			continue;
		}
		if (own_only) {
			/* The kernel lets us map our own id: no helper needed. */
			jobs[k].deny_setgroups = true;
			continue;
		}
		jobs[k].helper = r->helper[k];
		jobs[k].helper_origin = r->helper_origin[k];
		if (plan[k].source != NSU_SRC_EXPLICIT) {
			nsu_idmap_single(&fallback[k], plan[k].inside_self, own[k]);
			jobs[k].fallback = &fallback[k];
		}
	}
}

/* A child in its new namespaces, with its maps written but not yet released. */
struct launch {
	struct nsu_child child;
	struct maps maps;
	struct nsu_idmap fallback[2];
	struct nsu_map_job jobs[2];
	struct nsu_report early;       /* the child's failure before its maps, if any */
	bool early_report;
	uint32_t self[2];              /* the uid and gid the command runs as inside */
};

enum launch_result {
	LAUNCH_OK = 0,       /* maps written, the child waits for its release */
	LAUNCH_EARLY = 1,    /* the child ended or failed before its maps (not reaped) */
	LAUNCH_FAILED = -1,  /* nsu failed: @e; no child left */
	LAUNCH_SIGNAL = -2,  /* a terminating signal ended the set-up: sigs->fatal; no child left */
};

/*
 * Leave this CPU to the new child while the ranges are read (@orig
 * receives the affinity to go back to). The child and the lookup (a
 * millisecond: libsubid's libraries to load) then run side by side at
 * once: the kernel puts a new child on an idle CPU's queue, and where
 * waking an idle CPU is slow (virtual machines: the vCPU is halted) the
 * child waits there while its parent works; a CPU that its parent leaves
 * takes the child over at once. Return: whether the affinity changed.
 */
static bool step_aside(cpu_set_t *orig)
{
	int cpu = sched_getcpu();
	cpu_set_t away;

	if (cpu < 0 || sched_getaffinity(0, sizeof(*orig), orig) < 0 || CPU_COUNT(orig) < 2 ||
	    !CPU_ISSET(cpu, orig))
		return false;
	away = *orig;
	CPU_CLR(cpu, &away);
	return sched_setaffinity(0, sizeof(away), &away) == 0;
}

/* Wait, acting on signals, until the inner stage runs and waits for its maps. */
static enum launch_result wait_ready(struct launch *l, struct nsu_sigs *sigs)
{
	struct pollfd pfd = { .fd = l->child.report_fd, .events = POLLIN };

	for (;;) {
		switch (nsu_setup_wait(sigs, &pfd, 1, -1)) {
		case NSU_WAIT_FATAL:
			return LAUNCH_SIGNAL;
		case NSU_WAIT_READY:
			switch (nsu_child_read_report(&l->child, &l->early)) {
			case 0:
				return LAUNCH_OK;
			case 1:
				l->early_report = true;
				return LAUNCH_EARLY;
			default:
				return LAUNCH_EARLY;
			}
		default:
			break; /* a child changed state: its end shows as end of file */
		}
	}
}

/**
 * launch() - clone the child for @r->cmd and write its maps
 * @r: the request
 * @l: receives the child and how its maps were made
 * @sigs: the signals, taken; the command starts with sigs->orig as its mask
 * @e: receives the message on error
 *
 * Return: an enum launch_result.
 */
static enum launch_result launch(const struct nsu_run_req *r, struct launch *l,
				 struct nsu_sigs *sigs, struct nsu_err *e)
{
	_cleanup_free_ char **words = NULL;
	struct nsu_child_spec spec;
	enum launch_result ret;
	int64_t self[2];
	int flags = CLONE_NEWNS | r->iso->ns | (r->userns ? CLONE_NEWUSER : 0);

	memset(l, 0, sizeof(*l));
	/* Whom the command runs as is known before any range is read. */
	for (int k = 0; k < 2; k++) {
		self[k] = r->remap ? 0 : nsu_plan_inside_self(r->mode, r->explicit_map[k],
							      k == NSU_UID ? r->uid : r->gid);
		if (self[k] < 0) {
			nsu_fail(e, EINVAL, "--%smap maps neither %s 0 nor your own %s "
				 "inside: there would be no %s to run the command as",
				 nsu_kind_name[k], nsu_kind_name[k], nsu_kind_name[k], nsu_kind_name[k]);
			return LAUNCH_FAILED;
		}
	}
	l->self[NSU_UID] = (uint32_t)self[NSU_UID];
	l->self[NSU_GID] = (uint32_t)self[NSU_GID];
	spec = (struct nsu_child_spec){
		.argv = r->cmd, .mask = &sigs->orig, .chld_ignored = sigs->chld_ignored,
		.containers_env = r->containers_env, .outer_uid = r->uid, .outer_gid = r->gid,
		.env_ops = r->env_ops, .n_env_ops = r->n_env_ops,
		.chdir = r->chdir, .uid = (uint32_t)self[NSU_UID], .gid = (uint32_t)self[NSU_GID],
		/* Where nsu writes the maps itself, the command holds only mapped ids. */
		.flags = (r->direct ? NSU_INNER_DROP_GROUPS : 0) | (r->userns ? 0 : NSU_INNER_NO_USERNS) |
			 (r->exec_self ? NSU_INNER_EXEC_SELF : 0) |
			 (r->iso->setsid ? NSU_INNER_NEW_SESSION : 0),
	};
	if (r->hold_dir) {
		/* A session's holder, which watches the session's directory. */
		static char *holder_argv[] = { (char *)"nsu-session-holder", NULL };

		spec.argv = holder_argv;
		spec.chdir = r->hold_dir;
		spec.flags |= NSU_INNER_HOLDER;
	}
	if (r->here) {
		spec.here = r->here;
		if (nsu_spawn_here(&l->child, flags, &spec, e) < 0)
			return LAUNCH_FAILED;
	} else if (nsu_isolation_any(r->iso)) {
		/* A holder takes the shape only: the rest is each joining command's. */
		spec.iso_words = words = r->hold_dir ? nsu_isolation_shape_words(r->iso) :
						       nsu_isolation_words(r->iso);
		if (!words) {
			nsu_fail(e, ENOMEM, "out of memory");
			return LAUNCH_FAILED;
		}
	}
	if (!r->here && nsu_spawn_child(&l->child, flags, &spec, e) < 0)
		return LAUNCH_FAILED;
	sigs->child = &l->child;

	/* The child re-executes itself meanwhile; now work out its maps. */
	if (!r->userns) {
		ret = wait_ready(l, sigs); /* root as it is: no maps to write */
	} else {
		cpu_set_t orig;
		bool aside = step_aside(&orig);

		ret = plan_maps(r, &l->maps, e) < 0 ? LAUNCH_FAILED : LAUNCH_OK;
		/* Back before the helpers start: they inherit it. */
		if (aside)
			sched_setaffinity(0, sizeof(orig), &orig);
		if (ret == LAUNCH_OK)
			ret = wait_ready(l, sigs);
	}
	if (ret == LAUNCH_OK && r->userns) {
		for (int k = 0; k < 2; k++)
			nsu_log_map(k, &l->maps.plan[k], &l->maps.in[k]);
		make_jobs(r, l->maps.plan, l->fallback, l->jobs);
		if (nsu_maps_write(&l->child, l->jobs, sigs, r->helper_timeout, e) < 0)
			ret = sigs->fatal ? LAUNCH_SIGNAL : LAUNCH_FAILED;
	}
	if (ret != LAUNCH_OK) {
		maps_free(&l->maps);
		if (ret != LAUNCH_EARLY)
			nsu_child_abort(&l->child);
		sigs->child = NULL;
	}
	return ret;
}

/* A launch that ended early: how the child ended, or the failure it reported. */
static void early_end(struct launch *l, struct nsu_outcome *out)
{
	out->status = nsu_child_reap(&l->child);
	nsu_child_close(&l->child);
	if (l->early_report) {
		out->kind = NSU_OUTCOME_REPORT;
		out->report = l->early;
	} else {
		out->kind = NSU_OUTCOME_STATUS;
	}
}

/*
 * The run up to the release: the signals taken, the child launched and its
 * maps written, the fallback said. Return: true when the child waits for
 * its release; otherwise @out says how the run ended.
 */
static bool start(const struct nsu_run_req *r, struct launch *l, struct nsu_sigs *sigs,
		  struct nsu_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = NSU_OUTCOME_ERROR;
	/* nsu dies with its parent; the command, armed all along, dies with nsu. */
	if (r->iso->die_with_parent && !r->here)
		nsu_die_with_parent(r->parent);
	if (nsu_signals_take(sigs, &out->err) < 0)
		return false;
	switch (launch(r, l, sigs, &out->err)) {
	case LAUNCH_OK:
		break;
	case LAUNCH_EARLY:
		/* Gone before it could run the command: say why, or end like it. */
		early_end(l, out);
		return false;
	case LAUNCH_SIGNAL:
		/* Ended like a process that gets this signal: nsu dies of it too. */
		out->kind = NSU_OUTCOME_STATUS;
		out->status = sigs->fatal;
		return false;
	default:
		return false;
	}
	for (int k = 0; k < 2 && r->userns; k++)
		nsu_warn_zero_cut(k, &l->maps.plan[k], &l->maps.in[k]);
	if (r->userns && (r->warn_fallback || nsu_verbosity >= NSU_VERBOSE))
		nsu_warn_fallback(&(struct nsu_fallback_view){
			.owner = r->owner[NSU_UID], .own = { r->uid, r->gid }, .named = r->named,
			.direct = r->direct, .in = l->maps.in, .plan = l->maps.plan, .jobs = l->jobs });
	maps_free(&l->maps);
	return true;
}

void nsu_run(const struct nsu_run_req *r, struct nsu_outcome *out)
{
	/*
	 * libsubid is unloaded once the command has run a moment: unloading
	 * takes a fraction of a millisecond that a short command would wait
	 * for, and a long one is supervised without its libraries.
	 */
	struct nsu_watch w = { .via_init = r->iso->ns & CLONE_NEWPID,
			       .settle = nsu_subids_unload, .settle_ms = 20 };
	struct nsu_sigs sigs;
	struct nsu_tty tty;
	struct launch l;

	if (!start(r, &l, &sigs, out))
		return;

	/*
	 * The terminal's foreground to the command before it starts, as a shell
	 * would; not with --setsid, where the terminal is not the command's.
	 */
	nsu_tty_open(&tty, r->iso->setsid ? 0 : l.child.pid);
	nsu_tty_give(&tty);
	sigs.child = NULL;
	if (nsu_child_release(&l.child) < 0)
		nsu_info("the child ended before it could be released");
	nsu_signals_pass_deferred(&sigs, &l.child, &w);
	out->status = nsu_supervise(&l.child, &sigs, &tty, &w);
	nsu_tty_close(&tty);
	out->kind = NSU_OUTCOME_STATUS;
	if (w.via_init) {
		/* The init reported the command: its failure, or how it ended. */
		if (w.reported) {
			out->kind = NSU_OUTCOME_REPORT;
			out->report = w.report;
		} else if (w.ended) {
			out->status = w.status;
		}
	} else if (nsu_child_read_report(&l.child, &out->report) == 1) {
		/* A failure the inner stage reported after its release (chdir, exec...). */
		out->kind = NSU_OUTCOME_REPORT;
	}
	nsu_child_close(&l.child);
}

/*
 * The signals nsu took during a library call, given back as if it had not
 * taken them: the ones that came (but nsu's own) are raised again for the
 * caller. With @keep_chld, SIGCHLD stays blocked and at its default action,
 * as system(3) keeps it while it waits: neither a handler of the caller
 * that reaps every child nor an ignored SIGCHLD takes the command's end
 * away; restore_chld() then puts it back.
 */
static void give_back(struct nsu_sigs *s, bool keep_chld)
{
	sigset_t got;

	nsu_signals_drain(s);
	got = s->deferred;
	if (keep_chld) {
		s->chld_reset = false;
		sigaddset(&s->orig, SIGCHLD);
	}
	nsu_signals_give_back(s);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGCHLD && sigismember(&got, sig) == 1)
			raise(sig);
	if (s->fatal)
		raise(s->fatal);
}

/* SIGCHLD as the caller had it: an ignored one drops the pending SIGCHLD, else it comes now. */
static void restore_chld(const struct sigaction *act, bool reset, const sigset_t *mask)
{
	if (reset)
		sigaction(SIGCHLD, act, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
}

void nsu_run_here(const struct nsu_run_req *r, struct nsu_outcome *out)
{
	struct nsu_sigs sigs = { .fd = -1 };
	struct launch l;
	bool started = start(r, &l, &sigs, out);
	struct sigaction chld_act;
	bool chld_reset;
	sigset_t orig;
	int got;

	if (!started) {
		nsu_subids_unload();
		if (sigs.fd < 0)
			return;
		give_back(&sigs, false);
		/* A signal that would end the caller ended the set-up: the command never ran. */
		if (sigs.fatal) {
			out->kind = NSU_OUTCOME_ERROR;
			nsu_fail(&out->err, EINTR, "the set-up was interrupted by signal %d (%s)",
				 sigs.fatal, strsignal(sigs.fatal));
		}
		return;
	}
	sigs.child = NULL;
	if (nsu_child_release(&l.child) < 0)
		nsu_info("the child ended before it could be released");
	nsu_subids_unload();
	orig = sigs.orig;
	chld_act = sigs.chld_act;
	chld_reset = sigs.chld_reset;
	give_back(&sigs, true);
	out->kind = NSU_OUTCOME_STATUS;
	got = nsu_child_wait(&l.child, &out->status, 0);
	restore_chld(&chld_act, chld_reset, &orig);
	if (got < 0) {
		out->kind = NSU_OUTCOME_ERROR;
		nsu_fail(&out->err, errno, "cannot wait for the command: %s (did another thread "
			 "of the program reap it?)", strerror(errno));
	} else if (nsu_child_read_report(&l.child, &out->report) == 1) {
		/* A failure the child reported after its release (the function, chdir, exec...). */
		out->kind = NSU_OUTCOME_REPORT;
	}
	nsu_child_close(&l.child);
}

int nsu_run_hold(const struct nsu_run_req *r, struct nsu_hold *h, struct nsu_sigs *sigs,
		 struct nsu_outcome *out)
{
	struct pollfd pfd;
	struct launch l;
	int got;

	if (!start(r, &l, sigs, out))
		return -1;
	/* Stops and terminating signals act on the holder too until it runs. */
	sigs->child = &l.child;
	if (nsu_child_release(&l.child) < 0)
		nsu_info("the session's holder ended before it could be released");
	nsu_subids_unload();
	pfd = (struct pollfd){ .fd = l.child.report_fd, .events = POLLIN };
	for (;;) {
		enum nsu_wait w = nsu_setup_wait(sigs, &pfd, 1, -1);

		if (w == NSU_WAIT_FATAL) {
			nsu_child_abort(&l.child);
			out->kind = NSU_OUTCOME_STATUS;
			out->status = sigs->fatal;
			return -1;
		}
		if (w == NSU_WAIT_READY)
			break;
	}
	/* A failure of its set-up, or the end of file that says it runs. */
	got = nsu_child_read_report(&l.child, &out->report);
	if (got == 1 || nsu_child_wait(&l.child, &out->status, WNOHANG) == 1) {
		int status = nsu_child_reap(&l.child);

		if (got != 1) {
			out->kind = NSU_OUTCOME_ERROR;
			nsu_fail(&out->err, ECHILD, "the session's holder ended as it started "
				 "(wait status %d)", status);
		} else {
			out->kind = NSU_OUTCOME_REPORT;
		}
		nsu_child_close(&l.child);
		return -1;
	}
	*h = (struct nsu_hold){ .pid = l.child.pid, .uid = l.self[NSU_UID],
				.gid = l.self[NSU_GID], .drop_groups = r->direct };
	/* Not waited for: it outlives this nsu, which lets it go. */
	nsu_child_close(&l.child);
	sigs->child = NULL;
	return 0;
}

void nsu_run_privileged(const struct nsu_run_req *r, struct nsu_outcome *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	out->kind = NSU_OUTCOME_ERROR;
	err = unshare(CLONE_NEWNS) < 0 ? errno : -nsu_mounts_make_private();
	if (err > 0) {
		nsu_fail(&out->err, err, "cannot create a private mount namespace: %s", strerror(err));
		return;
	}
	nsu_info("already root with CAP_SYS_ADMIN: running in a new mount namespace only");
	if (r->iso->die_with_parent)
		nsu_die_with_parent(r->parent); /* the command is this process: armed across exec */
	if (r->chdir && chdir(r->chdir) < 0) {
		out->kind = NSU_OUTCOME_REPORT;
		out->report = (struct nsu_report){ .stage = NSU_STAGE_CHDIR, .errnum = errno };
		snprintf(out->report.detail, sizeof(out->report.detail), "%s", r->chdir);
		return;
	}
	/* No containers variables: this is not a rootless namespace. */
	err = -nsu_env_apply(false, 0, 0, r->env_ops, r->n_env_ops);
	if (err > 0) {
		nsu_fail(&out->err, err, "cannot set the command's environment: %s", strerror(err));
		return;
	}
	/* The command is looked up in its own PATH, as it is in a new namespace. */
	nsu_exec_command(r->cmd);
	out->kind = NSU_OUTCOME_REPORT;
	nsu_report_fill_exec(&out->report, r->cmd[0], errno);
}

/* The reason the trial got only the single-ID map: the uid's, the gid's, or both. */
static void single_reason(const struct launch *l, char *detail, size_t len)
{
	const char *why[2];

	for (int k = 0; k < 2; k++)
		why[k] = l->jobs[k].fell_back ? l->jobs[k].why.msg : l->maps.plan[k].why.msg;
	if (!*why[NSU_UID] || !*why[NSU_GID] || !strcmp(why[NSU_UID], why[NSU_GID]))
		snprintf(detail, len, "%s", *why[NSU_UID] ? why[NSU_UID] : why[NSU_GID]);
	else
		snprintf(detail, len, "%s; %s", why[NSU_UID], why[NSU_GID]);
}

/* The trial proper, with the signals taken: how far "true" gets; @detail says why. */
static enum nsu_trial trial(const struct nsu_run_req *req, struct nsu_sigs *sigs, char *detail,
			    size_t len)
{
	static char *true_argv[] = { "true", NULL };
	struct nsu_run_req r = *req;
	struct nsu_outcome out = { .kind = NSU_OUTCOME_ERROR };
	enum nsu_trial verdict = NSU_TRIAL_FAILED;
	struct launch l;
	char what[64];

	r.cmd = true_argv;
	switch (launch(&r, &l, sigs, &out.err)) {
	case LAUNCH_OK:
		break;
	case LAUNCH_EARLY:
		early_end(&l, &out);
		if (out.kind == NSU_OUTCOME_REPORT)
			nsu_report_message(&out.report, detail, len);
		else
			snprintf(detail, len, "the child ended early (%s)",
				 nsu_status_text(out.status, what, sizeof(what)));
		return NSU_TRIAL_FAILED;
	case LAUNCH_SIGNAL:
		/* Interrupted: nsu ends the way the signal would end it. */
		nsu_die_of(sigs->fatal);
	default:
		snprintf(detail, len, "%s", out.err.msg);
		return NSU_TRIAL_FAILED;
	}
	maps_free(&l.maps);
	sigs->child = NULL;
	nsu_child_release(&l.child);
	out.status = nsu_child_reap(&l.child);
	if (nsu_child_read_report(&l.child, &out.report) == 1) {
		/* The reason the child gave, not just how it ended. */
		nsu_report_message(&out.report, detail, len);
	} else if (!WIFEXITED(out.status) || WEXITSTATUS(out.status) != 0) {
		snprintf(detail, len, "the command failed in the namespace (%s)",
			 nsu_status_text(out.status, what, sizeof(what)));
	} else if (l.jobs[NSU_UID].fell_back || l.jobs[NSU_GID].fell_back ||
		   l.maps.plan[NSU_UID].source == NSU_SRC_NO_RANGE ||
		   l.maps.plan[NSU_GID].source == NSU_SRC_NO_RANGE) {
		single_reason(&l, detail, len);
		verdict = NSU_TRIAL_SINGLE;
	} else {
		snprintf(detail, len, "%zu uid and %zu gid map lines written",
			 l.maps.plan[NSU_UID].map.n, l.maps.plan[NSU_GID].map.n);
		verdict = NSU_TRIAL_FULL;
	}
	nsu_child_close(&l.child);
	return verdict;
}

enum nsu_trial nsu_run_trial(void *ctx, char *detail, size_t len)
{
	struct nsu_sigs sigs;
	struct nsu_err e;
	enum nsu_trial verdict;

	if (nsu_signals_take(&sigs, &e) < 0) {
		snprintf(detail, len, "%s", e.msg);
		return NSU_TRIAL_FAILED;
	}
	verdict = trial(ctx, &sigs, detail, len);
	nsu_signals_give_back(&sigs);
	return verdict;
}
