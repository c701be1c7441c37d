/*
 * spin-gate judge: results.json + thresholds.json -> verdict, without running
 * anything. The same stages as the end of `run`.
 */
#include "cmd.h"
#include "fsutil.h"
#include "judge.h"
#include "msg.h"
#include "report.h"
#include "results.h"
#include "thresholds.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char judge_usage[] =
	"usage: spin-gate judge [--thresholds FILE] [--out DIR] [--name NAME] RESULTS.json\n"
	"\n"
	"Judge measured results again, e.g. with other thresholds, without running\n"
	"anything. Writes DIR/results.json (the samples with the new checks and\n"
	"verdict) and DIR/verdict.md, and prints the verdict table.\n"
	"\n"
	"  --thresholds FILE   the checks (default: thresholds.json)\n"
	"  --out DIR           where to write (default: the directory of RESULTS.json,\n"
	"                      whose checks and verdict are then replaced)\n"
	"  --name NAME         the gate's name in the verdict's marker\n"
	"\n"
	"exit status: 0 pass, 1 a check failed, 2 usage or configuration error,\n"
	"3 inconclusive, 4 a scenario has an error\n";

static const struct option judge_options[] = {
	{ "thresholds", required_argument, NULL, 't' },
	{ "out", required_argument, NULL, 'o' },
	{ "name", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_judge(int argc, char **argv)
{
	const char *thresholds = "thresholds.json", *out = NULL, *name = NULL, *path;
	struct thresholds t = { 0 };
	struct results r;
	struct judgement j = { 0 };
	struct render_opts ro = { 0 };
	char *dir = NULL;
	int c, ret = EXIT_USAGE;

	results_init(&r);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", judge_options, NULL)) != -1) {
		switch (c) {
		case 't': thresholds = optarg; break;
		case 'o': out = optarg; break;
		case 'n': name = optarg; break;
		case 'h': fputs(judge_usage, stdout); return EXIT_PASS;
		case ':':
			error("judge: option '%s' needs a value", argv[optind - 1]);
			return EXIT_USAGE;
		default: error("judge: unknown option '%s'", argv[optind - 1]); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		error("judge: give exactly one results file (see 'spin-gate judge --help')");
		return EXIT_USAGE;
	}
	path = argv[optind];
	if (thresholds_load(&t, thresholds) < 0 || results_read(&r, path) < 0)
		goto out;
	if (!out) {
		char *copy = xstrdup(path);

		dir = xstrdup(dirname(copy));
		free(copy);
		out = dir;
	} else if (fs_mkdir_p(out) < 0) {
		goto out;
	}
	ro.name = name;
	if (report_write(&r, &t, out, &ro, &j) < 0) {
		ret = EXIT_RUN_ERROR;
		goto out;
	}
	ret = judge_exit_code(j.verdict);
out:
	judgement_release(&j);
	results_release(&r);
	thresholds_release(&t);
	free(dir);
	return ret;
}
