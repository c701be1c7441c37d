/* sysload: parsing the kernel's counters, and a run's contention from two
 * marks around real work of another process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sysload.h"
#include "testlib.h"

static void test_parse_stat(void **state)
{
	unsigned long long busy, steal, total;

	(void)state;
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	assert_int_equal(sysload_parse_stat("cpu  100 5 40 800 30 2 3 20 7 0\ncpu0 1 2 3\n", &busy,
					    &steal, &total),
			 0);
	assert_int_equal(busy, 100 + 5 + 40 + 2 + 3);
	assert_int_equal(steal, 20);
	assert_int_equal(total, 100 + 5 + 40 + 800 + 30 + 2 + 3 + 20);
	assert_int_equal(sysload_parse_stat("cpu0 1 2 3 4 5 6 7 8\n", &busy, &steal, &total), -1);
	assert_int_equal(sysload_parse_stat("cpu  1 2 3\n", &busy, &steal, &total), -1);
}

static void test_parse_pressure(void **state)
{
	double t = 0;

	(void)state;
	assert_int_equal(cgroup_parse_pressure("some avg10=0.01 avg60=1.15 avg300=0.67 "
					       "total=2913381\nfull avg10=0.00 avg60=0.00 "
					       "avg300=0.00 total=0\n",
					       &t),
			 0);
	assert_true(fabs(t - 2.913381) < 1e-9);
	assert_int_equal(cgroup_parse_pressure("full avg10=0.00 total=5\n", &t), -1);
	assert_int_equal(cgroup_parse_pressure("some avg10=0.00\n", &t), -1);
}

/* The CPU model that results.json records and merge compares. */
static void test_parse_cpu_model(void **state)
{
	char *m;

	(void)state;
	m = sysload_parse_cpu_model("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
				    "model name\t: AMD EPYC 7B13 64-Core Processor  \n"
				    "model name\t: second\n");
	assert_string_equal(m, "AMD EPYC 7B13 64-Core Processor");
	free(m);
	/* Arm: no model name */
	m = sysload_parse_cpu_model("processor\t: 0\nBogoMIPS\t: 50.00\n"
				    "Hardware\t: BCM2835\n");
	assert_string_equal(m, "BCM2835");
	free(m);
	/* "cpu MHz" is not "cpu" */
	m = sysload_parse_cpu_model("cpu MHz\t\t: 2400\ncpu\t\t: POWER9 (raw)\n");
	assert_string_equal(m, "POWER9 (raw)");
	free(m);
	assert_null(sysload_parse_cpu_model("processor\t: 0\nmodel name\t:   \n"));
	assert_null(sysload_parse_cpu_model(""));
}

static void test_sample_arithmetic(void **state)
{
	struct sysload_mark a = { .wall = 10.0,
				  .busy = 50.0,
				  .steal = 1.0,
				  .total = 400.0,
				  .own = 3.0,
				  .pressure = 7.0,
				  .source = PRESSURE_GATE,
				  .have = SYSLOAD_STAT | SYSLOAD_PRESSURE };
	struct sysload_mark b = { .wall = 12.0,
				  .busy = 53.0,
				  .steal = 1.2,
				  .total = 404.0,
				  .own = 4.0,
				  .pressure = 7.5,
				  .source = PRESSURE_GATE,
				  .have = SYSLOAD_STAT | SYSLOAD_PRESSURE };
	struct sample s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.wall = 1.0; /* half the span between the marks */
	sysload_sample(&a, &b, &s);
	/* busy 3 s, own 1 s: others 2 s over the span, 1 s over the run */
	assert_true(fabs(s.others_cpu - 1.0) < 1e-9);
	assert_true(fabs(s.steal - 0.1) < 1e-9);
	assert_true(fabs(s.cpu_pressure - 0.25) < 1e-9);
	assert_int_equal(s.pressure_source, PRESSURE_GATE);
	assert_true(isnan(s.cgroup_cpu));
	assert_true(fabs(sysload_steal_percent(&a, &b) - 5.0) < 1e-9);
	/* the runs' cgroup read on both marks: its stall and CPU are the
	 * run's alone, not scaled to the run's share of the span */
	a.have |= SYSLOAD_RUN;
	b.have |= SYSLOAD_RUN;
	a.run_stall = 2.0;
	b.run_stall = 2.3;
	a.run_cpu = 10.0;
	b.run_cpu = 11.5;
	sysload_sample(&a, &b, &s);
	assert_true(fabs(s.cpu_pressure - 0.3) < 1e-9);
	assert_true(fabs(s.cgroup_cpu - 1.5) < 1e-9);
	assert_int_equal(s.pressure_source, PRESSURE_RUN);
	assert_true(fabs(s.others_cpu - 1.0) < 1e-9);
	/* one mark without it (the run did not start in it): the gate's */
	b.have &= ~(unsigned)SYSLOAD_RUN;
	sysload_sample(&a, &b, &s);
	assert_true(fabs(s.cpu_pressure - 0.25) < 1e-9);
	assert_int_equal(s.pressure_source, PRESSURE_GATE);
	assert_true(isnan(s.cgroup_cpu));
	/* own beyond busy (tick accounting): never below zero */
	b.own = 9.0;
	sysload_sample(&a, &b, &s);
	assert_true(s.others_cpu == 0.0);
	/* counters missing on one side: unknown */
	b.have = SYSLOAD_PRESSURE;
	sysload_sample(&a, &b, &s);
	assert_true(isnan(s.others_cpu) && isnan(s.steal));
	assert_true(isfinite(s.cpu_pressure));
	assert_true(isnan(sysload_steal_percent(&a, &b)));
	s.wall = NAN; /* a timed-out run */
	sysload_sample(&a, &a, &s);
	assert_true(isnan(s.others_cpu) && isnan(s.cpu_pressure));
}

/* A process that is not the gate's child to wait for (it is reaped after
 * the second mark) burns CPU for 0.6 s between the marks: others_cpu sees
 * it, and the gate's own sleep is not counted. */
static void test_others_are_seen(void **state)
{
	struct sysload sl;
	struct sysload_mark a, b;
	struct sample s;
	struct timespec pause = { 0, 700000000L };
	pid_t pid;
	double t0;

	(void)state;
	sysload_init(&sl);
	assert_non_null(sl.pressure_path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		volatile unsigned long x = 0;

		t0 = now();
		while (now() - t0 < 0.6)
			x++;
		_exit(0);
	}
	sysload_mark(&sl, &a);
	nanosleep(&pause, NULL);
	sysload_mark(&sl, &b);
	waitpid(pid, NULL, 0);
	memset(&s, 0, sizeof(s));
	s.wall = b.wall - a.wall;
	sysload_sample(&a, &b, &s);
	assert_true(a.have & SYSLOAD_STAT);
	/* 0.6 s of the child's CPU, give or take clock ticks and whatever else
	 * the machine ran */
	assert_true(s.others_cpu > 0.4);
	assert_true(s.others_cpu < s.wall * (double)sysconf(_SC_NPROCESSORS_ONLN) + 0.05);
	sysload_release(&sl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_stat),	cmocka_unit_test(test_parse_pressure),
		cmocka_unit_test(test_parse_cpu_model), cmocka_unit_test(test_sample_arithmetic),
		cmocka_unit_test(test_others_are_seen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
