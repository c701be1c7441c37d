/*
 * event: pull request number, shas and the fork test from the payloads
 * GitHub sends (pull_request, pull_request_target, workflow_run,
 * issue_comment, push), and refusal of malformed ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "msg.h"

static const char pr_same[] =
	"{\"action\":\"synchronize\",\"number\":42,\"pull_request\":{\"number\":42,"
	"\"base\":{\"sha\":\"aaaa\",\"repo\":{\"full_name\":\"o/r\"}},"
	"\"head\":{\"sha\":\"bbbb\",\"repo\":{\"full_name\":\"o/r\"}}}}";
static const char pr_fork[] =
	"{\"pull_request\":{\"number\":7,"
	"\"base\":{\"sha\":\"aaaa\",\"repo\":{\"full_name\":\"o/r\"}},"
	"\"head\":{\"sha\":\"cccc\",\"repo\":{\"full_name\":\"contributor/r\"}}}}";
static const char pr_gone[] =
	"{\"pull_request\":{\"number\":8,\"base\":{\"sha\":\"a\",\"repo\":{\"full_name\":\"o/r\"}},"
	"\"head\":{\"sha\":\"d\",\"repo\":null}}}";
static const char run_fork[] =
	"{\"workflow_run\":{\"head_sha\":\"eeee\",\"pull_requests\":[],"
	"\"repository\":{\"full_name\":\"o/r\"},\"head_repository\":{\"full_name\":\"c/r\"}}}";
static const char run_same[] =
	"{\"workflow_run\":{\"head_sha\":\"eeee\",\"pull_requests\":[{\"number\":9,\"base\":{"
	"\"sha\":\"ffff\"}}],"
	"\"repository\":{\"full_name\":\"o/r\"},\"head_repository\":{\"full_name\":\"o/r\"}}}";

static void parse_ok(struct event *ev, const char *name, const char *json)
{
	assert_int_equal(event_parse(ev, name, json, strlen(json), "event.json"), 0);
}

static void test_pull_request(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	parse_ok(&ev, "pull_request", pr_same);
	assert_int_equal(ev.pr, 42);
	assert_string_equal(ev.base_sha, "aaaa");
	assert_string_equal(ev.head_sha, "bbbb");
	assert_int_equal(ev.fork, 0);
	parse_ok(&ev, "pull_request_target", pr_fork);
	assert_int_equal(ev.pr, 7);
	assert_string_equal(ev.head_repo, "contributor/r");
	assert_int_equal(ev.fork, 1);
	parse_ok(&ev, "pull_request", pr_gone);
	assert_int_equal(ev.fork, 1); /* deleted fork */
	event_release(&ev);
}

static void test_workflow_run(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	parse_ok(&ev, "workflow_run", run_fork);
	assert_int_equal(ev.pr, 0); /* GitHub leaves pull_requests empty for forks */
	assert_int_equal(ev.fork, 1);
	assert_string_equal(ev.head_sha, "eeee");
	parse_ok(&ev, "workflow_run", run_same);
	assert_int_equal(ev.pr, 9);
	assert_int_equal(ev.fork, 0);
	assert_string_equal(ev.base_sha, "ffff");
	event_release(&ev);
}

static void test_no_pull_request(void **state)
{
	struct event ev;

	(void)state;
	event_init(&ev);
	parse_ok(&ev, "push", "{\"after\":\"abc\",\"pull_request\":{\"number\":3}}");
	assert_int_equal(ev.pr, 0);
	assert_string_equal(ev.name, "push");
	parse_ok(&ev, "issue_comment", "{\"issue\":{\"number\":5,\"pull_request\":{}}}");
	assert_int_equal(ev.pr, 5);
	parse_ok(&ev, "issue_comment", "{\"issue\":{\"number\":5}}");
	assert_int_equal(ev.pr, 0); /* a comment on an issue */
	event_release(&ev);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"pull_request\":{\"number\":\"42\"}}",
		"{\"pull_request\":{\"number\":0}}",
		"{\"pull_request\":{\"number\":1.5}}",
		"{\"pull_request\":{}}",
		"{\"pull_request\":",
		"{\"pull_request\":{\"number\":1e300}}",
	};
	struct event ev;
	size_t i;

	(void)state;
	msg_set_stream(fopen("/dev/null", "w"));
	event_init(&ev);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (event_parse(&ev, "pull_request", bad[i], strlen(bad[i]), "event.json") != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(ev.pr, 0);
	}
	assert_int_equal(event_parse(&ev, "workflow_run", "{}", 2, "e"), -1);
	assert_int_equal(event_read(&ev, "pull_request", "/nonexistent/event.json"), -1);
	event_release(&ev);
	msg_set_stream(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pull_request),
		cmocka_unit_test(test_workflow_run),
		cmocka_unit_test(test_no_pull_request),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
