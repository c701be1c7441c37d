/* noise: spread and the probe's plausibility. */
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

static void test_probe(void **state)
{
	struct env_info e;

	(void)state;
	memset(&e, 0, sizeof(e));
	noise_probe(&e);
	assert_true(isfinite(e.noise_cpu) && e.noise_cpu >= 0);
	assert_true(isfinite(e.noise_sleep) && e.noise_sleep >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spread),
		cmocka_unit_test(test_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
