/* commands.h - the entry points of the lsnn commands (cmd_*.c), dispatched by lsnn.c. Each takes
 * the command's arguments (argv[0] is its name) and returns the exit status: 0, 1 for a
 * failure at run time, 2 for a usage error. */
#ifndef LSNN_CLI_COMMANDS_H
#define LSNN_CLI_COMMANDS_H

int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_energy(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_trace_diff(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_nir_import(int argc, char **argv);
int cmd_nir_export(int argc, char **argv);

#endif
