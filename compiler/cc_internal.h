/* cc_internal.h - helpers shared by the compiler's stages (not part of the public API). */
#ifndef LSNN_CC_INTERNAL_H
#define LSNN_CC_INTERNAL_H

#include "compiler.h"

/* A design-rule collector: every violation is appended to msg, "; " apart. */
typedef struct {
    int n;
    char msg[LSNN_ERR_LEN];
} cc_drc;

void cc_drc_add(cc_drc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 0 when no rule was violated, else -1 with the collected message in e. */
int cc_drc_finish(const cc_drc *d, lsnn_error *e);

/* Frees a placed core's tables (axt, lanes, rix, rte). */
void cc_core_free(lsnn_cc_core *k);

/* Appends one line to the report log (silently truncated when full). */
void cc_log(lsnn_cc_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
