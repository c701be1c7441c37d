#ifndef SPIN_GATE_CLOCK_H
#define SPIN_GATE_CLOCK_H
/*
 * clock: the one monotonic clock. Durations (timeouts, the noise probe, the
 * time-left estimate) are differences of clock_now(); it never jumps when
 * the wall clock is set. Wall-clock timestamps for results.json are
 * results_now() (results.h).
 */

struct timeval;

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double clock_now(void);

/* A struct timeval (getrusage's CPU times) in seconds. */
double clock_tv_secs(const struct timeval *tv);

#endif
