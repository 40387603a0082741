/* cli_spawn.h - runs another program (gnuplot, or lsnn itself for lsnn report) and waits. */
#ifndef LSNN_CLI_SPAWN_H
#define LSNN_CLI_SPAWN_H

/* Runs argv (argv[0] looked up in PATH unless it has a '/') with stdout into out_path and
 * stderr into err_path (either NULL: /dev/null), stdin from /dev/null. Returns its exit
 * status (128 + signal when killed), or -1 with errno when it could not be started. */
int cli_spawn(char *const argv[], const char *out_path, const char *err_path);

/* The path of the running lsnn (/proc/self/exe), for commands that run lsnn again; NULL when
 * it cannot be read. Returns a static buffer. */
const char *cli_self_path(void);

/* The last non-empty line of a file (an error message) into buf ("" if none). */
void cli_last_line(const char *path, char *buf, int n);

#endif
