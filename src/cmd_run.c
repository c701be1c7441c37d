/*
 * spin-gate run: load, plan, prepare, measure, judge, render (and post).
 */
#include "cmd.h"
#include "fsutil.h"
#include "hyperfine.h"
#include "judge.h"
#include "cost.h"
#include "measure.h"
#include "msg.h"
#include "noise.h"
#include "plan.h"
#include "post.h"
#include "proc.h"
#include "report.h"
#include "results.h"
#include "revision.h"
#include "suite.h"
#include "sysload.h"
#include "thresholds.h"

#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char run_usage[] =
	"usage: spin-gate run --base REV --head REV [options]\n"
	"\n"
	"Measure every scenario of a suite for two revisions, judge the results with\n"
	"the checks of a thresholds file, and write OUT/results.json and OUT/verdict.md.\n"
	"The terminal shows progress on stderr and the verdict table on stdout.\n"
	"\n"
	"  --base REV          the revision to compare against (e.g. v0.16.0)\n"
	"  --head REV          the revision under test (e.g. v0.16.1)\n"
	"  --repo PATH         resolve REVs as git revisions of this repository and\n"
	"                      prepare each from a worktree; without it REVs must be\n"
	"                      release versions the suite can install\n"
	"  --suite DIR         the scenario suite (default: scenarios/bytewax)\n"
	"  --thresholds FILE   the checks (default: thresholds.json)\n"
	"  --out DIR           where results.json, verdict.md and logs go (default: out)\n"
	"  --runs N            rounds before judging (default: thresholds' runs)\n"
	"  --max-runs N        most rounds for a scenario whose checks stay inconclusive\n"
	"                      (default: thresholds' max_runs; equal to --runs: fixed)\n"
	"  --warmup N          unjudged warm-up rounds (default: 1)\n"
	"  --all-checks        keep measuring open scenarios after a check has failed\n"
	"                      (default: a fail settles the verdict; the other\n"
	"                      scenarios keep their first rounds)\n"
	"  --only NAME=VALUE   run only scenarios with this parameter value; repeat for\n"
	"                      several values; a value the suite does not list is used too\n"
	"  --cache DIR         prepared environments (default: $SPIN_GATE_CACHE, else\n"
	"                      $XDG_CACHE_HOME/spin-gate, else ~/.cache/spin-gate)\n"
	"  --name NAME         the gate's name in the verdict's marker (default: spin-gate)\n"
	"  --hyperfine PATH    the hyperfine program (default: hyperfine in PATH)\n"
	"  --post              post the verdict to the pull request at the end, as\n"
	"                      'spin-gate post' does (see 'spin-gate post --help')\n"
	"  --comment MODE      with --post: sticky (default), new or off\n"
	"  --token-env NAME    with --post: the variable holding the token\n"
	"                      (default: GITHUB_TOKEN)\n"
	"  --quiet             no progress lines\n"
	"\n"
	"exit status: 0 pass, 1 a check failed, 2 usage or configuration error,\n"
	"3 inconclusive, 4 a revision or scenario could not be prepared or run,\n"
	"5 (with --post, when the verdict passed) posting failed,\n"
	"130/143 interrupted by SIGINT/SIGTERM (what was measured is written,\n"
	"marked incomplete)\n";

enum {
	OPT_BASE = 256,
	OPT_HEAD,
	OPT_REPO,
	OPT_SUITE,
	OPT_THRESHOLDS,
	OPT_OUT,
	OPT_RUNS,
	OPT_MAX_RUNS,
	OPT_WARMUP,
	OPT_ALL_CHECKS,
	OPT_ONLY,
	OPT_CACHE,
	OPT_NAME,
	OPT_HYPERFINE,
	OPT_QUIET,
	OPT_POST,
	OPT_COMMENT,
	OPT_TOKEN_ENV,
	OPT_HELP,
};

static const struct option run_options[] = {
	{ "base", required_argument, NULL, OPT_BASE },
	{ "head", required_argument, NULL, OPT_HEAD },
	{ "repo", required_argument, NULL, OPT_REPO },
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "thresholds", required_argument, NULL, OPT_THRESHOLDS },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "max-runs", required_argument, NULL, OPT_MAX_RUNS },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "all-checks", no_argument, NULL, OPT_ALL_CHECKS },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "hyperfine", required_argument, NULL, OPT_HYPERFINE },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "post", no_argument, NULL, OPT_POST },
	{ "comment", required_argument, NULL, OPT_COMMENT },
	{ "token-env", required_argument, NULL, OPT_TOKEN_ENV },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct run_args {
	const char *base, *head, *repo, *suite, *thresholds, *out, *cache, *name, *hyperfine;
	int runs, max_runs, warmup, quiet, post, all_checks;
	struct post_opts post_opts;
	struct plan_filter filters[64];
	char *filter_storage[64];
	size_t nfilters;
};

static int parse_count(const char *opt, const char *arg, int min, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > 100000)
		return error("%s: '%s' is not a whole number >= %d", opt, arg, min);
	*out = (int)v;
	return 0;
}

static int parse_args(struct run_args *a, int argc, char **argv)
{
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", run_options, NULL)) != -1) {
		switch (c) {
		case OPT_BASE: a->base = optarg; break;
		case OPT_HEAD: a->head = optarg; break;
		case OPT_REPO: a->repo = optarg; break;
		case OPT_SUITE: a->suite = optarg; break;
		case OPT_THRESHOLDS: a->thresholds = optarg; break;
		case OPT_OUT: a->out = optarg; break;
		case OPT_CACHE: a->cache = optarg; break;
		case OPT_NAME: a->name = optarg; break;
		case OPT_HYPERFINE: a->hyperfine = optarg; break;
		case OPT_QUIET: a->quiet = 1; break;
		case OPT_ALL_CHECKS: a->all_checks = 1; break;
		case OPT_POST: a->post = 1; break;
		case OPT_TOKEN_ENV: a->post_opts.token_env = optarg; break;
		case OPT_COMMENT:
			if (post_parse_mode(optarg, &a->post_opts.comment) < 0)
				return error("--comment: '%s' is not sticky, new or off", optarg);
			break;
		case OPT_RUNS:
			if (parse_count("--runs", optarg, 2, &a->runs) < 0)
				return -1;
			break;
		case OPT_MAX_RUNS:
			if (parse_count("--max-runs", optarg, 2, &a->max_runs) < 0)
				return -1;
			break;
		case OPT_WARMUP:
			if (parse_count("--warmup", optarg, 0, &a->warmup) < 0)
				return -1;
			break;
		case OPT_ONLY:
			if (a->nfilters == 64)
				return error("--only: at most 64 filters");
			if (plan_filter_parse(optarg, &a->filters[a->nfilters],
					      &a->filter_storage[a->nfilters]) < 0)
				return -1;
			a->nfilters++;
			break;
		case OPT_HELP: fputs(run_usage, stdout); return 1;
		case ':': return error("run: option '%s' needs a value", argv[optind - 1]);
		default: return error("run: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return error("run: unexpected argument '%s'", argv[optind]);
	if (!a->base || !a->head)
		return error("run: --base and --head are required (see 'spin-gate run --help')");
	return 0;
}

static void collect_env(struct env_info *e, int ncpu, const char *hyperfine_version)
{
	struct utsname u;
	char host[256];

	e->cores = ncpu;
	if (uname(&u) == 0)
		e->kernel = xstrfmt("%s %s %s", u.sysname, u.release, u.machine);
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		e->host = xstrdup(host);
	}
	e->hyperfine = hyperfine_version ? xstrdup(hyperfine_version) : NULL;
}

/* Say when other work disturbed the runs (and only then). */
static void warn_if_busy(const struct results *r)
{
	struct judge_contention c;

	judge_contention_summary(r, &c);
	if (!judge_contention_busy(&c))
		return;
	warning("the runner was busy during the runs: other work took a median %.0f%% of the "
		"machine during base's runs and %.0f%% during head's (at most %.0f%%); %zu of %zu "
		"round(s) had head under more contention than base and do not decide a fail",
		100 * c.median[SIDE_BASE], 100 * c.median[SIDE_HEAD],
		100 * fmax(c.max[SIDE_BASE], c.max[SIDE_HEAD]), c.set_aside, c.rounds);
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

int cmd_run(int argc, char **argv)
{
	struct run_args a;
	struct thresholds t = { 0 };
	struct suite s;
	struct results r, all;
	struct revision rv[SIDE_COUNT];
	struct measure_opts mo = { 0 };
	struct render_opts ro = { 0 };
	struct judgement j = { 0 };
	struct revision_opts ropts = { 0 };
	struct sysload load;
	struct sysload_mark load0, load1;
	struct cost_mark cost, cost_probe;
	char *logs = NULL, *tmp = NULL, *results_path = NULL, *cache = NULL, *setup_log = NULL;
	char *hf_version = NULL, ncpu_s[16];
	int ncpu, ret = EXIT_USAGE, k, measured, sig;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.post_opts = (struct post_opts)POST_OPTS_INIT;
	memset(&s, 0, sizeof(s));
	memset(rv, 0, sizeof(rv));
	results_init(&r);
	results_init(&all);
	sysload_init(&load);
	a.suite = "scenarios/bytewax";
	a.thresholds = "thresholds.json";
	a.out = "out";
	a.warmup = 1;
	switch (parse_args(&a, argc, argv)) {
	case 1: ret = EXIT_PASS; goto out;
	case -1: goto out;
	}
	if (thresholds_load(&t, a.thresholds) < 0 || suite_load(&s, a.suite) < 0)
		goto out;
	if (!a.runs)
		a.runs = t.runs;
	if (!a.max_runs)
		a.max_runs = t.max_runs > a.runs ? t.max_runs : a.runs;
	if (a.max_runs < a.runs) {
		error("run: --max-runs %d is less than --runs %d", a.max_runs, a.runs);
		goto out;
	}
	ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	snprintf(ncpu_s, sizeof(ncpu_s), "%d", ncpu);
	if (plan_matrix(&all, &s, NULL, 0, ncpu) < 0 ||
	    thresholds_check_matrix(&t, &all, s.name) < 0 || plan_check(&s, &all, ncpu_s) < 0 ||
	    plan_matrix(&r, &s, a.filters, a.nfilters, ncpu) < 0)
		goto out;

	ret = EXIT_RUN_ERROR;
	logs = xstrfmt("%s/logs", a.out);
	tmp = xstrfmt("%s/.tmp", a.out);
	if (fs_mkdir_p(logs) < 0 || fs_mkdir_p(tmp) < 0)
		goto out;
	results_path = report_path(a.out, "results.json");
	proc_signals_install();
	hf_version = hyperfine_version(a.hyperfine);
	if (!hf_version) {
		error("cannot run '%s': install hyperfine (Debian: apt-get install hyperfine)",
		      a.hyperfine ? a.hyperfine : "hyperfine");
		goto out;
	}

	r.started = results_now();
	r.suite_name = xstrdup(s.name);
	r.suite_path = xstrdup(s.path);
	r.settings.runs = a.runs;
	r.settings.max_runs = a.max_runs;
	r.settings.warmup = a.warmup;
	r.settings.confidence = t.confidence;
	r.settings.all_checks = a.all_checks;
	collect_env(&r.env, ncpu, hf_version);
	for (k = 0; k < SIDE_COUNT; k++)
		r.rev[k].spec = xstrdup(k == SIDE_BASE ? a.base : a.head);
	if (results_write(&r, NULL, results_path) < 0)
		goto out;

	cache = a.cache ? xstrdup(a.cache) : revision_default_cache();
	setup_log = xstrfmt("%s/setup.log", logs);
	ropts.repo = a.repo;
	ropts.cache = cache;
	ropts.log_path = setup_log;
	ropts.ncpu = ncpu_s;
	for (k = 0; k < SIDE_COUNT; k++) {
		if (revision_prepare(&rv[k], k == SIDE_BASE ? a.base : a.head, &s, &ropts) < 0)
			goto interrupted_or_out;
		free(r.rev[k].spec);
		r.rev[k].spec = NULL;
		revision_to_info(&rv[k], &r.rev[k]);
	}
	note("measuring %zu scenario(s) of suite '%s': %s (%s) vs %s (%s), %d round(s), up to %d",
	     r.nscen, s.name, a.base, rv[SIDE_BASE].resolved, a.head, rv[SIDE_HEAD].resolved,
	     a.runs, a.max_runs);

	cost_mark(&cost);
	noise_probe(&r.env);
	cost_mark(&cost_probe);
	note("noise probe: a fixed CPU loop varies by %.1f%%, a 10 ms sleep by %.1f%%",
	     100 * r.env.noise_cpu, 100 * r.env.noise_sleep);
	sysload_mark(&load, &load0);

	mo.runs = a.runs;
	mo.max_runs = a.max_runs;
	mo.warmup = a.warmup;
	mo.state = scenario_state;
	mo.ctx = &t;
	mo.all_checks = a.all_checks;
	mo.results_path = results_path;
	mo.logs_dir = logs;
	mo.tmpdir = tmp;
	mo.hyperfine = a.hyperfine;
	mo.ncpu = ncpu;
	mo.quiet = a.quiet;
	measured = measure_run(&r, &s, rv, &mo);
	if (measured < 0)
		goto out;
	cost_finish(&cost, &cost_probe, &r);
	sysload_mark(&load, &load1);
	r.env.steal = sysload_steal_percent(&load0, &load1);
	r.complete = measured == 0;
	free(r.finished);
	r.finished = results_now();

	ro.name = a.name;
	if (report_write(&r, &t, a.out, &ro, &j) < 0)
		goto out;
	note("wrote %s/results.json and %s/verdict.md", a.out, a.out);
	warn_if_busy(&r);
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
	if ((sig = proc_interrupted())) {
		r.stopped_by = xstrdup(proc_signal_name(sig));
		results_write(&r, NULL, results_path);
		ret = 128 + sig;
	}
out:
	if (tmp)
		rmdir(tmp);
	judgement_release(&j);
	for (k = 0; k < SIDE_COUNT; k++)
		revision_release(&rv[k]);
	results_release(&r);
	results_release(&all);
	suite_release(&s);
	thresholds_release(&t);
	sysload_release(&load);
	for (i = 0; i < a.nfilters; i++)
		free(a.filter_storage[i]);
	free(logs);
	free(tmp);
	free(results_path);
	free(cache);
	free(setup_log);
	free(hf_version);
	return ret;
}
