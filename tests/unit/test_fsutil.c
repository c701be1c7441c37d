/* Unit tests of src/lib/fsutil.c: fs_is_root() and the log cap fs_cap_file(),
 * as fsutil.h documents them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "testlib.h"

static void test_is_root(void **state)
{
	char *dir = tmpdir_make("fsutil"), *cwd = getcwd(NULL, 0), *p;

	(void)state;
	assert_int_equal(fs_is_root(""), 1);
	assert_int_equal(fs_is_root("/"), 1);
	assert_int_equal(fs_is_root("//"), 1);
	assert_int_equal(fs_is_root("/tmp/.."), 1);
	assert_int_equal(fs_is_root("/no-such-dir/../."), 1); /* would be, once created */
	assert_int_equal(fs_is_root("/tmp"), 0);
	assert_int_equal(fs_is_root("out"), 0);
	assert_int_equal(fs_is_root("/no-such-dir"), 0);
	p = xstrfmt("%s/a/..", dir);
	assert_int_equal(fs_is_root(p), 0);
	free(p);
	/* relative paths from where the gate runs */
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(fs_is_root("x/../.."), 0);
	assert_int_equal(chdir("/"), 0);
	assert_int_equal(fs_is_root("."), 1);
	assert_int_equal(fs_is_root("new/.."), 1);
	assert_int_equal(fs_is_root("new"), 0);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	tmpdir_remove(dir);
}

static void append(const char *path, char c, size_t n)
{
	FILE *f = fopen(path, "a");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < n; i++)
		fputc(c, f);
	assert_int_equal(fclose(f), 0);
}

/* fs_absolute: against the current directory, "." and ".." folded. */
static void test_absolute(void **state)
{
	char *cwd = getcwd(NULL, 0), *got, *want;

	(void)state;
	assert_non_null(cwd);
	got = fs_absolute("/a/./b/../c");
	assert_string_equal(got, "/a/c");
	free(got);
	got = fs_absolute("cache/x/..");
	want = xstrfmt("%s/cache", strcmp(cwd, "/") ? cwd : "");
	assert_string_equal(got, want);
	free(got);
	free(want);
	free(cwd);
}

static void test_cap(void **state)
{
	char *dir = tmpdir_make("fsutil"), *path = xstrfmt("%s/log", dir), *s;
	struct fs_cap c = { 0 };
	const char *mark;
	size_t len;

	(void)state;
	/* missing or short: left alone */
	assert_int_equal(fs_cap_file(path, 10, 20, &c), 0);
	append(path, 'a', 30);
	assert_int_equal(fs_cap_file(path, 10, 20, &c), 0);
	s = slurp(path);
	assert_int_equal(strlen(s), 30);
	free(s);

	/* 30 a, 50 b, 20 c: the first 10, a marker, the last 20 */
	append(path, 'b', 50);
	append(path, 'c', 20);
	assert_int_equal(fs_cap_file(path, 10, 20, &c), 0);
	s = slurp(path);
	mark = "\n[spin-gate: 70 bytes of output dropped here; a scenario log keeps its first 10 "
	       "bytes and its last 20 bytes]\n";
	len = strlen(mark);
	assert_int_equal(strlen(s), 10 + len + 20);
	assert_memory_equal(s, "aaaaaaaaaa", 10);
	assert_memory_equal(s + 10, mark, len);
	assert_memory_equal(s + 10 + len, "cccccccccccccccccccc", 20);
	assert_int_equal(c.dropped, 70);
	assert_int_equal(c.mark_len, len);
	free(s);
	/* capping again without appends changes nothing */
	assert_int_equal(fs_cap_file(path, 10, 20, &c), 0);
	assert_int_equal(c.dropped, 70);

	/* 25 more d: the old tail and 5 d dropped beside the old marker */
	append(path, 'd', 25);
	assert_int_equal(fs_cap_file(path, 10, 20, &c), 0);
	assert_int_equal(c.dropped, 70 + 25);
	s = slurp(path);
	assert_non_null(strstr(s, "[spin-gate: 95 bytes of output dropped here"));
	assert_memory_equal(s, "aaaaaaaaaa", 10);
	assert_string_equal(s + strlen(s) - 20, "dddddddddddddddddddd");
	assert_null(strstr(strstr(s, "]\n") + 2, "spin-gate")); /* one marker */
	free(s);
	free(path);

	/* KiB and MiB are named as such */
	path = xstrfmt("%s/big", dir);
	append(path, 'x', 2 * 1048576 + 65536 + 1000);
	memset(&c, 0, sizeof(c));
	assert_int_equal(fs_cap_file(path, 65536, 1048576, &c), 0);
	s = slurp(path);
	assert_non_null(strstr(s, "[spin-gate: 1049576 bytes of output dropped here; a scenario "
				  "log keeps its first 64 KiB and its last 1 MiB]\n"));
	free(s);
	free(path);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_root),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
