/*
 * spin-gate merge: the results.json of every shard of a gate (`run --shard
 * K/N`) -> checked to belong together (merge.h) -> one results.json, judged
 * and rendered as `judge` does.
 */
#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "judge.h"
#include "merge.h"
#include "msg.h"
#include "opt.h"
#include "post.h"
#include "render_export.h"
#include "report.h"
#include "results.h"
#include "suite.h"
#include "thresholds.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_cmd merge_cmd = {
	.name = "merge",
	.synopsis = "spin-gate merge [--out DIR] [--thresholds FILE] [--name NAME] RESULTS.json...",
	.description =
		"Join the results of the N shards of one gate ('spin-gate run --shard K/N',\n"
		"e.g. the jobs of a CI matrix) into one verdict. Checks that they belong\n"
		"together (the same revisions resolved to the same commits, the same suite,\n"
		"thresholds and settings, every shard 1..N once and complete, every scenario\n"
		"of the matrix measured once), then judges them as one run: writes\n"
		"DIR/results.json (each scenario with the machine that measured it),\n"
		"DIR/verdict.md and DIR/report.html, and prints the verdict table.\n",
	.footer = "exit status: 0 pass, 1 a check failed, 2 usage error or shards that do not\n"
		  "belong together (the first difference named on stderr), 3 inconclusive,\n"
		  "4 a scenario has an error\n",
};

/* The thresholds to judge with: the given file, else the one the shards
 * were measured with when it is still there unchanged, else the one beside
 * the suite that measured them, as `judge` finds it. Caller frees. */
static char *thresholds_for(const struct results *r, const char *given)
{
	char *copy, *path, *digest;

	if (given)
		return xstrdup(given);
	if (r->thresholds_path && r->thresholds_digest && fs_exists(r->thresholds_path)) {
		digest = suite_file_digest(r->thresholds_path);
		if (digest && !strcmp(digest, r->thresholds_digest)) {
			free(digest);
			return xstrdup(r->thresholds_path);
		}
		free(digest);
	}
	copy = r->suite_path ? xstrdup(r->suite_path) : NULL;
	path = config_default_thresholds(copy ? dirname(copy) : NULL);
	free(copy);
	return path;
}

int cmd_merge(int argc, char **argv)
{
	const char *thresholds = NULL, *out = "out", *name = NULL;
	unsigned formats = 0; /* --format: 1u << enum export_format */
	const struct opt opts[] = {
		OPT_STRING("out", 0, &out, "DIR",
			   "where the merged results.json, verdict.md and report.html\n"
			   "go (default: out)"),
		OPT_STRING("thresholds", 0, &thresholds, "FILE",
			   "the checks (default: the file the shards were measured\n"
			   "with when it is there unchanged, else the thresholds.json\n"
			   "beside their suite, else the gate's own)"),
		OPT_GATE_NAME(&name, "the gate's name in the verdict's marker"),
		OPT_EXPORT_FORMATS(&formats),
		OPT_END(),
	};
	struct results *shards = NULL, merged;
	struct thresholds t = { 0 };
	struct judgement j = { 0 };
	struct render_opts ro = { 0 };
	char *tpath = NULL, *digest = NULL;
	int n, i, ret = EXIT_USAGE;

	results_init(&merged);
	n = opt_parse(&merge_cmd, opts, argc, argv);
	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	if (n < 1) {
		opt_error(&merge_cmd, "give the results.json of every shard");
		return EXIT_USAGE;
	}
	if (!*out || fs_is_root(out)) {
		opt_error(&merge_cmd, "--out '%s': give a directory of its own", out);
		return EXIT_USAGE;
	}
	shards = xcalloc((size_t)n, sizeof(*shards));
	for (i = 0; i < n; i++)
		results_init(&shards[i]);
	for (i = 0; i < n; i++)
		if (results_read(&shards[i], argv[i]) < 0)
			goto out;
	if (merge_check(shards, (const char *const *)argv, (size_t)n) < 0)
		goto out;
	tpath = thresholds_for(&shards[0], thresholds);
	if (thresholds_load(&t, tpath) < 0)
		goto out;
	digest = suite_file_digest(tpath);
	if (digest && shards[0].thresholds_digest && strcmp(digest, shards[0].thresholds_digest))
		note("judging with '%s', not the thresholds the shards were measured with (%s): "
		     "adaptive rounds followed those",
		     tpath, shards[0].thresholds_path ? shards[0].thresholds_path : "unknown");
	merge_combine(shards, (size_t)n, &merged);
	if (fs_mkdir_p(out) < 0)
		goto out;
	ro.name = name;
	ret = EXIT_RUN_ERROR;
	if (report_write(&merged, &t, out, &ro, &j) < 0 ||
	    report_write_exports(&merged, formats, out) < 0)
		goto out;
	note("merged %d shard(s), %zu scenario(s): wrote %s/results.json, %s/verdict.md and "
	     "%s/report.html",
	     n, merged.nscen, out, out, out);
	ret = judge_exit_code(j.verdict);
out:
	judgement_release(&j);
	thresholds_release(&t);
	results_release(&merged);
	for (i = 0; shards && i < n; i++)
		results_release(&shards[i]);
	free(shards);
	free(tpath);
	free(digest);
	return ret;
}
