/*
 * spin-gate init: write a starting suite for the project in the current
 * directory (init.h). Runs nothing, asks nothing, overwrites nothing.
 */
#include "cmd.h"
#include "init.h"
#include "opt.h"

static const struct opt_cmd init_cmd = {
	.name = "init",
	.synopsis = "spin-gate init [--dir DIR] [--name NAME] -- COMMAND [ARG...]",
	.description =
		"Write DIR/suite.json and DIR/setup.sh for the project in the current\n"
		"directory: one idle scenario that runs COMMAND, and a setup.git that builds\n"
		"a checkout by what the project is (pyproject.toml or setup.py: a venv with\n"
		"it pip-installed; Cargo.toml: cargo build --release; go.mod: go build;\n"
		"pom.xml: mvn package; build.gradle: gradle build; package.json: npm ci;\n"
		"Makefile: make; else the checkout as it is). A compiled project's ./NAME\n"
		"runs the built binary: ${env}/bin/NAME (go), ./target/release/NAME\n"
		"(cargo). Existing files are never overwritten. Then: 'spin-gate check',\n"
		"and 'spin-gate run --repo . --base main --head HEAD', which find DIR when\n"
		"it is ./spin-gate.\n",
	.footer = "exit status: 0 written, 2 usage error or a file exists already\n",
};

int cmd_init(int argc, char **argv)
{
	struct init_opts o = { .project = "." };
	const struct opt opts[] = {
		OPT_STRING("dir", 0, &o.dir, "DIR", "where to write (default: spin-gate)"),
		OPT_STRING("name", 0, &o.name, "NAME",
			   "the suite's name (default: the directory's name)"),
		OPT_END(),
	};
	int n = opt_parse(&init_cmd, opts, argc, argv);

	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	if (n == 0) {
		opt_error(&init_cmd, "give the command to measure after '--'");
		return EXIT_USAGE;
	}
	o.command = (const char *const *)argv;
	return init_write(&o) < 0 ? EXIT_USAGE : EXIT_PASS;
}
