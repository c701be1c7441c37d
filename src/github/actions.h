#ifndef SPIN_GATE_ACTIONS_H
#define SPIN_GATE_ACTIONS_H
/*
 * actions: the GitHub Actions runner interface, and the only writer of it:
 * workflow commands on stdout (::add-mask::, ::error::, ::warning::,
 * ::group::), step outputs ($GITHUB_OUTPUT) and the job summary
 * ($GITHUB_STEP_SUMMARY); and the only reader of what the runner tells a
 * step: its GITHUB_* variables and the event payload they name, loaded
 * once into a struct actions_env (actions_env_load()).
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
 * Secrets registered with msg_add_secret() (msg.h) are replaced by "***" in
 * every command (title and message), output value and summary text written
 * here, except in ::add-mask::, whose point is to name the secret.
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
#include "event.h"
#include "github_limits.h"

/*
 * The runner's environment for one step. Every string is a copy owned by
 * the struct, NULL when the variable is unset or empty.
 */
struct actions_env {
	int enabled;	    /* GITHUB_ACTIONS is "true" */
	char *api_url;	    /* GITHUB_API_URL: the REST API root */
	char *server_url;   /* GITHUB_SERVER_URL: "https://github.com" */
	char *repository;   /* GITHUB_REPOSITORY: "owner/name" */
	char *run_id;	    /* GITHUB_RUN_ID */
	char *sha;	    /* GITHUB_SHA: the commit the workflow runs on */
	char *actor;	    /* GITHUB_ACTOR: who triggered it */
	char *event_name;   /* GITHUB_EVENT_NAME */
	char *event_path;   /* GITHUB_EVENT_PATH: the payload, a JSON file */
	char *output;	    /* GITHUB_OUTPUT: the step outputs' file */
	char *step_summary; /* GITHUB_STEP_SUMMARY: the job summary's file */
	/* The payload, once actions_env_read_event() has read it; empty
	 * (pr 0, no shas) before, or when there is none. */
	struct event event;
};

void actions_env_init(struct actions_env *env);
/* Fill env from the process environment (env is initialised first). */
void actions_env_load(struct actions_env *env);
void actions_env_release(struct actions_env *env);

/* Parse the payload at env->event_path into env->event. 0 when there is
 * none to read, or -1 after error() (cannot read it, not JSON, malformed
 * pull request fields). */
int actions_env_read_event(struct actions_env *env);

/* The workflow run's page, "SERVER/OWNER/NAME/actions/runs/ID", or NULL
 * when a variable is missing. Caller frees. */
char *actions_env_run_url(const struct actions_env *env);

enum actions_level {
	ACTIONS_NOTICE,
	ACTIONS_WARNING,
	ACTIONS_ERROR,
};

/* Where commands go: stdout unless set (tests). NULL restores stdout. */
void actions_set_stream(FILE *f);

void actions_escape_data(struct buf *out, const char *s);
void actions_escape_property(struct buf *out, const char *s);

/* ::error title=TITLE::MESSAGE (title may be NULL). */
void actions_annotate(enum actions_level level, const char *title, const char *message);
/* ::add-mask::VALUE, under Actions (env->enabled) only (see above). */
void actions_add_mask(const struct actions_env *env, const char *secret);
void actions_group_begin(const char *title);
void actions_group_end(void);

/*
 * Append one output to the file named by $GITHUB_OUTPUT (env->output).
 * `name` must be [A-Za-z0-9_-]+. Returns 0 (also when the variable is
 * unset), or -1 after error().
 */
int actions_output(const struct actions_env *env, const char *name, const char *value);
/* The same, writing to `path` (tests). */
int actions_output_to(const char *path, const char *name, const char *value);

/*
 * Append markdown to $GITHUB_STEP_SUMMARY (env->step_summary), keeping the
 * file within ACTIONS_SUMMARY_MAX bytes (github_limits.h): text that does
 * not fit is cut on a UTF-8 and line boundary with a note. 0 (also when
 * unset), or -1 after error().
 */
int actions_summary_append(const struct actions_env *env, const char *md, size_t len);
int actions_summary_append_to(const char *path, const char *md, size_t len, size_t max);

/* A fresh "ghadelimiter_<hex>" not occurring in `value`. Caller frees. */
char *actions_delimiter(const char *value);

#endif
