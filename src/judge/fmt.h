#ifndef SPIN_GATE_FMT_H
#define SPIN_GATE_FMT_H
/*
 * fmt: how figures are written, in one place, so that judge's notes and the
 * renderers' tables show the same number the same way.
 */
#include "buf.h"
#include "stats.h"
#include "thresholds.h"

/* Format seconds / ratios / percentages compactly ("5.21 s", "0.093x", "98%").
 * NaN or infinity appends "n/a". */
void fmt_seconds(struct buf *out, double s);
void fmt_ratio(struct buf *out, double r);
/* A fraction as percent: 0.98 -> "98%", 0.073 -> "7.3%". */
void fmt_percent(struct buf *out, double frac);
/* A metric's value with its unit: seconds, or percent for cpu_util. */
void fmt_metric_value(struct buf *out, enum metric m, double v);
/* "0.07x [0.05, 0.09]" or "98% [95%, 99%]"; the interval only when finite. */
void fmt_interval(struct buf *out, enum metric m, int ratio, const struct interval *ci);
/* A condition's limit: "<= 0.5x", ">= 0.9x", "<= 25%", "<= 5.2 s". */
void fmt_limit(struct buf *out, const struct condition *c);

/* A condition's value with its unit, as written in thresholds.json:
 * "0.5x", "25%", "0.05 s". */
void fmt_threshold(struct buf *out, const struct condition *c);

#endif
