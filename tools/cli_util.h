/* cli_util.h - small helpers every lsnn command may use: shipped files, JSON strings, time. */
#ifndef LSNN_CLI_UTIL_H
#define LSNN_CLI_UTIL_H

#include <stdio.h>

/* A shipped file such as "models/tech/loihi_like.yaml": the path itself if it exists (relative
 * to the current directory), else the same path in the source tree lsnn was built from, else
 * under the installed share directory (PREFIX/share/lsnn). Returns a static buffer. */
const char *cli_shipped(const char *rel);

/* Prints s to f as a JSON string (quotes, backslashes and control characters escaped). */
void cli_json_string(FILE *f, const char *s);

/* --vcd-ticks A:B: ticks A .. B - 1, counting from 0 over the whole run; ":B" starts at 0 and
 * "A:" runs to the end (*to = 0). 0, or -1 after printing "lsnn CMD: ..." (a usage error). */
int cli_tick_range(const char *cmd, const char *s, long *from, long *to);

/* A command's final line, "lsnn CMD: wrote KIND PATH (SIZE[, NOTE]), KIND PATH (SIZE)", on
 * stderr: the files it wrote, so that a log says where the results are. */
typedef struct {
    char line[4096];
    size_t n;
} cli_wrote;

/* What --vcd-ticks (given: the option was) and --vcd-scope (NULL: none) kept, as "ticks
 * 2..5, scope neurocore.u_ctrl" (or "") into buf: the note of the VCD in the final line. */
void cli_vcd_limits(char *buf, size_t n, int given, long from, long to, const char *scope);

/* A regular file's size as "1.2 MB" (or "" for anything else) into buf. */
void cli_size_of(const char *path, char *buf, size_t n);

/* Adds a file (path NULL: nothing) with its size and an optional note ("ticks 2..5"). */
void cli_wrote_add(cli_wrote *w, const char *kind, const char *path, const char *note);

/* Prints the line unless mode is LSNN_PROGRESS_QUIET (--quiet) or nothing was added. */
void cli_wrote_print(const cli_wrote *w, const char *cmd, int mode);

/* Monotonic seconds, for timings (defined in lsnn_fixed.c). */
double cli_now_s(void);

#endif
