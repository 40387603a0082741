/* ref_chip.c - reference cores joined by an ideal, barrier-synchronised NoC. */
#include "ref_chip.h"

#include <stdlib.h>
#include <string.h>

static lsnn_ref_chip *chip_new(const lsnn_hw_config *cfg, int n, lsnn_error *e)
{
    lsnn_ref_chip *c = calloc(1, sizeof *c);
    if (c) c->core = calloc((size_t)n, sizeof *c->core);
    if (!c || !c->core) {
        free(c);
        lsnn_fail(e, "chip: out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    c->ncores = n;
    for (int i = 0; i < LSNN_HW_MAX_CORES; i++)
        c->index_of[i] = -1;
    return c;
}

lsnn_ref_chip *lsnn_ref_chip_from_image(const lsnn_image *img, lsnn_error *e)
{
    lsnn_ref_chip *c = chip_new(&img->cfg, img->ncores, e);
    if (!c) return NULL;
    c->owned = 1;
    for (int i = 0; i < img->ncores; i++) {
        c->core[i] = lsnn_image_to_core(img, i, e);
        if (!c->core[i]) {
            lsnn_ref_chip_free(c);
            return NULL;
        }
        c->index_of[c->core[i]->core_id] = i;
    }
    return c;
}

lsnn_ref_chip *lsnn_ref_chip_wrap(lsnn_ref_core *const *cores, int n, lsnn_error *e)
{
    if (n < 1) {
        lsnn_fail(e, "chip: no cores");
        return NULL;
    }
    lsnn_ref_chip *c = chip_new(&cores[0]->cfg, n, e);
    if (!c) return NULL;
    for (int i = 0; i < n; i++) {
        if (c->index_of[cores[i]->core_id] >= 0) {
            lsnn_fail(e, "chip: core id %u appears twice", cores[i]->core_id);
            lsnn_ref_chip_free(c);
            return NULL;
        }
        c->core[i] = cores[i];
        c->index_of[cores[i]->core_id] = i;
    }
    return c;
}

void lsnn_ref_chip_free(lsnn_ref_chip *c)
{
    if (!c) return;
    if (c->owned)
        for (int i = 0; i < c->ncores; i++)
            lsnn_ref_free(c->core[i]);
    free(c->core);
    free(c->noc);
    if (c->out) {
        free(c->out->w);
        free(c->out->port);
        free(c->out->core);
        free(c->out);
    }
    free(c);
}

/* The emit callback of one core: NoC words wait for the barrier. Host-out words are not
 * consumed: the host reads the readouts' state (§6), and v1 images route no spike to it. */
typedef struct {
    lsnn_ref_chip *chip;
    int ci;
    int oom;
} emit_ctx;

/* Appends a word to the recorded outputs (lsnn_target_ref with record_outputs). */
static void record_word(lsnn_ref_chip_words *o, int ci, int port, uint32_t word)
{
    if (o->n == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 256;
        uint32_t *w = realloc(o->w, cap * sizeof *w);
        int *p = w ? realloc(o->port, cap * sizeof *p) : NULL;
        int *k = p ? realloc(o->core, cap * sizeof *k) : NULL;
        if (w) o->w = w;
        if (p) o->port = p;
        if (!k) {
            o->oom = 1;
            return;
        }
        o->core = k;
        o->cap = cap;
    }
    o->w[o->n] = word;
    o->port[o->n] = port;
    o->core[o->n++] = ci;
}

static void on_emit(void *p, int port, uint32_t word)
{
    emit_ctx *x = p;
    lsnn_ref_chip *c = x->chip;
    if (c->record) record_word(c->out, x->ci, port, word);
    if (port == LSNN_REF_PORT_HOST) return;
    if (c->n_noc == c->cap_noc) {
        size_t cap = c->cap_noc ? 2 * c->cap_noc : 256;
        uint32_t *n = realloc(c->noc, cap * sizeof *n);
        if (!n) {
            x->oom = 1;
            return;
        }
        c->noc = n;
        c->cap_noc = cap;
    }
    /* a NoC word uses bits [23:0]; the source index rides in [31:24] for the hop count */
    c->noc[c->n_noc++] = ((uint32_t)x->ci << 24) | (word & 0xFFFFFFu);
}

void lsnn_ref_chip_clear(lsnn_ref_chip *c)
{
    uint64_t worst = 0;
    if (c->record) c->out->n = 0;
    for (int i = 0; i < c->ncores; i++) {
        emit_ctx x = {c, i, 0};
        lsnn_ref_clear(c->core[i], on_emit, &x);
        if (c->core[i]->c_clear > worst) worst = c->core[i]->c_clear;
    }
    c->n_noc = 0;
    c->chip_cycles += worst;
}

int lsnn_ref_chip_word(lsnn_ref_chip *c, int ci, uint32_t word)
{
    emit_ctx x = {c, ci, 0};
    lsnn_ref_word(c->core[ci], word, on_emit, &x);
    return x.oom ? -1 : 0;
}

void lsnn_ref_chip_event(lsnn_ref_chip *c, int ci, uint32_t axon)
{
    lsnn_ref_event(c->core[ci], axon);
}

static uint32_t hops(const lsnn_ref_chip *c, uint32_t from_id, uint32_t to_id)
{
    (void)c;
    int dx = (int)(from_id & 15u) - (int)(to_id & 15u); /* id = 16 * y + x (§16.1) */
    int dy = (int)(from_id >> 4) - (int)(to_id >> 4);
    return (uint32_t)(abs(dx) + abs(dy));
}

int lsnn_ref_chip_tick(lsnn_ref_chip *c)
{
    uint64_t worst = 0;
    int oom = 0;
    c->n_noc = 0;
    if (c->record) c->out->n = 0;
    for (int i = 0; i < c->ncores; i++) {
        emit_ctx x = {c, i, 0};
        lsnn_ref_tick(c->core[i], on_emit, &x);
        oom |= x.oom;
        if (c->core[i]->last_cycles > worst) worst = c->core[i]->last_cycles;
    }
    c->last_chip_cycles = worst;
    c->chip_cycles += worst;
    for (size_t k = 0; k < c->n_noc; k++) {
        uint32_t w = c->noc[k], dst = (w >> 16) & 0xFFu;
        int di = c->index_of[dst];
        if (di < 0) {
            c->noc_lost++;
            continue;
        }
        c->noc_hops += hops(c, c->core[w >> 24]->core_id, dst);
        lsnn_ref_event(c->core[di], w & 0xFFFFu);
    }
    c->n_noc = 0;
    return oom || (c->record && c->out->oom) ? -1 : 0;
}

uint64_t lsnn_ref_chip_counter(const lsnn_ref_chip *c, int i)
{
    uint64_t s = 0;
    for (int k = 0; k < c->ncores; k++)
        s += lsnn_ref_counter(c->core[k], i);
    return s;
}
