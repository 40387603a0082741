/* ref_mesh.c - the chip cycle model of docs/neurocore.md §16.6: the mesh's routers, the cores'
 * AER-in FIFOs and their routing phases, simulated cycle by cycle from T0 of a command to the
 * end of its barrier, so that the reference predicts the RTL chip's cycles exactly.
 *
 * The cores' synaptic and neuron phases are the formulas of §10 (lsnn_ref_tick_begin runs
 * them at START and says how many cycles they take); only what the network can delay runs
 * cycle by cycle: routing phases (a NoC delivery waits for its injection FIFO), flits in router
 * FIFOs, and EVENT pops from AER-in into pend. Cycles in which nothing of that is in flight
 * are skipped to the next routing phase's start. Every cycle reads the state at its start
 * (FIFO fill levels, head flits) and writes at its end, as registers do. */
#include <stdlib.h>
#include <string.h>

#include "mesh.h"
#include "ref_chip.h"
#include "ref_chip_internal.h"

enum { PH_IDLE, PH_PRE, PH_ROUTE, PH_DONE };

/* A bound no tick reaches (§16.2: every flit drains; link stalls are at most 900 permille). */
#define LSNN_REF_MESH_MAX_CYCLES 4000000000ull

typedef struct {
    uint32_t w[LSNN_HW_NOC_BUFFER_MAX];
    int head, n;
} flit_fifo;

typedef struct {
    uint32_t *w; /* [fifo_in] */
    int head, n;
} word_fifo;

typedef struct {
    int ci; /* the image's core index, -1 for a cell the image leaves empty */
    int x, y;
    flit_fifo in[LSNN_PORTS];
    int last[LSNN_PORTS];
    word_fifo aer;
    int n0[LSNN_PORTS], aer0; /* fill levels at the start of the cycle: readiness reads them */
    int phase;
    uint64_t route_at; /* the cycle the routing phase starts (PH_PRE) */
    uint64_t nempty;   /* an empty cell: its routing machine's one (drain) cycle is left */
} cell;

typedef struct lsnn_ref_mesh {
    int ncells;
    cell *cell; /* [mesh_x * mesh_y], row-major */
    int by_id[LSNN_HW_MAX_CORES];
} lsnn_ref_mesh;

typedef struct {
    int cell, port; /* input FIFO of cell's router; port -1: the cell's AER-in */
    uint32_t w;
} push;

static uint32_t fifo_head(const flit_fifo *f)
{
    return f->w[f->head];
}

static void fifo_pop(flit_fifo *f)
{
    f->head = (f->head + 1) % LSNN_HW_NOC_BUFFER_MAX;
    f->n--;
}

static void fifo_push(flit_fifo *f, uint32_t w)
{
    f->w[(f->head + f->n) % LSNN_HW_NOC_BUFFER_MAX] = w;
    f->n++;
}

int lsnn_ref_mesh_open(lsnn_ref_chip *c, lsnn_error *e)
{
    const lsnn_hw_config *g = &c->cfg;
    lsnn_ref_mesh *m = calloc(1, sizeof *m);
    int n = g->mesh_x * g->mesh_y;
    if (m) m->cell = calloc((size_t)n, sizeof *m->cell);
    if (!m || !m->cell) {
        free(m);
        return lsnn_fail(e, "chip: out of memory for the mesh");
    }
    m->ncells = n;
    for (int i = 0; i < LSNN_HW_MAX_CORES; i++)
        m->by_id[i] = -1;
    for (int k = 0; k < n; k++) {
        cell *q = &m->cell[k];
        q->x = k % g->mesh_x;
        q->y = k / g->mesh_x;
        unsigned id = lsnn_hw_core_id(q->x, q->y);
        q->ci = c->index_of[id];
        m->by_id[id] = k;
        q->aer.w = calloc((size_t)g->fifo_in, sizeof *q->aer.w);
        if (!q->aer.w) {
            c->mesh = m;
            lsnn_ref_mesh_close(c);
            return lsnn_fail(e, "chip: out of memory for the mesh");
        }
    }
    for (int i = 0; i < c->ncores; i++)
        if (m->by_id[c->core[i]->core_id] < 0) {
            c->mesh = m;
            lsnn_ref_mesh_close(c);
            return lsnn_fail(e, "chip: core id %u is not a cell of the mesh [%d, %d]",
                             c->core[i]->core_id, g->mesh_x, g->mesh_y);
        }
    c->mesh = m;
    return 0;
}

void lsnn_ref_mesh_close(lsnn_ref_chip *c)
{
    lsnn_ref_mesh *m = c->mesh;
    if (!m) return;
    for (int k = 0; k < m->ncells; k++)
        free(m->cell[k].aer.w);
    free(m->cell);
    free(m);
    c->mesh = NULL;
}

/* The cell of the neighbour that output `port` of cell k feeds, and the input it enters. */
static int neighbour(const lsnn_ref_mesh *m, const lsnn_hw_config *g, int k, int port, int *in)
{
    const cell *q = &m->cell[k];
    switch (port) {
    case LSNN_PORT_E:
        *in = LSNN_PORT_W;
        return q->x + 1 < g->mesh_x ? k + 1 : -1;
    case LSNN_PORT_W:
        *in = LSNN_PORT_E;
        return q->x > 0 ? k - 1 : -1;
    case LSNN_PORT_N:
        *in = LSNN_PORT_S;
        return q->y > 0 ? k - g->mesh_x : -1;
    case LSNN_PORT_S:
        *in = LSNN_PORT_N;
        return q->y + 1 < g->mesh_y ? k + g->mesh_x : -1;
    default:
        return -1;
    }
}

/* One cycle of every router (§16.2), reading fill levels and heads at the cycle's start; the
 * moves are queued in pushes (applied by the caller at the cycle's end). */
static int routers_cycle(lsnn_ref_chip *c, uint64_t cycle, push *pushes, int np)
{
    lsnn_ref_mesh *m = c->mesh;
    const lsnn_hw_config *g = &c->cfg;
    for (int k = 0; k < m->ncells; k++) {
        cell *q = &m->cell[k];
        int want[LSNN_PORTS];
        int any = 0;
        for (int i = 0; i < LSNN_PORTS; i++) {
            want[i] = q->in[i].n ? lsnn_mesh_route(fifo_head(&q->in[i]) >> 16, q->x, q->y) : -1;
            any |= q->in[i].n;
        }
        if (!any) continue;
        unsigned id = lsnn_hw_core_id(q->x, q->y);
        for (int o = 0; o < LSNN_PORTS; o++) {
            int grant = -1;
            for (int s = 1; s <= LSNN_PORTS && grant < 0; s++) {
                int i = (q->last[o] + s) % LSNN_PORTS;
                if (want[i] == o) grant = i;
            }
            if (grant < 0) continue;
            int in = 0, nb = o == LSNN_PORT_L ? k : neighbour(m, g, k, o, &in);
            /* a flit routed off the mesh never gets room: the loader rules it out (§13) */
            int room = nb < 0                 ? 0
                       : o == LSNN_PORT_L ? m->cell[k].aer0 < g->fifo_in
                                          : m->cell[nb].n0[in] < g->noc_buffer;
            int ready = room && !lsnn_link_stalled(c->stall_seed, c->stall_permille,
                                                   c->chip_cycles + cycle, id, (unsigned)o);
            if (!ready) {
                c->link_stalls[id][o]++;
                continue;
            }
            uint32_t flit = fifo_head(&q->in[grant]);
            fifo_pop(&q->in[grant]);
            q->last[o] = grant;
            c->flits[id][o]++;
            if (o == LSNN_PORT_L)
                pushes[np++] = (push){k, -1, flit & 0xFFFFu}; /* the EVENT word */
            else {
                pushes[np++] = (push){nb, in, flit};
                c->noc_hops++;
            }
        }
    }
    return np;
}

/* The emit callback of a core in the chip: records its words (lsnn_target_ref). */
typedef struct {
    lsnn_ref_chip *chip;
    int ci;
} emit_ctx;

static void on_emit(void *p, int port, uint32_t word)
{
    emit_ctx *x = p;
    if (x->chip->record) lsnn_ref_chip_record(x->chip, x->ci, port, word);
}

/* A core's cycle outside the network: START, routing, DONE, and the EVENT pop of §16.6. */
static int core_cycle(lsnn_ref_chip *c, cell *q, uint64_t cycle, push *pushes, int np)
{
    const lsnn_hw_config *g = &c->cfg;
    int may_pop = 1;
    if (cycle == 2) { /* START */
        may_pop = 0;
        q->phase = PH_PRE;
        q->route_at = 2 + (q->ci < 0     ? 5
                           : c->begin ? c->begin(c->begin_ctx, q->ci)
                                      : lsnn_ref_tick_begin(c->core[q->ci]));
    } else if (q->phase == PH_PRE && cycle == q->route_at) {
        q->phase = PH_ROUTE;
    }
    if (q->phase == PH_ROUTE && cycle >= q->route_at) {
        if (q->ci < 0) {
            q->phase = PH_DONE; /* an empty cell: its drain cycle */
        } else {
            lsnn_ref_core *core = c->core[q->ci];
            emit_ctx x = {c, q->ci};
            int ready = q->n0[LSNN_PORT_L] < g->noc_buffer;
            int r = lsnn_ref_route_cycle(core, ready, on_emit, &x);
            if (r & LSNN_REF_RC_NOC)
                pushes[np++] = (push){(int)(q - c->mesh->cell), LSNN_PORT_L, core->route.noc_word};
            if (r & LSNN_REF_RC_LOCAL) may_pop = 0;
            if (r & LSNN_REF_RC_LAST) q->phase = PH_DONE;
        }
        q->route_at = cycle; /* DONE is the next cycle */
    } else if (q->phase == PH_DONE && cycle > q->route_at) {
        if (q->ci >= 0) {
            emit_ctx x = {c, q->ci};
            lsnn_ref_tick_end(c->core[q->ci], on_emit, &x);
        }
        q->phase = PH_IDLE;
    }
    if (may_pop && q->aer.n) {
        uint32_t w = q->aer.w[q->aer.head];
        q->aer.head = (q->aer.head + 1) % g->fifo_in;
        q->aer.n--;
        if (q->ci >= 0) lsnn_ref_word(c->core[q->ci], w, NULL, NULL); /* an EVENT */
    }
    return np;
}

/* The next cycle at which something happens, when nothing is in flight (*busy 0): the earliest
 * routing start of a core still in its synaptic or neuron phase; 0 when there is none, which
 * with *busy 0 means the chip is quiet (§16.5: every core idle, every FIFO empty). */
static uint64_t next_event(const lsnn_ref_mesh *m, int *busy)
{
    uint64_t next = 0;
    *busy = 0;
    for (int k = 0; k < m->ncells; k++) {
        const cell *q = &m->cell[k];
        if (q->aer.n || q->phase == PH_ROUTE || q->phase == PH_DONE) *busy = 1;
        for (int p = 0; p < LSNN_PORTS && !*busy; p++)
            if (q->in[p].n) *busy = 1;
        if (q->phase == PH_PRE && (!next || q->route_at < next)) next = q->route_at;
    }
    return next;
}

uint64_t lsnn_ref_mesh_tick(lsnn_ref_chip *c)
{
    lsnn_ref_mesh *m = c->mesh;
    const lsnn_hw_config *g = &c->cfg;
    size_t cap = (size_t)m->ncells * (LSNN_PORTS + 1);
    push stack[64 * (LSNN_PORTS + 1)], *pushes = m->ncells <= 64 ? stack : malloc(cap * sizeof *pushes);
    if (!pushes) return 0;
    /* T0 = cycle 0 pushes TICK; cycle 1 pops it; START at cycle 2 */
    for (int k = 0; k < m->ncells; k++)
        m->cell[k].phase = PH_PRE, m->cell[k].route_at = (uint64_t)-1;
    uint64_t cycle = 2, tq = 0;
    for (;;) {
        int busy;
        if (cycle > 2) {
            uint64_t next = next_event(m, &busy);
            if (!busy && !next) {
                tq = cycle;
                break;
            }
            if (!busy && next > cycle) cycle = next;
            if (cycle > LSNN_REF_MESH_MAX_CYCLES) break; /* cannot happen: XY routes drain */
        }
        int np = 0;
        for (int k = 0; k < m->ncells; k++) { /* a pop in this cycle makes no room in it */
            cell *q = &m->cell[k];
            q->aer0 = q->aer.n;
            for (int p = 0; p < LSNN_PORTS; p++)
                q->n0[p] = q->in[p].n;
        }
        for (int k = 0; k < m->ncells; k++)
            np = core_cycle(c, &m->cell[k], cycle, pushes, np);
        np = routers_cycle(c, cycle, pushes, np);
        for (int i = 0; i < np; i++) {
            cell *q = &m->cell[pushes[i].cell];
            if (pushes[i].port >= 0)
                fifo_push(&q->in[pushes[i].port], pushes[i].w);
            else
                q->aer.w[(q->aer.head + q->aer.n++) % g->fifo_in] = pushes[i].w;
        }
        cycle++;
    }
    if (pushes != stack) free(pushes);
    if (!tq) return 0;
    uint64_t lb = lsnn_mesh_barrier_cycles(g->mesh_x, g->mesh_y);
    c->barrier_cycles += lb;
    return tq + lb;
}
