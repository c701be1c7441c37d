/*
 * kvconf.h: the settings of the benchmark's programs (synth, crew), shared by
 * both: a file of KEY=VALUE lines (# comments, blank lines) and environment
 * variables that override it, each handed to the program's set() with where
 * it came from ("FILE: line N" or the variable's name); numbers >= 0 and
 * True/False flags. Header-only, because each program is one cc invocation
 * and each revision's worktree is built on its own (run.sh copies this file
 * into the revisions' repositories beside the program).
 *
 * Define KVCONF_PROG ("synth", "crew") before including it: the prefix of
 * every message.
 */
#ifndef BENCH_KVCONF_H
#define BENCH_KVCONF_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number in [0, max]; 0, or -1 after a message naming `what`. */
static int kvconf_num(const char *what, const char *s, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || (*end && *end != '\n') || !(v >= 0) || v > max) {
		fprintf(stderr, KVCONF_PROG ": error: %s: '%s' is not a number >= 0\n", what, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* True/1 or False/0; 0, or -1 after a message naming `what`. */
static int kvconf_bool(const char *what, const char *s, int *out)
{
	if (!strcmp(s, "True") || !strcmp(s, "1")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "False") || !strcmp(s, "0")) {
		*out = 0;
		return 0;
	}
	fprintf(stderr, KVCONF_PROG ": error: %s: '%s' is not True or False\n", what, s);
	return -1;
}

/* Every KEY=VALUE line of `path` to set(ctx, key, value, where); stops at
 * the first error. 0, or -1 after a message. */
static int kvconf_read_file(const char *path,
			    int (*set)(void *ctx, const char *key, const char *val, const char *where),
			    void *ctx)
{
	char line[256], where[300];
	FILE *f = fopen(path, "r");
	int lineno = 0, ret = 0;

	if (!f) {
		fprintf(stderr, KVCONF_PROG ": error: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		char *eq, *p = line;

		lineno++;
		p[strcspn(p, "#\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			continue;
		eq = strchr(p, '=');
		snprintf(where, sizeof(where), "%s: line %d", path, lineno);
		if (!eq) {
			fprintf(stderr, KVCONF_PROG ": error: %s: expected KEY=VALUE\n", where);
			ret = -1;
			break;
		}
		*eq = '\0';
		p[strcspn(p, " \t")] = '\0';
		ret = set(ctx, p, eq + 1 + strspn(eq + 1, " \t"), where);
	}
	fclose(f);
	return ret;
}

/* The variables keys[i][0] that are set and not empty, as keys[i][1]. */
static int kvconf_read_env(const char *const (*keys)[2], size_t n,
			   int (*set)(void *ctx, const char *key, const char *val, const char *where),
			   void *ctx)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *v = getenv(keys[i][0]);
		if (v && *v && set(ctx, keys[i][1], v, keys[i][0]) < 0)
			return -1;
	}
	return 0;
}

#endif
