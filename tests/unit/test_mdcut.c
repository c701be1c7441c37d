/*
 * mdcut: a verdict cut to GitHub's comment limit keeps the marker, the
 * verdict line, the table headers and the failing rows, uses the room it
 * has, closes <details> and fences, never splits a UTF-8 character, and
 * holds even for tiny limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "github_limits.h"
#include "mdcut.h"

static int valid_utf8(const char *s, size_t n)
{
	size_t i = 0, k, need;
	unsigned char c;

	while (i < n) {
		c = (unsigned char)s[i];
		need = c < 0x80		    ? 0
		       : (c & 0xE0) == 0xC0 ? 1
		       : (c & 0xF0) == 0xE0 ? 2
		       : (c & 0xF8) == 0xF0 ? 3
					    : 9;
		if (need == 9 || i + need >= n + (need ? 0 : 1))
			return need == 0;
		for (k = 1; k <= need; k++)
			if (((unsigned char)s[i + k] & 0xC0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

/* A verdict like render_md's: marker, verdict line, a table with passing rows first
 * and the failing one last, then long details. */
static char *big_verdict(size_t rows, size_t detail_lines)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "<!-- spin-gate:spin-gate -->\n\n## FAIL: 1 of 3 checks failed (wall on "
		     "input=α)\n\n");
	buf_adds(&b, "| check | scenario | ratio | status |\n|---|---|---|---|\n");
	for (i = 0; i < rows; i++)
		buf_addf(&b, "| wall | input=é%zu | 1.00x | pass ✅ |\n", i);
	buf_adds(&b, "| wall | input=α | 1.31x | **FAIL** ❌ "
		     "|\n\n<details><summary>details</summary>\n\n```\n");
	for (i = 0; i < detail_lines; i++)
		buf_addf(&b, "run %zu: 5.21 s — ünïcödé 🐍🐍🐍\n", i);
	buf_adds(&b, "```\n</details>\n");
	return buf_detach(&b);
}

static void test_truncate_fits(void **state)
{
	char *s = mdcut_truncate("<!-- a -->\nPASS\n", 100, NULL);

	(void)state;
	assert_string_equal(s, "<!-- a -->\nPASS\n");
	free(s);
}

static void test_truncate_keeps_essentials(void **state)
{
	char *v = big_verdict(3000, 4000), *s;
	size_t n;

	(void)state;
	assert_true(strlen(v) > GITHUB_COMMENT_MAX);
	s = mdcut_truncate(v, GITHUB_COMMENT_MAX, "https://github.com/o/r/actions/runs/42");
	n = strlen(s);
	assert_true(n <= GITHUB_COMMENT_MAX);
	assert_true(n > GITHUB_COMMENT_MAX - 1000); /* uses the room */
	assert_true(valid_utf8(s, n));
	assert_true(!strncmp(s, "<!-- spin-gate:spin-gate -->\n", 29));
	assert_non_null(strstr(s, "## FAIL: 1 of 3 checks failed (wall on input=α)\n"));
	assert_non_null(strstr(s, "| check | scenario | ratio | status |\n|---|---|---|---|\n"));
	assert_non_null(strstr(s, "| wall | input=α | 1.31x | **FAIL** ❌ |\n"));
	assert_non_null(strstr(
		s, "[job summary of the workflow run](https://github.com/o/r/actions/runs/42)"));
	/* some passing rows made it, in order, and the details did not */
	assert_non_null(strstr(s, "| wall | input=é0 | 1.00x | pass ✅ |\n| wall | input=é1 |"));
	assert_null(strstr(s, "<details>"));
	free(s);
	free(v);
}

static void test_truncate_closes_blocks(void **state)
{
	char *v = big_verdict(2, 4000), *s;
	const char *p;
	int fences = 0;

	(void)state;
	s = mdcut_truncate(v, GITHUB_COMMENT_MAX, NULL);
	assert_true(strlen(s) <= GITHUB_COMMENT_MAX);
	assert_non_null(strstr(s, "<details>"));
	assert_non_null(strstr(s, "```\n</details>\n"));
	for (p = s; (p = strstr(p, "```")); p += 3)
		fences++;
	assert_int_equal(fences % 2, 0);
	assert_non_null(strstr(s, "The full report is in the job summary"));
	free(s);
	free(v);
}

/* A fence is closed by the fence that opened it, whatever it holds. */
static void test_truncate_closes_fence_in_kind(void **state)
{
	static const char *const openers[] = { "~~~", "````", "~~~~~ text" };
	static const char *const closers[] = { "~~~\n", "````\n", "~~~~~\n" };
	struct buf b = BUF_INIT;
	size_t k, i;
	char *s, *note;

	(void)state;
	for (k = 0; k < 3; k++) {
		buf_reset(&b);
		buf_addf(&b, "<!-- spin-gate:x -->\n## FAIL\n\n%s\n", openers[k]);
		/* a shorter or other fence inside does not close it */
		buf_adds(&b, "```\n~~\n");
		for (i = 0; i < 5000; i++)
			buf_addf(&b, "run %zu: 5.21 s\n", i);
		s = mdcut_truncate(b.s, 4000, NULL);
		note = strstr(s, "\n\n---\n:warning: This report was cut");
		assert_non_null(note);
		*note = '\0';
		if (strlen(s) < strlen(closers[k]) ||
		    strcmp(s + strlen(s) - strlen(closers[k]), closers[k]))
			fail_msg("opened with '%s', ends with '%s'", openers[k],
				 s + strlen(s) - 12);
		free(s);
	}
	buf_release(&b);
}

static void test_truncate_utf8_boundary(void **state)
{
	struct buf b = BUF_INIT;
	size_t max, n, i;
	char *s;

	(void)state;
	/* one endless line of 2-, 3- and 4-byte characters: no line boundary to use */
	for (i = 0; i < 30000; i++)
		buf_adds(&b, "é€🐍");
	for (max = 1000; max < 1010; max++) {
		s = mdcut_truncate(b.s, max, NULL);
		n = strlen(s);
		assert_true(n <= max);
		assert_true(valid_utf8(s, n));
		free(s);
	}
	/* tiny limits still hold */
	for (max = 0; max < 40; max++) {
		s = mdcut_truncate(b.s, max, "https://x");
		assert_true(strlen(s) <= max);
		assert_true(valid_utf8(s, strlen(s)));
		free(s);
	}
	assert_int_equal(mdcut_utf8("aé", 3, 2), 1);
	assert_int_equal(mdcut_utf8("aé", 3, 3), 3);
	assert_int_equal(mdcut_utf8("a🐍", 5, 4), 1);
	assert_int_equal(mdcut_utf8("\x80\x80\x80\x80\x80", 5, 4), 4);
	buf_release(&b);
}

static void test_truncate_note(void **state)
{
	const char *v = "<!-- m -->\nFAIL: x\n\nline one\nline two\nline three\n";
	char *s;

	(void)state;
	s = mdcut_truncate(v, 300, "https://x/runs/1");
	/* fits: unchanged */
	assert_string_equal(s, v);
	free(s);
	s = mdcut_truncate(v, 260, NULL);
	assert_string_equal(s, v);
	free(s);
}

static void test_truncate_exact(void **state)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t i;

	(void)state;
	buf_adds(&b, "<!-- m -->\nFAIL: 1 of 9\n\n| a | b |\n|---|---|\n");
	for (i = 0; i < 8; i++)
		buf_addf(&b, "| pass %zu | ok |\n", i);
	buf_adds(&b, "| fail 9 | no |\n");
	for (i = 0; i < 40; i++)
		buf_addf(&b, "detail line %zu\n", i);
	s = mdcut_truncate(b.s, 420, NULL);
	assert_string_equal(
		s, "<!-- m -->\nFAIL: 1 of 9\n\n| a | b |\n|---|---|\n| pass 0 | ok |\n"
		   "| pass 1 | ok |\n| fail 9 | no |\n\n\n---\n:warning: This report was cut to "
		   "fit GitHub's "
		   "limit of 65536 characters. The full report is in the job summary of the "
		   "workflow run.\n");
	assert_true(strlen(s) <= 420);
	free(s);
	buf_release(&b);
}

/* A mermaid chart is kept whole or left out, never cut inside; the
 * failing row stays either way. */
static void test_truncate_mermaid_whole(void **state)
{
	struct buf b = BUF_INIT;
	char *s;
	int k;

	(void)state;
	buf_adds(&b, "<!-- spin-gate:spin-gate -->\n**spin-gate: FAIL** - 1 of 1 checks failed\n\n"
		     "```mermaid\nxychart-beta\n");
	for (k = 0; k < 400; k++)
		buf_addf(&b, "    bar [%d.000, 0.000]\n", k);
	buf_adds(&b, "```\n\n| check | status |\n| --- | --- |\n| cpu | **fail** |\n\n");
	while (b.len < 40000)
		buf_adds(&b, "filler line that a cut may leave out\n");
	/* room for about half the chart: none of it */
	s = mdcut_truncate(b.s, 6000, NULL);
	assert_null(strstr(s, "mermaid"));
	assert_null(strstr(s, "bar ["));
	assert_non_null(strstr(s, "| cpu | **fail** |\n"));
	assert_non_null(strstr(s, "**spin-gate: FAIL**"));
	free(s);
	/* room for all of it: all of it */
	s = mdcut_truncate(b.s, 20000, NULL);
	assert_non_null(strstr(s, "    bar [399.000, 0.000]\n```\n"));
	assert_non_null(strstr(s, "| cpu | **fail** |\n"));
	free(s);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncate_fits),
		cmocka_unit_test(test_truncate_keeps_essentials),
		cmocka_unit_test(test_truncate_closes_blocks),
		cmocka_unit_test(test_truncate_closes_fence_in_kind),
		cmocka_unit_test(test_truncate_utf8_boundary),
		cmocka_unit_test(test_truncate_note),
		cmocka_unit_test(test_truncate_exact),
		cmocka_unit_test(test_truncate_mermaid_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
