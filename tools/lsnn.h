/* lsnn.h - shared helpers of the lsnn command line. */
#ifndef LSNN_CLI_H
#define LSNN_CLI_H

int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);

/* Parses a decimal integer option value in [lo, hi]; prints an error and returns -1 on bad
 * input. */
int cli_int(const char *opt, const char *s, long lo, long hi, long *out);

#endif
