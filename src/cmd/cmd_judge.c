/*
 * spin-gate judge: results.json + thresholds.json -> verdict, without running
 * anything. The same stages as the end of `run`.
 */
#include "cmd.h"
#include "history_src.h"
#include "judge.h"
#include "msg.h"
#include "opt.h"
#include "post.h"
#include "report.h"
#include "results.h"
#include "thresholds.h"

#include <stdio.h>
#include <stdlib.h>

static const struct opt_cmd judge_cmd = {
	.name = "judge",
	.synopsis = "spin-gate judge [--thresholds FILE] [--out DIR] [--name NAME] RESULTS.json",
	.description = "Judge measured results again, e.g. with other thresholds, without running\n"
		       "anything. Writes DIR/results.json (the samples with the new checks and\n"
		       "verdict) and DIR/verdict.md, and prints the verdict table.\n",
	.footer = "exit status: 0 pass, 1 a check failed, 2 usage or configuration error,\n"
		  "3 inconclusive, 4 a scenario has an error\n",
};

int cmd_judge(int argc, char **argv)
{
	const char *thresholds = NULL, *out = NULL, *name = NULL, *path;
	struct history_src hist = { 0 };
	char *hist_md = NULL;
	const struct opt opts[] = {
		OPT_STRING("thresholds", 0, &thresholds, "FILE",
			   "the checks (default: the thresholds.json beside the suite\n"
			   "that measured RESULTS.json, else the gate's own)"),
		OPT_STRING("out", 0, &out, "DIR",
			   "where to write (default: the directory of RESULTS.json,\n"
			   "whose checks and verdict are then replaced)"),
		OPT_GATE_NAME(&name, "the gate's name in the verdict's marker"),
		OPT_HISTORY_SOURCE(&hist),
		OPT_END(),
	};
	struct thresholds t = { 0 };
	struct results r;
	struct judgement j = { 0 };
	struct render_opts ro = { 0 };
	char *dir = NULL;
	int n, ret = EXIT_USAGE;

	results_init(&r);
	n = opt_parse(&judge_cmd, opts, argc, argv);
	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	if (n != 1) {
		opt_error(&judge_cmd, "give exactly one results file");
		return EXIT_USAGE;
	}
	path = argv[0];
	if (report_load(path, thresholds, out, &r, &t, &out, &dir) < 0)
		goto out;
	ro.name = name;
	ro.history = hist_md = history_src_head(&hist, &r);
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
	free(hist_md);
	history_src_release(&hist);
	return ret;
}
