/*
 * spin-gate check: load a suite and its thresholds and check everything
 * that can be checked without running anything (config.h); print the
 * matrix with each scenario's role and checks.
 */
#include "cmd.h"
#include "config.h"
#include "msg.h"
#include "opt.h"
#include "thresholds.h"

#include <stdio.h>
#include <string.h>

static const struct opt_cmd check_cmd = {
	.name = "check",
	.synopsis = "spin-gate check [--suite DIR] [--thresholds FILE]",
	.description =
		"Check a suite and its thresholds without preparing or running anything:\n"
		"every field, every template of every scenario, and that every check applies\n"
		"to some scenario. Prints the matrix with each scenario's role and checks.\n"
		"'spin-gate run' makes the same checks before it prepares anything.\n",
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

int cmd_check(int argc, char **argv)
{
	const char *suite = NULL, *thresholds = NULL;
	const struct opt opts[] = {
		OPT_STRING("suite", 0, &suite, "DIR",
			   "the scenario suite (default: as for 'spin-gate run')"),
		OPT_STRING("thresholds", 0, &thresholds, "FILE",
			   "the checks (default: as for 'spin-gate run')"),
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
	if (config_load(&c, suite, thresholds) < 0)
		return EXIT_USAGE;
	print_matrix(&c);
	printf("\nok: nothing was prepared or run\n");
	config_release(&c);
	return EXIT_PASS;
}
