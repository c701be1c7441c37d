/* Unit tests for src/lib/msg.c: the prefix, and that text from outside (a
 * server's message, a scenario's output) cannot forge lines or terminal
 * state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "msg.h"
#include "testlib.h"

static void test_prefix_and_return(void **state)
{
	char *s;

	(void)state;
	msgs_begin();
	assert_int_equal(error("cannot read '%s'", "t.json"), -1);
	warning("runner is %s", "busy");
	note("measured %d runs", 3);
	s = msgs_end();
	assert_string_equal(s, "spin-gate: error: cannot read 't.json'\n"
			       "spin-gate: warning: runner is busy\n"
			       "spin-gate: measured 3 runs\n");
	free(s);
}

static void test_control_characters_sanitized(void **state)
{
	char *s;

	(void)state;
	msgs_begin();
	error("server said '%s'", "bad\n::error::forged\r\x1b[31mred\x7f\tend");
	s = msgs_end();
	assert_string_equal(s,
			    "spin-gate: error: server said 'bad?::error::forged??[31mred?\tend'\n");
	free(s);
}

/* The last error as printed, for a caller that writes it elsewhere too
 * (hyperfine_run_once() into the scenario's log and the verdict). */
static void test_last_error(void **state)
{
	(void)state;
	msgs_begin();
	error("first");
	assert_string_equal(msg_last_error(), "first");
	warning("not an error");
	note("nor this");
	assert_string_equal(msg_last_error(), "first");
	errno = ENOENT;
	error_errno("cannot read '%s'", "a\nb");
	assert_string_equal(msg_last_error(), "cannot read 'a?b': No such file or directory");
	free(msgs_end());
}

static void test_long_message_cut(void **state)
{
	char *big = malloc(MSG_MAX * 2), *s;
	size_t len;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', MSG_MAX * 2 - 1);
	big[MSG_MAX * 2 - 1] = '\0';
	msgs_begin();
	warning("%s", big);
	s = msgs_end();
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
	msgs_begin();
	msg_set_quiet(1);
	fs_tail_to_stderr(path, 2);
	msg_set_quiet(0);
	s = msgs_end();
	assert_string_equal(s, "    three?]0;title?\n    four\n");
	free(s);
	remove(path);
}

/* A 401 whose message quotes the Authorization header: the token becomes "***". */
static void test_secret_redacted(void **state)
{
	static const char tok[] = "ghs_0123456789abcdefSECRET";
	char *s, *big;
	size_t n;

	(void)state;
	assert_int_equal(msg_add_secret(tok), 0);
	assert_int_equal(msg_add_secret("short"), 0); /* under MSG_SECRET_MIN: ignored */
	msgs_begin();
	error("cannot list the comments: 401 Bad credentials (Authorization: Bearer %s)", tok);
	warning("%s%s", tok, tok);
	note("got '%s'", tok);
	msg_quote(tok, sizeof(tok) - 1);
	msg_quote(tok, 10); /* only part of it: not the secret, nothing to hide */
	note("a short word stays: short");
	s = msgs_end();
	assert_string_equal(s, "spin-gate: error: cannot list the comments: 401 Bad credentials "
			       "(Authorization: Bearer ***)\n"
			       "spin-gate: warning: ******\n"
			       "spin-gate: got '***'\n"
			       "    ***\n"
			       "    ghs_012345\n"
			       "spin-gate: a short word stays: short\n");
	free(s);

	/* a long message is redacted before it is cut: no start of a secret at its end */
	n = MSG_MAX - 1 - 5;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'x', n);
	big[n] = '\0';
	msgs_begin();
	warning("%s%s", big, tok);
	s = msgs_end();
	assert_null(strstr(s, "ghs_0"));
	assert_non_null(strstr(s, "x***\n"));
	free(s);
	free(big);

	s = msg_redact("a ghs_0123456789abcdefSECRET b", 30, &n);
	assert_string_equal(s, "a *** b");
	assert_int_equal(n, 7);
	free(s);

	msg_clear_secrets();
	msgs_begin();
	note("%s", tok);
	s = msgs_end();
	assert_string_equal(s, "spin-gate: ghs_0123456789abcdefSECRET\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_and_return),
		cmocka_unit_test(test_control_characters_sanitized),
		cmocka_unit_test(test_last_error),
		cmocka_unit_test(test_long_message_cut),
		cmocka_unit_test(test_quote_and_file_tail),
		cmocka_unit_test(test_secret_redacted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
