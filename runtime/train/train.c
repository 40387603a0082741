/* train.c - the training loop: batches from the task, BPTT, Adam, logs, checkpoints.
 *
 * Every random choice is a pure function of (seed, iteration), and the checkpoint holds
 * the weights, the Adam moments and the curve, so a resumed run is bit-identical to one
 * that was never interrupted. */
#include "train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deepr.h"
#include "eval.h"
#include "fileio.h"
#include "finetune.h"
#include "folder.h"
#include "memory.h"
#include "progress.h"
#include "run_files.h"
#include "model.h"
#include "spec.h"
#include "task.h"
#include "train_comm.h"
#include "train_loop.h"

typedef struct {
    const lsnn_train_opts *o;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr; /* DEEP R state (connectivity deep_r), else zeroed */
    lsnn_adam adam;
    lsnn_grads grads;
    lsnn_task *task;
    lsnn_engine *en;
    lsnn_qat qat; /* the fake-quantiser of a QAT run (spec.qat_bits > 0), else zeroed */
    lsnn_batch batch;
    lsnn_run_files f; /* paths and the curve */
    lsnn_folder_lock lock;
    int resuming;
} trainer;

/* Rank 0 (or the only process) owns the run folder: the lock, the checks, every file. The
 * other ranks of a data-parallel run only read (the spec, a checkpoint to resume) and print
 * nothing. */
static int is_root(const trainer *t)
{
    return !lsnn_comm_parallel(t->o->comm) || t->o->comm->rank == 0;
}

/* ctx: the trainer (train_loop.h's save_weights callback: the weights file, and --keep-best's) */
static int save_weights(void *ctx, const char *path, lsnn_error *e)
{
    trainer *t = ctx;
    return lsnn_model_save(path, &t->spec, &t->net, &t->dr, NULL, NULL, 0, 0, e);
}

/* ctx: the trainer (also train_loop.h's save callback) */
static int save_all(void *ctx, lsnn_error *e)
{
    trainer *t = ctx;
    if (!is_root(t)) return 0;
    if (lsnn_model_save(t->f.path[LSNN_RUN_CKPT], &t->spec, &t->net, &t->dr, &t->adam, t->f.curve,
                        t->f.rows, LSNN_CURVE_COLS, e) ||
        save_weights(t, t->f.path[LSNN_RUN_WEIGHTS], e) || lsnn_run_write_curve(&t->f, e))
        return -1;
    return 0;
}

/* A fresh run: the spec first (a bad one leaves no folder behind), then the folder. */
static int check_fresh(trainer *t, lsnn_error *e)
{
    const lsnn_train_opts *o = t->o;
    if (o->resume_from ? lsnn_finetune_spec(o->resume_from, o->spec_path, o->run_dir, &t->spec, e)
                       : lsnn_spec_load(o->spec_path, &t->spec, e))
        return -1;
    if (o->has_seed) t->spec.seed = o->seed;
    if (o->iters > 0) t->spec.iterations = o->iters;
    lsnn_finetune_overrides(o->lr, o->qat_bits, o->qat_rule, &t->spec);
    if (!is_root(t)) return 0;
    if (lsnn_folder_lock_for(o->run_dir, LSNN_FOLDER_RUN, "lsnn train", &t->lock, e)) return -1;
    return lsnn_run_refuse_trained(&t->f, o->run_dir, o->force, e);
}

/* The command line's fine-tuning overrides (--lr, --qat), as a fresh run applies them. */
static void finetune_overrides(const lsnn_train_opts *o, lsnn_spec *asked)
{
    lsnn_finetune_overrides(o->lr, o->qat_bits, o->qat_rule, asked);
}

/* --resume: the run's own spec and checkpoint; a spec or seed given beside them must agree. */
static int setup_resume(trainer *t, lsnn_error *e)
{
    const lsnn_train_opts *o = t->o;
    if (is_root(t) &&
        lsnn_folder_lock_for(o->run_dir, LSNN_FOLDER_RUN, "lsnn train --resume", &t->lock, e))
        return -1;
    if (lsnn_run_resume_spec(o, &t->f, &t->spec, finetune_overrides, e)) return -1;
    if (lsnn_model_load(t->f.path[LSNN_RUN_CKPT], &t->spec, &t->net, &t->dr, &t->adam, &t->f.curve,
                        &t->f.rows, LSNN_CURVE_COLS, e))
        return -1;
    return lsnn_run_resume_at(o, &t->f, &t->spec, (long)t->adam.step, is_root(t), e);
}

/* Refuses, before allocating, a run that the machine (or --max-memory) cannot hold. */
static int check_memory(trainer *t, lsnn_error *e)
{
    lsnn_train_memory m;
    char need[32], hist[32], syn[32], lim[32];
    int steps = lsnn_task_n_steps(t->task);
    uint64_t limit = t->o->max_memory ? t->o->max_memory : lsnn_memory_available();
    lsnn_spec share = t->spec; /* a rank's share of the batch */
    share.batch_size = lsnn_train_rank_batch(&t->spec, t->o->comm);
    lsnn_train_memory_estimate(&share, steps, &m);
    if (m.total <= limit) return 0;
    return lsnn_fail(
        e,
        "training %s needs about %s (BPTT histories of %d sequences x %d steps x %d "
        "neurons: %s; weights, gradients and Adam moments: %s), more than the %s %s; "
        "reduce training.batch_size or the network, or set --max-memory",
        t->spec.name, lsnn_memory_format(m.total, need, sizeof need), share.batch_size, steps,
        lsnn_spec_n_rec(&t->spec), lsnn_memory_format(m.history, hist, sizeof hist),
        lsnn_memory_format(m.synapses, syn, sizeof syn), lsnn_memory_format(limit, lim, sizeof lim),
        t->o->max_memory ? "of --max-memory" : "this machine has available");
}

/* Loads the spec (fresh run) or the run's own spec (resume), and the network. */
static int setup(trainer *t, lsnn_error *e)
{
    const lsnn_train_opts *o = t->o;
    lsnn_run_files_init(&t->f, o->run_dir);
    /* --resume with a spec starts the run if there is nothing to resume yet */
    t->resuming = o->resume && (lsnn_file_exists(t->f.path[LSNN_RUN_CKPT]) ||
                                (!o->spec_path && !o->resume_from));
    if (t->resuming ? setup_resume(t, e) : check_fresh(t, e)) return -1;
    if (lsnn_task_open(&t->spec, &t->task, e)) return -1;
    if (lsnn_task_n_in(t->task) != t->spec.n_in || lsnn_task_n_out(t->task) != t->spec.n_out)
        return lsnn_fail(e, "task needs %d inputs and %d outputs; the network has %d and %d",
                         lsnn_task_n_in(t->task), lsnn_task_n_out(t->task), t->spec.n_in,
                         t->spec.n_out);
    if (lsnn_train_check_ranks(&t->spec, o->comm, e) || check_memory(t, e)) return -1;
    if (!t->resuming) {
        /* a fresh run replaces the directory's model.yaml: files of an earlier run must not
         * stay next to it, where --resume or lsnn eval would take them for this run's */
        if (is_root(t) && lsnn_run_remove_earlier(&t->f, e)) return -1;
        if (o->resume_from ? lsnn_finetune_load(o->resume_from, &t->spec, &t->net, &t->dr, e)
                           : lsnn_model_init(&t->spec, &t->net, &t->dr, e))
            return -1;
        if (lsnn_adam_alloc(&t->adam, &t->net)) return lsnn_fail(e, "out of memory");
        if (is_root(t) && lsnn_spec_save(t->f.path[LSNN_RUN_SPEC], &t->spec, e)) return -1;
    }
    if (lsnn_grads_alloc(&t->grads, &t->net)) return lsnn_fail(e, "out of memory");
    t->en = lsnn_engine_new(o->threads);
    if (!t->en) return lsnn_fail(e, "out of memory");
    lsnn_engine_set_comm(t->en, o->comm);
    if (t->spec.qat_bits > 0 &&
        lsnn_finetune_qat_init(&t->spec, &t->net, o->hw, o->progress == LSNN_PROGRESS_QUIET,
                               &t->qat, e))
        return -1;
    return 0;
}

/* The network the engine runs: the master parameters, or their fake-quantised image (QAT). */
static const lsnn_net *forward_net(trainer *t)
{
    return t->spec.qat_bits > 0 ? lsnn_qat_update(&t->qat, &t->net) : &t->net;
}

/* setup() on every rank: rank 0 first (it owns the folder, and a resumed run's files are
 * whole before the others read them), then the others; every rank learns whether all
 * started. A rank that failed has its own message; the others fail too, with a message that
 * names it (rank 0) or none (rank 0 failed and said why). */
static int setup_ranks(trainer *t, lsnn_error *e)
{
    const lsnn_comm *c = t->o->comm;
    if (!lsnn_comm_parallel(c)) return setup(t, e);
    int *all = malloc(sizeof(int) * c->size), rc = -1;
    if (!all) return lsnn_fail(e, "out of memory");
    int mine = is_root(t) ? setup(t, e) != 0 : 0;
    if (lsnn_comm_gather_int(c, mine, all)) goto gather_failed;
    rc = LSNN_TRAIN_FAILED_TOGETHER;
    if (all[0]) { /* rank 0 did not start: it says why, the others say nothing */
        if (!is_root(t)) e->msg[0] = '\0';
        goto out;
    }
    if (!is_root(t)) mine = setup(t, e) != 0;
    if (lsnn_comm_gather_int(c, mine, all)) goto gather_failed;
    if (mine) goto out;
    for (int r = 0; r < c->size; r++)
        if (all[r]) {
            if (is_root(t))
                lsnn_fail(e, "rank %d of %d could not start (its own message says why)", r,
                          c->size);
            else
                e->msg[0] = '\0';
            goto out;
        }
    rc = 0;
    goto out;
gather_failed:
    rc = lsnn_fail(e, "rank %d: the gather between ranks failed", c->rank);
out:
    free(all);
    return rc;
}

/* ctx: the trainer (also train_loop.h's validate callback) */
static double validate(void *ctx, lsnn_error *e)
{
    trainer *t = ctx;
    lsnn_eval_result r;
    int n = t->spec.eval_batches * t->spec.batch_size;
    if (lsnn_evaluate_validation(t->en, &t->spec, forward_net(t), t->task, n, t->spec.batch_size,
                                 &r, e))
        return NAN;
    return r.error;
}

/* One iteration: the batch, forward and BPTT, then Adam (with DEEP R's rewiring). */
static int step(void *ctx, long it, double lr, lsnn_step_result *out, lsnn_error *e)
{
    trainer *t = ctx;
    const lsnn_spec *s = &t->spec;
    if (lsnn_task_train_batch(t->task, it, s->batch_size, &t->batch, e)) return -1;
    lsnn_result r;
    if (lsnn_engine_run(t->en, forward_net(t), &t->batch, &t->grads, &r, NULL, NULL))
        return lsnn_fail(e, "out of memory");
    if (isfinite(r.loss)) {
        if (s->connectivity == LSNN_CONN_DEEP_R)
            lsnn_deepr_step(&t->dr, &t->adam, s, &t->grads, &t->net, lr, it);
        else
            lsnn_adam_step(&t->adam, s, &t->net, &t->grads, lr);
    }
    /* a regression batch's error is its MSE (loss_task) */
    double err = t->batch.loss == LSNN_LOSS_MSE ? r.loss_task
                 : r.n_win                      ? 1.0 - (double)r.n_correct / r.n_win
                                                : 0;
    *out =
        (lsnn_step_result){r.loss, r.loss_task, r.loss_reg, err, r.mean_rate * 1000.0 / s->dt_ms};
    return 0;
}

/* DEEP R's connection counts on --log-every's lines. */
static void log_extra(void *ctx, char *buf, size_t size)
{
    trainer *t = ctx;
    if (t->spec.connectivity != LSNN_CONN_DEEP_R) return;
    lsnn_deepr_stats st;
    lsnn_deepr_get_stats(&t->dr, &st);
    snprintf(buf, size, " active %ld replaced %ld", st.active_total, t->dr.pruned);
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
                         .save_weights = save_weights,
                         .log_extra = log_extra,
                         .regression = lsnn_task_regression(t->task)};
    return lsnn_train_loop_run(&L, e);
}

int lsnn_train(const lsnn_train_opts *o, lsnn_error *e)
{
    trainer t;
    memset(&t, 0, sizeof t);
    t.lock.fd = -1;
    lsnn_train_opts quiet; /* ranks other than 0 print nothing */
    if (lsnn_comm_parallel(o->comm) && o->comm->rank != 0) {
        quiet = *o;
        quiet.progress = LSNN_PROGRESS_QUIET;
        quiet.log_every = 0;
        o = &quiet;
    }
    t.o = o;
    int rc = setup_ranks(&t, e);
    int failed_start = rc != 0;
    if (!rc) rc = loop(&t, e);
    lsnn_folder_unlock(&t.lock, failed_start);
    lsnn_engine_free(t.en);
    lsnn_qat_free(&t.qat);
    lsnn_task_close(t.task);
    lsnn_batch_free(&t.batch);
    lsnn_grads_free(&t.grads);
    lsnn_adam_free(&t.adam);
    lsnn_deepr_free(&t.dr);
    lsnn_net_free(&t.net);
    lsnn_run_files_free(&t.f);
    return rc;
}
