#ifndef SPIN_GATE_RENDER_COMPARE_H
#define SPIN_GATE_RENDER_COMPARE_H
/*
 * render_compare: the tables of `spin-gate compare`, one per scenario, a
 * row per revision. Pure, like render.h: nothing here runs or reads files.
 *
 * Revision 1 is the reference; revision k (k >= 2) was measured in pair
 * k - 1 (struct measure_revs) and judged in it against revision 1. A row
 * says: the revision as given and what it resolved to (a git commit cut to
 * RENDER_COMPARE_COMMIT_CHARS hex digits); the median wall
 * and CPU (user + system) seconds of its judged runs; wall and CPU as a
 * ratio to revision 1 with their interval (the Hodges-Lehmann ratio, paired
 * by round when every round has both, at the thresholds' confidence:
 * judge_condition(), so the figures are the ones a ratio check sees); the
 * statuses of its pair's checks on the scenario ("idle-cpu pass, wall
 * fail"); and the scenario's error, if its pair has one (a failed run of
 * revision 1 shows in every row but its own). Revision 1's
 * figures come from the pair holding most of its runs (every pair holds
 * the same ones until a failed run of its other revision ends it).
 *
 *   ### input=dynamic processes=2
 *
 *   | # | revision | resolved | wall | cpu | wall / #1 | cpu / #1 | checks |
 *   | 1 | v0.16.0 | 0.16.0 | 5.23 s | 10.3 s | | | (reference) |
 *   | 2 | v0.16.1 | 0.16.1 | 5.21 s | 0.825 s | 1.00x [0.99, 1.00] | 0.080x [...] | idle-cpu pass,
 * wall pass |
 *
 * Before the tables, each pair's verdict line and, in markdown, its
 * directory (dirs). The terminal form is the same, aligned, without the
 * markdown; text from outside is escaped for markdown (render_md_escape())
 * or shown with control characters as '?' on the terminal.
 */

#include <stdio.h>

#include "buf.h"
#include "judge.h"
#include "results.h"
#include "thresholds.h"

#define RENDER_COMPARE_COMMIT_CHARS 12 /* hex digits of a commit shown */

struct compare_view {
	size_t n;		     /* revisions, >= 2 */
	const char *const *specs;    /* n, as the user gave them */
	const struct results *pairs; /* n - 1 */
	const struct judgement *j;   /* n - 1, each of its pair */
	const struct thresholds *t;
	const char *const *dirs; /* n - 1 directories of the pairs' files, or NULL */
};

void render_compare_md(struct buf *out, const struct compare_view *v);
void render_compare_term(FILE *f, const struct compare_view *v);

#endif
