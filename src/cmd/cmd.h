#ifndef SPIN_GATE_CMD_H
#define SPIN_GATE_CMD_H
/*
 * cmd: one function per subcommand. Each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit code (enum
 * exit_code, status.h). main.c's table of commands names them.
 */
#include "status.h"

int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_judge(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_history(int argc, char **argv);

#endif
