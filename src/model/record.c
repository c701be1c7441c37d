#include "record.h"

#include "buf.h"
#include "json.h"
#include "msg.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
	r->confidence = NAN;
}

static void scenario_free(struct record_scenario *s)
{
	size_t i;

	free(s->name);
	for (i = 0; i < s->nparams; i++) {
		free(s->params[i].name);
		free(s->params[i].value);
	}
	free(s->params);
	free(s->error);
	for (i = 0; i < s->nfigures; i++)
		free(s->figures[i].metric);
	free(s->figures);
}

void record_release(struct record *r)
{
	size_t i;

	free(r->path);
	free(r->commit);
	free(r->rev);
	free(r->date);
	free(r->recorded);
	free(r->suite_name);
	free(r->suite_digest);
	free(r->thresholds_digest);
	free(r->runner.kind);
	free(r->runner.cpu_model);
	free(r->runner.kernel);
	free(r->runner.hyperfine);
	for (i = 0; i < r->nscenarios; i++)
		scenario_free(&r->scenarios[i]);
	free(r->scenarios);
	record_init(r);
}

const struct record_figure *record_figure(const struct record *r, const char *scenario,
					  const char *metric)
{
	size_t i, k;

	for (i = 0; i < r->nscenarios; i++) {
		const struct record_scenario *s = &r->scenarios[i];

		if (strcmp(s->name, scenario))
			continue;
		for (k = 0; k < s->nfigures; k++)
			if (!strcmp(s->figures[k].metric, metric))
				return &s->figures[k];
	}
	return NULL;
}

struct record_figure *record_scenario_add_figure(struct record_scenario *s, const char *metric)
{
	struct record_figure *f;

	s->figures = xrealloc(s->figures, (s->nfigures + 1) * sizeof(*s->figures));
	f = &s->figures[s->nfigures++];
	f->metric = xstrdup(metric);
	f->median = f->lo = f->hi = NAN;
	f->n = 0;
	return f;
}

/* ---- writing ---- */

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* A figure a reader would refuse is refused here too, before the file. */
static int check_figure(const struct record_scenario *s, const struct record_figure *f,
			const char *path)
{
	if (!isfinite(f->median))
		return error("cannot write '%s': scenario '%s': %s: the median is not finite", path,
			     s->name, f->metric);
	if ((isfinite(f->lo) && f->lo > f->median) || (isfinite(f->hi) && f->hi < f->median) ||
	    isinf(f->lo) || isinf(f->hi))
		return error("cannot write '%s': scenario '%s': %s: the interval [%g, %g] does not "
			     "hold the median %g",
			     path, s->name, f->metric, f->lo, f->hi, f->median);
	if (f->n < 1)
		return error("cannot write '%s': scenario '%s': %s: n is %d", path, s->name,
			     f->metric, f->n);
	return 0;
}

cJSON *record_to_json(const struct record *r, const char *path)
{
	cJSON *root = cJSON_CreateObject(), *o, *arr;
	size_t i, k;

	cJSON_AddStringToObject(root, "schema", RECORD_SCHEMA);
	cJSON_AddNumberToObject(root, "version", RECORD_VERSION);
	add_str_or_null(root, "commit", r->commit);
	add_str_or_null(root, "rev", r->rev);
	add_str_or_null(root, "date", r->date);
	add_str_or_null(root, "recorded", r->recorded);
	o = cJSON_AddObjectToObject(root, "suite");
	add_str_or_null(o, "name", r->suite_name);
	add_str_or_null(o, "digest", r->suite_digest);
	o = cJSON_AddObjectToObject(root, "thresholds");
	add_str_or_null(o, "digest", r->thresholds_digest);
	o = cJSON_AddObjectToObject(root, "runner");
	add_str_or_null(o, "kind", r->runner.kind);
	add_str_or_null(o, "cpu_model", r->runner.cpu_model);
	cJSON_AddNumberToObject(o, "cores", r->runner.cores);
	add_str_or_null(o, "kernel", r->runner.kernel);
	add_str_or_null(o, "hyperfine", r->runner.hyperfine);
	o = cJSON_AddObjectToObject(root, "settings");
	cJSON_AddNumberToObject(o, "runs", r->runs);
	cJSON_AddNumberToObject(o, "max_runs", r->max_runs);
	json_add_number_or_null(o, "confidence", r->confidence);
	arr = cJSON_AddArrayToObject(root, "scenarios");
	for (i = 0; i < r->nscenarios; i++) {
		const struct record_scenario *s = &r->scenarios[i];
		cJSON *so = cJSON_CreateObject(), *params, *metrics;

		cJSON_AddItemToArray(arr, so);
		cJSON_AddStringToObject(so, "name", s->name);
		cJSON_AddStringToObject(so, "role", role_name(s->role));
		params = cJSON_AddObjectToObject(so, "params");
		for (k = 0; k < s->nparams; k++)
			cJSON_AddStringToObject(params, s->params[k].name, s->params[k].value);
		add_str_or_null(so, "error", s->error);
		cJSON_AddNumberToObject(so, "rounds", s->rounds);
		json_add_number_or_null(so, "contention", s->contention);
		metrics = cJSON_AddObjectToObject(so, "metrics");
		for (k = 0; k < s->nfigures; k++) {
			const struct record_figure *f = &s->figures[k];
			cJSON *fo;

			if (check_figure(s, f, path) < 0) {
				cJSON_Delete(root);
				return NULL;
			}
			fo = cJSON_AddObjectToObject(metrics, f->metric);
			cJSON_AddNumberToObject(fo, "median", f->median);
			json_add_number_or_null(fo, "lo", f->lo);
			json_add_number_or_null(fo, "hi", f->hi);
			cJSON_AddNumberToObject(fo, "n", f->n);
		}
	}
	return root;
}

int record_write(const struct record *r, const char *path)
{
	cJSON *root;
	int ret;

	if (!r->rev || !r->recorded || !r->runner.kind)
		return error("cannot write '%s': the record has no %s", path,
			     !r->rev	    ? "rev"
			     : !r->recorded ? "recorded time"
					    : "runner kind");
	root = record_to_json(r, path);
	if (!root)
		return -1;
	ret = json_write_file_atomic(path, root, WRITE_DURABLE);
	cJSON_Delete(root);
	return ret;
}

/* ---- reading ---- */

/* A string at o.key copied into *out; NULL when optional and absent or null. */
static int dup_string(const cJSON *o, const char *key, char **out, enum json_need need,
		      const char *file, const char *where)
{
	const char *s = NULL;

	if (json_get_string(o, key, &s, need, file, where) < 0)
		return -1;
	*out = s ? xstrdup(s) : NULL;
	return 0;
}

/* A finite number at o.key (NaN when optional and absent or null). */
static int get_finite(const cJSON *o, const char *key, double *out, enum json_need need,
		      const char *file, const char *where)
{
	*out = NAN;
	if (json_get_number(o, key, out, need, file, where) < 0)
		return -1;
	if (isinf(*out) || (need == JSON_REQUIRED && isnan(*out)))
		return error("'%s': %s.%s: expected a finite number, got %g", file, where, key,
			     *out);
	return 0;
}

/* A whole number at o.key in [min, max]. */
static int get_whole(const cJSON *o, const char *key, int *out, double min, double max,
		     const char *file, const char *where)
{
	double d = 0;

	if (json_get_number(o, key, &d, JSON_REQUIRED, file, where) < 0)
		return -1;
	if (!(d >= min && d <= max) || d != floor(d))
		return error("'%s': %s.%s: expected a whole number from %.0f to %.0f, got %g", file,
			     where, key, min, max, d);
	*out = (int)d;
	return 0;
}

/* A commit is 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
static int commit_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n != 40 && n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return 1;
}

static int read_figure(const cJSON *fo, struct record_scenario *s, const char *file,
		       const char *where)
{
	struct record_figure *f;
	double median, lo, hi;
	int n;

	if (!cJSON_IsObject(fo))
		return error("'%s': %s: expected an object", file, where);
	if (get_finite(fo, "median", &median, JSON_REQUIRED, file, where) < 0 ||
	    get_finite(fo, "lo", &lo, JSON_OPTIONAL, file, where) < 0 ||
	    get_finite(fo, "hi", &hi, JSON_OPTIONAL, file, where) < 0 ||
	    get_whole(fo, "n", &n, 1, RESULTS_MAX_SAMPLES, file, where) < 0)
		return -1;
	if ((!isnan(lo) && lo > median) || (!isnan(hi) && hi < median))
		return error("'%s': %s: the interval [%g, %g] does not hold the median %g", file,
			     where, lo, hi, median);
	f = record_scenario_add_figure(s, fo->string);
	f->median = median;
	f->lo = lo;
	f->hi = hi;
	f->n = n;
	return 0;
}

static int read_scenario(const cJSON *so, struct record_scenario *s, const char *file,
			 const char *where)
{
	const cJSON *params = NULL, *metrics = NULL, *it;
	const char *role = NULL;
	struct buf w = BUF_INIT;
	int ret = -1;

	s->contention = NAN;
	if (!cJSON_IsObject(so)) {
		error("'%s': %s: expected an object", file, where);
		goto out;
	}
	if (dup_string(so, "name", &s->name, JSON_REQUIRED, file, where) < 0 ||
	    json_get_string(so, "role", &role, JSON_OPTIONAL, file, where) < 0 ||
	    json_get_node(so, "params", cJSON_Object, &params, JSON_OPTIONAL, file, where) < 0 ||
	    dup_string(so, "error", &s->error, JSON_OPTIONAL, file, where) < 0 ||
	    get_whole(so, "rounds", &s->rounds, 0, RESULTS_MAX_ROUNDS, file, where) < 0 ||
	    get_finite(so, "contention", &s->contention, JSON_OPTIONAL, file, where) < 0 ||
	    json_get_node(so, "metrics", cJSON_Object, &metrics, JSON_REQUIRED, file, where) < 0)
		goto out;
	if (role && role_parse(role, &s->role) < 0) {
		error("'%s': %s.role: unknown role '%s' (expected idle, busy or any)", file, where,
		      role);
		goto out;
	}
	if (!isnan(s->contention) && (s->contention < 0 || s->contention > 1)) {
		error("'%s': %s.contention: expected a fraction from 0 to 1, got %g", file, where,
		      s->contention);
		goto out;
	}
	cJSON_ArrayForEach(it, params) {
		if (!cJSON_IsString(it)) {
			error("'%s': %s.params.%s: expected a string", file, where, it->string);
			goto out;
		}
		s->params = xrealloc(s->params, (s->nparams + 1) * sizeof(*s->params));
		s->params[s->nparams].name = xstrdup(it->string);
		s->params[s->nparams].value = xstrdup(it->valuestring);
		s->nparams++;
	}
	cJSON_ArrayForEach(it, metrics) {
		buf_reset(&w);
		buf_addf(&w, "%s.metrics.%s", where, it->string);
		if (read_figure(it, s, file, w.s) < 0)
			goto out;
	}
	ret = 0;
out:
	buf_release(&w);
	return ret;
}

static int read_root(struct record *r, const cJSON *root, const char *file)
{
	const cJSON *o = NULL, *arr = NULL, *it;
	const char *schema = NULL;
	double version = 0;
	struct buf w = BUF_INIT;
	size_t i = 0;
	int ret = -1;

	if (!cJSON_IsObject(root))
		return error("'%s': expected an object", file);
	if (json_get_string(root, "schema", &schema, JSON_REQUIRED, file, "") < 0)
		goto out;
	if (strcmp(schema, RECORD_SCHEMA)) {
		error("'%s': not a spin-gate record (schema '%s')", file, schema);
		goto out;
	}
	if (json_get_number(root, "version", &version, JSON_REQUIRED, file, "") < 0)
		goto out;
	if (version != RECORD_VERSION) {
		error("'%s': record version %g is not supported (this spin-gate reads version %d)",
		      file, version, RECORD_VERSION);
		goto out;
	}
	if (dup_string(root, "commit", &r->commit, JSON_OPTIONAL, file, "") < 0 ||
	    dup_string(root, "rev", &r->rev, JSON_REQUIRED, file, "") < 0 ||
	    dup_string(root, "date", &r->date, JSON_OPTIONAL, file, "") < 0 ||
	    dup_string(root, "recorded", &r->recorded, JSON_REQUIRED, file, "") < 0)
		goto out;
	if (r->commit && !commit_valid(r->commit)) {
		error("'%s': commit: expected 40 or 64 lower-case hex digits, got '%s'", file,
		      r->commit);
		goto out;
	}
	if (json_get_node(root, "suite", cJSON_Object, &o, JSON_REQUIRED, file, "") < 0 ||
	    dup_string(o, "name", &r->suite_name, JSON_REQUIRED, file, "suite") < 0 ||
	    dup_string(o, "digest", &r->suite_digest, JSON_OPTIONAL, file, "suite") < 0)
		goto out;
	o = NULL;
	if (json_get_node(root, "thresholds", cJSON_Object, &o, JSON_OPTIONAL, file, "") < 0 ||
	    (o &&
	     dup_string(o, "digest", &r->thresholds_digest, JSON_OPTIONAL, file, "thresholds") < 0))
		goto out;
	if (json_get_node(root, "runner", cJSON_Object, &o, JSON_REQUIRED, file, "") < 0 ||
	    dup_string(o, "kind", &r->runner.kind, JSON_REQUIRED, file, "runner") < 0 ||
	    dup_string(o, "cpu_model", &r->runner.cpu_model, JSON_OPTIONAL, file, "runner") < 0 ||
	    get_whole(o, "cores", &r->runner.cores, 0, 1 << 20, file, "runner") < 0 ||
	    dup_string(o, "kernel", &r->runner.kernel, JSON_OPTIONAL, file, "runner") < 0 ||
	    dup_string(o, "hyperfine", &r->runner.hyperfine, JSON_OPTIONAL, file, "runner") < 0)
		goto out;
	if (json_get_node(root, "settings", cJSON_Object, &o, JSON_REQUIRED, file, "") < 0 ||
	    get_whole(o, "runs", &r->runs, 1, RESULTS_MAX_ROUNDS, file, "settings") < 0 ||
	    get_whole(o, "max_runs", &r->max_runs, 1, RESULTS_MAX_ROUNDS, file, "settings") < 0 ||
	    get_finite(o, "confidence", &r->confidence, JSON_OPTIONAL, file, "settings") < 0)
		goto out;
	if (json_get_node(root, "scenarios", cJSON_Array, &arr, JSON_REQUIRED, file, "") < 0)
		goto out;
	if (cJSON_GetArraySize(arr) > RESULTS_MAX_SCENARIOS) {
		error("'%s': scenarios: %d scenarios (at most %d)", file, cJSON_GetArraySize(arr),
		      RESULTS_MAX_SCENARIOS);
		goto out;
	}
	r->scenarios = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*r->scenarios));
	cJSON_ArrayForEach(it, arr) {
		buf_reset(&w);
		buf_addf(&w, "scenarios[%zu]", i);
		r->nscenarios = i + 1;
		if (read_scenario(it, &r->scenarios[i], file, w.s) < 0)
			goto out;
		i++;
	}
	ret = 0;
out:
	buf_release(&w);
	return ret;
}

int record_parse(struct record *r, const char *text, size_t len, const char *name)
{
	cJSON *root;
	int ret;

	record_init(r);
	root = json_parse_text(text, len, name);
	if (!root)
		return -1;
	ret = read_root(r, root, name);
	cJSON_Delete(root);
	if (ret < 0)
		record_release(r);
	return ret;
}

int record_read(struct record *r, const char *path)
{
	struct buf b = BUF_INIT;
	int ret;

	record_init(r);
	if (buf_read_file(&b, path) < 0) {
		buf_release(&b);
		return error_errno("cannot read '%s'", path);
	}
	ret = record_parse(r, b.s, b.len, path);
	if (ret == 0)
		r->path = xstrdup(path);
	buf_release(&b);
	return ret;
}

const char *record_id(const struct record *r)
{
	return r->commit ? r->commit : r->rev ? r->rev : "?";
}
