/* nav_train.c - PPO training of the navigation task (nav.h, docs/navigation.md).
 *
 * Iteration it: the float network, stepped in closed loop (nav_stepper.h), plays training
 * episodes it*B .. it*B+B-1 (B = training.batch_size); their inputs are recorded as a batch
 * with one window per action period, their actions, means, values and rewards kept. GAE gives
 * advantages and return targets; then training.ppo.epochs times the engine runs the recorded
 * batch with the PPO loss (nav_ppo.h) and BPTT, and Adam steps. Everything random is drawn
 * from streams of (seed, episode), and the checkpoint holds the weights, Adam's moments and
 * both curves, so a resumed run is the uninterrupted one bit for bit. It reuses the LSNN
 * trainer's run folder, files, lock, loop and progress line (train_loop.h, run_files.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adam.h"
#include "curve.h"
#include "fileio.h"
#include "folder.h"
#include "model.h"
#include "nav_eval.h"
#include "nav_train.h"
#include "nav_ppo.h"
#include "nav_rollout.h"
#include "run_files.h"
#include "train_loop.h"

typedef struct {
    const lsnn_train_opts *o;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_adam adam;
    lsnn_grads grads;
    lsnn_engine *en;
    lsnn_nav_stepper st;
    lsnn_batch batch;
    lsnn_run_files f;
    lsnn_folder_lock lock;
    int resuming, n_act;
    double *mu, *a, *value, *reward, *adv, *ret; /* [B][n_act](x2) */
    double *nav;                                 /* nav curve rows x LSNN_NAV_CURVE_COLS */
    int nav_rows, nav_cap;
    char nav_path[LSNN_PATH_MAX + 64];
} trainer;

int lsnn_nav_train_wanted(const lsnn_train_opts *o)
{
    lsnn_spec s;
    return lsnn_run_spec_of(o, &s) == 0 && s.task == LSNN_TASK_NAVIGATION;
}

static int write_nav_curve(const trainer *t, lsnn_error *e)
{
    size_t cap = 256 + (size_t)t->nav_rows * 256, n = 0;
    char *buf = malloc(cap);
    if (!buf) return lsnn_fail(e, "out of memory");
    n += snprintf(buf + n, cap - n, "%s\n", LSNN_NAV_CURVE_HEADER);
    for (int r = 0; r < t->nav_rows; r++) {
        const double *c = t->nav + (size_t)r * LSNN_NAV_CURVE_COLS;
        n += snprintf(buf + n, cap - n, "%.0f", c[0]);
        for (int k = 1; k < LSNN_NAV_CURVE_COLS; k++)
            n += isnan(c[k]) ? snprintf(buf + n, cap - n, ",")
                             : snprintf(buf + n, cap - n, ",%.6g", c[k]);
        n += snprintf(buf + n, cap - n, "\n");
    }
    int rc = lsnn_write_file_atomic(t->nav_path, buf, n, e);
    free(buf);
    return rc;
}

/* The checkpoint's curve tensor holds both curves side by side, curve.csv's columns first. */
enum { BOTH = LSNN_CURVE_COLS + LSNN_NAV_CURVE_COLS };

static int save_all(void *ctx, lsnn_error *e)
{
    trainer *t = ctx;
    int rows = t->f.rows < t->nav_rows ? t->f.rows : t->nav_rows;
    double *both = malloc(sizeof(double) * BOTH * (rows + 1));
    if (!both) return lsnn_fail(e, "out of memory");
    for (int r = 0; r < rows; r++) {
        memcpy(both + (size_t)r * BOTH, t->f.curve + (size_t)r * LSNN_CURVE_COLS,
               sizeof(double) * LSNN_CURVE_COLS);
        memcpy(both + (size_t)r * BOTH + LSNN_CURVE_COLS, t->nav + (size_t)r * LSNN_NAV_CURVE_COLS,
               sizeof(double) * LSNN_NAV_CURVE_COLS);
    }
    int rc = lsnn_model_save(t->f.path[LSNN_RUN_CKPT], &t->spec, &t->net, NULL, &t->adam, both,
                             rows, BOTH, e) ||
             lsnn_model_save(t->f.path[LSNN_RUN_WEIGHTS], &t->spec, &t->net, NULL, NULL, NULL, 0, 0,
                             e) ||
             lsnn_run_write_curve(&t->f, e) || write_nav_curve(t, e);
    free(both);
    return rc ? -1 : 0;
}

static int push_nav_row(trainer *t, const double *row)
{
    if (t->nav_rows == t->nav_cap) {
        int cap = t->nav_cap ? 2 * t->nav_cap : 256;
        double *c = realloc(t->nav, sizeof(double) * LSNN_NAV_CURVE_COLS * cap);
        if (!c) return -1;
        t->nav = c;
        t->nav_cap = cap;
    }
    memcpy(t->nav + (size_t)t->nav_rows++ * LSNN_NAV_CURVE_COLS, row,
           sizeof(double) * LSNN_NAV_CURVE_COLS);
    return 0;
}

/* The checkpoint's two curves apart again. */
static int split_curves(trainer *t, double *both, int rows, lsnn_error *e)
{
    t->f.rows = 0;
    t->nav_rows = 0;
    for (int r = 0; r < rows; r++)
        if (lsnn_run_push_row(&t->f, both + (size_t)r * BOTH) ||
            push_nav_row(t, both + (size_t)r * BOTH + LSNN_CURVE_COLS))
            return lsnn_fail(e, "out of memory");
    return 0;
}

static int check_spec(const lsnn_spec *s, lsnn_error *e)
{
    if (s->task != LSNN_TASK_NAVIGATION)
        return lsnn_fail(e, "%s: task kind is not navigation", s->name);
    if (s->network != LSNN_NET_LSNN || s->connectivity != LSNN_CONN_DENSE || s->qat_bits)
        return lsnn_fail(e,
                         "%s: navigation trains a dense LSNN in float (network.kind lsnn, "
                         "connectivity dense, no training.qat)",
                         s->name);
    return 0;
}

static int setup(trainer *t, lsnn_error *e)
{
    const lsnn_train_opts *o = t->o;
    lsnn_run_files_init(&t->f, o->run_dir);
    snprintf(t->nav_path, sizeof t->nav_path, "%s/nav_curve.csv", o->run_dir);
    t->resuming = o->resume && (lsnn_file_exists(t->f.path[LSNN_RUN_CKPT]) || !o->spec_path);
    if (o->resume_from || o->qat_bits > 0)
        return lsnn_fail(e, "navigation runs take neither --from nor --qat");
    if (t->resuming) {
        if (lsnn_folder_lock_for(o->run_dir, LSNN_FOLDER_RUN, "lsnn train --resume", &t->lock, e) ||
            lsnn_run_resume_spec(o, &t->f, &t->spec, NULL, e) || check_spec(&t->spec, e))
            return -1;
        double *both = NULL;
        int rows = 0;
        if (lsnn_model_load(t->f.path[LSNN_RUN_CKPT], &t->spec, &t->net, NULL, &t->adam, &both,
                            &rows, BOTH, e))
            return -1;
        int rc = split_curves(t, both, rows, e);
        free(both);
        if (rc) return -1;
        long done = t->adam.step / t->spec.ppo.epochs;
        if (lsnn_run_resume_at(o, &t->f, &t->spec, done, 1, e)) return -1;
        if (t->nav_rows > t->f.rows) t->nav_rows = t->f.rows;
    } else {
        if (lsnn_spec_load(o->spec_path, &t->spec, e) || check_spec(&t->spec, e)) return -1;
        if (o->has_seed) t->spec.seed = o->seed;
        if (o->iters > 0) t->spec.iterations = o->iters;
        if (o->lr > 0) t->spec.lr = o->lr;
        if (lsnn_folder_lock_for(o->run_dir, LSNN_FOLDER_RUN, "lsnn train", &t->lock, e) ||
            lsnn_run_refuse_trained(&t->f, o->run_dir, o->force, e) ||
            lsnn_run_remove_earlier(&t->f, e))
            return -1;
        if (lsnn_file_exists(t->nav_path) && remove(t->nav_path))
            return lsnn_fail(e, "%s: cannot remove the earlier run's curve", t->nav_path);
        if (lsnn_model_init(&t->spec, &t->net, NULL, e)) return -1;
        if (lsnn_adam_alloc(&t->adam, &t->net)) return lsnn_fail(e, "out of memory");
        if (lsnn_spec_save(t->f.path[LSNN_RUN_SPEC], &t->spec, e)) return -1;
    }
    t->n_act = t->spec.nav.episode_steps / t->spec.nav.action_steps;
    size_t n = (size_t)t->spec.batch_size * t->n_act;
    t->mu = malloc(sizeof(double) * 2 * n);
    t->a = malloc(sizeof(double) * 2 * n);
    t->value = malloc(sizeof(double) * n);
    t->reward = malloc(sizeof(double) * n);
    t->adv = malloc(sizeof(double) * n);
    t->ret = malloc(sizeof(double) * n);
    if (!t->mu || !t->a || !t->value || !t->reward || !t->adv || !t->ret ||
        lsnn_grads_alloc(&t->grads, &t->net) || lsnn_nav_stepper_init(&t->st, &t->net))
        return lsnn_fail(e, "out of memory");
    t->en = lsnn_engine_new(o->threads);
    if (!t->en) return lsnn_fail(e, "out of memory");
    return 0;
}

/* The test episodes' goals per episode (training.eval_every); the loop's validation error is
 * the fraction of test episodes without a goal. */
static double validate(void *ctx, lsnn_error *e)
{
    trainer *t = ctx;
    lsnn_nav_eval r;
    int n = t->spec.eval_batches * t->spec.batch_size;
    if (n > t->spec.nav.test_size) n = t->spec.nav.test_size;
    if (lsnn_nav_evaluate(&t->spec, &t->net, n, 0, &r, e)) return NAN;
    if (t->nav_rows > 0)
        t->nav[(size_t)(t->nav_rows - 1) * LSNN_NAV_CURVE_COLS + 9] =
            (double)r.tot.goals / r.tot.episodes;
    return 1.0 - (double)r.tot.first_n / r.tot.episodes;
}

/* Rollouts of iteration it, recorded; GAE. */
static int collect(trainer *t, long it, lsnn_nav_totals *tot, lsnn_error *e)
{
    int B = t->spec.batch_size, K = t->n_act;
    if (lsnn_batch_reset(&t->batch, B, t->spec.nav.episode_steps, t->spec.n_in))
        return lsnn_fail(e, "out of memory");
    memset(tot, 0, sizeof *tot);
    for (int b = 0; b < B; b++) {
        size_t o = (size_t)b * K;
        lsnn_nav_trace tr = {t->mu + 2 * o, t->a + 2 * o, t->value + o, t->reward + o};
        lsnn_nav_env env;
        if (lsnn_nav_rollout(&t->spec, &t->st, LSNN_NAV_TRAIN, (uint64_t)it * B + b, 0, &t->batch,
                             b, &tr, &env))
            return lsnn_fail(e, "out of memory");
        lsnn_nav_totals_add(tot, &env);
    }
    lsnn_ppo_gae(&t->spec.ppo, B, K, t->reward, t->value, t->adv, t->ret);
    return 0;
}

static int step(void *ctx, long it, double lr, lsnn_step_result *out, lsnn_error *e)
{
    trainer *t = ctx;
    lsnn_nav_totals tot;
    if (collect(t, it, &tot, e)) return -1;
    lsnn_ppo_ctx pc = {.ppo = &t->spec.ppo,
                       .n_win = t->batch.n_win,
                       .a = t->a,
                       .mu_old = t->mu,
                       .adv = t->adv,
                       .ret = t->ret};
    lsnn_engine_set_loss(t->en, lsnn_ppo_loss, &pc);
    lsnn_result first = {0};
    double first_pi = 0, first_v = 0, first_clip = 0;
    for (int ep = 0; ep < t->spec.ppo.epochs; ep++) {
        lsnn_result r;
        if (lsnn_engine_run(t->en, &t->net, &t->batch, &t->grads, &r, NULL, NULL))
            return lsnn_fail(e, "out of memory");
        if (ep == 0) {
            first = r;
            first_pi = pc.loss_pi;
            first_v = pc.loss_v;
            first_clip = pc.clip_frac;
        }
        if (!isfinite(r.loss)) break;
        lsnn_adam_step(&t->adam, &t->spec, &t->net, &t->grads, lr);
    }
    double rate = first.mean_rate * 1000.0 / t->spec.dt_ms, n = (double)tot.episodes;
    double row[LSNN_NAV_CURVE_COLS] = {(double)(it + 1),
                                       tot.goals / n,
                                       tot.first_n ? (double)tot.first_sum / tot.first_n : NAN,
                                       tot.later_n ? (double)tot.later_sum / tot.later_n : NAN,
                                       first.loss,
                                       first_pi,
                                       first_v,
                                       first_clip,
                                       rate,
                                       NAN};
    if (push_nav_row(t, row)) return lsnn_fail(e, "out of memory");
    /* curve.csv: train_error is the fraction of episodes without a goal */
    *out = (lsnn_step_result){first.loss, first.loss_task, first.loss_reg,
                              1.0 - (double)tot.first_n / n, rate};
    return 0;
}

/* --log-every's lines: the goals. */
static void log_extra(void *ctx, char *buf, size_t size)
{
    trainer *t = ctx;
    if (!t->nav_rows) return;
    const double *c = t->nav + (size_t)(t->nav_rows - 1) * LSNN_NAV_CURVE_COLS;
    snprintf(buf, size, " goals/episode %.2f first %.1f later %.1f", c[1], c[2], c[3]);
}

int lsnn_nav_train(const lsnn_train_opts *o, lsnn_error *e)
{
    trainer t;
    memset(&t, 0, sizeof t);
    t.lock.fd = -1;
    t.o = o;
    int rc = setup(&t, e);
    int failed_start = rc != 0;
    if (!rc) {
        lsnn_train_loop L = {.ctx = &t,
                             .spec = &t.spec,
                             .o = o,
                             .f = &t.f,
                             .start = t.adam.step / t.spec.ppo.epochs,
                             .step = step,
                             .validate = validate,
                             .save = save_all,
                             .log_extra = log_extra};
        rc = lsnn_train_loop_run(&L, e);
    }
    lsnn_folder_unlock(&t.lock, failed_start);
    lsnn_engine_free(t.en);
    lsnn_nav_stepper_free(&t.st);
    lsnn_batch_free(&t.batch);
    lsnn_grads_free(&t.grads);
    lsnn_adam_free(&t.adam);
    lsnn_net_free(&t.net);
    lsnn_run_files_free(&t.f);
    free(t.mu);
    free(t.a);
    free(t.value);
    free(t.reward);
    free(t.adv);
    free(t.ret);
    free(t.nav);
    return rc;
}
