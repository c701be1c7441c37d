#ifndef SPIN_GATE_MERGE_H
#define SPIN_GATE_MERGE_H
/*
 * merge: the results.json of N shards (`run --shard K/N`, shard.h) checked
 * to belong together and combined into one, which `judge` and the
 * renderers then treat like an unsharded run. Pure: nothing here runs or
 * reads a file (`spin-gate merge`, cmd_merge.c, loads the files).
 *
 * merge_check() refuses, with one error() line naming the file(s) and what
 * differs, in this order:
 *   - a file that is not a shard's (no "shard" object);
 *   - a shard that is incomplete (interrupted);
 *   - shards of different counts (1/3 beside 2/4);
 *   - the same shard given twice (by index), then a missing index of 1..N;
 *   - different revisions: a side's spec, or its resolved commit or
 *     version where both files have one (an empty shard prepares nothing
 *     and records none);
 *   - different suites or thresholds (their digests), settings (runs,
 *     max_runs, warmup, confidence, all_checks), --only filters or matrix
 *     sizes;
 *   - a scenario of the matrix measured by two shards or by none (shards
 *     planned with different --timings), or measured under two names.
 *
 * merge_combine() moves every shard's scenarios into one results, in matrix
 * order, each with its shard's machine (host, CPU model, cores, kernel) in
 * scen[].machine; the rest comes from shard 1 (revisions from a shard that
 * has them resolved), started is the earliest, finished the latest, and
 * merged the number of shards. The adaptive stop after a fail acts within a
 * shard only, so a merged file may have more rounds than one run would.
 */
#include <stddef.h>

#include "buf.h"
#include "results.h"

/* 0, or -1 after error(). paths[i] names shards[i] in messages. */
int merge_check(const struct results *shards, const char *const *paths, size_t n);

/* Fill out (initialised by the caller) from shards that passed merge_check();
 * their scenarios are moved out (the shards are still released as usual). */
void merge_combine(struct results *shards, size_t n, struct results *out);

/*
 * When the scenarios of r were measured on machines that differ in CPU model
 * or core count, or timed by different hyperfine versions (scen[].machine),
 * append one line saying so (no newline, plain text; "Shards timed with 2
 * hyperfine versions: hyperfine 1.15.0 (2 scenarios), hyperfine 2.0.0 (2
 * scenarios); ...") and return 1; else append nothing and return 0. The
 * renderers call it, so `judge` of a merged file says it too.
 */
int merge_machines_line(const struct results *r, struct buf *out);

#endif
