/*
 * Unit tests for src/lib/opt.c: every kind of option in both spellings, "--",
 * the arguments that are not options, names never abbreviated, unknown
 * options named without their value, missing values, bad numbers, repeated
 * options, -h / --help, and the usage written from the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "msg.h"
#include "opt.h"

/* Messages go to a memory stream; captured() returns what was written. */
static FILE *msgs;
static char *msgs_text;
static size_t msgs_len;

static int setup(void **state)
{
	(void)state;
	msgs = open_memstream(&msgs_text, &msgs_len);
	assert_non_null(msgs);
	msg_set_stream(msgs);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	msg_set_stream(NULL);
	fclose(msgs);
	free(msgs_text);
	msgs_text = NULL;
	return 0;
}

static const char *captured(void)
{
	fflush(msgs);
	return msgs_text;
}

static const struct opt_cmd test_cmd = {
	.name = "test",
	.synopsis = "spin-gate test [options] FILE...",
	.description = "Exercise the option parser.\n",
	.footer = "exit status: 0 fine, 2 usage error\n",
};

/* Every kind of option, parsed into one struct. */
struct vals {
	int flag, quiet;
	const char *str, *other;
	long num;
	double ratio;
	char seen[8][32]; /* each --add, in order */
	int nseen;
	int pings;
};

static int add_cb(const struct opt *o, const char *arg)
{
	struct vals *v = o->value;

	if (!strcmp(arg, "bad"))
		return error("--add: '%s' is not wanted", arg);
	snprintf(v->seen[v->nseen++], sizeof(v->seen[0]), "%s", arg);
	return 0;
}

static int ping_cb(const struct opt *o, const char *arg)
{
	struct vals *v = o->value;

	assert_null(arg);
	v->pings++;
	return 0;
}

/* Parse the NULL-terminated words (argv[0] is "test") into *v. */
static int parse(struct vals *v, char **argv)
{
	const struct opt opts[] = {
		OPT_FLAG("flag", 'f', &v->flag, "a flag"),
		OPT_FLAG("quiet", 0, &v->quiet, "no noise"),
		OPT_STRING("str", 's', &v->str, "TEXT", "a string"),
		OPT_STRING("string-too", 0, &v->other, "TEXT", "a longer name\nsecond line"),
		OPT_LONG("num", 'n', &v->num, "N", 2, 100, "a whole number"),
		OPT_DOUBLE("ratio", 0, &v->ratio, "R", 0.0, 1.0, "a fraction"),
		OPT_CALLBACK("add", 0, v, "NAME=VALUE", add_cb, "repeatable"),
		OPT_CALLBACK("ping", 0, v, NULL, ping_cb, "a callback without a value"),
		OPT_END(),
	};
	int argc = 0;

	while (argv[argc])
		argc++;
	return opt_parse(&test_cmd, opts, argc, argv);
}

/* argv for opt_parse(), which moves the words but never writes into them */
#define ARGV(...) ((char **)(const char *[]){ "test", __VA_ARGS__, NULL })

static void test_kinds(void **state)
{
	struct vals v = { 0 };
	char **argv = ARGV("--flag", "--str", "hello", "--num", "42", "--ratio", "0.25", "--add",
			   "a=1", "--ping");

	(void)state;
	assert_int_equal(parse(&v, argv), 0);
	assert_int_equal(v.flag, 1);
	assert_int_equal(v.quiet, 0);
	assert_string_equal(v.str, "hello");
	assert_null(v.other);
	assert_int_equal(v.num, 42);
	assert_true(v.ratio == 0.25);
	assert_int_equal(v.nseen, 1);
	assert_string_equal(v.seen[0], "a=1");
	assert_int_equal(v.pings, 1);
	assert_null(argv[0]);
	assert_string_equal(captured(), "");
}

static void test_equals_form(void **state)
{
	struct vals v = { 0 };
	char **argv = ARGV("--str=a=b", "--num=7", "--ratio=1", "--add=x=y", "--string-too=");

	(void)state;
	assert_int_equal(parse(&v, argv), 0);
	assert_string_equal(v.str, "a=b");
	assert_int_equal(v.num, 7);
	assert_true(v.ratio == 1.0);
	assert_string_equal(v.seen[0], "x=y");
	assert_string_equal(v.other, "");
}

static void test_short(void **state)
{
	struct vals v = { 0 };

	(void)state;
	assert_int_equal(parse(&v, ARGV("-f", "-s", "one", "-n5")), 0);
	assert_int_equal(v.flag, 1);
	assert_string_equal(v.str, "one");
	assert_int_equal(v.num, 5);
	assert_int_equal(parse(&v, ARGV("-sTWO")), 0);
	assert_string_equal(v.str, "TWO");
	assert_int_equal(parse(&v, ARGV("-x", "SECRET")), -1);
	assert_int_equal(parse(&v, ARGV("-fSECRET")), -1);
	assert_string_equal(captured(), "spin-gate: error: unknown option '-x'\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: option '-f' takes no value\n"
					"see 'spin-gate test --help'\n");
}

/* The arguments that are not options, in order, wherever they are; "--" ends options. */
static void test_arguments(void **state)
{
	struct vals v = { 0 };
	char **argv = ARGV("one", "--flag", "-", "--str", "--num", "two", "--", "--quiet", "-h");

	(void)state;
	assert_int_equal(parse(&v, argv), 5);
	assert_string_equal(argv[0], "one");
	assert_string_equal(argv[1], "-");
	assert_string_equal(argv[2], "two");
	assert_string_equal(argv[3], "--quiet");
	assert_string_equal(argv[4], "-h");
	assert_null(argv[5]);
	/* a value is the next word, whatever it looks like (as with getopt) */
	assert_string_equal(v.str, "--num");
	assert_int_equal(v.flag, 1);
	assert_int_equal(v.quiet, 0);
}

static void test_stop_at_non_option(void **state)
{
	const struct opt_cmd cmd = { .synopsis = "spin-gate <command>",
				     .flags = OPT_STOP_AT_NON_OPTION };
	int version = 0;
	const struct opt opts[] = {
		OPT_FLAG("version", 0, &version, "print the version"),
		OPT_END(),
	};
	char **argv = ARGV("--version", "run", "--base", "x", "--version");

	(void)state;
	assert_int_equal(opt_parse(&cmd, opts, 6, argv), 4);
	assert_int_equal(version, 1);
	assert_string_equal(argv[0], "run");
	assert_string_equal(argv[1], "--base");
	assert_string_equal(argv[3], "--version");
	assert_int_equal(opt_parse(&cmd, opts, 2, ARGV("--bogus")), -1);
	assert_string_equal(captured(), "spin-gate: error: unknown option '--bogus'\n"
					"see 'spin-gate --help'\n");
}

/* A prefix of one option ("--st" of --str, "--string" of --string-too) is not it. */
static void test_no_abbreviation(void **state)
{
	struct vals v = { 0 };

	(void)state;
	assert_int_equal(parse(&v, ARGV("--st", "x")), -1);
	assert_int_equal(parse(&v, ARGV("--string", "x")), -1);
	assert_int_equal(parse(&v, ARGV("--fla")), -1);
	assert_null(v.str);
	assert_null(v.other);
	assert_int_equal(v.flag, 0);
	assert_string_equal(captured(), "spin-gate: error: unknown option '--st'\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: unknown option '--string'\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: unknown option '--fla'\n"
					"see 'spin-gate test --help'\n");
}

/* An unknown option is named as given, and nothing after it or its '=' is printed. */
static void test_unknown_never_echoes_value(void **state)
{
	struct vals v = { 0 };

	(void)state;
	assert_int_equal(parse(&v, ARGV("--token", "SECRET")), -1);
	assert_int_equal(parse(&v, ARGV("--token=SECRET")), -1);
	assert_int_equal(parse(&v, ARGV("--flag=SECRET")), -1);
	assert_int_equal(parse(&v, ARGV("--help=SECRET")), -1);
	assert_null(strstr(captured(), "SECRET"));
	assert_string_equal(captured(), "spin-gate: error: unknown option '--token'\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: unknown option '--token'\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: option '--flag' takes no value\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: option '--help' takes no value\n"
					"see 'spin-gate test --help'\n");
}

/* Parsing stops at the first error: later words are not looked at. */
static void test_stops_at_error(void **state)
{
	struct vals v = { 0 };

	(void)state;
	assert_int_equal(parse(&v, ARGV("--bogus", "--flag")), -1);
	assert_int_equal(v.flag, 0);
	assert_string_equal(captured(), "spin-gate: error: unknown option '--bogus'\n"
					"see 'spin-gate test --help'\n");
}

static void test_missing_value(void **state)
{
	struct vals v = { 0 };

	(void)state;
	assert_int_equal(parse(&v, ARGV("--flag", "--str")), -1);
	assert_int_equal(parse(&v, ARGV("-n")), -1);
	assert_int_equal(parse(&v, ARGV("--add")), -1);
	assert_string_equal(captured(), "spin-gate: error: option '--str' needs a value\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: option '-n' needs a value\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: option '--add' needs a value\n"
					"see 'spin-gate test --help'\n");
}

static void test_bad_numbers(void **state)
{
	static const char *const bad[] = { "",	  "x",	 "5x",	 "1",
					   "101", "4.0", "0x10", "1e99999999999999999999" };
	static const char *const bad_ratio[] = { "", "x", "0.5x", "-0.1", "1.5", "nan", "inf" };
	struct vals v = { .num = 3, .ratio = 0.5 };
	char word[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(word, sizeof(word), "--num=%s", bad[i]);
		assert_int_equal(parse(&v, ARGV(word)), -1);
	}
	for (i = 0; i < sizeof(bad_ratio) / sizeof(bad_ratio[0]); i++)
		assert_int_equal(parse(&v, ARGV("--ratio", bad_ratio[i])), -1);
	assert_int_equal(v.num, 3);
	assert_true(v.ratio == 0.5);
	teardown(NULL);
	setup(NULL);
	assert_int_equal(parse(&v, ARGV("--num", "1")), -1);
	assert_int_equal(parse(&v, ARGV("--num", "101")), -1);
	assert_int_equal(parse(&v, ARGV("--num", "99999999999999999999")), -1);
	assert_int_equal(parse(&v, ARGV("--ratio", "2")), -1);
	assert_int_equal(parse(&v, ARGV("--ratio", "nan")), -1);
	assert_string_equal(captured(), "spin-gate: error: --num: '1' is not a whole number >= 2\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: --num: '101' is more than 100\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: --num: '99999999999999999999' is not a "
					"whole number >= 2\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: --ratio: '2' is more than 1\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: --ratio: 'nan' is not a number >= 0\n"
					"see 'spin-gate test --help'\n");
	/* the bounds themselves are accepted */
	assert_int_equal(parse(&v, ARGV("--num", "2", "--ratio", "0")), 0);
	assert_int_equal(v.num, 2);
	assert_int_equal(parse(&v, ARGV("--num", "100", "--ratio", "1e0")), 0);
	assert_int_equal(v.num, 100);
	assert_true(v.ratio == 1.0);
}

/* Unbounded numbers: the whole range of long and of finite doubles. */
static void test_unbounded_numbers(void **state)
{
	long n = 0;
	double d = 0;
	const struct opt opts[] = {
		OPT_LONG("n", 0, &n, "N", LONG_MIN, LONG_MAX, "any whole number"),
		OPT_DOUBLE("d", 0, &d, "X", -HUGE_VAL, HUGE_VAL, "any number"),
		OPT_END(),
	};

	(void)state;
	assert_int_equal(opt_parse(&test_cmd, opts, 5, ARGV("--n", "-9", "--d", "-1e300")), 0);
	assert_int_equal(n, -9);
	assert_true(d == -1e300);
	assert_int_equal(opt_parse(&test_cmd, opts, 3, ARGV("--d", "-inf")), -1);
	assert_int_equal(opt_parse(&test_cmd, opts, 3, ARGV("--n", "x")), -1);
	assert_string_equal(captured(), "spin-gate: error: --d: '-inf' is not a number\n"
					"see 'spin-gate test --help'\n"
					"spin-gate: error: --n: 'x' is not a whole number\n"
					"see 'spin-gate test --help'\n");
}

/* The last value wins; a callback sees every occurrence, in order. */
static void test_repeated(void **state)
{
	struct vals v = { 0 };

	(void)state;
	assert_int_equal(parse(&v, ARGV("--str", "a", "--add", "x=1", "--num", "3", "--str=b",
					"--add=y=2", "--num", "4", "--ping", "--ping")),
			 0);
	assert_string_equal(v.str, "b");
	assert_int_equal(v.num, 4);
	assert_int_equal(v.nseen, 2);
	assert_string_equal(v.seen[0], "x=1");
	assert_string_equal(v.seen[1], "y=2");
	assert_int_equal(v.pings, 2);
}

/* A callback's own error, then the pointer to --help. */
static void test_callback_error(void **state)
{
	struct vals v = { 0 };

	(void)state;
	assert_int_equal(parse(&v, ARGV("--add", "bad", "--flag")), -1);
	assert_int_equal(v.flag, 0);
	assert_string_equal(captured(), "spin-gate: error: --add: 'bad' is not wanted\n"
					"see 'spin-gate test --help'\n");
}

static void test_opt_error(void **state)
{
	(void)state;
	assert_int_equal(opt_error(&test_cmd, "--%s is required", "str"), -1);
	assert_string_equal(captured(), "spin-gate: error: --str is required\n"
					"see 'spin-gate test --help'\n");
}

static const char expected_usage[] = "usage: spin-gate test [options] FILE...\n"
				     "\n"
				     "Exercise the option parser.\n"
				     "\n"
				     "  -f, --flag          a flag\n"
				     "  --quiet             no noise\n"
				     "  -s, --str TEXT      a string\n"
				     "  --string-too TEXT   a longer name\n"
				     "                      second line\n"
				     "  -n, --num N         a whole number\n"
				     "  --ratio R           a fraction\n"
				     "  --add NAME=VALUE    repeatable\n"
				     "  --ping              a callback without a value\n"
				     "  -h, --help          show this text\n"
				     "\n"
				     "exit status: 0 fine, 2 usage error\n";

static void test_usage(void **state)
{
	struct vals v = { 0 };
	const struct opt opts[] = {
		OPT_FLAG("flag", 'f', &v.flag, "a flag"),
		OPT_FLAG("quiet", 0, &v.quiet, "no noise"),
		OPT_STRING("str", 's', &v.str, "TEXT", "a string"),
		OPT_STRING("string-too", 0, &v.other, "TEXT", "a longer name\nsecond line"),
		OPT_LONG("num", 'n', &v.num, "N", 2, 100, "a whole number"),
		OPT_DOUBLE("ratio", 0, &v.ratio, "R", 0.0, 1.0, "a fraction"),
		OPT_CALLBACK("add", 0, &v, "NAME=VALUE", add_cb, "repeatable"),
		OPT_CALLBACK("ping", 0, &v, NULL, ping_cb, "a callback without a value"),
		OPT_STRING("a-rather-long-option", 0, &v.str, "VALUE", "on its own line"),
		OPT_END(),
	};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	opt_usage(&test_cmd, opts, f);
	fclose(f);
	assert_non_null(strstr(text, "  --ping              a callback without a value\n"
				     "  --a-rather-long-option VALUE\n"
				     "                      on its own line\n"
				     "  -h, --help          show this text\n"));
	free(text);
}

/* Run parse() with stdout going to a file; returns its code, *out the text. */
static int parse_stdout(struct vals *v, char **argv, char **out)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	struct buf b = BUF_INIT;
	char chunk[512];
	size_t n;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	ret = parse(v, argv);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	while ((n = fread(chunk, 1, sizeof(chunk), tmp)) > 0)
		buf_add(&b, chunk, n);
	fclose(tmp);
	*out = buf_detach(&b);
	return ret;
}

/* -h and --help, anywhere among valid options: the usage of the table on stdout. */
static void test_help(void **state)
{
	struct vals v = { 0 };
	char *out;

	(void)state;
	assert_int_equal(parse_stdout(&v, ARGV("-h"), &out), OPT_HELP);
	assert_string_equal(out, expected_usage);
	free(out);
	assert_int_equal(parse_stdout(&v, ARGV("--flag", "x", "--help", "--bogus"), &out),
			 OPT_HELP);
	assert_string_equal(out, expected_usage);
	free(out);
	assert_string_equal(captured(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equals_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_at_non_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_abbreviation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_never_echoes_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stops_at_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbounded_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_opt_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
