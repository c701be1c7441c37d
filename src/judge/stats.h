#ifndef SPIN_GATE_STATS_H
#define SPIN_GATE_STATS_H
/*
 * stats: the statistics the judge decides with. Pure functions: no I/O, no
 * globals, no randomness (every result is reproducible from its inputs).
 *
 * Ratios are estimated on the log scale: a change of the machine's speed
 * multiplies run times, so head/base is a shift of log(time), and
 * distribution-free rank methods for a shift apply.
 *
 * - stats_ratio_ci(): Hodges-Lehmann estimate of head/base, exp(median of
 *   all pairwise log(h_i) - log(b_j)), with the exact distribution-free
 *   confidence interval from the Mann-Whitney U distribution (Bauer 1972;
 *   Hollander & Wolfe, Nonparametric Statistical Methods, 3rd ed., 4.3).
 *   Exact for any n, no normality assumed; assumes the two samples differ by
 *   a multiplicative shift and runs are independent.
 * - stats_median_ci(): the sample median with the distribution-free interval
 *   from binomial order statistics (Hollander & Wolfe 3.6).
 *
 * Where n is too small to reach the requested confidence, the widest
 * interval (min..max) is returned and `achieved` says what it reaches.
 */
#include <stddef.h>

struct interval {
	double lo;
	double est;
	double hi;
	double achieved; /* confidence level the interval actually has */
};

/* Sorts v ascending in place. */
void stats_sort(double *v, size_t n);

/* Median of v (not modified); NaN when n is 0. */
double stats_median(const double *v, size_t n);
/* Quantile q in [0,1] with linear interpolation (type 7); NaN when n is 0. */
double stats_quantile(const double *v, size_t n, double q);

/*
 * P(U <= k) for the Mann-Whitney U statistic of samples of sizes m and n
 * under the null hypothesis of no difference. Exact (counts of partitions,
 * O((m*n)^2) additions) up to m*n = 10000, e.g. 100 runs a side; beyond, the
 * normal approximation with continuity correction. k < 0 gives 0, k >= m*n
 * (or an empty sample) gives 1.
 */
double stats_mw_cdf(size_t m, size_t n, long k);

/*
 * Hodges-Lehmann ratio head/base with its two-sided `conf` interval.
 * Values below STATS_RATIO_FLOOR are raised to it: a ratio of two CPU times
 * under a millisecond (an idle process's system time) is resolution noise,
 * and without a floor 0.0001 s against 0.0003 s would read as "3x".
 * Returns 0, or -1 when either sample is empty.
 */
#define STATS_RATIO_FLOOR 1e-3

int stats_ratio_ci(const double *base, size_t nb, const double *head, size_t nh, double conf,
		   struct interval *out);

/*
 * Hodges-Lehmann difference head - base (median of all pairwise differences)
 * with the same exact interval, on the raw scale: for rules that tolerate a
 * small absolute change (a few milliseconds of start-up jitter). -1 when
 * either sample is empty.
 */
int stats_diff_ci(const double *base, size_t nb, const double *head, size_t nh, double conf,
		  struct interval *out);

/*
 * Paired differences (head - base of the same round, or their log ratio):
 * the Hodges-Lehmann estimate (median of the Walsh averages (d_i + d_j) / 2,
 * i <= j) with the exact interval from the Wilcoxon signed-rank distribution
 * (Hollander & Wolfe 3.3). Pairing by round removes what drifts between
 * rounds (the machine getting slower or faster), which the interleaved
 * design makes possible. Assumes the differences are symmetric about the
 * true shift. -1 when n is 0 or above STATS_PAIRED_MAX.
 */
#define STATS_PAIRED_MAX 1000
int stats_paired_ci(const double *d, size_t n, double conf, struct interval *out);

/* P(T+ <= k) of the Wilcoxon signed-rank statistic for n pairs under the
 * null hypothesis (exact). */
double stats_signrank_cdf(size_t n, long k);

/* Median of v with its two-sided `conf` interval. -1 when n is 0. */
int stats_median_ci(const double *v, size_t n, double conf, struct interval *out);

#endif
