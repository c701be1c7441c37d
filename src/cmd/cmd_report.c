/*
 * spin-gate report: results.json -> report.html, without running anything.
 * The same judging as `judge`; only the page is written.
 */
#include "cmd.h"
#include "judge.h"
#include "msg.h"
#include "opt.h"
#include "post.h"
#include "report.h"
#include "results.h"
#include "thresholds.h"

#include <stdio.h>
#include <stdlib.h>

static const struct opt_cmd report_cmd = {
	.name = "report",
	.synopsis = "spin-gate report [--thresholds FILE] [--out DIR] [--name NAME] RESULTS.json",
	.description = "Write DIR/report.html again from stored results: the verdict, the checks,\n"
		       "every run as a strip plot, contention, environment and noise probe, in\n"
		       "one self-contained page. Judges the results as `judge` does, but writes\n"
		       "nothing else; prints the page's path.\n",
	.footer = "exit status: 0 written (whatever the verdict), 2 usage error or a results\n"
		  "or thresholds file that cannot be read, 4 the page could not be written\n",
};

int cmd_report(int argc, char **argv)
{
	const char *thresholds = NULL, *out = NULL, *name = NULL, *path;
	const struct opt opts[] = {
		OPT_STRING("thresholds", 0, &thresholds, "FILE",
			   "the checks (default: the thresholds.json beside the suite\n"
			   "that measured RESULTS.json, else the gate's own)"),
		OPT_STRING("out", 0, &out, "DIR",
			   "where to write report.html (default: the directory of\n"
			   "RESULTS.json)"),
		OPT_GATE_NAME(&name, "the gate's name in the page's title"),
		OPT_END(),
	};
	struct thresholds t = { 0 };
	struct results r;
	struct judgement j = { 0 };
	struct render_opts ro = { 0 };
	char *dir = NULL, *page = NULL;
	int n, ret = EXIT_USAGE;

	results_init(&r);
	n = opt_parse(&report_cmd, opts, argc, argv);
	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	if (n != 1) {
		opt_error(&report_cmd, "give exactly one results file");
		return EXIT_USAGE;
	}
	path = argv[0];
	if (report_load(path, thresholds, out, &r, &t, &out, &dir) < 0)
		goto out;
	ro.name = name;
	judge_results(&r, &t, &j);
	if (report_write_html(&r, &t, &j, out, &ro) < 0) {
		ret = EXIT_RUN_ERROR;
		goto out;
	}
	page = report_path(out, "report.html");
	printf("%s\n", page);
	ret = EXIT_PASS;
out:
	judgement_release(&j);
	results_release(&r);
	thresholds_release(&t);
	free(page);
	free(dir);
	return ret;
}
