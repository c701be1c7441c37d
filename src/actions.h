#ifndef SPIN_GATE_ACTIONS_H
#define SPIN_GATE_ACTIONS_H
/*
 * actions: the GitHub Actions runner interface, and the only writer of it:
 * workflow commands on stdout (::add-mask::, ::error::, ::warning::,
 * ::group::), step outputs ($GITHUB_OUTPUT) and the job summary
 * ($GITHUB_STEP_SUMMARY).
 *
 * Escaping is the runner's documented one. Message data: % -> %25,
 * \r -> %0D, \n -> %0A. Property values (title=, file=): the same, plus
 * : -> %3A and , -> %2C. So text from outside (a scenario name, a note)
 * cannot end a command early or start another.
 *
 * Outputs: `name=value` when the value is one line; otherwise the
 * multi-line form
 *
 *   name<<ghadelimiter_<32 random hex digits>
 *   value
 *   ghadelimiter_<same>
 *
 * with a delimiter that is checked not to occur in the value.
 *
 * Nothing here fails when not running under Actions: without the variables,
 * outputs and the summary are skipped (return 0) and commands still print
 * (they are harmless text elsewhere), except ::add-mask::, which is only
 * printed when GITHUB_ACTIONS is "true" so a secret never reaches a
 * terminal or a log that would not mask it.
 */
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "github_limits.h"

enum actions_level {
	ACTIONS_NOTICE,
	ACTIONS_WARNING,
	ACTIONS_ERROR,
};

/* Where commands go: stdout unless set (tests). NULL restores stdout. */
void actions_set_stream(FILE *f);

/* 1 when $GITHUB_ACTIONS is "true". */
int actions_enabled(void);

void actions_escape_data(struct buf *out, const char *s);
void actions_escape_property(struct buf *out, const char *s);

/* ::error title=TITLE::MESSAGE (title may be NULL). */
void actions_annotate(enum actions_level level, const char *title, const char *message);
/* ::add-mask::VALUE, under Actions only (see above). */
void actions_add_mask(const char *secret);
void actions_group_begin(const char *title);
void actions_group_end(void);

/*
 * Append one output to the file named by $GITHUB_OUTPUT. `name` must be
 * [A-Za-z0-9_-]+. Returns 0 (also when the variable is unset), or -1 after
 * error().
 */
int actions_output(const char *name, const char *value);
/* The same, writing to `path` (tests). */
int actions_output_to(const char *path, const char *name, const char *value);

/*
 * Append markdown to $GITHUB_STEP_SUMMARY, keeping the file within
 * ACTIONS_SUMMARY_MAX bytes (github_limits.h): text that does not fit is cut on a UTF-8 and
 * line boundary with a note. 0 (also when unset), or -1 after error().
 */
int actions_summary_append(const char *md, size_t len);
int actions_summary_append_to(const char *path, const char *md, size_t len, size_t max);

/* A fresh "ghadelimiter_<hex>" not occurring in `value`. Caller frees. */
char *actions_delimiter(const char *value);

#endif
