/* Unit tests of src/lib/json.c: parsing with positions in messages, typed
 * lookups and their messages, scalars as text, and atomic writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "testlib.h"

static cJSON *parse(const char *text)
{
	return json_parse_text(text, strlen(text), "f.json");
}

/* The message for text that does not parse, and nothing returned. */
static void parse_fails(const char *text, size_t len, const char *msg)
{
	char *said;

	free(msgs_end());
	msgs_begin();
	assert_null(json_parse_text(text, len, "f.json"));
	said = msgs_end();
	assert_string_equal(said, msg);
	free(said);
	msgs_begin();
}

/* parse_fails() of a NUL-terminated text */
static void refused(const char *text, const char *msg)
{
	parse_fails(text, strlen(text), msg);
}

static void test_parse(void **state)
{
	cJSON *root;

	(void)state;
	root = parse("{\"a\": [1, 2], \"b\": \"x\"}");
	assert_non_null(root);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "a")), 2);
	cJSON_Delete(root);
	/* the length is what counts: no NUL needed after the text */
	root = json_parse_text("[7]garbage", 3, "f.json");
	assert_non_null(root);
	assert_int_equal(cJSON_GetArrayItem(root, 0)->valueint, 7);
	cJSON_Delete(root);
	assert_string_equal(msgs_so_far(), "");
}

/* Malformed text: the line and column where it went wrong. */
static void test_parse_errors(void **state)
{
	(void)state;
	parse_fails("{\n  \"a\": x}", 11,
		    "spin-gate: error: cannot read 'f.json': line 2, column 8: invalid JSON\n");
	parse_fails("[1,\n2,,3]", 9,
		    "spin-gate: error: cannot read 'f.json': line 2, column 3: invalid JSON\n");
	parse_fails("{\"a\":1} x", 9,
		    "spin-gate: error: cannot read 'f.json': line 1, column 9: invalid JSON\n");
	parse_fails("{\"a\": 1", 7,
		    "spin-gate: error: cannot read 'f.json': line 1, column 8: unexpected end "
		    "of JSON\n");
	parse_fails("", 0,
		    "spin-gate: error: cannot read 'f.json': line 1, column 1: unexpected end "
		    "of JSON\n");
	parse_fails("[\"a\0b\"]", 7,
		    "spin-gate: error: cannot read 'f.json': contains a NUL byte\n");
}

/* Duplicate keys, at any depth, with where the second one is. */
static void test_duplicate_keys(void **state)
{
	static const char nested[] = "{\"parameters\": [{\"name\": \"a\", \"values\": [1]},\n"
				     "  {\"name\": \"b\", \"values\": [2], \"name\": \"c\"}]}";
	cJSON *root;

	(void)state;
	refused("{\"a\": 1, \"b\": 2, \"a\": 3}",
		"spin-gate: error: cannot read 'f.json': line 1, column 18: duplicate key "
		"'a'\n");
	parse_fails(nested, sizeof(nested) - 1,
		    "spin-gate: error: cannot read 'f.json': line 2, column 32: duplicate key "
		    "'name' in parameters[1]\n");
	/* the same key after decoding: "\u0061" is "a" */
	refused("{\"a\": 1,\n \"\\u0061\": 2}",
		"spin-gate: error: cannot read 'f.json': line 2, column 2: duplicate key "
		"'a'\n");
	/* the first repeat in the text, however the keys sort */
	refused("{\"z\": 1, \"a\": 1, \"z\": 2, \"a\": 2}",
		"spin-gate: error: cannot read 'f.json': line 1, column 18: duplicate key "
		"'z'\n");
	/* the same key in different objects, and many distinct keys, are fine */
	root = parse("{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}], \"c\": {}, \"d\": []}");
	assert_non_null(root);
	cJSON_Delete(root);
	assert_string_equal(msgs_so_far(), "");
}

/* A "\u0000" would end the C string: refused in values and keys. */
static void test_nul_escape(void **state)
{
	(void)state;
	refused("{\"name\": \"a\\u0000b\"}",
		"spin-gate: error: cannot read 'f.json': line 1, column 10: name: \\u0000 in "
		"a string\n");
	refused("{\"o\": {\"a\\u0000\": 1}}",
		"spin-gate: error: cannot read 'f.json': line 1, column 8: \\u0000 in a key of "
		"o\n");
	/* an escaped backslash before "u0000" is no escape of a NUL */
	cJSON_Delete(parse("[\"\\\\u0000\"]"));
	assert_string_equal(msgs_so_far(), "");
}

/* JSON_PARSE_UTF8: every string and key valid UTF-8, the field named. */
static void test_utf8(void **state)
{
	static const char bad[] = "{\"name\": \"ok\",\n \"matrix\": [\"x\", \"caf\xe9\"]}";
	static const char badkey[] = "{\"env\": {\"A\xff\": \"1\"}}";
	static const char good[] = "[\"caf\xc3\xa9 \xf0\x9f\x98\x80 \\u00e9\"]";
	cJSON *root;
	char *said;

	(void)state;
	root = json_parse_text_flags(bad, sizeof(bad) - 1, "f.json", JSON_PARSE_UTF8);
	assert_null(root);
	assert_string_equal(msgs_so_far(), "spin-gate: error: cannot read 'f.json': line 2, "
					   "column 18: matrix[1]: invalid UTF-8\n");
	free(msgs_end());
	msgs_begin();
	assert_null(json_parse_text_flags(badkey, sizeof(badkey) - 1, "f.json", JSON_PARSE_UTF8));
	assert_string_equal(msgs_so_far(), "spin-gate: error: cannot read 'f.json': line 1, "
					   "column 10: invalid UTF-8 in a key of env\n");
	free(msgs_end());
	msgs_begin();
	/* without the flag the bytes are kept as they are */
	root = json_parse_text(bad, sizeof(bad) - 1, "f.json");
	assert_non_null(root);
	cJSON_Delete(root);
	/* valid UTF-8, raw and escaped, passes */
	root = json_parse_text_flags(good, strlen(good), "f.json", JSON_PARSE_UTF8);
	assert_non_null(root);
	cJSON_Delete(root);
	said = msgs_end();
	assert_string_equal(said, "");
	free(said);
	msgs_begin();

	assert_true(json_utf8_valid("", 0));
	assert_true(json_utf8_valid("\xc3\xa9\xe2\x82\xac\xf4\x8f\xbf\xbf", 9));
	assert_false(json_utf8_valid("\xc0\xaf", 2));	      /* overlong '/' */
	assert_false(json_utf8_valid("\xe0\x80\xaf", 3));     /* overlong, 3 bytes */
	assert_false(json_utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
	assert_false(json_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	assert_false(json_utf8_valid("\xc3", 1));	      /* cut short */
	assert_false(json_utf8_valid("\xe2\x82", 2));
	assert_false(json_utf8_valid("\x80", 1)); /* a lone continuation */
	assert_false(json_utf8_valid("\xc3\x28", 2));
}

static void test_parse_file(void **state)
{
	char *dir = tmpdir_make("json");
	char *path = xstrfmt("%s/t.json", dir), *missing = xstrfmt("%s/missing.json", dir);
	char *want;
	cJSON *root;
	FILE *f;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"k\": true}\n", f);
	fclose(f);
	root = json_parse_file(path);
	assert_non_null(root);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "k")));
	cJSON_Delete(root);
	assert_null(json_parse_file(missing));
	want = xstrfmt("spin-gate: error: cannot read '%s': No such file or directory\n", missing);
	assert_string_equal(msgs_so_far(), want);
	free(want);
	free(path);
	free(missing);
	tmpdir_remove(dir);
}

static const char obj_text[] = "{\"s\": \"str\", \"n\": 2.5, \"t\": true, \"f\": false, "
			       "\"o\": {}, \"a\": [], \"z\": null}";

/* Found: 0 and the value; optional and absent (or null): 0, untouched. */
static void test_get_found_and_optional(void **state)
{
	cJSON *o = parse(obj_text);
	const char *s = "untouched";
	const cJSON *node = NULL;
	double n = -1;
	int b = 7;

	(void)state;
	assert_int_equal(json_get_string(o, "s", &s, JSON_REQUIRED, "f.json", ""), 0);
	assert_string_equal(s, "str");
	assert_int_equal(json_get_number(o, "n", &n, JSON_REQUIRED, "f.json", ""), 0);
	assert_true(n == 2.5);
	assert_int_equal(json_get_bool(o, "t", &b, JSON_REQUIRED, "f.json", ""), 0);
	assert_int_equal(b, 1);
	assert_int_equal(json_get_bool(o, "f", &b, JSON_REQUIRED, "f.json", ""), 0);
	assert_int_equal(b, 0);
	assert_int_equal(json_get_node(o, "o", cJSON_Object, &node, JSON_REQUIRED, "f.json", ""),
			 0);
	assert_true(cJSON_IsObject(node));
	assert_int_equal(json_get_node(o, "a", cJSON_Array, &node, JSON_REQUIRED, "f.json", ""), 0);
	assert_true(cJSON_IsArray(node));

	s = "untouched";
	n = -1;
	b = 7;
	assert_int_equal(json_get_string(o, "missing", &s, JSON_OPTIONAL, "f.json", ""), 0);
	assert_int_equal(json_get_string(o, "z", &s, JSON_OPTIONAL, "f.json", ""), 0);
	assert_string_equal(s, "untouched");
	assert_int_equal(json_get_number(o, "z", &n, JSON_OPTIONAL, "f.json", ""), 0);
	assert_true(n == -1);
	assert_int_equal(json_get_bool(o, "missing", &b, JSON_OPTIONAL, "f.json", ""), 0);
	assert_int_equal(b, 7);
	assert_string_equal(msgs_so_far(), "");
	cJSON_Delete(o);
}

struct get_case {
	int kind; /* 's', 'n', 'b', 'o', 'a' */
	const char *key;
	enum json_need need;
	const char *where;
	const char *msg;
};

static const struct get_case get_cases[] = {
	{ 's', "n", JSON_OPTIONAL, "", "'f.json': n: expected a string" },
	{ 'n', "s", JSON_REQUIRED, "checks[2]", "'f.json': checks[2].s: expected a number" },
	{ 'b', "n", JSON_OPTIONAL, "settings", "'f.json': settings.n: expected true or false" },
	{ 'o', "a", JSON_OPTIONAL, "", "'f.json': a: expected an object" },
	{ 'a', "o", JSON_OPTIONAL, "x", "'f.json': x.o: expected an array" },
	{ 's', "missing", JSON_REQUIRED, "", "'f.json': missing: missing" },
	{ 'n', "missing", JSON_REQUIRED, "scenarios[0]",
	  "'f.json': scenarios[0].missing: missing" },
	{ 's', "z", JSON_REQUIRED, "", "'f.json': z: missing" }, /* null is missing */
	{ 'b', "missing", JSON_REQUIRED, NULL, "'f.json': missing: missing" },
};

/* Required and absent, or of the wrong type: -1 and a message naming the
 * file, the path and the key. */
static void test_get_errors(void **state)
{
	cJSON *o = parse(obj_text);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(get_cases) / sizeof(get_cases[0]); i++) {
		const struct get_case *c = &get_cases[i];
		const char *s = NULL;
		const cJSON *node = NULL;
		double n = 0;
		int b = 0, ret = 0;
		char *said, *want;

		free(msgs_end());
		msgs_begin();
		switch (c->kind) {
		case 's': ret = json_get_string(o, c->key, &s, c->need, "f.json", c->where); break;
		case 'n': ret = json_get_number(o, c->key, &n, c->need, "f.json", c->where); break;
		case 'b': ret = json_get_bool(o, c->key, &b, c->need, "f.json", c->where); break;
		case 'o':
			ret = json_get_node(o, c->key, cJSON_Object, &node, c->need, "f.json",
					    c->where);
			break;
		default:
			ret = json_get_node(o, c->key, cJSON_Array, &node, c->need, "f.json",
					    c->where);
			break;
		}
		said = msgs_end();
		msgs_begin();
		want = xstrfmt("spin-gate: error: %s\n", c->msg);
		if (ret != -1 || strcmp(said, want))
			fail_msg("case %zu: ret %d\n  got:  %s  want: %s", i, ret, said, want);
		free(said);
		free(want);
	}
	cJSON_Delete(o);
}

static void scalar_is(const char *json, const char *want)
{
	cJSON *v = parse(json);
	char *text;

	assert_non_null(v);
	text = json_scalar_text(v);
	if (!want) {
		assert_null(text);
	} else {
		assert_non_null(text);
		assert_string_equal(text, want);
	}
	free(text);
	cJSON_Delete(v);
}

static void test_scalar_text(void **state)
{
	(void)state;
	scalar_is("\"partitioned\"", "partitioned");
	scalar_is("true", "true");
	scalar_is("false", "false");
	scalar_is("4", "4");
	scalar_is("-3", "-3");
	scalar_is("4.0", "4");
	scalar_is("2.5", "2.5");
	/* the shortest text that reads back as the same double, not %.17g's
	 * 0.10000000000000001 (a suite value 0.1 names its scenario x=0.1) */
	scalar_is("0.1", "0.1");
	scalar_is("-0.3", "-0.3");
	scalar_is("1e300", "1e+300");
	scalar_is("0.30000000000000004", "0.30000000000000004");
	scalar_is("3.141592653589793", "3.141592653589793");
	scalar_is("null", NULL);
	scalar_is("[1]", NULL);
	scalar_is("{}", NULL);
}

static void test_number_or_null(void **state)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	(void)state;
	json_add_number_or_null(o, "a", 1.5);
	json_add_number_or_null(o, "b", NAN);
	json_add_number_or_null(o, "c", INFINITY);
	cJSON_AddStringToObject(o, "d", "1");
	text = cJSON_PrintUnformatted(o);
	assert_string_equal(text, "{\"a\":1.5,\"b\":null,\"c\":null,\"d\":\"1\"}");
	free(text);
	assert_true(json_number_or_nan(o, "a") == 1.5);
	assert_true(isnan(json_number_or_nan(o, "b")));
	assert_true(isnan(json_number_or_nan(o, "d"))); /* not a number */
	assert_true(isnan(json_number_or_nan(o, "missing")));
	cJSON_Delete(o);
}

static size_t entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Written whole (pretty JSON and a newline), replacing the old file, in
 * both modes; no temporary file is left; an unwritable place is an error
 * naming the temporary file. */
static void test_write_atomic(void **state)
{
	char *dir = tmpdir_make("json");
	char *path = xstrfmt("%s/out.json", dir);
	char *bad = xstrfmt("%s/no/such/dir/out.json", dir);
	cJSON *o = cJSON_CreateObject();
	char *text, *want;

	(void)state;
	cJSON_AddNumberToObject(o, "v", 1);
	assert_int_equal(json_write_file_atomic(path, o, WRITE_DURABLE), 0);
	text = slurp(path);
	assert_string_equal(text, "{\n\t\"v\":\t1\n}\n");
	free(text);
	assert_int_equal(file_write_atomic(path, "new", 3, WRITE_CHECKPOINT), 0);
	text = slurp(path);
	assert_string_equal(text, "new");
	free(text);
	assert_int_equal(entries(dir), 1);

	assert_int_equal(json_write_file_atomic(bad, o, WRITE_CHECKPOINT), -1);
	want = xstrfmt("spin-gate: error: cannot write '%s.tmp.%ld': No such file or directory\n",
		       bad, (long)getpid());
	assert_string_equal(msgs_so_far(), want);
	free(want);
	assert_int_equal(entries(dir), 1);
	cJSON_Delete(o);
	free(path);
	free(bad);
	tmpdir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_parse_errors, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_keys, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_nul_escape, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_utf8, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_parse_file, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_get_found_and_optional, msgs_setup,
						msgs_teardown),
		cmocka_unit_test_setup_teardown(test_get_errors, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_scalar_text, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_number_or_null, msgs_setup, msgs_teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic, msgs_setup, msgs_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
