/* ref_chip.c - reference cores on the mesh, run by chip commands (§16.5); the mesh itself is
 * ref_mesh.c. */
#include "ref_chip.h"

#include "ref_chip_internal.h"

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
    if (lsnn_ref_mesh_open(c, e)) {
        lsnn_ref_chip_free(c);
        return NULL;
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
    if (lsnn_ref_mesh_open(c, e)) {
        lsnn_ref_chip_free(c);
        return NULL;
    }
    return c;
}

void lsnn_ref_chip_free(lsnn_ref_chip *c)
{
    if (!c) return;
    if (c->owned)
        for (int i = 0; i < c->ncores; i++)
            lsnn_ref_free(c->core[i]);
    lsnn_ref_mesh_close(c);
    free(c->core);
    if (c->out) {
        free(c->out->w);
        free(c->out->port);
        free(c->out->core);
        free(c->out);
    }
    free(c);
}

/* The emit callback of one core: records its words when asked (lsnn_target_ref). Host-out
 * words are not consumed: the host reads the readouts' state (§6). */
typedef struct {
    lsnn_ref_chip *chip;
    int ci;
} emit_ctx;

void lsnn_ref_chip_record(lsnn_ref_chip *c, int ci, int port, uint32_t word)
{
    lsnn_ref_chip_words *o = c->out;
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
    if (x->chip->record) lsnn_ref_chip_record(x->chip, x->ci, port, word);
}

static uint64_t barrier(const lsnn_ref_chip *c)
{
    return lsnn_mesh_barrier_cycles(c->cfg.mesh_x, c->cfg.mesh_y);
}

/* §16.5: CLEAR pushed at T0, popped at T0 + 1, C_clear cycles from T0 + 2 on every core (the
 * cells the image leaves empty clear as long), then the barrier. */
void lsnn_ref_chip_clear(lsnn_ref_chip *c)
{
    if (c->record) c->out->n = 0;
    for (int i = 0; i < c->ncores; i++) {
        emit_ctx x = {c, i};
        lsnn_ref_clear(c->core[i], on_emit, &x);
    }
    c->last_chip_cycles = 2 + c->core[0]->c_clear + barrier(c);
    c->chip_cycles += c->last_chip_cycles;
    c->barrier_cycles += barrier(c);
    c->chip_clears++;
}

void lsnn_ref_chip_set_stalls(lsnn_ref_chip *c, uint64_t seed, unsigned permille)
{
    c->stall_seed = seed;
    c->stall_permille = permille;
}

int lsnn_ref_chip_word(lsnn_ref_chip *c, int ci, uint32_t word)
{
    emit_ctx x = {c, ci};
    lsnn_ref_word(c->core[ci], word, on_emit, &x);
    return c->record && c->out->oom ? -1 : 0;
}

void lsnn_ref_chip_event(lsnn_ref_chip *c, int ci, uint32_t axon)
{
    lsnn_ref_event(c->core[ci], axon);
}

int lsnn_ref_chip_tick(lsnn_ref_chip *c)
{
    if (c->record) c->out->n = 0;
    if (c->ncores == 1) { /* no NoC traffic: the loader keeps routes inside the image */
        emit_ctx x = {c, 0};
        lsnn_ref_tick(c->core[0], on_emit, &x);
        c->last_chip_cycles = 2 + c->core[0]->last_cycles + barrier(c);
        c->barrier_cycles += barrier(c);
    } else {
        c->last_chip_cycles = lsnn_ref_mesh_tick(c);
        if (!c->last_chip_cycles) return -1;
    }
    c->chip_cycles += c->last_chip_cycles;
    c->chip_ticks++;
    return c->record && c->out->oom ? -1 : 0;
}

uint64_t lsnn_ref_chip_counter(const lsnn_ref_chip *c, int i)
{
    uint64_t s = 0;
    for (int k = 0; k < c->ncores; k++)
        s += lsnn_ref_counter(c->core[k], i);
    return s;
}
