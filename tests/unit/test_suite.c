/* Unit tests of src/model/suite.c: loading suite.json (fields, defaults, every
 * validation error), and template expansion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "testlib.h"

static char *dir, *real_dir, *path;

static int setup(void **state)
{
	(void)state;
	dir = tmpdir_make("suite");
	real_dir = realpath(dir, NULL);
	path = xstrfmt("%s/suite.json", real_dir);
	msgs_begin();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(msgs_end());
	free(path);
	free(real_dir);
	tmpdir_remove(dir);
	return 0;
}

/* Test inputs are written with ' for " to stay readable. */
static void write_suite(const char *text)
{
	char *t = xstrdup(text), *p;
	FILE *f = fopen(path, "w");

	for (p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	assert_non_null(f);
	fputs(t, f);
	fclose(f);
	free(t);
}

static void test_load_full(void **state)
{
	struct suite s;

	(void)state;
	write_suite("{'name': 'bytewax', 'description': 'd',"
		    " 'parameters': [{'name': 'input', 'values': ['a', 'b']},"
		    "                {'name': 'processes', 'values': [1, 2.5, true]}],"
		    " 'command': ['${env}/bin/python', '-c', '${input}'],"
		    " 'cwd': '/w', 'env': {'SEED': 0, 'MODE': 'x'}, 'cores': '${processes}',"
		    " 'timeout': 120,"
		    " 'setup': {'version': ['v', '${version}'], 'git': ['g', '${worktree}'],"
		    "           'timeout': 900},"
		    " 'probe': ['${env}/bin/python', '--version']}");
	/* the directory or the file itself */
	assert_int_equal(suite_load(&s, dir), 0);
	assert_string_equal(s.dir, real_dir);
	assert_string_equal(s.path, path);
	assert_string_equal(s.name, "bytewax");
	assert_string_equal(s.description, "d");
	assert_int_equal(s.nparams, 2);
	assert_string_equal(s.params[0].name, "input");
	assert_int_equal(s.params[0].nvalues, 2);
	assert_string_equal(s.params[0].values[1], "b");
	assert_string_equal(s.params[1].values[0], "1");
	assert_string_equal(s.params[1].values[1], "2.5");
	assert_string_equal(s.params[1].values[2], "true");
	assert_string_equal(s.command[0], "${env}/bin/python");
	assert_string_equal(s.command[2], "${input}");
	assert_null(s.command[3]);
	assert_string_equal(s.cwd, "/w");
	assert_int_equal(s.nenv, 2);
	assert_string_equal(s.env[0].name, "SEED");
	assert_string_equal(s.env[0].value, "0");
	assert_string_equal(s.env[1].value, "x");
	assert_string_equal(s.cores, "${processes}");
	assert_true(s.timeout == 120);
	assert_string_equal(s.setup_version[1], "${version}");
	assert_string_equal(s.setup_git[0], "g");
	assert_true(s.setup_timeout == 900);
	assert_string_equal(s.probe[1], "--version");
	suite_release(&s);
	assert_int_equal(suite_load(&s, path), 0);
	assert_string_equal(s.name, "bytewax");
	suite_release(&s);
	assert_string_equal(msgs_so_far(), "");
}

static void test_defaults(void **state)
{
	struct suite s;

	(void)state;
	write_suite("{'name': 'n', 'parameters': [], 'command': ['true']}");
	assert_int_equal(suite_load(&s, dir), 0);
	assert_null(s.description);
	assert_int_equal(s.nparams, 0);
	assert_string_equal(s.cwd, "${suite_dir}");
	assert_int_equal(s.nenv, 0);
	assert_string_equal(s.cores, "${ncpu}");
	assert_true(s.timeout == 600);
	assert_null(s.setup_version);
	assert_null(s.setup_git);
	assert_true(s.setup_timeout == 1800);
	assert_null(s.probe);
	suite_release(&s);
}

struct bad_case {
	const char *json;
	const char *msg; /* after "spin-gate: error: '<path>': " */
};

#define OK_PARAMS "'parameters': [], 'command': ['x']"
/* 0 to 99 */
#define V100                                                                               \
	"0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, "   \
	"22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, " \
	"42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, " \
	"62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, " \
	"82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99"

static const struct bad_case bad_cases[] = {
	{ "[]", "expected a JSON object" },
	{ "{'name': 'n', " OK_PARAMS ", 'comand': []}", "unknown field 'comand'" },
	{ "{" OK_PARAMS "}", "name: missing" },
	{ "{'name': '', " OK_PARAMS "}", "name: must not be empty" },
	/* the name is a directory of the cache: it cannot leave it */
	{ "{'name': '../../../escape', " OK_PARAMS "}",
	  "name: '../../../escape' must be letters, digits, '.', '_' and '-', not starting with "
	  "'.'" },
	{ "{'name': 'a/b', " OK_PARAMS "}",
	  "name: 'a/b' must be letters, digits, '.', '_' and '-', not starting with '.'" },
	{ "{'name': 3, " OK_PARAMS "}", "name: expected a string" },
	{ "{'name': 'n', 'command': ['x']}", "parameters: missing" },
	{ "{'name': 'n', 'parameters': [3], 'command': ['x']}",
	  "parameters[0]: expected an object" },
	{ "{'name': 'n', 'parameters': [{'values': [1]}], 'command': ['x']}",
	  "parameters[0].name: missing" },
	{ "{'name': 'n', 'parameters': [{'name': 'a b', 'values': [1]}], 'command': ['x']}",
	  "parameters[0].name: 'a b' must be letters, digits and '_'" },
	{ "{'name': 'n', 'parameters': [{'name': 'a', 'values': [1]}, {'name': 'a', 'values': "
	  "[2]}], 'command': ['x']}",
	  "parameters[1].name: parameter 'a' appears twice" },
	{ "{'name': 'n', 'parameters': [{'name': 'a', 'values': []}], 'command': ['x']}",
	  "parameters[0].values: must not be empty" },
	{ "{'name': 'n', 'parameters': [{'name': 'a', 'values': [1, {}]}], 'command': ['x']}",
	  "parameters[0].values[1]: expected a string, number or boolean" },
	{ "{'name': 'n', 'parameters': []}", "command: missing" },
	{ "{'name': 'n', 'parameters': [], 'command': []}", "command: must not be empty" },
	{ "{'name': 'n', 'parameters': [], 'command': ['x', 1]}", "command[1]: expected a string" },
	{ "{'name': 'n', " OK_PARAMS ", 'env': {'A': []}}", "env.A: expected a string" },
	{ "{'name': 'n', " OK_PARAMS ", 'cores': true}",
	  "cores: expected a number or a template string" },
	{ "{'name': 'n', " OK_PARAMS ", 'timeout': 0}",
	  "timeout: must be a positive number of seconds" },
	{ "{'name': 'n', " OK_PARAMS ", 'timeout': '5'}", "timeout: expected a number" },
	{ "{'name': 'n', " OK_PARAMS ", 'setup': {'git': []}}", "setup.git: must not be empty" },
	{ "{'name': 'n', " OK_PARAMS ", 'setup': {'version': [2]}}",
	  "setup.version[0]: expected a string" },
	{ "{'name': 'n', " OK_PARAMS ", 'probe': 'python'}", "probe: expected an array" },
	{ "{'name': 'n', " OK_PARAMS ", 'setup': {'timeout': -5}}",
	  "setup.timeout: must be a positive number of seconds" },
	{ "{'name': 'n', " OK_PARAMS ", 'setup': {'timeout': 0}}",
	  "setup.timeout: must be a positive number of seconds" },
	/* 1 and '1' are one value: two scenarios would have the same name */
	{ "{'name': 'n', 'parameters': [{'name': 'a', 'values': ['x', 1, 'y', '1']}], "
	  "'command': ['x']}",
	  "parameters[0].values[3]: value '1' appears twice" },
	/* refused before a scenario is built: 1000^3 would exhaust memory */
	{ "{'name': 'n', 'parameters': [{'name': 'a', 'values': [" V100 "]}, "
	  "{'name': 'b', 'values': [" V100 "]}, {'name': 'c', 'values': [1, 2]}], "
	  "'command': ['x']}",
	  "parameters: the matrix has 20000 scenarios (at most 10000)" },
};

/* Each mistake: -1, one message naming the file and the field, and the
 * struct left empty (nothing to release). */
static void test_validation_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct suite s;
		char *said, *want;
		int ret;

		write_suite(bad_cases[i].json);
		free(msgs_end());
		msgs_begin();
		ret = suite_load(&s, dir);
		said = msgs_end();
		msgs_begin();
		want = xstrfmt("spin-gate: error: '%s': %s\n", path, bad_cases[i].msg);
		if (ret != -1 || strcmp(said, want))
			fail_msg("case %zu: ret %d\n  got:  %s  want: %s", i, ret, said, want);
		assert_null(s.name);
		assert_null(s.params);
		assert_null(s.command);
		free(said);
		free(want);
	}
}

/* The JSON layer's own refusals, for suite.json: a duplicate key (cJSON
 * keeps both) and a string that is not UTF-8 (hyperfine would fail on it
 * later with a misleading message), each with its line, column and field. */
static void test_keys_and_utf8(void **state)
{
	static const struct bad_case cases[] = {
		{ "{'name': 'n', " OK_PARAMS ",\n 'name': 'm'}", "line 2, column 2: duplicate key "
								 "'name'" },
		{ "{'name': 'n', " OK_PARAMS ", 'setup': {'timeout': 5, 'timeout': -1}}",
		  "line 1, column 75: duplicate key 'timeout' in setup" },
		{ "{'name': 'n', 'description': 'd\xff', " OK_PARAMS "}",
		  "line 1, column 30: description: invalid UTF-8" },
		{ "{'name': 'n', 'parameters': [{'name': 'a', 'values': ['\xc3\x28']}], "
		  "'command': ['x']}",
		  "line 1, column 55: parameters[0].values[0]: invalid UTF-8" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct suite s;
		char *said, *want;
		int ret;

		write_suite(cases[i].json);
		free(msgs_end());
		msgs_begin();
		ret = suite_load(&s, dir);
		said = msgs_end();
		msgs_begin();
		want = xstrfmt("spin-gate: error: cannot read '%s': %s\n", path, cases[i].msg);
		if (ret != -1 || strcmp(said, want))
			fail_msg("case %zu: ret %d\n  got:  %s  want: %s", i, ret, said, want);
		assert_null(s.name);
		free(said);
		free(want);
	}
}

static void test_unreadable(void **state)
{
	struct suite s;
	char *missing = xstrfmt("%s/nope", dir), *want;

	(void)state;
	assert_int_equal(suite_load(&s, missing), -1);
	want = xstrfmt("spin-gate: error: cannot read suite '%s': No such file or directory\n",
		       missing);
	assert_string_equal(msgs_so_far(), want);
	free(want);
	/* a directory without suite.json */
	free(msgs_end());
	msgs_begin();
	assert_int_equal(suite_load(&s, dir), -1);
	want = xstrfmt("spin-gate: error: cannot read suite '%s/suite.json': No such file or "
		       "directory\n",
		       dir);
	assert_string_equal(msgs_so_far(), want);
	free(want);
	/* not JSON: where */
	free(msgs_end());
	msgs_begin();
	write_suite("{'name': 'n',\n 'parameters': [],,\n}");
	assert_int_equal(suite_load(&s, dir), -1);
	want = xstrfmt("spin-gate: error: cannot read '%s': line 2, column ", path);
	assert_int_equal(strncmp(msgs_so_far(), want, strlen(want)), 0);
	assert_non_null(strstr(msgs_so_far(), ": invalid JSON\n"));
	free(want);
	free(missing);
}

static void test_expand(void **state)
{
	struct vars v = { .n = 0 };
	struct buf b = BUF_INIT;

	(void)state;
	vars_set(&v, "env", "/e");
	vars_set(&v, "input", "it's; $(x)");
	vars_set(&v, "env", "/env"); /* set again: replaced */
	assert_int_equal(v.n, 2);
	assert_int_equal(suite_expand(&b, "${env}/bin:${input}:$$HOME:${env}", &v, "f.json"), 0);
	assert_string_equal(b.s, "/env/bin:it's; $(x):$HOME:/env");
	buf_reset(&b);
	assert_int_equal(suite_expand(&b, "", &v, "f.json"), 0);
	assert_string_equal(b.s, "");
	assert_string_equal(msgs_so_far(), "");

	buf_reset(&b);
	assert_int_equal(suite_expand(&b, "a${nope}", &v, "f.json"), -1);
	assert_string_equal(msgs_so_far(),
			    "spin-gate: error: f.json: unknown variable '${nope}' in 'a${nope}'\n");
	free(msgs_end());
	msgs_begin();
	assert_int_equal(suite_expand(&b, "cost $5", &v, "f.json"), -1);
	assert_string_equal(msgs_so_far(), "spin-gate: error: f.json: '$' must start ${NAME} or be "
					   "written $$ in 'cost $5'\n");
	free(msgs_end());
	msgs_begin();
	assert_int_equal(suite_expand(&b, "${env", &v, "f.json"), -1);
	buf_release(&b);
}

/* Each element stays one argument, whatever the values hold. */
static void test_expand_argv(void **state)
{
	char *tmpl[] = { (char *)"${env}/python", (char *)"-c", (char *)"${input}", NULL };
	char *bad[] = { (char *)"ok", (char *)"${x}", NULL };
	struct vars v = { .n = 0 };
	char **argv;

	(void)state;
	vars_set(&v, "env", "/e");
	vars_set(&v, "input", "a b 'c'");
	argv = suite_expand_argv(tmpl, &v, "f.json");
	assert_non_null(argv);
	assert_string_equal(argv[0], "/e/python");
	assert_string_equal(argv[2], "a b 'c'");
	assert_null(argv[3]);
	argv_free(argv);
	assert_null(suite_expand_argv(bad, &v, "f.json"));
	assert_non_null(strstr(msgs_so_far(), "unknown variable '${x}'"));
	argv_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_and_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expand_argv, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
