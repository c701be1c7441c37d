#ifndef SPIN_GATE_STATUS_H
#define SPIN_GATE_STATUS_H
/*
 * status: the one table of the status vocabulary. An outcome of a check and
 * the verdict of a whole gate are each one of these; every spelling of a
 * status lives in status.c, one row per status:
 *
 *   status        name (results.json,  word (verdict   verb (counts,   check-run    exit code
 *                 tables, outputs)     line)            annotations)    conclusion
 *   pass          "pass"               "PASS"           "passed"        success      0 EXIT_PASS
 *   fail          "fail"               "FAIL"           "failed"        failure      1 EXIT_FAIL
 *   inconclusive  "inconclusive"       "INCONCLUSIVE"   "inconclusive"  neutral      3 EXIT_INCONCLUSIVE
 *   error         "error"              "ERROR"          "errored"       failure      4 EXIT_RUN_ERROR
 *   skipped       "skipped"            "SKIPPED"        "skipped"       neutral      0 EXIT_PASS
 *
 * A verdict is never "skipped" (judge counts skipped outcomes as nothing);
 * its row is there so that every value of the enum has every spelling.
 * The conclusions are GitHub's check-run conclusions (REST "Create a check
 * run": success, failure, neutral, ...).
 *
 * Pure: no I/O, no allocation. Out-of-range values give "unknown"
 * ("UNKNOWN", "unknown", neutral, EXIT_RUN_ERROR) rather than crash.
 */

/*
 * The process exit codes of every command (documented in each --help and
 * docs/cli.md); a status maps to one with status_exit_code():
 *
 *   0  pass                 3  inconclusive
 *   1  a check failed       4  a revision or scenario could not be prepared or run
 *   2  usage or configuration error (bad flag, malformed thresholds.json)
 *   5  posting to GitHub failed (the verdict itself was still written)
 *   130/143  interrupted by SIGINT/SIGTERM (what was measured is kept, marked incomplete)
 */
enum exit_code {
	EXIT_PASS = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_INCONCLUSIVE = 3,
	EXIT_RUN_ERROR = 4,
	EXIT_POST_ERROR = 5,
};

enum status {
	STATUS_PASS,
	STATUS_FAIL,
	STATUS_INCONCLUSIVE,
	STATUS_ERROR,
	STATUS_SKIPPED,
};
#define STATUS_COUNT 5

/* "pass", "fail", "inconclusive", "error", "skipped". */
const char *status_name(enum status s);
/* Upper case, for the verdict line: "PASS", "FAIL", ... */
const char *status_word(enum status s);
/* Past tense, for counts and annotation titles: "passed", "failed",
 * "inconclusive", "errored", "skipped". */
const char *status_verb(enum status s);
/* GitHub's check-run conclusion for a verdict: "success", "failure", "neutral". */
const char *status_conclusion(enum status s);
/* The process exit code for a verdict, a value of enum exit_code (above). */
int status_exit_code(enum status s);

/* The status named `name` (status_name()'s spelling, exact). 0, or -1
 * (no message) when `name` is no status. */
int status_parse(const char *name, enum status *out);

#endif
