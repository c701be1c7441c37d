/*
 * spin-gate compare: run with n revisions. Prepare each once, measure them
 * all interleaved in the same rounds (measure_run_revs()), judge each
 * against the first with the same judge and thresholds, and write one
 * results.json (+ verdict.md, report.html) per pair, OUT/K-REV/, which
 * `spin-gate judge` judges again, plus OUT/compare.md and the terminal
 * tables (render_compare.h), one per scenario.
 */
#include "cmd.h"
#include "history_src.h"
#include "cost.h"
#include "fsutil.h"
#include "gate.h"
#include "json.h"
#include "judge.h"
#include "measure.h"
#include "msg.h"
#include "plan.h"
#include "render_compare.h"
#include "report.h"
#include "results.h"
#include "revision.h"
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

#define MAX_REVS MEASURE_MAX_REVS

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
	struct gate g; /* the session, its options (GATE_OPTIONS) among them */
	const char *revs[MAX_REVS];
	size_t nrevs;
	struct history_src hist; /* --history: the comment's line per idle scenario */
};

/* 0, 1 after --help, or -1 after a usage error. */
static int parse_args(struct compare_args *a, int argc, char **argv)
{
	const struct opt opts[] = {
		GATE_OPTIONS(&a->g.a, "where compare.md, the pairs' directories and logs go\n"
				      "(default: out)"),
		OPT_HISTORY_SOURCE(&a->hist),
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

/* What an earlier compare left in OUT that a new one moves to OUT/previous/:
 * compare.md and the pairs' directories (K-REV). */
static int compare_output(const char *name)
{
	return !strcmp(name, "compare.md") ||
	       (isdigit((unsigned char)name[0]) && strchr(name, '-'));
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

/* Each pair's directory, OUT/K-REV, and its results.json begun: the
 * header, the two revisions. 0, or -1 after error(). */
static int open_pairs(struct gate *g, const struct compare_args *a, struct results *pairs,
		      char **dirs, char **paths)
{
	size_t p;

	for (p = 0; p + 1 < a->nrevs; p++) {
		struct results *r = &pairs[p];

		dirs[p] = pair_dir(g->a.out, p + 1, a->revs[p + 1]);
		paths[p] = report_path(dirs[p], "results.json");
		/* exploratory: a fail in one pair does not stop the others */
		if (fs_mkdir_p(dirs[p]) < 0 || gate_header(g, r, 1))
			return -1;
		revision_to_info(&g->rv[0], &r->rev[SIDE_BASE]);
		revision_to_info(&g->rv[p + 1], &r->rev[SIDE_HEAD]);
		if (results_write(r, NULL, paths[p]) < 0)
			return -1;
	}
	return 0;
}

/* OUT/compare.md and the terminal's tables, and a warning per scenario
 * error (once when every pair has the same). 0, or -1 after error(). */
static int write_compare(const struct gate *g, const struct compare_args *a,
			 const struct results *pairs, const struct judgement *j, char **dirs)
{
	struct compare_view view;
	struct buf md = BUF_INIT;
	char *md_path = report_path(g->a.out, "compare.md");
	size_t i, p;
	int ret = -1;

	view.n = a->nrevs;
	view.specs = a->revs;
	view.pairs = pairs;
	view.j = j;
	view.t = &g->cfg.thresholds;
	view.dirs = (const char *const *)dirs;
	render_compare_md(&md, &view);
	if (file_write_atomic(md_path, md.s, md.len, WRITE_DURABLE) < 0)
		goto out;
	render_compare_term(stdout, &view);
	note("wrote %s and each pair's results.json, verdict.md and report.html in %s/K-REV/",
	     md_path, g->a.out);
	for (i = 0; i < pairs[0].nscen; i++)
		for (p = 0; p + 1 < a->nrevs; p++)
			if (pairs[p].scen[i].error &&
			    (p == 0 || !pairs[0].scen[i].error ||
			     strcmp(pairs[p].scen[i].error, pairs[0].scen[i].error)))
				warning("scenario %s: %s", pairs[p].scen[i].name,
					pairs[p].scen[i].error);
	ret = 0;
out:
	buf_release(&md);
	free(md_path);
	return ret;
}

/* Every revision in the same rounds (measure_run_revs()), bracketed by the
 * session's marks: 0 all ran, 1 interrupted, -1 after error(). */
static int measure_all(struct gate *g, const struct compare_args *a, struct results *pairs,
		       char **paths)
{
	char tagbuf[MAX_REVS][24];
	const char *tags[MAX_REVS];
	size_t k, p, npairs = a->nrevs - 1;
	struct measure_revs m = {
		.n = a->nrevs,
		.rv = g->rv,
		.labels = a->revs,
		.tags = tags,
		.pairs = pairs,
		.paths = (const char *const *)paths,
	};
	int measured;

	note("comparing %zu revisions on %zu scenario(s) of suite '%s', %ld round(s), up to %ld",
	     a->nrevs, pairs[0].nscen, g->cfg.suite.name, g->a.runs, g->a.max_runs);
	for (k = 0; k < a->nrevs; k++) {
		snprintf(tagbuf[k], sizeof(tagbuf[k]), "r%zu", k + 1);
		tags[k] = tagbuf[k];
		note("  #%zu %s (%s)%s", k + 1, a->revs[k], g->rv[k].resolved,
		     k ? "" : ", the reference");
	}
	gate_measure_begin(g, &pairs[0].env);
	for (p = 1; p < npairs; p++) {
		pairs[p].env.noise_cpu = pairs[0].env.noise_cpu;
		pairs[p].env.noise_sleep = pairs[0].env.noise_sleep;
	}
	measured = measure_run_revs(&m, &g->cfg.suite, gate_measure_opts(g, NULL, 1));
	if (measured < 0)
		return -1;
	finish_cost(&g->cost, &g->cost_probe, pairs, npairs);
	gate_measure_end(g, &pairs[0].env);
	for (p = 1; p < npairs; p++)
		pairs[p].env.steal = pairs[0].env.steal;
	return measured;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a;
	struct gate *g = &a.g;
	const struct gate_args *ga = &g->a;
	const struct suite *s = &g->cfg.suite;
	const struct thresholds *t = &g->cfg.thresholds;
	struct results pairs[MAX_REVS - 1];
	struct judgement j[MAX_REVS - 1];
	char *dirs[MAX_REVS - 1] = { 0 }, *paths[MAX_REVS - 1] = { 0 };
	struct render_opts ro = { 0 };
	size_t p, npairs = 0;
	int ret = EXIT_USAGE, measured, errored = 0, rc;

	memset(&a, 0, sizeof(a));
	gate_init(g, &compare_cmd);
	memset(j, 0, sizeof(j));
	for (p = 0; p + 1 < MAX_REVS; p++)
		results_init(&pairs[p]);
	switch (parse_args(&a, argc, argv)) {
	case 1: ret = EXIT_PASS; goto out;
	case -1: goto out;
	}
	npairs = a.nrevs - 1;
	if ((ret = gate_configure(g)))
		goto out;
	ret = EXIT_USAGE;
	for (p = 0; p < npairs; p++)
		if (plan_matrix(&pairs[p], s, ga->filters, ga->nfilters, g->cfg.ncpu) < 0)
			goto out;
	if ((ret = gate_start(g)))
		goto out;
	/* every revision resolved, and told apart, before any is prepared */
	if ((ret = gate_prepare(g, a.revs, a.nrevs, NULL, 1)))
		goto out;

	ret = EXIT_RUN_ERROR;
	if (gate_keep_previous(ga->out, compare_output, "compare") < 0)
		goto out;
	if (open_pairs(g, &a, pairs, dirs, paths) < 0)
		goto out;
	measured = measure_all(g, &a, pairs, paths);
	if (measured < 0)
		goto out;
	ro.name = ga->name;
	a.hist.repo = ga->repo;
	a.hist.cache = g->cache;
	for (p = 0; p < npairs; p++) {
		char *hist_md;

		pairs[p].complete = measured == 0;
		free(pairs[p].finished);
		pairs[p].finished = results_now();
		ro.history = hist_md = history_src_head(&a.hist, &pairs[p]);
		rc = report_write_files(&pairs[p], t, dirs[p], &ro, &j[p]);
		free(hist_md);
		if (rc < 0)
			goto out;
		errored |= j[p].verdict == STATUS_ERROR;
	}

	if (write_compare(g, &a, pairs, j, dirs) < 0)
		goto out;
	if (measured) {
		error("interrupted by %s: results so far are in %s/K-REV/results.json (marked "
		      "incomplete)",
		      pairs[0].stopped_by ? pairs[0].stopped_by : "a signal", ga->out);
		ret = gate_interrupted();
		goto out;
	}
	ret = errored ? EXIT_RUN_ERROR : EXIT_PASS;
out:
	for (p = 0; p + 1 < MAX_REVS; p++) {
		judgement_release(&j[p]);
		results_release(&pairs[p]);
		free(dirs[p]);
		free(paths[p]);
	}
	history_src_release(&a.hist);
	gate_release(g);
	return ret;
}
