#include "plan.h"

#include "msg.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int plan_filter_parse(const char *arg, struct plan_filter *f, char **storage)
{
	char *copy, *eq;

	copy = xstrdup(arg);
	eq = strchr(copy, '=');
	if (!eq || eq == copy) {
		free(copy);
		return error("--only takes NAME=VALUE, not '%s'", arg);
	}
	*eq = '\0';
	f->name = copy;
	f->value = eq + 1;
	*storage = copy;
	return 0;
}

void plan_vars(struct vars *v, const struct suite *s, const struct scenario_result *sc,
	       const char *env_dir, const char *ncpu)
{
	size_t i;

	v->n = 0;
	vars_set(v, "suite_dir", s->dir);
	vars_set(v, "ncpu", ncpu);
	if (env_dir)
		vars_set(v, "env", env_dir);
	for (i = 0; sc && i < sc->nparams; i++)
		vars_set(v, sc->params[i].name, sc->params[i].value);
}

int plan_run_expand(struct plan_run *x, const struct suite *s, const struct scenario_result *sc,
		    const char *env_dir, int ncpu, const char *const *unset)
{
	struct vars v = { .n = 0 };
	struct buf b = BUF_INIT;
	char cores[16];
	size_t i, nunset;
	int ret = -1;

	memset(x, 0, sizeof(*x));
	snprintf(cores, sizeof(cores), "%d", ncpu);
	plan_vars(&v, s, sc, env_dir, cores);
	x->argv = suite_expand_argv(s->command, &v, s->path);
	if (!x->argv)
		goto out;
	if (suite_expand(&b, s->cwd, &v, s->path) < 0)
		goto out;
	x->cwd = buf_detach(&b);
	for (nunset = 0; unset && unset[nunset]; nunset++)
		;
	/* removals first: a NAME=VALUE of the suite's after them wins */
	x->env = xcalloc(nunset + s->nenv + 1, sizeof(char *));
	for (i = 0; i < nunset; i++)
		x->env[i] = xstrdup(unset[i]);
	for (i = 0; i < s->nenv; i++) {
		buf_reset(&b);
		buf_addf(&b, "%s=", s->env[i].name);
		if (suite_expand(&b, s->env[i].value, &v, s->path) < 0)
			goto out;
		x->env[nunset + i] = buf_detach(&b);
	}
	/* a program's own metrics file, relative to the run's directory */
	if (s->nmetrics)
		x->metric_files = xcalloc(s->nmetrics, sizeof(char *));
	x->nmetrics = s->nmetrics;
	for (i = 0; i < s->nmetrics; i++) {
		if (!s->metrics[i].file)
			continue;
		buf_reset(&b);
		if (suite_expand(&b, s->metrics[i].file, &v, s->path) < 0)
			goto out;
		if (b.s[0] != '/')
			x->metric_files[i] = xstrfmt("%s/%s", x->cwd, b.s);
		else
			x->metric_files[i] = buf_detach(&b);
	}
	ret = 0;
out:
	buf_release(&b);
	if (ret < 0)
		plan_run_release(x);
	return ret;
}

void plan_run_release(struct plan_run *x)
{
	argv_free(x->argv);
	argv_free(x->env);
	for (size_t i = 0; x->metric_files && i < x->nmetrics; i++)
		free(x->metric_files[i]);
	free(x->metric_files);
	free(x->cwd);
	memset(x, 0, sizeof(*x));
}

/* The values of parameter p after filters: borrowed pointers into s or filters. */
static size_t param_values(const struct suite_param *p, const struct plan_filter *f, size_t nf,
			   const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < nf; i++)
		if (!strcmp(f[i].name, p->name))
			out[n++] = f[i].value;
	if (n)
		return n;
	for (i = 0; i < p->nvalues; i++)
		out[n++] = p->values[i];
	return n;
}

static int add_scenario(struct results *r, const struct suite *s, const char *const *values,
			int ncpu)
{
	struct scenario_result *sc = results_add_scenario(r);
	struct buf name = BUF_INIT, b = BUF_INIT;
	struct vars v = { .n = 0 };
	char ncpu_s[16], *end;
	size_t i;
	int ret = -1;

	snprintf(ncpu_s, sizeof(ncpu_s), "%d", ncpu);
	sc->params = xcalloc(s->nparams ? s->nparams : 1, sizeof(*sc->params));
	vars_set(&v, "suite_dir", s->dir);
	vars_set(&v, "ncpu", ncpu_s);
	for (i = 0; i < s->nparams; i++) {
		buf_reset(&b);
		if (suite_expand(&b, values[i], &v, s->path) < 0)
			goto out;
		sc->params[i].name = xstrdup(s->params[i].name);
		sc->params[i].value = xstrdup(b.s);
		sc->nparams++;
		if (i)
			buf_addch(&name, ' ');
		buf_addf(&name, "%s=%s", sc->params[i].name, sc->params[i].value);
	}
	/* a suite without parameters has one scenario: name it after the suite */
	sc->name = s->nparams ? buf_detach(&name) : xstrdup(s->name);
	sc->role = suite_role_of(s, sc->params, sc->nparams);
	for (i = 0; i < sc->nparams; i++)
		vars_set(&v, sc->params[i].name, sc->params[i].value);
	buf_reset(&b);
	if (suite_expand(&b, s->cores, &v, s->path) < 0)
		goto out;
	errno = 0;
	sc->cores = strtod(b.s, &end);
	if (errno || end == b.s || *end || !(sc->cores > 0) || !isfinite(sc->cores)) {
		error("'%s': cores: '%s' is not a positive number (scenario %s)", s->path, b.s,
		      sc->name);
		goto out;
	}
	if (sc->cores > ncpu)
		sc->cores = ncpu;
	sc->machine_cores = ncpu;
	sc->timeout = s->timeout;
	if (s->nmetrics)
		sc->metrics = xcalloc(s->nmetrics, sizeof(*sc->metrics));
	for (i = 0; i < s->nmetrics; i++) {
		sc->metrics[i].name = xstrdup(s->metrics[i].decl.name);
		sc->metrics[i].unit = xstrdup(s->metrics[i].decl.unit);
		sc->metrics[i].bigger = s->metrics[i].decl.bigger;
		sc->nmetrics++;
	}
	ret = 0;
out:
	buf_release(&name);
	buf_release(&b);
	return ret;
}

int plan_matrix(struct results *r, const struct suite *s, const struct plan_filter *filters,
		size_t nfilters, int ncpu)
{
	const char **vals[64];
	size_t nvals[64], idx[64], i, k;
	const char *cur[64];
	double total = 1;
	int ret = -1;

	if (s->nparams > 64)
		return error("'%s': more than 64 parameters", s->path);
	for (i = 0; i < nfilters; i++) {
		for (k = 0; k < s->nparams; k++)
			if (!strcmp(filters[i].name, s->params[k].name))
				break;
		if (k == s->nparams)
			return error("--only %s=%s: suite '%s' has no parameter '%s'",
				     filters[i].name, filters[i].value, s->name, filters[i].name);
	}
	memset(vals, 0, sizeof(vals));
	for (i = 0; i < s->nparams; i++) {
		vals[i] = xcalloc(s->params[i].nvalues + nfilters + 1, sizeof(char *));
		nvals[i] = param_values(&s->params[i], filters, nfilters, vals[i]);
		idx[i] = 0;
		total *= (double)nvals[i];
	}
	/* suite_load() checked the suite's own matrix; --only values replace lists */
	if (total > SUITE_MAX_SCENARIOS) {
		error("--only: the matrix has %.0f scenarios (at most %d)", total,
		      SUITE_MAX_SCENARIOS);
		goto out;
	}
	for (;;) {
		for (i = 0; i < s->nparams; i++)
			cur[i] = vals[i][idx[i]];
		if (add_scenario(r, s, cur, ncpu) < 0)
			goto out;
		/* odometer: last parameter varies fastest */
		for (i = s->nparams; i > 0; i--) {
			if (++idx[i - 1] < nvals[i - 1])
				break;
			idx[i - 1] = 0;
		}
		if (i == 0)
			break;
	}
	ret = 0;
out:
	for (i = 0; i < s->nparams; i++)
		free(vals[i]);
	return ret;
}

static int check_argv(char *const *tmpl, const struct vars *v, const char *what)
{
	char **argv;

	if (!tmpl)
		return 0;
	argv = suite_expand_argv(tmpl, v, what);
	if (!argv)
		return -1;
	argv_free(argv);
	return 0;
}

int plan_check(const struct suite *s, const struct results *m, const char *ncpu)
{
	struct vars v = { .n = 0 };
	struct buf what = BUF_INIT, b = BUF_INIT;
	size_t i, k;
	int ret = -1;

	for (i = 0; i < m->nscen; i++) {
		const struct scenario_result *sc = &m->scen[i];

		plan_vars(&v, s, sc, "ENV", ncpu);
		buf_reset(&what);
		buf_addf(&what, "'%s': command (scenario %s)", s->path, sc->name);
		if (check_argv(s->command, &v, what.s) < 0)
			goto out;
		buf_reset(&what);
		buf_addf(&what, "'%s': cwd (scenario %s)", s->path, sc->name);
		buf_reset(&b);
		if (suite_expand(&b, s->cwd, &v, what.s) < 0)
			goto out;
		for (k = 0; k < s->nenv; k++) {
			buf_reset(&what);
			buf_addf(&what, "'%s': env.%s (scenario %s)", s->path, s->env[k].name,
				 sc->name);
			buf_reset(&b);
			if (suite_expand(&b, s->env[k].value, &v, what.s) < 0)
				goto out;
		}
		for (k = 0; k < s->nmetrics; k++) {
			if (!s->metrics[k].file)
				continue;
			buf_reset(&what);
			buf_addf(&what, "'%s': metrics[%zu].file (scenario %s)", s->path, k,
				 sc->name);
			buf_reset(&b);
			if (suite_expand(&b, s->metrics[k].file, &v, what.s) < 0)
				goto out;
		}
	}
	/* setup and probe run once per revision, with these variables only */
	v.n = 0;
	vars_set(&v, "suite_dir", s->dir);
	vars_set(&v, "ncpu", ncpu);
	vars_set(&v, "env", "ENV");
	vars_set(&v, "version", "VERSION");
	vars_set(&v, "version_spec", "VERSION_SPEC");
	buf_reset(&what);
	buf_addf(&what, "'%s': setup.version", s->path);
	if (check_argv(s->setup_version, &v, what.s) < 0)
		goto out;
	vars_set(&v, "worktree", "WORKTREE");
	vars_set(&v, "commit", "COMMIT");
	buf_reset(&what);
	buf_addf(&what, "'%s': setup.git", s->path);
	if (check_argv(s->setup_git, &v, what.s) < 0)
		goto out;
	buf_reset(&what);
	buf_addf(&what, "'%s': probe", s->path);
	if (check_argv(s->probe, &v, what.s) < 0)
		goto out;
	ret = 0;
out:
	buf_release(&what);
	buf_release(&b);
	return ret;
}
