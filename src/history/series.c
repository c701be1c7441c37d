/*
 * series: records -> series with their change points (see series.h). The
 * records are walked once in history order; a point goes to the series of
 * its key (suite, scenario, metric, runner kind), found by a linear search
 * (histories hold tens of series, not thousands).
 */
#include "series.h"

#include "buf.h"
#include "stats.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *series_metric_kind(const char *metric)
{
	enum metric m;

	enum metric_reported_kind kind;

	if (!metric_parse(metric, &m))
		return cp_metric_kind(m);
	/* a reported metric counts something; CPU per unit of it is seconds */
	if (!metric_parse_reported(metric, &m) && metric_reported_base(m, &kind) &&
	    kind == METRIC_REPORTED_CPU_PER)
		return "seconds";
	return "count";
}

void series_options_thresholds(const char *metric, struct cp_options *o, void *ctx)
{
	cp_options_from_thresholds(o, series_metric_kind(metric), ctx);
}

static int digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int series_parse_time(const char *s, double *out)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	double frac = 0, scale = 0.1;
	const char *p;

	if (!s || strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*out = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + sec + frac -
	       sign * (oh * 3600.0 + om * 60.0);
	return 0;
}

struct order_key {
	size_t i;
	double date, recorded; /* NaN when absent or unreadable */
	const char *path;
};

static double time_or_nan(const char *s)
{
	double t;

	return s && !series_parse_time(s, &t) ? t : NAN;
}

static int cmp_num(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b); /* absent last */
	return a < b ? -1 : a > b;
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct order_key *a = pa, *b = pb;
	double da = isnan(a->date) ? a->recorded : a->date;
	double db = isnan(b->date) ? b->recorded : b->date;
	int c = cmp_num(da, db);

	if (!c)
		c = cmp_num(a->recorded, b->recorded);
	if (!c)
		c = strcmp(a->path ? a->path : "", b->path ? b->path : "");
	if (!c)
		c = a->i < b->i ? -1 : a->i > b->i;
	return c;
}

void series_order(const struct record *recs, size_t n, size_t *order)
{
	struct order_key *k = xcalloc(n ? n : 1, sizeof(*k));
	size_t i;

	for (i = 0; i < n; i++) {
		k[i].i = i;
		k[i].date = time_or_nan(recs[i].date);
		k[i].recorded = time_or_nan(recs[i].recorded);
		k[i].path = recs[i].path;
	}
	qsort(k, n, sizeof(*k), cmp_key);
	for (i = 0; i < n; i++)
		order[i] = k[i].i;
	free(k);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The rank of a metric: thresholds.h's order, reported metrics after it. */
static int metric_rank(const char *metric)
{
	enum metric m;

	return metric_parse(metric, &m) < 0 ? 1000 : (int)m;
}

static int cmp_series(const void *pa, const void *pb)
{
	const struct series *a = pa, *b = pb;
	int c = strcmp(or_empty(a->suite), or_empty(b->suite));

	if (!c)
		c = strcmp(a->scenario, b->scenario);
	if (!c)
		c = metric_rank(a->metric) - metric_rank(b->metric);
	if (!c)
		c = strcmp(a->metric, b->metric);
	if (!c)
		c = strcmp(or_empty(a->runner_kind), or_empty(b->runner_kind));
	return c;
}

static struct series *find_or_add(struct series_set *set, size_t *alloc, const struct record *r,
				  const struct record_scenario *sc, const char *metric)
{
	const char *kind = or_empty(r->runner.kind);
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct series *s = &set->v[i];

		if (!strcmp(or_empty(s->suite), or_empty(r->suite_name)) &&
		    !strcmp(s->scenario, sc->name) && !strcmp(s->metric, metric) &&
		    !strcmp(s->runner_kind, kind))
			return s;
	}
	if (set->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		set->v = xrealloc(set->v, *alloc * sizeof(*set->v));
	}
	set->v[set->n] = (struct series){ .suite = r->suite_name,
					  .scenario = sc->name,
					  .metric = metric,
					  .runner_kind = kind,
					  .role = sc->role,
					  .params = sc->params,
					  .nparams = sc->nparams };
	return &set->v[set->n++];
}

static void add_point(struct series *s, size_t rec, const struct record_figure *f)
{
	/* grows by one: a series holds at most one point per record */
	s->pts = xrealloc(s->pts, (s->n + 1) * sizeof(*s->pts));
	s->pts[s->n++] = (struct series_point){
		.record = rec, .median = f->median, .lo = f->lo, .hi = f->hi, .n = f->n
	};
}

static size_t count_kinds(const struct record *recs, size_t n)
{
	size_t i, k, kinds = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			if (!strcmp(or_empty(recs[k].runner.kind), or_empty(recs[i].runner.kind)))
				break;
		kinds += k == i;
	}
	return kinds;
}

static int detect(struct series *s, series_options_fn options, void *ctx)
{
	double *x = xcalloc(s->n ? s->n : 1, sizeof(*x));
	size_t i;
	int rc;

	if (options)
		options(s->metric, &s->opts, ctx);
	else
		cp_options_default(&s->opts, series_metric_kind(s->metric));
	for (i = 0; i < s->n; i++)
		x[i] = s->pts[i].median;
	rc = changepoints_find(x, s->n, &s->opts, &s->cps, &s->ncps);
	free(x);
	return rc;
}

int series_build(struct series_set *set, const struct record *recs, size_t nrecs,
		 series_options_fn options, void *ctx)
{
	size_t alloc = 0, i, k, f;

	memset(set, 0, sizeof(*set));
	set->recs = recs;
	set->nrecs = nrecs;
	set->order = xcalloc(nrecs ? nrecs : 1, sizeof(*set->order));
	series_order(recs, nrecs, set->order);
	set->nkinds = count_kinds(recs, nrecs);
	for (i = 0; i < nrecs; i++) {
		const struct record *r = &recs[set->order[i]];

		for (k = 0; k < r->nscenarios; k++) {
			const struct record_scenario *sc = &r->scenarios[k];

			if (sc->error || !sc->name)
				continue;
			for (f = 0; f < sc->nfigures; f++) {
				const struct record_figure *fig = &sc->figures[f];

				if (!fig->metric || !isfinite(fig->median))
					continue;
				add_point(find_or_add(set, &alloc, r, sc, fig->metric),
					  set->order[i], fig);
			}
		}
	}
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), cmp_series);
	for (i = 0; i < set->n; i++)
		if (detect(&set->v[i], options, ctx) < 0)
			return -1;
	return 0;
}

void series_set_release(struct series_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->v[i].pts);
		free(set->v[i].cps);
	}
	free(set->v);
	free(set->order);
	memset(set, 0, sizeof(*set));
}

static const char *param_of(const struct series *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nparams; i++)
		if (!strcmp(s->params[i].name, name))
			return s->params[i].value;
	return NULL;
}

static int series_matches(const struct series *s, const struct plan_filter *f, size_t nf)
{
	size_t i, k;

	for (i = 0; i < nf; i++) {
		int hit = 0;

		for (k = 0; k < nf; k++) {
			const char *v = param_of(s, f[k].name);

			if (!strcmp(f[k].name, f[i].name) && v && !strcmp(v, f[k].value))
				hit = 1;
		}
		if (!hit)
			return 0;
	}
	return 1;
}

void series_filter(struct series_set *set, const struct plan_filter *f, size_t nf)
{
	size_t i, kept = 0;

	for (i = 0; i < set->n; i++) {
		if (series_matches(&set->v[i], f, nf)) {
			set->v[kept++] = set->v[i];
		} else {
			free(set->v[i].pts);
			free(set->v[i].cps);
		}
	}
	set->n = kept;
}

const struct record *series_record(const struct series_set *set, const struct series *s, size_t i)
{
	return &set->recs[s->pts[i].record];
}

static void segment(const struct series *s, size_t from, size_t to, struct series_segment *g)
{
	double *x = xcalloc(to > from ? to - from : 1, sizeof(*x));
	struct interval ci;
	size_t i;

	g->from = from;
	g->to = to;
	for (i = from; i < to; i++)
		x[i - from] = s->pts[i].median;
	if (to > from && !stats_median_ci(x, to - from, 0.95, &ci)) {
		g->median = ci.est;
		g->lo = ci.lo;
		g->hi = ci.hi;
		g->achieved = ci.achieved;
	} else {
		g->median = g->lo = g->hi = g->achieved = NAN;
	}
	free(x);
}

void series_segments(const struct series *s, size_t k, struct series_segment *before,
		     struct series_segment *after)
{
	size_t at = s->cps[k].index;

	segment(s, k ? s->cps[k - 1].index : 0, at, before);
	segment(s, at, k + 1 < s->ncps ? s->cps[k + 1].index : s->n, after);
}

unsigned series_bad_direction(const struct thresholds *t, const struct series *s)
{
	struct scenario_result sc;
	unsigned bad = 0;
	enum metric m;
	size_t i;

	if (!t || metric_parse(s->metric, &m) < 0)
		return 0;
	memset(&sc, 0, sizeof(sc));
	sc.name = (char *)s->scenario;
	sc.params = (struct param *)s->params;
	sc.nparams = s->nparams;
	sc.role = s->role;
	for (i = 0; i < t->nchecks; i++) {
		const struct check *c = &t->checks[i];

		if (c->cond.metric != m || !check_applies(c, &sc))
			continue;
		bad |= rule_is_max(c->cond.rule) ? SERIES_BAD_UP : SERIES_BAD_DOWN;
	}
	return bad;
}

int series_cp_is_bad(unsigned bad, const struct change_point *cp)
{
	return ((bad & SERIES_BAD_UP) && cp->after > cp->before) ||
	       ((bad & SERIES_BAD_DOWN) && cp->after < cp->before);
}
