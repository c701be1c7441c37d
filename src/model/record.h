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
 * Metrics are metric_name()s (thresholds.h); one not measured is absent.
 * Unknown keys are ignored on read (a newer writer's additions); a missing
 * required field, a wrong type, a non-finite figure or another schema is an
 * error naming the file and field, and the reader skips that record.
 */
#include <stddef.h>

#include "results.h"

#define RECORD_VERSION 1

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

/* Write atomically to path. 0, or -1 after error(). */
int record_write(const struct record *r, const char *path);
/* Read and validate; 0, or -1 after error() naming path and the field. */
int record_read(struct record *r, const char *path);
/* Same from text (tests, fuzzing); `name` names it in messages. */
int record_parse(struct record *r, const char *text, size_t len, const char *name);
/* The figure of scenario `scenario` and metric, or NULL. */
const struct record_figure *record_figure(const struct record *r, const char *scenario,
					  const char *metric);
void record_release(struct record *r);

#endif
