/*
 * spin-gate history: a history's records -> series and their change points
 * (series.h), printed, as --json, as history.html, and as alerts (issues).
 * Runs nothing but git (through the store, for --branch).
 */
#include "alert.h"
#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "json.h"
#include "msg.h"
#include "opt.h"
#include "plan.h"
#include "post.h"
#include "render_history.h"
#include "revision.h"
#include "series.h"
#include "store.h"
#include "thresholds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_MAX_FILTERS 32

static const struct opt_cmd history_cmd = {
	.name = "history",
	.synopsis = "spin-gate history [--history DIR | --branch NAME [--remote R] [--repo PATH]]\n"
		    "                  [--json] [--report FILE] [--alert] [--only NAME=VALUE]...",
	.description =
		"Read a history's records (spin-gate record) and find where each scenario's\n"
		"metrics stepped: one series per suite, scenario, metric and runner kind (runner\n"
		"kinds are never mixed), in commit-date order, with its change points. Prints\n"
		"one line per change point; --json prints every series and its change points\n"
		"for scripts; --report writes history.html (an SVG per series, each point\n"
		"linked to its commit). --alert opens or updates one GitHub issue per series\n"
		"whose last change point is in a check's bad direction (docs/history.md).\n"
		"A record file that cannot be read is skipped with a warning naming it.\n",
	.footer = "exit status: 0 read (whatever the change points; also when --alert met a\n"
		  "token without 'issues: write': a warning, the alert in the job summary),\n"
		  "2 usage error or thresholds that cannot be read, 4 the history cannot be\n"
		  "read or the page cannot be written, 5 an issue could not be opened or updated\n",
};

struct history_args {
	struct plan_filter filters[HISTORY_MAX_FILTERS];
	char *storage[HISTORY_MAX_FILTERS];
	size_t nfilters;
};

static int parse_only(const struct opt *o, const char *arg)
{
	struct history_args *a = o->value;

	if (a->nfilters == HISTORY_MAX_FILTERS)
		return error("--only: at most %d filters", HISTORY_MAX_FILTERS);
	if (plan_filter_parse(arg, &a->filters[a->nfilters], &a->storage[a->nfilters]) < 0)
		return -1;
	a->nfilters++;
	return 0;
}

/* GITHUB_SERVER_URL/GITHUB_REPOSITORY/commit/, when both look right. */
static char *commit_url(void)
{
	const char *server = getenv("GITHUB_SERVER_URL"), *repo = getenv("GITHUB_REPOSITORY");
	const char *p;

	if (!server || !repo || !*repo || !strchr(repo, '/') ||
	    (strncmp(server, "https://", 8) && strncmp(server, "http://", 7)))
		return NULL;
	for (p = repo; *p; p++)
		if (!(*p == '/' || *p == '-' || *p == '_' || *p == '.' ||
		      (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= 'A' && *p <= 'Z')))
			return NULL;
	for (p = server; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("\"'<>`\\", *p))
			return NULL;
	return xstrfmt("%s/%s/commit/", server, repo);
}

static int open_store(struct store *st, const char *dir, const char *branch, const char *remote,
		      const char *repo, const char *cache)
{
	char *c = NULL;
	int rc;

	if (dir)
		return store_open_dir(st, dir);
	c = cache ? xstrdup(cache) : revision_default_cache();
	rc = store_open_branch(st, repo, remote, branch, c);
	free(c);
	return rc;
}

int cmd_history(int argc, char **argv)
{
	const char *dir = NULL, *branch = NULL, *remote = NULL, *repo = NULL, *cache = NULL;
	const char *thresholds = NULL, *report = NULL, *name = NULL, *author = NULL;
	const char *token_env = "GITHUB_TOKEN";
	int json = 0, alert = 0;
	struct history_args ha = { 0 };
	const struct opt opts[] = {
		OPT_STRING("history", 0, &dir, "DIR", "the records in a plain directory"),
		OPT_STRING("branch", 0, &branch, "NAME",
			   "the records on this branch of the repository\n"
			   "(default: " STORE_DEFAULT_BRANCH ", when --history is not given)"),
		OPT_STRING("remote", 0, &remote, "R", "the branch's remote (default: origin)"),
		OPT_STRING("repo", 0, &repo, "PATH",
			   "the repository holding the branch (default: the\n"
			   "current directory's)"),
		OPT_STRING("cache", 0, &cache, "DIR", "where the branch's worktree is kept"),
		OPT_STRING("thresholds", 0, &thresholds, "FILE",
			   "the checks that say which way is bad, and the\n"
			   "\"history\" levels (default: spin-gate/thresholds.json,\n"
			   "else the gate's own)"),
		OPT_FLAG("json", 0, &json, "print the series and change points as JSON"),
		OPT_STRING("report", 0, &report, "FILE", "write history.html there"),
		OPT_FLAG("alert", 0, &alert,
			 "open or update a GitHub issue per regressed series\n"
			 "(needs 'issues: write')"),
		OPT_CALLBACK("only", 0, &ha, "NAME=VALUE", parse_only,
			     "only scenarios with this parameter value (repeatable)"),
		OPT_GATE_NAME(&name, "the gate's name in the page and the issues' markers"),
		OPT_STRING("author", 0, &author, "LOGIN",
			   "--alert: the token's login, whose issues are updated\n"
			   "(default: github-actions[bot] for Actions' GITHUB_TOKEN)"),
		OPT_TOKEN_ENV(&token_env, "--alert: the variable holding the token\n"
					  "(default: GITHUB_TOKEN)"),
		OPT_END(),
	};
	struct thresholds t = { 0 };
	struct store st;
	struct record *recs = NULL;
	struct series_set set = { 0 };
	struct render_history_opts ro = { 0 };
	struct buf out = BUF_INIT;
	char *tpath = NULL, *curl = NULL;
	size_t nrecs = 0, i;
	int n, ret = EXIT_USAGE, store_open = 0;

	memset(&st, 0, sizeof(st));
	n = opt_parse(&history_cmd, opts, argc, argv);
	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		goto out;
	if (n > 0) {
		opt_error(&history_cmd, "unexpected argument '%s'", argv[0]);
		goto out;
	}
	if (dir && (branch || remote || repo)) {
		opt_error(&history_cmd, "--history DIR and --branch/--remote/--repo exclude "
					"each other");
		goto out;
	}
	/* a reader makes no directory: a mistyped DIR would read as no records, exit 0 */
	if (dir && !fs_exists(dir)) {
		error("no history at '%s' (spin-gate record --history %s writes one)", dir, dir);
		goto out;
	}
	tpath = thresholds ? xstrdup(thresholds) : config_default_thresholds("spin-gate");
	if (thresholds_load(&t, tpath) < 0)
		goto out;
	if (open_store(&st, dir, branch, remote, repo, cache) < 0) {
		ret = EXIT_RUN_ERROR;
		goto out;
	}
	store_open = 1;
	if (store_load(&st, &recs, &nrecs) < 0) {
		ret = EXIT_RUN_ERROR;
		goto out;
	}
	if (series_build(&set, recs, nrecs, series_options_thresholds, &t) < 0) {
		ret = EXIT_RUN_ERROR;
		goto out;
	}
	series_filter(&set, ha.filters, ha.nfilters);
	curl = commit_url();
	ro.name = name;
	ro.commit_url = curl;
	ro.t = &t;
	if (json)
		render_history_json(&out, &set, &ro);
	else
		render_history_text(&out, &set, &ro);
	fputs(out.s, stdout);
	fflush(stdout);
	if (report) {
		buf_reset(&out);
		render_history_html(&out, &set, &ro);
		if (file_write_atomic(report, out.s, out.len, WRITE_DURABLE) < 0) {
			ret = EXIT_RUN_ERROR;
			goto out;
		}
		note("wrote %s (%zu series)", report, set.n);
	}
	ret = EXIT_PASS;
	if (alert) {
		struct alert_opts ao = { name, token_env, NULL, author };

		ret = alert_run(&set, &t, &ao);
	}
out:
	series_set_release(&set);
	for (i = 0; i < nrecs; i++)
		record_release(&recs[i]);
	free(recs);
	if (store_open)
		store_release(&st);
	for (i = 0; i < ha.nfilters; i++)
		free(ha.storage[i]);
	thresholds_release(&t);
	buf_release(&out);
	free(tpath);
	free(curl);
	return ret;
}
