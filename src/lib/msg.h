#ifndef SPIN_GATE_MSG_H
#define SPIN_GATE_MSG_H
/*
 * msg: one-line diagnostics on stderr with a fixed prefix (after git's usage.c).
 *
 *   spin-gate: error: cannot read 'thresholds.json': No such file or directory
 *   spin-gate: warning: runner is noisy
 *
 * Messages are lower case with no full stop; name the subject in quotes and
 * what failed first. error() returns -1 so callers can `return error(...)`.
 * Nothing here exits; only main decides the exit code.
 *
 * What is printed is sanitized: control characters other than tab (newlines,
 * carriage returns, escape sequences) become '?', so text from a server or a
 * benchmarked command cannot forge lines or terminal state. A message longer
 * than MSG_MAX - 1 bytes is cut and ends in "...".
 *
 * Secrets registered with msg_add_secret() (the GitHub token, as soon as
 * post reads it) are replaced by "***" in everything printed here, before
 * the cut, so a server that echoes the token back (a 401 quoting the
 * Authorization header) cannot get it onto a terminal or into a log that
 * nothing masks. actions.c sends workflow commands, outputs and the job
 * summary through msg_redact() too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define MSG_MAX 8192

int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* error() with ": strerror(errno)" appended. */
int error_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress and notes: "spin-gate: ..." unless quiet. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A line without the prefix, even when quiet: "see 'spin-gate run --help'". */
void msg_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * One line of someone else's text (a log's tail, a server's reply), indented
 * by four spaces under the message it explains, sanitized as above. Printed
 * whether or not quiet.
 */
void msg_quote(const char *s, size_t len);

/*
 * Register a secret to redact: a copy is kept for the rest of the process.
 * Strings shorter than MSG_SECRET_MIN bytes are ignored (redacting "abc"
 * everywhere would garble messages and hide nothing); so is a secret
 * already registered. At most MSG_SECRETS_MAX are kept; past that the call
 * is ignored and returns -1 (0 otherwise).
 */
#define MSG_SECRET_MIN	8
#define MSG_SECRETS_MAX 8
int msg_add_secret(const char *secret);
/* Forget every registered secret (tests). */
void msg_clear_secrets(void);
/*
 * s[0..len) with every occurrence of a registered secret replaced by "***":
 * a new NUL-terminated string the caller frees, its length in *out_len
 * (when not NULL). Never longer than len.
 */
char *msg_redact(const char *s, size_t len, size_t *out_len);

/* Call fn(ctx) before anything is printed (measure's live progress line
 * clears itself so a message never lands in the middle of it); NULL: none. */
void msg_set_before(void (*fn)(void *ctx), void *ctx);

/* Redirect all messages (tests); NULL restores stderr. */
void msg_set_stream(FILE *f);
/* While held, error() prints nothing but still counts and still sets
 * msg_last_error(): for a caller that says it otherwise (a record skipped
 * with a warning naming it). 1 holds, 0 lets them print again. */
void msg_hold_errors(int hold);
/* Suppress note() (errors and warnings still print). */
void msg_set_quiet(int quiet);
/*
 * The text of the last error() or error_errno(), as printed but without the
 * "spin-gate: error: " prefix (sanitized, redacted, cut); "" before any.
 * Borrowed: valid until the next error. For a caller that must also write
 * why something failed elsewhere (a scenario's log, the verdict).
 */
const char *msg_last_error(void);
/* Count of error() calls so far (tests). */
unsigned msg_error_count(void);

#endif
