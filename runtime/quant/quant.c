/* quant.c - the quantisation arithmetic of docs/neurocore.md §4, shared by the compiler and
 * quantisation-aware training (quant.h). */
#include "quant.h"

#include <math.h>
#include <string.h>

int lsnn_quant_rule(int rule, int weight_bits)
{
    if (rule == LSNN_WEXP_MAX || rule == LSNN_WEXP_MSE) return rule;
    return weight_bits < LSNN_WEXP_MSE_BELOW ? LSNN_WEXP_MSE : LSNN_WEXP_MAX;
}

const char *lsnn_quant_rule_name(int rule)
{
    return rule == LSNN_WEXP_MSE ? "mse" : "max";
}

int lsnn_quant_rule_parse(const char *name)
{
    if (name && strcmp(name, "max") == 0) return LSNN_WEXP_MAX;
    if (name && strcmp(name, "mse") == 0) return LSNN_WEXP_MSE;
    return -1;
}

int lsnn_quant_leakcode(double q, int K, uint32_t *k, uint32_t *f)
{
    double kmax = ldexp(1, K) - 1;
    *k = 0;
    *f = 0;
    if (!(ldexp(q, 31) >= 0.5)) return 1; /* pure integrator (also q = 0 or NaN) */
    for (int ff = 31; ff >= 0; ff--) {
        double r = round(ldexp(q, ff)); /* half away from zero */
        if (r <= kmax) {
            *k = (uint32_t)r;
            *f = (uint32_t)ff;
            return r < ldexp(1, K - 1);
        }
    }
    return 1; /* unreachable for q <= 1 */
}

double lsnn_quant_leak_q(uint32_t k, uint32_t f)
{
    return ldexp((double)k, -(int)f);
}

int lsnn_quant_largest_exp(double x, double lim, int strict)
{
    for (int e = 62; e > -62; e--) {
        double y = ldexp(x, e);
        if (strict ? y < lim : y <= lim) return e;
    }
    return -62;
}

int lsnn_quant_spiking_scale(double b0_max, int v_bits)
{
    return lsnn_quant_largest_exp(b0_max, ldexp(1, v_bits - 1 - LSNN_QUANT_HEADROOM), 1);
}

int lsnn_quant_readout_scale(const float *w_out, int n_rec, int n_out, int v_bits)
{
    double B = 0;
    for (int c = 0; c < n_out; c++) {
        double pos = 0, neg = 0;
        for (int i = 0; i < n_rec; i++) {
            double w = w_out[(size_t)i * n_out + c];
            if (w > 0)
                pos += w;
            else
                neg -= w;
        }
        B = fmax(B, fmax(pos, neg));
    }
    return B > 0 ? lsnn_quant_largest_exp(B, ldexp(1, v_bits - 2), 0) : v_bits - 2;
}

double lsnn_quant_b0(double b0, int e)
{
    return round(ldexp(b0, e));
}

double lsnn_quant_inc(double beta, double rho, int e, int a_frac_bits)
{
    return round(ldexp(beta * (1.0 - rho), e + a_frac_bits));
}

double lsnn_quant_bias(double b_out, int e_r)
{
    return round(ldexp(b_out, e_r));
}

double lsnn_quant_fold(double q, double w, int e)
{
    return ldexp(q * w, e);
}

double lsnn_quant_mantissa(double wt, uint32_t wexp, int weight_bits, int *clipped)
{
    double mmax = ldexp(1, weight_bits - 1) - 1, m = round(ldexp(wt, -(int)wexp));
    int clip = fabs(m) > mmax;
    if (clip) m = m > 0 ? mmax : -mmax;
    if (clipped) *clipped = clip;
    return m;
}

/* The max rule: the smallest exponent at which the largest |w~| needs no clipping (15 if none). */
static uint32_t wexp_max(const double *wt, int n, int weight_bits)
{
    double mmax = ldexp(1, weight_bits - 1) - 1, wmax = 0;
    for (int i = 0; i < n; i++)
        wmax = fmax(wmax, fabs(wt[i]));
    for (uint32_t x = 0; x <= LSNN_QUANT_WEXP_MAX; x++)
        if (wmax <= ldexp(mmax, (int)x)) return x;
    return LSNN_QUANT_WEXP_MAX;
}

/* Squared quantisation error of wt[0..n) at exponent x, clipped weights included. */
static double sq_error(const double *wt, int n, uint32_t x, int weight_bits)
{
    double s = 0;
    for (int i = 0; i < n; i++) {
        double d = ldexp(lsnn_quant_mantissa(wt[i], x, weight_bits, NULL), (int)x) - wt[i];
        s += d * d;
    }
    return s;
}

uint32_t lsnn_quant_wexp(const double *wt, int n, int weight_bits, int rule)
{
    uint32_t best = wexp_max(wt, n, weight_bits);
    if (lsnn_quant_rule(rule, weight_bits) != LSNN_WEXP_MSE) return best;
    /* Above the max rule's exponent nothing clips and the grid only gets coarser (each grid
     * contains the coarser ones), so the candidates are 0 .. best; ties keep the larger. */
    double err = sq_error(wt, n, best, weight_bits);
    for (int x = (int)best - 1; x >= 0 && err > 0; x--) {
        double ex = sq_error(wt, n, (uint32_t)x, weight_bits);
        if (ex < err) {
            err = ex;
            best = (uint32_t)x;
        }
    }
    return best;
}

uint32_t lsnn_quant_row(const float *w, int cols, const double *q, const int *e, int weight_bits,
                        int rule, double *wt, int32_t *m, lsnn_quant_row_stats *st)
{
    lsnn_quant_row_stats s;
    memset(&s, 0, sizeof s);
    for (int j = 0; j < cols; j++) {
        wt[j] = w[j] == 0 ? 0 : lsnn_quant_fold(q[j], w[j], e[j]);
        s.wmax = fmax(s.wmax, fabs(wt[j]));
    }
    uint32_t wexp = lsnn_quant_wexp(wt, cols, weight_bits, rule);
    for (int j = 0; j < cols; j++) {
        m[j] = 0;
        if (w[j] == 0) continue;
        int clip;
        double x = ldexp(wt[j], -(int)wexp),
               mj = lsnn_quant_mantissa(wt[j], wexp, weight_bits, &clip);
        s.n_weights++;
        if (clip)
            s.n_clipped++;
        else
            s.max_err_lsb = fmax(s.max_err_lsb, fabs(mj - x));
        s.max_err_v = fmax(s.max_err_v, fabs(ldexp(mj, (int)wexp) - wt[j]));
        s.n_dropped += mj == 0;
        m[j] = (int32_t)mj;
    }
    if (st) *st = s;
    return wexp;
}
