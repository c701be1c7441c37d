/* Unit tests of src/lib/buf.c: the growable string and the checked allocation
 * helpers, as buf.h documents them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "testlib.h"

/* A buffer never used may be released; detach gives an empty string the
 * caller frees; after any call s is a NUL-terminated string. */
static void test_empty(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	/* a string from the start: no caller writes `b.s ? b.s : ""` */
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.cap, 0);
	buf_release(&b);
	/* and after release */
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	buf_reset(&b);
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	buf_init(&b);
	assert_string_equal(b.s, "");
	buf_release(&b);
}

static void test_add(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, "runs");
	buf_addch(&b, ' ');
	buf_add(&b, "12345", 2);
	buf_addf(&b, " %d%s", 7, "!");
	assert_string_equal(b.s, "runs 12 7!");
	assert_int_equal(b.len, 10);
	assert_int_equal(b.s[b.len], '\0');
	assert_true(b.cap > b.len);
	/* bytes, not a C string: an inner NUL is kept and counted */
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 13);
	assert_memory_equal(b.s + 10, "a\0b", 4);
	/* an empty buffer's contents (NULL, 0) add nothing (UBSan: no memcpy from NULL) */
	{
		struct buf empty = BUF_INIT;

		buf_add(&b, empty.s, empty.len);
		assert_int_equal(b.len, 13);
	}
	buf_release(&b);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

/* Formatted text longer than any first guess, and growth by many small adds. */
static void test_grow(void **state)
{
	struct buf b = BUF_INIT;
	char *big = xmalloc(10001);
	size_t i;

	(void)state;
	memset(big, 'x', 10000);
	big[10000] = '\0';
	buf_addf(&b, "<%s>", big);
	assert_int_equal(b.len, 10002);
	assert_int_equal(b.s[0], '<');
	assert_int_equal(b.s[10001], '>');
	assert_int_equal(b.s[10002], '\0');
	buf_reset(&b);
	assert_string_equal(b.s, "");
	for (i = 0; i < 5000; i++)
		buf_addch(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 5000);
	assert_int_equal(strlen(b.s), 5000);
	assert_int_equal(b.s[4999], 'a' + 4999 % 26);
	buf_release(&b);
	free(big);
}

/* detach hands the string over and leaves an empty buffer behind. */
static void test_detach(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	buf_adds(&b, "verdict");
	s = buf_detach(&b);
	assert_string_equal(s, "verdict");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
	buf_adds(&b, "again");
	assert_string_equal(b.s, "again");
	assert_string_equal(s, "verdict");
	free(s);
	buf_release(&b);
}

/* Read a whole file, appended; on error -1 with errno set and the buffer's
 * contents unchanged. */
static void test_read_file(void **state)
{
	char *dir = tmpdir_make("buf");
	char *path = xstrfmt("%s/f.txt", dir), *missing = xstrfmt("%s/missing", dir);
	struct buf b = BUF_INIT;
	FILE *f = fopen(path, "w");
	size_t i;

	(void)state;
	assert_non_null(f);
	for (i = 0; i < 3000; i++) /* bigger than one read */
		fputs("0123456789", f);
	fclose(f);
	buf_adds(&b, "head:");
	assert_int_equal(buf_read_file(&b, path), 0);
	assert_int_equal(b.len, 5 + 30000);
	assert_int_equal(strncmp(b.s, "head:0123456789", 15), 0);
	assert_int_equal(b.s[b.len], '\0');

	buf_reset(&b);
	buf_adds(&b, "kept");
	errno = 0;
	assert_int_equal(buf_read_file(&b, missing), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(b.s, "kept");
	assert_int_equal(b.len, 4);
	/* a directory opens but cannot be read */
	errno = 0;
	assert_int_equal(buf_read_file(&b, dir), -1);
	assert_int_equal(errno, EISDIR);
	assert_string_equal(b.s, "kept");
	assert_int_equal(b.len, 4);

	buf_release(&b);
	free(path);
	free(missing);
	tmpdir_remove(dir);
}

static void test_x_helpers(void **state)
{
	char *s;
	int *v = NULL;
	size_t n = 0, alloc = 0, i;

	(void)state;
	s = xstrdup("spin");
	assert_string_equal(s, "spin");
	free(s);
	s = xstrndup("spin-gate", 4);
	assert_string_equal(s, "spin");
	free(s);
	s = xstrndup("ab", 10); /* n past the end: stops at the NUL */
	assert_string_equal(s, "ab");
	free(s);
	s = xstrfmt("%s=%d", "runs", 5);
	assert_string_equal(s, "runs=5");
	free(s);
	/* zero-sized requests still give a pointer to free */
	free(xmalloc(0));
	free(xcalloc(0, 8));
	s = xcalloc(4, 1);
	assert_memory_equal(s, "\0\0\0\0", 4);
	free(s);
	for (i = 0; i < 100; i++) {
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = (int)i;
	}
	assert_true(alloc >= 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(v[i], (int)i);
	free(v);
}

static void test_add_utf8(void **state)
{
	/* valid: ASCII, 2-, 3- and 4-byte characters, kept as they are */
	static const char ok[] = "a é € 🐍 \xF4\x8F\xBF\xBF";
	/* invalid: Latin-1 é, a stray continuation, an overlong '/', a
	 * surrogate, past U+10FFFF, a sequence cut short at the end */
	static const char bad[] = "caf\xE9 \x80 \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80 \xE2\x82";
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_add_utf8(&b, ok, strlen(ok)), 0);
	assert_string_equal(b.s, ok);
	buf_reset(&b);
	assert_int_equal(buf_add_utf8(&b, bad, strlen(bad)), 13);
	assert_string_equal(b.s, "caf\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
				 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
				 "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
				 "\xEF\xBF\xBD\xEF\xBF\xBD");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),	  cmocka_unit_test(test_add),
		cmocka_unit_test(test_grow),	  cmocka_unit_test(test_detach),
		cmocka_unit_test(test_read_file), cmocka_unit_test(test_x_helpers),
		cmocka_unit_test(test_add_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
