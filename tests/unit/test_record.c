/*
 * record.json (model/record.h): the round trip, and every validation error
 * with its exact message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib.h"

#include "record.h"

static const char valid[] =
	"{\"schema\": \"spin-gate/record\", \"version\": 1,\n"
	" \"commit\": \"0123456789abcdef0123456789abcdef01234567\",\n"
	" \"rev\": \"v0.16.1\", \"date\": \"2026-12-01T10:00:00Z\",\n"
	" \"recorded\": \"2026-12-07T01:00:00Z\",\n"
	" \"suite\": {\"name\": \"bytewax\", \"digest\": \"sha256:aa\"},\n"
	" \"thresholds\": {\"digest\": \"sha256:bb\"},\n"
	" \"runner\": {\"kind\": \"2 x Xeon\", \"cpu_model\": \"Xeon\", \"cores\": 2,\n"
	"            \"kernel\": \"6.1\", \"hyperfine\": \"hyperfine 1.15.0\"},\n"
	" \"settings\": {\"runs\": 5, \"max_runs\": 20, \"confidence\": 0.95},\n"
	" \"scenarios\": [{\"name\": \"mode=idle\", \"role\": \"idle\",\n"
	"   \"params\": {\"mode\": \"idle\"}, \"error\": null, \"rounds\": 5,\n"
	"   \"contention\": 0.125, \"future\": [1, 2],\n"
	"   \"metrics\": {\"wall\": {\"median\": 1.5, \"lo\": 1.25, \"hi\": 2, \"n\": 5},\n"
	"                 \"cpu\": {\"median\": 0.5, \"lo\": null, \"hi\": null, \"n\": 1}}}]}\n";

/* valid with the first `from` replaced by `to` (caller frees). */
static char *edit(const char *from, const char *to)
{
	const char *at = strstr(valid, from);
	struct buf b = BUF_INIT;

	assert_non_null(at);
	buf_add(&b, valid, (size_t)(at - valid));
	buf_adds(&b, to);
	buf_adds(&b, at + strlen(from));
	return buf_detach(&b);
}

static void test_parse_valid(void **state)
{
	struct record r;
	const struct record_figure *f;

	(void)state;
	assert_int_equal(record_parse(&r, valid, strlen(valid), "r.json"), 0);
	assert_string_equal(r.commit, "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(r.rev, "v0.16.1");
	assert_string_equal(r.runner.kind, "2 x Xeon");
	assert_int_equal(r.runner.cores, 2);
	assert_int_equal(r.max_runs, 20);
	assert_int_equal(r.nscenarios, 1);
	assert_int_equal(r.scenarios[0].role, ROLE_IDLE);
	assert_string_equal(r.scenarios[0].params[0].value, "idle");
	assert_true(r.scenarios[0].contention == 0.125);
	f = record_figure(&r, "mode=idle", "wall");
	assert_non_null(f);
	assert_true(f->median == 1.5 && f->lo == 1.25 && f->hi == 2 && f->n == 5);
	f = record_figure(&r, "mode=idle", "cpu");
	assert_true(isnan(f->lo) && isnan(f->hi));
	assert_null(record_figure(&r, "mode=idle", "vcsw"));
	assert_null(record_figure(&r, "mode=spin", "wall"));
	record_release(&r);
}

static void test_round_trip(void **state)
{
	char *dir = tmpdir_make("record"), *path = xstrfmt("%s/r.json", dir);
	struct record a, b;
	cJSON *ja, *jb;
	size_t i;

	(void)state;
	assert_int_equal(record_parse(&a, valid, strlen(valid), "r.json"), 0);
	assert_int_equal(record_write(&a, path), 0);
	assert_int_equal(record_read(&b, path), 0);
	assert_string_equal(b.path, path);
	ja = record_to_json(&a, "a");
	jb = record_to_json(&b, "b");
	assert_true(cJSON_Compare(ja, jb, 1));
	/* nothing was lost on the way: every field the text had */
	assert_string_equal(b.date, "2026-12-01T10:00:00Z");
	assert_string_equal(b.suite_digest, "sha256:aa");
	assert_string_equal(b.thresholds_digest, "sha256:bb");
	assert_string_equal(b.runner.hyperfine, "hyperfine 1.15.0");
	assert_true(b.confidence == 0.95);
	for (i = 0; i < 2; i++)
		assert_true(a.scenarios[0].figures[i].median == b.scenarios[0].figures[i].median);
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	record_release(&a);
	record_release(&b);
	/* a record built in memory, null commit and date, no figure */
	record_init(&a);
	a.rev = xstrdup("v1");
	a.recorded = xstrdup("2026-12-07T01:00:00Z");
	a.suite_name = xstrdup("s");
	a.runner.kind = xstrdup("k");
	a.runs = a.max_runs = 3;
	assert_int_equal(record_write(&a, path), 0);
	assert_int_equal(record_read(&b, path), 0);
	assert_null(b.commit);
	assert_null(b.date);
	assert_true(isnan(b.confidence));
	record_release(&a);
	record_release(&b);
	tmpdir_remove(dir);
	free(path);
}

struct bad {
	const char *from, *to, *msg;
};

static const struct bad bads[] = {
	{ "\"schema\": \"spin-gate/record\"", "\"schema\": \"spin-gate/results\"",
	  "spin-gate: error: 'r.json': not a spin-gate record (schema 'spin-gate/results')\n" },
	{ "\"schema\": \"spin-gate/record\", ", "",
	  "spin-gate: error: 'r.json': schema: missing\n" },
	{ "\"version\": 1", "\"version\": 2",
	  "spin-gate: error: 'r.json': record version 2 is not supported (this spin-gate reads "
	  "version 1)\n" },
	{ "\"commit\": \"0123456789abcdef0123456789abcdef01234567\"", "\"commit\": \"HEAD\"",
	  "spin-gate: error: 'r.json': commit: expected 40 or 64 lower-case hex digits, got "
	  "'HEAD'\n" },
	{ "\"rev\": \"v0.16.1\", ", "", "spin-gate: error: 'r.json': rev: missing\n" },
	{ "\"rev\": \"v0.16.1\"", "\"rev\": 7",
	  "spin-gate: error: 'r.json': rev: expected a string\n" },
	{ "\"recorded\": \"2026-12-07T01:00:00Z\"", "\"recorded\": null",
	  "spin-gate: error: 'r.json': recorded: missing\n" },
	{ "{\"name\": \"bytewax\", ", "{", "spin-gate: error: 'r.json': suite.name: missing\n" },
	{ "\"runner\": {\"kind\": \"2 x Xeon\", ", "\"runner\": {",
	  "spin-gate: error: 'r.json': runner.kind: missing\n" },
	{ "\"cores\": 2", "\"cores\": 1.5",
	  "spin-gate: error: 'r.json': runner.cores: expected a whole number from 0 to 1048576, got "
	  "1.5\n" },
	{ "\"runs\": 5", "\"runs\": 0",
	  "spin-gate: error: 'r.json': settings.runs: expected a whole number from 1 to 1000, got "
	  "0\n" },
	{ "\"confidence\": 0.95", "\"confidence\": 1e999",
	  "spin-gate: error: 'r.json': settings.confidence: expected a finite number, got inf\n" },
	{ "\"scenarios\": [", "\"scenarios\": {\"x\": 1}, \"old\": [",
	  "spin-gate: error: 'r.json': scenarios: expected an array\n" },
	{ "{\"name\": \"mode=idle\", ", "{",
	  "spin-gate: error: 'r.json': scenarios[0].name: missing\n" },
	{ "\"role\": \"idle\"", "\"role\": \"lazy\"",
	  "spin-gate: error: 'r.json': scenarios[0].role: unknown role 'lazy' (expected idle, busy or "
	  "any)\n" },
	{ "{\"mode\": \"idle\"}", "{\"mode\": 1}",
	  "spin-gate: error: 'r.json': scenarios[0].params.mode: expected a string\n" },
	{ "\"rounds\": 5", "\"rounds\": -1",
	  "spin-gate: error: 'r.json': scenarios[0].rounds: expected a whole number from 0 to 1000, "
	  "got -1\n" },
	{ "\"contention\": 0.125", "\"contention\": 1.5",
	  "spin-gate: error: 'r.json': scenarios[0].contention: expected a fraction from 0 to 1, got "
	  "1.5\n" },
	{ "\"metrics\": {", "\"no_metrics\": {",
	  "spin-gate: error: 'r.json': scenarios[0].metrics: missing\n" },
	{ "\"wall\": {\"median\": 1.5", "\"wall\": {\"median\": -1e999",
	  "spin-gate: error: 'r.json': scenarios[0].metrics.wall.median: expected a finite number, "
	  "got -inf\n" },
	{ "\"wall\": {\"median\": 1.5", "\"wall\": {\"median\": null",
	  "spin-gate: error: 'r.json': scenarios[0].metrics.wall.median: missing\n" },
	{ "\"lo\": 1.25", "\"lo\": 1e999",
	  "spin-gate: error: 'r.json': scenarios[0].metrics.wall.lo: expected a finite number, got "
	  "inf\n" },
	{ "\"hi\": 2", "\"hi\": 1",
	  "spin-gate: error: 'r.json': scenarios[0].metrics.wall: the interval [1.25, 1] does not "
	  "hold the median 1.5\n" },
	{ "\"n\": 5", "\"n\": 0",
	  "spin-gate: error: 'r.json': scenarios[0].metrics.wall.n: expected a whole number from 1 to "
	  "2000, got 0\n" },
	{ "\"cpu\": {\"median\": 0.5, \"lo\": null, \"hi\": null, \"n\": 1}", "\"cpu\": 0.5",
	  "spin-gate: error: 'r.json': scenarios[0].metrics.cpu: expected an object\n" },
	{ "{\"schema\"", "[{\"schema\"", "spin-gate: error: cannot read 'r.json': " },
};

static void test_validation(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		char *text = edit(bads[i].from, bads[i].to), *msgs;
		struct record r;

		msgs_begin();
		assert_int_equal(record_parse(&r, text, strlen(text), "r.json"), -1);
		msgs = msgs_end();
		if (strncmp(msgs, bads[i].msg, strlen(bads[i].msg)) ||
		    (bads[i].msg[strlen(bads[i].msg) - 1] == '\n' && strcmp(msgs, bads[i].msg)))
			fail_msg("case %zu: got %s", i, msgs);
		/* released: nothing left to free */
		assert_null(r.rev);
		assert_null(r.scenarios);
		free(msgs);
		free(text);
	}
}

static void test_array_root(void **state)
{
	struct record r;
	char *msgs;

	(void)state;
	msgs_begin();
	assert_int_equal(record_parse(&r, "[1]", 3, "r.json"), -1);
	msgs = msgs_end();
	assert_string_equal(msgs, "spin-gate: error: 'r.json': expected an object\n");
	free(msgs);
}

static void test_write_refuses_non_finite(void **state)
{
	char *dir = tmpdir_make("record"), *path = xstrfmt("%s/r.json", dir), *msgs, *want;
	struct record r;
	struct record_figure *f;

	(void)state;
	assert_int_equal(record_parse(&r, valid, strlen(valid), "r.json"), 0);
	f = &r.scenarios[0].figures[0];
	f->median = NAN;
	msgs_begin();
	assert_int_equal(record_write(&r, path), -1);
	msgs = msgs_end();
	want = xstrfmt("spin-gate: error: cannot write '%s': scenario 'mode=idle': wall: the "
		       "median is not finite\n",
		       path);
	assert_string_equal(msgs, want);
	free(want);
	free(msgs);
	f->median = 1.5;
	f->hi = INFINITY;
	msgs_begin();
	assert_int_equal(record_write(&r, path), -1);
	free(msgs_end());
	assert_int_equal(fs_exists(path), 0);
	record_release(&r);
	tmpdir_remove(dir);
	free(path);
}

static void test_read_missing(void **state)
{
	struct record r;
	char *msgs;

	(void)state;
	msgs_begin();
	assert_int_equal(record_read(&r, "/nonexistent/r.json"), -1);
	msgs = msgs_end();
	assert_string_equal(msgs, "spin-gate: error: cannot read '/nonexistent/r.json': No such "
				  "file or directory\n");
	free(msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_array_root),
		cmocka_unit_test(test_write_refuses_non_finite),
		cmocka_unit_test(test_read_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
