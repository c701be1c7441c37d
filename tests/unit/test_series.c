/*
 * Unit tests for src/history/series.c: records in history order (commit
 * date, then when recorded, then path), one series per suite, scenario,
 * metric and runner kind (kinds never mixed), records without a scenario or
 * a metric leave only that series short, the bad direction of a series from
 * the thresholds' checks, and a known step found at its commit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alert.h"
#include "buf.h"
#include "render_alert.h"
#include "series.h"
#include "testlib.h"

/* A record built by hand: one runner kind, scenarios "idle" (role idle) and
 * "busy" (role busy), each with figures for the metrics named. */
struct fake {
	struct record r;
	struct record_scenario sc[2];
	struct record_figure fig[2][4];
	struct param p[2];
};

static void fake_init(struct fake *f, const char *commit, const char *date, const char *recorded,
		      const char *kind, double idle_cpu, double busy_share)
{
	memset(f, 0, sizeof(*f));
	f->r.commit = (char *)commit;
	f->r.date = (char *)date;
	f->r.recorded = (char *)recorded;
	f->r.suite_name = (char *)"s";
	f->r.runner.kind = (char *)kind;
	f->p[0] = (struct param){ (char *)"mode", (char *)"idle" };
	f->p[1] = (struct param){ (char *)"mode", (char *)"busy" };
	f->sc[0] = (struct record_scenario){ .name = (char *)"mode=idle",
					     .role = ROLE_IDLE,
					     .params = &f->p[0],
					     .nparams = 1,
					     .figures = f->fig[0],
					     .nfigures = 2 };
	f->fig[0][0] = (struct record_figure){ (char *)"wall", 1.0, 0.9, 1.1, 5 };
	f->fig[0][1] = (struct record_figure){ (char *)"cpu", idle_cpu, idle_cpu * 0.9,
					       idle_cpu * 1.1, 5 };
	f->sc[1] = (struct record_scenario){ .name = (char *)"mode=busy",
					     .role = ROLE_BUSY,
					     .params = &f->p[1],
					     .nparams = 1,
					     .figures = f->fig[1],
					     .nfigures = 1 };
	f->fig[1][0] = (struct record_figure){ (char *)"cpu_share", busy_share, busy_share - 0.01,
					       busy_share + 0.01, 5 };
	f->r.scenarios = f->sc;
	f->r.nscenarios = 2;
}

static struct record *records_of(struct fake *f, size_t n)
{
	struct record *v = xcalloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = f[i].r;
	return v;
}

static const struct series *find(const struct series_set *set, const char *scenario,
				 const char *metric, const char *kind)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].scenario, scenario) && !strcmp(set->v[i].metric, metric) &&
		    !strcmp(set->v[i].runner_kind, kind))
			return &set->v[i];
	return NULL;
}

static void test_parse_time(void **state)
{
	double t;

	(void)state;
	assert_int_equal(series_parse_time("1970-01-01T00:00:00Z", &t), 0);
	assert_true(t == 0);
	assert_int_equal(series_parse_time("2026-12-07T01:02:03+01:00", &t), 0);
	assert_true(t == 1796601723.0); /* 2026-12-07T00:02:03Z: date -u -d ... +%s */
	assert_int_equal(series_parse_time("2026-12-07T00:02:03.5Z", &t), 0);
	assert_true(t == 1796601723.5);
	assert_int_equal(series_parse_time("2026-12-07T00:02:03", &t), -1);
	assert_int_equal(series_parse_time("2026-13-07T00:02:03Z", &t), -1);
	assert_int_equal(series_parse_time("yesterday", &t), -1);
	assert_int_equal(series_parse_time(NULL, &t), -1);
}

static void test_order(void **state)
{
	struct fake f[4];
	struct record *recs;
	size_t order[4];

	(void)state;
	/* c is the oldest commit though recorded last; a has no commit date and
	 * sorts by when it was recorded; b and d share a commit date and go by
	 * recorded time (d first); the offset +02:00 makes b's date earlier. */
	fake_init(&f[0], "a", NULL, "2026-01-05T00:00:00Z", "k", 1, 1);
	fake_init(&f[1], "b", "2026-01-03T02:00:00+02:00", "2026-01-04T12:00:00Z", "k", 1, 1);
	fake_init(&f[2], "c", "2026-01-01T00:00:00Z", "2026-01-09T00:00:00Z", "k", 1, 1);
	fake_init(&f[3], "d", "2026-01-03T00:00:00Z", "2026-01-04T11:00:00Z", "k", 1, 1);
	recs = records_of(f, 4);
	series_order(recs, 4, order);
	assert_int_equal(order[0], 2); /* c: 01-01 */
	assert_int_equal(order[1], 3); /* d: 01-03 00:00Z, recorded 11:00 */
	assert_int_equal(order[2], 1); /* b: 01-03 00:00Z too, recorded 12:00 */
	assert_int_equal(order[3], 0); /* a: recorded 01-05 */
	free(recs);
}

static void test_split_and_missing(void **state)
{
	struct fake f[5];
	struct record *recs;
	struct series_set set;
	const struct series *s;

	(void)state;
	fake_init(&f[0], "c0", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2 x A", 1, 0.9);
	fake_init(&f[1], "c1", "2026-01-02T00:00:00Z", "2026-01-02T00:00:00Z", "4 x B", 2, 0.9);
	fake_init(&f[2], "c2", "2026-01-03T00:00:00Z", "2026-01-03T00:00:00Z", "2 x A", 1, 0.9);
	/* no cpu figure for the idle scenario: only its cpu series is short */
	fake_init(&f[3], "c3", "2026-01-04T00:00:00Z", "2026-01-04T00:00:00Z", "2 x A", 1, 0.9);
	f[3].sc[0].nfigures = 1;
	/* the busy scenario failed: no point in its series */
	fake_init(&f[4], "c4", "2026-01-05T00:00:00Z", "2026-01-05T00:00:00Z", "2 x A", 1, 0.9);
	f[4].sc[1].error = (char *)"exit code 1";
	recs = records_of(f, 5);
	assert_int_equal(series_build(&set, recs, 5, NULL, NULL), 0);
	assert_int_equal(set.nkinds, 2);
	/* 3 metrics x 2 kinds */
	assert_int_equal(set.n, 6);
	s = find(&set, "mode=idle", "cpu", "2 x A");
	assert_non_null(s);
	assert_int_equal(s->n, 3); /* c0, c2, c4: not c1 (other kind), not c3 (no cpu) */
	assert_string_equal(series_record(&set, s, 0)->commit, "c0");
	assert_string_equal(series_record(&set, s, 1)->commit, "c2");
	assert_string_equal(series_record(&set, s, 2)->commit, "c4");
	s = find(&set, "mode=idle", "wall", "2 x A");
	assert_non_null(s);
	assert_int_equal(s->n, 4);
	s = find(&set, "mode=busy", "cpu_share", "2 x A");
	assert_non_null(s);
	assert_int_equal(s->n, 3); /* c4's scenario failed */
	s = find(&set, "mode=idle", "cpu", "4 x B");
	assert_non_null(s);
	assert_int_equal(s->n, 1);
	assert_true(s->pts[0].median == 2);
	/* order: scenario by name (busy < idle), metric by thresholds.h's order, kind */
	assert_string_equal(set.v[0].scenario, "mode=busy");
	assert_string_equal(set.v[2].metric, "wall");
	assert_string_equal(set.v[3].metric, "wall");
	assert_string_equal(set.v[3].runner_kind, "4 x B");
	assert_string_equal(set.v[4].metric, "cpu");
	series_set_release(&set);
	free(recs);
}

/* A step of 5x in idle CPU at the 11th of 20 commits is a change point there. */
static void test_step_found(void **state)
{
	struct fake f[20];
	struct record *recs;
	struct series_set set;
	const struct series *s;
	char commits[20][8], dates[20][32];
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++) {
		double noise = 0.01 * (double)((i * 7) % 5);

		snprintf(commits[i], sizeof(commits[i]), "c%zu", i);
		snprintf(dates[i], sizeof(dates[i]), "2026-01-%02zuT00:00:00Z", i + 1);
		fake_init(&f[i], commits[i], dates[i], dates[i], "k", (i < 10 ? 0.2 : 1.0) + noise,
			  0.9);
	}
	recs = records_of(f, 20);
	assert_int_equal(series_build(&set, recs, 20, NULL, NULL), 0);
	s = find(&set, "mode=idle", "cpu", "k");
	assert_non_null(s);
	assert_int_equal(s->ncps, 1);
	assert_int_equal(s->cps[0].index, 10);
	assert_string_equal(series_record(&set, s, s->cps[0].index)->commit, "c10");
	assert_true(s->cps[0].after > s->cps[0].before);
	s = find(&set, "mode=idle", "wall", "k");
	assert_int_equal(s->ncps, 0);
	series_set_release(&set);
	free(recs);
}

static const char thresholds_text[] =
	"{\"version\": 1, \"checks\": ["
	"{\"name\": \"idle-cpu\", \"role\": \"idle\", \"metric\": \"cpu\", \"rule\": \"ratio_max\","
	" \"value\": 0.5, \"unless\": {\"metric\": \"cpu_util\", \"rule\": \"head_max\", \"value\": "
	"0.25}},"
	"{\"name\": \"wall\", \"metric\": \"wall\", \"rule\": \"ratio_max\", \"value\": 1.1},"
	"{\"name\": \"saturation\", \"role\": \"busy\", \"metric\": \"cpu_share\","
	" \"rule\": \"ratio_min\", \"value\": 0.9},"
	"{\"name\": \"fast-only\", \"where\": {\"mode\": \"busy\"}, \"metric\": \"user\","
	" \"rule\": \"head_max\", \"value\": 3}]}";

static void test_bad_direction(void **state)
{
	struct thresholds t = { 0 };
	struct param idle = { (char *)"mode", (char *)"idle" };
	struct param busy = { (char *)"mode", (char *)"busy" };
	struct series s = { 0 };
	struct change_point up = { .before = 1, .after = 2 }, down = { .before = 2, .after = 1 };

	(void)state;
	assert_int_equal(thresholds_parse(&t, thresholds_text, strlen(thresholds_text), "t.json"),
			 0);
	s.scenario = "mode=idle";
	s.params = &idle;
	s.nparams = 1;
	s.role = ROLE_IDLE;
	s.metric = "cpu";
	assert_int_equal(series_bad_direction(&t, &s), SERIES_BAD_UP);
	s.metric = "cpu_util"; /* only an "unless": guards nothing */
	assert_int_equal(series_bad_direction(&t, &s), 0);
	s.metric = "wall";
	assert_int_equal(series_bad_direction(&t, &s), SERIES_BAD_UP);
	s.metric = "cpu_share"; /* saturation is for busy scenarios */
	assert_int_equal(series_bad_direction(&t, &s), 0);
	s.metric = "user"; /* where mode=busy */
	assert_int_equal(series_bad_direction(&t, &s), 0);
	s.metric = "my_reported_metric";
	assert_int_equal(series_bad_direction(&t, &s), 0);
	s.scenario = "mode=busy";
	s.params = &busy;
	s.role = ROLE_BUSY;
	s.metric = "cpu_share";
	assert_int_equal(series_bad_direction(&t, &s), SERIES_BAD_DOWN);
	s.metric = "user";
	assert_int_equal(series_bad_direction(&t, &s), SERIES_BAD_UP);
	s.metric = "cpu";
	assert_int_equal(series_bad_direction(&t, &s), 0);
	assert_int_equal(series_bad_direction(NULL, &s), 0);

	assert_true(series_cp_is_bad(SERIES_BAD_UP, &up));
	assert_false(series_cp_is_bad(SERIES_BAD_UP, &down));
	assert_true(series_cp_is_bad(SERIES_BAD_DOWN, &down));
	assert_false(series_cp_is_bad(SERIES_BAD_DOWN, &up));
	assert_true(series_cp_is_bad(SERIES_BAD_UP | SERIES_BAD_DOWN, &down));
	assert_false(series_cp_is_bad(0, &up));
	thresholds_release(&t);
}

/* 20 records, idle CPU x5 from c10 on (and back from c16 on when `undo`). */
static struct record *stepped(struct fake *f, char (*commits)[8], char (*dates)[32], int undo)
{
	size_t i;

	for (i = 0; i < 20; i++) {
		double noise = 0.01 * (double)((i * 7) % 5);
		int spun = i >= 10 && !(undo && i >= 16);

		snprintf(commits[i], 8, "c%zu", i);
		snprintf(dates[i], 32, "2026-01-%02zuT00:00:00Z", i + 1);
		fake_init(&f[i], commits[i], dates[i], dates[i], "2 x A",
			  (spun ? 1.0 : 0.2) + noise, 0.9);
		f[i].r.runner.kernel = (char *)(i < 10 ? "Linux 6.1" : "Linux 6.12");
	}
	return records_of(f, 20);
}

static void test_alert_markdown(void **state)
{
	struct fake f[20];
	char commits[20][8], dates[20][32];
	struct record *recs = stepped(f, commits, dates, 0);
	struct series_set set;
	struct render_alert a = { 0 };
	struct buf b = BUF_INIT;
	struct param odd = { (char *)"mode", (char *)"it's idle" };
	struct series quoted;
	const char *chart, *end;

	(void)state;
	assert_int_equal(series_build(&set, recs, 20, NULL, NULL), 0);
	a.set = &set;
	a.s = find(&set, "mode=idle", "cpu", "2 x A");
	assert_non_null(a.s);
	assert_int_equal(a.s->ncps, 1);
	a.cp = 0;
	a.server_url = "https://github.com";
	a.repo = "octo/demo";

	render_alert_title(&b, &a);
	assert_true(!strncmp(b.s, "spin-gate: cpu of mode=idle up +", 32));
	assert_non_null(strstr(b.s, "% at c10"));
	buf_reset(&b);

	render_alert_bisect(&b, &a);
	assert_string_equal(b.s, "spin-gate bisect --good c9 --bad c10 --only mode=idle");
	buf_reset(&b);
	quoted = *a.s;
	quoted.params = &odd;
	a.s = &quoted;
	render_alert_bisect(&b, &a);
	assert_string_equal(b.s,
			    "spin-gate bisect --good c9 --bad c10 --only 'mode=it'\\''s idle'");
	a.s = find(&set, "mode=idle", "cpu", "2 x A");
	buf_reset(&b);

	render_alert_body(&b, &a);
	assert_true(!strncmp(b.s,
			     "<!-- spin-gate-alert:spin-gate:s/mode=idle/cpu/2_x_A -->\n"
			     "<!-- spin-gate-alert-cp:c10 -->\n\n",
			     strlen("<!-- spin-gate-alert:spin-gate:s/mode=idle/cpu/2_x_A -->\n"
				    "<!-- spin-gate-alert-cp:c10 -->\n\n")));
	assert_non_null(strstr(b.s, "stepped **up +"));
	assert_non_null(strstr(b.s, "between `c9` and `c10`"));
	/* the two sides: their ranges, counts and runners (kernel differs) */
	assert_non_null(strstr(b.s, "| before | `c0` .. `c9` | 10 | 0.220 s | ["));
	assert_non_null(strstr(b.s, "| after | `c10` .. `c19` | 10 | 1.02 s | ["));
	assert_non_null(strstr(b.s, "| 2 x A; Linux 6.1 |"));
	assert_non_null(strstr(b.s, "| 2 x A; Linux 6.12 |"));
	assert_non_null(strstr(b.s, "(https://github.com/octo/demo/compare/c9...c10)"));
	assert_non_null(
		strstr(b.s, "```\nspin-gate bisect --good c9 --bad c10 --only mode=idle\n```"));
	/* the chart: numbers only inside the mermaid block */
	chart = strstr(b.s, "```mermaid\nxychart-beta\n");
	assert_non_null(chart);
	end = strstr(chart + 10, "```");
	assert_non_null(end);
	assert_non_null(strstr(chart, "x-axis \"records in history order\" 1 --> 20"));
	assert_non_null(
		strstr(chart, "title \"median per record, change point after record 10\"\n"));
	assert_non_null(strstr(chart, "y-axis \"seconds\"\n"));
	assert_non_null(
		strstr(b.s, "| | commits | records | median | interval (confidence) | runner |\n"));
	assert_true(strstr(chart, "line [0.2, 0.22, 0.24, 0.21") && strstr(chart, "line [") < end);
	/* nothing from the records (names, commits) inside the block */
	assert_true(!strstr(chart, "mode") || strstr(chart, "mode") > end);
	assert_true(!strstr(chart, "c10") || strstr(chart, "c10") > end);
	buf_reset(&b);

	/* no compare link without the server */
	a.server_url = NULL;
	render_alert_body(&b, &a);
	assert_null(strstr(b.s, "compare/"));
	buf_release(&b);
	series_set_release(&set);
	free(recs);
}

static void test_alert_pick(void **state)
{
	struct fake f[20];
	char commits[20][8], dates[20][32];
	struct record *recs = stepped(f, commits, dates, 1);
	struct series_set set;
	struct buf b = BUF_INIT;
	struct render_alert a = { 0 };
	const struct series *s;
	size_t cp, undo;

	(void)state;
	assert_int_equal(series_build(&set, recs, 20, NULL, NULL), 0);
	s = find(&set, "mode=idle", "cpu", "2 x A");
	assert_int_equal(s->ncps, 2);
	/* up is bad: the step up at c10 is alerted on, the step down at c16 undoes it */
	assert_int_equal(alert_pick(s, SERIES_BAD_UP, &cp, &undo), 1);
	assert_int_equal(cp, 0);
	assert_int_equal(undo, 1);
	/* down is bad: the step down is the regression, nothing after it */
	assert_int_equal(alert_pick(s, SERIES_BAD_DOWN, &cp, &undo), 1);
	assert_int_equal(cp, 1);
	assert_true(undo == SIZE_MAX);
	/* not guarded, or no change point: nothing */
	assert_int_equal(alert_pick(s, 0, &cp, &undo), 0);
	assert_int_equal(
		alert_pick(find(&set, "mode=idle", "wall", "2 x A"), SERIES_BAD_UP, &cp, &undo), 0);
	a.set = &set;
	a.s = s;
	a.cp = 0;
	render_alert_undone(&b, &a, 1);
	assert_true(!strncmp(b.s,
			     "<!-- spin-gate-alert-undone:c16 -->\n\nUndone: a later change "
			     "point at `c16` steps down ",
			     strlen("<!-- spin-gate-alert-undone:c16 -->\n\nUndone: a later change "
				    "point at `c16` steps down ")));
	assert_non_null(strstr(b.s, "(4 records since).\n"));
	buf_release(&b);
	series_set_release(&set);
	free(recs);
}

/* A history of releases (records without commits): the alert names the
 * releases and its command bisects over --versions, not git. */
static void test_alert_releases(void **state)
{
	struct fake f[20];
	char commits[20][8], dates[20][32];
	struct record *recs = stepped(f, commits, dates, 0);
	struct series_set set;
	struct render_alert a = { 0 };
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 20; i++) {
		recs[i].rev = commits[i];
		commits[i][0] = 'v'; /* "v10": a release, not a commit */
		recs[i].commit = NULL;
	}
	assert_int_equal(series_build(&set, recs, 20, NULL, NULL), 0);
	a.set = &set;
	a.s = find(&set, "mode=idle", "cpu", "2 x A");
	assert_non_null(a.s);
	render_alert_bisect(&b, &a);
	assert_string_equal(b.s, "spin-gate bisect --versions v9,v10 --only mode=idle");
	buf_reset(&b);
	render_alert_title(&b, &a);
	assert_non_null(strstr(b.s, "% at v10"));
	buf_reset(&b);
	render_alert_cp_marker(&b, record_id(series_record(&set, a.s, a.s->cps[0].index)));
	assert_string_equal(b.s, "<!-- spin-gate-alert-cp:v10 -->");
	buf_reset(&b);
	render_alert_body(&b, &a);
	assert_non_null(strstr(b.s, "between `v9` and `v10`"));
	assert_non_null(strstr(b.s, "add the releases between these two to `--versions`"));
	assert_null(strstr(b.s, "/compare/"));
	buf_release(&b);
	series_set_release(&set);
	free(recs);
}

static void test_metric_kind(void **state)
{
	(void)state;
	assert_string_equal(series_metric_kind("wall"), "seconds");
	assert_string_equal(series_metric_kind("cpu"), "seconds");
	assert_string_equal(series_metric_kind("cpu_share"), "fraction");
	assert_string_equal(series_metric_kind("vcsw"), "count");
	assert_string_equal(series_metric_kind("events_per_s"), "count");
	/* CPU per unit of a reported metric is seconds */
	assert_string_equal(series_metric_kind("cpu_per:items"), "seconds");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),	  cmocka_unit_test(test_order),
		cmocka_unit_test(test_split_and_missing), cmocka_unit_test(test_step_found),
		cmocka_unit_test(test_bad_direction),	  cmocka_unit_test(test_metric_kind),
		cmocka_unit_test(test_alert_markdown),	  cmocka_unit_test(test_alert_releases),
		cmocka_unit_test(test_alert_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
