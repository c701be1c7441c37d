/*
 * spin-gate check: load a suite and its thresholds and check everything
 * that can be checked without running anything (config.h); print the
 * matrix with each scenario's role and checks.
 */
#include "cmd.h"
#include "config.h"
#include "msg.h"
#include "opt.h"
#include "results.h"
#include "shard.h"
#include "thresholds.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_cmd check_cmd = {
	.name = "check",
	.synopsis =
		"spin-gate check [--suite DIR] [--thresholds FILE] [--shards N [--timings FILE]]",
	.description =
		"Check a suite and its thresholds without preparing or running anything:\n"
		"every field, every template of every scenario, and that every check applies\n"
		"to some scenario. Prints the matrix with each scenario's role and checks.\n"
		"'spin-gate run' makes the same checks before it prepares anything.\n"
		"With --shards N, also the slices 'run --shard K/N' would measure, each\n"
		"with its expected run time, and the balance: longest slice / mean.\n",
	.footer = "exit status: 0 consistent, 2 a mistake (named on stderr)\n",
};

static void print_matrix(const struct config *c)
{
	const struct results *m = &c->matrix;
	const struct thresholds *t = &c->thresholds;
	size_t i, k, width = strlen("scenario");

	for (i = 0; i < m->nscen; i++)
		if (strlen(m->scen[i].name) > width)
			width = strlen(m->scen[i].name);
	printf("suite '%s' (%s): %zu scenario%s\n", c->suite.name, c->suite.path, m->nscen,
	       m->nscen == 1 ? "" : "s");
	printf("thresholds %s: %zu check%s\n\n", c->thresholds_path, t->nchecks,
	       t->nchecks == 1 ? "" : "s");
	printf("  %-*s  %-4s  %s\n", (int)width, "scenario", "role", "checks");
	for (i = 0; i < m->nscen; i++) {
		const char *sep = "";

		printf("  %-*s  %-4s  ", (int)width, m->scen[i].name, role_name(m->scen[i].role));
		for (k = 0; k < t->nchecks; k++) {
			if (!check_applies(&t->checks[k], &m->scen[i]))
				continue;
			printf("%s%s", sep, t->checks[k].name);
			sep = ", ";
		}
		printf("%s\n", *sep ? "" : "(none)");
	}
	printf("\n");
	for (k = 0; k < t->nchecks; k++) {
		size_t n = 0;

		for (i = 0; i < m->nscen; i++)
			n += check_applies(&t->checks[k], &m->scen[i]) ? 1 : 0;
		printf("  %s: %zu scenario%s%s\n", t->checks[k].name, n, n == 1 ? "" : "s",
		       n ? "" : " (optional: not applicable to this suite)");
	}
}

/* The slices of `run --shard K/N` for every K, as shard.h plans them. */
static int print_shards(const struct results *m, int count, const char *timings_path)
{
	struct results timings;
	uint64_t *w = xcalloc(m->nscen + 1, sizeof(*w));
	uint64_t *load = xcalloc((size_t)count, sizeof(*load)), total = 0;
	int *owner = xcalloc(m->nscen + 1, sizeof(*owner));
	enum shard_basis basis;
	double balance;
	size_t i;
	int k, ret = -1;

	results_init(&timings);
	if (timings_path && results_read(&timings, timings_path) < 0)
		goto out;
	basis = shard_weights(m, timings_path ? &timings : NULL, w);
	shard_assign(w, m->nscen, count, owner);
	balance = shard_balance(w, m->nscen, count, owner, load);
	printf("\n%d shard%s, balanced by %s%s%s%s:\n", count, count == 1 ? "" : "s",
	       shard_basis_name(basis), timings_path ? " (" : "", timings_path ? timings_path : "",
	       timings_path ? ")" : "");
	for (k = 1; k <= count; k++) {
		const char *sep = " ";
		size_t n = 0;

		for (i = 0; i < m->nscen; i++)
			n += owner[i] == k;
		printf("  shard %d/%d: expected %.1f s, %zu scenario%s:", k, count,
		       (double)load[k - 1] / 1000, n, n == 1 ? "" : "s");
		for (i = 0; i < m->nscen; i++) {
			if (owner[i] != k)
				continue;
			printf("%s%s", sep, m->scen[i].name);
			sep = "; ";
		}
		printf("%s\n", n ? "" : " (empty)");
		total += load[k - 1];
	}
	printf("balance: longest shard / mean = %.3f (total %.1f s, mean %.1f s)\n", balance,
	       (double)total / 1000, (double)total / 1000 / count);
	ret = 0;
out:
	results_release(&timings);
	free(w);
	free(load);
	free(owner);
	return ret;
}

int cmd_check(int argc, char **argv)
{
	const char *suite = NULL, *thresholds = NULL, *timings = NULL;
	long shards = 0;
	const struct opt opts[] = {
		OPT_STRING("suite", 0, &suite, "DIR",
			   "the scenario suite (default: as for 'spin-gate run')"),
		OPT_STRING("thresholds", 0, &thresholds, "FILE",
			   "the checks (default: as for 'spin-gate run')"),
		OPT_LONG("shards", 0, &shards, "N", 1, SHARD_MAX,
			 "also list the slices of 'run --shard K/N' for K = 1..N"),
		OPT_STRING("timings", 0, &timings, "FILE",
			   "with --shards: a previous results.json whose run times\n"
			   "balance the slices (as 'run --timings')"),
		OPT_END(),
	};
	struct config c;
	int n = opt_parse(&check_cmd, opts, argc, argv);

	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	if (n > 0) {
		opt_error(&check_cmd, "check takes only options; %d other argument(s) given", n);
		return EXIT_USAGE;
	}
	if (timings && !shards) {
		opt_error(&check_cmd, "--timings is for --shards N");
		return EXIT_USAGE;
	}
	if (config_load(&c, suite, thresholds) < 0)
		return EXIT_USAGE;
	print_matrix(&c);
	if (shards && print_shards(&c.matrix, (int)shards, timings) < 0) {
		config_release(&c);
		return EXIT_USAGE;
	}
	printf("\nok: nothing was prepared or run\n");
	config_release(&c);
	return EXIT_PASS;
}
