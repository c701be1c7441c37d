#ifndef SPIN_GATE_RENDER_FIXTURE_H
#define SPIN_GATE_RENDER_FIXTURE_H
/*
 * Results, thresholds and judgements built by hand for test_render.c: small
 * ones for single features, and a bytewax-like suite of 8 scenarios (base
 * v0.16.0 spins idle workers, head v0.16.1 parks them) for the golden
 * comment in tests/fixtures/verdict-example.md. Only test_render.c includes
 * it; fixture_release() frees everything.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "judge.h"
#include "results.h"
#include "thresholds.h"

/* ---- building fixtures by hand ---- */

struct fixture {
	struct results r;
	struct thresholds t;
	struct judgement j;
};

static const double jitter[] = { 0.0, 0.012, -0.008, 0.021, -0.015 };

static void add_param(struct scenario_result *sc, const char *name, const char *value)
{
	sc->params = xrealloc(sc->params, (sc->nparams + 1) * sizeof(*sc->params));
	sc->params[sc->nparams].name = xstrdup(name);
	sc->params[sc->nparams].value = xstrdup(value);
	sc->nparams++;
}

static void add_sample(struct scenario_result *sc, int side, const struct sample *s)
{
	struct sample_list *l = &sc->samples[side];

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = *s;
}

/* Five rounds (plus one warm-up) per side whose medians are exactly the given
 * values: the jitter's median is 0. */
static void add_runs(struct scenario_result *sc, int side, double wall, double user, double sys)
{
	struct sample s = { 0, 1, wall * 1.3, user * 1.2, sys * 1.1, 0, 0, NAN, NAN, NAN, PRESSURE_NONE, NAN, NAN, NAN, NAN, NAN, NAN, { 0 } };
	int k;

	add_sample(sc, side, &s);
	for (k = 0; k < 5; k++) {
		s.round = k + 1;
		s.warmup = 0;
		s.wall = wall * (1 + jitter[k]);
		s.user = user * (1 + jitter[(k + 2) % 5]);
		s.sys = sys * (1 + jitter[(k + 4) % 5]);
		add_sample(sc, side, &s);
	}
}

static struct scenario_result *add_scenario(struct results *r, const char *name,
					    const char *cmd_base, const char *cmd_head)
{
	struct scenario_result *sc;

	r->scen = xrealloc(r->scen, (r->nscen + 1) * sizeof(*r->scen));
	sc = &r->scen[r->nscen++];
	memset(sc, 0, sizeof(*sc));
	sc->name = xstrdup(name);
	sc->cores = 2;
	sc->timeout = 120;
	sc->command[SIDE_BASE] = xstrdup(cmd_base);
	sc->command[SIDE_HEAD] = xstrdup(cmd_head);
	return sc;
}

static struct check *add_check(struct thresholds *t, const char *name, enum metric m, enum rule rl,
			       double value)
{
	struct check *c;

	t->checks = xrealloc(t->checks, (t->nchecks + 1) * sizeof(*t->checks));
	c = &t->checks[t->nchecks++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->cond.metric = m;
	c->cond.rule = rl;
	c->cond.value = value;
	return c;
}

static struct outcome *add_outcome(struct judgement *j, size_t check, size_t scen, enum status st,
				   const char *note)
{
	struct outcome *oc;

	ALLOC_GROW(j->v, j->n + 1, j->alloc);
	oc = &j->v[j->n++];
	memset(oc, 0, sizeof(*oc));
	oc->check = check;
	oc->scenario = scen;
	oc->status = st;
	oc->main.status = st;
	oc->main.base = oc->main.head = NAN;
	oc->main.ci.lo = oc->main.ci.est = oc->main.ci.hi = NAN;
	oc->n_base = oc->n_head = 5;
	oc->note = note ? xstrdup(note) : NULL;
	j->counts[st]++;
	return oc;
}

static void set_eval(struct cond_eval *e, enum status st, double base, double head, double lo,
		     double est, double hi)
{
	e->status = st;
	e->base = base;
	e->head = head;
	e->ci.lo = lo;
	e->ci.est = est;
	e->ci.hi = hi;
	e->ci.achieved = 0.95;
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->r.version = 1;
	f->r.complete = 1;
	f->r.started = xstrdup("2026-11-23T18:04:10Z");
	f->r.finished = xstrdup("2026-11-23T18:21:37Z");
	f->r.suite_name = xstrdup("bytewax");
	f->r.suite_path = xstrdup("scenarios/bytewax");
	f->r.settings.runs = 5;
	f->r.settings.max_runs = 15;
	f->r.settings.warmup = 1;
	f->r.settings.confidence = 0.95;
	f->r.rev[SIDE_BASE].spec = xstrdup("v0.16.0");
	f->r.rev[SIDE_BASE].kind = xstrdup("version");
	f->r.rev[SIDE_BASE].resolved = xstrdup("0.16.0");
	f->r.rev[SIDE_BASE].runtime = xstrdup("Python 3.9.2");
	f->r.rev[SIDE_HEAD].spec = xstrdup("v0.16.1");
	f->r.rev[SIDE_HEAD].kind = xstrdup("version");
	f->r.rev[SIDE_HEAD].resolved = xstrdup("0.16.1");
	f->r.rev[SIDE_HEAD].runtime = xstrdup("Python 3.9.2");
	f->r.env.cores = 4;
	f->r.env.kernel = xstrdup("Linux 6.1.0-27-cloud-amd64 x86_64");
	f->r.env.hyperfine = xstrdup("hyperfine 1.15.0");
	f->r.env.host = xstrdup("runner-7");
	f->r.env.noise_cpu = 0.012;
	f->r.env.noise_sleep = 0.004;
	f->r.env.steal = NAN;
	/* as measured on make gate BASE=v0.16.0 HEAD=v0.16.1 (README) */
	f->r.env.overhead.self_cpu = 0.17;
	f->r.env.overhead.probe_cpu = 0.07;
	f->r.env.overhead.tools_cpu = 0.24;
	f->r.env.overhead.extra_wall = 0.50;
	f->r.env.overhead.runs_cpu = 317.2;
	f->r.env.overhead.runs_wall = 236.5;
	f->t.confidence = 0.95;
	f->t.runs = 5;
	f->t.max_runs = 15;
}

static void fixture_release(struct fixture *f)
{
	size_t i, k;
	int s;

	for (i = 0; i < f->r.nscen; i++) {
		struct scenario_result *sc = &f->r.scen[i];

		free(sc->name);
		for (k = 0; k < sc->nparams; k++) {
			free(sc->params[k].name);
			free(sc->params[k].value);
		}
		free(sc->params);
		for (s = 0; s < SIDE_COUNT; s++) {
			free(sc->command[s]);
			free(sc->samples[s].v);
		}
		free(sc->error);
	}
	free(f->r.scen);
	for (s = 0; s < SIDE_COUNT; s++) {
		free(f->r.rev[s].spec);
		free(f->r.rev[s].kind);
		free(f->r.rev[s].resolved);
		free(f->r.rev[s].env);
		free(f->r.rev[s].runtime);
	}
	free(f->r.stopped_by);
	free(f->r.started);
	free(f->r.finished);
	free(f->r.suite_name);
	free(f->r.suite_path);
	free(f->r.env.kernel);
	free(f->r.env.hyperfine);
	free(f->r.env.host);
	for (i = 0; i < f->t.nchecks; i++)
		free(f->t.checks[i].name);
	free(f->t.checks);
	for (i = 0; i < f->j.n; i++)
		free(f->j.v[i].note);
	free(f->j.v);
}

/* One check on two scenarios with the given statuses (in judge order). */
static void fixture_small(struct fixture *f, const enum status *st, size_t n)
{
	size_t i;

	fixture_init(f);
	add_check(&f->t, "idle-cpu", METRIC_CPU, RULE_RATIO_MAX, 0.5);
	for (i = 0; i < n; i++) {
		char name[32];
		struct scenario_result *sc;
		struct outcome *oc;

		snprintf(name, sizeof(name), "s%zu", i);
		sc = add_scenario(&f->r, name, "true", "true");
		add_runs(sc, SIDE_BASE, 5.3, 9.1, 1.2);
		add_runs(sc, SIDE_HEAD, 5.25, 0.45, 0.28);
		oc = add_outcome(&f->j, 0, i, st[i], NULL);
		set_eval(&oc->main, st[i], 10.3, 0.73, 0.066, 0.071, 0.077);
	}
	f->j.verdict = STATUS_PASS;
	for (i = 0; i < n; i++)
		if (st[i] == STATUS_FAIL)
			f->j.verdict = STATUS_FAIL;
}

/* ---- the bytewax-like example, a golden file a human can read ---- */

struct ex_scen {
	const char *input, *long_input, *heavy_map;
	double b_wall, b_user, b_sys, h_wall, h_user, h_sys;
};

static const struct ex_scen ex_scens[] = {
	{ "partitioned", "True", "False", 5.31, 9.12, 1.21, 5.27, 0.46, 0.28 },
	{ "partitioned", "False", "False", 0.62, 0.55, 0.08, 0.61, 0.54, 0.07 },
	{ "partitioned", "True", "True", 5.42, 8.21, 0.92, 5.46, 10.63, 1.32 },
	{ "partitioned", "False", "True", 3.11, 5.91, 0.21, 3.08, 5.86, 0.2 },
	{ "dynamic", "True", "False", 5.29, 2.91, 0.37, 5.3, 1.71, 0.29 },
	{ "dynamic", "False", "False", 0.66, 0.58, 0.09, 0.69, 0.59, 0.09 },
	{ "dynamic", "True", "True", 5.44, 8.4, 0.9, 5.43, 8.52, 0.93 },
	{ "dynamic", "False", "True", 3.14, 5.95, 0.22, 3.12, 5.9, 0.22 },
};

static double ex_value(const struct ex_scen *e, int side, enum metric m)
{
	double wall = side ? e->h_wall : e->b_wall, user = side ? e->h_user : e->b_user;
	double sys = side ? e->h_sys : e->b_sys;

	switch (m) {
	case METRIC_WALL:
		return wall;
	case METRIC_USER:
		return user;
	case METRIC_SYSTEM:
		return sys;
	case METRIC_CPU:
		return user + sys;
	default:
		return (user + sys) / (wall * 2);
	}
}

/* An outcome whose numbers follow from the scenario; status and spread given. */
static struct outcome *ex_outcome(struct fixture *f, size_t check, size_t scen, enum status st,
				  double spread, const char *note)
{
	const struct check *c = &f->t.checks[check];
	const struct ex_scen *e = &ex_scens[scen];
	struct outcome *oc = add_outcome(&f->j, check, scen, st, note);
	double b = ex_value(e, 0, c->cond.metric), h = ex_value(e, 1, c->cond.metric);
	double est = c->cond.rule == RULE_RATIO_MAX ? h / b : h;

	if (st == STATUS_SKIPPED)
		set_eval(&oc->main, st, b, NAN, NAN, NAN, NAN);
	else
		set_eval(&oc->main, st, b, h, est / (1 + spread), est, est * (1 + spread));
	return oc;
}

static void fixture_bytewax(struct fixture *f)
{
	static const char *const py[] = { "/home/runner/.cache/spin-gate/env/0.16.0/bin/python",
					  "/home/runner/.cache/spin-gate/env/0.16.1/bin/python" };
	struct check *c;
	struct outcome *oc;
	size_t i;
	int side;

	fixture_init(f);
	for (i = 0; i < sizeof(ex_scens) / sizeof(ex_scens[0]); i++) {
		const struct ex_scen *e = &ex_scens[i];
		char *name = xstrfmt("input=%s long_input=%s heavy_map=%s", e->input,
				     e->long_input, e->heavy_map);
		char *cmd[SIDE_COUNT];
		struct scenario_result *sc;

		for (side = 0; side < SIDE_COUNT; side++)
			cmd[side] = xstrfmt("%s -m bytewax.run \"dataflow:get_flow(input='%s', "
					    "long_input=%s, heavy_map=%s)\" -p2",
					    py[side], e->input, e->long_input, e->heavy_map);
		sc = add_scenario(&f->r, name, cmd[0], cmd[1]);
		add_param(sc, "input", e->input);
		add_param(sc, "long_input", e->long_input);
		add_param(sc, "heavy_map", e->heavy_map);
		add_runs(sc, SIDE_BASE, e->b_wall, e->b_user, e->b_sys);
		add_runs(sc, SIDE_HEAD, e->h_wall, e->h_user, e->h_sys);
		free(name);
		free(cmd[0]);
		free(cmd[1]);
	}

	add_check(&f->t, "wall-time", METRIC_WALL, RULE_RATIO_MAX, 1.1);
	c = add_check(&f->t, "idle-cpu", METRIC_CPU, RULE_RATIO_MAX, 0.5);
	c->has_unless = 1;
	c->unless.metric = METRIC_CPU_UTIL;
	c->unless.rule = RULE_HEAD_MAX;
	c->unless.value = 0.25;
	c = add_check(&f->t, "no-spin", METRIC_CPU_UTIL, RULE_HEAD_MAX, 0.5);
	c->has_when_base = 1;
	c->when_base.metric = METRIC_CPU_UTIL;
	c->when_base.rule = RULE_HEAD_MIN;
	c->when_base.value = 0.85;
	add_check(&f->t, "busy-cpu", METRIC_CPU, RULE_RATIO_MAX, 1.1);

	for (i = 0; i < 8; i++) {
		if (i == 5)
			ex_outcome(f, 0, i, STATUS_INCONCLUSIVE, 0.06,
				   "head/base [0.99, 1.11] not clearly <= 1.1x (only 90% "
				   "confidence from so few runs)");
		else
			ex_outcome(f, 0, i, STATUS_PASS, 0.02, NULL);
	}
	ex_outcome(f, 1, 0, STATUS_PASS, 0.08, NULL);
	oc = ex_outcome(f, 1, 4, STATUS_PASS, 0.06,
			"cpu ratio above 0.5x, but head is idle enough");
	oc->main.status = STATUS_FAIL;
	oc->used_unless = 1;
	set_eval(&oc->unless, STATUS_PASS, ex_value(&ex_scens[4], 0, METRIC_CPU_UTIL),
		 ex_value(&ex_scens[4], 1, METRIC_CPU_UTIL), 0.17, 0.189, 0.2);
	for (i = 0; i < 8; i++) {
		if (strcmp(ex_scens[i].heavy_map, "False"))
			continue;
		if (i == 0)
			ex_outcome(f, 2, i, STATUS_PASS, 0.05, NULL);
		else
			ex_outcome(f, 2, i, STATUS_SKIPPED, 0,
				   "base cpu_util below 85%: base did not spin here");
	}
	for (i = 0; i < 8; i++) {
		if (strcmp(ex_scens[i].heavy_map, "True"))
			continue;
		if (i == 2)
			ex_outcome(f, 3, i, STATUS_FAIL, 0.04,
				   "head/base [1.26, 1.36] > 1.1x (only 90% confidence from "
				   "so few runs)");
		else
			ex_outcome(f, 3, i, STATUS_PASS, 0.02, NULL);
	}
	/* 5 runs a side reach 90%, not the 95% asked: the comment says so once. */
	for (i = 0; i < f->j.n; i++)
		if (f->j.v[i].status != STATUS_SKIPPED)
			f->j.v[i].main.ci.achieved = 0.90;
	f->j.verdict = STATUS_FAIL;
}

#endif
