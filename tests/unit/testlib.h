#ifndef SPIN_GATE_TESTLIB_H
#define SPIN_GATE_TESTLIB_H
/*
 * testlib: the scaffolding every unit test shares, so there is one copy of
 * each helper instead of one per test file. Header-only (static inline, so a
 * test that uses only some of them builds warning-free): the Makefile
 * compiles each tests/unit/test_*.c as one translation unit linked with
 * build/libspin-gate.a, and rebuilds them when a header in tests/unit changes.
 *
 * Include it after <cmocka.h> (it asserts with cmocka's macros).
 *
 *   msgs_begin(); ... ; text = msgs_end();   what spin-gate said (error(),
 *                                             warning(), note()); caller frees
 *   msgs_so_far()                             the same, without stopping
 *   slurp(path)                               a whole file; caller frees
 *   now()                                     CLOCK_MONOTONIC in seconds
 *   tmpdir_make(tag) / tmpdir_remove(dir)     a fresh /tmp directory; rm -rf
 *   test_scenario(r, name) + test_param() + test_sample()
 *                                             results built by hand with the
 *                                             library's own results_add_*()
 *                                             (free with results_release())
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "fsutil.h"
#include "msg.h"
#include "results.h"

/* ---- messages ---- */

static FILE *testlib_msgs;
static char *testlib_msgs_text;
static size_t testlib_msgs_len;

/* Start collecting spin-gate's messages (they no longer reach stderr). */
static inline void msgs_begin(void)
{
	if (testlib_msgs) { /* left open by a test that failed */
		msg_set_stream(NULL);
		fclose(testlib_msgs);
		free(testlib_msgs_text);
		testlib_msgs_text = NULL;
	}
	testlib_msgs = open_memstream(&testlib_msgs_text, &testlib_msgs_len);
	assert_non_null(testlib_msgs);
	msg_set_stream(testlib_msgs);
}

/* Everything said since msgs_begin(), still collecting (borrowed: valid
 * until the next message or msgs_end()). */
static inline const char *msgs_so_far(void)
{
	assert_non_null(testlib_msgs);
	fflush(testlib_msgs);
	return testlib_msgs_text;
}

/* Stop collecting; everything said since msgs_begin() (caller frees; ""
 * when not collecting). */
static inline char *msgs_end(void)
{
	char *text;

	if (!testlib_msgs) /* a failed test's teardown: nothing collected */
		return xstrdup("");
	msg_set_stream(NULL);
	fclose(testlib_msgs);
	testlib_msgs = NULL;
	text = testlib_msgs_text;
	testlib_msgs_text = NULL;
	testlib_msgs_len = 0;
	return text ? text : xstrdup("");
}

/* cmocka setup/teardown that collect every test's messages (and drop them). */
static inline int msgs_setup(void **state)
{
	(void)state;
	msgs_begin();
	return 0;
}

static inline int msgs_teardown(void **state)
{
	(void)state;
	free(msgs_end());
	return 0;
}

/* ---- files and time ---- */

/* A whole file (caller frees); the test fails when it cannot be read. */
static inline char *slurp(const char *path)
{
	struct buf b = BUF_INIT;

	assert_int_equal(buf_read_file(&b, path), 0);
	return buf_detach(&b);
}

/* CLOCK_MONOTONIC in seconds (the gate's own clock). */
static inline double now(void)
{
	return clock_now();
}

/* A fresh directory /tmp/spin-gate-test-TAG.XXXXXX (caller frees). */
static inline char *tmpdir_make(const char *tag)
{
	char *tmpl = xstrfmt("/tmp/spin-gate-test-%s.XXXXXX", tag);

	assert_non_null(mkdtemp(tmpl));
	return tmpl;
}

/* rm -rf dir (never following symlinks), and free the name. */
static inline void tmpdir_remove(char *dir)
{
	if (!dir)
		return;
	assert_int_equal(fs_rm_rf(dir), 0);
	free(dir);
}

/* ---- results built by hand ---- */

/* A scenario added with results_add_scenario(): named, 1 core, 60 s. */
static inline struct scenario_result *test_scenario(struct results *r, const char *name)
{
	struct scenario_result *sc = results_add_scenario(r);

	sc->name = xstrdup(name);
	sc->cores = 1;
	sc->timeout = 60;
	return sc;
}

/* Append a parameter NAME=VALUE to the scenario (copied). */
static inline void test_param(struct scenario_result *sc, const char *name, const char *value)
{
	sc->params = xrealloc(sc->params, (sc->nparams + 1) * sizeof(*sc->params));
	sc->params[sc->nparams].name = xstrdup(name);
	sc->params[sc->nparams].value = xstrdup(value);
	sc->nparams++;
}

/* A measured sample of one round (warm-up when round is 0): wall, user and
 * system seconds, exit code 0, contention not measured. */
static inline struct sample test_make_sample(int round, double wall, double user, double sys)
{
	struct sample s;

	sample_init(&s);
	s.round = round;
	s.warmup = round == 0;
	s.wall = wall;
	s.user = user;
	s.sys = sys;
	return s;
}

/* Append test_make_sample(...) through results_add_sample(). */
static inline void test_sample(struct scenario_result *sc, enum side side, int round, double wall,
			       double user, double sys)
{
	struct sample s = test_make_sample(round, wall, user, sys);

	results_add_sample(sc, side, &s);
}

#endif
