/* error.c - formatting of lsnn_error messages. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lsnn_fail(lsnn_error *e, const char *fmt, ...)
{
    if (!e) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int lsnn_fail_prefix(lsnn_error *e, const char *fmt, ...)
{
    if (!e) return -1;
    char prefix[LSNN_ERR_LEN], old[LSNN_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(e->msg, sizeof e->msg, "%s: %s", prefix, old);
    return -1;
}
