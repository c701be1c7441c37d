#ifndef SPIN_GATE_PROGRESS_H
#define SPIN_GATE_PROGRESS_H
/*
 * progress: what the terminal or the log is told while measuring. measure.c
 * says what happens (a run starts, a run ended with its sample, a scenario's
 * round begins and ends); this draws it in the mode measure_opts.progress
 * asks (measure.h):
 *   LIVE    one line rewritten in place before each run: "[2/5] round 3 head
 *           NAME (0:42 elapsed, ~1:10 left)", cut to the terminal's width,
 *           wiped before any message (msg's hook); a line per run only when
 *           a run failed or timed out
 *   LINES   a line per run after it: wall, user, sys, others' share
 *   GROUPS  LINES inside "::group::[i/n] round R NAME" blocks (GitHub Actions)
 * --quiet (measure_opts.quiet) says nothing. The time left is the runs left
 * times the mean run so far ("at most" once the adaptive rounds begin).
 */
#include "measure.h"
#include "results.h"

#include <stdio.h>

struct progress {
	enum measure_progress mode;
	int quiet;
	FILE *out; /* the live line and group markers (messages go to msg) */
	int runs;  /* rounds before the adaptive ones */
	int ncpu;  /* for others' share */
	size_t nscen;
	double start; /* CLOCK_MONOTONIC at progress_begin() */
	size_t runs_done;
	double run_secs; /* the runs' wall-clock seconds so far */
	int live_shown;	 /* the live line is on the terminal */
};

/* Start (the live mode installs msg's hook); progress_end() removes it. */
void progress_begin(struct progress *pg, const struct measure_opts *o, size_t nscen);
void progress_end(struct progress *pg);

/* Scenario i (of nscen, named `name`) of the revision `label` is about to
 * run; runs_left counts the runs after it. */
void progress_run_start(struct progress *pg, size_t i, const char *name, const char *label,
			int round, int warmup, size_t runs_left);
/* It ended with smp after secs seconds of wall-clock time. */
void progress_run_done(struct progress *pg, size_t i, const char *name, const char *label,
		       int round, int warmup, const struct sample *smp, double secs,
		       size_t runs_left);

/* A scenario's round begins and ends (GROUPS only). */
void progress_group_begin(struct progress *pg, size_t i, const char *name, int round, int warmup);
void progress_group_end(struct progress *pg);

#endif
