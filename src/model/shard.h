#ifndef SPIN_GATE_SHARD_H
#define SPIN_GATE_SHARD_H
/*
 * shard: the scenario matrix cut into N slices of about equal run time, for
 * `spin-gate run --shard K/N` (one slice per job of a CI job matrix) and
 * `spin-gate check --shards N` (every slice listed). Pure: nothing here runs
 * or reads a file.
 *
 * A scenario is the unit: base and head of a scenario always fall in the
 * same slice, so they still run interleaved on one machine.
 *
 * Weights: each scenario's expected run time in whole milliseconds
 * (shard_weights()). From a previous results.json (--timings) when it has a
 * scenario of the same name: the wall time of all its runs, both sides,
 * warm-ups included (what measuring it took then). A scenario that file does
 * not have gets the mean of those it has. Without timings, or when the file
 * matches no scenario, every scenario weighs its timeout: the suite gives one
 * timeout for all, so slices are then balanced by count.
 *
 * Slices (shard_assign()): longest expected time first (ties: the lower
 * matrix index first), each to the slice with the least expected time so far
 * (ties: the lower slice). Whole-number weights and a total order make the
 * slices the same for the same matrix and weights on every machine: nothing
 * depends on the machine, the clock or chance. Names are not used for the
 * order, only indexes (a suite's ${ncpu} parameter makes names differ
 * between machines; give every shard the same --timings file).
 */
#include <stddef.h>
#include <stdint.h>

#include "results.h"

#define SHARD_MAX RESULTS_MAX_SHARDS

/* How the weights were found (the shard's "balanced_by"). */
enum shard_basis {
	SHARD_BY_TIMEOUT = 0,
	SHARD_BY_TIMINGS,
};

/* "timings" or "timeout". */
const char *shard_basis_name(enum shard_basis b);

/*
 * Parse "K/N": decimal digits only, no sign, space or leading zero,
 * 1 <= K <= N <= SHARD_MAX. 0, or -1 after error() naming the value.
 */
int shard_parse(const char *arg, int *index, int *count);

/*
 * w[i] (m->nscen entries, at least 1 each): the expected milliseconds of
 * m->scen[i], from timings (may be NULL) as described above.
 */
enum shard_basis shard_weights(const struct results *m, const struct results *timings, uint64_t *w);

/* owner[i] in 1..count for each of the n weights (see above). */
void shard_assign(const uint64_t *w, size_t n, int count, int *owner);

/*
 * Each slice's expected milliseconds into loads (count entries, may be NULL);
 * returns the longest slice over the mean (1: perfectly even; 0 when n is 0).
 */
double shard_balance(const uint64_t *w, size_t n, int count, const int *owner, uint64_t *loads);

/*
 * Keep in r only the scenarios of slice `index` (in matrix order) and record
 * r->shard: index, count, the matrix size, the kept scenarios' matrix indexes
 * and expected seconds, the basis and the --only filters (copied). r may be
 * left with no scenario: an empty slice (count above the matrix size).
 */
void shard_apply(struct results *r, int index, int count, const int *owner, const uint64_t *w,
		 enum shard_basis basis, const char *const *only, size_t nonly);

#endif
