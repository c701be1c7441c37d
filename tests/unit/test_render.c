/*
 * Unit tests of render_md() and render_term() on results and judgements built
 * by hand: hostile text cannot break the output, row order, verdict lines,
 * units in context, determinism, the size limit, the terminal table, and a
 * golden bytewax-like comment in
 * tests/fixtures/verdict-example.md (rewrite it with
 * SPIN_GATE_UPDATE_FIXTURES=1 after a deliberate change, and read the diff).
 *
 * Built normally it links build/libspin-gate.a; with
 * -DRENDER_TEST_STANDALONE it carries the few names render uses from
 * status.c, judge.c, thresholds.c and results.c, so it builds before those exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "buf.h"
#include "render.h"

#define FIXTURE "tests/fixtures/verdict-example.md"

#ifdef RENDER_TEST_STANDALONE
const char *status_name(enum status s)
{
	static const char *const n[] = { "pass", "fail", "inconclusive", "error", "skipped" };
	return (unsigned)s < STATUS_COUNT ? n[s] : "?";
}

const char *status_word(enum status s)
{
	static const char *const n[] = { "PASS", "FAIL", "INCONCLUSIVE", "ERROR", "SKIPPED" };
	return (unsigned)s < STATUS_COUNT ? n[s] : "?";
}

const char *status_verb(enum status s)
{
	static const char *const n[] = { "passed", "failed", "inconclusive", "errored", "skipped" };
	return (unsigned)s < STATUS_COUNT ? n[s] : "?";
}

const char *metric_name(enum metric m)
{
	static const char *const n[] = { "wall", "user", "system", "cpu", "cpu_util" };
	return (unsigned)m <= METRIC_CPU_UTIL ? n[m] : "?";
}

const char *side_name(enum side s)
{
	return s == SIDE_BASE ? "base" : "head";
}
#endif

#include "render_fixture.h"

/* ---- helpers on rendered text ---- */

/* '|' not escaped by a backslash. */
static size_t count_pipes(const char *line, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (line[i] == '\\')
			i++;
		else if (line[i] == '|')
			n++;
	}
	return n;
}

/* Every table row has as many cells as its header; returns how many tables. */
static int check_tables(const char *md)
{
	const char *p = md;
	size_t want = 0;
	int tables = 0;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len && p[0] == '|') {
			size_t n = count_pipes(p, len);

			if (!want) {
				want = n;
				tables++;
			}
			if (n != want) {
				fprintf(stderr, "row with %zu cells, header %zu: %.*s\n", n, want,
					(int)len, p);
				return -1;
			}
		} else {
			want = 0;
		}
		p += len + (e != NULL);
	}
	return tables;
}

static char *render_md_string(const struct fixture *f, const struct render_opts *o)
{
	struct buf b = BUF_INIT;

	render_md(&b, &f->r, &f->t, &f->j, o);
	return buf_detach(&b);
}

static char *verdict_of(const struct fixture *f)
{
	struct buf b = BUF_INIT;

	render_verdict_line(&b, &f->r, &f->t, &f->j);
	return buf_detach(&b);
}

/* ---- tests ---- */

static void test_order(void **state)
{
	static const enum status st[] = { STATUS_PASS,	       STATUS_SKIPPED, STATUS_FAIL,
					  STATUS_INCONCLUSIVE, STATUS_ERROR,   STATUS_PASS,
					  STATUS_FAIL };
	static const size_t want[] = { 2, 6, 4, 3, 0, 5, 1 };
	struct fixture f;
	size_t *order, i;
	char *md;
	const char *prev;

	(void)state;
	fixture_small(&f, st, 7);
	order = render_order(&f.j);
	for (i = 0; i < 7; i++)
		assert_int_equal(order[i], want[i]);
	free(order);

	/* The table rows come in that order too. */
	md = render_md_string(&f, NULL);
	prev = strstr(md, "| Check |");
	assert_non_null(prev);
	for (i = 0; i < 7; i++) {
		char cell[16];
		const char *at;

		snprintf(cell, sizeof(cell), "| s%zu |", want[i]);
		at = strstr(md, cell);
		assert_non_null(at);
		assert_true(at > prev);
		prev = at;
	}
	free(md);
	fixture_release(&f);
}

static void test_verdict_lines(void **state)
{
	static const enum status pass[] = { STATUS_PASS, STATUS_SKIPPED, STATUS_PASS };
	static const enum status fail[] = { STATUS_PASS, STATUS_FAIL, STATUS_INCONCLUSIVE };
	static const enum status inc[] = { STATUS_INCONCLUSIVE, STATUS_PASS, STATUS_INCONCLUSIVE };
	struct fixture f;
	char *s;

	(void)state;
	fixture_small(&f, pass, 3);
	s = verdict_of(&f);
	assert_string_equal(s, "PASS: 2 checks passed (1 skipped)");
	free(s);
	fixture_release(&f);

	fixture_small(&f, fail, 3);
	s = verdict_of(&f);
	assert_string_equal(s, "FAIL: 1 of 3 checks failed: idle-cpu on s1 "
			       "(1 inconclusive, 1 passed)");
	free(s);
	fixture_release(&f);

	fixture_small(&f, inc, 3);
	f.j.verdict = STATUS_INCONCLUSIVE;
	f.r.complete = 0;
	f.r.stopped_by = xstrdup("SIGINT");
	s = verdict_of(&f);
	assert_string_equal(s, "INCONCLUSIVE: incomplete: stopped by SIGINT after 30 runs; 2 of 3 "
			       "checks inconclusive: idle-cpu on s0; idle-cpu on s2 (1 passed)");
	free(s);
	s = render_md_string(&f, NULL);
	assert_non_null(strstr(s, "\n**spin-gate: INCONCLUSIVE** - incomplete: stopped by SIGINT "
				  "after 30 runs; "));
	assert_non_null(strstr(s, "\n> **Incomplete:** the measurement was stopped by SIGINT"));
	free(s);
	fixture_release(&f);
}

static void test_verdict_lists_few(void **state)
{
	static const enum status st[] = { STATUS_FAIL, STATUS_FAIL, STATUS_FAIL, STATUS_FAIL,
					  STATUS_FAIL };
	struct fixture f;
	char *s;

	(void)state;
	fixture_small(&f, st, 5);
	s = verdict_of(&f);
	assert_string_equal(s, "FAIL: 5 of 5 checks failed: idle-cpu on s0; idle-cpu on s1; "
			       "idle-cpu on s2; and 2 more");
	free(s);
	fixture_release(&f);
}

static void test_md_error_and_empty(void **state)
{
	static const enum status st[] = { STATUS_ERROR, STATUS_PASS };
	struct sample killed = { 6,   0,   9.5, 1.0, 0.1, -1,  0,    NAN, NAN, NAN, PRESSURE_NONE,
				 NAN, NAN, NAN, NAN, NAN, NAN, { 0 } };
	struct sample late = { 7,   0,	 120, 1.0, 0.1, -1,  1,	   NAN, NAN, NAN, PRESSURE_NONE,
			       NAN, NAN, NAN, NAN, NAN, NAN, { 0 } };
	struct fixture f;
	char *s;

	(void)state;
	fixture_small(&f, st, 2);
	f.j.verdict = STATUS_ERROR;
	f.r.scen[0].error = xstrdup("head round 7 timed out after 120 s");
	add_sample(&f.r.scen[0], SIDE_HEAD, &killed);
	add_sample(&f.r.scen[0], SIDE_HEAD, &late);
	s = verdict_of(&f);
	assert_string_equal(s, "ERROR: 1 of 2 checks errored: idle-cpu on s0 (head round 7 timed "
			       "out after 120 s) (1 passed)");
	free(s);
	s = render_md_string(&f, NULL);
	assert_non_null(strstr(s, "\n**spin-gate: ERROR** - 1 of 2 checks errored: "));
	assert_non_null(strstr(s, "\n**Error:** head round 7 timed out after 120 s\n"));
	assert_non_null(strstr(s, "| head | 5 of 7 | 5.25 s |"));
	assert_non_null(strstr(s, "| 6 | head | 9.50 s | 1.00 s | 0.100 s | killed |\n"));
	assert_non_null(strstr(s, "| 7 | head | 120 s | 1.00 s | 0.100 s | timed out |\n"));
	free(s);

	/* No outcome at all: say so instead of an empty table. */
	f.j.n = 0;
	f.j.verdict = STATUS_PASS;
	s = verdict_of(&f);
	assert_string_equal(s, "PASS: no check applied");
	free(s);
	s = render_md_string(&f, NULL);
	assert_non_null(strstr(s, "\n\nNo check applies to the scenarios measured.\n\n"));
	assert_null(strstr(s, "| Check |"));
	free(s);
	f.j.n = 2;
	fixture_release(&f);
}

/* A check the verdict does not cover is named, with why. */
static void test_md_not_applicable(void **state)
{
	static const enum status st[] = { STATUS_PASS };
	struct fixture f;
	struct check *c;
	char *s;

	(void)state;
	fixture_small(&f, st, 1);
	c = add_check(&f.t, "saturation", METRIC_CPU_SHARE, RULE_RATIO_MIN, 0.9);
	c->role = ROLE_BUSY;
	c->optional = 1;
	add_check(&f.t, "mode-spin", METRIC_CPU, RULE_RATIO_MAX, 0.5);
	s = render_md_string(&f, NULL);
	assert_non_null(strstr(s, "\nNot applicable to the scenarios measured: `saturation` (no "
				  "scenario has role busy); `mode-spin` (its where matches "
				  "none).\n\n"));
	free(s);
	/* every check applied: no such line */
	f.t.nchecks = 1;
	s = render_md_string(&f, NULL);
	assert_null(strstr(s, "Not applicable"));
	free(s);
	f.t.nchecks = 3;
	fixture_release(&f);
}

/* Hostile text from outside must not break the marker, the table or a fence. */
static void test_md_hostile(void **state)
{
	static const enum status st[] = { STATUS_FAIL };
	const char *cmd = "sh -c 'echo ```` | x <script>alert(1)</script>\n-->\n# not a heading'";
	struct render_opts o = { .name = "a -->b" };
	struct fixture f;
	char *md, *nl;

	(void)state;
	fixture_small(&f, st, 1);
	free(f.r.scen[0].name);
	f.r.scen[0].name = xstrdup("in|put=`x`\n<b>");
	free(f.r.scen[0].command[SIDE_HEAD]);
	f.r.scen[0].command[SIDE_HEAD] = xstrdup(cmd);
	add_param(&f.r.scen[0], "input", "a|b\nc");
	free(f.t.checks[0].name);
	f.t.checks[0].name = xstrdup("cpu|*x*");
	f.j.v[0].note = xstrdup("upper | end\n[link](javascript:x)");
	f.r.scen[0].error = xstrdup("exit code 1 in head round 2: <oops> | -->");
	free(f.r.rev[SIDE_HEAD].spec);
	f.r.rev[SIDE_HEAD].spec = xstrdup("v1`--> |x");

	md = render_md_string(&f, &o);
	nl = strchr(md, '\n');
	assert_non_null(nl);
	assert_int_equal(nl - md, strlen("<!-- spin-gate:a_--_b -->"));
	assert_memory_equal(md, "<!-- spin-gate:a_--_b -->", (size_t)(nl - md));

	/* Table cells, escaped exactly. */
	assert_non_null(strstr(md, "\n| cpu\\|\\*x\\* | in\\|put=\\`x\\`<br>&lt;b&gt; | cpu | "));
	assert_non_null(strstr(md, " | **fail** | upper \\| end<br>\\[link\\](javascript:x) |\n"));
	assert_null(strstr(md, "<script>alert(1)</script>\n-->\n# not a heading'\n```\n"));
	/* The command, verbatim inside a fence longer than its backtick run. */
	assert_non_null(strstr(md, "\n`````\nsh -c 'echo ```` | x <script>alert(1)</script>\n-->\n"
				   "# not a heading'\n`````\n"));
	assert_non_null(strstr(md, "Parameters: input=a\\|b<br>c. "));
	assert_non_null(strstr(md, "**Error:** exit code 1 in head round 2: "
				   "&lt;oops&gt; \\| --&gt;"));
	assert_non_null(strstr(md, " vs head ``v1`--> |x`` (0.16.1)"));
	assert_non_null(strstr(md, "\n#### in\\|put=\\`x\\`<br>&lt;b&gt;\n"));
	/* No raw tag outside the fence, and every table is well formed. */
	assert_int_equal(check_tables(md), 1 + 2 * (int)f.r.nscen);
	assert_int_equal(strstr(md, "<script>") - md, strstr(md, "echo ````") - md + 14);
	free(md);
	fixture_release(&f);
}

static void test_md_structure_deterministic(void **state)
{
	static const enum status st[] = { STATUS_PASS, STATUS_FAIL };
	struct fixture f;
	char *a, *b;
	const char *table, *scen, *env;
	const char *head = "<!-- spin-gate:spin-gate -->\n"
			   "**spin-gate: FAIL** - 1 of 2 checks failed: idle-cpu on s1 (1 passed)\n"
			   "\n"
			   "base `v0.16.0` (0.16.0) vs head `v0.16.1` (0.16.1), suite bytewax, "
			   "2 scenarios\n"
			   "\n"
			   "Median seconds of the judged runs, base bar then head bar:\n\n"
			   "```mermaid\n%%{init: {\"themeVariables\": {\"xyChart\": "
			   "{\"plotColorPalette\": \"#0072B2, #E69F00\"}}}}%%\n"
			   "xychart-beta horizontal\n";

	(void)state;
	fixture_small(&f, st, 2);
	a = render_md_string(&f, NULL);
	b = render_md_string(&f, NULL);
	assert_string_equal(a, b);
	assert_memory_equal(a, head, strlen(head));
	table = strstr(a,
		       "| Check | Scenario | Metric | Base | Head | Head/Base | Status | Why |\n");
	/* What passed is under <details>, with its interval and limit. */
	assert_non_null(strstr(a,
			       "<details><summary>1 check passed</summary>\n\n| Check | Scenario "
			       "| Metric | Base | Head | Head/Base [CI] | Limit | Status | Note "
			       "|\n"));
	assert_true(strstr(a, "```mermaid") < table);
	scen = strstr(a, "\n<details><summary>Scenarios (2)</summary>\n\n");
	env = strstr(a, "\n<details><summary>Environment</summary>\n\n");
	assert_true(table && scen && env && table < scen && scen < env);
	/* Units in the row: seconds for cpu, "x" for the ratio; the interval
	 * and the limit are the note's (none here), not repeated. */
	assert_non_null(
		strstr(a, "| idle-cpu | s1 | cpu | 10.3 s | 0.730 s | 0.071x | **fail** |  |\n"));
	assert_non_null(strstr(a, "| idle-cpu | s0 | cpu | 10.3 s | 0.730 s | "
				  "0.071x [0.066, 0.077] | &lt;= 0.5x | pass |  |\n"));
	/* Medians per side (cpu_util as percent) and per-run samples. */
	assert_non_null(strstr(a, "| base | 5 | 5.30 s | 9.10 s | 1.20 s | 10.3 s | 97% |\n"));
	assert_non_null(strstr(a, "| warm-up | base | 6.89 s | 10.9 s | 1.32 s | 0 |\n"));
	assert_non_null(strstr(a, "| 1 | head | 5.25 s | 0.446 s | 0.276 s | 0 |\n"));
	assert_non_null(strstr(a, "- noise probe: CPU loop spread 1.2%, sleep spread 0.4%\n"));
	assert_null(strstr(a, "steal"));
	assert_null(strstr(a, "Full report"));
	assert_int_equal(check_tables(a), 2 + 2 * 2);
	free(a);
	free(b);
	fixture_release(&f);
}

static void test_md_unless_and_head_rule(void **state)
{
	static const enum status st[] = { STATUS_PASS };
	struct fixture f;
	struct check *c;
	struct outcome *oc;
	char *md;

	(void)state;
	fixture_small(&f, st, 1);
	c = &f.t.checks[0];
	c->has_unless = 1;
	c->unless.metric = METRIC_CPU_UTIL;
	c->unless.rule = RULE_HEAD_MAX;
	c->unless.value = 0.25;
	oc = &f.j.v[0];
	oc->used_unless = 1;
	oc->note = xstrdup("ratio above limit; unless passed");
	set_eval(&oc->main, STATUS_FAIL, 3.1, 1.9, 0.55, 0.62, 0.70);
	set_eval(&oc->unless, STATUS_PASS, 0.31, 0.19, 0.17, 0.19, 0.21);
	add_check(&f.t, "no-spin", METRIC_CPU_UTIL, RULE_HEAD_MAX, 0.5);
	oc = add_outcome(&f.j, 1, 0, STATUS_PASS, NULL);
	set_eval(&oc->main, STATUS_PASS, 0.97, 0.07, 0.066, 0.07, 0.075);

	md = render_md_string(&f, NULL);
	assert_non_null(strstr(md, "| 0.62x [0.55, 0.70] | &lt;= 0.5x | pass | "
				   "unless head cpu\\_util &lt;= 25%: "
				   "19% \\[17%, 21%\\], "
				   "pass |\n"));
	/* A head rule judges head's median: its interval sits in Head. */
	assert_non_null(strstr(md, "| no-spin | s0 | cpu_util | 97% | 7.0% [6.6%, 7.5%] | 0.072x | "
				   "&lt;= 50% | pass |"));
	free(md);
	fixture_release(&f);
}

static char *render_term_string(const struct fixture *f, int color)
{
	struct render_opts o = { .color = color };
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	render_term(fp, &f->r, &f->t, &f->j, &o);
	assert_int_equal(fclose(fp), 0);
	return text;
}

static void test_term(void **state)
{
	static const enum status st[] = { STATUS_PASS, STATUS_FAIL };
	struct fixture f;
	char *plain, *color, *line2;
	size_t col;

	(void)state;
	fixture_small(&f, st, 2);
	free(f.r.scen[0].name);
	f.r.scen[0].name = xstrdup("evil\033[2Jname");
	plain = render_term_string(&f, 0);
	color = render_term_string(&f, 1);
	assert_null(strchr(plain, '\033'));
	assert_non_null(strstr(plain, "evil?[2Jname"));
	assert_non_null(strstr(color, "\033[1;31mfail\033[0m"));
	assert_non_null(strstr(color, "\033[1;31mFAIL: 1 of 2 checks failed"));
	/* Header, fail row, pass row, verdict; columns line up. */
	assert_memory_equal(plain, "status  check     scenario      metric", 38);
	line2 = strchr(plain, '\n') + 1;
	assert_memory_equal(line2, "fail    idle-cpu  s1            cpu     10.3 s", 44);
	col = (size_t)(strstr(plain, "head/base [ci]") - plain);
	assert_memory_equal(line2 + col - 7, "0.071x [0.066, 0.077]", 21);
	assert_non_null(strstr(plain, "\npass    idle-cpu  evil?[2Jname  cpu "));
	assert_non_null(strstr(plain, "\nFAIL: 1 of 2 checks failed: idle-cpu on s1 (1 passed)\n"));
	free(plain);
	free(color);
	fixture_release(&f);
}

/* An inconclusive row says why under the table (its note); a pass does not. */
static void test_term_reasons(void **state)
{
	static const enum status st[] = { STATUS_PASS, STATUS_INCONCLUSIVE };
	struct fixture f;
	char *plain;

	(void)state;
	fixture_small(&f, st, 2);
	free(f.j.v[0].note);
	f.j.v[0].note = xstrdup("a passing note");
	free(f.j.v[1].note);
	f.j.v[1].note = xstrdup("2 round(s) ran head under more contention than base");
	plain = render_term_string(&f, 0);
	assert_non_null(strstr(plain, "\ninconclusive idle-cpu on s1: 2 round(s) ran head under "
				      "more contention than base\n"));
	assert_null(strstr(plain, "a passing note"));
	free(plain);
	fixture_release(&f);
}

/* The widest line of text, in UTF-8 characters. */
static size_t widest_line(const char *text)
{
	size_t w = 0, max = 0;

	for (; *text; text++) {
		if (*text == '\n') {
			w = 0;
			continue;
		}
		if (((unsigned char)*text & 0xc0) != 0x80 && ++w > max)
			max = w;
	}
	return max;
}

/* The status words that start lines, in order, as one string. */
static char *statuses_of(const char *text)
{
	static const char *const words[] = { "pass ", "fail ", "error ", "inconclusive ",
					     "skipped " };
	struct buf b = BUF_INIT;
	const char *line;
	size_t k;

	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		for (k = 0; k < sizeof(words) / sizeof(*words); k++)
			if (!strncmp(line, words[k], strlen(words[k])))
				buf_adds(&b, words[k]);
	return buf_detach(&b);
}

static char *render_term_width_string(const struct fixture *f, int width)
{
	struct render_opts o = { .width = width };
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	render_term(fp, &f->r, &f->t, &f->j, &o);
	assert_int_equal(fclose(fp), 0);
	return text;
}

/* Fitted to a width: no line wider, a long name cut with a marker, every
 * check's status kept in order; the figures whole. */
static void test_term_width(void **state)
{
	static const int widths[] = { 40, 60, 80, 100, 120, 140, 160, 200 };
	static const char long_name[] = "input=partitioned long_input=True heavy_map=False "
					"processes=2 extra_parameter_éééé=a-very-long-value-that-"
					"goes-on-and-on tail=END";
	struct fixture f;
	char *whole, *want, *text, *got;
	const char *at;
	size_t i;

	(void)state;
	fixture_bytewax(&f);
	free(f.r.scen[1].name);
	f.r.scen[1].name = xstrdup(long_name);
	whole = render_term_width_string(&f, 0);
	want = statuses_of(whole);
	assert_true(strlen(want) > 20);
	assert_true(widest_line(whole) > 200);
	assert_non_null(strstr(whole, long_name));
	for (i = 0; i < sizeof(widths) / sizeof(*widths); i++) {
		text = render_term_width_string(&f, widths[i]);
		if (widest_line(text) > (size_t)widths[i])
			fail_msg("width %d: a line of %zu:\n%s", widths[i], widest_line(text),
				 text);
		got = statuses_of(text);
		assert_string_equal(got, want);
		/* cut, with the marker, keeping both ends */
		assert_null(strstr(text, long_name));
		assert_non_null(strstr(text, "\u2026"));
		if (widths[i] <= 80)
			assert_true(strncmp(text, "status ", 7)); /* blocks, no header */
		if (widths[i] >= 160) {
			if (strncmp(text, "status ", 7))
				fail_msg("width %d: no table:\n%s", widths[i], text);
			assert_non_null(strstr(text, "tail=END  "));
		}
		/* every figure whole: each "[lo, hi]" interval on one line */
		for (at = strchr(whole, '['); at; at = strchr(at + 1, '[')) {
			char *iv = xstrndup(at, strcspn(at, "]\n") + 1);

			if (at[1] >= '0' && at[1] <= '9' && !strstr(text, iv))
				fail_msg("width %d: '%s' split:\n%s", widths[i], iv, text);
			free(iv);
		}
		free(got);
		free(text);
	}
	/* narrower than the least: taken as RENDER_TERM_MIN_WIDTH */
	text = render_term_width_string(&f, 10);
	assert_true(widest_line(text) <= RENDER_TERM_MIN_WIDTH);
	free(text);
	free(want);
	free(whole);
	fixture_release(&f);
}

/* $COLUMNS, else the terminal's width, else the fixed default. */
static void test_term_width_source(void **state)
{
	FILE *file = tmpfile(), *tty;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	struct winsize ws = { 0 };

	(void)state;
	assert_non_null(file);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	tty = fopen(ptsname(master), "w");
	assert_non_null(tty);
	ws.ws_col = 97;
	ws.ws_row = 30;
	assert_int_equal(ioctl(fileno(tty), TIOCSWINSZ, &ws), 0);
	unsetenv("COLUMNS");
	assert_int_equal(render_term_width(tty), 97);
	assert_int_equal(render_term_width(file), RENDER_TERM_DEFAULT_WIDTH);
	setenv("COLUMNS", "132", 1);
	assert_int_equal(render_term_width(tty), 132);
	assert_int_equal(render_term_width(file), 132);
	setenv("COLUMNS", "12", 1);
	assert_int_equal(render_term_width(file), RENDER_TERM_MIN_WIDTH);
	setenv("COLUMNS", "wide", 1);
	assert_int_equal(render_term_width(tty), 97);
	assert_int_equal(render_term_width(file), RENDER_TERM_DEFAULT_WIDTH);
	unsetenv("COLUMNS");
	fclose(tty);
	fclose(file);
	close(master);
}

/* The text of the first ```mermaid block, or NULL. Caller frees. */
static char *mermaid_block(const char *md, const char **after)
{
	const char *at = strstr(md, "```mermaid\n"), *end;

	if (!at)
		return NULL;
	at += strlen("```mermaid\n");
	end = strstr(at, "\n```\n");
	assert_non_null(end);
	if (after)
		*after = end + 5;
	return xstrndup(at, (size_t)(end - at) + 1);
}

/* The chart: base and head side by side, hostile names only in the list
 * after it, escaped; past 8 scenarios only the ones that need attention. */
static void test_md_chart(void **state)
{
	static const enum status st[] = { STATUS_PASS, STATUS_FAIL };
	static const enum status many[] = { STATUS_PASS, STATUS_PASS,	      STATUS_PASS,
					    STATUS_FAIL, STATUS_PASS,	      STATUS_PASS,
					    STATUS_PASS, STATUS_INCONCLUSIVE, STATUS_PASS,
					    STATUS_PASS };
	struct fixture f;
	const char *after, *p;
	char *md, *block;
	int blocks = 0;

	(void)state;
	fixture_small(&f, st, 2);
	free(f.r.scen[1].name);
	f.r.scen[1].name = xstrdup("x\"]\n```\n<script>alert(1)</script> | ]");
	md = render_md_string(&f, NULL);
	block = mermaid_block(md, &after);
	assert_non_null(block);
	/* base's bars in the report's blue, head's in its orange (render.h) */
	assert_string_equal(block,
			    "%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": "
			    "\"#0072B2, #E69F00\"}}}}%%\n"
			    "xychart-beta horizontal\n"
			    "    title \"CPU time (user + system), seconds\"\n"
			    "    x-axis [\"s1 base\", \"s1 head\", \"s2 base\", \"s2 head\"]\n"
			    "    y-axis \"seconds\"\n"
			    "    bar [10.290, 0.000, 10.290, 0.000]\n"
			    "    bar [0.000, 0.728, 0.000, 0.728]\n");
	free(block);
	block = mermaid_block(after, NULL);
	assert_non_null(strstr(block, "    title \"Wall time, seconds\"\n"));
	assert_non_null(strstr(block, "    bar [5.300, 0.000, 5.300, 0.000]\n"));
	free(block);
	assert_non_null(strstr(md, "\ns1: s0; s2: x\"\\]<br>\\`\\`\\`<br>&lt;script&gt;alert(1)"
				   "&lt;/script&gt; \\| \\]\n\n| Check |"));
	assert_null(strstr(md, "<script>"));
	for (p = md; (p = strstr(p, "```mermaid\n")); p++)
		blocks++;
	assert_int_equal(blocks, 2);
	/* The chart comes after the verdict and before the checks. */
	assert_true(strstr(md, "**spin-gate: FAIL**") < strstr(md, "```mermaid"));
	free(md);
	fixture_release(&f);

	/* 10 scenarios: only s3 (fail) and s7 (inconclusive) are drawn. */
	fixture_small(&f, many, 10);
	md = render_md_string(&f, NULL);
	assert_non_null(strstr(md, "for the 2 scenarios that failed or were inconclusive (of 10)"));
	assert_non_null(
		strstr(md, "    x-axis [\"s1 base\", \"s1 head\", \"s2 base\", \"s2 head\"]\n"));
	assert_non_null(strstr(md, "\ns1: s3; s2: s7\n"));
	free(md);
	/* ... and none when all of them passed. */
	f.j.v[3].status = f.j.v[7].status = STATUS_PASS;
	md = render_md_string(&f, NULL);
	assert_null(strstr(md, "mermaid"));
	free(md);
	fixture_release(&f);
}

/* A caveat that holds for every check is said once and left out of the
 * notes; one that holds for some stays in their notes. */
static void test_md_caveat_once(void **state)
{
	struct fixture f;
	char *md;

	(void)state;
	fixture_bytewax(&f);
	md = render_md_string(&f, NULL);
	assert_non_null(strstr(md,
			       "\nEvery interval below reaches only 90% confidence, not the 95% "
			       "asked: too few runs for more.\n"));
	assert_null(strstr(md, "from so few runs"));
	assert_non_null(strstr(md, "| **fail** | head/base \\[1.26, 1.36\\] &gt; 1.1x |\n"));
	free(md);

	f.j.v[0].main.ci.achieved = 0.95; /* one check reached what was asked */
	md = render_md_string(&f, NULL);
	assert_null(strstr(md, "Every interval"));
	assert_non_null(strstr(md, "| **fail** | head/base \\[1.26, 1.36\\] &gt; 1.1x (only 90% "
				   "confidence from so few runs) |\n"));
	free(md);
	fixture_release(&f);
}

/* GitHub refuses comments over 65536 characters: samples go first. */
static void test_md_size_limit(void **state)
{
	static const enum status st[] = { STATUS_FAIL };
	struct sample s = { 0,	 0,   1.5, 1.2, 0.1, 0,	  0,	NAN, NAN, NAN, PRESSURE_NONE,
			    NAN, NAN, NAN, NAN, NAN, NAN, { 0 } };
	struct fixture f;
	char *md;
	int k;

	(void)state;
	fixture_small(&f, st, 1);
	for (k = 0; k < 2000; k++) {
		s.round = 6 + k;
		add_sample(&f.r.scen[0], k % 2, &s);
	}
	md = render_md_string(&f, NULL);
	assert_true(strlen(md) < 65536);
	assert_non_null(strstr(md, "Per-run samples are left out"));
	assert_null(strstr(md, "| Round |"));
	assert_non_null(strstr(md, "| Median | Runs |"));
	assert_non_null(strstr(md, "```mermaid"));
	free(md);

	/* Still too long without them: the chart gives way, the verdict and
	 * the failing row stay. */
	free(f.r.scen[0].command[SIDE_HEAD]);
	f.r.scen[0].command[SIDE_HEAD] = xcalloc(62001, 1);
	memset(f.r.scen[0].command[SIDE_HEAD], 'x', 62000);
	md = render_md_string(&f, NULL);
	assert_null(strstr(md, "```mermaid"));
	assert_non_null(
		strstr(md, "\nThe chart is left out to fit GitHub's comment size limit.\n"));
	assert_non_null(strstr(md, "\n**spin-gate: FAIL** - "));
	assert_non_null(strstr(md, "| **fail** |"));
	free(md);
	fixture_release(&f);
}

static void test_golden_example(void **state)
{
	struct render_opts o = { .name = "spin-gate" };
	struct fixture f;
	struct buf want = BUF_INIT;
	char *md;
	FILE *fp;

	(void)state;
	fixture_bytewax(&f);
	md = render_md_string(&f, &o);
	assert_int_equal(check_tables(md), 2 + 2 * 8);
	if (getenv("SPIN_GATE_UPDATE_FIXTURES")) {
		fp = fopen(FIXTURE, "w");
		assert_non_null(fp);
		fputs(md, fp);
		assert_int_equal(fclose(fp), 0);
	}
	if (buf_read_file(&want, FIXTURE)) {
		free(md);
		fixture_release(&f);
		skip(); /* run from the top of the work tree to compare */
	}
	if (strcmp(want.s, md)) {
		size_t at = 0, line = 1;

		while (want.s[at] && want.s[at] == md[at])
			line += md[at++] == '\n';
		fail_msg("%s differs from the output at line %zu; if the change is meant, rerun "
			 "with SPIN_GATE_UPDATE_FIXTURES=1 and read the diff",
			 FIXTURE, line);
	}
	buf_release(&want);
	free(md);
	fixture_release(&f);
}

/* Colour only on a terminal, never with NO_COLOR or TERM=dumb. */
static void test_term_color(void **state)
{
	FILE *file = tmpfile(), *tty;
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	(void)state;
	assert_non_null(file);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	tty = fopen(ptsname(master), "w");
	assert_non_null(tty);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	assert_int_equal(render_term_color(tty), 1);
	assert_int_equal(render_term_color(file), 0);
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(render_term_color(tty), 0);
	setenv("NO_COLOR", "", 1); /* set but empty: colour (no-color.org) */
	assert_int_equal(render_term_color(tty), 1);
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	assert_int_equal(render_term_color(tty), 0);
	fclose(tty);
	fclose(file);
	close(master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_verdict_lines),
		cmocka_unit_test(test_verdict_lists_few),
		cmocka_unit_test(test_md_error_and_empty),
		cmocka_unit_test(test_md_hostile),
		cmocka_unit_test(test_md_structure_deterministic),
		cmocka_unit_test(test_md_unless_and_head_rule),
		cmocka_unit_test(test_term),
		cmocka_unit_test(test_term_reasons),
		cmocka_unit_test(test_term_color),
		cmocka_unit_test(test_term_width),
		cmocka_unit_test(test_term_width_source),
		cmocka_unit_test(test_md_not_applicable),
		cmocka_unit_test(test_md_size_limit),
		cmocka_unit_test(test_golden_example),
		cmocka_unit_test(test_md_chart),
		cmocka_unit_test(test_md_caveat_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
