#include "suite.h"

#include "json.h"
#include "msg.h"
#include "thresholds.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void vars_set(struct vars *v, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		if (!strcmp(v->name[i], name)) {
			v->value[i] = value;
			return;
		}
	}
	if (v->n < sizeof(v->name) / sizeof(v->name[0])) {
		v->name[v->n] = name;
		v->value[v->n] = value;
		v->n++;
	}
}

static const char *vars_get(const struct vars *v, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strlen(v->name[i]) == len && !strncmp(v->name[i], name, len))
			return v->value[i];
	return NULL;
}

int suite_expand(struct buf *out, const char *tmpl, const struct vars *v, const char *what)
{
	const char *p = tmpl;

	while (*p) {
		const char *end, *val;

		if (p[0] != '$') {
			buf_addch(out, *p++);
			continue;
		}
		if (p[1] == '$') {
			buf_addch(out, '$');
			p += 2;
			continue;
		}
		if (p[1] != '{' || !(end = strchr(p + 2, '}')))
			return error("%s: '$' must start ${NAME} or be written $$ in '%s'", what,
				     tmpl);
		val = vars_get(v, p + 2, (size_t)(end - p - 2));
		if (!val)
			return error("%s: unknown variable '${%.*s}' in '%s'", what,
				     (int)(end - p - 2), p + 2, tmpl);
		buf_adds(out, val);
		p = end + 1;
	}
	return 0;
}

char **suite_expand_argv(char *const *tmpl, const struct vars *v, const char *what)
{
	size_t n = 0, i;
	char **argv;
	struct buf b = BUF_INIT;

	while (tmpl[n])
		n++;
	argv = xcalloc(n + 1, sizeof(*argv));
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		if (suite_expand(&b, tmpl[i], v, what) < 0) {
			buf_release(&b);
			argv_free(argv);
			return NULL;
		}
		argv[i] = xstrdup(b.s);
	}
	buf_release(&b);
	return argv;
}

void argv_free(char **argv)
{
	size_t i;

	if (!argv)
		return;
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static const char *const suite_keys[] = {
	"name",	    "description", "parameters", "roles", "command", "cwd",	"env",
	"pass_env", "cores",	   "timeout",	 "setup", "probe",   "metrics", NULL,
};
static const char *const setup_keys[] = { "version", "git", "timeout", NULL };
static const char *const role_keys[] = { "role", "where", NULL };

static int known_key(const char *k, const char *const *keys)
{
	for (; *keys; keys++)
		if (!strcmp(k, *keys))
			return 1;
	return 0;
}

static int read_argv(const cJSON *o, const char *key, char ***out, enum json_need need,
		     const char *file, const char *where)
{
	const cJSON *arr = NULL, *it;
	size_t n = 0;

	if (json_get_node(o, key, cJSON_Array, &arr, need, file, where) < 0)
		return -1;
	if (!arr)
		return 0;
	if (cJSON_GetArraySize(arr) == 0)
		return error("'%s': %s%s%s: must not be empty", file, where, *where ? "." : "",
			     key);
	*out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *));
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it))
			return error("'%s': %s%s%s[%zu]: expected a string", file, where,
				     *where ? "." : "", key, n);
		(*out)[n++] = xstrdup(it->valuestring);
	}
	return 0;
}

static int read_params(struct suite *s, const cJSON *arr, const char *file)
{
	const cJSON *it;
	size_t i = 0, j;
	struct buf w = BUF_INIT;
	int ret = -1;

	s->params = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*s->params));
	cJSON_ArrayForEach(it, arr) {
		struct suite_param *p = &s->params[s->nparams];
		const char *name = NULL;
		const cJSON *vals = NULL, *v;

		buf_reset(&w);
		buf_addf(&w, "parameters[%zu]", i++);
		if (!cJSON_IsObject(it)) {
			error("'%s': %s: expected an object", file, w.s);
			goto out;
		}
		if (json_get_string(it, "name", &name, JSON_REQUIRED, file, w.s) < 0 ||
		    json_get_node(it, "values", cJSON_Array, &vals, JSON_REQUIRED, file, w.s) < 0)
			goto out;
		if (!*name ||
		    strspn(name,
			   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
			    strlen(name)) {
			error("'%s': %s.name: '%s' must be letters, digits and '_'", file, w.s,
			      name);
			goto out;
		}
		for (j = 0; j < s->nparams; j++) {
			if (!strcmp(s->params[j].name, name)) {
				error("'%s': %s.name: parameter '%s' appears twice", file, w.s,
				      name);
				goto out;
			}
		}
		if (cJSON_GetArraySize(vals) == 0) {
			error("'%s': %s.values: must not be empty", file, w.s);
			goto out;
		}
		if (cJSON_GetArraySize(vals) > SUITE_MAX_SCENARIOS) {
			error("'%s': %s.values: more than %d values", file, w.s,
			      SUITE_MAX_SCENARIOS);
			goto out;
		}
		p->name = xstrdup(name);
		s->nparams++;
		p->values = xcalloc((size_t)cJSON_GetArraySize(vals), sizeof(char *));
		cJSON_ArrayForEach(v, vals) {
			char *text = json_scalar_text(v);

			if (!text) {
				error("'%s': %s.values[%zu]: expected a string, number or boolean",
				      file, w.s, p->nvalues);
				goto out;
			}
			/* 1 and "1" are the same value: both would name one scenario */
			for (j = 0; j < p->nvalues; j++) {
				if (!strcmp(p->values[j], text)) {
					error("'%s': %s.values[%zu]: value '%s' appears twice",
					      file, w.s, p->nvalues, text);
					free(text);
					goto out;
				}
			}
			p->values[p->nvalues++] = text;
		}
	}
	ret = 0;
out:
	buf_release(&w);
	return ret;
}

/* The matrix's size before anything is allocated for its scenarios. */
static int check_matrix_size(const struct suite *s)
{
	double n = 1;
	size_t i;

	for (i = 0; i < s->nparams; i++)
		n *= (double)s->params[i].nvalues;
	if (n > SUITE_MAX_SCENARIOS)
		return error("'%s': parameters: the matrix has %.0f scenarios (at most %d)",
			     s->path, n, SUITE_MAX_SCENARIOS);
	return 0;
}

static const struct suite_param *find_param(const struct suite *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nparams; i++)
		if (!strcmp(s->params[i].name, name))
			return &s->params[i];
	return NULL;
}

/* roles: [ { "role": "idle", "where": { PARAM: VALUE, ... } }, ... ] */
static int read_roles(struct suite *s, const cJSON *arr, const char *file)
{
	const cJSON *it, *kv, *k, *where;
	struct buf w = BUF_INIT;
	size_t i = 0, j;
	int ret = -1;

	s->roles = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*s->roles));
	cJSON_ArrayForEach(it, arr) {
		struct suite_role *r = &s->roles[s->nroles];
		const char *name = NULL;

		buf_reset(&w);
		buf_addf(&w, "roles[%zu]", i++);
		if (!cJSON_IsObject(it)) {
			error("'%s': %s: expected an object", file, w.s);
			goto out;
		}
		cJSON_ArrayForEach(k, it) {
			if (!known_key(k->string, role_keys)) {
				error("'%s': %s: unknown field '%s' (expected role, where)", file,
				      w.s, k->string);
				goto out;
			}
		}
		where = NULL;
		if (json_get_string(it, "role", &name, JSON_REQUIRED, file, w.s) < 0 ||
		    json_get_node(it, "where", cJSON_Object, &where, JSON_OPTIONAL, file, w.s) < 0)
			goto out;
		if (role_parse(name, &r->role) < 0) {
			error("'%s': %s.role: unknown role '%s' (expected idle, busy or any)", file,
			      w.s, name);
			goto out;
		}
		s->nroles++;
		r->where = xcalloc((size_t)cJSON_GetArraySize(where) + 1, sizeof(*r->where));
		cJSON_ArrayForEach(kv, where) {
			const struct suite_param *p = find_param(s, kv->string);
			char *v = json_scalar_text(kv);

			if (!v) {
				error("'%s': %s.where.%s: expected a string, number or boolean",
				      file, w.s, kv->string);
				goto out;
			}
			r->where[r->nwhere].name = xstrdup(kv->string);
			r->where[r->nwhere++].value = v;
			if (!p) {
				error("'%s': %s.where: '%s' is not a parameter of the suite", file,
				      w.s, kv->string);
				goto out;
			}
			for (j = 0; j < p->nvalues && strcmp(p->values[j], v); j++)
				;
			if (j == p->nvalues) {
				error("'%s': %s.where.%s: '%s' is not one of the parameter's "
				      "values",
				      file, w.s, kv->string, v);
				goto out;
			}
		}
	}
	ret = 0;
out:
	buf_release(&w);
	return ret;
}

enum role suite_role_of(const struct suite *s, const struct param *params, size_t nparams)
{
	size_t i, j, k;

	for (i = 0; i < s->nroles; i++) {
		const struct suite_role *r = &s->roles[i];

		for (j = 0; j < r->nwhere; j++) {
			for (k = 0; k < nparams; k++)
				if (!strcmp(params[k].name, r->where[j].name))
					break;
			if (k == nparams || strcmp(params[k].value, r->where[j].value))
				break;
		}
		if (j == r->nwhere)
			return r->role;
	}
	return ROLE_ANY;
}

/* A reported metric may not take a measured metric's name (thresholds.h). */
static int measured_metric(const char *name)
{
	enum metric m;

	return metric_parse(name, &m) == 0;
}

int suite_load(struct suite *s, const char *dir_or_file)
{
	struct stat st;
	struct buf path = BUF_INIT;
	char real[PATH_MAX];
	cJSON *root = NULL;
	const cJSON *params = NULL, *roles = NULL, *env = NULL, *setup = NULL, *it;
	const char *str = NULL;
	char *slash;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (stat(dir_or_file, &st) < 0) {
		error_errno("cannot read suite '%s'", dir_or_file);
		goto out;
	}
	buf_adds(&path, dir_or_file);
	if (S_ISDIR(st.st_mode))
		buf_adds(&path, "/suite.json");
	if (!realpath(path.s, real)) {
		error_errno("cannot read suite '%s'", path.s);
		goto out;
	}
	s->path = xstrdup(real);
	slash = strrchr(real, '/');
	*slash = '\0';
	s->dir = xstrdup(*real ? real : "/");
	root = json_parse_file_flags(s->path, JSON_PARSE_UTF8);
	if (!root)
		goto out;
	if (!cJSON_IsObject(root)) {
		error("'%s': expected a JSON object", s->path);
		goto out;
	}
	cJSON_ArrayForEach(it, root) {
		if (!known_key(it->string, suite_keys)) {
			error("'%s': unknown field '%s'", s->path, it->string);
			goto out;
		}
	}
	if (json_get_string(root, "name", &str, JSON_REQUIRED, s->path, "") < 0)
		goto out;
	/* the name is a directory of the cache: no '/', no "..", no dot file */
	if (!*str) {
		error("'%s': name: must not be empty", s->path);
		goto out;
	}
	if (*str == '.' || strspn(str, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789._-") != strlen(str)) {
		error("'%s': name: '%s' must be letters, digits, '.', '_' and '-', not starting "
		      "with '.'",
		      s->path, str);
		goto out;
	}
	s->name = xstrdup(str);
	str = NULL;
	if (json_get_string(root, "description", &str, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	s->description = str ? xstrdup(str) : NULL;
	if (json_get_node(root, "parameters", cJSON_Array, &params, JSON_REQUIRED, s->path, "") <
		    0 ||
	    read_params(s, params, s->path) < 0)
		goto out;
	if (check_matrix_size(s) < 0)
		goto out;
	if (json_get_node(root, "roles", cJSON_Array, &roles, JSON_OPTIONAL, s->path, "") < 0 ||
	    (roles && read_roles(s, roles, s->path) < 0))
		goto out;
	if (read_argv(root, "command", &s->command, JSON_REQUIRED, s->path, "") < 0)
		goto out;
	str = "${suite_dir}";
	if (json_get_string(root, "cwd", &str, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	s->cwd = xstrdup(str);
	if (json_get_node(root, "env", cJSON_Object, &env, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	if (env) {
		s->env = xcalloc((size_t)cJSON_GetArraySize(env) + 1, sizeof(*s->env));
		cJSON_ArrayForEach(it, env) {
			char *v = json_scalar_text(it);

			if (!v) {
				error("'%s': env.%s: expected a string", s->path, it->string);
				goto out;
			}
			s->env[s->nenv].name = xstrdup(it->string);
			s->env[s->nenv++].value = v;
		}
	}
	if (read_argv(root, "pass_env", &s->pass_env, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	for (size_t i = 0; s->pass_env && s->pass_env[i]; i++) {
		const char *n = s->pass_env[i];

		if (!*n ||
		    strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
			    strlen(n) ||
		    (*n >= '0' && *n <= '9')) {
			error("'%s': pass_env[%zu]: '%s' is not a variable name", s->path, i, n);
			goto out;
		}
	}
	it = cJSON_GetObjectItemCaseSensitive(root, "cores");
	if (it && !cJSON_IsString(it) && !cJSON_IsNumber(it)) {
		error("'%s': cores: expected a number or a template string", s->path);
		goto out;
	}
	s->cores = it ? json_scalar_text(it) : xstrdup("${ncpu}");
	s->timeout = 600;
	if (json_get_number(root, "timeout", &s->timeout, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	if (!(s->timeout > 0)) {
		error("'%s': timeout: must be a positive number of seconds", s->path);
		goto out;
	}
	if (json_get_node(root, "setup", cJSON_Object, &setup, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	s->setup_timeout = 1800;
	cJSON_ArrayForEach(it, setup) {
		if (!known_key(it->string, setup_keys)) {
			error("'%s': setup: unknown field '%s' (expected version, git, timeout)",
			      s->path, it->string);
			goto out;
		}
	}
	if (setup &&
	    (read_argv(setup, "version", &s->setup_version, JSON_OPTIONAL, s->path, "setup") < 0 ||
	     read_argv(setup, "git", &s->setup_git, JSON_OPTIONAL, s->path, "setup") < 0 ||
	     json_get_number(setup, "timeout", &s->setup_timeout, JSON_OPTIONAL, s->path, "setup") <
		     0))
		goto out;
	if (!(s->setup_timeout > 0)) {
		error("'%s': setup.timeout: must be a positive number of seconds", s->path);
		goto out;
	}
	if (read_argv(root, "probe", &s->probe, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	if (json_get_node(root, "metrics", cJSON_Array, &it, JSON_OPTIONAL, s->path, "") < 0)
		goto out;
	if (it && reported_parse(it, &s->metrics, &s->nmetrics, s->path, measured_metric) < 0)
		goto out;
	ret = 0;
out:
	if (ret < 0)
		suite_release(s);
	cJSON_Delete(root);
	buf_release(&path);
	return ret;
}

void suite_release(struct suite *s)
{
	size_t i, j;

	free(s->dir);
	free(s->path);
	free(s->name);
	free(s->description);
	for (i = 0; i < s->nparams; i++) {
		free(s->params[i].name);
		for (j = 0; j < s->params[i].nvalues; j++)
			free(s->params[i].values[j]);
		free(s->params[i].values);
	}
	free(s->params);
	for (i = 0; i < s->nroles; i++) {
		for (j = 0; j < s->roles[i].nwhere; j++) {
			free(s->roles[i].where[j].name);
			free(s->roles[i].where[j].value);
		}
		free(s->roles[i].where);
	}
	free(s->roles);
	argv_free(s->command);
	free(s->cwd);
	for (i = 0; i < s->nenv; i++) {
		free(s->env[i].name);
		free(s->env[i].value);
	}
	free(s->env);
	free(s->cores);
	argv_free(s->pass_env);
	argv_free(s->setup_version);
	argv_free(s->setup_git);
	argv_free(s->probe);
	reported_free(s->metrics, s->nmetrics);
	memset(s, 0, sizeof(*s));
}

/* FNV-1a, 64 bits: a cache key, not a defence against anyone */
static void fnv1a(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		*h ^= *c++;
		*h *= 0x100000001b3ULL;
	}
}

char *suite_file_digest(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct buf text = BUF_INIT;
	char *ret = NULL;

	if (buf_read_file(&text, path) < 0) {
		error_errno("cannot read '%s'", path);
		goto out;
	}
	fnv1a(&h, text.s, text.len);
	ret = xstrfmt("%016llx", (unsigned long long)h);
out:
	buf_release(&text);
	return ret;
}

char *suite_setup_digest(const struct suite *s, char *const *tmpl)
{
	static const char prefix[] = "${suite_dir}/";
	uint64_t h = 0xcbf29ce484222325ULL;
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct stat st;
	size_t i;

	for (i = 0; tmpl && tmpl[i]; i++) {
		const char *rel = tmpl[i];

		fnv1a(&h, tmpl[i], strlen(tmpl[i]) + 1);
		if (!strncmp(rel, prefix, sizeof(prefix) - 1))
			rel += sizeof(prefix) - 1;
		else if (*rel == '/' || strchr(rel, '$'))
			continue;
		/* a file of the suite directory that setup names (setup runs there) */
		if (!*rel || strstr(rel, ".."))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", s->dir, rel);
		if (stat(path.s, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		buf_reset(&text);
		if (buf_read_file(&text, path.s) < 0)
			continue;
		fnv1a(&h, rel, strlen(rel) + 1);
		fnv1a(&h, text.s, text.len);
	}
	buf_release(&path);
	buf_release(&text);
	return xstrfmt("%016llx", (unsigned long long)h);
}
