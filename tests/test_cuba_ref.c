/* test_cuba_ref.c - the reference's current-based synapses (docs/neurocore.md §17).
 *
 * §17.5's worked example value for value; the saturation of the current (counted in sat_acc,
 * not sat_v); cuba = 0 leaves the current untouched and the neuron as it was; a CUBA readout;
 * CLEAR; the setters' limits; and agreement with the float model of §17.1 over long random
 * input streams (identical spike trains). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "nc_arith.h"
#include "ref_core.h"

static lsnn_ref_core *make(uint32_t nu)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    g.neurons = 8;
    g.axons = 64;
    g.synapse_words = 256;
    g.delay_slots = 4;
    g.profiles = 4;
    g.route_entries = 16;
    lsnn_error e = {{0}};
    lsnn_ref_core *c = lsnn_ref_create(&g, &e);
    CHECK(c != NULL, "create: %s", e.msg);
    if (!c) exit(1);
    CHECK(lsnn_ref_set_nu(c, nu, &e) == 0 && lsnn_ref_set_xu(c, 32, &e) == 0, "%s", e.msg);
    return c;
}

static void ok(int rc, const lsnn_error *e)
{
    CHECK(rc == 0, "setter failed: %s", e->msg);
}

static void set_profile(lsnn_ref_core *c, uint32_t row, lsnn_ref_profile p)
{
    lsnn_error e;
    ok(lsnn_ref_set_profile(c, row, &p, &e), &e);
}

static void set_state(lsnn_ref_core *c, uint32_t n, lsnn_ref_state s)
{
    lsnn_error e;
    ok(lsnn_ref_set_state(c, n, &s, &e), &e);
}

/* Input I into neuron n in this tick's neuron phase (ACC at slot tick mod D). */
static void drive(lsnn_ref_core *c, uint32_t n, int64_t I)
{
    lsnn_error e;
    ok(lsnn_ref_set_acc(c, c->tick % (uint32_t)c->cfg.delay_slots, n, I, &e), &e);
}

/* §17.5's profile: the sMNIST LIF neuron with tau_syn = 5 ms (k_i 47519, f_i 18). */
static const lsnn_ref_profile lif_cuba = {
    .n_ref = 5, .f_v = 20, .k_v = 51140, .b0 = 10486, .cuba = 1, .f_i = 18, .k_i = 47519};

/* The table of §17.5 after each of ticks 0, 1, 2. */
static void test_worked_example(void)
{
    static const int64_t I[3] = {6000, 1500, -9000};
    static const lsnn_ref_state want[3] = {
        {.v = 12924, .ref = 5, .z = 1, .isyn = 4363},
        {.v = 6880, .ref = 4, .z = 0, .isyn = 5072},
        {.v = 1697, .ref = 3, .z = 0, .isyn = -4847},
    };
    lsnn_ref_core *c = make(1);
    set_profile(c, 0, lif_cuba);
    set_state(c, 0, (lsnn_ref_state){.v = 9000, .isyn = -2000});
    for (int t = 0; t < 3; t++) {
        drive(c, 0, I[t]);
        lsnn_ref_tick(c, NULL, NULL);
        lsnn_ref_state s = c->state[0];
        CHECK(s.v == want[t].v && s.a == 0 && s.ref == want[t].ref && s.z == want[t].z &&
                  s.isyn == want[t].isyn,
              "tick %d: v %lld i %lld ref %u z %u", t, (long long)s.v, (long long)s.isyn, s.ref,
              s.z);
        /* §10: CUBA adds no cycle (L 1, E 0, Wd 0, NU 1, K spikes, Rt 0) */
        CHECK(c->last_cycles == 7 + 1 + 1 + (uint64_t)s.z, "tick %d: %llu cycles", t,
              (unsigned long long)c->last_cycles);
    }
    lsnn_ref_free(c);
}

/* The current saturates once, at U bits, and counts in sat_acc; v's sum takes the saturated
 * value. Here v saturates too, in a second neuron with the same inputs, to show the two
 * counters apart. */
static void test_saturation(void)
{
    lsnn_ref_core *c = make(2);
    lsnn_ref_profile p = lif_cuba;
    p.k_v = p.f_v = 0; /* no membrane leak: v1 = v + i1 exactly */
    p.b0 = lsnn_nc_smax(24);
    set_profile(c, 0, p);
    int64_t imax = lsnn_nc_smax(28), imin = lsnn_nc_smin(28);
    set_state(c, 0, (lsnn_ref_state){.v = -5000000, .isyn = imax - 10});
    set_state(c, 1, (lsnn_ref_state){.v = 0, .isyn = imin + 10});
    /* leak(imax - 10) = imax - 10 - rshr((imax - 10) * 47519, 18); the input overshoots */
    drive(c, 0, imax);
    drive(c, 1, imin);
    lsnn_ref_tick(c, NULL, NULL);
    CHECK(c->state[0].isyn == imax && c->state[1].isyn == imin, "i clamps to U bits: %lld %lld",
          (long long)c->state[0].isyn, (long long)c->state[1].isyn);
    CHECK(c->counters[LSNN_REF_SAT_ACC] == 2, "sat_acc %llu",
          (unsigned long long)c->counters[LSNN_REF_SAT_ACC]);
    /* v: -5e6 + imax saturates at 2^23-1, 0 + imin at -2^23: the membrane's own counter */
    CHECK(c->state[0].v == lsnn_nc_smax(24) && c->state[1].v == lsnn_nc_smin(24), "v clamps");
    CHECK(c->counters[LSNN_REF_SAT_V] == 2, "sat_v %llu",
          (unsigned long long)c->counters[LSNN_REF_SAT_V]);
    CHECK(lsnn_ref_status(c) & LSNN_REF_STATUS_SAT, "STATUS saturation bit");
    lsnn_ref_free(c);
}

/* cuba = 0: the neuron behaves as a core without §17 (its twin profile with other k_i, f_i
 * gives the same v), and the current field keeps whatever the image loaded. */
static void test_off(void)
{
    lsnn_ref_core *c = make(2);
    lsnn_ref_profile on = lif_cuba, off = lif_cuba;
    on.cuba = 0; /* k_i, f_i set but disabled */
    off.cuba = 0;
    off.k_i = off.f_i = 0;
    set_profile(c, 0, on);
    set_profile(c, 1, off);
    lsnn_error e;
    ok(lsnn_ref_set_ncfg(c, 1, 1, &e), &e);
    set_state(c, 0, (lsnn_ref_state){.v = 9000, .isyn = 12345});
    set_state(c, 1, (lsnn_ref_state){.v = 9000});
    for (int t = 0; t < 20; t++) {
        drive(c, 0, 1000 * (t % 7) - 2000);
        drive(c, 1, 1000 * (t % 7) - 2000);
        lsnn_ref_tick(c, NULL, NULL);
        CHECK(c->state[0].v == c->state[1].v && c->state[0].z == c->state[1].z,
              "tick %d: v %lld vs %lld", t, (long long)c->state[0].v, (long long)c->state[1].v);
        CHECK(c->state[0].isyn == 12345 && c->state[1].isyn == 0, "tick %d: i kept", t);
    }
    lsnn_ref_free(c);
}

/* Mode 1 with cuba: r1 = sat_s(leak(r) + i1, V). CLEAR zeroes the current. */
static void test_readout_and_clear(void)
{
    lsnn_ref_core *c = make(1);
    lsnn_ref_profile p = {.mode = 1, .k_v = 1, .f_v = 2, .cuba = 1, .k_i = 1, .f_i = 1};
    set_profile(c, 0, p);
    set_state(c, 0, (lsnn_ref_state){.v = 100, .isyn = 40});
    drive(c, 0, 7);
    lsnn_ref_tick(c, NULL, NULL);
    /* i1 = 40 - rshr(40, 1) + 7 = 27; r1 = 100 - rshr(100, 2) + 27 = 102 */
    CHECK(c->state[0].isyn == 27 && c->state[0].v == 102 && c->state[0].z == 0,
          "readout: i %lld r %lld", (long long)c->state[0].isyn, (long long)c->state[0].v);
    drive(c, 0, -5);
    lsnn_ref_tick(c, NULL, NULL);
    /* i1 = 27 - rshr(27, 1) - 5 = 27 - 14 - 5 = 8; r1 = 102 - rshr(102, 2) + 8 = 84 */
    CHECK(c->state[0].isyn == 8 && c->state[0].v == 84, "readout 2: i %lld r %lld",
          (long long)c->state[0].isyn, (long long)c->state[0].v);
    lsnn_ref_clear(c, NULL, NULL);
    CHECK(c->state[0].isyn == 0 && c->state[0].v == 0, "CLEAR zeroes i");
    lsnn_ref_free(c);
}

static void want_err(int rc, const lsnn_error *e, const char *w1, const char *w2)
{
    CHECK(rc == -1, "accepted (want '%s')", w1);
    CHECK(strstr(e->msg, w1) != NULL, "want '%s' in: %s", w1, e->msg);
    CHECK(!w2 || strstr(e->msg, w2) != NULL, "want '%s' in: %s", w2, e->msg);
}

static void test_setters(void)
{
    lsnn_ref_core *c = make(1);
    lsnn_error e;
    lsnn_ref_profile p = lif_cuba;
    p.cuba = 2;
    want_err(lsnn_ref_set_profile(c, 0, &p, &e), &e, "cuba", "1 bit");
    p = lif_cuba;
    p.k_i = 5;
    p.f_i = 2;
    want_err(lsnn_ref_set_profile(c, 0, &p, &e), &e, "k_i", "k_i <= 2^f_i");
    p = lif_cuba;
    p.f_i = 32;
    want_err(lsnn_ref_set_profile(c, 0, &p, &e), &e, "f_i", "5 bits");
    lsnn_ref_state s = {.isyn = lsnn_nc_smax(28) + 1};
    want_err(lsnn_ref_set_state(c, 0, &s, &e), &e, "isyn", "U bits signed");
    s.isyn = lsnn_nc_smin(28);
    ok(lsnn_ref_set_state(c, 0, &s, &e), &e);
    lsnn_ref_free(c);
}

/* One CUBA LIF neuron (tau_m 20, tau_syn 5, b0 0.01 at e = 20) driven by the same random
 * integer inputs in this arithmetic and in double: identical spike trains over 840 ticks, for
 * both spike_from variants and 5 seeds. The float model uses the constants the integers
 * represent (k/2^f), so what differs is the rounding of the state alone. */
static void test_float_agreement(void)
{
    const double alpha = 1 - 51140.0 / 1048576.0, alpha_s = 1 - 47519.0 / 262144.0;
    const double b0 = 10486;
    int total = 0;
    for (int prev = 0; prev < 2; prev++)
        for (uint32_t seed = 1; seed <= 5; seed++) {
            lsnn_ref_core *c = make(1);
            lsnn_ref_profile p = lif_cuba;
            p.spk_prev = (uint32_t)prev;
            set_profile(c, 0, p);
            double v = 0, i = 0;
            int rc = 0, z = 0, spikes = 0, same = 1;
            uint32_t r = seed * 2654435761u;
            for (int t = 0; t < 840; t++) {
                int64_t I = 0;
                r = r * 1664525u + 1013904223u;
                int n_in = (int)(r >> 30);
                for (int k = 0; k < n_in; k++) {
                    r = r * 1664525u + 1013904223u;
                    I += ((int64_t)((r >> 16) % 255u) - 127) * 256;
                }
                drive(c, 0, I);
                lsnn_ref_tick(c, NULL, NULL);
                i = alpha_s * i + (double)I;
                double v1 = alpha * v + i - z * b0;
                double vs = prev ? v : v1;
                z = rc == 0 && vs > b0;
                rc = z ? 5 : (rc > 0 ? rc - 1 : 0);
                v = v1;
                spikes += z;
                if ((uint32_t)z != c->state[0].z) same = 0;
                if (fabs(i - (double)c->state[0].isyn) > 8) same = 0;
            }
            CHECK(same && spikes > 20, "prev %d seed %u: spike trains differ (%d float spikes)",
                  prev, seed, spikes);
            total += spikes;
            lsnn_ref_free(c);
        }
    printf("float agreement: %d spikes, all equal\n", total);
}

int main(void)
{
    test_worked_example();
    test_saturation();
    test_off();
    test_readout_and_clear();
    test_setters();
    test_float_agreement();
    return check_report();
}
