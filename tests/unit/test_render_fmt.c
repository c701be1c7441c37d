/*
 * Unit tests of render's building blocks (render_fmt.c): markdown escaping,
 * code spans and fences, the marker, and the number formats. The tables and
 * the verdict line are tested in test_render.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "buf.h"
#include "render.h"

static void test_md_escape(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	render_md_escape(&b, "a|b`c*d_e\\f[g]#h~i<script>&x\r\ny\tz-->");
	assert_string_equal(b.s, "a\\|b\\`c\\*d\\_e\\\\f\\[g\\]\\#h\\~i"
				 "&lt;script&gt;&amp;x<br>y z--&gt;");
	buf_reset(&b);
	render_md_escape(&b, NULL);
	assert_string_equal(b.s, "");
	buf_release(&b);
}

static void test_md_code_and_fence(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	render_md_code(&b, "v0.16.0");
	assert_string_equal(b.s, "`v0.16.0`");
	buf_reset(&b);
	render_md_code(&b, "a``b");
	assert_string_equal(b.s, "```a``b```");
	buf_reset(&b);
	render_md_code(&b, "`x");
	assert_string_equal(b.s, "`` `x ``");
	buf_reset(&b);
	render_md_code(&b, "x\n\ny");
	assert_string_equal(b.s, "`x  y`");
	buf_reset(&b);
	render_md_code(&b, "");
	assert_string_equal(b.s, "(none)");
	buf_reset(&b);
	render_md_fence(&b, "echo ```` hi");
	assert_string_equal(b.s, "`````\necho ```` hi\n`````\n");
	buf_reset(&b);
	render_md_fence(&b, "ls");
	assert_string_equal(b.s, "```\nls\n```\n");
	buf_release(&b);
}

static void test_marker(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	render_marker(&b, NULL);
	assert_string_equal(b.s, "<!-- spin-gate:spin-gate -->");
	buf_reset(&b);
	render_marker(&b, "perf --> <b>\n--!>x");
	assert_string_equal(b.s, "<!-- spin-gate:perf_--___b__--__x -->");
	buf_release(&b);
}

static void test_units(void **state)
{
	struct buf b = BUF_INIT;
	struct interval ci = { 0.052, 0.071, 0.094, 0.95 };
	struct interval pc = { 0.95, 0.98, 0.99, 0.95 };
	struct condition c = { METRIC_CPU_UTIL, RULE_HEAD_MAX, 0.25 };

	(void)state;
	fmt_seconds(&b, 5.2149);
	buf_adds(&b, "|");
	fmt_seconds(&b, 0.0931);
	buf_adds(&b, "|");
	fmt_seconds(&b, 1234.4);
	buf_adds(&b, "|");
	fmt_seconds(&b, NAN);
	assert_string_equal(b.s, "5.21 s|0.0931 s|1234 s|n/a");
	buf_reset(&b);
	fmt_percent(&b, 0.981);
	buf_adds(&b, "|");
	fmt_percent(&b, 0.073);
	buf_adds(&b, "|");
	fmt_ratio(&b, 1.031);
	buf_adds(&b, "|");
	fmt_ratio(&b, 0.0712);
	assert_string_equal(b.s, "98%|7.3%|1.03x|0.071x");
	buf_reset(&b);
	fmt_interval(&b, METRIC_CPU, 1, &ci);
	buf_adds(&b, "|");
	fmt_interval(&b, METRIC_CPU_UTIL, 0, &pc);
	buf_adds(&b, "|");
	fmt_limit(&b, &c);
	c.rule = RULE_RATIO_MIN;
	c.value = 0.9;
	buf_adds(&b, "|");
	fmt_limit(&b, &c);
	c.rule = RULE_HEAD_MAX;
	c.metric = METRIC_WALL;
	c.value = 5.2;
	buf_adds(&b, "|");
	fmt_limit(&b, &c);
	assert_string_equal(b.s, "0.071x [0.052, 0.094]|98% [95%, 99%]|<= 25%|>= 0.9x|<= 5.2 s");
	/* the spin signature's units */
	buf_reset(&b);
	fmt_metric_value(&b, METRIC_VCSW, 212.4);
	buf_adds(&b, "|");
	fmt_metric_value(&b, METRIC_IVCSW, 3.5);
	buf_adds(&b, "|");
	fmt_metric_value(&b, METRIC_MAX_RSS, 48212);
	buf_adds(&b, "|");
	fmt_metric_value(&b, METRIC_VCSW_PER_CPU_S, 3.04);
	buf_adds(&b, "|");
	fmt_metric_value(&b, METRIC_VCSW, NAN);
	c.metric = METRIC_MAX_RSS;
	c.value = 65536;
	buf_adds(&b, "|");
	fmt_limit(&b, &c);
	c.metric = METRIC_VCSW_PER_CPU_S;
	c.rule = RULE_HEAD_MIN;
	c.value = 1000;
	buf_adds(&b, "|");
	fmt_limit(&b, &c);
	c.metric = METRIC_IVCSW;
	buf_adds(&b, "|");
	fmt_limit(&b, &c);
	assert_string_equal(b.s,
			    "212|3.50|47 MiB|3.04 /CPU s|n/a|<= 65536 KiB|>= 1000 /CPU s|>= 1000");
	buf_release(&b);
}

/* A reported metric's figures carry its unit (once judge has learnt it from
 * the scenario's declaration); CPU per unit is scaled to ms, us, ns. */
static void test_reported_units(void **state)
{
	struct metric_decl d = { (char *)"msgs", (char *)"msg", 1 };
	struct interval ci = { 1000, 1234.4, 1500, 0.95 };
	struct condition c = { METRIC_WALL, RULE_HEAD_MIN, 500 };
	struct buf b = BUF_INIT;
	enum metric v, per, per_cpu;

	(void)state;
	assert_int_equal(metric_parse_reported("msgs", &v), 0);
	assert_int_equal(metric_parse_reported("cpu_per:msgs", &per), 0);
	assert_int_equal(metric_parse_reported("msgs_per_cpu_s", &per_cpu), 0);
	fmt_metric_value(&b, v, 812.4);
	buf_adds(&b, "|");
	metric_reported_learn(&d);
	fmt_metric_value(&b, v, 812.4);
	buf_adds(&b, "|");
	fmt_metric_value(&b, per, 0.000123);
	buf_adds(&b, "|");
	fmt_metric_value(&b, per, 0.0000001234);
	buf_adds(&b, "|");
	fmt_metric_value(&b, per, 2.5);
	buf_adds(&b, "|");
	fmt_metric_value(&b, per_cpu, 8.25);
	buf_adds(&b, "|");
	fmt_metric_value(&b, per, NAN);
	buf_adds(&b, "|");
	fmt_interval(&b, v, 0, &ci);
	buf_adds(&b, "|");
	c.metric = v;
	fmt_limit(&b, &c);
	buf_adds(&b, "|");
	c.metric = per;
	c.rule = RULE_HEAD_MAX;
	c.value = 0.001;
	fmt_limit(&b, &c);
	assert_string_equal(b.s, "812|812 msg|123 us CPU/msg|123 ns CPU/msg|2.50 s CPU/msg|"
				 "8.25 msg/CPU s|n/a|1234 msg [1000 msg, 1500 msg]|>= 500 msg|"
				 "<= 0.001 s CPU/msg");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reported_units),
		cmocka_unit_test(test_md_escape),
		cmocka_unit_test(test_md_code_and_fence),
		cmocka_unit_test(test_marker),
		cmocka_unit_test(test_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
