/* Unit tests of src/measure/revision.c against a git repository this test creates
 * (git through the proc module, never a shell string): version and git
 * revisions resolved, environments prepared once and cached, worktrees,
 * the probe, and the refusals. The setup "program" is sh with a fixed
 * script; the revision reaches it only as an argv entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "revision.h"
#include "testlib.h"

/* setup.version: write what it got into $env/got, count its runs in
 * $env.runs, exit $FAIL ($$ is a literal $ in templates) */
static char *setup_version[] = { (char *)"sh",
				 (char *)"-c",
				 (char *)"mkdir -p \"$$1\" && echo \"$$2\" >\"$$1/got\" && "
					 "echo x >>\"$$1.runs\" && exit $${FAIL:-0}",
				 (char *)"setup",
				 (char *)"${env}",
				 (char *)"${version}",
				 NULL };
static char *setup_git[] = { (char *)"sh",
			     (char *)"-c",
			     (char *)"mkdir -p \"$$1\" && cat \"$$2/file\" >\"$$1/got\" && "
				     "echo \"$$3\" >>\"$$1/got\"",
			     (char *)"setup",
			     (char *)"${env}",
			     (char *)"${worktree}",
			     (char *)"${commit}",
			     NULL };
static char *probe[] = { (char *)"cat", (char *)"${env}/got", NULL };

static char *dir, *repo, *cache, *log_path;
static struct suite s;
static struct revision_opts o;

static void git(const char *a1, const char *a2, const char *a3, const char *a4)
{
	const char *argv[] = { "git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@t",
			       a1,    a2,   a3,	  a4,	NULL };
	struct buf out = BUF_INIT;

	assert_int_equal(proc_capture(argv, NULL, 30, &out), 0);
	buf_release(&out);
}

static char *rev_parse(const char *rev)
{
	const char *argv[] = { "git", "-C", repo, "rev-parse", rev, NULL };
	struct buf out = BUF_INIT;

	assert_int_equal(proc_capture(argv, NULL, 30, &out), 0);
	return buf_detach(&out);
}

static void commit_file(const char *text)
{
	char *p = xstrfmt("%s/file", repo);

	assert_int_equal(fs_write_text(p, text), 0);
	free(p);
	git("add", "file", NULL, NULL);
	git("commit", "-q", "-m", text);
}

static int group_setup(void **state)
{
	const char *init[] = { "git", "init", "-q", NULL, NULL };
	struct buf out = BUF_INIT;

	(void)state;
	dir = tmpdir_make("revision");
	repo = xstrfmt("%s/repo", dir);
	init[3] = repo;
	assert_int_equal(proc_capture(init, NULL, 30, &out), 0);
	buf_release(&out);
	commit_file("one");
	commit_file("two");
	git("tag", "v-two", NULL, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(repo);
	tmpdir_remove(dir);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&s, 0, sizeof(s));
	s.dir = dir;
	s.path = (char *)"suite.json";
	s.name = (char *)"fake";
	s.setup_version = setup_version;
	s.setup_git = setup_git;
	s.setup_timeout = 30;
	s.probe = probe;
	cache = tmpdir_make("revision-cache");
	log_path = xstrfmt("%s/setup.log", cache);
	memset(&o, 0, sizeof(o));
	o.cache = cache;
	o.log_path = log_path;
	o.ncpu = "2";
	unsetenv("FAIL");
	msgs_begin();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(msgs_end());
	free(log_path);
	tmpdir_remove(cache);
	unsetenv("FAIL");
	return 0;
}

/* Release versions as each registry writes them, and what none of them is. */
static void test_is_version(void **state)
{
	const char *yes[] = { /* PEP 440 (PyPI) */
			      "v0.16.0", "0.16.1", "1.0rc1", "2.0.0.post1", "0.17.0.dev3", "1.2",
			      /* semver (crates.io, npm): pre-releases and build metadata */
			      "1.0.0-alpha.124", "v1.0.0-alpha.124", "1.0.0-rc.1", "1.0.0-0.3.7",
			      "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
			      /* Go module versions and a pseudo-version */
			      "v1.17.0", "v0.0.0-20210220032951-036812b2e83c",
			      "v2.3.4-pre.0.20200101000000-abcdef123456",
			      /* Maven qualifiers */
			      "4.2.10.Final", "5.3.0.RELEASE", "2.0.0.M1", "31.1-jre", "2.0-beta-1",
			      "1.2-beta"
	};
	const char *no[] = { "main",
			     "HEAD~1",
			     "1",
			     "v1.",
			     "v0.16.0\n",
			     "",
			     "1.x",
			     "4.x",
			     "release-1.2",
			     "v1.2.3-",
			     "1.2.3+",
			     "1..2",
			     "1.2.3-al pha",
			     "-1.2.3",
			     "feature/1.2.3",
			     "1.2.3/x",
			     "1.2.3-a..b",
			     "vv1.2.3",
			     "1.2.Final/../x",
			     "1.2.3-$(id)" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!revision_is_version(yes[i]))
			fail_msg("'%s' not taken for a version", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (revision_is_version(no[i]))
			fail_msg("'%s' taken for a version", no[i]);
}

static void test_default_cache(void **state)
{
	char *c;

	(void)state;
	setenv("SPIN_GATE_CACHE", "/c1", 1);
	setenv("XDG_CACHE_HOME", "/x", 1);
	setenv("HOME", "/h", 1);
	c = revision_default_cache();
	assert_string_equal(c, "/c1");
	free(c);
	setenv("SPIN_GATE_CACHE", "", 1);
	c = revision_default_cache();
	assert_string_equal(c, "/x/spin-gate");
	free(c);
	unsetenv("XDG_CACHE_HOME");
	c = revision_default_cache();
	assert_string_equal(c, "/h/.cache/spin-gate");
	free(c);
	unsetenv("SPIN_GATE_CACHE");
}

/* What run and compare do for one revision: resolve, then prepare. */
static int prepare(struct revision *rv, const char *spec, const struct suite *su,
		   const struct revision_opts *op)
{
	if (revision_resolve(rv, spec, su, op) < 0)
		return -1;
	return revision_prepare(rv, su, op);
}

/* A release: "v" stripped, set up once into its own environment, cached
 * the second time; the probe's output is the runtime. */
static void test_version(void **state)
{
	struct revision rv;
	struct revision_info ri;
	char *env, *runs, *text, *digest;

	(void)state;
	assert_int_equal(prepare(&rv, "v0.16.0", &s, &o), 0);
	assert_string_equal(rv.kind, "version");
	assert_string_equal(rv.resolved, "0.16.0");
	/* keyed by the version and by a digest of what sets it up */
	digest = suite_setup_digest(&s, s.setup_version);
	env = xstrfmt("%s/envs/fake/version-0.16.0-%s", cache, digest);
	free(digest);
	assert_string_equal(rv.env_dir, env);
	assert_null(rv.worktree);
	assert_int_equal(rv.cached, 0);
	assert_string_equal(rv.runtime, "0.16.0");
	assert_non_null(strstr(msgs_so_far(), "revision 'v0.16.0': preparing version 0.16.0"));
	revision_to_info(&rv, &ri);
	assert_string_equal(ri.spec, "v0.16.0");
	assert_string_equal(ri.kind, "version");
	assert_string_equal(ri.env, env);
	assert_string_equal(ri.runtime, "0.16.0");
	free(ri.spec);
	free(ri.kind);
	free(ri.resolved);
	free(ri.env);
	free(ri.runtime);
	revision_release(&rv);

	assert_int_equal(prepare(&rv, "0.16.0", &s, &o), 0);
	assert_int_equal(rv.cached, 1);
	assert_string_equal(rv.env_dir, env);
	revision_release(&rv);
	runs = xstrfmt("%s.runs", env);
	text = slurp(runs);
	assert_string_equal(text, "x\n"); /* set up once */
	free(text);
	free(runs);
	free(env);
}

/* setup.version gets the release without "v" (${version}) and as typed
 * (${version_spec}): a Go module version needs its "v", a Maven or semver
 * pre-release version reaches the setup whole. */
static void test_version_spec(void **state)
{
	static char *setup_both[] = { (char *)"sh",
				      (char *)"-c",
				      (char *)"mkdir -p \"$$1\" && echo \"$$2 $$3\" >\"$$1/got\"",
				      (char *)"setup",
				      (char *)"${env}",
				      (char *)"${version}",
				      (char *)"${version_spec}",
				      NULL };
	const char *typed[] = { "v1.17.0", "1.0.0-alpha.124", "v4.2.10.Final",
				"v0.0.0-20210220032951-036812b2e83c" };
	const char *want[] = {
		"1.17.0 v1.17.0", "1.0.0-alpha.124 1.0.0-alpha.124", "4.2.10.Final v4.2.10.Final",
		"0.0.0-20210220032951-036812b2e83c v0.0.0-20210220032951-036812b2e83c"
	};
	struct revision rv;
	size_t i;

	(void)state;
	s.setup_version = setup_both;
	for (i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
		assert_int_equal(prepare(&rv, typed[i], &s, &o), 0);
		assert_string_equal(rv.kind, "version");
		assert_string_equal(rv.resolved, typed[i][0] == 'v' ? typed[i] + 1 : typed[i]);
		assert_string_equal(rv.runtime, want[i]); /* the probe cats what setup got */
		assert_string_equal(rv.spec, typed[i]);
		revision_release(&rv);
	}
}

/* A failed setup is an error naming the revision and the log, and is redone
 * next time (no stamp). */
static void test_setup_fails(void **state)
{
	struct revision rv;
	char *want;

	(void)state;
	setenv("FAIL", "3", 1);
	assert_int_equal(prepare(&rv, "v1.0", &s, &o), -1);
	want = xstrfmt("spin-gate: error: cannot prepare revision 'v1.0': exited with 3 (log: "
		       "'%s')\n",
		       log_path);
	assert_non_null(strstr(msgs_so_far(), want));
	free(want);
	revision_release(&rv);
	unsetenv("FAIL");
	assert_int_equal(prepare(&rv, "v1.0", &s, &o), 0);
	assert_int_equal(rv.cached, 0);
	revision_release(&rv);
}

/* With a repository: any revision git knows, resolved to its full commit,
 * checked out in a worktree the setup reads from. */
static void test_git(void **state)
{
	struct revision rv;
	char *head = rev_parse("HEAD"), *first = rev_parse("HEAD~1"), *want, *digest;

	(void)state;
	o.repo = repo;
	assert_int_equal(prepare(&rv, "HEAD~1", &s, &o), 0);
	assert_string_equal(rv.kind, "git");
	assert_string_equal(rv.resolved, first);
	want = xstrfmt("%s/worktrees/%s", cache, first);
	assert_string_equal(rv.worktree, want);
	free(want);
	digest = suite_setup_digest(&s, s.setup_git);
	want = xstrfmt("%s/envs/fake/git-%s-%s", cache, first, digest);
	free(digest);
	assert_string_equal(rv.env_dir, want);
	free(want);
	want = xstrfmt("one%s", first); /* the worktree's file, then ${commit} */
	assert_string_equal(rv.runtime, want);
	free(want);
	revision_release(&rv);

	assert_int_equal(prepare(&rv, "v-two", &s, &o), 0);
	assert_string_equal(rv.resolved, head);
	assert_int_equal(rv.cached, 0);
	revision_release(&rv);
	/* the same commit by another name: cached */
	assert_int_equal(prepare(&rv, "HEAD", &s, &o), 0);
	assert_int_equal(rv.cached, 1);
	assert_string_equal(rv.resolved, head);
	revision_release(&rv);
	free(head);
	free(first);
}

struct refusal {
	const char *spec;
	int with_repo;
	const char *msg;
};

static void test_refusals(void **state)
{
	const struct refusal cases[] = {
		{ "", 0, "invalid revision ''" },
		{ "-rf", 1, "invalid revision '-rf'" },
		{ "v1\nv2", 0, "invalid revision 'v1?v2'" }, /* printed sanitized */
		{ "main", 0,
		  "unknown revision 'main': not a release version (like v0.16.0), and no --repo "
		  "was given to resolve it in" },
		{ "no-such-branch", 1, "unknown revision 'no-such-branch' in repository '%s'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct revision rv;
		char *said, *msg, *want;

		o.repo = cases[i].with_repo ? repo : NULL;
		free(msgs_end());
		msgs_begin();
		assert_int_equal(prepare(&rv, cases[i].spec, &s, &o), -1);
		said = msgs_end();
		msgs_begin();
		msg = strstr(cases[i].msg, "%s") ? xstrfmt("unknown revision '%s' in repository "
							   "'%s'",
							   cases[i].spec, repo)
						 : xstrdup(cases[i].msg);
		want = xstrfmt("spin-gate: error: %s\n", msg);
		if (strcmp(said, want))
			fail_msg("case %zu\n  got:  %s  want: %s", i, said, want);
		free(said);
		free(msg);
		free(want);
		revision_release(&rv);
	}
}

/* A --repo that is no git repository says so, rather than blaming the revision. */
static void test_repo_not_git(void **state)
{
	struct revision rv;
	char *notgit = tmpdir_make("notgit"), *said, *want;

	(void)state;
	o.repo = notgit;
	free(msgs_end());
	msgs_begin();
	assert_int_equal(prepare(&rv, "HEAD", &s, &o), -1);
	said = msgs_end();
	msgs_begin();
	want = xstrfmt("spin-gate: error: unknown revision 'HEAD': '%s' is not a git repository "
		       "(--repo names your checkout)\n",
		       notgit);
	assert_string_equal(said, want);
	revision_release(&rv);
	free(said);
	free(want);
	o.repo = repo;
	tmpdir_remove(notgit);
}

/* Every revision resolved before any is prepared: each bad one named, the
 * good ones resolved, nothing written in the cache. */
static void test_resolve_all(void **state)
{
	const char *const specs[] = { "HEAD", "nosuchrev", "-x", "HEAD~1" };
	struct revision rv[4];
	char *head = rev_parse("HEAD"), *first = rev_parse("HEAD~1"), *envs, *want;
	size_t i;

	(void)state;
	o.repo = repo;
	assert_int_equal(revision_resolve_all(rv, specs, 4, &s, &o), -1);
	want = xstrfmt("spin-gate: error: unknown revision 'nosuchrev' in repository '%s'\n"
		       "spin-gate: error: invalid revision '-x'\n",
		       repo);
	assert_string_equal(msgs_so_far(), want);
	free(want);
	assert_string_equal(rv[0].resolved, head);
	assert_string_equal(rv[3].resolved, first);
	assert_null(rv[1].resolved);
	envs = xstrfmt("%s/envs", cache);
	assert_false(fs_exists(envs));
	assert_null(rv[0].env_dir);
	for (i = 0; i < 4; i++)
		revision_release(&rv[i]);

	/* all good: 0, still nothing prepared; then each prepares */
	assert_int_equal(
		revision_resolve_all(rv, (const char *const[]){ "HEAD", "v-two" }, 2, &s, &o), 0);
	assert_false(fs_exists(envs));
	assert_string_equal(rv[1].resolved, head);
	assert_int_equal(revision_prepare(&rv[0], &s, &o), 0);
	assert_true(fs_exists(rv[0].env_dir));
	for (i = 0; i < 2; i++)
		revision_release(&rv[i]);

	/* release versions: only their form is known before setup.version runs */
	o.repo = NULL;
	assert_int_equal(
		revision_resolve_all(rv, (const char *const[]){ "v1.0", "main" }, 2, &s, &o), -1);
	assert_string_equal(rv[0].resolved, "1.0");
	assert_non_null(strstr(msgs_so_far(), "unknown revision 'main': not a release version"));
	for (i = 0; i < 2; i++)
		revision_release(&rv[i]);
	free(envs);
	free(head);
	free(first);
}

/* A suite that cannot prepare the kind of revision asked for. */
static void test_suite_without_setup(void **state)
{
	struct revision rv;

	(void)state;
	s.setup_git = NULL;
	o.repo = repo;
	assert_int_equal(prepare(&rv, "HEAD", &s, &o), -1);
	assert_string_equal(msgs_so_far(), "spin-gate: error: suite 'fake' has no setup.git: it "
					   "cannot prepare git revisions\n");
	revision_release(&rv);
	free(msgs_end());
	msgs_begin();
	s.setup_version = NULL;
	o.repo = NULL;
	assert_int_equal(prepare(&rv, "v1.0", &s, &o), -1);
	assert_string_equal(msgs_so_far(), "spin-gate: error: suite 'fake' has no setup.version: "
					   "give --repo to use git revisions\n");
	revision_release(&rv);
}

/* A probe that fails is a warning, not an error. */
static void test_probe_fails(void **state)
{
	static char *bad_probe[] = { (char *)"false", NULL };
	struct revision rv;

	(void)state;
	s.probe = bad_probe;
	assert_int_equal(prepare(&rv, "v2.0", &s, &o), 0);
	assert_null(rv.runtime);
	assert_non_null(strstr(msgs_so_far(), "spin-gate: warning: revision 'v2.0': the suite's "
					      "probe 'false' failed\n"));
	revision_release(&rv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_version),
		cmocka_unit_test(test_default_cache),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_spec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setup_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repo_not_git, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolve_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suite_without_setup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_fails, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
