/*
 * Unit tests for src/model/thresholds.c: the shipped thresholds.json loads and says
 * what it should; every kind of malformed file is refused with one exact
 * message naming the file and the field, and leaves nothing allocated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "msg.h"
#include "thresholds.h"
#include "testlib.h"

/* Messages are collected for every test (testlib's msgs_*). */
static void clear_captured(void)
{
	free(msgs_end());
	msgs_begin();
}

/* Test inputs are written with ' for " to stay readable. */
static char *dq(const char *s)
{
	char *t = xstrdup(s), *p;

	for (p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	return t;
}

static int parse(struct thresholds *t, const char *text)
{
	char *json = dq(text);
	int ret = thresholds_parse(t, json, strlen(json), "thresholds.json");

	free(json);
	return ret;
}

static int is_empty(const struct thresholds *t)
{
	return !t->path && !t->checks && !t->nchecks;
}

/* The shipped file, found from this source file's path (the repo's top). */
static char *shipped_path(void)
{
	const char *f = __FILE__, *slash = strrchr(f, '/');
	size_t dir = slash ? (size_t)(slash - f + 1) : 0;

	return xstrfmt("%.*s../../thresholds.json", (int)dir, f);
}

static const struct check *find(const struct thresholds *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nchecks; i++)
		if (!strcmp(t->checks[i].name, name))
			return &t->checks[i];
	return NULL;
}

static const char *where_value(const struct check *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nwhere; i++)
		if (!strcmp(c->where[i].name, name))
			return c->where[i].value;
	return NULL;
}

static void test_shipped_file(void **state)
{
	struct thresholds t;
	const struct check *c;
	char *path = shipped_path();
	size_t i;

	(void)state;
	assert_int_equal(thresholds_load(&t, path), 0);
	assert_string_equal(msgs_so_far(), "");
	assert_true(t.confidence == 0.95);
	assert_int_equal(t.runs, 3);
	assert_int_equal(t.max_runs, 30);
	assert_int_equal(t.nchecks, 5);
	for (i = 0; i < t.nchecks; i++)
		assert_non_null(t.checks[i].description);

	c = find(&t, "idle-cpu");
	assert_non_null(c);
	assert_int_equal(c->cond.metric, METRIC_CPU);
	assert_int_equal(c->cond.rule, RULE_RATIO_MAX);
	assert_true(c->cond.value == 0.5);
	/* selected by role, not by bytewax's parameter names */
	assert_int_equal(c->nwhere, 0);
	assert_true(c->role == ROLE_IDLE);
	assert_false(c->optional); /* the gate's point: a suite must say what is idle */
	assert_true(c->has_unless && !c->has_when_base);
	assert_int_equal(c->unless.metric, METRIC_CPU_UTIL);
	assert_int_equal(c->unless.rule, RULE_HEAD_MAX);
	assert_true(c->unless.value == 0.25);

	c = find(&t, "idle-system");
	assert_non_null(c);
	assert_int_equal(c->cond.metric, METRIC_SYSTEM);
	assert_true(c->role == ROLE_IDLE);
	assert_true(c->has_unless);

	c = find(&t, "wall");
	assert_non_null(c);
	assert_int_equal(c->nwhere, 0);
	assert_int_equal(c->role, ROLE_ANY);
	assert_int_equal(c->cond.rule, RULE_RATIO_MAX);
	assert_true(c->cond.value == 1.10);

	c = find(&t, "saturation");
	assert_non_null(c);
	assert_int_equal(c->cond.metric, METRIC_CPU_SHARE);
	assert_int_equal(c->cond.rule, RULE_RATIO_MIN);
	assert_true(c->cond.value == 0.9);
	assert_true(c->role == ROLE_BUSY);
	assert_true(c->optional); /* a suite need not have CPU-bound scenarios */

	c = find(&t, "saturation-budget");
	assert_non_null(c);
	assert_int_equal(c->cond.rule, RULE_HEAD_MIN);
	assert_true(c->cond.value == 0.85);
	assert_true(c->role == ROLE_BUSY);
	assert_true(c->has_when_base && !c->has_unless);
	assert_int_equal(c->when_base.metric, METRIC_CPU_SHARE);
	assert_int_equal(c->when_base.rule, RULE_HEAD_MIN);
	assert_true(c->when_base.value == 0.85);

	thresholds_release(&t);
	assert_true(is_empty(&t));
	free(path);
}

static void test_defaults_and_where_text(void **state)
{
	struct thresholds t;
	struct param params[] = {
		{ (char *)"processes", (char *)"4" },
		{ (char *)"long_input", (char *)"True" },
		{ (char *)"flag", (char *)"true" },
	};
	struct scenario_result sc;

	(void)state;
	assert_int_equal(parse(&t,
			       "{'version': 1, 'checks': [{'name': 'a', 'metric': 'wall', "
			       "'rule': 'head_max', 'value': 3, "
			       "'where': {'processes': 4, 'long_input': 'True', 'flag': true}}, "
			       "{'name': 'b', 'metric': 'user', 'rule': 'ratio_min', "
			       "'value': 0.5, 'where': {}}]}"),
			 0);
	assert_true(t.confidence == 0.95);
	assert_int_equal(t.runs, 3);
	assert_int_equal(t.max_runs, 15);
	assert_string_equal(t.path, "thresholds.json");
	assert_null(t.checks[0].description);
	assert_string_equal(where_value(&t.checks[0], "processes"), "4");
	assert_string_equal(where_value(&t.checks[0], "flag"), "true");

	memset(&sc, 0, sizeof(sc));
	sc.params = params;
	sc.nparams = 3;
	assert_true(check_applies(&t.checks[0], &sc));
	assert_true(check_applies(&t.checks[1], &sc));
	params[0].value = (char *)"2";
	assert_false(check_applies(&t.checks[0], &sc));
	/* A parameter the scenario lacks never matches. */
	sc.nparams = 0;
	assert_false(check_applies(&t.checks[0], &sc));
	assert_true(check_applies(&t.checks[1], &sc));
	thresholds_release(&t);
}

static void test_names(void **state)
{
	enum metric m;
	enum rule r;
	int i;

	(void)state;
	for (i = METRIC_WALL; i <= METRIC_VCSW_PER_CPU_S; i++) {
		assert_int_equal(metric_parse(metric_name((enum metric)i), &m), 0);
		assert_int_equal((int)m, i);
	}
	for (i = RULE_RATIO_MAX; i <= RULE_HEAD_MIN; i++) {
		assert_int_equal(rule_parse(rule_name((enum rule)i), &r), 0);
		assert_int_equal((int)r, i);
	}
	assert_int_equal(metric_parse("Wall", &m), -1);
	assert_int_equal(rule_parse("ratio", &r), -1);
	assert_true(rule_is_ratio(RULE_RATIO_MIN) && !rule_is_ratio(RULE_HEAD_MAX));
	assert_string_equal(msgs_so_far(), "");
}

struct bad_case {
	const char *text;
	const char *msg;
};

#define CHECK0 "'name': 'a', 'metric': 'wall', 'rule': 'ratio_max', 'value': 1.1"
#define E      "spin-gate: error: 'thresholds.json': "

static const struct bad_case bad_cases[] = {
	{ "{'version': 1 'checks': []}",
	  "spin-gate: error: cannot read 'thresholds.json': line 1, column 15: invalid JSON\n" },
	{ "[1, 2]", E "expected a JSON object at the top level\n" },
	{ "{'checks': [{" CHECK0 "}]}", E "version: missing\n" },
	{ "{'version': '1', 'checks': [{" CHECK0 "}]}", E "version: expected a number\n" },
	{ "{'version': 2, 'checks': [{" CHECK0 "}]}",
	  E "version: unsupported version 2 (expected 1)\n" },
	{ "{'version': 1, 'confidence': 1, 'checks': [{" CHECK0 "}]}",
	  E "confidence: 1 is out of range (expected more than 0.5 and less than 1)\n" },
	{ "{'version': 1, 'confidence': 0.5, 'checks': [{" CHECK0 "}]}",
	  E "confidence: 0.5 is out of range (expected more than 0.5 and less than 1)\n" },
	{ "{'version': 1, 'runs': 1, 'checks': [{" CHECK0 "}]}",
	  E "runs: expected a whole number from 2 to 1000, got 1\n" },
	{ "{'version': 1, 'runs': 2.5, 'checks': [{" CHECK0 "}]}",
	  E "runs: expected a whole number from 2 to 1000, got 2.5\n" },
	/* RESULTS_MAX_ROUNDS: a million rounds cannot be judged (results.h) */
	{ "{'version': 1, 'max_runs': 1001, 'checks': [{" CHECK0 "}]}",
	  E "max_runs: expected a whole number from 2 to 1000, got 1001\n" },
	{ "{'version': 1, 'runs': 1000000, 'max_runs': 1000000, 'checks': [{" CHECK0 "}]}",
	  E "runs: expected a whole number from 2 to 1000, got 1e+06\n" },
	/* cJSON keeps both keys; the first would win silently */
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'value': 9}]}",
	  "spin-gate: error: cannot read 'thresholds.json': line 1, column 94: duplicate key "
	  "'value' in checks[0]\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'description': 'caf\xe9'}]}",
	  "spin-gate: error: cannot read 'thresholds.json': line 1, column 109: "
	  "checks[0].description: invalid UTF-8\n" },
	{ "{'version': 1, 'runs': 6, 'max_runs': 5, 'checks': [{" CHECK0 "}]}",
	  E "max_runs: 5 is less than runs (6)\n" },
	{ "{'version': 1, 'max_runs': 2, 'checks': [{" CHECK0 "}]}",
	  E "max_runs: 2 is less than runs (3)\n" },
	{ "{'version': 1}", E "checks: missing\n" },
	{ "{'version': 1, 'checks': {}}", E "checks: expected an array\n" },
	{ "{'version': 1, 'checks': []}", E "checks: expected at least one check\n" },
	{ "{'version': 1, 'check': [{" CHECK0 "}]}", E
	  "unknown key 'check' (expected version, confidence, runs, max_runs, checks, history)\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 "}, 3]}", E "checks[1]: expected an object\n" },
	{ "{'version': 1, 'checks': [{'metric': 'wall', 'rule': 'ratio_max', 'value': 1}]}",
	  E "checks[0].name: missing\n" },
	{ "{'version': 1, 'checks': [{'name': '', 'metric': 'wall', 'rule': 'ratio_max', "
	  "'value': 1}]}",
	  E "checks[0].name: expected a non-empty string\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 "}, {'name': 'b', 'metric': 'cpu', "
	  "'rule': 'ratio_max', 'value': 1}, {" CHECK0 "}]}",
	  E "checks[2].name: duplicate name 'a' (also checks[0])\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'description': 7}]}",
	  E "checks[0].description: expected a string\n" },
	{ "{'version': 1, 'checks': [{'name': 'a', 'metric': 'cpu u', 'rule': 'ratio_max', "
	  "'value': 1}]}",
	  E "checks[0].metric: unknown metric 'cpu u' (expected wall, user, system, cpu, "
	    "cpu_util, cpu_share, contention, max_rss, vcsw, ivcsw, vcsw_per_cpu_s, or a metric "
	    "the suite reports: NAME, cpu_per:NAME, NAME_per_cpu_s)\n" },
	{ "{'version': 1, 'checks': [{'name': 'a', 'metric': 'cpu_per:wall', 'rule': "
	  "'ratio_max', 'value': 1}]}",
	  E "checks[0].metric: unknown metric 'cpu_per:wall' (expected wall, user, system, cpu, "
	    "cpu_util, cpu_share, contention, max_rss, vcsw, ivcsw, vcsw_per_cpu_s, or a metric "
	    "the suite reports: NAME, cpu_per:NAME, NAME_per_cpu_s)\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 "}, {'name': 'b', 'metric': 'cpu', 'rule': "
	  "'ratio_max', 'value': 1}, {'name': 'c', 'metric': 'wall', 'rule': 'ratio_mx', "
	  "'value': 1}]}",
	  E "checks[2].rule: unknown rule 'ratio_mx' (expected ratio_max, ratio_min, head_max, "
	    "head_min, diff_max, diff_min)\n" },
	{ "{'version': 1, 'checks': [{'name': 'a', 'metric': 'wall', 'rule': 'ratio_max'}]}",
	  E "checks[0].value: missing\n" },
	{ "{'version': 1, 'checks': [{'name': 'a', 'metric': 'wall', 'rule': 'ratio_max', "
	  "'value': '1.1'}]}",
	  E "checks[0].value: expected a number\n" },
	{ "{'version': 1, 'checks': [{'name': 'a', 'metric': 'wall', 'rule': 'ratio_min', "
	  "'value': 0}]}",
	  E "checks[0].value: expected a ratio greater than 0 for rule ratio_min, got 0\n" },
	{ "{'version': 1, 'checks': [{'name': 'a', 'metric': 'cpu', 'rule': 'head_max', "
	  "'value': -1}]}",
	  E "checks[0].value: expected a value of at least 0 for rule head_max (metrics are "
	    "never negative), got -1\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'valu': 2}]}",
	  E "checks[0]: unknown key 'valu' (expected name, description, role, where, metric, "
	    "rule, value, unless, when_base, optional)\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'role': 'idel'}]}",
	  E "checks[0].role: unknown role 'idel' (expected idle, busy or any)\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'optional': 'yes'}]}",
	  E "checks[0].optional: expected true or false\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'where': {'processes': [4]}}]}",
	  E "checks[0].where.processes: expected a string, number or boolean\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'where': ['processes']}]}",
	  E "checks[0].where: expected an object\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'unless': 0.25}]}",
	  E "checks[0].unless: expected an object\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'unless': {'rule': 'head_max', 'value': 1}}]}",
	  E "checks[0].unless.metric: missing\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'unless': {'metric': 'cpu_util', "
	  "'rule': 'head_max', 'value': 0.25, 'note': 'x'}}]}",
	  E "checks[0].unless: unknown key 'note' (expected metric, rule, value)\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'when_base': {'metric': 'cpu_util', "
	  "'rule': 'head_mim', 'value': 0.85}}]}",
	  E "checks[0].when_base.rule: unknown rule 'head_mim' (expected ratio_max, ratio_min, "
	    "head_max, head_min, diff_max, diff_min)\n" },
	{ "{'version': 1, 'checks': [{" CHECK0 ", 'when_base': {'metric': 'cpu_util', "
	  "'rule': 'ratio_min', 'value': 0.85}}]}",
	  E "checks[0].when_base.rule: expected head_min or head_max, got 'ratio_min' "
	    "(when_base tests base's own median)\n" },
};

static void test_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct thresholds t;
		unsigned before = msg_error_count();

		clear_captured();
		if (parse(&t, bad_cases[i].text) != -1)
			fail_msg("case %zu accepted: %s", i, bad_cases[i].text);
		if (strcmp(msgs_so_far(), bad_cases[i].msg))
			fail_msg("case %zu\n  got:  %s  want: %s", i, msgs_so_far(),
				 bad_cases[i].msg);
		/* Exactly one message, and nothing left to free. */
		assert_int_equal(msg_error_count(), before + 1);
		assert_true(is_empty(&t));
	}
}

static void test_truncated(void **state)
{
	struct thresholds t;

	(void)state;
	assert_int_equal(parse(&t, "{'version': 1,\n 'checks': [{'name'"), -1);
	assert_string_equal(msgs_so_far(),
			    "spin-gate: error: cannot read 'thresholds.json': line 2, "
			    "column 20: unexpected end of JSON\n");
	assert_true(is_empty(&t));
}

static void test_unknown_key_refused(void **state)
{
	struct thresholds t;

	(void)state;
	/* Without the typo the file is fine... */
	assert_int_equal(parse(&t, "{'version': 1, 'checks': [{" CHECK0 ", 'unless': "
				   "{'metric': 'cpu_util', 'rule': 'head_max', 'value': 0.25}}]}"),
			 0);
	assert_true(t.checks[0].has_unless);
	thresholds_release(&t);
	/* ...and a misspelt 'unless' must not silently drop the condition. */
	assert_int_equal(parse(&t, "{'version': 1, 'checks': [{" CHECK0 ", 'unles': "
				   "{'metric': 'cpu_util', 'rule': 'head_max', 'value': 0.25}}]}"),
			 -1);
	assert_non_null(strstr(msgs_so_far(), "checks[0]: unknown key 'unles'"));
	assert_true(is_empty(&t));
}

static void test_missing_file(void **state)
{
	struct thresholds t;

	(void)state;
	assert_int_equal(thresholds_load(&t, "/nonexistent/thresholds.json"), -1);
	assert_string_equal(msgs_so_far(),
			    "spin-gate: error: cannot read '/nonexistent/thresholds.json'"
			    ": No such file or directory\n");
	assert_true(is_empty(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shipped_file, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_defaults_and_where_text, msgs_setup,
						msgs_teardown),
		cmocka_unit_test_setup_teardown(test_names, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_truncated, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_refused, msgs_setup,
						msgs_teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, msgs_setup, msgs_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
