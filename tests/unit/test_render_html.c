/*
 * Unit tests of render_html(): hostile names and revision strings come out
 * escaped, every measured run is one dot per side and metric, nothing
 * refers to the network, the accessibility labels are there, and the same
 * inputs give the same bytes.
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
#include "judge.h"
#include "render_html.h"
#include "testlib.h"

#define HOSTILE "<script>alert('x')</script> & \"q\" <img src=x onerror=y>"

struct html_fixture {
	struct results r;
	struct thresholds t;
	struct judgement j;
	struct buf out;
};

static const char checks_json[] =
	"{\"version\": 1, \"checks\": [{\"name\": \"cpu-ratio<b>\", \"metric\": \"cpu\", "
	"\"rule\": \"ratio_max\", \"value\": 1.5}]}";

/* Two scenarios: a hostile name with 5 rounds a side (and a warm-up each),
 * and one with 3 base and 4 head rounds whose head contention was measured. */
static int setup(void **state)
{
	struct html_fixture *f = xcalloc(1, sizeof(*f));
	struct scenario_result *sc;
	struct sample s;
	int k;

	results_init(&f->r);
	f->r.complete = 1;
	f->r.rev[SIDE_BASE].spec = xstrdup("v1 " HOSTILE);
	f->r.rev[SIDE_BASE].kind = xstrdup("git");
	f->r.rev[SIDE_HEAD].spec = xstrdup("head\"><svg onload=1>");
	f->r.rev[SIDE_HEAD].kind = xstrdup("git");
	f->r.env.noise_cpu = f->r.env.noise_sleep = f->r.env.steal = NAN;
	f->r.env.host = xstrdup("host<&>");
	f->r.settings.runs = 5;
	f->r.settings.confidence = 0.95;

	sc = test_scenario(&f->r, "mode=" HOSTILE);
	test_param(sc, "mode", HOSTILE);
	sc->command[SIDE_BASE] = xstrdup("sh -c 'echo </pre>'");
	for (k = 0; k <= 5; k++) {
		test_sample(sc, SIDE_BASE, k, 1.0 + 0.01 * k, 0.9, 0.05);
		test_sample(sc, SIDE_HEAD, k, 1.0 + 0.02 * k, 0.1, 0.01);
	}
	sc = test_scenario(&f->r, "second");
	sc->machine_cores = 2;
	for (k = 1; k <= 4; k++) {
		s = test_make_sample(k, 2.0, 1.0, 0.5);
		s.others_cpu = 0.2 * k;
		if (k <= 3)
			results_add_sample(sc, SIDE_BASE, &s);
		results_add_sample(sc, SIDE_HEAD, &s);
	}
	assert_int_equal(thresholds_parse(&f->t, checks_json, strlen(checks_json), "t.json"), 0);
	judge_results(&f->r, &f->t, &f->j);
	render_html(&f->out, &f->r, &f->t, &f->j, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct html_fixture *f = *state;

	buf_release(&f->out);
	judgement_release(&f->j);
	thresholds_release(&f->t);
	results_release(&f->r);
	free(f);
	return 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* The text between the n-th (from 0) "<figure>" and its "</figure>". */
static char *figure(const char *html, size_t n)
{
	const char *p = html, *end;

	while ((p = strstr(p, "<figure>")) && n--)
		p++;
	assert_non_null(p);
	end = strstr(p, "</figure>");
	assert_non_null(end);
	return xstrndup(p, (size_t)(end - p));
}

static void test_escapes_hostile_text(void **state)
{
	struct html_fixture *f = *state;
	const char *html = f->out.s;

	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<svg onload"));
	assert_null(strstr(html, "</pre>'"));
	assert_null(strstr(html, "cpu-ratio<b>"));
	assert_null(strstr(html, "host<&>"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
				     "&quot;q&quot;"));
	assert_non_null(strstr(html, "head&quot;&gt;&lt;svg onload=1&gt;"));
	assert_non_null(strstr(html, "cpu-ratio&lt;b&gt;"));
	/* the only elements are the page's own */
	assert_int_equal(count(html, "<svg"), 2 + 2); /* the legend's 2, one plot a scenario */
}

static void test_escape_function(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	render_html_escape(&b, "a<b>&\"'\x01\x7f\xff z");
	assert_string_equal(b.s, "a&lt;b&gt;&amp;&quot;&#39;  \xef\xbf\xbd z");
	render_html_escape(&b, NULL);
	assert_string_equal(b.s, "a&lt;b&gt;&amp;&quot;&#39;  \xef\xbf\xbd z");
	buf_release(&b);
}

/* One dot per measured run (warm-ups left out) per side and metric, and a
 * median mark per side and metric. */
static void test_dots_per_run(void **state)
{
	struct html_fixture *f = *state;
	static const char *const metrics[] = { "wall", "user", "system" };
	char *fig0 = figure(f->out.s, 0), *fig1 = figure(f->out.s, 1);
	char want[64];
	size_t m;

	for (m = 0; m < 3; m++) {
		snprintf(want, sizeof(want), "class=\"dot base\" data-metric=\"%s\"", metrics[m]);
		assert_int_equal(count(fig0, want), 5);
		assert_int_equal(count(fig1, want), 3);
		snprintf(want, sizeof(want), "class=\"dot head\" data-metric=\"%s\"", metrics[m]);
		assert_int_equal(count(fig0, want), 5);
		assert_int_equal(count(fig1, want), 4);
	}
	assert_int_equal(count(fig0, "class=\"median base\""), 3);
	assert_int_equal(count(fig0, "class=\"median head\""), 3);
	free(fig0);
	free(fig1);
}

static void test_self_contained(void **state)
{
	struct html_fixture *f = *state;

	assert_null(strstr(f->out.s, "http"));
	/* the only src= is the hostile name's, shown as text */
	assert_int_equal(count(f->out.s, "src="), count(f->out.s, "&lt;img src="));
	assert_null(strstr(f->out.s, "href="));
	assert_null(strstr(f->out.s, "@import"));
	assert_null(strstr(f->out.s, "url("));
	assert_null(strstr(f->out.s, "<script"));
	assert_non_null(strstr(f->out.s, "<meta name=\"viewport\""));
}

static void test_accessible(void **state)
{
	struct html_fixture *f = *state;
	char *fig = figure(f->out.s, 1);

	assert_non_null(strstr(fig, "role=\"img\""));
	assert_non_null(strstr(fig, "aria-label=\"Wall, user and system seconds of every run of "
				    "second; base: 3 runs"));
	assert_non_null(strstr(fig, "<figcaption"));
	free(fig);
	assert_int_equal(count(f->out.s, "<table>"), count(f->out.s, "<caption>"));
	assert_non_null(strstr(f->out.s, "<th scope=\"col\">status</th>"));
}

/* The checks come first with their figures; contention per round where it
 * was measured, and said to be missing where not. */
static void test_checks_and_contention(void **state)
{
	struct html_fixture *f = *state;
	const char *checks = strstr(f->out.s, "<section id=\"checks\">");
	const char *runs = strstr(f->out.s, "<section id=\"runs\">");

	assert_non_null(checks);
	assert_non_null(runs);
	assert_true(checks < runs);
	assert_non_null(strstr(checks, "<td class=\"st st-pass\">pass</td>"));
	assert_non_null(strstr(checks, "&lt;= 1.5x"));
	assert_int_equal(count(f->out.s, "Contention was not measured"), 1);
	/* head round 4 of "second": 0.8 s of others over 2 s on 2 cores */
	assert_non_null(strstr(f->out.s, "<th scope=\"row\" class=\"num\">4</th>"
					 "<td class=\"num\">n/a</td><td class=\"num\">20%</td>"));
}

static void test_deterministic(void **state)
{
	struct html_fixture *f = *state;
	struct buf again = BUF_INIT;

	render_html(&again, &f->r, &f->t, &f->j, NULL);
	assert_string_equal(again.s, f->out.s);
	buf_release(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_escapes_hostile_text, setup, teardown),
		cmocka_unit_test(test_escape_function),
		cmocka_unit_test_setup_teardown(test_dots_per_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_contained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accessible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checks_and_contention, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
