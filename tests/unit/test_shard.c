/* Unit tests of src/model/shard.c: K/N parsed strictly, weights from timings or
 * timeouts, slices that are deterministic, balanced and cover the matrix
 * once, and the shard object through results.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shard.h"
#include "testlib.h"

static void parse_ok(const char *arg, int k, int n)
{
	int gk = -1, gn = -1;

	assert_int_equal(shard_parse(arg, &gk, &gn), 0);
	assert_int_equal(gk, k);
	assert_int_equal(gn, n);
}

static void parse_bad(const char *arg, const char *msg)
{
	int k = 0, n = 0;
	char *said;

	msgs_begin();
	assert_int_equal(shard_parse(arg, &k, &n), -1);
	said = msgs_end();
	if (!strstr(said, msg))
		fail_msg("'%s': expected '%s' in: %s", arg, msg, said);
	free(said);
}

static void test_parse(void **state)
{
	(void)state;
	parse_ok("1/1", 1, 1);
	parse_ok("2/4", 2, 4);
	parse_ok("256/256", 256, 256);
	parse_bad("0/3", "'0/3': shards count from 1 (K is 1 to N)");
	parse_bad("4/3", "shard 4 of 3 does not exist");
	parse_bad("1/257", "at most 256 shards");
	parse_bad("1/0", "shards count from 1");
	parse_bad("00/3", "is not K/N");
	parse_bad("3", "'3' is not K/N");
	parse_bad("", "is not K/N");
	parse_bad("a/b", "is not K/N");
	parse_bad("1/3x", "is not K/N");
	parse_bad(" 1/3", "is not K/N");
	parse_bad("+1/3", "is not K/N");
	parse_bad("01/3", "is not K/N");
	parse_bad("1//3", "is not K/N");
	parse_bad("1/3/5", "is not K/N");
	parse_bad("-1/3", "is not K/N");
	parse_bad("1/1000", "is not K/N");
}

/* Every weight in one slice of 1..count, and the same slices again. */
static void check_cover(const uint64_t *w, size_t n, int count, const int *owner)
{
	int *again = calloc(n + 1, sizeof(*again));
	size_t i;

	for (i = 0; i < n; i++) {
		assert_true(owner[i] >= 1);
		assert_true(owner[i] <= count);
	}
	shard_assign(w, n, count, again);
	assert_memory_equal(owner, again, n * sizeof(*owner));
	free(again);
}

static void test_balanced(void **state)
{
	static const int counts[] = { 2, 3, 4, 8 };
	uint64_t w[40], loads[8], x = 12345, sum = 0;
	int owner[40];
	size_t i, c;

	(void)state;
	/* 40 scenarios of 1 to 60 s from a fixed generator */
	for (i = 0; i < 40; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		w[i] = 1000 + (x >> 33) % 59000;
		sum += w[i];
	}
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		double b;

		shard_assign(w, 40, counts[c], owner);
		check_cover(w, 40, counts[c], owner);
		b = shard_balance(w, 40, counts[c], owner, loads);
		if (b > 1.05)
			fail_msg("%d shards: longest / mean %.3f", counts[c], b);
		assert_true(b >= 1.0);
	}
	(void)sum;
}

/* A split by count (or in matrix order) would put both long scenarios in
 * one slice of 2, or the long one beside a short one. */
static void test_by_time_not_count(void **state)
{
	const uint64_t w[] = { 10000, 10000, 1000, 1000, 1000, 1000 };
	const uint64_t v[] = { 1000, 1000, 2000 };
	int owner[6];

	(void)state;
	shard_assign(w, 6, 2, owner);
	assert_int_not_equal(owner[0], owner[1]);
	assert_true(shard_balance(w, 6, 2, owner, NULL) < 1.0001);
	shard_assign(v, 3, 2, owner);
	assert_int_equal(owner[0], owner[1]);
	assert_int_not_equal(owner[0], owner[2]);
	assert_true(shard_balance(v, 3, 2, owner, NULL) < 1.0001);
}

/* Ties go by matrix index and to the lower slice: equal weights are dealt
 * round-robin; more slices than scenarios leaves the last ones empty. */
static void test_ties_and_empty(void **state)
{
	const uint64_t w[] = { 5, 5, 5, 5, 5 };
	int owner[5];
	uint64_t loads[8];

	(void)state;
	shard_assign(w, 5, 3, owner);
	assert_int_equal(owner[0], 1);
	assert_int_equal(owner[1], 2);
	assert_int_equal(owner[2], 3);
	assert_int_equal(owner[3], 1);
	assert_int_equal(owner[4], 2);
	shard_assign(w, 5, 8, owner);
	check_cover(w, 5, 8, owner);
	shard_balance(w, 5, 8, owner, loads);
	assert_int_equal(loads[5], 0);
	assert_int_equal(loads[6], 0);
	assert_int_equal(loads[7], 0);
}

/* The matrix of 6 scenarios with a 30 s timeout. */
static void matrix(struct results *m)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f" };
	size_t i;

	results_init(m);
	for (i = 0; i < 6; i++)
		test_scenario(m, names[i])->timeout = 30;
}

static void test_weights(void **state)
{
	struct results m, t;
	struct scenario_result *sc;
	uint64_t w[6];
	size_t i;

	(void)state;
	matrix(&m);
	assert_int_equal(shard_weights(&m, NULL, w), SHARD_BY_TIMEOUT);
	for (i = 0; i < 6; i++)
		assert_int_equal(w[i], 30000);

	/* timings: all runs of both sides, warm-ups included; another name
	 * than the matrix's counts for nothing */
	results_init(&t);
	sc = test_scenario(&t, "b");
	test_sample(sc, SIDE_BASE, 0, 2.0, 1, 0);
	test_sample(sc, SIDE_BASE, 1, 1.0, 1, 0);
	test_sample(sc, SIDE_HEAD, 1, 1.5, 1, 0);
	sc = test_scenario(&t, "d");
	test_sample(sc, SIDE_HEAD, 1, 0.5, 1, 0);
	test_sample(sc, SIDE_HEAD, 2, NAN, 1, 0);
	test_scenario(&t, "zz");
	assert_int_equal(shard_weights(&m, &t, w), SHARD_BY_TIMINGS);
	assert_int_equal(w[1], 4500);
	assert_int_equal(w[3], 500);
	/* the others get the mean of those known */
	assert_int_equal(w[0], 2500);
	assert_int_equal(w[5], 2500);
	results_release(&t);

	/* a file that matches nothing: back to the timeout */
	results_init(&t);
	sc = test_scenario(&t, "other");
	test_sample(sc, SIDE_HEAD, 1, 3, 1, 0);
	assert_int_equal(shard_weights(&m, &t, w), SHARD_BY_TIMEOUT);
	assert_int_equal(w[2], 30000);
	results_release(&t);
	results_release(&m);
}

/* Machines differ (a ${ncpu} parameter renames scenarios, the matrix is
 * built anew, memory differs): with the same weights, the same slices. */
static void test_machine_independent(void **state)
{
	struct results a, b;
	uint64_t wa[6], wb[6];
	int oa[6], ob[6];
	size_t i;

	(void)state;
	matrix(&a);
	matrix(&b);
	for (i = 0; i < b.nscen; i++) {
		free(b.scen[i].name);
		b.scen[i].name = xstrfmt("processes=64 %zu", i);
		b.scen[i].cores = 64;
	}
	shard_weights(&a, NULL, wa);
	shard_weights(&b, NULL, wb);
	shard_assign(wa, 6, 4, oa);
	shard_assign(wb, 6, 4, ob);
	assert_memory_equal(oa, ob, sizeof(oa));
	results_release(&a);
	results_release(&b);
}

static void test_apply_and_round_trip(void **state)
{
	const uint64_t w[] = { 4000, 3000, 3000, 2000, 1000, 1000 };
	const char *const only[] = { "kind=spin" };
	struct results m, back;
	int owner[6];
	char *dir = tmpdir_make("shard"), *path = xstrfmt("%s/results.json", dir);
	size_t i;

	(void)state;
	matrix(&m);
	shard_assign(w, 6, 2, owner);
	shard_apply(&m, 2, 2, owner, w, SHARD_BY_TIMINGS, only, 1);
	assert_int_equal(m.shard.index, 2);
	assert_int_equal(m.shard.count, 2);
	assert_int_equal(m.shard.matrix, 6);
	assert_int_equal(m.nscen, m.shard.n);
	for (i = 0; i < m.nscen; i++) {
		assert_int_equal(owner[m.shard.scenarios[i]], 2);
		assert_int_equal(m.scen[i].name[0], 'a' + (int)m.shard.scenarios[i]);
		if (i)
			assert_true(m.shard.scenarios[i] > m.shard.scenarios[i - 1]);
	}
	m.suite_digest = xstrdup("0123456789abcdef");
	m.env.cpu_model = xstrdup("Test CPU");
	m.complete = 1;
	assert_int_equal(results_write(&m, NULL, path), 0);
	assert_int_equal(results_read(&back, path), 0);
	assert_int_equal(back.shard.index, 2);
	assert_int_equal(back.shard.count, 2);
	assert_int_equal(back.shard.matrix, 6);
	assert_int_equal(back.shard.n, m.shard.n);
	assert_memory_equal(back.shard.scenarios, m.shard.scenarios,
			    m.shard.n * sizeof(*m.shard.scenarios));
	assert_true(back.shard.expected[0] == m.shard.expected[0]);
	assert_string_equal(back.shard.balanced_by, "timings");
	assert_int_equal(back.shard.nonly, 1);
	assert_string_equal(back.shard.only[0], "kind=spin");
	assert_string_equal(back.suite_digest, "0123456789abcdef");
	assert_string_equal(back.env.cpu_model, "Test CPU");
	results_release(&back);

	/* an empty slice: no scenario, still a shard */
	results_release(&m);
	matrix(&m);
	shard_assign(w, 6, 8, owner);
	shard_apply(&m, 8, 8, owner, w, SHARD_BY_TIMEOUT, NULL, 0);
	assert_int_equal(m.nscen, 0);
	assert_int_equal(m.shard.index, 8);
	results_release(&m);
	tmpdir_remove(dir);
	free(path);
}

/* results_read() refuses a shard object that cannot be one. */
static void test_read_refuses(void **state)
{
	static const char *const bad[][2] = {
		{ "{\"index\":3,\"count\":2,\"matrix\":2,\"scenarios\":[0],\"expected\":[1]}",
		  "shard.index: expected a whole number from 1 to 2" },
		{ "{\"index\":1,\"count\":300,\"matrix\":2,\"scenarios\":[0],\"expected\":[1]}",
		  "shard.count: expected a whole number from 1 to 256" },
		{ "{\"index\":1,\"count\":2,\"matrix\":2,\"scenarios\":[5],\"expected\":[1]}",
		  "shard.scenarios: expected a whole number from 0 to 1" },
		{ "{\"index\":1,\"count\":2,\"matrix\":2,\"scenarios\":[0,1],\"expected\":[1,1]}",
		  "2 scenario indexes and 2 expected times for 1 scenarios" },
	};
	char *dir = tmpdir_make("shard-bad"), *path = xstrfmt("%s/r.json", dir), *said;
	struct results r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *text = xstrfmt("{\"schema\":\"spin-gate/results\",\"version\":1,"
				     "\"scenarios\":[{\"name\":\"a\",\"cores\":1,\"samples\":"
				     "{\"base\":[],\"head\":[]}}],\"shard\":%s}",
				     bad[i][0]);

		assert_int_equal(fs_write_text(path, text), 0);
		msgs_begin();
		assert_int_equal(results_read(&r, path), -1);
		said = msgs_end();
		if (!strstr(said, bad[i][1]))
			fail_msg("expected '%s' in: %s", bad[i][1], said);
		free(said);
		free(text);
	}
	tmpdir_remove(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_balanced),
		cmocka_unit_test(test_by_time_not_count),
		cmocka_unit_test(test_ties_and_empty),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_machine_independent),
		cmocka_unit_test(test_apply_and_round_trip),
		cmocka_unit_test(test_read_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
