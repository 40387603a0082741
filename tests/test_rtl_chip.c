/* test_rtl_chip.c - the chip of docs/neurocore.md §16 in RTL (rtl/nc_chip.v, hw/rtl_chip.h).
 *
 * Hand-built images on meshes 1x1 .. 4x4 of the small core (chip_small; the default core on a
 * 2x3 mesh, chip_default): every neuron of an image core spikes in every tick (v far above a
 * threshold of 1, no leak, no refractory time), and its route list sends the spike by a
 * traffic pattern: all-to-all (every neuron to every other core), a hot spot (every core to
 * one core, two entries per neuron), duplicates (every entry to one axon of the hot core), a
 * single flit corner to corner, or none (own latch and host only). Cells of the active mesh
 * that the image leaves empty hold NU = XU = 0 cores. Since every spike and every route is
 * known, the test knows each tick's outcome and checks, after every tick:
 *   - every core: spikes, route counters, spikes_core/local/host, events_in and dup_events (the
 *     NoC deliveries of the tick and the host EVENTs sent before it), bad_words 0, its cycles
 *     equal to §10.2's formula over its own counters (7 + L + E + Wd + ceil(NU/NL) + K + Rt +
 *     St), and
 *     its output words per port (NoC words in route order, SPIKE words, TICK_DONE);
 *   - every router output: flits = the flits whose XY path leaves through it (so hops and
 *     ejections are exact: every flit ejected once, sum of spikes_core = sum of flits[.][L]);
 *   - the chip: C_chip >= 2 + max C_tick + Lb, and = when no flit crosses the NoC; a single
 *     flit at distance h costs exactly h + 1 more (§16.2, §16.5); chip_ticks, chip_clears,
 *     chip_cycles and barrier_cycles add up;
 * with 1-, 2- and 16-flit router FIFOs, with and without link stalls (which must then stall
 * links). Also: CLEAR (C = 2 + C_clear + Lb, states and tick zero, spiking stops), loading
 * through the programming bus (one run from random registers and memories), through
 * $readmemh, a VCD, the hang detector on a flit for a cell outside the active mesh (it must
 * name the router, the input port, the requested output and the head flit), and the router
 * mutant (LSNN_RTL_MUTANT=wrong_turn: every flit still arrives, but the link counters differ
 * from XY, so a cycle-exact comparison catches it).
 * Skipped (exit 77, ctest's SKIP_RETURN_CODE) when this build has no chip model (the ASan build).
 */
#include "check.h"
#include "image.h"
#include "ref_core.h"
#include "rtl_check.h"
#include "rtl_chip.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { P_ALL, P_HOT, P_DUP, P_LOCAL, P_ONE };
static const char *const pattern_names[] = {"all-to-all", "hot spot", "duplicates", "no NoC",
                                            "one flit"};

#define MAXC 256 /* cells: core ids 16*y + x */

typedef struct {
    lsnn_hw_config g;
    int pattern, nu;
    uint32_t hot;    /* the hot spot's core id */
    int has[MAXC];   /* cell id holds an image core */
    int index[MAXC]; /* its core index in the image */
} scenario;

typedef struct {
    int kind; /* LSNN_REF_RTE_CORE / _HOST */
    uint32_t core, axon;
} route;

static int active(const scenario *s, uint32_t id)
{
    return (int)(id & 15u) < s->g.mesh_x && (int)(id >> 4) < s->g.mesh_y;
}

/* a core's index in the row-major order of the mesh (0..15 on the meshes here) */
static uint32_t src_index(const scenario *s, uint32_t id)
{
    return (id >> 4) * (uint32_t)s->g.mesh_x + (id & 15u);
}

/* The route list of neuron n of core id under the scenario's pattern. */
static int routes_of(const scenario *s, uint32_t id, int n, route *r)
{
    int k = 0;
    uint32_t si = src_index(s, id);
    switch (s->pattern) {
    case P_ALL: /* every other image core; axon = source index * 16 + n (distinct) */
        for (uint32_t d = 0; d < MAXC; d++)
            if (d != id && s->has[d] && k < 15)
                r[k++] = (route){LSNN_REF_RTE_CORE, d, si * 16 + (uint32_t)n};
        break;
    case P_HOT: /* two entries per neuron to the hot core (own latch on the hot core) */
        for (int e = 0; e < 2; e++)
            r[k++] = (route){LSNN_REF_RTE_CORE, s->hot,
                             ((si * 8 + (uint32_t)n) * 2 + (uint32_t)e) % 256};
        r[k++] = (route){LSNN_REF_RTE_HOST, 0, (uint32_t)n};
        break;
    case P_DUP: /* three entries to axon 7 of the hot core (its own: to its axon 8) */
        for (int e = 0; e < 3; e++)
            r[k++] = (route){LSNN_REF_RTE_CORE, s->hot, id == s->hot ? 8 : 7};
        break;
    case P_LOCAL: /* own latch and host: nothing crosses the NoC */
        r[k++] = (route){LSNN_REF_RTE_CORE, id, (uint32_t)n};
        r[k++] = (route){LSNN_REF_RTE_HOST, 0, 100 + (uint32_t)n};
        break;
    case P_ONE: /* the core at (0, 0) sends one flit to the hot core */
        if (id == 0 && n == 0) r[k++] = (route){LSNN_REF_RTE_CORE, s->hot, 3};
        break;
    }
    return k;
}

static void must(int rc, const lsnn_error *e, const char *what)
{
    must_at("test_rtl_chip", rc, e, what);
}

/* The image: one core per cell of s->has, each neuron spiking every tick. */
static void build_image(scenario *s, lsnn_image *img)
{
    lsnn_error e = {{0}};
    int n = 0;
    for (uint32_t id = 0; id < MAXC; id++)
        if (s->has[id]) s->index[id] = n++;
    must(lsnn_image_init(img, &s->g, n, &e), &e, "image init");
    lsnn_ref_profile pr = {0};
    pr.b0 = 1; /* A = 1; v starts far above it and drops by 1 per spike */
    lsnn_ref_state st = {0};
    st.v = 1 << 20;
    for (uint32_t id = 0; id < MAXC; id++) {
        if (!s->has[id]) continue;
        int i = s->index[id];
        img->cores[i].core_id = id;
        int nu = s->pattern == P_ONE ? (id == 0 ? 1 : 0) : s->nu;
        img->cores[i].nu = (uint32_t)nu;
        img->cores[i].xu = (uint32_t)s->g.axons;
        must(lsnn_image_put_profile(img, i, 0, &pr, &e), &e, "profile");
        uint32_t base = 0;
        for (int k = 0; k < nu; k++) {
            must(lsnn_image_put_state(img, i, (uint32_t)k, &st, &e), &e, "state");
            route r[15];
            int cnt = routes_of(s, id, k, r);
            lsnn_ref_rix x = {base, (uint32_t)cnt};
            must(lsnn_image_put_rix(img, i, (uint32_t)k, &x, &e), &e, "rix");
            for (int j = 0; j < cnt; j++) {
                lsnn_ref_rte t = {(uint32_t)r[j].kind, 0, r[j].core, r[j].axon};
                must(lsnn_image_put_rte(img, i, base + (uint32_t)j, &t, &e), &e, "rte");
            }
            base += (uint32_t)cnt;
        }
    }
}

static lsnn_hw_config chip_cfg(const char *core, int mx, int my, int b)
{
    lsnn_hw_config g = make_cfg(cfg_named(core));
    g.mesh_x = mx, g.mesh_y = my, g.noc_buffer = b;
    return g;
}

/* Host EVENTs of one tick: (core, axon) pairs, in [256, 512) so that they never meet a NoC
 * delivery's axon; some twice (duplicates). */
typedef struct {
    uint32_t core[64], axon[64];
    int n;
} host_events;

static void make_events(const scenario *s, host_events *h)
{
    h->n = 0;
    int want = (int)below(12);
    for (int k = 0; k < want; k++) {
        uint32_t id;
        do
            id = below(MAXC);
        while (!s->has[id]);
        h->core[h->n] = id;
        h->axon[h->n] = 256 + below(k < 2 ? 4 : 256);
        h->n++;
    }
}

/* the router outputs a flit from src to dst leaves through (XY), added to f[cell][o] */
static void walk(uint32_t src, uint32_t dst, uint64_t f[MAXC][LSNN_PORTS])
{
    int x = (int)(src & 15u), y = (int)(src >> 4);
    for (;;) {
        int o = lsnn_mesh_route(dst, x, y);
        f[16 * y + x][o]++;
        if (o == LSNN_PORT_L) return;
        x += (o == LSNN_PORT_E) - (o == LSNN_PORT_W);
        y += (o == LSNN_PORT_S) - (o == LSNN_PORT_N);
    }
}

typedef struct {
    uint64_t k[MAXC][LSNN_REF_NCOUNTERS];
    uint64_t flits[MAXC][LSNN_PORTS], stalls[MAXC][LSNN_PORTS];
    uint64_t chip[LSNN_CHIP_NCOUNTERS];
} snapshot;

static void snap(const scenario *s, lsnn_rtl_chip *c, snapshot *p)
{
    for (uint32_t id = 0; id < MAXC; id++)
        if (active(s, id)) {
            lsnn_rtl_chip_core_counters(c, id, p->k[id]);
            lsnn_rtl_chip_links(c, id, p->flits[id], p->stalls[id]);
        }
    lsnn_rtl_chip_counters(c, p->chip);
}

static int lb_of(const lsnn_hw_config *g)
{
    return (int)lsnn_mesh_barrier_cycles(g->mesh_x, g->mesh_y);
}

/* What the run has seen (for the checks over whole runs). */
typedef struct {
    uint64_t stalls, flits, extra; /* link stalls, NoC flits, C_chip - (2 + max C_tick + Lb) */
    int link_mismatch;             /* router outputs whose flits differ from XY */
} totals;

/* Runs `ticks` ticks with host events and checks everything after each (file comment).
 * xy_checks = 0 only for the mutant, whose link counters differ from XY by design (they are
 * counted in tot->link_mismatch either way). */
static void run_ticks(const scenario *s, lsnn_rtl_chip *c, int ticks, uint64_t seed, totals *tot,
                      int xy_checks)
{
    lsnn_error e = {{0}};
    snapshot *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    uint64_t(*want)[LSNN_PORTS] = calloc(MAXC, sizeof *want);
    if (!a || !b || !want) exit(1);
    rs = seed * 0x9E3779B97F4A7C15ull + 7;
    const char *pn = pattern_names[s->pattern];
    int lb = lb_of(&s->g);
    for (int t = 0; t < ticks; t++) {
        host_events h;
        make_events(s, &h);
        snap(s, c, a);
        for (int k = 0; k < h.n; k++)
            must(lsnn_rtl_chip_event(c, h.core[k], h.axon[k], &e), &e, "event");
        uint64_t cchip = 0;
        if (lsnn_rtl_chip_tick(c, &cchip, &e)) {
            CHECK(0, "%s [%d, %d] B %d: tick %d: %s", pn, s->g.mesh_x, s->g.mesh_y, s->g.noc_buffer,
                  t, e.msg);
            break;
        }
        snap(s, c, b);
        /* expected deliveries per destination core: multiset of axons -> events_in, dups */
        /* got: host EVENTs (axons 256..511) and NoC deliveries (0..255), which land in one
         * pend; lgot: local deliveries (they count only dup_events, §14a), never on an axon
         * that the NoC delivers to in the same tick */
        static uint16_t got[MAXC][512], lgot[MAXC][512];
        memset(got, 0, sizeof got);
        memset(lgot, 0, sizeof lgot);
        for (int k = 0; k < h.n; k++)
            got[h.core[k]][h.axon[k]]++;
        memset(want, 0, MAXC * sizeof *want);
        uint64_t max_tick = 0, nflits = 0;
        int fail = 0;
        for (uint32_t id = 0; id < MAXC && !fail; id++) {
            if (!active(s, id)) continue;
            const uint64_t *k0 = a->k[id], *k1 = b->k[id];
            uint64_t d[LSNN_REF_NCOUNTERS];
            for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
                d[i] = k1[i] - k0[i];
            if (d[LSNN_REF_CYCLES] > max_tick) max_tick = d[LSNN_REF_CYCLES];
            uint64_t groups = (d[LSNN_REF_NEURON_UPDATES] + (uint64_t)s->g.neuron_lanes - 1) /
                              (uint64_t)s->g.neuron_lanes; /* NU's groups: one tick */
            uint64_t formula = 7 + d[LSNN_REF_LATCH_READS] + d[LSNN_REF_SYN_EVENTS] +
                               d[LSNN_REF_SYN_WORD_READS] + groups + d[LSNN_REF_ROUTE_LOOKUPS] +
                               d[LSNN_REF_ROUTE_READS] + d[LSNN_REF_STALL_CYCLES];
            CHECK(d[LSNN_REF_CYCLES] == formula && d[LSNN_REF_TICKS] == 1,
                  "%s: tick %d core %u: cycles %" PRIu64 ", §10.2 formula %" PRIu64
                  ", ticks %" PRIu64,
                  pn, t, id, d[LSNN_REF_CYCLES], formula, d[LSNN_REF_TICKS]);
            /* this core's spikes and routes, and its expected output words */
            uint64_t nu = 0, rt = 0, ncore = 0, nloc = 0, nhost = 0;
            uint32_t words[1024];
            int nw = 0, nhw = 0;
            uint32_t hwords[1024];
            if (s->has[id]) {
                nu = s->pattern == P_ONE ? (id == 0) : (uint64_t)s->nu;
                for (int n = 0; n < (int)nu; n++) {
                    route r[15];
                    int cnt = routes_of(s, id, n, r);
                    rt += (uint64_t)cnt;
                    for (int j = 0; j < cnt; j++) {
                        if (r[j].kind == LSNN_REF_RTE_HOST) {
                            nhost++;
                            hwords[nhw++] = LSNN_REF_W_SPIKE(r[j].axon);
                        } else if (r[j].core == id) {
                            nloc++;
                            lgot[id][r[j].axon]++;
                        } else {
                            ncore++;
                            words[nw++] = LSNN_REF_W_NOC(r[j].core, r[j].axon);
                            walk(id, r[j].core, want);
                            got[r[j].core][r[j].axon]++;
                        }
                    }
                }
            }
            hwords[nhw++] = LSNN_REF_W_TICK_DONE(k0[LSNN_REF_TICKS]);
            nflits += ncore;
            CHECK(d[LSNN_REF_SPIKES] == nu && d[LSNN_REF_ROUTE_LOOKUPS] == nu &&
                      d[LSNN_REF_ROUTE_READS] == rt && d[LSNN_REF_SPIKES_CORE] == ncore &&
                      d[LSNN_REF_SPIKES_LOCAL] == nloc && d[LSNN_REF_SPIKES_HOST] == nhost,
                  "%s: tick %d core %u: spikes %" PRIu64 " (want %" PRIu64 "), route_reads %" PRIu64
                  " (%" PRIu64 "), core/local/host %" PRIu64 "/%" PRIu64 "/%" PRIu64 " (%" PRIu64
                  "/%" PRIu64 "/%" PRIu64 ")",
                  pn, t, id, d[LSNN_REF_SPIKES], nu, d[LSNN_REF_ROUTE_READS], rt,
                  d[LSNN_REF_SPIKES_CORE], d[LSNN_REF_SPIKES_LOCAL], d[LSNN_REF_SPIKES_HOST], ncore,
                  nloc, nhost);
            /* output words, per port in order */
            uint32_t out[2048];
            int op[2048];
            size_t no = lsnn_rtl_chip_outputs(c, id, out, op, 2048);
            int ih = 0, in = 0, bad = no > 2048;
            for (size_t q = 0; q < no && q < 2048 && !bad; q++) {
                if (op[q] == LSNN_REF_PORT_HOST)
                    bad = ih >= nhw || out[q] != hwords[ih++];
                else
                    bad = in >= nw || out[q] != words[in++];
            }
            CHECK(
                !bad && ih == nhw && in == nw,
                "%s: tick %d core %u: output words differ (%zu words; host %d of %d, NoC %d of %d)",
                pn, t, id, no, ih, nhw, in, nw);
            fail |= bad;
        }
        /* deliveries: the NoC's of this tick and the host EVENTs sent before it */
        for (uint32_t id = 0; id < MAXC; id++) {
            if (!active(s, id)) continue;
            uint64_t distinct = 0, all = 0, ldup = 0;
            for (int x = 0; x < 512; x++) {
                distinct += got[id][x] > 0;
                all += got[id][x];
                ldup += lgot[id][x] > 1 ? lgot[id][x] - 1u : 0;
            }
            const uint64_t *k0 = a->k[id], *k1 = b->k[id];
            uint64_t ev = k1[LSNN_REF_EVENTS_IN] - k0[LSNN_REF_EVENTS_IN];
            uint64_t dup = k1[LSNN_REF_DUP_EVENTS] - k0[LSNN_REF_DUP_EVENTS];
            uint64_t bw = k1[LSNN_REF_BAD_WORDS] - k0[LSNN_REF_BAD_WORDS];
            uint64_t want_ev = distinct, want_dup = all - distinct + ldup;
            if (!s->has[id]) { /* an empty cell (XU = 0): everything is a bad word */
                want_ev = want_dup = 0;
            }
            CHECK(ev == want_ev && dup == want_dup && bw == (s->has[id] ? 0 : all),
                  "%s [%d, %d] B %d: tick %d core %u: events_in %" PRIu64 " dup %" PRIu64
                  " bad %" PRIu64 ", want %" PRIu64 " %" PRIu64 " %" PRIu64,
                  pn, s->g.mesh_x, s->g.mesh_y, s->g.noc_buffer, t, id, ev, dup, bw, want_ev,
                  want_dup, s->has[id] ? 0 : all);
            /* link counters: exactly the XY paths */
            for (int o = 0; o < LSNN_PORTS; o++) {
                uint64_t f = b->flits[id][o] - a->flits[id][o];
                tot->stalls += b->stalls[id][o] - a->stalls[id][o];
                if (f != want[id][o]) {
                    tot->link_mismatch++;
                    if (xy_checks)
                        CHECK(0,
                              "%s [%d, %d]: tick %d: router %u output %d: %" PRIu64
                              " flits, XY routing sends %" PRIu64,
                              pn, s->g.mesh_x, s->g.mesh_y, t, id, o, f, want[id][o]);
                }
            }
        }
        /* the chip */
        uint64_t ideal = 2 + max_tick + (uint64_t)lb;
        CHECK(cchip >= ideal && (nflits > 0 || cchip == ideal),
              "%s [%d, %d] B %d: tick %d: C_chip %" PRIu64 ", 2 + max C_tick + Lb = %" PRIu64
              " (%" PRIu64 " flits)",
              pn, s->g.mesh_x, s->g.mesh_y, s->g.noc_buffer, t, cchip, ideal, nflits);
        tot->extra += cchip - ideal;
        tot->flits += nflits;
        CHECK(b->chip[LSNN_CHIP_TICKS] == a->chip[LSNN_CHIP_TICKS] + 1 &&
                  b->chip[LSNN_CHIP_CLEARS] == a->chip[LSNN_CHIP_CLEARS] &&
                  b->chip[LSNN_CHIP_CYCLES] == a->chip[LSNN_CHIP_CYCLES] + cchip &&
                  b->chip[LSNN_CHIP_BARRIER_CYCLES] ==
                      a->chip[LSNN_CHIP_BARRIER_CYCLES] + (uint64_t)lb,
              "%s: tick %d: chip counters ticks %" PRIu64 " clears %" PRIu64 " cycles %" PRIu64
              " barrier %" PRIu64,
              pn, t, b->chip[LSNN_CHIP_TICKS], b->chip[LSNN_CHIP_CLEARS], b->chip[LSNN_CHIP_CYCLES],
              b->chip[LSNN_CHIP_BARRIER_CYCLES]);
        if (fail) break;
    }
    free(a);
    free(b);
    free(want);
}

static lsnn_rtl_chip *open_chip(scenario *s, lsnn_image *img, int readmemh, const char *vcd)
{
    lsnn_error e = {{0}};
    build_image(s, img);
    lsnn_rtl_chip *c = lsnn_rtl_chip_create(&s->g, vcd, &e);
    must(!c, &e, "chip create");
    if (readmemh) {
        char dir[1200];
        snprintf(dir, sizeof dir, "%s/img_%d_%d_%d", check_tmpdir("test_rtl_chip"), s->g.mesh_x,
                 s->g.mesh_y, s->pattern);
        must(lsnn_image_write(img, dir, &e), &e, "image write");
        must(lsnn_rtl_chip_load_readmemh(c, dir, img, &e), &e, "load ($readmemh)");
    } else {
        must(lsnn_rtl_chip_load(c, img, &e), &e, "load (programming bus)");
    }
    return c;
}

/* A scenario: mesh, B, pattern, which cells hold image cores ("all", or all but the last). */
static void scenario_init(scenario *s, const char *core, int mx, int my, int b, int pattern,
                          int leave_last_empty)
{
    memset(s, 0, sizeof *s);
    s->g = chip_cfg(core, mx, my, b);
    s->pattern = pattern;
    s->nu = 8;
    s->hot = lsnn_hw_core_id(mx / 2, my / 2);
    for (int y = 0; y < my; y++)
        for (int x = 0; x < mx; x++)
            s->has[lsnn_hw_core_id(x, y)] = 1;
    if (leave_last_empty && mx * my > 1) s->has[lsnn_hw_core_id(mx - 1, my - 1)] = 0;
    if (pattern == P_ONE) s->hot = lsnn_hw_core_id(mx - 1, my - 1);
}

/* One run: load, ticks, checks; stalls with permille > 0. */
static void run(const char *core, int mx, int my, int b, int pattern, int empty, int readmemh,
                unsigned permille, int ticks, uint64_t seed)
{
    scenario s;
    lsnn_image img;
    scenario_init(&s, core, mx, my, b, pattern, empty);
    lsnn_rtl_chip *c = open_chip(&s, &img, readmemh, NULL);
    if (permille) lsnn_rtl_chip_set_link_stalls(c, 1, seed, permille);
    totals tot = {0};
    run_ticks(&s, c, ticks, seed, &tot, 1);
    CHECK(tot.link_mismatch == 0, "%s [%d, %d]: %d router outputs differ from XY",
          pattern_names[pattern], mx, my, tot.link_mismatch);
    if (permille && tot.flits)
        CHECK(tot.stalls > 0, "%s [%d, %d]: stalls on, none counted", pattern_names[pattern], mx,
              my);
    printf("%-12s %-10s [%d, %d] B %2d%s%s stalls %3u: %d ticks, %" PRIu64 " flits, %" PRIu64
           " link stalls, %" PRIu64 " cycles over 2 + C_tick + Lb\n",
           core, pattern_names[pattern], mx, my, b, empty ? " (empty cell)" : "",
           readmemh ? " readmemh" : " port", permille, ticks, tot.flits, tot.stalls, tot.extra);
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);
}

/* One flit at distance h from (0, 0) to (mx-1, my-1): C_chip = C_tick(source) + h + 3 + Lb
 * (injected in the routing phase's drain cycle T0 + C_tick, ejected h + 1 cycles later, popped
 * in the next cycle; quiet in the one after). */
static void test_one_flit(int mx, int my)
{
    scenario s;
    lsnn_image img;
    lsnn_error e = {{0}};
    scenario_init(&s, "small", mx, my, 2, P_ONE, 0);
    lsnn_rtl_chip *c = open_chip(&s, &img, 1, NULL);
    for (int t = 0; t < 3; t++) {
        uint64_t k0[LSNN_REF_NCOUNTERS], k1[LSNN_REF_NCOUNTERS], cc = 0;
        lsnn_rtl_chip_core_counters(c, 0, k0);
        must(lsnn_rtl_chip_tick(c, &cc, &e), &e, "tick");
        lsnn_rtl_chip_core_counters(c, 0, k1);
        uint64_t ctick = k1[LSNN_REF_CYCLES] - k0[LSNN_REF_CYCLES];
        uint64_t h = (uint64_t)(mx - 1 + my - 1);
        uint64_t want = ctick + (h ? h + 3 : 2) + (uint64_t)lb_of(&s.g);
        CHECK(cc == want,
              "one flit [%d, %d]: C_chip %" PRIu64 ", want C_tick %" PRIu64 " + h %" PRIu64
              " + 3 + Lb %d = %" PRIu64,
              mx, my, cc, ctick, h, lb_of(&s.g), want);
    }
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);
}

/* The counts worked out by hand from §16 in tests/test_mesh_model.c (the reference's test),
 * on the small core: a "sender" (NU 1, XU 0, one neuron firing every tick: C_tick 10) routes
 * to a "receiver" (NU 1, one silent neuron, XU axons without synapses: C_tick 9, 10 with an
 * axon set). 2 x 1: C_chip 18 in both ticks; 3 x 1 with two senders meeting at one ejection
 * port: 21, both ejected, arbitration no stall (version 2: 11, 10, 19, 22). */
static void hand_core(lsnn_image *img, int i, unsigned id, int sender, const unsigned *dst,
                      const uint32_t *axon, int n, uint32_t xu)
{
    lsnn_error e = {{0}};
    img->cores[i].core_id = id;
    img->cores[i].nu = 1;
    img->cores[i].xu = sender ? 0 : xu;
    lsnn_ref_profile p = {0};
    p.b0 = sender ? 1 : 1000;
    must(lsnn_image_put_profile(img, i, 0, &p, &e), &e, "profile");
    lsnn_ref_state st = {0};
    st.v = sender ? 100 : 0;
    must(lsnn_image_put_state(img, i, 0, &st, &e), &e, "state");
    for (int k = 0; k < n; k++) {
        lsnn_ref_rte t = {LSNN_REF_RTE_CORE, 0, dst[k], axon[k]};
        must(lsnn_image_put_rte(img, i, (uint32_t)k, &t, &e), &e, "rte");
    }
    lsnn_ref_rix x = {0, (uint32_t)n};
    must(lsnn_image_put_rix(img, i, 0, &x, &e), &e, "rix");
}

static lsnn_rtl_chip *hand_chip(lsnn_image *img, const char *name)
{
    lsnn_error e = {{0}};
    lsnn_rtl_chip *c = lsnn_rtl_chip_create(&img->cfg, NULL, &e);
    must(!c, &e, "create");
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/%s", check_tmpdir("test_rtl_chip"), name);
    must(lsnn_image_write(img, dir, &e), &e, "write");
    must(lsnn_rtl_chip_load_readmemh(c, dir, img, &e), &e, "load");
    return c;
}

static void test_hand_counts(void)
{
    lsnn_error e = {{0}};
    lsnn_image img;
    lsnn_hw_config g = chip_cfg("small", 2, 1, 4);
    must(lsnn_image_init(&img, &g, 2, &e), &e, "image");
    unsigned to1 = lsnn_hw_core_id(1, 0);
    uint32_t ax0 = 0, ax1 = 1;
    hand_core(&img, 0, lsnn_hw_core_id(0, 0), 1, &to1, &ax0, 1, 0);
    hand_core(&img, 1, to1, 0, NULL, NULL, 0, 1);
    lsnn_rtl_chip *c = hand_chip(&img, "hand_one");
    uint64_t c0 = 0, c1 = 0, k[LSNN_REF_NCOUNTERS], ch[LSNN_CHIP_NCOUNTERS], f[LSNN_PORTS];
    must(lsnn_rtl_chip_tick(c, &c0, &e) || lsnn_rtl_chip_tick(c, &c1, &e), &e, "tick");
    CHECK(c0 == 18 && c1 == 18, "one flit: C_chip %" PRIu64 ", %" PRIu64 " (want 18, 18)", c0, c1);
    lsnn_rtl_chip_core_counters(c, to1, k);
    lsnn_rtl_chip_counters(c, ch);
    lsnn_rtl_chip_links(c, 0, f, NULL);
    CHECK(k[LSNN_REF_EVENTS_IN] == 2 && f[LSNN_PORT_E] == 2 && ch[LSNN_CHIP_TICKS] == 2 &&
              ch[LSNN_CHIP_BARRIER_CYCLES] == 8 && ch[LSNN_CHIP_CYCLES] == 36,
          "one flit: 2 events in, 2 hops, chip counters");
    must(lsnn_rtl_chip_clear(c, &c0, &e), &e, "clear");
    CHECK(c0 == 2 + 258 + 4, "one flit: CLEAR %" PRIu64 " (want 2 + C_clear + Lb = 264)", c0);
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);

    g = chip_cfg("small", 3, 1, 4);
    must(lsnn_image_init(&img, &g, 3, &e), &e, "image");
    hand_core(&img, 0, lsnn_hw_core_id(0, 0), 1, &to1, &ax0, 1, 0);
    hand_core(&img, 1, to1, 0, NULL, NULL, 0, 2);
    hand_core(&img, 2, lsnn_hw_core_id(2, 0), 1, &to1, &ax1, 1, 0);
    c = hand_chip(&img, "hand_two");
    uint64_t st[LSNN_PORTS];
    must(lsnn_rtl_chip_tick(c, &c0, &e), &e, "tick");
    lsnn_rtl_chip_links(c, to1, f, st);
    CHECK(c0 == 21 && f[LSNN_PORT_L] == 2 && st[LSNN_PORT_L] == 0,
          "two flits to one port: C_chip %" PRIu64 " (want 21), ejected %" PRIu64
          ", L stalls %" PRIu64,
          c0, f[LSNN_PORT_L], st[LSNN_PORT_L]);
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);
}

/* CLEAR: C = 2 + C_clear + Lb; every state and tick register zero; the neurons (v = 0) stop. */
static void test_clear(void)
{
    scenario s;
    lsnn_image img;
    lsnn_error e = {{0}};
    scenario_init(&s, "small", 2, 2, 4, P_ALL, 0);
    lsnn_rtl_chip *c = open_chip(&s, &img, 1, NULL);
    totals tot = {0};
    run_ticks(&s, c, 2, 5, &tot, 1);
    uint64_t a[LSNN_CHIP_NCOUNTERS], b[LSNN_CHIP_NCOUNTERS];
    lsnn_rtl_chip_counters(c, a);
    uint64_t cc = 0;
    must(lsnn_rtl_chip_clear(c, &cc, &e), &e, "clear");
    lsnn_rtl_chip_counters(c, b);
    const lsnn_hw_config *g = &s.g;
    uint64_t rows = (uint64_t)g->delay_slots * g->neurons / g->synapses_per_word;
    uint64_t m = (uint64_t)g->neurons > rows ? (uint64_t)g->neurons : rows;
    if ((uint64_t)g->axons / 32 > m) m = (uint64_t)g->axons / 32;
    uint64_t want = 2 + (2 + m) + (uint64_t)lb_of(g);
    CHECK(cc == want, "CLEAR: C %" PRIu64 ", want 2 + C_clear + Lb = %" PRIu64, cc, want);
    CHECK(b[LSNN_CHIP_CLEARS] == a[LSNN_CHIP_CLEARS] + 1 &&
              b[LSNN_CHIP_TICKS] == a[LSNN_CHIP_TICKS] &&
              b[LSNN_CHIP_CYCLES] == a[LSNN_CHIP_CYCLES] + cc,
          "CLEAR: chip counters");
    for (uint32_t id = 0; id < MAXC; id++) {
        if (!active(&s, id)) continue;
        int nz = 0;
        for (uint32_t n = 0; n < (uint32_t)g->neurons; n++) {
            lsnn_ref_state st;
            lsnn_rtl_chip_state(c, id, n, &st);
            nz += st.v != 0 || st.a != 0 || st.ref != 0 || st.z != 0;
        }
        uint32_t tick = 1;
        must(lsnn_rtl_chip_port_read(c, id, (0u << 28) | (21u << 3), &tick, &e), &e, "TICK");
        uint32_t w[4];
        int p[4];
        size_t nw = lsnn_rtl_chip_outputs(c, id, w, p, 4);
        CHECK(nz == 0 && tick == 0 && nw == 1 && w[0] == LSNN_REF_W_CLEAR_DONE &&
                  p[0] == LSNN_REF_PORT_HOST,
              "CLEAR: core %u: %d nonzero states, tick %u, %zu words", id, nz, tick, nw);
    }
    /* v = 0: nobody spikes now; C_chip is the no-NoC value */
    uint64_t k0[LSNN_REF_NCOUNTERS], k1[LSNN_REF_NCOUNTERS];
    lsnn_rtl_chip_core_counters(c, 0, k0);
    must(lsnn_rtl_chip_tick(c, &cc, &e), &e, "tick after CLEAR");
    lsnn_rtl_chip_core_counters(c, 0, k1);
    uint64_t ct = k1[LSNN_REF_CYCLES] - k0[LSNN_REF_CYCLES];
    CHECK(k1[LSNN_REF_SPIKES] == k0[LSNN_REF_SPIKES] && cc == 2 + ct + (uint64_t)lb_of(g),
          "after CLEAR: spikes %" PRIu64 ", C_chip %" PRIu64 " (C_tick %" PRIu64 ")",
          k1[LSNN_REF_SPIKES] - k0[LSNN_REF_SPIKES], cc, ct);
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);
}

/* A flit for a cell outside the active mesh: the hang detector names the stuck link. */
static void test_hang(void)
{
    scenario s;
    lsnn_image img;
    lsnn_error e = {{0}};
    scenario_init(&s, "small", 2, 2, 2, P_LOCAL, 0);
    build_image(&s, &img);
    /* core (1, 0), neuron 0: its first route entry now goes to core 2 = cell (2, 0) */
    lsnn_ref_rte t = {LSNN_REF_RTE_CORE, 0, 2, 9};
    must(lsnn_image_put_rte(&img, s.index[1], 0, &t, &e), &e, "rte");
    lsnn_rtl_chip *c = lsnn_rtl_chip_create(&s.g, NULL, &e);
    must(!c, &e, "create");
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/img_hang", check_tmpdir("test_rtl_chip"));
    must(lsnn_image_write(&img, dir, &e), &e, "write");
    must(lsnn_rtl_chip_load_readmemh(c, dir, &img, &e), &e, "load");
    uint64_t cc;
    int rc = lsnn_rtl_chip_tick(c, &cc, &e);
    CHECK(rc == -1 && strstr(e.msg, "no flit moved") &&
              strstr(e.msg, "router (1, 0) input L (1 flit): head flit dst (2, 0) axon 9 "
                            "requests output E, not ready: cell (2, 0) is outside the active "
                            "mesh [2, 2]"),
          "hang: rc %d: %s", rc, e.msg);
    printf("hang detected: %s\n", e.msg);
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);
}

/* The router mutant: everything arrives (per-core checks hold), the link counters differ. */
static void test_mutant(void)
{
    setenv("LSNN_RTL_MUTANT", "wrong_turn", 1);
    scenario s;
    lsnn_image img;
    scenario_init(&s, "small", 2, 2, 2, P_ALL, 0);
    lsnn_rtl_chip *c = open_chip(&s, &img, 1, NULL);
    const char *name = lsnn_rtl_chip_model(c, NULL, NULL);
    CHECK(!strcmp(name, "chip_small_mutant"), "LSNN_RTL_MUTANT=wrong_turn picks %s", name);
    totals tot = {0};
    int failed = check_failed;
    run_ticks(&s, c, 3, 11, &tot, 0);
    CHECK(check_failed == failed, "the mutant still delivers every flit");
    CHECK(tot.link_mismatch > 0, "the mutant's link counters equal XY's: not caught");
    printf("mutant: %d router outputs differ from XY over 3 ticks\n", tot.link_mismatch);
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);
    unsetenv("LSNN_RTL_MUTANT");
}

/* Loading through the programming bus from random registers and memories. */
static void test_random_init(void)
{
    setenv("LSNN_RTL_RAND_RESET", "2", 1);
    setenv("LSNN_RTL_RAND_SEED", "12345", 1);
    run("small", 2, 1, 2, P_ALL, 0, 0, 0, 4, 21);
    run("small", 1, 1, 1, P_LOCAL, 0, 0, 0, 3, 22);
    unsetenv("LSNN_RTL_RAND_RESET");
    unsetenv("LSNN_RTL_RAND_SEED");
}

static void test_vcd(void)
{
    scenario s;
    lsnn_image img;
    lsnn_error e = {{0}};
    char vcd[1200];
    snprintf(vcd, sizeof vcd, "%s/chip.vcd", check_tmpdir("test_rtl_chip"));
    remove(vcd);
    scenario_init(&s, "small", 2, 1, 2, P_ALL, 0);
    lsnn_rtl_chip *c = open_chip(&s, &img, 1, vcd);
    uint64_t cc;
    must(lsnn_rtl_chip_tick(c, &cc, &e), &e, "tick");
    lsnn_rtl_chip_free(c);
    lsnn_image_free(&img);
    struct stat st;
    CHECK(stat(vcd, &st) == 0 && st.st_size > 1000, "VCD %s written", vcd);
    remove(vcd);
}

int main(void)
{
    lsnn_hw_config g = chip_cfg("small", 1, 1, 2);
    if (!cfg_named("small") || !lsnn_rtl_chip_supported(&g)) {
        printf("test_rtl_chip: no chip model in this build (the ASan build has none): skipped\n");
        return 77; /* ctest's SKIP_RETURN_CODE */
    }
    lsnn_error e = {{0}};
    /* refusals */
    lsnn_hw_config big = chip_cfg("small", 5, 1, 2);
    CHECK(!lsnn_rtl_chip_supported(&big) && !lsnn_rtl_chip_create(&big, NULL, &e) &&
              strstr(e.msg, "chip_small"),
          "a 5 x 1 mesh has no model: %s", e.msg);
    lsnn_hw_config deep = chip_cfg("small", 2, 2, 16);
    CHECK(lsnn_rtl_chip_supported(&deep), "B = 16 fits chip_small");

    /* the programming bus, an empty cell */
    run("small", 1, 1, 2, P_LOCAL, 0, 0, 0, 3, 1);
    run("small", 2, 1, 2, P_HOT, 1, 0, 0, 3, 2);
    /* $readmemh: meshes 1x2 .. 4x4, all-to-all, hot spots, duplicates, 1/2/16-flit FIFOs,
     * link stalls, empty cells */
    run("small", 1, 2, 2, P_ALL, 0, 1, 0, 4, 3);
    run("small", 2, 2, 1, P_ALL, 0, 1, 0, 4, 4);
    run("small", 2, 2, 2, P_HOT, 1, 1, 300, 4, 5);
    run("small", 3, 3, 2, P_DUP, 1, 1, 0, 3, 6);
    run("small", 3, 2, 2, P_ALL, 0, 1, 200, 3, 7);
    run("small", 4, 4, 2, P_ALL, 0, 1, 0, 3, 8);
    run("small", 4, 4, 2, P_ALL, 0, 1, 300, 3, 9);
    run("small", 4, 4, 16, P_HOT, 0, 1, 0, 3, 10);
    run("small", 4, 1, 2, P_HOT, 0, 1, 500, 3, 11);
    run("small", 4, 3, 2, P_LOCAL, 1, 1, 0, 2, 12);
    /* the default core on a 2 x 3 mesh */
    run("default", 2, 3, 4, P_ALL, 0, 1, 100, 3, 13);
    test_one_flit(4, 4);
    test_one_flit(3, 1);
    test_one_flit(1, 1);
    test_hand_counts();
    test_clear();
    test_hang();
    test_mutant();
    test_random_init();
    test_vcd();
    return check_report();
}
