/*
 * spin-gate bisect: the revision between a good and a bad one that made the
 * gate fail (bisect.h).
 */
#include "bisect.h"
#include "cmd.h"
#include "gate.h"
#include "msg.h"
#include "status.h"

#include <stdlib.h>
#include <string.h>

static const struct opt_cmd bisect_cmd = {
	.name = "bisect",
	.synopsis = "spin-gate bisect --good REV --bad REV [--repo PATH] [options]\n"
		    "   or: spin-gate bisect --versions GOOD,...,BAD [options]",
	.description =
		"Find the revision that made a gate fail. The bad revision is gated against\n"
		"the good one first; the checks that failed there, on the scenarios they\n"
		"failed on, are what every step judges: the candidate against the good\n"
		"revision, pass = good, fail = bad, inconclusive after its rounds or not\n"
		"preparable = skip. Git revisions are bisected by `git bisect` in a clone\n"
		"under the cache (your repository and its bisect state are only read);\n"
		"released versions by a binary search over the list. The good side's runs\n"
		"are pooled across steps (--no-reuse: measured in full each step).\n"
		"Writes OUT/bisect.md (also printed) and each step's gate in OUT/steps/NN.\n",
	.footer = "exit status: 0 the first bad revision was found, 1 bad does not fail\n"
		  "against good (nothing to bisect), 2 usage or configuration error,\n"
		  "3 skipped steps leave only a range (or the first gate was inconclusive),\n"
		  "4 good or bad could not be prepared or run, or git failed,\n"
		  "130/143 interrupted by SIGINT/SIGTERM (the steps so far are written)\n",
};

#define MAX_CHECKS   64
#define MAX_VERSIONS 1024

struct bisect_args {
	struct gate g;
	const char *good, *bad, *versions;
	const char *checks[MAX_CHECKS];
	size_t nchecks;
	int no_reuse;
};

/* --check NAME, repeatable. */
static int parse_check(const struct opt *o, const char *arg)
{
	struct bisect_args *a = o->value;

	if (a->nchecks == MAX_CHECKS)
		return error("--check: at most %d checks", MAX_CHECKS);
	a->checks[a->nchecks++] = arg;
	return 0;
}

/* 0, 1 after --help, or -1 after a usage error. */
static int parse_args(struct bisect_args *a, int argc, char **argv)
{
	const struct opt opts[] = {
		OPT_STRING("good", 0, &a->good, "REV",
			   "a git revision that passes (of --repo, default: .)"),
		OPT_STRING("bad", 0, &a->bad, "REV", "a later git revision that fails"),
		OPT_STRING("versions", 0, &a->versions, "V1,...,VN",
			   "released versions in order, the first good and the\n"
			   "last bad (instead of --repo, --good and --bad)"),
		OPT_CALLBACK("check", 0, a, "NAME", parse_check,
			     "judge only this check (repeatable) and gate nothing\n"
			     "first (default: the checks bad fails against good)"),
		OPT_FLAG("no-reuse", 0, &a->no_reuse,
			 "measure the good side in full at every step rather than\n"
			 "pool its runs across steps"),
		GATE_OPTIONS(&a->g.a, "where bisect.md, steps/ and logs go (default: out)"),
		OPT_END(),
	};
	int n = opt_parse(&bisect_cmd, opts, argc, argv);

	if (n == OPT_HELP)
		return 1;
	if (n < 0)
		return -1;
	if (n > 0)
		return opt_error(&bisect_cmd,
				 "bisect takes only options; %d other argument(s) given", n);
	if (a->versions && (a->good || a->bad || a->g.a.repo))
		return opt_error(&bisect_cmd, "--versions excludes --good, --bad and --repo");
	if (!a->versions && (!a->good || !a->bad))
		return opt_error(&bisect_cmd, "--good and --bad are required (or --versions)");
	/* --good and --bad are git revisions: of the current directory's
	 * repository unless --repo says otherwise (what history's alerts print) */
	if (!a->versions && !a->g.a.repo)
		a->g.a.repo = ".";
	return 0;
}

/* --versions: split at commas into v (pointing into *storage). -1 after a
 * usage error. */
static int split_versions(const char *s, char **storage, const char **v, size_t *n)
{
	char *p;

	*storage = xstrdup(s);
	*n = 0;
	for (p = *storage; p;) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (!*p)
			return opt_error(&bisect_cmd, "--versions: an empty version in '%s'", s);
		if (*n == MAX_VERSIONS)
			return opt_error(&bisect_cmd, "--versions: at most %d", MAX_VERSIONS);
		v[(*n)++] = p;
		p = comma ? comma + 1 : NULL;
	}
	if (*n < 2)
		return opt_error(&bisect_cmd, "--versions: at least a good and a bad version");
	return 0;
}

int cmd_bisect(int argc, char **argv)
{
	struct bisect_args a;
	struct gate *g = &a.g;
	struct bisect b;
	const char **versions = xcalloc(MAX_VERSIONS, sizeof(*versions));
	char *storage = NULL;
	size_t nversions = 0;
	int ret = EXIT_USAGE;

	memset(&a, 0, sizeof(a));
	gate_init(g, &bisect_cmd);
	bisect_init(&b, g);
	switch (parse_args(&a, argc, argv)) {
	case 1: ret = EXIT_PASS; goto out;
	case -1: goto out;
	}
	if (a.versions && split_versions(a.versions, &storage, versions, &nversions) < 0)
		goto out;
	if ((ret = gate_configure(g)))
		goto out;
	if ((ret = gate_start(g)))
		goto out;
	b.good = a.good;
	b.bad = a.bad;
	b.versions = versions;
	b.nversions = nversions;
	b.checks = a.checks;
	b.nchecks = a.nchecks;
	b.no_reuse = a.no_reuse;
	ret = bisect_run(&b);
out:
	bisect_release(&b);
	gate_release(g);
	free(versions);
	free(storage);
	return ret;
}
