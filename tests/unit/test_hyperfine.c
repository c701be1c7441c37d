/* Unit tests for src/measure/hyperfine.c: quoting, export parsing on fixtures (the
 * captured exports of every supported hyperfine in
 * tests/fixtures/hyperfine-exports, and hand-made broken ones), the version
 * check, and one-run timing through the real hyperfine (Debian's 1.15.0). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "hyperfine.h"
#include "msg.h"
#include "proc.h"
#include "testlib.h"

struct fixture {
	char *dir; /* a fresh directory, removed afterwards */
	char *tmp; /* dir/tmp: opts.tmpdir, must be empty after every run */
	char *out; /* dir/out.txt */
};

static int setup(void **state)
{
	char tmpl[] = "/tmp/spin-gate-test-hf.XXXXXX";
	struct fixture *f = xcalloc(1, sizeof(*f));

	assert_non_null(mkdtemp(tmpl));
	f->dir = xstrdup(tmpl);
	f->tmp = xstrfmt("%s/tmp", f->dir);
	f->out = xstrfmt("%s/out.txt", f->dir);
	assert_int_equal(mkdir(f->tmp, 0700), 0);
	proc_interrupted_reset();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "rm", "-rf", f->dir, NULL };
	struct buf out = BUF_INIT;

	proc_capture(argv, NULL, 10, &out);
	buf_release(&out);
	free(f->dir);
	free(f->tmp);
	free(f->out);
	free(f);
	return 0;
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static struct sample blank_sample(void)
{
	struct sample s = { .round = 7,
			    .warmup = 1,
			    .wall = -1,
			    .user = -1,
			    .sys = -1,
			    .exit_code = 99,
			    .others_cpu = NAN,
			    .steal = NAN,
			    .cpu_pressure = NAN,
			    .cgroup_cpu = NAN,
			    .vcsw = NAN,
			    .ivcsw = NAN,
			    .max_rss = NAN,
			    .minflt = NAN,
			    .majflt = NAN };

	return s;
}

static void test_quote_argv(void **state)
{
	const char *argv[] = { "python3", "-m",	   "a.b", "x=1,y:2@%+/-", "two words", "it's",
			       "",	  "$(id)", "a;b", "#c",		  "~",	       NULL };
	struct buf b = BUF_INIT;

	(void)state;
	buf_adds(&b, ">");
	hyperfine_quote_argv(&b, argv);
	assert_string_equal(b.s, ">python3 -m a.b x=1,y:2@%+/- 'two words' 'it'\\''s' '' "
				 "'$(id)' 'a;b' '#c' '~'");
	buf_release(&b);
}

/* Every argument reaches printf unchanged, byte for byte. */
static void test_arguments_survive_hyperfine(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "printf",
			       "[%s]\\n",
			       "plain",
			       "two words",
			       "it's",
			       "\"double\"",
			       "$(echo pwned)",
			       "`id`",
			       "a;b|c&d",
			       "x\ny",
			       "back\\slash",
			       "",
			       "*",
			       "~",
			       "#hash",
			       "{x}",
			       "tab\there",
			       "-N",
			       "--",
			       "h\xc3\xa9llo",
			       "' \"' \"",
			       "$HOME",
			       NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();
	struct buf want = BUF_INIT;
	char *got;
	size_t i;

	o.output = f->out;
	o.tmpdir = f->tmp;
	o.timeout = 8;
	assert_int_equal(hyperfine_run_once(&o, argv, &s), 0);
	assert_int_equal(s.exit_code, 0);
	for (i = 2; argv[i]; i++)
		buf_addf(&want, "[%s]\n", argv[i]);
	got = slurp(f->out);
	assert_string_equal(got, want.s);
	assert_int_equal(entries(f->tmp), 0);
	free(got);
	buf_release(&want);
}

static void test_exit_code_and_sample_fields(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();
	FILE *fp;
	char *got;

	fp = fopen(f->out, "w");
	assert_non_null(fp);
	fputs("before\n", fp);
	fclose(fp);
	o.output = f->out;
	o.tmpdir = f->tmp;
	o.timeout = 8;
	assert_int_equal(hyperfine_run_once(&o, argv, &s), 0);
	assert_int_equal(s.exit_code, 3);
	assert_int_equal(s.timed_out, 0);
	assert_int_equal(s.round, 7); /* untouched */
	assert_int_equal(s.warmup, 1);
	assert_true(s.wall > 0 && s.wall < 5);
	assert_true(s.user >= 0 && s.sys >= 0);
	/* appended, both streams (hyperfine's warning follows) */
	got = slurp(f->out);
	assert_true(!strncmp(got, "before\nout\nerr\n", 15));
	assert_int_equal(entries(f->tmp), 0);
	free(got);
}

static void test_cwd_env_and_discarded_output(void **state)
{
	struct fixture *f = *state;
	char *script = xstrfmt("test \"$(pwd -P)\" = \"$(cd '%s' && pwd -P)\" && "
			       "test \"$SPIN_GATE_T\" = 'a b' && echo noise && exit 0; exit 9",
			       f->dir);
	const char *argv[] = { "sh", "-c", script, NULL };
	const char *env[] = { "SPIN_GATE_T=a b", NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();

	o.cwd = f->dir;
	o.env = env;
	o.tmpdir = f->tmp;
	o.timeout = 8;
	assert_int_equal(hyperfine_run_once(&o, argv, &s), 0);
	assert_int_equal(s.exit_code, 0);
	assert_int_equal(entries(f->tmp), 0);
	assert_int_equal(access(f->out, F_OK), -1);
	free(script);
}

static void test_cpu_and_sleep_times(void **state)
{
	struct fixture *f = *state;
	const char *burn[] = { "python3", "-c",
			       "import time\n"
			       "t = time.process_time()\n"
			       "while time.process_time() - t < 0.3:\n"
			       "    pass\n",
			       NULL };
	const char *nap[] = { "sleep", "0.3", NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();

	o.tmpdir = f->tmp;
	o.timeout = 8;
	assert_int_equal(hyperfine_run_once(&o, burn, &s), 0);
	assert_int_equal(s.exit_code, 0);
	assert_true(s.user + s.sys >= 0.2);
	assert_true(s.wall >= 0.2 && s.wall < 5);
	/* the spin signature, from proc's rusage of hyperfine and the run */
	assert_true(s.vcsw >= 0 && s.ivcsw >= 0 && s.majflt >= 0);
	assert_true(s.minflt > 100);
	assert_true(s.max_rss > 1000); /* KiB: python alone takes more */

	s = blank_sample();
	assert_int_equal(hyperfine_run_once(&o, nap, &s), 0);
	assert_int_equal(s.exit_code, 0);
	assert_true(s.wall >= 0.28 && s.wall < 5);
	assert_true(s.user + s.sys < 0.1);
}

static int gone(pid_t pid)
{
	int i;

	for (i = 0; i < 150; i++) {
		char path[64], stat[256];
		const char *cp;
		size_t n;
		FILE *fp;

		if (kill(pid, 0) < 0 && errno == ESRCH)
			return 1;
		snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
		fp = fopen(path, "r");
		if (fp) {
			n = fread(stat, 1, sizeof(stat) - 1, fp);
			stat[n] = '\0';
			fclose(fp);
			cp = strrchr(stat, ')');
			if (cp && cp[1] == ' ' && cp[2] == 'Z')
				return 1; /* dead; pid 1 of a container may never reap */
		}
		usleep(20000);
	}
	return 0;
}

static void test_timeout_kills_everything(void **state)
{
	struct fixture *f = *state;
	char *pidfile = xstrfmt("%s/pid", f->dir);
	char *script = xstrfmt("sleep 30 & echo $! > '%s'; wait", pidfile);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();
	struct timespec a, b;
	char *text, *end;
	long pid;

	o.tmpdir = f->tmp;
	o.timeout = 0.5;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(hyperfine_run_once(&o, argv, &s), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true((double)(b.tv_sec - a.tv_sec) < 4);
	assert_int_equal(s.timed_out, 1);
	assert_int_equal(s.exit_code, -1);
	assert_true(isnan(s.wall) && isnan(s.user) && isnan(s.sys));
	assert_int_equal(s.round, 7);
	text = slurp(pidfile);
	pid = strtol(text, &end, 10);
	assert_true(end != text && pid > 1);
	assert_true(gone((pid_t)pid));
	assert_int_equal(entries(f->tmp), 0);
	free(text);
	free(script);
	free(pidfile);
}

static void send_sigterm(int sig)
{
	(void)sig;
	kill(getpid(), SIGTERM);
}

static void test_interrupt_returns_error_with_flag(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "sleep", "30", NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();
	struct itimerval it;
	struct sigaction sa;
	unsigned before = msg_error_count();

	proc_signals_install();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = send_sigterm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 300000;
	setitimer(ITIMER_REAL, &it, NULL);

	o.tmpdir = f->tmp;
	o.timeout = 8;
	assert_int_equal(hyperfine_run_once(&o, argv, &s), -1);
	assert_int_equal(proc_interrupted(), SIGTERM);
	assert_int_equal(msg_error_count(), before);
	assert_int_equal(s.exit_code, 99); /* untouched */
	assert_int_equal(entries(f->tmp), 0);
	proc_interrupted_reset();
}

static void test_hyperfine_failure_is_quoted(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "spin-gate-no-such-command", "a b", NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();
	char *said;

	o.tmpdir = f->tmp;
	o.timeout = 8;
	msgs_begin();
	assert_int_equal(hyperfine_run_once(&o, argv, &s), -1);
	/* the same through an output file that already holds text */
	o.output = f->out;
	assert_int_equal(hyperfine_run_once(&o, argv, &s), -1);
	o.hyperfine = "spin-gate-no-such-hyperfine";
	assert_int_equal(hyperfine_run_once(&o, argv, &s), -1);
	said = msgs_end();
	assert_string_equal(
		said,
		"spin-gate: error: hyperfine failed timing 'spin-gate-no-such-command 'a b'': "
		"Error: Failed to run command 'spin-gate-no-such-command 'a b'': No such file or "
		"directory (os error 2)\n"
		"spin-gate: error: hyperfine failed timing 'spin-gate-no-such-command 'a b'': "
		"Error: Failed to run command 'spin-gate-no-such-command 'a b'': No such file or "
		"directory (os error 2)\n"
		"spin-gate: error: cannot run 'spin-gate-no-such-hyperfine': command not found\n");
	assert_int_equal(s.exit_code, 99);
	assert_int_equal(entries(f->tmp), 0);
	free(said);
}

static void test_bad_tmpdir(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "true", NULL };
	struct hyperfine_opts o = { 0 };
	struct sample s = blank_sample();
	char *missing = xstrfmt("%s/missing", f->dir);
	char *said, *want;

	o.tmpdir = missing;
	msgs_begin();
	assert_int_equal(hyperfine_run_once(&o, argv, &s), -1);
	said = msgs_end();
	want = xstrfmt("spin-gate: error: cannot use temporary directory '%s': No such file or "
		       "directory\n",
		       missing);
	assert_string_equal(said, want);
	free(want);
	free(said);
	free(missing);
}

/* An executable script `name` in the fixture's directory; its path (caller frees). */
static char *script(const struct fixture *f, const char *name, const char *body)
{
	char *path = xstrfmt("%s/%s", f->dir, name);
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s\n", body);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, 0755), 0);
	return path;
}

/* What hyperfine_version() said for `hf`, and that it returned NULL. */
static void version_fails(const char *hf, const char *msg)
{
	char *said, *want = xstrfmt("spin-gate: error: %s\n", msg);

	msgs_begin();
	assert_null(hyperfine_version(hf));
	said = msgs_end();
	assert_string_equal(said, want);
	free(said);
	free(want);
}

/* Not found and found-but-not-hyperfine are told apart (issue 12: --hyperfine
 * /bin/false said to install hyperfine). */
static void test_version(void **state)
{
	struct fixture *f = *state;
	char *v, *path, *msg;

	msgs_begin();
	v = hyperfine_version(NULL);
	assert_non_null(v);
	assert_true(!strncmp(v, "hyperfine 1.", 12));
	assert_null(strchr(v, '\n'));
	free(v);
	assert_string_equal(msgs_so_far(), "");
	free(msgs_end());

	version_fails("spin-gate-no-such-hyperfine",
		      "cannot run 'spin-gate-no-such-hyperfine': not found; install hyperfine "
		      "(Debian: apt-get install hyperfine)");
	path = xstrfmt("%s/none", f->dir);
	msg = xstrfmt("cannot run '%s': not found; install hyperfine (Debian: apt-get install "
		      "hyperfine)",
		      path);
	version_fails(path, msg);
	free(msg);
	free(path);
	/* a directory is not a program either */
	msg = xstrfmt("cannot run '%s': not found; install hyperfine (Debian: apt-get install "
		      "hyperfine)",
		      f->dir);
	version_fails(f->dir, msg);
	free(msg);

	version_fails("/bin/false", "'/bin/false' is not a working hyperfine: '/bin/false "
				    "--version' exited with 1");
	path = script(f, "fake", "echo 'fake 2.0'; echo more");
	msg = xstrfmt("'%s' is not a working hyperfine: '%s --version' printed 'fake 2.0', not "
		      "'hyperfine VERSION'",
		      path, path);
	version_fails(path, msg);
	free(msg);
	free(path);
	path = script(f, "silent", "exit 0");
	msg = xstrfmt("'%s' is not a working hyperfine: '%s --version' printed '', not "
		      "'hyperfine VERSION'",
		      path, path);
	version_fails(path, msg);
	free(msg);
	free(path);
	path = script(f, "killed", "kill -9 $$");
	msg = xstrfmt("'%s' is not a working hyperfine: '%s --version' was killed by signal 9",
		      path, path);
	version_fails(path, msg);
	free(msg);
	free(path);
	/* a wrapper that prints what hyperfine prints is taken at its word */
	path = script(f, "wrapper", "echo 'hyperfine 9.9.9'");
	v = hyperfine_version(path);
	assert_string_equal(v, "hyperfine 9.9.9");
	free(v);
	free(path);
}

static const char valid[] = "{\"results\": [{\"command\": \"x\", \"mean\": 0.5, \"user\": 0.25,"
			    " \"system\": 0.125, \"times\": [0.5], \"exit_codes\": [3]},"
			    " {\"times\": [9], \"user\": 9, \"system\": 9, \"exit_codes\": [9]}]}";

static void test_parse_valid(void **state)
{
	const char null_code[] = "{\"results\": [{\"times\": [1.5, 2], \"user\": 0, \"system\": 0,"
				 " \"exit_codes\": [null]}]}";
	struct sample s = blank_sample();

	(void)state;
	s.timed_out = 1;
	assert_int_equal(hyperfine_parse_export(valid, strlen(valid), "fx.json", NULL, &s), 0);
	assert_true(s.wall == 0.5 && s.user == 0.25 && s.sys == 0.125);
	assert_int_equal(s.exit_code, 3);
	assert_int_equal(s.timed_out, 0);
	assert_int_equal(s.round, 7);
	assert_int_equal(s.warmup, 1);

	assert_int_equal(hyperfine_parse_export(null_code, strlen(null_code), "fx.json", NULL, &s),
			 0);
	assert_true(s.wall == 1.5);
	assert_int_equal(s.exit_code, -1);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{ "{\"results\": [{\"times\": [0.5]", "cannot read 'fx.json': line 1, column 29: "
						      "unexpected end of JSON" },
		{ "{\"results\": []}\n{}",
		  "cannot read 'fx.json': line 2, column 1: invalid JSON" },
		{ "{\"results\": [}", "cannot read 'fx.json': line 1, column 14: invalid JSON" },
		{ "[]", "'fx.json': expected an object" },
		{ "{}", "\'fx.json\' (schema 1): results: missing" },
		{ "{\"results\": {}}", "\'fx.json\' (schema 1): results: expected an array" },
		{ "{\"results\": []}", "\'fx.json\' (schema 1): results: empty" },
		{ "{\"results\": [1]}", "\'fx.json\' (schema 1): results[0]: expected an object" },
		{ "{\"results\": [{\"user\": 1, \"system\": 1, \"exit_codes\": [0]}]}",
		  "\'fx.json\' (schema 1): results[0].times: missing" },
		{ "{\"results\": [{\"times\": [], \"user\": 1, \"system\": 1, \"exit_codes\": "
		  "[0]}]}",
		  "\'fx.json\' (schema 1): results[0].times: empty" },
		{ "{\"results\": [{\"times\": [\"1\"], \"user\": 1, \"system\": 1, \"exit_codes\": "
		  "[0]}]}",
		  "\'fx.json\' (schema 1): results[0].times[0]: expected a number" },
		{ "{\"results\": [{\"times\": [1], \"system\": 1, \"exit_codes\": [0]}]}",
		  "\'fx.json\' (schema 1): results[0].user: missing" },
		{ "{\"results\": [{\"times\": [1], \"user\": \"1\", \"system\": 1, \"exit_codes\": "
		  "[0]}]}",
		  "\'fx.json\' (schema 1): results[0].user: expected a number" },
		{ "{\"results\": [{\"times\": [1], \"user\": 1, \"exit_codes\": [0]}]}",
		  "\'fx.json\' (schema 1): results[0].system: missing" },
		{ "{\"results\": [{\"times\": [1], \"user\": 1, \"system\": 1}]}",
		  "\'fx.json\' (schema 1): results[0].exit_codes: missing" },
		{ "{\"results\": [{\"times\": [1], \"user\": 1, \"system\": 1, \"exit_codes\": "
		  "[]}]}",
		  "\'fx.json\' (schema 1): results[0].exit_codes: empty" },
		{ "{\"results\": [{\"times\": [1], \"user\": 1, \"system\": 1, \"exit_codes\": "
		  "[1e99]}]}",
		  "\'fx.json\' (schema 1): results[0].exit_codes[0]: expected a number" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sample s = blank_sample();
		char *said, *want;

		msgs_begin();
		assert_int_equal(hyperfine_parse_export(cases[i].text, strlen(cases[i].text),
							"fx.json", NULL, &s),
				 -1);
		said = msgs_end();
		want = xstrfmt("spin-gate: error: %s\n", cases[i].msg);
		assert_string_equal(said, want);
		/* nothing half-filled */
		assert_true(s.wall == -1 && s.user == -1 && s.sys == -1 && s.exit_code == 99);
		free(want);
		free(said);
	}
}

#define EXPORTS "tests/fixtures/hyperfine-exports/"

/* Every supported version's own export (capture.sh), read into the same
 * sample: the figures as each file holds them. */
static void test_parse_captured(void **state)
{
	static const struct {
		const char *version;
		double wall, user, sys;
	} cases[] = {
		{ "1.15.0", 0.040946623, 0.035106, 0.0 },
		{ "1.18.0", 0.031021031, 0.030534, 0.0 },
		{ "1.20.0", 0.026655477, 0.020225999999999997, 0.004045 },
		{ "2.0.0", 0.025886039000000003, 0.025443999999999998, 0.0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = xstrfmt(EXPORTS "%s.json", cases[i].version);
		char *version = xstrfmt("hyperfine %s", cases[i].version);
		char *text = slurp(path);
		struct sample s = blank_sample();

		msgs_begin();
		assert_int_equal(hyperfine_parse_export(text, strlen(text), path, version, &s), 0);
		assert_string_equal(msgs_so_far(), "");
		free(msgs_end());
		assert_true(s.wall == cases[i].wall);
		assert_true(s.user == cases[i].user);
		assert_true(s.sys == cases[i].sys);
		assert_int_equal(s.exit_code, 3);
		assert_int_equal(s.timed_out, 0);
		assert_int_equal(s.round, 7); /* the rest untouched */
		free(text);
		free(version);
		free(path);
	}
}

/* What parsing `text` said: it failed, and *s is untouched. */
static void parse_fails(const char *text, const char *version, const char *msg)
{
	struct sample s = blank_sample();
	char *said, *want = xstrfmt("spin-gate: error: %s\n", msg);

	msgs_begin();
	assert_int_equal(hyperfine_parse_export(text, strlen(text), "fx.json", version, &s), -1);
	said = msgs_end();
	assert_string_equal(said, want);
	assert_true(s.wall == -1 && s.user == -1 && s.sys == -1 && s.exit_code == 99);
	free(said);
	free(want);
}

#define V2_HEAD "{\"schema_version\": 2, \"metadata\": {\"hyperfine_version\": \"2.0.0\"}, "
/* { "value": N, "unit": "second" }, as 2.0 writes a time */
#define SEC_1	 "{\"value\": 1, \"unit\": \"second\"}"
#define SEC_HALF "{\"value\": 0.5, \"unit\": \"second\"}"
#define SEC_QTR	 "{\"value\": 0.25, \"unit\": \"second\"}"

/* Schema 2 (2.x): the fields the sample needs, each named when missing or
 * wrong, with the version the file names (over the caller's). */
static void test_parse_schema2(void **state)
{
	const char ok[] =
		V2_HEAD "\"results\": [{\"measurements\": [{\"time_wall_clock\": " SEC_HALF
			", \"time_user\": " SEC_QTR ", \"time_system\": {\"value\": 0.125}, "
			"\"exit_code\": null}, {\"time_wall_clock\": " SEC_1 "}]}]}";
	const char *m0 = "'fx.json' (hyperfine 2.0.0, schema 2): results[0].measurements[0]";
	struct sample s = blank_sample();
	char *msg;

	(void)state;
	assert_int_equal(hyperfine_parse_export(ok, strlen(ok), "fx.json", "hyperfine 9", &s), 0);
	assert_true(s.wall == 0.5 && s.user == 0.25 && s.sys == 0.125);
	assert_int_equal(s.exit_code, -1);

	parse_fails(V2_HEAD "\"results\": [{}]}", NULL,
		    "'fx.json' (hyperfine 2.0.0, schema 2): results[0].measurements: missing");
	parse_fails(V2_HEAD "\"results\": [{\"measurements\": []}]}", NULL,
		    "'fx.json' (hyperfine 2.0.0, schema 2): results[0].measurements: empty");
	parse_fails(V2_HEAD "\"results\": [{\"measurements\": [1]}]}", NULL,
		    "'fx.json' (hyperfine 2.0.0, schema 2): results[0].measurements[0]: expected "
		    "an object");
	msg = xstrfmt("%s.time_user: missing", m0);
	parse_fails(V2_HEAD "\"results\": [{\"measurements\": [{\"time_wall_clock\": " SEC_1
			    ", \"time_system\": " SEC_1 ", \"exit_code\": 0}]}]}",
		    NULL, msg);
	free(msg);
	msg = xstrfmt("%s.time_wall_clock.value: missing", m0);
	parse_fails(V2_HEAD "\"results\": [{\"measurements\": [{\"time_wall_clock\": {}}]}]}", NULL,
		    msg);
	free(msg);
	msg = xstrfmt("%s.time_wall_clock.value: expected a number", m0);
	parse_fails(V2_HEAD "\"results\": [{\"measurements\": [{\"time_wall_clock\": {\"value\": "
			    "\"1\"}}]}]}",
		    NULL, msg);
	free(msg);
	msg = xstrfmt("%s.time_system.unit: expected \"second\"", m0);
	parse_fails(V2_HEAD "\"results\": [{\"measurements\": [{\"time_wall_clock\": " SEC_1
			    ", \"time_user\": " SEC_1 ", \"time_system\": {\"value\": 1, "
			    "\"unit\": \"millisecond\"}, \"exit_code\": 0}]}]}",
		    NULL, msg);
	free(msg);
	msg = xstrfmt("%s.exit_code: missing", m0);
	parse_fails(V2_HEAD "\"results\": [{\"measurements\": [{\"time_wall_clock\": " SEC_1
			    ", \"time_user\": " SEC_1 ", \"time_system\": " SEC_1 "}]}]}",
		    NULL, msg);
	free(msg);
	/* without metadata, the caller's version names it */
	parse_fails("{\"schema_version\": 2, \"results\": []}", "hyperfine 2.1.0",
		    "'fx.json' (hyperfine 2.1.0, schema 2): results: empty");
	parse_fails("{\"schema_version\": \"2\", \"results\": []}", "hyperfine 2.1.0",
		    "'fx.json' (hyperfine 2.1.0): schema_version: expected a whole number");
	parse_fails("{\"schema_version\": 2.5, \"results\": []}", NULL,
		    "'fx.json': schema_version: expected a whole number");
	/* a 2.x-shaped file that says it is schema 1 is read as one */
	parse_fails("{\"schema_version\": 1, \"results\": [{\"measurements\": []}]}",
		    "hyperfine 1.15.0",
		    "'fx.json' (hyperfine 1.15.0, schema 1): results[0].times: "
		    "missing");
}

/* A schema the reader does not know is refused by number, never half read. */
static void test_parse_schema3(void **state)
{
	char *text = slurp(EXPORTS "schema-3.json");

	(void)state;
	parse_fails(text, "hyperfine 3.0.0",
		    "'fx.json' (hyperfine 3.0.0): schema_version 3 is not one spin-gate reads (1: "
		    "hyperfine 1.x, 2: hyperfine 2.x); use hyperfine 1.15.0 to 2.x");
	free(text);
}

static void check_version_fails(const char *line, const char *msg)
{
	char *said, *want = xstrfmt("spin-gate: error: %s\n", msg);

	msgs_begin();
	assert_int_equal(hyperfine_check_version("/x/hyperfine", line), -1);
	said = msgs_end();
	assert_string_equal(said, want);
	free(said);
	free(want);
}

#define INSTALL                                                                                  \
	"install one (Debian 12 and Ubuntu 24.04: apt-get install hyperfine; any Linux: pip "    \
	"install astral-dev-toolchain-hyperfine, or cargo install --locked hyperfine) and give " \
	"it with --hyperfine PATH if it is not the first in PATH"

/* The floor and the ceiling, with the advice a user needs. */
static void test_version_check(void **state)
{
	static const char *const good[] = { "hyperfine 1.15.0", "hyperfine 1.18.0",
					    "hyperfine 1.20.0", "hyperfine 2.0.0",
					    "hyperfine 2.7.1",	"hyperfine 1.16.0-dev",
					    "hyperfine 1.15" };
	struct hyperfine_version v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		msgs_begin();
		assert_int_equal(hyperfine_check_version(NULL, good[i]), 0);
		assert_string_equal(msgs_so_far(), "");
		free(msgs_end());
	}
	assert_int_equal(hyperfine_parse_version("hyperfine 1.16.2-dev", &v), 0);
	assert_true(v.major == 1 && v.minor == 16 && v.patch == 2);
	assert_int_equal(hyperfine_parse_version("hyperfine 2", &v), -1);
	assert_int_equal(hyperfine_parse_version("hyperfine v2.0", &v), -1);
	assert_int_equal(hyperfine_parse_version("hyperfine 99999999999.0", &v), -1);

	check_version_fails("hyperfine 1.10.0",
			    "'/x/hyperfine' is hyperfine 1.10.0, older than spin-gate reads "
			    "(hyperfine 1.15.0 to 2.x): " INSTALL);
	check_version_fails("hyperfine 1.14.9",
			    "'/x/hyperfine' is hyperfine 1.14.9, older than spin-gate reads "
			    "(hyperfine 1.15.0 to 2.x): " INSTALL);
	check_version_fails("hyperfine 0.99.0",
			    "'/x/hyperfine' is hyperfine 0.99.0, older than spin-gate reads "
			    "(hyperfine 1.15.0 to 2.x): " INSTALL);
	check_version_fails("hyperfine 3.0.0",
			    "'/x/hyperfine' is hyperfine 3.0.0, newer than spin-gate reads "
			    "(hyperfine 1.15.0 to 2.x; its export may be a schema spin-gate does "
			    "not know): " INSTALL);
	check_version_fails("hyperfine two",
			    "'/x/hyperfine' printed 'hyperfine two' as its version, which "
			    "spin-gate cannot read: it reads hyperfine 1.15.0 to 2.x; " INSTALL);
}

/* An export the reader refuses: the reason is the log's last line, in
 * o->why, and the export is kept under the name the message gives (issue
 * 21: hyperfine 2.0 left an empty log and "could not time" without why). */
static void test_unreadable_export_told(void **state)
{
	struct fixture *f = *state;
	const char *argv[] = { "true", NULL };
	struct hyperfine_opts o = { 0 };
	struct buf why = BUF_INIT;
	struct sample s = blank_sample();
	char *hf, *log, *kept, *want, *said;

	hf = script(f, "hf2",
		    "for a; do case $prev in --export-json) out=$a;; esac; prev=$a; "
		    "done\nprintf '{\"schema_version\": 2, \"metadata\": "
		    "{\"hyperfine_version\": \"2.0.0\"}, \"results\": "
		    "[{\"measurements\": [{\"time_wall_clock\": {\"value\": 1}}]}]}' "
		    ">\"$out\"");
	kept = xstrfmt("%s.hyperfine.json", f->out);
	want = xstrfmt("'%s' (hyperfine 2.0.0, schema 2): results[0].measurements[0].time_user: "
		       "missing",
		       kept);
	o.hyperfine = hf;
	o.tmpdir = f->tmp;
	o.output = f->out;
	o.timeout = 10;
	o.version = "hyperfine 2.0.0";
	o.why = &why;
	msgs_begin();
	assert_int_equal(hyperfine_run_once(&o, argv, &s), -1);
	said = msgs_end();
	assert_string_equal(why.s, want);
	log = slurp(f->out);
	assert_non_null(strstr(log, want));
	assert_string_equal(strstr(log, "spin-gate: error: "), said);
	assert_true(access(kept, R_OK) == 0);
	assert_int_equal(entries(f->tmp), 0);
	free(log);
	free(said);

	/* hyperfine failing says so in the log too, after its own message */
	free(hf);
	hf = script(f, "hf-fails", "echo 'Error: something broke' >&2; exit 1");
	o.hyperfine = hf;
	msgs_begin();
	assert_int_equal(hyperfine_run_once(&o, argv, &s), -1);
	said = msgs_end();
	assert_string_equal(said, "spin-gate: error: hyperfine failed timing 'true': Error: "
				  "something broke\n");
	assert_string_equal(why.s, "hyperfine failed timing 'true': Error: something broke");
	log = slurp(f->out);
	assert_non_null(strstr(log, "Error: something broke\nspin-gate: error: hyperfine failed "
				    "timing 'true': Error: something broke\n"));
	free(log);
	free(said);
	buf_release(&why);
	free(want);
	free(kept);
	free(hf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_argv),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_captured),
		cmocka_unit_test(test_parse_schema2),
		cmocka_unit_test(test_parse_schema3),
		cmocka_unit_test(test_version_check),
		cmocka_unit_test_setup_teardown(test_unreadable_export_told, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arguments_survive_hyperfine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_code_and_sample_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cwd_env_and_discarded_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_and_sleep_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_kills_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_returns_error_with_flag, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hyperfine_failure_is_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_tmpdir, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
