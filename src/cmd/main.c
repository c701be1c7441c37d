/*
 * spin-gate: a CPU and wall-time regression gate for pull requests.
 * main parses the subcommand, calls one command function, returns its code.
 */
#include "buf.h"
#include "cmd.h"
#include "opt.h"
#include "version.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every command: its name, what `spin-gate --help` says of it, and the
 * function that runs it (git.c's table of commands). The help's list is
 * made from this table, so a command cannot be dispatched and not listed. */
static const struct command {
	const char *name;
	const char *summary;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", "measure base and head on a scenario suite, judge, write the verdict", cmd_run },
	{ "compare", "measure 2 to 8 revisions together, each judged against the first",
	  cmd_compare },
	{ "bisect", "find the revision between a good and a bad one that fails the gate",
	  cmd_bisect },
	{ "record", "measure one revision and add its record to a history", cmd_record },
	{ "history", "change points of a history's records; history.html; alerts", cmd_history },
	{ "judge", "judge an existing results.json again (no runs)", cmd_judge },
	{ "merge", "judge the results of a gate's shards (run --shard K/N) as one", cmd_merge },
	{ "report", "write report.html again from an existing results.json", cmd_report },
	{ "export", "write a results.json's figures for Bencher or github-action-benchmark",
	  cmd_export },
	{ "profile", "profile the scenarios whose CPU check failed (after run)", cmd_profile },
	{ "post", "post a verdict to the pull request (GitHub REST API)", cmd_post },
	{ "check", "check a suite and its thresholds without running anything", cmd_check },
	{ "init", "write a starting suite for the project in this directory", cmd_init },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static char *main_description(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		buf_addf(&b, "  %-7s %s\n", commands[i].name, commands[i].summary);
	buf_adds(&b, "\n'spin-gate <command> --help' describes a command.\n");
	return buf_detach(&b);
}

int main(int argc, char **argv)
{
	char *description = main_description();
	const struct opt_cmd main_cmd = {
		.synopsis = "spin-gate <command> [options]",
		.description = description,
		.footer =
			"exit status: 0 pass, 1 a check failed, 2 usage or configuration error,\n"
			"3 inconclusive, 4 a revision or scenario could not be prepared or run,\n"
			"5 posting failed, 130/143 interrupted (results kept, marked incomplete)\n",
		.flags = OPT_STOP_AT_NON_OPTION,
	};
	int version = 0, ret = EXIT_USAGE;
	const struct opt opts[] = {
		OPT_FLAG("version", 0, &version, "print the version"),
		OPT_END(),
	};
	int n = opt_parse(&main_cmd, opts, argc, argv);
	const char *cmd;
	size_t i;

	if (n == OPT_HELP) {
		ret = EXIT_PASS;
		goto out;
	}
	if (n < 0)
		goto out;
	cmd = n > 0 ? argv[0] : NULL;
	if (version || (cmd && !strcmp(cmd, "version"))) {
		printf("spin-gate %s\n", SPIN_GATE_VERSION);
		ret = EXIT_PASS;
		goto out;
	}
	if (!cmd || !strcmp(cmd, "help")) {
		opt_usage(&main_cmd, opts, cmd ? stdout : stderr);
		ret = cmd ? EXIT_PASS : EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(cmd, commands[i].name)) {
			/* the commands print their own usage from here on */
			free(description);
			return commands[i].fn(n, argv);
		}
	opt_error(&main_cmd, "unknown command '%s'", cmd);
out:
	free(description);
	return ret;
}
