/*
 * record_build (history/record_build.h): a side of results made into a
 * record, and the rule that keeps one side's scenario open for more rounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib.h"

#include "record_build.h"

static void fill(struct results *r)
{
	struct scenario_result *sc;
	int k;

	results_init(r);
	r->suite_name = xstrdup("s");
	r->settings.runs = 3;
	r->settings.max_runs = 9;
	r->settings.confidence = 0.95;
	r->rev[SIDE_BASE].spec = xstrdup("v1.2");
	r->env.cores = 2;
	r->env.cpu_model = xstrdup("Xeon");
	r->env.hyperfine = xstrdup("hyperfine 1.15.0");
	sc = test_scenario(r, "kind=idle");
	test_param(sc, "kind", "idle");
	sc->role = ROLE_IDLE;
	test_sample(sc, SIDE_BASE, 0, 9, 9, 9); /* a warm-up: not counted */
	for (k = 1; k <= 5; k++)
		test_sample(sc, SIDE_BASE, k, 1.0 + 0.01 * k, 0.1, 0.0);
	sc = test_scenario(r, "kind=noisy");
	for (k = 1; k <= 6; k++)
		test_sample(sc, SIDE_BASE, k, k % 2 ? 1.0 : 1.5, 0.2, 0.0);
	sc = test_scenario(r, "kind=broken");
	sc->error = xstrdup("exit code 1 in round 1");
}

/* What the program reports goes into the record too: the value and CPU
 * seconds per unit of it, each a figure the history can follow. */
static void test_reported(void **state)
{
	struct results r;
	struct scenario_result *sc;
	struct record rec;
	const struct record_figure *f;
	size_t i;
	int k;

	(void)state;
	results_init(&r);
	r.suite_name = xstrdup("s");
	r.settings.confidence = 0.95;
	sc = test_scenario(&r, "kind=idle");
	sc->metrics = xcalloc(1, sizeof(*sc->metrics));
	sc->metrics[0].name = xstrdup("items");
	sc->metrics[0].unit = xstrdup("item");
	sc->metrics[0].bigger = 1;
	sc->nmetrics = 1;
	for (k = 1; k <= 5; k++)
		test_sample(sc, SIDE_BASE, k, 1.0, 0.2, 0.0);
	for (i = 0; i < sc->samples[SIDE_BASE].n; i++)
		sc->samples[SIDE_BASE].v[i].reported[0] = 400;
	assert_int_equal(
		record_build(&rec, &r, SIDE_BASE, &(struct record_build_opts){ .commit = NULL }),
		0);
	f = record_figure(&rec, "kind=idle", "items");
	assert_non_null(f);
	assert_true(f->median == 400 && f->n == 5);
	f = record_figure(&rec, "kind=idle", "cpu_per:items");
	assert_non_null(f);
	assert_true(fabs(f->median - 0.2 / 400) < 1e-15);
	record_release(&rec);
	results_release(&r);
}

static void test_build(void **state)
{
	struct results r;
	struct record rec;
	const struct record_figure *f;

	(void)state;
	fill(&r);
	assert_int_equal(
		record_build(&rec, &r, SIDE_BASE, &(struct record_build_opts){ .commit = NULL }),
		0);
	assert_string_equal(rec.rev, "v1.2");
	assert_string_equal(rec.runner.kind, "2 x Xeon");
	assert_null(rec.commit);
	assert_int_equal(rec.nscenarios, 3);
	assert_int_equal(rec.scenarios[0].rounds, 5);
	assert_int_equal(rec.scenarios[0].role, ROLE_IDLE);
	assert_string_equal(rec.scenarios[0].params[0].value, "idle");
	assert_true(isnan(rec.scenarios[0].contention));
	f = record_figure(&rec, "kind=idle", "wall");
	assert_non_null(f);
	assert_int_equal(f->n, 5);
	assert_true(fabs(f->median - 1.03) < 1e-12);
	/* 5 runs reach 93.75% at most: the widest interval, min..max */
	assert_true(fabs(f->lo - 1.01) < 1e-12 && fabs(f->hi - 1.05) < 1e-12);
	f = record_figure(&rec, "kind=idle", "cpu");
	assert_true(fabs(f->median - 0.1) < 1e-12);
	/* no judged run: no figure, the error kept */
	assert_int_equal(rec.scenarios[2].nfigures, 0);
	assert_string_equal(rec.scenarios[2].error, "exit code 1 in round 1");
	record_release(&rec);
	assert_int_equal(record_build(&rec, &r, SIDE_BASE,
				      &(struct record_build_opts){
					      .commit = "0123456789abcdef0123456789abcdef01234567",
					      .date = "2026-12-01T00:00:00+00:00",
					      .runner_kind = "ubuntu-24.04 x64",
				      }),
			 0);
	assert_string_equal(rec.runner.kind, "ubuntu-24.04 x64");
	assert_string_equal(rec.date, "2026-12-01T00:00:00+00:00");
	record_release(&rec);
	results_release(&r);
}

static void test_open(void **state)
{
	struct results r;

	(void)state;
	fill(&r);
	/* 1.01..1.05: 4% of the median, settled */
	assert_int_equal(record_scenario_open(&r, SIDE_BASE, 0), 0);
	/* 1.0..1.5: vague, open */
	assert_int_equal(record_scenario_open(&r, SIDE_BASE, 1), 1);
	/* failed: settled */
	assert_int_equal(record_scenario_open(&r, SIDE_BASE, 2), 0);
	results_release(&r);
	/* a vague figure a few milliseconds wide is not worth a round */
	results_init(&r);
	{
		struct scenario_result *sc = test_scenario(&r, "fast");
		int k;

		for (k = 1; k <= 4; k++)
			test_sample(sc, SIDE_BASE, k, k % 2 ? 0.010 : 0.013, 0.001, 0);
	}
	assert_int_equal(record_scenario_open(&r, SIDE_BASE, 0), 0);
	results_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_reported),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
