/* Unit tests for src/lib/proc.c: real children (sh, sleep, head), bounded by
 * short timeouts; every test runs well under 10 s. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "msg.h"
#include "proc.h"
#include "testlib.h"

static void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Dead: no such process, or a zombie waiting for a reaper that is not us
 * (in a container pid 1 may never reap). Waits up to 3 s. */
static int pid_gone(pid_t pid)
{
	double until = now() + 3;

	while (now() < until) {
		char path[64], stat[256];
		const char *close_paren;
		size_t n;
		FILE *f;

		if (kill(pid, 0) < 0 && errno == ESRCH)
			return 1;
		snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
		f = fopen(path, "r");
		if (f) {
			n = fread(stat, 1, sizeof(stat) - 1, f);
			stat[n] = '\0';
			fclose(f);
			close_paren = strrchr(stat, ')');
			if (close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z')
				return 1;
		}
		nap(0.02);
	}
	return 0;
}

static pid_t read_pid(const char *path)
{
	struct buf b = BUF_INIT;
	char *end;
	long v;

	assert_int_equal(buf_read_file(&b, path), 0);
	v = strtol(b.s, &end, 10);
	assert_true(end != b.s && v > 1);
	buf_release(&b);
	return (pid_t)v;
}

static int setup(void **state)
{
	(void)state;
	proc_interrupted_reset();
	proc_disable_pidfd(0);
	return 0;
}

static void test_exit_codes(void **state)
{
	const char *ok[] = { "true", NULL };
	const char *seven[] = { "sh", "-c", "exit 7", NULL };
	const char *killed[] = { "sh", "-c", "kill -9 $$", NULL };
	struct proc p = PROC_INIT;

	(void)state;
	p.argv = ok;
	p.quiet = 1;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(p.term_signal, 0);
	assert_int_equal(p.timed_out, 0);
	assert_true(p.pid > 0);
	assert_true(p.elapsed > 0 && p.elapsed < 5);

	p.argv = seven;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.exit_code, 7);
	assert_int_equal(p.term_signal, 0);

	p.argv = killed;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.exit_code, -1);
	assert_int_equal(p.term_signal, SIGKILL);
	proc_release(&p);
}

/* The rusage of what the child waited for: ten sleeps are ten waits (and
 * ten children's); a 20 MB string shows in the peak resident set; a
 * command that never ran has no usage. */
static void test_usage_of_the_tree(void **state)
{
	const char *sleeps[] = { "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.01; done",
				 NULL };
	const char *big[] = { "sh", "-c", "x=$(head -c 20000000 /dev/zero | tr '\\0' a); :", NULL };
	const char *missing[] = { "spin-gate-no-such-program", NULL };
	struct proc p = PROC_INIT;

	(void)state;
	p.argv = sleeps;
	p.quiet = 1;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.exit_code, 0);
	assert_true(p.usage.measured);
	assert_true(p.usage.vcsw >= 10);
	assert_true(p.usage.ivcsw >= 0);
	assert_true(p.usage.minflt > 0);
	assert_true(p.usage.majflt >= 0);
	assert_true(p.usage.max_rss > 0);
	/* under valgrind the child's peak includes valgrind's own, copied at fork */
	if (!strstr(getenv("LD_PRELOAD") ? getenv("LD_PRELOAD") : "", "vgpreload"))
		assert_true(p.usage.max_rss < 20000);

	p.argv = big;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.exit_code, 0);
	assert_true(p.usage.max_rss > 20000); /* KiB */

	msgs_begin();
	p.argv = missing;
	assert_int_equal(proc_run(&p), -1);
	free(msgs_end());
	assert_false(p.usage.measured);
	assert_true(p.usage.vcsw == 0 && p.usage.max_rss == 0);
	proc_release(&p);
}

static void test_not_found_is_clean_error(void **state)
{
	const char *argv[] = { "spin-gate-no-such-command", "x", NULL };
	const char *slash[] = { "/nonexistent/spin-gate-cmd", NULL };
	struct proc p = PROC_INIT;
	struct buf out = BUF_INIT;
	unsigned before;
	char *said;

	(void)state;
	p.argv = argv;
	p.quiet = 1;
	msgs_begin();
	assert_int_equal(proc_run(&p), -1);
	p.argv = slash;
	assert_int_equal(proc_run(&p), -1);
	said = msgs_end();
	assert_string_equal(
		said,
		"spin-gate: error: cannot run 'spin-gate-no-such-command': command not found\n"
		"spin-gate: error: cannot run '/nonexistent/spin-gate-cmd': No such file or "
		"directory\n");
	assert_int_equal(p.pid, 0);
	free(said);

	/* proc_capture says nothing: its callers do */
	before = msg_error_count();
	assert_int_equal(proc_capture(argv, NULL, 5, &out), -1);
	assert_int_equal(msg_error_count(), before);
	buf_release(&out);
}

static void test_capture_large_output(void **state)
{
	/* 3 MiB on stdout and 1 MiB on stderr at once: neither pipe may fill up */
	const char *argv[] = { "sh", "-c",
			       "head -c 1048576 /dev/zero >&2 & head -c 3145728 /dev/zero; wait",
			       NULL };
	struct buf out = BUF_INIT;
	struct proc p = PROC_INIT;
	size_t i, nonzero = 0;

	(void)state;
	p.argv = argv;
	p.capture = &out;
	p.timeout = 8;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.timed_out, 0);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(out.len, 3145728);
	for (i = 0; i < out.len; i++)
		nonzero += out.s[i] != 0;
	assert_int_equal(nonzero, 0);
	assert_int_equal(out.s[out.len], '\0');
	buf_release(&out);
}

static void test_capture_trims_and_fails(void **state)
{
	const char *two[] = { "printf", "a b\n\n", NULL };
	const char *bad[] = { "sh", "-c", "echo partial; exit 2", NULL };
	struct buf out = BUF_INIT;

	(void)state;
	buf_adds(&out, "stale");
	assert_int_equal(proc_capture(two, NULL, 5, &out), 0);
	assert_string_equal(out.s, "a b");
	assert_int_equal(proc_capture(bad, NULL, 5, &out), -1);
	assert_string_equal(out.s, "partial");
	buf_release(&out);
}

static void test_out_path_appends_both_streams(void **state)
{
	const char *argv[] = { "sh", "-c", "echo out; echo err >&2", NULL };
	char *dir = tmpdir_make("proc");
	char *log = xstrfmt("%s/log.txt", dir);
	struct proc p = PROC_INIT;
	struct buf b = BUF_INIT;
	FILE *f;

	(void)state;
	f = fopen(log, "w");
	assert_non_null(f);
	fputs("old\n", f);
	fclose(f);
	p.argv = argv;
	p.out_path = log;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(buf_read_file(&b, log), 0);
	assert_string_equal(b.s, "old\nout\nerr\nout\nerr\n");

	/* with capture, stdout is captured and only stderr goes to the file */
	buf_reset(&b);
	unlink(log);
	{
		struct buf out = BUF_INIT;

		p.capture = &out;
		assert_int_equal(proc_run(&p), 0);
		assert_string_equal(out.s, "out\n");
		buf_release(&out);
	}
	assert_int_equal(buf_read_file(&b, log), 0);
	assert_string_equal(b.s, "err\n");

	buf_release(&b);
	tmpdir_remove(dir);
	free(log);
}

static void test_env_added_replaced_removed(void **state)
{
	const char *env[] = { "SPIN_GATE_T_REPL=new", "SPIN_GATE_T_ADD=added=twice",
			      "SPIN_GATE_T_GONE", NULL };
	const char *show[] = { "sh", "-c",
			       "printf '%s|%s|%s|%s' \"$SPIN_GATE_T_KEEP\" \"$SPIN_GATE_T_REPL\" "
			       "\"$SPIN_GATE_T_ADD\" \"${SPIN_GATE_T_GONE-unset}\"",
			       NULL };
	const char *dump[] = { "env", NULL };
	struct proc p = PROC_INIT;
	struct buf out = BUF_INIT;
	const char *at;
	int count = 0;

	(void)state;
	setenv("SPIN_GATE_T_KEEP", "keep", 1);
	setenv("SPIN_GATE_T_REPL", "old", 1);
	setenv("SPIN_GATE_T_GONE", "here", 1);
	p.argv = show;
	p.env = env;
	p.capture = &out;
	assert_int_equal(proc_run(&p), 0);
	assert_string_equal(out.s, "keep|new|added=twice|unset");

	/* replaced, not duplicated */
	buf_reset(&out);
	p.argv = dump;
	assert_int_equal(proc_run(&p), 0);
	for (at = out.s; (at = strstr(at, "SPIN_GATE_T_REPL=")); at++)
		count++;
	assert_int_equal(count, 1);
	assert_non_null(strstr(out.s, "\nSPIN_GATE_T_REPL=new\n"));
	/* the gate's own environment is untouched */
	assert_string_equal(getenv("SPIN_GATE_T_REPL"), "old");
	buf_release(&out);
	unsetenv("SPIN_GATE_T_KEEP");
	unsetenv("SPIN_GATE_T_REPL");
	unsetenv("SPIN_GATE_T_GONE");
}

static void test_cwd(void **state)
{
	const char *argv[] = { "pwd", "-P", NULL };
	char *dir = tmpdir_make("proc");
	char *real = realpath(dir, NULL);
	char *missing = xstrfmt("%s/missing", dir);
	struct buf out = BUF_INIT;
	struct proc p = PROC_INIT;
	char *said;

	(void)state;
	assert_int_equal(proc_capture(argv, dir, 5, &out), 0);
	assert_string_equal(out.s, real);

	p.argv = argv;
	p.cwd = missing;
	p.quiet = 1;
	msgs_begin();
	assert_int_equal(proc_run(&p), -1);
	said = msgs_end();
	{
		char *want = xstrfmt("spin-gate: error: cannot run 'pwd': cannot change to '%s': "
				     "No such file or directory\n",
				     missing);
		assert_string_equal(said, want);
		free(want);
	}
	free(said);
	buf_release(&out);
	tmpdir_remove(dir);
	free(missing);
	free(real);
}

/* sh starts a background sleep, notes its pid, and waits. */
static void timeout_kills_group(void)
{
	char *dir = tmpdir_make("proc");
	char *pidfile = xstrfmt("%s/pid", dir);
	char *script = xstrfmt("sleep 30 & echo $! > '%s'; wait", pidfile);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc p = PROC_INIT;
	pid_t grandchild;

	p.argv = argv;
	p.quiet = 1;
	p.timeout = 0.5;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.timed_out, 1);
	assert_int_equal(p.interrupted, 0);
	assert_int_equal(p.exit_code, -1);
	assert_int_equal(p.term_signal, SIGTERM);
	assert_true(p.elapsed >= 0.45 && p.elapsed < 3);
	grandchild = read_pid(pidfile);
	assert_true(pid_gone(grandchild));
	assert_true(pid_gone(p.pid));

	tmpdir_remove(dir);
	free(script);
	free(pidfile);
}

static void test_timeout_kills_grandchild(void **state)
{
	(void)state;
	timeout_kills_group();
}

static void test_timeout_kills_grandchild_without_pidfd(void **state)
{
	(void)state;
	proc_disable_pidfd(1);
	timeout_kills_group();
	proc_disable_pidfd(0);
}

static void test_sigterm_ignored_escalates_to_sigkill(void **state)
{
	const char *argv[] = { "sh", "-c", "trap '' TERM; sleep 30", NULL };
	struct proc p = PROC_INIT;

	(void)state;
	p.argv = argv;
	p.quiet = 1;
	p.timeout = 0.3;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.timed_out, 1);
	assert_int_equal(p.term_signal, SIGKILL);
	assert_true(p.elapsed >= 0.3 + PROC_GRACE - 0.1 && p.elapsed < 0.3 + PROC_GRACE + 2);
}

static void test_exited_child_leaves_no_orphan(void **state)
{
	char *dir = tmpdir_make("proc");
	char *pidfile = xstrfmt("%s/pid", dir);
	char *script = xstrfmt("sleep 30 & echo $! > '%s'; exit 4", pidfile);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct buf out = BUF_INIT;
	struct proc p = PROC_INIT;

	(void)state;
	p.argv = argv;
	p.capture = &out; /* the orphan holds the pipe: must not hang */
	p.timeout = 8;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.timed_out, 0);
	assert_int_equal(p.exit_code, 4);
	assert_true(p.elapsed < 2);
	assert_true(pid_gone(read_pid(pidfile)));
	buf_release(&out);
	tmpdir_remove(dir);
	free(script);
	free(pidfile);
}

/* Without the gate as reaper, a process that left the child's group
 * (setsid) outlives it unseen: what proc_subreaper() is for. Runs before
 * any test enables it. */
static void test_escaped_unseen_without_reaper(void **state)
{
	char *dir = tmpdir_make("proc");
	char *pidfile = xstrfmt("%s/pid", dir);
	char *script = xstrfmt("setsid sleep 30 & echo $! > '%s'; sleep 0.1; exit 0", pidfile);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc p = PROC_INIT;
	pid_t pid;

	(void)state;
	p.argv = argv;
	p.timeout = 8;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(p.left_behind, 0);
	pid = read_pid(pidfile);
	assert_int_equal(kill(pid, 0), 0); /* still running */
	kill(pid, SIGKILL);
	tmpdir_remove(dir);
	free(script);
	free(pidfile);
}

/* As the reaper: a daemon left in the group and one that escaped it are
 * both counted, killed and reaped; an orphan that had already ended is
 * reaped but not "left behind". */
static void test_reaper_kills_and_counts_leftovers(void **state)
{
	char *dir = tmpdir_make("proc");
	char *pid1 = xstrfmt("%s/pid1", dir), *pid2 = xstrfmt("%s/pid2", dir);
	char *script = xstrfmt("(true &); sleep 303 & echo $! > '%s'; setsid sleep 304 & "
			       "echo $! > '%s'; sleep 0.2; exit 0",
			       pid1, pid2);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc p = PROC_INIT;

	(void)state;
	assert_int_equal(proc_subreaper(), 0);
	p.argv = argv;
	p.timeout = 8;
	p.quiet = 1; /* a failure must not leave them holding our output */
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(p.left_behind, 2);
	assert_true(p.elapsed < 2);
	/* reaped by proc_run: no zombie left either */
	assert_true(kill(read_pid(pid1), 0) < 0 && errno == ESRCH);
	assert_true(kill(read_pid(pid2), 0) < 0 && errno == ESRCH);
	tmpdir_remove(dir);
	free(script);
	free(pid1);
	free(pid2);
}

/* What an escaped process burned while the command ran is counted. */
static void test_reaper_counts_orphans_cpu(void **state)
{
	char *dir = tmpdir_make("proc");
	char *pidfile = xstrfmt("%s/pid", dir);
	char *script = xstrfmt("setsid sh -c 'while :; do :; done' & echo $! > '%s'; sleep 0.6; "
			       "exit 0",
			       pidfile);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc p = PROC_INIT;
	pid_t pid;
	int ran;

	(void)state;
	assert_int_equal(proc_subreaper(), 0);
	p.argv = argv;
	p.timeout = 8;
	p.quiet = 1;
	ran = proc_run(&p);
	pid = read_pid(pidfile);
	if (pid > 0 && kill(pid, 0) == 0) /* a failure must not leave it spinning */
		kill(pid, SIGKILL);
	tmpdir_remove(dir);
	free(script);
	free(pidfile);
	assert_int_equal(ran, 0);
	assert_int_equal(p.left_behind, 1);
	/* 0.6 s of spinning, on a busy 2-core machine at least a little */
	assert_true(p.orphans_user + p.orphans_sys > 0.05);
}

/* A child the gate had before is not this run's leftover. */
static void test_reaper_spares_other_children(void **state)
{
	const char *argv[] = { "true", NULL };
	struct proc p = PROC_INIT;
	pid_t other = fork();
	int status;

	(void)state;
	if (other == 0) {
		pause();
		_exit(0);
	}
	assert_true(other > 0);
	assert_int_equal(proc_subreaper(), 0);
	p.argv = argv;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.left_behind, 0);
	assert_int_equal(kill(other, 0), 0);
	kill(other, SIGKILL);
	assert_int_equal(waitpid(other, &status, 0), other);
}

static void send_sigterm(int sig)
{
	(void)sig;
	kill(getpid(), SIGTERM);
}

/* In `after` seconds, SIGTERM to ourselves, like a CI runner cancelling. */
static void sigterm_in(double after)
{
	struct itimerval it;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = send_sigterm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t)after;
	it.it_value.tv_usec = (suseconds_t)((after - (double)(time_t)after) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void interrupt_kills_group(void)
{
	char *dir = tmpdir_make("proc");
	char *pidfile = xstrfmt("%s/pid", dir);
	char *script = xstrfmt("sleep 30 & echo $! > '%s'; wait", pidfile);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc p = PROC_INIT;

	proc_signals_install();
	sigterm_in(0.3);
	p.argv = argv;
	p.quiet = 1;
	p.timeout = 30;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.interrupted, SIGTERM);
	assert_int_equal(proc_interrupted(), SIGTERM);
	assert_int_equal(p.timed_out, 0);
	assert_int_equal(p.term_signal, SIGTERM);
	assert_true(p.elapsed >= 0.25 && p.elapsed < 3);
	assert_true(pid_gone(read_pid(pidfile)));

	/* with the flag still set, a new child is stopped at once */
	p.timeout = 0;
	assert_int_equal(proc_run(&p), 0);
	assert_int_equal(p.interrupted, SIGTERM);
	assert_true(p.elapsed < 3);

	proc_interrupted_reset();
	assert_int_equal(proc_interrupted(), 0);
	tmpdir_remove(dir);
	free(script);
	free(pidfile);
}

static void test_interrupt_kills_group(void **state)
{
	(void)state;
	interrupt_kills_group();
}

static void test_interrupt_kills_group_without_pidfd(void **state)
{
	(void)state;
	proc_disable_pidfd(1);
	interrupt_kills_group();
	proc_disable_pidfd(0);
}

static void test_child_gets_no_stray_fds_and_null_stdin(void **state)
{
	const char *argv[] = { "sh", "-c", "ls /proc/$$/fd; cat", NULL };
	struct buf out = BUF_INIT;
	int fd, leaked, saved_stdin, feed[2];

	(void)state;
	/* as another module (or libcurl) might leave one without O_CLOEXEC */
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	leaked = dup2(fd, 57);
	assert_int_equal(leaked, 57);
	close(fd);
	/* our stdin a pipe nobody writes to: a child reading it would hang */
	assert_int_equal(pipe(feed), 0);
	saved_stdin = dup(0);
	assert_true(saved_stdin >= 0);
	assert_int_equal(dup2(feed[0], 0), 0);
	assert_int_equal(proc_capture(argv, NULL, 2, &out), 0);
	assert_string_equal(out.s, "0\n1\n2");
	dup2(saved_stdin, 0);
	close(saved_stdin);
	close(feed[0]);
	close(feed[1]);
	close(leaked);
	buf_release(&out);
}

static void test_gate_with_closed_std_streams(void **state)
{
	/* stdout and stderr closed: /dev/null lands on 1 and the capture pipe
	 * on 2 and 3, so the child's stderr must come from a descriptor that
	 * its own stdout's dup2 would overwrite unless moved out of the way. */
	const char *argv[] = { "sh", "-c", "echo out; echo err >&2", NULL };
	struct buf out = BUF_INIT;
	int saved1, saved2, rc;

	(void)state;
	fflush(stdout);
	fflush(stderr);
	saved1 = dup(1);
	saved2 = dup(2);
	assert_true(saved1 >= 3 && saved2 >= 3);
	close(1);
	close(2);
	rc = proc_capture(argv, NULL, 5, &out);
	dup2(saved1, 1);
	dup2(saved2, 2);
	close(saved1);
	close(saved2);
	assert_int_equal(rc, 0);
	assert_string_equal(out.s, "out");
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exit_codes, setup),
		cmocka_unit_test_setup(test_not_found_is_clean_error, setup),
		cmocka_unit_test_setup(test_usage_of_the_tree, setup),
		cmocka_unit_test_setup(test_capture_large_output, setup),
		cmocka_unit_test_setup(test_capture_trims_and_fails, setup),
		cmocka_unit_test_setup(test_out_path_appends_both_streams, setup),
		cmocka_unit_test_setup(test_env_added_replaced_removed, setup),
		cmocka_unit_test_setup(test_cwd, setup),
		cmocka_unit_test_setup(test_gate_with_closed_std_streams, setup),
		cmocka_unit_test_setup(test_timeout_kills_grandchild, setup),
		cmocka_unit_test_setup(test_timeout_kills_grandchild_without_pidfd, setup),
		cmocka_unit_test_setup(test_sigterm_ignored_escalates_to_sigkill, setup),
		cmocka_unit_test_setup(test_exited_child_leaves_no_orphan, setup),
		cmocka_unit_test_setup(test_interrupt_kills_group, setup),
		cmocka_unit_test_setup(test_interrupt_kills_group_without_pidfd, setup),
		cmocka_unit_test_setup(test_child_gets_no_stray_fds_and_null_stdin, setup),
		/* the reaper stays on once set: these come last */
		cmocka_unit_test_setup(test_escaped_unseen_without_reaper, setup),
		cmocka_unit_test_setup(test_reaper_kills_and_counts_leftovers, setup),
		cmocka_unit_test_setup(test_reaper_counts_orphans_cpu, setup),
		cmocka_unit_test_setup(test_reaper_spares_other_children, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
