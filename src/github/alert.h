#ifndef SPIN_GATE_ALERT_H
#define SPIN_GATE_ALERT_H
/*
 * alert: a history's regressions as GitHub issues (`spin-gate history
 * --alert`, docs/history.md). For each series a check guards
 * (series_bad_direction()), its last change point in the bad direction is
 * the one alerted on, one issue per series (suite, scenario, metric, runner
 * kind), found again by its marker (render_alert.h):
 *
 *   - an open issue of the series: its body is updated (PATCH), never a
 *     second issue;
 *   - none open, and no closed one about the same change point (a person
 *     closed it: it is not opened again): a new issue (POST);
 *   - a later change point in the good direction undoes it: no new issue;
 *     on the open issue about it, one comment saying so (found again by its
 *     own marker, so it is posted once).
 *
 * Issues are listed with GET /repos/{repo}/issues?state=all (pull requests
 * skipped), at most ALERT_MAX_PAGES pages of 100. Only issues by `author`
 * count, when it is known (--author, else github-actions[bot] for Actions'
 * GITHUB_TOKEN); a POST whose outcome is unknown lists again before any
 * retry (github_request_recheck()), so a lost reply does not duplicate.
 *
 * Needs the token's `issues: write`. GitHub's 403 (Resource not accessible
 * by integration) is a warning and an annotation, the alert's markdown goes
 * to the job summary ($GITHUB_STEP_SUMMARY), and the return is EXIT_PASS:
 * the history was read and judged, only the issue could not be written.
 * Any other failure: EXIT_POST_ERROR after error().
 */
#include "series.h"

#define ALERT_MAX_PAGES 20

struct alert_opts {
	const char *name;      /* gate name; NULL: "spin-gate" */
	const char *token_env; /* the variable holding the token ("GITHUB_TOKEN") */
	const char *api_url;   /* overrides $GITHUB_API_URL, or NULL */
	const char *author;    /* the token's login, or NULL (above) */
};

/*
 * Alert on every series of `set` that is guarded by a check of t and has a
 * change point in the bad direction. Prints one line per issue opened,
 * updated or commented on (stdout) and a note for each series left alone.
 * Returns an exit code (status.h), as above.
 */
int alert_run(const struct series_set *set, const struct thresholds *t, const struct alert_opts *o);

/*
 * What to do for one series (pure, for tests): *cp the change point to
 * alert on (its index in s->cps) and *undo the later one that undoes it
 * (SIZE_MAX when none). 0 when there is nothing to alert on.
 */
int alert_pick(const struct series *s, unsigned bad, size_t *cp, size_t *undo);

#endif
