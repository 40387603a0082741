/* lstm_train.c - the training loop of an LSTM spec: batches from the task, BPTT, Adam, logs,
 * checkpoints. It keeps train.c's conventions (files, lock, resume, progress, curve columns:
 * rate_hz is 0, an LSTM has no spikes) with its own model files (lstm_model.h). */
#include "lstm_train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adam.h"
#include "fileio.h"
#include "folder.h"
#include "lstm_eval.h"
#include "lstm_model.h"
#include "memory.h"
#include "progress.h"
#include "run_files.h"
#include "task.h"
#include "train_loop.h"

int lsnn_lstm_train_wanted(const lsnn_train_opts *o)
{
    lsnn_spec s;
    return lsnn_run_spec_of(o, &s) == 0 && s.network == LSNN_NET_LSTM;
}

void lsnn_lstm_train_memory_estimate(const lsnn_spec *s, int n_steps, int threads,
                                     lsnn_train_memory *m)
{
    uint64_t hp = ((uint64_t)s->hidden + 31) / 32 * 32, chunks = (s->batch_size + 31) / 32;
    uint64_t workers = (uint64_t)threads < chunks ? (uint64_t)threads : chunks;
    uint64_t params = (uint64_t)lsnn_lstm_model_n_params(s) + (uint64_t)s->n_out;
    uint64_t padded = (uint64_t)(s->n_in + hp + 1) * 4 * hp + (uint64_t)s->hidden * s->n_out;
    /* gates (4 hp), c, tanh(c) and h per step, lane and worker, in 4-byte reals */
    m->history = workers * 32 * ((uint64_t)n_steps + 1) * 7 * hp * 4;
    /* parameters, gradient, 2 Adam moments, the padded copy and a gradient per chunk */
    m->synapses = params * 4 * 4 + padded * 4 * (2 + chunks);
    m->total = m->history + m->synapses + 64ull * 1024 * 1024;
}

typedef struct {
    const lsnn_train_opts *o;
    lsnn_spec spec;
    lsnn_lstm net, grads;
    lsnn_lstm_adam adam;
    lsnn_task *task;
    lsnn_lstm_engine *en;
    lsnn_batch batch;
    lsnn_run_files f; /* paths and the curve */
    lsnn_folder_lock lock;
    int resuming;
} trainer;

/* ctx: the trainer (train_loop.h's save_weights callback: the weights file, and --keep-best's) */
static int save_weights(void *ctx, const char *path, lsnn_error *e)
{
    trainer *t = ctx;
    return lsnn_lstm_model_save(path, &t->spec, &t->net, NULL, NULL, 0, 0, e);
}

/* ctx: the trainer (also train_loop.h's save callback) */
static int save_all(void *ctx, lsnn_error *e)
{
    trainer *t = ctx;
    if (lsnn_lstm_model_save(t->f.path[LSNN_RUN_CKPT], &t->spec, &t->net, &t->adam, t->f.curve,
                             t->f.rows, LSNN_CURVE_COLS, e) ||
        save_weights(t, t->f.path[LSNN_RUN_WEIGHTS], e) || lsnn_run_write_curve(&t->f, e))
        return -1;
    return 0;
}

/* A fresh run: the spec first (a bad one leaves no folder behind), then the folder. */
static int check_fresh(trainer *t, lsnn_error *e)
{
    const lsnn_train_opts *o = t->o;
    if (lsnn_spec_load(o->spec_path, &t->spec, e)) return -1;
    if (o->has_seed) t->spec.seed = o->seed;
    if (o->iters > 0) t->spec.iterations = o->iters;
    if (lsnn_folder_lock_for(o->run_dir, LSNN_FOLDER_RUN, "lsnn train", &t->lock, e)) return -1;
    return lsnn_run_refuse_trained(&t->f, o->run_dir, o->force, e);
}

/* --resume: the run's own spec and checkpoint; a spec or seed given beside them must agree. */
static int setup_resume(trainer *t, lsnn_error *e)
{
    const lsnn_train_opts *o = t->o;
    if (lsnn_folder_lock_for(o->run_dir, LSNN_FOLDER_RUN, "lsnn train --resume", &t->lock, e))
        return -1;
    if (lsnn_run_resume_spec(o, &t->f, &t->spec, NULL, e)) return -1;
    if (lsnn_lstm_model_load(t->f.path[LSNN_RUN_CKPT], &t->spec, &t->net, &t->adam, &t->f.curve,
                             &t->f.rows, LSNN_CURVE_COLS, e))
        return -1;
    return lsnn_run_resume_at(o, &t->f, &t->spec, t->adam.step, 1, e);
}

/* Refuses, before allocating, a run that the machine (or --max-memory) cannot hold. */
static int check_memory(trainer *t, lsnn_error *e)
{
    lsnn_train_memory m;
    char need[32], hist[32], lim[32];
    int steps = lsnn_task_n_steps(t->task);
    uint64_t limit = t->o->max_memory ? t->o->max_memory : lsnn_memory_available();
    lsnn_lstm_train_memory_estimate(&t->spec, steps, t->o->threads, &m);
    if (m.total <= limit) return 0;
    return lsnn_fail(e,
                     "training %s needs about %s (BPTT histories of %d threads x 32 sequences "
                     "x %d steps x %d units: %s), more than the %s %s; reduce --threads, "
                     "network.hidden, or set --max-memory",
                     t->spec.name, lsnn_memory_format(m.total, need, sizeof need), t->o->threads,
                     steps, t->spec.hidden, lsnn_memory_format(m.history, hist, sizeof hist),
                     lsnn_memory_format(limit, lim, sizeof lim),
                     t->o->max_memory ? "of --max-memory" : "this machine has available");
}

static int setup(trainer *t, lsnn_error *e)
{
    const lsnn_train_opts *o = t->o;
    lsnn_run_files_init(&t->f, o->run_dir);
    t->resuming = o->resume && (lsnn_file_exists(t->f.path[LSNN_RUN_CKPT]) || !o->spec_path);
    if (t->resuming ? setup_resume(t, e) : check_fresh(t, e)) return -1;
    if (t->spec.network != LSNN_NET_LSTM)
        return lsnn_fail(e, "%s: network.kind is lsnn; lsnn_train trains it", t->spec.name);
    if (lsnn_task_open(&t->spec, &t->task, e)) return -1;
    if (check_memory(t, e)) return -1;
    if (!t->resuming) {
        /* a fresh run replaces the directory's model.yaml: files of an earlier run must not
         * stay next to it */
        if (lsnn_run_remove_earlier(&t->f, e)) return -1;
        if (lsnn_lstm_model_init(&t->spec, &t->net, e)) return -1;
        if (lsnn_lstm_adam_alloc(&t->adam, &t->net)) return lsnn_fail(e, "out of memory");
        if (lsnn_spec_save(t->f.path[LSNN_RUN_SPEC], &t->spec, e)) return -1;
    }
    if (lsnn_lstm_alloc(&t->grads, t->net.n_in, t->net.hidden, t->net.n_out, t->net.readout_bias))
        return lsnn_fail(e, "out of memory");
    t->en = lsnn_lstm_engine_new(o->threads);
    if (!t->en) return lsnn_fail(e, "out of memory");
    return 0;
}

/* One Adam step (TF1 form, the LSNN's arithmetic: lsnn_adam_update) on the trained entries. */
static void adam_step(trainer *t, double lr)
{
    const lsnn_spec *s = &t->spec;
    t->adam.step++;
    double lr_t = lsnn_adam_rate(s, lr, t->adam.step);
    lsnn_adam_update(t->net.data, t->adam.m, t->adam.v, t->grads.data, lsnn_lstm_n_trained(&t->net),
                     s, lr_t);
}

/* ctx: the trainer (also train_loop.h's validate callback) */
static double validate(void *ctx, lsnn_error *e)
{
    trainer *t = ctx;
    lsnn_lstm_eval_result r;
    int n = t->spec.eval_batches * t->spec.batch_size;
    if (lsnn_lstm_evaluate(t->en, &t->net, t->task, LSNN_SPLIT_VALIDATION, n, t->spec.batch_size,
                           NULL, &r, e))
        return NAN;
    return r.error;
}

/* One iteration: the batch, forward and BPTT, then Adam. An LSTM has no spikes (rate NAN). */
static int step(void *ctx, long it, double lr, lsnn_step_result *out, lsnn_error *e)
{
    trainer *t = ctx;
    if (lsnn_task_train_batch(t->task, it, t->spec.batch_size, &t->batch, e)) return -1;
    lsnn_lstm_result r;
    if (lsnn_lstm_run(t->en, &t->net, &t->batch, &t->grads, &r, NULL))
        return lsnn_fail(e, "out of memory");
    if (isfinite(r.loss)) adam_step(t, lr);
    *out = (lsnn_step_result){r.loss, r.loss, 0, r.n_win ? 1.0 - (double)r.n_correct / r.n_win : 0,
                              NAN};
    return 0;
}

static int loop(trainer *t, lsnn_error *e)
{
    lsnn_train_loop L = {.ctx = t,
                         .spec = &t->spec,
                         .o = t->o,
                         .f = &t->f,
                         .start = t->adam.step,
                         .step = step,
                         .validate = validate,
                         .save = save_all,
                         .save_weights = save_weights};
    return lsnn_train_loop_run(&L, e);
}

int lsnn_lstm_train(const lsnn_train_opts *o, lsnn_error *e)
{
    trainer t;
    memset(&t, 0, sizeof t);
    t.lock.fd = -1;
    t.o = o;
    int rc = setup(&t, e);
    int failed_start = rc != 0;
    if (!rc) rc = loop(&t, e);
    lsnn_folder_unlock(&t.lock, failed_start);
    lsnn_lstm_engine_free(t.en);
    lsnn_task_close(t.task);
    lsnn_batch_free(&t.batch);
    lsnn_lstm_free(&t.grads);
    lsnn_lstm_adam_free(&t.adam);
    lsnn_lstm_free(&t.net);
    lsnn_run_files_free(&t.f);
    return rc;
}
