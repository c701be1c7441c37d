/*
 * status: the status vocabulary, one row per status. See status.h.
 */
#include "status.h"

#include <string.h>

struct status_row {
	const char *name;
	const char *word;
	const char *verb;
	const char *conclusion;
	enum exit_code exit_code;
};

static const struct status_row rows[STATUS_COUNT] = {
	[STATUS_PASS] = { "pass", "PASS", "passed", "success", EXIT_PASS },
	[STATUS_FAIL] = { "fail", "FAIL", "failed", "failure", EXIT_FAIL },
	[STATUS_INCONCLUSIVE] = { "inconclusive", "INCONCLUSIVE", "inconclusive", "neutral",
				  EXIT_INCONCLUSIVE },
	[STATUS_ERROR] = { "error", "ERROR", "errored", "failure", EXIT_RUN_ERROR },
	[STATUS_SKIPPED] = { "skipped", "SKIPPED", "skipped", "neutral", EXIT_PASS },
};

static const struct status_row unknown = { "unknown", "UNKNOWN", "unknown", "neutral",
					   EXIT_RUN_ERROR };

static const struct status_row *row(enum status s)
{
	return (unsigned)s < STATUS_COUNT ? &rows[s] : &unknown;
}

const char *status_name(enum status s)
{
	return row(s)->name;
}

const char *status_word(enum status s)
{
	return row(s)->word;
}

const char *status_verb(enum status s)
{
	return row(s)->verb;
}

const char *status_conclusion(enum status s)
{
	return row(s)->conclusion;
}

int status_exit_code(enum status s)
{
	return (int)row(s)->exit_code;
}

int status_parse(const char *name, enum status *out)
{
	int i;

	for (i = 0; i < STATUS_COUNT; i++) {
		if (!strcmp(name, rows[i].name)) {
			*out = (enum status)i;
			return 0;
		}
	}
	return -1;
}
