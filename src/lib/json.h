#ifndef SPIN_GATE_JSON_H
#define SPIN_GATE_JSON_H
/*
 * json: the one place that parses and writes JSON files (a thin layer on cJSON).
 *
 * Trees are cJSON trees; whoever gets a root from json_parse*() owns it and
 * frees it with cJSON_Delete(). Getters borrow: returned strings live as long
 * as the tree.
 *
 * Error messages name the file and where in it: "cannot read 'thresholds.json':
 * line 4, column 7: invalid JSON" or "'thresholds.json': checks[2].value:
 * expected a number". `where` arguments are that path prefix ("checks[2]").
 */
#include <cjson/cJSON.h>

/*
 * Besides being valid JSON, parsed text must not have an object with the
 * same key twice (cJSON would keep both and lookups see the first: "cannot
 * read 'f.json': line 3, column 3: duplicate key 'name' in parameters[0]")
 * nor a "\u0000" in a string (a C string would end there: "line 1, column
 * 9: name: \u0000 in a string").
 *
 * JSON_PARSE_UTF8 also requires every string and key to be valid UTF-8
 * ("line 2, column 11: name: invalid UTF-8"), for files people write
 * (suite.json, thresholds.json), so that a bad byte is reported with its
 * field before anything uses it. Files spin-gate writes itself may carry
 * what a command printed, byte for byte, and are read without it.
 */
enum json_parse_flags {
	JSON_PARSE_BYTES = 0,
	JSON_PARSE_UTF8 = 1,
};

/* Parse a file. NULL after error() when it cannot be read or parsed. */
cJSON *json_parse_file(const char *path);
cJSON *json_parse_file_flags(const char *path, enum json_parse_flags flags);
/* Parse text; `name` names it in messages. NULL after error(). */
cJSON *json_parse_text(const char *text, size_t len, const char *name);
cJSON *json_parse_text_flags(const char *text, size_t len, const char *name,
			     enum json_parse_flags flags);

/* 1 when s[0..len) is valid UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF), else 0. */
int json_utf8_valid(const char *s, size_t len);

enum write_sync {
	/* fsync before the rename: the file survives the machine's crash */
	WRITE_DURABLE = 0,
	/* no fsync: still atomic for every reader and against the gate's own
	 * death, at no I/O wait; for checkpoints rewritten after every run */
	WRITE_CHECKPOINT = 1,
};

/*
 * Write `root` to `path` atomically: a temporary file in the same directory,
 * (fsync,) rename. A reader sees the old file or the new one, never half.
 * Returns 0, or -1 after error().
 */
int json_write_file_atomic(const char *path, const cJSON *root, enum write_sync sync);
/* Write any bytes atomically (same guarantees as above). */
int file_write_atomic(const char *path, const char *data, size_t len, enum write_sync sync);

enum json_need {
	JSON_OPTIONAL = 0,
	JSON_REQUIRED = 1,
};

/*
 * Typed member lookup. Return 0 when found (out set) or when optional and
 * absent (out untouched); -1 after error() when required and absent or of the
 * wrong type. `file` and `where` only name the place in messages.
 */
int json_get_string(const cJSON *obj, const char *key, const char **out, enum json_need need,
		    const char *file, const char *where);
int json_get_number(const cJSON *obj, const char *key, double *out, enum json_need need,
		    const char *file, const char *where);
int json_get_bool(const cJSON *obj, const char *key, int *out, enum json_need need,
		  const char *file, const char *where);
/* Object or array member; `type` is cJSON_Object or cJSON_Array. */
int json_get_node(const cJSON *obj, const char *key, int type, const cJSON **out,
		  enum json_need need, const char *file, const char *where);

/* Scalar as text: strings as they are, integers without a fraction, other
 * numbers in the shortest %g (15 to 17 digits) that reads back as the same
 * double ("0.1"), booleans as true/false. Caller frees. NULL for other types. */
char *json_scalar_text(const cJSON *v);

/* Add a string, or null when v is NULL. */
void json_add_string_or_null(cJSON *obj, const char *key, const char *v);
/* Add a number, or null when it is not finite (JSON has no NaN). */
void json_add_number_or_null(cJSON *obj, const char *key, double v);
/* Read a number that may be null: NaN when null or absent. */
double json_number_or_nan(const cJSON *obj, const char *key);

#endif
