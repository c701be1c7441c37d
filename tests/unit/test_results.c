/* Unit tests of src/model/results.c: the sample store, results.json written and
 * read back field by field, and the errors of a file that is not one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>

#include "json.h"
#include "results.h"
#include "testlib.h"

static char *dir, *path;

static int setup(void **state)
{
	(void)state;
	dir = tmpdir_make("results");
	path = xstrfmt("%s/results.json", dir);
	msgs_begin();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(msgs_end());
	free(path);
	tmpdir_remove(dir);
	return 0;
}

static void write_text(const char *text)
{
	assert_int_equal(file_write_atomic(path, text, strlen(text), WRITE_CHECKPOINT), 0);
}

static void test_store(void **state)
{
	struct results r;
	struct scenario_result *sc;

	(void)state;
	results_init(&r);
	assert_int_equal(r.version, RESULTS_VERSION);
	assert_true(r.settings.confidence == 0.95);
	assert_true(isnan(r.env.noise_cpu) && isnan(r.env.steal));
	assert_true(isnan(r.env.overhead.runs_wall));
	assert_string_equal(side_name(SIDE_BASE), "base");
	assert_string_equal(side_name(SIDE_HEAD), "head");
	sc = test_scenario(&r, "x=1");
	test_param(sc, "x", "1");
	test_sample(sc, SIDE_BASE, 0, 1, 1, 0);
	test_sample(sc, SIDE_BASE, 1, 1, 1, 0);
	test_sample(sc, SIDE_BASE, 2, 1, 1, 0);
	assert_string_equal(scenario_param(sc, "x"), "1");
	assert_null(scenario_param(sc, "y"));
	assert_int_equal(sc->samples[SIDE_BASE].n, 3);
	assert_int_equal(sc->samples[SIDE_HEAD].n, 0);
	/* many scenarios: earlier ones stay intact as the array grows */
	for (int i = 0; i < 40; i++)
		test_scenario(&r, "more");
	assert_string_equal(r.scen[0].name, "x=1");
	assert_int_equal(r.scen[0].samples[SIDE_BASE].n, 3);
	results_release(&r);
	assert_int_equal(r.nscen, 0);
	assert_int_equal(r.version, RESULTS_VERSION); /* released means initialised */
}

/* Every field set, nothing left at its default. */
static void fill(struct results *r)
{
	struct scenario_result *sc;
	struct sample s;

	results_init(r);
	r->complete = 1;
	r->stopped_by = xstrdup("SIGTERM");
	r->started = xstrdup("2026-11-23T18:04:10Z");
	r->finished = xstrdup("2026-11-23T18:21:37Z");
	r->suite_name = xstrdup("bytewax");
	r->suite_path = xstrdup("scenarios/bytewax");
	r->settings.runs = 5;
	r->settings.max_runs = 15;
	r->settings.warmup = 2;
	r->settings.confidence = 0.9;
	r->settings.all_checks = 1;
	r->rev[SIDE_BASE].spec = xstrdup("v0.16.0");
	r->rev[SIDE_BASE].kind = xstrdup("version");
	r->rev[SIDE_BASE].resolved = xstrdup("0.16.0");
	r->rev[SIDE_BASE].env = xstrdup("/cache/envs/bytewax/version-0.16.0");
	r->rev[SIDE_BASE].runtime = xstrdup("Python 3.9.2");
	r->rev[SIDE_HEAD].spec = xstrdup("HEAD~1");
	r->rev[SIDE_HEAD].kind = xstrdup("git");
	r->rev[SIDE_HEAD].resolved = xstrdup("0123456789abcdef0123456789abcdef01234567");
	r->env.cores = 4;
	r->env.kernel = xstrdup("Linux 6.1.0 x86_64");
	r->env.hyperfine = xstrdup("hyperfine 1.15.0");
	r->env.host = xstrdup("runner-7");
	r->env.noise_cpu = 0.012;
	r->env.noise_sleep = 0.004;
	r->env.steal = 0.5;
	r->env.overhead.self_cpu = 0.17;
	r->env.overhead.probe_cpu = 0.07;
	r->env.overhead.tools_cpu = 0.24;
	r->env.overhead.extra_wall = 0.5;
	r->env.overhead.runs_cpu = 317.25;
	r->env.overhead.runs_wall = 236.5;
	sc = test_scenario(r, "input=a 'quoted' \"x\"");
	test_param(sc, "input", "a 'quoted' \"x\"");
	test_param(sc, "processes", "2");
	sc->cores = 1.5;
	sc->timeout = 120;
	sc->machine_cores = 4;
	/* as merge writes it: the shard's machine and hyperfine */
	sc->machine.host = xstrdup("runner-8");
	sc->machine.cpu_model = xstrdup("Test CPU");
	sc->machine.cores = 4;
	sc->machine.kernel = xstrdup("Linux 6.1.0 x86_64");
	sc->machine.hyperfine = xstrdup("hyperfine 2.0.0");
	sc->command[SIDE_BASE] = xstrdup("python -c 'print(1)'");
	sc->command[SIDE_HEAD] = xstrdup("python -c 'print(2)'");
	sc->error = xstrdup("exit code 1 in head round 2 (output: log)");
	test_sample(sc, SIDE_BASE, 0, 1.25, 0.75, 0.125);
	test_sample(sc, SIDE_BASE, 1, 1.5, 1.0, 0.25);
	/* what the program reported: a value, and one the run never read */
	sc->metrics = xcalloc(2, sizeof(*sc->metrics));
	sc->metrics[0].name = xstrdup("items");
	sc->metrics[0].unit = xstrdup("items");
	sc->metrics[0].bigger = 1;
	sc->metrics[1].name = xstrdup("p99");
	sc->metrics[1].unit = xstrdup("s");
	sc->nmetrics = 2;
	s = test_make_sample(2, 2.5, 2.0, 0.5);
	s.reported[0] = 1500;
	s.reported[1] = -0.25; /* any finite number */
	s.exit_code = 1;
	s.others_cpu = 0.25;
	s.steal = 0;
	s.cpu_pressure = 0.125;
	s.pressure_source = PRESSURE_RUN;
	s.cgroup_cpu = 2.625;
	s.vcsw = 12;
	s.ivcsw = 3;
	s.max_rss = 10348;
	s.minflt = 499;
	s.majflt = 0;
	results_add_sample(sc, SIDE_HEAD, &s);
	s = test_make_sample(3, NAN, NAN, NAN);
	s.exit_code = -1;
	s.timed_out = 1;
	results_add_sample(sc, SIDE_HEAD, &s);
	test_scenario(r, "empty"); /* no params, commands, samples, machine cores */
}

static void str_eq(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Equal numbers, or both NaN. */
static void num_eq(double a, double b)
{
	if (isnan(a) || isnan(b))
		assert_true(isnan(a) && isnan(b));
	else
		assert_true(a == b);
}

static void assert_same(const struct results *a, const struct results *b)
{
	size_t i, k, j;

	assert_int_equal(a->version, b->version);
	assert_int_equal(a->complete, b->complete);
	str_eq(a->stopped_by, b->stopped_by);
	str_eq(a->started, b->started);
	str_eq(a->finished, b->finished);
	str_eq(a->suite_name, b->suite_name);
	str_eq(a->suite_path, b->suite_path);
	assert_int_equal(a->settings.runs, b->settings.runs);
	assert_int_equal(a->settings.max_runs, b->settings.max_runs);
	assert_int_equal(a->settings.warmup, b->settings.warmup);
	num_eq(a->settings.confidence, b->settings.confidence);
	assert_int_equal(a->settings.all_checks, b->settings.all_checks);
	for (k = 0; k < SIDE_COUNT; k++) {
		str_eq(a->rev[k].spec, b->rev[k].spec);
		str_eq(a->rev[k].kind, b->rev[k].kind);
		str_eq(a->rev[k].resolved, b->rev[k].resolved);
		str_eq(a->rev[k].env, b->rev[k].env);
		str_eq(a->rev[k].runtime, b->rev[k].runtime);
	}
	assert_int_equal(a->env.cores, b->env.cores);
	str_eq(a->env.kernel, b->env.kernel);
	str_eq(a->env.hyperfine, b->env.hyperfine);
	str_eq(a->env.host, b->env.host);
	num_eq(a->env.noise_cpu, b->env.noise_cpu);
	num_eq(a->env.noise_sleep, b->env.noise_sleep);
	num_eq(a->env.steal, b->env.steal);
	num_eq(a->env.overhead.self_cpu, b->env.overhead.self_cpu);
	num_eq(a->env.overhead.probe_cpu, b->env.overhead.probe_cpu);
	num_eq(a->env.overhead.tools_cpu, b->env.overhead.tools_cpu);
	num_eq(a->env.overhead.extra_wall, b->env.overhead.extra_wall);
	num_eq(a->env.overhead.runs_cpu, b->env.overhead.runs_cpu);
	num_eq(a->env.overhead.runs_wall, b->env.overhead.runs_wall);
	assert_int_equal(a->nscen, b->nscen);
	for (i = 0; i < a->nscen; i++) {
		const struct scenario_result *x = &a->scen[i], *y = &b->scen[i];

		str_eq(x->name, y->name);
		assert_int_equal(x->nparams, y->nparams);
		for (j = 0; j < x->nparams; j++) {
			str_eq(x->params[j].name, y->params[j].name);
			str_eq(x->params[j].value, y->params[j].value);
		}
		num_eq(x->cores, y->cores);
		num_eq(x->timeout, y->timeout);
		assert_int_equal(x->machine_cores, y->machine_cores);
		str_eq(x->machine.host, y->machine.host);
		str_eq(x->machine.cpu_model, y->machine.cpu_model);
		assert_int_equal(x->machine.cores, y->machine.cores);
		str_eq(x->machine.kernel, y->machine.kernel);
		str_eq(x->machine.hyperfine, y->machine.hyperfine);
		str_eq(x->error, y->error);
		assert_int_equal(x->nmetrics, y->nmetrics);
		for (j = 0; j < x->nmetrics; j++) {
			str_eq(x->metrics[j].name, y->metrics[j].name);
			str_eq(x->metrics[j].unit, y->metrics[j].unit);
			assert_int_equal(x->metrics[j].bigger, y->metrics[j].bigger);
		}
		for (k = 0; k < SIDE_COUNT; k++) {
			str_eq(x->command[k], y->command[k]);
			assert_int_equal(x->samples[k].n, y->samples[k].n);
			for (j = 0; j < x->samples[k].n; j++) {
				const struct sample *p = &x->samples[k].v[j],
						    *q = &y->samples[k].v[j];

				assert_int_equal(p->round, q->round);
				assert_int_equal(p->warmup, q->warmup);
				assert_int_equal(p->exit_code, q->exit_code);
				assert_int_equal(p->timed_out, q->timed_out);
				assert_int_equal(p->pressure_source, q->pressure_source);
				/* every measure, from the one list */
#define MEASURE_EQ(f, k) num_eq(p->f, q->f);
				SAMPLE_MEASURES(MEASURE_EQ)
#undef MEASURE_EQ
				for (size_t m = 0; m < x->nmetrics; m++)
					num_eq(p->reported[m], q->reported[m]);
			}
		}
	}
}

static void test_round_trip(void **state)
{
	struct results r, back, back2;
	char *first, *second;

	(void)state;
	fill(&r);
	assert_int_equal(results_write(&r, NULL, path), 0);
	assert_int_equal(results_read(&back, path), 0);
	assert_same(&r, &back);
	/* written again, the same bytes */
	first = slurp(path);
	assert_int_equal(results_checkpoint(&back, path), 0);
	second = slurp(path);
	assert_string_equal(first, second);
	assert_int_equal(results_read(&back2, path), 0);
	assert_same(&r, &back2);
	assert_string_equal(msgs_so_far(), "");
	free(first);
	free(second);
	results_release(&r);
	results_release(&back);
	results_release(&back2);
}

/* Defaults survive too: no overhead, no revisions, nothing finished. */
static void test_round_trip_defaults(void **state)
{
	struct results r, back;

	(void)state;
	results_init(&r);
	test_scenario(&r, "only");
	assert_int_equal(results_checkpoint(&r, path), 0);
	assert_int_equal(results_read(&back, path), 0);
	assert_same(&r, &back);
	results_release(&r);
	results_release(&back);
}

/* extra members land in the root, replacing any of the same name; reading
 * ignores them. */
static void test_extra_members(void **state)
{
	struct results r, back;
	cJSON *extra = cJSON_CreateObject(), *root;
	char *text;

	(void)state;
	fill(&r);
	cJSON_AddStringToObject(extra, "verdict", "fail");
	cJSON_AddArrayToObject(extra, "checks");
	cJSON_AddBoolToObject(extra, "complete", 0); /* replaces r's */
	assert_int_equal(results_write(&r, extra, path), 0);
	text = slurp(path);
	root = json_parse_text(text, strlen(text), path);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "verdict")->valuestring, "fail");
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(root, "checks")));
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(root, "complete")));
	assert_int_equal(results_read(&back, path), 0);
	assert_int_equal(back.complete, 0);
	assert_int_equal(back.nscen, 2);
	cJSON_Delete(root);
	free(text);
	results_release(&r);
	results_release(&back);
}

struct bad_case {
	const char *json;
	const char *msg; /* after "spin-gate: error: '<path>': " */
};

#define HEAD "\"schema\": \"spin-gate/results\", \"version\": 1"
#define SCEN "{\"name\": \"s\", \"cores\": 1, \"samples\": {\"base\": [], \"head\": ["

#define MSCEN                                                                            \
	"{\"name\": \"s\", \"cores\": 1, \"metrics\": [{\"name\": \"items\", \"unit\": " \
	"\"items\", \"better\": \"bigger\"}], \"samples\": {\"base\": [], \"head\": ["
static const struct bad_case bad_cases[] = {
	{ "{" HEAD ", \"scenarios\": [" MSCEN "{\"round\": 1, \"exit_code\": 0, \"reported\": "
	  "{\"itemz\": 1}}]}}]}",
	  "scenarios[0].samples.head[0].reported: 'itemz' is not one of the scenario's metrics" },
	{ "{" HEAD ", \"scenarios\": [" MSCEN "{\"round\": 1, \"exit_code\": 0, \"reported\": "
	  "{\"items\": \"1\"}}]}}]}",
	  "scenarios[0].samples.head[0].reported.items: expected a finite number or null" },
	{ "{" HEAD ", \"scenarios\": [{\"name\": \"s\", \"cores\": 1, \"metrics\": [{\"name\": "
	  "\"it\\u0007ems\", \"unit\": \"u\", \"better\": \"bigger\"}], \"samples\": {}}]}",
	  "scenarios[0].metrics[0].name: not a metric name (printable ASCII, no spaces or ':', at "
	  "most 64 bytes, once per scenario)" },
	{ "{" HEAD ", \"scenarios\": [{\"name\": \"s\", \"cores\": 1, \"metrics\": [{\"name\": "
	  "\"a\", \"unit\": \"u\", \"better\": \"up\"}], \"samples\": {}}]}",
	  "scenarios[0].metrics[0].better: expected \"bigger\" or \"smaller\"" },
	{ "{\"version\": 1, \"scenarios\": []}", "schema: missing" },
	{ "{\"schema\": \"other\", \"version\": 1, \"scenarios\": []}",
	  "not a spin-gate results file (schema 'other')" },
	{ "{\"schema\": \"spin-gate/results\", \"version\": 2, \"scenarios\": []}",
	  "results version 2 is not supported (this spin-gate reads version 1)" },
	{ "{" HEAD "}", "scenarios: missing" },
	{ "{" HEAD ", \"scenarios\": {}}", "scenarios: expected an array" },
	{ "{" HEAD ", \"complete\": 1, \"scenarios\": []}", "complete: expected true or false" },
	{ "{" HEAD ", \"settings\": {\"runs\": \"5\"}, \"scenarios\": []}",
	  "settings.runs: expected a number" },
	{ "{" HEAD ", \"revisions\": {\"head\": {\"spec\": 3}}, \"scenarios\": []}",
	  "revisions.head.spec: expected a string" },
	{ "{" HEAD ", \"scenarios\": [3]}", "scenarios[0]: expected an object" },
	{ "{" HEAD ", \"scenarios\": [{\"cores\": 1, \"samples\": {}}]}",
	  "scenarios[0].name: missing" },
	{ "{" HEAD ", \"scenarios\": [{\"name\": \"s\", \"samples\": {}}]}",
	  "scenarios[0].cores: missing" },
	{ "{" HEAD
	  ", \"scenarios\": [{\"name\": \"s\", \"cores\": 1, \"samples\": {\"base\": []}}]}",
	  "scenarios[0].samples.head: missing" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"exit_code\": 0}]}}]}",
	  "scenarios[0].samples.head[0].round: missing" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 1}]}}]}",
	  "scenarios[0].samples.head[0].exit_code: missing" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 1, \"exit_code\": 0, \"warmup\": 0}]}}]}",
	  "scenarios[0].samples.head[0].warmup: expected true or false" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "[]]}}]}",
	  "scenarios[0].samples.head[0]: expected an object" },
	{ "{" HEAD ", \"scenarios\": [{\"name\": \"s\", \"cores\": 1, \"params\": {\"x\": [1]}, "
	  "\"samples\": {\"base\": [], \"head\": []}}]}",
	  "scenarios[0].params.x: expected a string" },
	/* what cannot be a measurement */
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 1, \"exit_code\": 0, \"wall\": -5}]}}]}",
	  "scenarios[0].samples.head[0].wall: -5 is not a measurement (expected a finite number "
	  ">= 0)" },
	{ "{" HEAD ", \"scenarios\": [" SCEN
	  "{\"round\": 1, \"exit_code\": 0, \"wall\": \"fast\"}]}}]}",
	  "scenarios[0].samples.head[0].wall: expected a number or null" },
	{ "{" HEAD ", \"scenarios\": [" SCEN
	  "{\"round\": 1, \"exit_code\": 0, \"user\": 1e999}]}}]}",
	  "scenarios[0].samples.head[0].user: inf is not a measurement (expected a finite number "
	  ">= 0)" },
	{ "{" HEAD ", \"scenarios\": [" SCEN
	  "{\"round\": 1, \"exit_code\": 0, \"system\": -0.5}]}}]}",
	  "scenarios[0].samples.head[0].system: -0.5 is not a measurement (expected a finite "
	  "number >= 0)" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 1, \"exit_code\": 0, \"steal\": -1}]}}]}",
	  "scenarios[0].samples.head[0].steal: -1 is not a measurement (expected a finite number "
	  ">= 0)" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 1, \"exit_code\": 0, \"vcsw\": -3}]}}]}",
	  "scenarios[0].samples.head[0].vcsw: -3 is not a measurement (expected a finite number "
	  ">= 0)" },
	{ "{" HEAD ", \"scenarios\": [" SCEN
	  "{\"round\": 1, \"exit_code\": 0, \"max_rss\": \"10 MB\"}]}}]}",
	  "scenarios[0].samples.head[0].max_rss: expected a number or null" },
	{ "{" HEAD ", \"scenarios\": [" SCEN
	  "{\"round\": 1, \"exit_code\": 0, \"majflt\": 1e999}]}}]}",
	  "scenarios[0].samples.head[0].majflt: inf is not a measurement (expected a finite "
	  "number >= 0)" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": -1, \"exit_code\": 0}]}}]}",
	  "scenarios[0].samples.head[0].round: expected a whole number from 0 to 2000, got -1" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 1.5, \"exit_code\": 0}]}}]}",
	  "scenarios[0].samples.head[0].round: expected a whole number from 0 to 2000, got 1.5" },
	{ "{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 1, \"exit_code\": 0.5}]}}]}",
	  "scenarios[0].samples.head[0].exit_code: expected a whole number from -2147483648 to "
	  "2147483647, got 0.5" },
	{ "{" HEAD ", \"scenarios\": [{\"name\": \"s\", \"cores\": 0, \"samples\": {}}]}",
	  "scenarios[0].cores: expected a finite number more than 0, got 0" },
};

/* A file of n scenarios, each with m samples a side. */
static char *big_results(size_t n, size_t m)
{
	struct buf b = BUF_INIT;
	size_t i, j, k;

	buf_adds(&b, "{" HEAD ", \"scenarios\": [");
	for (i = 0; i < n; i++) {
		buf_addf(&b, "%s{\"name\": \"s%zu\", \"cores\": 1, \"samples\": {", i ? "," : "",
			 i);
		for (k = 0; k < 2; k++) {
			buf_addf(&b, "%s\"%s\": [", k ? ", " : "", k ? "head" : "base");
			for (j = 0; j < m; j++)
				buf_addf(&b, "%s{\"round\": %zu, \"exit_code\": 0, \"wall\": 1}",
					 j ? "," : "", j + 1);
			buf_adds(&b, "]");
		}
		buf_adds(&b, "}}");
	}
	buf_adds(&b, "]}");
	return buf_detach(&b);
}

/* RESULTS_MAX_SAMPLES a side and RESULTS_MAX_SCENARIOS are read; one more is
 * refused before anything is judged. */
static void test_read_limits(void **state)
{
	struct results r;
	char *text, *want;

	(void)state;
	text = big_results(1, RESULTS_MAX_SAMPLES);
	write_text(text);
	free(text);
	assert_int_equal(results_read(&r, path), 0);
	assert_int_equal(r.scen[0].samples[SIDE_HEAD].n, RESULTS_MAX_SAMPLES);
	results_release(&r);

	text = big_results(1, RESULTS_MAX_SAMPLES + 1);
	write_text(text);
	free(text);
	assert_int_equal(results_read(&r, path), -1);
	want = xstrfmt("spin-gate: error: '%s': scenarios[0].samples.base: 2001 samples (at most "
		       "2000)\n",
		       path);
	assert_string_equal(msgs_so_far(), want);
	free(want);
	free(msgs_end());
	msgs_begin();

	text = big_results(RESULTS_MAX_SCENARIOS, 0);
	write_text(text);
	free(text);
	assert_int_equal(results_read(&r, path), 0);
	assert_int_equal(r.nscen, RESULTS_MAX_SCENARIOS);
	results_release(&r);

	text = big_results(RESULTS_MAX_SCENARIOS + 1, 0);
	write_text(text);
	free(text);
	assert_int_equal(results_read(&r, path), -1);
	want = xstrfmt("spin-gate: error: '%s': scenarios: 10001 scenarios (at most 10000)\n",
		       path);
	assert_string_equal(msgs_so_far(), want);
	free(want);
	assert_int_equal(r.nscen, 0);
}

/* null and absent measurements are "not measured"; -1 is an exit code; a
 * repeated key is refused by the JSON layer with its place. */
static void test_read_not_measured(void **state)
{
	struct results r;
	char *want;

	(void)state;
	write_text("{" HEAD ", \"scenarios\": [" SCEN "{\"round\": 0, \"exit_code\": -1, "
		   "\"wall\": null, \"system\": 0}]}}]}");
	assert_int_equal(results_read(&r, path), 0);
	assert_true(isnan(r.scen[0].samples[SIDE_HEAD].v[0].wall));
	assert_true(isnan(r.scen[0].samples[SIDE_HEAD].v[0].user));
	assert_true(r.scen[0].samples[SIDE_HEAD].v[0].sys == 0);
	assert_int_equal(r.scen[0].samples[SIDE_HEAD].v[0].exit_code, -1);
	/* a file from before the spin signature: not measured */
	assert_true(isnan(r.scen[0].samples[SIDE_HEAD].v[0].vcsw));
	assert_true(isnan(r.scen[0].samples[SIDE_HEAD].v[0].ivcsw));
	assert_true(isnan(r.scen[0].samples[SIDE_HEAD].v[0].max_rss));
	assert_true(isnan(r.scen[0].samples[SIDE_HEAD].v[0].minflt));
	assert_true(isnan(r.scen[0].samples[SIDE_HEAD].v[0].majflt));
	results_release(&r);
	assert_string_equal(msgs_so_far(), "");

	write_text("{" HEAD ", \"scenarios\": [" SCEN
		   "{\"round\": 1, \"exit_code\": 0,\n \"wall\": 1, \"wall\": -1}]}}]}");
	assert_int_equal(results_read(&r, path), -1);
	want = xstrfmt("spin-gate: error: cannot read '%s': line 2, column 13: duplicate key "
		       "'wall' in scenarios[0].samples.head[0]\n",
		       path);
	assert_string_equal(msgs_so_far(), want);
	free(want);
}

static void test_read_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct results r;
		char *said, *want;
		int ret;

		write_text(bad_cases[i].json);
		free(msgs_end());
		msgs_begin();
		ret = results_read(&r, path);
		said = msgs_end();
		msgs_begin();
		want = xstrfmt("spin-gate: error: '%s': %s\n", path, bad_cases[i].msg);
		if (ret != -1 || strcmp(said, want))
			fail_msg("case %zu: ret %d\n  got:  %s  want: %s", i, ret, said, want);
		/* nothing is left to free after a failed read */
		assert_int_equal(r.nscen, 0);
		assert_null(r.scen);
		free(said);
		free(want);
	}
}

static void test_read_unreadable(void **state)
{
	struct results r;
	char *want;

	(void)state;
	write_text("{\"schema\": \n  nope}");
	assert_int_equal(results_read(&r, path), -1);
	want = xstrfmt("spin-gate: error: cannot read '%s': line 2, column 3: invalid JSON\n",
		       path);
	assert_string_equal(msgs_so_far(), want);
	free(want);
	free(msgs_end());
	msgs_begin();
	assert_int_equal(fs_rm_rf(path), 0);
	assert_int_equal(results_read(&r, path), -1);
	want = xstrfmt("spin-gate: error: cannot read '%s': No such file or directory\n", path);
	assert_string_equal(msgs_so_far(), want);
	free(want);
}

/* A full disk (here: a file size limit, which fails write() the same way)
 * fails the write with a message, and the results already on disk stay
 * whole: the write goes to a temporary file that is renamed only when
 * complete. */
static void test_write_full_disk(void **state)
{
	struct results r;
	struct scenario_result *sc;
	struct rlimit old, small;
	char *before, *after, *said;
	int k;

	(void)state;
	results_init(&r);
	sc = test_scenario(&r, "x=1");
	test_sample(sc, SIDE_BASE, 1, 1, 1, 0);
	assert_int_equal(results_write(&r, NULL, path), 0);
	before = slurp(path);
	for (k = 2; k < 200; k++) /* well past 4 KiB of JSON */
		test_sample(sc, SIDE_BASE, k, 1, 1, 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small.rlim_cur = 4096; /* the soft limit only: it can be raised again */
	small.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	assert_int_equal(results_write(&r, NULL, path), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	said = msgs_end();
	msgs_begin();
	assert_non_null(strstr(said, "spin-gate: error: cannot write"));
	after = slurp(path);
	assert_string_equal(after, before);
	free(said);
	free(before);
	free(after);
	results_release(&r);
}

/* Unknown fields are ignored. */
static void test_read_ignores_unknown(void **state)
{
	struct results r;

	(void)state;
	write_text("{" HEAD
		   ", \"future\": {\"x\": 1}, \"scenarios\": [{\"name\": \"s\", \"cores\": "
		   "2, \"new\": 1, \"samples\": {\"base\": [{\"round\": 1, \"exit_code\": 0, "
		   "\"wall\": 1.5, \"later\": true}], \"head\": []}}]}");
	assert_int_equal(results_read(&r, path), 0);
	assert_int_equal(r.nscen, 1);
	assert_true(r.scen[0].samples[SIDE_BASE].v[0].wall == 1.5);
	assert_true(isnan(r.scen[0].samples[SIDE_BASE].v[0].user));
	assert_int_equal(r.scen[0].machine_cores, 0);
	results_release(&r);
}

static void test_now(void **state)
{
	char *t = results_now();
	regex_t re;

	(void)state;
	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
				 REG_EXTENDED | REG_NOSUB),
			 0);
	assert_int_equal(regexec(&re, t, 0, NULL, 0), 0);
	regfree(&re);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_not_measured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_ignores_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_now, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
