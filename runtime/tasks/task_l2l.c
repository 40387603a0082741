/* task_l2l.c - the learning-to-learn task (lsnn-model.md §5.3, docs/l2l.md), generated on the
 * fly.
 *
 *   1. Episode. A target network from the episode's stream (l2l.h): for training sequence s of
 *      iteration i the stream lsnn_rng_derive(seed, LSNN_RNG_TRAIN_BATCH, i * 65536 + s); for
 *      test episode k lsnn_rng_derive(LSNN_L2L_TEST_SEED, LSNN_RNG_TEST_BATCH, k), the same
 *      for every model. Then per trial x1, x2 uniform in [-1, 1] from the same stream.
 *   2. Code. Three populations of pop_size channels: x1, x2 and the previous trial's target
 *      (silent in trial 0). A value maps to u in [0, 1] (x: (x + 1) / 2; the target:
 *      (clip(y, -R, R) + R) / 2R with R = target_range); channel j of a population prefers
 *      u_j = j / (pop_size - 1) and spikes at each step of the trial independently with
 *      p = rate_hz/1000 * exp(-(u - u_j)^2 / (2 width^2)) (a step is 1 ms).
 *   3. Window. Trial t's last readout_ms steps are one regression window of readout 0 with
 *      target y_t. */
#include <math.h>
#include <stdlib.h>

#include "l2l.h"
#include "pmath.h"
#include "task_internal.h"

#define POPS 3 /* x1, x2, previous target */

static int check_spec(const lsnn_l2l_spec *s, lsnn_error *e)
{
    if (s->trials < 2 || s->trials > 1000)
        return lsnn_fail(e, "l2l.trials = %d out of range 2..1000", s->trials);
    if (s->trial_ms < 1 || s->trial_ms > 1000)
        return lsnn_fail(e, "l2l.trial_ms = %d out of range 1..1000", s->trial_ms);
    if (s->hidden < 1 || s->hidden > LSNN_L2L_MAX_HIDDEN)
        return lsnn_fail(e, "l2l.hidden = %d out of range 1..%d", s->hidden, LSNN_L2L_MAX_HIDDEN);
    if (s->pop_size < 1 || POPS * s->pop_size > LSNN_MAX_INPUTS)
        return lsnn_fail(e, "l2l.pop_size = %d out of range 1..%d", s->pop_size,
                         LSNN_MAX_INPUTS / POPS);
    if (!(s->rate_hz > 0 && s->rate_hz <= 1000))
        return lsnn_fail(e, "l2l.rate_hz = %g out of range (0, 1000]", s->rate_hz);
    if (!(s->width > 0 && s->width <= 1))
        return lsnn_fail(e, "l2l.width = %g out of range (0, 1]", s->width);
    if (!(s->target_range > 0 && s->target_range <= 100))
        return lsnn_fail(e, "l2l.target_range = %g out of range (0, 100]", s->target_range);
    if (s->readout_ms < 1 || s->readout_ms > s->trial_ms)
        return lsnn_fail(e, "l2l.readout_ms = %d out of range 1..trial_ms (%d)", s->readout_ms,
                         s->trial_ms);
    if (s->test_size < 1 || s->test_size > 1000000)
        return lsnn_fail(e, "l2l.test_size = %d out of range 1..1000000", s->test_size);
    return 0;
}

int lsnn_l2l_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e)
{
    const lsnn_l2l_spec *s = &spec->l2l;
    if (check_spec(s, e) != 0) return -1;
    t->l2l = *s;
    t->n_steps = s->trials * s->trial_ms;
    t->n_in = POPS * s->pop_size;
    t->n_out = 1;
    t->l2l_x = malloc(sizeof(double) * 2 * (size_t)s->trials);
    t->l2l_y = malloc(sizeof(double) * (size_t)s->trials);
    t->l2l_p = malloc(sizeof(double) * (size_t)t->n_in);
    if (!t->l2l_x || !t->l2l_y || !t->l2l_p) return lsnn_fail(e, "out of memory opening l2l");
    return 0;
}

void lsnn_l2l_free(lsnn_task *t)
{
    free(t->l2l_x);
    free(t->l2l_y);
    free(t->l2l_p);
}

/* Step 2: the spike probabilities of population pop coding u (in [0, 1]) into t->l2l_p. */
static void tune(lsnn_task *t, int pop, double u)
{
    const int P = t->l2l.pop_size;
    const double peak = t->l2l.rate_hz / 1000.0, w = t->l2l.width;
    for (int j = 0; j < P; j++) {
        double uj = P > 1 ? (double)j / (P - 1) : 0.5, d = u - uj;
        t->l2l_p[pop * P + j] = peak * lsnn_exp(-d * d / (2 * w * w));
    }
}

static void silence(lsnn_task *t, int pop)
{
    for (int j = 0; j < t->l2l.pop_size; j++)
        t->l2l_p[pop * t->l2l.pop_size + j] = 0;
}

/* Appends one episode from r as sequence seq: its cells and its trials' windows. */
static int append_episode(lsnn_task *t, lsnn_rng *r, lsnn_batch *b, int seq, lsnn_error *e)
{
    const lsnn_l2l_spec *s = &t->l2l;
    const double R = s->target_range;
    double *x = t->l2l_x, *y = t->l2l_y;
    lsnn_l2l_draw_episode(t, r, x, y);
    for (int k = 0; k < s->trials; k++) {
        tune(t, 0, (x[2 * k] + 1) / 2);
        tune(t, 1, (x[2 * k + 1] + 1) / 2);
        if (k == 0) {
            silence(t, 2);
        } else {
            double prev = y[k - 1] < -R ? -R : y[k - 1] > R ? R : y[k - 1];
            tune(t, 2, (prev + R) / (2 * R));
        }
        for (int step = 0; step < s->trial_ms; step++) {
            for (int c = 0; c < t->n_in; c++)
                if (t->l2l_p[c] > 0 && lsnn_rng_uniform(r) < t->l2l_p[c] &&
                    lsnn_batch_push(b, c) != 0)
                    return lsnn_fail(e, "out of memory building a batch");
            lsnn_batch_end_cell(b);
        }
        int end = (k + 1) * s->trial_ms;
        if (lsnn_batch_add_target(b, seq, end - s->readout_ms, end, 0, (float)y[k]) != 0)
            return lsnn_fail(e, "out of memory building a batch");
    }
    return 0;
}

int lsnn_l2l_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in) != 0)
        return lsnn_fail(e, "out of memory for a batch of %d sequences", n_seq);
    for (int s = 0; s < n_seq; s++) {
        lsnn_rng r = lsnn_l2l_episode_rng(t, 1, iteration, s);
        if (append_episode(t, &r, out, s, e) != 0) return -1;
    }
    return 0;
}

int lsnn_l2l_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in) != 0)
        return lsnn_fail(e, "out of memory for a batch of %d sequences", n_seq);
    for (int s = 0; s < n_seq; s++) {
        lsnn_rng r = lsnn_l2l_episode_rng(t, 0, first + s, 0);
        if (append_episode(t, &r, out, s, e) != 0) return -1;
    }
    return 0;
}
