#include "results.h"

#include "json.h"
#include "msg.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const role_names[] = { "any", "idle", "busy" };

const char *role_name(enum role r)
{
	return (size_t)r < sizeof(role_names) / sizeof(*role_names) ? role_names[r] : "any";
}

int role_parse(const char *s, enum role *out)
{
	size_t i;

	for (i = 0; i < sizeof(role_names) / sizeof(*role_names); i++) {
		if (!strcmp(s, role_names[i])) {
			*out = (enum role)i;
			return 0;
		}
	}
	return -1;
}

const char *side_name(enum side s)
{
	return s == SIDE_BASE ? "base" : "head";
}

/* environment.overhead: the fields of struct overhead, by their JSON names,
 * in the order of overhead_at() */
static const char *const overhead_names[] = { "self_cpu",   "probe_cpu", "tools_cpu",
					      "extra_wall", "runs_cpu",	 "runs_wall" };
#define NOVERHEAD (sizeof(overhead_names) / sizeof(overhead_names[0]))

static double *overhead_at(struct overhead *o, size_t i)
{
	double *const v[NOVERHEAD] = { &o->self_cpu,   &o->probe_cpu, &o->tools_cpu,
				       &o->extra_wall, &o->runs_cpu,  &o->runs_wall };

	return v[i];
}

void results_init(struct results *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->version = RESULTS_VERSION;
	r->env.noise_cpu = NAN;
	r->env.noise_sleep = NAN;
	r->env.steal = NAN;
	for (i = 0; i < NOVERHEAD; i++)
		*overhead_at(&r->env.overhead, i) = NAN;
	r->settings.confidence = 0.95;
}

static void revision_info_release(struct revision_info *ri)
{
	free(ri->spec);
	free(ri->kind);
	free(ri->resolved);
	free(ri->env);
	free(ri->runtime);
	memset(ri, 0, sizeof(*ri));
}

void scenario_profile_free(struct scenario_profile *p)
{
	size_t k, i;

	if (!p)
		return;
	for (k = 0; k < SIDE_COUNT; k++) {
		struct profile_side *ps = &p->side[k];

		free(ps->tool);
		for (i = 0; i < ps->ntop; i++) {
			free(ps->top[i].frame);
			free(ps->top[i].under);
		}
		free(ps->folded);
		free(ps->error);
		free(ps->stat_error);
	}
	free(p->svg);
	free(p->hint);
	free(p);
}

static void machine_release(struct machine_info *m)
{
	free(m->host);
	free(m->cpu_model);
	free(m->kernel);
	free(m->hyperfine);
	memset(m, 0, sizeof(*m));
}

static void shard_info_release(struct results_shard *sh)
{
	size_t i;

	free(sh->scenarios);
	free(sh->expected);
	free(sh->balanced_by);
	for (i = 0; i < sh->nonly; i++)
		free(sh->only[i]);
	free(sh->only);
	memset(sh, 0, sizeof(*sh));
}

void scenario_release(struct scenario_result *sc)
{
	size_t i;

	free(sc->name);
	for (i = 0; i < sc->nparams; i++) {
		free(sc->params[i].name);
		free(sc->params[i].value);
	}
	free(sc->params);
	for (i = 0; i < SIDE_COUNT; i++) {
		free(sc->command[i]);
		free(sc->samples[i].v);
	}
	free(sc->error);
	for (i = 0; i < sc->nmetrics; i++) {
		free(sc->metrics[i].name);
		free(sc->metrics[i].unit);
	}
	free(sc->metrics);
	scenario_profile_free(sc->profile);
	machine_release(&sc->machine);
	memset(sc, 0, sizeof(*sc));
}

void results_release(struct results *r)
{
	size_t i;

	free(r->stopped_by);
	free(r->started);
	free(r->finished);
	free(r->suite_name);
	free(r->suite_path);
	free(r->suite_digest);
	free(r->thresholds_path);
	free(r->thresholds_digest);
	for (i = 0; i < SIDE_COUNT; i++)
		revision_info_release(&r->rev[i]);
	free(r->env.kernel);
	free(r->env.hyperfine);
	free(r->env.host);
	free(r->env.cpu_model);
	for (i = 0; i < r->nscen; i++)
		scenario_release(&r->scen[i]);
	free(r->scen);
	shard_info_release(&r->shard);
	results_init(r);
}

struct scenario_result *results_add_scenario(struct results *r)
{
	struct scenario_result *sc;

	ALLOC_GROW(r->scen, r->nscen + 1, r->alloc);
	sc = &r->scen[r->nscen++];
	memset(sc, 0, sizeof(*sc));
	return sc;
}

void results_add_sample(struct scenario_result *sc, enum side side, const struct sample *s)
{
	struct sample_list *l = &sc->samples[side];

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = *s;
}

const char *scenario_param(const struct scenario_result *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->nparams; i++)
		if (!strcmp(sc->params[i].name, name))
			return sc->params[i].value;
	return NULL;
}

char *results_now(void)
{
	char b[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(b);
}

/* SAMPLE_MEASURES numbered, their keys, and each one's field. */
enum measure_index {
#define MEASURE_ENUM(f, k) MEASURE_##f,
	SAMPLE_MEASURES(MEASURE_ENUM)
#undef MEASURE_ENUM
	NMEASURES
};

static const char *const measure_keys[NMEASURES] = {
#define MEASURE_KEY(f, k) k,
	SAMPLE_MEASURES(MEASURE_KEY)
#undef MEASURE_KEY
};

/* Measure i's field (i < NMEASURES). */
static double *measure_at(struct sample *s, size_t i)
{
	switch ((enum measure_index)i) {
#define MEASURE_CASE(f, k) \
	case MEASURE_##f: return &s->f;
		SAMPLE_MEASURES(MEASURE_CASE)
#undef MEASURE_CASE
	case NMEASURES: break;
	}
	abort();
}

void sample_init(struct sample *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < NMEASURES; i++)
		*measure_at(s, i) = NAN;
	for (i = 0; i < RESULTS_MAX_REPORTED; i++)
		s->reported[i] = NAN;
}

int results_metric_name_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (name[i] < 0x21 || name[i] > 0x7e || name[i] == ':')
			return 0;
	return i > 0 && i <= RESULTS_METRIC_NAME_MAX;
}

int scenario_metric_index(const struct scenario_result *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->nmetrics; i++)
		if (!strcmp(sc->metrics[i].name, name))
			return (int)i;
	return -1;
}

static cJSON *sample_to_json(const struct scenario_result *sc, const struct sample *s)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	cJSON_AddNumberToObject(o, "round", s->round);
	cJSON_AddBoolToObject(o, "warmup", s->warmup);
	cJSON_AddNumberToObject(o, "exit_code", s->exit_code);
	cJSON_AddBoolToObject(o, "timed_out", s->timed_out);
	for (i = 0; i < NMEASURES; i++)
		json_add_number_or_null(o, measure_keys[i], *measure_at((struct sample *)s, i));
	json_add_string_or_null(o, "pressure_source", pressure_source_name(s->pressure_source));
	if (sc->nmetrics) {
		cJSON *rep = cJSON_AddObjectToObject(o, "reported");

		for (i = 0; i < sc->nmetrics; i++)
			json_add_number_or_null(rep, sc->metrics[i].name, s->reported[i]);
	}
	return o;
}

static cJSON *profile_to_json(const struct scenario_profile *p)
{
	cJSON *o = cJSON_CreateObject();
	size_t k, i;

	for (k = 0; k < SIDE_COUNT; k++) {
		const struct profile_side *ps = &p->side[k];
		cJSON *side = cJSON_AddObjectToObject(o, side_name(k)), *top;

		json_add_string_or_null(side, "tool", ps->tool);
		json_add_number_or_null(side, "samples", ps->samples);
		json_add_number_or_null(side, "wall", ps->wall);
		top = cJSON_AddArrayToObject(side, "top");
		for (i = 0; i < ps->ntop; i++) {
			cJSON *fr = cJSON_CreateObject();

			json_add_string_or_null(fr, "frame", ps->top[i].frame);
			json_add_string_or_null(fr, "under", ps->top[i].under);
			json_add_number_or_null(fr, "share", ps->top[i].share);
			json_add_number_or_null(fr, "other_share", ps->top[i].other_share);
			cJSON_AddItemToArray(top, fr);
		}
		json_add_number_or_null(side, "syscalls_per_s", ps->syscalls_per_s);
		json_add_number_or_null(side, "cswitches_per_s", ps->cswitches_per_s);
		json_add_string_or_null(side, "folded", ps->folded);
		json_add_string_or_null(side, "error", ps->error);
		json_add_string_or_null(side, "stat_error", ps->stat_error);
	}
	json_add_string_or_null(o, "svg", p->svg);
	if (p->hint)
		cJSON_AddStringToObject(o, "hint", p->hint);
	return o;
}

static cJSON *scenario_to_json(const struct scenario_result *sc)
{
	cJSON *o = cJSON_CreateObject(), *params, *cmd, *samples;
	size_t i, k;

	cJSON_AddStringToObject(o, "name", sc->name);
	params = cJSON_AddObjectToObject(o, "params");
	for (i = 0; i < sc->nparams; i++)
		cJSON_AddStringToObject(params, sc->params[i].name, sc->params[i].value);
	cJSON_AddStringToObject(o, "role", role_name(sc->role));
	cJSON_AddNumberToObject(o, "cores", sc->cores);
	if (sc->machine_cores > 0)
		cJSON_AddNumberToObject(o, "machine_cores", sc->machine_cores);
	else
		cJSON_AddNullToObject(o, "machine_cores");
	cJSON_AddNumberToObject(o, "timeout", sc->timeout);
	cmd = cJSON_AddObjectToObject(o, "command");
	if (sc->nmetrics) {
		cJSON *decl = cJSON_AddArrayToObject(o, "metrics");

		for (i = 0; i < sc->nmetrics; i++) {
			cJSON *d = cJSON_CreateObject();

			cJSON_AddStringToObject(d, "name", sc->metrics[i].name);
			cJSON_AddStringToObject(d, "unit", sc->metrics[i].unit);
			cJSON_AddStringToObject(d, "better",
						sc->metrics[i].bigger ? "bigger" : "smaller");
			cJSON_AddItemToArray(decl, d);
		}
	}
	samples = cJSON_CreateObject();
	for (k = 0; k < SIDE_COUNT; k++) {
		cJSON *arr = cJSON_AddArrayToObject(samples, side_name(k));

		json_add_string_or_null(cmd, side_name(k), sc->command[k]);
		for (i = 0; i < sc->samples[k].n; i++)
			cJSON_AddItemToArray(arr, sample_to_json(sc, &sc->samples[k].v[i]));
	}
	json_add_string_or_null(o, "error", sc->error);
	if (sc->machine.host || sc->machine.cpu_model || sc->machine.cores ||
	    sc->machine.hyperfine) {
		cJSON *m = cJSON_AddObjectToObject(o, "machine");

		json_add_string_or_null(m, "host", sc->machine.host);
		json_add_string_or_null(m, "cpu_model", sc->machine.cpu_model);
		cJSON_AddNumberToObject(m, "cores", sc->machine.cores);
		json_add_string_or_null(m, "kernel", sc->machine.kernel);
		json_add_string_or_null(m, "hyperfine", sc->machine.hyperfine);
	}
	/* only when a run left something: the usual file is as it was */
	if (sc->left[0].runs || sc->left[1].runs || sc->left[0].cpu > 0 || sc->left[1].cpu > 0) {
		cJSON *left = cJSON_AddObjectToObject(o, "left_behind");

		for (k = 0; k < SIDE_COUNT; k++) {
			cJSON *side = cJSON_AddObjectToObject(left, side_name(k));

			cJSON_AddNumberToObject(side, "runs", sc->left[k].runs);
			cJSON_AddNumberToObject(side, "processes", sc->left[k].processes);
			cJSON_AddNumberToObject(side, "cpu", sc->left[k].cpu);
		}
	}
	cJSON_AddItemToObject(o, "samples", samples);
	if (sc->profile)
		cJSON_AddItemToObject(o, "profile", profile_to_json(sc->profile));
	return o;
}

static cJSON *shard_to_json(const struct results_shard *sh)
{
	cJSON *o = cJSON_CreateObject(), *idx, *exp, *only;
	size_t i;

	cJSON_AddNumberToObject(o, "index", sh->index);
	cJSON_AddNumberToObject(o, "count", sh->count);
	cJSON_AddNumberToObject(o, "matrix", (double)sh->matrix);
	idx = cJSON_AddArrayToObject(o, "scenarios");
	exp = cJSON_AddArrayToObject(o, "expected");
	for (i = 0; i < sh->n; i++) {
		cJSON_AddItemToArray(idx, cJSON_CreateNumber((double)sh->scenarios[i]));
		cJSON_AddItemToArray(exp, cJSON_CreateNumber(sh->expected[i]));
	}
	json_add_string_or_null(o, "balanced_by", sh->balanced_by);
	only = cJSON_AddArrayToObject(o, "only");
	for (i = 0; i < sh->nonly; i++)
		cJSON_AddItemToArray(only, cJSON_CreateString(sh->only[i]));
	return o;
}

cJSON *results_to_json(const struct results *r)
{
	cJSON *root = cJSON_CreateObject(), *o, *revs, *arr;
	size_t i;

	cJSON_AddStringToObject(root, "schema", "spin-gate/results");
	cJSON_AddNumberToObject(root, "version", r->version);
	cJSON_AddBoolToObject(root, "complete", r->complete);
	json_add_string_or_null(root, "stopped_by", r->stopped_by);
	json_add_string_or_null(root, "started", r->started);
	json_add_string_or_null(root, "finished", r->finished);

	o = cJSON_AddObjectToObject(root, "suite");
	json_add_string_or_null(o, "name", r->suite_name);
	json_add_string_or_null(o, "path", r->suite_path);
	json_add_string_or_null(o, "digest", r->suite_digest);
	o = cJSON_AddObjectToObject(root, "thresholds");
	json_add_string_or_null(o, "path", r->thresholds_path);
	json_add_string_or_null(o, "digest", r->thresholds_digest);

	o = cJSON_AddObjectToObject(root, "settings");
	cJSON_AddNumberToObject(o, "runs", r->settings.runs);
	cJSON_AddNumberToObject(o, "max_runs", r->settings.max_runs);
	cJSON_AddNumberToObject(o, "warmup", r->settings.warmup);
	cJSON_AddNumberToObject(o, "confidence", r->settings.confidence);
	cJSON_AddBoolToObject(o, "all_checks", r->settings.all_checks);

	revs = cJSON_AddObjectToObject(root, "revisions");
	for (i = 0; i < SIDE_COUNT; i++) {
		const struct revision_info *ri = &r->rev[i];

		o = cJSON_AddObjectToObject(revs, side_name(i));
		json_add_string_or_null(o, "spec", ri->spec);
		json_add_string_or_null(o, "kind", ri->kind);
		json_add_string_or_null(o, "resolved", ri->resolved);
		json_add_string_or_null(o, "env", ri->env);
		json_add_string_or_null(o, "runtime", ri->runtime);
	}

	o = cJSON_AddObjectToObject(root, "environment");
	cJSON_AddNumberToObject(o, "cores", r->env.cores);
	json_add_string_or_null(o, "kernel", r->env.kernel);
	json_add_string_or_null(o, "hyperfine", r->env.hyperfine);
	json_add_string_or_null(o, "host", r->env.host);
	json_add_string_or_null(o, "cpu_model", r->env.cpu_model);
	json_add_number_or_null(o, "noise_cpu", r->env.noise_cpu);
	json_add_number_or_null(o, "noise_sleep", r->env.noise_sleep);
	json_add_number_or_null(o, "steal", r->env.steal);
	if (!isnan(r->env.overhead.runs_wall)) {
		cJSON *ov = cJSON_AddObjectToObject(o, "overhead");
		struct overhead c = r->env.overhead;

		for (i = 0; i < NOVERHEAD; i++)
			json_add_number_or_null(ov, overhead_names[i], *overhead_at(&c, i));
	}

	if (r->shard.index > 0)
		cJSON_AddItemToObject(root, "shard", shard_to_json(&r->shard));
	if (r->merged > 0)
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(root, "merged"), "shards",
					r->merged);

	arr = cJSON_AddArrayToObject(root, "scenarios");
	for (i = 0; i < r->nscen; i++)
		cJSON_AddItemToArray(arr, scenario_to_json(&r->scen[i]));
	return root;
}

static int write_1(const struct results *r, cJSON *extra, const char *path, enum write_sync sync)
{
	cJSON *root = results_to_json(r);
	int ret;

	if (extra) {
		cJSON *child = extra->child;

		while (child) {
			cJSON *next = child->next;
			cJSON *item = cJSON_DetachItemViaPointer(extra, child);

			cJSON_DeleteItemFromObjectCaseSensitive(root, item->string);
			cJSON_AddItemToObject(root, item->string, item);
			child = next;
		}
		cJSON_Delete(extra);
	}
	ret = json_write_file_atomic(path, root, sync);
	cJSON_Delete(root);
	return ret;
}

int results_write(const struct results *r, cJSON *extra, const char *path)
{
	return write_1(r, extra, path, WRITE_DURABLE);
}

int results_checkpoint(const struct results *r, const char *path)
{
	return write_1(r, NULL, path, WRITE_CHECKPOINT);
}

/* Optional string member copied (NULL when absent or null). */
static int dup_string(const cJSON *o, const char *key, char **out, const char *file,
		      const char *where)
{
	const char *s = NULL;

	if (json_get_string(o, key, &s, JSON_OPTIONAL, file, where) < 0)
		return -1;
	*out = s ? xstrdup(s) : NULL;
	return 0;
}

/* A measurement at o.key: absent or null is "not measured" (NaN, as
 * json_add_number_or_null() writes it); otherwise a finite number >= 0. */
static int get_measure(const cJSON *o, const char *key, double *out, const char *file,
		       const char *where)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NAN;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v))
		return error("'%s': %s.%s: expected a number or null", file, where, key);
	if (!isfinite(v->valuedouble) || v->valuedouble < 0)
		return error("'%s': %s.%s: %g is not a measurement (expected a finite number >= 0)",
			     file, where, key, v->valuedouble);
	*out = v->valuedouble;
	return 0;
}

/* A required whole number at o.key in [min, max]. */
static int get_whole(const cJSON *o, const char *key, int *out, double min, double max,
		     const char *file, const char *where)
{
	double d;

	if (json_get_number(o, key, &d, JSON_REQUIRED, file, where) < 0)
		return -1;
	if (!(d >= min && d <= max) || d != floor(d))
		return error("'%s': %s.%s: expected a whole number from %.0f to %.0f, got %g", file,
			     where, key, min, max, d);
	*out = (int)d;
	return 0;
}

const char *pressure_source_name(enum pressure_source p)
{
	switch (p) {
	case PRESSURE_RUN: return "run";
	case PRESSURE_GATE: return "gate";
	case PRESSURE_SYSTEM: return "system";
	case PRESSURE_NONE: break;
	}
	return NULL;
}

/* o.pressure_source: absent or null is PRESSURE_NONE. */
static int get_pressure_source(const cJSON *o, enum pressure_source *out, const char *file,
			       const char *where)
{
	const char *v = NULL;
	enum pressure_source p;

	*out = PRESSURE_NONE;
	if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "pressure_source")))
		return 0;
	if (json_get_string(o, "pressure_source", &v, JSON_OPTIONAL, file, where) < 0)
		return -1;
	if (!v)
		return 0;
	for (p = PRESSURE_RUN; p <= PRESSURE_SYSTEM; p++)
		if (!strcmp(v, pressure_source_name(p))) {
			*out = p;
			return 0;
		}
	return error("'%s': %s.pressure_source: expected \"run\", \"gate\", \"system\" or null, "
		     "got \"%s\"",
		     file, where, v);
}

/* A sample's "reported" values: one per declared metric (absent or null:
 * NaN), any finite number; a name the scenario does not declare is an error. */
static int read_reported(const cJSON *o, const struct scenario_result *sc, struct sample *s,
			 const char *file, const char *where)
{
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(o, "reported"), *it;
	int idx;

	if (!rep || cJSON_IsNull(rep))
		return 0;
	if (!cJSON_IsObject(rep))
		return error("'%s': %s.reported: expected an object", file, where);
	cJSON_ArrayForEach(it, rep) {
		idx = scenario_metric_index(sc, it->string);
		if (idx < 0)
			return error("'%s': %s.reported: '%s' is not one of the scenario's "
				     "metrics",
				     file, where, it->string);
		if (cJSON_IsNull(it))
			continue;
		if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
			return error("'%s': %s.reported.%s: expected a finite number or null", file,
				     where, it->string);
		s->reported[idx] = it->valuedouble;
	}
	return 0;
}

/* The scenario's "metrics" declarations (results.h struct metric_decl). */
static int read_metric_decls(const cJSON *o, struct scenario_result *sc, const char *file,
			     const char *where)
{
	const cJSON *arr = NULL, *it;
	struct buf w = BUF_INIT;
	int ret = -1;

	if (json_get_node(o, "metrics", cJSON_Array, &arr, JSON_OPTIONAL, file, where) < 0)
		goto out;
	if (cJSON_GetArraySize(arr) > RESULTS_MAX_REPORTED) {
		error("'%s': %s.metrics: %d metrics (at most %d)", file, where,
		      cJSON_GetArraySize(arr), RESULTS_MAX_REPORTED);
		goto out;
	}
	ret = 0;
	if (!arr)
		goto out;
	ret = -1;
	sc->metrics = xcalloc(RESULTS_MAX_REPORTED, sizeof(*sc->metrics));
	cJSON_ArrayForEach(it, arr) {
		const char *name = NULL, *unit = NULL, *better = NULL;

		buf_reset(&w);
		buf_addf(&w, "%s.metrics[%zu]", where, sc->nmetrics);
		if (!cJSON_IsObject(it)) {
			error("'%s': %s: expected an object", file, w.s);
			goto out;
		}
		if (json_get_string(it, "name", &name, JSON_REQUIRED, file, w.s) < 0 ||
		    json_get_string(it, "unit", &unit, JSON_REQUIRED, file, w.s) < 0 ||
		    json_get_string(it, "better", &better, JSON_REQUIRED, file, w.s) < 0)
			goto out;
		if (!results_metric_name_ok(name) || scenario_metric_index(sc, name) >= 0) {
			error("'%s': %s.name: not a metric name (printable ASCII, no spaces or "
			      "':', at most %d bytes, once per scenario)",
			      file, w.s, RESULTS_METRIC_NAME_MAX);
			goto out;
		}
		if (strcmp(better, "bigger") && strcmp(better, "smaller")) {
			error("'%s': %s.better: expected \"bigger\" or \"smaller\"", file, w.s);
			goto out;
		}
		sc->metrics[sc->nmetrics].name = xstrdup(name);
		sc->metrics[sc->nmetrics].unit = xstrndup(unit, RESULTS_METRIC_NAME_MAX);
		sc->metrics[sc->nmetrics++].bigger = !strcmp(better, "bigger");
	}
	ret = 0;
out:
	buf_release(&w);
	return ret;
}

static int read_sample(const cJSON *o, const struct scenario_result *sc, struct sample *s,
		       const char *file, const char *where)
{
	size_t i;

	sample_init(s);
	if (!cJSON_IsObject(o))
		return error("'%s': %s: expected an object", file, where);
	if (get_whole(o, "round", &s->round, 0, RESULTS_MAX_SAMPLES, file, where) < 0 ||
	    json_get_bool(o, "warmup", &s->warmup, JSON_OPTIONAL, file, where) < 0 ||
	    get_whole(o, "exit_code", &s->exit_code, INT_MIN, INT_MAX, file, where) < 0 ||
	    json_get_bool(o, "timed_out", &s->timed_out, JSON_OPTIONAL, file, where) < 0 ||
	    get_pressure_source(o, &s->pressure_source, file, where) < 0)
		return -1;
	for (i = 0; i < NMEASURES; i++)
		if (get_measure(o, measure_keys[i], measure_at(s, i), file, where) < 0)
			return -1;
	return read_reported(o, sc, s, file, where);
}

/* A string member copied, or NULL when absent or not a string. */
static char *lenient_string(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/* A share 0..1, else NaN. */
static double lenient_share(const cJSON *o, const char *key)
{
	double v = json_number_or_nan(o, key);

	return v >= 0 && v <= 1 ? v : NAN;
}

/* The profile is never judged: what is not as results.h describes is left
 * out rather than refused. NULL when o is not an object. */
static struct scenario_profile *read_profile(const cJSON *o)
{
	struct scenario_profile *p;
	const cJSON *side, *it;
	size_t k;
	double v;

	if (!cJSON_IsObject(o))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	for (k = 0; k < SIDE_COUNT; k++) {
		struct profile_side *ps = &p->side[k];

		ps->samples = ps->wall = ps->syscalls_per_s = ps->cswitches_per_s = NAN;
		side = cJSON_GetObjectItemCaseSensitive(o, side_name(k));
		if (!cJSON_IsObject(side))
			continue;
		ps->tool = lenient_string(side, "tool");
		ps->folded = lenient_string(side, "folded");
		ps->error = lenient_string(side, "error");
		ps->stat_error = lenient_string(side, "stat_error");
		v = json_number_or_nan(side, "samples");
		ps->samples = v >= 0 ? v : NAN;
		v = json_number_or_nan(side, "wall");
		ps->wall = v >= 0 ? v : NAN;
		v = json_number_or_nan(side, "syscalls_per_s");
		ps->syscalls_per_s = v >= 0 ? v : NAN;
		v = json_number_or_nan(side, "cswitches_per_s");
		ps->cswitches_per_s = v >= 0 ? v : NAN;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(side, "top")) {
			struct profile_frame *fr = &ps->top[ps->ntop];

			if (ps->ntop == RESULTS_PROFILE_TOP)
				break;
			if (!cJSON_IsObject(it) ||
			    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "frame")))
				continue;
			fr->frame = lenient_string(it, "frame");
			fr->under = lenient_string(it, "under");
			fr->share = lenient_share(it, "share");
			fr->other_share = lenient_share(it, "other_share");
			ps->ntop++;
		}
	}
	p->svg = lenient_string(o, "svg");
	p->hint = lenient_string(o, "hint");
	return p;
}

static int read_scenario(const cJSON *o, struct scenario_result *sc, const char *file,
			 const char *where)
{
	const cJSON *params = NULL, *cmd = NULL, *samples = NULL, *p;
	const char *name = NULL, *role = NULL;
	struct buf w = BUF_INIT;
	double num;
	size_t k;
	int ret = -1;

	if (!cJSON_IsObject(o)) {
		error("'%s': %s: expected an object", file, where);
		goto out;
	}
	if (json_get_string(o, "name", &name, JSON_REQUIRED, file, where) < 0 ||
	    json_get_node(o, "params", cJSON_Object, &params, JSON_OPTIONAL, file, where) < 0 ||
	    json_get_string(o, "role", &role, JSON_OPTIONAL, file, where) < 0 ||
	    json_get_number(o, "cores", &sc->cores, JSON_REQUIRED, file, where) < 0 ||
	    json_get_number(o, "timeout", &sc->timeout, JSON_OPTIONAL, file, where) < 0 ||
	    json_get_node(o, "command", cJSON_Object, &cmd, JSON_OPTIONAL, file, where) < 0 ||
	    json_get_node(o, "samples", cJSON_Object, &samples, JSON_REQUIRED, file, where) < 0 ||
	    dup_string(o, "error", &sc->error, file, where) < 0)
		goto out;
	if (!(sc->cores > 0) || !isfinite(sc->cores)) {
		error("'%s': %s.cores: expected a finite number more than 0, got %g", file, where,
		      sc->cores);
		goto out;
	}
	/* files written before roles existed have none: any */
	if (role && role_parse(role, &sc->role) < 0) {
		error("'%s': %s.role: unknown role '%s' (expected idle, busy or any)", file, where,
		      role);
		goto out;
	}
	sc->profile = read_profile(cJSON_GetObjectItemCaseSensitive(o, "profile"));
	if (read_metric_decls(o, sc, file, where) < 0)
		goto out;
	num = json_number_or_nan(o, "machine_cores");
	sc->machine_cores = num >= 1 && num <= 1e6 ? (int)num : 0;
	p = cJSON_GetObjectItemCaseSensitive(o, "machine");
	if (cJSON_IsObject(p)) {
		buf_addf(&w, "%s.machine", where);
		if (dup_string(p, "host", &sc->machine.host, file, w.s) < 0 ||
		    dup_string(p, "cpu_model", &sc->machine.cpu_model, file, w.s) < 0 ||
		    dup_string(p, "kernel", &sc->machine.kernel, file, w.s) < 0 ||
		    dup_string(p, "hyperfine", &sc->machine.hyperfine, file, w.s) < 0)
			goto out;
		num = json_number_or_nan(p, "cores");
		sc->machine.cores = num >= 1 && num <= 1e6 ? (int)num : 0;
	}
	sc->name = xstrdup(name);
	cJSON_ArrayForEach(p, params) {
		char *v = json_scalar_text(p);

		if (!v) {
			error("'%s': %s.params.%s: expected a string", file, where, p->string);
			goto out;
		}
		sc->params = xrealloc(sc->params, (sc->nparams + 1) * sizeof(*sc->params));
		sc->params[sc->nparams].name = xstrdup(p->string);
		sc->params[sc->nparams].value = v;
		sc->nparams++;
	}
	for (k = 0; k < SIDE_COUNT; k++) {
		const cJSON *arr = NULL, *it, *side;
		size_t i = 0;

		/* files written before it, or with nothing left behind, have none */
		side = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(o, "left_behind"), side_name(k));
		if (cJSON_IsObject(side)) {
			num = json_number_or_nan(side, "runs");
			sc->left[k].runs = num >= 0 && num <= 1e9 ? (int)num : 0;
			num = json_number_or_nan(side, "processes");
			sc->left[k].processes = num >= 0 && num <= 1e9 ? (int)num : 0;
			num = json_number_or_nan(side, "cpu");
			sc->left[k].cpu = num >= 0 ? num : 0;
		}
		if (cmd && dup_string(cmd, side_name(k), &sc->command[k], file, where) < 0)
			goto out;
		buf_reset(&w);
		buf_addf(&w, "%s.samples", where);
		if (json_get_node(samples, side_name(k), cJSON_Array, &arr, JSON_REQUIRED, file,
				  w.s) < 0)
			goto out;
		if (cJSON_GetArraySize(arr) > RESULTS_MAX_SAMPLES) {
			error("'%s': %s.%s: %d samples (at most %d)", file, w.s, side_name(k),
			      cJSON_GetArraySize(arr), RESULTS_MAX_SAMPLES);
			goto out;
		}
		cJSON_ArrayForEach(it, arr) {
			struct sample s;

			buf_reset(&w);
			buf_addf(&w, "%s.samples.%s[%zu]", where, side_name(k), i++);
			if (read_sample(it, sc, &s, file, w.s) < 0)
				goto out;
			results_add_sample(sc, k, &s);
		}
	}
	ret = 0;
out:
	buf_release(&w);
	return ret;
}

/* A whole number in [lo, hi] at arr[i], else -1 after error(). */
static int shard_number(const cJSON *v, double lo, double hi, double *out, const char *file,
			const char *what)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi) ||
	    v->valuedouble != floor(v->valuedouble))
		return error("'%s': shard.%s: expected a whole number from %g to %g", file, what,
			     lo, hi);
	*out = v->valuedouble;
	return 0;
}

static int read_shard(const cJSON *o, struct results *r, const char *file)
{
	struct results_shard *sh = &r->shard;
	const cJSON *idx = NULL, *exp = NULL, *only = NULL, *it;
	double num = 0;
	size_t i = 0;

	if (shard_number(cJSON_GetObjectItemCaseSensitive(o, "count"), 1, RESULTS_MAX_SHARDS, &num,
			 file, "count") < 0)
		return -1;
	sh->count = (int)num;
	if (shard_number(cJSON_GetObjectItemCaseSensitive(o, "index"), 1, sh->count, &num, file,
			 "index") < 0)
		return -1;
	sh->index = (int)num;
	if (shard_number(cJSON_GetObjectItemCaseSensitive(o, "matrix"), 1, RESULTS_MAX_SCENARIOS,
			 &num, file, "matrix") < 0)
		return -1;
	sh->matrix = (size_t)num;
	if (json_get_node(o, "scenarios", cJSON_Array, &idx, JSON_REQUIRED, file, "shard") < 0 ||
	    json_get_node(o, "expected", cJSON_Array, &exp, JSON_REQUIRED, file, "shard") < 0 ||
	    json_get_node(o, "only", cJSON_Array, &only, JSON_OPTIONAL, file, "shard") < 0 ||
	    dup_string(o, "balanced_by", &sh->balanced_by, file, "shard") < 0)
		return -1;
	if ((size_t)cJSON_GetArraySize(idx) != r->nscen ||
	    (size_t)cJSON_GetArraySize(exp) != r->nscen)
		return error("'%s': shard: %d scenario indexes and %d expected times for %zu "
			     "scenarios",
			     file, cJSON_GetArraySize(idx), cJSON_GetArraySize(exp), r->nscen);
	sh->scenarios = xcalloc(r->nscen + 1, sizeof(*sh->scenarios));
	sh->expected = xcalloc(r->nscen + 1, sizeof(*sh->expected));
	sh->n = r->nscen;
	cJSON_ArrayForEach(it, idx) {
		if (shard_number(it, 0, (double)sh->matrix - 1, &num, file, "scenarios") < 0)
			return -1;
		sh->scenarios[i] = (size_t)num;
		if (i > 0 && sh->scenarios[i] <= sh->scenarios[i - 1])
			return error("'%s': shard.scenarios: not in ascending order", file);
		i++;
	}
	i = 0;
	cJSON_ArrayForEach(it, exp) {
		if (!cJSON_IsNumber(it) || !(it->valuedouble >= 0) || !isfinite(it->valuedouble))
			return error("'%s': shard.expected: expected seconds (>= 0)", file);
		sh->expected[i++] = it->valuedouble;
	}
	cJSON_ArrayForEach(it, only) {
		if (!cJSON_IsString(it))
			return error("'%s': shard.only: expected strings", file);
		sh->only = xrealloc(sh->only, (sh->nonly + 1) * sizeof(*sh->only));
		sh->only[sh->nonly++] = xstrdup(it->valuestring);
	}
	return 0;
}

int results_read(struct results *r, const char *path)
{
	cJSON *root = json_parse_file(path);
	const cJSON *o = NULL, *arr = NULL, *it, *ov;
	const char *schema = NULL;
	double version = 0, num;
	struct buf w = BUF_INIT;
	size_t i = 0, k;
	int ret = -1;

	results_init(r);
	if (!root)
		return -1;
	if (json_get_string(root, "schema", &schema, JSON_REQUIRED, path, "") < 0)
		goto out;
	if (strcmp(schema, "spin-gate/results")) {
		error("'%s': not a spin-gate results file (schema '%s')", path, schema);
		goto out;
	}
	if (json_get_number(root, "version", &version, JSON_REQUIRED, path, "") < 0)
		goto out;
	if ((int)version != RESULTS_VERSION) {
		error("'%s': results version %d is not supported (this spin-gate reads version %d)",
		      path, (int)version, RESULTS_VERSION);
		goto out;
	}
	if (json_get_bool(root, "complete", &r->complete, JSON_OPTIONAL, path, "") < 0 ||
	    dup_string(root, "stopped_by", &r->stopped_by, path, "") < 0 ||
	    dup_string(root, "started", &r->started, path, "") < 0 ||
	    dup_string(root, "finished", &r->finished, path, "") < 0)
		goto out;
	o = NULL;
	if (json_get_node(root, "suite", cJSON_Object, &o, JSON_OPTIONAL, path, "") < 0)
		goto out;
	if (o && (dup_string(o, "name", &r->suite_name, path, "suite") < 0 ||
		  dup_string(o, "path", &r->suite_path, path, "suite") < 0 ||
		  dup_string(o, "digest", &r->suite_digest, path, "suite") < 0))
		goto out;
	o = NULL;
	if (json_get_node(root, "thresholds", cJSON_Object, &o, JSON_OPTIONAL, path, "") < 0)
		goto out;
	if (o && (dup_string(o, "path", &r->thresholds_path, path, "thresholds") < 0 ||
		  dup_string(o, "digest", &r->thresholds_digest, path, "thresholds") < 0))
		goto out;
	o = NULL;
	if (json_get_node(root, "settings", cJSON_Object, &o, JSON_OPTIONAL, path, "") < 0)
		goto out;
	if (o) {
		num = 0;
		if (json_get_number(o, "runs", &num, JSON_OPTIONAL, path, "settings") < 0)
			goto out;
		r->settings.runs = (int)num;
		num = 0;
		if (json_get_number(o, "max_runs", &num, JSON_OPTIONAL, path, "settings") < 0)
			goto out;
		r->settings.max_runs = (int)num;
		num = 0;
		if (json_get_number(o, "warmup", &num, JSON_OPTIONAL, path, "settings") < 0)
			goto out;
		r->settings.warmup = (int)num;
		if (json_get_number(o, "confidence", &r->settings.confidence, JSON_OPTIONAL, path,
				    "settings") < 0 ||
		    json_get_bool(o, "all_checks", &r->settings.all_checks, JSON_OPTIONAL, path,
				  "settings") < 0)
			goto out;
	}
	o = NULL;
	if (json_get_node(root, "revisions", cJSON_Object, &o, JSON_OPTIONAL, path, "") < 0)
		goto out;
	for (k = 0; o && k < SIDE_COUNT; k++) {
		const cJSON *rv = NULL;
		struct revision_info *ri = &r->rev[k];

		buf_reset(&w);
		buf_addf(&w, "revisions.%s", side_name(k));
		if (json_get_node(o, side_name(k), cJSON_Object, &rv, JSON_OPTIONAL, path,
				  "revisions") < 0)
			goto out;
		if (rv && (dup_string(rv, "spec", &ri->spec, path, w.s) < 0 ||
			   dup_string(rv, "kind", &ri->kind, path, w.s) < 0 ||
			   dup_string(rv, "resolved", &ri->resolved, path, w.s) < 0 ||
			   dup_string(rv, "env", &ri->env, path, w.s) < 0 ||
			   dup_string(rv, "runtime", &ri->runtime, path, w.s) < 0))
			goto out;
	}
	o = NULL;
	if (json_get_node(root, "environment", cJSON_Object, &o, JSON_OPTIONAL, path, "") < 0)
		goto out;
	if (o) {
		num = 0;
		if (json_get_number(o, "cores", &num, JSON_OPTIONAL, path, "environment") < 0 ||
		    dup_string(o, "kernel", &r->env.kernel, path, "environment") < 0 ||
		    dup_string(o, "hyperfine", &r->env.hyperfine, path, "environment") < 0 ||
		    dup_string(o, "host", &r->env.host, path, "environment") < 0 ||
		    dup_string(o, "cpu_model", &r->env.cpu_model, path, "environment") < 0)
			goto out;
		r->env.cores = (int)num;
		r->env.noise_cpu = json_number_or_nan(o, "noise_cpu");
		r->env.noise_sleep = json_number_or_nan(o, "noise_sleep");
		r->env.steal = json_number_or_nan(o, "steal");
		ov = cJSON_GetObjectItemCaseSensitive(o, "overhead");
		if (cJSON_IsObject(ov)) {
			for (k = 0; k < NOVERHEAD; k++)
				*overhead_at(&r->env.overhead, k) =
					json_number_or_nan(ov, overhead_names[k]);
		}
	}
	if (json_get_node(root, "scenarios", cJSON_Array, &arr, JSON_REQUIRED, path, "") < 0)
		goto out;
	if (cJSON_GetArraySize(arr) > RESULTS_MAX_SCENARIOS) {
		error("'%s': scenarios: %d scenarios (at most %d)", path, cJSON_GetArraySize(arr),
		      RESULTS_MAX_SCENARIOS);
		goto out;
	}
	cJSON_ArrayForEach(it, arr) {
		struct scenario_result *sc = results_add_scenario(r);

		buf_reset(&w);
		buf_addf(&w, "scenarios[%zu]", i++);
		if (read_scenario(it, sc, path, w.s) < 0)
			goto out;
	}
	o = cJSON_GetObjectItemCaseSensitive(root, "merged");
	num = json_number_or_nan(o, "shards");
	r->merged = num >= 1 && num <= RESULTS_MAX_SHARDS ? (int)num : 0;
	o = NULL;
	if (json_get_node(root, "shard", cJSON_Object, &o, JSON_OPTIONAL, path, "") < 0 ||
	    (o && read_shard(o, r, path) < 0))
		goto out;
	ret = 0;
out:
	if (ret < 0)
		results_release(r);
	buf_release(&w);
	cJSON_Delete(root);
	return ret;
}

void results_verdict_init(struct results_verdict *v)
{
	memset(v, 0, sizeof(*v));
}

void results_verdict_release(struct results_verdict *v)
{
	size_t i;

	for (i = 0; i < v->nchecks; i++) {
		free(v->checks[i].check);
		free(v->checks[i].scenario);
		free(v->checks[i].note);
	}
	free(v->checks);
	results_verdict_init(v);
}

/* A status word at o.key into *out; required or optional as `need`.
 * 1 when read, 0 when absent (optional), -1 after error(). */
static int read_status(const cJSON *o, const char *key, enum status *out, enum json_need need,
		       const char *file, const char *where)
{
	const char *s = NULL;

	if (json_get_string(o, key, &s, need, file, where) < 0)
		return -1;
	if (!s)
		return 0;
	if (status_parse(s, out) < 0)
		return error("'%s': %s%s%s: unknown status '%s' (expected pass, fail, "
			     "inconclusive, error or skipped)",
			     file, where, *where ? "." : "", key, s);
	return 1;
}

int results_read_verdict(struct results_verdict *v, const char *path)
{
	cJSON *root;
	const cJSON *checks = NULL, *c;
	char where[32];
	size_t i = 0;
	int rc, ret = -1;

	results_verdict_init(v);
	root = json_parse_file(path);
	if (!root)
		return -1;
	if (!cJSON_IsObject(root)) {
		error("'%s': expected an object", path);
		goto out;
	}
	rc = read_status(root, "verdict", &v->verdict, JSON_OPTIONAL, path, "");
	if (rc < 0 ||
	    json_get_node(root, "checks", cJSON_Array, &checks, JSON_OPTIONAL, path, "") < 0)
		goto out;
	v->has_verdict = rc == 1;
	cJSON_ArrayForEach(c, checks) {
		struct stored_check *sc;

		snprintf(where, sizeof(where), "checks[%zu]", i++);
		ALLOC_GROW(v->checks, v->nchecks + 1, v->alloc);
		sc = &v->checks[v->nchecks++];
		memset(sc, 0, sizeof(*sc));
		if (!cJSON_IsObject(c)) {
			error("'%s': %s: expected an object", path, where);
			goto out;
		}
		if (read_status(c, "status", &sc->status, JSON_REQUIRED, path, where) < 0 ||
		    dup_string(c, "check", &sc->check, path, where) < 0 ||
		    dup_string(c, "scenario", &sc->scenario, path, where) < 0 ||
		    dup_string(c, "note", &sc->note, path, where) < 0)
			goto out;
	}
	ret = 0;
out:
	if (ret < 0)
		results_verdict_release(v);
	cJSON_Delete(root);
	return ret;
}
