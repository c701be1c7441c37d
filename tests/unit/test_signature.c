/* Unit tests for src/judge/signature.c: made-up samples of each pattern. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#include "signature.h"

/* Three judged runs a side of `wall` s with user/sys CPU and vcsw each. */
static void runs(struct scenario_result *sc, enum side side, double wall, double user, double sys,
		 double vcsw)
{
	int k;

	for (k = 1; k <= 3; k++) {
		struct sample s = test_make_sample(k, wall, user, sys);

		s.vcsw = vcsw;
		results_add_sample(sc, side, &s);
	}
}

static enum signature_kind kind_of(double wall, double user, double sys, double vcsw)
{
	struct results r;
	struct scenario_result *sc;
	struct signature s;

	results_init(&r);
	sc = test_scenario(&r, "x");
	sc->cores = 1;
	runs(sc, SIDE_HEAD, wall, user, sys, vcsw);
	signature_classify(sc, SIDE_HEAD, &s);
	results_release(&r);
	return s.kind;
}

/* Figures like those of tests/fixtures/sigprog.c under hyperfine (0.3 s). */
static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(kind_of(0.3, 0.29, 0.003, 4), SIGNATURE_BUSY_SPIN);
	assert_int_equal(kind_of(0.3, 0.119, 0.184, 4), SIGNATURE_SYSCALL_POLLING); /* poll(0) */
	assert_int_equal(kind_of(0.3, 0.043, 0.256, 4), SIGNATURE_SYSCALL_POLLING); /* yield */
	assert_int_equal(kind_of(0.3, 0.001, 0.003, 5), SIGNATURE_HEALTHY);	    /* sleep */
	/* little CPU but 300 wake-ups a second: a loop of short sleeps */
	assert_int_equal(kind_of(0.3, 0.01, 0.01, 90), SIGNATURE_SYSCALL_POLLING);
	/* busy, user time, blocking 500 times per CPU s: neither */
	assert_int_equal(kind_of(1.0, 0.19, 0.01, 100), SIGNATURE_UNCLEAR);
	/* a sleeping Python side of a short run: its start-up (exec, imports)
	 * is 17% of a core, 40% of it system time, but it blocks 800 times per
	 * CPU second: not a poll loop */
	assert_int_equal(kind_of(0.3, 0.03, 0.02, 40), SIGNATURE_UNCLEAR);
	/* the thresholds' edges */
	assert_int_equal(kind_of(1.0, 0.0999, 0, 0), SIGNATURE_HEALTHY);
	assert_int_equal(kind_of(1.0, 0.1, 0, 0), SIGNATURE_BUSY_SPIN);
	assert_int_equal(kind_of(1.0, 0.7, 0.3, 0), SIGNATURE_SYSCALL_POLLING);
	assert_int_equal(kind_of(1.0, 0.7, 0.3, 99), SIGNATURE_SYSCALL_POLLING);
	assert_int_equal(kind_of(1.0, 0.2, 0.3, 50), SIGNATURE_UNCLEAR);
	assert_int_equal(kind_of(1.0, 0.71, 0.29, 0), SIGNATURE_BUSY_SPIN);
	assert_int_equal(kind_of(1.0, 1.0, 0, 99), SIGNATURE_BUSY_SPIN);
	assert_int_equal(kind_of(1.0, 0.79, 0, 100), SIGNATURE_UNCLEAR);
	assert_int_equal(kind_of(1.0, 0.8, 0, 100), SIGNATURE_BUSY_SPIN);
	/* a Python busy-wait started through a pyenv shim (seen here): 97% of a
	 * core in user time, 224 wake-ups a second from the shim's start-up */
	assert_int_equal(kind_of(0.46, 0.38, 0.063, 103), SIGNATURE_BUSY_SPIN);
	assert_int_equal(kind_of(1.0, 0.01, 0, 199), SIGNATURE_HEALTHY);
	assert_int_equal(kind_of(1.0, 0.01, 0, 200), SIGNATURE_SYSCALL_POLLING);
	/* a file from before the signature */
	assert_int_equal(kind_of(1.0, 1.0, 0, NAN), SIGNATURE_NOT_MEASURED);
	assert_string_equal(signature_kind_name(SIGNATURE_NOT_MEASURED), "not measured");
}

/* Warm-ups and failed runs do not count; the cores scale cpu_util. */
static void test_runs_counted(void **state)
{
	struct results r;
	struct scenario_result *sc;
	struct sample s;
	struct signature sig;

	(void)state;
	results_init(&r);
	sc = test_scenario(&r, "x");
	sc->cores = 2;
	runs(sc, SIDE_HEAD, 1.0, 1.0, 0, 3);
	s = test_make_sample(0, 1.0, 0, 0); /* warm-up */
	s.vcsw = 100000;
	results_add_sample(sc, SIDE_HEAD, &s);
	s = test_make_sample(4, 1.0, 0, 0);
	s.exit_code = 1;
	s.vcsw = 100000;
	results_add_sample(sc, SIDE_HEAD, &s);
	signature_classify(sc, SIDE_HEAD, &sig);
	assert_int_equal(sig.runs, 3);
	assert_true(fabs(sig.cpu_per_wall - 1.0) < 1e-12);
	assert_true(fabs(sig.cpu_util - 0.5) < 1e-12);
	assert_true(fabs(sig.vcsw_per_cpu_s - 3.0) < 1e-12);
	assert_int_equal(sig.kind, SIGNATURE_BUSY_SPIN);
	signature_classify(sc, SIDE_BASE, &sig); /* no runs */
	assert_int_equal(sig.kind, SIGNATURE_NOT_MEASURED);
	assert_int_equal(sig.runs, 0);
	results_release(&r);
}

static void test_line(void **state)
{
	struct results r;
	struct scenario_result *sc;
	struct buf b = BUF_INIT;

	(void)state;
	results_init(&r);
	sc = test_scenario(&r, "x");
	sc->cores = 1;
	runs(sc, SIDE_HEAD, 0.3, 0.29, 0.003, 4);
	runs(sc, SIDE_BASE, 0.3, 0.001, 0.003, 5);
	signature_line(&b, sc);
	assert_string_equal(b.s, "head: busy spin - 0.98 CPU s per wall s (98% of 1 core), 1% "
				 "system, 14 voluntary switches per CPU s, 13 per wall s; base: "
				 "healthy - 0.01 CPU s per wall s (1% of 1 core), 75% system, "
				 "1250 voluntary switches per CPU s, 17 per wall s");
	buf_reset(&b);
	sc->samples[SIDE_BASE].n = 0;
	signature_line(&b, sc);
	assert_string_equal(b.s + strlen(b.s) - strlen("; base: not measured"),
			    "; base: not measured");
	buf_release(&b);
	results_release(&r);
}

/* Only idle scenarios with a failed check on a CPU metric. */
static void test_wanted(void **state)
{
	struct results r;
	struct thresholds t;
	struct judgement j;
	struct check checks[2];
	struct outcome o[2];

	(void)state;
	results_init(&r);
	test_scenario(&r, "a")->role = ROLE_IDLE;
	test_scenario(&r, "b")->role = ROLE_BUSY;
	memset(&t, 0, sizeof(t));
	memset(checks, 0, sizeof(checks));
	checks[0].cond.metric = METRIC_CPU_UTIL;
	checks[1].cond.metric = METRIC_WALL;
	t.checks = checks;
	t.nchecks = 2;
	memset(&j, 0, sizeof(j));
	memset(o, 0, sizeof(o));
	j.v = o;
	j.n = 1;
	o[0].check = 0;
	o[0].scenario = 0;
	o[0].status = STATUS_PASS;
	assert_false(signature_wanted(&r, &t, &j, 0));
	o[0].status = STATUS_FAIL;
	assert_true(signature_wanted(&r, &t, &j, 0));
	o[0].check = 1; /* a wall check */
	assert_false(signature_wanted(&r, &t, &j, 0));
	o[0].check = 0;
	o[0].scenario = 1; /* busy */
	assert_false(signature_wanted(&r, &t, &j, 1));
	assert_false(signature_wanted(&r, &t, &j, 7));
	results_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_runs_counted),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
