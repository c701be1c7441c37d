/* Unit tests for src/msg.c: the prefix, and that text from outside (a
 * server's message, a scenario's output) cannot forge lines or terminal
 * state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "msg.h"

static FILE *msgs;

static void begin(void)
{
	msgs = tmpfile();
	assert_non_null(msgs);
	msg_set_stream(msgs);
}

/* What was printed since begin(), NUL-terminated; the caller frees it. */
static char *end(void)
{
	long n;
	char *s;

	msg_set_stream(NULL);
	n = ftell(msgs);
	assert_true(n >= 0);
	s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	rewind(msgs);
	assert_int_equal(fread(s, 1, (size_t)n, msgs), (size_t)n);
	fclose(msgs);
	return s;
}

static void test_prefix_and_return(void **state)
{
	char *s;

	(void)state;
	begin();
	assert_int_equal(error("cannot read '%s'", "t.json"), -1);
	warning("runner is %s", "busy");
	note("measured %d runs", 3);
	s = end();
	assert_string_equal(s, "spin-gate: error: cannot read 't.json'\n"
			       "spin-gate: warning: runner is busy\n"
			       "spin-gate: measured 3 runs\n");
	free(s);
}

static void test_control_characters_sanitized(void **state)
{
	char *s;

	(void)state;
	begin();
	error("server said '%s'", "bad\n::error::forged\r\x1b[31mred\x7f\tend");
	s = end();
	assert_string_equal(s,
			    "spin-gate: error: server said 'bad?::error::forged??[31mred?\tend'\n");
	free(s);
}

static void test_long_message_cut(void **state)
{
	char *big = malloc(MSG_MAX * 2), *s;
	size_t len;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', MSG_MAX * 2 - 1);
	big[MSG_MAX * 2 - 1] = '\0';
	begin();
	warning("%s", big);
	s = end();
	len = strlen(s);
	/* prefix + MSG_MAX - 1 bytes + "..." + newline */
	assert_int_equal(len, strlen("spin-gate: warning: ") + MSG_MAX - 1 + 3 + 1);
	assert_string_equal(s + len - 5, "x...\n");
	free(s);
	free(big);
}

static void test_quote_and_file_tail(void **state)
{
	char path[] = "/tmp/spin-gate-test-msg.XXXXXX";
	FILE *f;
	char *s;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("one\ntwo\nthree\x1b]0;title\x07\nfour\n", f);
	fclose(f);
	begin();
	msg_set_quiet(1);
	fs_tail_to_stderr(path, 2);
	msg_set_quiet(0);
	s = end();
	assert_string_equal(s, "    three?]0;title?\n    four\n");
	free(s);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_and_return),
		cmocka_unit_test(test_control_characters_sanitized),
		cmocka_unit_test(test_long_message_cut),
		cmocka_unit_test(test_quote_and_file_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
