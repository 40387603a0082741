/* test_rtl_stall.c - the RTL's output stall path (§8, §10.2 St) against the reference.
 *
 * test_rtl_random drains host-out and NoC-out every cycle, so St = 0 there. Here the harness
 * applies backpressure (lsnn_rtl_set_backpressure: host-out and NoC-out ready only on about 1/p
 * of the cycles), on random spiky cores of the stress_a (FIFO_OUT 2) and default (FIFO_OUT 16)
 * configs: low thresholds, mostly excitatory synapses, and route lists full of HOST entries
 * and CORE entries to other core ids, so that routing and DONE meet a full host-out FIFO and
 * a NoC-out that is not ready. The same stream runs on the reference (an ideal host: St = 0).
 * After every tick:
 *   (a) every neuron's STATE is equal;
 *   (b) every counter is equal except cycles and stall_cycles; the reference's stall_cycles is
 *       0 and the RTL's cycles = the reference's cycles + the RTL's stall_cycles (all runs);
 *   (c) the tick's RTL cycles = the reference's C_tick + the RTL's stall_cycles increment of
 *       that tick (§10.2 with St);
 *   (d) the output words per port are equal, in order (nothing dropped, nothing duplicated).
 * (e) Without backpressure stall_cycles stays 0; with host-only, NoC-only and both, the
 * stall_cycles summed over the networks of that kind are > 0 (the stall path really runs).
 * (f) A port that is never ready: lsnn_rtl_tick returns -1 with a message naming the hang and
 * the port; a large period (1000) still passes, because the hang bound scales with it.
 *
 * LSNN_RTL_NETS (default 16) networks x LSNN_RTL_TICKS (default 120) ticks; LSNN_RTL_SEED picks
 * the first seed. Arguments: [nets [ticks]]. */
#include "check.h"
#include "image.h"
#include "ref_core.h"
#include "rtl_check.h"
#include "rtl_core.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

/* stress_a (host-out FIFO depth 2) or the default core; NULL if this build has no such model */
static const cfgdef *stall_cfg(int dflt)
{
    return cfg_named(dflt ? "default" : "stress_a");
}

static void must(int rc, const lsnn_error *e, const char *what)
{
    must_at("test_rtl_stall", rc, e, what);
}

/* A random core that spikes a lot and routes most spikes off the core (see the file comment). */
static lsnn_ref_core *spiky_core(const lsnn_hw_config *g)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = lsnn_ref_create(g, &e);
    must(!c, &e, "create");
    int N = g->neurons, X = g->axons, M = g->synapse_words, S = g->synapses_per_word;
    int V = g->v_bits, K = g->decay_bits;
    uint32_t xu = (uint32_t)X - below(8), core_id = below(256);
    must(lsnn_ref_set_nu(c, (uint32_t)N - below(2), &e), &e, "nu");
    must(lsnn_ref_set_xu(c, xu, &e), &e, "xu");
    must(lsnn_ref_set_core_id(c, core_id, &e), &e, "core id");
    int64_t scale = (int64_t)1 << (V - 8); /* the typical threshold */
    for (int p = 0; p < g->profiles; p++) {
        lsnn_ref_profile pr = {0};
        pr.mode = p && chance(10); /* profile 0 always spiking */
        pr.spk_prev = pr.mode ? 0 : chance(20);
        pr.n_ref = pr.mode ? 0 : below(2);
        pr.f_v = 4 + below(8);
        pr.k_v = below((1u << (pr.f_v < (uint32_t)K ? pr.f_v : (uint32_t)K - 1)) / 2 + 1);
        if (!pr.mode) {
            pr.f_a = 4 + below(8);
            pr.k_a = below((1u << (pr.f_a < (uint32_t)K ? pr.f_a : (uint32_t)K - 1)) / 2 + 1);
            pr.inc = chance(50) ? 0 : (int64_t)below((uint32_t)scale) << g->a_frac_bits >> 2;
        }
        pr.b0 = 1 + (int64_t)below((uint32_t)scale / 2);
        must(lsnn_ref_set_profile(c, (uint32_t)p, &pr, &e), &e, "profile");
    }
    for (int n = 0; n < N; n++) {
        must(lsnn_ref_set_ncfg(c, (uint32_t)n, below((uint32_t)g->profiles), &e), &e, "ncfg");
        lsnn_ref_state s = {0};
        s.v = (int64_t)below(4 * (uint32_t)scale) - scale;
        must(lsnn_ref_set_state(c, (uint32_t)n, &s, &e), &e, "state");
    }
    /* one segment of 1..3 words per axon, weights about a threshold, mostly excitatory */
    uint32_t used = 0;
    int mmax = (1 << (g->weight_bits - 1)) - 1;
    int wexp = (V - 8) - (g->weight_bits - 1);
    for (uint32_t x = 0; x < xu; x++) {
        lsnn_ref_axt a = {0};
        a.cnt = 1 + below(3);
        if (used + a.cnt > (uint32_t)M)
            a.base = below((uint32_t)M - a.cnt + 1);
        else
            a.base = used, used += a.cnt;
        int w = wexp + (int)below(3) - 1;
        a.wexp = (uint32_t)(w < 0 ? 0 : w > 15 ? 15 : w);
        must(lsnn_ref_set_axt(c, x, &a, &e), &e, "axt");
        for (uint32_t i = 0; i < a.cnt; i++)
            for (int j = 0; j < S; j++) {
                lsnn_ref_lane l = {0};
                l.valid = chance(80);
                l.d = chance(60) ? 0 : below((uint32_t)g->delay_slots);
                l.tgt = below((uint32_t)(N / S));
                l.m = (int32_t)below((uint32_t)(mmax + mmax / 4 + 1)) - mmax / 4;
                must(lsnn_ref_set_syn(c, a.base + i, (uint32_t)j, &l, &e), &e, "syn");
            }
    }
    /* routes: 40% HOST, 45% CORE to another core, 15% local */
    uint32_t R = (uint32_t)g->route_entries;
    for (uint32_t k = 0; k < R; k++) {
        lsnn_ref_rte t = {0};
        int u = (int)below(100);
        t.kind = u < 40 ? LSNN_REF_RTE_HOST : LSNN_REF_RTE_CORE;
        t.core = u < 85 ? (core_id + 1 + below(255)) % 256 : core_id;
        t.rel = chance(30);
        t.axon = t.kind == LSNN_REF_RTE_HOST || u < 85 ? below(65536) : below(xu / 2);
        must(lsnn_ref_set_rte(c, k, &t, &e), &e, "rte");
    }
    for (int n = 0; n < N; n++) {
        lsnn_ref_rix x = {0};
        x.cnt = chance(5) ? 0 : chance(10) ? 15 : 1 + below(4);
        if (x.cnt > R) x.cnt = R;
        x.base = below(R - (x.cnt ? x.cnt : 1) + 1);
        must(lsnn_ref_set_rix(c, (uint32_t)n, &x, &e), &e, "rix");
    }
    return c;
}

static outbuf ref_out, rtl_out;
static uint64_t words_cmp[2]; /* output words compared, per port */

/* (d): each port's sequence equal, in order. */
static int compare_port_streams(int t)
{
    return compare_ports(&ref_out, &rtl_out, t, words_cmp);
}

/* (a), (b), (c), (d) after a tick (is_tick, with the tick's cycles and stall increment) or a
 * CLEAR. 0 when everything matches. */
static int compare(lsnn_ref_core *c, lsnn_rtl *r, int t, int is_tick, uint64_t cyc, uint64_t st)
{
    rtl_out.n =
        lsnn_rtl_outputs(r, rtl_out.w, rtl_out.port, sizeof rtl_out.w / sizeof rtl_out.w[0]);
    int fail = compare_port_streams(t);
    ref_out.n = rtl_out.n = 0;
    if (fail) return -1;
    if (is_tick && cyc != c->last_cycles + st) {
        fprintf(stderr,
                "tick %d: cycles: RTL %" PRIu64 ", ref C_tick %" PRIu64 " + RTL stalls %" PRIu64
                "\n",
                t, cyc, c->last_cycles, st);
        return -1;
    }
    uint64_t k[LSNN_REF_NCOUNTERS];
    lsnn_rtl_counters(r, k);
    for (int i = 0; i < LSNN_REF_NCOUNTERS; i++) {
        if (i == LSNN_REF_CYCLES || i == LSNN_REF_STALL_CYCLES) continue;
        if (k[i] != c->counters[i]) {
            fprintf(stderr, "tick %d: counter %d (%s): ref %" PRIu64 ", RTL %" PRIu64 "\n", t, i,
                    lsnn_ref_counter_name(i), c->counters[i], k[i]);
            return -1;
        }
    }
    if (c->counters[LSNN_REF_STALL_CYCLES] != 0 ||
        k[LSNN_REF_CYCLES] != c->counters[LSNN_REF_CYCLES] + k[LSNN_REF_STALL_CYCLES]) {
        fprintf(stderr,
                "tick %d: cycles: RTL %" PRIu64 " != ref %" PRIu64 " + RTL stall_cycles %" PRIu64
                " (ref stall_cycles %" PRIu64 ")\n",
                t, k[LSNN_REF_CYCLES], c->counters[LSNN_REF_CYCLES], k[LSNN_REF_STALL_CYCLES],
                c->counters[LSNN_REF_STALL_CYCLES]);
        return -1;
    }
    for (uint32_t n = 0; n < (uint32_t)c->cfg.neurons; n++) {
        lsnn_ref_state a = c->state[n], b;
        lsnn_rtl_state(r, n, &b);
        if (a.v != b.v || a.a != b.a || a.ref != b.ref || a.z != b.z) {
            fprintf(stderr,
                    "tick %d: neuron %u: ref (v %" PRId64 ", a %" PRId64 ", ref %u, z %u), "
                    "RTL (v %" PRId64 ", a %" PRId64 ", ref %u, z %u)\n",
                    t, n, a.v, a.a, a.ref, a.z, b.v, b.a, b.ref, b.z);
            return -1;
        }
    }
    return 0;
}

typedef struct {
    lsnn_ref_core *c;
    lsnn_image img;
    lsnn_rtl *r;
} net;

static void net_open(net *n, const lsnn_hw_config *g, uint64_t seed)
{
    lsnn_error e = {{0}};
    rs = seed * 0x9E3779B97F4A7C15ull + 1;
    n->c = spiky_core(g);
    lsnn_ref_core *cores[1] = {n->c};
    must(lsnn_image_from_cores(cores, 1, &n->img, &e), &e, "image");
    n->r = lsnn_rtl_create(g, NULL, &e);
    must(!n->r, &e, "rtl create");
    must(lsnn_rtl_load_port(n->r, &n->img, 0, &e), &e, "port load");
    ref_out.n = rtl_out.n = 0;
}

static void net_close(net *n)
{
    lsnn_rtl_free(n->r);
    lsnn_image_free(&n->img);
    lsnn_ref_free(n->c);
}

/* The events of one tick, to both cores. */
static void events(net *n)
{
    lsnn_error e = {{0}};
    uint32_t nev = below(n->c->xu / 4 + 6);
    for (uint32_t i = 0; i < nev; i++) {
        uint32_t w = below(n->c->xu);
        lsnn_ref_word(n->c, w, emit, &ref_out);
        must(lsnn_rtl_word(n->r, w, &e), &e, "event");
    }
}

/* One network under backpressure (hp, np): 0 when every tick matched; *stalls = the RTL's
 * stall_cycles at the end. */
static int run_net(const lsnn_hw_config *g, uint64_t seed, int ticks, uint32_t hp, uint32_t np,
                   uint64_t *stalls, uint64_t *host_words, uint64_t *noc_words)
{
    lsnn_error e = {{0}};
    net n;
    net_open(&n, g, seed);
    must(lsnn_rtl_set_backpressure(n.r, hp, np, seed), &e, "backpressure");
    int fail = compare(n.c, n.r, -1, 0, 0, 0);
    for (int t = 0; t < ticks && !fail; t++) {
        events(&n);
        if (chance(3)) {
            lsnn_ref_clear(n.c, emit, &ref_out);
            must(lsnn_rtl_clear(n.r, &e), &e, "clear");
            if ((fail = compare(n.c, n.r, t, 0, 0, 0))) {
                fprintf(stderr, "  (after CLEAR)\n");
                break;
            }
            events(&n);
        }
        uint64_t k0[LSNN_REF_NCOUNTERS], k1[LSNN_REF_NCOUNTERS], cyc = 0;
        lsnn_rtl_counters(n.r, k0);
        lsnn_ref_tick(n.c, emit, &ref_out);
        must(lsnn_rtl_tick(n.r, &cyc, &e), &e, "tick");
        lsnn_rtl_counters(n.r, k1);
        fail = compare(n.c, n.r, t, 1, cyc, k1[LSNN_REF_STALL_CYCLES] - k0[LSNN_REF_STALL_CYCLES]);
    }
    uint64_t k[LSNN_REF_NCOUNTERS];
    lsnn_rtl_counters(n.r, k);
    *stalls = k[LSNN_REF_STALL_CYCLES];
    *host_words = n.c->counters[LSNN_REF_SPIKES_HOST];
    *noc_words = n.c->counters[LSNN_REF_SPIKES_CORE];
    net_close(&n);
    return fail;
}

/* (f) A port that is never ready: the tick returns -1 naming the hang and the port. */
static void never_ready(const lsnn_hw_config *g, int host)
{
    lsnn_error e = {{0}};
    net n;
    net_open(&n, g, 99);
    uint64_t cyc = 0;
    int rc = 0, t;
    /* first ticks with an ideal host until NoC words were sent, then the stuck port */
    for (t = 0; t < 50 && n.c->counters[LSNN_REF_SPIKES_CORE] == 0; t++) {
        events(&n);
        lsnn_ref_tick(n.c, emit, &ref_out);
        must(lsnn_rtl_tick(n.r, &cyc, &e), &e, "tick");
    }
    CHECK(n.c->counters[LSNN_REF_SPIKES_CORE] > 0, "the network sends NoC words (%d ticks)", t);
    lsnn_rtl_set_backpressure(n.r, host ? LSNN_RTL_NEVER_READY : 0, host ? 0 : LSNN_RTL_NEVER_READY,
                              5);
    uint64_t c0 = lsnn_rtl_cycles(n.r);
    for (t = 0; t < 50 && rc == 0; t++) {
        events(&n);
        rc = lsnn_rtl_tick(n.r, &cyc, &e);
    }
    uint64_t used = lsnn_rtl_cycles(n.r) - c0;
    CHECK(rc == -1, "%s never ready: tick returns -1 (rc %d after %d ticks)",
          host ? "host-out" : "NoC-out", rc, t);
    CHECK(rc == -1 && strstr(e.msg, "hang") &&
              strstr(e.msg, host ? "host-out never ready" : "NoC-out never ready"),
          "message: %s", e.msg);
    CHECK(used < 10000000, "the hang was detected after %" PRIu64 " cycles", used);
    printf("%s never ready: %s\n", host ? "host-out" : "NoC-out", e.msg);
    net_close(&n);
}

int main(int argc, char **argv)
{
    const char *s = getenv("LSNN_RTL_NETS");
    int nets = s ? atoi(s) : 16;
    s = getenv("LSNN_RTL_TICKS");
    int ticks = s ? atoi(s) : 120;
    s = getenv("LSNN_RTL_SEED");
    uint64_t seed0 = s ? strtoull(s, NULL, 10) : 1;
    if (argc > 1) nets = atoi(argv[1]);
    if (argc > 2) ticks = atoi(argv[2]);
    if (!stall_cfg(0) || !stall_cfg(1)) {
        printf("no verilated stress_a/default model: skipped\n");
        return check_report();
    }
    lsnn_hw_config ga = make_cfg(stall_cfg(0)), gd = make_cfg(stall_cfg(1));
    static const uint32_t periods[] = {2, 3, 4, 6, 8, 16, 50};
    static const char *const kinds[4] = {"none", "host-out", "NoC-out", "both"};
    uint64_t stall_sum[4] = {0}, nets_of[4] = {0};
    for (int i = 0; i < nets; i++) {
        const lsnn_hw_config *g = i % 4 == 3 ? &gd : &ga; /* default: every 4th (slower) */
        uint64_t seed = seed0 + (uint64_t)i;
        int kind = (i + i / 4) % 4; /* both configs meet every kind */
        uint32_t p = periods[(i * 5 + 3) % 7], q = periods[(i * 3 + 1) % 7];
        uint32_t hp = kind & 1 ? p : (i & 1), np = kind & 2 ? q : 0; /* hp 1 = ready too */
        uint64_t st = 0, hw = 0, nw = 0;
        int fail = run_net(g, seed, ticks, hp, np, &st, &hw, &nw);
        CHECK(!fail,
              "network %d (config %s, seed %" PRIu64 ", host period %u, NoC period %u) "
              "differs from the reference",
              i, g->name, seed, hp, np);
        if (kind == 0)
            CHECK(st == 0, "network %d: stall_cycles %" PRIu64 " without backpressure", i, st);
        stall_sum[kind] += st;
        nets_of[kind]++;
        printf("net %2d %-8s host period %2u NoC period %2u: %6" PRIu64 " host spikes, %6" PRIu64
               " NoC spikes, %7" PRIu64 " stall cycles\n",
               i, g->name, hp, np, hw, nw, st);
    }
    for (int k = 1; k < 4; k++)
        if (nets_of[k])
            CHECK(stall_sum[k] > 0,
                  "backpressure on %s: stall_cycles %" PRIu64 " over %" PRIu64 " networks",
                  kinds[k], stall_sum[k], nets_of[k]);
    printf("%" PRIu64 " host-out and %" PRIu64 " NoC-out words compared in order\n", words_cmp[0],
           words_cmp[1]);

    /* (f) the hang bound */
    never_ready(&ga, 1);
    never_ready(&ga, 0);
    /* ... and it scales: period 1000 on both ports still finishes every tick */
    uint64_t st = 0, hw = 0, nw = 0;
    int fail = run_net(&ga, seed0 + 1000, 15, 1000, 1000, &st, &hw, &nw);
    CHECK(!fail && st > 0, "period 1000: matches (%d), stall_cycles %" PRIu64, !fail, st);
    printf("period 1000: %" PRIu64 " host spikes, %" PRIu64 " NoC spikes, %" PRIu64
           " stall cycles\n",
           hw, nw, st);
    return check_report();
}
