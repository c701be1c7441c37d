#ifndef SPIN_GATE_INIT_H
#define SPIN_GATE_INIT_H
/*
 * init: a starting suite for the project in a directory, written once.
 *
 * `spin-gate init -- python -m mypkg.bench` in a repository writes
 *
 *   spin-gate/suite.json   one scenario: the command, role idle, cores 1,
 *                          setup.git
 *   spin-gate/setup.sh     builds a checkout of the project into ${env}
 *
 * and nothing else: the shipped thresholds.json selects by role, so it
 * applies as it is. What setup.sh does depends on what the project is,
 * detected from files at its top (the first that exists wins):
 *
 *   pyproject.toml, setup.py  python: a venv with the checkout pip-installed;
 *                             a leading "python"/"python3" in the command
 *                             becomes ${env}/bin/python
 *   Cargo.toml                cargo: the checkout copied, `cargo build --release
 *                             --bins --examples` (a benchmark is often an example)
 *   go.mod                    go: the checkout copied, `go build -o $env/bin/ ./...`
 *                             (every main package a binary in ${env}/bin)
 *   pom.xml                   maven: the checkout copied, `mvn -B -q -DskipTests package`
 *   build.gradle(.kts)        gradle: the checkout copied, `./gradlew` (else gradle)
 *                             `--no-daemon -q build -x test`
 *   package.json              npm: the checkout copied, `npm ci` (or install)
 *   Makefile                  make: the checkout copied, `make`
 *   anything else             the checkout copied as it is
 *
 * Except for python, the command runs in the copy (cwd ${env}/src). Every
 * '$' of the command is written as "$$" so it reaches the program as typed.
 * Nothing is run, nothing is asked. An existing file is never overwritten:
 * if either file exists, nothing is written and init fails naming it.
 */
#include <stddef.h>

enum init_kind {
	INIT_PLAIN = 0,
	INIT_PYTHON,
	INIT_CARGO,
	INIT_NPM,
	INIT_MAKE,
	INIT_GO,
	INIT_MAVEN,
	INIT_GRADLE,
};

struct init_opts {
	const char *project;	    /* the project's top directory ("." by default) */
	const char *dir;	    /* where to write, relative to project: "spin-gate" */
	const char *name;	    /* suite name; NULL: the project directory's name */
	const char *const *command; /* NULL-terminated argv to measure */
};

/* What the project at `project` looks like (see above). */
enum init_kind init_detect(const char *project);
/* "python", "cargo", "npm", "make", "go", "maven", "gradle", "plain". */
const char *init_kind_name(enum init_kind k);

/* Write the suite. 0, or -1 after error(); prints what it wrote and the
 * next command to run on stdout. */
int init_write(const struct init_opts *o);

#endif
