/*
 * spin-gate: a CPU and wall-time regression gate for pull requests.
 * main parses the subcommand, calls one command function, returns its code.
 */
#include "cmd.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: spin-gate <command> [options]\n"
	"\n"
	"commands:\n"
	"  run     measure base and head on a scenario suite, judge, write the verdict\n"
	"  judge   judge an existing results.json again (no runs)\n"
	"  post    post a verdict to the pull request (GitHub REST API)\n"
	"\n"
	"'spin-gate <command> --help' describes a command.\n"
	"\n"
	"exit status: 0 pass, 1 a check failed, 2 usage or configuration error,\n"
	"3 inconclusive, 4 a revision or scenario could not be prepared or run,\n"
	"5 posting failed, 130/143 interrupted (results kept, marked incomplete)\n";

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage, cmd ? stdout : stderr);
		return cmd ? EXIT_PASS : EXIT_USAGE;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("spin-gate %s\n", SPIN_GATE_VERSION);
		return EXIT_PASS;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "judge"))
		return cmd_judge(argc - 1, argv + 1);
	if (!strcmp(cmd, "post"))
		return cmd_post(argc - 1, argv + 1);
	fprintf(stderr, "spin-gate: error: unknown command '%s'\n\n%s", cmd, usage);
	return EXIT_USAGE;
}
