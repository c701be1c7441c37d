#include "thresholds.h"

#include "buf.h"
#include "json.h"
#include "msg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name tables one entry per line. */
/* clang-format off */
static const char *const metric_names[] = {
	[METRIC_WALL] = "wall",
	[METRIC_USER] = "user",
	[METRIC_SYSTEM] = "system",
	[METRIC_CPU] = "cpu",
	[METRIC_CPU_UTIL] = "cpu_util",
	[METRIC_CPU_SHARE] = "cpu_share",
	[METRIC_CONTENTION] = "contention",
	[METRIC_MAX_RSS] = "max_rss",
	[METRIC_VCSW] = "vcsw",
	[METRIC_IVCSW] = "ivcsw",
	[METRIC_VCSW_PER_CPU_S] = "vcsw_per_cpu_s",
};
#define NMETRICS (sizeof(metric_names) / sizeof(metric_names[0]))

static const char *const rule_names[] = {
	[RULE_RATIO_MAX] = "ratio_max",
	[RULE_RATIO_MIN] = "ratio_min",
	[RULE_HEAD_MAX] = "head_max",
	[RULE_HEAD_MIN] = "head_min",
	[RULE_DIFF_MAX] = "diff_max",
	[RULE_DIFF_MIN] = "diff_min",
};
#define NRULES (sizeof(rule_names) / sizeof(rule_names[0]))
/* clang-format on */

static const char *const top_keys[] = { "version", "confidence", "runs", "max_runs",
					"checks",  "history",	 NULL };
static const char *const history_keys[] = { "max_pvalue", "min_magnitude", NULL };
static const char *const magnitude_keys[] = { "seconds", "fraction", "count", NULL };
static const char *const check_keys[] = { "name",      "description", "role",  "where",
					  "metric",    "rule",	      "value", "unless",
					  "when_base", "optional",    NULL };
static const char *const cond_keys[] = { "metric", "rule", "value", NULL };

/* The reported forms thresholds named so far: metric METRIC_REPORTED_FIRST + i
 * is reported[i]. A table for the process, like the names above, so that an
 * enum metric stays a number that judge and the renderers pass around. */
static struct {
	char text[RESULTS_METRIC_NAME_MAX + 16]; /* "cpu_per:items" */
	char base[RESULTS_METRIC_NAME_MAX + 16]; /* "items" */
	char unit[RESULTS_METRIC_NAME_MAX + 1];	 /* "" until learnt */
	enum metric_reported_kind kind;
} reported[THRESHOLDS_MAX_REPORTED];
static size_t nreported;

#define CPU_PER	  "cpu_per:"
#define PER_CPU_S "_per_cpu_s"

const char *metric_name(enum metric m)
{
	if ((size_t)m < NMETRICS)
		return metric_names[m];
	if (m >= METRIC_REPORTED_FIRST && (size_t)(m - METRIC_REPORTED_FIRST) < nreported)
		return reported[m - METRIC_REPORTED_FIRST].text;
	return "unknown";
}

int metric_parse_reported(const char *s, enum metric *out)
{
	enum metric_reported_kind kind = METRIC_REPORTED_VALUE;
	char base[RESULTS_METRIC_NAME_MAX + 16];
	size_t i, len = strlen(s);

	if (len > RESULTS_METRIC_NAME_MAX + strlen(CPU_PER))
		return -1;
	if (!strncmp(s, CPU_PER, strlen(CPU_PER))) {
		kind = METRIC_REPORTED_CPU_PER;
		snprintf(base, sizeof(base), "%s", s + strlen(CPU_PER));
	} else if (len > strlen(PER_CPU_S) && !strcmp(s + len - strlen(PER_CPU_S), PER_CPU_S)) {
		kind = METRIC_REPORTED_PER_CPU_S;
		snprintf(base, sizeof(base), "%.*s", (int)(len - strlen(PER_CPU_S)), s);
	} else {
		snprintf(base, sizeof(base), "%s", s);
	}
	if (!results_metric_name_ok(base) || !metric_parse(base, out))
		return -1;
	for (i = 0; i < nreported; i++)
		if (!strcmp(reported[i].text, s))
			break;
	if (i == nreported) {
		if (nreported == THRESHOLDS_MAX_REPORTED)
			return -1;
		snprintf(reported[i].text, sizeof(reported[i].text), "%s", s);
		snprintf(reported[i].base, sizeof(reported[i].base), "%s", base);
		reported[i].unit[0] = '\0';
		reported[i].kind = kind;
		/* a unit already learnt for another form of the same metric */
		for (size_t j = 0; j < i; j++)
			if (!strcmp(reported[j].base, base) && reported[j].unit[0])
				snprintf(reported[i].unit, sizeof(reported[i].unit), "%s",
					 reported[j].unit);
		nreported++;
	}
	*out = (enum metric)(METRIC_REPORTED_FIRST + (int)i);
	return 0;
}

const char *metric_reported_base(enum metric m, enum metric_reported_kind *kind)
{
	size_t i = (size_t)m - METRIC_REPORTED_FIRST;

	if (m < METRIC_REPORTED_FIRST || i >= nreported)
		return NULL;
	if (kind)
		*kind = reported[i].kind;
	return reported[i].base;
}

const char *metric_reported_unit(enum metric m)
{
	size_t i = (size_t)m - METRIC_REPORTED_FIRST;

	if (m < METRIC_REPORTED_FIRST || i >= nreported || !reported[i].unit[0])
		return NULL;
	return reported[i].unit;
}

void metric_reported_learn(const struct metric_decl *d)
{
	enum metric m;
	size_t i;

	/* its own form at least, so that forms named later copy the unit */
	(void)metric_parse_reported(d->name, &m);

	for (i = 0; i < nreported; i++)
		if (!strcmp(reported[i].base, d->name))
			snprintf(reported[i].unit, sizeof(reported[i].unit), "%s", d->unit);
}

const char *rule_name(enum rule r)
{
	if ((size_t)r < NRULES)
		return rule_names[r];
	return "unknown";
}

int metric_parse(const char *s, enum metric *out)
{
	size_t i;

	for (i = 0; s && i < NMETRICS; i++) {
		if (!strcmp(s, metric_names[i])) {
			*out = (enum metric)i;
			return 0;
		}
	}
	return -1;
}

int rule_parse(const char *s, enum rule *out)
{
	size_t i;

	for (i = 0; s && i < NRULES; i++) {
		if (!strcmp(s, rule_names[i])) {
			*out = (enum rule)i;
			return 0;
		}
	}
	return -1;
}

int metric_is_seconds(enum metric m)
{
	return m == METRIC_WALL || m == METRIC_USER || m == METRIC_SYSTEM || m == METRIC_CPU;
}

int metric_wait_moves(enum metric m)
{
	enum metric_reported_kind kind;

	switch (m) {
	case METRIC_WALL:
	case METRIC_CONTENTION:
	case METRIC_IVCSW: return WAIT_RAISES;
	case METRIC_CPU_UTIL:
	case METRIC_CPU_SHARE: return WAIT_LOWERS;
	case METRIC_USER:
	case METRIC_SYSTEM:
	case METRIC_CPU:
	case METRIC_MAX_RSS:
	case METRIC_VCSW:
	case METRIC_VCSW_PER_CPU_S: return 0;
	default: break;
	}
	/* what the program reports may be a latency or a throughput; CPU per
	 * unit and units per CPU second count CPU, not time */
	if (metric_reported_base(m, &kind) && kind == METRIC_REPORTED_VALUE)
		return WAIT_RAISES | WAIT_LOWERS;
	return 0;
}

int metric_is_fraction(enum metric m)
{
	return m == METRIC_CPU_UTIL || m == METRIC_CPU_SHARE || m == METRIC_CONTENTION;
}

int rule_is_ratio(enum rule r)
{
	return r == RULE_RATIO_MAX || r == RULE_RATIO_MIN;
}

int rule_is_diff(enum rule r)
{
	return r == RULE_DIFF_MAX || r == RULE_DIFF_MIN;
}

int rule_uses_base(enum rule r)
{
	return rule_is_ratio(r) || rule_is_diff(r);
}

int rule_is_max(enum rule r)
{
	return r == RULE_RATIO_MAX || r == RULE_HEAD_MAX || r == RULE_DIFF_MAX;
}

/* "a, b, c" from a NULL-terminated list, for "(expected ...)". */
static void join_names(struct buf *b, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n && names[i]; i++)
		buf_addf(b, "%s%s", i ? ", " : "", names[i]);
}

/* Every member of obj must be one of `keys`, so a typo is not ignored. */
static int check_known_keys(const cJSON *obj, const char *const *keys, const char *file,
			    const char *where)
{
	const cJSON *it;
	size_t i;

	cJSON_ArrayForEach(it, obj) {
		struct buf exp = BUF_INIT;
		for (i = 0; keys[i]; i++)
			if (!strcmp(it->string, keys[i]))
				break;
		if (keys[i])
			continue;
		join_names(&exp, keys, (size_t)-1);
		error("'%s': %s%sunknown key '%s' (expected %s)", file, where, *where ? ": " : "",
		      it->string, exp.s);
		buf_release(&exp);
		return -1;
	}
	return 0;
}

/* A number of rounds: absent keeps *out, otherwise a whole number in [min,
 * RESULTS_MAX_ROUNDS] (results.h says why). */
static int get_int(const cJSON *obj, const char *key, int *out, int min, const char *file)
{
	double d = NAN;

	if (json_get_number(obj, key, &d, JSON_OPTIONAL, file, "") < 0)
		return -1;
	if (isnan(d))
		return 0;
	if (d != floor(d) || d < min || d > RESULTS_MAX_ROUNDS)
		return error("'%s': %s: expected a whole number from %d to %d, got %g", file, key,
			     min, RESULTS_MAX_ROUNDS, d);
	*out = (int)d;
	return 0;
}

/* One {metric, rule, value} condition, at `where` ("checks[1]" or "checks[1].unless"). */
static int parse_condition(const cJSON *obj, struct condition *c, const char *file,
			   const char *where)
{
	const char *metric = NULL, *rule = NULL;
	struct buf exp = BUF_INIT;
	double value = NAN;
	int ret = -1;

	if (json_get_string(obj, "metric", &metric, JSON_REQUIRED, file, where) < 0)
		goto out;
	if (metric_parse(metric, &c->metric) < 0 && metric_parse_reported(metric, &c->metric) < 0) {
		join_names(&exp, metric_names, NMETRICS);
		error("'%s': %s.metric: unknown metric '%s' (expected %s, or a metric the suite "
		      "reports: NAME, cpu_per:NAME, NAME_per_cpu_s)",
		      file, where, metric, exp.s);
		goto out;
	}
	if (json_get_string(obj, "rule", &rule, JSON_REQUIRED, file, where) < 0)
		goto out;
	if (rule_parse(rule, &c->rule) < 0) {
		join_names(&exp, rule_names, NRULES);
		error("'%s': %s.rule: unknown rule '%s' (expected %s)", file, where, rule, exp.s);
		goto out;
	}
	if (json_get_number(obj, "value", &value, JSON_REQUIRED, file, where) < 0)
		goto out;
	if (!isfinite(value)) {
		error("'%s': %s.value: expected a finite number", file, where);
		goto out;
	}
	if (rule_is_ratio(c->rule) && value <= 0) {
		error("'%s': %s.value: expected a ratio greater than 0 for rule %s, got %g", file,
		      where, rule, value);
		goto out;
	}
	if (!rule_uses_base(c->rule) && value < 0) {
		error("'%s': %s.value: expected a value of at least 0 for rule %s (metrics are "
		      "never negative), got %g",
		      file, where, rule, value);
		goto out;
	}
	c->value = value;
	ret = 0;
out:
	buf_release(&exp);
	return ret;
}

/* An optional nested condition ("unless", "when_base") of check `where`. */
static int parse_sub_condition(const cJSON *chk, const char *key, int *has, struct condition *c,
			       const char *file, const char *where)
{
	const cJSON *node = NULL;
	char *sub;
	int ret = -1;

	if (json_get_node(chk, key, cJSON_Object, &node, JSON_OPTIONAL, file, where) < 0)
		return -1;
	if (!node)
		return 0;
	sub = xstrfmt("%s.%s", where, key);
	if (check_known_keys(node, cond_keys, file, sub) < 0)
		goto out;
	if (parse_condition(node, c, file, sub) < 0)
		goto out;
	*has = 1;
	ret = 0;
out:
	free(sub);
	return ret;
}

static int parse_where(const cJSON *chk, struct check *c, const char *file, const char *where)
{
	const cJSON *node = NULL, *it;
	size_t n = 0;

	if (json_get_node(chk, "where", cJSON_Object, &node, JSON_OPTIONAL, file, where) < 0)
		return -1;
	if (!node)
		return 0;
	cJSON_ArrayForEach(it, node)
		n++;
	c->where = xcalloc(n, sizeof(*c->where));
	cJSON_ArrayForEach(it, node) {
		char *v = json_scalar_text(it);
		if (!v)
			return error("'%s': %s.where.%s: expected a string, number or boolean",
				     file, where, it->string);
		c->where[c->nwhere].name = xstrdup(it->string);
		c->where[c->nwhere].value = v;
		c->nwhere++;
	}
	return 0;
}

static int parse_check(const cJSON *chk, struct check *c, const char *file, const char *where)
{
	const char *name = NULL, *desc = NULL, *role = NULL;

	if (!cJSON_IsObject(chk))
		return error("'%s': %s: expected an object", file, where);
	if (check_known_keys(chk, check_keys, file, where) < 0)
		return -1;
	if (json_get_string(chk, "name", &name, JSON_REQUIRED, file, where) < 0)
		return -1;
	if (!*name)
		return error("'%s': %s.name: expected a non-empty string", file, where);
	c->name = xstrdup(name);
	if (json_get_string(chk, "description", &desc, JSON_OPTIONAL, file, where) < 0)
		return -1;
	if (desc)
		c->description = xstrdup(desc);
	if (json_get_string(chk, "role", &role, JSON_OPTIONAL, file, where) < 0)
		return -1;
	if (role) {
		if (role_parse(role, &c->role) < 0)
			return error(
				"'%s': %s.role: unknown role '%s' (expected idle, busy or any)",
				file, where, role);
	}
	if (json_get_bool(chk, "optional", &c->optional, JSON_OPTIONAL, file, where) < 0)
		return -1;
	if (parse_where(chk, c, file, where) < 0)
		return -1;
	if (parse_condition(chk, &c->cond, file, where) < 0)
		return -1;
	if (parse_sub_condition(chk, "unless", &c->has_unless, &c->unless, file, where) < 0)
		return -1;
	if (parse_sub_condition(chk, "when_base", &c->has_when_base, &c->when_base, file, where) <
	    0)
		return -1;
	if (c->has_when_base && rule_uses_base(c->when_base.rule))
		return error("'%s': %s.when_base.rule: expected head_min or head_max, got '%s' "
			     "(when_base tests base's own median)",
			     file, where, rule_name(c->when_base.rule));
	return 0;
}

/* The optional "history" object: the change-point detector's levels
 * (changepoint.h); absent members stay NaN (the detector's defaults). */
static int parse_history(struct thresholds *t, const cJSON *root, const char *file)
{
	const cJSON *h = NULL, *mag = NULL;
	double *mags[] = { &t->history.min_magnitude_seconds, &t->history.min_magnitude_fraction,
			   &t->history.min_magnitude_count };
	size_t i;

	if (json_get_node(root, "history", cJSON_Object, &h, JSON_OPTIONAL, file, "") < 0)
		return -1;
	if (!h)
		return 0;
	if (check_known_keys(h, history_keys, file, "history") < 0)
		return -1;
	if (json_get_number(h, "max_pvalue", &t->history.max_pvalue, JSON_OPTIONAL, file,
			    "history") < 0)
		return -1;
	if (!isnan(t->history.max_pvalue) &&
	    !(t->history.max_pvalue > 0 && t->history.max_pvalue < 1))
		return error("'%s': history.max_pvalue: %g is out of range (expected more than 0 "
			     "and less than 1)",
			     file, t->history.max_pvalue);
	if (json_get_node(h, "min_magnitude", cJSON_Object, &mag, JSON_OPTIONAL, file, "history") <
	    0)
		return -1;
	if (!mag)
		return 0;
	if (check_known_keys(mag, magnitude_keys, file, "history.min_magnitude") < 0)
		return -1;
	for (i = 0; magnitude_keys[i]; i++) {
		if (json_get_number(mag, magnitude_keys[i], mags[i], JSON_OPTIONAL, file,
				    "history.min_magnitude") < 0)
			return -1;
		if (!isnan(*mags[i]) && !(*mags[i] >= 0 && isfinite(*mags[i])))
			return error("'%s': history.min_magnitude.%s: %g is out of range (expected "
				     "a finite number >= 0)",
				     file, magnitude_keys[i], *mags[i]);
	}
	return 0;
}

static int parse_root(struct thresholds *t, const cJSON *root, const char *file)
{
	const cJSON *checks = NULL, *it;
	double version = NAN;
	size_t i, n;

	if (!cJSON_IsObject(root))
		return error("'%s': expected a JSON object at the top level", file);
	if (check_known_keys(root, top_keys, file, "") < 0)
		return -1;
	if (json_get_number(root, "version", &version, JSON_REQUIRED, file, "") < 0)
		return -1;
	if (version != 1)
		return error("'%s': version: unsupported version %g (expected 1)", file, version);
	if (json_get_number(root, "confidence", &t->confidence, JSON_OPTIONAL, file, "") < 0)
		return -1;
	if (!(t->confidence > 0.5 && t->confidence < 1))
		return error("'%s': confidence: %g is out of range (expected more than 0.5 and "
			     "less than 1)",
			     file, t->confidence);
	if (get_int(root, "runs", &t->runs, 2, file) < 0)
		return -1;
	if (get_int(root, "max_runs", &t->max_runs, 2, file) < 0)
		return -1;
	if (t->max_runs < t->runs)
		return error("'%s': max_runs: %d is less than runs (%d)", file, t->max_runs,
			     t->runs);
	if (parse_history(t, root, file) < 0)
		return -1;

	if (json_get_node(root, "checks", cJSON_Array, &checks, JSON_REQUIRED, file, "") < 0)
		return -1;
	n = (size_t)cJSON_GetArraySize(checks);
	if (!n)
		return error("'%s': checks: expected at least one check", file);
	t->checks = xcalloc(n, sizeof(*t->checks));
	i = 0;
	cJSON_ArrayForEach(it, checks) {
		char where[40];
		size_t j;

		snprintf(where, sizeof(where), "checks[%zu]", i);
		t->nchecks = i + 1;
		if (parse_check(it, &t->checks[i], file, where) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (!strcmp(t->checks[j].name, t->checks[i].name))
				return error(
					"'%s': %s.name: duplicate name '%s' (also checks[%zu])",
					file, where, t->checks[i].name, j);
		i++;
	}
	return 0;
}

int thresholds_parse(struct thresholds *t, const char *text, size_t len, const char *name)
{
	cJSON *root;
	int ret;

	memset(t, 0, sizeof(*t));
	root = json_parse_text_flags(text, len, name, JSON_PARSE_UTF8);
	if (!root)
		return -1;
	t->path = xstrdup(name);
	t->confidence = 0.95;
	t->runs = 3;
	t->max_runs = 15;
	t->history.max_pvalue = NAN;
	t->history.min_magnitude_seconds = NAN;
	t->history.min_magnitude_fraction = NAN;
	t->history.min_magnitude_count = NAN;
	ret = parse_root(t, root, name);
	cJSON_Delete(root);
	if (ret < 0)
		thresholds_release(t);
	return ret;
}

int thresholds_load(struct thresholds *t, const char *path)
{
	struct buf b = BUF_INIT;
	int ret;

	memset(t, 0, sizeof(*t));
	if (buf_read_file(&b, path) < 0)
		return error_errno("cannot read '%s'", path);
	ret = thresholds_parse(t, b.s, b.len, path);
	buf_release(&b);
	return ret;
}

static void check_release(struct check *c)
{
	size_t i;

	free(c->name);
	free(c->description);
	for (i = 0; i < c->nwhere; i++) {
		free(c->where[i].name);
		free(c->where[i].value);
	}
	free(c->where);
}

void thresholds_release(struct thresholds *t)
{
	size_t i;

	for (i = 0; i < t->nchecks; i++)
		check_release(&t->checks[i]);
	free(t->checks);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

int check_applies(const struct check *c, const struct scenario_result *sc)
{
	size_t i;

	if (c->role != ROLE_ANY && sc->role != c->role)
		return 0;
	for (i = 0; i < c->nwhere; i++) {
		const char *v = scenario_param(sc, c->where[i].name);
		if (!v || strcmp(v, c->where[i].value))
			return 0;
	}
	return 1;
}

/* 1 when some scenario of the matrix has a parameter called name. */
static int matrix_has_param(const struct results *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nscen; i++)
		if (scenario_param(&m->scen[i], name))
			return 1;
	return 0;
}

static void add_param_names(struct buf *b, const struct results *m)
{
	size_t i;

	if (!m->nscen || !m->scen[0].nparams) {
		buf_adds(b, "none");
		return;
	}
	for (i = 0; i < m->scen[0].nparams; i++)
		buf_addf(b, "%s%s", i ? ", " : "", m->scen[0].params[i].name);
}

const struct condition *check_undeclared(const struct check *c, const struct scenario_result *sc)
{
	const struct condition *conds[3] = { &c->cond, c->has_unless ? &c->unless : NULL,
					     c->has_when_base ? &c->when_base : NULL };
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *base = conds[i] ? metric_reported_base(conds[i]->metric, NULL) : NULL;

		if (base && scenario_metric_index(sc, base) < 0)
			return conds[i];
	}
	return NULL;
}

int thresholds_check_matrix(const struct thresholds *t, const struct results *m, const char *suite)
{
	const struct condition *u;
	struct buf b = BUF_INIT;
	size_t i, j, n;
	int ret = 0;

	for (i = 0; i < t->nchecks; i++) {
		const struct check *c = &t->checks[i];
		int typo = 0;

		for (j = 0; j < c->nwhere; j++) {
			if (matrix_has_param(m, c->where[j].name))
				continue;
			buf_reset(&b);
			add_param_names(&b, m);
			ret = error("'%s': checks[%zu].where: '%s' is not a parameter of suite "
				    "'%s' (its parameters: %s)",
				    t->path, i, c->where[j].name, suite, b.s);
			typo = 1;
		}
		if (typo)
			continue;
		if (m->nscen && (u = check_undeclared(c, &m->scen[0]))) {
			const char *base = metric_reported_base(u->metric, NULL);

			buf_reset(&b);
			for (j = 0; j < m->scen[0].nmetrics; j++)
				buf_addf(&b, "%s%s", j ? ", " : "", m->scen[0].metrics[j].name);
			ret = error("'%s': check '%s': '%s' is neither a measured metric nor one "
				    "suite '%s' reports (%s%s)",
				    t->path, c->name, base, suite,
				    b.len ? "it declares: " : "its \"metrics\" declare none", b.s);
			continue;
		}
		for (j = n = 0; j < m->nscen; j++)
			n += check_applies(c, &m->scen[j]) ? 1 : 0;
		if (n || c->optional)
			continue;
		if (c->role != ROLE_ANY) {
			for (j = 0; j < m->nscen && m->scen[j].role != c->role; j++)
				;
			if (j == m->nscen) {
				ret = error(
					"'%s': check '%s' applies to no scenario of suite '%s': no "
					"scenario has role '%s' (declare it in the suite's "
					"\"roles\", or mark the check \"optional\": true)",
					t->path, c->name, suite, role_name(c->role));
				continue;
			}
		}
		ret = error("'%s': check '%s' applies to no scenario of suite '%s': its where "
			    "matches none of the %zu scenarios (or mark it \"optional\": true)",
			    t->path, c->name, suite, m->nscen);
	}
	buf_release(&b);
	return ret;
}
