/* host.c - the host's side of a placed network: the host map (hostmap.h) of populations,
 * placements, input blocks and readout scale and bias. */
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"

int lsnn_cc_hostmap(const lsnn_compiled *cc, const char *model, lsnn_hostmap *m, lsnn_error *e)
{
    memset(m, 0, sizeof *m);
    snprintf(m->model, sizeof m->model, "%s", model);
    m->n_in = cc->n_in;
    m->n_rec = cc->n_rec;
    m->n_out = cc->n_out;
    m->acc_never_saturates = cc->report.acc_never_sat;
    for (int p = 0; p <= cc->n_pops; p++) {
        const lsnn_cc_pop *q = &cc->pops[p == cc->n_pops ? LSNN_CC_POP_READOUT : p];
        if (q->size == 0) continue;
        lsnn_hm_pop *h = &m->pops[m->n_pops++];
        snprintf(h->name, sizeof h->name, "%s", q->name);
        h->readout = p == cc->n_pops;
        h->first = (uint32_t)q->first;
        h->size = (uint32_t)q->size;
        h->e = q->e;
    }
    m->place = calloc((size_t)cc->n_cores, sizeof *m->place);
    m->inputs = calloc((size_t)cc->n_cores, sizeof *m->inputs);
    m->bias = calloc((size_t)cc->n_out + 1, sizeof *m->bias);
    if (!m->place || !m->inputs || !m->bias) {
        lsnn_hostmap_free(m);
        return lsnn_fail(e, "out of memory");
    }
    for (int c = 0; c < cc->n_cores; c++) {
        const lsnn_cc_core *k = &cc->core[c];
        m->place[m->n_place++] = (lsnn_hm_place){k->id, k->first, k->size, 0};
        if (k->in_base != LSNN_CC_NO_BLOCK)
            m->inputs[m->n_inputs++] = (lsnn_hm_input){k->id, k->in_base};
    }
    m->e_r = cc->e_r;
    memcpy(m->bias, cc->bias, (size_t)cc->n_out * sizeof *m->bias);
    return 0;
}
