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

int json_utf8_valid(const char *str, size_t len)
{
	const unsigned char *p = (const unsigned char *)str, *end = p + len;

	while (p < end) {
		unsigned c = *p, cp;
		size_t n, i;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - p) <= n)
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* overlong, surrogate, past U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

/*
 * What cJSON does not check, on text it accepted: a walk over the text beside
 * the tree built from it (children are in text order), so that every key and
 * string has its position for the message.
 */
struct scan {
	const char *text; /* what cJSON parsed, NUL-terminated */
	const char *p;
	const char *name;
	enum json_parse_flags flags;
	struct buf where; /* the path of the value at p: "parameters[0].name" */
};

struct key_at {
	const char *key;
	size_t i;
};

static int scan_fail(const struct scan *s, const char *at, const char *what)
{
	int line, col;

	position(s->text, at, &line, &col);
	return error("cannot read '%s': line %d, column %d: %s", s->name, line, col, what);
}

static void skip_ws(struct scan *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
		s->p++;
}

/* Cut the path back to its first len bytes. */
static void where_cut(struct scan *s, size_t len)
{
	s->where.len = len;
	if (s->where.s)
		s->where.s[len] = '\0';
}

/*
 * The string at s->p (its opening quote), a key when `key`; s->p moves past
 * it. Messages: "name: invalid UTF-8", "name: \u0000 in a string", "invalid
 * UTF-8 in a key of parameters[0]".
 */
static int scan_string(struct scan *s, int key)
{
	const char *start = s->p, *q, *problem = NULL;
	struct buf what = BUF_INIT;
	int ret;

	for (q = start + 1; *q != '"'; q++) {
		if (*q != '\\')
			continue;
		q++;
		if (*q == 'u' && !strncmp(q + 1, "0000", 4))
			problem = "\\u0000";
	}
	if (!problem && (s->flags & JSON_PARSE_UTF8) &&
	    !json_utf8_valid(start + 1, (size_t)(q - start - 1)))
		problem = "invalid UTF-8";
	s->p = q + 1;
	if (!problem)
		return 0;
	if (key)
		buf_addf(&what, "%s in a key%s%s", problem, s->where.len ? " of " : "",
			 s->where.len ? s->where.s : "");
	else if (!s->where.len)
		buf_addf(&what, "%s in a string", problem);
	else if (problem[0] == '\\')
		buf_addf(&what, "%s: %s in a string", s->where.s, problem);
	else
		buf_addf(&what, "%s: %s", s->where.s, problem);
	ret = scan_fail(s, start, what.s);
	buf_release(&what);
	return ret;
}

static int cmp_key_at(const void *a, const void *b)
{
	const struct key_at *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The first key (in text order) that an earlier key of the object repeats. */
static int check_duplicates(struct scan *s, const cJSON *obj, const char *const *at, size_t n)
{
	struct key_at *k = xcalloc(n ? n : 1, sizeof(*k));
	const cJSON *c;
	size_t i = 0, dup = n;
	int ret = 0;

	for (c = obj->child; c && i < n; c = c->next, i++) {
		k[i].key = c->string ? c->string : "";
		k[i].i = i;
	}
	/* sorted by key, then position: the second of an equal pair repeats the first */
	qsort(k, n, sizeof(*k), cmp_key_at);
	for (i = 1; i < n; i++)
		if (!strcmp(k[i - 1].key, k[i].key) && k[i].i < dup)
			dup = k[i].i;
	if (dup < n) {
		struct buf what = BUF_INIT;

		for (i = 0, c = obj->child; i < dup; i++)
			c = c->next;
		buf_addf(&what, "duplicate key '%s'%s%s", c->string, s->where.len ? " in " : "",
			 s->where.len ? s->where.s : "");
		ret = scan_fail(s, at[dup], what.s);
		buf_release(&what);
	}
	free(k);
	return ret;
}

static int scan_value(struct scan *s, const cJSON *v);

static int scan_object(struct scan *s, const cJSON *obj)
{
	size_t n = (size_t)cJSON_GetArraySize(obj), i = 0, len = s->where.len;
	const char **at = xcalloc(n ? n : 1, sizeof(*at));
	const cJSON *c;
	int ret = -1;

	s->p++; /* '{' */
	for (c = obj->child; c; c = c->next, i++) {
		skip_ws(s);
		at[i] = s->p;
		if (scan_string(s, 1) < 0)
			goto out;
		skip_ws(s);
		s->p++; /* ':' */
		if (len)
			buf_addch(&s->where, '.');
		buf_adds(&s->where, c->string);
		if (scan_value(s, c) < 0)
			goto out;
		where_cut(s, len);
		skip_ws(s);
		if (*s->p == ',')
			s->p++;
	}
	skip_ws(s);
	s->p++; /* '}' */
	ret = check_duplicates(s, obj, at, i);
out:
	where_cut(s, len);
	free(at);
	return ret;
}

static int scan_array(struct scan *s, const cJSON *arr)
{
	size_t i = 0, len = s->where.len;
	const cJSON *c;
	int ret = -1;

	s->p++; /* '[' */
	for (c = arr->child; c; c = c->next, i++) {
		buf_addf(&s->where, "[%zu]", i);
		if (scan_value(s, c) < 0)
			goto out;
		where_cut(s, len);
		skip_ws(s);
		if (*s->p == ',')
			s->p++;
	}
	skip_ws(s);
	s->p++; /* ']' */
	ret = 0;
out:
	where_cut(s, len);
	return ret;
}

static int scan_value(struct scan *s, const cJSON *v)
{
	skip_ws(s);
	if (cJSON_IsObject(v))
		return scan_object(s, v);
	if (cJSON_IsArray(v))
		return scan_array(s, v);
	if (cJSON_IsString(v))
		return scan_string(s, 0);
	/* a number, true, false or null */
	while (*s->p && !strchr(",]} \t\r\n", *s->p))
		s->p++;
	return 0;
}

cJSON *json_parse_text_flags(const char *text, size_t len, const char *name,
			     enum json_parse_flags flags)
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
	if (root) {
		struct scan s = { .text = copy.s, .p = copy.s, .name = name, .flags = flags };

		buf_init(&s.where);
		if (scan_value(&s, root) < 0) {
			cJSON_Delete(root);
			root = NULL;
		}
		buf_release(&s.where);
		goto out;
	}
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

cJSON *json_parse_text(const char *text, size_t len, const char *name)
{
	return json_parse_text_flags(text, len, name, JSON_PARSE_BYTES);
}

cJSON *json_parse_file_flags(const char *path, enum json_parse_flags flags)
{
	struct buf b = BUF_INIT;
	cJSON *root = NULL;

	if (buf_read_file(&b, path) < 0) {
		error_errno("cannot read '%s'", path);
		goto out;
	}
	root = json_parse_text_flags(b.s, b.len, path, flags);
out:
	buf_release(&b);
	return root;
}

cJSON *json_parse_file(const char *path)
{
	return json_parse_file_flags(path, JSON_PARSE_BYTES);
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

void json_add_string_or_null(cJSON *obj, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(obj, key, v);
	else
		cJSON_AddNullToObject(obj, key);
}
