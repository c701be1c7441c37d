/*
 * post: the publishing stage on loaded structs. The verdict line, the
 * verdict word and the check-run conclusion from results.json's stored
 * verdict (never from the markdown), the annotations from its stored
 * checks (escaped, capped), the loader's refusals (while `judge`'s
 * results_read() still ignores the stored checks), and post_run() with the
 * comment off: job summary, annotations and outputs, byte for byte.
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
#include "buf.h"
#include "cmd.h"
#include "github_limits.h"
#include "mdcut.h"
#include "msg.h"
#include "post.h"
#include "results.h"

static char dir[] = "/tmp/spin-gate-test-post.XXXXXX";

static char *path_of(const char *name)
{
	return xstrfmt("%s/%s", dir, name);
}

static char *write_file(const char *name, const char *text)
{
	char *path = path_of(name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

static char *slurp(const char *path)
{
	struct buf b = BUF_INIT;

	if (buf_read_file(&b, path) < 0)
		return xstrdup("(unreadable)");
	return buf_detach(&b);
}

/* The workflow commands printed while fn(arg) runs. */
static char *commands_of(void (*fn)(const void *), const void *arg)
{
	FILE *f = tmpfile();
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	actions_set_stream(f);
	fn(arg);
	actions_set_stream(NULL);
	rewind(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	msg_set_stream(fopen("/dev/null", "w"));
	return 0;
}

static int teardown(void **state)
{
	char *cmd = xstrfmt("rm -rf '%s'", dir);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static const char results_json[] =
	"{\"verdict\": \"fail\", \"checks\": [\n"
	" {\"check\": \"wall\", \"scenario\": \"input=a,b\", \"status\": \"fail\", "
	"\"note\": \"ratio 1.31x: over 1.10x\\nsee summary\"},\n"
	" {\"check\": \"rss\", \"scenario\": \"input=a\", \"status\": \"inconclusive\", "
	"\"note\": \"too noisy\"},\n"
	" {\"check\": \"boot\", \"scenario\": \"\", \"status\": \"error\", \"note\": \"\"},\n"
	" {\"check\": \"cpu\", \"scenario\": \"input=a\", \"status\": \"pass\", \"note\": \"\"},\n"
	" {\"status\": \"skipped\"}]}\n";

static void test_verdict_line(void **state)
{
	char *s;

	(void)state;
	s = post_verdict_line("<!-- spin-gate:x -->\n\n  **x: FAIL** - 1 of 2 \t\r\nmore\n");
	assert_string_equal(s, "**x: FAIL** - 1 of 2");
	free(s);
	s = post_verdict_line("PASS: fine\nmore");
	assert_string_equal(s, "PASS: fine");
	free(s);
	s = post_verdict_line("<!-- never closed");
	assert_string_equal(s, "");
	free(s);
}

static void test_read_verdict(void **state)
{
	struct results_verdict rv;
	char *path = write_file("results.json", results_json);

	(void)state;
	assert_int_equal(results_read_verdict(&rv, path), 0);
	assert_true(rv.has_verdict);
	assert_int_equal(rv.verdict, STATUS_FAIL);
	assert_int_equal(rv.nchecks, 5);
	assert_string_equal(rv.checks[0].check, "wall");
	assert_string_equal(rv.checks[0].scenario, "input=a,b");
	assert_int_equal(rv.checks[1].status, STATUS_INCONCLUSIVE);
	assert_int_equal(rv.checks[2].status, STATUS_ERROR);
	assert_int_equal(rv.checks[4].status, STATUS_SKIPPED);
	assert_null(rv.checks[4].check);
	assert_string_equal(post_verdict_word(&rv), "fail");
	assert_string_equal(post_conclusion(&rv), "failure");
	results_verdict_release(&rv);
	assert_int_equal(rv.nchecks, 0);
	free(path);

	/* no verdict stored: no word, a neutral conclusion */
	path = write_file("empty.json", "{}");
	assert_int_equal(results_read_verdict(&rv, path), 0);
	assert_false(rv.has_verdict);
	assert_string_equal(post_verdict_word(&rv), "");
	assert_string_equal(post_conclusion(&rv), "neutral");
	results_verdict_release(&rv);
	free(path);

	path = write_file("inconclusive.json", "{\"verdict\": \"inconclusive\"}");
	assert_int_equal(results_read_verdict(&rv, path), 0);
	assert_string_equal(post_verdict_word(&rv), "inconclusive");
	assert_string_equal(post_conclusion(&rv), "neutral");
	results_verdict_release(&rv);
	free(path);
}

static void test_read_verdict_refuses(void **state)
{
	static const char *const bad[] = {
		"{\"verdict\": \"FAIL\"}",
		"{\"verdict\": 1}",
		"{\"checks\": {}}",
		"{\"checks\": [{\"check\": \"wall\"}]}",
		"{\"checks\": [{\"status\": \"failed\"}]}",
		"{\"checks\": [{\"status\": \"fail\", \"note\": 3}]}",
		"{\"checks\": [1]}",
		"[]",
		"not json",
	};
	struct results_verdict rv;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *path = write_file("bad.json", bad[i]);

		if (results_read_verdict(&rv, path) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_int_equal(rv.nchecks, 0);
		free(path);
	}
}

/* `judge` re-judges from the samples: stored checks it cannot use do not
 * stop it (results_read() does not load them). */
static void test_judge_ignores_stored_checks(void **state)
{
	struct results r;
	struct results_verdict rv;
	char *path = write_file("full.json", "{\"schema\": \"spin-gate/results\", \"version\": 1, "
					     "\"scenarios\": [], \"verdict\": \"bogus\", "
					     "\"checks\": [{\"status\": \"bogus\"}]}");

	(void)state;
	assert_int_equal(results_read(&r, path), 0);
	results_release(&r);
	assert_int_equal(results_read_verdict(&rv, path), -1);
	free(path);
}

struct annotate_args {
	const char *name;
	const struct results_verdict *rv;
};

static void annotate(const void *arg)
{
	const struct annotate_args *a = arg;

	post_annotate(a->name, a->rv);
}

static void test_annotations(void **state)
{
	struct results_verdict rv;
	struct annotate_args a = { "perf", &rv };
	char *path = write_file("results.json", results_json), *out;

	(void)state;
	assert_int_equal(results_read_verdict(&rv, path), 0);
	out = commands_of(annotate, &a);
	assert_string_equal(out, "::error title=perf%3A wall failed on input=a%2Cb::ratio 1.31x: "
				 "over 1.10x%0Asee summary\n"
				 "::warning title=perf%3A rss inconclusive on input=a::too noisy\n"
				 "::error title=perf%3A boot errored::perf: boot errored\n");
	free(out);
	results_verdict_release(&rv);
	free(path);
}

static void test_annotations_capped(void **state)
{
	struct results_verdict rv;
	struct annotate_args a = { "spin-gate", &rv };
	struct buf json = BUF_INIT;
	char *path, *out, *last;
	size_t i, lines = 0;

	(void)state;
	buf_adds(&json, "{\"checks\": [");
	for (i = 0; i < ACTIONS_ANNOTATIONS_MAX + 5; i++)
		buf_addf(&json, "%s{\"check\": \"c%zu\", \"status\": \"fail\"}", i ? "," : "", i);
	buf_adds(&json, "]}");
	path = write_file("many.json", json.s);
	assert_int_equal(results_read_verdict(&rv, path), 0);
	out = commands_of(annotate, &a);
	for (i = 0; out[i]; i++)
		lines += out[i] == '\n';
	assert_int_equal(lines, ACTIONS_ANNOTATIONS_MAX + 1);
	assert_non_null(strstr(out, "::error title=spin-gate%3A c49 failed::"));
	assert_null(strstr(out, "c50"));
	last = strstr(out, "::warning title=spin-gate::more failed or inconclusive checks");
	assert_non_null(last);
	assert_string_equal(strchr(last, '\n'), "\n");
	free(out);
	results_verdict_release(&rv);
	buf_release(&json);
	free(path);
}

/* The artifact's link goes under the verdict line, between blank lines. */
static void test_report_link(void **state)
{
	static const char url[] = "https://github.com/o/r/actions/runs/1/artifacts/2";
	static const char line[] = "The report (report.html, every run plotted, and results.json): "
				   "[download the artifact](https://github.com/o/r/actions/runs/"
				   "1/artifacts/2)\n";
	struct buf big = BUF_INIT;
	char *got, *want, *cut;
	size_t i;

	(void)state;
	got = post_add_report_link("<!-- spin-gate:perf -->\n**perf: FAIL** - 1 of 2\n\n"
				   "base `a` vs head `b`\n",
				   url);
	want = xstrfmt("<!-- spin-gate:perf -->\n**perf: FAIL** - 1 of 2\n\n%s\n"
		       "base `a` vs head `b`\n",
		       line);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* no marker, no blank line after the verdict, no final newline */
	got = post_add_report_link("\nPASS\nrest", url);
	want = xstrfmt("\nPASS\n\n%s\nrest", line);
	assert_string_equal(got, want);
	free(got);
	free(want);
	got = post_add_report_link("PASS", url);
	want = xstrfmt("PASS\n\n%s", line);
	assert_string_equal(got, want);
	free(got);
	free(want);

	/* a verdict too long for a comment keeps the link when it is cut */
	buf_adds(&big, "<!-- spin-gate:perf -->\n**perf: PASS**\n\n");
	for (i = 0; big.len < 2 * GITHUB_COMMENT_MAX; i++)
		buf_addf(&big, "| wall | scenario %zu | pass |\n", i);
	got = post_add_report_link(big.s, url);
	cut = mdcut_truncate(got, GITHUB_COMMENT_MAX, NULL);
	assert_true(strlen(cut) <= GITHUB_COMMENT_MAX);
	assert_non_null(strstr(cut, "cut to fit"));
	assert_non_null(strstr(cut, line));
	free(cut);
	free(got);
	buf_release(&big);
}

static void test_check_artifact_url(void **state)
{
	static const char *const bad[] = {
		"ftp://example.com/a", "https://",	 "http:///path",  "github.com/o/r",
		"https://x/a b",       "https://x/a\nb", "https://x/a)b", "https://x/<b>",
		"https://x/`b`",       "https://x/a\tb", "https://x/\"",  "",
	};
	struct buf longurl = BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(
		post_check_artifact_url("https://github.com/o/r/actions/runs/1/artifacts/2"), 0);
	assert_int_equal(post_check_artifact_url("http://127.0.0.1:8080/a?b=c&d=%20#e"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (post_check_artifact_url(bad[i]) != -1)
			fail_msg("accepted '%s'", bad[i]);
	buf_adds(&longurl, "https://x/");
	while (longurl.len <= POST_URL_MAX)
		buf_addch(&longurl, 'a');
	assert_int_equal(post_check_artifact_url(longurl.s), -1);
	buf_release(&longurl);
}

struct run_args {
	const struct post_opts *o;
	int rc;
};

static void run(const void *arg)
{
	struct run_args *a = (struct run_args *)arg;

	a->rc = post_run(a->o);
}

/* post_run() with the comment off: nothing goes to the network. */
static void test_run_without_comment(void **state)
{
	static const char md[] = "<!-- spin-gate:perf -->\n**perf: PASS** - says the markdown\n";
	struct post_opts o = POST_OPTS_INIT;
	struct run_args a = { &o, -1 };
	char *verdict = write_file("verdict.md", md);
	char *results = write_file("results.json", results_json);
	char *output = path_of("output"), *summary = path_of("summary"), *text, *cmds, *want;

	(void)state;
	unlink(output);
	unlink(summary);
	setenv("GITHUB_OUTPUT", output, 1);
	setenv("GITHUB_STEP_SUMMARY", summary, 1);
	unsetenv("GITHUB_ACTIONS");
	o.verdict_path = verdict;
	o.results_path = results;
	o.name = "perf";
	o.comment = POST_COMMENT_OFF;
	cmds = commands_of(run, &a);
	assert_int_equal(a.rc, EXIT_PASS);
	/* the verdict word is results.json's, whatever the markdown says */
	text = slurp(output);
	want = xstrfmt("verdict=fail\nverdict-line=**perf: PASS** - says the markdown\n"
		       "results=%s\ncomment-url=\ncheck-run-url=\n",
		       results);
	assert_string_equal(text, want);
	free(want);
	free(text);
	text = slurp(summary);
	assert_string_equal(text, md);
	free(text);
	assert_true(!strncmp(cmds, "::error title=perf%3A wall failed on input=a%2Cb::", 50));
	free(cmds);

	/* without results.json: no word, no annotations; a hand-made verdict
	 * gets the marker for the comment, the summary has it as written */
	unlink(output);
	unlink(summary);
	free(verdict);
	verdict = write_file("verdict.md", "FAIL: by hand\n");
	o.verdict_path = verdict;
	o.results_path = NULL;
	cmds = commands_of(run, &a);
	assert_int_equal(a.rc, EXIT_PASS);
	assert_string_equal(cmds, "");
	text = slurp(output);
	assert_string_equal(text, "verdict=\nverdict-line=FAIL: by hand\nresults=\n"
				  "comment-url=\ncheck-run-url=\n");
	free(text);
	text = slurp(summary);
	assert_string_equal(text, "FAIL: by hand\n");
	free(text);
	free(cmds);

	/* an unreadable results.json: exit 2, the summary is still written */
	unlink(output);
	unlink(summary);
	free(results);
	results = write_file("results.json", "{\"verdict\": \"maybe\"}");
	o.results_path = results;
	cmds = commands_of(run, &a);
	assert_int_equal(a.rc, EXIT_USAGE);
	text = slurp(summary);
	assert_string_equal(text, "FAIL: by hand\n");
	free(text);
	assert_int_equal(access(output, F_OK), -1);
	free(cmds);

	/* with an artifact URL, the summary has the link under the verdict line */
	unlink(output);
	unlink(summary);
	free(verdict);
	verdict = write_file("verdict.md", md);
	o.verdict_path = verdict;
	o.results_path = NULL;
	o.artifact_url = "https://github.com/o/r/actions/runs/1/artifacts/2";
	cmds = commands_of(run, &a);
	assert_int_equal(a.rc, EXIT_PASS);
	text = slurp(summary);
	assert_string_equal(text, "<!-- spin-gate:perf -->\n**perf: PASS** - says the markdown\n\n"
				  "The report (report.html, every run plotted, and results.json): "
				  "[download the artifact](https://github.com/o/r/actions/runs/1/"
				  "artifacts/2)\n");
	free(text);
	free(cmds);

	unsetenv("GITHUB_OUTPUT");
	unsetenv("GITHUB_STEP_SUMMARY");
	free(verdict);
	free(results);
	free(output);
	free(summary);
}

/* A network failure (nothing listens on the port) is annotated like an HTTP error. */
static void test_run_unreachable(void **state)
{
	struct post_opts o = POST_OPTS_INIT;
	struct run_args a = { &o, -1 };
	char *verdict = write_file("verdict.md", "<!-- spin-gate:perf -->\nPASS\n"), *cmds;

	(void)state;
	unsetenv("GITHUB_ACTIONS");
	unsetenv("GITHUB_OUTPUT");
	unsetenv("GITHUB_STEP_SUMMARY");
	unsetenv("GITHUB_EVENT_PATH");
	setenv("GITHUB_REPOSITORY", "o/r", 1);
	setenv("SPIN_GATE_TEST_TOKEN", "ghs_unitTestToken0000", 1);
	setenv("SPIN_GATE_HTTP_RETRIES", "0", 1);
	o.verdict_path = verdict;
	o.name = "perf";
	o.token_env = "SPIN_GATE_TEST_TOKEN";
	o.api_url = "http://127.0.0.1:1";
	o.pr = 7;
	/* the first request: whose the token is */
	cmds = commands_of(run, &a);
	assert_int_equal(a.rc, EXIT_POST_ERROR);
	if (strncmp(cmds,
		    "::error title=spin-gate%3A posting failed::Cannot learn whose token this is "
		    "(GET /user): cannot reach 'http://127.0.0.1:1': ",
		    124))
		fail_msg("commands: '%s'", cmds);
	free(cmds);
	/* with --author, GitHub is not asked: the listing is the first request */
	o.author = "octocat";
	cmds = commands_of(run, &a);
	assert_int_equal(a.rc, EXIT_POST_ERROR);
	if (strncmp(cmds,
		    "::error title=spin-gate%3A posting failed::Cannot list the comments of the "
		    "pull request: cannot reach 'http://127.0.0.1:1': ",
		    120))
		fail_msg("commands: '%s'", cmds);
	free(cmds);
	unsetenv("SPIN_GATE_HTTP_RETRIES");
	unsetenv("SPIN_GATE_TEST_TOKEN");
	unsetenv("GITHUB_REPOSITORY");
	msg_clear_secrets();
	free(verdict);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict_line),
		cmocka_unit_test(test_read_verdict),
		cmocka_unit_test(test_read_verdict_refuses),
		cmocka_unit_test(test_judge_ignores_stored_checks),
		cmocka_unit_test(test_annotations),
		cmocka_unit_test(test_annotations_capped),
		cmocka_unit_test(test_report_link),
		cmocka_unit_test(test_check_artifact_url),
		cmocka_unit_test(test_run_without_comment),
		cmocka_unit_test(test_run_unreachable),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
