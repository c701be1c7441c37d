/*
 * reported: the declarations of suite.json's "metrics", the three formats a
 * program writes (BMF, github-action-benchmark's, pyperf's), the JSON path
 * into a file of its own, and what reading a run's file refuses: missing,
 * too big, not JSON, wrong type, not finite, stale. Every refusal is an
 * error naming the file and why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib.h"

#include "json.h"
#include "reported.h"
#include "thresholds.h"

/* Parse one declaration from JSON text; 0 or -1 (messages in *msgs). */
static int parse_decls(const char *text, struct reported_metric **m, size_t *n, char **msgs)
{
	cJSON *root = json_parse_text(text, strlen(text), "t");
	int ret;

	assert_non_null(root);
	msgs_begin();
	ret = reported_parse(root, m, n, "suite.json", NULL);
	*msgs = msgs_end();
	cJSON_Delete(root);
	return ret;
}

/* The value of declaration `decl` from the file text `file`, or NAN with the
 * message in *msgs. */
static double value_of(const char *decl, const char *file, char **msgs)
{
	struct reported_metric *m = NULL;
	size_t n = 0;
	double v = NAN;
	cJSON *root;
	char *pm;

	assert_int_equal(parse_decls(decl, &m, &n, &pm), 0);
	free(pm);
	root = json_parse_text(file, strlen(file), "m.json");
	assert_non_null(root);
	msgs_begin();
	if (reported_value(&m[0], root, "m.json", &v) < 0)
		v = NAN;
	*msgs = msgs_end();
	cJSON_Delete(root);
	reported_free(m, n);
	return v;
}

#define BMF_DECL                                                                           \
	"[{\"name\": \"items\", \"unit\": \"items\", \"better\": \"bigger\", \"format\": " \
	"\"bmf\", \"benchmark\": \"flow\", \"measure\": \"items\"}]"
#define GAB_DECL                                                                                 \
	"[{\"name\": \"msgs\", \"unit\": \"msg\", \"better\": \"bigger\", \"format\": \"gab\", " \
	"\"entry\": \"messages\"}]"
#define PYPERF_DECL \
	"[{\"name\": \"loop\", \"unit\": \"s\", \"better\": \"smaller\", \"format\": \"pyperf\"}]"
#define PATH_DECL(p)                                                                                \
	"[{\"name\": \"rate\", \"unit\": \"msg/s\", \"better\": \"bigger\", \"file\": \"s.json\", " \
	"\"path\": \"" p "\"}]"

static void test_bmf(void **state)
{
	char *msgs;

	(void)state;
	assert_true(value_of(BMF_DECL,
			     "{\"flow\": {\"items\": {\"value\": 1200, \"lower_value\": 1100}}}",
			     &msgs) == 1200);
	free(msgs);
	assert_true(isnan(value_of(BMF_DECL, "{\"flow\": {\"latency\": {\"value\": 1}}}", &msgs)));
	assert_string_equal(
		msgs, "spin-gate: error: metrics file 'm.json': benchmark \"flow\" has no measure "
		      "\"items\" (bmf)\n");
	free(msgs);
	assert_true(isnan(value_of(BMF_DECL, "[{\"name\": \"flow\", \"value\": 1}]", &msgs)));
	assert_string_equal(msgs,
			    "spin-gate: error: metrics file 'm.json': expected the Bencher Metric "
			    "Format (an object of benchmarks), got an array\n");
	free(msgs);
	assert_true(
		isnan(value_of(BMF_DECL, "{\"flow\": {\"items\": {\"value\": \"1200\"}}}", &msgs)));
	assert_string_equal(msgs,
			    "spin-gate: error: metrics file 'm.json': its value is a string, not a "
			    "number\n");
	free(msgs);
	assert_true(
		isnan(value_of(BMF_DECL, "{\"flow\": {\"items\": {\"value\": 1e999}}}", &msgs)));
	assert_string_equal(
		msgs,
		"spin-gate: error: metrics file 'm.json': its value is not a finite number\n");
	free(msgs);
}

static void test_gab(void **state)
{
	char *msgs;

	(void)state;
	assert_true(value_of(GAB_DECL,
			     "[{\"name\": \"other\", \"unit\": \"x\", \"value\": 1}, {\"name\": "
			     "\"messages\", \"unit\": \"msg\", \"value\": 5000}]",
			     &msgs) == 5000);
	free(msgs);
	assert_true(isnan(value_of(GAB_DECL, "[{\"name\": \"other\", \"value\": 1}]", &msgs)));
	assert_string_equal(
		msgs,
		"spin-gate: error: metrics file 'm.json': no entry named \"messages\" (gab)\n");
	free(msgs);
}

static void test_pyperf(void **state)
{
	/* pyperf 2.11's shape: the name in the file's metadata, values per run;
	 * a calibration run has warmups only */
	static const char file[] =
		"{\"benchmarks\": [{\"runs\": [{\"metadata\": {}, \"warmups\": [[1, 9.0]]}, "
		"{\"values\": [1.0, 2.0]}, {\"values\": [3.0, 6.0]}]}], \"metadata\": {\"name\": "
		"\"loop\", \"unit\": \"second\"}, \"version\": \"1.0\"}";
	char *msgs;

	(void)state;
	assert_true(value_of(PYPERF_DECL, file, &msgs) == 3.0);
	free(msgs);
	assert_true(isnan(value_of("[{\"name\": \"x\", \"unit\": \"s\", \"better\": \"smaller\", "
				   "\"format\": \"pyperf\", \"benchmark\": \"other\"}]",
				   file, &msgs)));
	assert_string_equal(
		msgs, "spin-gate: error: metrics file 'm.json': no pyperf benchmark \"other\"\n");
	free(msgs);
	assert_true(isnan(value_of(PYPERF_DECL, "{\"benchmarks\": [{\"runs\": []}]}", &msgs)));
	assert_string_equal(
		msgs,
		"spin-gate: error: metrics file 'm.json': the pyperf benchmark has no values\n");
	free(msgs);
}

static void test_json_path(void **state)
{
	static const char file[] = "{\"summary\": {\"throughput\": 812.5}, \"latency\": {\"p99\": "
				   "0.004}, \"runs\": [{\"rate\": 1}, {\"rate\": 2}]}";
	char *msgs;

	(void)state;
	assert_true(value_of(PATH_DECL("summary.throughput"), file, &msgs) == 812.5);
	free(msgs);
	assert_true(value_of(PATH_DECL("latency.p99"), file, &msgs) == 0.004);
	free(msgs);
	assert_true(value_of(PATH_DECL("runs[1].rate"), file, &msgs) == 2);
	free(msgs);
	assert_true(value_of(PATH_DECL("[1]"), "[5, 7]", &msgs) == 7);
	free(msgs);
	assert_true(isnan(value_of(PATH_DECL("runs[2].rate"), file, &msgs)));
	assert_string_equal(msgs, "spin-gate: error: metrics file 'm.json': no runs[2] in it\n");
	free(msgs);
	assert_true(isnan(value_of(PATH_DECL("summary.rate"), file, &msgs)));
	assert_string_equal(msgs,
			    "spin-gate: error: metrics file 'm.json': no summary.rate in it\n");
	free(msgs);
	assert_true(isnan(value_of(PATH_DECL("summary"), file, &msgs)));
	assert_string_equal(
		msgs,
		"spin-gate: error: metrics file 'm.json': summary is an object, not a number\n");
	free(msgs);

	assert_true(reported_path_ok("a"));
	assert_true(reported_path_ok("a.b.c"));
	assert_true(reported_path_ok("a[0][1].b"));
	assert_true(reported_path_ok("[3]"));
	assert_false(reported_path_ok(""));
	assert_false(reported_path_ok("a."));
	assert_false(reported_path_ok(".a"));
	assert_false(reported_path_ok("a..b"));
	assert_false(reported_path_ok("a[]"));
	assert_false(reported_path_ok("a[x]"));
	assert_false(reported_path_ok("a[0]b"));
	assert_false(reported_path_ok("a]"));
	assert_false(reported_path_ok("a[1"));
}

static void test_declarations(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "[{\"name\": \"it\\u0001ems\", \"unit\": \"items\", \"better\": \"bigger\", "
		  "\"format\": \"gab\", \"entry\": \"x\"}]",
		  "spin-gate: error: 'suite.json': metrics[0].name: a metric's name is 1 to 64 "
		  "printable ASCII characters, no spaces, no ':', not ending in \"_per_cpu_s\"\n" },
		{ "[{\"name\": \"a_per_cpu_s\", \"unit\": \"items\", \"better\": \"bigger\", "
		  "\"format\": \"gab\", \"entry\": \"x\"}]",
		  "spin-gate: error: 'suite.json': metrics[0].name: a metric's name is 1 to 64 "
		  "printable ASCII characters, no spaces, no ':', not ending in \"_per_cpu_s\"\n" },
		{ "[{\"name\": \"a\", \"unit\": \"items\", \"better\": \"more\", \"format\": \"gab\", "
		  "\"entry\": \"x\"}]",
		  "spin-gate: error: 'suite.json': metrics[0].better: expected \"bigger\" or "
		  "\"smaller\", got \"more\"\n" },
		{ "[{\"name\": \"a\", \"unit\": \"items\", \"better\": \"bigger\", \"format\": "
		  "\"csv\"}]",
		  "spin-gate: error: 'suite.json': metrics[0].format: unknown format 'csv' (expected "
		  "bmf, gab or pyperf; or \"file\" and \"path\" without a format)\n" },
		{ "[{\"name\": \"a\", \"unit\": \"items\", \"better\": \"bigger\", \"format\": "
		  "\"bmf\", \"benchmark\": \"b\"}]",
		  "spin-gate: error: 'suite.json': metrics[0]: format bmf needs \"benchmark\" and "
		  "\"measure\"\n" },
		{ "[{\"name\": \"a\", \"unit\": \"u\", \"better\": \"bigger\", \"file\": \"f\", "
		  "\"path\": \"a..b\"}]",
		  "spin-gate: error: 'suite.json': metrics[0].path: 'a..b' is not a JSON path (keys "
		  "separated by '.', [N] for an array's element)\n" },
		{ "[{\"name\": \"a\", \"unit\": \"u\", \"better\": \"bigger\", \"format\": \"pyperf\", "
		  "\"extra\": 1}]",
		  "spin-gate: error: 'suite.json': metrics[0]: unknown field 'extra'\n" },
		{ "[{\"name\": \"a\", \"unit\": \"u\", \"better\": \"bigger\", \"format\": "
		  "\"pyperf\"}, {\"name\": \"a\", \"unit\": \"u\", \"better\": \"bigger\", \"format\": "
		  "\"pyperf\"}]",
		  "spin-gate: error: 'suite.json': metrics[1].name: 'a' is declared twice\n" },
		{ "[{\"name\": \"a\", \"unit\": \"u\", \"better\": \"bigger\", \"format\": \"pyperf\"}, "
		  "{}, {}, {}, {}, {}, {}, {}, {}]",
		  "spin-gate: error: 'suite.json': metrics: 9 metrics (at most 8)\n" },
	};
	struct reported_metric *m;
	size_t i, n;
	char *msgs;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_decls(bad[i].text, &m, &n, &msgs), -1);
		assert_string_equal(msgs, bad[i].msg);
		free(msgs);
	}
	assert_int_equal(parse_decls(BMF_DECL, &m, &n, &msgs), 0);
	assert_string_equal(msgs, "");
	assert_int_equal(n, 1);
	assert_string_equal(m[0].decl.name, "items");
	assert_int_equal(m[0].decl.bigger, 1);
	assert_int_equal(m[0].format, REPORTED_BMF);
	free(msgs);
	reported_free(m, n);
}

/* Reading a run's file: what is refused, with the exact message. */
static void test_read_run(void **state)
{
	char *dir = tmpdir_make("reported");
	char *path = xstrfmt("%s/m.json", dir);
	struct reported_metric *m;
	const char *files[1] = { path };
	struct timespec later;
	size_t n;
	double v[1];
	char *msgs, *want;
	FILE *f;

	(void)state;
	assert_int_equal(parse_decls(BMF_DECL, &m, &n, &msgs), 0);
	free(msgs);

	msgs_begin();
	assert_int_equal(reported_read_run(m, n, files, NULL, v), -1);
	msgs = msgs_end();
	want = xstrfmt("spin-gate: error: cannot read metrics file '%s': No such file or "
		       "directory\n",
		       path);
	assert_string_equal(msgs, want);
	assert_true(isnan(v[0]));
	free(msgs);
	free(want);

	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 10 * 1024 * 1024), 0);
	fclose(f);
	msgs_begin();
	assert_int_equal(reported_read_run(m, n, files, NULL, v), -1);
	msgs = msgs_end();
	want = xstrfmt("spin-gate: error: metrics file '%s' is 10485760 bytes (at most 4194304): "
		       "not read\n",
		       path);
	assert_string_equal(msgs, want);
	free(msgs);
	free(want);

	/* a FIFO in its place is refused at once, not waited on */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	msgs_begin();
	assert_int_equal(reported_read_run(m, n, files, NULL, v), -1);
	msgs = msgs_end();
	want = xstrfmt("spin-gate: error: cannot read metrics file '%s': not a regular file\n",
		       path);
	assert_string_equal(msgs, want);
	free(msgs);
	free(want);
	assert_int_equal(unlink(path), 0);

	assert_int_equal(fs_write_text(path, "{\"flow\": {\"items\": {\"value\": NaN}}}"), 0);
	msgs_begin();
	assert_int_equal(reported_read_run(m, n, files, NULL, v), -1);
	msgs = msgs_end();
	assert_non_null(strstr(msgs, "invalid JSON"));
	free(msgs);

	assert_int_equal(fs_write_text(path, "{\"flow\": {\"items\": {\"value\": 42}}}"), 0);
	msgs_begin();
	assert_int_equal(reported_read_run(m, n, files, NULL, v), 0);
	msgs = msgs_end();
	assert_string_equal(msgs, "");
	assert_true(v[0] == 42);
	free(msgs);
	reported_free(m, n);

	/* a program's own file must be newer than the run's start */
	assert_int_equal(parse_decls(PATH_DECL("flow.items.value"), &m, &n, &msgs), 0);
	free(msgs);
	clock_gettime(CLOCK_REALTIME, &later);
	later.tv_sec += 10;
	msgs_begin();
	assert_int_equal(reported_read_run(m, n, files, &later, v), -1);
	msgs = msgs_end();
	want = xstrfmt("spin-gate: error: metrics file '%s' was not written during the run "
		       "(modified before it began)\n",
		       path);
	assert_string_equal(msgs, want);
	free(msgs);
	free(want);
	later.tv_sec -= 20;
	assert_int_equal(reported_read_run(m, n, files, &later, v), 0);
	assert_true(v[0] == 42);
	reported_free(m, n);
	free(path);
	tmpdir_remove(dir);
}

/* thresholds' names for reported metrics: the forms, their kinds, and one
 * number per form for the process. */
static void test_threshold_names(void **state)
{
	enum metric_reported_kind kind;
	enum metric a, b, c, d;
	struct metric_decl decl = { (char *)"items", (char *)"item", 1 };

	(void)state;
	assert_int_equal(metric_parse_reported("items", &a), 0);
	assert_int_equal(metric_parse_reported("cpu_per:items", &b), 0);
	assert_int_equal(metric_parse_reported("items_per_cpu_s", &c), 0);
	assert_int_equal(metric_parse_reported("items", &d), 0);
	assert_int_equal(a, d);
	assert_true(a >= METRIC_REPORTED_FIRST && b != a && c != b);
	assert_string_equal(metric_name(b), "cpu_per:items");
	assert_string_equal(metric_reported_base(b, &kind), "items");
	assert_int_equal(kind, METRIC_REPORTED_CPU_PER);
	assert_string_equal(metric_reported_base(c, &kind), "items");
	assert_int_equal(kind, METRIC_REPORTED_PER_CPU_S);
	assert_null(metric_reported_base(METRIC_CPU, &kind));
	assert_null(metric_reported_unit(a));
	metric_reported_learn(&decl);
	assert_string_equal(metric_reported_unit(b), "item");
	/* not a reported metric's form */
	assert_int_equal(metric_parse_reported("cpu_per:wall", &a), -1);
	assert_int_equal(metric_parse_reported("it ems", &a), -1);
	assert_int_equal(metric_parse_reported("cpu_per:", &a), -1);
	assert_int_equal(metric_parse_reported("it\x01ems", &a), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bmf),
		cmocka_unit_test(test_gab),
		cmocka_unit_test(test_pyperf),
		cmocka_unit_test(test_json_path),
		cmocka_unit_test(test_declarations),
		cmocka_unit_test(test_read_run),
		cmocka_unit_test(test_threshold_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
