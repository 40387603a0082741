/* test_ref_core.c - the neurocore reference (runtime/chip/ref_core.c) against docs/neurocore.md. */
#include "check.h"
#include "nc_arith.h"
#include "ref_core.h"

#include <math.h>
#include <stdint.h>

/* §0's saturations as the core applies them: clamp, count when the clamp changes x. */
static int64_t sat_s(int64_t x, int n, uint64_t *counter)
{
    uint64_t none = 0;
    return lsnn_nc_clamp(x, lsnn_nc_smin(n), lsnn_nc_smax(n), counter ? counter : &none);
}
static int64_t sat_u(int64_t x, int n, uint64_t *counter)
{
    uint64_t none = 0;
    return lsnn_nc_clamp(x, 0, lsnn_nc_umax(n), counter ? counter : &none);
}

/* ---- helpers -------------------------------------------------------------------------------- */

/* A small core: N 8, X 64, M 256, S 4, D 4, P 4, R 16; V 24, U 28, G 8, Q 8, K 16. */
static lsnn_hw_config small_cfg(void)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    g.neurons = 8;
    g.axons = 64;
    g.synapse_words = 256;
    g.delay_slots = 4;
    g.profiles = 4;
    g.route_entries = 16;
    return g;
}

static lsnn_ref_core *make(const lsnn_hw_config *g, uint32_t nu, uint32_t xu)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = lsnn_ref_create(g, &e);
    CHECK(c != NULL, "create: %s", e.msg);
    if (!c) exit(1);
    CHECK(lsnn_ref_set_nu(c, nu, &e) == 0, "%s", e.msg);
    CHECK(lsnn_ref_set_xu(c, xu, &e) == 0, "%s", e.msg);
    return c;
}

static void ok(int rc, const lsnn_error *e)
{
    CHECK(rc == 0, "setter failed: %s", e->msg);
}

static lsnn_ref_profile spiking(int64_t b0, int64_t inc, uint32_t n_ref)
{
    lsnn_ref_profile p = {0};
    p.b0 = b0;
    p.inc = inc;
    p.n_ref = n_ref;
    return p; /* k = f = 0: no leak */
}

static lsnn_ref_profile readout(uint32_t k_v, uint32_t f_v)
{
    lsnn_ref_profile p = {0};
    p.mode = 1;
    p.k_v = k_v;
    p.f_v = f_v;
    return p;
}

static void set_profile(lsnn_ref_core *c, uint32_t row, lsnn_ref_profile p)
{
    lsnn_error e;
    ok(lsnn_ref_set_profile(c, row, &p, &e), &e);
}

static void set_ncfg(lsnn_ref_core *c, uint32_t n, uint32_t prof)
{
    lsnn_error e;
    ok(lsnn_ref_set_ncfg(c, n, prof, &e), &e);
}

/* Input I into neuron n in this tick's neuron phase (ACC at slot tick mod D). */
static void drive(lsnn_ref_core *c, uint32_t n, int64_t I)
{
    lsnn_error e;
    ok(lsnn_ref_set_acc(c, c->tick % (uint32_t)c->cfg.delay_slots, n, I, &e), &e);
}

/* Axon x: one segment of `cnt` words at `base`, exponent wexp. */
static void set_axt(lsnn_ref_core *c, uint32_t x, uint32_t base, uint32_t cnt, uint32_t wexp)
{
    lsnn_error e;
    lsnn_ref_axt a = {base, cnt, wexp};
    ok(lsnn_ref_set_axt(c, x, &a, &e), &e);
}

/* One valid lane: word w lane j, delay d, target neuron n (n mod S == j), mantissa m. */
static void set_lane(lsnn_ref_core *c, uint32_t w, uint32_t n, uint32_t d, int32_t m)
{
    lsnn_error e;
    uint32_t S = c->cfg.synapses_per_word;
    lsnn_ref_lane l = {1, d, n / S, m};
    ok(lsnn_ref_set_syn(c, w, n % S, &l, &e), &e);
}

static lsnn_ref_state st(const lsnn_ref_core *c, uint32_t n)
{
    return c->state[n];
}

/* Collects output words. */
typedef struct {
    int n;
    int port[64];
    uint32_t word[64];
} outbuf;

static void collect(void *ctx, int port, uint32_t word)
{
    outbuf *o = ctx;
    if (o->n < 64) {
        o->port[o->n] = port;
        o->word[o->n] = word;
    }
    o->n++;
}

/* §10.2's identity over a run (NU fixed: each tick's neuron phase issues ceil(NU/NL) groups). */
static void check_cycle_identity(const lsnn_ref_core *c)
{
    const uint64_t *k = c->counters;
    uint64_t nl = (uint64_t)c->cfg.neuron_lanes, groups = (c->nu + nl - 1) / nl;
    uint64_t want = 7 * k[LSNN_REF_TICKS] + k[LSNN_REF_LATCH_READS] + k[LSNN_REF_SYN_EVENTS] +
                    k[LSNN_REF_SYN_WORD_READS] + k[LSNN_REF_TICKS] * groups +
                    k[LSNN_REF_ROUTE_LOOKUPS] + k[LSNN_REF_ROUTE_READS] + k[LSNN_REF_STALL_CYCLES] +
                    k[LSNN_REF_CLEARS] * c->c_clear;
    CHECK(k[LSNN_REF_CYCLES] == want, "cycles %llu, identity gives %llu",
          (unsigned long long)k[LSNN_REF_CYCLES], (unsigned long long)want);
    CHECK(k[LSNN_REF_STATE_READS] == k[LSNN_REF_NEURON_UPDATES] &&
              k[LSNN_REF_STATE_WRITES] == k[LSNN_REF_NEURON_UPDATES] &&
              k[LSNN_REF_ACC_READS] == k[LSNN_REF_NEURON_UPDATES],
          "state_reads = state_writes = acc_reads = neuron_updates (§11)");
}

/* ---- §0 operators --------------------------------------------------------------------------- */

/* rshr rounds half up for either sign, leak stays between 0 and x, sat_s/sat_u clamp both ends
 * and count exactly when the clamp changes the value. */
static void test_operators(void)
{
    CHECK(lsnn_nc_rshr(7, 0) == 7 && lsnn_nc_rshr(-7, 0) == -7, "s = 0 is identity");
    CHECK(lsnn_nc_rshr(5, 1) == 3, "2.5 -> 3");
    CHECK(lsnn_nc_rshr(-5, 1) == -2, "-2.5 -> -2 (half up)");
    CHECK(lsnn_nc_rshr(-7, 1) == -3, "-3.5 -> -3");
    CHECK(lsnn_nc_rshr(-6, 1) == -3, "-3 exact");
    CHECK(lsnn_nc_rshr(-2, 2) == 0, "-0.5 -> 0");
    CHECK(lsnn_nc_rshr(-3, 2) == -1, "-0.75 -> -1");
    CHECK(lsnn_nc_rshr(-1, 1) == 0, "-0.5 -> 0");
    CHECK(lsnn_nc_rshr(4790100000LL, 25) == 143, "§5.5 a*k_a");
    CHECK(lsnn_nc_rshr(-54873220LL, 20) == -52, "§5.5: floor of -51.83 + 0.5");
    CHECK(lsnn_nc_rshr((int64_t)1 << 55, 31) == (int64_t)1 << 24, "wide values");

    CHECK(lsnn_nc_leak(9000, 51140, 20) == 8561, "§5.5 leak of v");
    CHECK(lsnn_nc_leak(-1073, 51140, 20) == -1021, "§5.5 leak of negative v");
    CHECK(lsnn_nc_leak(-7, 0, 3) == -7 && lsnn_nc_leak(12345, 0, 0) == 12345, "k = 0 keeps x");
    CHECK(lsnn_nc_leak(-7, 8, 3) == 0 && lsnn_nc_leak(7, 8, 3) == 0, "k = 2^f gives 0");
    CHECK(lsnn_nc_leak(5, 1, 1) == 2 && lsnn_nc_leak(-5, 1, 1) == -3, "halving, half up");
    CHECK(lsnn_nc_leak(10, 51140, 20) == 10, "dead band: |x*k/2^f| < 1/2 stops the decay");
    for (int64_t x = -300; x <= 300; x++) /* 0 <= leak/x <= 1 */
        for (int k = 0; k <= 16; k += 3) {
            int64_t y = lsnn_nc_leak(x, k, 4);
            if (x >= 0 ? (y < 0 || y > x) : (y > 0 || y < x))
                CHECK(0, "leak(%lld, %d, 4) = %lld leaves [0, x]", (long long)x, k, (long long)y);
        }

    uint64_t n = 0;
    int64_t hi = ((int64_t)1 << 23) - 1, lo = -((int64_t)1 << 23);
    CHECK(sat_s(hi, 24, &n) == hi && n == 0, "top value is not saturated");
    CHECK(sat_s(lo, 24, &n) == lo && n == 0, "bottom value is not saturated");
    CHECK(sat_s(hi + 1, 24, &n) == hi && n == 1, "above: clamp, count");
    CHECK(sat_s(lo - 1, 24, &n) == lo && n == 2, "below: clamp, count");
    CHECK(sat_s(INT64_C(1) << 40, 32, &n) == INT32_MAX && n == 3, "far above");
    CHECK(sat_s(-5, 24, NULL) == -5, "NULL counter");
    n = 0;
    CHECK(sat_u(0, 8, &n) == 0 && sat_u(255, 8, &n) == 255 && n == 0, "u edges");
    CHECK(sat_u(-1, 8, &n) == 0 && n == 1, "u below 0");
    CHECK(sat_u(256, 8, &n) == 255 && n == 2, "u above");
    CHECK(sat_u((INT64_C(1) << 40) + 3, 40, &n) == (INT64_C(1) << 40) - 1 && n == 3,
          "u at V+G = 40");
}

/* ---- §5.5 ----------------------------------------------------------------------------------- */

static const lsnn_ref_profile alif_smnist = {.mode = 0,
                                             .spk_prev = 0,
                                             .n_ref = 5,
                                             .f_v = 20,
                                             .k_v = 51140,
                                             .f_a = 25,
                                             .k_a = 47901,
                                             .b0 = 10486,
                                             .inc = 689770};

/* The table of §5.5 after each of ticks 0, 1, 2. */
static const lsnn_ref_state worked[3] = {
    {11561, 99857, 5, 1, 0}, {-1073, 789484, 4, 0, 0}, {-3021, 788357, 3, 0, 0}};

static void check_worked(const lsnn_ref_core *c, int t, const char *how)
{
    lsnn_ref_state s = st(c, 0);
    CHECK(s.v == worked[t].v && s.a == worked[t].a && s.ref == worked[t].ref && s.z == worked[t].z,
          "%s tick %d: v %lld a %lld ref %u z %u", how, t, (long long)s.v, (long long)s.a, s.ref,
          s.z);
}

/* §5.5 value for value, twice: inputs written into ACC, then the same inputs delivered by one
 * event through 13 synapse words with delays 0, 1, 2 (wexp 2: 6x125, 3x125, 4x-125, times 4);
 * and tick 0's cycle count by hand. */
static void test_worked_example(void)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    lsnn_error e;
    lsnn_ref_state s0 = {9000, 100000, 0, 0, 0};
    static const int64_t I[3] = {3000, 1500, -2000};

    lsnn_ref_core *c = make(&g, 1, 32);
    set_profile(c, 0, alif_smnist);
    ok(lsnn_ref_set_state(c, 0, &s0, &e), &e);
    for (int t = 0; t < 3; t++)
        ok(lsnn_ref_set_acc(c, (uint32_t)t, 0, I[t], &e), &e);
    for (int t = 0; t < 3; t++) {
        lsnn_ref_tick(c, NULL, NULL);
        check_worked(c, t, "ACC");
        CHECK(c->nspikes == (uint32_t)(t == 0) && (t != 0 || c->spikebuf[0] == 0), "spike buffer");
    }
    lsnn_ref_free(c);

    c = make(&g, 1, 32);
    set_profile(c, 0, alif_smnist);
    ok(lsnn_ref_set_state(c, 0, &s0, &e), &e);
    set_axt(c, 0, 0, 13, 2);
    for (uint32_t w = 0; w < 13; w++)
        set_lane(c, w, 0, w < 6 ? 0 : w < 9 ? 1 : 2, w < 9 ? 125 : -125);
    lsnn_ref_event(c, 0);
    for (int t = 0; t < 3; t++) {
        lsnn_ref_tick(c, NULL, NULL);
        check_worked(c, t, "synapses");
        /* tick 0: L 1, E 1, Wd 13, NU 1, K 1 (the spike), Rt 0 (RIX cnt 0) */
        if (t == 0)
            CHECK(c->last_cycles == 7 + 1 + 1 + 13 + 1 + 1 + 0, "%llu",
                  (unsigned long long)c->last_cycles);
        if (t == 1) CHECK(c->last_cycles == 7 + 1 + 0 + 0 + 1 + 0 + 0, "idle tick");
    }
    CHECK(c->counters[LSNN_REF_SYN_OPS] == 13 && c->counters[LSNN_REF_SPIKES] == 1, "counts");
    check_cycle_identity(c);
    lsnn_ref_free(c);
}

/* ---- delays --------------------------------------------------------------------------------- */

/* A synapse of delay d fired in tick t0 reaches the neuron phase of tick t0 + d, for d = 0, 1
 * and D-1; d = D-1 writes the slot read (and cleared) in tick t0 - 1, which got a pulse of 10:
 * the 3 of the delayed synapse arrives alone, D-1 ticks later. */
static void test_delays(void)
{
    lsnn_hw_config g = small_cfg();
    uint32_t D = (uint32_t)g.delay_slots, t0 = 5;
    uint32_t ds[3] = {0, 1, D - 1};
    for (int k = 0; k < 3; k++) {
        uint32_t d = ds[k];
        lsnn_ref_core *c = make(&g, 2, 32);
        set_profile(c, 1, readout(0, 0)); /* pure integrator */
        set_ncfg(c, 1, 1);
        set_axt(c, 0, 0, 1, 0);
        set_lane(c, 0, 1, 0, 10); /* axon 0: 10 into neuron 1, delay 0 */
        set_axt(c, 1, 1, 1, 0);
        set_lane(c, 1, 1, d, 3); /* axon 1: 3 into neuron 1, delay d */
        for (uint32_t t = 0; t < t0 + D + 2; t++) {
            if (t == t0 - 1) lsnn_ref_event(c, 0);
            if (t == t0) lsnn_ref_event(c, 1);
            lsnn_ref_tick(c, NULL, NULL);
            int64_t want = t < t0 - 1 ? 0 : t < t0 + d ? 10 : 13;
            CHECK(st(c, 1).v == want, "d = %u, tick %u: v %lld, want %lld", d, t,
                  (long long)st(c, 1).v, (long long)want);
        }
        lsnn_ref_free(c);
    }
}

/* ---- neuron phase --------------------------------------------------------------------------- */

/* Refractory: with I = 1000 every tick and n_ref = 3, spikes come at 0, 4, 8 (a spike at t
 * blocks t+1..t+3 exactly) and ref counts 3, 2, 1, 0; n_ref = 0 allows a spike every tick. */
static void test_refractory(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_ref_core *c = make(&g, 2, 32);
    set_profile(c, 0, spiking(100, 0, 3));
    set_profile(c, 1, spiking(100, 0, 0));
    set_ncfg(c, 1, 1);
    static const uint32_t ref[9] = {3, 2, 1, 0, 3, 2, 1, 0, 3};
    for (int t = 0; t < 9; t++) {
        drive(c, 0, 1000);
        drive(c, 1, 1000);
        lsnn_ref_tick(c, NULL, NULL);
        CHECK(st(c, 0).z == (uint32_t)(t % 4 == 0), "tick %d: z %u", t, st(c, 0).z);
        CHECK(st(c, 0).ref == ref[t], "tick %d: ref %u want %u", t, st(c, 0).ref, ref[t]);
        CHECK(st(c, 1).z == 1 && st(c, 1).ref == 0, "n_ref 0: tick %d", t);
    }
    lsnn_ref_free(c);
}

/* Reset subtracts this tick's A one tick after the spike (A already holds the increment:
 * 100 + rshr(1280, 8) = 105); v == A does not spike (strict >); spk_prev spikes from the v
 * before the update, one tick later. */
static void test_reset_threshold(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_ref_core *c = make(&g, 3, 32);
    lsnn_ref_profile prev = spiking(100, 0, 0);
    prev.spk_prev = 1;
    set_profile(c, 0, spiking(100, 1280, 0));
    set_profile(c, 1, spiking(100, 0, 0));
    set_profile(c, 2, prev);
    set_ncfg(c, 1, 1);
    set_ncfg(c, 2, 2);
    drive(c, 0, 150);
    drive(c, 1, 100);
    drive(c, 2, 150);
    lsnn_ref_tick(c, NULL, NULL); /* tick 0 */
    CHECK(st(c, 0).z == 1 && st(c, 0).v == 150 && st(c, 0).a == 0, "150 > 100 spikes");
    CHECK(st(c, 1).z == 0 && st(c, 1).v == 100, "v == A does not spike");
    CHECK(st(c, 2).z == 0 && st(c, 2).v == 150, "prev_v: vs = 0");
    drive(c, 1, 1);
    lsnn_ref_tick(c, NULL, NULL); /* tick 1 */
    CHECK(st(c, 0).a == 1280 && st(c, 0).v == 150 - 105 && st(c, 0).z == 0,
          "reset by A = 105: %lld", (long long)st(c, 0).v);
    CHECK(st(c, 1).z == 1 && st(c, 1).v == 101, "101 > 100 spikes");
    CHECK(st(c, 2).z == 1 && st(c, 2).v == 150, "prev_v: vs = 150 spikes, no reset yet");
    lsnn_ref_tick(c, NULL, NULL); /* tick 2 */
    CHECK(st(c, 2).v == 50, "prev_v: reset by A at tick 2: v %lld", (long long)st(c, 2).v);
    lsnn_ref_free(c);
}

/* The prev_v neuron above: at tick 2 vs = v before = 150 > A, but its own z of tick 1 is a
 * spike; the pseudo-code only blocks through ref (n_ref = 0 here), so it spikes again. */
static void test_prev_v_repeat(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_ref_core *c = make(&g, 1, 32);
    lsnn_ref_profile p = spiking(100, 0, 0);
    p.spk_prev = 1;
    set_profile(c, 0, p);
    drive(c, 0, 150);
    lsnn_ref_tick(c, NULL, NULL);
    lsnn_ref_tick(c, NULL, NULL);
    lsnn_ref_tick(c, NULL, NULL);
    CHECK(st(c, 0).v == 50 && st(c, 0).z == 1, "vs = 150 at tick 2: spike (v %lld z %u)",
          (long long)st(c, 0).v, st(c, 0).z);
    lsnn_ref_tick(c, NULL, NULL);
    CHECK(st(c, 0).v == -50 && st(c, 0).z == 0, "tick 3: 50 - 100, vs = 50: no spike");
    lsnn_ref_free(c);
}

/* Adaptation: a = 0 until the tick after a spike, then inc = 1000, then halves (k_a 1, f_a 1,
 * half up on the decrement): 500, 250, 125, 62, 31; the spiking tick's A is b0 + rshr(a1, 8). */
static void test_adaptation(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_ref_core *c = make(&g, 1, 32);
    lsnn_ref_profile p = spiking(100, 1000, 0);
    p.k_a = 1;
    p.f_a = 1;
    set_profile(c, 0, p);
    static const int64_t a[7] = {0, 1000, 500, 250, 125, 62, 31};
    drive(c, 0, 150);
    for (int t = 0; t < 7; t++) {
        lsnn_ref_tick(c, NULL, NULL);
        CHECK(st(c, 0).a == a[t], "tick %d: a %lld want %lld", t, (long long)st(c, 0).a,
              (long long)a[t]);
    }
    /* v: 150, then 150 - (100 + rshr(1000, 8) = 104) = 46, then no input, no leak */
    CHECK(st(c, 0).v == 46 && c->counters[LSNN_REF_SPIKES] == 1, "v %lld", (long long)st(c, 0).v);
    lsnn_ref_free(c);
}

/* Readout mode integrates with its leak and never spikes: z and ref become 0, a is kept;
 * saturation counts sat_r (not sat_v) at both ends. */
static void test_readout(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_error e;
    lsnn_ref_core *c = make(&g, 2, 32);
    set_profile(c, 0, readout(1, 1));
    set_profile(c, 1, readout(0, 0));
    set_ncfg(c, 1, 1);
    lsnn_ref_state s = {0, 777, 3, 1, 0};
    ok(lsnn_ref_set_state(c, 0, &s, &e), &e);
    static const int64_t I[4] = {1001, 0, 0, -10}, v[4] = {1001, 500, 250, 115};
    for (int t = 0; t < 4; t++) {
        drive(c, 0, I[t]);
        drive(c, 1, t == 0 ? ((int64_t)1 << 27) - 1 : t == 1 ? -((int64_t)1 << 27) : 0);
        lsnn_ref_tick(c, NULL, NULL);
        CHECK(st(c, 0).v == v[t] && st(c, 0).z == 0 && st(c, 0).ref == 0 && st(c, 0).a == 777,
              "tick %d: v %lld", t, (long long)st(c, 0).v);
    }
    CHECK(c->counters[LSNN_REF_SPIKES] == 0, "readouts never spike");
    CHECK(c->counters[LSNN_REF_SAT_R] == 2 && c->counters[LSNN_REF_SAT_V] == 0, "sat_r %llu",
          (unsigned long long)c->counters[LSNN_REF_SAT_R]);
    lsnn_ref_free(c);
}

/* Saturation of v (both ends, sat_v), of a (sat_a) and of the accumulators (sat_acc, both
 * ends), and the STATUS flag. */
static void test_saturation(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_error e;
    lsnn_ref_core *c = make(&g, 4, 32);
    int64_t vmax = ((int64_t)1 << 23) - 1, amax = ((int64_t)1 << 32) - 1;
    set_profile(c, 0, spiking(((int64_t)1 << 23) - 1, 100, 0));
    drive(c, 0, ((int64_t)1 << 27) - 1);
    drive(c, 1, -((int64_t)1 << 27));
    lsnn_ref_state s = {0, amax - 10, 0, 1, 0};
    ok(lsnn_ref_set_state(c, 2, &s, &e), &e);
    drive(c, 2, (int64_t)1 << 24); /* offsets the reset by A = b0 + 2^24: v stays in range */
    set_profile(c, 1, readout(0, 0));
    set_ncfg(c, 3, 1);
    /* accumulators: neuron 3 (bank 3), near both ends in slots 0 and 1 */
    ok(lsnn_ref_set_acc(c, 0, 3, ((int64_t)1 << 27) - 10, &e), &e);
    ok(lsnn_ref_set_acc(c, 1, 3, -((int64_t)1 << 27) + 5, &e), &e);
    set_axt(c, 0, 0, 2, 0);
    set_lane(c, 0, 3, 0, 127);
    set_lane(c, 1, 3, 1, -100);
    lsnn_ref_event(c, 0);
    CHECK(lsnn_ref_status(c) == 0, "no flag yet");
    lsnn_ref_tick(c, NULL, NULL);
    CHECK(st(c, 0).v == vmax && st(c, 1).v == -vmax - 1, "v clamps at both ends");
    CHECK(c->counters[LSNN_REF_SAT_V] == 2, "sat_v %llu",
          (unsigned long long)c->counters[LSNN_REF_SAT_V]);
    CHECK(st(c, 2).a == amax && c->counters[LSNN_REF_SAT_A] == 1, "a clamps at 2^(V+G)-1");
    CHECK(c->counters[LSNN_REF_SAT_ACC] == 2, "sat_acc %llu",
          (unsigned long long)c->counters[LSNN_REF_SAT_ACC]);
    CHECK(st(c, 3).v == vmax && c->counters[LSNN_REF_SAT_R] == 1,
          "readout 3 read the clamped ACC 2^27-1 and clamped r again");
    CHECK(st(c, 2).v == -vmax && st(c, 2).z == 0, "v = 2^24 - (2^23 - 1 + 2^24)");
    int64_t acc1;
    ok(lsnn_ref_get_acc(c, 1, 3, &acc1, &e), &e);
    CHECK(acc1 == -((int64_t)1 << 27), "ACC clamps below: %lld", (long long)acc1);
    CHECK(lsnn_ref_status(c) == LSNN_REF_STATUS_SAT, "STATUS saturation flag");
    lsnn_ref_ctrl(c, 2);
    CHECK(lsnn_ref_status(c) == 0, "CTRL bit 1 clears flags");
    lsnn_ref_free(c);
}

/* ---- latch ---------------------------------------------------------------------------------- */

/* A duplicate is counted and fires once; axon >= XU and bad AER words count bad_words; the
 * error flag; an AER TICK word runs a tick. */
static void test_latch(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_ref_core *c = make(&g, 2, 40);
    set_profile(c, 1, readout(0, 0));
    set_ncfg(c, 1, 1);
    set_axt(c, 3, 0, 1, 0);
    set_lane(c, 0, 1, 0, 5);
    lsnn_ref_event(c, 3);
    lsnn_ref_event(c, 3);
    lsnn_ref_event(c, 40);
    lsnn_ref_word(c, 1000, NULL, NULL);             /* EVENT 1000: bits above XB = 6 */
    lsnn_ref_word(c, 0xC0000000u | 3u, NULL, NULL); /* reserved type */
    lsnn_ref_word(c, 3, NULL, NULL);                /* EVENT 3 again: dup */
    CHECK(c->counters[LSNN_REF_EVENTS_IN] == 1 && c->counters[LSNN_REF_DUP_EVENTS] == 2 &&
              c->counters[LSNN_REF_BAD_WORDS] == 3,
          "events_in %llu dup %llu bad %llu", (unsigned long long)c->counters[LSNN_REF_EVENTS_IN],
          (unsigned long long)c->counters[LSNN_REF_DUP_EVENTS],
          (unsigned long long)c->counters[LSNN_REF_BAD_WORDS]);
    CHECK(lsnn_ref_status(c) == LSNN_REF_STATUS_ERROR, "error flag");
    outbuf o = {0};
    lsnn_ref_word(c, 0x40000000u, collect, &o); /* TICK */
    CHECK(st(c, 1).v == 5 && c->counters[LSNN_REF_SYN_EVENTS] == 1, "fires once");
    CHECK(c->counters[LSNN_REF_LATCH_READS] == 2, "XU 40: 2 latch words scanned");
    CHECK(o.n == 1 && o.word[0] == LSNN_REF_W_TICK_DONE(0), "TICK_DONE(0)");
    lsnn_ref_word(c, 0x40000000u, collect, &o);
    CHECK(st(c, 1).v == 5 && o.word[1] == LSNN_REF_W_TICK_DONE(1), "latch cleared by the scan");
    lsnn_ref_free(c);
}

/* Events of one tick in any order (with duplicates mixed in) give identical state, ACC and
 * counters: the scan is ascending. U = V = 16 makes the saturating sum order-sensitive, and
 * the expected value is the ascending-order sum, which differs from the descending one. */
static void test_shuffle(void)
{
    lsnn_hw_config g = small_cfg();
    g.v_bits = 16;
    g.acc_bits = 16;
    static const int32_t m[8] = {127, -127, 100, -3, 127, -90, 60, -127};
    static const uint32_t wexp[8] = {10, 8, 9, 15, 7, 9, 11, 6};
    int64_t asc = 0, desc = 0, lo = -32768, hi = 32767;
    for (int i = 0; i < 8; i++) {
        asc += m[i] * ((int64_t)1 << wexp[i]);
        asc = asc < lo ? lo : asc > hi ? hi : asc;
        desc += m[7 - i] * ((int64_t)1 << wexp[7 - i]);
        desc = desc < lo ? lo : desc > hi ? hi : desc;
    }
    CHECK(asc != desc, "the test sum is order-sensitive");
    lsnn_ref_core *first = NULL;
    uint32_t seed = 12345;
    for (int trial = 0; trial < 20; trial++) {
        lsnn_ref_core *c = make(&g, 1, 64);
        set_profile(c, 0, readout(0, 0));
        for (uint32_t x = 0; x < 8; x++) {
            set_axt(c, 7 * x + 1, x, 1, wexp[x]); /* axons 1, 8, .., 50: across latch words */
            set_lane(c, x, 0, 0, m[x]);
        }
        uint32_t order[12] = {0, 1, 2, 3, 4, 5, 6, 7, 2, 5, 7, 0};
        for (int i = 11; i > 0 && trial > 0; i--) {
            seed = seed * 1103515245u + 12345u;
            int j = (int)((seed >> 16) % (uint32_t)(i + 1));
            uint32_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < 12; i++)
            lsnn_ref_event(c, 7 * order[i] + 1);
        lsnn_ref_tick(c, NULL, NULL);
        CHECK(st(c, 0).v == asc, "trial %d: v %lld, ascending sum %lld", trial,
              (long long)st(c, 0).v, (long long)asc);
        if (!first) {
            first = c;
            continue;
        }
        CHECK(memcmp(first->counters, c->counters, sizeof c->counters) == 0 &&
                  memcmp(first->state, c->state, 8 * sizeof *c->state) == 0 &&
                  memcmp(first->acc, c->acc, 4 * c->rows * sizeof *c->acc) == 0,
              "trial %d differs from the first", trial);
        lsnn_ref_free(c);
    }
    CHECK(first->counters[LSNN_REF_DUP_EVENTS] == 4 && first->counters[LSNN_REF_SAT_ACC] > 0,
          "dups and saturations happened");
    lsnn_ref_free(first);
}

/* ---- routing -------------------------------------------------------------------------------- */

/* Spikes routed to the own core land in pend and arrive in the next tick; rel adds the source
 * index mod 2^16; another core gets a NoC word, the host a SPIKE word, in entry order before
 * TICK_DONE; a second local delivery to one axon is a dup. Both ticks' cycles by hand. */
static void test_routing(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_error e;
    lsnn_ref_core *c = make(&g, 3, 32);
    ok(lsnn_ref_set_core_id(c, 3, &e), &e);
    set_profile(c, 0, spiking(100, 0, 5));
    set_profile(c, 1, readout(0, 0));
    set_ncfg(c, 1, 1);
    lsnn_ref_rix r0 = {2, 4}, r2 = {6, 2};
    ok(lsnn_ref_set_rix(c, 0, &r0, &e), &e);
    ok(lsnn_ref_set_rix(c, 2, &r2, &e), &e);
    lsnn_ref_rte rt[6] = {{LSNN_REF_RTE_CORE, 0, 3, 5},     {LSNN_REF_RTE_CORE, 1, 3, 10},
                          {LSNN_REF_RTE_CORE, 0, 7, 9},     {LSNN_REF_RTE_HOST, 0, 0, 42},
                          {LSNN_REF_RTE_CORE, 1, 3, 65535}, {LSNN_REF_RTE_CORE, 0, 3, 5}};
    for (uint32_t i = 0; i < 6; i++)
        ok(lsnn_ref_set_rte(c, 2 + i, &rt[i], &e), &e);
    set_axt(c, 5, 0, 1, 0);
    set_lane(c, 0, 1, 0, 7);
    set_axt(c, 10, 1, 1, 0);
    set_lane(c, 1, 1, 0, 20);
    set_axt(c, 1, 2, 1, 1);
    set_lane(c, 2, 1, 0, 50); /* axon 1 = 65535 + 2 mod 2^16: 100 */
    drive(c, 0, 1000);
    drive(c, 2, 1000);
    outbuf o = {0};
    lsnn_ref_tick(c, collect, &o);
    CHECK(c->nspikes == 2 && c->spikebuf[0] == 0 && c->spikebuf[1] == 2, "spikes 0 and 2");
    CHECK(st(c, 1).v == 0, "nothing arrives in the spiking tick");
    CHECK(c->latch[c->pend][0] == ((1u << 5) | (1u << 10) | (1u << 1)), "pend 0x%x",
          c->latch[c->pend][0]);
    CHECK(o.n == 3 && o.port[0] == LSNN_REF_PORT_NOC && o.word[0] == ((7u << 16) | 9u) &&
              o.port[1] == LSNN_REF_PORT_HOST && o.word[1] == 42u &&
              o.port[2] == LSNN_REF_PORT_HOST && o.word[2] == LSNN_REF_W_TICK_DONE(0),
          "output words (%d)", o.n);
    const uint64_t *k = c->counters;
    CHECK(k[LSNN_REF_SPIKES_LOCAL] == 4 && k[LSNN_REF_SPIKES_CORE] == 1 &&
              k[LSNN_REF_SPIKES_HOST] == 1 && k[LSNN_REF_DUP_EVENTS] == 1 &&
              k[LSNN_REF_ROUTE_LOOKUPS] == 2 && k[LSNN_REF_ROUTE_READS] == 6 &&
              k[LSNN_REF_EVENTS_IN] == 0,
          "routing counters");
    /* tick 0: L 1, E 0, Wd 0, NU 3 (one group of NL = 4), K 2, Rt 6 */
    CHECK(c->last_cycles == 7 + 1 + 0 + 0 + 1 + 2 + 6, "tick 0 cycles %llu",
          (unsigned long long)c->last_cycles);
    lsnn_ref_tick(c, collect, &o);
    CHECK(st(c, 1).v == 7 + 20 + 100, "arrives in the next tick: %lld", (long long)st(c, 1).v);
    /* tick 1: L 1, E 3 (axons 1, 5, 10), Wd 3, NU 3 (1 group), K 0 (refractory), Rt 0 */
    CHECK(c->last_cycles == 7 + 1 + 3 + 3 + 1 + 0 + 0, "tick 1 cycles %llu",
          (unsigned long long)c->last_cycles);
    CHECK(c->counters[LSNN_REF_STALL_CYCLES] == 0, "ideal host: no stalls");
    check_cycle_identity(c);
    lsnn_ref_free(c);
}

/* ---- cycles --------------------------------------------------------------------------------- */

/* A hand-worked tick: XU 40 (L = 2 latch words), events on axons 2 (1 word) and 35 (2 words):
 * E = 2, Wd = 3; NU = 5, ceil(5/NL) groups: 5, 3, 2 for NL = 1, 2, 4; neurons 0 and 1 spike
 * (K = 2) with 1 and 2 routes (Rt = 3): C = 7 + 2 + 2 + 3 + ceil(5/NL) + 2 + 3 = 24, 22, 21.
 * The states do not depend on NL. C_clear of the default and small cores. */
static void test_cycles(void)
{
    static const int lanes[3] = {1, 2, 4};
    static const uint64_t want[3] = {24, 22, 21};
    for (int li = 0; li < 3; li++) {
        lsnn_hw_config g = small_cfg();
        g.neuron_lanes = lanes[li];
        lsnn_error e;
        lsnn_ref_core *c = make(&g, 5, 40);
        set_profile(c, 0, spiking(100, 0, 0));
        set_profile(c, 1, readout(0, 0));
        for (uint32_t n = 2; n < 5; n++)
            set_ncfg(c, n, 1);
        set_axt(c, 2, 0, 1, 0);
        set_lane(c, 0, 4, 0, 1);
        set_axt(c, 35, 1, 2, 0);
        set_lane(c, 1, 4, 0, 1);
        set_lane(c, 2, 4, 0, 1);
        lsnn_ref_rix r0 = {0, 1}, r1 = {1, 2};
        lsnn_ref_rte h = {LSNN_REF_RTE_HOST, 0, 0, 1};
        ok(lsnn_ref_set_rix(c, 0, &r0, &e), &e);
        ok(lsnn_ref_set_rix(c, 1, &r1, &e), &e);
        for (uint32_t i = 0; i < 3; i++)
            ok(lsnn_ref_set_rte(c, i, &h, &e), &e);
        drive(c, 0, 1000);
        drive(c, 1, 1000);
        lsnn_ref_event(c, 35);
        lsnn_ref_event(c, 2);
        lsnn_ref_tick(c, NULL, NULL);
        CHECK(c->last_cycles == want[li], "NL %d: C_tick %llu, want %llu", lanes[li],
              (unsigned long long)c->last_cycles, (unsigned long long)want[li]);
        CHECK(c->counters[LSNN_REF_CYCLES] == want[li] && st(c, 4).v == 3, "cycles counter");
        lsnn_ref_clear(c, NULL, NULL);
        CHECK(c->c_clear == 2 + 8 && c->counters[LSNN_REF_CYCLES] == want[li] + 10,
              "C_clear = 2 + max(8, 8, 2)");
        check_cycle_identity(c);
        lsnn_ref_free(c);
    }

    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    lsnn_ref_core *c = make(&g, 0, 0);
    CHECK(c->c_clear == 1026, "default core C_clear %llu", (unsigned long long)c->c_clear);
    lsnn_ref_tick(c, NULL, NULL);
    CHECK(c->last_cycles == 7, "an empty core's tick: 7 cycles");
    lsnn_ref_free(c);
    g.neurons = 64;
    g.axons = 512;
    g.synapse_words = 16384;
    g.profiles = 8;
    g.route_entries = 256;
    c = make(&g, 0, 0);
    CHECK(c->c_clear == 258, "small core C_clear %llu", (unsigned long long)c->c_clear);
    lsnn_ref_free(c);
}

/* ---- CLEAR ---------------------------------------------------------------------------------- */

/* CLEAR zeroes state, ACC, both latches and tick, keeps every programmed memory, the registers
 * and the counters, emits CLEAR_DONE; a rerun from there repeats the first run exactly. */
static void test_clear(void)
{
    lsnn_hw_config g = small_cfg();
    lsnn_error e;
    lsnn_ref_core *c = make(&g, 3, 32);
    ok(lsnn_ref_set_core_id(c, 9, &e), &e);
    set_profile(c, 0, alif_smnist);
    set_profile(c, 1, readout(3, 4));
    set_ncfg(c, 2, 1);
    set_axt(c, 4, 0, 2, 3);
    set_lane(c, 0, 0, 1, 100);
    set_lane(c, 1, 2, 3, -20);
    lsnn_ref_rix r = {1, 1};
    lsnn_ref_rte t = {LSNN_REF_RTE_CORE, 0, 9, 4};
    ok(lsnn_ref_set_rix(c, 0, &r, &e), &e);
    ok(lsnn_ref_set_rte(c, 1, &t, &e), &e);
    size_t syn_bytes = (size_t)g.synapse_words * g.synapses_per_word * sizeof *c->syn;
    lsnn_ref_lane *syn0 = malloc(syn_bytes);
    memcpy(syn0, c->syn, syn_bytes);
    lsnn_ref_profile prof0[4];
    memcpy(prof0, c->profile, sizeof prof0);

    lsnn_ref_state run1[6][3];
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < 6; k++) {
            if (k < 4) lsnn_ref_event(c, 4);
            lsnn_ref_tick(c, NULL, NULL);
            if (!pass)
                memcpy(run1[k], c->state, sizeof run1[k]);
            else
                CHECK(memcmp(run1[k], c->state, sizeof run1[k]) == 0, "rerun tick %d differs", k);
        }
        lsnn_ref_event(c, 4);
        ok(lsnn_ref_set_acc(c, 2, 7, 55, &e), &e);
        ok(lsnn_ref_set_latch(c, 1, 0xF0, &e), &e);
        outbuf o = {0};
        lsnn_ref_clear(c, collect, &o);
        CHECK(o.n == 1 && o.word[0] == LSNN_REF_W_CLEAR_DONE, "CLEAR_DONE");
        int zero = c->tick == 0;
        for (uint32_t n = 0; n < 8; n++)
            zero &= c->state[n].v == 0 && c->state[n].a == 0 && c->state[n].ref == 0 &&
                    c->state[n].z == 0;
        for (size_t i = 0; i < 4 * c->rows; i++)
            zero &= c->acc[i] == 0;
        for (uint32_t w = 0; w < c->LW; w++)
            zero &= c->latch[0][w] == 0 && c->latch[1][w] == 0;
        CHECK(zero, "pass %d: state, ACC, latches, tick zero", pass);
        CHECK(memcmp(syn0, c->syn, syn_bytes) == 0 &&
                  memcmp(prof0, c->profile, sizeof prof0) == 0 && c->ncfg[2] == 1 &&
                  c->axt[4].cnt == 2 && c->axt[4].wexp == 3 && c->rix[0].cnt == 1 &&
                  c->rte[1].axon == 4 && c->core_id == 9 && c->nu == 3 && c->xu == 32,
              "memories and registers kept");
        CHECK(c->counters[LSNN_REF_TICKS] == 6u * (pass + 1) &&
                  c->counters[LSNN_REF_CLEARS] == (uint64_t)pass + 1,
              "counters kept");
    }
    check_cycle_identity(c);
    lsnn_ref_ctrl(c, 1);
    CHECK(c->counters[LSNN_REF_TICKS] == 0 && c->counters[LSNN_REF_CYCLES] == 0, "CTRL bit 0");
    free(syn0);
    lsnn_ref_free(c);
}

/* §4.7's numeric check: one sMNIST ALIF neuron (the §5.5 profile, e = 20, G = 8) driven by the
 * same random integer currents (0-3 inputs per tick, 8-bit mantissas at exponent 11) in this
 * arithmetic and in the double-precision float model (alpha, rho from float32 exp as the
 * compiler takes them, b0 = 0.01, beta = 1.8, n_ref 5): 840 ticks, 5 seeds, both spike_from
 * variants give identical spike trains. */
static void test_float_agreement(void)
{
    lsnn_hw_config g = small_cfg();
    double alpha = (double)expf(-1.0f / 20.0f), rho = (double)expf(-1.0f / 700.0f);
    double scale = 1048576.0, b0f = 0.01 * scale, beta = 1.8;
    for (int prev = 0; prev < 2; prev++)
        for (uint32_t seed = 1; seed <= 5; seed++) {
            lsnn_ref_core *c = make(&g, 1, 32);
            lsnn_ref_profile p = alif_smnist;
            p.spk_prev = (uint32_t)prev;
            set_profile(c, 0, p);
            double v = 0, b = 0, zf = 0;
            int rc = 0, spikes = 0, same = 1;
            uint32_t r = seed * 2654435761u;
            for (int t = 0; t < 840; t++) {
                int64_t I = 0;
                r = r * 1664525u + 1013904223u;
                int n_in = (int)(r >> 30);
                for (int i = 0; i < n_in; i++) {
                    r = r * 1664525u + 1013904223u;
                    I += ((int64_t)((r >> 16) % 255u) - 127) * 2048;
                }
                drive(c, 0, I);
                lsnn_ref_tick(c, NULL, NULL);
                /* float: b_k = rho b + (1 - rho) z; A = b0 + beta b; v = alpha v + I - z A */
                b = rho * b + (1 - rho) * zf;
                double A = b0f + beta * b * scale;
                double v1 = alpha * v + (double)I - zf * A;
                double vs = prev ? v : v1;
                int z = rc == 0 && vs > A;
                rc = z ? 5 : (rc > 0 ? rc - 1 : 0);
                v = v1;
                zf = z;
                spikes += z;
                if ((uint32_t)z != st(c, 0).z) same = 0;
            }
            CHECK(same && spikes > 20, "prev %d seed %u: spike trains differ (%d float spikes)",
                  prev, seed, spikes);
            lsnn_ref_free(c);
        }
}

/* ---- programming -------------------------------------------------------------------------- */

static void want_err(int rc, const lsnn_error *e, const char *w1, const char *w2)
{
    CHECK(rc == -1, "accepted (want '%s')", w1);
    CHECK(strstr(e->msg, w1) != NULL, "want '%s' in: %s", w1, e->msg);
    CHECK(!w2 || strstr(e->msg, w2) != NULL, "want '%s' in: %s", w2, e->msg);
}

/* Bad configs fail create naming the key; setters reject out-of-range rows and fields with
 * the memory, row, field and limit in the message, and change nothing. */
static void test_setters(void)
{
    lsnn_error e;
    lsnn_hw_config g = small_cfg();
    g.neurons = 100;
    CHECK(lsnn_ref_create(&g, &e) == NULL, "N = 100 accepted");
    want_err(-1, &e, "core.neurons (N) must be a power of 2", "got 100");
    g = small_cfg();
    g.acc_bits = 20;
    CHECK(lsnn_ref_create(&g, &e) == NULL, "U < V accepted");
    want_err(-1, &e, "core.acc_bits (U = 20)", "core.v_bits (V = 24)");
    g = small_cfg();
    g.axons = 48;
    CHECK(lsnn_ref_create(&g, &e) == NULL, "X = 48 accepted");
    want_err(-1, &e, "multiple of 32", "48");

    g = small_cfg();
    lsnn_ref_core *c = make(&g, 0, 0);
    lsnn_ref_profile p = spiking(100, 0, 0);
    want_err(lsnn_ref_set_profile(c, 4, &p, &e), &e, "PROFILE row 4 out of range [0, 3]",
             "core.profiles");
    p.n_ref = 256;
    want_err(lsnn_ref_set_profile(c, 0, &p, &e), &e, "PROFILE[0]: n_ref = 256", "[0, 255]");
    p = spiking(100, 0, 0);
    p.mode = 2;
    want_err(lsnn_ref_set_profile(c, 1, &p, &e), &e, "PROFILE[1]: mode = 2", "[0, 1]");
    p = spiking(100, 0, 0);
    p.k_v = 9;
    p.f_v = 3;
    want_err(lsnn_ref_set_profile(c, 1, &p, &e), &e, "k_v = 9 out of range [0, 8]", "k_v <= 2^f_v");
    p = spiking(0, 0, 0);
    want_err(lsnn_ref_set_profile(c, 1, &p, &e), &e, "b0 = 0 out of range [1,", ">= 1 in mode 0");
    p = spiking(100, (int64_t)1 << 32, 0);
    want_err(lsnn_ref_set_profile(c, 1, &p, &e), &e, "inc = 4294967296", "V+G bits");
    p = spiking(100, 0, 0);
    p.k_a = 1u << 16;
    p.f_a = 20;
    want_err(lsnn_ref_set_profile(c, 1, &p, &e), &e, "k_a = 65536 out of range [0, 65535]",
             "K bits");
    CHECK(c->profile[1].b0 == 0, "rejected rows are not written");

    want_err(lsnn_ref_set_ncfg(c, 8, 0, &e), &e, "NCFG row 8 out of range [0, 7]", NULL);
    want_err(lsnn_ref_set_ncfg(c, 0, 4, &e), &e, "NCFG[0]: profile = 4", "[0, 3]");
    lsnn_ref_state s = {1 << 23, 0, 0, 0, 0};
    want_err(lsnn_ref_set_state(c, 0, &s, &e), &e, "STATE[0]: v = 8388608", "[-8388608, 8388607]");
    s.v = 0;
    s.ref = 256;
    want_err(lsnn_ref_set_state(c, 0, &s, &e), &e, "STATE[0]: ref = 256", NULL);
    s.ref = 0;
    s.z = 2;
    want_err(lsnn_ref_set_state(c, 0, &s, &e), &e, "STATE[0]: z = 2", NULL);
    want_err(lsnn_ref_set_acc(c, 4, 0, 0, &e), &e, "ACC slot row 4 out of range [0, 3]",
             "core.delay_slots");
    want_err(lsnn_ref_set_acc(c, 1, 2, (int64_t)1 << 27, &e), &e, "ACC[10]: value = 134217728",
             "U bits");
    lsnn_ref_axt a = {200, 57, 0};
    want_err(lsnn_ref_set_axt(c, 0, &a, &e), &e, "AXT[0]: cnt = 57 out of range [0, 56]",
             "base + cnt <= M");
    a = (lsnn_ref_axt){0, 1, 16};
    want_err(lsnn_ref_set_axt(c, 0, &a, &e), &e, "AXT[0]: wexp = 16", "[0, 15]");
    want_err(lsnn_ref_set_axt(c, 64, &a, &e), &e, "AXT row 64 out of range [0, 63]", NULL);
    lsnn_ref_lane l = {1, 0, 0, 128};
    want_err(lsnn_ref_set_syn(c, 3, 1, &l, &e), &e, "SYN[3] lane 1: m = 128", "[-128, 127]");
    l = (lsnn_ref_lane){1, 4, 0, 0};
    want_err(lsnn_ref_set_syn(c, 3, 1, &l, &e), &e, "SYN[3] lane 1: d = 4", "[0, 3]");
    l = (lsnn_ref_lane){1, 0, 2, 0};
    want_err(lsnn_ref_set_syn(c, 3, 1, &l, &e), &e, "SYN[3] lane 1: tgt = 2", "[0, 1]");
    l = (lsnn_ref_lane){1, 0, 0, 0};
    want_err(lsnn_ref_set_syn(c, 3, 4, &l, &e), &e, "SYN lane row 4 out of range [0, 3]", NULL);
    want_err(lsnn_ref_set_syn(c, 256, 0, &l, &e), &e, "SYN row 256 out of range [0, 255]", NULL);
    lsnn_ref_rix r = {0, 16};
    want_err(lsnn_ref_set_rix(c, 0, &r, &e), &e, "RIX[0]: cnt = 16", "at most 15");
    r = (lsnn_ref_rix){10, 7};
    want_err(lsnn_ref_set_rix(c, 0, &r, &e), &e, "RIX[0]: cnt = 7 out of range [0, 6]",
             "base + cnt <= R");
    lsnn_ref_rte t = {0, 0, 0, 0};
    want_err(lsnn_ref_set_rte(c, 0, &t, &e), &e, "RTE[0]: kind = 0", "1 CORE, 2 HOST");
    t = (lsnn_ref_rte){3, 0, 0, 0};
    want_err(lsnn_ref_set_rte(c, 0, &t, &e), &e, "RTE[0]: kind = 3", NULL);
    t = (lsnn_ref_rte){1, 0, 256, 0};
    want_err(lsnn_ref_set_rte(c, 0, &t, &e), &e, "RTE[0]: core = 256", "8 bits");
    t = (lsnn_ref_rte){2, 0, 0, 65536};
    want_err(lsnn_ref_set_rte(c, 15, &t, &e), &e, "RTE[15]: axon = 65536", "16 bits");
    want_err(lsnn_ref_set_rte(c, 16, &t, &e), &e, "RTE row 16 out of range [0, 15]", NULL);
    want_err(lsnn_ref_set_latch(c, 2, 1, &e), &e, "LATCH row 2 out of range [0, 1]", NULL);
    want_err(lsnn_ref_set_nu(c, 9, &e), &e, "NU = 9 out of range [0, 8]", NULL);
    want_err(lsnn_ref_set_xu(c, 65, &e), &e, "XU = 65 out of range [0, 64]", NULL);
    want_err(lsnn_ref_set_core_id(c, 256, &e), &e, "CORE_ID = 256", NULL);
    lsnn_ref_state out = {7, 7, 7, 1, 7};
    want_err(lsnn_ref_get_state(c, 8, &out, &e), &e, "STATE row 8", NULL);
    CHECK(out.v == 7, "getter leaves *out on error");
    CHECK(c->nu == 0 && c->xu == 0 && c->core_id == 0, "registers unchanged");
    CHECK(strcmp(lsnn_ref_counter_name(LSNN_REF_SYN_OPS), "syn_ops") == 0 &&
              strcmp(lsnn_ref_counter_name(LSNN_REF_PROG_WRITES), "prog_writes") == 0 &&
              lsnn_ref_counter_name(32) == NULL,
          "counter names in §11 order");
    lsnn_ref_free(c);
}

int main(void)
{
    test_operators();
    test_worked_example();
    test_delays();
    test_refractory();
    test_reset_threshold();
    test_prev_v_repeat();
    test_adaptation();
    test_readout();
    test_saturation();
    test_latch();
    test_shuffle();
    test_routing();
    test_cycles();
    test_clear();
    test_setters();
    test_float_agreement();
    return check_report();
}
