#ifndef SPIN_GATE_BISECT_H
#define SPIN_GATE_BISECT_H
/*
 * bisect: from a range that fails the gate to the revision that made it
 * fail, each step a gate of the candidate against the good revision.
 *
 *   struct bisect b;
 *   bisect_init(&b, &g);              g configured and started (gate.h)
 *   b.good = "v1"; b.bad = "HEAD";    or b.versions: good first, bad last
 *   ret = bisect_run(&b);             the exit code
 *   bisect_release(&b);
 *
 * First the bad revision is gated against the good one on the planned
 * matrix (--only); the checks that failed there, on the scenarios they
 * failed on, are all a step judges (with b.checks, those checks on the
 * planned matrix, and no first gate). A step's verdict is git's answer:
 * pass 0 (good), fail 1 (bad), inconclusive after its adaptive rounds or a
 * candidate that cannot be prepared or run 125 (skip).
 *
 * Git revisions (the gate's --repo): the repository is fetched into a
 * clone of its own under CACHE/bisect/ (the user's repository is only
 * read), and `git bisect start --no-checkout BAD GOOD` there picks each
 * candidate (BISECT_HEAD); the gate answers with `git bisect good|bad|skip
 * COMMIT` until git names the first bad commit or, when skipped commits
 * leave it unsure, the commits it could be. Candidates are prepared from
 * worktrees of that clone. A bisection left behind (interrupted) is reset
 * before the next starts, and after every one.
 *
 * Released versions (b.versions, no repository): the same steps, the
 * binary search done here: the candidate nearest the middle of what is
 * left that was not skipped.
 *
 * Reusing the good side (unless b.no_reuse): every judged run of the good
 * revision, from the first gate and every step, joins a pool (per
 * scenario, this session and machine only). A step runs the good revision
 * only in rounds 1, 4, 7, ... (interleaved with the candidate's runs in
 * those rounds, the order alternating as in every gate) and judges the
 * candidate against its own good runs plus the pool's. The pooled runs
 * carry round 0 in the step's results.json: they pair with no candidate
 * run, so the step's intervals are the two-sample ones.
 *
 * Output: OUT/steps/NN/ (each step's results.json, verdict.md,
 * report.html), OUT/logs/, and OUT/bisect.md: the answer, then a table of
 * every step (revision, verdict, the figure that decided it, git's answer,
 * runs, time), also printed on stdout.
 */
#include "gate.h"
#include "results.h"
#include "status.h"

/* The most steps (2^30 revisions need 30; skips add some). */
#define BISECT_MAX_STEPS 256

/* What a step tells git (`git bisect run`'s exit codes). */
enum bisect_answer {
	BISECT_GOOD = 0,
	BISECT_BAD = 1,
	BISECT_SKIP = 125,
};

/* "good", "bad", "skip". */
const char *bisect_answer_name(enum bisect_answer a);

struct bisect_step {
	char *rev;		   /* the full commit or the version */
	enum status verdict;	   /* the step's gate (STATUS_ERROR: not measured) */
	enum bisect_answer answer; /* what it told git */
	char *figure;		   /* what decided it, one line */
	int good_runs, cand_runs;  /* runs this step measured (pooled ones not counted) */
	double seconds;		   /* wall time of the step, preparing included */
	int first;		   /* 1: the first gate (bad against good) */
};

struct bisect {
	struct gate *g;		     /* borrowed, configured and started */
	const char *good, *bad;	     /* git revisions as given (with g->a.repo) */
	const char *const *versions; /* or: released versions, good first, bad last */
	size_t nversions;
	const char *const *checks; /* --check names, or NULL: those that fail first */
	size_t nchecks;
	int no_reuse; /* measure the good side fully in every step */
	/* filled by bisect_run() */
	char *good_rev, *bad_rev; /* resolved */
	struct bisect_step steps[BISECT_MAX_STEPS];
	size_t nsteps;
	char **culprits; /* the first bad revision, or the range it is in */
	size_t nculprits;
	char **scen_names; /* the scenarios judged */
	size_t nscen;
	struct results pool; /* the good side's pooled runs, per scenario */
	size_t all_checks;   /* thresholds' nchecks before restricting */
	double started;
};

/* Zero b for the gate g. */
void bisect_init(struct bisect *b, struct gate *g);

/*
 * Bisect (above). Returns the exit code: EXIT_PASS when the first bad
 * revision was named, EXIT_INCONCLUSIVE when skipped steps leave a range,
 * EXIT_FAIL when bad does not fail against good (nothing to bisect; with
 * --check none is gated first), EXIT_USAGE (a --check no thresholds have,
 * a revision that does not resolve), EXIT_RUN_ERROR (good or bad cannot be
 * prepared, git failed, OUT cannot be written), 128 + the signal when
 * interrupted; each after saying why. OUT/bisect.md is written whenever a
 * step ran.
 */
int bisect_run(struct bisect *b);

void bisect_release(struct bisect *b);

/* The report (bisect.md) of b so far, appended to out: markdown that reads
 * as plain text too. */
void bisect_render(struct buf *out, const struct bisect *b);

/* Git's side (bisect_git.c): the clone under the cache and `git bisect`. */
struct bisect_git {
	char *dir;   /* the clone */
	char *log;   /* git's stderr appended here */
	int started; /* a bisection is open in dir */
	int lock;    /* dir.lock, held while bisecting: one bisection per clone */
};

/* What git said after start or an answer. */
enum bisect_git_state {
	BISECT_GIT_NEXT,  /* a candidate to test: *next */
	BISECT_GIT_FOUND, /* the first bad commit: (*range)[0] */
	BISECT_GIT_RANGE, /* only skipped commits left: one of (*range)[0..n) */
};

/* Lock CACHE/bisect/<key>.lock (another bisect of the same repository
 * holding it is an error), fetch repo's refs into CACHE/bisect/<key>/ (made
 * on first use), reset a bisection left there. 0, or -1 after error(). */
int bisect_git_open(struct bisect_git *bg, const char *repo, const char *cache, const char *log);

/* `git bisect start --no-checkout bad good`. 0, or -1 after error(). */
int bisect_git_start(struct bisect_git *bg, const char *bad, const char *good,
		     enum bisect_git_state *st, char **next, char ***range, size_t *n);

/* `git bisect good|bad|skip commit`, then what git says. 0, or -1. */
int bisect_git_answer(struct bisect_git *bg, enum bisect_answer a, const char *commit,
		      enum bisect_git_state *st, char **next, char ***range, size_t *n);

/* `git bisect reset` when one is open (also after an interrupt), unlock,
 * and free. */
void bisect_git_close(struct bisect_git *bg);

#endif
