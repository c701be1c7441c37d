/*
 * spin-gate compare: run with n revisions. Prepare each once, measure them
 * all interleaved in the same rounds (measure_run_revs()), judge each
 * against the first with the same judge and thresholds, and write one
 * results.json (+ verdict.md, report.html) per pair, OUT/K-REV/, which
 * `spin-gate judge` judges again, plus OUT/compare.md and the terminal
 * tables (render_compare.h), one per scenario.
 */
#include "cmd.h"
#include "config.h"
#include "cost.h"
#include "fsutil.h"
#include "hyperfine.h"
#include "json.h"
#include "judge.h"
#include "measure.h"
#include "msg.h"
#include "noise.h"
#include "opt.h"
#include "plan.h"
#include "proc.h"
#include "render_compare.h"
#include "report.h"
#include "results.h"
#include "revision.h"
#include "runenv.h"
#include "suite.h"
#include "sysload.h"
#include "thresholds.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_REVS    MEASURE_MAX_REVS
#define MAX_FILTERS 64

static const struct opt_cmd compare_cmd = {
	.name = "compare",
	.synopsis = "spin-gate compare REV1 REV2 [REV3 ...] [options]",
	.description =
		"Measure every scenario of a suite for 2 to 8 revisions in the same rounds\n"
		"(every revision of a scenario back to back, the first one rotating), judge\n"
		"each revision against REV1 with the checks of a thresholds file, and write\n"
		"OUT/K-REV/results.json, verdict.md and report.html for each pair (REV1 vs\n"
		"REVK) and OUT/compare.md: one table per scenario, a row per revision.\n"
		"A scenario gets more rounds while a check of any pair is inconclusive;\n"
		"a failed check does not stop the other pairs.\n",
	.footer = "exit status: 0 compared (whatever the pairs' verdicts: the tables say\n"
		  "them), 2 usage or configuration error (fewer than 2 or more than 8\n"
		  "revisions, a revision given twice or resolving to the same as another),\n"
		  "4 a revision or scenario could not be prepared or run,\n"
		  "130/143 interrupted by SIGINT/SIGTERM (what was measured is written,\n"
		  "marked incomplete)\n",
};

struct compare_args {
	const char *repo, *suite, *thresholds, *out, *cache, *name, *hyperfine;
	long runs, max_runs, warmup;
	int quiet, rebuild;
	const char *revs[MAX_REVS];
	size_t nrevs;
	struct plan_filter filters[MAX_FILTERS];
	char *filter_storage[MAX_FILTERS];
	size_t nfilters;
};

static int parse_only(const struct opt *o, const char *arg)
{
	struct compare_args *a = o->value;

	if (a->nfilters == MAX_FILTERS)
		return error("--only: at most %d filters", MAX_FILTERS);
	if (plan_filter_parse(arg, &a->filters[a->nfilters], &a->filter_storage[a->nfilters]) < 0)
		return -1;
	a->nfilters++;
	return 0;
}

/* 0, 1 after --help, or -1 after a usage error. */
static int parse_args(struct compare_args *a, int argc, char **argv)
{
	const struct opt opts[] = {
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
			   "where compare.md, the pairs' directories and logs go\n"
			   "(default: out)"),
		OPT_LONG("runs", 0, &a->runs, "N", 2, RESULTS_MAX_ROUNDS,
			 "rounds before judging (default: thresholds' runs)"),
		OPT_LONG("max-runs", 0, &a->max_runs, "N", 2, RESULTS_MAX_ROUNDS,
			 "most rounds for a scenario whose checks stay inconclusive\n"
			 "in any pair (default: thresholds' max_runs)"),
		OPT_LONG("warmup", 0, &a->warmup, "N", 0, RESULTS_MAX_SAMPLES - RESULTS_MAX_ROUNDS,
			 "unjudged warm-up rounds (default: 1)"),
		OPT_CALLBACK("only", 0, a, "NAME=VALUE", parse_only,
			     "run only scenarios with this parameter value; repeat for\n"
			     "several values"),
		OPT_STRING("cache", 0, &a->cache, "DIR",
			   "prepared environments (default: as for run)"),
		OPT_FLAG("rebuild", 0, &a->rebuild, "prepare every revision's environment again"),
		OPT_STRING("name", 0, &a->name, "NAME",
			   "the gate's name in the pairs' verdicts (default: spin-gate)"),
		OPT_STRING("hyperfine", 0, &a->hyperfine, "PATH",
			   "the hyperfine program (default: hyperfine in PATH)"),
		OPT_FLAG("quiet", 0, &a->quiet, "no progress lines"),
		OPT_END(),
	};
	int n = opt_parse(&compare_cmd, opts, argc, argv), i, k;

	if (n == OPT_HELP)
		return 1;
	if (n < 0)
		return -1;
	if (n < 2)
		return opt_error(&compare_cmd, "give at least 2 revisions to compare (%d given)",
				 n);
	if (n > MAX_REVS)
		return opt_error(&compare_cmd, "at most %d revisions (%d given)", MAX_REVS, n);
	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			if (!strcmp(argv[i], argv[k]))
				return opt_error(&compare_cmd, "revision '%s' is given twice",
						 argv[i]);
		a->revs[a->nrevs++] = argv[i];
	}
	return 0;
}

/* OUT/K-REV: the revision with what is not [A-Za-z0-9._-] as '_', cut to
 * 64 bytes, after its 1-based index (so two revisions never share one). */
static char *pair_dir(const char *out, size_t k, const char *spec)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addf(&b, "%s/%zu-", out, k + 1);
	for (i = 0; i < 64 && spec[i]; i++) {
		unsigned char c = (unsigned char)spec[i];

		buf_addch(&b, isalnum(c) || c == '.' || c == '_' || c == '-' ? (char)c : '_');
	}
	return buf_detach(&b);
}

/*
 * An earlier compare over OUT: its compare.md, pair directories (K-...) and
 * scenario logs move to OUT/previous/ (replacing an older previous), as
 * run's results do, so nothing measured is lost.
 */
static int keep_previous(const char *out)
{
	char *md = xstrfmt("%s/compare.md", out), *prev = xstrfmt("%s/previous", out);
	char *logs = xstrfmt("%s/logs", out), *from = NULL, *to = NULL;
	const char *dirs[2] = { out, logs };
	struct dirent *e;
	DIR *d = NULL;
	int ret = -1;
	size_t k;

	if (!fs_exists(md)) {
		ret = 0;
		goto out;
	}
	if (fs_rm_rf(prev) < 0 || fs_mkdir_p(prev) < 0)
		goto out;
	for (k = 0; k < 2; k++) {
		if (!(d = opendir(dirs[k])))
			continue;
		while ((e = readdir(d))) {
			const char *s = e->d_name;
			int take = k ? !strncmp(s, "scenario-", 9)
				     : !strcmp(s, "compare.md") ||
						   (isdigit((unsigned char)s[0]) && strchr(s, '-'));

			if (!take)
				continue;
			free(from);
			free(to);
			from = xstrfmt("%s/%s", dirs[k], s);
			to = xstrfmt("%s/%s%s", prev, k ? "logs-" : "", s);
			if (rename(from, to) < 0) {
				error_errno("cannot move '%s' to '%s'", from, to);
				goto out;
			}
		}
		closedir(d);
		d = NULL;
	}
	note("an earlier compare's compare.md, results and logs are in %s", prev);
	ret = 0;
out:
	if (d)
		closedir(d);
	free(md);
	free(prev);
	free(logs);
	free(from);
	free(to);
	return ret;
}

/* measure_opts.state: the judge's view of one scenario of one pair. */
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

/* The gate's cost over the whole compare, in every pair: cost_finish()
 * counts pair 1's runs (revision 1 and 2); the other heads' runs are
 * added, so runs and the overhead beyond them cover every run once. */
static void finish_cost(const struct cost_mark *m, const struct cost_mark *probe,
			struct results *pairs, size_t npairs)
{
	struct overhead *o = &pairs[0].env.overhead;
	size_t p, i, k;

	cost_finish(m, probe, &pairs[0]);
	for (p = 1; p < npairs; p++)
		for (i = 0; i < pairs[p].nscen; i++)
			for (k = 0; k < pairs[p].scen[i].samples[SIDE_HEAD].n; k++) {
				const struct sample *x = &pairs[p].scen[i].samples[SIDE_HEAD].v[k];

				if (!isnan(x->user) && !isnan(x->sys)) {
					o->runs_cpu += x->user + x->sys;
					o->tools_cpu -= x->user + x->sys;
				}
				if (!isnan(x->wall)) {
					o->runs_wall += x->wall;
					o->extra_wall -= x->wall;
				}
			}
	for (p = 1; p < npairs; p++)
		pairs[p].env.overhead = *o;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a;
	struct config cfg;
	const struct suite *s = &cfg.suite;
	const struct thresholds *t = &cfg.thresholds;
	struct results pairs[MAX_REVS - 1];
	struct judgement j[MAX_REVS - 1];
	struct revision rv[MAX_REVS];
	char *dirs[MAX_REVS - 1] = { 0 }, *paths[MAX_REVS - 1] = { 0 };
	char tagbuf[MAX_REVS][24];
	const char *tags[MAX_REVS];
	struct measure_opts mo = { 0 };
	struct render_opts ro = { 0 };
	struct revision_opts ropts = { 0 };
	struct compare_view view;
	struct sysload load;
	struct sysload_mark load0, load1;
	struct cost_mark cost, cost_probe;
	struct buf md = BUF_INIT;
	char *logs = NULL, *tmp = NULL, *cache = NULL, *setup_log = NULL, *hf_version = NULL;
	char *md_path = NULL;
	const char **unset = NULL;
	size_t i, k, p, npairs = 0;
	int ret = EXIT_USAGE, measured, sig, errored = 0;

	memset(&a, 0, sizeof(a));
	memset(&cfg, 0, sizeof(cfg));
	results_init(&cfg.matrix);
	memset(rv, 0, sizeof(rv));
	memset(j, 0, sizeof(j));
	for (p = 0; p + 1 < MAX_REVS; p++)
		results_init(&pairs[p]);
	sysload_init(&load);
	a.out = "out";
	a.warmup = 1;
	switch (parse_args(&a, argc, argv)) {
	case 1: ret = EXIT_PASS; goto out;
	case -1: goto out;
	}
	npairs = a.nrevs - 1;
	cache = a.cache ? xstrdup(a.cache) : revision_default_cache();
	if (runenv_check_dirs(&compare_cmd, a.out, cache, a.cache != NULL) < 0)
		goto out;
	if (config_load(&cfg, a.suite, a.thresholds) < 0)
		goto out;
	if (!a.runs)
		a.runs = t->runs;
	if (!a.max_runs)
		a.max_runs = t->max_runs > a.runs ? t->max_runs : a.runs;
	if (a.max_runs < a.runs) {
		error("compare: --max-runs %ld is less than --runs %ld", a.max_runs, a.runs);
		goto out;
	}
	for (p = 0; p < npairs; p++)
		if (plan_matrix(&pairs[p], s, a.filters, a.nfilters, cfg.ncpu) < 0)
			goto out;

	ret = EXIT_RUN_ERROR;
	switch (runenv_start(a.out, a.hyperfine, &logs, &tmp, &hf_version)) {
	case 0: break;
	case RUNENV_UNSUPPORTED: ret = EXIT_USAGE; goto out;
	default: goto out;
	}

	setup_log = xstrfmt("%s/setup.log", logs);
	ropts.repo = a.repo;
	ropts.cache = cache;
	ropts.log_path = setup_log;
	ropts.ncpu = cfg.ncpu_s;
	ropts.rebuild = a.rebuild;
	unset = runenv_withheld(NULL, s);
	ropts.unset = unset;
	/* every revision resolved, and told apart, before any is prepared */
	if (revision_resolve_all(rv, a.revs, a.nrevs, s, &ropts) < 0) {
		if ((sig = proc_interrupted()))
			ret = 128 + sig;
		goto out;
	}
	for (k = 0; k < a.nrevs; k++)
		for (i = 0; i < k; i++) {
			if (strcmp(rv[i].kind, rv[k].kind) ||
			    strcmp(rv[i].resolved, rv[k].resolved))
				continue;
			error("compare: '%s' and '%s' are the same revision (%s): compare "
			      "different ones",
			      a.revs[i], a.revs[k], rv[k].resolved);
			ret = EXIT_USAGE;
			goto out;
		}
	for (k = 0; k < a.nrevs; k++)
		if (revision_prepare(&rv[k], s, &ropts) < 0) {
			if ((sig = proc_interrupted()))
				ret = 128 + sig;
			goto out;
		}

	if (keep_previous(a.out) < 0)
		goto out;
	for (p = 0; p < npairs; p++) {
		struct results *r = &pairs[p];

		dirs[p] = pair_dir(a.out, p + 1, a.revs[p + 1]);
		paths[p] = report_path(dirs[p], "results.json");
		if (fs_mkdir_p(dirs[p]) < 0)
			goto out;
		r->started = results_now();
		r->suite_name = xstrdup(s->name);
		r->suite_path = xstrdup(s->path);
		r->settings.runs = (int)a.runs;
		r->settings.max_runs = (int)a.max_runs;
		r->settings.warmup = (int)a.warmup;
		r->settings.confidence = t->confidence;
		/* exploratory: a fail in one pair does not stop the others */
		r->settings.all_checks = 1;
		runenv_collect(&r->env, cfg.ncpu, hf_version);
		revision_to_info(&rv[0], &r->rev[SIDE_BASE]);
		revision_to_info(&rv[p + 1], &r->rev[SIDE_HEAD]);
		if (results_write(r, NULL, paths[p]) < 0)
			goto out;
	}
	note("comparing %zu revisions on %zu scenario(s) of suite '%s', %ld round(s), up to %ld",
	     a.nrevs, pairs[0].nscen, s->name, a.runs, a.max_runs);
	for (k = 0; k < a.nrevs; k++) {
		snprintf(tagbuf[k], sizeof(tagbuf[k]), "r%zu", k + 1);
		tags[k] = tagbuf[k];
		note("  #%zu %s (%s)%s", k + 1, a.revs[k], rv[k].resolved,
		     k ? "" : ", the reference");
	}

	cost_mark(&cost);
	noise_probe(&pairs[0].env);
	cost_mark(&cost_probe);
	for (p = 1; p < npairs; p++) {
		pairs[p].env.noise_cpu = pairs[0].env.noise_cpu;
		pairs[p].env.noise_sleep = pairs[0].env.noise_sleep;
	}
	sysload_mark(&load, &load0);

	mo.runs = (int)a.runs;
	mo.max_runs = (int)a.max_runs;
	mo.warmup = (int)a.warmup;
	mo.state = scenario_state;
	mo.ctx = &cfg.thresholds;
	mo.all_checks = 1;
	mo.logs_dir = logs;
	mo.tmpdir = tmp;
	mo.hyperfine = a.hyperfine;
	mo.ncpu = cfg.ncpu;
	mo.quiet = a.quiet;
	mo.progress = measure_progress_mode(stderr);
	mo.unset = unset;
	{
		const struct measure_revs m = {
			.n = a.nrevs,
			.rv = rv,
			.labels = a.revs,
			.tags = tags,
			.pairs = pairs,
			.paths = (const char *const *)paths,
		};

		measured = measure_run_revs(&m, s, &mo);
	}
	if (measured < 0)
		goto out;
	finish_cost(&cost, &cost_probe, pairs, npairs);
	sysload_mark(&load, &load1);
	ro.name = a.name;
	for (p = 0; p < npairs; p++) {
		pairs[p].env.steal = sysload_steal_percent(&load0, &load1);
		pairs[p].complete = measured == 0;
		free(pairs[p].finished);
		pairs[p].finished = results_now();
		if (report_write_files(&pairs[p], t, dirs[p], &ro, &j[p]) < 0)
			goto out;
		errored |= j[p].verdict == STATUS_ERROR;
	}

	view.n = a.nrevs;
	view.specs = a.revs;
	view.pairs = pairs;
	view.j = j;
	view.t = t;
	view.dirs = (const char *const *)dirs;
	render_compare_md(&md, &view);
	md_path = report_path(a.out, "compare.md");
	if (file_write_atomic(md_path, md.s, md.len, WRITE_DURABLE) < 0)
		goto out;
	render_compare_term(stdout, &view);
	note("wrote %s and each pair's results.json, verdict.md and report.html in %s/K-REV/",
	     md_path, a.out);
	for (i = 0; i < pairs[0].nscen; i++)
		for (p = 0; p < npairs; p++)
			if (pairs[p].scen[i].error &&
			    (p == 0 || !pairs[0].scen[i].error ||
			     strcmp(pairs[p].scen[i].error, pairs[0].scen[i].error)))
				warning("scenario %s: %s", pairs[p].scen[i].name,
					pairs[p].scen[i].error);
	if (measured) {
		sig = proc_interrupted();
		error("interrupted by %s: results so far are in %s/K-REV/results.json (marked "
		      "incomplete)",
		      pairs[0].stopped_by ? pairs[0].stopped_by : "a signal", a.out);
		ret = 128 + (sig ? sig : SIGINT);
		goto out;
	}
	ret = errored ? EXIT_RUN_ERROR : EXIT_PASS;
out:
	if (tmp)
		rmdir(tmp);
	for (p = 0; p + 1 < MAX_REVS; p++) {
		judgement_release(&j[p]);
		results_release(&pairs[p]);
		free(dirs[p]);
		free(paths[p]);
	}
	for (k = 0; k < MAX_REVS; k++)
		revision_release(&rv[k]);
	config_release(&cfg);
	sysload_release(&load);
	for (i = 0; i < a.nfilters; i++)
		free(a.filter_storage[i]);
	buf_release(&md);
	free(md_path);
	free(logs);
	free(tmp);
	free(cache);
	free(setup_log);
	free(hf_version);
	free(unset);
	return ret;
}
