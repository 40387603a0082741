/* deepr.c - the DEEP R training step (lsnn-model.md §4), effective weights, counters, checks. */
#include "deepr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const lsnn_deepr_names[LSNN_DEEPR_MATS] = {"w_in", "w_rec", "w_out"};

int lsnn_deepr_alloc(lsnn_deepr *dr, int n_in, int n_rec, int n_out)
{
    int rows[LSNN_DEEPR_MATS] = {n_in, n_rec, n_rec}, cols[LSNN_DEEPR_MATS] = {n_rec, n_rec, n_out};
    size_t largest = 1;
    memset(dr, 0, sizeof *dr);
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        lsnn_deepr_matrix *x = &dr->m[m];
        x->rows = rows[m];
        x->cols = cols[m];
        x->size = (size_t)rows[m] * cols[m];
        x->theta = calloc(x->size ? x->size : 1, sizeof *x->theta);
        x->sign = calloc(x->size ? x->size : 1, sizeof *x->sign);
        x->born = calloc(x->size ? x->size : 1, sizeof *x->born);
        if (!x->theta || !x->sign || !x->born) return -1;
        if (x->size > largest) largest = x->size;
    }
    dr->scratch = malloc(largest * sizeof *dr->scratch);
    return dr->scratch ? 0 : -1;
}

void lsnn_deepr_free(lsnn_deepr *dr)
{
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        free(dr->m[m].theta);
        free(dr->m[m].sign);
        free(dr->m[m].born);
    }
    free(dr->scratch);
    memset(dr, 0, sizeof *dr);
}

long lsnn_deepr_budget(const lsnn_deepr *dr, const lsnn_deepr_spec *d, int m)
{
    if (m >= 0) return (long)((double)dr->m[m].size * d->p);
    double sum = 0;
    for (int k = 0; k < LSNN_DEEPR_MATS; k++)
        sum += (double)dr->m[k].size * d->p;
    return (long)sum;
}

double lsnn_deepr_theta_min(const lsnn_deepr_spec *d)
{
    return -(1 - d->p) * d->temperature / (d->p * d->l1);
}

/* 1 if entry k of matrix m is an autapse (w_rec diagonal). */
static int is_autapse(const lsnn_deepr_matrix *x, int m, size_t k)
{
    return m == LSNN_DEEPR_W_REC && k / (size_t)x->cols == k % (size_t)x->cols;
}

void lsnn_deepr_apply(const lsnn_deepr *dr, lsnn_net *net)
{
    float *w[LSNN_DEEPR_MATS] = {net->w_in, net->w_rec, net->w_out};
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        const lsnn_deepr_matrix *x = &dr->m[m];
        for (size_t k = 0; k < x->size; k++)
            w[m][k] = x->theta[k] > 0 ? x->sign[k] * x->theta[k] : 0.0f;
    }
    for (int i = 0; i < net->n_rec; i++)
        net->w_rec[(size_t)i * net->n_rec + i] = 0; /* no autapses */
}

/* Adam constants in the precision of the dense update (model.c). */
typedef struct {
    float b1, b2, eps, lr_t;
    float l1_step;    /* lr * l1 */
    double noise;     /* sqrt(2 lr T) */
    double theta_min; /* soft only */
    int fast;         /* variant fast: dormant entries have no gradient and keep their moments */
    long step;        /* the Adam step being taken (1, 2, ...) */
    double lr;        /* the learning rate before Adam's bias correction */
    const lsnn_spec *spec; /* Adam's betas */
} step_consts;

/* The fast variant's rate for an entry whose moments restarted at step `born` (> 0): Adam's
 * bias correction for its age step - born, where the run's is for its own step count.
 * Without it a re-grown connection's first updates would be up to 6.5 lr (m and v restarting
 * from 0 under the run's correction of about 1). */
static float fresh_rate(const step_consts *c, int32_t born)
{
    return (float)lsnn_adam_rate(c->spec, c->lr, c->step - born);
}

/* Hard DEEP R, steps 0-4 of lsnn-model.md §4.2 on one matrix: Adam on theta with
 * g_theta = sign * g_w at every entry, the guard that keeps dormant theta at 0, then L1
 * shrinkage and noise on the active ones. Returns the connections pruned. The fast variant
 * skips dormant entries altogether: the engine computed no gradient there, and their moments
 * are reset when activate() revives them. */
static long hard_update(lsnn_deepr_matrix *x, int m, float *am, float *av, const float *gw,
                        const step_consts *c, lsnn_rng *r)
{
    long pruned = 0;
    for (size_t k = 0; k < x->size; k++) {
        int was_active = x->theta[k] > 0;
        if (c->fast && !was_active) {
            x->theta[k] = 0;
            continue;
        }
        float g = is_autapse(x, m, k) ? 0.0f : x->sign[k] * gw[k];
        am[k] = c->b1 * am[k] + (1 - c->b1) * g;
        av[k] = c->b2 * av[k] + (1 - c->b2) * g * g;
        float lr_t = c->fast && x->born[k] > 0 ? fresh_rate(c, x->born[k]) : c->lr_t;
        float th = x->theta[k] - lr_t * am[k] / (sqrtf(av[k]) + c->eps);
        if (!was_active) th = 0; /* the guard: Adam cannot revive a dormant connection */
        if (th > 0) {
            th -= c->l1_step;
            if (c->noise > 0) th += (float)(c->noise * lsnn_rng_normal(r));
        }
        x->theta[k] = th;
        pruned += was_active && !(th > 0);
    }
    return pruned;
}

/* Soft-DEEP R (§4.1) on one matrix: Adam on the active theta (the gradient of a dormant
 * one is 0), L1 on the active, noise on all, clip at theta_min. Counts transitions. */
static void soft_update(lsnn_deepr_matrix *x, int m, float *am, float *av, const float *gw,
                        const step_consts *c, lsnn_rng *r, long *pruned, long *grown)
{
    float theta_min = (float)c->theta_min;
    for (size_t k = 0; k < x->size; k++) {
        int was_active = x->theta[k] > 0;
        float g = was_active && !is_autapse(x, m, k) ? x->sign[k] * gw[k] : 0.0f;
        am[k] = c->b1 * am[k] + (1 - c->b1) * g;
        av[k] = c->b2 * av[k] + (1 - c->b2) * g * g;
        float th = x->theta[k];
        if (was_active) th -= c->lr_t * am[k] / (sqrtf(av[k]) + c->eps);
        if (th > 0) th -= c->l1_step;
        th += (float)(c->noise * lsnn_rng_normal(r));
        if (th < theta_min) th = theta_min;
        x->theta[k] = th;
        *pruned += was_active && !(th > 0);
        *grown += !was_active && th > 0;
    }
}

static long count_active(const lsnn_deepr_matrix *x)
{
    long n = 0;
    for (size_t k = 0; k < x->size; k++)
        n += x->theta[k] > 0;
    return n;
}

/* One categorical draw among the matrices with room[m] > 0, weights size_m * p. */
static int draw_matrix(const lsnn_deepr *dr, const long *room, lsnn_rng *r)
{
    double total = 0, u;
    int last = -1;
    for (int m = 0; m < LSNN_DEEPR_MATS; m++)
        if (room[m] > 0) total += (double)dr->m[m].size;
    u = lsnn_rng_uniform(r) * total;
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        if (room[m] <= 0) continue;
        last = m;
        if (u < (double)dr->m[m].size) return m;
        u -= (double)dr->m[m].size;
    }
    return last; /* rounding at the top end */
}

/* Step 5: how many dormant connections each matrix activates. Global budget: the
 * n_missing = K - active draws of a multinomial with probabilities size_m p / sum (p is the
 * same for all). A matrix cannot activate more than it has dormant entries; LSNN-official
 * clips there and leaves the deficit to the next step, we draw the excess again among the
 * matrices that still have room, so the total is K after every step. */
static void rewire_counts(const lsnn_deepr *dr, const lsnn_deepr_spec *d, const long *active,
                          long *count, lsnn_rng *r)
{
    long room[LSNN_DEEPR_MATS], total = 0;
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        room[m] = (long)dr->m[m].size - active[m];
        total += active[m];
        count[m] = 0;
    }
    if (d->budget == LSNN_BUDGET_PER_MATRIX) {
        for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
            long missing = lsnn_deepr_budget(dr, d, m) - active[m];
            count[m] = missing > 0 ? missing : 0;
        }
        return;
    }
    long missing = lsnn_deepr_budget(dr, d, -1) - total, excess = 0;
    for (long n = 0; n < missing; n++) {
        long all[LSNN_DEEPR_MATS] = {1, 1, 1};
        count[draw_matrix(dr, all, r)]++;
    }
    for (int m = 0; m < LSNN_DEEPR_MATS; m++)
        if (count[m] > room[m]) {
            excess += count[m] - room[m];
            count[m] = room[m];
        }
    for (; excess > 0; excess--) {
        long left[LSNN_DEEPR_MATS];
        for (int m = 0; m < LSNN_DEEPR_MATS; m++)
            left[m] = room[m] - count[m];
        count[draw_matrix(dr, left, r)]++;
    }
}

/* Step 6: activates n dormant entries (theta <= 0) of x, chosen uniformly without
 * replacement (a partial Fisher-Yates shuffle of the candidate list), at theta = 1e-12.
 * With am/av (the fast variant), their Adam moments start again from 0 at this step. */
static void activate(lsnn_deepr_matrix *x, long n, uint32_t *cand, lsnn_rng *r, float *am,
                     float *av, long step)
{
    size_t n_cand = 0;
    for (size_t k = 0; k < x->size; k++)
        if (!(x->theta[k] > 0)) cand[n_cand++] = (uint32_t)k;
    if ((size_t)n > n_cand) n = (long)n_cand;
    for (size_t i = 0; i < (size_t)n; i++) {
        size_t j = i + lsnn_rng_below(r, (uint32_t)(n_cand - i));
        uint32_t t = cand[i];
        cand[i] = cand[j];
        cand[j] = t;
        x->theta[cand[i]] = LSNN_DEEPR_EPSILON;
        if (am) {
            am[cand[i]] = av[cand[i]] = 0;
            x->born[cand[i]] = (int32_t)step;
        }
    }
}

void lsnn_deepr_step(lsnn_deepr *dr, lsnn_adam *adam, const lsnn_spec *spec, const lsnn_grads *g,
                     lsnn_net *net, double lr, long iteration)
{
    const lsnn_deepr_spec *d = &spec->deepr;
    double lr_t = lsnn_adam_advance(adam, spec, lr);
    step_consts c = {(float)spec->adam_beta1,
                     (float)spec->adam_beta2,
                     (float)spec->adam_eps,
                     (float)lr_t,
                     (float)(lr * d->l1),
                     sqrt(2 * lr * d->temperature),
                     d->soft ? lsnn_deepr_theta_min(d) : 0,
                     d->fast,
                     adam->step,
                     lr,
                     spec};
    lsnn_rng r = lsnn_rng_derive(spec->seed, LSNN_RNG_REWIRE, (uint64_t)iteration);
    float *am[LSNN_DEEPR_MATS] = {adam->m.w_in, adam->m.w_rec, adam->m.w_out};
    float *av[LSNN_DEEPR_MATS] = {adam->v.w_in, adam->v.w_rec, adam->v.w_out};
    const float *gw[LSNN_DEEPR_MATS] = {g->w_in, g->w_rec, g->w_out};
    long active[LSNN_DEEPR_MATS], count[LSNN_DEEPR_MATS];
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        if (d->soft)
            soft_update(&dr->m[m], m, am[m], av[m], gw[m], &c, &r, &dr->pruned, &dr->grown);
        else
            dr->pruned += hard_update(&dr->m[m], m, am[m], av[m], gw[m], &c, &r);
    }
    if (!d->soft) {
        for (int m = 0; m < LSNN_DEEPR_MATS; m++)
            active[m] = count_active(&dr->m[m]);
        rewire_counts(dr, d, active, count, &r);
        for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
            activate(&dr->m[m], count[m], dr->scratch, &r, d->fast ? am[m] : NULL,
                     d->fast ? av[m] : NULL, adam->step);
            dr->grown += count[m];
        }
    }
    if (spec->readout_bias)
        lsnn_adam_update(net->b_out, adam->m.b_out, adam->v.b_out, g->b_out, (size_t)net->n_out,
                         spec, lr_t);
    lsnn_deepr_apply(dr, net);
}

void lsnn_deepr_get_stats(const lsnn_deepr *dr, lsnn_deepr_stats *st)
{
    memset(st, 0, sizeof *st);
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        const lsnn_deepr_matrix *x = &dr->m[m];
        for (size_t k = 0; k < x->size; k++)
            if (x->theta[k] > 0) {
                st->active[m]++;
                st->active_excitatory += x->sign[k] > 0;
            }
        st->possible[m] = (long)x->size;
        st->active_total += st->active[m];
        st->possible_total += st->possible[m];
    }
}

int lsnn_deepr_check(const lsnn_deepr *dr, const lsnn_net *net, const char *path, lsnn_error *e)
{
    const float *w[LSNN_DEEPR_MATS] = {net->w_in, net->w_rec, net->w_out};
    for (int m = 0; m < LSNN_DEEPR_MATS; m++) {
        const lsnn_deepr_matrix *x = &dr->m[m];
        const char *name = lsnn_deepr_names[m];
        for (size_t k = 0; k < x->size; k++) {
            size_t row = k / (size_t)x->cols, col = k % (size_t)x->cols;
            if (x->sign[k] != 1 && x->sign[k] != -1)
                return lsnn_fail(e,
                                 "%s: tensor 'sign.%s': element %zu (row %zu, column %zu) is %d; "
                                 "signs must be -1 or +1",
                                 path, name, k, row, col, x->sign[k]);
            if (!isfinite(x->theta[k]))
                return lsnn_fail(e,
                                 "%s: tensor 'theta.%s': element %zu (row %zu, column %zu) is not "
                                 "finite",
                                 path, name, k, row, col);
            float want = x->theta[k] > 0 && !is_autapse(x, m, k) ? x->sign[k] * x->theta[k] : 0;
            if (w[m][k] != want)
                return lsnn_fail(e,
                                 "%s: tensor '%s': element %zu (row %zu, column %zu) is %.9g, but "
                                 "sign.%s * theta.%s gives %.9g (w must be sign * theta where "
                                 "theta > 0, else 0)",
                                 path, name, k, row, col, w[m][k], name, name, want);
        }
    }
    return 0;
}
