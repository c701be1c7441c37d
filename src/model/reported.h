#ifndef SPIN_GATE_REPORTED_H
#define SPIN_GATE_REPORTED_H
/*
 * reported: metrics a scenario's program reports itself (items processed,
 * messages per second, p99 latency), declared in suite.json's "metrics" and
 * read after every run (measure.c), so that each sample carries them
 * (struct sample's reported[]) and checks can judge them like wall or cpu.
 *
 *   "metrics": [
 *     { "name": "items", "unit": "items", "better": "bigger",
 *       "format": "bmf", "benchmark": "dataflow", "measure": "items" },
 *     { "name": "msgs", "unit": "msg", "better": "bigger",
 *       "format": "gab", "entry": "messages" },
 *     { "name": "loop", "unit": "s", "better": "smaller",
 *       "format": "pyperf", "benchmark": "loop" },
 *     { "name": "throughput", "unit": "msg/s", "better": "bigger",
 *       "file": "${suite_dir}/out/summary.json", "path": "summary.throughput" } ]
 *
 * Where the value comes from:
 *   bmf     the file named by $SPIN_GATE_METRICS (the gate sets it for every
 *           run to a fresh path), in the Bencher Metric Format:
 *           {benchmark: {measure: {value, lower_value?, upper_value?}}}; the
 *           value of "benchmark"'s "measure".
 *   gab     that file in github-action-benchmark's custom format,
 *           [{name, unit, value}]: the value of the entry named "entry".
 *   pyperf  that file as pyperf writes it (`-o $SPIN_GATE_METRICS`): the mean
 *           of every value of every run of the benchmark named "benchmark"
 *           (its metadata's name; optional when the file holds one), warm-ups
 *           and calibration runs left out. In pyperf's unit (seconds).
 *   json    (no "format", a "file") a file the program writes anyway (a
 *           template like the command's), and "path" in it: keys separated by
 *           '.', an array element by [N] ("latency.p99", "runs[0].rate",
 *           "[2].value"); a key holding '.', '[' or ']' cannot be named. The
 *           file must have been written during the run (its mtime), so a
 *           stale one from an earlier run is not read again.
 *
 * The value must be a JSON number and finite. A run whose file is missing,
 * unreadable, larger than REPORTED_FILE_MAX, not JSON, not of the declared
 * format, lacks the metric, or holds anything else there is a failed run:
 * reported_read_run() says why.
 *
 * Names (results_metric_name_ok()): printable ASCII without spaces or ':',
 * at most RESULTS_METRIC_NAME_MAX bytes, unique, and none of the measured
 * metrics' names (thresholds.h) nor ending in "_per_cpu_s": a check names the
 * metric itself, "cpu_per:NAME" or "NAME_per_cpu_s". At most
 * RESULTS_MAX_REPORTED metrics.
 */
#include <stddef.h>
#include <time.h>

#include "results.h"

struct cJSON;

/* The most bytes of a metrics file that are read; a larger file is refused
 * (a failed run), so a program printing megabytes cannot fill memory. */
#define REPORTED_FILE_MAX (4 * 1024 * 1024)

/* The variable naming the file a run writes its metrics to. */
#define REPORTED_ENV "SPIN_GATE_METRICS"

enum reported_format {
	REPORTED_BMF,
	REPORTED_GAB,
	REPORTED_PYPERF,
	REPORTED_JSON,
};

/* "bmf", "gab", "pyperf", "json". */
const char *reported_format_name(enum reported_format f);

/* A declared metric and where its value comes from. */
struct reported_metric {
	struct metric_decl decl;
	enum reported_format format;
	char *benchmark; /* bmf: the benchmark; gab: the entry; pyperf: the
			  * benchmark or NULL (the only one) */
	char *measure;	 /* bmf: the measure */
	char *file;	 /* json: the file, a template */
	char *path;	 /* json: the path in it */
};

/*
 * suite.json's "metrics" array (arr; file names the suite in messages) into
 * a new array *out of *n entries (free with reported_free()). 0, or -1 after
 * error() naming the field. `reserved(name)` says whether a name is taken by
 * a measured metric (thresholds' metric_parse(); NULL: none is).
 */
int reported_parse(const struct cJSON *arr, struct reported_metric **out, size_t *n,
		   const char *file, int (*reserved)(const char *name));
void reported_free(struct reported_metric *m, size_t n);

/* 1 when path is a JSON path as above. */
int reported_path_ok(const char *path);

/*
 * The number at `path` in root, or -1 after error() naming `file` (the file
 * it came from, for the message) and what is there instead.
 */
int reported_path_value(const struct cJSON *root, const char *path, const char *file, double *out);

/*
 * The value of metric m from a parsed file (its format's rules above); file
 * names it in messages. 0, or -1 after error().
 */
int reported_value(const struct reported_metric *m, const struct cJSON *root, const char *file,
		   double *out);

/*
 * Read n metrics of one run: metric i from files[i] (the expanded template
 * for json, the $SPIN_GATE_METRICS path for the others). A json file must
 * have been modified at or after *since (NULL: not checked). Fills values[]
 * (NaN where not read). 0, or -1 after error() saying why the run's metrics
 * could not be read (msg_last_error() has it for the verdict).
 */
int reported_read_run(const struct reported_metric *m, size_t n, const char *const *files,
		      const struct timespec *since, double *values);

#endif
