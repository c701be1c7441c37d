/* Unit tests for src/cmd/init.c: the suite `spin-gate init` writes loads, checks,
 * and fits the project it was written for; nothing is ever overwritten. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.h"
#include "plan.h"
#include "results.h"
#include "suite.h"
#include "testlib.h"

static char *project;

static int make_project(void **state)
{
	(void)state;
	project = tmpdir_make("init");
	return 0;
}

static int remove_project(void **state)
{
	(void)state;
	tmpdir_remove(project);
	project = NULL;
	return 0;
}

static void touch(const char *name)
{
	char *p = xstrfmt("%s/%s", project, name);

	assert_int_equal(fs_write_text(p, ""), 0);
	free(p);
}

static void test_detect(void **state)
{
	(void)state;
	assert_int_equal(init_detect(project), INIT_PLAIN);
	touch("Makefile");
	assert_int_equal(init_detect(project), INIT_MAKE);
	touch("package.json");
	assert_int_equal(init_detect(project), INIT_NPM);
	touch("build.gradle.kts");
	assert_int_equal(init_detect(project), INIT_GRADLE);
	touch("pom.xml"); /* a Java project with a package.json is Java */
	assert_int_equal(init_detect(project), INIT_MAVEN);
	touch("go.mod");
	assert_int_equal(init_detect(project), INIT_GO);
	touch("Cargo.toml");
	assert_int_equal(init_detect(project), INIT_CARGO);
	touch("setup.py");
	assert_int_equal(init_detect(project), INIT_PYTHON);
	assert_string_equal(init_kind_name(INIT_CARGO), "cargo");
	assert_string_equal(init_kind_name(INIT_GO), "go");
	assert_string_equal(init_kind_name(INIT_MAVEN), "maven");
	assert_string_equal(init_kind_name(INIT_GRADLE), "gradle");
}

static void test_python_suite(void **state)
{
	static const char *const cmd[] = { "python3", "-m", "mypkg.bench", "--cost=$5", NULL };
	struct init_opts o = { .project = project, .name = "mine", .command = cmd };
	struct suite s;
	struct results r;
	struct stat st;
	char *path, *said, *setup;

	(void)state;
	touch("pyproject.toml");
	msgs_begin();
	assert_int_equal(init_write(&o), 0);
	said = msgs_end();
	assert_string_equal(said, "");
	free(said);

	path = xstrfmt("%s/spin-gate", project);
	assert_int_equal(suite_load(&s, path), 0);
	assert_string_equal(s.name, "mine");
	assert_int_equal(s.nparams, 0);
	assert_int_equal(s.nroles, 1);
	assert_int_equal(s.roles[0].role, ROLE_IDLE);
	assert_string_equal(s.command[0], "${env}/bin/python");
	assert_string_equal(s.command[3], "--cost=$$5"); /* reaches the program as typed */
	assert_null(s.command[4]);
	assert_string_equal(s.cwd, "${suite_dir}");
	assert_non_null(s.setup_git);
	assert_null(s.setup_version);

	/* its templates all resolve, and its one scenario is idle */
	results_init(&r);
	assert_int_equal(plan_matrix(&r, &s, NULL, 0, 2), 0);
	assert_int_equal(r.nscen, 1);
	assert_string_equal(r.scen[0].name, "mine");
	assert_int_equal(r.scen[0].role, ROLE_IDLE);
	msgs_begin();
	assert_int_equal(plan_check(&s, &r, "2"), 0);
	free(msgs_end());
	results_release(&r);
	suite_release(&s);

	free(path);
	path = xstrfmt("%s/spin-gate/setup.sh", project);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_mode & S_IXUSR);
	setup = slurp(path);
	assert_non_null(strstr(setup, "python3 -m venv \"$env\""));
	assert_non_null(strstr(setup, "/bin/pip\" install"));
	free(setup);
	free(path);
}

static void test_copying_kinds_run_in_the_copy(void **state)
{
	static const char *const cmd[] = { "./bench", NULL };
	struct init_opts o = { .project = project, .dir = "perf", .command = cmd };
	struct suite s;
	char *path, *setup, *base;

	(void)state;
	touch("Cargo.toml");
	msgs_begin();
	assert_int_equal(init_write(&o), 0);
	free(msgs_end());
	path = xstrfmt("%s/perf", project);
	assert_int_equal(suite_load(&s, path), 0);
	/* named after the project directory */
	base = strrchr(project, '/') + 1;
	assert_string_equal(s.name, base);
	/* cargo builds ./bench into target/release of the copy */
	assert_string_equal(s.command[0], "./target/release/bench");
	assert_string_equal(s.cwd, "${env}/src");
	suite_release(&s);
	free(path);
	path = xstrfmt("%s/perf/setup.sh", project);
	setup = slurp(path);
	assert_non_null(strstr(setup, "cp -R \"$worktree/.\" \"$env/src/\""));
	assert_non_null(strstr(setup, "cargo build --release"));
	free(setup);
	free(path);
}

/* The program one command names, as init writes it for a project of kind marker. */
static char *first_word_for(const char *marker, const char *program)
{
	const char *cmd[] = { program, "--n", "2", NULL };
	struct init_opts o = { .project = project, .dir = "w", .command = cmd };
	struct suite s;
	char *path, *dir, *got;

	if (marker)
		touch(marker);
	dir = xstrfmt("%s/w", project);
	msgs_begin();
	assert_int_equal(init_write(&o), 0);
	free(msgs_end());
	assert_int_equal(suite_load(&s, dir), 0);
	assert_string_equal(s.command[1], "--n");
	got = xstrdup(s.command[0]);
	suite_release(&s);
	path = xstrfmt("%s/suite.json", dir);
	unlink(path);
	free(path);
	path = xstrfmt("%s/setup.sh", dir);
	unlink(path);
	free(path);
	free(dir);
	return got;
}

static void expect_first_word(const char *marker, const char *program, const char *want)
{
	char *got = first_word_for(marker, program);

	assert_string_equal(got, want);
	free(got);
}

/* A compiled project's ./NAME is the binary its build leaves at the top; in the
 * environment it is where setup.sh builds it, or the scenario cannot start. */
static void test_compiled_program_is_the_built_one(void **state)
{
	(void)state;
	expect_first_word("go.mod", "./pool", "${env}/bin/pool");
	expect_first_word(NULL, "./cmd/pool", "./cmd/pool"); /* a path of its own: kept */
	expect_first_word(NULL, "pool", "pool");	     /* on PATH: kept */
	expect_first_word(NULL, "./$x", "./$$x");	     /* '$' literal, as ever */
	expect_first_word(NULL, "./", "./");
}

static void test_never_overwrites(void **state)
{
	static const char *const cmd[] = { "true", NULL };
	struct init_opts o = { .project = project, .command = cmd };
	char *path, *said, *want, *text;

	(void)state;
	path = xstrfmt("%s/spin-gate", project);
	assert_int_equal(fs_mkdir_p(path), 0);
	free(path);
	path = xstrfmt("%s/spin-gate/suite.json", project);
	assert_int_equal(fs_write_text(path, "mine"), 0);
	msgs_begin();
	assert_int_equal(init_write(&o), -1);
	said = msgs_end();
	want = xstrfmt("spin-gate: error: init: '%s' already exists: not overwriting it (remove "
		       "it, or --dir elsewhere)\n",
		       path);
	assert_string_equal(said, want);
	text = slurp(path);
	assert_string_equal(text, "mine");
	free(text);
	free(path);
	/* and nothing was written beside it */
	path = xstrfmt("%s/spin-gate/setup.sh", project);
	assert_false(fs_exists(path));
	free(path);
	free(said);
	free(want);
}

static void test_needs_a_command(void **state)
{
	static const char *const none[] = { NULL };
	struct init_opts o = { .project = project, .command = none };
	char *said;

	(void)state;
	msgs_begin();
	assert_int_equal(init_write(&o), -1);
	said = msgs_end();
	assert_string_equal(said, "spin-gate: error: init: give the command to measure after '--' "
				  "(spin-gate init -- CMD ARGS...)\n");
	free(said);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_detect, make_project, remove_project),
		cmocka_unit_test_setup_teardown(test_python_suite, make_project, remove_project),
		cmocka_unit_test_setup_teardown(test_copying_kinds_run_in_the_copy, make_project,
						remove_project),
		cmocka_unit_test_setup_teardown(test_compiled_program_is_the_built_one,
						make_project, remove_project),
		cmocka_unit_test_setup_teardown(test_never_overwrites, make_project,
						remove_project),
		cmocka_unit_test_setup_teardown(test_needs_a_command, make_project, remove_project),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
