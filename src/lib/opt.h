#ifndef SPIN_GATE_OPT_H
#define SPIN_GATE_OPT_H
/*
 * opt: a command's options as one table, which both parses argv and writes
 * the command's --help (after git's parse-options).
 *
 *   static const struct opt_cmd judge_cmd = {
 *           .name = "judge",
 *           .synopsis = "spin-gate judge [--out DIR] RESULTS.json",
 *           .description = "Judge measured results again ...\n",
 *           .footer = "exit status: 0 pass, 1 a check failed, ...\n",
 *   };
 *   const char *out = NULL;
 *   const struct opt opts[] = {
 *           OPT_STRING("out", 0, &out, "DIR", "where to write"),
 *           OPT_END(),
 *   };
 *   int n = opt_parse(&judge_cmd, opts, argc, argv);
 *
 *   if (n == OPT_HELP)
 *           return EXIT_PASS;      (the usage was printed on stdout)
 *   if (n < 0)
 *           return EXIT_USAGE;     (the error was printed on stderr)
 *   ... argv[0] .. argv[n - 1] are the arguments that are not options ...
 *
 * The command line:
 *   --name VALUE and --name=VALUE; -x VALUE and -xVALUE for a short name;
 *   a value is the next argument whatever it looks like (--base --x gives
 *   base "--x"), as with getopt;
 *   options and other arguments may be mixed; "--" ends the options;
 *   names are never abbreviated: "--bas" is an unknown option, never "--base"
 *   (getopt's prefix matching once let `--token SECRET` reach --token-env);
 *   an option given twice: the last value wins (getopt's and git's rule),
 *   except a callback, which is called for each (`run --only`, repeatable);
 *   -h and --help, in every command, print the usage on stdout.
 *
 * A usage error prints one line, then `see 'spin-gate CMD --help'`:
 *   spin-gate: error: unknown option '--bas'
 *   see 'spin-gate run --help'
 * It names an option as it was given, up to '=': the value after it (or the
 * argument after an unknown option) is never printed, so a token put on the
 * command line by mistake does not reach the log. Values are printed only in
 * a value's own error (`--runs: 'x' is not a whole number >= 2`).
 */
#include <stdio.h>

enum opt_kind {
	OPTION_END = 0,	 /* the table's last entry: OPT_END() */
	OPTION_FLAG,	 /* int *value = 1; takes no value */
	OPTION_STRING,	 /* const char **value = the argument, borrowed from argv */
	OPTION_LONG,	 /* long *value = a whole number within [min, max] */
	OPTION_DOUBLE,	 /* double *value = a finite number within [dmin, dmax] */
	OPTION_CALLBACK, /* cb(opt, arg) for each occurrence; no value when argh is NULL */
};

struct opt {
	enum opt_kind kind;
	const char *long_name; /* without the dashes; NULL: only a short name */
	int short_name;	       /* a letter, or 0 */
	void *value;	       /* where the value goes (callbacks: their context) */
	const char *argh;      /* the value's name in the usage ("REV"); NULL: none */
	const char *help;      /* the usage's text; '\n' starts an indented line */
	long min, max;	       /* OPTION_LONG: the accepted range */
	double dmin, dmax;     /* OPTION_DOUBLE: the accepted range */
	/*
	 * OPTION_CALLBACK: arg is the value (NULL without argh). Return 0, or
	 * -1 after printing one error() line, e.g. `return error("--comment:
	 * '%s' is not sticky, new or off", arg)`; opt_parse adds the "see" line.
	 */
	int (*cb)(const struct opt *o, const char *arg);
};

#define OPT_END()                  \
	{                          \
		.kind = OPTION_END \
	}
#define OPT_FLAG(l, s, v, h)                                                            \
	{                                                                               \
		.kind = OPTION_FLAG, .long_name = (l), .short_name = (s), .value = (v), \
		.help = (h)                                                             \
	}
#define OPT_STRING(l, s, v, a, h)                                                         \
	{                                                                                 \
		.kind = OPTION_STRING, .long_name = (l), .short_name = (s), .value = (v), \
		.argh = (a), .help = (h)                                                  \
	}
#define OPT_LONG(l, s, v, a, lo, hi, h)                                                 \
	{                                                                               \
		.kind = OPTION_LONG, .long_name = (l), .short_name = (s), .value = (v), \
		.argh = (a), .help = (h), .min = (lo), .max = (hi)                      \
	}
#define OPT_DOUBLE(l, s, v, a, lo, hi, h)                                                 \
	{                                                                                 \
		.kind = OPTION_DOUBLE, .long_name = (l), .short_name = (s), .value = (v), \
		.argh = (a), .help = (h), .dmin = (lo), .dmax = (hi)                      \
	}
#define OPT_CALLBACK(l, s, v, a, f, h)                                                      \
	{                                                                                   \
		.kind = OPTION_CALLBACK, .long_name = (l), .short_name = (s), .value = (v), \
		.argh = (a), .help = (h), .cb = (f)                                         \
	}

enum opt_cmd_flags {
	/* Stop at the first argument that is not an option (main, before a command). */
	OPT_STOP_AT_NON_OPTION = 1 << 0,
};

/* A command: what its --help says around the option list. */
struct opt_cmd {
	const char *name;	 /* "run"; NULL for spin-gate itself */
	const char *synopsis;	 /* after "usage: "; may hold several lines */
	const char *description; /* paragraphs after the synopsis */
	const char *footer;	 /* paragraphs after the options: exit status */
	unsigned flags;		 /* enum opt_cmd_flags */
};

/* opt_parse()'s return after -h or --help. */
#define OPT_HELP (-2)

/*
 * Parse argv[1] .. argv[argc - 1] (argv[0] is the command's name) with the
 * table opts. Returns the number n of arguments that are not options, moved
 * in order to argv[0] .. argv[n - 1] (argv[n] is set to NULL); OPT_HELP
 * after printing the usage on stdout for -h or --help; -1 after printing a
 * usage error on stderr (stopping there: later options are not looked at).
 * The values point into argv.
 */
int opt_parse(const struct opt_cmd *cmd, const struct opt *opts, int argc, char **argv);

/* Write the usage: synopsis, description, options (with -h, --help), footer. */
void opt_usage(const struct opt_cmd *cmd, const struct opt *opts, FILE *f);

/*
 * A usage error found after parsing (a missing required option): the
 * error() line, then `see 'spin-gate CMD --help'`. Returns -1.
 */
int opt_error(const struct opt_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
