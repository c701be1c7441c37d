/* cgroup: parsing mountinfo, /proc/self/cgroup and cpu.stat, and the runs'
 * own cgroup on this machine: a child started in it by proc_run() is
 * counted there, whatever its CPU. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "proc.h"
#include "testlib.h"

static void test_parse_mountinfo(void **state)
{
	char *m;

	(void)state;
	/* beside v1 controllers (a "hybrid" host) */
	m = cgroup_parse_mountinfo(
		"25 30 0:22 / /sys rw,nosuid - sysfs sysfs rw\n"
		"31 25 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755\n"
		"32 31 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 "
		"rw,nsdelegate\n"
		"33 31 0:28 / /sys/fs/cgroup/cpu rw shared:11 - cgroup cgroup rw,cpu\n");
	assert_string_equal(m, "/sys/fs/cgroup/unified");
	free(m);
	/* unified only, optional fields of several words */
	m = cgroup_parse_mountinfo(
		"35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev shared:9 "
		"master:1 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n");
	assert_string_equal(m, "/sys/fs/cgroup");
	free(m);
	/* a mount point with a space, escaped as the kernel writes it */
	m = cgroup_parse_mountinfo("40 1 0:40 / /mnt/my\\040cg rw - cgroup2 none rw\n");
	assert_string_equal(m, "/mnt/my cg");
	free(m);
	/* v1 only; a file system named like it */
	assert_null(cgroup_parse_mountinfo("33 31 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw\n"
					   "34 31 0:29 / /x rw - cgroup2fake none rw\n"));
	assert_null(cgroup_parse_mountinfo(""));
}

static void test_parse_self_and_stat(void **state)
{
	char *p;
	double usage, user, sys, t = 0;

	(void)state;
	p = cgroup_parse_self("4:memory:/x\n0::/user.slice/session-2.scope\n");
	assert_string_equal(p, "/user.slice/session-2.scope");
	free(p);
	p = cgroup_parse_self("9:name=systemd:/\n0::/");
	assert_string_equal(p, "/");
	free(p);
	assert_null(cgroup_parse_self("4:memory:/x\n"));

	assert_int_equal(cgroup_parse_stat("usage_usec 595439\nuser_usec 555207\n"
					   "system_usec 40232\nnice_usec 0\n",
					   &usage, &user, &sys),
			 0);
	assert_true(fabs(usage - 0.595439) < 1e-12);
	assert_true(fabs(user - 0.555207) < 1e-12);
	assert_true(fabs(sys - 0.040232) < 1e-12);
	/* "usage_usec_x" is not usage_usec */
	assert_int_equal(cgroup_parse_stat("usage_usec_x 5\nuser_usec 1\n", &usage, &user, &sys),
			 -1);
	assert_true(isnan(usage) && isnan(sys));

	assert_int_equal(cgroup_parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00 "
					       "total=106961\nfull avg10=0.00 total=104104\n",
					       &t),
			 0);
	assert_true(fabs(t - 0.106961) < 1e-12);
}

/* SPIN_GATE_CGROUP: "off", or a parent that cannot hold one, says why. */
static void test_run_init_refused(void **state)
{
	struct cgroup_run cg;
	struct buf why = BUF_INIT;
	char *dir = tmpdir_make("cgroup"), *want, *self = cgroup_self_dir(NULL);

	(void)state;
	setenv("SPIN_GATE_CGROUP", "off", 1);
	assert_int_equal(cgroup_run_init(&cg, &why), -1);
	assert_string_equal(why.s, "SPIN_GATE_CGROUP is off");
	assert_null(cg.dir);
	cgroup_run_release(&cg);

	want = xstrfmt("%s/missing", dir);
	setenv("SPIN_GATE_CGROUP", want, 1);
	if (self) {
		char *expect =
			xstrfmt("cannot create '%s/spin-gate-%ld': No such file or directory", want,
				(long)getpid());

		assert_int_equal(cgroup_run_init(&cg, &why), -1);
		assert_string_equal(why.s, expect);
		free(expect);
	} else {
		assert_int_equal(cgroup_run_init(&cg, &why), -1);
		assert_string_equal(why.s, "no cgroup2 file system is mounted");
	}
	assert_null(cg.dir);
	cgroup_run_release(&cg);
	/* a plain directory is no cgroup: made, but without cpu.pressure */
	setenv("SPIN_GATE_CGROUP", dir, 1);
	if (self) {
		assert_int_equal(cgroup_run_init(&cg, &why), -1);
		assert_non_null(strstr(why.s, "has no cpu.pressure"));
		cgroup_run_release(&cg);
	}
	unsetenv("SPIN_GATE_CGROUP");
	free(want);
	free(self);
	buf_release(&why);
	tmpdir_remove(dir);
}

/* The CPU of every child this process has waited for, seconds. */
static double children_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* A child that does a fixed amount of work in the runs' cgroup: the
 * cgroup's CPU is the child's as wait4() counted it (however long a busy
 * machine made it take), the gate is back in its own cgroup, and release
 * removes the cgroup. */
static void test_run_counts_child(void **state)
{
	const char *argv[] = { "sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done",
			       NULL };
	struct cgroup_run cg;
	struct cgroup_reading a, b;
	struct buf why = BUF_INIT;
	struct proc p = PROC_INIT;
	char *home, *dir;
	double kids;

	(void)state;
	unsetenv("SPIN_GATE_CGROUP");
	if (cgroup_run_init(&cg, &why) < 0) {
		/* not root, no cgroup2: the e2e test covers the fallback */
		printf("skipped: %s\n", why.s);
		buf_release(&why);
		cgroup_run_release(&cg);
		skip();
	}
	home = cgroup_self_dir(NULL);
	assert_string_equal(home, cg.home);
	assert_int_equal(cgroup_read(cg.dir, &a), 0);
	assert_true(a.cpu == 0 || a.cpu < 0.05); /* the gate stepped in and out */
	p.argv = argv;
	p.timeout = 60;
	p.quiet = 1;
	p.cgroup = &cg;
	kids = children_cpu();
	assert_int_equal(proc_run(&p), 0);
	kids = children_cpu() - kids;
	assert_int_equal(p.in_cgroup, 1);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(cgroup_read(cg.dir, &b), 0);
	/* the shell's CPU, to the kernel's accounting of each */
	assert_true(kids > 0.05);
	assert_true(fabs((b.cpu - a.cpu) - kids) < 0.01 + 0.05 * kids);
	assert_true(fabs(b.user + b.sys - b.cpu) < 0.01);
	assert_true(isfinite(b.stall) && b.stall >= a.stall);
	/* the gate is home again */
	{
		char *now_dir = cgroup_self_dir(NULL);

		assert_string_equal(now_dir, home);
		free(now_dir);
	}
	dir = xstrdup(cg.dir);
	cgroup_run_release(&cg);
	assert_int_equal(access(dir, F_OK), -1);
	free(dir);
	free(home);
	proc_release(&p);
	buf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_mountinfo),
		cmocka_unit_test(test_parse_self_and_stat),
		cmocka_unit_test(test_run_init_refused),
		cmocka_unit_test(test_run_counts_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
