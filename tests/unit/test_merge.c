/* Unit tests of src/model/merge.c: each refusal of merge_check() with its message,
 * the combination in matrix order with each scenario's machine, and the line
 * about unlike machines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "testlib.h"

#define NSHARDS 3
#define MATRIX	5

static const char *const paths[NSHARDS] = { "s1.json", "s2.json", "s3.json" };
/* slices of the 5-scenario matrix: {0, 3}, {1, 4}, {2} */
static const size_t slice[NSHARDS][2] = { { 0, 3 }, { 1, 4 }, { 2, 0 } };
static const size_t slice_n[NSHARDS] = { 2, 2, 1 };

static struct results sh[NSHARDS];

static void make_shard(struct results *r, int index)
{
	size_t i;

	results_init(r);
	r->complete = 1;
	r->suite_name = xstrdup("fake");
	r->suite_digest = xstrdup("1111111111111111");
	r->thresholds_digest = xstrdup("2222222222222222");
	r->settings.runs = 3;
	r->settings.max_runs = 10;
	r->rev[SIDE_BASE].spec = xstrdup("main");
	r->rev[SIDE_BASE].resolved = xstrdup("aaaa");
	r->rev[SIDE_HEAD].spec = xstrdup("HEAD");
	r->rev[SIDE_HEAD].resolved = xstrdup("bbbb");
	r->env.host = xstrfmt("runner-%d", index);
	r->env.cpu_model = xstrdup("Test CPU");
	r->env.cores = 2;
	r->env.hyperfine = xstrdup("hyperfine 1.15.0");
	r->started = xstrfmt("2026-11-29T00:0%d:00Z", 4 - index);
	r->finished = xstrfmt("2026-11-29T00:1%d:00Z", index);
	r->shard.index = index;
	r->shard.count = NSHARDS;
	r->shard.matrix = MATRIX;
	r->shard.n = slice_n[index - 1];
	r->shard.scenarios = xcalloc(2, sizeof(size_t));
	r->shard.expected = xcalloc(2, sizeof(double));
	for (i = 0; i < r->shard.n; i++) {
		struct scenario_result *sc;
		char *name = xstrfmt("s%zu", slice[index - 1][i]);

		r->shard.scenarios[i] = slice[index - 1][i];
		sc = test_scenario(r, name);
		test_sample(sc, SIDE_BASE, 1, 1, 1, 0);
		test_sample(sc, SIDE_HEAD, 1, 1, 1, 0);
		free(name);
	}
}

static int setup(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < NSHARDS; k++)
		make_shard(&sh[k], k + 1);
	return 0;
}

static int teardown(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < NSHARDS; k++)
		results_release(&sh[k]);
	return 0;
}

/* merge_check() of the first n shards refuses with msg. */
static void refused(size_t n, const char *msg)
{
	char *said;

	msgs_begin();
	assert_int_equal(merge_check(sh, paths, n), -1);
	said = msgs_end();
	if (!strstr(said, msg))
		fail_msg("expected '%s' in: %s", msg, said);
	/* one line */
	assert_non_null(strchr(said, '\n'));
	assert_string_equal(strchr(said, '\n'), "\n");
	free(said);
}

static void replace(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

static void test_belong_together(void **state)
{
	struct results m;
	struct buf line = BUF_INIT;
	size_t i;

	(void)state;
	msgs_begin();
	assert_int_equal(merge_check(sh, paths, NSHARDS), 0);
	free(msgs_end());
	results_init(&m);
	merge_combine(sh, NSHARDS, &m);
	assert_int_equal(m.nscen, MATRIX);
	assert_int_equal(m.merged, NSHARDS);
	assert_true(m.complete);
	for (i = 0; i < MATRIX; i++) {
		char *want = xstrfmt("s%zu", i);

		assert_string_equal(m.scen[i].name, want);
		assert_string_equal(m.scen[i].machine.cpu_model, "Test CPU");
		assert_int_equal(m.scen[i].machine.cores, 2);
		assert_int_equal(m.scen[i].samples[SIDE_HEAD].n, 1);
		free(want);
	}
	assert_string_equal(m.scen[3].machine.host, "runner-1");
	assert_string_equal(m.scen[4].machine.host, "runner-2");
	assert_string_equal(m.scen[2].machine.host, "runner-3");
	assert_string_equal(m.started, "2026-11-29T00:01:00Z");
	assert_string_equal(m.finished, "2026-11-29T00:13:00Z");
	assert_string_equal(m.rev[SIDE_HEAD].resolved, "bbbb");
	assert_string_equal(m.suite_digest, "1111111111111111");
	/* like machines: nothing to say */
	assert_int_equal(merge_machines_line(&m, &line), 0);
	assert_int_equal(line.len, 0);
	/* another core count on one machine: one line naming both */
	m.scen[2].machine.cores = 4;
	assert_int_equal(merge_machines_line(&m, &line), 1);
	assert_non_null(strstr(line.s, "Shards ran on 2 kinds of machine: 'Test CPU' 2 cores (4 "
				       "scenarios), 'Test CPU' 4 cores (1 scenario)"));
	assert_null(strchr(line.s, '\n'));
	buf_release(&line);
	results_release(&m);
}

/* Each scenario keeps the hyperfine of the shard that timed it, and shards
 * timed with different versions are named, alone or after unlike machines
 * (issue 21). */
static void test_hyperfine_versions(void **state)
{
	struct results m;
	struct buf line = BUF_INIT;
	const char *want =
		"Shards timed with 2 hyperfine versions: hyperfine 1.15.0 (3 scenarios), "
		"hyperfine 2.0.0 (2 scenarios); one hyperfine timed both sides of each "
		"scenario, so its ratios hold, but figures of scenarios timed by "
		"different versions may differ by what each counts";

	(void)state;
	replace(&sh[1].env.hyperfine, "hyperfine 2.0.0");
	msgs_begin();
	assert_int_equal(merge_check(sh, paths, NSHARDS), 0);
	free(msgs_end());
	results_init(&m);
	merge_combine(sh, NSHARDS, &m);
	assert_string_equal(m.scen[0].machine.hyperfine, "hyperfine 1.15.0");
	assert_string_equal(m.scen[1].machine.hyperfine, "hyperfine 2.0.0");
	assert_string_equal(m.scen[4].machine.hyperfine, "hyperfine 2.0.0");
	assert_int_equal(merge_machines_line(&m, &line), 1);
	assert_string_equal(line.s, want);
	buf_reset(&line);
	m.scen[2].machine.cores = 4;
	assert_int_equal(merge_machines_line(&m, &line), 1);
	assert_non_null(strstr(line.s, "are not comparable "));
	assert_string_equal(strstr(line.s, "are not comparable ") + 19, want);
	buf_release(&line);
	results_release(&m);
}

static void test_not_a_shard(void **state)
{
	(void)state;
	sh[1].shard.index = 0;
	refused(NSHARDS, "'s2.json' is not a shard's results");
}

static void test_incomplete(void **state)
{
	(void)state;
	sh[2].complete = 0;
	sh[2].stopped_by = xstrdup("SIGTERM");
	refused(NSHARDS, "'s3.json': shard 3/3 is incomplete (stopped by SIGTERM)");
}

static void test_counts_differ(void **state)
{
	(void)state;
	sh[1].shard.count = 4;
	refused(NSHARDS, "'s1.json' is shard 1/3 but 's2.json' is shard 2/4: the shard counts "
			 "differ");
}

static void test_doubled(void **state)
{
	(void)state;
	sh[2].shard.index = 1;
	refused(NSHARDS, "'s1.json' and 's3.json' are both shard 1/3");
}

static void test_missing(void **state)
{
	(void)state;
	refused(2, "shard 3/3 is missing (given: 1, 2)");
}

static void test_revisions_differ(void **state)
{
	(void)state;
	replace(&sh[1].rev[SIDE_HEAD].resolved, "cccc");
	refused(NSHARDS, "'s1.json' and 's2.json' measured different head revisions: 'HEAD' "
			 "resolved to bbbb and to cccc");
	replace(&sh[2].rev[SIDE_BASE].spec, "v1");
	refused(NSHARDS, "'s1.json' and 's3.json' measured different base revisions: 'main' and "
			 "'v1'");
}

/* An empty shard prepared nothing: no resolved commit to compare. */
static void test_unresolved_empty_shard(void **state)
{
	(void)state;
	replace(&sh[0].rev[SIDE_HEAD].resolved, NULL);
	msgs_begin();
	assert_int_equal(merge_check(sh, paths, NSHARDS), 0);
	free(msgs_end());
}

static void test_suite_differs(void **state)
{
	(void)state;
	replace(&sh[2].suite_digest, "9999999999999999");
	refused(NSHARDS, "'s1.json' and 's3.json' were measured with different suites (suite.json "
			 "digest 1111111111111111 and 9999999999999999)");
}

static void test_thresholds_differ(void **state)
{
	(void)state;
	replace(&sh[1].thresholds_digest, NULL);
	refused(NSHARDS, "'s1.json' and 's2.json' were measured with different thresholds "
			 "(digest 2222222222222222 and none)");
}

static void test_settings_differ(void **state)
{
	(void)state;
	sh[1].settings.max_runs = 30;
	refused(NSHARDS, "'s1.json' and 's2.json' were measured with different settings (runs 3 "
			 "and 3, max_runs 10 and 30");
}

static void test_only_differs(void **state)
{
	(void)state;
	sh[1].shard.only = xcalloc(1, sizeof(char *));
	sh[1].shard.only[0] = xstrdup("kind=spin");
	sh[1].shard.nonly = 1;
	refused(NSHARDS, "'s1.json' and 's2.json' were measured with different --only filters");
}

static void test_matrix_differs(void **state)
{
	(void)state;
	sh[2].shard.matrix = 6;
	refused(NSHARDS, "'s1.json' planned a matrix of 5 scenarios but 's3.json' one of 6");
}

/* Shards planned with different timings: one scenario twice, one never. */
static void test_scenario_twice(void **state)
{
	(void)state;
	sh[1].shard.scenarios[0] = 0;
	refused(NSHARDS, "scenario 1 of the matrix ('s1') is measured by both 's1.json' and "
			 "'s2.json' (the shards were planned apart: give every shard the same "
			 "--timings file)");
}

static void test_scenario_never(void **state)
{
	(void)state;
	/* shard 1 measured only matrix scenario 0 of its {0, 3} */
	scenario_release(&sh[0].scen[1]);
	sh[0].shard.n = 1;
	sh[0].nscen = 1;
	refused(NSHARDS, "scenario 4 of the matrix of 5 is measured by no shard (the shards were "
			 "planned apart");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_belong_together), T(test_hyperfine_versions), T(test_not_a_shard),
		T(test_incomplete),	 T(test_counts_differ),	     T(test_doubled),
		T(test_missing),	 T(test_revisions_differ),   T(test_unresolved_empty_shard),
		T(test_suite_differs),	 T(test_thresholds_differ),  T(test_settings_differ),
		T(test_only_differs),	 T(test_matrix_differs),     T(test_scenario_twice),
		T(test_scenario_never),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
