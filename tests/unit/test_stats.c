/*
 * Unit tests for src/judge/stats.c. Reference numbers come from
 * tests/unit/stats_reference.py (python3, standard library only), which
 * computes them independently: brute-force enumeration of the U
 * distribution, an exact integer recursion for large m and n, and the
 * Hodges-Lehmann and median intervals straight from their definitions.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

#define ASSERT_NEAR(a, b, tol) assert_true(fabs((double)(a) - (double)(b)) <= (tol))

static void test_median_quantile(void **state)
{
	const double odd[] = { 5, 1, 3 };
	const double even[] = { 4, 1, 3, 2 };
	const double q[] = { 10, 20, 30, 40, 50 };

	(void)state;
	ASSERT_NEAR(stats_median(odd, 3), 3, 0);
	ASSERT_NEAR(stats_median(even, 4), 2.5, 0);
	assert_true(isnan(stats_median(odd, 0)));
	/* Type 7: h = (n-1)q, linear between neighbours. */
	ASSERT_NEAR(stats_quantile(q, 5, 0), 10, 1e-12);
	ASSERT_NEAR(stats_quantile(q, 5, 1), 50, 1e-12);
	ASSERT_NEAR(stats_quantile(q, 5, 0.5), 30, 1e-12);
	ASSERT_NEAR(stats_quantile(q, 5, 0.1), 14, 1e-12);
	ASSERT_NEAR(stats_quantile(q, 5, 0.9), 46, 1e-12);
	ASSERT_NEAR(stats_quantile(even, 4, 0.25), 1.75, 1e-12);
	ASSERT_NEAR(stats_quantile(odd, 1, 0.3), 5, 0);
	assert_true(isnan(stats_quantile(q, 0, 0.5)));
	/* The input is not modified. */
	assert_true(odd[0] == 5 && odd[1] == 1 && odd[2] == 3);
}

struct cdf_case {
	size_t m, n;
	long k;
	double p;
};

static void test_mw_cdf_small(void **state)
{
	/* stats_reference.py "U null cdf, brute force". */
	static const struct cdf_case cases[] = {
		{ 1, 1, 0, 0.5 },
		{ 2, 3, 1, 0.20000000000000001 },
		{ 3, 3, 2, 0.20000000000000001 },
		{ 4, 4, 0, 0.014285714285714285 },
		{ 4, 4, 3, 0.10000000000000001 },
		{ 5, 5, 2, 0.015873015873015872 },
		{ 5, 5, 3, 0.027777777777777776 },
		{ 4, 7, 5, 0.054545454545454543 },
		{ 6, 6, 5, 0.020562770562770564 },
		{ 8, 8, 13, 0.024941724941724943 },
		{ 10, 10, 23, 0.02162852627248912 },
		{ 10, 10, 50, 0.51474377016172679 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cdf_case *c = &cases[i];
		ASSERT_NEAR(stats_mw_cdf(c->m, c->n, c->k), c->p, 1e-12);
		/* U's distribution does not depend on which sample is first. */
		ASSERT_NEAR(stats_mw_cdf(c->n, c->m, c->k), c->p, 1e-12);
	}
	assert_true(stats_mw_cdf(5, 5, -1) == 0);
	assert_true(stats_mw_cdf(5, 5, 25) == 1);
	assert_true(stats_mw_cdf(5, 5, 1000) == 1);
}

static void test_mw_cdf_large(void **state)
{
	/* stats_reference.py "U null cdf, exact integer recursion". */
	/* clang-format off */
	static const struct cdf_case cases[] = {
		{ 20, 20, 127, 0.024545162594686219 },
		{ 30, 25, 200, 0.0013449679801551002 },
		{ 60, 60, 1400, 0.017838829093200184 },
		{ 60, 60, 1800, 0.50104300757877884 },
		{ 60, 1, 0, 0.016393442622950821 },
	};
	/* clang-format on */
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cdf_case *c = &cases[i];
		double p = stats_mw_cdf(c->m, c->n, c->k);
		assert_true(fabs(p - c->p) <= 1e-10 * c->p);
	}
}

static void test_mw_critical_values(void **state)
{
	/*
	 * The published table of two-tailed alpha = 0.05 critical values of
	 * the Mann-Whitney U for equal samples (n = 4..10: 0, 2, 5, 8, 13, 17,
	 * 23), which stats_reference.py reproduces by enumeration: the largest
	 * u with P(U <= u) <= 0.025.
	 */
	static const long crit[] = { 0, 2, 5, 8, 13, 17, 23 };
	size_t n;

	(void)state;
	for (n = 4; n <= 10; n++) {
		long u = crit[n - 4];
		assert_true(stats_mw_cdf(n, n, u) <= 0.025);
		assert_true(stats_mw_cdf(n, n, u + 1) > 0.025);
	}
}

static void check_interval(const struct interval *iv, double lo, double est, double hi,
			   double achieved)
{
	ASSERT_NEAR(iv->lo, lo, 1e-12);
	ASSERT_NEAR(iv->est, est, 1e-12);
	ASSERT_NEAR(iv->hi, hi, 1e-12);
	ASSERT_NEAR(iv->achieved, achieved, 1e-12);
}

static void test_ratio_ci(void **state)
{
	const double base[] = { 1.02, 0.98, 1.05, 1.00, 0.97 };
	const double head[] = { 0.52, 0.49, 0.55, 0.50, 0.51 };
	const double b2[] = { 5.1, 4.9, 5.3, 5.0, 5.2, 4.8, 5.05 };
	const double h2[] = { 5.2, 5.0, 4.95, 5.15, 5.4, 4.85 };
	const double tb[] = { 2.0, 3.0 }, th[] = { 4.0, 9.0 };
	const double e3b[] = { 1.0, 1.2, 1.5 }, e3h[] = { 1.1, 1.6, 2.0 };
	struct interval iv;

	(void)state;
	/* stats_reference.py "HL ratio" lines (k lo est hi achieved). */
	assert_int_equal(stats_ratio_ci(base, 5, head, 5, 0.95, &iv), 0);
	check_interval(&iv, 0.48039215686274506, 0.51000000000000001, 0.55000000000000004,
		       0.96825396825396826);

	assert_int_equal(stats_ratio_ci(b2, 7, h2, 6, 0.95, &iv), 0);
	check_interval(&iv, 0.96039603960396036, 1.0100039817828872, 1.0612244897959182,
		       0.965034965034965);
	assert_int_equal(stats_ratio_ci(b2, 7, h2, 6, 0.80, &iv), 0);
	check_interval(&iv, 0.98019801980198029, 1.0100039817828872, 1.0384615384615385,
		       0.8193473193473193);

	/* Too few runs for 95%: min..max with what it reaches (1 - 2/6). */
	assert_int_equal(stats_ratio_ci(tb, 2, th, 2, 0.95, &iv), 0);
	check_interval(&iv, 1.3333333333333333, 2.4494897427831779, 4.5, 0.66666666666666663);

	/* P(U <= 1) is exactly alpha/2 = 0.1 (although 1 - 0.8 is not exactly
	 * 0.2 in binary): the boundary k = 2 is taken. */
	assert_int_equal(stats_ratio_ci(e3b, 3, e3h, 3, 0.80, &iv), 0);
	check_interval(&iv, 0.91666666666666674, 1.3333333333333333, 1.6666666666666667,
		       0.80000000000000004);

	/* Swapping the sides inverts the ratio and its interval. */
	assert_int_equal(stats_ratio_ci(head, 5, base, 5, 0.95, &iv), 0);
	ASSERT_NEAR(iv.est, 1 / 0.51, 1e-12);
	ASSERT_NEAR(iv.lo, 1 / 0.55000000000000004, 1e-12);
	ASSERT_NEAR(iv.hi, 1 / 0.48039215686274506, 1e-12);

	/* One run each: the one ratio, with no confidence at all. */
	assert_int_equal(stats_ratio_ci(tb, 1, th, 1, 0.95, &iv), 0);
	check_interval(&iv, 2, 2, 2, 0);

	assert_int_equal(stats_ratio_ci(base, 0, head, 5, 0.95, &iv), -1);
	assert_int_equal(stats_ratio_ci(base, 5, head, 0, 0.95, &iv), -1);
}

static void test_diff_ci(void **state)
{
	const double b2[] = { 5.1, 4.9, 5.3, 5.0, 5.2, 4.8, 5.05 };
	const double h2[] = { 5.2, 5.0, 4.95, 5.15, 5.4, 4.85 };
	const double sb[] = { 0.040, 0.038, 0.045, 0.041, 0.039 };
	const double sh[] = { 0.043, 0.040, 0.090, 0.042, 0.041 };
	struct interval iv;

	(void)state;
	/* stats_reference.py "HL diff" lines (k lo est hi achieved). */
	assert_int_equal(stats_diff_ci(b2, 7, h2, 6, 0.95, &iv), 0);
	check_interval(&iv, -0.20000000000000018, 0.04999999999999982, 0.3000000000000007,
		       0.965034965034965);
	/* one slow outlier run (0.090 s) moves the estimate by 2 ms, not 50 */
	assert_int_equal(stats_diff_ci(sb, 5, sh, 5, 0.95, &iv), 0);
	check_interval(&iv, -0.0029999999999999957, 0.0020000000000000018, 0.049999999999999996,
		       0.9682539682539683);
	assert_int_equal(stats_diff_ci(sb, 0, sh, 5, 0.95, &iv), -1);
}

static void test_signrank_and_paired(void **state)
{
	const double d[] = { 0.02, -0.01, 0.03, 0.05, 0.0, 0.01, 0.04, -0.02, 0.03, 0.02 };
	const double d3[] = { 0.1, 0.2, 0.15 };
	struct interval iv;

	(void)state;
	/* stats_reference.py "signed-rank cdf" lines (brute force over 2^n
	 * signs); they are the published two-sided 0.05 critical values of
	 * T+ for n = 8, 10, 12, 15 (3, 8, 13, 25). */
	ASSERT_NEAR(stats_signrank_cdf(5, 0), 0.03125, 1e-15);
	ASSERT_NEAR(stats_signrank_cdf(6, 2), 0.046875, 1e-15);
	ASSERT_NEAR(stats_signrank_cdf(8, 3), 0.01953125, 1e-15);
	ASSERT_NEAR(stats_signrank_cdf(10, 8), 0.0244140625, 1e-15);
	ASSERT_NEAR(stats_signrank_cdf(12, 13), 0.021240234375, 1e-15);
	ASSERT_NEAR(stats_signrank_cdf(15, 25), 0.023956298828125, 1e-15);
	assert_true(stats_signrank_cdf(4, -1) == 0 && stats_signrank_cdf(4, 10) == 1);
	/* stats_reference.py "paired HL" lines (k lo est hi achieved) */
	assert_int_equal(stats_paired_ci(d, 10, 0.95, &iv), 0);
	check_interval(&iv, 0.0, 0.02, 0.035, 0.951171875);
	assert_int_equal(stats_paired_ci(d3, 3, 0.95, &iv), 0);
	check_interval(&iv, 0.1, 0.15000000000000002, 0.2, 0.75);
	assert_int_equal(stats_paired_ci(d, 0, 0.95, &iv), -1);
}

static void test_ratio_ci_clamps(void **state)
{
	const double base[] = { 0.0, 0.0, 0.0 };
	const double head[] = { 1e-9, -1.0, 0.0 };
	struct interval iv;

	(void)state;
	const double sub_ms_b[] = { 0.0001, 0.0002, 0.0003 };
	const double sub_ms_h[] = { 0.0006, 0.0009, 0.0008 };
	const double ten_ms[] = { 0.010, 0.010, 0.010 };

	/* Zero and negative times are raised to the 1 ms floor: finite, ratio 1. */
	assert_int_equal(stats_ratio_ci(base, 3, head, 3, 0.95, &iv), 0);
	ASSERT_NEAR(iv.est, 1, 1e-12);
	assert_true(isfinite(iv.lo) && isfinite(iv.hi));
	/* 3x of sub-millisecond noise is no change at all ... */
	assert_int_equal(stats_ratio_ci(sub_ms_b, 3, sub_ms_h, 3, 0.95, &iv), 0);
	ASSERT_NEAR(iv.lo, 1, 1e-12);
	ASSERT_NEAR(iv.hi, 1, 1e-12);
	/* ... while 10 ms against nothing still reads as 10x the floor. */
	assert_int_equal(stats_ratio_ci(sub_ms_b, 3, ten_ms, 3, 0.95, &iv), 0);
	ASSERT_NEAR(iv.est, 10, 1e-9);
}

static void test_ratio_ci_sixty(void **state)
{
	double base[60], head[60];
	struct interval iv;
	size_t i;

	(void)state;
	/* Identical spreads, head exactly 2x: every estimate must be near 2
	 * and the level reached without falling back to min..max. */
	for (i = 0; i < 60; i++) {
		base[i] = 1 + 0.01 * (double)((i * 37) % 60);
		head[i] = 2 * (1 + 0.01 * (double)((i * 11) % 60));
	}
	assert_int_equal(stats_ratio_ci(base, 60, head, 60, 0.95, &iv), 0);
	ASSERT_NEAR(iv.est, 2, 1e-9);
	assert_true(iv.lo < 2 && iv.hi > 2);
	assert_true(iv.lo > 1.8 && iv.hi < 2.2);
	assert_true(iv.achieved >= 0.95 && iv.achieved < 0.96);
}

static void test_median_ci(void **state)
{
	const double xs[] = { 3.1, 2.7, 3.3, 2.9, 3.6, 3.0, 2.8, 3.4, 3.2, 2.6 };
	struct interval iv;

	(void)state;
	/* stats_reference.py "median CI" lines. n = 10 gives [x(2), x(9)] at
	 * 1 - 2 * 11/1024, the textbook binomial interval. */
	assert_int_equal(stats_median_ci(xs, 10, 0.95, &iv), 0);
	check_interval(&iv, 2.7000000000000002, 3.0499999999999998, 3.3999999999999999,
		       0.978515625);
	/* n = 5 cannot reach 95%: min..max at 1 - 2/32. */
	assert_int_equal(stats_median_ci(xs, 5, 0.95, &iv), 0);
	check_interval(&iv, 2.7000000000000002, 3.1000000000000001, 3.6000000000000001, 0.9375);
	assert_int_equal(stats_median_ci(xs, 6, 0.95, &iv), 0);
	check_interval(&iv, 2.7000000000000002, 3.0499999999999998, 3.6000000000000001, 0.96875);
	assert_int_equal(stats_median_ci(xs, 1, 0.95, &iv), 0);
	check_interval(&iv, 3.1, 3.1, 3.1, 0);
	assert_int_equal(stats_median_ci(xs, 0, 0.95, &iv), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median_quantile),
		cmocka_unit_test(test_mw_cdf_small),
		cmocka_unit_test(test_mw_cdf_large),
		cmocka_unit_test(test_mw_critical_values),
		cmocka_unit_test(test_ratio_ci),
		cmocka_unit_test(test_diff_ci),
		cmocka_unit_test(test_signrank_and_paired),
		cmocka_unit_test(test_ratio_ci_clamps),
		cmocka_unit_test(test_ratio_ci_sixty),
		cmocka_unit_test(test_median_ci),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
