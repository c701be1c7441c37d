#ifndef SPIN_GATE_REPORT_H
#define SPIN_GATE_REPORT_H
/*
 * report: the end of the pipeline shared by `run` and `judge`: judge the
 * results, write OUT/results.json (samples plus "checks" and "verdict"),
 * OUT/verdict.md, OUT/report.html (render_html.h), and the terminal table
 * on stdout.
 */
#include "judge.h"
#include "render.h"
#include "results.h"
#include "thresholds.h"

/* j is filled (caller releases). 0, or -1 after error() when a file could
 * not be written (the judgement is still valid). */
int report_write(const struct results *r, const struct thresholds *t, const char *out_dir,
		 const struct render_opts *ro, struct judgement *j);

/* Write OUT/report.html from a judgement already made (`spin-gate report`).
 * 0, or -1 after error(). */
int report_write_html(const struct results *r, const struct thresholds *t,
		      const struct judgement *j, const char *out_dir, const struct render_opts *ro);

/* OUT/name, caller frees. */
char *report_path(const char *out_dir, const char *name);

#endif
