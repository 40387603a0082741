/* util.c - what the compiler's passes share: design-rule collection, the report log, options
 * and freeing. Called by the passes, never calling them. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"

void cc_drc_add(cc_drc *d, const char *fmt, ...)
{
    size_t len = strlen(d->msg);
    if (d->n && len + 2 < sizeof d->msg) {
        memcpy(d->msg + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    if (len < sizeof d->msg) vsnprintf(d->msg + len, sizeof d->msg - len, fmt, ap);
    va_end(ap);
    d->n++;
}

int cc_drc_finish(const cc_drc *d, lsnn_error *e)
{
    if (!d->n) return 0;
    return lsnn_fail(e, "%s", d->msg);
}

void cc_log(lsnn_cc_report *r, const char *fmt, ...)
{
    size_t len = strlen(r->log);
    if (len + 2 >= sizeof r->log) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->log + len, sizeof r->log - len - 1, fmt, ap);
    va_end(ap);
    len = strlen(r->log);
    r->log[len] = '\n';
    r->log[len + 1] = 0;
}

void lsnn_cc_default_options(lsnn_cc_options *o)
{
    memset(o, 0, sizeof *o);
    o->route_rel = 1;
}

void cc_core_free(lsnn_cc_core *k)
{
    free(k->axt);
    free(k->lanes);
    free(k->rix);
    free(k->rte);
}

void lsnn_cc_free(lsnn_compiled *cc)
{
    free(cc->bias);
    free(cc->slot_e);
    free(cc->ncfg);
    free(cc->axon);
    free(cc->syn);
    for (int c = 0; cc->core && c < cc->n_cores; c++)
        cc_core_free(&cc->core[c]);
    free(cc->core);
    memset(cc, 0, sizeof *cc);
}
