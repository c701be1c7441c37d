/*
 * spin-gate run: load, plan, prepare, measure, judge, render (and post).
 */
#include "cmd.h"
#include "history_src.h"
#include "fsutil.h"
#include "gate.h"
#include "judge.h"
#include "measure.h"
#include "msg.h"
#include "plan.h"
#include "post.h"
#include "proc.h"
#include "profile.h"
#include "render_export.h"
#include "report.h"
#include "results.h"
#include "revision.h"
#include "shard.h"
#include "thresholds.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct opt_cmd run_cmd = {
	.name = "run",
	.synopsis = "spin-gate run --base REV --head REV [options]",
	.description =
		"Measure every scenario of a suite for two revisions, judge the results with\n"
		"the checks of a thresholds file, and write OUT/results.json and OUT/verdict.md.\n"
		"The terminal shows progress on stderr and the verdict table on stdout.\n",
	.footer = "exit status: 0 pass, 1 a check failed, 2 usage or configuration error,\n"
		  "3 inconclusive, 4 a revision or scenario could not be prepared or run,\n"
		  "5 (with --post, when the verdict passed) posting failed,\n"
		  "130/143 interrupted by SIGINT/SIGTERM (what was measured is written,\n"
		  "marked incomplete)\n",
};

struct run_args {
	struct gate g; /* the session, its options (GATE_OPTIONS) among them */
	const char *base, *head, *timings;
	int shard_index, shard_count;
	int post, all_checks, profile, no_profile;
	unsigned formats; /* --format: 1u << enum export_format */
	struct post_opts post_opts;
	struct history_src hist; /* --history: the comment's line per idle scenario */
};

/* --shard K/N */
static int parse_shard(const struct opt *o, const char *arg)
{
	struct run_args *a = o->value;

	return shard_parse(arg, &a->shard_index, &a->shard_count);
}

/* 0, 1 after --help, or -1 after a usage error. */
static int parse_args(struct run_args *a, int argc, char **argv)
{
	const struct opt opts[] = {
		OPT_STRING("base", 0, &a->base, "REV",
			   "the revision to compare against (e.g. v0.16.0)"),
		OPT_STRING("head", 0, &a->head, "REV", "the revision under test (e.g. v0.16.1)"),
		GATE_OPTIONS(&a->g.a, "where results.json, verdict.md and logs go (default: out)"),
		OPT_FLAG("all-checks", 0, &a->all_checks,
			 "keep measuring open scenarios after a check has failed\n"
			 "(default: a fail settles the verdict; the other\n"
			 "scenarios keep their first rounds)"),
		OPT_CALLBACK("shard", 0, a, "K/N", parse_shard,
			     "measure only slice K of N of the matrix (1 <= K <= N <= 256),\n"
			     "balanced by expected run time, the same on every machine;\n"
			     "'spin-gate merge' joins the N results"),
		OPT_STRING("timings", 0, &a->timings, "FILE",
			   "with --shard: a previous results.json whose run times\n"
			   "balance the slices (default: the suite's timeout, i.e.\n"
			   "by count)"),
		OPT_FLAG("post", 0, &a->post,
			 "post the verdict to the pull request at the end, as\n"
			 "'spin-gate post' does (see 'spin-gate post --help')"),
		OPT_COMMENT_MODE(&a->post_opts.comment,
				 "with --post: sticky (default), new or off"),
		OPT_TOKEN_ENV(&a->post_opts.token_env,
			      "with --post: the variable holding the token\n"
			      "(default: GITHUB_TOKEN)"),
		OPT_FLAG("profile", 0, &a->profile,
			 "after measuring, profile every scenario once more per side\n"
			 "(default: only idle scenarios whose CPU check failed)"),
		OPT_FLAG("no-profile", 0, &a->no_profile,
			 "profile nothing, not even a failed CPU check"),
		OPT_EXPORT_FORMATS(&a->formats),
		OPT_HISTORY_SOURCE(&a->hist),
		OPT_END(),
	};
	int n = opt_parse(&run_cmd, opts, argc, argv);

	if (n == OPT_HELP)
		return 1;
	if (n < 0)
		return -1;
	/* not echoed: a stray argument may be a value meant to stay out of the log */
	if (n > 0)
		return opt_error(&run_cmd, "run takes only options; %d other argument(s) given", n);
	if (!a->base || !a->head)
		return opt_error(&run_cmd, "--base and --head are required");
	if (a->timings && !a->shard_count)
		return opt_error(&run_cmd, "--timings is for --shard K/N");
	if (a->post && a->shard_count)
		return opt_error(&run_cmd, "--post with --shard would post one slice's verdict: "
					   "post what 'spin-gate merge' writes");
	if (a->profile && a->no_profile)
		return opt_error(&run_cmd, "--profile and --no-profile exclude each other");
	return 0;
}

/* What an earlier run left in OUT that a new one moves to OUT/previous/. */
static int run_output(const char *name)
{
	return !strcmp(name, "results.json") || !strcmp(name, "verdict.md") ||
	       export_is_file_name(name);
}

/* Say when other work disturbed the runs (and only then). */
static void warn_if_busy(const struct judge_contention *c)
{
	if (!judge_contention_busy(c))
		return;
	warning("the runner was busy during the runs: other work took a median %.0f%% of the "
		"machine during base's runs and %.0f%% during head's (at most %.0f%%); %zu of %zu "
		"round(s) had head under more contention than base and do not decide a fail",
		100 * c->median[SIDE_BASE], 100 * c->median[SIDE_HEAD],
		100 * fmax(c->max[SIDE_BASE], c->max[SIDE_HEAD]), c->set_aside, c->rounds);
}

/* Where the CPU went (profile.h): extra runs after measuring, never judged.
 * 1 when interrupted. */
static int profile_after(struct results *r, const struct run_args *a)
{
	const struct gate *g = &a->g;
	const char *dirs[SIDE_COUNT] = { g->rv[SIDE_BASE].env_dir, g->rv[SIDE_HEAD].env_dir };
	struct profile_opts po = { 0 };
	char *tools = xstrfmt("%s/tools", g->cache);
	int n;

	po.out_dir = g->a.out;
	po.tools_dir = tools;
	po.unset = g->unset;
	po.ncpu = g->cfg.ncpu;
	po.quiet = g->a.quiet;
	n = profile_results(r, &g->cfg.suite, &g->cfg.thresholds, dirs, &po, a->profile);
	free(tools);
	return n == -2;
}

/*
 * --shard K/N: keep slice K of the planned matrix in r (shard.h), balanced
 * by the --timings file's run times when given. 0, or -1 after error().
 */
static int take_shard(struct results *r, const struct run_args *a)
{
	struct results timings;
	uint64_t *w = xcalloc(r->nscen + 1, sizeof(*w));
	int *owner = xcalloc(r->nscen + 1, sizeof(*owner));
	const struct gate_args *ga = &a->g.a;
	char **only = xcalloc(ga->nfilters + 1, sizeof(*only));
	enum shard_basis basis;
	size_t i, matrix = r->nscen;
	int ret = -1;

	results_init(&timings);
	if (a->timings && results_read(&timings, a->timings) < 0)
		goto out;
	basis = shard_weights(r, a->timings ? &timings : NULL, w);
	if (a->timings && basis != SHARD_BY_TIMINGS)
		warning("--timings '%s' has no scenario of this matrix: the shards are balanced "
			"by count",
			a->timings);
	shard_assign(w, r->nscen, a->shard_count, owner);
	for (i = 0; i < ga->nfilters; i++)
		only[i] = xstrfmt("%s=%s", ga->filters[i].name, ga->filters[i].value);
	shard_apply(r, a->shard_index, a->shard_count, owner, w, basis, (const char *const *)only,
		    ga->nfilters);
	if (!r->nscen)
		note("shard %d/%d is empty: the matrix has %zu scenario(s) for %d shards; nothing "
		     "to "
		     "measure",
		     a->shard_index, a->shard_count, matrix, a->shard_count);
	else
		note("shard %d/%d: %zu of the matrix's %zu scenario(s), balanced by %s",
		     a->shard_index, a->shard_count, r->nscen, matrix, shard_basis_name(basis));
	ret = 0;
out:
	for (i = 0; i < ga->nfilters; i++)
		free(only[i]);
	free(only);
	free(w);
	free(owner);
	results_release(&timings);
	return ret;
}

/* With --post: publish what was written (post.h). The exit code: a failing
 * verdict's says more than a failed post. */
static int post_after(struct run_args *a, const char *results_path, int ret)
{
	char *verdict_path = report_path(a->g.a.out, "verdict.md");
	int posted;

	a->post_opts.verdict_path = verdict_path;
	a->post_opts.results_path = results_path;
	if (a->g.a.name)
		a->post_opts.name = a->g.a.name;
	posted = post_run(&a->post_opts);
	free(verdict_path);
	return posted != EXIT_PASS && ret == EXIT_PASS ? posted : ret;
}

/* An empty slice (--shard) prepares and measures nothing; its file says
 * so. The exit code. */
static int write_empty_shard(struct run_args *a, struct results *r)
{
	struct render_opts ro = { .name = a->g.a.name };
	struct judgement j = { 0 };
	int ret = EXIT_RUN_ERROR;

	r->complete = 1;
	free(r->finished);
	r->finished = results_now();
	if (gate_keep_previous(a->g.a.out, run_output, "run") == 0 &&
	    report_write(r, &a->g.cfg.thresholds, a->g.a.out, &ro, &j) == 0)
		ret = judge_exit_code(j.verdict);
	judgement_release(&j);
	return ret;
}

/* One argument of a command shown to be pasted into a shell: as it is
 * when plain, else in single quotes. 0, or -1 for one no line can show. */
static int add_shell_arg(struct buf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, "`\n\r"))
		return -1;
	buf_addch(b, ' ');
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			    "_./=:@%+,-") == strlen(s)) {
		buf_adds(b, s);
		return 0;
	}
	buf_addch(b, '\'');
	for (p = s; *p; p++)
		if (*p == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addch(b, *p);
	buf_addch(b, '\'');
	return 0;
}

/*
 * A failed gate over git revisions that spans more than one commit: the
 * `spin-gate bisect` that finds the one (the same repository, suite,
 * thresholds and --only). NULL when it does not apply. Caller frees.
 */
static char *bisect_command(const struct run_args *a)
{
	const struct gate *g = &a->g;
	const char *base = g->rv[SIDE_BASE].resolved, *head = g->rv[SIDE_HEAD].resolved;
	struct buf b = BUF_INIT, out = BUF_INIT, range = BUF_INIT;
	size_t i;
	int bad = 0;

	if (!g->a.repo || !base || !head || strcmp(g->rv[SIDE_BASE].kind, "git"))
		goto out;
	buf_addf(&range, "%s..%s", base, head);
	{
		const char *argv[] = {
			"git", "-C", g->a.repo, "rev-list", "--count", range.s, NULL
		};

		if (proc_capture(argv, NULL, 60, &out) < 0 || strtol(out.s, NULL, 10) < 2)
			goto out;
	}
	buf_adds(&b, "spin-gate bisect");
	bad |= add_shell_arg(&b, "--repo") | add_shell_arg(&b, g->a.repo);
	bad |= add_shell_arg(&b, "--good") | add_shell_arg(&b, base);
	bad |= add_shell_arg(&b, "--bad") | add_shell_arg(&b, head);
	bad |= add_shell_arg(&b, "--suite") | add_shell_arg(&b, g->cfg.suite_path);
	bad |= add_shell_arg(&b, "--thresholds") | add_shell_arg(&b, g->cfg.thresholds_path);
	for (i = 0; i < g->a.nfilters; i++) {
		char *f = xstrfmt("%s=%s", g->a.filters[i].name, g->a.filters[i].value);

		bad |= add_shell_arg(&b, "--only") | add_shell_arg(&b, f);
		free(f);
	}
out:
	buf_release(&out);
	buf_release(&range);
	if (bad || !b.len) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* After measuring: profile, judge and write, say what happened, post. The
 * exit code. */
static int finish(struct run_args *a, struct results *r, const char *results_path)
{
	const char *out = a->g.a.out;
	struct render_opts ro = { .name = a->g.a.name };
	struct judgement j = { 0 };
	int ret = EXIT_RUN_ERROR, profile_stopped = 0;
	char *bisect = NULL, *hist_md;
	size_t i;

	if (r->complete && !a->no_profile && profile_after(r, a))
		profile_stopped = proc_interrupted();
	if (r->complete && !profile_stopped) {
		struct judgement pre = { 0 };

		judge_results(r, &a->g.cfg.thresholds, &pre);
		if (pre.verdict == STATUS_FAIL)
			bisect = bisect_command(a);
		judgement_release(&pre);
	}
	ro.bisect = bisect;
	a->hist.repo = a->g.a.repo;
	a->hist.cache = a->g.cache;
	ro.history = hist_md = history_src_head(&a->hist, r);
	if (report_write(r, &a->g.cfg.thresholds, out, &ro, &j) < 0 ||
	    report_write_exports(r, a->formats, out) < 0)
		goto out;
	if (bisect)
		note("to find the commit that made it fail: %s", bisect);
	note("wrote %s/results.json, %s/verdict.md and %s/report.html", out, out, out);
	warn_if_busy(&j.contention);
	for (i = 0; i < r->nscen; i++)
		if (r->scen[i].error)
			warning("scenario %s: %s", r->scen[i].name, r->scen[i].error);
	if (!r->complete) {
		error("interrupted by %s: results so far are in %s (marked incomplete)",
		      r->stopped_by ? r->stopped_by : "a signal", results_path);
		ret = gate_interrupted();
		goto out;
	}
	ret = judge_exit_code(j.verdict);
	if (profile_stopped) {
		error("interrupted by %s while profiling: the results are complete, the "
		      "profile partial",
		      proc_signal_name(profile_stopped));
		ret = 128 + profile_stopped;
		goto out;
	}
	if (a->post)
		ret = post_after(a, results_path, ret);
out:
	judgement_release(&j);
	free(bisect);
	free(hist_md);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct gate *g = &a.g;
	const struct gate_args *ga = &g->a;
	struct results r;
	char *results_path = NULL;
	int ret = EXIT_USAGE, k, measured;

	memset(&a, 0, sizeof(a));
	gate_init(g, &run_cmd);
	a.post_opts = (struct post_opts)POST_OPTS_INIT;
	results_init(&r);
	switch (parse_args(&a, argc, argv)) {
	case 1: ret = EXIT_PASS; goto out;
	case -1: goto out;
	}
	if ((ret = gate_configure(g)))
		goto out;
	ret = EXIT_USAGE;
	if (plan_matrix(&r, &g->cfg.suite, ga->filters, ga->nfilters, g->cfg.ncpu) < 0)
		goto out;
	if (a.shard_count && take_shard(&r, &a) < 0)
		goto out;
	if ((ret = gate_start(g)))
		goto out;
	results_path = report_path(ga->out, "results.json");
	if ((ret = gate_header(g, &r, a.all_checks)))
		goto out;
	for (k = 0; k < SIDE_COUNT; k++)
		r.rev[k].spec = xstrdup(k == SIDE_BASE ? a.base : a.head);

	if (a.shard_count && !r.nscen) {
		ret = write_empty_shard(&a, &r);
		goto out;
	}
	/* nothing measured yet: OUT keeps what an earlier run wrote */
	if ((ret = gate_prepare(g, (const char *const[]){ a.base, a.head }, SIDE_COUNT,
				a.post_opts.token_env, 0)))
		goto out;
	for (k = 0; k < SIDE_COUNT; k++) {
		free(r.rev[k].spec);
		r.rev[k].spec = NULL;
		revision_to_info(&g->rv[k], &r.rev[k]);
	}
	/* Measuring begins: only now does OUT get new results (a run that
	 * could not prepare a revision leaves an earlier run's files alone). */
	ret = EXIT_RUN_ERROR;
	if (gate_keep_previous(ga->out, run_output, "run") < 0 ||
	    results_write(&r, NULL, results_path) < 0)
		goto out;
	note("measuring %zu scenario(s) of suite '%s': %s (%s) vs %s (%s), %ld round(s), up to %ld",
	     r.nscen, g->cfg.suite.name, a.base, g->rv[SIDE_BASE].resolved, a.head,
	     g->rv[SIDE_HEAD].resolved, ga->runs, ga->max_runs);
	gate_measure_begin(g, &r.env);
	measured = measure_run(&r, &g->cfg.suite, g->rv,
			       gate_measure_opts(g, results_path, a.all_checks));
	if (measured < 0)
		goto out;
	cost_finish(&g->cost, &g->cost_probe, &r);
	gate_measure_end(g, &r.env);
	r.complete = measured == 0;
	free(r.finished);
	r.finished = results_now();
	ret = finish(&a, &r, results_path);
out:
	results_release(&r);
	history_src_release(&a.hist);
	gate_release(g);
	free(results_path);
	return ret;
}
