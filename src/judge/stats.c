#include "stats.h"

#include "buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Above this many pairs the exact U distribution costs O((m*n)^2) additions
 * (1e8 at the limit, about a tenth of a second); past it the normal
 * approximation is as good as exact for any level a gate uses.
 */
#define MW_EXACT_MAX_PAIRS 10000

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_double);
}

static double *sorted_copy(const double *v, size_t n)
{
	double *s = xmalloc(n * sizeof(*s));

	if (n)
		memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

/* Median of an already sorted array. */
static double median_sorted(const double *s, size_t n)
{
	if (!n)
		return NAN;
	if (n % 2)
		return s[n / 2];
	return (s[n / 2 - 1] + s[n / 2]) / 2;
}

double stats_median(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = sorted_copy(v, n);
	m = median_sorted(s, n);
	free(s);
	return m;
}

double stats_quantile(const double *v, size_t n, double q)
{
	double *s, h, f, r;
	size_t i;

	if (!n || isnan(q))
		return NAN;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	s = sorted_copy(v, n);
	h = (double)(n - 1) * q;
	f = floor(h);
	i = (size_t)f;
	r = s[i];
	if (i + 1 < n)
		r += (h - f) * (s[i + 1] - s[i]);
	free(s);
	return r;
}

/*
 * The null distribution of U as probabilities p[0..m*n]. The number of
 * orderings with U = u equals the number of partitions of u into at most m
 * parts each at most n (the Gaussian binomial coefficient [m+n, m]); those
 * counts are built by adding parts of size 1..n in turn, using additions
 * only, so nothing cancels. g[c][u] counts partitions of u into exactly c
 * parts. Counts reach C(120, 60) ~ 1e35 at m = n = 60: fine for doubles.
 */
static double *mw_exact_dist(size_t m, size_t n)
{
	size_t mn = m * n, width = mn + 1, c, s, u;
	double *g, *p, total = 0;

	/* Fewer parts of larger size: the same counts, less work. */
	if (m > n) {
		size_t t = m;
		m = n;
		n = t;
	}
	g = xcalloc((m + 1) * width, sizeof(*g));
	p = xcalloc(width, sizeof(*p));
	g[0] = 1;
	for (s = 1; s <= n; s++)
		for (c = 1; c <= m; c++)
			for (u = s; u <= c * s; u++)
				g[c * width + u] += g[(c - 1) * width + u - s];
	for (c = 0; c <= m; c++)
		for (u = 0; u <= mn; u++)
			p[u] += g[c * width + u];
	for (u = 0; u <= mn; u++)
		total += p[u];
	for (u = 0; u <= mn; u++)
		p[u] /= total;
	free(g);
	return p;
}

/* Cumulative form of mw_exact_dist(): c[u] = P(U <= u). */
static double *mw_exact_cdf(size_t m, size_t n)
{
	double *p = mw_exact_dist(m, n), acc = 0;
	size_t u;

	for (u = 0; u <= m * n; u++) {
		acc += p[u];
		p[u] = acc > 1 ? 1 : acc;
	}
	return p;
}

static double normal_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/* Normal approximation with continuity correction (no ties). */
static double mw_normal_cdf(size_t m, size_t n, long k)
{
	double mean = (double)m * (double)n / 2;
	double sd = sqrt((double)m * (double)n * (double)(m + n + 1) / 12);

	return normal_cdf(((double)k + 0.5 - mean) / sd);
}

double stats_mw_cdf(size_t m, size_t n, long k)
{
	double *c, r;

	if (k < 0)
		return 0;
	if (!m || !n || (size_t)k >= m * n)
		return 1;
	if (m * n > MW_EXACT_MAX_PAIRS)
		return mw_normal_cdf(m, n, k);
	c = mw_exact_cdf(m, n);
	r = c[k];
	free(c);
	return r;
}

/*
 * The order statistic index k for a two-sided `conf` interval
 * [x_(k), x_(N+1-k)] (1-based) from a symmetric discrete null: the largest
 * k with P(T <= k-1) <= alpha/2, where cdf[t] = P(T <= t). 0 when even k = 1
 * does not reach the level. `half` bounds k so that the interval is not
 * inverted.
 */
static size_t order_index(const double *cdf, size_t half, double conf)
{
	double tail = (1 - conf) / 2;
	size_t k = 0;

	/* A hair of slack so a tail that equals alpha/2 exactly counts. */
	while (k < half && cdf[k] <= tail * (1 + 1e-12))
		k++;
	return k;
}

/*
 * Fill `out` from sorted values s[0..N-1] and the index k of order_index():
 * `tail` is P(T <= k-1), or P(T <= 0) when k is 0 (the widest interval).
 */
static void interval_from_order(const double *s, size_t N, size_t k, double tail, double est,
				struct interval *out)
{
	if (!k) {
		out->lo = s[0];
		out->hi = s[N - 1];
	} else {
		out->lo = s[k - 1];
		out->hi = s[N - k];
	}
	out->est = est;
	out->achieved = 1 - 2 * tail;
	if (out->achieved < 0)
		out->achieved = 0;
}

/* Hodges-Lehmann shift of head against base with its exact interval, on the
 * log scale (a ratio) or the raw scale (a difference in seconds). */
static int hl_shift_ci(const double *base, size_t nb, const double *head, size_t nh, double conf,
		       int log_scale, struct interval *out)
{
	size_t N, i, j, k, half;
	double *d, *cdf = NULL, tail;
	int exact;

	if (!nb || !nh)
		return -1;
	N = nb * nh;
	d = xmalloc(N * sizeof(*d));
	for (i = 0; i < nh; i++) {
		for (j = 0; j < nb; j++) {
			if (log_scale)
				d[i * nb + j] = log(fmax(head[i], STATS_RATIO_FLOOR)) -
						log(fmax(base[j], STATS_RATIO_FLOOR));
			else
				d[i * nb + j] = head[i] - base[j];
		}
	}
	qsort(d, N, sizeof(*d), cmp_double);

	half = (N + 1) / 2;
	exact = N <= MW_EXACT_MAX_PAIRS;
	if (exact) {
		cdf = mw_exact_cdf(nb, nh);
		k = order_index(cdf, half, conf);
		tail = cdf[k ? k - 1 : 0];
	} else {
		k = 0;
		while (k < half && mw_normal_cdf(nb, nh, (long)k) <= (1 - conf) / 2)
			k++;
		tail = mw_normal_cdf(nb, nh, k ? (long)k - 1 : 0);
	}
	interval_from_order(d, N, k, tail, median_sorted(d, N), out);
	if (log_scale) {
		out->lo = exp(out->lo);
		out->est = exp(out->est);
		out->hi = exp(out->hi);
	}
	free(cdf);
	free(d);
	return 0;
}

int stats_ratio_ci(const double *base, size_t nb, const double *head, size_t nh, double conf,
		   struct interval *out)
{
	return hl_shift_ci(base, nb, head, nh, conf, 1, out);
}

int stats_diff_ci(const double *base, size_t nb, const double *head, size_t nh, double conf,
		  struct interval *out)
{
	return hl_shift_ci(base, nb, head, nh, conf, 0, out);
}

int stats_median_ci(const double *v, size_t n, double conf, struct interval *out)
{
	double *s, *cdf, p, acc = 0;
	size_t i, k;

	if (!n)
		return -1;
	s = sorted_copy(v, n);
	/* Binomial(n, 1/2) cdf; p walks C(n, i) / 2^n without overflow. */
	cdf = xmalloc((n + 1) * sizeof(*cdf));
	p = pow(0.5, (double)n);
	for (i = 0; i <= n; i++) {
		acc += p;
		cdf[i] = acc;
		p = p * (double)(n - i) / (double)(i + 1);
	}
	k = order_index(cdf, (n + 1) / 2, conf);
	interval_from_order(s, n, k, cdf[k ? k - 1 : 0], median_sorted(s, n), out);
	free(cdf);
	free(s);
	return 0;
}

double stats_signrank_cdf(size_t n, long k)
{
	double *c, acc = 0, total;
	size_t M = n * (n + 1) / 2, t, j;

	if (k < 0)
		return 0;
	if ((size_t)k >= M)
		return 1;
	c = xcalloc(M + 1, sizeof(*c));
	c[0] = 1;
	/* c[t]: subsets of {1..n} whose sum is t */
	for (j = 1; j <= n; j++)
		for (t = M; t >= j; t--)
			c[t] += c[t - j];
	total = ldexp(1, (int)n);
	for (t = 0; t <= (size_t)k; t++)
		acc += c[t];
	free(c);
	return acc / total;
}

int stats_paired_ci(const double *d, size_t n, double conf, struct interval *out)
{
	size_t M, i, j, k = 0, w = 0, half;
	double *walsh, *cdf, tail;

	if (!n || n > STATS_PAIRED_MAX)
		return -1;
	M = n * (n + 1) / 2;
	walsh = xmalloc(M * sizeof(*walsh));
	for (i = 0; i < n; i++)
		for (j = i; j < n; j++)
			walsh[w++] = (d[i] + d[j]) / 2;
	qsort(walsh, M, sizeof(*walsh), cmp_double);
	/* the exact null distribution of the signed-rank statistic */
	cdf = xcalloc(M + 1, sizeof(*cdf));
	cdf[0] = 1;
	for (j = 1; j <= n; j++)
		for (i = M; i >= j; i--)
			cdf[i] += cdf[i - j];
	tail = 0;
	for (i = 0; i <= M; i++) {
		tail += cdf[i];
		cdf[i] = fmin(1, tail / ldexp(1, (int)n));
	}
	half = (M + 1) / 2;
	k = order_index(cdf, half, conf);
	tail = cdf[k ? k - 1 : 0];
	interval_from_order(walsh, M, k, tail, median_sorted(walsh, M), out);
	free(cdf);
	free(walsh);
	return 0;
}
