#include "fmt.h"

#include <math.h>

void fmt_seconds(struct buf *out, double s)
{
	/* Three significant digits, trailing zeros kept so columns read alike:
	 * "5.30 s", "0.460 s", "12.0 s", "123 s", "1234 s". */
	if (!isfinite(s))
		buf_adds(out, "n/a");
	else if (fabs(s) >= 99.95)
		buf_addf(out, "%.0f s", s);
	else
		buf_addf(out, "%#.3g s", s);
}

static void add_ratio_number(struct buf *out, double r)
{
	if (fabs(r) >= 99.95)
		buf_addf(out, "%.0f", r);
	else if (fabs(r) >= 9.995)
		buf_addf(out, "%.1f", r); /* 12.5 */
	else if (fabs(r) >= 0.0995 || r == 0)
		buf_addf(out, "%.2f", r); /* 0.97, 1.03 */
	else
		buf_addf(out, "%#.2g", r); /* 0.071, 0.0070 */
}

void fmt_ratio(struct buf *out, double r)
{
	if (!isfinite(r)) {
		buf_adds(out, "n/a");
		return;
	}
	add_ratio_number(out, r);
	buf_addch(out, 'x');
}

void fmt_percent(struct buf *out, double frac)
{
	double p = frac * 100;

	if (!isfinite(p))
		buf_adds(out, "n/a");
	else if (fabs(p) < 9.95)
		buf_addf(out, "%.1f%%", p);
	else
		buf_addf(out, "%.0f%%", p);
}

/* Counts: whole numbers from 10 up, three digits below ("212", "3.50"). */
static void fmt_count(struct buf *out, double v)
{
	if (!isfinite(v))
		buf_adds(out, "n/a");
	else if (fabs(v) >= 9.995)
		buf_addf(out, "%.0f", v);
	else
		buf_addf(out, "%#.3g", v);
}

static void fmt_kib(struct buf *out, double kib)
{
	fmt_count(out, kib / 1024);
	if (isfinite(kib))
		buf_adds(out, " MiB");
}

static void fmt_per_cpu_s(struct buf *out, double v)
{
	fmt_count(out, v);
	if (isfinite(v))
		buf_adds(out, " /CPU s");
}

static void (*value_fmt(enum metric m))(struct buf *, double)
{
	if (metric_is_fraction(m))
		return fmt_percent;
	if (m == METRIC_MAX_RSS)
		return fmt_kib;
	if (m == METRIC_VCSW_PER_CPU_S)
		return fmt_per_cpu_s;
	if (!metric_is_seconds(m))
		return fmt_count;
	return fmt_seconds;
}

void fmt_metric_value(struct buf *out, enum metric m, double v)
{
	value_fmt(m)(out, v);
}

void fmt_interval(struct buf *out, enum metric m, int ratio, const struct interval *ci)
{
	void (*fmt)(struct buf *, double) = ratio ? fmt_ratio : value_fmt(m);

	fmt(out, ci->est);
	if (!isfinite(ci->est) || !isfinite(ci->lo) || !isfinite(ci->hi))
		return;
	buf_adds(out, " [");
	if (ratio) {
		/* "0.07x [0.05, 0.09]": the unit once, after the estimate. */
		add_ratio_number(out, ci->lo);
		buf_adds(out, ", ");
		add_ratio_number(out, ci->hi);
	} else {
		fmt(out, ci->lo);
		buf_adds(out, ", ");
		fmt(out, ci->hi);
	}
	buf_addch(out, ']');
}

void fmt_threshold(struct buf *out, const struct condition *c)
{
	/* the user's number as written in thresholds.json, not rounded */
	if (rule_is_ratio(c->rule))
		buf_addf(out, "%gx", c->value);
	else if (metric_is_fraction(c->metric))
		buf_addf(out, "%g%%", c->value * 100);
	else if (c->metric == METRIC_MAX_RSS)
		buf_addf(out, "%g KiB", c->value);
	else if (c->metric == METRIC_VCSW_PER_CPU_S)
		buf_addf(out, "%g /CPU s", c->value);
	else if (!metric_is_seconds(c->metric))
		buf_addf(out, "%g", c->value);
	else
		buf_addf(out, "%g s", c->value);
}

void fmt_limit(struct buf *out, const struct condition *c)
{
	if (rule_is_diff(c->rule))
		buf_adds(out, "head-base ");
	buf_adds(out, rule_is_max(c->rule) ? "<= " : ">= ");
	fmt_threshold(out, c);
}
