#include "init.h"

#include "buf.h"
#include "fsutil.h"
#include "msg.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *file;
	enum init_kind kind;
} markers[] = {
	{ "pyproject.toml", INIT_PYTHON },
	{ "setup.py", INIT_PYTHON },
	{ "Cargo.toml", INIT_CARGO },
	{ "go.mod", INIT_GO },
	/* before package.json: a Java project often has one for its web part */
	{ "pom.xml", INIT_MAVEN },
	{ "build.gradle", INIT_GRADLE },
	{ "build.gradle.kts", INIT_GRADLE },
	{ "package.json", INIT_NPM },
	{ "Makefile", INIT_MAKE },
};

static const char *const kind_names[] = { "plain", "python", "cargo", "npm",
					  "make",  "go",     "maven", "gradle" };

static const char setup_head[] =
	"#!/bin/sh\n"
	"# setup.sh WORKTREE ENV: build one revision of this project (a checkout at\n"
	"# WORKTREE) into ENV, a directory spin-gate empties first. Written by\n"
	"# `spin-gate init`; edit it freely: a changed setup.sh builds new environments.\n"
	"set -eu\n"
	"worktree=$1 env=$2\n";

static const char setup_copy[] = "mkdir -p \"$env/src\"\n"
				 "cp -R \"$worktree/.\" \"$env/src/\"\n"
				 "cd \"$env/src\"\n";

static const char *const setup_body[] = {
	[INIT_PLAIN] = "",
	[INIT_PYTHON] =
		"python3 -m venv \"$env\"\n"
		"\"$env/bin/pip\" install --quiet --disable-pip-version-check \"$worktree\"\n",
	/* examples too: a crate's benchmark program is often one */
	[INIT_CARGO] = "cargo build --release --bins --examples\n",
	/* every main package, each a binary in $env/bin */
	[INIT_GO] = "go build -o \"$env/bin/\" ./...\n",
	[INIT_MAVEN] = "mvn -B -q -DskipTests package\n",
	[INIT_GRADLE] = "if [ -x ./gradlew ]; then gradle=./gradlew; else gradle=gradle; fi\n"
			"\"$gradle\" --no-daemon -q build -x test\n",
	[INIT_NPM] = "if [ -f package-lock.json ]; then npm ci; else npm install; fi\n",
	[INIT_MAKE] = "make\n",
};

enum init_kind init_detect(const char *project)
{
	struct buf p = BUF_INIT;
	enum init_kind k = INIT_PLAIN;
	size_t i;

	for (i = 0; i < sizeof(markers) / sizeof(*markers); i++) {
		buf_reset(&p);
		buf_addf(&p, "%s/%s", project, markers[i].file);
		if (fs_exists(p.s)) {
			k = markers[i].kind;
			break;
		}
	}
	buf_release(&p);
	return k;
}

const char *init_kind_name(enum init_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(*kind_names) ? kind_names[k] : "plain";
}

/* The project directory's name as a suite name (suite.h's rules). */
static char *default_name(const char *project)
{
	char real[PATH_MAX], *base, *p;

	if (!realpath(project, real))
		return xstrdup("project");
	base = strrchr(real, '/');
	base = base && base[1] ? base + 1 : real;
	while (*base == '.')
		base++;
	for (p = base; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    *p))
			*p = '-';
	return xstrdup(*base ? base : "project");
}

/* A command argument as a suite template: '$' doubled. */
static char *as_template(const char *arg)
{
	struct buf b = BUF_INIT;

	for (; *arg; arg++) {
		if (*arg == '$')
			buf_addch(&b, '$');
		buf_addch(&b, *arg);
	}
	return buf_detach(&b);
}

/*
 * The command's program as a suite template. Python's becomes the venv's.
 * A compiled project's "./NAME" (the binary a build at the top leaves) becomes
 * where setup.sh builds it: the copy in ${env}/src holds no binary of that name
 * before a build, and go builds into ${env}/bin, not beside the sources.
 */
static char *first_word(enum init_kind kind, const char *arg)
{
	const char *name = !strncmp(arg, "./", 2) ? arg + 2 : NULL;
	int simple = name && *name && !strchr(name, '/') && !strchr(name, '$');

	if (kind == INIT_PYTHON && (!strcmp(arg, "python") || !strcmp(arg, "python3")))
		return xstrdup("${env}/bin/python");
	if (kind == INIT_GO && simple)
		return xstrfmt("${env}/bin/%s", name);
	if (kind == INIT_CARGO && simple)
		return xstrfmt("./target/release/%s", name);
	return as_template(arg);
}

/* One key per line, each value compact: what a person would write. */
static char *print_object(const cJSON *root)
{
	struct buf b = BUF_INIT;
	const cJSON *it;

	/* the keys are this file's own: no escaping needed */
	buf_adds(&b, "{");
	cJSON_ArrayForEach(it, root) {
		char *v = cJSON_PrintUnformatted(it);

		if (!v) {
			buf_release(&b);
			return NULL;
		}
		buf_addf(&b, "%s\n  \"%s\": %s", it == root->child ? "" : ",", it->string, v);
		cJSON_free(v);
	}
	buf_adds(&b, "\n}");
	return buf_detach(&b);
}

static char *suite_text(const struct init_opts *o, enum init_kind kind, const char *name)
{
	cJSON *root = cJSON_CreateObject(), *arr, *role, *setup;
	struct buf desc = BUF_INIT;
	char *text;
	size_t i;

	buf_adds(&desc, "written by spin-gate init for:");
	for (i = 0; o->command[i]; i++)
		buf_addf(&desc, " %s", o->command[i]);
	cJSON_AddStringToObject(root, "name", name);
	cJSON_AddStringToObject(root, "description", desc.s);
	cJSON_AddArrayToObject(root, "parameters");
	arr = cJSON_AddArrayToObject(root, "roles");
	role = cJSON_CreateObject();
	cJSON_AddStringToObject(role, "role", "idle");
	cJSON_AddItemToArray(arr, role);
	arr = cJSON_AddArrayToObject(root, "command");
	for (i = 0; o->command[i]; i++) {
		char *t;

		if (i == 0)
			t = first_word(kind, o->command[0]);
		else
			t = as_template(o->command[i]);
		cJSON_AddItemToArray(arr, cJSON_CreateString(t));
		free(t);
	}
	cJSON_AddStringToObject(root, "cwd", kind == INIT_PYTHON ? "${suite_dir}" : "${env}/src");
	/* the CPU budget of the idle checks: one process; a command that runs
	 * N busy processes should say N (with every core, a single spinning
	 * thread on a large runner would stay under the idle budget) */
	cJSON_AddStringToObject(root, "cores", "1");
	cJSON_AddNumberToObject(root, "timeout", 600);
	setup = cJSON_AddObjectToObject(root, "setup");
	arr = cJSON_AddArrayToObject(setup, "git");
	cJSON_AddItemToArray(arr, cJSON_CreateString("${suite_dir}/setup.sh"));
	cJSON_AddItemToArray(arr, cJSON_CreateString("${worktree}"));
	cJSON_AddItemToArray(arr, cJSON_CreateString("${env}"));
	text = print_object(root);
	cJSON_Delete(root);
	buf_release(&desc);
	return text; /* NULL when cJSON ran out of memory */
}

/* Create path with text; never replaces a file. */
static int write_new(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0)
		return error_errno("cannot create '%s'", path);
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
		error_errno("cannot write '%s'", path);
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return error_errno("cannot write '%s'", path);
	return 0;
}

int init_write(const struct init_opts *o)
{
	enum init_kind kind;
	struct buf dir = BUF_INIT, suite = BUF_INIT, setup = BUF_INIT, sh = BUF_INIT;
	char *name = NULL, *text = NULL, *first = NULL, *literal = NULL;
	const char *project = o->project ? o->project : ".";
	int ret = -1;

	if (!o->command || !o->command[0] || !*o->command[0]) {
		error("init: give the command to measure after '--' (spin-gate init -- CMD "
		      "ARGS...)");
		goto out;
	}
	kind = init_detect(project);
	name = o->name ? xstrdup(o->name) : default_name(project);
	buf_addf(&dir, "%s/%s", project, o->dir ? o->dir : "spin-gate");
	buf_addf(&suite, "%s/suite.json", dir.s);
	buf_addf(&setup, "%s/setup.sh", dir.s);
	if (fs_exists(suite.s) || fs_exists(setup.s)) {
		error("init: '%s' already exists: not overwriting it (remove it, or --dir "
		      "elsewhere)",
		      fs_exists(suite.s) ? suite.s : setup.s);
		goto out;
	}
	if (fs_mkdir_p(dir.s) < 0)
		goto out;
	text = suite_text(o, kind, name);
	if (!text) {
		error("init: out of memory");
		goto out;
	}
	buf_adds(&sh, setup_head);
	if (kind != INIT_PYTHON)
		buf_adds(&sh, setup_copy);
	buf_adds(&sh, setup_body[kind]);
	if (write_new(setup.s, sh.s, 0755) < 0 || write_new(suite.s, text, 0644) < 0)
		goto out;
	printf("wrote %s (suite '%s': one idle scenario, %s project)\n", suite.s, name,
	       init_kind_name(kind));
	printf("wrote %s (builds a checkout into the environment)\n", setup.s);
	first = first_word(kind, o->command[0]);
	literal = as_template(o->command[0]);
	if (strcmp(first, literal)) /* say where the built program is looked for */
		printf("runs %s in place of '%s'\n", first, o->command[0]);
	if (!strcmp(project, ".") && !o->dir) /* where run and check look by default */
		printf("next: spin-gate check\n"
		       "      spin-gate run --repo . --base main --head HEAD\n");
	else
		printf("next: spin-gate check --suite %s\n"
		       "      spin-gate run --repo %s --base main --head HEAD --suite %s\n",
		       dir.s, project, dir.s);
	ret = 0;
out:
	free(name);
	free(text);
	free(first);
	free(literal);
	buf_release(&dir);
	buf_release(&suite);
	buf_release(&setup);
	buf_release(&sh);
	return ret;
}
