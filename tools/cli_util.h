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

/* Monotonic seconds, for timings (defined in lsnn_fixed.c). */
double cli_now_s(void);

#endif
