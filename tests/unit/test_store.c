/*
 * store (store/store.h) as a plain directory: records added under names no
 * two writers share, loaded in order, a corrupt or foreign file skipped
 * with a warning naming it; a branch of a repository read back as it was
 * written, from another clone. (Pushing writers: tests/e2e/36-record.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib.h"

#include "proc.h"
#include "store.h"

#include <dirent.h>

/* A valid record for rev, recorded at `when`. */
static void make_record(struct record *r, const char *rev, const char *when)
{
	struct record_figure *f;

	record_init(r);
	r->rev = xstrdup(rev);
	r->commit = xstrdup("0123456789abcdef0123456789abcdef01234567");
	r->recorded = xstrdup(when);
	r->suite_name = xstrdup("s");
	r->runner.kind = xstrdup("2 x cpu");
	r->runner.cores = 2;
	r->runs = 3;
	r->max_runs = 5;
	r->scenarios = xcalloc(1, sizeof(*r->scenarios));
	r->nscenarios = 1;
	r->scenarios[0].name = xstrdup("kind=idle");
	r->scenarios[0].rounds = 3;
	r->scenarios[0].contention = NAN;
	f = record_scenario_add_figure(&r->scenarios[0], "cpu");
	f->median = 0.5;
	f->lo = 0.4;
	f->hi = 0.6;
	f->n = 3;
}

static size_t count_json(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".json") != NULL;
	closedir(d);
	return n;
}

static void test_name(void **state)
{
	struct record r;
	char *a, *b;

	(void)state;
	make_record(&r, "v1", "2026-12-07T01:02:03Z");
	a = store_record_name(&r);
	b = store_record_name(&r);
	assert_int_equal(strlen(a), strlen("20261207T010203Z-0123456789ab-") + 16 + 5);
	assert_int_equal(strncmp(a, "20261207T010203Z-0123456789ab-", 30), 0);
	assert_string_equal(a + strlen(a) - 5, ".json");
	assert_string_not_equal(a, b); /* two writers, two names */
	free(a);
	free(b);
	free(r.commit);
	r.commit = NULL;
	free(r.rev);
	r.rev = xstrdup("feature/x y");
	a = store_record_name(&r);
	assert_int_equal(strncmp(a, "20261207T010203Z-rev-feature_x_y-", 33), 0);
	free(a);
	record_release(&r);
}

static void test_dir_add_and_load(void **state)
{
	char *dir = tmpdir_make("store"), *hist = xstrfmt("%s/history", dir);
	char *src = xstrfmt("%s/record.json", dir), *p, *msgs, *want;
	struct store s;
	struct record r, *v;
	size_t n, i;

	(void)state;
	assert_int_equal(store_open_dir(&s, hist), 0);
	make_record(&r, "v2", "2026-12-07T02:00:00Z");
	assert_int_equal(record_write(&r, src), 0);
	assert_int_equal(store_add(&s, src), 0);
	record_release(&r);
	make_record(&r, "v1", "2026-12-07T01:00:00Z");
	assert_int_equal(record_write(&r, src), 0);
	assert_int_equal(store_add(&s, src), 0);
	record_release(&r);
	assert_int_equal(count_json(hist), 2);
	/* a corrupt file, a foreign one, and one that is not a record's name */
	p = xstrfmt("%s/30000101T000000Z-corrupt.json", hist);
	assert_int_equal(fs_write_text(p, "{\"schema\": "), 0);
	free(p);
	p = xstrfmt("%s/30000101T000001Z-foreign.json", hist);
	assert_int_equal(fs_write_text(p, "{\"schema\": \"spin-gate/results\", \"version\": 1}"),
			 0);
	free(p);
	p = xstrfmt("%s/README.md", hist);
	assert_int_equal(fs_write_text(p, "records"), 0);
	free(p);
	msgs_begin();
	assert_int_equal(store_load(&s, &v, &n), 0);
	msgs = msgs_end();
	want = xstrfmt(
		"spin-gate: warning: skipping '%s/30000101T000000Z-corrupt.json': cannot read "
		"'%s/30000101T000000Z-corrupt.json': line 1, column 12: unexpected end of JSON\n"
		"spin-gate: warning: skipping '%s/30000101T000001Z-foreign.json': "
		"'%s/30000101T000001Z-foreign.json': not a spin-gate record (schema "
		"'spin-gate/results')\n",
		hist, hist, hist, hist);
	assert_string_equal(msgs, want);
	free(msgs);
	free(want);
	/* in the order they were recorded, whatever order they were added in */
	assert_int_equal(n, 2);
	assert_string_equal(v[0].rev, "v1");
	assert_string_equal(v[1].rev, "v2");
	assert_non_null(strstr(v[0].path, "/history/20261207T010000Z-0123456789ab-"));
	for (i = 0; i < n; i++)
		record_release(&v[i]);
	free(v);
	store_release(&s);
	tmpdir_remove(dir);
	free(hist);
	free(src);
}

/* A file that is not a valid record is refused, and nothing is added. */
static void test_dir_add_refuses(void **state)
{
	char *dir = tmpdir_make("store"), *src = xstrfmt("%s/record.json", dir), *msgs;
	char *hist = xstrfmt("%s/h", dir);
	struct store s;
	struct record *v;
	size_t n;

	(void)state;
	assert_int_equal(store_open_dir(&s, hist), 0);
	assert_int_equal(fs_write_text(src, "{\"schema\": \"spin-gate/record\", \"version\": 9}"),
			 0);
	msgs_begin();
	assert_int_equal(store_add(&s, src), -1);
	msgs = msgs_end();
	assert_non_null(strstr(msgs, "record version 9 is not supported"));
	free(msgs);
	assert_int_equal(count_json(hist), 0);
	assert_int_equal(store_load(&s, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_null(v);
	store_release(&s);
	tmpdir_remove(dir);
	free(src);
	free(hist);
}

/* git ARGS... (at most 5) in dir, which must succeed. */
#define git(dir, ...) git_in(dir, (const char *[]){ __VA_ARGS__, NULL })
static void git_in(const char *dir, const char **args)
{
	const char *argv[16] = { "git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", dir };
	struct buf out = BUF_INIT;
	size_t n = 7, i;

	for (i = 0; args[i]; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(proc_capture(argv, NULL, 30, &out), 0);
	buf_release(&out);
}

/* The branch: empty before the first record; two added from one clone,
 * loaded from another (its own cache) in the order recorded; a file on the
 * branch that is not a record skipped with a warning naming it. */
static void test_branch_load(void **state)
{
	char *dir = tmpdir_make("store-branch"), *bare = xstrfmt("%s/remote.git", dir);
	char *a = xstrfmt("%s/a", dir), *b = xstrfmt("%s/b", dir), *src = xstrfmt("%s/r.json", dir);
	char *cache_a = xstrfmt("%s/cache-a", dir), *cache_b = xstrfmt("%s/cache-b", dir);
	char *junk, *msgs;
	struct store s;
	struct record r, *v;
	size_t n, i;

	(void)state;
	git(dir, "init", "-q", "--bare", bare);
	git(dir, "init", "-q", a);
	git(a, "commit", "-q", "--allow-empty", "-m", "x");
	git(a, "remote", "add", "origin", bare);
	git(dir, "clone", "-q", bare, b);
	git(b, "commit", "-q", "--allow-empty", "-m", "y");
	assert_int_equal(store_open_branch(&s, a, NULL, NULL, cache_a), 0);
	assert_int_equal(store_load(&s, &v, &n), 0);
	assert_int_equal(n, 0);
	make_record(&r, "v2", "2026-12-07T02:00:00Z");
	assert_int_equal(record_write(&r, src), 0);
	record_release(&r);
	assert_int_equal(store_add(&s, src), 0);
	make_record(&r, "v1", "2026-12-07T01:00:00Z");
	assert_int_equal(record_write(&r, src), 0);
	record_release(&r);
	assert_int_equal(store_add(&s, src), 0);
	assert_int_equal(s.pushes, 1);
	store_release(&s);
	/* someone pushes a file that is not a record */
	git(dir, "clone", "-q", "--branch", STORE_DEFAULT_BRANCH, bare);
	junk = xstrfmt("%s/remote/records/20200101T000000Z-junk.json", dir);
	assert_int_equal(fs_write_text(junk, "[]"), 0);
	free(junk);
	junk = xstrfmt("%s/remote", dir);
	git(junk, "add", "records");
	git(junk, "commit", "-q", "-m", "junk");
	git(junk, "push", "-q", "origin", "HEAD");
	assert_int_equal(store_open_branch(&s, b, "origin", STORE_DEFAULT_BRANCH, cache_b), 0);
	msgs_begin();
	assert_int_equal(store_load(&s, &v, &n), 0);
	msgs = msgs_end();
	assert_non_null(strstr(msgs, "spin-gate: warning: skipping '"));
	assert_non_null(strstr(msgs, "/records/20200101T000000Z-junk.json': expected an object\n"));
	assert_int_equal(n, 2);
	assert_string_equal(v[0].rev, "v1");
	assert_string_equal(v[1].rev, "v2");
	for (i = 0; i < n; i++)
		record_release(&v[i]);
	free(v);
	store_release(&s);
	free(msgs);
	free(junk);
	free(bare);
	free(a);
	free(b);
	free(src);
	free(cache_a);
	free(cache_b);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_dir_add_and_load),
		cmocka_unit_test(test_dir_add_refuses),
		cmocka_unit_test(test_branch_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
