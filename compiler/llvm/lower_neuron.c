/* lower_neuron.c - the neuron phase of a TICK (docs/neurocore.md §5.2, §17) in IR.
 *
 * Neurons 0..NU-1 are cut into runs that share a profile (NCFG is constant), and each run is
 * one loop with that profile's constants folded into the instructions: k and f of each
 * decay, b0, inc, n_ref, the mode, spike_from and CUBA pick the code, not data. On hosts the
 * loop updates vector_width neurons per iteration with <n x i64> arithmetic (every value of
 * §5.2 fits 62 bits), the run's remainder one at a time; microcontrollers get the scalar loop.
 * The saturation counts and the spike count are vector sums, added to the counters once. */
#include "lower_internal.h"
#include "nc_arith.h"

typedef struct {
    LLVMValueRef sat_v, sat_r, sat_a, sat_i, spikes; /* variables: i64 or <n x i64> */
} sums;

static void sums_init(ir *x, sums *s, LLVMTypeRef t)
{
    s->sat_v = ir_var(x, t, 0, "sat_v");
    s->sat_r = ir_var(x, t, 0, "sat_r");
    s->sat_a = ir_var(x, t, 0, "sat_a");
    s->sat_i = ir_var(x, t, 0, "sat_i");
    s->spikes = ir_var(x, t, 0, "spikes");
}

/* The update of `width` neurons from index i (i64) with profile pr: loads, §17, §5.2, stores. */
static void update(lw *w, LLVMValueRef base, LLVMValueRef accrow, LLVMValueRef i, int width,
                   const lsnn_ref_profile *pr, int a_zero, sums *s)
{
    ir *x = &w->x;
    const lsnn_hw_config *g = w->cfg;
    const lsnn_nc_layout *L = &w->lay;
    LLVMTypeRef t64 = width > 1 ? LLVMVectorType(x->i64, (unsigned)width) : x->i64;
    LLVMTypeRef t32 = width > 1 ? LLVMVectorType(x->i32, (unsigned)width) : x->i32;
    LLVMValueRef pv = ir_idx(x, x->i32, lw_arr(w, base, L->v, x->i32), i);
    LLVMValueRef pa = ir_idx(x, x->i64, lw_arr(w, base, L->a, x->i64), i);
    LLVMValueRef pref = ir_idx(x, x->i32, lw_arr(w, base, L->ref, x->i32), i);
    LLVMValueRef pz = ir_idx(x, x->i32, lw_arr(w, base, L->z, x->i32), i);
    LLVMValueRef pi = ir_idx(x, x->i32, lw_arr(w, base, L->isyn, x->i32), i);
    LLVMValueRef pacc = ir_idx(x, x->i32, accrow, i);
#define LD32(p)                                                                                    \
    LLVMBuildSExt(x->b, width > 1 ? ir_load_vec(x, t32, p) : ir_load(x, x->i32, p), t64, "")
#define ST32(v, p)                                                                                 \
    do {                                                                                           \
        LLVMValueRef v32_ = LLVMBuildTrunc(x->b, v, t32, "");                                      \
        if (width > 1)                                                                             \
            ir_store_vec(x, v32_, p);                                                              \
        else                                                                                       \
            LLVMBuildStore(x->b, v32_, p);                                                         \
    } while (0)
    LLVMValueRef v = LD32(pv), I = LD32(pacc);
    ST32(ir_const(t64, 0), pacc);
    if (pr->cuba) { /* §17: isyn decays, takes the input, saturates to U bits */
        LLVMValueRef is = LD32(pi), sat = ir_get(x, s->sat_i);
        is = ir_clamp(x, LLVMBuildAdd(x->b, ir_leak(x, is, pr->k_i, (int)pr->f_i), I, ""),
                      lsnn_nc_smin(g->acc_bits), lsnn_nc_smax(g->acc_bits), &sat);
        ir_set(x, s->sat_i, sat);
        ST32(is, pi);
        I = is;
    }
    /* the mutant of the tests: v's leak truncates instead of rounding half up */
    LLVMValueRef vl =
        w->o.mutant == 1 && pr->k_v
            ? LLVMBuildSub(x->b, v,
                           LLVMBuildAShr(x->b, LLVMBuildMul(x->b, v, ir_const(t64, pr->k_v), ""),
                                         ir_const(t64, pr->f_v), ""),
                           "")
            : ir_leak(x, v, pr->k_v, (int)pr->f_v);
    int64_t vlo = lsnn_nc_smin(g->v_bits), vhi = lsnn_nc_smax(g->v_bits);
    if (pr->mode == 1) { /* readout: a leaky integrator; a kept, ref = z = 0 */
        LLVMValueRef sat = ir_get(x, s->sat_r);
        ST32(ir_clamp(x, LLVMBuildAdd(x->b, vl, I, ""), vlo, vhi, &sat), pv);
        ir_set(x, s->sat_r, sat);
        ST32(ir_const(t64, 0), pref);
        ST32(ir_const(t64, 0), pz);
        return;
    }
    /* a_zero: a profile without adaptation whose neurons all start at a = 0 keeps a = 0 for
     * good (nothing writes a but the update and CLEAR, which zeroes it), so A = b0 */
    LLVMValueRef a = a_zero      ? ir_const(t64, 0)
                     : width > 1 ? ir_load_vec(x, t64, pa)
                                 : ir_load(x, x->i64, pa);
    LLVMValueRef ref = LD32(pref), z = LD32(pz);
    LLVMValueRef zb = LLVMBuildICmp(x->b, LLVMIntNE, z, ir_const(t64, 0), "");
    LLVMValueRef sa = ir_get(x, s->sat_a), sv = ir_get(x, s->sat_v);
    /* No decay and no increment (a LIF profile): a1 = clamp(a) = a, since a never leaves
     * [0, 2^(V+G) - 1] (the loader's range, CLEAR's 0, every update's clamp); no store. */
    int a_fixed = pr->k_a == 0 && pr->inc == 0;
    LLVMValueRef a1 = a;
    if (!a_fixed) {
        /* a < 2^(V+G): with V+G <= 32 the mask tells the backend so (a 32 x 32-bit multiply) */
        LLVMValueRef am = g->v_bits + g->a_frac_bits <= 32
                              ? LLVMBuildAnd(x->b, a, ir_const(t64, 0xFFFFFFFFll), "")
                              : a;
        a1 = LLVMBuildAdd(x->b, ir_leak(x, am, pr->k_a, (int)pr->f_a),
                          LLVMBuildSelect(x->b, zb, ir_const(t64, pr->inc), ir_const(t64, 0), ""),
                          "");
        a1 = ir_clamp(x, a1, 0, lsnn_nc_umax(g->v_bits + g->a_frac_bits), &sa);
    }
    LLVMValueRef A = LLVMBuildAdd(x->b, ir_const(t64, pr->b0), ir_rshr(x, a1, g->a_frac_bits), "");
    LLVMValueRef v1 = LLVMBuildSub(x->b, LLVMBuildAdd(x->b, vl, I, ""),
                                   LLVMBuildSelect(x->b, zb, A, ir_const(t64, 0), ""), "");
    v1 = ir_clamp(x, v1, vlo, vhi, &sv);
    LLVMValueRef vs = pr->spk_prev ? v : v1;
    LLVMValueRef fire =
        LLVMBuildAnd(x->b, LLVMBuildICmp(x->b, LLVMIntEQ, ref, ir_const(t64, 0), ""),
                     LLVMBuildICmp(x->b, LLVMIntSGT, vs, A, ""), "");
    LLVMValueRef down =
        LLVMBuildSelect(x->b, LLVMBuildICmp(x->b, LLVMIntSGT, ref, ir_const(t64, 0), ""),
                        LLVMBuildSub(x->b, ref, ir_const(t64, 1), ""), ir_const(t64, 0), "");
    LLVMValueRef z1 = LLVMBuildZExt(x->b, fire, t64, "");
    ST32(LLVMBuildSelect(x->b, fire, ir_const(t64, pr->n_ref), down, ""), pref);
    if (a_fixed)
        ;
    else if (width > 1)
        ir_store_vec(x, a1, pa);
    else
        LLVMBuildStore(x->b, a1, pa);
    ST32(v1, pv);
    ST32(z1, pz);
    ir_set(x, s->sat_a, sa);
    ir_set(x, s->sat_v, sv);
    if (!w->spikes_by_routing) ir_add_to(x, s->spikes, z1);
#undef LD32
#undef ST32
}

void lw_neuron_phase(lw *w, int ci)
{
    ir *x = &w->x;
    const lsnn_ref_core *c = w->core[ci];
    const lsnn_hw_config *g = w->cfg;
    int vw = w->o.vector_width;
    LLVMValueRef base = ir_c64(x, (int64_t)lw_base(w, ci));
    LLVMValueRef tick = LLVMBuildZExt(
        x->b, ir_load(x, x->i32, lw_head(w, base, offsetof(lsnn_nc_head, tick), x->i32)), x->i64,
        "");
    LLVMValueRef slot = LLVMBuildAnd(x->b, tick, ir_c64(x, g->delay_slots - 1), "");
    LLVMValueRef accrow = ir_idx(x, x->i32, lw_arr(w, base, w->lay.acc, x->i32),
                                 LLVMBuildMul(x->b, slot, ir_c64(x, w->lay.np), ""));
    sums one, vec;
    sums_init(x, &one, x->i64);
    /* the vector loops' saturation counts are scalars (mask popcounts); their spike count a
     * vector sum unless the routing counts spikes */
    if (vw > 1) {
        sums_init(x, &vec, x->i64);
        vec.spikes = ir_var(x, LLVMVectorType(x->i64, (unsigned)vw), 0, "spikes");
    }
    for (uint32_t n0 = 0; n0 < c->nu;) {
        uint32_t p = c->ncfg[n0], n1 = n0 + 1;
        while (n1 < c->nu && c->ncfg[n1] == p)
            n1++;
        const lsnn_ref_profile *pr = &c->profile[p];
        int a_zero = pr->k_a == 0 && pr->inc == 0;
        for (uint32_t n = n0; n < n1 && a_zero; n++)
            a_zero = c->state[n].a == 0;
        uint32_t nvec = vw > 1 ? (n1 - n0) / (uint32_t)vw : 0, rest = n0 + nvec * (uint32_t)vw;
        ir_loop l;
        LLVMValueRef k;
        if (nvec) {
            ir_for_open(x, &l, ir_c64(x, 0), ir_c64(x, nvec), &k);
            LLVMValueRef i =
                LLVMBuildAdd(x->b, ir_c64(x, n0), LLVMBuildMul(x->b, k, ir_c64(x, vw), ""), "");
            update(w, base, accrow, i, vw, pr, a_zero, &vec);
            ir_for_close(x, &l);
        }
        if (rest < n1) {
            ir_for_open(x, &l, ir_c64(x, rest), ir_c64(x, n1), &k);
            update(w, base, accrow, k, 1, pr, a_zero, &one);
            ir_for_close(x, &l);
        }
        n0 = n1;
    }
    LLVMValueRef sv = ir_get(x, one.sat_v), sr = ir_get(x, one.sat_r), sa = ir_get(x, one.sat_a);
    LLVMValueRef si = ir_get(x, one.sat_i), ns = ir_get(x, one.spikes);
    if (vw > 1) {
        sv = LLVMBuildAdd(x->b, sv, ir_hsum(x, ir_get(x, vec.sat_v)), "");
        sr = LLVMBuildAdd(x->b, sr, ir_hsum(x, ir_get(x, vec.sat_r)), "");
        sa = LLVMBuildAdd(x->b, sa, ir_hsum(x, ir_get(x, vec.sat_a)), "");
        si = LLVMBuildAdd(x->b, si, ir_hsum(x, ir_get(x, vec.sat_i)), "");
        ns = LLVMBuildAdd(x->b, ns, ir_hsum(x, ir_get(x, vec.spikes)), "");
    }
    LLVMValueRef nu = ir_c64(x, c->nu);
    lw_count(w, base, LSNN_REF_STATE_READS, nu);
    lw_count(w, base, LSNN_REF_ACC_READS, nu);
    lw_count(w, base, LSNN_REF_STATE_WRITES, nu);
    lw_count(w, base, LSNN_REF_NEURON_UPDATES, nu);
    if (!w->spikes_by_routing) lw_count(w, base, LSNN_REF_SPIKES, ns);
    lw_count(w, base, LSNN_REF_SAT_V, sv);
    lw_count(w, base, LSNN_REF_SAT_R, sr);
    lw_count(w, base, LSNN_REF_SAT_A, sa);
    lw_count(w, base, LSNN_REF_SAT_ACC, si);
    LLVMValueRef any =
        LLVMBuildOr(x->b, LLVMBuildOr(x->b, sv, sr, ""), LLVMBuildOr(x->b, sa, si, ""), "");
    lw_status(w, base, LLVMBuildICmp(x->b, LLVMIntNE, any, ir_c64(x, 0), ""), LSNN_REF_STATUS_SAT);
    if (!w->spikes_by_routing)
        LLVMBuildStore(x->b, LLVMBuildTrunc(x->b, ns, x->i32, ""),
                       lw_head(w, base, offsetof(lsnn_nc_head, nspikes), x->i32));
}
