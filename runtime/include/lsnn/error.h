/* error.h - error reports that name the file, the place and the limit.
 *
 * Every fallible runtime function takes an lsnn_error * last and returns 0 on success
 * or -1 on failure, with a one-line human message in e->msg (no trailing newline).
 * A NULL e is allowed: the message is then dropped. */
#ifndef LSNN_ERROR_H
#define LSNN_ERROR_H

#define LSNN_ERR_LEN 1024

typedef struct {
    char msg[LSNN_ERR_LEN];
} lsnn_error;

/* printf-style: fills e->msg and returns -1, so callers can `return lsnn_fail(e, ...)`. */
int lsnn_fail(lsnn_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes the existing message with "prefix: ", returns -1. */
int lsnn_fail_prefix(lsnn_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
