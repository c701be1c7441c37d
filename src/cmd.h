#ifndef SPIN_GATE_CMD_H
#define SPIN_GATE_CMD_H
/*
 * cmd: one function per subcommand. Each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit code:
 *
 *   0  pass                 3  inconclusive
 *   1  a check failed       4  a revision or scenario could not be prepared or run
 *   2  usage or configuration error (bad flag, malformed thresholds.json)
 *   5  posting to GitHub failed (the verdict itself was still written)
 *   130/143  interrupted by SIGINT/SIGTERM (what was measured is kept, marked incomplete)
 */

enum exit_code {
	EXIT_PASS = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_INCONCLUSIVE = 3,
	EXIT_RUN_ERROR = 4,
	EXIT_POST_ERROR = 5,
};

int cmd_run(int argc, char **argv);
int cmd_judge(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_init(int argc, char **argv);

#endif
