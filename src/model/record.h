#ifndef SPIN_GATE_RECORD_H
#define SPIN_GATE_RECORD_H
/*
 * record: one measured revision made small and kept (`spin-gate record`),
 * the unit of a history (docs/history.md). Raw samples stay in results.json;
 * a record keeps, per scenario and metric, the median, its interval and n.
 *
 *   { "schema": "spin-gate/record", "version": 1,
 *     "commit": "40 hex" | null,      the revision's commit (git), or null
 *     "rev": "v0.16.1",               as typed (a release, a branch, a sha)
 *     "date": ISO-8601 | null,        the commit's committer date
 *     "recorded": ISO-8601,           when it was measured
 *     "suite": { "name", "digest" }, "thresholds": { "digest" },
 *     "runner": { "kind", "cpu_model", "cores", "kernel", "hyperfine" },
 *     "settings": { "runs", "max_runs", "confidence" },
 *     "scenarios": [ { "name", "role", "params": {k: v}, "error": str|null,
 *                      "rounds": n, "contention": fraction|null,
 *                      "metrics": { "wall": { "median", "lo", "hi", "n" },
 *                                   "cpu": {...}, ... } } ] }
 *
 * runner.kind is the key that keeps unlike machines apart in a series:
 * "CORES x CPU_MODEL" unless the recorder names it (--runner-kind).
 * Metrics are metric_name()s (thresholds.h), then those the program reports
 * (suite.json "metrics"): "items" and "cpu_per:items"; one not measured is
 * absent.
 * Unknown keys are ignored on read (a newer writer's additions); a missing
 * required field, a wrong type, a non-finite figure or another schema is an
 * error naming the file and field, and the reader skips that record.
 */
#include <stddef.h>

#include "json.h"
#include "results.h"

#define RECORD_VERSION 1
#define RECORD_SCHEMA  "spin-gate/record"

struct record_figure {
	char *metric; /* metric_name(), or a reported metric's name */
	double median, lo, hi;
	int n;
};

struct record_scenario {
	char *name;
	enum role role;
	struct param *params;
	size_t nparams;
	char *error; /* NULL when measured */
	int rounds;
	double contention; /* NaN when not measured */
	struct record_figure *figures;
	size_t nfigures;
};

struct record_runner {
	char *kind;
	char *cpu_model;
	int cores;
	char *kernel;
	char *hyperfine;
};

struct record {
	char *path; /* where it was read from; NULL when built */
	char *commit, *rev, *date, *recorded;
	char *suite_name, *suite_digest, *thresholds_digest;
	struct record_runner runner;
	int runs, max_runs;
	double confidence;
	struct record_scenario *scenarios;
	size_t nscenarios;
};

/* Zero r (confidence NaN): what record_release() leaves too. */
void record_init(struct record *r);

/*
 * Validation, on write as on read: the median of a figure is finite; lo and
 * hi are finite or null (NaN: no interval) and hold the median; n >= 1;
 * commit is 40 or 64 lower-case hex digits or null; contention a fraction
 * or null. rev, recorded, suite.name, runner.kind, runner.cores,
 * settings.runs and settings.max_runs and every scenario's name, rounds and
 * metrics are required.
 */

/* The record as a JSON tree (the caller deletes it), or NULL after error()
 * naming path when a figure is not one a reader would accept. */
cJSON *record_to_json(const struct record *r, const char *path);

/* A new figure of scenario s for metric, every number NaN and n 0 (the
 * caller fills them). Points into s->figures: valid until the next add. */
struct record_figure *record_scenario_add_figure(struct record_scenario *s, const char *metric);

/* Write atomically to path. 0, or -1 after error(). */
int record_write(const struct record *r, const char *path);
/* Read and validate; 0, or -1 after error() naming path and the field
 * (r is then released). r->path is path. */
int record_read(struct record *r, const char *path);
/* Same from text (tests, fuzzing); `name` names it in messages. */
int record_parse(struct record *r, const char *text, size_t len, const char *name);
/* What names the record's revision: its commit, else its rev (a release),
 * else "?". */
const char *record_id(const struct record *r);
/* The figure of scenario `scenario` and metric, or NULL. */
const struct record_figure *record_figure(const struct record *r, const char *scenario,
					  const char *metric);
void record_release(struct record *r);

#endif
