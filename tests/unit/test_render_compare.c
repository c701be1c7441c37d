/*
 * Unit tests of render_compare (src/render/render_compare.c): compare's tables, a
 * row per revision, on results built by hand and judged by the real judge.
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

#include "fmt.h"
#include "judge.h"
#include "render.h"
#include "render_compare.h"
#include "results.h"
#include "thresholds.h"
#include "testlib.h"

#define ROUNDS 6

static const char *const specs[] = { "v1", "v2", "feat|x\033[31m" };

struct fixture {
	struct results pairs[2];
	struct judgement j[2];
	struct thresholds t;
	struct compare_view v;
};

/* Revision 1: wall 1 s, cpu 1 s; revision 2: cpu 0.1 s; revision 3: wall
 * 2 s. Each pair holds revision 1's samples as its base. */
static void fixture_init(struct fixture *f, const char *scen_name)
{
	static const double wall[3] = { 1.0, 1.0, 2.0 }, cpu[3] = { 1.0, 0.1, 1.0 };
	size_t p, k;
	int round;

	memset(f, 0, sizeof(*f));
	f->t.confidence = 0.95;
	f->t.path = xstrdup("thresholds.json");
	f->t.checks = xcalloc(1, sizeof(*f->t.checks));
	f->t.nchecks = 1;
	f->t.checks[0].name = xstrdup("cpu");
	f->t.checks[0].cond.metric = METRIC_CPU;
	f->t.checks[0].cond.rule = RULE_RATIO_MAX;
	f->t.checks[0].cond.value = 0.5;
	for (p = 0; p < 2; p++) {
		struct results *r = &f->pairs[p];
		struct scenario_result *sc;

		results_init(r);
		r->settings.runs = ROUNDS;
		r->settings.max_runs = ROUNDS;
		r->settings.confidence = 0.95;
		r->complete = 1;
		r->rev[SIDE_BASE].spec = xstrdup(specs[0]);
		r->rev[SIDE_BASE].resolved = xstrdup("1.0");
		r->rev[SIDE_HEAD].spec = xstrdup(specs[p + 1]);
		/* revision 3 a git commit, shown cut to 12 digits */
		r->rev[SIDE_HEAD].kind = xstrdup(p ? "git" : "version");
		r->rev[SIDE_HEAD].resolved =
			xstrdup(p ? "abc123def4567890abc123def4567890abc12345" : "2.0");
		sc = test_scenario(r, scen_name);
		test_param(sc, "x", "a");
		for (round = 1; round <= ROUNDS; round++)
			for (k = 0; k < 2; k++) {
				size_t rev = k ? p + 1 : 0;
				/* a little jitter so the intervals have width */
				double jit = 1 + 0.01 * (double)((round + (int)rev) % 3);

				test_sample(sc, k ? SIDE_HEAD : SIDE_BASE, round, wall[rev] * jit,
					    cpu[rev] * jit, 0);
			}
		judge_results(r, &f->t, &f->j[p]);
	}
	f->v.n = 3;
	f->v.specs = specs;
	f->v.pairs = f->pairs;
	f->v.j = f->j;
	f->v.t = &f->t;
}

static void fixture_release(struct fixture *f)
{
	size_t p;

	for (p = 0; p < 2; p++) {
		judgement_release(&f->j[p]);
		results_release(&f->pairs[p]);
	}
	thresholds_release(&f->t);
}

/* What render_compare_term() writes; caller frees. */
static char *term_string(const struct compare_view *v)
{
	FILE *f = tmpfile();
	char *text;
	long n;

	assert_non_null(f);
	render_compare_term(f, v);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = xcalloc((size_t)n + 1, 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

/* A table per scenario, a row per revision; the ratio of CPU to the first
 * is the interval the ratio check on cpu saw; the checks with statuses. */
static void test_md_rows(void **state)
{
	struct fixture f;
	struct buf md = BUF_INIT, want = BUF_INIT, ci = BUF_INIT;

	(void)state;
	fixture_init(&f, "x=a");
	assert_int_equal(f.j[0].verdict, STATUS_PASS);
	assert_int_equal(f.j[1].verdict, STATUS_FAIL);
	render_compare_md(&md, &f.v);
	assert_non_null(strstr(md.s, "- **#2 v2 vs #1 v1: pass** - 1 check passed\n"));
	assert_non_null(strstr(md.s, "- **#3 feat\\|x \\[31m vs #1 v1: fail** - 1 of 1 check "
				     "failed: cpu on x=a\n"));
	assert_non_null(strstr(md.s, "\n### x=a\n\n| # | revision | resolved | wall | cpu | "
				     "wall / #1 | cpu / #1 | checks |\n| --- |"));
	assert_non_null(strstr(md.s, "| 1 | v1 | 1.0 | 1.01 s | 1.01 s |  |  | (reference) |\n"));
	/* revision 2's cpu ratio: the interval of the ratio check on cpu */
	assert_true(f.j[0].v[0].main.ci.est < 0.11 && f.j[0].v[0].main.ci.est > 0.09);
	fmt_interval(&ci, METRIC_CPU, 1, &f.j[0].v[0].main.ci);
	buf_adds(&want, "| 2 | v2 | 2.0 | 1.01 s | 0.101 s | 1.00x \\[0.98, 1.01\\] | ");
	render_md_escape(&want, ci.s);
	buf_adds(&want, " | cpu pass |\n");
	assert_non_null(strstr(md.s, want.s));
	assert_non_null(strstr(md.s, "| cpu pass |\n"));
	/* revision 3: wall 2x, its cpu check failed */
	assert_non_null(
		strstr(md.s, "| 3 | feat\\|x \\[31m | abc123def456 | 2.02 s | 1.01 s | 2.01x \\["));
	assert_null(strstr(md.s, "abc123def4567"));
	assert_non_null(strstr(md.s, "| cpu fail |\n"));
	buf_release(&md);
	buf_release(&want);
	buf_release(&ci);
	fixture_release(&f);
}

/* Text from outside cannot break a table or drive a terminal. */
static void test_hostile(void **state)
{
	struct fixture f;
	struct buf md = BUF_INIT;
	char *term, *line;

	(void)state;
	fixture_init(&f, "mode=a|b\n# not a heading\033[2J");
	render_compare_md(&md, &f.v);
	assert_null(strstr(md.s, "\n# not a heading"));
	assert_null(strchr(md.s, '\033'));
	assert_non_null(strstr(md.s, "### mode=a\\|b<br>\\# not a heading"));
	/* every table line has as many unescaped cell bars as the header */
	for (line = md.s; (line = strstr(line, "\n| ")); line++) {
		size_t bars = 0;
		char *p;

		for (p = line + 1; *p && *p != '\n'; p++)
			bars += *p == '|' && p[-1] != '\\';
		assert_int_equal(bars, 9);
	}
	term = term_string(&f.v);
	assert_null(strchr(term, '\033'));
	assert_non_null(strstr(term, "\nmode=a|b?# not a heading?[2J\n"));
	assert_non_null(strstr(term, "#3 feat|x?[31m vs #1 v1: FAIL"));
	free(term);
	buf_release(&md);
	fixture_release(&f);
}

/* The terminal: aligned columns, the reference's ratio cells blank. */
static void test_term_aligned(void **state)
{
	struct fixture f;
	char *term, *head, *row1, *row2;

	(void)state;
	fixture_init(&f, "x=a");
	term = term_string(&f.v);
	head = strstr(term, "\n#  revision ");
	assert_non_null(head);
	row1 = strstr(head, "\n1  v1 ");
	row2 = strstr(head, "\n2  v2 ");
	assert_non_null(row1);
	assert_non_null(row2);
	/* "checks" starts where each row's checks do */
	assert_int_equal(strstr(head, "checks") - head, strstr(row1, "(reference)") - row1);
	assert_int_equal(strstr(head, "checks") - head, strstr(row2, "cpu pass") - row2);
	assert_int_equal(strstr(head, "wall / #1") - head, strstr(row2, "1.00x") - row2);
	free(term);
	fixture_release(&f);
}

/* A pair whose other revision failed stops taking #1's runs: the reference
 * row is drawn from the pair that kept them. */
static void test_reference_from_longest_pair(void **state)
{
	struct fixture f;
	struct buf md = BUF_INIT;
	size_t k;

	(void)state;
	fixture_init(&f, "x=a");
	f.pairs[0].scen[0].samples[SIDE_BASE].n = 2;
	for (k = 0; k < f.pairs[1].scen[0].samples[SIDE_BASE].n; k++)
		f.pairs[1].scen[0].samples[SIDE_BASE].v[k].wall = 3.0;
	render_compare_md(&md, &f.v);
	assert_non_null(strstr(md.s, "| 1 | v1 | 1.0 | 3.00 s | 1.01 s |  |  | (reference) |\n"));
	buf_release(&md);
	fixture_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_md_rows, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_hostile, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_term_aligned, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_reference_from_longest_pair, msgs_setup,
						msgs_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
