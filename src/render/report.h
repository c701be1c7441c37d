#ifndef SPIN_GATE_REPORT_H
#define SPIN_GATE_REPORT_H
/*
 * report: the end of the pipeline shared by `run`, `judge`, `merge` and
 * `compare` (each pair): judge the results, write OUT/results.json (samples
 * plus "checks" and "verdict"), OUT/verdict.md, OUT/report.html
 * (render_html.h), and the terminal table on stdout (not for compare,
 * which prints its own); and the start `judge` and `report` share.
 */
#include "judge.h"
#include "render.h"
#include "results.h"
#include "thresholds.h"

/* j is filled (caller releases). 0, or -1 after error() when a file could
 * not be written (the judgement is still valid). */
int report_write(const struct results *r, const struct thresholds *t, const char *out_dir,
		 const struct render_opts *ro, struct judgement *j);

/* The same without the terminal table (compare prints its own). */
int report_write_files(const struct results *r, const struct thresholds *t, const char *out_dir,
		       const struct render_opts *ro, struct judgement *j);

/* Write OUT/report.html from a judgement already made (`spin-gate report`).
 * 0, or -1 after error(). */
int report_write_html(const struct results *r, const struct thresholds *t,
		      const struct judgement *j, const char *out_dir, const struct render_opts *ro);

/*
 * The start shared by `judge` and `report`: read the results file at path,
 * load thresholds (the given file, else config_default_thresholds() beside
 * the suite that measured the results), and settle the output directory
 * (out, created; else the results file's own directory). *out_dir is set
 * (borrowed from out, or *owned, which the caller frees). 0, or -1 after
 * error().
 */
int report_load(const char *path, const char *thresholds, const char *out, struct results *r,
		struct thresholds *t, const char **out_dir, char **owned);

/* OUT/export-FORMAT.json (render_export.h) for each format in `formats`
 * (1u << enum export_format), atomically; the path of each on stderr as a
 * note. 0, or -1 after error() when one could not be written. */
int report_write_exports(const struct results *r, unsigned formats, const char *out_dir);

/* OUT/name, caller frees. */
char *report_path(const char *out_dir, const char *name);

#endif
