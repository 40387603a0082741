/* quantise.c - the float LSNN to the integers of docs/neurocore.md §4 (scales, profiles, weights).
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cc_internal.h"
#include "quant.h"

_Static_assert(LSNN_CC_HEADROOM == LSNN_QUANT_HEADROOM, "one headroom H (§4.2)");

int lsnn_cc_leakcode(double q, int K, uint32_t *k, uint32_t *f)
{
    return lsnn_quant_leakcode(q, K, k, f);
}

/* The represented time constant of a leak code, in units of dt. */
static double represented_tau(uint32_t k, uint32_t f)
{
    double q = ldexp(k, -(int)f);
    return q <= 0 ? INFINITY : q >= 1 ? 0 : -1 / log1p(-q);
}

/* Violations of one per-neuron rule, reported once: how many, the first neuron, its message. */
typedef struct {
    int n, first;
    char msg[256];
} cc_viol;

typedef struct {
    cc_viol decay, inc, b0, ref;
} cc_prof_viol;

static void viol_note(cc_viol *v, int j, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void viol_note(cc_viol *v, int j, const char *fmt, ...)
{
    if (v->n++) return;
    v->first = j;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
}

static void viol_finish(const cc_viol *v, cc_drc *d)
{
    if (v->n == 1)
        cc_drc_add(d, "neuron %d: %s", v->first, v->msg);
    else if (v->n)
        cc_drc_add(d, "%d neurons (first: neuron %d): %s", v->n, v->first, v->msg);
}

/* leakcode(q); q outside [0, 1] is a violation (rule 12's warnings come per profile). */
static void leak_of(const lsnn_compiled *cc, cc_viol *v, int j, const char *what, double q,
                    uint32_t *k, uint32_t *f)
{
    if (!(q >= 0 && q <= 1)) {
        viol_note(v, j, "%s = %g is outside [0, 1]", what, 1 - q);
        return;
    }
    lsnn_cc_leakcode(q, cc->cfg.decay_bits, k, f);
}

/* Rule 12: a warning for each decay of each distinct profile with k < 2^(K-1). */
static void warn_leaks(lsnn_compiled *cc, double dt)
{
    uint32_t half = 1u << (cc->cfg.decay_bits - 1);
    for (int i = 0; i < cc->n_profiles; i++) {
        const lsnn_ref_profile *p = &cc->profile[i];
        const char *vname = p->mode == 1 ? "kappa" : "alpha";
        int has_a = p->mode == 0 && (p->k_a || p->inc);
        /* which: 0 the membrane (or readout), 1 the adaptation, 2 the CUBA current (§17) */
        for (int which = 0; which < 3; which++) {
            if ((which == 1 && !has_a) || (which == 2 && !p->cuba)) continue;
            uint32_t k = which == 2 ? p->k_i : which ? p->k_a : p->k_v;
            uint32_t f = which == 2 ? p->f_i : which ? p->f_a : p->f_v;
            const char *name = which == 2 ? "alpha_syn" : which ? "rho" : vname;
            if (k >= half) continue;
            cc->report.n_leak_warn++;
            cc_log(&cc->report,
                   "warning: profile %d %s: k = %u < 2^(K-1) (f = %u, core.decay_bits = %d): "
                   "represented tau = %g ms",
                   i, name, k, f, cc->cfg.decay_bits, represented_tau(k, f) * dt);
        }
    }
}

/* Populations from the spec (or one "rec"), then the readout; scales per §4.2. */
static int set_pops(lsnn_compiled *cc, const lsnn_net *net, const lsnn_spec *spec, cc_drc *d)
{
    int first = 0;
    cc->n_pops = spec ? spec->n_pops : 1;
    for (int p = 0; p < cc->n_pops; p++) {
        lsnn_cc_pop *pp = &cc->pops[p];
        snprintf(pp->name, sizeof pp->name, "%s", spec ? spec->pops[p].name : "rec");
        pp->first = first;
        pp->size = spec ? spec->pops[p].size : net->n_rec;
        first += pp->size;
        double b0 = 0;
        for (int j = pp->first; j < pp->first + pp->size; j++)
            b0 = fmax(b0, net->b0[j]);
        if (!(b0 > 0)) {
            cc_drc_add(d, "population %s: b0 = %g must be > 0", pp->name, b0);
            continue;
        }
        pp->e = lsnn_quant_spiking_scale(b0, cc->cfg.v_bits);
    }
    if (first != net->n_rec) {
        cc_drc_add(d, "the populations hold %d neurons; the net has %d", first, net->n_rec);
        return -1;
    }
    /* readout: B = max_c max(sum w+, sum w-) */
    cc->e_r = lsnn_quant_readout_scale(net->w_out, net->n_rec, net->n_out, cc->cfg.v_bits);
    lsnn_cc_pop *r = &cc->pops[LSNN_CC_POP_READOUT];
    snprintf(r->name, sizeof r->name, "readout");
    r->first = net->n_rec;
    r->size = net->n_out;
    r->e = cc->e_r;
    return 0;
}

static int same_profile(const lsnn_ref_profile *a, const lsnn_ref_profile *b)
{
    return a->mode == b->mode && a->spk_prev == b->spk_prev && a->n_ref == b->n_ref &&
           a->f_v == b->f_v && a->k_v == b->k_v && a->f_a == b->f_a && a->k_a == b->k_a &&
           a->b0 == b->b0 && a->inc == b->inc && a->cuba == b->cuba && a->f_i == b->f_i &&
           a->k_i == b->k_i;
}

/* Index of p among the distinct profiles (added if new; -1 past LSNN_CC_MAX_PROF). */
static int profile_index(lsnn_compiled *cc, const lsnn_ref_profile *p)
{
    for (int i = 0; i < cc->n_profiles; i++)
        if (same_profile(&cc->profile[i], p)) return i;
    if (cc->n_profiles >= LSNN_CC_MAX_PROF) return -1;
    cc->profile[cc->n_profiles] = *p;
    return cc->n_profiles++;
}

/* §4.3 profile of recurrent neuron j at scale e; rules 8-10 (violations noted in pv). */
static void spiking_profile(const lsnn_compiled *cc, const lsnn_net *net, int j, int e,
                            cc_prof_viol *pv, lsnn_ref_profile *p)
{
    const lsnn_hw_config *g = &cc->cfg;
    memset(p, 0, sizeof *p);
    p->spk_prev = (uint32_t)cc->spike_from_prev;
    leak_of(cc, &pv->decay, j, "alpha", 1.0 - (double)net->alpha[j], &p->k_v, &p->f_v);
    if (net->cuba[j]) { /* §17: the weight fold (§4.4) is unchanged; the current decays */
        p->cuba = 1;
        leak_of(cc, &pv->decay, j, "alpha_syn", 1.0 - (double)net->alpha_syn[j], &p->k_i, &p->f_i);
    }
    if (net->beta[j] != 0) {
        leak_of(cc, &pv->decay, j, "rho", 1.0 - (double)net->rho[j], &p->k_a, &p->f_a);
        double inc = lsnn_quant_inc((double)net->beta[j], (double)net->rho[j], e, g->a_frac_bits);
        double lim = ldexp(1, g->v_bits + g->a_frac_bits) - 1;
        if (!(inc >= 0 && inc <= lim))
            viol_note(&pv->inc, j,
                      "adaptation increment %.0f exceeds 2^(V+G)-1 = %.0f "
                      "(core.v_bits + core.a_frac_bits = %d)",
                      inc, lim, g->v_bits + g->a_frac_bits);
        else
            p->inc = (int64_t)inc;
    }
    double b0 = lsnn_quant_b0(net->b0[j], e), bmax = ldexp(1, g->v_bits - 1) - 1;
    if (!(b0 >= 1 && b0 <= bmax))
        viol_note(&pv->b0, j, "b0_int %.0f outside 1..%.0f (core.v_bits = %d)", b0, bmax,
                  g->v_bits);
    else
        p->b0 = (int64_t)b0;
    int rmax = (1 << g->ref_bits) - 1;
    if (net->n_ref[j] < 0 || net->n_ref[j] > rmax)
        viol_note(&pv->ref, j,
                  "refractory %d steps exceeds 2^Q-1 = %d (core.ref_bits = %d), %d over",
                  net->n_ref[j], rmax, g->ref_bits, net->n_ref[j] - rmax);
    else
        p->n_ref = (uint32_t)net->n_ref[j];
}

/* Profiles and scales of every slot. */
static int set_profiles(lsnn_compiled *cc, const lsnn_net *net, double dt, cc_drc *d)
{
    int nu = net->n_rec + net->n_out;
    cc_prof_viol pv;
    memset(&pv, 0, sizeof pv);
    cc->slot_e = calloc((size_t)nu + 1, sizeof *cc->slot_e);
    cc->ncfg = calloc((size_t)nu + 1, sizeof *cc->ncfg);
    if (!cc->slot_e || !cc->ncfg) return -1;
    int full = 0;
    for (int p = 0; p < cc->n_pops; p++)
        for (int j = cc->pops[p].first; j < cc->pops[p].first + cc->pops[p].size; j++) {
            lsnn_ref_profile pr;
            spiking_profile(cc, net, j, cc->pops[p].e, &pv, &pr);
            int idx = profile_index(cc, &pr);
            full |= idx < 0;
            cc->ncfg[j] = idx < 0 ? 0 : (uint32_t)idx;
            cc->slot_e[j] = cc->pops[p].e;
        }
    lsnn_ref_profile ro = {0};
    ro.mode = 1;
    leak_of(cc, &pv.decay, net->n_rec, "kappa", 1.0 - (double)net->kappa, &ro.k_v, &ro.f_v);
    int idx = profile_index(cc, &ro);
    full |= idx < 0;
    for (int c = 0; c < net->n_out; c++) {
        cc->ncfg[net->n_rec + c] = idx < 0 ? 0 : (uint32_t)idx;
        cc->slot_e[net->n_rec + c] = cc->e_r;
    }
    viol_finish(&pv.decay, d);
    viol_finish(&pv.inc, d);
    viol_finish(&pv.b0, d);
    viol_finish(&pv.ref, d);
    if (full) cc_drc_add(d, "more than %d distinct profiles", LSNN_CC_MAX_PROF);
    warn_leaks(cc, dt);
    return 0;
}

/* The fold of §4.4 for every target slot: q = 1 - alpha (spiking) or 1 - kappa (readout), as
 * the float engine has them, in double. */
static void fold_factors(const lsnn_net *net, double *q)
{
    for (int j = 0; j < net->n_rec; j++)
        q[j] = 1.0 - (double)net->alpha[j];
    for (int c = 0; c < net->n_out; c++)
        q[net->n_rec + c] = 1.0 - (double)net->kappa;
}

static const char *kind_name(int kind)
{
    return kind == LSNN_CC_SRC_INPUT ? "input" : kind == LSNN_CC_SRC_REC ? "recurrent" : "readout";
}

/* Quantises one axon: the source row w[0..cols) onto the slots tgt0 + j (fold factors q, scales
 * e of those slots) at one exponent (quant.h, lsnn_quant_row); its synapses are the nonzero
 * mantissas, ascending in target, with delays dd (NULL: 0). */
static void quant_axon(lsnn_compiled *cc, lsnn_cc_axon *ax, const float *w, int cols, int tgt0,
                       const uint8_t *dd, const double *q, const int *e, double *wt, int32_t *m,
                       cc_drc *d)
{
    const lsnn_hw_config *g = &cc->cfg;
    lsnn_cc_report *r = &cc->report;
    lsnn_quant_row_stats st;
    uint32_t wexp = lsnn_quant_row(w, cols, q, e, g->weight_bits, cc->opt.wexp_rule, wt, m, &st);
    ax->wexp = wexp;
    ax->first = cc->n_syn;
    ax->max_d = -1;
    if (st.n_weights && g->weight_bits + (int)wexp > g->acc_bits)
        cc_drc_add(d,
                   "axon %d (%s %d): weight exponent %u with W = %d needs %d accumulator bits; "
                   "core.acc_bits is %d (%d over)",
                   (int)(ax - cc->axon), kind_name(ax->kind), ax->src, wexp, g->weight_bits,
                   g->weight_bits + (int)wexp, g->acc_bits,
                   g->weight_bits + (int)wexp - g->acc_bits);
    r->n_weights += st.n_weights;
    r->n_dropped += st.n_dropped;
    r->max_err_lsb = fmax(r->max_err_lsb, st.max_err_lsb);
    r->max_err_v = fmax(r->max_err_v, st.max_err_v);
    for (int j = 0; j < cols; j++) {
        if (m[j] == 0) continue;
        lsnn_cc_syn *s = &cc->syn[cc->n_syn++];
        s->tgt = (uint32_t)(tgt0 + j);
        s->d = dd ? dd[j] : 0;
        s->m = m[j];
        if ((int)s->d > ax->max_d) ax->max_d = (int)s->d;
    }
    ax->nsyn = (int)(cc->n_syn - ax->first);
    if (st.n_clipped) {
        r->n_clipped += st.n_clipped;
        cc_log(r, "clipped: axon %d (%s %d): %ld weights beyond %.0f * 2^%u (max |w~| %.4g v-LSB)",
               (int)(ax - cc->axon), kind_name(ax->kind), ax->src, st.n_clipped,
               ldexp(1, g->weight_bits - 1) - 1, wexp, st.wmax);
    }
}

/* Every axon of the layout (compiler.h) with its synapses. */
static int set_weights(lsnn_compiled *cc, const lsnn_net *net, cc_drc *d)
{
    int I = net->n_in, N = net->n_rec, C = net->n_out, maxn = N > C ? N : C;
    size_t cap = (size_t)I * N + (size_t)N * N + (size_t)N * C;
    cc->n_axons = I + 2 * N;
    cc->axon = calloc((size_t)cc->n_axons, sizeof *cc->axon);
    cc->syn = malloc((cap ? cap : 1) * sizeof *cc->syn);
    double *q = malloc(((size_t)N + C + 1) * sizeof *q);
    double *wt = malloc(((size_t)maxn + 1) * sizeof *wt);
    int32_t *m = malloc(((size_t)maxn + 1) * sizeof *m);
    int rc = (!cc->axon || !cc->syn || !q || !wt || !m) ? -1 : 0;
    if (rc == 0) fold_factors(net, q);
    for (int a = 0; rc == 0 && a < cc->n_axons; a++) {
        lsnn_cc_axon *ax = &cc->axon[a];
        ax->kind = a < I ? LSNN_CC_SRC_INPUT : a < I + N ? LSNN_CC_SRC_REC : LSNN_CC_SRC_READOUT;
        ax->src = a < I ? a : a < I + N ? a - I : a - I - N;
        int ro = ax->kind == LSNN_CC_SRC_READOUT, cols = ro ? C : N, tgt0 = ro ? N : 0;
        const float *w = ax->kind == LSNN_CC_SRC_INPUT ? net->w_in + (size_t)ax->src * N
                         : ax->kind == LSNN_CC_SRC_REC ? net->w_rec + (size_t)ax->src * N
                                                       : net->w_out + (size_t)ax->src * C;
        const uint8_t *dd = ax->kind == LSNN_CC_SRC_INPUT ? net->d_in + (size_t)ax->src * N
                            : ax->kind == LSNN_CC_SRC_REC ? net->d_rec + (size_t)ax->src * N
                                                          : NULL;
        quant_axon(cc, ax, w, cols, tgt0, dd, q + tgt0, cc->slot_e + tgt0, wt, m, d);
        if (ax->max_d > cc->max_delay) cc->max_delay = ax->max_d;
    }
    free(q);
    free(wt);
    free(m);
    return rc;
}

/* §12 acc_never_saturates: every slot's sum of |m * 2^wexp| < 2^(U-1) (rule 15 warns). */
static void check_acc(lsnn_compiled *cc)
{
    int nu = cc->n_rec + cc->n_out;
    double *sum = calloc((size_t)nu, sizeof *sum), lim = ldexp(1, cc->cfg.acc_bits - 1);
    cc->report.acc_never_sat = 1;
    if (!sum) return;
    for (int a = 0; a < cc->n_axons; a++)
        for (int i = 0; i < cc->axon[a].nsyn; i++) {
            const lsnn_cc_syn *s = &cc->syn[cc->axon[a].first + (size_t)i];
            sum[s->tgt] += ldexp(abs(s->m), (int)cc->axon[a].wexp);
        }
    int worst = -1;
    for (int j = 0; j < nu; j++)
        if (sum[j] >= lim && (worst < 0 || sum[j] > sum[worst])) worst = j;
    if (worst >= 0) {
        cc->report.acc_never_sat = 0;
        cc_log(&cc->report,
               "warning: neuron %d: worst-case accumulator sum %.0f >= 2^(U-1) = %.0f "
               "(core.acc_bits = %d); saturation is possible and counted",
               worst, sum[worst], lim, cc->cfg.acc_bits);
    }
    free(sum);
}

int lsnn_cc_quantise(const lsnn_net *net, const lsnn_spec *spec, const lsnn_hw_config *cfg,
                     const lsnn_cc_options *opt, lsnn_compiled *cc, lsnn_error *e)
{
    cc_drc d = {0};
    memset(cc, 0, sizeof *cc);
    cc->cfg = *cfg;
    if (opt)
        cc->opt = *opt;
    else
        lsnn_cc_default_options(&cc->opt);
    cc->n_in = net->n_in;
    cc->n_rec = net->n_rec;
    cc->n_out = net->n_out;
    cc->spike_from_prev = net->spike_from_prev_v;
    double dt = spec ? spec->dt_ms : 1.0;
    if (spec && (spec->n_in != net->n_in || lsnn_spec_n_rec(spec) != net->n_rec ||
                 spec->n_out != net->n_out))
        return lsnn_fail(e, "the spec's sizes (%d, %d, %d) differ from the net's (%d, %d, %d)",
                         spec->n_in, lsnn_spec_n_rec(spec), spec->n_out, net->n_in, net->n_rec,
                         net->n_out);
    if (set_pops(cc, net, spec, &d)) return cc_drc_finish(&d, e);
    if (set_profiles(cc, net, dt, &d) || set_weights(cc, net, &d))
        return lsnn_fail(e, "out of memory");
    cc->bias = calloc((size_t)(net->n_out ? net->n_out : 1), sizeof *cc->bias);
    if (!cc->bias) return lsnn_fail(e, "out of memory");
    for (int c = 0; c < net->n_out; c++) {
        double b = lsnn_quant_bias(net->b_out ? net->b_out[c] : 0, cc->e_r);
        if (!(fabs(b) < ldexp(1, 62)))
            cc_drc_add(&d, "readout %d: bias %g overflows", c, b);
        else
            cc->bias[c] = (int64_t)b;
    }
    check_acc(cc);
    if (cc->report.n_clipped)
        cc_log(&cc->report, "%ld weights clipped, max error %.4g v-LSB", cc->report.n_clipped,
               cc->report.max_err_v);
    return cc_drc_finish(&d, e);
}
