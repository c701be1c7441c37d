#include "reported.h"

#include "buf.h"
#include "json.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const format_names[] = {
	[REPORTED_BMF] = "bmf",
	[REPORTED_GAB] = "gab",
	[REPORTED_PYPERF] = "pyperf",
	[REPORTED_JSON] = "json",
};

static const char *const decl_keys[] = { "name",    "unit",  "better", "format", "benchmark",
					 "measure", "entry", "file",   "path",	 NULL };

#define PER_CPU_S "_per_cpu_s"

const char *reported_format_name(enum reported_format f)
{
	return (size_t)f < sizeof(format_names) / sizeof(format_names[0]) ? format_names[f]
									  : "unknown";
}

void reported_free(struct reported_metric *m, size_t n)
{
	size_t i;

	for (i = 0; m && i < n; i++) {
		free(m[i].decl.name);
		free(m[i].decl.unit);
		free(m[i].benchmark);
		free(m[i].measure);
		free(m[i].file);
		free(m[i].path);
	}
	free(m);
}

int reported_path_ok(const char *p)
{
	int want_key = 1; /* at the start or after '.' */

	if (!*p)
		return 0;
	while (*p) {
		if (*p == '[') {
			const char *q = ++p;

			while (*p >= '0' && *p <= '9')
				p++;
			if (p == q || *p != ']' || p - q > 9)
				return 0;
			p++;
			want_key = 0;
			if (*p == '.') {
				p++;
				want_key = 1;
				if (!*p)
					return 0;
			} else if (*p && *p != '[') {
				return 0;
			}
			continue;
		}
		if (!want_key && *p != '.')
			return 0;
		{
			size_t n = strcspn(p, ".[]");

			if (!n)
				return 0;
			p += n;
		}
		want_key = 0;
		if (*p == '.') {
			p++;
			want_key = 1;
			if (!*p)
				return 0;
		} else if (*p == ']') {
			return 0;
		}
	}
	return 1;
}

/* What kind of JSON value v is, for messages. */
static const char *kind_of(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/* A finite number at v, or -1 after error() naming the file and where. */
static int number_at(const cJSON *v, const char *file, const char *where, double *out)
{
	if (!cJSON_IsNumber(v))
		return error("metrics file '%s': %s is %s, not a number", file, where, kind_of(v));
	if (!isfinite(v->valuedouble))
		return error("metrics file '%s': %s is not a finite number", file, where);
	*out = v->valuedouble;
	return 0;
}

int reported_path_value(const cJSON *root, const char *path, const char *file, double *out)
{
	const cJSON *v = root;
	const char *p = path;
	struct buf key = BUF_INIT;
	int ret = -1;

	if (!reported_path_ok(path)) {
		error("metrics file '%s': '%s' is not a JSON path", file, path);
		goto out;
	}
	while (*p) {
		if (*p == '.')
			p++;
		if (*p == '[') {
			long i = strtol(p + 1, NULL, 10);

			p = strchr(p, ']') + 1;
			if (!cJSON_IsArray(v) || i >= cJSON_GetArraySize(v)) {
				error("metrics file '%s': no %.*s in it", file, (int)(p - path),
				      path);
				goto out;
			}
			v = cJSON_GetArrayItem(v, (int)i);
			continue;
		}
		buf_reset(&key);
		buf_add(&key, p, strcspn(p, ".["));
		p += key.len;
		v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, key.s) : NULL;
		if (!v) {
			error("metrics file '%s': no %.*s in it", file, (int)(p - path), path);
			goto out;
		}
	}
	ret = number_at(v, file, path, out);
out:
	buf_release(&key);
	return ret;
}

static int bmf_value(const struct reported_metric *m, const cJSON *root, const char *file,
		     double *out)
{
	const cJSON *b, *me, *v;

	if (!cJSON_IsObject(root))
		return error("metrics file '%s': expected the Bencher Metric Format (an object of "
			     "benchmarks), got %s",
			     file, kind_of(root));
	b = cJSON_GetObjectItemCaseSensitive(root, m->benchmark);
	if (!cJSON_IsObject(b))
		return error("metrics file '%s': no benchmark \"%s\" (bmf)", file, m->benchmark);
	me = cJSON_GetObjectItemCaseSensitive(b, m->measure);
	if (!cJSON_IsObject(me))
		return error("metrics file '%s': benchmark \"%s\" has no measure \"%s\" (bmf)",
			     file, m->benchmark, m->measure);
	v = cJSON_GetObjectItemCaseSensitive(me, "value");
	if (!v)
		return error("metrics file '%s': \"%s\".\"%s\" has no value (bmf)", file,
			     m->benchmark, m->measure);
	return number_at(v, file, "its value", out);
}

static int gab_value(const struct reported_metric *m, const cJSON *root, const char *file,
		     double *out)
{
	const cJSON *it;

	if (!cJSON_IsArray(root))
		return error("metrics file '%s': expected github-action-benchmark's format (an "
			     "array of {name, unit, value}), got %s",
			     file, kind_of(root));
	cJSON_ArrayForEach(it, root) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "name");

		if (cJSON_IsString(name) && !strcmp(name->valuestring, m->benchmark))
			return number_at(cJSON_GetObjectItemCaseSensitive(it, "value"), file,
					 "its value", out);
	}
	return error("metrics file '%s': no entry named \"%s\" (gab)", file, m->benchmark);
}

/* A pyperf benchmark's name: its own metadata's, else the file's common one. */
static const char *pyperf_name(const cJSON *root, const cJSON *bench)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(bench, "metadata"), "name");

	if (!cJSON_IsString(n))
		n = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(root, "metadata"), "name");
	return cJSON_IsString(n) ? n->valuestring : NULL;
}

static int pyperf_value(const struct reported_metric *m, const cJSON *root, const char *file,
			double *out)
{
	const cJSON *benches = cJSON_GetObjectItemCaseSensitive(root, "benchmarks");
	const cJSON *bench = NULL, *it, *run, *v;
	double sum = 0;
	size_t n = 0;

	if (!cJSON_IsArray(benches))
		return error("metrics file '%s': expected pyperf's JSON (an object with "
			     "\"benchmarks\")",
			     file);
	cJSON_ArrayForEach(it, benches) {
		const char *name = pyperf_name(root, it);

		if (m->benchmark ? name && !strcmp(name, m->benchmark) : 1) {
			if (bench && !m->benchmark)
				return error("metrics file '%s': %d pyperf benchmarks: name one "
					     "(\"benchmark\")",
					     file, cJSON_GetArraySize(benches));
			bench = it;
		}
	}
	if (!bench)
		return error("metrics file '%s': no pyperf benchmark \"%s\"", file,
			     m->benchmark ? m->benchmark : "");
	cJSON_ArrayForEach(run, cJSON_GetObjectItemCaseSensitive(bench, "runs")) {
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(run, "values")) {
			double x;

			if (number_at(v, file, "a pyperf value", &x) < 0)
				return -1;
			sum += x;
			n++;
		}
	}
	if (!n)
		return error("metrics file '%s': the pyperf benchmark has no values", file);
	*out = sum / (double)n;
	if (!isfinite(*out))
		return error("metrics file '%s': the mean of the pyperf values is not a finite "
			     "number",
			     file);
	return 0;
}

int reported_value(const struct reported_metric *m, const cJSON *root, const char *file,
		   double *out)
{
	switch (m->format) {
	case REPORTED_BMF: return bmf_value(m, root, file, out);
	case REPORTED_GAB: return gab_value(m, root, file, out);
	case REPORTED_PYPERF: return pyperf_value(m, root, file, out);
	case REPORTED_JSON: return reported_path_value(root, m->path, file, out);
	}
	return error("metrics file '%s': unknown format", file);
}

/* Read at most REPORTED_FILE_MAX bytes of path into b; a larger file, or
 * one not written since *since, is refused. 0, or -1 after error(). */
static int read_capped(struct buf *b, const char *path, const struct timespec *since)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO in its place must not hang the gate (refused below) */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), ret = -1;
	char chunk[65536];
	ssize_t got;

	if (fd < 0)
		return error_errno("cannot read metrics file '%s'", path);
	if (fstat(fd, &st) < 0) {
		error_errno("cannot read metrics file '%s'", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error("cannot read metrics file '%s': not a regular file", path);
		goto out;
	}
	if (since && (st.st_mtim.tv_sec < since->tv_sec || (st.st_mtim.tv_sec == since->tv_sec &&
							    st.st_mtim.tv_nsec < since->tv_nsec))) {
		error("metrics file '%s' was not written during the run (modified before it "
		      "began)",
		      path);
		goto out;
	}
	if (st.st_size > REPORTED_FILE_MAX) {
		error("metrics file '%s' is %lld bytes (at most %d): not read", path,
		      (long long)st.st_size, REPORTED_FILE_MAX);
		goto out;
	}
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			error_errno("cannot read metrics file '%s'", path);
			goto out;
		}
		if (b->len + (size_t)got > REPORTED_FILE_MAX) {
			error("metrics file '%s' is more than %d bytes: not read", path,
			      REPORTED_FILE_MAX);
			goto out;
		}
		buf_add(b, chunk, (size_t)got);
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

int reported_read_run(const struct reported_metric *m, size_t n, const char *const *files,
		      const struct timespec *since, double *values)
{
	struct buf text = BUF_INIT;
	cJSON *root = NULL;
	const char *parsed = NULL; /* the file root came from */
	size_t i;
	int ret = -1;

	for (i = 0; i < n; i++)
		values[i] = NAN;
	for (i = 0; i < n; i++) {
		if (!parsed || strcmp(parsed, files[i])) {
			cJSON_Delete(root);
			root = NULL;
			parsed = NULL;
			buf_reset(&text);
			if (read_capped(&text, files[i],
					m[i].format == REPORTED_JSON ? since : NULL) < 0)
				goto out;
			root = json_parse_text(text.s, text.len, files[i]);
			if (!root)
				goto out;
			parsed = files[i];
		}
		if (reported_value(&m[i], root, files[i], &values[i]) < 0) {
			values[i] = NAN;
			goto out;
		}
	}
	ret = 0;
out:
	cJSON_Delete(root);
	buf_release(&text);
	return ret;
}

/* A string member copied (NULL when absent), -1 after error() when not a
 * string. */
static int opt_string(const cJSON *o, const char *key, char **out, const char *file,
		      const char *where)
{
	const char *s = NULL;

	if (json_get_string(o, key, &s, JSON_OPTIONAL, file, where) < 0)
		return -1;
	*out = s ? xstrdup(s) : NULL;
	return 0;
}

static int parse_one(const cJSON *o, struct reported_metric *m, const char *file, const char *where,
		     int (*reserved)(const char *name))
{
	const char *name = NULL, *unit = NULL, *better = NULL, *format = NULL;
	const cJSON *it;
	char *entry = NULL;
	size_t len;

	if (!cJSON_IsObject(o))
		return error("'%s': %s: expected an object", file, where);
	cJSON_ArrayForEach(it, o) {
		size_t k;

		for (k = 0; decl_keys[k] && strcmp(decl_keys[k], it->string); k++)
			;
		if (!decl_keys[k])
			return error("'%s': %s: unknown field '%s'", file, where, it->string);
	}
	if (json_get_string(o, "name", &name, JSON_REQUIRED, file, where) < 0 ||
	    json_get_string(o, "unit", &unit, JSON_REQUIRED, file, where) < 0 ||
	    json_get_string(o, "better", &better, JSON_REQUIRED, file, where) < 0 ||
	    json_get_string(o, "format", &format, JSON_OPTIONAL, file, where) < 0)
		return -1;
	len = strlen(name);
	if (!results_metric_name_ok(name) ||
	    (len >= strlen(PER_CPU_S) && !strcmp(name + len - strlen(PER_CPU_S), PER_CPU_S)))
		return error("'%s': %s.name: a metric's name is 1 to %d printable ASCII "
			     "characters, no spaces, no ':', not ending in \"%s\"",
			     file, where, RESULTS_METRIC_NAME_MAX, PER_CPU_S);
	if (reserved && reserved(name))
		return error("'%s': %s.name: '%s' is a measured metric's name", file, where, name);
	if (!*unit || strlen(unit) > RESULTS_METRIC_NAME_MAX || !results_metric_name_ok(unit))
		return error("'%s': %s.unit: 1 to %d printable ASCII characters, no spaces or "
			     "':'",
			     file, where, RESULTS_METRIC_NAME_MAX);
	if (strcmp(better, "bigger") && strcmp(better, "smaller"))
		return error("'%s': %s.better: expected \"bigger\" or \"smaller\", got \"%s\"",
			     file, where, better);
	m->decl.name = xstrdup(name);
	m->decl.unit = xstrdup(unit);
	m->decl.bigger = !strcmp(better, "bigger");
	if (opt_string(o, "benchmark", &m->benchmark, file, where) < 0 ||
	    opt_string(o, "measure", &m->measure, file, where) < 0 ||
	    opt_string(o, "entry", &entry, file, where) < 0 ||
	    opt_string(o, "file", &m->file, file, where) < 0 ||
	    opt_string(o, "path", &m->path, file, where) < 0)
		goto fail;
	if (!format) {
		m->format = REPORTED_JSON;
		if (!m->file || !m->path) {
			error("'%s': %s: expected \"format\" (bmf, gab, pyperf) or \"file\" and "
			      "\"path\"",
			      file, where);
			goto fail;
		}
		if (!reported_path_ok(m->path)) {
			error("'%s': %s.path: '%s' is not a JSON path (keys separated by '.', "
			      "[N] for an array's element)",
			      file, where, m->path);
			goto fail;
		}
		if (m->benchmark || m->measure || entry)
			goto extra;
	} else if (!strcmp(format, "bmf")) {
		m->format = REPORTED_BMF;
		if (!m->benchmark || !m->measure) {
			error("'%s': %s: format bmf needs \"benchmark\" and \"measure\"", file,
			      where);
			goto fail;
		}
		if (entry || m->file || m->path)
			goto extra;
	} else if (!strcmp(format, "gab")) {
		m->format = REPORTED_GAB;
		if (!entry) {
			error("'%s': %s: format gab needs \"entry\" (the name of its element)",
			      file, where);
			goto fail;
		}
		if (m->benchmark || m->measure || m->file || m->path)
			goto extra;
		m->benchmark = entry;
		entry = NULL;
	} else if (!strcmp(format, "pyperf")) {
		m->format = REPORTED_PYPERF;
		if (entry || m->measure || m->file || m->path)
			goto extra;
	} else {
		error("'%s': %s.format: unknown format '%s' (expected bmf, gab or pyperf; or "
		      "\"file\" and \"path\" without a format)",
		      file, where, format);
		goto fail;
	}
	free(entry);
	return 0;
extra:
	error("'%s': %s: a field that format %s does not use (bmf: benchmark, measure; gab: "
	      "entry; pyperf: benchmark; no format: file, path)",
	      file, where, reported_format_name(m->format));
fail:
	free(entry);
	return -1;
}

int reported_parse(const cJSON *arr, struct reported_metric **out, size_t *n, const char *file,
		   int (*reserved)(const char *name))
{
	struct reported_metric *m;
	struct buf w = BUF_INIT;
	const cJSON *it;
	size_t i, k = 0;
	int ret = -1;

	*out = NULL;
	*n = 0;
	if (cJSON_GetArraySize(arr) > RESULTS_MAX_REPORTED)
		return error("'%s': metrics: %d metrics (at most %d)", file,
			     cJSON_GetArraySize(arr), RESULTS_MAX_REPORTED);
	m = xcalloc(RESULTS_MAX_REPORTED, sizeof(*m));
	cJSON_ArrayForEach(it, arr) {
		buf_reset(&w);
		buf_addf(&w, "metrics[%zu]", k);
		if (parse_one(it, &m[k], file, w.s, reserved) < 0) {
			k++;
			goto out;
		}
		for (i = 0; i < k; i++)
			if (!strcmp(m[i].decl.name, m[k].decl.name)) {
				error("'%s': %s.name: '%s' is declared twice", file, w.s,
				      m[k].decl.name);
				k++;
				goto out;
			}
		k++;
	}
	ret = 0;
out:
	buf_release(&w);
	if (ret < 0) {
		reported_free(m, k);
		return -1;
	}
	*out = m;
	*n = k;
	return 0;
}
