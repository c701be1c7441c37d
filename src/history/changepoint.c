/*
 * changepoint: e-divisive means with a t-test, the design of Apache Otava
 * 0.8.0 (otava/analysis.py: split, merge; change_point_divisive/: the
 * detector and the pair-distance calculator), written again in C. See
 * changepoint.h for the interface and where it differs from Otava.
 */
#include "changepoint.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thresholds.h"

#define CP_DEFAULT_PVALUE 0.001
#define CP_DEFAULT_WINDOW 50

void cp_options_default(struct cp_options *o, const char *kind)
{
	memset(o, 0, sizeof(*o));
	o->max_pvalue = CP_DEFAULT_PVALUE;
	o->window = CP_DEFAULT_WINDOW;
	o->min_segment = 3;
	/* A record is a median of several runs: its noise is a fraction of
	 * one run's (bench/RESULTS.md, "Change points"). A step of 10% in
	 * seconds or in a fraction is worth an alert; counts (context
	 * switches, faults) wander more, 20%. */
	if (kind && strcmp(kind, "count") == 0)
		o->min_magnitude = 0.20;
	else
		o->min_magnitude = 0.10;
}

const char *cp_metric_kind(enum metric m)
{
	if (metric_is_seconds(m))
		return "seconds";
	if (metric_is_fraction(m))
		return "fraction";
	return "count";
}

void cp_options_from_thresholds(struct cp_options *o, const char *kind, const struct thresholds *t)
{
	cp_options_default(o, kind);
	if (!t)
		return;
	if (!isnan(t->history.max_pvalue))
		o->max_pvalue = t->history.max_pvalue;
	if (!kind || strcmp(kind, "seconds") == 0) {
		if (!isnan(t->history.min_magnitude_seconds))
			o->min_magnitude = t->history.min_magnitude_seconds;
	} else if (strcmp(kind, "fraction") == 0) {
		if (!isnan(t->history.min_magnitude_fraction))
			o->min_magnitude = t->history.min_magnitude_fraction;
	} else if (strcmp(kind, "count") == 0) {
		if (!isnan(t->history.min_magnitude_count))
			o->min_magnitude = t->history.min_magnitude_count;
	}
}

/*
 * The regularised incomplete beta function I_x(a, b) by its continued
 * fraction (modified Lentz), for the t distribution's tail.
 */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300, eps = 1e-15;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;
	int m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (m = 1; m <= 1000; m++) {
		double m2 = 2.0 * m, aa, del;

		aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < eps)
			break;
	}
	return h;
}

static double beta_inc(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

/* P(|T| >= |t|) for Student's t with df degrees of freedom. */
static double t_two_sided(double t, double df)
{
	if (isinf(t))
		return 0;
	return beta_inc(df / 2, 0.5, df / (df + t * t));
}

static double seg_mean(const double *x, size_t a, size_t b)
{
	double s = 0;
	size_t i;

	for (i = a; i < b; i++)
		s += x[i];
	return s / (double)(b - a);
}

/* Population standard deviation (numpy's std), as Otava passes it. */
static double seg_std(const double *x, size_t a, size_t b, double mean)
{
	double s = 0;
	size_t i;

	if (b - a < 2)
		return 0;
	for (i = a; i < b; i++)
		s += (x[i] - mean) * (x[i] - mean);
	return sqrt(s / (double)(b - a));
}

/*
 * The split at t of x[a..b): before x[a..t), after x[t..b), compared by
 * Otava's test, scipy's ttest_ind_from_stats with equal variances and the
 * sides' population deviations. Equal means with no spread: p = 1.
 */
static void cp_test(const double *x, size_t a, size_t t, size_t b, struct change_point *cp)
{
	size_t n1 = t - a, n2 = b - t;
	double m1 = seg_mean(x, a, t), m2 = seg_mean(x, t, b);
	double s1 = seg_std(x, a, t, m1), s2 = seg_std(x, t, b, m2);
	double p = 1;

	if (n1 + n2 > 2) {
		double df = (double)(n1 + n2 - 2);
		double pooled = ((double)(n1 - 1) * s1 * s1 + (double)(n2 - 1) * s2 * s2) / df;
		double se = sqrt(pooled * (1.0 / (double)n1 + 1.0 / (double)n2));

		if (se > 0)
			p = t_two_sided((m1 - m2) / se, df);
		else
			p = m1 == m2 ? 1 : 0;
	}
	cp->index = t;
	cp->before = m1;
	cp->after = m2;
	cp->pvalue = p;
	cp->magnitude = m1 != 0 ? m2 / m1 - 1 : (m2 > 0 ? INFINITY : m2 < 0 ? -INFINITY : 0);
}

/* Otava's TTestStats.change_magnitude(): the larger relative change, read
 * either way (a side whose mean is 0 counts 0). */
static double test_magnitude(const struct change_point *cp)
{
	double f = cp->before != 0 ? fabs(cp->after / cp->before - 1) : 0;
	double r = cp->after != 0 ? fabs(cp->before / cp->after - 1) : 0;

	return f > r ? f : r;
}

/*
 * The best split of x[s..e) (e - s >= 2): the tau maximising over s < tau <
 * kappa <= e Matteson and James's q-hat of x[s..tau) against x[tau..kappa)
 * (docs/MATH.md of Otava). W(a, b) is the sum of |x_i - x_j| over a <= i <
 * j < b; row0[b - s] holds W(s, b), row[k - s] W(tau, k) as tau goes down.
 * Ties go to the smallest tau, then kappa, as numpy's argmax does.
 */
static void best_split(const double *x, size_t s, size_t e, double *row0, double *row,
		       size_t *tau_out, double *q_out)
{
	size_t b, i, tau, k;
	double best = -INFINITY;
	size_t best_tau = s + 1;

	row0[0] = 0;
	row0[1] = 0;
	for (b = s + 2; b <= e; b++) {
		double add = 0;

		for (i = s; i + 1 < b; i++)
			add += fabs(x[i] - x[b - 1]);
		row0[b - s] = row0[b - 1 - s] + add;
	}
	for (k = 0; k <= e - s; k++)
		row[k] = 0;
	for (tau = e - 1; tau > s; tau--) {
		double n = (double)(tau - s), wx = row0[tau - s];

		if (tau < e - 1) {
			/* row held W(tau + 1, .); make it W(tau, .) */
			double r = 0;

			for (k = tau + 1; k <= e; k++) {
				row[k - s] += r;
				if (k < e)
					r += fabs(x[tau] - x[k]);
			}
			/* W(tau, k) = W(tau + 1, k) + sum_{j = tau+1}^{k-1} |x_tau - x_j| */
		}
		for (k = tau + 1; k <= e; k++) {
			double m = (double)(k - tau), wy = row[k - s];
			double cross = row0[k - s] - wx - wy;
			double q = 2 / (n + m) * cross;

			if (n > 1)
				q -= 2 * m / ((n + m) * (n - 1)) * wx;
			if (m > 1)
				q -= 2 * n / ((n + m) * (m - 1)) * wy;
			if (q > best || (q == best && tau < best_tau)) {
				best = q;
				best_tau = tau;
			}
		}
	}
	*tau_out = best_tau;
	*q_out = best;
}

/* Insert into the sorted idx[0..*n); 0 when already there. */
static int idx_insert(size_t *idx, size_t *n, size_t v)
{
	size_t i = *n;

	while (i > 0 && idx[i - 1] > v)
		i--;
	if (i > 0 && idx[i - 1] == v)
		return 0;
	memmove(idx + i + 1, idx + i, (*n - i) * sizeof(*idx));
	idx[i] = v;
	(*n)++;
	return 1;
}

/*
 * Otava's ChangePointDetector on the window x[ws..we): split the segment
 * whose best split has the largest q-hat; keep it while its t-test against
 * the segment's two sides gives p <= pmax. The found indexes go to found
 * (sorted, *nfound of them; room for we - ws).
 */
static void window_split(const double *x, size_t ws, size_t we, double pmax, size_t *found,
			 size_t *nfound, double *row0, double *row)
{
	*nfound = 0;
	for (;;) {
		size_t j, a = ws, best_tau = 0, best_a = 0, best_b = 0;
		double best_q = -INFINITY;
		int have = 0;
		struct change_point cp;

		for (j = 0; j <= *nfound; j++) {
			size_t b = j < *nfound ? found[j] : we, tau;
			double q;

			if (b - a > 1) {
				best_split(x, a, b, row0, row, &tau, &q);
				if (!have || q > best_q) {
					have = 1;
					best_q = q;
					best_tau = tau;
					best_a = a;
					best_b = b;
				}
			}
			a = b;
		}
		if (!have)
			return;
		cp_test(x, best_a, best_tau, best_b, &cp);
		if (!(cp.pvalue <= pmax))
			return;
		idx_insert(found, nfound, best_tau);
	}
}

/* Otava's first-pass p-value: the weak points are found at a looser level. */
static double first_pass_pvalue(double p)
{
	if (p < 0.05)
		return p * 10;
	if (p < 0.5)
		return p * 2;
	return p;
}

/* The split step: every window's points, each tested against its
 * neighbours. *out malloc'd (NULL when none). 0 or -1. */
static int split_step(const double *x, size_t n, const struct cp_options *o,
		      struct change_point **out, size_t *nout)
{
	size_t win = o->window >= 2 ? o->window : n, step = win / 2, start = 0;
	size_t *weak = NULL, nweak = 0, *found = NULL, nfound, i;
	double *row0 = NULL, *row = NULL, pmax = first_pass_pvalue(o->max_pvalue);
	struct change_point *cps = NULL;
	int ret = -1;

	*out = NULL;
	*nout = 0;
	if (n < 2)
		return 0;
	if (win > n)
		win = n;
	if (step == 0)
		step = 1;
	weak = malloc(n * sizeof(*weak));
	found = malloc(win * sizeof(*found));
	row0 = malloc((win + 1) * sizeof(*row0));
	row = malloc((win + 1) * sizeof(*row));
	if (!weak || !found || !row0 || !row)
		goto out;
	while (start < n) {
		size_t end = start + win < n ? start + win : n, last = 0;

		window_split(x, start, end, pmax, found, &nfound, row0, row);
		for (i = 0; i < nfound; i++)
			idx_insert(weak, &nweak, found[i]);
		if (nfound)
			last = found[nfound - 1];
		start = last > start + step ? last : start + step;
	}
	if (nweak) {
		cps = malloc(nweak * sizeof(*cps));
		if (!cps)
			goto out;
		for (i = 0; i < nweak; i++)
			cp_test(x, i ? weak[i - 1] : 0, weak[i], i + 1 < nweak ? weak[i + 1] : n,
				&cps[i]);
	}
	*out = cps;
	*nout = nweak;
	ret = 0;
out:
	free(weak);
	free(found);
	free(row0);
	free(row);
	return ret;
}

int changepoints_candidates(const double *x, size_t n, const struct cp_options *o,
			    struct change_point **out, size_t *nout)
{
	return split_step(x, n, o, out, nout);
}

static void retest(const double *x, size_t n, struct change_point *cps, size_t ncp, size_t i)
{
	if (i >= ncp)
		return;
	cp_test(x, i ? cps[i - 1].index : 0, cps[i].index, i + 1 < ncp ? cps[i + 1].index : n,
		&cps[i]);
}

int changepoints_find(const double *x, size_t n, const struct cp_options *o,
		      struct change_point **out, size_t *nout)
{
	struct change_point *cps;
	size_t ncp;

	if (split_step(x, n, o, &cps, &ncp) < 0)
		return -1;
	/* The merge step: drop the weakest point (the largest p-value while
	 * one fails the test, else the smallest change while one is too
	 * small) and test its neighbours again, until every point passes. */
	while (ncp) {
		size_t i, w = 0, shortest = SIZE_MAX;

		/* first a point beside a segment of fewer than min_segment
		 * points (an outlier, or a step seen by too few records yet),
		 * the one with the largest p-value among them */
		for (i = 0; i < ncp; i++) {
			size_t a = i ? cps[i - 1].index : 0, b = i + 1 < ncp ? cps[i + 1].index : n;
			size_t seg = cps[i].index - a < b - cps[i].index ? cps[i].index - a
									 : b - cps[i].index;

			if (seg < o->min_segment &&
			    (shortest == SIZE_MAX || cps[i].pvalue > cps[shortest].pvalue))
				shortest = i;
		}
		if (shortest != SIZE_MAX) {
			w = shortest;
			goto drop;
		}
		for (i = 1; i < ncp; i++)
			if (cps[i].pvalue > cps[w].pvalue)
				w = i;
		if (cps[w].pvalue < o->max_pvalue) {
			w = 0;
			for (i = 1; i < ncp; i++)
				if (test_magnitude(&cps[i]) < test_magnitude(&cps[w]))
					w = i;
			if (test_magnitude(&cps[w]) > o->min_magnitude)
				break;
		}
	drop:
		memmove(cps + w, cps + w + 1, (ncp - w - 1) * sizeof(*cps));
		ncp--;
		if (o->otava_merge) {
			/* Otava 0.8.0 tests again the point after and the
			 * one after that; the one before keeps stale stats */
			retest(x, n, cps, ncp, w);
			retest(x, n, cps, ncp, w + 1);
		} else {
			if (w > 0)
				retest(x, n, cps, ncp, w - 1);
			retest(x, n, cps, ncp, w);
		}
	}
	if (!ncp) {
		free(cps);
		cps = NULL;
	}
	*out = cps;
	*nout = ncp;
	return 0;
}
