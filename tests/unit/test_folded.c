/* Unit tests for src/model/folded.c: perf script collapsed, py-spy's raw lines
 * normalised, the top frames by self share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#include "folded.h"

/* perf script -F comm,ip,sym,dso, as perf 6.1 writes it: leaf first. */
static const char perf_text[] =
	"sigprog \n"
	"\t    1149 spin_until (/tmp/t/sigprog)\n"
	"\t    1190 main (/tmp/t/sigprog)\n"
	"\t   2724a __libc_start_call_main (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
	"\n"
	"sigprog \n"
	"\t    1149 spin_until (/tmp/t/sigprog)\n"
	"\t    1190 main (/tmp/t/sigprog)\n"
	"\t   2724a __libc_start_call_main (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
	"\n"
	"sigprog \n"
	"\tffffffff821c9e93 clock_gettime_k ([kernel.kallsyms])\n"
	"\t    7ffd1 [unknown] ([vdso])\n"
	"\t    1160 now (/tmp/t/sigprog)\n"
	"\t    1149 spin_until (/tmp/t/sigprog)\n"
	"\t    1190 main (/tmp/t/sigprog)\n"
	"\n"
	"sh \n"
	"\t   153e0 update_active.constprop.0 (/usr/lib/ld-linux-x86-64.so.2)\n"
	"\t       0 [unknown] ([unknown])\n";

static void test_perf_script(void **state)
{
	struct folded f = FOLDED_INIT;
	struct buf out = BUF_INIT;

	(void)state;
	assert_int_equal(folded_from_perf_script(&f, perf_text), 4);
	assert_true(f.total == 4);
	folded_write(&f, &out);
	assert_string_equal(out.s, "sh;[unknown];update_active.constprop.0 1\n"
				   "sigprog;__libc_start_call_main;main;spin_until 2\n"
				   "sigprog;main;spin_until;now;[vdso];clock_gettime_k_[k] 1\n");
	buf_release(&out);
	folded_release(&f);
}

static void test_pyspy_normalised(void **state)
{
	struct folded f = FOLDED_INIT;
	struct buf out = BUF_INIT;

	(void)state;
	assert_int_equal(
		folded_parse(&f,
			     "process 2399:\"python spin.py\";0x7f3007c7324a (libc.so.6);<module> "
			     "(spin.py:6);poll_source (spin.py:3);select_select_impl "
			     "(selectmodule.c) 3\n"
			     "process 2400:\"python spin.py\";<module> (spin.py:7);poll_source "
			     "(spin.py:4);select_select_impl (selectmodule.c) 2\n"
			     "garbage without a count\n"
			     "process 2399:\"\";0x7fff31453900 (?);? 1\n"
			     "process 7:\"python c.py\";process 8:\"python -a "
			     "127.0.0.1:1;127.0.0.1:2\";<module> "
			     "(spin.py:7);poll_source (spin.py:4);select_select_impl "
			     "(selectmodule.c) 4\n"),
		4);
	folded_write(&f, &out);
	assert_string_equal(out.s, "process;<module> (spin.py);poll_source (spin.py);"
				   "select_select_impl (selectmodule.c) 2\n"
				   "process;[?];[unknown] 1\n"
				   "process;[libc.so.6];<module> (spin.py);poll_source (spin.py);"
				   "select_select_impl (selectmodule.c) 3\n"
				   "process;process;<module> (spin.py);poll_source (spin.py);"
				   "select_select_impl (selectmodule.c) 4\n");
	buf_release(&out);
	folded_release(&f);
}

/* Rust frames of two builds line up: hash dropped, escapes decoded. */
static void test_rust_symbols(void **state)
{
	struct folded f = FOLDED_INIT;
	struct buf out = BUF_INIT;

	(void)state;
	folded_parse(&f,
		     "pyo3::instance::Py$LT$T$GT$::call_method0::hb93142ef4fceffa7 (bytewax.so) 1\n"
		     "pyo3::instance::Py$LT$T$GT$::call_method0::h0123456789abcdef (bytewax.so) 2\n"
		     "_$LT$alloc..boxed..Box$LT$F$C$A$GT$$u20$as$u20$Fn$GT$::call_once::"
		     "h3205ec2d7fc232c5 3\n"
		     "keep::hnot_a_hash 1\n");
	folded_write(&f, &out);
	assert_string_equal(out.s, "_<alloc::boxed::Box<F,A> as Fn>::call_once 3\n"
				   "keep::hnot_a_hash 1\n"
				   "pyo3::instance::Py<T>::call_method0 (bytewax.so) 3\n");
	buf_release(&out);
	folded_release(&f);
}

static void test_top_frames(void **state)
{
	struct folded f = FOLDED_INIT;
	struct folded_frame top[3];
	size_t n, i;

	(void)state;
	folded_from_perf_script(&f, perf_text);
	n = folded_top(&f, top, 3);
	assert_int_equal(n, 3);
	/* 2 samples on top in spin_until */
	assert_string_equal(top[0].frame, "spin_until");
	assert_string_equal(top[0].under, "main");
	assert_true(top[0].share == 0.5);
	/* the kernel and the vdso count for the named frame under them */
	assert_string_equal(top[1].frame, "now");
	assert_string_equal(top[1].under, "spin_until");
	assert_true(top[1].share == 0.25);
	assert_string_equal(top[2].frame, "update_active.constprop.0");
	assert_string_equal(top[2].under, "sh"); /* the command's name */
	assert_true(folded_share(&f, "spin_until") == 0.5);
	assert_true(folded_share(&f, "main") == 0);
	for (i = 0; i < n; i++)
		folded_frame_release(&top[i]);
	/* fewer frames than asked for */
	assert_int_equal(folded_top(&f, top, 1), 1);
	assert_string_equal(top[0].frame, "spin_until");
	folded_frame_release(&top[0]);
	folded_release(&f);
	assert_int_equal(folded_top(&f, top, 3), 0);
}

/* The caller a frame had in most of its samples. */
static void test_top_under_majority(void **state)
{
	struct folded f = FOLDED_INIT;
	struct folded_frame top[2];

	(void)state;
	folded_parse(&f, "a;x;select 1\nb;y;select 5\nb;z;select 2\nc;idle 2\n");
	assert_int_equal(folded_top(&f, top, 2), 2);
	assert_string_equal(top[0].frame, "select");
	assert_string_equal(top[0].under, "y");
	assert_true(top[0].share == 0.8);
	assert_string_equal(top[1].frame, "idle");
	assert_string_equal(top[1].under, "c");
	folded_frame_release(&top[0]);
	folded_frame_release(&top[1]);
	folded_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perf_script),	   cmocka_unit_test(test_pyspy_normalised),
		cmocka_unit_test(test_rust_symbols),	   cmocka_unit_test(test_top_frames),
		cmocka_unit_test(test_top_under_majority),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
