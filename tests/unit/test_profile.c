/* Unit tests for the profile's pure parts: perf stat's output, which
 * subject is Python, the file names, the differential flame graph, the
 * line the renderers share, and the profile's round trip through
 * results.json. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "testlib.h"

#include "folded.h"
#include "profile.h"
#include "render.h"
#include "render_flame.h"

static void test_parse_stat(void **state)
{
	double sc, cs;

	(void)state;
	/* perf 6.1 -x, as run as root */
	assert_int_equal(profile_parse_stat("# started on Sun Nov 29 00:00:32 2026\n\n"
					    "1284294,,raw_syscalls:sys_enter,564418546,100.00,,\n"
					    "119,,context-switches,564418546,100.00,,\n",
					    &sc, &cs),
			 0);
	assert_true(sc == 1284294 && cs == 119);
	/* the tracepoint refused: counted switches only */
	assert_int_equal(profile_parse_stat("<not supported>,,raw_syscalls:sys_enter,0,100.00,,\n"
					    "7,,cs,1000,100.00,,\n",
					    &sc, &cs),
			 -1);
	assert_true(isnan(sc) && cs == 7);
	assert_int_equal(profile_parse_stat("", &sc, &cs), -1);
	assert_true(isnan(sc) && isnan(cs));
}

static void test_is_python(void **state)
{
	char *dir = tmpdir_make("profile");
	char *script = xstrfmt("%s/run", dir), *bin = xstrfmt("%s/run2", dir);
	const char *a1[] = { "/x/env/bin/python", "-m", "x", NULL };
	const char *a2[] = { "python3.9", NULL };
	const char *a3[] = { "/bin/sh", "-c", "x", NULL };
	const char *a4[] = { script, NULL };
	const char *a5[] = { bin, NULL };
	const char *a6[] = { "/x/bin/pythonic-not-there", NULL };

	(void)state;
	assert_true(profile_is_python(a1));
	assert_true(profile_is_python(a2));
	assert_false(profile_is_python(a3));
	assert_int_equal(fs_write_text(script, "#!/usr/bin/env python3\nprint(1)\n"), 0);
	chmod(script, 0755);
	assert_true(profile_is_python(a4));
	assert_int_equal(fs_write_text(bin, "#!/bin/sh\nexec python3 x.py\n"), 0);
	chmod(bin, 0755);
	assert_false(profile_is_python(a5)); /* a shell script that runs Python */
	assert_true(profile_is_python(a6));  /* by its name alone */
	tmpdir_remove(dir);
	free(script);
	free(bin);
}

static void test_slug(void **state)
{
	struct results r;
	struct scenario_result *sc;
	char *s;

	(void)state;
	results_init(&r);
	sc = test_scenario(&r, "input=partitioned long_input=True heavy_map=False processes=2");
	s = profile_slug(sc, 0);
	assert_string_equal(s, "1-input-partitioned-long_input-True-heavy_map-False-processes-2");
	free(s);
	free(sc->name);
	sc->name = xstrdup("../../etc/passwd; rm -rf /");
	s = profile_slug(sc, 9);
	assert_string_equal(s, "10-..-..-etc-passwd-rm-rf");
	free(s);
	free(sc->name);
	sc->name = xstrdup("///");
	s = profile_slug(sc, 1);
	assert_string_equal(s, "2-scenario");
	free(s);
	results_release(&r);
}

static void test_flame_diff(void **state)
{
	struct folded base = FOLDED_INIT, head = FOLDED_INIT;
	struct buf svg = BUF_INIT;

	(void)state;
	folded_parse(&base, "prog;main;wait 90\nprog;main;work 10\n");
	folded_parse(&head, "prog;main;spin<T> 80\nprog;main;work 20\n");
	render_flame_diff(&svg, &base, &head, "a & b");
	assert_non_null(strstr(svg.s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg.s, "a &amp; b"));
	/* head's frame only: the deepest red, its name escaped */
	assert_non_null(strstr(svg.s, "<title>spin&lt;T&gt; (head 80.0%, base 0.0%)</title>"));
	assert_non_null(strstr(svg.s, "fill=\"#ff2626\""));
	/* a larger share than base's: red, lighter */
	assert_non_null(strstr(svg.s, "<title>work (head 20.0%, base 10.0%)</title>"));
	/* the same share: white */
	assert_non_null(
		strstr(svg.s, "<title>main (head 100.0%, base 100.0%)</title><rect x=\"10.0\""));
	/* base's only stack does not show */
	assert_null(strstr(svg.s, "<title>wait"));
	assert_string_equal(svg.s + svg.len - 7, "</svg>\n");
	buf_release(&svg);
	folded_release(&base);
	folded_release(&head);
}

static struct scenario_profile *made_profile(void)
{
	struct scenario_profile *p = xcalloc(1, sizeof(*p));
	int k;

	for (k = 0; k < SIDE_COUNT; k++) {
		p->side[k].samples = p->side[k].wall = NAN;
		p->side[k].syscalls_per_s = p->side[k].cswitches_per_s = NAN;
	}
	p->side[SIDE_HEAD].tool = xstrdup("py-spy");
	p->side[SIDE_HEAD].samples = 500;
	p->side[SIDE_HEAD].ntop = 1;
	p->side[SIDE_HEAD].top[0].frame = xstrdup("select");
	p->side[SIDE_HEAD].top[0].under = xstrdup("Source.next");
	p->side[SIDE_HEAD].top[0].share = 0.61;
	p->side[SIDE_HEAD].top[0].other_share = 0.03;
	p->side[SIDE_HEAD].syscalls_per_s = 642147;
	p->side[SIDE_BASE].tool = xstrdup("py-spy");
	p->side[SIDE_BASE].samples = 0;
	p->side[SIDE_BASE].syscalls_per_s = 60;
	p->svg = xstrdup("profile/1-x-diff.svg");
	return p;
}

static void md_code(struct buf *out, const char *s)
{
	render_md_code(out, s);
}

static void test_profile_line(void **state)
{
	const struct render_profile_style md = { md_code, render_md_escape };
	struct scenario_profile *p = made_profile();
	struct buf b = BUF_INIT;

	(void)state;
	render_profile_line(&b, p, &md);
	assert_string_equal(b.s, "head: 61% in `select` under `Source.next` (base: 3.0%); base: no "
				 "CPU samples (it slept); system calls per wall s: head 642147, "
				 "base 60");
	/* a side that failed says why; both alike: once */
	p->side[SIDE_BASE].error = xstrdup("py-spy record wrote no stacks: Permission | denied");
	buf_reset(&b);
	render_profile_line(&b, p, &md);
	assert_non_null(strstr(b.s, "; base: not profiled: py-spy record wrote no stacks: "
				    "Permission \\| denied;"));
	p->side[SIDE_HEAD].error = xstrdup(p->side[SIDE_BASE].error);
	buf_reset(&b);
	render_profile_line(&b, p, &md);
	assert_string_equal(b.s,
			    "not profiled: py-spy record wrote no stacks: Permission \\| denied");
	buf_release(&b);
	scenario_profile_free(p);
}

/* A JIT's frames perf cannot name: said, with what to run instead, for
 * the JVM and Node.js only, and only when perf's top frame is unresolved. */
static void test_jit_hint(void **state)
{
	const struct render_profile_style md = { md_code, render_md_escape };
	const char *java[] = { "/usr/lib/jvm/bin/java", "-jar", "app.jar", NULL };
	const char *node[] = { "node", "spin.js", NULL };
	const char *rust[] = { "/env/bin/trigger", NULL };
	struct scenario_profile *p = made_profile();
	struct buf b = BUF_INIT;
	const char *h;

	(void)state;
	/* py-spy named the frames: nothing to say */
	assert_null(profile_jit_hint(java, p));
	free(p->side[SIDE_HEAD].tool);
	p->side[SIDE_HEAD].tool = xstrdup("perf");
	assert_null(profile_jit_hint(java, p)); /* "select" is a name */
	free(p->side[SIDE_HEAD].top[0].frame);
	p->side[SIDE_HEAD].top[0].frame = xstrdup("[perf-4242.map]");
	h = profile_jit_hint(java, p);
	assert_non_null(h);
	assert_non_null(strstr(h, "the JVM's JIT-compiled methods"));
	assert_non_null(strstr(h, "async-profiler"));
	assert_non_null(strstr(profile_jit_hint(node, p), "--perf-basic-prof"));
	/* a native binary's unresolved frame is not a JIT's */
	assert_null(profile_jit_hint(rust, p));
	free(p->side[SIDE_HEAD].top[0].frame);
	p->side[SIDE_HEAD].top[0].frame = xstrdup("[unknown]");
	assert_non_null(profile_jit_hint(node, p));
	/* the verdict's profile line says it last */
	p->hint = xstrdup(profile_jit_hint(node, p));
	render_profile_line(&b, p, &md);
	assert_non_null(strstr(b.s,
			       "base 60; perf cannot name Node.js's JIT-compiled functions "
			       "(the unresolved frames) unless node runs with --perf-basic-prof"));
	buf_release(&b);
	scenario_profile_free(p);
}

static void test_results_round_trip(void **state)
{
	char *dir = tmpdir_make("profile-json"), *path = xstrfmt("%s/results.json", dir);
	struct results r, back;
	struct scenario_result *sc;
	const struct profile_side *h;

	(void)state;
	results_init(&r);
	results_init(&back);
	sc = test_scenario(&r, "mode=spin");
	sc->cores = 1;
	sc->profile = made_profile();
	sc->profile->hint = xstrdup("see async-profiler");
	test_scenario(&r, "mode=sleep")->cores = 1;
	assert_int_equal(results_write(&r, NULL, path), 0);
	assert_int_equal(results_read(&back, path), 0);
	assert_non_null(back.scen[0].profile);
	assert_null(back.scen[1].profile);
	h = &back.scen[0].profile->side[SIDE_HEAD];
	assert_string_equal(h->tool, "py-spy");
	assert_int_equal(h->ntop, 1);
	assert_string_equal(h->top[0].frame, "select");
	assert_string_equal(h->top[0].under, "Source.next");
	assert_true(h->top[0].share == 0.61 && h->top[0].other_share == 0.03);
	assert_true(h->syscalls_per_s == 642147 && isnan(h->cswitches_per_s));
	assert_true(back.scen[0].profile->side[SIDE_BASE].samples == 0);
	assert_string_equal(back.scen[0].profile->svg, "profile/1-x-diff.svg");
	assert_string_equal(back.scen[0].profile->hint, "see async-profiler");
	results_release(&back);
	/* never judged, read leniently: a wrong type is left out, not refused */
	assert_int_equal(fs_write_text(path,
				       "{\"schema\":\"spin-gate/results\",\"version\":1,"
				       "\"scenarios\":[{\"name\":\"x\",\"cores\":1,"
				       "\"samples\":{\"base\":[],\"head\":[]},"
				       "\"profile\":{\"head\":{\"tool\":5,\"top\":[{\"frame\":"
				       "\"f\",\"share\":7},{\"x\":1}]},\"svg\":[]}}]}"),
			 0);
	results_init(&back);
	assert_int_equal(results_read(&back, path), 0);
	h = &back.scen[0].profile->side[SIDE_HEAD];
	assert_null(h->tool);
	assert_int_equal(h->ntop, 1);
	assert_true(isnan(h->top[0].share));
	assert_null(back.scen[0].profile->svg);
	results_release(&back);
	results_release(&r);
	tmpdir_remove(dir);
	free(path);
}

/* The line of a profiler's output that says why it failed. */
static void test_log_reason(void **state)
{
	char long_line[300], *got;

	(void)state;
	/* py-spy 0.4.3's failure, verbatim but for the pid: not its backtrace's
	 * last line */
	got = profile_log_reason(
		"Error: No python processes found in process 123 or any of its subprocesses\n"
		"stack backtrace:\n"
		"   0: std::backtrace::Backtrace::create\n"
		"   1: py_spy::sampler::Sampler::new\n"
		"             at src/sampler.rs:40\n"
		"   7: main\n"
		"note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose "
		"backtrace.\n");
	assert_string_equal(got,
			    "No python processes found in process 123 or any of its subprocesses");
	free(got);
	/* "Error:" wins over an earlier line; progress lines are skipped */
	got = profile_log_reason("py-spy> Sampling process 100 times a second\n"
				 "some warning\nError: Permission denied\n");
	assert_string_equal(got, "Permission denied");
	free(got);
	/* perf's "Error:" alone: the reason below it */
	got = profile_log_reason("Error:\n\nAccess to performance monitoring and observability "
				 "operations is limited.\nConsider tweaking\n");
	assert_string_equal(got, "Access to performance monitoring and observability operations "
				 "is limited.");
	free(got);
	/* no "Error:": the first line that is not a backtrace's nor progress */
	got = profile_log_reason("[ perf record: Woken up 1 times to write data ]\n"
				 "stack backtrace:\n  7: main\n\n  \tperf: oops\r\nlater\n");
	assert_string_equal(got, "perf: oops");
	free(got);
	got = profile_log_reason("stack backtrace:\n   7: main\n");
	assert_string_equal(got, "(no output)");
	free(got);
	got = profile_log_reason("");
	assert_string_equal(got, "(no output)");
	free(got);
	/* cut to PROFILE_REASON_MAX bytes, control characters as spaces */
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	memcpy(long_line, "Error: a\tb", 10);
	got = profile_log_reason(long_line);
	assert_int_equal(strlen(got), PROFILE_REASON_MAX + 3);
	assert_memory_equal(got, "a b", 3);
	assert_string_equal(got + PROFILE_REASON_MAX, "...");
	free(got);
	/* not in the middle of a UTF-8 character */
	memset(long_line, 'x', sizeof(long_line) - 1);
	memcpy(long_line + PROFILE_REASON_MAX - 1, "\xc3\xa9", 2);
	got = profile_log_reason(long_line);
	assert_int_equal(strlen(got), PROFILE_REASON_MAX - 1 + 3);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_stat),   cmocka_unit_test(test_is_python),
		cmocka_unit_test(test_slug),	     cmocka_unit_test(test_flame_diff),
		cmocka_unit_test(test_profile_line), cmocka_unit_test(test_results_round_trip),
		cmocka_unit_test(test_log_reason),   cmocka_unit_test(test_jit_hint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
