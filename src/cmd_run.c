/*
 * spin-gate run: load, plan, prepare, measure, judge, render (and post).
 */
#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "hyperfine.h"
#include "judge.h"
#include "cost.h"
#include "measure.h"
#include "msg.h"
#include "noise.h"
#include "opt.h"
#include "plan.h"
#include "post.h"
#include "proc.h"
#include "profile.h"
#include "report.h"
#include "results.h"
#include "revision.h"
#include "runenv.h"
#include "shard.h"
#include "suite.h"
#include "sysload.h"
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

/* The most --only filters; a suite has far fewer parameter values. */
#define MAX_FILTERS 64

struct run_args {
	const char *base, *head, *repo, *suite, *thresholds, *out, *cache, *name, *hyperfine;
	const char *timings;
	int shard_index, shard_count;
	long runs, max_runs, warmup;
	int quiet, post, all_checks, rebuild, profile, no_profile;
	struct post_opts post_opts;
	struct plan_filter filters[MAX_FILTERS];
	char *filter_storage[MAX_FILTERS];
	size_t nfilters;
};

static int parse_comment(const struct opt *o, const char *arg)
{
	struct run_args *a = o->value;

	if (post_parse_mode(arg, &a->post_opts.comment) < 0)
		return error("--comment: '%s' is not sticky, new or off", arg);
	return 0;
}

static int parse_token_env(const struct opt *o, const char *arg)
{
	struct run_args *a = o->value;

	if (post_check_token_env(arg) < 0)
		return -1;
	a->post_opts.token_env = arg;
	return 0;
}

/* --only NAME=VALUE, repeatable: one filter each. */
static int parse_only(const struct opt *o, const char *arg)
{
	struct run_args *a = o->value;

	if (a->nfilters == MAX_FILTERS)
		return error("--only: at most %d filters", MAX_FILTERS);
	if (plan_filter_parse(arg, &a->filters[a->nfilters], &a->filter_storage[a->nfilters]) < 0)
		return -1;
	a->nfilters++;
	return 0;
}

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
		OPT_STRING("repo", 0, &a->repo, "PATH",
			   "resolve REVs as git revisions of this repository and\n"
			   "prepare each from a worktree; without it REVs must be\n"
			   "release versions the suite can install"),
		OPT_STRING("suite", 0, &a->suite, "DIR",
			   "the scenario suite (default: ./spin-gate when it has a\n"
			   "suite.json, else the gate's own scenarios/bytewax)"),
		OPT_STRING("thresholds", 0, &a->thresholds, "FILE",
			   "the checks (default: the suite's thresholds.json, else\n"
			   "the gate's own thresholds.json)"),
		OPT_STRING("out", 0, &a->out, "DIR",
			   "where results.json, verdict.md and logs go (default: out)"),
		OPT_LONG("runs", 0, &a->runs, "N", 2, RESULTS_MAX_ROUNDS,
			 "rounds before judging (default: thresholds' runs)"),
		OPT_LONG("max-runs", 0, &a->max_runs, "N", 2, RESULTS_MAX_ROUNDS,
			 "most rounds for a scenario whose checks stay inconclusive\n"
			 "(default: thresholds' max_runs; equal to --runs: fixed)"),
		OPT_LONG("warmup", 0, &a->warmup, "N", 0, RESULTS_MAX_SAMPLES - RESULTS_MAX_ROUNDS,
			 "unjudged warm-up rounds (default: 1)"),
		OPT_FLAG("all-checks", 0, &a->all_checks,
			 "keep measuring open scenarios after a check has failed\n"
			 "(default: a fail settles the verdict; the other\n"
			 "scenarios keep their first rounds)"),
		OPT_CALLBACK("only", 0, a, "NAME=VALUE", parse_only,
			     "run only scenarios with this parameter value; repeat for\n"
			     "several values; a value the suite does not list is used too"),
		OPT_CALLBACK("shard", 0, a, "K/N", parse_shard,
			     "measure only slice K of N of the matrix (1 <= K <= N <= 256),\n"
			     "balanced by expected run time, the same on every machine;\n"
			     "'spin-gate merge' joins the N results"),
		OPT_STRING("timings", 0, &a->timings, "FILE",
			   "with --shard: a previous results.json whose run times\n"
			   "balance the slices (default: the suite's timeout, i.e.\n"
			   "by count)"),
		OPT_STRING("cache", 0, &a->cache, "DIR",
			   "prepared environments (default: $SPIN_GATE_CACHE, else\n"
			   "$XDG_CACHE_HOME/spin-gate, else ~/.cache/spin-gate)"),
		OPT_FLAG("rebuild", 0, &a->rebuild,
			 "prepare both revisions' environments again even when\n"
			 "the cache has them"),
		OPT_STRING("name", 0, &a->name, "NAME",
			   "the gate's name in the verdict's marker (default: spin-gate)"),
		OPT_STRING("hyperfine", 0, &a->hyperfine, "PATH",
			   "the hyperfine program (default: hyperfine in PATH)"),
		OPT_FLAG("post", 0, &a->post,
			 "post the verdict to the pull request at the end, as\n"
			 "'spin-gate post' does (see 'spin-gate post --help')"),
		OPT_CALLBACK("comment", 0, a, "MODE", parse_comment,
			     "with --post: sticky (default), new or off"),
		OPT_CALLBACK("token-env", 0, a, "NAME", parse_token_env,
			     "with --post: the variable holding the token\n"
			     "(default: GITHUB_TOKEN)"),
		OPT_FLAG("profile", 0, &a->profile,
			 "after measuring, profile every scenario once more per side\n"
			 "(default: only idle scenarios whose CPU check failed)"),
		OPT_FLAG("no-profile", 0, &a->no_profile,
			 "profile nothing, not even a failed CPU check"),
		OPT_FLAG("quiet", 0, &a->quiet, "no progress lines"),
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

/*
 * OUT and the cache are written into and cleaned: an empty value would
 * make "OUT/results.json" "/results.json", and "/" itself is nobody's
 * directory to fill. `what` names where the value came from.
 */
/*
 * A new run over an old one: its results.json, verdict.md and scenario logs
 * move to OUT/previous/ (replacing an older previous run), so that nothing
 * measured is lost and no verdict sits beside results it was not made from.
 */
static int keep_previous(const char *out)
{
	static const char *const names[] = { "results.json", "verdict.md" };
	char *prev = xstrfmt("%s/previous", out), *logs = xstrfmt("%s/logs", out);
	char *prev_logs = xstrfmt("%s/logs", prev), *from = NULL, *to = NULL;
	struct dirent *e;
	DIR *d = NULL;
	int moved = 0, ret = -1;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		free(from);
		from = xstrfmt("%s/%s", out, names[i]);
		if (!fs_exists(from))
			continue;
		if (!moved++ && (fs_rm_rf(prev) < 0 || fs_mkdir_p(prev_logs) < 0))
			goto out;
		free(to);
		to = xstrfmt("%s/%s", prev, names[i]);
		if (rename(from, to) < 0) {
			error_errno("cannot move '%s' to '%s'", from, to);
			goto out;
		}
	}
	if (moved && (d = opendir(logs))) {
		while ((e = readdir(d))) {
			if (strncmp(e->d_name, "scenario-", 9) != 0)
				continue;
			free(from);
			free(to);
			from = xstrfmt("%s/%s", logs, e->d_name);
			to = xstrfmt("%s/%s", prev_logs, e->d_name);
			if (rename(from, to) < 0) {
				error_errno("cannot move '%s' to '%s'", from, to);
				goto out;
			}
		}
	}
	if (moved)
		note("an earlier run's results.json, verdict.md and logs are in %s", prev);
	ret = 0;
out:
	if (d)
		closedir(d);
	free(prev);
	free(logs);
	free(prev_logs);
	free(from);
	free(to);
	return ret;
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
static int profile_after(struct results *r, const struct config *cfg,
			 const struct revision rv[SIDE_COUNT], const struct run_args *a,
			 const char *const *unset, const char *cache)
{
	const char *dirs[SIDE_COUNT] = { rv[SIDE_BASE].env_dir, rv[SIDE_HEAD].env_dir };
	struct profile_opts po = { 0 };
	char *tools = xstrfmt("%s/tools", cache);
	int n;

	po.out_dir = a->out;
	po.tools_dir = tools;
	po.unset = unset;
	po.ncpu = cfg->ncpu;
	po.quiet = a->quiet;
	n = profile_results(r, &cfg->suite, &cfg->thresholds, dirs, &po, a->profile);
	free(tools);
	return n == -2;
}

/* measure_opts.state: the judge's view of one scenario. */
static int scenario_state(const struct results *r, size_t i, void *ctx)
{
	switch (judge_scenario_state(r, ctx, i)) {
	case JUDGE_SCENARIO_OPEN: return MEASURE_OPEN;
	case JUDGE_SCENARIO_FAILED: return MEASURE_FAILED;
	case JUDGE_SCENARIO_SETTLED:
	case JUDGE_SCENARIO_ERROR: break;
	}
	return MEASURE_SETTLED;
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
	char **only = xcalloc(a->nfilters + 1, sizeof(*only));
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
	for (i = 0; i < a->nfilters; i++)
		only[i] = xstrfmt("%s=%s", a->filters[i].name, a->filters[i].value);
	shard_apply(r, a->shard_index, a->shard_count, owner, w, basis, (const char *const *)only,
		    a->nfilters);
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
	for (i = 0; i < a->nfilters; i++)
		free(only[i]);
	free(only);
	free(w);
	free(owner);
	results_release(&timings);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct config cfg;
	const struct suite *s = &cfg.suite;
	const struct thresholds *t = &cfg.thresholds;
	struct results r;
	struct revision rv[SIDE_COUNT];
	struct measure_opts mo = { 0 };
	struct render_opts ro = { 0 };
	struct judgement j = { 0 };
	struct revision_opts ropts = { 0 };
	struct sysload load;
	struct sysload_mark load0, load1;
	struct cost_mark cost, cost_probe;
	char *logs = NULL, *tmp = NULL, *results_path = NULL, *cache = NULL, *setup_log = NULL;
	char *hf_version = NULL;
	const char **unset = NULL;
	int ret = EXIT_USAGE, k, measured, sig, profile_stopped = 0;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.post_opts = (struct post_opts)POST_OPTS_INIT;
	memset(&cfg, 0, sizeof(cfg));
	results_init(&cfg.matrix);
	memset(rv, 0, sizeof(rv));
	results_init(&r);
	sysload_init(&load);
	a.out = "out";
	a.warmup = 1;
	switch (parse_args(&a, argc, argv)) {
	case 1: ret = EXIT_PASS; goto out;
	case -1: goto out;
	}
	cache = a.cache ? xstrdup(a.cache) : revision_default_cache();
	if (runenv_check_dirs(&run_cmd, a.out, cache, a.cache != NULL) < 0)
		goto out;
	if (config_load(&cfg, a.suite, a.thresholds) < 0)
		goto out;
	if (!a.runs)
		a.runs = t->runs;
	if (!a.max_runs)
		a.max_runs = t->max_runs > a.runs ? t->max_runs : a.runs;
	if (a.max_runs < a.runs) {
		error("run: --max-runs %ld is less than --runs %ld", a.max_runs, a.runs);
		goto out;
	}
	if (plan_matrix(&r, s, a.filters, a.nfilters, cfg.ncpu) < 0)
		goto out;
	if (a.shard_count && take_shard(&r, &a) < 0)
		goto out;

	ret = EXIT_RUN_ERROR;
	switch (runenv_start(a.out, a.hyperfine, &logs, &tmp, &hf_version)) {
	case 0: break;
	case RUNENV_UNSUPPORTED: ret = EXIT_USAGE; goto out;
	default: goto out;
	}
	results_path = report_path(a.out, "results.json");

	r.started = results_now();
	r.suite_name = xstrdup(s->name);
	r.suite_path = xstrdup(s->path);
	r.thresholds_path = realpath(cfg.thresholds_path, NULL);
	if (!r.thresholds_path)
		r.thresholds_path = xstrdup(cfg.thresholds_path);
	if (!(r.suite_digest = suite_file_digest(s->path)) ||
	    !(r.thresholds_digest = suite_file_digest(cfg.thresholds_path)))
		goto out;
	r.settings.runs = (int)a.runs;
	r.settings.max_runs = (int)a.max_runs;
	r.settings.warmup = (int)a.warmup;
	r.settings.confidence = t->confidence;
	r.settings.all_checks = a.all_checks;
	runenv_collect(&r.env, cfg.ncpu, hf_version);
	for (k = 0; k < SIDE_COUNT; k++)
		r.rev[k].spec = xstrdup(k == SIDE_BASE ? a.base : a.head);

	if (a.shard_count && !r.nscen) {
		/* an empty slice prepares and measures nothing; its file says so */
		r.complete = 1;
		free(r.finished);
		r.finished = results_now();
		ro.name = a.name;
		if (keep_previous(a.out) < 0 || report_write(&r, t, a.out, &ro, &j) < 0)
			goto out;
		ret = judge_exit_code(j.verdict);
		goto out;
	}
	setup_log = xstrfmt("%s/setup.log", logs);
	ropts.repo = a.repo;
	ropts.cache = cache;
	ropts.log_path = setup_log;
	ropts.ncpu = cfg.ncpu_s;
	ropts.rebuild = a.rebuild;
	unset = runenv_withheld(a.post_opts.token_env, s);
	ropts.unset = unset;
	/* every revision resolved before any is prepared: a typo in --head is
	 * refused before --base's setup runs */
	if (revision_resolve_all(rv, (const char *const[]){ a.base, a.head }, SIDE_COUNT, s,
				 &ropts) < 0)
		goto interrupted_or_out;
	for (k = 0; k < SIDE_COUNT; k++) {
		if (revision_prepare(&rv[k], s, &ropts) < 0)
			goto interrupted_or_out;
		free(r.rev[k].spec);
		r.rev[k].spec = NULL;
		revision_to_info(&rv[k], &r.rev[k]);
	}
	/* Measuring begins: only now does OUT get new results (a run that
	 * could not prepare a revision leaves an earlier run's files alone). */
	if (keep_previous(a.out) < 0 || results_write(&r, NULL, results_path) < 0)
		goto out;
	note("measuring %zu scenario(s) of suite '%s': %s (%s) vs %s (%s), %ld round(s), up to %ld",
	     r.nscen, s->name, a.base, rv[SIDE_BASE].resolved, a.head, rv[SIDE_HEAD].resolved,
	     a.runs, a.max_runs);

	cost_mark(&cost);
	noise_probe(&r.env);
	cost_mark(&cost_probe);
	note("noise probe: a fixed CPU loop varies by %.1f%%, a 10 ms sleep by %.1f%%",
	     100 * r.env.noise_cpu, 100 * r.env.noise_sleep);
	sysload_mark(&load, &load0);

	mo.runs = (int)a.runs;
	mo.max_runs = (int)a.max_runs;
	mo.warmup = (int)a.warmup;
	mo.state = scenario_state;
	mo.ctx = &cfg.thresholds;
	mo.all_checks = a.all_checks;
	mo.results_path = results_path;
	mo.logs_dir = logs;
	mo.tmpdir = tmp;
	mo.hyperfine = a.hyperfine;
	mo.ncpu = cfg.ncpu;
	mo.quiet = a.quiet;
	mo.progress = measure_progress_mode(stderr);
	mo.unset = unset;
	measured = measure_run(&r, s, rv, &mo);
	if (measured < 0)
		goto out;
	cost_finish(&cost, &cost_probe, &r);
	sysload_mark(&load, &load1);
	r.env.steal = sysload_steal_percent(&load0, &load1);
	r.complete = measured == 0;
	free(r.finished);
	r.finished = results_now();

	if (r.complete && !a.no_profile && profile_after(&r, &cfg, rv, &a, unset, cache))
		profile_stopped = proc_interrupted();
	ro.name = a.name;
	if (report_write(&r, t, a.out, &ro, &j) < 0)
		goto out;
	note("wrote %s/results.json, %s/verdict.md and %s/report.html", a.out, a.out, a.out);
	warn_if_busy(&j.contention);
	for (i = 0; i < r.nscen; i++)
		if (r.scen[i].error)
			warning("scenario %s: %s", r.scen[i].name, r.scen[i].error);
	if (!r.complete) {
		sig = proc_interrupted();
		error("interrupted by %s: results so far are in %s (marked incomplete)",
		      r.stopped_by ? r.stopped_by : "a signal", results_path);
		ret = 128 + (sig ? sig : SIGINT);
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
	if (a.post) {
		char *verdict_path = report_path(a.out, "verdict.md");
		int posted;

		a.post_opts.verdict_path = verdict_path;
		a.post_opts.results_path = results_path;
		if (a.name)
			a.post_opts.name = a.name;
		posted = post_run(&a.post_opts);
		free(verdict_path);
		/* a failing verdict says more than a failed post */
		if (posted != EXIT_PASS && ret == EXIT_PASS)
			ret = posted;
	}
	goto out;

interrupted_or_out:
	/* nothing was measured: OUT keeps what an earlier run wrote */
	if ((sig = proc_interrupted()))
		ret = 128 + sig;
out:
	if (tmp)
		rmdir(tmp);
	judgement_release(&j);
	for (k = 0; k < SIDE_COUNT; k++)
		revision_release(&rv[k]);
	results_release(&r);
	config_release(&cfg);
	sysload_release(&load);
	for (i = 0; i < a.nfilters; i++)
		free(a.filter_storage[i]);
	free(logs);
	free(tmp);
	free(results_path);
	free(cache);
	free(setup_log);
	free(hf_version);
	free(unset);
	return ret;
}
