/* Unit tests for scenario roles and the checks made before anything runs:
 * suite.c's roles and field checks, plan.c's role assignment and
 * plan_check(), thresholds_check_matrix(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "plan.h"
#include "results.h"
#include "suite.h"
#include "testlib.h"
#include "thresholds.h"

static char dir[] = "/tmp/spin-gate-test-roles.XXXXXX";
static char path[sizeof(dir) + 16];

static int setup_dir(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/suite.json", dir);
	return 0;
}

static int remove_dir(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Load suite text (single quotes for double). 0 or -1; messages in *err. */
static int load(struct suite *s, const char *text, char **err)
{
	FILE *f = fopen(path, "w");
	const char *p;
	int ret;

	assert_non_null(f);
	for (p = text; *p; p++)
		fputc(*p == '\'' ? '"' : *p, f);
	fclose(f);
	msgs_begin();
	ret = suite_load(s, dir);
	*err = msgs_end();
	return ret;
}

#define PARAMS                                                                    \
	"'parameters': [{'name': 'mode', 'values': ['sleep', 'spin', 'crunch']}," \
	" {'name': 'n', 'values': [1, 2]}]"
#define COMMAND "'command': ['${env}/bin/x', '${mode}', '${n}']"

static void test_roles_first_match_wins(void **state)
{
	struct suite s;
	struct results r;
	char *err;
	size_t i;

	(void)state;
	assert_int_equal(load(&s,
			      "{'name': 'x', " PARAMS ", " COMMAND ", 'roles': ["
			      " {'role': 'idle', 'where': {'mode': 'sleep'}},"
			      " {'role': 'busy', 'where': {'mode': 'crunch', 'n': '2'}},"
			      " {'role': 'idle', 'where': {'mode': 'crunch'}}]}",
			      &err),
			 0);
	free(err);
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 2), 0);
	assert_int_equal(r.nscen, 6);
	{
		static const char *const want[] = { "idle", "idle", "any", "any", "idle", "busy" };

		for (i = 0; i < 6; i++)
			assert_string_equal(role_name(r.scen[i].role), want[i]);
	}
	results_release(&r);
	suite_release(&s);
}

static void test_roles_mistakes(void **state)
{
	static const struct {
		const char *roles, *want;
	} cases[] = {
		{ "[{'role': 'idel'}]",
		  "roles[0].role: unknown role 'idel' (expected idle, busy or any)" },
		{ "[{'role': 'idle', 'where': {'mdoe': 'sleep'}}]",
		  "roles[0].where: 'mdoe' is not a parameter of the suite" },
		{ "[{'role': 'idle', 'where': {'mode': 'slep'}}]",
		  "roles[0].where.mode: 'slep' is not one of the parameter's values" },
		{ "[{'role': 'idle', 'wher': {}}]",
		  "roles[0]: unknown field 'wher' (expected role, where)" },
		{ "[{'where': {}}]", "roles[0].role: missing" },
	};
	struct suite s;
	char text[512], want[512], *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(text, sizeof(text), "{'name': 'x', " PARAMS ", " COMMAND ", 'roles': %s}",
			 cases[i].roles);
		assert_int_equal(load(&s, text, &err), -1);
		snprintf(want, sizeof(want), "spin-gate: error: '%s': %s\n", path, cases[i].want);
		if (strcmp(err, want))
			fail_msg("case %zu\n  got:  %s  want: %s", i, err, want);
		free(err);
	}
}

static void test_setup_typo_named(void **state)
{
	struct suite s;
	char want[256], *err;

	(void)state;
	assert_int_equal(load(&s,
			      "{'name': 'x', " PARAMS ", " COMMAND
			      ", 'setup': {'gti': ['${worktree}']}}",
			      &err),
			 -1);
	snprintf(want, sizeof(want),
		 "spin-gate: error: '%s': setup: unknown field 'gti' (expected version, git, "
		 "timeout)\n",
		 path);
	assert_string_equal(err, want);
	free(err);
}

static void test_no_parameters_named_after_suite(void **state)
{
	struct suite s;
	struct results r;
	char *err;

	(void)state;
	assert_int_equal(load(&s,
			      "{'name': 'solo', 'parameters': [], 'command': ['true'],"
			      " 'roles': [{'role': 'idle'}]}",
			      &err),
			 0);
	free(err);
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 2), 0);
	assert_int_equal(r.nscen, 1);
	assert_string_equal(r.scen[0].name, "solo");
	assert_int_equal(r.scen[0].role, ROLE_IDLE);
	results_release(&r);
	suite_release(&s);
}

/* plan_check() on suite text; returns its messages. */
static char *checked(const char *text, int want_ret)
{
	struct suite s;
	struct results r;
	char *err;

	assert_int_equal(load(&s, text, &err), 0);
	free(err);
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 2), 0);
	msgs_begin();
	assert_int_equal(plan_check(&s, &r, "2"), want_ret);
	err = msgs_end();
	results_release(&r);
	suite_release(&s);
	return err;
}

static void test_plan_check_templates(void **state)
{
	char want[512], *err;

	(void)state;
	err = checked("{'name': 'x', " PARAMS ", " COMMAND ","
		      " 'setup': {'version': ['${suite_dir}/s', '${version}', '${env}'],"
		      " 'git': ['s', '${worktree}', '${commit}', '${env}']},"
		      " 'probe': ['${env}/bin/x', '${version}']}",
		      0);
	assert_string_equal(err, "");
	free(err);

	err = checked("{'name': 'x', " PARAMS ", 'command': ['${worktree}/x', '${mode}']}", -1);
	snprintf(want, sizeof(want),
		 "spin-gate: error: '%s': command (scenario mode=sleep n=1): unknown variable "
		 "'${worktree}' in '${worktree}/x'\n",
		 path);
	assert_string_equal(err, want);
	free(err);

	err = checked("{'name': 'x', " PARAMS ", " COMMAND ", 'env': {'A': '${nn}'}}", -1);
	snprintf(want, sizeof(want),
		 "spin-gate: error: '%s': env.A (scenario mode=sleep n=1): unknown variable "
		 "'${nn}' in '${nn}'\n",
		 path);
	assert_string_equal(err, want);
	free(err);

	err = checked("{'name': 'x', " PARAMS ", " COMMAND
		      ", 'setup': {'version': ['s', '${worktree}']}}",
		      -1);
	snprintf(want, sizeof(want),
		 "spin-gate: error: '%s': setup.version: unknown variable '${worktree}' in "
		 "'${worktree}'\n",
		 path);
	assert_string_equal(err, want);
	free(err);

	err = checked("{'name': 'x', " PARAMS ", " COMMAND ", 'probe': ['${mode}']}", -1);
	snprintf(want, sizeof(want),
		 "spin-gate: error: '%s': probe: unknown variable '${mode}' in '${mode}'\n", path);
	assert_string_equal(err, want);
	free(err);
}

/* thresholds_check_matrix() of thresholds text against the suite above. */
static char *matrix_checked(const char *checks, int want_ret)
{
	struct suite s;
	struct thresholds t;
	struct results r;
	char text[1024], *err;
	const char *p;
	char *q;

	assert_int_equal(load(&s,
			      "{'name': 'x', " PARAMS ", " COMMAND ", 'roles': ["
			      " {'role': 'idle', 'where': {'mode': 'sleep'}}]}",
			      &err),
			 0);
	free(err);
	snprintf(text, sizeof(text), "{'version': 1, 'checks': %s}", checks);
	for (p = text, q = text; *p; p++, q++)
		*q = *p == '\'' ? '"' : *p;
	assert_int_equal(thresholds_parse(&t, text, strlen(text), "t.json"), 0);
	free(t.path);
	t.path = strdup("t.json");
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 2), 0);
	msgs_begin();
	assert_int_equal(thresholds_check_matrix(&t, &r, s.name), want_ret);
	err = msgs_end();
	results_release(&r);
	thresholds_release(&t);
	suite_release(&s);
	return err;
}

#define CHECK(extra) "{'name': 'c', 'metric': 'cpu', 'rule': 'ratio_max', 'value': 0.5" extra "}"

static void test_checks_cannot_vanish(void **state)
{
	char *err;

	(void)state;
	err = matrix_checked("[" CHECK(", 'role': 'idle'") ", {'name': 'w', 'metric': 'wall', "
							   "'rule': 'ratio_max', 'value': 1.1}]",
			     0);
	assert_string_equal(err, "");
	free(err);

	err = matrix_checked("[" CHECK(", 'where': {'mdoe': 'spin'}") "]", -1);
	assert_string_equal(err, "spin-gate: error: 't.json': checks[0].where: 'mdoe' is not a "
				 "parameter of suite 'x' (its parameters: mode, n)\n");
	free(err);

	err = matrix_checked("[" CHECK(", 'where': {'mode': 'spni'}") "]", -1);
	assert_string_equal(err, "spin-gate: error: 't.json': check 'c' applies to no scenario of "
				 "suite 'x': its where matches none of the 6 scenarios (or mark "
				 "it \"optional\": true)\n");
	free(err);

	err = matrix_checked("[" CHECK(", 'role': 'busy'") "]", -1);
	assert_string_equal(err, "spin-gate: error: 't.json': check 'c' applies to no scenario of "
				 "suite 'x': no scenario has role 'busy' (declare it in the "
				 "suite's \"roles\", or mark the check \"optional\": true)\n");
	free(err);

	err = matrix_checked("[" CHECK(", 'role': 'busy', 'optional': true") "]", 0);
	assert_string_equal(err, "");
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_first_match_wins),
		cmocka_unit_test(test_roles_mistakes),
		cmocka_unit_test(test_setup_typo_named),
		cmocka_unit_test(test_no_parameters_named_after_suite),
		cmocka_unit_test(test_plan_check_templates),
		cmocka_unit_test(test_checks_cannot_vanish),
	};

	return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
