/*
 * opt: argv against a command's table of options; the usage from the same
 * table. See opt.h.
 */
#include "opt.h"
#include "buf.h"
#include "msg.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The column where an option's help starts in the usage. */
#define HELP_COLUMN 22

/* An option as the user wrote it, for messages: "--runs" or "-r" (names are short). */
#define SHOWN_MAX 64

static void see_help(const struct opt_cmd *cmd)
{
	if (cmd->name)
		msg_line("see 'spin-gate %s --help'", cmd->name);
	else
		msg_line("see 'spin-gate --help'");
}

int opt_error(const struct opt_cmd *cmd, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	error("%s", m.s);
	buf_release(&m);
	see_help(cmd);
	return -1;
}

static int takes_value(const struct opt *o)
{
	return o->kind != OPTION_FLAG && !(o->kind == OPTION_CALLBACK && !o->argh);
}

static int set_long(const struct opt *o, const char *shown, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < o->min) {
		if (o->min == LONG_MIN)
			return error("%s: '%s' is not a whole number", shown, arg);
		return error("%s: '%s' is not a whole number >= %ld", shown, arg, o->min);
	}
	if (v > o->max)
		return error("%s: '%s' is more than %ld", shown, arg, o->max);
	*(long *)o->value = v;
	return 0;
}

static int set_double(const struct opt *o, const char *shown, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < o->dmin) {
		if (o->dmin == -HUGE_VAL)
			return error("%s: '%s' is not a number", shown, arg);
		return error("%s: '%s' is not a number >= %g", shown, arg, o->dmin);
	}
	if (v > o->dmax)
		return error("%s: '%s' is more than %g", shown, arg, o->dmax);
	*(double *)o->value = v;
	return 0;
}

/* One option found in the table, with its value (NULL for none). */
static int apply(const struct opt *o, const char *shown, const char *arg)
{
	switch (o->kind) {
	case OPTION_FLAG: *(int *)o->value = 1; return 0;
	case OPTION_STRING: *(const char **)o->value = arg; return 0;
	case OPTION_LONG: return set_long(o, shown, arg);
	case OPTION_DOUBLE: return set_double(o, shown, arg);
	case OPTION_CALLBACK: return o->cb(o, arg);
	case OPTION_END: break;
	}
	return error("%s: not a known kind of option", shown);
}

/*
 * Apply o (NULL: -h or --help) with its value: the one written in the same
 * word (after '=' or the letter), else the next word. Returns 0, OPT_HELP
 * or -1; *i moves past a value taken from the next word.
 */
static int take(const struct opt *o, const char *shown, const char *inline_value, int argc,
		char **argv, int *i)
{
	const char *arg = NULL;

	if (!o && inline_value)
		return error("option '%s' takes no value", shown);
	if (!o)
		return OPT_HELP;
	if (!takes_value(o)) {
		if (inline_value)
			return error("option '%s' takes no value", shown);
	} else if (inline_value) {
		arg = inline_value;
	} else if (*i + 1 < argc) {
		arg = argv[++*i];
	} else {
		return error("option '%s' needs a value", shown);
	}
	return apply(o, shown, arg);
}

/* argv[*i] is "--name" or "--name=VALUE". */
static int parse_long_opt(const struct opt *opts, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct opt *o;
	char shown[SHOWN_MAX];

	snprintf(shown, sizeof(shown), "--%.*s", (int)(len < 60 ? len : 60), name);
	if (len == 4 && !strncmp(name, "help", 4))
		return take(NULL, shown, eq ? eq + 1 : NULL, argc, argv, i);
	for (o = opts; o->kind != OPTION_END; o++)
		if (o->long_name && strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return take(o, shown, eq ? eq + 1 : NULL, argc, argv, i);
	return error("unknown option '%s'", shown);
}

/* argv[*i] is "-x" or "-xVALUE". */
static int parse_short_opt(const struct opt *opts, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const struct opt *o;
	char shown[SHOWN_MAX];

	snprintf(shown, sizeof(shown), "-%c", a[1]);
	if (a[1] == 'h')
		return take(NULL, shown, a[2] ? a + 2 : NULL, argc, argv, i);
	for (o = opts; o->kind != OPTION_END; o++)
		if (o->short_name && o->short_name == a[1])
			return take(o, shown, a[2] ? a + 2 : NULL, argc, argv, i);
	return error("unknown option '%s'", shown);
}

int opt_parse(const struct opt_cmd *cmd, const struct opt *opts, int argc, char **argv)
{
	int i, n = 0, only_args = 0, ret;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];

		if (only_args || a[0] != '-' || !a[1]) {
			argv[n++] = a;
			if (cmd->flags & OPT_STOP_AT_NON_OPTION)
				only_args = 1;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (a[1] == '-')
			ret = parse_long_opt(opts, argc, argv, &i);
		else
			ret = parse_short_opt(opts, argc, argv, &i);
		if (ret == OPT_HELP) {
			opt_usage(cmd, opts, stdout);
			return OPT_HELP;
		}
		if (ret < 0) {
			see_help(cmd);
			return -1;
		}
	}
	argv[n] = NULL;
	return n;
}

/* Lines of s, each indented to HELP_COLUMN after the first. */
static void put_help(const char *s, FILE *f)
{
	const char *nl;

	while ((nl = strchr(s, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - s), s, HELP_COLUMN, "");
		s = nl + 1;
	}
	fprintf(f, "%s\n", s);
}

static void put_option(const char *spec_short, const char *spec, const char *help, FILE *f)
{
	int w = fprintf(f, "  %s%s", spec_short, spec);

	if (w < 0)
		return;
	if (w + 2 > HELP_COLUMN) {
		fputc('\n', f);
		w = 0;
	}
	fprintf(f, "%*s", HELP_COLUMN - w, "");
	put_help(help, f);
}

void opt_usage(const struct opt_cmd *cmd, const struct opt *opts, FILE *f)
{
	const struct opt *o;

	fprintf(f, "usage: %s\n", cmd->synopsis);
	if (cmd->description)
		fprintf(f, "\n%s", cmd->description);
	fputc('\n', f);
	for (o = opts; o->kind != OPTION_END; o++) {
		char shortspec[8] = "", spec[96];

		if (o->short_name)
			snprintf(shortspec, sizeof(shortspec), o->long_name ? "-%c, " : "-%c",
				 o->short_name);
		snprintf(spec, sizeof(spec), "%s%s%s%s", o->long_name ? "--" : "",
			 o->long_name ? o->long_name : "", o->argh ? " " : "",
			 o->argh ? o->argh : "");
		put_option(shortspec, spec, o->help ? o->help : "", f);
	}
	put_option("-h, ", "--help", "show this text", f);
	if (cmd->footer)
		fprintf(f, "\n%s", cmd->footer);
}
