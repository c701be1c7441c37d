#ifndef SPIN_GATE_HISTORY_SRC_H
#define SPIN_GATE_HISTORY_SRC_H
/*
 * history_src: where `run`, `compare` and `judge` find main's history for
 * the comment's line per idle scenario (render_history_head()): a
 * directory (--history DIR) or a branch of the repository
 * (--history-branch NAME, --history-remote R; the repository is the gate's
 * --repo, else the current directory's).
 *
 *   struct history_src h = { 0 };
 *   opts[] = { ..., OPT_HISTORY_SOURCE(&h), ... };
 *   ro.history = md = history_src_head(&h, &results);   caller frees md
 */
#include "opt.h"
#include "record.h"
#include "results.h"

struct history_src {
	const char *dir, *branch, *remote; /* from the options */
	const char *repo, *cache;	   /* set by the command: NULL for the defaults */
	/* read once, by the first history_src_head() (compare: one per pair) */
	struct record *recs;
	size_t nrecs;
	int state; /* 0 not read yet, 1 read, -1 could not be read */
};

#define OPT_HISTORY_SOURCE(h)                                                     \
	OPT_STRING("history", 0, &(h)->dir, "DIR",                                \
		   "main's history (spin-gate record) in a directory: a\n"        \
		   "line per idle scenario placing head among its last records"), \
		OPT_STRING("history-branch", 0, &(h)->branch, "NAME",             \
			   "the same from this branch of the repository\n"        \
			   "(spin-gate-history)"),                                \
		OPT_STRING("history-remote", 0, &(h)->remote, "R",                \
			   "the history branch's remote (default: origin)")

/*
 * The comment's lines (render_history_head()) from the history named, or
 * NULL when none was named, it has no line to give, or it cannot be read
 * (a warning: the verdict does not depend on it). Caller frees.
 */
char *history_src_head(struct history_src *h, const struct results *r);
/* Free the records read. */
void history_src_release(struct history_src *h);

#endif
