/*
 * bisect: the first gate, the steps, the good side's pool, and the search
 * over git (bisect_git.c) or over released versions (bisect.h).
 */
#include "bisect.h"

#include "buf.h"
#include "clock.h"
#include "fmt.h"
#include "fsutil.h"
#include "judge.h"
#include "msg.h"
#include "plan.h"
#include "proc.h"
#include "report.h"
#include "revision.h"
#include "thresholds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* With reuse, a step runs the good side in one round of this many. */
#define BISECT_GOOD_EVERY 3

const char *bisect_answer_name(enum bisect_answer a)
{
	switch (a) {
	case BISECT_GOOD: return "good";
	case BISECT_BAD: return "bad";
	case BISECT_SKIP: break;
	}
	return "skip";
}

void bisect_init(struct bisect *b, struct gate *g)
{
	memset(b, 0, sizeof(*b));
	b->g = g;
	results_init(&b->pool);
}

static int has_name(char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return 1;
	return 0;
}

static void add_name(char ***v, size_t *n, const char *name)
{
	if (has_name(*v, *n, name))
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(name);
}

/* Only the checks named stay in the thresholds (first, in their order);
 * bisect_release() gives the others back. 0, or EXIT_USAGE after naming
 * one the thresholds do not have. */
static int restrict_checks(struct bisect *b, const char *const *names, size_t n)
{
	struct thresholds *t = &b->g->cfg.thresholds;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		size_t c;

		for (c = 0; c < t->nchecks; c++)
			if (!strcmp(t->checks[c].name, names[i]))
				break;
		if (c == t->nchecks) {
			error("bisect: --check '%s': no such check in '%s'", names[i], t->path);
			return EXIT_USAGE;
		}
	}
	b->all_checks = t->nchecks;
	for (i = 0; i < t->nchecks; i++) {
		size_t c;

		for (c = 0; c < n && strcmp(t->checks[i].name, names[c]); c++)
			;
		if (c < n) {
			struct check tmp = t->checks[k];

			t->checks[k++] = t->checks[i];
			t->checks[i] = tmp;
		}
	}
	t->nchecks = k;
	return 0;
}

/* Keep only the judged scenarios of a planned matrix. */
static void keep_scenarios(struct results *r, const struct bisect *b)
{
	size_t i, k = 0;

	for (i = 0; i < r->nscen; i++) {
		if (!has_name(b->scen_names, b->nscen, r->scen[i].name)) {
			scenario_release(&r->scen[i]);
			continue;
		}
		if (k != i) {
			r->scen[k] = r->scen[i];
			memset(&r->scen[i], 0, sizeof(r->scen[i]));
		}
		k++;
	}
	r->nscen = k;
}

/* The pool's list for the scenario named name, or NULL. */
static struct scenario_result *pooled(struct bisect *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->pool.nscen; i++)
		if (!strcmp(b->pool.scen[i].name, name))
			return &b->pool.scen[i];
	return NULL;
}

/* The good side's judged runs of r that were measured in it (round > 0)
 * join the pool, as round 0. */
static void pool_add(struct bisect *b, const struct results *r)
{
	size_t i, k;

	for (i = 0; i < r->nscen; i++) {
		const struct sample_list *l = &r->scen[i].samples[SIDE_BASE];
		struct scenario_result *p = pooled(b, r->scen[i].name);

		for (k = 0; p && k < l->n; k++) {
			struct sample s = l->v[k];

			if (s.round <= 0 || !judge_sample_counts(&s) ||
			    p->samples[SIDE_BASE].n >= RESULTS_MAX_ROUNDS)
				continue;
			s.round = 0;
			results_add_sample(p, SIDE_BASE, &s);
		}
	}
}

/* Copy the pool into r's good side. The fewest pooled runs of a scenario. */
static size_t pool_fill(struct bisect *b, struct results *r)
{
	size_t i, k, least = (size_t)-1;

	for (i = 0; i < r->nscen; i++) {
		const struct scenario_result *p = pooled(b, r->scen[i].name);
		size_t n = p ? p->samples[SIDE_BASE].n : 0;

		for (k = 0; k < n; k++)
			results_add_sample(&r->scen[i], SIDE_BASE, &p->samples[SIDE_BASE].v[k]);
		if (n < least)
			least = n;
	}
	return r->nscen ? least : 0;
}

/* What decided the step, one line: the first outcome with the verdict's
 * status (a pass: the first one), its figure and, when the unless
 * condition was looked at, that one's too. */
static char *step_figure(const struct results *r, const struct thresholds *t,
			 const struct judgement *j)
{
	const struct outcome *o = NULL;
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < j->n && !o; i++)
		if (j->v[i].status == j->verdict)
			o = &j->v[i];
	if (!o) {
		for (i = 0; i < r->nscen; i++)
			if (r->scen[i].error)
				return xstrfmt("%s: %s", r->scen[i].name, r->scen[i].error);
		return xstrdup("no check applied");
	}
	{
		const struct check *c = &t->checks[o->check];

		buf_addf(&b, "%s on %s: %s ", c->name, r->scen[o->scenario].name,
			 metric_name(c->cond.metric));
		fmt_interval(&b, c->cond.metric, rule_is_ratio(c->cond.rule), &o->main.ci);
		if (o->used_unless && c->has_unless) {
			buf_addf(&b, ", unless %s ", metric_name(c->unless.metric));
			fmt_interval(&b, c->unless.metric, rule_is_ratio(c->unless.rule),
				     &o->unless.ci);
		}
		buf_addf(&b, " (%zu good, %zu candidate runs)", o->n_base, o->n_head);
	}
	return buf_detach(&b);
}

/* Runs measured in this step on one side (pooled ones, round 0 and not
 * warm-ups, left out). */
static int runs_measured(const struct results *r, enum side side)
{
	size_t i, k;
	int n = 0;

	for (i = 0; i < r->nscen; i++)
		for (k = 0; k < r->scen[i].samples[side].n; k++) {
			const struct sample *s = &r->scen[i].samples[side].v[k];

			n += s->round > 0 || s->warmup;
		}
	return n;
}

static const char *good_spec(const struct bisect *b)
{
	return b->nversions ? b->versions[0] : b->good_rev;
}

/*
 * One gate of spec against the good revision into OUT/steps/NN, recorded
 * as the next step; r and j are the caller's to release. 0 (the step's
 * answer set, a skip when the candidate could not be prepared or run), or
 * the exit code that ends the bisection (interrupted; OUT not writable; on
 * the first gate, a revision that cannot be prepared).
 */
static int gate_step(struct bisect *b, const char *spec, int first, struct results *r,
		     struct judgement *j)
{
	struct gate *g = b->g;
	struct bisect_step *st = &b->steps[b->nsteps];
	const char *specs[SIDE_COUNT] = { good_spec(b), spec };
	struct render_opts ro = { .name = g->a.name };
	struct measure_opts mo;
	char *dir = xstrfmt("%s/steps/%02zu", g->a.out, b->nsteps);
	char *path = xstrfmt("%s/results.json", dir);
	double t0 = clock_now();
	int ret, measured, k;

	b->nsteps++;
	st->rev = xstrdup(spec);
	st->first = first;
	st->verdict = STATUS_ERROR;
	st->answer = BISECT_SKIP;
	if (!g->a.quiet)
		note("bisect step %zu: %s against %s", b->nsteps - 1, spec, specs[0]);
	ret = gate_prepare(g, specs, SIDE_COUNT, NULL, 0);
	if (ret >= 128 || (ret && first))
		goto out;
	if (ret) {
		st->figure = xstrfmt("cannot be prepared (%s)",
				     msg_last_error() ? msg_last_error() : "setup failed");
		ret = 0;
		goto out;
	}
	ret = EXIT_USAGE;
	if (plan_matrix(r, &g->cfg.suite, g->a.filters, g->a.nfilters, g->cfg.ncpu) < 0)
		goto out;
	ret = EXIT_RUN_ERROR;
	if (!first)
		keep_scenarios(r, b);
	if (gate_header(g, r, 0))
		goto out;
	for (k = 0; k < SIDE_COUNT; k++)
		revision_to_info(&g->rv[k], &r->rev[k]);
	mo = *gate_measure_opts(g, path, 0);
	/* the good side every third round, once the pool holds a gate's worth */
	if (!first && !b->no_reuse && pool_fill(b, r) >= (size_t)g->a.runs)
		mo.base_every = BISECT_GOOD_EVERY;
	if (fs_mkdir_p(dir) < 0 || results_write(r, NULL, path) < 0)
		goto out;
	if (first)
		gate_measure_begin(g, &r->env);
	measured = measure_run(r, &g->cfg.suite, g->rv, &mo);
	if (first)
		gate_measure_end(g, &r->env);
	if (measured == 1) {
		ret = gate_interrupted();
		goto out;
	}
	if (measured < 0) {
		st->figure = xstrfmt("cannot be run (%s)",
				     msg_last_error() ? msg_last_error() : "no commands");
		ret = first ? EXIT_RUN_ERROR : 0;
		goto out;
	}
	r->complete = 1;
	free(r->finished);
	r->finished = results_now();
	if (report_write_files(r, &g->cfg.thresholds, dir, &ro, j) < 0)
		goto out;
	st->verdict = j->verdict;
	st->answer = j->verdict == STATUS_PASS	 ? BISECT_GOOD
		     : j->verdict == STATUS_FAIL ? BISECT_BAD
						 : BISECT_SKIP;
	st->figure = step_figure(r, &g->cfg.thresholds, j);
	st->good_runs = runs_measured(r, SIDE_BASE);
	st->cand_runs = runs_measured(r, SIDE_HEAD);
	if (!first)
		pool_add(b, r);
	if (!g->a.quiet)
		note("bisect step %zu: %s: %s (%s): %s", b->nsteps - 1, spec,
		     bisect_answer_name(st->answer), status_name(st->verdict), st->figure);
	ret = 0;
out:
	st->seconds = clock_now() - t0;
	free(dir);
	free(path);
	return ret;
}

/* A step after the first: its answer in *a. 0, or the exit code that ends
 * the bisection. */
static int step(struct bisect *b, const char *spec, enum bisect_answer *a)
{
	struct results r;
	struct judgement j = { 0 };
	int ret;

	if (b->nsteps == BISECT_MAX_STEPS) {
		error("bisect: more than %d steps", BISECT_MAX_STEPS);
		return EXIT_RUN_ERROR;
	}
	results_init(&r);
	ret = gate_step(b, spec, 0, &r, &j);
	*a = b->steps[b->nsteps - 1].answer;
	judgement_release(&j);
	results_release(&r);
	return ret;
}

/* The scenarios the pool keeps (b->scen_names), each as a scenario of it. */
static void pool_start(struct bisect *b)
{
	size_t i;

	for (i = 0; i < b->nscen; i++)
		results_add_scenario(&b->pool)->name = xstrdup(b->scen_names[i]);
}

/*
 * What is bisected: with --check, those checks on the planned matrix;
 * else bad gated against good first, and the checks that failed there on
 * the scenarios they failed on. 0, or the exit code.
 */
static int first_gate(struct bisect *b, const char *bad)
{
	struct gate *g = b->g;
	struct results r;
	struct judgement j = { 0 };
	char **checks = NULL;
	size_t i, nchecks = 0;
	int ret = EXIT_USAGE;

	results_init(&r);
	if (b->nchecks) {
		if ((ret = restrict_checks(b, b->checks, b->nchecks)))
			goto out;
		ret = EXIT_USAGE;
		if (plan_matrix(&r, &g->cfg.suite, g->a.filters, g->a.nfilters, g->cfg.ncpu) < 0)
			goto out;
		for (i = 0; i < r.nscen; i++)
			add_name(&b->scen_names, &b->nscen, r.scen[i].name);
		pool_start(b);
		ret = 0;
		goto out;
	}
	if ((ret = gate_step(b, bad, 1, &r, &j)))
		goto out;
	switch (j.verdict) {
	case STATUS_FAIL: break;
	case STATUS_PASS:
		error("bisect: '%s' does not fail against '%s': nothing to bisect", bad,
		      good_spec(b));
		ret = EXIT_FAIL;
		goto out;
	case STATUS_INCONCLUSIVE:
		error("bisect: '%s' against '%s' is inconclusive: name what to bisect with "
		      "--check NAME (and --only NAME=VALUE), or give it more rounds (--max-runs)",
		      bad, good_spec(b));
		ret = EXIT_INCONCLUSIVE;
		goto out;
	default:
		error("bisect: '%s' against '%s' could not be judged (%s)", bad, good_spec(b),
		      b->steps[0].figure ? b->steps[0].figure : "error");
		ret = EXIT_RUN_ERROR;
		goto out;
	}
	for (i = 0; i < j.n; i++) {
		if (j.v[i].status != STATUS_FAIL)
			continue;
		add_name(&checks, &nchecks, g->cfg.thresholds.checks[j.v[i].check].name);
		add_name(&b->scen_names, &b->nscen, r.scen[j.v[i].scenario].name);
	}
	pool_start(b);
	pool_add(b, &r);
	ret = restrict_checks(b, (const char *const *)checks, nchecks);
	if (!ret && !g->a.quiet)
		note("bisecting on %zu check(s) that failed (%s%s) over %zu scenario(s)", nchecks,
		     checks[0], nchecks > 1 ? ", ..." : "", b->nscen);
out:
	for (i = 0; i < nchecks; i++)
		free(checks[i]);
	free(checks);
	judgement_release(&j);
	results_release(&r);
	return ret;
}

/* A revision as given, resolved in the user's repository. 0, or the
 * exit code. */
static int resolve(struct bisect *b, const char *spec, char **out)
{
	struct gate *g = b->g;
	struct revision rv = { 0 };
	struct revision_opts ro = { 0 };
	int ret;

	ro.repo = g->a.repo;
	ro.cache = g->cache;
	if (revision_resolve(&rv, spec, &g->cfg.suite, &ro) < 0) {
		ret = proc_interrupted() ? gate_interrupted() : EXIT_USAGE;
		goto out;
	}
	*out = xstrdup(rv.resolved);
	ret = 0;
out:
	revision_release(&rv);
	return ret;
}

static void set_culprits(struct bisect *b, char **v, size_t n)
{
	b->culprits = v;
	b->nculprits = n;
}

/* git bisect in the cache's clone. The exit code. */
static int run_git(struct bisect *b)
{
	struct gate *g = b->g;
	const char *user_repo = g->a.repo;
	struct bisect_git bg = { 0 };
	enum bisect_git_state st;
	char *log = xstrfmt("%s/git.log", g->logs), *next = NULL, **range = NULL;
	size_t n = 0;
	int ret;

	if ((ret = resolve(b, b->good, &b->good_rev)) || (ret = resolve(b, b->bad, &b->bad_rev)))
		goto out;
	ret = EXIT_RUN_ERROR;
	if (bisect_git_open(&bg, user_repo, g->cache, log) < 0)
		goto out;
	/* every revision from here on is prepared from the clone's worktrees */
	g->a.repo = bg.dir;
	if ((ret = first_gate(b, b->bad_rev)))
		goto out;
	ret = EXIT_RUN_ERROR;
	if (bisect_git_start(&bg, b->bad_rev, b->good_rev, &st, &next, &range, &n) < 0)
		goto out;
	while (st == BISECT_GIT_NEXT) {
		enum bisect_answer a;
		char *cand = next;

		next = NULL;
		ret = step(b, cand, &a);
		if (!ret && bisect_git_answer(&bg, a, cand, &st, &next, &range, &n) < 0)
			ret = proc_interrupted() ? gate_interrupted() : EXIT_RUN_ERROR;
		free(cand);
		if (ret)
			goto out;
	}
	set_culprits(b, range, n);
	range = NULL;
	ret = st == BISECT_GIT_FOUND ? EXIT_PASS : EXIT_INCONCLUSIVE;
out:
	g->a.repo = user_repo;
	bisect_git_close(&bg);
	free(next);
	free(range);
	free(log);
	return ret;
}

/* The binary search over released versions: good first, bad last. The
 * exit code. */
static int run_versions(struct bisect *b)
{
	size_t n = b->nversions, lo = 0, hi = n - 1, i;
	unsigned char *skipped = xcalloc(n, 1);
	char **range = NULL;
	int ret;

	b->good_rev = xstrdup(b->versions[0]);
	b->bad_rev = xstrdup(b->versions[n - 1]);
	if ((ret = first_gate(b, b->versions[n - 1])))
		goto out;
	for (;;) {
		size_t mid = lo + (hi - lo) / 2, pick = 0, d;
		enum bisect_answer a;

		/* the untested version nearest the middle, the lower first */
		for (d = 0; !pick && d <= hi - lo; d++) {
			if (mid >= d && mid - d > lo && !skipped[mid - d])
				pick = mid - d;
			else if (mid + d < hi && mid + d > lo && !skipped[mid + d])
				pick = mid + d;
		}
		if (!pick)
			break;
		if ((ret = step(b, b->versions[pick], &a)))
			goto out;
		if (a == BISECT_GOOD)
			lo = pick;
		else if (a == BISECT_BAD)
			hi = pick;
		else
			skipped[pick] = 1;
	}
	for (i = lo + 1; i <= hi; i++) {
		range = xrealloc(range, (i - lo) * sizeof(*range));
		range[i - lo - 1] = xstrdup(b->versions[i]);
	}
	set_culprits(b, range, hi - lo);
	ret = hi - lo == 1 ? EXIT_PASS : EXIT_INCONCLUSIVE;
out:
	free(skipped);
	return ret;
}

/* What an earlier bisect left in OUT that a new one moves to OUT/previous/. */
static int bisect_output(const char *name)
{
	return !strcmp(name, "bisect.md") || !strcmp(name, "steps");
}

int bisect_run(struct bisect *b)
{
	struct gate *g = b->g;
	struct buf md = BUF_INIT;
	char *path = NULL;
	int ret, sig;

	b->started = clock_now();
	if (gate_keep_previous(g->a.out, bisect_output, "bisect") < 0)
		return EXIT_RUN_ERROR;
	ret = b->nversions ? run_versions(b) : run_git(b);
	if (!b->nsteps)
		goto out;
	bisect_render(&md, b);
	path = report_path(g->a.out, "bisect.md");
	/* written after an interrupt too: the steps so far; a write must not
	 * be cut short by the pending signal (fs writes run no process) */
	if (fs_write_text(path, md.s) < 0) {
		if (!ret || ret == EXIT_INCONCLUSIVE)
			ret = EXIT_RUN_ERROR;
		goto out;
	}
	sig = proc_interrupted();
	if (!sig && (ret == EXIT_PASS || ret == EXIT_INCONCLUSIVE))
		fputs(md.s, stdout);
	note("wrote %s", path);
out:
	buf_release(&md);
	free(path);
	return ret;
}

void bisect_release(struct bisect *b)
{
	size_t i;

	if (b->all_checks)
		b->g->cfg.thresholds.nchecks = b->all_checks;
	for (i = 0; i < b->nsteps; i++) {
		free(b->steps[i].rev);
		free(b->steps[i].figure);
	}
	for (i = 0; i < b->nculprits; i++)
		free(b->culprits[i]);
	free(b->culprits);
	for (i = 0; i < b->nscen; i++)
		free(b->scen_names[i]);
	free(b->scen_names);
	results_release(&b->pool);
	free(b->good_rev);
	free(b->bad_rev);
	memset(b, 0, sizeof(*b));
}
