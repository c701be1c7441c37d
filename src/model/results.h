#ifndef SPIN_GATE_RESULTS_H
#define SPIN_GATE_RESULTS_H
/*
 * results: the sample store, and results.json, the hinge of the pipeline.
 *
 * Measuring fills a struct results; everything after (judge, render, post)
 * is a pure function of it and thresholds.json. results_write() saves it
 * atomically (after every run, so an interrupted gate loses nothing);
 * results_read() loads it back for `spin-gate judge` and `spin-gate post`.
 *
 * Schema (version RESULTS_VERSION), documented in docs/results-json.md:
 *
 *   { "schema": "spin-gate/results", "version": 1,
 *     "complete": bool, "stopped_by": "SIGINT"|null,
 *     "started": ISO-8601, "finished": ISO-8601|null,
 *     "suite": { "name", "path", "digest" },
 *     "thresholds": { "path", "digest" },
 *     "settings": { "runs", "max_runs", "warmup", "confidence", "all_checks" },
 *     "revisions": { "base": {spec, kind, resolved, env, runtime},
 *                    "head": {...} },
 *     "environment": { "cores", "kernel", "hyperfine", "host", "cpu_model" },
 *     "shard": { "index", "count", "matrix", "scenarios": [i], "expected": [s],
 *                "balanced_by", "only": [str] }   (only from run --shard),
 *     "merged": { "shards": N }                    (only from merge),
 *     "scenarios": [ { "name", "params": {k: v}, "role", "cores", "machine_cores", "timeout",
 *                      "command": {"base": str, "head": str},
 *                      "error": str|null,
 *                      "machine": { host, cpu_model, cores, kernel, hyperfine }
 *                                                              (merge only),
 *                      "left_behind": { "base": {runs, processes, cpu},
 *                                       "head": {...} }   (only when not all 0),
 *                      "metrics": [ {name, unit, better: "bigger"|"smaller"} ]
 *                                              (only when the suite declares some),
 *                      "samples": { "base": [ {round, warmup, wall, user,
 *                                              system, exit_code, timed_out,
 *                                              others_cpu, steal, cpu_pressure,
 *                                              pressure_source, cgroup_cpu, vcsw, ivcsw, max_rss,
 * minflt, majflt, reported: {name: value|null}} ], "head": [...] }, "profile": { "base": {tool, samples, wall, top: [{frame,
 *                                   under, share, other_share}], syscalls_per_s,
 *                                   cswitches_per_s, folded, error, stat_error},
 *                                   "head": {...}, "svg" }  (only when profiled;
 *                                   never judged; read leniently) } ],
 *     "checks": [...],   written by judge_to_json(); results_read_verdict()
 *                        loads them, results_read() does not
 *     "contention": {...}, written by judge_contention_to_json(), ignored on read
 *     "verdict": "pass"|"fail"|"inconclusive"|"error" }
 *
 * Everything here is owned by the struct and freed by results_release()
 * (results_verdict_release() for the stored judgement).
 */
#include <stddef.h>

#include "buf.h"
#include "status.h"

#define RESULTS_VERSION 1

/*
 * Limits of what results_read() accepts, so that a file cannot make judging
 * take hours or gigabytes (judging is quadratic in the samples of a side:
 * the Hodges-Lehmann interval sorts every base x head pair).
 *
 * RESULTS_MAX_ROUNDS: the most rounds a gate measures (thresholds' runs and
 * max_runs, `run --runs / --max-runs`). A round takes seconds, so a thousand
 * is already hours per scenario; judging a thousand a side took about 2 s
 * and 20 MB (one scenario, a 2-core CI machine).
 * RESULTS_MAX_SAMPLES: samples per side of a scenario, warm-ups included
 * (the rounds, plus as many warm-ups at most). Judging one scenario with
 * this many judged samples a side took about 4 s and 75 MB; 10,000 a side
 * took 202 s and 1.6 GB, 15,000 a side 131 s and 3.4 GB on another machine.
 * RESULTS_MAX_SCENARIOS: scenarios of a file, as many as a suite's matrix may
 * have (SUITE_MAX_SCENARIOS).
 */
#define RESULTS_MAX_ROUNDS    1000
#define RESULTS_MAX_SAMPLES   (2 * RESULTS_MAX_ROUNDS)
#define RESULTS_MAX_SCENARIOS 10000
/* RESULTS_MAX_SHARDS: the most shards a matrix is cut into (`run --shard
 * K/N`); a job matrix of GitHub Actions has at most 256 jobs. */
#define RESULTS_MAX_SHARDS 256
/* RESULTS_MAX_REPORTED: the metrics a scenario may declare that its program
 * reports itself (suite.h "metrics"); each sample has room for that many.
 * RESULTS_METRIC_NAME_MAX: bytes of such a metric's name (printable ASCII
 * without spaces, results_metric_name_ok()) and of its unit. */
#define RESULTS_MAX_REPORTED	8
#define RESULTS_METRIC_NAME_MAX 64

enum side {
	SIDE_BASE = 0,
	SIDE_HEAD = 1,
};
#define SIDE_COUNT 2

/* "base" or "head". */
const char *side_name(enum side s);

/* Where a sample's cpu_pressure came from (sysload.h), best first. */
enum pressure_source {
	PRESSURE_NONE = 0, /* not measured */
	PRESSURE_RUN,	   /* the run's own cgroup: its tasks' waits alone */
	PRESSURE_GATE,	   /* the gate's cgroup: the run's and the gate's */
	PRESSURE_SYSTEM,   /* /proc/pressure/cpu: any task's on the machine */
};
/* "run", "gate", "system", or NULL for PRESSURE_NONE. */
const char *pressure_source_name(enum pressure_source p);

struct sample {
	int round;     /* measured rounds count from 1; warm-ups are 0 */
	int warmup;    /* 1: warm-up run, never judged */
	double wall;   /* seconds, NaN when not measured */
	double user;   /* seconds of user CPU of the command and its children */
	double sys;    /* seconds of system CPU, likewise */
	int exit_code; /* the command's exit code; -1 when killed or unknown */
	int timed_out; /* 1: killed at the scenario's time limit */
	/* Contention during the run (sysload.h), NaN when not measured:
	 * seconds of CPU that other work on the machine used, seconds stolen
	 * by the hypervisor, seconds some task waited for a CPU (with
	 * PRESSURE_RUN: some task of the run itself, its stall), and the
	 * run's CPU as its own cgroup counted it (hyperfine's included;
	 * PRESSURE_RUN only). */
	double others_cpu;
	double steal;
	double cpu_pressure;
	enum pressure_source pressure_source;
	double cgroup_cpu;
	/* The spin signature (proc.h struct proc_usage), NaN when not
	 * measured: what the kernel counted for hyperfine and the command
	 * it ran (hyperfine's own share is a few switches and about 500 minor
	 * faults a run, and its ~10 MiB is a floor under max_rss). */
	double vcsw;	/* voluntary context switches */
	double ivcsw;	/* involuntary context switches */
	double max_rss; /* peak resident memory of the largest process, KiB */
	double minflt;	/* minor page faults */
	double majflt;	/* major page faults */
	/* What the program reported itself (reported.h), one value per
	 * metric its scenario declares (scenario_result.metrics, same
	 * order); NaN when the run failed before they were read. */
	double reported[RESULTS_MAX_REPORTED];
};

/*
 * The measures of a sample: its field and its key in results.json. Each is a
 * double, NaN when not measured (written as null; null or absent reads
 * back as NaN; anything else must be a finite number >= 0). Writing and
 * reading results.json and sample_init() go over this one list, so a new
 * measure is its field in struct sample, one line here and its row in
 * docs/results-json.md (docs/development.md, "A new measure").
 */
#define SAMPLE_MEASURES(X)              \
	X(wall, "wall")                 \
	X(user, "user")                 \
	X(sys, "system")                \
	X(others_cpu, "others_cpu")     \
	X(steal, "steal")               \
	X(cpu_pressure, "cpu_pressure") \
	X(cgroup_cpu, "cgroup_cpu")     \
	X(vcsw, "vcsw")                 \
	X(ivcsw, "ivcsw")               \
	X(max_rss, "max_rss")           \
	X(minflt, "minflt")             \
	X(majflt, "majflt")

/* A sample of round 0 with every measure NaN (SAMPLE_MEASURES) and every
 * reported value NaN, exit code 0, nothing else set. */
void sample_init(struct sample *s);

struct param {
	char *name;
	char *value;
};

/*
 * What a scenario is for, declared by the suite (suite.h "roles"), so that
 * thresholds can select scenarios without knowing a project's parameter
 * names: idle waits for input and must not burn CPU; busy is CPU-bound and
 * must keep its cores busy; any is neither or unknown.
 */
enum role {
	ROLE_ANY = 0,
	ROLE_IDLE,
	ROLE_BUSY,
};

/* "any", "idle", "busy". */
const char *role_name(enum role r);
/* 0, or -1 (no message) for anything else. */
int role_parse(const char *s, enum role *out);

struct sample_list {
	struct sample *v;
	size_t n;
	size_t alloc;
};

/* What one side's runs of a scenario left running after their command
 * ended (proc.h, proc_subreaper()); all zero when nothing. */
struct left_behind {
	int runs;      /* runs that left any process running */
	int processes; /* processes in all (killed after each run) */
	double cpu;    /* CPU seconds of what the runs did not wait for, those
			* and orphans that ended earlier: already in the
			* samples' user and system */
};

/* The machine that measured a scenario: written by `merge`, where the
 * scenarios of one file come from several shards (absent: the file's
 * "environment"). All NULL / 0 when not recorded. */
struct machine_info {
	char *host;
	char *cpu_model;
	int cores;
	char *kernel;
	char *hyperfine; /* "hyperfine 2.0.0": the shard's, which timed both sides */
};

/*
 * Where the CPU went (profile.h): one extra run of the scenario per side
 * under a sampling profiler, never judged. Paths are relative to the
 * output directory. NaN: not counted.
 */
#define RESULTS_PROFILE_TOP 3

struct profile_frame {
	char *frame;	    /* a leaf frame (folded.h folded_top()) */
	char *under;	    /* its usual caller, or NULL */
	double share;	    /* its self share of this side's samples, 0..1 */
	double other_share; /* the same frame's share on the other side */
};

struct profile_side {
	char *tool;	/* "perf" or "py-spy"; NULL: not profiled */
	double samples; /* samples in the folded stacks */
	struct profile_frame top[RESULTS_PROFILE_TOP];
	size_t ntop;
	double wall;		/* seconds the profiled run took */
	double syscalls_per_s;	/* system calls per wall second (perf stat) */
	double cswitches_per_s; /* context switches per wall second */
	char *folded;		/* "profile/1-mode-spin-head.folded", or NULL */
	char *error;		/* why there is no profile, or NULL */
	char *stat_error;	/* why syscalls were not counted, or NULL */
};

struct scenario_profile {
	struct profile_side side[SIDE_COUNT];
	char *svg; /* the differential flame graph, or NULL */
	/* what the profile could not show and how to see it (a JIT's frames),
	 * or NULL */
	char *hint;
};

void scenario_profile_free(struct scenario_profile *p);

/* A metric the scenario's program reports (suite.h "metrics"): its name,
 * unit and which way is better. results.json keeps these per scenario and
 * each sample's value under "reported". */
struct metric_decl {
	char *name; /* "items": printable ASCII, no spaces, no ':' */
	char *unit; /* "items", "msg/s", "s" */
	int bigger; /* 1: bigger is better (throughput); 0: smaller (latency) */
};

/* 1 when name can name a reported metric: 1 to RESULTS_METRIC_NAME_MAX bytes
 * of printable ASCII (0x21-0x7e) other than ':' (cpu_per: is a prefix). */
int results_metric_name_ok(const char *name);

/* Index of the scenario's declared metric `name`, or -1. */
struct scenario_result;
int scenario_metric_index(const struct scenario_result *sc, const char *name);

struct scenario_result {
	char *name;	      /* "input=partitioned long_input=True ..." */
	struct param *params; /* the matrix values, in suite order */
	size_t nparams;
	enum role role;		   /* from the suite's roles; ROLE_ANY when none matched */
	double cores;		   /* CPU budget: how many cores it may use */
	double timeout;		   /* seconds one run may take */
	int machine_cores;	   /* online CPUs of the machine that measured it; 0: unknown */
	char *command[SIDE_COUNT]; /* the command line as hyperfine ran it */
	struct sample_list samples[SIDE_COUNT];
	char *error; /* first failed run ("exit code 1 in head round 2"), or NULL */
	struct left_behind left[SIDE_COUNT];
	struct machine_info machine;
	struct scenario_profile *profile; /* NULL: not profiled */
	struct metric_decl *metrics;	  /* what the program reports, or NULL */
	size_t nmetrics;		  /* at most RESULTS_MAX_REPORTED */
};

struct revision_info {
	char *spec;	/* as the user gave it: "v0.16.0", "HEAD~1" */
	char *kind;	/* "version" or "git" */
	char *resolved; /* "0.16.0" or a full commit id */
	char *env;	/* the prepared environment's directory */
	char *runtime;	/* what the suite's probe printed ("Python 3.9.2"), or NULL */
};

/* What the gate cost while it measured (cost.h); NaN when not recorded. */
struct overhead {
	double self_cpu;   /* the gate's own CPU, noise probe included */
	double probe_cpu;  /* of which the noise probe's */
	double tools_cpu;  /* its children's CPU beyond the runs' (hyperfine) */
	double extra_wall; /* wall time beyond the runs' wall times */
	double runs_cpu;   /* CPU of every run, warm-ups included */
	double runs_wall;  /* wall time of every run, warm-ups included */
};

struct env_info {
	int cores;	 /* online CPUs */
	char *kernel;	 /* uname -srm */
	char *hyperfine; /* "hyperfine 1.15.0" */
	char *host;	 /* hostname */
	char *cpu_model; /* /proc/cpuinfo's model name, or NULL */
	/* Noise probe (NaN when not run): relative spread of a fixed CPU loop
	 * and of a fixed sleep, and CPU steal over the run in percent. */
	double noise_cpu;
	double noise_sleep;
	double steal;
	struct overhead overhead;
};

struct results_settings {
	int runs;	   /* rounds measured before judging */
	int max_runs;	   /* most rounds any scenario gets */
	int warmup;	   /* warm-up rounds per scenario and side */
	double confidence; /* two-sided confidence level of intervals */
	int all_checks;	   /* 1: adaptive rounds go on after a check failed */
};

/*
 * What `run --shard K/N` was given (shard.h): its place among the shards and
 * the scenarios of the whole matrix it measured, so that `merge` can check
 * that the shards cover the matrix exactly once. index 0: not a shard.
 */
struct results_shard {
	int index;	   /* 1..count */
	int count;	   /* N */
	size_t matrix;	   /* scenarios of the whole matrix (after --only) */
	size_t *scenarios; /* matrix indexes (0-based, ascending) of r->scen */
	double *expected;  /* seconds each was expected to take (its weight) */
	size_t n;	   /* entries of scenarios and expected */
	char *balanced_by; /* "timings" or "timeout" */
	char **only;	   /* the --only filters as given ("NAME=VALUE") */
	size_t nonly;
};

struct results {
	int version;
	int complete;	  /* 0 while measuring and after an interruption */
	char *stopped_by; /* "SIGINT", "SIGTERM" or NULL */
	char *started;
	char *finished;
	char *suite_name;
	char *suite_path;
	char *suite_digest;	 /* suite_file_digest() of suite.json, or NULL */
	char *thresholds_path;	 /* the thresholds the gate measured with, or NULL */
	char *thresholds_digest; /* and its digest */
	struct results_settings settings;
	struct revision_info rev[SIDE_COUNT];
	struct env_info env;
	struct scenario_result *scen;
	size_t nscen;
	size_t alloc;
	struct results_shard shard;
	int merged; /* shards `merge` combined into this file; 0: not merged */
};

void results_init(struct results *r);
void results_release(struct results *r);

/* Append a zeroed scenario and return it (owned by r). */
struct scenario_result *results_add_scenario(struct results *r);
/* Append a copy of *s to the scenario's samples for side `side`. */
void results_add_sample(struct scenario_result *sc, enum side side, const struct sample *s);
/* Free what the scenario owns and zero it. */
void scenario_release(struct scenario_result *sc);
/* Value of parameter `name` in the scenario, or NULL (check_applies() of
 * thresholds.h selects scenarios with it). */
const char *scenario_param(const struct scenario_result *sc, const char *name);

/*
 * Load results.json. Returns 0, or -1 after error() naming the file and
 * field. Unknown fields are ignored; a newer major version is an error; so
 * is what cannot be a measurement: of a sample, wall, user, system,
 * others_cpu, steal, cpu_pressure, cgroup_cpu, vcsw, ivcsw, max_rss, minflt
 * and majflt must be finite numbers >= 0, or null; pressure_source "run",
 * "gate", "system" or null
 * (or absent) for "not measured"; round a whole number from 0 to
 * RESULTS_MAX_SAMPLES, exit_code a whole number (-1: killed or unknown);
 * a scenario's cores more than 0; at most RESULTS_MAX_SAMPLES samples a side
 * and RESULTS_MAX_SCENARIOS scenarios; a scenario's "metrics" at most
 * RESULTS_MAX_REPORTED, each named as results_metric_name_ok() says, once,
 * with "better" "bigger" or "smaller"; a sample's "reported" only those
 * names, each a finite number or null. A "shard" must be whole: index 1..count,
 * count 1..RESULTS_MAX_SHARDS, scenarios ascending indexes below matrix, one
 * per scenario of the file, with as many expected seconds (>= 0).
 */
int results_read(struct results *r, const char *path);

/*
 * The judgement results.json carries: its "verdict" and, of each entry of
 * "checks", what publishing needs. `judge` never reads these (it judges the
 * samples again); `post` reads nothing else of the file.
 */
struct stored_check {
	char *check;	    /* the check's name, or NULL */
	char *scenario;	    /* the scenario's name, or NULL */
	enum status status; /* the outcome's (after unless) */
	char *note;	    /* why, one line; or NULL */
};

struct results_verdict {
	int has_verdict; /* 0: the file has no "verdict" (or null) */
	enum status verdict;
	struct stored_check *checks;
	size_t nchecks;
	size_t alloc;
};

void results_verdict_init(struct results_verdict *v);
void results_verdict_release(struct results_verdict *v);

/*
 * Load "verdict" and "checks" of results.json into v, and nothing else: a
 * file holding only them will do (no schema or version needed). A status
 * (the verdict's or a check's) must be one of status_name()'s words; a
 * check without one is refused. Returns 0, or -1 after error() naming the
 * file and field (v is then empty).
 */
int results_read_verdict(struct results_verdict *v, const char *path);

/* Build the JSON tree of r (caller owns it; cJSON_Delete). */
struct cJSON *results_to_json(const struct results *r);

/* Write r (plus `extra` members moved into the root, may be NULL) to path
 * atomically. `extra` is consumed. Returns 0, or -1 after error(). */
int results_write(const struct results *r, struct cJSON *extra, const char *path);
/* The same without fsync, for the save after every run: atomic for readers
 * and when the gate dies, not when the machine does (the final
 * results_write() is durable). Returns 0, or -1 after error(). */
int results_checkpoint(const struct results *r, const char *path);

/* Current time as ISO-8601 UTC ("2026-11-23T18:04:10Z"); caller frees. */
char *results_now(void);

#endif
