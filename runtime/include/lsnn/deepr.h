/* deepr.h - DEEP R (Bellec et al., ICLR 2018) as LSNN-official runs it: state, init, step.
 *
 * Each of the three rewired matrices m in {w_in [n_in, N], w_rec [N, N], w_out [N, n_out]}
 * (rows = presynaptic) has per entry a parameter theta (float) and a fixed sign (-1/+1).
 * The connection is active iff theta > 0; its effective weight is sign * theta, else 0.
 * Only effective weights reach the engine (lsnn_deepr_apply); gradients come back as
 * dL/dw and become dL/dtheta = sign * dL/dw, also at dormant entries, as in LSNN-official's
 * rewiring_optimizer_wrapper (connectivity.variant official, the default). The fast variant
 * (variant: fast) follows the DEEP R paper's Algorithm 1 instead: the engine computes
 * gradients of active connections only, Adam skips dormant entries, and an entry's moments
 * restart from 0 when rewiring activates it. b_out is a plain Adam parameter. The algorithm and the
 * initialisation are those of lsnn-model.md §2.2 and §4; docs/training.md ("DEEP R")
 * lists the choices made where the reference leaves room.
 *
 * Autapses: as in LSNN-official, the diagonal of w_rec is an ordinary candidate of the
 * rewiring; an active theta there holds one unit of the budget, but its effective weight
 * is 0 and its gradient is 0, so it only decays through L1 (lsnn-model.md §4.2).
 *
 * Randomness: the initialisation draws from lsnn_rng_derive(seed, LSNN_RNG_WEIGHTS, ...),
 * the step of iteration i from lsnn_rng_derive(seed, LSNN_RNG_REWIRE, i), so a resumed
 * run is bit-identical. */
#ifndef LSNN_DEEPR_H
#define LSNN_DEEPR_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "engine.h"
#include "spec.h"
#include "rng.h"

enum { LSNN_DEEPR_W_IN, LSNN_DEEPR_W_REC, LSNN_DEEPR_W_OUT, LSNN_DEEPR_MATS };

#define LSNN_DEEPR_EPSILON 1e-12f /* theta given to a connection that rewiring activates */

typedef struct {
    int rows, cols; /* [n_in, N], [N, N] or [N, n_out] */
    size_t size;    /* rows * cols */
    float *theta;   /* [rows][cols]: active iff > 0; finite */
    int8_t *sign;   /* [rows][cols]: -1 or +1, fixed at initialisation */
    int32_t *born;  /* [rows][cols]: fast variant, the Adam step at which the entry's moments
                       last restarted from 0 (0: never; its Adam is the run's); its update
                       then uses Adam's bias correction for its own age, as a fresh
                       parameter's would */
} lsnn_deepr_matrix;

typedef struct lsnn_deepr lsnn_deepr; /* also declared by model.h, which only passes it on */
struct lsnn_deepr {
    lsnn_deepr_matrix m[LSNN_DEEPR_MATS];
    long pruned;       /* active -> dormant transitions since training started */
    long grown;        /* dormant -> active transitions since training started (a reactivation of a
                          connection that was active before counts; the first step's top-up from the
                          initial density to the budget counts too) */
    uint32_t *scratch; /* candidate list of the rewiring, as long as the largest matrix */
};

typedef struct {
    long active[LSNN_DEEPR_MATS], possible[LSNN_DEEPR_MATS];
    long active_total, possible_total;
    long active_excitatory; /* active entries with sign +1 */
} lsnn_deepr_stats;

/* Names of the matrices as tensors and in reports: "w_in", "w_rec", "w_out". */
extern const char *const lsnn_deepr_names[LSNN_DEEPR_MATS];

/* Allocates a zeroed state (theta 0, sign 0, counters 0) for the given sizes.
 * Returns 0, or -1 on OOM with dr left freeable. */
int lsnn_deepr_alloc(lsnn_deepr *dr, int n_in, int n_rec, int n_out);

/* Frees the arrays of dr (NULL-safe, idempotent). */
void lsnn_deepr_free(lsnn_deepr *dr);

/* Draws theta and signs from spec->seed as LSNN-official's weight_sampler (§2.2): with
 * deepr.dale, random_sparse_signed_matrix's balanced init (|N(0,1)|, global E/I balance,
 * zero-sum columns, spectral radius 1) masked to int(rows*cols*p) pairs drawn with
 * replacement; without, |N(0,1)|/sqrt(rows) on that mask and random signs. Soft-DEEP R
 * gives dormant entries theta ~ U(theta_min, 0). dr must be allocated with the spec's
 * sizes; counters are reset. Implemented in deepr_init.c. Returns 0, or -1 with a
 * message in e (OOM, or an eigenvalue iteration that does not converge). */
int lsnn_deepr_init(lsnn_deepr *dr, const lsnn_spec *spec, lsnn_error *e);

/* Dale's-law initial theta of one matrix before masking: n x n (row-major, double) from
 * the presynaptic neuron signs (-1/+1), drawn from r: theta = |N(0,1)|, inhibitory rows
 * scaled to the excitatory total, each column balanced to sum 0 (when there is at least
 * one inhibitory neuron), then scaled to spectral radius 1. Returns 0, or -1 with e. */
int lsnn_deepr_signed_matrix(const int8_t *neuron_sign, int n, lsnn_rng *r, double *theta,
                             lsnn_error *e);

/* Hard-budget targets: K = int(sum_m size_m * p) (m = -1) or int(size_m * p) for one m. */
long lsnn_deepr_budget(const lsnn_deepr *dr, const lsnn_deepr_spec *d, int m);

/* soft-DEEP R's lower clip of theta: -(1 - p) T / (p l1) (lsnn-model.md §4.1). */
double lsnn_deepr_theta_min(const lsnn_deepr_spec *d);

/* Writes the effective weights w = sign * theta where theta > 0, else 0, into net's
 * w_in, w_rec, w_out (w_rec's diagonal stays 0). Cannot fail. */
void lsnn_deepr_apply(const lsnn_deepr *dr, lsnn_net *net);

/* One training step after a BPTT gradient g (dL/dw, dL/db_out) at iteration `iteration`
 * (0-based) with learning rate lr: Adam on theta with gradient sign * dL/dw and on b_out
 * (if readout.bias), then the DEEP R update of lsnn-model.md §4.2 (hard) or §4.1 (soft),
 * then lsnn_deepr_apply. adam holds the moments of theta (in its w_* arrays) and of
 * b_out. Cannot fail. */
void lsnn_deepr_step(lsnn_deepr *dr, lsnn_adam *adam, const lsnn_spec *spec, const lsnn_grads *g,
                     lsnn_net *net, double lr, long iteration);

/* Counts active connections per matrix, in total, and the excitatory ones. */
void lsnn_deepr_get_stats(const lsnn_deepr *dr, lsnn_deepr_stats *st);

/* Checks a loaded state against the effective weights of net: signs -1/+1, theta finite,
 * w == sign * theta where theta > 0 and 0 elsewhere (w_rec diagonal: always 0), bit for
 * bit. Returns 0, or -1 with "PATH: tensor 'NAME': element K (row R, column C) ..." in e. */
int lsnn_deepr_check(const lsnn_deepr *dr, const lsnn_net *net, const char *path, lsnn_error *e);

#endif
