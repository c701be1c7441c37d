#include "json.h"

#include "buf.h"
#include "msg.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void position(const char *text, const char *at, int *line, int *col)
{
	const char *p;

	*line = 1;
	*col = 1;
	for (p = text; p < at && *p; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

cJSON *json_parse_text(const char *text, size_t len, const char *name)
{
	struct buf copy = BUF_INIT;
	const char *end = NULL;
	cJSON *root;
	int line, col;

	/* JSON text never holds a raw NUL; cJSON would end a string there and
	 * accept "\0x" as "" (found by fuzz/fuzz_suite.c). */
	if (memchr(text, '\0', len)) {
		error("cannot read '%s': contains a NUL byte", name);
		return NULL;
	}
	/* cJSON wants the terminating NUL inside the length to accept the end of
	 * input; a copy also makes text without a NUL (fuzzers) safe. */
	buf_add(&copy, text, len);
	root = cJSON_ParseWithLengthOpts(copy.s, copy.len + 1, &end, 1);
	if (root)
		goto out;
	if (!end || end < copy.s)
		end = copy.s;
	position(copy.s, end, &line, &col);
	if ((size_t)(end - copy.s) >= len)
		error("cannot read '%s': line %d, column %d: unexpected end of JSON", name, line,
		      col);
	else
		error("cannot read '%s': line %d, column %d: invalid JSON", name, line, col);
out:
	buf_release(&copy);
	return root;
}

cJSON *json_parse_file(const char *path)
{
	struct buf b = BUF_INIT;
	cJSON *root = NULL;

	if (buf_read_file(&b, path) < 0) {
		error_errno("cannot read '%s'", path);
		goto out;
	}
	root = json_parse_text(b.s, b.len, path);
out:
	buf_release(&b);
	return root;
}

int file_write_atomic(const char *path, const char *data, size_t len, enum write_sync sync)
{
	struct buf tmp = BUF_INIT;
	int fd = -1, ret = -1;
	size_t off = 0;

	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error_errno("cannot write '%s'", tmp.s);
		goto out;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error_errno("cannot write '%s'", tmp.s);
			goto out;
		}
		off += (size_t)n;
	}
	if (sync == WRITE_DURABLE && fsync(fd) < 0) {
		error_errno("cannot sync '%s'", tmp.s);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		error_errno("cannot close '%s'", tmp.s);
		goto out;
	}
	fd = -1;
	if (rename(tmp.s, path) < 0) {
		error_errno("cannot rename '%s' to '%s'", tmp.s, path);
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret < 0)
		unlink(tmp.s);
	buf_release(&tmp);
	return ret;
}

int json_write_file_atomic(const char *path, const cJSON *root, enum write_sync sync)
{
	char *text = cJSON_Print(root);
	struct buf b = BUF_INIT;
	int ret;

	if (!text)
		return error("cannot write '%s': out of memory formatting JSON", path);
	buf_adds(&b, text);
	buf_addch(&b, '\n');
	free(text);
	ret = file_write_atomic(path, b.s, b.len, sync);
	buf_release(&b);
	return ret;
}

static const char *type_name(int type)
{
	switch (type) {
	case cJSON_Object: return "an object";
	case cJSON_Array: return "an array";
	case cJSON_String: return "a string";
	case cJSON_Number: return "a number";
	default: return "true or false";
	}
}

static int lookup(const cJSON *obj, const char *key, const cJSON **out, enum json_need need,
		  const char *file, const char *where)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = v;
	if (v && !cJSON_IsNull(v))
		return 1;
	*out = NULL;
	if (need == JSON_REQUIRED)
		return error("'%s': %s%s%s: missing", file, where ? where : "",
			     where && *where ? "." : "", key);
	return 0;
}

static int wrong_type(const char *file, const char *where, const char *key, int type)
{
	return error("'%s': %s%s%s: expected %s", file, where ? where : "",
		     where && *where ? "." : "", key, type_name(type));
}

int json_get_string(const cJSON *obj, const char *key, const char **out, enum json_need need,
		    const char *file, const char *where)
{
	const cJSON *v;
	int r = lookup(obj, key, &v, need, file, where);

	if (r <= 0)
		return r;
	if (!cJSON_IsString(v))
		return wrong_type(file, where, key, cJSON_String);
	*out = v->valuestring;
	return 0;
}

int json_get_number(const cJSON *obj, const char *key, double *out, enum json_need need,
		    const char *file, const char *where)
{
	const cJSON *v;
	int r = lookup(obj, key, &v, need, file, where);

	if (r <= 0)
		return r;
	if (!cJSON_IsNumber(v))
		return wrong_type(file, where, key, cJSON_Number);
	*out = v->valuedouble;
	return 0;
}

int json_get_bool(const cJSON *obj, const char *key, int *out, enum json_need need,
		  const char *file, const char *where)
{
	const cJSON *v;
	int r = lookup(obj, key, &v, need, file, where);

	if (r <= 0)
		return r;
	if (!cJSON_IsBool(v))
		return wrong_type(file, where, key, cJSON_True);
	*out = cJSON_IsTrue(v);
	return 0;
}

int json_get_node(const cJSON *obj, const char *key, int type, const cJSON **out,
		  enum json_need need, const char *file, const char *where)
{
	const cJSON *v;
	int r = lookup(obj, key, &v, need, file, where);

	if (r <= 0)
		return r;
	if ((type == cJSON_Object && !cJSON_IsObject(v)) ||
	    (type == cJSON_Array && !cJSON_IsArray(v)))
		return wrong_type(file, where, key, type);
	*out = v;
	return 0;
}

char *json_scalar_text(const cJSON *v)
{
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		int prec;

		if (d == (double)(long long)d && fabs(d) < 1e15)
			return xstrfmt("%lld", (long long)d);
		/* the shortest %g that reads back as d: 0.1, not 0.10000000000000001 */
		for (prec = 15; prec < 17; prec++) {
			char *text = xstrfmt("%.*g", prec, d);

			if (strtod(text, NULL) == d)
				return text;
			free(text);
		}
		return xstrfmt("%.17g", d);
	}
	return NULL;
}

void json_add_number_or_null(cJSON *obj, const char *key, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(obj, key, v);
	else
		cJSON_AddNullToObject(obj, key);
}

double json_number_or_nan(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsNumber(v))
		return v->valuedouble;
	return NAN;
}
