/*
 * status: the one table of the status vocabulary. Every status has every
 * spelling; the exit codes are the ones cmd.h documents (and the README's
 * exit-code table); names parse back; out-of-range values are harmless.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "judge.h"
#include "status.h"

static void test_exit_codes_as_documented(void **state)
{
	(void)state;
	/* cmd.h: 0 pass, 1 a check failed, 3 inconclusive, 4 could not be run */
	assert_int_equal(status_exit_code(STATUS_PASS), EXIT_PASS);
	assert_int_equal(status_exit_code(STATUS_FAIL), EXIT_FAIL);
	assert_int_equal(status_exit_code(STATUS_INCONCLUSIVE), EXIT_INCONCLUSIVE);
	assert_int_equal(status_exit_code(STATUS_ERROR), EXIT_RUN_ERROR);
	assert_int_equal(status_exit_code(STATUS_SKIPPED), EXIT_PASS);
	assert_int_equal(EXIT_PASS, 0);
	assert_int_equal(EXIT_FAIL, 1);
	assert_int_equal(EXIT_INCONCLUSIVE, 3);
	assert_int_equal(EXIT_RUN_ERROR, 4);
	/* judge's verdict exit code is the table's */
	assert_int_equal(judge_exit_code(STATUS_FAIL), 1);
	assert_int_equal(judge_exit_code(STATUS_INCONCLUSIVE), 3);
	assert_int_equal(judge_exit_code(STATUS_ERROR), 4);
	assert_int_equal(judge_exit_code(STATUS_PASS), 0);
}

static void test_spellings(void **state)
{
	static const char *const want[STATUS_COUNT][4] = {
		[STATUS_PASS] = { "pass", "PASS", "passed", "success" },
		[STATUS_FAIL] = { "fail", "FAIL", "failed", "failure" },
		[STATUS_INCONCLUSIVE] = { "inconclusive", "INCONCLUSIVE", "inconclusive",
					  "neutral" },
		[STATUS_ERROR] = { "error", "ERROR", "errored", "failure" },
		[STATUS_SKIPPED] = { "skipped", "SKIPPED", "skipped", "neutral" },
	};
	int i;

	(void)state;
	for (i = 0; i < STATUS_COUNT; i++) {
		assert_string_equal(status_name((enum status)i), want[i][0]);
		assert_string_equal(status_word((enum status)i), want[i][1]);
		assert_string_equal(status_verb((enum status)i), want[i][2]);
		assert_string_equal(status_conclusion((enum status)i), want[i][3]);
	}
}

static void test_parse_round_trip(void **state)
{
	enum status s = STATUS_PASS;
	int i;

	(void)state;
	for (i = 0; i < STATUS_COUNT; i++) {
		assert_int_equal(status_parse(status_name((enum status)i), &s), 0);
		assert_int_equal(s, i);
	}
	s = STATUS_SKIPPED;
	assert_int_equal(status_parse("FAIL", &s), -1);
	assert_int_equal(status_parse("passed", &s), -1);
	assert_int_equal(status_parse("", &s), -1);
	assert_int_equal(s, STATUS_SKIPPED); /* untouched on failure */
}

static void test_out_of_range(void **state)
{
	(void)state;
	assert_string_equal(status_name((enum status)STATUS_COUNT), "unknown");
	assert_string_equal(status_word((enum status) - 1), "UNKNOWN");
	assert_string_equal(status_conclusion((enum status)99), "neutral");
	assert_int_equal(status_exit_code((enum status)99), EXIT_RUN_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes_as_documented),
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_parse_round_trip),
		cmocka_unit_test(test_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
