#include "record_build.h"

#include "buf.h"
#include "judge.h"
#include "stats.h"
#include "thresholds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

char *record_runner_kind(const struct env_info *env)
{
	return xstrfmt("%d x %s", env->cores,
		       env->cpu_model && *env->cpu_model ? env->cpu_model : "unknown CPU");
}

static double confidence_of(const struct results *r)
{
	return r->settings.confidence > 0 && r->settings.confidence < 1 ? r->settings.confidence
									: 0.95;
}

/* The median of metric m over the side's judged runs with its interval;
 * -1 when no run has a value. */
static int median_of(const struct results *r, const struct scenario_result *sc, enum side side,
		     enum metric m, struct interval *ci, size_t *n)
{
	double *v = judge_metric_values(sc, side, m, n);
	int ret = *n ? stats_median_ci(v, *n, confidence_of(r), ci) : -1;

	free(v);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median contention of the side's judged runs, NaN when none has one. */
static double median_contention(const struct scenario_result *sc, enum side side)
{
	const struct sample_list *l = &sc->samples[side];
	double *v = xmalloc((l->n ? l->n : 1) * sizeof(*v)), med = NAN;
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		double c;

		if (!judge_sample_counts(&l->v[i]))
			continue;
		c = judge_sample_contention(sc, &l->v[i]);
		if (isfinite(c))
			v[n++] = c;
	}
	if (n) {
		qsort(v, n, sizeof(*v), cmp_double);
		med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		med = med < 0 ? 0 : med > 1 ? 1 : med;
	}
	free(v);
	return med;
}

static int rounds_of(const struct scenario_result *sc, enum side side)
{
	const struct sample_list *l = &sc->samples[side];
	int rounds = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!l->v[i].warmup && l->v[i].round > rounds)
			rounds = l->v[i].round;
	return rounds;
}

/* The side's figure of metric m in rs, when it has one. */
static void add_figure(struct record_scenario *rs, const struct results *r,
		       const struct scenario_result *sc, enum side side, enum metric m)
{
	struct record_figure *f;
	struct interval ci;
	size_t n;

	if (median_of(r, sc, side, m, &ci, &n) < 0 || !isfinite(ci.est))
		return;
	f = record_scenario_add_figure(rs, metric_name(m));
	f->median = ci.est;
	f->lo = isfinite(ci.lo) && ci.lo <= ci.est ? ci.lo : NAN;
	f->hi = isfinite(ci.hi) && ci.hi >= ci.est ? ci.hi : NAN;
	f->n = (int)n;
}

static void build_scenario(struct record_scenario *rs, const struct results *r,
			   const struct scenario_result *sc, enum side side)
{
	size_t k;
	int m;

	rs->name = xstrdup(sc->name);
	rs->role = sc->role;
	rs->params = xcalloc(sc->nparams + 1, sizeof(*rs->params));
	for (k = 0; k < sc->nparams; k++) {
		rs->params[k].name = xstrdup(sc->params[k].name);
		rs->params[k].value = xstrdup(sc->params[k].value);
	}
	rs->nparams = sc->nparams;
	rs->error = sc->error ? xstrdup(sc->error) : NULL;
	rs->rounds = rounds_of(sc, side);
	rs->contention = median_contention(sc, side);
	for (m = 0; strcmp(metric_name((enum metric)m), "unknown"); m++)
		add_figure(rs, r, sc, side, (enum metric)m);
	/* what the program reports: the value, and CPU seconds per unit of it */
	for (k = 0; k < sc->nmetrics; k++) {
		struct buf per = BUF_INIT;
		enum metric v, c;

		buf_addf(&per, "cpu_per:%s", sc->metrics[k].name);
		if (!metric_parse_reported(sc->metrics[k].name, &v) &&
		    !metric_parse_reported(per.s, &c)) {
			add_figure(rs, r, sc, side, v);
			add_figure(rs, r, sc, side, c);
		}
		buf_release(&per);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int record_build(struct record *rec, const struct results *r, enum side side,
		 const struct record_build_opts *o)
{
	size_t i;

	record_init(rec);
	rec->commit = dup_or_null(o->commit);
	rec->rev = xstrdup(r->rev[side].spec ? r->rev[side].spec : "unknown");
	rec->date = dup_or_null(o->date);
	rec->recorded = results_now();
	rec->suite_name = xstrdup(r->suite_name ? r->suite_name : "unknown");
	rec->suite_digest = dup_or_null(r->suite_digest);
	rec->thresholds_digest = dup_or_null(r->thresholds_digest);
	rec->runner.kind = o->runner_kind ? xstrdup(o->runner_kind) : record_runner_kind(&r->env);
	rec->runner.cpu_model = dup_or_null(r->env.cpu_model);
	rec->runner.cores = r->env.cores;
	rec->runner.kernel = dup_or_null(r->env.kernel);
	rec->runner.hyperfine = dup_or_null(r->env.hyperfine);
	rec->runs = r->settings.runs;
	rec->max_runs = r->settings.max_runs;
	rec->confidence = confidence_of(r);
	rec->scenarios = xcalloc(r->nscen + 1, sizeof(*rec->scenarios));
	for (i = 0; i < r->nscen; i++)
		build_scenario(&rec->scenarios[i], r, &r->scen[i], side);
	rec->nscenarios = r->nscen;
	return 0;
}

int record_scenario_open(const struct results *r, enum side side, size_t i)
{
	static const enum metric vague[] = { METRIC_WALL, METRIC_CPU };
	const struct scenario_result *sc = &r->scen[i];
	size_t k, n;

	if (sc->error)
		return 0;
	for (k = 0; k < sizeof(vague) / sizeof(vague[0]); k++) {
		struct interval ci;
		double width;

		if (median_of(r, sc, side, vague[k], &ci, &n) < 0)
			continue;
		width = ci.hi - ci.lo;
		if (width > RECORD_OPEN_REL * fabs(ci.est) && width > RECORD_OPEN_ABS)
			return 1;
	}
	return 0;
}
