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

/* CPU seconds per unit of work: small, so scaled ("12.5 µs"). */
static void fmt_cpu_per(struct buf *out, double v)
{
	static const char *const unit[] = { "s", "ms", "us", "ns" };
	size_t i;

	if (!isfinite(v)) {
		buf_adds(out, "n/a");
		return;
	}
	for (i = 0; i + 1 < sizeof(unit) / sizeof(unit[0]) && v != 0 && fabs(v) < 0.9995; i++)
		v *= 1000;
	buf_addf(out, fabs(v) >= 99.95 ? "%.0f %s" : "%#.3g %s", v, unit[i]);
}

/* The unit after a reported metric's figure: " items", " CPU/item",
 * " items/CPU s". */
static void add_reported_unit(struct buf *out, enum metric m)
{
	enum metric_reported_kind kind;
	const char *unit = metric_reported_unit(m);

	metric_reported_base(m, &kind);
	if (kind == METRIC_REPORTED_CPU_PER)
		buf_addf(out, " CPU/%s", unit ? unit : metric_reported_base(m, NULL));
	else if (kind == METRIC_REPORTED_PER_CPU_S)
		buf_addf(out, " %s/CPU s", unit ? unit : metric_reported_base(m, NULL));
	else if (unit)
		buf_addf(out, " %s", unit);
}

/* A reported metric's figure with its unit ("12.5 us CPU/item"). */
static void fmt_reported(struct buf *out, enum metric m, double v)
{
	enum metric_reported_kind kind;

	metric_reported_base(m, &kind);
	if (kind == METRIC_REPORTED_CPU_PER)
		fmt_cpu_per(out, v);
	else if (!isfinite(v))
		buf_adds(out, "n/a");
	else if (fabs(v) >= 9.995)
		buf_addf(out, "%.0f", v);
	else
		buf_addf(out, "%#.3g", v);
	if (isfinite(v))
		add_reported_unit(out, m);
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
	if (metric_reported_base(m, NULL))
		fmt_reported(out, m, v);
	else
		value_fmt(m)(out, v);
}

void fmt_interval(struct buf *out, enum metric m, int ratio, const struct interval *ci)
{
	void (*fmt)(struct buf *, double) = ratio ? fmt_ratio : value_fmt(m);

	if (!ratio && metric_reported_base(m, NULL)) {
		/* "120 items [100, 140]": the unit once, after the estimate */
		fmt_reported(out, m, ci->est);
		if (!isfinite(ci->est) || !isfinite(ci->lo) || !isfinite(ci->hi))
			return;
		buf_adds(out, " [");
		fmt_reported(out, m, ci->lo);
		buf_adds(out, ", ");
		fmt_reported(out, m, ci->hi);
		buf_addch(out, ']');
		return;
	}
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
	enum metric_reported_kind kind;

	/* the user's number as written in thresholds.json, not rounded */
	if (rule_is_ratio(c->rule))
		buf_addf(out, "%gx", c->value);
	else if (metric_reported_base(c->metric, &kind)) {
		buf_addf(out, kind == METRIC_REPORTED_CPU_PER ? "%g s" : "%g", c->value);
		add_reported_unit(out, c->metric);
	} else if (metric_is_fraction(c->metric))
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
