#include "shard.h"

#include "buf.h"
#include "msg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *shard_basis_name(enum shard_basis b)
{
	return b == SHARD_BY_TIMINGS ? "timings" : "timeout";
}

/* A whole number of 1-3 digits without leading zero ("0" itself is 0), or -1. */
static long parse_part(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 3 || (s[0] == '0' && len > 1))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int shard_parse(const char *arg, int *index, int *count)
{
	const char *slash = arg ? strchr(arg, '/') : NULL;
	long k, n;

	if (!slash)
		return error("--shard: '%s' is not K/N (e.g. 2/4)", arg ? arg : "");
	k = parse_part(arg, (size_t)(slash - arg));
	n = parse_part(slash + 1, strlen(slash + 1));
	if (k < 0 || n < 0)
		return error("--shard: '%s' is not K/N (e.g. 2/4: whole numbers, no sign or "
			     "leading zero)",
			     arg);
	if (k == 0 || n == 0)
		return error("--shard: '%s': shards count from 1 (K is 1 to N)", arg);
	if (n > SHARD_MAX)
		return error("--shard: '%s': at most %d shards", arg, SHARD_MAX);
	if (k > n)
		return error("--shard: '%s': shard %ld of %ld does not exist (K is 1 to N)", arg, k,
			     n);
	*index = (int)k;
	*count = (int)n;
	return 0;
}

/* Milliseconds of all of a scenario's runs, or 0 when none has a wall time. */
static uint64_t measured_ms(const struct scenario_result *sc)
{
	double sum = 0;
	size_t k, i;

	for (k = 0; k < SIDE_COUNT; k++)
		for (i = 0; i < sc->samples[k].n; i++)
			if (isfinite(sc->samples[k].v[i].wall))
				sum += sc->samples[k].v[i].wall;
	return sum > 0 ? (uint64_t)llround(sum * 1000) : 0;
}

static const struct scenario_result *find(const struct results *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->nscen; i++)
		if (r->scen[i].name && !strcmp(r->scen[i].name, name))
			return &r->scen[i];
	return NULL;
}

enum shard_basis shard_weights(const struct results *m, const struct results *timings, uint64_t *w)
{
	uint64_t sum = 0, known = 0;
	size_t i;

	for (i = 0; i < m->nscen; i++) {
		const struct scenario_result *t = find(timings, m->scen[i].name);

		w[i] = t ? measured_ms(t) : 0;
		if (w[i]) {
			sum += w[i];
			known++;
		}
	}
	if (!known) {
		for (i = 0; i < m->nscen; i++) {
			double ms = m->scen[i].timeout * 1000;

			w[i] = ms >= 1 && ms < 1e15 ? (uint64_t)llround(ms) : 1;
		}
		return SHARD_BY_TIMEOUT;
	}
	for (i = 0; i < m->nscen; i++)
		if (!w[i])
			w[i] = sum / known ? sum / known : 1;
	return SHARD_BY_TIMINGS;
}

/* qsort context: the weights being ordered (qsort has no context argument). */
static const uint64_t *order_w;

/* Heavier first; equal weights in matrix order. */
static int by_weight(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (order_w[x] != order_w[y])
		return order_w[x] > order_w[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

void shard_assign(const uint64_t *w, size_t n, int count, int *owner)
{
	size_t *order = xcalloc(n + 1, sizeof(*order));
	uint64_t *load = xcalloc((size_t)count, sizeof(*load));
	size_t i;
	int k, best;

	for (i = 0; i < n; i++)
		order[i] = i;
	order_w = w;
	qsort(order, n, sizeof(*order), by_weight);
	order_w = NULL;
	for (i = 0; i < n; i++) {
		best = 0;
		for (k = 1; k < count; k++)
			if (load[k] < load[best])
				best = k;
		load[best] += w[order[i]];
		owner[order[i]] = best + 1;
	}
	free(order);
	free(load);
}

double shard_balance(const uint64_t *w, size_t n, int count, const int *owner, uint64_t *loads)
{
	uint64_t *load = loads ? loads : xcalloc((size_t)count, sizeof(*load));
	uint64_t total = 0, longest = 0;
	size_t i;
	int k;

	memset(load, 0, (size_t)count * sizeof(*load));
	for (i = 0; i < n; i++) {
		if (owner[i] >= 1 && owner[i] <= count)
			load[owner[i] - 1] += w[i];
		total += w[i];
	}
	for (k = 0; k < count; k++)
		if (load[k] > longest)
			longest = load[k];
	if (!loads)
		free(load);
	return total ? (double)longest * count / (double)total : 0;
}

void shard_apply(struct results *r, int index, int count, const int *owner, const uint64_t *w,
		 enum shard_basis basis, const char *const *only, size_t nonly)
{
	struct results_shard *sh = &r->shard;
	size_t i, kept = 0;

	sh->index = index;
	sh->count = count;
	sh->matrix = r->nscen;
	sh->scenarios = xcalloc(r->nscen + 1, sizeof(*sh->scenarios));
	sh->expected = xcalloc(r->nscen + 1, sizeof(*sh->expected));
	sh->balanced_by = xstrdup(shard_basis_name(basis));
	sh->only = xcalloc(nonly + 1, sizeof(*sh->only));
	for (i = 0; i < nonly; i++)
		sh->only[i] = xstrdup(only[i]);
	sh->nonly = nonly;
	for (i = 0; i < r->nscen; i++) {
		if (owner[i] != index) {
			scenario_release(&r->scen[i]);
			continue;
		}
		sh->scenarios[kept] = i;
		sh->expected[kept] = (double)w[i] / 1000;
		r->scen[kept++] = r->scen[i];
	}
	sh->n = kept;
	r->nscen = kept;
}
