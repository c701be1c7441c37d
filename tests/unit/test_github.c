/*
 * github: the Link header parser, the marker search, the
 * retry policy, and github_request()/github_comment_find() against a fake
 * transfer (canned answers, recorded requests, a clock that sleeping moves).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "github.h"
#include "msg.h"

/* ---- Link ---- */

static void link_is(const char *header, const char *want)
{
	char *got = github_link_next(header);

	if (!want) {
		if (got)
			fail_msg("'%s': expected no next link, got '%s'", header, got);
	} else {
		if (!got)
			fail_msg("'%s': expected '%s', got none", header, want);
		assert_string_equal(got, want);
	}
	free(got);
}

static void test_link_github(void **state)
{
	(void)state;
	link_is("<https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=2>; "
		"rel=\"next\", "
		"<https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=4>; "
		"rel=\"last\"",
		"https://api.github.com/repositories/1/issues/2/comments?per_page=100&page=2");
	/* the last page: prev and first only */
	link_is("<https://x/a?page=1>; rel=\"prev\", <https://x/a?page=1>; rel=\"first\"", NULL);
}

static void test_link_forms(void **state)
{
	(void)state;
	link_is("<https://x/last>; rel=\"last\", <https://x/next>; rel=\"next\"", "https://x/next");
	link_is("<https://x/n>; rel=next", "https://x/n");
	link_is("<https://x/n>;rel=\"prev next\"", "https://x/n");
	link_is("<https://x/n> ; title=\"a, b; rel=next\" ; REL=\"Next\"", "https://x/n");
	link_is("<https://x/a,b>; rel=\"next\"", "https://x/a,b");
	link_is("  ,, <https://x/n>; foo; rel=\"next\"", "https://x/n");
	link_is("<https://x/n>; rel=\"nextpage\"", NULL);
	link_is("<https://x/n>; rel=\"next", NULL);  /* unterminated quote */
	link_is("https://x/n; rel=\"next\"", NULL);  /* no angle brackets */
	link_is("<https://x/n; rel=\"next\"", NULL); /* unterminated URL */
	link_is("<>; rel=\"next\"", NULL);
	link_is("", NULL);
	link_is("<https://x/p>; rel=\"prev\" junk, <https://x/n>; rel=\"next\"", NULL);
}

/* ---- marker ---- */

static const char page_json[] =
	"[{\"id\": 1, \"body\": \"Me too\", \"user\": {\"login\": \"octocat\"}},"
	" {\"id\": 2, \"body\": \"> <!-- spin-gate:perf -->\\nquoted\", \"user\": {\"login\": "
	"\"octocat\"}},"
	" {\"id\": 3, \"body\": \"<!-- spin-gate:perf -->\\nforged\", \"user\": {\"login\": "
	"\"mallory\"}},"
	" {\"id\": 4, \"body\": \"<!-- spin-gate:perf-2 -->\\nother gate\", \"user\": {\"login\": "
	"\"github-actions[bot]\"}},"
	" {\"id\": 5, \"body\": null, \"user\": null},"
	" {\"id\": 4000000001, \"body\": \"\\n<!-- spin-gate:perf -->\\r\\nFAIL\","
	"   \"user\": {\"login\": \"github-actions[bot]\"}, \"html_url\": "
	"\"https://github.com/o/r/pull/7#issuecomment-4000000001\"}]";

/* A match on the marker only, or on the marker and an author. */
static struct github_comment_match by_marker(const char *marker, const char *author)
{
	struct github_comment_match m = { marker, author, NULL, 0 };

	return m;
}

static void test_marker_search(void **state)
{
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_comment_match m = by_marker("<!-- spin-gate:perf -->", "github-actions[bot]");

	(void)state;
	assert_int_equal(github_comments_search(page_json, strlen(page_json), &m, &c, "page"), 1);
	assert_int_equal(c.id, 4000000001LL);
	assert_string_equal(c.html_url, "https://github.com/o/r/pull/7#issuecomment-4000000001");
	assert_string_equal(c.body, "\n<!-- spin-gate:perf -->\r\nFAIL");
	github_comment_release(&c);

	/* without an author: the first comment that starts with the marker, anyone's */
	m = by_marker("<!-- spin-gate:perf -->", NULL);
	assert_int_equal(github_comments_search(page_json, strlen(page_json), &m, &c, "page"), 1);
	assert_int_equal(c.id, 3);
	assert_null(c.html_url);
	github_comment_release(&c);

	/* mallory's forged marker is nobody else's */
	m = by_marker("<!-- spin-gate:perf -->", "octocat");
	assert_int_equal(github_comments_search(page_json, strlen(page_json), &m, &c, "page"), 0);
	m = by_marker("<!-- spin-gate:none -->", NULL);
	assert_int_equal(github_comments_search(page_json, strlen(page_json), &m, &c, "page"), 0);
	m = by_marker("<!-- x -->", NULL);
	assert_int_equal(github_comments_search("[]", 2, &m, &c, "page"), 0);
}

/* 2026-11-23T18:00:00Z */
#define T0 ((time_t)1795456800)

static void test_comment_matches(void **state)
{
	struct github_comment_match m = { "<!-- spin-gate:x -->", "bot", NULL, 0 };
	const char *ours = "<!-- spin-gate:x -->\nPASS";

	(void)state;
	assert_true(github_comment_matches(&m, ours, "bot", NULL));
	assert_false(github_comment_matches(&m, ours, "mallory", NULL));
	assert_false(github_comment_matches(&m, ours, NULL, NULL));
	assert_false(github_comment_matches(&m,
					    "> "
					    "<!-- spin-gate:x -->",
					    "bot", NULL));
	assert_false(github_comment_matches(&m, NULL, "bot", NULL));

	/* what was sent, newer than the attempt: the rule after a lost POST reply */
	m.marker = NULL;
	m.author = NULL;
	m.body = ours;
	m.since = T0;
	assert_true(github_comment_matches(&m, ours, "anyone", "2026-11-23T18:00:00Z"));
	assert_true(github_comment_matches(&m, ours, NULL, "2026-11-23T18:00:01Z"));
	assert_true(github_comment_matches(&m, ours, NULL, "2026-11-23T18:00:00+00:00"));
	/* an earlier run's comment with the same body */
	assert_false(github_comment_matches(&m, ours, NULL, "2026-11-23T17:59:59Z"));
	assert_false(github_comment_matches(&m, ours, NULL, "2026-11-20T10:00:00Z"));
	/* no time, or one that cannot be read: not known to be newer */
	assert_false(github_comment_matches(&m, ours, NULL, NULL));
	assert_false(github_comment_matches(&m, ours, NULL, "yesterday"));
	assert_false(github_comment_matches(&m, ours, NULL, "2026-11-23T18:00:00"));
	/* the body exactly: not a prefix, not with the raw bytes of the file */
	assert_false(github_comment_matches(&m, "<!-- spin-gate:x -->\nPASS\n", NULL,
					    "2026-11-23T18:00:00Z"));
	assert_false(github_comment_matches(&m, "<!-- spin-gate:x -->\nPAS", NULL,
					    "2026-11-23T18:00:00Z"));
	m.body = "caf\xEF\xBF\xBD";
	assert_true(github_comment_matches(&m, "caf\xEF\xBF\xBD", NULL, "2026-11-23T18:00:00Z"));
	assert_false(github_comment_matches(&m, "caf\xE9", NULL, "2026-11-23T18:00:00Z"));
	/* and by the author when known */
	m.author = "bot";
	assert_false(
		github_comment_matches(&m, "caf\xEF\xBF\xBD", "mallory", "2026-11-23T18:00:00Z"));
}

static void test_marker_bad_input(void **state)
{
	static const char bad_ids[] = "[{\"id\":-1,\"body\":\"<!-- a -->\"},"
				      "{\"id\":1.5,\"body\":\"<!-- a -->\"},"
				      "{\"id\":\"7\",\"body\":\"<!-- a -->\"}]";
	struct github_comment c = GITHUB_COMMENT_INIT;
	FILE *null = fopen("/dev/null", "w");
	struct github_comment_match m = by_marker("<!-- a -->", NULL);

	(void)state;
	msg_set_stream(null);
	assert_int_equal(github_comments_search("{\"message\":\"x\"}", 15, &m, &c, "p"), -1);
	assert_int_equal(github_comments_search("[{\"id\":", 7, &m, &c, "p"), -1);
	/* ids that are not ids are skipped */
	assert_int_equal(github_comments_search(bad_ids, strlen(bad_ids), &m, &c, "p"), 0);
	msg_set_stream(NULL);
	fclose(null);
	assert_true(github_body_has_marker("<!-- a -->", "<!-- a -->"));
	assert_true(github_body_has_marker("  \n<!-- a --> tail", "<!-- a -->"));
	assert_false(github_body_has_marker("<!-- a -->x", "<!-- a -->"));
	assert_false(github_body_has_marker("x<!-- a -->", "<!-- a -->"));
	assert_false(github_body_has_marker("anything", ""));
}

/* ---- retries, with a fake transfer ---- */

struct canned {
	long status; /* 0: connection refused (not sent); -1: timed out (maybe received) */
	const char *body;
	const char *link;
	const char *retry_after;
	const char *remaining;
	const char *reset;
};

static struct canned script[16];
static size_t script_n, script_at;
static char *seen_urls[16];
static char *seen_headers[16];
static const char *seen_methods[16];
static char *seen_bodies[16];
static double fake_clock, slept[16];
static size_t nslept;
/* The Date header of every answer, or NULL for none (GitHub's clock). */
static const char *fake_date;

static void add_header(struct http_response *res, const char *name, const char *value)
{
	if (value)
		http_response_add_header(res, name, strlen(name), value, strlen(value));
}

static int fake_perform(const struct http_request *req, struct http_response *res)
{
	const struct canned *c;
	const char *const *h;
	struct buf b = BUF_INIT;

	assert_true(script_at < script_n);
	for (h = req->headers; *h; h++)
		buf_addf(&b, "%s\n", *h);
	seen_urls[script_at] = xstrdup(req->url);
	seen_headers[script_at] = buf_detach(&b);
	seen_methods[script_at] = req->method;
	seen_bodies[script_at] = req->body ? xstrndup(req->body, req->body_len) : NULL;
	assert_true(req->timeout_ms > 0 && req->connect_timeout_ms > 0);
	c = &script[script_at++];
	if (!c->status) {
		snprintf(res->error, sizeof(res->error), "Connection refused");
		res->not_sent = 1;
		fake_clock += req->timeout_ms / 1000.0 / 10;
		return -1;
	}
	if (c->status < 0) {
		snprintf(res->error, sizeof(res->error), "Operation timed out");
		res->timed_out = 1;
		fake_clock += req->timeout_ms / 1000.0;
		return -1;
	}
	res->status = c->status;
	buf_adds(&res->body, c->body ? c->body : "");
	add_header(res, "Link", c->link);
	add_header(res, "Retry-After", c->retry_after);
	add_header(res, "X-RateLimit-Remaining", c->remaining);
	add_header(res, "X-RateLimit-Reset", c->reset);
	add_header(res, "Date", fake_date);
	return 0;
}

static void fake_sleep(double s)
{
	slept[nslept++] = s;
	fake_clock += s;
}

static double fake_monotonic(void)
{
	return fake_clock;
}

static time_t fake_wall(void)
{
	return 1700000000 + (time_t)fake_clock;
}

static double fake_random(void)
{
	return 1.0 - 1e-9; /* the longest backoff: predictable */
}

static int setup_fake(void **state)
{
	struct github *gh = calloc(1, sizeof(*gh));

	fake_clock = 0;
	fake_date = NULL;
	nslept = script_n = script_at = 0;
	memset(script, 0, sizeof(script));
	github_init(gh, "http://127.0.0.1:1/api/v3/", "o/r", "ghs_secret");
	gh->perform = fake_perform;
	gh->sleep = fake_sleep;
	gh->monotonic = fake_monotonic;
	gh->wall = fake_wall;
	gh->random = fake_random;
	gh->started = 0;
	*state = gh;
	msg_set_stream(fopen("/dev/null", "w"));
	return 0;
}

static int teardown_fake(void **state)
{
	size_t i;

	for (i = 0; i < 16; i++) {
		free(seen_urls[i]);
		free(seen_headers[i]);
		free(seen_bodies[i]);
		seen_urls[i] = seen_headers[i] = seen_bodies[i] = NULL;
	}
	github_release(*state);
	free(*state);
	msg_set_stream(NULL);
	return 0;
}

static void push(long status, const char *body)
{
	script[script_n].status = status;
	script[script_n].body = body;
	script_n++;
}

static void test_request_headers(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	http_response_init(&res);
	push(200, "[]");
	assert_int_equal(
		github_request(gh, "GET", "/repos/o/r/issues/1/comments?per_page=100", NULL, &res),
		0);
	assert_string_equal(seen_urls[0],
			    "http://127.0.0.1:1/api/v3/repos/o/r/issues/1/comments?per_page=100");
	assert_string_equal(seen_headers[0], "Accept: application/vnd.github+json\n"
					     "Authorization: Bearer ghs_secret\n"
					     "X-GitHub-Api-Version: 2022-11-28\n"
					     "User-Agent: spin-gate/" SPIN_GATE_VERSION "\n");
	http_response_release(&res);
}

static void test_request_refuses_other_origin(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	http_response_init(&res);
	assert_int_equal(github_request(gh, "GET", "https://evil.example/repos/o/r", NULL, &res),
			 -1);
	assert_int_equal(github_request(gh, "GET", "http://127.0.0.1:1/api/v3evil/x", NULL, &res),
			 -1);
	assert_int_equal(script_at, 0); /* nothing was sent */
	http_response_release(&res);
}

static void test_retry_5xx_then_success(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	gh->backoff_base = 1;
	http_response_init(&res);
	push(502, "bad gateway");
	push(0, NULL);
	push(503, "");
	push(201, "{}");
	assert_int_equal(github_request(gh, "POST", "/x", "{}", &res), 0);
	assert_int_equal(res.status, 201);
	assert_int_equal(nslept, 3);
	/* exponential: 1, 2, 4 (random factor ~1) */
	assert_true(slept[0] > 0.99 && slept[0] <= 1);
	assert_true(slept[1] > 1.99 && slept[1] <= 2);
	assert_true(slept[2] > 3.99 && slept[2] <= 4);
	http_response_release(&res);
}

static void test_retry_bounded(void **state)
{
	struct github *gh = *state;
	struct http_response res;
	int i;

	gh->retries = 2;
	http_response_init(&res);
	for (i = 0; i < 3; i++)
		push(502, "");
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), 0);
	assert_int_equal(res.status, 502); /* the final answer, for the caller to report */
	assert_int_equal(script_at, 3);
	for (i = 0; i < 3; i++)
		push(0, NULL);
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), -1);
	assert_string_equal(res.error, "Connection refused");
	http_response_release(&res);
}

static void test_no_retry_client_errors(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	http_response_init(&res);
	push(401, "{\"message\":\"Bad credentials\"}");
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), 0);
	assert_int_equal(res.status, 401);
	push(403, "{\"message\":\"Resource not accessible by integration\"}");
	assert_int_equal(github_request(gh, "POST", "/x", "{}", &res), 0);
	assert_int_equal(res.status, 403);
	push(422, "{\"message\":\"Validation Failed\"}");
	assert_int_equal(github_request(gh, "POST", "/x", "{}", &res), 0);
	assert_int_equal(nslept, 0);
	http_response_release(&res);
}

static void test_rate_limits(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	http_response_init(&res);
	/* Retry-After first */
	script[script_n] = (struct canned){ 429, "{}", NULL, "7", "0", "1700009999" };
	script_n++;
	/* then remaining 0: until reset (+1 s) */
	script[script_n] = (struct canned){ 403,  "{\"message\":\"API rate limit exceeded\"}",
					    NULL, NULL,
					    "0",  "1700000107" };
	script_n++;
	/* secondary limit without headers: at least rate_limit_wait */
	push(403, "{\"message\":\"You have exceeded a secondary rate limit\"}");
	push(200, "[]");
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(nslept, 3);
	assert_true(slept[0] == 7);
	assert_true(slept[1] == 1700000107 - 1700000007 + 1);
	assert_true(slept[2] >= 60);
	http_response_release(&res);
}

static void test_retry_after_date(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	/* fake_wall() is 1700000000 = Tue, 14 Nov 2023 22:13:20 GMT at clock 0 */
	gh->rate_limit_wait = 5;
	http_response_init(&res);
	script[script_n] =
		(struct canned){ 429, "{}", NULL, "Tue, 14 Nov 2023 22:14:20 GMT", NULL, NULL };
	script_n++;
	/* a date in the past: at once, plus the skew second */
	script[script_n] =
		(struct canned){ 429, "{}", NULL, "Tue, 14 Nov 2023 22:00:00 GMT", NULL, NULL };
	script_n++;
	/* not a date: the secondary-limit wait */
	script[script_n] = (struct canned){ 429, "{}", NULL, "Tue, 14 Nov 2023", NULL, NULL };
	script_n++;
	push(200, "[]");
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(nslept, 3);
	assert_true(slept[0] == 61);
	assert_true(slept[1] == 1);
	assert_true(slept[2] == 5);
	http_response_release(&res);
}

static void test_deadline(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	gh->deadline = 100;
	http_response_init(&res);
	script[script_n] = (struct canned){ 429, "{}", NULL, "3600", NULL, NULL };
	script_n++;
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), 0);
	assert_int_equal(res.status, 429); /* not waited: it would pass the deadline */
	assert_int_equal(nslept, 0);
	assert_int_equal(github_retry_delay(gh, 0, NULL, 99.9), -2);
	assert_int_equal(github_retry_delay(gh, gh->retries, NULL, 0), -1);
	http_response_release(&res);
}

static void test_env_config(void **state)
{
	struct github *gh = *state;

	setenv("SPIN_GATE_HTTP_TIMEOUT", "0.5", 1);
	setenv("SPIN_GATE_HTTP_RETRIES", "2", 1);
	assert_int_equal(github_config_from_env(gh), 0);
	assert_true(gh->timeout == 0.5);
	assert_int_equal(gh->retries, 2);
	setenv("SPIN_GATE_HTTP_RETRIES", "2.5", 1);
	assert_int_equal(github_config_from_env(gh), -1);
	setenv("SPIN_GATE_HTTP_RETRIES", "lots", 1);
	assert_int_equal(github_config_from_env(gh), -1);
	setenv("SPIN_GATE_HTTP_TIMEOUT", "-1", 1);
	assert_int_equal(github_config_from_env(gh), -1);
	unsetenv("SPIN_GATE_HTTP_TIMEOUT");
	unsetenv("SPIN_GATE_HTTP_RETRIES");
}

/* ---- pagination ---- */

static void test_find_on_later_page(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;
	struct github_comment_match m = by_marker("<!-- spin-gate:x -->", NULL);

	script[0] = (struct canned){ 200,
				     "[{\"id\":1,\"body\":\"hi\"}]",
				     "<http://127.0.0.1:1/api/v3/repositories/9/issues/7/"
				     "comments?per_page=100&page=2>; rel=\"next\"",
				     NULL,
				     NULL,
				     NULL };
	script[1] = (struct canned){ 200,
				     "[{\"id\":2,\"body\":\"hi\"}]",
				     "<http://127.0.0.1:1/api/v3/repositories/9/issues/7/"
				     "comments?per_page=100&page=3>; rel=\"next\", "
				     "<http://127.0.0.1:1/api/v3/repositories/9/issues/7/"
				     "comments?per_page=100&page=1>; rel=\"first\"",
				     NULL,
				     NULL,
				     NULL };
	script[2] = (struct canned){
		200,  "[{\"id\":33,\"body\":\"<!-- spin-gate:x -->\\nPASS\",\"html_url\":\"u\"}]",
		NULL, NULL,
		NULL, NULL
	};
	script_n = 3;
	assert_int_equal(github_comment_find(gh, 7, &m, &c, &err), 1);
	assert_int_equal(c.id, 33);
	assert_int_equal(script_at, 3);
	assert_string_equal(seen_urls[0],
			    "http://127.0.0.1:1/api/v3/repos/o/r/issues/7/comments?per_page=100");
	assert_string_equal(
		seen_urls[2],
		"http://127.0.0.1:1/api/v3/repositories/9/issues/7/comments?per_page=100&page=3");
	github_comment_release(&c);
	github_error_release(&err);
}

static void test_find_none_and_errors(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;
	struct github_comment_match m = by_marker("<!-- spin-gate:x -->", NULL);

	push(200, "[]");
	assert_int_equal(github_comment_find(gh, 7, &m, &c, &err), 0);
	push(401, "{\"message\":\"Bad "
		  "credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}");
	assert_int_equal(github_comment_find(gh, 7, &m, &c, &err), -1);
	assert_int_equal(err.status, 401);
	assert_string_equal(err.message, "Bad credentials");
	assert_false(err.off_origin);
	/* a next link to another host is not followed: the token stays home, and
	 * the error says so (not "cannot reach") */
	script[script_n] = (struct canned){ 200,  "[]", "<https://evil.example/x>; rel=\"next\"",
					    NULL, NULL, NULL };
	script_n++;
	assert_int_equal(github_comment_find(gh, 7, &m, &c, &err), -1);
	assert_int_equal(script_at, 3);
	assert_true(err.off_origin);
	assert_int_equal(err.status, 0);
	assert_string_equal(
		err.message,
		"the next page's Link points to another origin: 'https://evil.example/x' "
		"is not under 'http://127.0.0.1:1/api/v3', so it was not followed and the "
		"token was not sent there");
	github_error_release(&err);
}

/* ---- a POST whose outcome is unknown ---- */

#define MARKER "<!-- spin-gate:x -->"

/* How many requests of the script used `method`. */
static int count_method(const char *method)
{
	size_t i;
	int n = 0;

	for (i = 0; i < script_at; i++)
		n += !strcmp(seen_methods[i], method);
	return n;
}

/* GitHub's clock in the fake answers: T0 */
#define DATE_T0 "Mon, 23 Nov 2026 18:00:00 GMT"

static void test_post_lost_reply_sticky(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;

	/* the server stored the comment, then answered 502: it is ours, taken as it is */
	push(502, "bad gateway");
	push(200, "[{\"id\":70,\"body\":\"" MARKER "\\nPASS\",\"user\":{\"login\":\"mallory\"}},"
		  "{\"id\":77,\"body\":\"" MARKER "\\nPASS\",\"user\":{\"login\":\"bot\"},"
		  "\"html_url\":\"https://h/o/r/pull/7#issuecomment-77\"}]");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nPASS", MARKER, "bot", &c, &err), 0);
	assert_int_equal(script_at, 2);
	assert_int_equal(count_method("POST"), 1); /* not posted twice */
	assert_string_equal(seen_methods[1], "GET");
	assert_string_equal(seen_urls[1],
			    "http://127.0.0.1:1/api/v3/repos/o/r/issues/7/comments?per_page=100");
	assert_int_equal(c.id, 77); /* by the author, never mallory's */
	assert_string_equal(c.html_url, "https://h/o/r/pull/7#issuecomment-77");
	assert_int_equal(nslept, 1); /* the backoff, before looking */
	github_comment_release(&c);

	/* a concurrent run's comment appeared instead: updated to ours, and said so (1) */
	push(502, "bad gateway");
	push(200, "[{\"id\":78,\"body\":\"" MARKER "\\nFAIL\",\"user\":{\"login\":\"bot\"}}]");
	push(200, "{\"id\":78,\"html_url\":\"u78\"}");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nPASS", MARKER, "bot", &c, &err), 1);
	assert_int_equal(script_at, 5);
	assert_string_equal(seen_methods[4], "PATCH");
	assert_string_equal(seen_urls[4], "http://127.0.0.1:1/api/v3/repos/o/r/issues/comments/78");
	assert_string_equal(seen_bodies[4], "{\"body\":\"" MARKER "\\nPASS\"}");
	assert_int_equal(c.id, 78);
	github_comment_release(&c);
	github_error_release(&err);
}

static void test_post_lost_reply_new(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;
	char *login = NULL;

	/* GitHub's clock, learnt from an answer before the POST */
	fake_date = DATE_T0;
	push(200, "{\"login\":\"bot\"}");
	assert_int_equal(github_user_login(gh, &login, &err), 1);
	free(login);
	/* a timeout: the request was sent, the reply never came */
	push(-1, NULL);
	push(200, "[{\"id\":5,\"body\":\"" MARKER "\\nFAIL\",\"html_url\":\"u5\","
		  "\"created_at\":\"2026-11-20T10:00:00Z\"},"
		  "{\"id\":78,\"body\":\"" MARKER "\\nFAIL\",\"html_url\":\"u78\","
		  "\"created_at\":\"2026-11-23T18:00:31Z\"}]");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nFAIL", NULL, NULL, &c, &err), 0);
	assert_int_equal(script_at, 3);
	assert_int_equal(count_method("POST"), 1);
	assert_int_equal(c.id, 78); /* the new one, not the older run's with the same body */
	assert_string_equal(c.html_url, "u78");
	assert_null(c.body);
	github_comment_release(&c);
	github_error_release(&err);
}

static void test_post_lost_reply_new_stale(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;
	struct http_response res;

	/* a 502 that stored nothing; an earlier run left a comment with the same
	 * body: it does not stop the POST. GitHub's clock is known from an
	 * earlier answer (GET /user's, in post). */
	http_response_init(&res);
	fake_date = DATE_T0;
	push(200, "[]");
	assert_int_equal(github_request(gh, "GET", "/user", NULL, &res), 0);
	http_response_release(&res);
	push(502, "");
	push(200, "[{\"id\":5,\"body\":\"" MARKER "\\nFAIL\",\"user\":{\"login\":\"bot\"},"
		  "\"created_at\":\"2026-11-23T17:59:59Z\"}]");
	push(201, "{\"id\":90,\"html_url\":\"u90\"}");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nFAIL", NULL, "bot", &c, &err), 0);
	assert_int_equal(script_at, 4);
	assert_int_equal(count_method("POST"), 2);
	assert_int_equal(c.id, 90);
	github_comment_release(&c);

	/* the same with the author unknown in the sticky mode: a comment found by
	 * its marker alone (anyone's) is not taken either */
	push(502, "");
	push(200, "[{\"id\":6,\"body\":\"" MARKER "\\nmallory's\",\"user\":{\"login\":\"mallory\"},"
		  "\"created_at\":\"2026-11-23T18:00:05Z\"}]");
	push(201, "{\"id\":91,\"html_url\":\"u91\"}");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nFAIL", MARKER, NULL, &c, &err), 0);
	assert_int_equal(count_method("POST"), 4);
	assert_int_equal(c.id, 91);
	github_comment_release(&c);
	github_error_release(&err);
}

static void test_post_lost_reply_utf8(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;

	/* what was sent had U+FFFD for the invalid bytes: that is what GitHub lists */
	fake_date = DATE_T0;
	push(502, "");
	push(200, "[{\"id\":79,\"body\":\"" MARKER "\\ncaf\xEF\xBF\xBD \xEF\xBF\xBD!\","
		  "\"created_at\":\"2026-11-23T18:00:00Z\"}]");
	assert_int_equal(
		github_comment_create(gh, 7, MARKER "\ncaf\xE9 \xFF!", NULL, NULL, &c, &err), 0);
	assert_int_equal(script_at, 2);
	assert_int_equal(count_method("POST"), 1);
	assert_int_equal(c.id, 79);
	github_comment_release(&c);
	github_error_release(&err);
}

static void test_server_time(void **state)
{
	struct github *gh = *state;
	struct http_response res;

	/* no answer yet: the runner's clock, minus the slack */
	assert_int_equal(github_server_time(gh), 1700000000 - GITHUB_CLOCK_SLACK);
	http_response_init(&res);
	fake_date = DATE_T0;
	push(200, "[]");
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), 0);
	assert_int_equal(github_server_time(gh), T0);
	/* advanced by the whole seconds counted since */
	fake_clock += 2.7;
	assert_int_equal(github_server_time(gh), T0 + 2);
	/* an answer without a Date keeps the last one */
	fake_date = NULL;
	push(200, "[]");
	assert_int_equal(github_request(gh, "GET", "/x", NULL, &res), 0);
	assert_int_equal(github_server_time(gh), T0 + 2);
	http_response_release(&res);
}

static void test_user_login(void **state)
{
	struct github *gh = *state;
	struct github_error err = GITHUB_ERROR_INIT;
	char *login = NULL;

	gh->retries = 0;
	push(200, "{\"login\":\"octocat\",\"id\":1}");
	assert_int_equal(github_user_login(gh, &login, &err), 1);
	assert_string_equal(seen_urls[0], "http://127.0.0.1:1/api/v3/user");
	assert_string_equal(seen_methods[0], "GET");
	assert_string_equal(login, "octocat");
	free(login);
	/* an installation token: GitHub will not say */
	push(403, "{\"message\":\"Resource not accessible by integration\"}");
	assert_int_equal(github_user_login(gh, &login, &err), 0);
	assert_null(login);
	assert_int_equal(err.status, 403);
	assert_string_equal(err.message, "Resource not accessible by integration");
	push(404, "{\"message\":\"Not Found\"}");
	assert_int_equal(github_user_login(gh, &login, &err), 0);
	push(200, "{\"id\":1}");
	assert_int_equal(github_user_login(gh, &login, &err), 0);
	assert_string_equal(err.message, "an answer without a login");
	/* failures: the token, a rate limit, the server */
	push(401, "{\"message\":\"Bad credentials\"}");
	assert_int_equal(github_user_login(gh, &login, &err), -1);
	assert_int_equal(err.status, 401);
	push(403, "{\"message\":\"API rate limit exceeded\"}");
	assert_int_equal(github_user_login(gh, &login, &err), -1);
	assert_true(err.rate_limited);
	push(502, "");
	assert_int_equal(github_user_login(gh, &login, &err), -1);
	push(0, NULL);
	assert_int_equal(github_user_login(gh, &login, &err), -1);
	assert_int_equal(err.status, 0);
	assert_null(login);
	github_error_release(&err);
}

static void test_post_lost_reply_not_there(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;

	/* not stored after all: posted again */
	push(502, "");
	push(200, "[]");
	push(201, "{\"id\":90,\"html_url\":\"u90\"}");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nPASS", MARKER, NULL, &c, &err), 0);
	assert_int_equal(script_at, 3);
	assert_int_equal(count_method("POST"), 2);
	assert_int_equal(c.id, 90);
	github_comment_release(&c);

	/* refused: it never reached the server, so it is simply sent again */
	push(0, NULL);
	push(201, "{\"id\":91,\"html_url\":\"u91\"}");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nPASS", MARKER, NULL, &c, &err), 0);
	assert_int_equal(script_at, 5);
	assert_int_equal(count_method("GET"), 1);
	assert_int_equal(c.id, 91);
	github_comment_release(&c);

	/* cannot tell (the listing fails): no second POST, and the error says why */
	push(504, "");
	push(401, "{\"message\":\"Bad credentials\"}");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nPASS", MARKER, NULL, &c, &err), -1);
	assert_int_equal(script_at, 7);
	assert_int_equal(count_method("POST"), 5); /* 2 + 2 + this one */
	assert_int_equal(err.status, 504);
	assert_non_null(strstr(err.message, "it may have been created"));
	assert_non_null(strstr(err.message, "Bad credentials"));
	github_error_release(&err);
}

/* Every page says there is a next one. */
static unsigned endless_pages;

static int endless_perform(const struct http_request *req, struct http_response *res)
{
	char link[160];

	(void)req;
	endless_pages++;
	res->status = 200;
	buf_adds(&res->body, "[]");
	snprintf(link, sizeof(link),
		 "<http://127.0.0.1:1/api/v3/repos/o/r/issues/7/comments?per_page=100&page=%u>; "
		 "rel=\"next\"",
		 endless_pages + 1);
	add_header(res, "Link", link);
	return 0;
}

static void test_find_page_cap(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;

	struct github_comment_match m = by_marker(MARKER, NULL);

	gh->perform = endless_perform;
	endless_pages = 0;
	/* not "none": a caller would create a comment that may exist past the cap */
	assert_int_equal(github_comment_find(gh, 7, &m, &c, &err), -1);
	assert_int_equal(endless_pages, 1000);
	assert_string_equal(err.message, "more than 1000 pages of comments: stopped listing");
	github_error_release(&err);
}

static void test_created_without_id(void **state)
{
	struct github *gh = *state;
	struct github_comment c = GITHUB_COMMENT_INIT;
	struct github_error err = GITHUB_ERROR_INIT;

	push(201, "");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nPASS", MARKER, NULL, &c, &err), -1);
	assert_int_equal(err.status, 201);
	assert_string_equal(err.message, "HTTP 201 without the comment's id in the answer");
	push(200, "{\"html_url\":\"u\"}");
	assert_int_equal(github_comment_update(gh, 77, MARKER "\nPASS", &c, &err), -1);
	assert_int_equal(err.status, 200);
	assert_int_equal(c.id, 0);
	assert_null(c.html_url);
	/* invalid UTF-8 is not sent raw (GitHub: 400 "Problems parsing JSON") */
	push(201, "{\"id\":11}");
	assert_int_equal(
		github_comment_create(gh, 7, MARKER "\ncaf\xE9 \xFF!", MARKER, NULL, &c, &err), 0);
	assert_string_equal(seen_bodies[2],
			    "{\"body\":\"" MARKER "\\ncaf\xEF\xBF\xBD \xEF\xBF\xBD!\"}");
	/* an id without a URL is fine */
	push(201, "{\"id\":12}");
	assert_int_equal(github_comment_create(gh, 7, MARKER "\nPASS", MARKER, NULL, &c, &err), 0);
	assert_int_equal(c.id, 12);
	assert_null(c.html_url);
	github_error_release(&err);
}

static void test_error_message(void **state)
{
	const char *j =
		"{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"IssueComment\","
		"\"code\":\"custom\",\"field\":\"body\",\"message\":\"body is too long (maximum is "
		"65536 characters)\"}],\"documentation_url\":\"x\"}";
	char *m = github_error_message(j, strlen(j));

	(void)state;
	assert_string_equal(m, "Validation Failed; body is too long (maximum is 65536 characters)");
	free(m);
	assert_null(github_error_message("<html>", 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_github),
		cmocka_unit_test(test_link_forms),
		cmocka_unit_test(test_marker_search),
		cmocka_unit_test(test_marker_bad_input),
		cmocka_unit_test(test_comment_matches),
		cmocka_unit_test(test_error_message),
		cmocka_unit_test_setup_teardown(test_request_headers, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_request_refuses_other_origin, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_retry_5xx_then_success, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_retry_bounded, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_no_retry_client_errors, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_rate_limits, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_retry_after_date, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_deadline, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_env_config, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_find_on_later_page, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_find_none_and_errors, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_post_lost_reply_sticky, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_post_lost_reply_new, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_post_lost_reply_new_stale, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_post_lost_reply_utf8, setup_fake,
						teardown_fake),
		cmocka_unit_test_setup_teardown(test_server_time, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_user_login, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_find_page_cap, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_created_without_id, setup_fake, teardown_fake),
		cmocka_unit_test_setup_teardown(test_post_lost_reply_not_there, setup_fake,
						teardown_fake),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
