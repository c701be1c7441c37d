#include "merge.h"

#include "msg.h"

#include <stdlib.h>
#include <string.h>

#define PLANNED_APART "the shards were planned apart: give every shard the same --timings file"

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static const char *or_none(const char *s)
{
	return s ? s : "none";
}

static int check_each(const struct results *sh, const char *const *paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (sh[i].shard.index < 1)
			return error("'%s' is not a shard's results (it has no \"shard\": measure "
				     "with 'spin-gate run --shard K/N')",
				     paths[i]);
		if (!sh[i].complete)
			return error("'%s': shard %d/%d is incomplete (stopped by %s): measure it "
				     "again",
				     paths[i], sh[i].shard.index, sh[i].shard.count,
				     sh[i].stopped_by ? sh[i].stopped_by : "an error or a signal");
	}
	return 0;
}

static int check_indexes(const struct results *sh, const char *const *paths, size_t n)
{
	int count = sh[0].shard.count, k;
	size_t *seen = xcalloc((size_t)count + 1, sizeof(*seen));
	struct buf given = BUF_INIT;
	size_t i;
	int ret = -1;

	for (i = 0; i < n; i++) {
		const struct results_shard *s = &sh[i].shard;

		if (s->count != count) {
			error("'%s' is shard %d/%d but '%s' is shard %d/%d: the shard counts "
			      "differ",
			      paths[0], sh[0].shard.index, count, paths[i], s->index, s->count);
			goto out;
		}
		if (seen[s->index]) {
			error("'%s' and '%s' are both shard %d/%d", paths[seen[s->index] - 1],
			      paths[i], s->index, count);
			goto out;
		}
		seen[s->index] = i + 1;
	}
	for (k = 1; k <= count; k++)
		if (seen[k])
			buf_addf(&given, "%s%d", given.len ? ", " : "", k);
	for (k = 1; k <= count; k++) {
		if (!seen[k]) {
			error("shard %d/%d is missing (given: %s)", k, count, given.s);
			goto out;
		}
	}
	ret = 0;
out:
	free(seen);
	buf_release(&given);
	return ret;
}

static int check_revisions(const struct results *sh, const char *const *paths, size_t n)
{
	size_t i, k, first;

	for (k = 0; k < SIDE_COUNT; k++) {
		const struct revision_info *a = &sh[0].rev[k];

		for (i = 1; i < n; i++) {
			const struct revision_info *b = &sh[i].rev[k];

			if (!same(a->spec, b->spec))
				return error(
					"'%s' and '%s' measured different %s revisions: '%s' and "
					"'%s'",
					paths[0], paths[i], side_name(k), or_none(a->spec),
					or_none(b->spec));
		}
		/* resolved: compared among the shards that prepared the revision */
		for (first = 0; first < n && !sh[first].rev[k].resolved; first++)
			;
		for (i = first + 1; i < n; i++) {
			const char *x = sh[first].rev[k].resolved, *y = sh[i].rev[k].resolved;

			if (y && !same(x, y))
				return error("'%s' and '%s' measured different %s revisions: '%s' "
					     "resolved to %s and to %s",
					     paths[first], paths[i], side_name(k),
					     or_none(sh[i].rev[k].spec), x, y);
		}
	}
	return 0;
}

static int check_setup(const struct results *sh, const char *const *paths, size_t n)
{
	const struct results *a = &sh[0];
	size_t i, k;

	for (i = 1; i < n; i++) {
		const struct results *b = &sh[i];
		const struct results_settings *x = &a->settings, *y = &b->settings;
		int differ = 0;

		if (!same(a->suite_digest, b->suite_digest))
			return error(
				"'%s' and '%s' were measured with different suites (suite.json "
				"digest %s and %s)",
				paths[0], paths[i], or_none(a->suite_digest),
				or_none(b->suite_digest));
		if (!same(a->thresholds_digest, b->thresholds_digest))
			return error("'%s' and '%s' were measured with different thresholds "
				     "(digest %s and %s)",
				     paths[0], paths[i], or_none(a->thresholds_digest),
				     or_none(b->thresholds_digest));
		if (x->runs != y->runs || x->max_runs != y->max_runs || x->warmup != y->warmup ||
		    x->confidence != y->confidence || x->all_checks != y->all_checks)
			return error("'%s' and '%s' were measured with different settings (runs "
				     "%d and %d, max_runs %d and %d, warmup %d and %d, confidence "
				     "%g and %g, all_checks %d and %d)",
				     paths[0], paths[i], x->runs, y->runs, x->max_runs, y->max_runs,
				     x->warmup, y->warmup, x->confidence, y->confidence,
				     x->all_checks, y->all_checks);
		differ = a->shard.nonly != b->shard.nonly;
		for (k = 0; !differ && k < a->shard.nonly; k++)
			differ = !same(a->shard.only[k], b->shard.only[k]);
		if (differ)
			return error("'%s' and '%s' were measured with different --only filters",
				     paths[0], paths[i]);
		if (a->shard.matrix != b->shard.matrix)
			return error("'%s' planned a matrix of %zu scenarios but '%s' one of %zu",
				     paths[0], a->shard.matrix, paths[i], b->shard.matrix);
	}
	return 0;
}

static int check_cover(const struct results *sh, const char *const *paths, size_t n)
{
	size_t m = sh[0].shard.matrix, i, k;
	size_t *by = xcalloc(m + 1, sizeof(*by)); /* shard + 1 that measured each */
	int ret = -1;

	for (i = 0; i < n; i++) {
		const struct results_shard *s = &sh[i].shard;

		if (s->n != sh[i].nscen) {
			error("'%s': its shard lists %zu scenarios but it holds %zu", paths[i],
			      s->n, sh[i].nscen);
			goto out;
		}
		for (k = 0; k < s->n; k++) {
			size_t at = s->scenarios[k];

			if (at >= m) {
				error("'%s': scenario %zu is outside the matrix of %zu", paths[i],
				      at, m);
				goto out;
			}
			if (by[at]) {
				error("scenario %zu of the matrix ('%s') is measured by both '%s' "
				      "and "
				      "'%s' (" PLANNED_APART ")",
				      at + 1, sh[i].scen[k].name, paths[by[at] - 1], paths[i]);
				goto out;
			}
			by[at] = i + 1;
		}
	}
	for (k = 0; k < m; k++) {
		if (!by[k]) {
			error("scenario %zu of the matrix of %zu is measured by no shard "
			      "(" PLANNED_APART ")",
			      k + 1, m);
			goto out;
		}
	}
	ret = 0;
out:
	free(by);
	return ret;
}

int merge_check(const struct results *shards, const char *const *paths, size_t n)
{
	if (n == 0)
		return error("no shard results to merge");
	if (check_each(shards, paths, n) < 0 || check_indexes(shards, paths, n) < 0 ||
	    check_revisions(shards, paths, n) < 0 || check_setup(shards, paths, n) < 0 ||
	    check_cover(shards, paths, n) < 0)
		return -1;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void copy_revision(struct revision_info *to, const struct revision_info *from)
{
	to->spec = dup_or_null(from->spec);
	to->kind = dup_or_null(from->kind);
	to->resolved = dup_or_null(from->resolved);
	to->env = dup_or_null(from->env);
	to->runtime = dup_or_null(from->runtime);
}

void merge_combine(struct results *shards, size_t n, struct results *out)
{
	const struct results *a = &shards[0];
	size_t m = a->shard.matrix, i, k;
	int side;

	out->complete = 1;
	out->suite_name = dup_or_null(a->suite_name);
	out->suite_path = dup_or_null(a->suite_path);
	out->suite_digest = dup_or_null(a->suite_digest);
	out->thresholds_path = dup_or_null(a->thresholds_path);
	out->thresholds_digest = dup_or_null(a->thresholds_digest);
	out->settings = a->settings;
	out->env.cores = a->env.cores;
	out->env.kernel = dup_or_null(a->env.kernel);
	out->env.hyperfine = dup_or_null(a->env.hyperfine);
	out->env.host = dup_or_null(a->env.host);
	out->env.cpu_model = dup_or_null(a->env.cpu_model);
	out->merged = (int)n;
	for (side = 0; side < SIDE_COUNT; side++) {
		for (i = 0; i < n && !shards[i].rev[side].resolved; i++)
			;
		copy_revision(&out->rev[side], &shards[i < n ? i : 0].rev[side]);
	}
	for (i = 0; i < n; i++) {
		const char *s = shards[i].started, *f = shards[i].finished;

		if (s && (!out->started || strcmp(s, out->started) < 0)) {
			free(out->started);
			out->started = xstrdup(s);
		}
		if (f && (!out->finished || strcmp(f, out->finished) > 0)) {
			free(out->finished);
			out->finished = xstrdup(f);
		}
	}
	out->scen = xcalloc(m + 1, sizeof(*out->scen));
	out->alloc = m + 1;
	out->nscen = m;
	for (i = 0; i < n; i++) {
		struct results *sh = &shards[i];

		for (k = 0; k < sh->nscen; k++) {
			struct scenario_result *sc = &out->scen[sh->shard.scenarios[k]];

			*sc = sh->scen[k];
			memset(&sh->scen[k], 0, sizeof(sh->scen[k]));
			if (!sc->machine.host && !sc->machine.cpu_model) {
				sc->machine.host = dup_or_null(sh->env.host);
				sc->machine.cpu_model = dup_or_null(sh->env.cpu_model);
				sc->machine.cores = sh->env.cores;
				sc->machine.kernel = dup_or_null(sh->env.kernel);
			}
			/* shards may have timed with different hyperfines (merge.h) */
			if (!sc->machine.hyperfine)
				sc->machine.hyperfine = dup_or_null(sh->env.hyperfine);
		}
	}
}

/* A machine as the line names it: 'MODEL' N cores. */
static void add_machine(struct buf *out, const struct machine_info *m)
{
	buf_addf(out, "'%s' %d core%s", m->cpu_model ? m->cpu_model : "unknown CPU", m->cores,
		 m->cores == 1 ? "" : "s");
}

/* When scenarios of r were timed by different hyperfine versions, append
 * a sentence naming each with its count (after a space when `after`, a
 * sentence before it on the line); 1 if it did. */
static int add_hyperfines(const struct results *r, struct buf *out, int after)
{
	const char **kinds = xcalloc(r->nscen + 1, sizeof(*kinds));
	size_t *count = xcalloc(r->nscen + 1, sizeof(*count));
	size_t nkinds = 0, i, k;

	for (i = 0; i < r->nscen; i++) {
		const char *v = r->scen[i].machine.hyperfine;

		if (!v)
			continue;
		for (k = 0; k < nkinds && strcmp(kinds[k], v); k++)
			;
		if (k == nkinds)
			kinds[nkinds++] = v;
		count[k]++;
	}
	if (nkinds > 1) {
		buf_addf(out, "%sShards timed with %zu hyperfine versions: ", after ? " " : "",
			 nkinds);
		for (k = 0; k < nkinds; k++)
			buf_addf(out, "%s%s (%zu scenario%s)", k ? ", " : "", kinds[k], count[k],
				 count[k] == 1 ? "" : "s");
		buf_adds(out,
			 "; one hyperfine timed both sides of each scenario, so its ratios "
			 "hold, but figures of scenarios timed by different versions may differ "
			 "by what each counts");
	}
	free(kinds);
	free(count);
	return nkinds > 1;
}

int merge_machines_line(const struct results *r, struct buf *out)
{
	const struct machine_info **kinds = xcalloc(r->nscen + 1, sizeof(*kinds));
	size_t *count = xcalloc(r->nscen + 1, sizeof(*count));
	size_t nkinds = 0, i, k;
	int said;

	for (i = 0; i < r->nscen; i++) {
		const struct machine_info *m = &r->scen[i].machine;

		if (!m->cpu_model && !m->cores)
			continue;
		for (k = 0; k < nkinds; k++)
			if (same(kinds[k]->cpu_model, m->cpu_model) && kinds[k]->cores == m->cores)
				break;
		if (k == nkinds)
			kinds[nkinds++] = m;
		count[k]++;
	}
	if (nkinds > 1) {
		buf_addf(out, "Shards ran on %zu kinds of machine: ", nkinds);
		for (k = 0; k < nkinds; k++) {
			buf_adds(out, k ? ", " : "");
			add_machine(out, kinds[k]);
			buf_addf(out, " (%zu scenario%s)", count[k], count[k] == 1 ? "" : "s");
		}
		buf_adds(out, "; base and head of each scenario ran on one machine, so its "
			      "ratios hold, but figures of different scenarios are not comparable");
	}
	said = nkinds > 1;
	said |= add_hyperfines(r, out, said);
	free(kinds);
	free(count);
	return said;
}
