/*
 * libFuzzer target: opt_parse(), the command-line parser every command uses.
 * The input split on NUL bytes is the argv after the command's name, parsed
 * against a small table with one option of each kind. Checks what opt.h
 * promises: the result is OPT_HELP, -1 or the count n of other arguments,
 * moved in order to argv[0..n-1] with argv[n] NULL; each value is within its
 * range and points into argv; nothing leaks or crashes whatever the input.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "opt.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int calls;

static int count(const struct opt *o, const char *arg)
{
	(void)o;
	if (arg && !strcmp(arg, "refuse"))
		return error("--only: refused");
	calls++;
	return 0;
}

/* Whether p is one of the argument strings (argv[1..argc-1]). */
static int in_args(char *const *orig, int argc, const char *p)
{
	int i;

	for (i = 1; i < argc; i++)
		if (orig[i] == p)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct opt_cmd cmd = { .name = "fuzz", .synopsis = "spin-gate fuzz" };
	static FILE *null;
	char *text, *argv[MAX_ARGS + 2], *orig[MAX_ARGS + 2];
	const char *str = NULL;
	long runs = 0;
	double level = 0;
	int flag = 0, argc = 1, n, i;
	size_t start = 0, k;
	const struct opt opts[] = {
		OPT_FLAG("all-checks", 'a', &flag, "a flag"),
		OPT_STRING("base", 'b', &str, "REV", "a string"),
		OPT_LONG("runs", 0, &runs, "N", 2, 1000, "a number"),
		OPT_DOUBLE("confidence", 'c', &level, "P", 0.5, 0.999, "a level"),
		OPT_CALLBACK("only", 'o', NULL, "NAME=VALUE", count, "a callback"),
		OPT_CALLBACK("verbose", 0, NULL, NULL, count, "a callback without a value"),
		OPT_END(),
	};

	if (!null) {
		null = fopen("/dev/null", "w");
		msg_set_stream(null);
		/* --help writes the usage on stdout */
		if (!freopen("/dev/null", "w", stdout))
			abort();
	}
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	argv[0] = (char *)"fuzz";
	for (k = 0; k <= size && argc <= MAX_ARGS; k++) {
		if (k == size || !text[k]) {
			argv[argc++] = text + start;
			start = k + 1;
		}
	}
	argv[argc] = NULL;
	memcpy(orig, argv, sizeof(argv));
	calls = 0;

	n = opt_parse(&cmd, opts, argc, argv);
	if (n != OPT_HELP && n != -1) {
		if (n < 0 || n > argc - 1 || argv[n] != NULL)
			abort();
		for (i = 0; i < n; i++)
			if (!in_args(orig, argc, argv[i]))
				abort();
		/* in order: each later argument came later in argv */
		for (i = 1; i < n; i++)
			if (argv[i] <= argv[i - 1])
				abort();
		/* the argument, or its part after '=' or after a short name */
		if (str && (str < text || str > text + size))
			abort();
		if (runs && (runs < 2 || runs > 1000))
			abort();
		if (level != 0 && (!isfinite(level) || level < 0.5 || level > 0.999))
			abort();
		if (flag != 0 && flag != 1)
			abort();
	}
	free(text);
	return 0;
}
