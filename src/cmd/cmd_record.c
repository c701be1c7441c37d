/*
 * spin-gate record: measure one revision on the suite, write its record,
 * and add the record to a history (docs/history.md).
 */
#include "cmd.h"
#include "cost.h"
#include "fsutil.h"
#include "gate.h"
#include "measure.h"
#include "msg.h"
#include "plan.h"
#include "proc.h"
#include "record.h"
#include "record_build.h"
#include "render_export.h"
#include "report.h"
#include "results.h"
#include "revision.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct opt_cmd record_cmd = {
	.name = "record",
	.synopsis = "spin-gate record --rev REV [--history DIR | --branch NAME [--remote NAME]]\n"
		    "                        [options]\n"
		    "       spin-gate record --add FILE [--history DIR | --branch NAME ...]",
	.description =
		"Measure every scenario of a suite for one revision and keep what it showed:\n"
		"OUT/results.json (every run) and OUT/record.json (per scenario and metric the\n"
		"median, its interval and n; the runner; the commit), added to a history: a\n"
		"directory (--history) or a branch of the repository (--branch), one file per\n"
		"record, pushed with retries. Neither: the record stays in OUT.\n"
		"After --runs rounds, a scenario gets more (up to --max-runs) while its wall\n"
		"or cpu median's interval is wider than 10% of it and 5 ms.\n"
		"--add stores a record already written (one whose push failed) without\n"
		"measuring.\n",
	.footer = "exit status: 0 recorded (and stored), 2 usage or configuration error,\n"
		  "4 a revision or scenario could not be prepared or run (what was measured\n"
		  "is recorded and stored, the scenario's error in it), 5 the record is in\n"
		  "OUT but could not be stored (the push was rejected every time, or the\n"
		  "remote could not be reached; store it later with --add),\n"
		  "130/143 interrupted by SIGINT/SIGTERM (results.json written, marked\n"
		  "incomplete; no record)\n",
};

struct record_args {
	struct gate g; /* the session, its options (GATE_OPTIONS) among them */
	const char *rev, *add, *history, *branch, *remote, *runner_kind;
	unsigned formats; /* --format: 1u << enum export_format */
};

/* 0, 1 after --help, or -1 after a usage error. */
static int parse_args(struct record_args *a, int argc, char **argv)
{
	const struct opt opts[] = {
		OPT_STRING("rev", 0, &a->rev, "REV",
			   "the revision to measure (e.g. a commit of main)"),
		GATE_OPTIONS(&a->g.a, "where results.json, record.json and logs go (default: out)"),
		OPT_STRING("history", 0, &a->history, "DIR",
			   "add the record to this directory of records"),
		OPT_STRING("branch", 0, &a->branch, "NAME",
			   "add the record to this branch of the repository (--repo,\n"
			   "else the current directory's), pushed to --remote;\n"
			   "the usual one is spin-gate-history"),
		OPT_STRING("remote", 0, &a->remote, "NAME",
			   "with --branch: the remote to fetch from and push to\n"
			   "(default: origin)"),
		OPT_STRING("runner-kind", 0, &a->runner_kind, "NAME",
			   "what keeps unlike machines apart in a history (default:\n"
			   "\"CORES x CPU_MODEL\")"),
		OPT_EXPORT_FORMATS(&a->formats),
		OPT_STRING("add", 0, &a->add, "FILE",
			   "measure nothing: add this record.json to the history"),
		OPT_END(),
	};
	int n = opt_parse(&record_cmd, opts, argc, argv);

	if (n == OPT_HELP)
		return 1;
	if (n < 0)
		return -1;
	if (n > 0)
		return opt_error(&record_cmd,
				 "record takes only options; %d other argument(s) given", n);
	if (!a->rev == !a->add)
		return opt_error(&record_cmd, "one of --rev and --add is required");
	if (a->history && a->branch)
		return opt_error(&record_cmd, "--history and --branch exclude each other");
	if (a->remote && !a->branch)
		return opt_error(&record_cmd, "--remote is for --branch");
	if (a->add && !a->history && !a->branch)
		return opt_error(&record_cmd, "--add needs --history or --branch");
	return 0;
}

/* The store the record goes to, opened before anything is measured so a
 * wrong repository or remote costs nothing. 0 (opened, or nothing asked),
 * or EXIT_USAGE after saying why. */
static int open_store(struct record_args *a, struct store *s, int *have)
{
	const char *repo = a->g.a.repo ? a->g.a.repo : ".";
	int got;

	*have = 0;
	if (!a->history && !a->branch)
		return 0;
	if (a->history)
		got = store_open_dir(s, a->history);
	else
		got = store_open_branch(s, repo, a->remote, a->branch, a->g.cache);
	if (got < 0)
		return EXIT_USAGE;
	*have = 1;
	return 0;
}

/* What an earlier record left in OUT that a new one moves to OUT/previous/. */
static int record_output(const char *name)
{
	return !strcmp(name, "results.json") || !strcmp(name, "record.json") ||
	       export_is_file_name(name);
}

/* Add the record at path: 0, or EXIT_POST_ERROR after saying so. */
static int store_it(struct store *s, const struct record_args *a, const char *path)
{
	if (store_add(s, path) == 0) {
		if (a->branch)
			note("stored the record on %s's branch '%s'", s->remote, s->branch);
		else
			note("stored the record in %s", s->dir);
		return 0;
	}
	error("the record was not stored: it stays in '%s'; store it later with 'spin-gate "
	      "record --add %s %s%s'",
	      path, path, a->branch ? "--branch " : "--history ",
	      a->branch ? a->branch : a->history);
	return EXIT_POST_ERROR;
}

/* The record of what was measured: built, written to OUT/record.json,
 * stored. The exit code. */
static int write_record(struct record_args *a, struct results *r, struct store *s, int have_store)
{
	const struct revision *rv = &a->g.rv[0];
	struct record_build_opts bo = { .runner_kind = a->runner_kind };
	char *path = report_path(a->g.a.out, "record.json"), *date = NULL;
	struct record rec;
	struct stat st;
	size_t i;
	int ret = EXIT_RUN_ERROR, errors = 0;

	if (!strcmp(rv->kind, "git")) {
		bo.commit = rv->resolved;
		date = store_commit_date(a->g.a.repo, rv->resolved);
		bo.date = date;
	}
	record_build(&rec, r, SIDE_BASE, &bo);
	if (record_write(&rec, path) < 0)
		goto out;
	note("wrote %s (%lld bytes, %zu scenario(s))", path,
	     stat(path, &st) == 0 ? (long long)st.st_size : -1LL, rec.nscenarios);
	for (i = 0; i < r->nscen; i++)
		if (r->scen[i].error) {
			warning("scenario %s: %s", r->scen[i].name, r->scen[i].error);
			errors++;
		}
	ret = errors ? EXIT_RUN_ERROR : EXIT_PASS;
	if (!have_store) {
		note("no --history or --branch: the record stays in %s", path);
		goto out;
	}
	if (store_it(s, a, path))
		ret = EXIT_POST_ERROR;
out:
	record_release(&rec);
	free(path);
	free(date);
	return ret;
}

/* measure_opts.state: a scenario is open while a median it records is
 * vague (record_build.h). */
static int record_state(const struct results *r, size_t i, void *ctx)
{
	(void)ctx;
	return record_scenario_open(r, SIDE_BASE, i) ? MEASURE_OPEN : MEASURE_SETTLED;
}

/* Measure the one revision into r (its base side). The exit code. */
static int measure_one(struct record_args *a, struct results *r, const char *results_path)
{
	struct gate *g = &a->g;
	struct measure_opts mo = *gate_measure_opts(g, results_path, 0);
	const char *paths[] = { results_path };
	const char *labels[] = { a->rev };
	const char *tags[] = { "record" };
	const struct measure_revs m = {
		.n = 1,
		.rv = g->rv,
		.labels = labels,
		.tags = tags,
		.pairs = r,
		.paths = paths,
	};
	int measured;

	mo.state = record_state;
	mo.ctx = NULL;
	note("recording %zu scenario(s) of suite '%s': %s (%s), %ld round(s), up to %ld", r->nscen,
	     g->cfg.suite.name, a->rev, g->rv[0].resolved, g->a.runs, g->a.max_runs);
	gate_measure_begin(g, &r->env);
	measured = measure_run_revs(&m, &g->cfg.suite, &mo);
	if (measured < 0)
		return EXIT_RUN_ERROR;
	cost_finish(&g->cost, &g->cost_probe, r);
	gate_measure_end(g, &r->env);
	r->complete = measured == 0;
	free(r->finished);
	r->finished = results_now();
	if (results_write(r, NULL, results_path) < 0)
		return EXIT_RUN_ERROR;
	if (!r->complete) {
		error("interrupted by %s: results so far are in %s (marked incomplete); no record "
		      "was made",
		      r->stopped_by ? r->stopped_by : "a signal", results_path);
		return gate_interrupted();
	}
	/* the one revision's figures for another dashboard (its side: base) */
	if (report_write_exports(r, a->formats, g->a.out) < 0)
		return EXIT_RUN_ERROR;
	return 0;
}

/* --add FILE: no measuring. The exit code. */
static int add_only(struct record_args *a)
{
	struct store s;
	int have, ret;

	if (!a->g.cache)
		a->g.cache = revision_default_cache();
	if ((ret = open_store(a, &s, &have)))
		return ret;
	ret = store_it(&s, a, a->add);
	store_release(&s);
	return ret;
}

int cmd_record(int argc, char **argv)
{
	struct record_args a;
	struct gate *g = &a.g;
	const struct gate_args *ga = &g->a;
	struct results r;
	struct store s;
	char *results_path = NULL;
	int ret = EXIT_USAGE, have_store = 0;

	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	s.lock_fd = -1;
	gate_init(g, &record_cmd);
	results_init(&r);
	switch (parse_args(&a, argc, argv)) {
	case 1: ret = EXIT_PASS; goto out;
	case -1: goto out;
	}
	if (a.add) {
		if (ga->cache)
			g->cache = xstrdup(ga->cache);
		ret = add_only(&a);
		goto out;
	}
	if ((ret = gate_configure(g)))
		goto out;
	ret = EXIT_USAGE;
	if (plan_matrix(&r, &g->cfg.suite, ga->filters, ga->nfilters, g->cfg.ncpu) < 0)
		goto out;
	if ((ret = open_store(&a, &s, &have_store)))
		goto out;
	if ((ret = gate_start(g)))
		goto out;
	results_path = report_path(ga->out, "results.json");
	if ((ret = gate_header(g, &r, 0)))
		goto out;
	r.rev[SIDE_BASE].spec = xstrdup(a.rev);
	if ((ret = gate_prepare(g, (const char *const[]){ a.rev }, 1, NULL, 0)))
		goto out;
	free(r.rev[SIDE_BASE].spec);
	r.rev[SIDE_BASE].spec = NULL;
	revision_to_info(&g->rv[0], &r.rev[SIDE_BASE]);
	ret = EXIT_RUN_ERROR;
	if (gate_keep_previous(ga->out, record_output, "record") < 0 ||
	    results_write(&r, NULL, results_path) < 0)
		goto out;
	if ((ret = measure_one(&a, &r, results_path)))
		goto out;
	ret = write_record(&a, &r, &s, have_store);
out:
	if (have_store)
		store_release(&s);
	results_release(&r);
	gate_release(g);
	free(results_path);
	return ret;
}
