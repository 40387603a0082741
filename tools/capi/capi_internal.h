/* capi_internal.h - what the files of liblsnn.so share: the last error and the capture of
 * the messages that the command line's helpers print on stderr. */
#ifndef LSNN_CAPI_INTERNAL_H
#define LSNN_CAPI_INTERNAL_H

#include <stdio.h>

/* Sets lsnn_capi_error() (printf-style); returns -1. */
int capi_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* stderr (and optionally stdout) redirected into temporary files while the library runs the
 * command line's code, which prints its messages there. */
typedef struct {
    int saved_err, saved_out; /* the original descriptors, or -1 */
    FILE *err, *out;          /* the temporary files, or NULL */
} capi_capture;

/* Starts capturing stderr, and stdout if want_out. 0, or -1 with the error set. */
int capi_capture_begin(capi_capture *c, int want_out);

/* Stops capturing. failed: the captured stderr becomes the last error (what if it is empty);
 * else it is passed on to stderr. out (may be NULL): the captured stdout, malloc'ed. Returns
 * -1 if failed or the capture could not be read back, else 0. */
int capi_capture_end(capi_capture *c, int failed, const char *what, char **out);

#endif
