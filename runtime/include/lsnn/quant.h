/* quant.h - the float LSNN's parameters as the neurocore represents them (docs/neurocore.md §4).
 *
 * The one implementation of the quantisation arithmetic: the compiler (compiler/quantise.c)
 * builds images with it, and quantisation-aware training (qat.h) fake-quantises the network it
 * trains with it, so a QAT network and the image compiled from it agree weight by weight and
 * constant by constant (tests/test_qat.c). Pure functions; they only compute, the compiler
 * checks ranges and reports.
 *
 * Weights (§4.4): a synapse i -> j has the folded weight w~ = q_j * w_ij * 2^(e_j), with q_j =
 * 1 - alpha_j (spiking target) or 1 - kappa (readout), in double from the float engine's float
 * constants, and e_j the target population's scale. One axon (one source row) has one exponent
 * wexp in 0..15; its mantissas are m = clamp(round(w~ / 2^wexp), +-(2^(W-1) - 1)), rounding half
 * away from zero; m = 0 drops the synapse. Two rules choose wexp:
 *   max: the smallest wexp at which nothing clips (the rule of §4.4 before issue 14);
 *   mse: among 0 .. the max rule's wexp, the one with the least squared error
 *        sum_j (m_j 2^wexp - w~_j)^2, clipped weights included (ties: the larger wexp). */
#ifndef LSNN_QUANT_H
#define LSNN_QUANT_H

#include <stdint.h>

#define LSNN_QUANT_HEADROOM 9 /* H of §4.2: b0 * 2^e < 2^(V-1-H) */
#define LSNN_QUANT_WEXP_MAX 15

/* Weight-exponent rules. DEFAULT resolves by the weight width (lsnn_quant_rule): mse below
 * LSNN_WEXP_MSE_BELOW bits, where it measured better than max on both shipped sMNIST models
 * (4 bits: +10.1 points DEEP R, +4.4 dense, on the 10,000 test images), max from there on:
 * at 5 to 8 bits the two differ by -1.1 .. +1.3 points with no consistent sign (docs/training.md),
 * and 8-bit images stay as they were. */
enum { LSNN_WEXP_DEFAULT = 0, LSNN_WEXP_MAX = 1, LSNN_WEXP_MSE = 2 };
#define LSNN_WEXP_MSE_BELOW    5
#define LSNN_WEXP_DEFAULT_NAME "mse up to 4 bits, else max" /* for help texts */

/* The rule itself for MAX and MSE; for anything else the default at weight_bits. */
int lsnn_quant_rule(int rule, int weight_bits);
/* "max" or "mse" of a resolved rule (lsnn_quant_rule). */
const char *lsnn_quant_rule_name(int rule);
/* LSNN_WEXP_MAX or _MSE for "max" or "mse"; -1 for anything else. */
int lsnn_quant_rule_parse(const char *name);

/* (k, f) = leakcode(q) of §4.3 for decay bits K: f the largest in 0..31 with round(q 2^f) <=
 * 2^K - 1, k = round(q 2^f); k = f = 0 when q 2^31 < 1/2 (a pure integrator). Returns 1 when
 * rule 12 warns (k = 0, or k < 2^(K-1)), else 0. q must lie in [0, 1]. */
int lsnn_quant_leakcode(double q, int K, uint32_t *k, uint32_t *f);

/* The decrement k 2^-f of a leak code: the represented 1 - alpha (1 - rho, 1 - kappa). */
double lsnn_quant_leak_q(uint32_t k, uint32_t f);

/* Largest e in [-62, 62] with x 2^e < lim (strict) or <= lim; x > 0. */
int lsnn_quant_largest_exp(double x, double lim, int strict);

/* §4.2: the scale of a spiking population whose largest b0 is b0_max (> 0): the largest e with
 * b0_max 2^e < 2^(V-1-H). */
int lsnn_quant_spiking_scale(double b0_max, int v_bits);

/* §4.2: the readout scale e_r from w_out [n_rec][n_out]: the largest e with B 2^e <= 2^(V-2),
 * B = max over readouts of max(sum of positive, sum of negative weights); V-2 when B = 0. */
int lsnn_quant_readout_scale(const float *w_out, int n_rec, int n_out, int v_bits);

/* §4.3 / §4.5 integers, unchecked (the compiler checks their ranges): b0_int = round(b0 2^e),
 * inc = round(beta (1 - rho) 2^(e+G)), bias = round(b_out 2^e_r). */
double lsnn_quant_b0(double b0, int e);
double lsnn_quant_inc(double beta, double rho, int e, int a_frac_bits);
double lsnn_quant_bias(double b_out, int e_r);

/* The folded weight w~ = q w 2^e of §4.4. */
double lsnn_quant_fold(double q, double w, int e);

/* The mantissa of w~ at exponent wexp: round(w~ 2^-wexp) clamped to +-(2^(W-1) - 1); *clipped
 * (may be NULL) is set to whether the clamp changed it. */
double lsnn_quant_mantissa(double wt, uint32_t wexp, int weight_bits, int *clipped);

/* The exponent of an axon whose folded weights are wt[0..n) under a rule. */
uint32_t lsnn_quant_wexp(const double *wt, int n, int weight_bits, int rule);

/* What one axon's quantisation changed. */
typedef struct {
    long n_weights;     /* nonzero float weights */
    long n_clipped;     /* mantissas clamped */
    long n_dropped;     /* rounded to m = 0 */
    double wmax;        /* max |w~| */
    double max_err_lsb; /* max |m - w~ 2^-wexp| over the unclipped ones */
    double max_err_v;   /* max |m 2^wexp - w~|, clipped ones included (target v-LSB) */
} lsnn_quant_row_stats;

/* One axon: the source row w[0..cols) whose column j targets a neuron with fold factor q[j] and
 * scale e[j]. Fills wt[j] = w~ (0 where w[j] = 0) and m[j] (0 where w[j] = 0 or dropped) and
 * returns the exponent, chosen over the nonzero weights by the rule; st (may be NULL) is
 * overwritten with the row's counts. */
uint32_t lsnn_quant_row(const float *w, int cols, const double *q, const int *e, int weight_bits,
                        int rule, double *wt, int32_t *m, lsnn_quant_row_stats *st);

#endif
