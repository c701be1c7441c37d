/*
 * spin-gate: a CPU and wall-time regression gate for pull requests.
 * main parses the subcommand, calls one command function, returns its code.
 */
#include "cmd.h"
#include "opt.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

static const struct opt_cmd main_cmd = {
	.synopsis = "spin-gate <command> [options]",
	.description =
		"commands:\n"
		"  run     measure base and head on a scenario suite, judge, write the verdict\n"
		"  judge   judge an existing results.json again (no runs)\n"
		"  merge   judge the results of a gate's shards (run --shard K/N) as one\n"
		"  report  write report.html again from an existing results.json\n"
		"  post    post a verdict to the pull request (GitHub REST API)\n"
		"  check   check a suite and its thresholds without running anything\n"
		"  init    write a starting suite for the project in this directory\n"
		"\n"
		"'spin-gate <command> --help' describes a command.\n",
	.footer = "exit status: 0 pass, 1 a check failed, 2 usage or configuration error,\n"
		  "3 inconclusive, 4 a revision or scenario could not be prepared or run,\n"
		  "5 posting failed, 130/143 interrupted (results kept, marked incomplete)\n",
	.flags = OPT_STOP_AT_NON_OPTION,
};

int main(int argc, char **argv)
{
	int version = 0;
	const struct opt opts[] = {
		OPT_FLAG("version", 0, &version, "print the version"),
		OPT_END(),
	};
	int n = opt_parse(&main_cmd, opts, argc, argv);
	const char *cmd;

	if (n == OPT_HELP)
		return EXIT_PASS;
	if (n < 0)
		return EXIT_USAGE;
	cmd = n > 0 ? argv[0] : NULL;
	if (version || (cmd && !strcmp(cmd, "version"))) {
		printf("spin-gate %s\n", SPIN_GATE_VERSION);
		return EXIT_PASS;
	}
	if (!cmd || !strcmp(cmd, "help")) {
		opt_usage(&main_cmd, opts, cmd ? stdout : stderr);
		return cmd ? EXIT_PASS : EXIT_USAGE;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(n, argv);
	if (!strcmp(cmd, "judge"))
		return cmd_judge(n, argv);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(n, argv);
	if (!strcmp(cmd, "report"))
		return cmd_report(n, argv);
	if (!strcmp(cmd, "post"))
		return cmd_post(n, argv);
	if (!strcmp(cmd, "check"))
		return cmd_check(n, argv);
	if (!strcmp(cmd, "init"))
		return cmd_init(n, argv);
	opt_error(&main_cmd, "unknown command '%s'", cmd);
	return EXIT_USAGE;
}
