/* cli_vectors.c - the recorder of cli_vectors.h: a target that forwards to another and writes
 * what it was given and what came out. */
#include "cli_vectors.h"

#include <stdlib.h>
#include <string.h>

#include "mesh.h"

static void put(cli_vectors *v, const void *p, size_t n)
{
    if (fwrite(p, 1, n, v->file.f) != n) v->failed = 1;
}

static void put_u64(cli_vectors *v, uint64_t x)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(x >> (8 * i));
    put(v, b, 8);
}

static uint64_t fnv(uint64_t h, int64_t x)
{
    for (int i = 0; i < 8; i++)
        h = (h ^ (uint8_t)((uint64_t)x >> (8 * i))) * 0x100000001b3ull;
    return h;
}

static uint64_t digest(cli_vectors *v, uint64_t cycles)
{
    lsnn_target *t = &v->inner;
    uint64_t h = 0xcbf29ce484222325ull;
    uint32_t nu = t->nu(t->ctx, 0);
    for (uint32_t n = 0; n < nu; n++) {
        lsnn_ref_state s;
        t->state(t->ctx, 0, n, &s);
        h = fnv(fnv(fnv(fnv(fnv(h, s.v), s.a), s.ref), s.z), s.isyn);
    }
    return fnv(h, (int64_t)cycles);
}

static int r_clear(void *p, lsnn_error *e)
{
    cli_vectors *v = p;
    if (v->inner.clear(v->inner.ctx, e)) return -1;
    uint64_t k[LSNN_REF_NCOUNTERS];
    v->inner.counters(v->inner.ctx, 0, k);
    put(v, "C", 1);
    put_u64(v, digest(v, k[LSNN_REF_CYCLES]));
    v->nev = 0;
    return 0;
}

static int r_event(void *p, int ci, uint32_t axon, lsnn_error *e)
{
    cli_vectors *v = p;
    if (v->nev == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 256;
        uint16_t *ev = realloc(v->ev, cap * sizeof *ev);
        if (!ev) return lsnn_fail(e, "--vectors: out of memory");
        v->ev = ev, v->cap = cap;
    }
    if (axon > 0xFFFF || v->nev == 0xFFFF)
        return lsnn_fail(e, "--vectors: axon %u or %zu events in one tick beyond the format", axon,
                         v->nev);
    v->ev[v->nev++] = (uint16_t)axon;
    return v->inner.event(v->inner.ctx, ci, axon, e);
}

static int r_tick(void *p, lsnn_error *e)
{
    cli_vectors *v = p;
    if (v->inner.tick(v->inner.ctx, e)) return -1;
    uint8_t head[3] = {'T', (uint8_t)v->nev, (uint8_t)(v->nev >> 8)};
    put(v, head, 3);
    for (size_t i = 0; i < v->nev; i++) {
        uint8_t b[2] = {(uint8_t)v->ev[i], (uint8_t)(v->ev[i] >> 8)};
        put(v, b, 2);
    }
    /* one core: C_chip = 2 + C_tick + barrier (§16.5) */
    put_u64(v, digest(v, v->inner.tick_cycles(v->inner.ctx) - 2 - v->barrier));
    v->nev = 0;
    return 0;
}

static void r_state(void *p, int ci, uint32_t n, lsnn_ref_state *out)
{
    cli_vectors *v = p;
    v->inner.state(v->inner.ctx, ci, n, out);
}

static void r_counters(void *p, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    cli_vectors *v = p;
    v->inner.counters(v->inner.ctx, ci, out);
}

static uint64_t r_tick_cycles(void *p)
{
    cli_vectors *v = p;
    return v->inner.tick_cycles(v->inner.ctx);
}

static uint32_t r_nu(void *p, int ci)
{
    cli_vectors *v = p;
    return v->inner.nu(v->inner.ctx, ci);
}

static void r_chip_counters(void *p, uint64_t out[LSNN_CHIP_NCOUNTERS])
{
    cli_vectors *v = p;
    v->inner.chip_counters(v->inner.ctx, out);
}

int cli_vectors_open(cli_vectors *v, const char *path, lsnn_target *en, const lsnn_hw_config *cfg,
                     lsnn_error *e)
{
    memset(v, 0, sizeof *v);
    if (en->ncores != 1)
        return lsnn_fail(e, "--vectors: one-core images only (this one has %d cores)", en->ncores);
    if (lsnn_atomic_open(&v->file, path, e)) return -1;
    v->inner = *en;
    v->barrier = lsnn_mesh_barrier_cycles(cfg->mesh_x, cfg->mesh_y);
    put(v, "LSNNVEC1", 8);
    uint32_t hdr[4] = {1, en->nu(en->ctx, 0), 0, 0};
    for (int i = 0; i < 4; i++) {
        uint8_t b[4] = {(uint8_t)hdr[i], (uint8_t)(hdr[i] >> 8), (uint8_t)(hdr[i] >> 16),
                        (uint8_t)(hdr[i] >> 24)};
        put(v, b, 4);
    }
    lsnn_target *s = &v->self;
    *s = *en;
    s->ctx = v;
    s->clear = r_clear;
    s->event = r_event;
    s->tick = r_tick;
    s->state = r_state;
    s->counters = r_counters;
    s->tick_cycles = r_tick_cycles;
    s->nu = r_nu;
    s->chip_counters = en->chip_counters ? r_chip_counters : NULL;
    s->outputs = NULL;
    s->word = NULL;
    s->links = NULL;
    s->set_stalls = NULL;
    s->sim_cycles = NULL;
    s->sim_time = NULL;
    s->close = NULL;
    *en = *s;
    return 0;
}

int cli_vectors_close(cli_vectors *v, lsnn_error *e)
{
    uint64_t k[LSNN_REF_NCOUNTERS];
    v->inner.counters(v->inner.ctx, 0, k);
    put(v, "K", 1);
    for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
        put_u64(v, k[i]);
    put(v, "E", 1);
    free(v->ev);
    v->ev = NULL;
    if (v->failed) {
        lsnn_atomic_abort(&v->file);
        return lsnn_fail(e, "--vectors: write error");
    }
    return lsnn_atomic_commit(&v->file, e);
}

void cli_vectors_abort(cli_vectors *v)
{
    free(v->ev);
    v->ev = NULL;
    if (v->file.f) lsnn_atomic_abort(&v->file);
}
