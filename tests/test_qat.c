/* test_qat.c - quantisation-aware training's fake-quantiser (qat.h) against the compiler: the
 * fake-quantised float network equals, weight by weight and constant by constant, the network
 * dequantised from the image the compiler builds from the same master network (shipped trained
 * models, DEEP R and dense, 4 and 8 bits, both exponent rules, one core and five small cores);
 * the exponent rules of quant.h; training.qat in the spec. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "compiler.h"
#include "model.h"
#include "qat.h"
#include "quant.h"

/* ---- the image's network, dequantised ------------------------------------------------------ */

/* What an image says of a float network, in the units of the float engine (qat.h): weights
 * m 2^(wexp - e) / (k_v 2^-f_v) of the target, constants from the profiles, the bias from the
 * host map. set[] marks the weights the image holds (each exactly once). */
typedef struct {
    lsnn_net net;
    uint8_t *set_in, *set_rec, *set_out;
    int dup, bad_delay;
} deq_net;

static int pop_scale(const lsnn_hostmap *hm, int g)
{
    for (int p = 0; p < hm->n_pops; p++)
        if ((uint32_t)g >= hm->pops[p].first && (uint32_t)g < hm->pops[p].first + hm->pops[p].size)
            return hm->pops[p].e;
    return 0;
}

/* Records the synapses of axon x of core c (a programmed reference core) from source src
 * (input channel, or recurrent neuron if rec). */
static void put_axon(deq_net *d, const lsnn_net *master, const lsnn_hostmap *hm,
                     lsnn_ref_core *const *cores, int c, uint32_t x, int rec, int src, int **glob)
{
    const lsnn_ref_core *k = cores[c];
    const lsnn_ref_axt *a = &k->axt[x];
    uint32_t S = (uint32_t)k->cfg.synapses_per_word;
    int N = master->n_rec, C = master->n_out;
    for (uint32_t w = a->base; w < a->base + a->cnt; w++)
        for (uint32_t j = 0; j < S; j++) {
            const lsnn_ref_lane *l = &k->syn[(size_t)w * S + j];
            if (!l->valid) continue;
            int t = glob[c][l->tgt * S + j];
            const lsnn_ref_profile *p = &k->profile[k->ncfg[l->tgt * S + j]];
            double rq = lsnn_quant_leak_q(p->k_v, p->f_v);
            float v = (float)(ldexp((double)l->m, (int)a->wexp - pop_scale(hm, t)) / rq);
            float *dst;
            uint8_t *set;
            int delay_ok;
            if (!rec) {
                dst = &d->net.w_in[(size_t)src * N + t];
                set = &d->set_in[(size_t)src * N + t];
                delay_ok = l->d == master->d_in[(size_t)src * N + t];
            } else if (t < N) {
                dst = &d->net.w_rec[(size_t)src * N + t];
                set = &d->set_rec[(size_t)src * N + t];
                delay_ok = l->d == master->d_rec[(size_t)src * N + t];
            } else {
                dst = &d->net.w_out[(size_t)src * C + (t - N)];
                set = &d->set_out[(size_t)src * C + (t - N)];
                delay_ok = l->d == 0;
            }
            d->dup += *set;
            d->bad_delay += !delay_ok;
            *set = 1;
            *dst = v;
        }
}

/* Dequantises a built image (its cores and host map) into d. Returns 0 or -1. */
static int dequantise(const lsnn_image *img, const lsnn_hostmap *hm, const lsnn_net *master,
                      deq_net *d)
{
    int I = master->n_in, N = master->n_rec, C = master->n_out, nc = img->ncores, rc = -1;
    lsnn_error e;
    memset(d, 0, sizeof *d);
    lsnn_ref_core **cores = calloc((size_t)nc, sizeof *cores);
    int **glob = calloc((size_t)nc, sizeof *glob);
    if (lsnn_net_alloc(&d->net, I, N, C, master->n_delay) || !cores || !glob) goto out;
    d->set_in = calloc((size_t)I * N, 1);
    d->set_rec = calloc((size_t)N * N, 1);
    d->set_out = calloc((size_t)N * C, 1);
    for (int c = 0; c < nc; c++) {
        cores[c] = lsnn_image_to_core(img, c, &e);
        glob[c] = malloc((size_t)img->cfg.neurons * sizeof **glob);
        if (!cores[c] || !glob[c]) goto out;
        for (int n = 0; n < img->cfg.neurons; n++)
            glob[c][n] = -1;
    }
    for (int g = 0; g < N + C; g++)
        glob[hm->core_index[g]][hm->local[g]] = g;
    /* inputs: channel i at axon axon_base + i of each listed core */
    for (int k = 0; k < hm->n_inputs; k++)
        for (int c = 0; c < nc; c++)
            if (img->cores[c].core_id == hm->inputs[k].core)
                for (int i = 0; i < I; i++)
                    put_axon(d, master, hm, cores, c, hm->inputs[k].axon_base + (uint32_t)i, 0, i,
                             glob);
    /* recurrent neurons: their routing entries name the axons that carry their spikes */
    for (int g = 0; g < N; g++) {
        const lsnn_ref_core *k = cores[hm->core_index[g]];
        uint32_t n = hm->local[g];
        for (uint32_t r = k->rix[n].base; r < k->rix[n].base + k->rix[n].cnt; r++) {
            const lsnn_ref_rte *t = &k->rte[r];
            if (t->kind != LSNN_REF_RTE_CORE) continue;
            uint32_t x = t->rel ? (t->axon + n) & 0xFFFFu : t->axon;
            for (int c = 0; c < nc; c++)
                if (img->cores[c].core_id == t->core)
                    put_axon(d, master, hm, cores, c, x, 1, g, glob);
        }
    }
    /* constants */
    int G = img->cfg.a_frac_bits;
    for (int g = 0; g < N + C; g++) {
        const lsnn_ref_core *k = cores[hm->core_index[g]];
        const lsnn_ref_profile *p = &k->profile[k->ncfg[hm->local[g]]];
        int ep = pop_scale(hm, g);
        double qv = lsnn_quant_leak_q(p->k_v, p->f_v);
        if (g >= N) {
            d->net.kappa = (float)(1.0 - qv);
            continue;
        }
        d->net.alpha[g] = (float)(1.0 - qv);
        d->net.b0[g] = (float)ldexp((double)p->b0, -ep);
        d->net.cuba[g] = (int)p->cuba;
        if (p->cuba) d->net.alpha_syn[g] = (float)(1.0 - lsnn_quant_leak_q(p->k_i, p->f_i));
        if (p->inc) {
            double qa = lsnn_quant_leak_q(p->k_a, p->f_a);
            d->net.rho[g] = (float)(1.0 - qa);
            d->net.beta[g] = (float)(ldexp((double)p->inc, -(ep + G)) / qa);
        }
        d->net.n_ref[g] = (int)p->n_ref;
    }
    for (int c = 0; c < C; c++)
        d->net.b_out[c] = (float)ldexp((double)hm->bias[c], -hm->e_r);
    rc = d->set_in && d->set_rec && d->set_out ? 0 : -1;
out:
    for (int c = 0; c < nc; c++) {
        if (cores && cores[c]) lsnn_ref_free(cores[c]);
        if (glob) free(glob[c]);
    }
    free(cores);
    free(glob);
    return rc;
}

static void deq_free(deq_net *d)
{
    lsnn_net_free(&d->net);
    free(d->set_in);
    free(d->set_rec);
    free(d->set_out);
}

/* Elements of a and b (n floats) that differ as bits; the first one in *first. */
static long differ(const float *a, const float *b, size_t n, size_t *first)
{
    long k = 0;
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof *a)) {
            if (!k) *first = i;
            k++;
        }
    return k;
}

#define SAME(field, n, what)                                                                       \
    do {                                                                                           \
        size_t at = 0;                                                                             \
        long k = differ(q.net.field, d.net.field, (size_t)(n), &at);                               \
        CHECK(k == 0, "%s: %s: %ld of %ld differ (first [%zu]: QAT %.9g, image %.9g)", what,       \
              #field, k, (long)(n), at, k ? q.net.field[at] : 0.0, k ? d.net.field[at] : 0.0);     \
    } while (0)

/* One model on one hw config at one width and rule: compile, fake-quantise, compare. */
static void compare(const char *model, const char *hw, int bits, int rule)
{
    const char *src = getenv("LSNN_SOURCE_DIR");
    char path[1024], what[256];
    snprintf(what, sizeof what, "%s on %s, %d bits, %s", model, hw, bits,
             lsnn_quant_rule_name(lsnn_quant_rule(rule, bits)));
    lsnn_spec spec;
    lsnn_net net;
    lsnn_error e = {{0}};
    lsnn_hw_config cfg;
    snprintf(path, sizeof path, "%s/models/trained/%s/model.yaml", src ? src : ".", model);
    int ok = lsnn_spec_load(path, &spec, &e) == 0;
    snprintf(path, sizeof path, "%s/models/trained/%s/weights.safetensors", src ? src : ".", model);
    ok = ok && lsnn_model_load(path, &spec, &net, NULL, NULL, NULL, NULL, 0, &e) == 0;
    snprintf(path, sizeof path, "%s/models/hw/%s.yaml", src ? src : ".", hw);
    ok = ok && lsnn_hw_load(path, &cfg, &e) == 0;
    CHECK(ok, "%s: %s", what, e.msg);
    if (!ok) return;
    cfg.weight_bits = bits;
    lsnn_cc_options opt;
    lsnn_cc_default_options(&opt);
    opt.wexp_rule = rule;
    lsnn_cc_build_result b;
    lsnn_qat q;
    deq_net d;
    CHECK(lsnn_cc_build(&net, &spec, &cfg, &opt, 0, &b, &e) == 0, "%s: %s", what, e.msg);
    CHECK(lsnn_qat_init(&q, &spec, &net, &cfg, rule, &e) == 0, "%s: %s", what, e.msg);
    CHECK(dequantise(&b.img, &b.hm, &net, &d) == 0, "%s: dequantising the image", what);
    int I = net.n_in, N = net.n_rec, C = net.n_out;
    CHECK(d.dup == 0 && d.bad_delay == 0, "%s: %d synapses twice, %d with another delay", what,
          d.dup, d.bad_delay);
    SAME(w_in, (size_t)I * N, what);
    SAME(w_rec, (size_t)N * N, what);
    SAME(w_out, (size_t)N * C, what);
    SAME(b_out, C, what);
    SAME(alpha, N, what);
    SAME(b0, N, what);
    SAME(rho, N, what);
    SAME(beta, N, what);
    SAME(alpha_syn, N, what);
    CHECK(memcmp(&q.net.kappa, &d.net.kappa, sizeof(float)) == 0, "%s: kappa %.9g, image %.9g",
          what, q.net.kappa, d.net.kappa);
    CHECK(q.n_weights == b.cc.report.n_weights && q.n_clipped == b.cc.report.n_clipped &&
              q.n_dropped == b.cc.report.n_dropped,
          "%s: QAT counts %ld / %ld clipped / %ld dropped, compiler %ld / %ld / %ld", what,
          q.n_weights, q.n_clipped, q.n_dropped, b.cc.report.n_weights, b.cc.report.n_clipped,
          b.cc.report.n_dropped);
    /* the image holds exactly the nonzero fake-quantised weights */
    long held = 0, nonzero = 0;
    for (size_t k = 0; k < (size_t)I * N; k++)
        held += d.set_in[k], nonzero += q.net.w_in[k] != 0;
    for (size_t k = 0; k < (size_t)N * N; k++)
        held += d.set_rec[k], nonzero += q.net.w_rec[k] != 0;
    for (size_t k = 0; k < (size_t)N * C; k++)
        held += d.set_out[k], nonzero += q.net.w_out[k] != 0;
    CHECK(held == nonzero && held == q.n_weights - q.n_dropped,
          "%s: image synapses %ld, nonzero QAT weights %ld, kept %ld", what, held, nonzero,
          q.n_weights - q.n_dropped);
    printf("%-44s %2d core(s): %6ld synapses, %5ld dropped, %4ld clipped: equal\n", what,
           b.img.ncores, held, q.n_dropped, q.n_clipped);
    deq_free(&d);
    lsnn_qat_free(&q);
    lsnn_cc_build_free(&b);
    lsnn_net_free(&net);
}

/* ---- the exponent rules -------------------------------------------------------------------- */

static double sse(const double *wt, int n, uint32_t x, int bits)
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        double r = ldexp(lsnn_quant_mantissa(wt[i], x, bits, NULL), (int)x) - wt[i];
        s += r * r;
    }
    return s;
}

static void test_rules(void)
{
    /* one outlier: max keeps it (wexp 4 at 4 bits: 7 * 2^4 = 112 >= 60), mse clips it to
     * 7 * 2^3 = 56 and gives the others steps of 8 (squared error 48 against 272) */
    double wt[8] = {60, 10, -10, 11, -9, 10, -11, 9};
    uint32_t xm = lsnn_quant_wexp(wt, 8, 4, LSNN_WEXP_MAX),
             xs = lsnn_quant_wexp(wt, 8, 4, LSNN_WEXP_MSE);
    CHECK(xm == 4, "max rule: wexp %u, want 4", xm);
    CHECK(xs == 3 && sse(wt, 8, xs, 4) == 48 && sse(wt, 8, xm, 4) == 272,
          "mse rule: wexp %u, want 3", xs);
    CHECK(xs < xm && sse(wt, 8, xs, 4) < sse(wt, 8, xm, 4),
          "mse rule: wexp %u (sse %g) against max's %u (sse %g)", xs, sse(wt, 8, xs, 4), xm,
          sse(wt, 8, xm, 4));
    for (uint32_t x = 0; x <= 15; x++)
        CHECK(sse(wt, 8, xs, 4) <= sse(wt, 8, x, 4), "mse rule: wexp %u beats %u", x, xs);
    int clip;
    CHECK(lsnn_quant_mantissa(60, xs, 4, &clip) == 7 && clip, "the outlier clips to 7");
    /* exact weights: both rules agree on the smallest exact exponent, no error */
    double ex[3] = {7 * 8, -3 * 8, 8};
    CHECK(lsnn_quant_wexp(ex, 3, 4, LSNN_WEXP_MAX) == 3 &&
              lsnn_quant_wexp(ex, 3, 4, LSNN_WEXP_MSE) == 3,
          "exact weights at 2^3");
    /* an empty axon has wexp 0 under both */
    CHECK(lsnn_quant_wexp(ex, 0, 8, LSNN_WEXP_MAX) == 0 &&
              lsnn_quant_wexp(ex, 0, 8, LSNN_WEXP_MSE) == 0,
          "empty axon");
    /* beyond 127 * 2^15 nothing helps: both rules take 15 */
    double big[2] = {ldexp(200, 15), 1};
    CHECK(lsnn_quant_wexp(big, 2, 8, LSNN_WEXP_MAX) == 15 &&
              lsnn_quant_wexp(big, 2, 8, LSNN_WEXP_MSE) == 15,
          "clipping at 15");
    CHECK(lsnn_quant_rule(LSNN_WEXP_DEFAULT, 4) == LSNN_WEXP_MSE &&
              lsnn_quant_rule(LSNN_WEXP_DEFAULT, LSNN_WEXP_MSE_BELOW - 1) == LSNN_WEXP_MSE &&
              lsnn_quant_rule(LSNN_WEXP_DEFAULT, LSNN_WEXP_MSE_BELOW) == LSNN_WEXP_MAX &&
              lsnn_quant_rule(LSNN_WEXP_DEFAULT, 16) == LSNN_WEXP_MAX &&
              lsnn_quant_rule(LSNN_WEXP_MAX, 4) == LSNN_WEXP_MAX &&
              lsnn_quant_rule(LSNN_WEXP_MSE, 8) == LSNN_WEXP_MSE,
          "the default rule: mse below %d bits, else max", LSNN_WEXP_MSE_BELOW);
    CHECK(lsnn_quant_rule_parse("mse") == LSNN_WEXP_MSE &&
              lsnn_quant_rule_parse("max") == LSNN_WEXP_MAX && lsnn_quant_rule_parse("min") == -1,
          "rule names");
    /* a row: zeros are not synapses, counts as the compiler's report counts them */
    float w[6] = {0, 0.5f, -0.25f, 0, 1e-9f, 0.125f};
    double q[6], wtr[6];
    int e[6];
    int32_t m[6];
    for (int j = 0; j < 6; j++)
        q[j] = 0.5, e[j] = 4;
    lsnn_quant_row_stats st;
    uint32_t x = lsnn_quant_row(w, 6, q, e, 4, LSNN_WEXP_MAX, wtr, m, &st);
    CHECK(x == 0 && m[1] == 4 && m[2] == -2 && m[5] == 1 && m[0] == 0 && m[4] == 0,
          "row: wexp %u, m %d %d %d %d", x, m[1], m[2], m[5], m[4]);
    CHECK(st.n_weights == 4 && st.n_dropped == 1 && st.n_clipped == 0 && wtr[0] == 0,
          "row counts: %ld weights, %ld dropped", st.n_weights, st.n_dropped);
}

/* ---- training.qat in the spec -----------------------------------------------------------------
 */

static void test_spec(void)
{
    const char *src = getenv("LSNN_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/models/store_recall.yaml", src ? src : ".");
    lsnn_spec s, t;
    lsnn_error e = {{0}};
    CHECK(lsnn_spec_load(path, &s, &e) == 0, "%s", e.msg);
    CHECK(s.qat_bits == 0 && s.qat_rule == 0, "no qat by default");
    char *y = lsnn_spec_to_yaml(&s);
    CHECK(y && !strstr(y, "qat"), "a float spec writes no qat section");
    free(y);
    s.qat_bits = 4;
    s.qat_rule = LSNN_WEXP_MSE;
    y = lsnn_spec_to_yaml(&s);
    CHECK(y && strstr(y, "  qat:\n    weight_bits: 4\n    exponents: mse\n"), "qat written: %s",
          y ? y : "");
    CHECK(y && lsnn_spec_parse("qat.yaml", y, strlen(y), &t, &e) == 0, "%s", e.msg);
    CHECK(t.qat_bits == 4 && t.qat_rule == LSNN_WEXP_MSE, "qat read back: %d %d", t.qat_bits,
          t.qat_rule);
    char diff[256];
    CHECK(lsnn_spec_diff(&s, &t, diff, sizeof diff) == 0, "round trip: %s", diff);
    t.qat_bits = 8;
    CHECK(lsnn_spec_diff(&s, &t, diff, sizeof diff) == 1 && strstr(diff, "training.qat"),
          "a different width is a difference: %s", diff);
    free(y);
    const char *bad = "version: 1\nname: x\nnetwork:\n  inputs: 4\n  populations:\n    - {name: a, "
                      "kind: lif, size: 2, tau_m_ms: 20, b0: 0.01, refractory: 2}\n  readout: "
                      "{size: 2, tau_ms: 20}\ntask: {kind: store_recall, values: 2, group_size: "
                      "1}\ntraining: {batch_size: 2, iterations: 1, qat: {weight_bits: 1}}\n";
    CHECK(lsnn_spec_parse("bad.yaml", bad, strlen(bad), &t, &e) == -1 &&
              strstr(e.msg, "weight_bits"),
          "weight_bits 1 refused: %s", e.msg);
}

int main(void)
{
    test_rules();
    test_spec();
    const char *models[] = {"smnist_deepr", "smnist_dense", "store_recall"};
    for (int m = 0; m < 3; m++)
        for (int bits = 4; bits <= 8; bits += 4)
            for (int rule = LSNN_WEXP_MAX; rule <= LSNN_WEXP_MSE; rule++)
                compare(models[m], "default", bits, rule);
    compare("smnist_deepr", "default", 4, LSNN_WEXP_DEFAULT);
    compare("smnist_dense", "default", 8, LSNN_WEXP_DEFAULT);
    compare("smnist_deepr", "small", 4, LSNN_WEXP_MSE);
    compare("smnist_dense", "small", 8, LSNN_WEXP_MAX);
    return check_report();
}
