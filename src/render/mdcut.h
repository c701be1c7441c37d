#ifndef SPIN_GATE_MDCUT_H
#define SPIN_GATE_MDCUT_H
/*
 * mdcut: cut a markdown text to a size limit (github_limits.h) without
 * breaking it: never inside a UTF-8 character, on a line end where
 * possible, keeping what a reader needs first, closing what it opened.
 * Pure: no I/O; the results are the caller's to free.
 *
 * Used by post for the comment and the check run's summary, and by actions
 * for the job summary (mdcut_utf8()).
 */
#include <stddef.h>

/*
 * Cut markdown `body` to at most `max` bytes (GitHub counts characters;
 * bytes are never fewer, so the result always fits), on a UTF-8 and, where
 * possible, line boundary. Kept first: the marker line, the verdict line (the
 * first non-blank line after it), and, of every table, its header and the
 * rows that say "fail" or "error"; then the other lines in order while they
 * fit; a ```mermaid block is kept whole or left out (with what follows it),
 * never cut inside. Open <details> and code fences are closed (a fence with the
 * character and length that opened it). A note says the text was
 * cut to fit GitHub's limit of GITHUB_COMMENT_MAX characters and where the
 * full report is (`report_url`, or the job summary when NULL). Returns a
 * copy when it already fits. Caller frees.
 */
char *mdcut_truncate(const char *body, size_t max, const char *report_url);

/*
 * Where to cut `s` (of `len` bytes) to keep at most `max` bytes without
 * splitting a UTF-8 character: the largest n <= max with n == len or s[n] not
 * a continuation byte (looking back at most 3 bytes, so invalid input still
 * makes progress).
 */
size_t mdcut_utf8(const char *s, size_t len, size_t max);

#endif
