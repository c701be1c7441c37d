#include "judge.h"

#include "buf.h"
#include "fmt.h"
#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fewer runs decide nothing: two a side give a two-sample interval of 67%
 * and a median interval of 50% at best. Three give 90% and 75%. */
#define MIN_SAMPLES 3

int judge_exit_code(enum status verdict)
{
	return status_exit_code(verdict);
}

int judge_sample_counts(const struct sample *s)
{
	return !s->warmup && s->exit_code == 0 && !s->timed_out;
}

double judge_sample_contention(const struct scenario_result *sc, const struct sample *s)
{
	double taken;

	if (!(s->wall > 0) || sc->machine_cores < 1 || !isfinite(s->others_cpu))
		return NAN;
	taken = s->others_cpu + (isfinite(s->steal) ? s->steal : 0);
	return fmin(1.0, fmax(0.0, taken / (s->wall * sc->machine_cores)));
}

/* A reported metric's value in one run (thresholds.h "cpu_per:NAME" and
 * "NAME_per_cpu_s"); NaN where the scenario does not declare it, the run
 * did not report it, or a ratio has nothing to divide by. */
static double reported_metric(const struct scenario_result *sc, const struct sample *s,
			      enum metric m)
{
	enum metric_reported_kind kind;
	const char *base = metric_reported_base(m, &kind);
	int idx = base ? scenario_metric_index(sc, base) : -1;
	double v, c = s->user + s->sys;

	if (idx < 0)
		return NAN;
	v = s->reported[idx];
	switch (kind) {
	case METRIC_REPORTED_VALUE: return v;
	case METRIC_REPORTED_CPU_PER: return v > 0 && c >= 0 ? c / v : NAN;
	case METRIC_REPORTED_PER_CPU_S: return c > 0 && v >= 0 ? v / c : NAN;
	}
	return NAN;
}

double judge_sample_metric(const struct scenario_result *sc, const struct sample *s, enum metric m)
{
	double c, avail;

	switch (m) {
	case METRIC_WALL: return s->wall;
	case METRIC_USER: return s->user;
	case METRIC_SYSTEM: return s->sys;
	case METRIC_CPU: return s->user + s->sys;
	case METRIC_CPU_UTIL:
		if (!(s->wall > 0) || !(sc->cores > 0))
			return NAN;
		return (s->user + s->sys) / (s->wall * sc->cores);
	case METRIC_CPU_SHARE:
		c = judge_sample_contention(sc, s);
		if (isnan(c) || !(sc->cores > 0))
			return NAN;
		/* the cores the run could have had; at least a tenth of one, so a
		 * machine taken over by others does not divide by zero */
		avail = fmax(0.1, fmin(sc->cores, sc->machine_cores * (1 - c)));
		return (s->user + s->sys) / (s->wall * avail);
	case METRIC_CONTENTION: return judge_sample_contention(sc, s);
	case METRIC_MAX_RSS: return s->max_rss;
	case METRIC_VCSW: return s->vcsw;
	case METRIC_IVCSW: return s->ivcsw;
	case METRIC_VCSW_PER_CPU_S:
		c = s->user + s->sys;
		/* no CPU at all: no rate (a run that only slept) */
		return c > 0 ? s->vcsw / c : NAN;
	case METRIC_REPORTED_FIRST:
	case METRIC_REPORTED_LAST:
	default: break;
	}
	return reported_metric(sc, s, m);
}

/* Per-run values of `m` on one side; with `aside`, without the rounds
 * judge_round_set_aside() sets aside. */
static double *values_except(const struct scenario_result *sc, enum side side, enum metric m,
			     int aside, size_t *n)
{
	const struct sample_list *l = &sc->samples[side];
	double *v = xmalloc((l->n ? l->n : 1) * sizeof(*v));
	size_t i;

	*n = 0;
	for (i = 0; i < l->n; i++) {
		const struct sample *s = &l->v[i];
		double x;
		if (!judge_sample_counts(s) || (aside && judge_round_set_aside(sc, s->round)))
			continue;
		x = judge_sample_metric(sc, s, m);
		if (isfinite(x))
			v[(*n)++] = x;
	}
	return v;
}

double *judge_metric_values(const struct scenario_result *sc, enum side side, enum metric m,
			    size_t *n)
{
	return values_except(sc, side, m, 0, n);
}

static struct cond_eval cond_eval_empty(void)
{
	struct cond_eval e;

	e.status = STATUS_INCONCLUSIVE;
	e.paired = 0;
	e.set_aside = 0;
	e.aside_stall[SIDE_BASE] = e.aside_stall[SIDE_HEAD] = NAN;
	e.held = HELD_NONE;
	e.fail_level = NAN;
	e.base = e.head = NAN;
	e.ci.lo = e.ci.est = e.ci.hi = e.ci.achieved = NAN;
	return e;
}

/* Where the interval lies against the rule's value. */
static enum status decide(enum rule r, const struct interval *ci, double value)
{
	if (rule_is_max(r)) {
		if (ci->hi <= value)
			return STATUS_PASS;
		if (ci->lo > value)
			return STATUS_FAIL;
	} else {
		if (ci->lo >= value)
			return STATUS_PASS;
		if (ci->hi < value)
			return STATUS_FAIL;
	}
	return STATUS_INCONCLUSIVE;
}

/*
 * What a reported metric's values are multiplied by before a ratio is taken
 * (which the scale does not change): stats' STATS_RATIO_FLOOR is there for
 * CPU seconds under a millisecond, and would flatten 100 us of CPU per item
 * against 200 us to 1x. Measured metrics: 1.
 */
static double ratio_scale(enum metric m)
{
	return metric_reported_base(m, NULL) ? 1e9 : 1;
}

/*
 * Per-round head-versus-base values (log ratio, or difference) when every
 * judged run of either side has a judged partner of the same round. NULL
 * when the runs do not pair up; the caller frees.
 */
static double *paired_values(const struct scenario_result *sc, enum metric m, int ratio, size_t nb,
			     size_t nh, int aside, size_t *n)
{
	const struct sample_list *b = &sc->samples[SIDE_BASE], *h = &sc->samples[SIDE_HEAD];
	double *d;
	size_t i, j;

	*n = 0;
	if (nb != nh || !nb)
		return NULL;
	d = xmalloc(nb * sizeof(*d));
	for (i = 0; i < b->n; i++) {
		double x, y;

		if (!judge_sample_counts(&b->v[i]) ||
		    (aside && judge_round_set_aside(sc, b->v[i].round)))
			continue;
		x = judge_sample_metric(sc, &b->v[i], m);
		if (!isfinite(x))
			continue;
		for (j = 0; j < h->n; j++)
			if (h->v[j].round == b->v[i].round && judge_sample_counts(&h->v[j]))
				break;
		y = j < h->n ? judge_sample_metric(sc, &h->v[j], m) : NAN;
		if (!isfinite(y) || *n == nb)
			break;
		if (ratio) {
			x *= ratio_scale(m);
			y *= ratio_scale(m);
		}
		d[(*n)++] =
			ratio ? log(fmax(y, STATS_RATIO_FLOOR)) - log(fmax(x, STATS_RATIO_FLOOR))
			      : y - x;
	}
	if (*n != nb) {
		free(d);
		*n = 0;
		return NULL;
	}
	return d;
}

/*
 * The interval of condition c over the judged runs (with `aside`, without
 * the rounds set aside), at level
 * `conf`: paired by round where that reaches the level, else two samples
 * (or head's median for head rules). 0 when one was computed (*ci, *paired
 * set), -1 when a side has fewer than MIN_SAMPLES runs.
 */
static int interval_of(const struct scenario_result *sc, const struct condition *c, double conf,
		       int aside, struct interval *ci, int *paired)
{
	size_t nb, nh, np;
	double *b = values_except(sc, SIDE_BASE, c->metric, aside, &nb);
	double *h = values_except(sc, SIDE_HEAD, c->metric, aside, &nh);
	double *d = NULL;
	int ratio = rule_is_ratio(c->rule), ret = -1;
	size_t i;

	*paired = 0;
	for (i = 0; ratio && i < nb; i++)
		b[i] *= ratio_scale(c->metric);
	for (i = 0; ratio && i < nh; i++)
		h[i] *= ratio_scale(c->metric);
	if (rule_uses_base(c->rule)) {
		d = paired_values(sc, c->metric, ratio, nb, nh, aside, &np);
		/* pairing only where it reaches the level (6 rounds for 95%):
		 * below that the two-sample interval is the stronger one */
		if (d && np >= MIN_SAMPLES && !stats_paired_ci(d, np, conf, ci) &&
		    ci->achieved + 1e-9 >= conf) {
			*paired = 1;
			if (ratio) {
				ci->lo = exp(ci->lo);
				ci->est = exp(ci->est);
				ci->hi = exp(ci->hi);
			}
			ret = 0;
		} else if (nb >= MIN_SAMPLES && nh >= MIN_SAMPLES &&
			   !(ratio ? stats_ratio_ci : stats_diff_ci)(b, nb, h, nh, conf, ci)) {
			ret = 0;
		}
	} else if (nh >= MIN_SAMPLES && !stats_median_ci(h, nh, conf, ci)) {
		ret = 0;
	}
	free(d);
	free(b);
	free(h);
	return ret;
}

/* Latest measured round of the scenario (0: none). */
static int last_round(const struct scenario_result *sc)
{
	size_t i;
	int k, last = 0;

	for (k = 0; k < SIDE_COUNT; k++)
		for (i = 0; i < sc->samples[k].n; i++)
			if (judge_sample_counts(&sc->samples[k].v[i]) &&
			    sc->samples[k].v[i].round > last)
				last = sc->samples[k].v[i].round;
	return last;
}

double judge_fail_level(double confidence, int runs, int rounds)
{
	double look = rounds - (runs > 0 ? runs : MIN_SAMPLES) + 1;

	if (look < 1)
		look = 1;
	return 1 - (1 - confidence) / (look * (look + 1));
}

/* The judged sample of `side` in round `round`, or NULL. */
static const struct sample *in_round(const struct scenario_result *sc, enum side side, int round)
{
	const struct sample_list *l = &sc->samples[side];
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].round == round && judge_sample_counts(&l->v[i]))
			return &l->v[i];
	return NULL;
}

/* The share of its own wall time a run waited for a CPU (cpu_pressure:
 * with PRESSURE_RUN its tasks' wait alone); NaN when not measured. */
static double stall_share(const struct sample *s)
{
	if (!(s->wall > 0) || !isfinite(s->cpu_pressure))
		return NAN;
	return s->cpu_pressure / s->wall;
}

/* 1 when in round `round` side `more`'s run was held back by other work
 * more than the other side's run was.
 *
 * Where both runs have their stall (the time they waited for a CPU), that
 * decides: more's exceeds the other's by JUDGE_STALL_MARGIN of its wall
 * time. A run that leaves cores idle does not wait, however much of the
 * machine its neighbours then take, so a change that serialises its work
 * is no excuse for itself. A wait needs others to have been there, too:
 * a run with more busy tasks than cores waits on its own tasks (a spin on
 * a quiet machine), so other work must also have taken more of the
 * machine during more's run, beyond what the clock ticks of /proc/stat can
 * tell apart (up to a tick per core, tick / wall of the machine, on each
 * side).
 *
 * Without stall figures (older results, a kernel without PSI), the share
 * of the machine other work took decides alone, beyond
 * JUDGE_CONTENTION_MARGIN and the ticks. */
static int round_more_contended(const struct scenario_result *sc, int round, enum side more)
{
	const struct sample *m = in_round(sc, more, round);
	const struct sample *o = in_round(sc, (enum side)(SIDE_HEAD - more), round);
	double cm, co, sm, so, ticks;

	if (!m || !o)
		return 0;
	cm = judge_sample_contention(sc, m);
	co = judge_sample_contention(sc, o);
	sm = stall_share(m);
	so = stall_share(o);
	ticks = JUDGE_CONTENTION_TICK / m->wall + JUDGE_CONTENTION_TICK / o->wall;
	if (isfinite(sm) && isfinite(so))
		return sm - so > JUDGE_STALL_MARGIN &&
		       (!isfinite(cm) || !isfinite(co) || cm - co > ticks);
	return isfinite(cm) && isfinite(co) && cm - co > JUDGE_CONTENTION_MARGIN + ticks;
}

int judge_round_set_aside(const struct scenario_result *sc, int round)
{
	return round_more_contended(sc, round, SIDE_HEAD);
}

/* Rounds in which base ran under more contention than head. */
static size_t rounds_base_busier(const struct scenario_result *sc)
{
	const struct sample_list *b = &sc->samples[SIDE_BASE];
	size_t i, n = 0;

	for (i = 0; i < b->n; i++)
		n += judge_sample_counts(&b->v[i]) &&
		     round_more_contended(sc, b->v[i].round, SIDE_BASE);
	return n;
}

/* Rounds set aside (judge_round_set_aside()); in *paired (may be NULL)
 * the rounds both sides have a judged run in, and in stall[side] (may be
 * NULL) the seconds each side waited for a CPU in the rounds set aside
 * (NaN when a run of them has no figure). */
static size_t rounds_set_aside(const struct scenario_result *sc, size_t *paired, double *stall)
{
	const struct sample_list *b = &sc->samples[SIDE_BASE];
	const struct sample *x;
	size_t i, n = 0;
	int k;

	if (paired)
		*paired = 0;
	if (stall)
		stall[SIDE_BASE] = stall[SIDE_HEAD] = 0;
	for (i = 0; i < b->n; i++) {
		if (!judge_sample_counts(&b->v[i]))
			continue;
		if (paired)
			*paired += in_round(sc, SIDE_HEAD, b->v[i].round) != NULL;
		if (!judge_round_set_aside(sc, b->v[i].round))
			continue;
		n++;
		for (k = 0; stall && k < SIDE_COUNT; k++) {
			x = in_round(sc, (enum side)k, b->v[i].round);
			stall[k] += x ? x->cpu_pressure : NAN;
		}
	}
	return n;
}

struct cond_eval judge_condition(const struct scenario_result *sc, const struct condition *c,
				 double confidence, double fail_level)
{
	struct cond_eval e = cond_eval_empty();
	struct interval strict;
	size_t nb, nh;
	double *b = judge_metric_values(sc, SIDE_BASE, c->metric, &nb);
	double *h = judge_metric_values(sc, SIDE_HEAD, c->metric, &nh);
	int paired, aside;

	e.base = stats_median(b, nb);
	e.head = stats_median(h, nh);
	e.fail_level = fail_level;
	free(b);
	free(h);
	if (interval_of(sc, c, confidence, 0, &e.ci, &e.paired) < 0) {
		e = cond_eval_empty();
		return e;
	}
	e.status = decide(c->rule, &e.ci, c->value);
	if (e.status != STATUS_FAIL)
		return e;
	/* A fail must hold at the level corrected for the looks taken, and,
	 * where head's wait for a CPU could have caused it, without the rounds
	 * in which head ran under more contention than base: a wait costs no
	 * CPU (a spin's CPU is its own however busy the machine) and lowers
	 * no wall time (a budget of cpu_util at most 25% is not failed by it) */
	aside = metric_wait_moves(c->metric) & (rule_is_max(c->rule) ? WAIT_RAISES : WAIT_LOWERS);
	e.set_aside = aside ? (int)rounds_set_aside(sc, NULL, e.aside_stall) : 0;
	if (interval_of(sc, c, fail_level, aside, &strict, &paired) < 0) {
		e.status = STATUS_INCONCLUSIVE;
		e.held = e.set_aside ? HELD_CONTENTION : HELD_LEVEL;
	} else if (strict.achieved + 1e-9 < fail_level ||
		   decide(c->rule, &strict, c->value) != STATUS_FAIL) {
		e.status = STATUS_INCONCLUSIVE;
		/* contention decided it when the same level without setting
		 * rounds aside would have failed */
		e.held = HELD_LEVEL;
		if (e.set_aside && !interval_of(sc, c, fail_level, 0, &strict, &paired) &&
		    strict.achieved + 1e-9 >= fail_level &&
		    decide(c->rule, &strict, c->value) == STATUS_FAIL)
			e.held = HELD_CONTENTION;
	}
	return e;
}

static const char *rule_op(enum rule r, enum status s)
{
	int max = rule_is_max(r);

	if (s == STATUS_FAIL)
		return max ? ">" : "<";
	if (s == STATUS_PASS)
		return max ? "<=" : ">=";
	return max ? "not clearly <=" : "not clearly >=";
}

/*
 * One condition in words: "head/base 0.07 [0.05, 0.09] <= 0.5",
 * "head cpu_util 0.04 [0.03, 0.05] <= 0.25", or why it could not be decided.
 */
static void cond_text(struct buf *b, const struct scenario_result *sc, const struct condition *c,
		      const struct cond_eval *e, double confidence)
{
	int ratio = rule_uses_base(c->rule);
	size_t nb, nh;

	if (isnan(e->ci.lo)) {
		if (c->metric == METRIC_CPU_UTIL && !(sc->cores > 0)) {
			buf_adds(b, "cpu_util unknown: the scenario's cores are not recorded");
			return;
		}
		free(judge_metric_values(sc, SIDE_BASE, c->metric, &nb));
		free(judge_metric_values(sc, SIDE_HEAD, c->metric, &nh));
		if (ratio)
			buf_addf(b,
				 "too few measured runs for head/base %s: base %zu, head %zu "
				 "(need %d each)",
				 metric_name(c->metric), nb, nh, MIN_SAMPLES);
		else
			buf_addf(b, "too few measured head runs for %s: %zu (need %d)",
				 metric_name(c->metric), nh, MIN_SAMPLES);
		return;
	}
	if (rule_is_ratio(c->rule))
		buf_adds(b, "head/base");
	else if (rule_is_diff(c->rule))
		buf_addf(b, "head-base %s", metric_name(c->metric));
	else
		buf_addf(b, "head %s", metric_name(c->metric));
	/* held: the interval lies beyond the value, but it is no fail yet */
	buf_addch(b, ' ');
	fmt_interval(b, c->metric, rule_is_ratio(c->rule), &e->ci);
	buf_addf(b, " %s ", rule_op(c->rule, e->held != HELD_NONE ? STATUS_FAIL : e->status));
	fmt_threshold(b, c);
	if (e->paired)
		buf_adds(b, " (paired by round)");
	if (e->ci.achieved + 1e-9 < confidence)
		judge_add_caveat(b, e->ci.achieved);
	if (e->held == HELD_CONTENTION && isfinite(e->aside_stall[SIDE_HEAD]) &&
	    isfinite(e->aside_stall[SIDE_BASE]))
		buf_addf(b,
			 "; not failed: in %d round(s) head waited longer for a CPU while other "
			 "work ran (head %.1f s, base %.1f s in those rounds), and without them "
			 "it does not fail at %.2f%%",
			 e->set_aside, e->aside_stall[SIDE_HEAD], e->aside_stall[SIDE_BASE],
			 100 * e->fail_level);
	else if (e->held == HELD_CONTENTION)
		buf_addf(b,
			 "; not failed: in %d round(s) head ran while other work took more of the "
			 "machine than during base's run, and without them it does not fail at "
			 "%.2f%%",
			 e->set_aside, 100 * e->fail_level);
	else if (e->held == HELD_LEVEL)
		buf_addf(b, "; not failed yet: a fail needs %.2f%% confidence at this look%s",
			 100 * e->fail_level,
			 e->set_aside ? " without the rounds head ran under more contention" : "");
}

void judge_add_caveat(struct buf *b, double achieved)
{
	buf_addf(b, " (only %.0f%% confidence from so few runs)", 100 * achieved);
}

/* Three-valued OR: either passing passes, both failing fails. */
static enum status either(enum status a, enum status b)
{
	if (a == STATUS_PASS || b == STATUS_PASS)
		return STATUS_PASS;
	if (a == STATUS_FAIL && b == STATUS_FAIL)
		return STATUS_FAIL;
	return STATUS_INCONCLUSIVE;
}

/*
 * when_base: 1 when it holds (or there is none), 0 when base's median does
 * not meet it (note written), -1 when base has too few runs to tell.
 */
static int when_base_holds(const struct scenario_result *sc, const struct check *c,
			   struct buf *note)
{
	const struct condition *w = &c->when_base;
	double *v, med;
	size_t n;
	int met;

	if (!c->has_when_base)
		return 1;
	v = judge_metric_values(sc, SIDE_BASE, w->metric, &n);
	med = stats_median(v, n);
	free(v);
	if (n < MIN_SAMPLES) {
		buf_addf(note, "too few measured base runs to test when_base: %zu (need %d)", n,
			 MIN_SAMPLES);
		return -1;
	}
	met = w->rule == RULE_HEAD_MAX ? med <= w->value : med >= w->value;
	if (met)
		return 1;
	buf_addf(note, "base %s ", metric_name(w->metric));
	fmt_metric_value(note, w->metric, med);
	buf_addf(note, " %s ", w->rule == RULE_HEAD_MAX ? "above" : "below");
	fmt_threshold(note, w);
	buf_adds(note, ": not applicable");
	return 0;
}

/* Judge check ci on scenario si into *o (o->note allocated). */
static void judge_one(const struct results *r, const struct thresholds *t, size_t ci, size_t si,
		      struct outcome *o)
{
	const struct check *c = &t->checks[ci];
	const struct scenario_result *sc = &r->scen[si];
	struct buf note = BUF_INIT;
	double fail_level;
	size_t n;
	int wb;

	memset(o, 0, sizeof(*o));
	o->check = ci;
	o->scenario = si;
	o->main = cond_eval_empty();
	o->unless = cond_eval_empty();
	free(judge_metric_values(sc, SIDE_BASE, c->cond.metric, &o->n_base));
	free(judge_metric_values(sc, SIDE_HEAD, c->cond.metric, &o->n_head));

	if (sc->error) {
		o->status = STATUS_ERROR;
		buf_adds(&note, sc->error);
		goto out;
	}
	if (check_undeclared(c, sc)) {
		o->status = STATUS_ERROR;
		buf_addf(&note, "'%s' is not a metric this scenario reports (suite's \"metrics\")",
			 metric_reported_base(check_undeclared(c, sc)->metric, NULL));
		goto out;
	}
	wb = when_base_holds(sc, c, &note);
	if (wb <= 0) {
		o->status = wb < 0 ? STATUS_INCONCLUSIVE : STATUS_SKIPPED;
		goto out;
	}
	fail_level = judge_fail_level(t->confidence, r->settings.runs, last_round(sc));
	o->main = judge_condition(sc, &c->cond, t->confidence, fail_level);
	o->status = o->main.status;
	if (!c->has_unless) {
		cond_text(&note, sc, &c->cond, &o->main, t->confidence);
		goto out;
	}
	o->used_unless = 1;
	/* the look correction is spent on the main condition; the escape needs
	 * only the plain level (reached, not min..max) to fail */
	o->unless = judge_condition(sc, &c->unless, t->confidence, t->confidence);
	o->status = either(o->main.status, o->unless.status);
	if (o->main.status == STATUS_PASS) {
		cond_text(&note, sc, &c->cond, &o->main, t->confidence);
	} else if (o->unless.status == STATUS_PASS) {
		buf_adds(&note, "within budget: ");
		cond_text(&note, sc, &c->unless, &o->unless, t->confidence);
		buf_adds(&note, " (");
		cond_text(&note, sc, &c->cond, &o->main, t->confidence);
		buf_adds(&note, ")");
	} else {
		cond_text(&note, sc, &c->cond, &o->main, t->confidence);
		buf_adds(&note, o->status == STATUS_FAIL ? " and " : "; unless: ");
		cond_text(&note, sc, &c->unless, &o->unless, t->confidence);
	}
out:
	/* a pass that head may owe to base's bad luck: say so */
	if (o->status == STATUS_PASS && rule_uses_base(c->cond.rule) &&
	    (n = rounds_base_busier(sc)) > 0)
		buf_addf(&note,
			 "; in %zu round(s) base ran while other work took more of the machine "
			 "than during head's run",
			 n);
	o->note = buf_detach(&note);
}

static enum status verdict_of(const size_t *counts)
{
	if (counts[STATUS_FAIL])
		return STATUS_FAIL;
	if (counts[STATUS_ERROR])
		return STATUS_ERROR;
	if (counts[STATUS_INCONCLUSIVE])
		return STATUS_INCONCLUSIVE;
	return STATUS_PASS;
}

int judge_results(const struct results *r, const struct thresholds *t, struct judgement *j)
{
	size_t ci, si;

	memset(j, 0, sizeof(*j));
	/* reported metrics print with the unit the scenarios declare */
	for (si = 0; si < r->nscen; si++)
		for (ci = 0; ci < r->scen[si].nmetrics; ci++)
			metric_reported_learn(&r->scen[si].metrics[ci]);
	for (ci = 0; ci < t->nchecks; ci++) {
		for (si = 0; si < r->nscen; si++) {
			if (!check_applies(&t->checks[ci], &r->scen[si]))
				continue;
			ALLOC_GROW(j->v, j->n + 1, j->alloc);
			judge_one(r, t, ci, si, &j->v[j->n]);
			j->counts[j->v[j->n].status]++;
			j->n++;
		}
	}
	j->verdict = verdict_of(j->counts);
	judge_contention_summary(r, &j->contention);
	/* nothing measured is not a pass: a results file without scenarios
	 * (a suite whose matrix came out empty, a hand-edited file); but an
	 * empty shard (more shards than scenarios) measured all it was given */
	if (!r->nscen && r->shard.index < 1)
		j->verdict = STATUS_ERROR;
	/* the measure loop stops extending scenarios once a check has failed:
	 * say so where that left a check open */
	for (ci = 0; j->verdict == STATUS_FAIL && !r->settings.all_checks && ci < j->n; ci++) {
		struct outcome *o = &j->v[ci];
		struct buf b = BUF_INIT;

		if (o->status != STATUS_INCONCLUSIVE ||
		    last_round(&r->scen[o->scenario]) >= r->settings.max_runs)
			continue;
		buf_adds(&b, o->note);
		buf_adds(&b, "; not measured further once another check had failed "
			     "(--all-checks measures on)");
		free(o->note);
		o->note = buf_detach(&b);
	}
	return 0;
}

enum judge_scenario judge_scenario_state(const struct results *r, const struct thresholds *t,
					 size_t i)
{
	enum judge_scenario state = JUDGE_SCENARIO_SETTLED;
	size_t ci;

	if (i >= r->nscen)
		return JUDGE_SCENARIO_SETTLED;
	if (r->scen[i].error)
		return JUDGE_SCENARIO_ERROR;
	for (ci = 0; ci < t->nchecks; ci++) {
		struct outcome o;
		if (!check_applies(&t->checks[ci], &r->scen[i]))
			continue;
		judge_one(r, t, ci, i, &o);
		free(o.note);
		/* a failed check already decides the verdict: more rounds cannot
		 * turn it into a pass, so the scenario stops */
		if (o.status == STATUS_ERROR)
			return JUDGE_SCENARIO_ERROR;
		if (o.status == STATUS_FAIL)
			return JUDGE_SCENARIO_FAILED;
		if (o.status == STATUS_INCONCLUSIVE)
			state = JUDGE_SCENARIO_OPEN;
	}
	return state;
}

void judgement_release(struct judgement *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		free(j->v[i].note);
	free(j->v);
	memset(j, 0, sizeof(*j));
}

void judge_contention_summary(const struct results *r, struct judge_contention *c)
{
	size_t i, k, n, alloc = 0;
	double *v = NULL;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < SIDE_COUNT; k++) {
		n = 0;
		c->max[k] = NAN;
		for (i = 0; i < r->nscen; i++) {
			const struct scenario_result *sc = &r->scen[i];
			size_t m;

			for (m = 0; m < sc->samples[k].n; m++) {
				const struct sample *smp = &sc->samples[k].v[m];
				double x = judge_sample_contention(sc, smp);

				if (!judge_sample_counts(smp) || !isfinite(x))
					continue;
				ALLOC_GROW(v, n + 1, alloc);
				v[n++] = x;
				c->max[k] = isnan(c->max[k]) ? x : fmax(c->max[k], x);
			}
		}
		c->median[k] = stats_median(v, n);
		c->runs[k] = n;
	}
	free(v);
	for (i = 0; i < r->nscen; i++) {
		size_t both;

		c->set_aside += rounds_set_aside(&r->scen[i], &both, NULL);
		c->rounds += both;
	}
}

int judge_contention_busy(const struct judge_contention *c)
{
	return c->set_aside > 0 || c->median[SIDE_BASE] >= JUDGE_BUSY_MEDIAN ||
	       c->median[SIDE_HEAD] >= JUDGE_BUSY_MEDIAN;
}

struct cJSON *judge_contention_to_json(const struct judge_contention *c)
{
	cJSON *o = cJSON_CreateObject();
	size_t k;

	for (k = 0; k < SIDE_COUNT; k++) {
		cJSON *side = cJSON_AddObjectToObject(o, side_name(k));

		json_add_number_or_null(side, "median", c->median[k]);
		json_add_number_or_null(side, "max", c->max[k]);
		cJSON_AddNumberToObject(side, "runs", (double)c->runs[k]);
	}
	cJSON_AddNumberToObject(o, "set_aside", (double)c->set_aside);
	cJSON_AddNumberToObject(o, "rounds", (double)c->rounds);
	cJSON_AddBoolToObject(o, "busy", judge_contention_busy(c));
	return o;
}

/* The fields one condition contributes (shared by the check and its unless). */
static void add_cond_json(cJSON *obj, const struct condition *c, const struct cond_eval *e,
			  enum status status)
{
	cJSON_AddStringToObject(obj, "metric", metric_name(c->metric));
	cJSON_AddStringToObject(obj, "rule", rule_name(c->rule));
	cJSON_AddNumberToObject(obj, "threshold", c->value);
	cJSON_AddStringToObject(obj, "status", status_name(status));
	json_add_number_or_null(obj, "base", e->base);
	json_add_number_or_null(obj, "head", e->head);
	json_add_number_or_null(obj, "ratio", rule_is_ratio(c->rule) ? e->ci.est : NAN);
	json_add_number_or_null(obj, "estimate", e->ci.est);
	cJSON_AddBoolToObject(obj, "paired", e->paired);
	if (isfinite(e->ci.lo) && isfinite(e->ci.hi)) {
		cJSON *ci = cJSON_AddArrayToObject(obj, "ci");
		cJSON_AddItemToArray(ci, cJSON_CreateNumber(e->ci.lo));
		cJSON_AddItemToArray(ci, cJSON_CreateNumber(e->ci.hi));
	} else {
		cJSON_AddNullToObject(obj, "ci");
	}
	json_add_number_or_null(obj, "confidence_achieved", e->ci.achieved);
	json_add_number_or_null(obj, "fail_confidence", e->fail_level);
	cJSON_AddNumberToObject(obj, "set_aside", e->set_aside);
	if (e->held == HELD_NONE)
		cJSON_AddNullToObject(obj, "held");
	else
		cJSON_AddStringToObject(obj, "held",
					e->held == HELD_CONTENTION ? "contention" : "level");
}

struct cJSON *judge_to_json(const struct judgement *j, const struct results *r,
			    const struct thresholds *t)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < j->n; i++) {
		const struct outcome *o = &j->v[i];
		const struct check *c = &t->checks[o->check];
		const char *sc_name = r->scen[o->scenario].name;
		cJSON *obj = cJSON_CreateObject();

		cJSON_AddStringToObject(obj, "check", c->name);
		cJSON_AddStringToObject(obj, "scenario", sc_name ? sc_name : "");
		/* The outcome's status (after unless), not the main condition's. */
		add_cond_json(obj, &c->cond, &o->main, o->status);
		cJSON_AddNumberToObject(obj, "n_base", (double)o->n_base);
		cJSON_AddNumberToObject(obj, "n_head", (double)o->n_head);
		if (c->has_unless && o->used_unless) {
			cJSON *u = cJSON_AddObjectToObject(obj, "unless");
			add_cond_json(u, &c->unless, &o->unless, o->unless.status);
		} else {
			cJSON_AddNullToObject(obj, "unless");
		}
		cJSON_AddStringToObject(obj, "note", o->note ? o->note : "");
		cJSON_AddItemToArray(arr, obj);
	}
	return arr;
}

double judge_side_median(const struct scenario_result *sc, enum side side, enum metric m)
{
	size_t n;
	double *v = judge_metric_values(sc, side, m, &n);
	double med = stats_median(v, n);

	free(v);
	return med;
}
