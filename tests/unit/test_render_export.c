/*
 * Unit tests of render_export(): a figure is the median of a side's judged
 * runs with the median's interval; metrics that were not measured are left
 * out; warm-ups and failed runs do not count; names from outside come out
 * as valid, escaped JSON; the format names parse; --format's callback
 * collects formats and refuses others.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "render_export.h"
#include "testlib.h"

/* One scenario "mode=idle": base rounds 1..5 with cpu 1.0 .. 1.4, a warm-up
 * and a failed run that must not count; head rounds 1..5 with cpu 0.1 ..
 * 0.5; walls of 2 s. */
static void make_results(struct results *r, const char *name)
{
	struct scenario_result *sc;
	struct sample s;
	int k;

	results_init(r);
	r->settings.confidence = 0.95;
	sc = test_scenario(r, name);
	sc->cores = 2;
	test_sample(sc, SIDE_BASE, 0, 9, 9, 0); /* warm-up */
	test_sample(sc, SIDE_HEAD, 0, 9, 9, 0);
	for (k = 1; k <= 5; k++) {
		test_sample(sc, SIDE_BASE, k, 2.0, 0.9 + 0.1 * k, 0.1);
		test_sample(sc, SIDE_HEAD, k, 2.0, 0.1 * k - 0.05, 0.05);
	}
	s = test_make_sample(6, 50, 50, 0);
	s.exit_code = 1; /* failed: not judged */
	results_add_sample(sc, SIDE_BASE, &s);
}

static const struct export_figure *find(const struct export_figure *f, size_t n, enum side side,
					const char *measure)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (f[i].side == side && !strcmp(f[i].measure, measure))
			return &f[i];
	return NULL;
}

static void test_figures(void **state)
{
	struct results r;
	struct export_figure *f;
	const struct export_figure *x;
	size_t n;

	(void)state;
	make_results(&r, "mode=idle");
	f = export_scenario_figures(&r.scen[0], 0.95, &n);
	/* wall, user, system, cpu, cpu_util a side; no contention, no spin
	 * signature: not measured */
	assert_int_equal(n, 10);
	x = find(f, n, SIDE_BASE, "cpu");
	assert_non_null(x);
	assert_string_equal(x->unit, "s");
	assert_int_equal(x->runs, 5);
	assert_int_equal(x->better, EXPORT_SMALLER);
	assert_true(fabs(x->ci.est - 1.3) < 1e-12);
	/* 5 runs cannot reach 95%: min..max */
	assert_true(fabs(x->ci.lo - 1.1) < 1e-12);
	assert_true(fabs(x->ci.hi - 1.5) < 1e-12);
	x = find(f, n, SIDE_HEAD, "cpu_util");
	assert_non_null(x);
	assert_string_equal(x->unit, "fraction");
	assert_true(fabs(x->ci.est - 0.3 / 4) < 1e-12);
	assert_null(find(f, n, SIDE_HEAD, "contention"));
	assert_null(find(f, n, SIDE_BASE, "max_rss"));
	/* base's figures first, each side in the metrics' order */
	assert_int_equal(f[0].side, SIDE_BASE);
	assert_string_equal(f[0].measure, "wall");
	assert_int_equal(f[5].side, SIDE_HEAD);
	free(f);

	/* the spin signature once measured */
	r.scen[0].samples[SIDE_HEAD].v[1].max_rss = 2048;
	f = export_scenario_figures(&r.scen[0], 0.95, &n);
	x = find(f, n, SIDE_HEAD, "max_rss");
	assert_non_null(x);
	assert_string_equal(x->unit, "KiB");
	assert_int_equal(x->runs, 1);
	assert_true(x->ci.est == 2048);
	free(f);
	results_release(&r);
}

static const char bmf_expected[] =
	"{\n"
	"  \"mode=idle [base]\": {\n"
	"    \"wall\": {\"value\": 2, \"lower_value\": 2, \"upper_value\": 2},\n"
	"    \"user\": {\"value\": 1.2, \"lower_value\": 1, \"upper_value\": 1.4},\n"
	"    \"system\": {\"value\": 0.1, \"lower_value\": 0.1, \"upper_value\": 0.1},\n"
	"    \"cpu\": {\"value\": 1.3, \"lower_value\": 1.1, \"upper_value\": 1.5},\n"
	"    \"cpu_util\": {\"value\": 0.325, \"lower_value\": 0.275, \"upper_value\": 0.375}\n"
	"  },\n"
	"  \"mode=idle [head]\": {\n"
	"    \"wall\": {\"value\": 2, \"lower_value\": 2, \"upper_value\": 2},\n"
	"    \"user\": {\"value\": 0.25, \"lower_value\": 0.05, \"upper_value\": 0.45},\n"
	"    \"system\": {\"value\": 0.05, \"lower_value\": 0.05, \"upper_value\": 0.05},\n"
	"    \"cpu\": {\"value\": 0.3, \"lower_value\": 0.1, \"upper_value\": 0.5},\n"
	"    \"cpu_util\": {\"value\": 0.075, \"lower_value\": 0.025, \"upper_value\": 0.125}\n"
	"  }\n"
	"}\n";

static void test_bmf(void **state)
{
	struct results r;
	struct buf b = BUF_INIT;

	(void)state;
	make_results(&r, "mode=idle");
	render_export(&b, &r, EXPORT_BMF);
	assert_string_equal(b.s, bmf_expected);
	buf_release(&b);
	results_release(&r);
}

static void test_gab(void **state)
{
	struct results r;
	struct buf b = BUF_INIT;

	(void)state;
	make_results(&r, "mode=idle");
	render_export(&b, &r, EXPORT_GAB);
	assert_ptr_equal(strstr(b.s,
				"[\n  {\"name\": \"mode=idle [base] wall\", \"unit\": \"s\", "
				"\"value\": 2, \"range\": \"[2, 2]\", \"extra\": \"median of 5 "
				"runs; range: its interval at 93.8% confidence\"},\n"),
			 b.s);
	assert_non_null(strstr(b.s, "  {\"name\": \"mode=idle [head] cpu_util\", \"unit\": "
				    "\"fraction\", \"value\": 0.075, \"range\": \"[0.025, "
				    "0.125]\", \"extra\": \"median of 5 runs; range: its interval "
				    "at 93.8% confidence\"}\n]\n"));
	buf_release(&b);
	results_release(&r);
}

/* Nothing measured: empty, valid documents. */
static void test_empty(void **state)
{
	struct results r;
	struct buf b = BUF_INIT;

	(void)state;
	results_init(&r);
	test_scenario(&r, "never ran");
	render_export(&b, &r, EXPORT_BMF);
	assert_string_equal(b.s, "{}\n");
	buf_reset(&b);
	render_export(&b, &r, EXPORT_GAB);
	assert_string_equal(b.s, "[]\n");
	buf_release(&b);
	results_release(&r);
}

/* A name with quotes, a backslash, control characters and a stray byte. */
static void test_escapes(void **state)
{
	struct results r;
	struct buf b = BUF_INIT;

	(void)state;
	make_results(&r, "q=\"x\\y\"\n\t\x01\x7f\xff");
	render_export(&b, &r, EXPORT_BMF);
	assert_non_null(strstr(
		b.s, "\n  \"q=\\\"x\\\\y\\\"\\n\\t\\u0001\\u007f\xEF\xBF\xBD [base]\": {\n"));
	buf_reset(&b);
	render_export(&b, &r, EXPORT_GAB);
	assert_non_null(strstr(b.s, "{\"name\": \"q=\\\"x\\\\y\\\"\\n\\t\\u0001\\u007f\xEF\xBF\xBD "
				    "[head] cpu\", "));
	buf_release(&b);
	results_release(&r);
}

static void test_formats(void **state)
{
	enum export_format f = EXPORT_GAB;
	unsigned formats = 0;
	const struct opt o = OPT_EXPORT_FORMATS(&formats);
	char *said;

	(void)state;
	assert_int_equal(export_format_parse("bmf", &f), 0);
	assert_int_equal(f, EXPORT_BMF);
	assert_int_equal(export_format_parse("gab", &f), 0);
	assert_int_equal(f, EXPORT_GAB);
	assert_int_equal(export_format_parse("BMF", &f), -1);
	assert_int_equal(export_format_parse(NULL, &f), -1);
	assert_string_equal(export_file_name(EXPORT_BMF), "export-bmf.json");
	assert_string_equal(export_file_name(EXPORT_GAB), "export-gab.json");
	assert_int_equal(o.cb(&o, "gab"), 0);
	assert_int_equal(formats, 1u << EXPORT_GAB);
	assert_int_equal(o.cb(&o, "bmf"), 0);
	assert_int_equal(formats, (1u << EXPORT_GAB) | (1u << EXPORT_BMF));
	msgs_begin();
	assert_int_equal(o.cb(&o, "csv"), -1);
	said = msgs_end();
	assert_string_equal(
		said,
		"spin-gate: error: --format: unknown format 'csv' (expected bmf, gab, gab-bigger)\n");
	free(said);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures), cmocka_unit_test(test_bmf),
		cmocka_unit_test(test_gab),	cmocka_unit_test(test_empty),
		cmocka_unit_test(test_escapes), cmocka_unit_test(test_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
