/*
 * bisect: bisect.md from the steps (bisect_render(), pure): the answer (one
 * revision, or the range skipped steps leave), the table with each step's
 * verdict, git's answer and the figure that decided it, commits cut to 12
 * hex digits, and a '|' in a figure that cannot break the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bisect.h"
#include "buf.h"

#define C1 "1111111111111111111111111111111111111111"
#define C2 "2222222222222222222222222222222222222222"
#define C3 "3333333333333333333333333333333333333333"

/* -Wwrite-strings: the struct's strings are char *, so arrays */
static char c1[] = C1, c2[] = C2, c3[] = C3, v1[] = "v1", scen[] = "mode=idle";
static char fig0[] = "idle-cpu on mode=idle: cpu 40x [30, 50]", fig1[] = "a | b";
static char r12[] = "1.2", r13[] = "1.3", r10[] = "1.0";

static void step(struct bisect *b, char *rev, enum status v, enum bisect_answer a, char *figure,
		 int good, int cand, double s)
{
	struct bisect_step *st = &b->steps[b->nsteps];

	st->first = b->nsteps++ == 0;
	st->rev = rev;
	st->verdict = v;
	st->answer = a;
	st->figure = figure;
	st->good_runs = good;
	st->cand_runs = cand;
	st->seconds = s;
}

static void test_found(void **state)
{
	struct bisect b;
	struct buf out = BUF_INIT;
	char *culprit = c2, *scens = scen;

	(void)state;
	memset(&b, 0, sizeof(b));
	b.good_rev = c1;
	b.bad_rev = c3;
	b.culprits = &culprit;
	b.nculprits = 1;
	b.scen_names = &scens;
	b.nscen = 1;
	step(&b, c3, STATUS_FAIL, BISECT_SKIP, fig0, 7, 7, 2);
	step(&b, c2, STATUS_FAIL, BISECT_BAD, fig1, 2, 7, 1.25);
	step(&b, v1, STATUS_ERROR, BISECT_SKIP, NULL, 0, 0, 0);
	bisect_render(&out, &b);
	assert_string_equal(
		out.s,
		"# spin-gate bisect: 111111111111 (good) .. 333333333333 (bad)\n\n"
		"First bad revision: " C2 "\n\n"
		"Judged: 1 scenario(s) (mode=idle); the good side pooled across steps "
		"(measured in 1 round of 3 once the pool holds a gate's worth).\n\n"
		"| step | revision | verdict | answer | what decided it | runs (good + candidate) "
		"| time |\n"
		"| ---: | --- | --- | --- | --- | ---: | ---: |\n"
		"| 0 | 333333333333 (bad, gated first) | FAIL | - | idle-cpu on mode=idle: cpu "
		"40x [30, 50] | 7 + 7 | 2.0 s |\n"
		"| 1 | 222222222222 | FAIL | bad | a \\| b | 2 + 7 | 1.2 s |\n"
		"| 2 | v1 | ERROR | skip |  | 0 + 0 | 0.0 s |\n"
		"\n3 step(s) (2 after the first gate), 3.2 s in all.\n");
	buf_release(&out);
}

static void test_range_without_reuse(void **state)
{
	struct bisect b;
	struct buf out = BUF_INIT;
	char *range[] = { r12, r13 };

	(void)state;
	memset(&b, 0, sizeof(b));
	b.good_rev = r10;
	b.bad_rev = r13;
	b.culprits = range;
	b.nculprits = 2;
	b.no_reuse = 1;
	bisect_render(&out, &b);
	assert_non_null(strstr(out.s, "Only a range: steps were skipped, and the first bad "
				      "revision is one of these 2:\n\n- 1.2\n- 1.3\n"));
	assert_non_null(strstr(out.s, "the good side measured in full at every step"));
	buf_release(&out);
}

static void test_answers(void **state)
{
	(void)state;
	/* git bisect run's codes */
	assert_int_equal(BISECT_GOOD, 0);
	assert_int_equal(BISECT_BAD, 1);
	assert_int_equal(BISECT_SKIP, 125);
	assert_string_equal(bisect_answer_name(BISECT_GOOD), "good");
	assert_string_equal(bisect_answer_name(BISECT_BAD), "bad");
	assert_string_equal(bisect_answer_name(BISECT_SKIP), "skip");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_range_without_reuse),
		cmocka_unit_test(test_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
