/* test_compile_exact.c - the compiler (compiler/) against the float engine and §13's rules. */
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "compiler.h"
#include "model.h"

/* ---- a small net with binary-exact parameters --------------------------------------------- */

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}
/* An integer in [-lim, lim], 0 with probability p0/100. */
static int rnd_int(int lim, int p0)
{
    if ((int)(rnd() % 100) < p0) return 0;
    return (int)(rnd() % (uint32_t)(2 * lim + 1)) - lim;
}

enum { NI = 6, NR = 8, NO = 2, ND = 4, T = 60, NSEQ = 2, NW1 = 40, NWS = NW1 + 1 };

/* Leak factors: leaky = 0 gives alpha = rho = kappa = 0 (every float step exact);
 * leaky = 1 gives alpha = kappa = 1 - 2^-3, rho = 1 - 2^-5 (exact factors, inexact states). */
static void make_net(lsnn_net *net, int leaky, int prev_v, uint64_t seed)
{
    rng_state = seed;
    lsnn_net_alloc(net, NI, NR, NO, ND);
    net->spike_from_prev_v = prev_v;
    net->gamma = 0.3f;
    net->kappa = leaky ? 0.875f : 0.0f;
    for (int j = 0; j < NR; j++) {
        int alif = j >= NR / 2;
        net->alpha[j] = leaky ? 0.875f : 0.0f;
        net->rho[j] = alif ? (leaky ? 0.96875f : 0.0f) : 0.0f;
        net->beta[j] = alif ? (leaky ? 0.25f : 0.03125f) : 0.0f;
        net->b0[j] = 0.0625f;
        net->n_ref[j] = 2;
    }
    /* Weights are integers times 2^-7 (leaky: 2^-4, to make up for the 2^-3 fold). */
    float unit = leaky ? 0.0625f : 0.0078125f;
    for (int k = 0; k < NI * NR; k++) {
        net->w_in[k] = unit * (float)rnd_int(24, 20);
        net->d_in[k] = (uint8_t)(rnd() % ND);
    }
    for (int i = 0; i < NR; i++)
        for (int j = 0; j < NR; j++) {
            net->w_rec[i * NR + j] = i == j ? 0 : unit * (float)rnd_int(12, 30);
            net->d_rec[i * NR + j] = (uint8_t)(rnd() % ND);
        }
    for (int k = 0; k < NR * NO; k++)
        net->w_out[k] = 0.015625f * (float)rnd_int(20, 10);
    net->b_out[0] = 0.125f;
    net->b_out[1] = -0.0625f;
}

/* Random input trains (p = 0.3 per channel and step); windows (they may not overlap): each
 * step 0..NW1-1 alone, then [NW1, T). */
static void make_batch(lsnn_batch *b, uint64_t seed)
{
    rng_state = seed;
    lsnn_batch_reset(b, NSEQ, T, NI);
    for (int s = 0; s < NSEQ; s++)
        for (int t = 0; t < T; t++) {
            for (int ch = 0; ch < NI; ch++)
                if (rnd() % 10 < 3) lsnn_batch_push(b, ch);
            lsnn_batch_end_cell(b);
        }
    for (int s = 0; s < NSEQ; s++) {
        for (int t = 0; t < NW1; t++)
            lsnn_batch_add_window(b, s, t, t + 1, 0);
        lsnn_batch_add_window(b, s, NW1, T, 1);
    }
}

/* Compiles net for the default core and programs a reference core with it. */
static lsnn_ref_core *compile_to_core(const lsnn_net *net, lsnn_compiled *cc)
{
    lsnn_hw_config g;
    lsnn_error e = {{0}};
    lsnn_hw_defaults(&g);
    CHECK(lsnn_cc_compile(net, NULL, &g, NULL, cc, &e) == 0, "compile: %s", e.msg);
    lsnn_ref_core *core = lsnn_ref_create(&g, &e);
    CHECK(core && lsnn_cc_program(core, cc, &e) == 0, "program: %s", e.msg);
    return core;
}

/* The float engine and the compiled core on the same inputs: identical spikes at every step of
 * every neuron; v and a equal after scaling (exact), or within tol v-LSB (leaky); logits.
 * cuba: the even neurons get a synaptic current (neurocore.md §17) with alpha_syn = 1 - 2^-2,
 * an exact factor whose rounded states keep v within tol. */
static void compare(int leaky, int prev_v, double tol, int cuba)
{
    lsnn_net net;
    lsnn_batch b = {0};
    make_net(&net, leaky, prev_v, 0x9E3779B97F4A7C15ull + (uint64_t)leaky);
    for (int j = 0; cuba && j < NR; j += 2) {
        net.cuba[j] = 1;
        net.alpha_syn[j] = 0.75f;
    }
    make_batch(&b, 12345 + (uint64_t)prev_v);
    lsnn_engine *en = lsnn_engine_new(1);
    lsnn_grads gr;
    lsnn_grads_alloc(&gr, &net);
    lsnn_result res;
    float *logits = calloc((size_t)b.n_win * NO, sizeof *logits);
    CHECK(lsnn_engine_run(en, &net, &b, &gr, &res, logits, NULL) == 0, "engine run");

    lsnn_compiled cc;
    lsnn_ref_core *core = compile_to_core(&net, &cc);
    CHECK(cc.report.n_clipped == 0 && cc.report.n_dropped == 0 && cc.report.max_err_v == 0,
          "exact weights: %ld clipped, %ld dropped, err %g", cc.report.n_clipped,
          cc.report.n_dropped, cc.report.max_err_v);
    int e = cc.pops[0].e, G = cc.cfg.a_frac_bits;
    CHECK(e == 17 && cc.profile[cc.ncfg[0]].b0 == 8192, "b0 2^-4 -> e 17, b0_int 2^13 (e %d)", e);
    for (int j = 0; j < NR; j++) { /* leakcode(1/4): k_i 2^15, f_i 17 */
        const lsnn_ref_profile *p = &cc.profile[cc.ncfg[j]];
        CHECK(p->cuba == (uint32_t)net.cuba[j] && (!p->cuba || (p->k_i == 32768 && p->f_i == 17)),
              "neuron %d: cuba %u k_i %u f_i %u", j, p->cuba, p->k_i, p->f_i);
    }
    lsnn_cc_trace tr;
    CHECK(lsnn_cc_trace_alloc(&tr, &cc, T, NWS) == 0, "trace");
    long spikes = 0, zbad = 0, vbad = 0, abad = 0, lbad = 0;
    double vmax = 0;
    for (int s = 0; s < NSEQ; s++) {
        lsnn_error err = {{0}};
        CHECK(lsnn_cc_run_sequence(core, &cc, &b, s, &tr, &err) == 0, "run: %s", err.msg);
        for (int t = 0; t < T; t++)
            for (int i = 0; i < NR; i++) {
                float v, bb, z;
                lsnn_engine_state(en, s, t, i, &v, &bb, &z);
                size_t k = (size_t)t * NR + i;
                spikes += tr.z[k];
                if (tr.z[k] != (z != 0) && zbad++ < 5)
                    CHECK(0, "leaky %d prev_v %d seq %d step %d neuron %d: core z %d, float z %g",
                          leaky, prev_v, s, t, i, tr.z[k], z);
                double dv = fabs((double)tr.v[k] - ldexp(v, e));
                double da = fabs((double)tr.a[k] - ldexp((double)net.beta[i] * bb, e + G));
                vmax = fmax(vmax, dv);
                if (dv > tol && vbad++ < 5)
                    CHECK(0, "seq %d step %d neuron %d: v_int %lld, float v * 2^e %.3f", s, t, i,
                          (long long)tr.v[k], ldexp(v, e));
                if (da > tol * (1 << G) && abad++ < 5)
                    CHECK(0, "seq %d step %d neuron %d: a_int %lld, float beta*b * 2^(e+G) %.3f", s,
                          t, i, (long long)tr.a[k], ldexp((double)net.beta[i] * bb, e + G));
            }
        /* windows of seq s: batch windows s*NWS .. s*NWS+NW1; one-step windows compare r_t
         * itself (exact: equal), the long one a mean (float rounding) */
        for (int w = 0; w < NWS; w++)
            for (int c = 0; c < NO; c++) {
                double f = logits[(size_t)(s * NWS + w) * NO + c], q = tr.logit[w * NO + c];
                double lt = w < NW1 && !leaky ? 0 : (leaky ? 2e-3 : 1e-6);
                if (fabs(f - q) > lt && lbad++ < 5)
                    CHECK(0, "leaky %d seq %d window %d class %d: core logit %.9g, float %.9g",
                          leaky, s, w, c, q, f);
            }
    }
    CHECK(zbad == 0 && vbad == 0 && abad == 0 && lbad == 0,
          "leaky %d prev_v %d cuba %d: %ld spike, %ld v, %ld a, %ld logit mismatches", leaky,
          prev_v, cuba, zbad, vbad, abad, lbad);
    CHECK(spikes > 40 && spikes < NSEQ * T * NR / 2, "a lively network: %ld spikes", spikes);
    printf("leaky %d prev_v %d cuba %d: %ld spikes identical, max |dv| %.3g v-LSB\n", leaky, prev_v,
           cuba, spikes, vmax);
    CHECK(core->counters[LSNN_REF_SAT_V] == 0 && core->counters[LSNN_REF_SAT_ACC] == 0,
          "no saturation");
    lsnn_cc_trace_free(&tr);
    lsnn_ref_free(core);
    lsnn_cc_free(&cc);
    free(logits);
    lsnn_grads_free(&gr);
    lsnn_engine_free(en);
    lsnn_batch_free(&b);
    lsnn_net_free(&net);
}

/* ---- quantisation --------------------------------------------------------------------------- */

/* Gaussian-ish float weights: every placed mantissa is within half an LSB of its axon's scale,
 * the exponent is the smallest that fits, and every weight is placed or counted as dropped. */
static void test_round_trip(void)
{
    lsnn_net net;
    make_net(&net, 1, 0, 77);
    for (int k = 0; k < NI * NR; k++)
        net.w_in[k] = (float)(rnd_int(1000, 10) * 1.37e-4);
    for (int k = 0; k < NR * NR; k++)
        if (k % (NR + 1)) net.w_rec[k] = (float)(rnd_int(1000, 10) * 3.1e-5);
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    lsnn_compiled cc;
    lsnn_error e = {{0}};
    CHECK(lsnn_cc_quantise(&net, NULL, &g, NULL, &cc, &e) == 0, "%s", e.msg);
    long nz = 0, placed = 0, bad = 0;
    for (int a = 0; a < cc.n_axons; a++) {
        const lsnn_cc_axon *ax = &cc.axon[a];
        const float *w = ax->kind == LSNN_CC_SRC_INPUT ? net.w_in + ax->src * NR
                         : ax->kind == LSNN_CC_SRC_REC ? net.w_rec + ax->src * NR
                                                       : net.w_out + ax->src * NO;
        int cols = ax->kind == LSNN_CC_SRC_READOUT ? NO : NR, mmax = 0, si = 0;
        double wmax = 0;
        for (int j = 0; j < cols; j++) {
            if (w[j] == 0) continue;
            nz++;
            int slot = ax->kind == LSNN_CC_SRC_READOUT ? NR + j : j;
            double q = slot < NR ? 1 - (double)net.alpha[slot] : 1 - (double)net.kappa;
            double wt = ldexp(q * w[j], cc.slot_e[slot]), lsb = ldexp(1, (int)ax->wexp);
            wmax = fmax(wmax, fabs(wt));
            const lsnn_cc_syn *s = si < ax->nsyn ? &cc.syn[ax->first + (size_t)si] : NULL;
            if (s && s->tgt == (uint32_t)slot) {
                si++;
                placed++;
                if (abs(s->m) > mmax) mmax = abs(s->m);
                if (fabs(s->m * lsb - wt) > 0.5 * lsb) bad++;
            } else if (fabs(wt) >= 0.5 * lsb) {
                bad++; /* missing but not negligible */
            }
        }
        if (ax->nsyn && ax->wexp > 0 && wmax <= 127 * ldexp(1, (int)ax->wexp - 1)) bad++;
    }
    CHECK(bad == 0, "%ld weights off by more than half an LSB (or exponent not minimal)", bad);
    CHECK(placed + cc.report.n_dropped == nz && nz == cc.report.n_weights,
          "%ld placed + %ld dropped = %ld nonzero weights (%ld)", placed, cc.report.n_dropped, nz,
          cc.report.n_weights);
    CHECK(cc.report.max_err_lsb <= 0.5, "max error %g LSB", cc.report.max_err_lsb);
    lsnn_cc_free(&cc);
    lsnn_net_free(&net);
}

/* A weight beyond 127 * 2^15 v-LSB is clipped, counted and logged. */
static void test_clipping(void)
{
    lsnn_net net;
    make_net(&net, 1, 0, 5);
    net.w_in[0] = 1e5f;
    net.w_in[1] = -1e5f;
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    lsnn_compiled cc;
    lsnn_error e = {{0}};
    CHECK(lsnn_cc_compile(&net, NULL, &g, NULL, &cc, &e) == 0, "%s", e.msg);
    CHECK(cc.report.n_clipped == 2, "2 clipped, got %ld", cc.report.n_clipped);
    CHECK(cc.axon[0].wexp == 15 && cc.syn[cc.axon[0].first].m == 127 &&
              cc.syn[cc.axon[0].first + 1].m == -127,
          "clipped to +-127 at wexp 15");
    CHECK(strstr(cc.report.log, "clipped: axon 0 (input 0): 2 weights") != NULL, "log: %s",
          cc.report.log);
    CHECK(cc.report.max_err_v > 1e9, "max error reported: %g", cc.report.max_err_v);
    lsnn_cc_print_report(stdout, &cc);
    lsnn_cc_free(&cc);
    /* rule 15: three clipped weights into neuron 0 can reach 2^(U-1) with U = 24 */
    net.w_in[NR] = net.w_in[2 * NR] = 1e5f;
    g.acc_bits = 24;
    CHECK(lsnn_cc_compile(&net, NULL, &g, NULL, &cc, &e) == 0, "%s", e.msg);
    CHECK(!cc.report.acc_never_sat && strstr(cc.report.log, "warning: neuron 0: worst-case "
                                                            "accumulator sum"),
          "rule 15 warns: %s", cc.report.log);
    lsnn_cc_free(&cc);
    lsnn_net_free(&net);
}

/* §4.3 leakcode: the §4.7 table, q = 1 (k = 2^15), and the warnings. */
static void test_leakcode(void)
{
    uint32_t k, f;
    CHECK(lsnn_cc_leakcode(1.0 - (double)(float)exp(-1.0 / 20), 16, &k, &f) == 0 && k == 51140 &&
              f == 20,
          "tau 20: k %u f %u", k, f);
    /* §4.7 lists k_a 47901 for tau_a 700: that is 1 - rho in double. §4.3 takes rho as the
     * engine has it, float32, whose 1 - rho is a multiple of 2^-24, so k is even: 47900. */
    CHECK(lsnn_cc_leakcode(1.0 - (double)(float)exp(-1.0 / 700), 16, &k, &f) == 0 && k == 47900 &&
              f == 25,
          "tau 700 (float32 rho): k %u f %u", k, f);
    CHECK(lsnn_cc_leakcode(-expm1(-1.0 / 700), 16, &k, &f) == 0 && k == 47901 && f == 25,
          "tau 700 (double rho, §4.7): k %u f %u", k, f);
    CHECK(lsnn_cc_leakcode(1.0, 16, &k, &f) == 0 && k == 32768 && f == 15, "q 1: %u %u", k, f);
    CHECK(lsnn_cc_leakcode(0.125, 16, &k, &f) == 0 && k == 32768 && f == 18, "q 1/8: %u %u", k, f);
    CHECK(lsnn_cc_leakcode(0.0, 16, &k, &f) == 1 && k == 0, "q 0: integrator, warning");
    CHECK(lsnn_cc_leakcode(1e-8, 16, &k, &f) == 1 && f == 31 && k == 21, "tiny q: %u %u", k, f);
}

/* The silence hook: a network whose input weights all round to 0 is flagged as silent when the
 * float network spiked; a live one is not. */
static void test_silence(void)
{
    lsnn_net net;
    lsnn_batch b = {0};
    make_net(&net, 0, 0, 11);
    make_batch(&b, 7);
    lsnn_compiled cc;
    lsnn_ref_core *core = compile_to_core(&net, &cc);
    lsnn_error e = {{0}};
    CHECK(lsnn_cc_check_silence(core, &cc, &b, 100, &e) == 0, "%s", e.msg);
    CHECK(cc.report.silence_checked && !cc.report.silent, "a live network is not silent");
    lsnn_ref_free(core);
    lsnn_cc_free(&cc);
    for (int k = 0; k < NI * NR; k++)
        net.w_in[k] = net.w_in[k] != 0 ? 1e-6f : 0; /* 1e-6 * 2^17 < 0.5: all dropped */
    core = compile_to_core(&net, &cc);
    CHECK(lsnn_cc_check_silence(core, &cc, &b, 100, &e) == 0, "%s", e.msg);
    CHECK(cc.report.silent && strstr(cc.report.log, "silent"), "flagged silent: %s", cc.report.log);
    lsnn_ref_free(core);
    lsnn_cc_free(&cc);
    lsnn_batch_free(&b);
    lsnn_net_free(&net);
}

/* ---- design rules --------------------------------------------------------------------------- */

static void expect_fail(const lsnn_net *net, const lsnn_hw_config *g, const lsnn_cc_options *o,
                        const char *want1, const char *want2)
{
    lsnn_compiled cc;
    lsnn_error e = {{0}};
    int rc = lsnn_cc_compile(net, NULL, g, o, &cc, &e);
    CHECK(rc == -1, "expected a design-rule error with '%s'", want1);
    CHECK(strstr(e.msg, want1) && strstr(e.msg, want2), "message '%s' lacks '%s' / '%s'", e.msg,
          want1, want2);
    printf("design rule: %s\n", e.msg);
    lsnn_cc_free(&cc);
}

static lsnn_hw_config tiny_cfg(void)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    snprintf(g.name, sizeof g.name, "tiny");
    return g;
}

static void test_design_rules(void)
{
    lsnn_net net;
    make_net(&net, 1, 0, 99);
    lsnn_hw_config g = tiny_cfg();
    g.neurons = 8; /* 10 slots needed */
    expect_fail(&net, &g, NULL, "need 10 neuron slots; a core holds 8 (core.neurons", "2 over");
    g = tiny_cfg();
    g.axons = 32; /* 6 + 8 + 8 = 22 fit; shrink below by adding inputs: use 2 readout... */
    lsnn_net big;
    lsnn_net_alloc(&big, 20, NR, NO, ND);
    for (int j = 0; j < NR; j++)
        big.b0[j] = 0.01f, big.alpha[j] = 0.9f;
    big.kappa = 0.9f;
    for (int k = 0; k < 20 * NR; k++)
        big.w_in[k] = 0.1f;
    for (int k = 0; k < NR * NR; k++) /* recurrent and readout blocks exist only with synapses */
        big.w_rec[k] = k % (NR + 1) ? 0.1f : 0;
    for (int k = 0; k < NR * NO; k++)
        big.w_out[k] = 0.1f;
    expect_fail(&big, &g, NULL,
                "36 axons (20 inputs + 8 recurrent + 8 readout sources); a core "
                "holds 32 (core.axons",
                "4 over");
    g = tiny_cfg();
    g.synapse_words = 256;
    lsnn_net wide;
    lsnn_net_alloc(&wide, 200, NR, NO, ND);
    for (int j = 0; j < NR; j++)
        wide.b0[j] = 0.01f, wide.alpha[j] = 0.9f;
    for (int k = 0; k < 200 * NR; k++)
        wide.w_in[k] = 0.1f; /* 200 axons x 2 words */
    expect_fail(&wide, &g, NULL, "need 400 synapse words; a core holds 256 (core.synapse_words",
                "144 over");
    g = tiny_cfg();
    g.delay_slots = 2; /* delays 0..3 */
    expect_fail(&net, &g, NULL, "delay 3; delays are at most D - 1 = 1 (core.delay_slots",
                "2 over");
    g = tiny_cfg();
    g.route_entries = 16;
    lsnn_cc_options o;
    lsnn_cc_default_options(&o);
    o.route_rel = 0; /* 2 entries per neuron: 16 fit */
    lsnn_compiled cc;
    lsnn_error e = {{0}};
    CHECK(lsnn_cc_compile(&net, NULL, &g, &o, &cc, &e) == 0, "16 routes fit: %s", e.msg);
    lsnn_cc_free(&cc);
    lsnn_net_free(&big);
    lsnn_net_alloc(&big, NI, 10, NO, ND);
    for (int j = 0; j < 10; j++)
        big.b0[j] = 0.01f, big.alpha[j] = 0.9f;
    for (int k = 0; k < 10 * 10; k++) /* explicit routes go where a neuron has synapses */
        big.w_rec[k] = k % 11 ? 0.1f : 0;
    for (int k = 0; k < 10 * NO; k++)
        big.w_out[k] = 0.1f;
    expect_fail(&big, &g, &o, "20 routing entries; a core holds 16 (core.route_entries", "4 over");
    g = tiny_cfg();
    g.v_bits = 16;
    g.acc_bits = 16;
    g.a_frac_bits = 0; /* e = 9; w~ = 1e3 * 2^-3 * 2^9 needs wexp 9: 8 + 9 = 17 bits */
    lsnn_net heavy;
    make_net(&heavy, 1, 0, 3);
    heavy.w_in[0] = 1e3f;
    expect_fail(&heavy, &g, NULL,
                "axon 0 (input 0): weight exponent 9 with W = 8 needs 17 "
                "accumulator bits; core.acc_bits is 16",
                "(1 over)");
    g = tiny_cfg();
    g.ref_bits = 1;
    expect_fail(&net, &g, NULL,
                "8 neurons (first: neuron 0): refractory 2 steps exceeds 2^Q-1 = 1 (core.ref_bits",
                "1 over");
    g = tiny_cfg();
    g.profiles = 2; /* LIF, ALIF, readout */
    expect_fail(&net, &g, NULL, "3 distinct profiles; a core holds 2 (core.profiles", "1 over");
    lsnn_net_free(&heavy);
    lsnn_net_free(&big);
    lsnn_net_free(&wide);
    lsnn_net_free(&net);
}

/* ---- sMNIST --------------------------------------------------------------------------------- */

static void test_smnist(void)
{
    const char *src = getenv("LSNN_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/models/smnist_dense.yaml", src ? src : ".");
    lsnn_spec spec;
    lsnn_net net;
    lsnn_error e = {{0}};
    CHECK(lsnn_spec_load(path, &spec, &e) == 0, "%s", e.msg);
    CHECK(lsnn_model_init(&spec, &net, NULL, &e) == 0, "%s", e.msg);
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    lsnn_compiled cc;
    CHECK(lsnn_cc_compile(&net, &spec, &g, NULL, &cc, &e) == 0, "sMNIST on the default core: %s",
          e.msg);
    lsnn_cc_print_usage(stdout, &cc);
    lsnn_cc_print_report(stdout, &cc);
    const lsnn_cc_core *k0 = &cc.core[0];
    CHECK(cc.n_cores == 1 && k0->nu == 230 && k0->xu == 520 && k0->n_rte == 2,
          "one core, NU %u XU %u routes %u", k0->nu, k0->xu, k0->n_rte);
    CHECK(k0->n_words <= 17160 && k0->n_words > 17000, "about 17160 words: %u", k0->n_words);
    CHECK(cc.pops[0].e == 20 && cc.pops[1].e == 20, "e = 20 (§4.2)");
    const lsnn_ref_profile *alif = &cc.profile[cc.ncfg[219]];
    /* §4.7 with float32 rho (see test_leakcode): k_a 47900, inc 689760 (double rho: 689770) */
    CHECK(alif->b0 == 10486 && alif->inc == 689760 && alif->k_v == 51140 && alif->f_v == 20 &&
              alif->k_a == 47900 && alif->f_a == 25 && alif->n_ref == 5,
          "§4.7 ALIF profile: b0 %lld inc %lld", (long long)alif->b0, (long long)alif->inc);
    CHECK(cc.n_profiles == 3, "LIF, ALIF, readout: %d", cc.n_profiles);
    lsnn_ref_core *core = lsnn_ref_create(&g, &e);
    CHECK(core && lsnn_cc_program(core, &cc, &e) == 0, "program sMNIST: %s", e.msg);
    lsnn_ref_free(core);
    lsnn_cc_free(&cc);

    snprintf(path, sizeof path, "%s/models/hw/small.yaml", src ? src : ".");
    CHECK(lsnn_hw_load(path, &g, &e) == 0, "%s", e.msg);
    CHECK(lsnn_cc_compile(&net, &spec, &g, NULL, &cc, &e) == 0, "sMNIST on small cores: %s",
          e.msg);
    lsnn_cc_print_usage(stdout, &cc);
    /* §14: 220 recurrent neurons over 4 cores, the 10 readouts on a fifth */
    CHECK(cc.n_cores == 5, "5 cores, got %d", cc.n_cores);
    for (int c = 0; c < 4; c++)
        CHECK(cc.core[c].first == 55u * c && cc.core[c].nu == 55 && cc.core[c].xu == 300 &&
                  cc.core[c].n_rte == 5 && cc.core[c].ro_base == LSNN_CC_NO_BLOCK,
              "core %d: first %u NU %u XU %u routes %u", c, cc.core[c].first, cc.core[c].nu,
              cc.core[c].xu, cc.core[c].n_rte);
    CHECK(cc.core[4].first == 220 && cc.core[4].nu == 10 && cc.core[4].xu == 220 &&
              cc.core[4].n_rte == 0 && cc.core[4].ro_base == 0,
          "readout core: first %u NU %u XU %u", cc.core[4].first, cc.core[4].nu, cc.core[4].xu);
    CHECK(cc.routes_explicit == 220 * 5, "explicit routes %ld", cc.routes_explicit);
    lsnn_cc_free(&cc);
    g.mesh_x = 2, g.mesh_y = 1; /* two small cores: 220 recurrent neurons cannot fit */
    CHECK(lsnn_cc_compile(&net, &spec, &g, NULL, &cc, &e) == -1, "sMNIST does not fit 2 small");
    CHECK(strstr(e.msg, "does not fit the 2 cores of hw config 'small' (mesh 2x1); with 2 cores: "
                        "core 0: populations lif 120 + alif 100 need 220 neuron slots; a core "
                        "holds 64 (core.neurons in hw config 'small'), 156 over"),
          "message: %s", e.msg);
    printf("two small cores: %s\n", e.msg);
    lsnn_cc_free(&cc);
    g.mesh_x = g.mesh_y = 1; /* one small core: nothing fits */
    CHECK(lsnn_cc_compile(&net, &spec, &g, NULL, &cc, &e) == -1, "sMNIST does not fit 1 small");
    CHECK(strstr(e.msg, "populations lif 120 + alif 100 + readout 10 need 230 neuron slots; a "
                        "core holds 64 (core.neurons in hw config 'small'), 166 over") &&
              strstr(e.msg, "520 axons") && strstr(e.msg, "8 over"),
          "message: %s", e.msg);
    printf("small core: %s\n", e.msg);
    lsnn_cc_free(&cc);
    lsnn_net_free(&net);
}

int main(void)
{
    for (int prev = 0; prev <= 1; prev++) {
        compare(0, prev, 0, 0);   /* exact: identical spikes, v and a equal after scaling */
        compare(1, prev, 8.0, 0); /* leaky: identical spikes, |dv| within the rounding bound */
        /* CUBA: the current rounds (|di| <= 1/2 / (1 - 3/4) = 2), v follows it */
        compare(0, prev, 2.5, 1);
        compare(1, prev, 24.0, 1);
    }
    test_round_trip();
    test_clipping();
    test_leakcode();
    test_silence();
    test_design_rules();
    test_smnist();
    return check_report();
}
