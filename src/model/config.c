#include "config.h"

#include "buf.h"
#include "fsutil.h"
#include "msg.h"
#include "plan.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *config_home(void)
{
	const char *env = getenv("SPIN_GATE_HOME");
	char exe[PATH_MAX], *slash, *probe;
	ssize_t n;
	int i;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		/* BIN = HOME/build/spin-gate: two levels up */
		for (i = 0; i < 2 && (slash = strrchr(exe, '/')); i++)
			*slash = '\0';
		probe = xstrfmt("%s/thresholds.json", *exe ? exe : "/");
		i = fs_exists(probe);
		free(probe);
		if (i)
			return xstrdup(*exe ? exe : "/");
	}
	return xstrdup(".");
}

/*
 * The nearest directory above the current one with a spin-gate/suite.json, or
 * NULL (caller frees): run from a subdirectory of a project that has a suite,
 * the shipped bytewax suite is almost certainly not what was meant.
 */
static char *suite_above(void)
{
	char dir[PATH_MAX], *slash, *probe;

	if (!getcwd(dir, sizeof(dir)))
		return NULL;
	while ((slash = strrchr(dir, '/')) && slash[1]) {
		*(slash == dir ? slash + 1 : slash) = '\0';
		probe = xstrfmt("%s%sspin-gate/suite.json", dir, slash == dir ? "" : "/");
		if (fs_exists(probe)) {
			free(probe);
			return xstrfmt("%s%sspin-gate", dir, slash == dir ? "" : "/");
		}
		free(probe);
	}
	return NULL;
}

static char *default_suite(const char *home)
{
	char *above;

	if (fs_exists("spin-gate/suite.json"))
		return xstrdup("spin-gate");
	above = suite_above();
	if (above) {
		warning("no ./spin-gate here: using the shipped bytewax suite, not '%s' (run from "
			"its directory, or --suite %s)",
			above, above);
		free(above);
	}
	return xstrfmt("%s/scenarios/bytewax", home);
}

char *config_default_thresholds(const char *suite_dir)
{
	char *p = suite_dir ? xstrfmt("%s/thresholds.json", suite_dir) : NULL, *home;

	if (p && fs_exists(p))
		return p;
	free(p);
	home = config_home();
	p = xstrfmt("%s/thresholds.json", home);
	free(home);
	return p;
}

int config_load(struct config *c, const char *suite, const char *thresholds)
{
	char *home = config_home();
	int ret = -1;

	memset(c, 0, sizeof(*c));
	results_init(&c->matrix);
	c->suite_path = suite ? xstrdup(suite) : default_suite(home);
	if (suite_load(&c->suite, c->suite_path) < 0)
		goto out;
	c->thresholds_path =
		thresholds ? xstrdup(thresholds) : config_default_thresholds(c->suite.dir);
	if (thresholds_load(&c->thresholds, c->thresholds_path) < 0)
		goto out;
	c->ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (c->ncpu < 1)
		c->ncpu = 1;
	snprintf(c->ncpu_s, sizeof(c->ncpu_s), "%d", c->ncpu);
	if (plan_matrix(&c->matrix, &c->suite, NULL, 0, c->ncpu) < 0 ||
	    thresholds_check_matrix(&c->thresholds, &c->matrix, c->suite.name) < 0 ||
	    plan_check(&c->suite, &c->matrix, c->ncpu_s) < 0)
		goto out;
	ret = 0;
out:
	free(home);
	if (ret < 0)
		config_release(c);
	return ret;
}

void config_release(struct config *c)
{
	free(c->suite_path);
	free(c->thresholds_path);
	suite_release(&c->suite);
	thresholds_release(&c->thresholds);
	results_release(&c->matrix);
	memset(c, 0, sizeof(*c));
	results_init(&c->matrix);
}
