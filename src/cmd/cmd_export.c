/*
 * spin-gate export: results.json -> every scenario's figures in a format
 * another dashboard stores (render_export.h), without judging or running
 * anything.
 */
#include "cmd.h"
#include "json.h"
#include "msg.h"
#include "opt.h"
#include "render_export.h"
#include "results.h"

#include <stdio.h>
#include <stdlib.h>

static const struct opt_cmd export_cmd = {
	.name = "export",
	.synopsis = "spin-gate export --format bmf|gab [--out FILE] RESULTS.json",
	.description = "Write every scenario's figures, base and head, for another dashboard: the\n"
		       "median of each side's judged runs of every metric measured (wall, user,\n"
		       "system, cpu, cpu_util, ...) with the median's interval. bmf: the Bencher\n"
		       "Metric Format, for 'bencher run --file'; gab: github-action-benchmark's\n"
		       "customSmallerIsBetter, for its action's output-file-path. Benchmarks are\n"
		       "named \"SCENARIO [base]\" and \"SCENARIO [head]\" (docs/export.md).\n",
	.footer = "exit status: 0 written, 2 usage error (an unknown format) or a results file\n"
		  "that cannot be read, 4 the output could not be written\n",
};

int cmd_export(int argc, char **argv)
{
	const char *format = NULL, *out = NULL;
	const struct opt opts[] = {
		OPT_STRING("format", 0, &format, "FORMAT",
			   "bmf (Bencher Metric Format) or gab (github-action-benchmark's\n"
			   "customSmallerIsBetter)"),
		OPT_STRING("out", 0, &out, "FILE", "where to write (default: stdout)"),
		OPT_END(),
	};
	enum export_format f;
	struct results r;
	struct buf b = BUF_INIT;
	int n, ret = EXIT_USAGE;

	results_init(&r);
	n = opt_parse(&export_cmd, opts, argc, argv);
	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	if (!format) {
		opt_error(&export_cmd, "--format is required (%s)", EXPORT_FORMAT_NAMES);
		return EXIT_USAGE;
	}
	if (export_format_parse(format, &f) < 0) {
		opt_error(&export_cmd, "--format: unknown format '%s' (expected %s)", format,
			  EXPORT_FORMAT_NAMES);
		return EXIT_USAGE;
	}
	if (n != 1) {
		opt_error(&export_cmd, "give exactly one results file");
		return EXIT_USAGE;
	}
	if (results_read(&r, argv[0]) < 0)
		goto out;
	render_export(&b, &r, f);
	ret = EXIT_RUN_ERROR;
	if (out) {
		if (file_write_atomic(out, b.s, b.len, WRITE_DURABLE) < 0)
			goto out;
	} else if (fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout) == EOF) {
		error_errno("cannot write the export to stdout");
		goto out;
	}
	ret = EXIT_PASS;
out:
	buf_release(&b);
	results_release(&r);
	return ret;
}
