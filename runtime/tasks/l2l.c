/* l2l.c - the learning-to-learn task's target networks and episodes as numbers (l2l.h); the
 * spikes and batches are task_l2l.c's. */
#include "l2l.h"

#include <math.h>

#include "pmath.h"
#include "task_internal.h"

static double sigmoid(double a)
{
    return 1.0 / (1.0 + lsnn_exp(-a));
}

static double raw_output(const lsnn_l2l_target *f, double x1, double x2)
{
    double out = f->b2;
    for (int k = 0; k < f->hidden; k++)
        out += f->w2[k] * sigmoid(f->w1[k][0] * x1 + f->w1[k][1] * x2 + f->b1[k]);
    return out;
}

static double uniform_pm1(lsnn_rng *r)
{
    return 2.0 * lsnn_rng_uniform(r) - 1.0;
}

double lsnn_l2l_eval(const lsnn_l2l_target *f, double x1, double x2)
{
    return (raw_output(f, x1, x2) - f->mean) * f->scale;
}

void lsnn_l2l_draw_target(lsnn_rng *r, int hidden, lsnn_l2l_target *f)
{
    hidden = hidden < 1 ? 1 : hidden > LSNN_L2L_MAX_HIDDEN ? LSNN_L2L_MAX_HIDDEN : hidden;
    f->hidden = hidden;
    for (int k = 0; k < hidden; k++) {
        f->w1[k][0] = uniform_pm1(r);
        f->w1[k][1] = uniform_pm1(r);
        f->b1[k] = uniform_pm1(r);
        f->w2[k] = uniform_pm1(r);
    }
    f->b2 = uniform_pm1(r);
    /* normalisation over the grid; a (near) constant network keeps scale 1 */
    const int G = LSNN_L2L_GRID;
    double sum = 0, sq = 0;
    for (int i = 0; i < G; i++)
        for (int j = 0; j < G; j++) {
            double v = raw_output(f, -1 + 2.0 * i / (G - 1), -1 + 2.0 * j / (G - 1));
            sum += v;
            sq += v * v;
        }
    f->mean = sum / (G * G);
    double var = sq / (G * G) - f->mean * f->mean;
    f->scale = var > 1e-12 ? 1.0 / sqrt(var) : 1.0;
}

int lsnn_l2l_trials(const lsnn_task *t)
{
    return t->kind == LSNN_TASK_L2L ? t->l2l.trials : 0;
}

lsnn_rng lsnn_l2l_episode_rng(const lsnn_task *t, int train, long index, int seq)
{
    if (train)
        return lsnn_rng_derive(t->seed, LSNN_RNG_TRAIN_BATCH,
                               (uint64_t)index * 65536 + (uint64_t)seq);
    return lsnn_rng_derive(LSNN_L2L_TEST_SEED, LSNN_RNG_TEST_BATCH, (uint64_t)index);
}

/* Step 1 of task_l2l.c into x (2 per trial) and y. */
void lsnn_l2l_draw_episode(const lsnn_task *t, lsnn_rng *r, double *x, double *y)
{
    lsnn_l2l_target f;
    lsnn_l2l_draw_target(r, t->l2l.hidden, &f);
    for (int k = 0; k < t->l2l.trials; k++) {
        x[2 * k] = uniform_pm1(r);
        x[2 * k + 1] = uniform_pm1(r);
        y[k] = lsnn_l2l_eval(&f, x[2 * k], x[2 * k + 1]);
    }
}

int lsnn_l2l_episode(const lsnn_task *t, int train, long index, int seq, double *x, double *y,
                     lsnn_error *e)
{
    if (t->kind != LSNN_TASK_L2L) return lsnn_fail(e, "the task is not l2l");
    if (train ? index < 0 || seq < 0 || seq > 65535 : index < 0 || index >= t->l2l.test_size)
        return lsnn_fail(e, "l2l episode %ld out of range", index);
    lsnn_rng r = lsnn_l2l_episode_rng(t, train, index, seq);
    lsnn_l2l_draw_episode(t, &r, x, y);
    return 0;
}
