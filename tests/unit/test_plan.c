/* Unit tests of src/model/plan.c: the matrix expanded into scenarios (order,
 * names, cores), --only filters, and the template variables of a scenario. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "testlib.h"

static char *input_values[] = { (char *)"partitioned", (char *)"dynamic" };
static char *long_values[] = { (char *)"True", (char *)"False" };
static char *proc_values[] = { (char *)"1", (char *)"${ncpu}" };
static char *cmd[] = { (char *)"prog", NULL };

static struct suite_param params[] = {
	{ (char *)"input", input_values, 2 },
	{ (char *)"long_input", long_values, 2 },
	{ (char *)"processes", proc_values, 2 },
};

static struct suite s;

static int setup(void **state)
{
	(void)state;
	memset(&s, 0, sizeof(s));
	s.dir = (char *)"/suite";
	s.path = (char *)"/suite/suite.json";
	s.name = (char *)"bytewax";
	s.params = params;
	s.nparams = 3;
	s.command = cmd;
	s.cwd = (char *)"${suite_dir}";
	s.cores = (char *)"${processes}";
	s.timeout = 90;
	msgs_begin();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(msgs_end());
	return 0;
}

/* One scenario per combination, the first parameter varying slowest;
 * templates in values expanded; cores from the template, capped at ncpu. */
static void test_matrix(void **state)
{
	struct results r;
	const struct scenario_result *sc;

	(void)state;
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 4), 0);
	assert_int_equal(r.nscen, 8);
	assert_string_equal(r.scen[0].name, "input=partitioned long_input=True processes=1");
	assert_string_equal(r.scen[1].name, "input=partitioned long_input=True processes=4");
	assert_string_equal(r.scen[2].name, "input=partitioned long_input=False processes=1");
	assert_string_equal(r.scen[7].name, "input=dynamic long_input=False processes=4");
	sc = &r.scen[5];
	assert_string_equal(sc->name, "input=dynamic long_input=True processes=4");
	assert_int_equal(sc->nparams, 3);
	assert_string_equal(sc->params[0].name, "input");
	assert_string_equal(sc->params[0].value, "dynamic");
	assert_string_equal(scenario_param(sc, "processes"), "4");
	assert_true(sc->cores == 4);
	assert_true(r.scen[0].cores == 1);
	assert_int_equal(sc->machine_cores, 4);
	assert_true(sc->timeout == 90);
	assert_int_equal(sc->samples[SIDE_BASE].n, 0);
	assert_null(sc->command[SIDE_BASE]);
	results_release(&r);

	/* a budget above the machine's cores is capped */
	s.cores = (char *)"16";
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 2), 0);
	assert_true(r.scen[0].cores == 2);
	results_release(&r);
	s.cores = (char *)"0.5";
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 2), 0);
	assert_true(r.scen[0].cores == 0.5);
	results_release(&r);
	assert_string_equal(msgs_so_far(), "");
}

/* No parameters: one scenario. */
static void test_no_parameters(void **state)
{
	struct results r;

	(void)state;
	s.nparams = 0;
	s.cores = (char *)"${ncpu}";
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 3), 0);
	assert_int_equal(r.nscen, 1);
	/* named after the suite, not "" */
	assert_string_equal(r.scen[0].name, "bytewax");
	assert_true(r.scen[0].cores == 3);
	results_release(&r);
}

/* --only: the values given for a parameter replace its list (also values
 * the suite does not list); several for one parameter keep them all. */
static void test_filters(void **state)
{
	struct plan_filter f[] = {
		{ "processes", "3" },
		{ "input", "dynamic" },
		{ "processes", "1" },
	};
	struct results r;

	(void)state;
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, f, 3, 4), 0);
	assert_int_equal(r.nscen, 4);
	assert_string_equal(r.scen[0].name, "input=dynamic long_input=True processes=3");
	assert_string_equal(r.scen[1].name, "input=dynamic long_input=True processes=1");
	assert_string_equal(r.scen[3].name, "input=dynamic long_input=False processes=1");
	assert_true(r.scen[0].cores == 3);
	results_release(&r);
}

/* --only values replace a parameter's list: the matrix they make is
 * capped too, before a scenario is built. */
static void test_filters_too_many(void **state)
{
	size_t n = 2501, i; /* 2 x 2 x 2501 = 10004 */
	struct plan_filter *f = calloc(n, sizeof(*f));
	struct results r;

	(void)state;
	assert_non_null(f);
	for (i = 0; i < n; i++) {
		f[i].name = "processes";
		f[i].value = "1";
	}
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, f, n, 4), -1);
	assert_string_equal(msgs_so_far(),
			    "spin-gate: error: --only: the matrix has 10004 scenarios (at most "
			    "10000)\n");
	assert_int_equal(r.nscen, 0);
	results_release(&r);
	/* 2 x 2 x 2500 is allowed */
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, f, n - 1, 4), 0);
	assert_int_equal(r.nscen, 10000);
	results_release(&r);
	free(f);
}

static void test_errors(void **state)
{
	struct plan_filter f[] = { { "proceses", "1" } };
	struct results r;

	(void)state;
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, f, 1, 4), -1);
	assert_string_equal(msgs_so_far(),
			    "spin-gate: error: --only proceses=1: suite 'bytewax' has "
			    "no parameter 'proceses'\n");
	assert_int_equal(r.nscen, 0);
	results_release(&r);

	free(msgs_end());
	msgs_begin();
	s.cores = (char *)"${input}";
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 4), -1);
	assert_string_equal(msgs_so_far(),
			    "spin-gate: error: '/suite/suite.json': cores: 'partitioned' is not a "
			    "positive number (scenario input=partitioned long_input=True "
			    "processes=1)\n");
	results_release(&r);

	free(msgs_end());
	msgs_begin();
	s.cores = (char *)"0";
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 4), -1);
	assert_non_null(strstr(msgs_so_far(), "cores: '0' is not a positive number"));
	results_release(&r);

	free(msgs_end());
	msgs_begin();
	s.cores = (char *)"${nope}";
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 4), -1);
	assert_non_null(strstr(msgs_so_far(), "unknown variable '${nope}'"));
	results_release(&r);
}

static void test_filter_parse(void **state)
{
	struct plan_filter f;
	char *storage = NULL;

	(void)state;
	assert_int_equal(plan_filter_parse("input=a=b", &f, &storage), 0);
	assert_string_equal(f.name, "input");
	assert_string_equal(f.value, "a=b");
	free(storage);
	assert_int_equal(plan_filter_parse("input=", &f, &storage), 0);
	assert_string_equal(f.value, "");
	free(storage);
	storage = NULL;
	assert_int_equal(plan_filter_parse("input", &f, &storage), -1);
	assert_int_equal(plan_filter_parse("=x", &f, &storage), -1);
	assert_null(storage);
	assert_string_equal(msgs_so_far(),
			    "spin-gate: error: --only takes NAME=VALUE, not 'input'\n"
			    "spin-gate: error: --only takes NAME=VALUE, not '=x'\n");
}

static const char *var(const struct vars *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->name[i], name))
			return v->value[i];
	return NULL;
}

static void test_vars(void **state)
{
	struct results r;
	struct vars v;

	(void)state;
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 4), 0);
	plan_vars(&v, &s, &r.scen[1], "/envs/head", "4");
	assert_string_equal(var(&v, "suite_dir"), "/suite");
	assert_string_equal(var(&v, "ncpu"), "4");
	assert_string_equal(var(&v, "env"), "/envs/head");
	assert_string_equal(var(&v, "input"), "partitioned");
	assert_string_equal(var(&v, "processes"), "4");
	assert_int_equal(v.n, 6);
	plan_vars(&v, &s, NULL, NULL, "2"); /* starts afresh */
	assert_int_equal(v.n, 2);
	assert_null(var(&v, "env"));
	assert_null(var(&v, "input"));
	results_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_matrix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_parameters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters_too_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vars, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
