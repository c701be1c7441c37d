/*
 * actions: the escaping of workflow commands and their properties, the
 * multi-line output syntax and its delimiter, ::add-mask:: only under
 * Actions, the job summary's 1 MiB bound, and the runner's environment read once
 * into struct actions_env (the event payload only when asked for).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "actions.h"
#include "msg.h"
#include "testlib.h"

static void test_escape_data(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	actions_escape_data(&b, "50% of a:b,c\r\n::error::x");
	assert_string_equal(b.s, "50%25 of a:b,c%0D%0A::error::x");
	buf_reset(&b);
	actions_escape_property(&b, "50% of a:b,c\r\n::error::x");
	assert_string_equal(b.s, "50%25 of a%3Ab%2Cc%0D%0A%3A%3Aerror%3A%3Ax");
	buf_reset(&b);
	actions_escape_data(&b, "%0A"); /* already-escaped text stays literal */
	assert_string_equal(b.s, "%250A");
	buf_release(&b);
}

/* Run fn with commands captured; returns what was printed (caller frees). */
static char *capture(void (*fn)(void))
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	actions_set_stream(f);
	fn();
	actions_set_stream(NULL);
	fclose(f);
	return text;
}

static void annotate_hostile(void)
{
	actions_annotate(ACTIONS_ERROR, "spin-gate: wall failed on input=a,b",
			 "ratio 1.3x\n::add-mask::x\n100%");
	actions_annotate(ACTIONS_WARNING, NULL, "inconclusive");
	actions_group_begin("posting");
	actions_group_end();
}

static void test_annotations(void **state)
{
	char *out;

	(void)state;
	out = capture(annotate_hostile);
	assert_string_equal(out, "::error title=spin-gate%3A wall failed on input=a%2Cb::ratio "
				 "1.3x%0A::add-mask::x%0A100%25\n"
				 "::warning::inconclusive\n"
				 "::group::posting\n"
				 "::endgroup::\n");
	free(out);
}

static void mask_it(void)
{
	struct actions_env env;

	actions_env_load(&env);
	actions_add_mask(&env, "s3cr%t");
	actions_env_release(&env);
}

static void test_add_mask_only_under_actions(void **state)
{
	char *out;

	(void)state;
	unsetenv("GITHUB_ACTIONS");
	out = capture(mask_it);
	assert_string_equal(out, "");
	free(out);
	setenv("GITHUB_ACTIONS", "true", 1);
	out = capture(mask_it);
	assert_string_equal(out, "::add-mask::s3cr%25t\n");
	free(out);
	unsetenv("GITHUB_ACTIONS");
}

static void test_outputs(void **state)
{
	char path[] = "/tmp/spin-gate-test-output.XXXXXX";
	char *text, *delim, expect[512];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(actions_output_to(path, "verdict", "fail"), 0);
	assert_int_equal(actions_output_to(path, "comment-url", "https://x/1#c=2"), 0);
	assert_int_equal(actions_output_to(path, "notes", "line 1\nline 2\n"), 0);
	text = slurp(path);
	assert_true(!strncmp(
		text, "verdict=fail\ncomment-url=https://x/1#c=2\nnotes<<ghadelimiter_", 61));
	delim = strchr(text + 46, '<') + 2;
	delim = strndup(delim, strcspn(delim, "\n"));
	assert_int_equal(strlen(delim), strlen("ghadelimiter_") + 32);
	snprintf(expect, sizeof(expect),
		 "verdict=fail\ncomment-url=https://x/1#c=2\nnotes<<%s\nline 1\nline 2\n\n%s\n",
		 delim, delim);
	assert_string_equal(text, expect);
	free(delim);
	free(text);

	msg_set_stream(fopen("/dev/null", "w"));
	assert_int_equal(actions_output_to(path, "bad name", "x"), -1);
	assert_int_equal(actions_output_to(path, "a=b", "x"), -1);
	msg_set_stream(NULL);

	/* without $GITHUB_OUTPUT nothing is written, and that is fine */
	{
		struct actions_env env;

		unsetenv("GITHUB_OUTPUT");
		actions_env_load(&env);
		assert_int_equal(actions_output(&env, "verdict", "pass"), 0);
		actions_env_release(&env);
	}
	unlink(path);
}

static void test_env_load(void **state)
{
	char path[] = "/tmp/spin-gate-test-event.XXXXXX";
	static const char ev[] = "{\"pull_request\":{\"number\":12,\"head\":{\"sha\":\"hh\"}}}";
	struct actions_env env;
	char *url;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, ev, strlen(ev)), (ssize_t)strlen(ev));
	close(fd);
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_SERVER_URL", "https://github.com", 1);
	setenv("GITHUB_REPOSITORY", "o/r", 1);
	setenv("GITHUB_RUN_ID", "42", 1);
	setenv("GITHUB_SHA", "", 1); /* empty is unset */
	setenv("GITHUB_EVENT_NAME", "pull_request", 1);
	setenv("GITHUB_EVENT_PATH", path, 1);
	unsetenv("GITHUB_API_URL");
	actions_env_load(&env);
	assert_true(env.enabled);
	assert_string_equal(env.repository, "o/r");
	assert_null(env.sha);
	assert_null(env.api_url);
	url = actions_env_run_url(&env);
	assert_string_equal(url, "https://github.com/o/r/actions/runs/42");
	free(url);
	/* the event is read when asked for, not before */
	assert_int_equal(env.event.pr, 0);
	assert_int_equal(actions_env_read_event(&env), 0);
	assert_int_equal(env.event.pr, 12);
	assert_string_equal(env.event.head_sha, "hh");
	actions_env_release(&env);
	assert_null(env.repository);

	unsetenv("GITHUB_RUN_ID");
	setenv("GITHUB_EVENT_PATH", "/nonexistent/event.json", 1);
	actions_env_load(&env);
	assert_null(actions_env_run_url(&env));
	msg_set_stream(fopen("/dev/null", "w"));
	assert_int_equal(actions_env_read_event(&env), -1);
	msg_set_stream(NULL);
	actions_env_release(&env);

	unsetenv("GITHUB_EVENT_PATH");
	actions_env_load(&env);
	assert_int_equal(actions_env_read_event(&env), 0); /* nothing to read */
	actions_env_release(&env);
	unsetenv("GITHUB_ACTIONS");
	unsetenv("GITHUB_SERVER_URL");
	unsetenv("GITHUB_REPOSITORY");
	unsetenv("GITHUB_SHA");
	unsetenv("GITHUB_EVENT_NAME");
	unlink(path);
}

static void test_delimiter_not_in_value(void **state)
{
	char *d1 = actions_delimiter(""), *d2;
	struct buf v = BUF_INIT;

	(void)state;
	buf_addf(&v, "text\n%s\nmore", d1);
	d2 = actions_delimiter(v.s);
	assert_string_not_equal(d1, d2);
	assert_null(strstr(v.s, d2));
	free(d1);
	free(d2);
	buf_release(&v);
}

static void test_summary_bound(void **state)
{
	char path[] = "/tmp/spin-gate-test-summary.XXXXXX";
	struct buf md = BUF_INIT;
	char *text;
	int fd = mkstemp(path), i;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(actions_summary_append_to(path, "# first\n", 8, 1000), 0);
	for (i = 0; i < 200; i++)
		buf_adds(&md, "| row | é🐍 |\n");
	assert_int_equal(actions_summary_append_to(path, md.s, md.len, 1000), 0);
	text = slurp(path);
	assert_true(strlen(text) <= 1000);
	assert_true(!strncmp(text, "# first\n| row | é🐍 |\n", strlen("# first\n| row | é🐍 |\n")));
	assert_non_null(strstr(text, "|\n\n\n---\n:warning: The rest of this report was cut"));
	free(text);
	/* full: nothing more is written, and that is not an error */
	msg_set_stream(fopen("/dev/null", "w"));
	assert_int_equal(actions_summary_append_to(path, "more\n", 5, 1000), 0);
	msg_set_stream(NULL);
	text = slurp(path);
	assert_null(strstr(text, "more\n"));
	free(text);
	buf_release(&md);
	unlink(path);
}

static void annotate_secret(void)
{
	struct actions_env env;

	actions_env_load(&env);
	actions_annotate(ACTIONS_ERROR, "posting failed: ghs_abcdefghijSECRET",
			 "Cannot comment: HTTP 401: Bad credentials (Bearer ghs_abcdefghijSECRET)");
	actions_group_begin("ghs_abcdefghijSECRET");
	/* the mask itself must name the secret, or the runner could not mask it */
	actions_add_mask(&env, "ghs_abcdefghijSECRET");
	actions_env_release(&env);
}

/* The registered secrets of msg.h are redacted from commands, outputs and the summary. */
static void test_secret_redacted(void **state)
{
	char path[] = "/tmp/spin-gate-test-secret.XXXXXX";
	static const char md[] = "## FAIL\ntoken ghs_abcdefghijSECRET in a log\n";
	char *out;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(msg_add_secret("ghs_abcdefghijSECRET"), 0);
	setenv("GITHUB_ACTIONS", "true", 1);
	out = capture(annotate_secret);
	unsetenv("GITHUB_ACTIONS");
	assert_string_equal(out, "::error title=posting failed%3A ***::Cannot comment: HTTP 401: "
				 "Bad credentials (Bearer ***)\n"
				 "::group::***\n"
				 "::add-mask::ghs_abcdefghijSECRET\n");
	free(out);

	assert_int_equal(actions_output_to(path, "comment-url", "https://x/ghs_abcdefghijSECRET"),
			 0);
	assert_int_equal(actions_summary_append_to(path, md, strlen(md), 1000), 0);
	out = slurp(path);
	assert_string_equal(out, "comment-url=https://x/***\n## FAIL\ntoken *** in a log\n");
	free(out);
	msg_clear_secrets();
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_data),
		cmocka_unit_test(test_annotations),
		cmocka_unit_test(test_add_mask_only_under_actions),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_delimiter_not_in_value),
		cmocka_unit_test(test_env_load),
		cmocka_unit_test(test_summary_bound),
		cmocka_unit_test(test_secret_redacted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
