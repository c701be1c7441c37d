/* noise: spread, steal arithmetic, the probe's plausibility and the warning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "noise.h"

static void test_spread(void **state)
{
	const double v[] = { 1.0, 1.1, 0.9, 1.0, 1.05 };
	const double preempted[] = { 1.0, 1.01, 0.99, 1.0, 3.0, 1.02, 0.98 };
	const double three[] = { 1.0, 1.2, 0.9 };
	const double one[] = { 2.0 };

	(void)state;
	/* sorted 0.9 1.0 1.0 1.05 1.1: (1.05 - 1.0) / 1.0 */
	assert_true(fabs(noise_spread(v, 5) - 0.05) < 1e-12);
	/* one preempted repeat (3.0) is not noise of the machine */
	assert_true(fabs(noise_spread(preempted, 7) - 0.03) < 1e-12);
	/* below 5 values, the full range */
	assert_true(fabs(noise_spread(three, 3) - 0.3) < 1e-12);
	assert_true(isnan(noise_spread(one, 1)));
}

static void test_steal(void **state)
{
	struct noise_steal a = { 10, 1000, 1 }, b = { 60, 2000, 1 }, bad = { 0, 0, 0 };

	(void)state;
	assert_true(fabs(noise_steal_percent(&a, &b) - 5.0) < 1e-12);
	assert_true(isnan(noise_steal_percent(&a, &bad)));
	assert_true(isnan(noise_steal_percent(&b, &a)));
	noise_steal_read(&a);
	assert_int_equal(a.ok, 1); /* Linux has /proc/stat */
	assert_true(a.total > 0);
}

static void test_probe(void **state)
{
	struct env_info e;

	(void)state;
	memset(&e, 0, sizeof(e));
	noise_probe(&e);
	assert_true(isfinite(e.noise_cpu) && e.noise_cpu >= 0);
	assert_true(isfinite(e.noise_sleep) && e.noise_sleep >= 0);
}

static void test_warn(void **state)
{
	struct check wall = { (char *)"wall",
			      NULL,
			      NULL,
			      0,
			      { METRIC_WALL, RULE_RATIO_MAX, 1.10 },
			      0,
			      { METRIC_WALL, RULE_HEAD_MAX, 0 },
			      0,
			      { METRIC_WALL, RULE_HEAD_MIN, 0 } };
	struct thresholds t = { (char *)"t.json", 0.95, 5, 15, &wall, 1 };
	struct env_info e;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	memset(&e, 0, sizeof(e));
	msg_set_stream(f);
	e.noise_cpu = 0.03;
	assert_int_equal(noise_warn(&e, &t), 0);
	e.noise_cpu = 0.12;
	assert_int_equal(noise_warn(&e, &t), 1);
	e.noise_cpu = NAN;
	assert_int_equal(noise_warn(&e, &t), 0);
	msg_set_stream(NULL);
	fclose(f);
	assert_non_null(strstr(text, "spin-gate: warning: this runner is noisy: a fixed CPU loop "
				     "varied by 12% between repeats, more than half the 10% "
				     "wall-time tolerance"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_warn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
