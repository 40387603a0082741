/* train_loop.c - the iteration loop of both trainers (train_loop.h). */
#include "train_loop.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "adam.h"
#include "curve.h"
#include "progress.h"
#include "run_best.h"
#include "train_comm.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int lsnn_train_over_budget(const lsnn_train_opts *o, double elapsed_s, long done, long iterations,
                           int at_start)
{
    if (!(o->max_seconds > 0) || elapsed_s < o->max_seconds) return 0;
    if (o->progress == LSNN_PROGRESS_TTY && !at_start) fputc('\n', stderr);
    if (o->progress == LSNN_PROGRESS_QUIET) return 1;
    if (at_start)
        fprintf(stderr,
                "lsnn train: %s has trained %.0f s, the time budget is %.0f s: nothing to do "
                "(iteration %ld of %ld)\n",
                o->run_dir, elapsed_s, o->max_seconds, done, iterations);
    else
        fprintf(stderr,
                "lsnn train: time budget reached (%.0f s of training in %s): stopped after "
                "iteration %ld of %ld with a checkpoint; continue with: lsnn train --resume -o "
                "%s (and a larger --max-time)\n",
                elapsed_s, o->run_dir, done, iterations, o->run_dir);
    return 1;
}

/* The progress line: on a terminal one line rewritten in place; in a log a plain line every
 * interval seconds and at the last iteration. Then --log-every's line. */
static void report(const lsnn_train_loop *L, long done, const double *row,
                   const lsnn_step_result *r, double eta_s, double last_val, double *last_log)
{
    const lsnn_spec *s = L->spec;
    const lsnn_train_opts *o = L->o;
    int spikes = !isnan(r->rate_hz);
    int tty = o->progress == LSNN_PROGRESS_TTY, log = o->progress == LSNN_PROGRESS_LOG;
    if (tty ||
        (log && (now_s() - *last_log >= lsnn_progress_interval() || done == s->iterations))) {
        char eta[32], vbuf[16] = "    -", rbuf[32] = "", ebuf[32];
        lsnn_progress_fmt_time(eta, sizeof eta, eta_s);
        if (L->regression) { /* MSEs, not error rates */
            if (!isnan(last_val)) snprintf(vbuf, sizeof vbuf, "%.4f", last_val);
            snprintf(ebuf, sizeof ebuf, "mse %.4f", r->train_error);
        } else {
            if (!isnan(last_val)) snprintf(vbuf, sizeof vbuf, "%4.1f%%", 100 * last_val);
            snprintf(ebuf, sizeof ebuf, "err %4.1f%%", 100 * r->train_error);
        }
        if (spikes) snprintf(rbuf, sizeof rbuf, "rate %5.1f Hz  ", r->rate_hz);
        fprintf(stderr, "%sit %ld/%ld  loss %.4f  %s  val %s  %s%5.0f seq/s  ETA %s%s",
                tty ? "\r\033[K" : "lsnn train: ", done, s->iterations, r->loss, ebuf, vbuf, rbuf,
                row[8], eta, tty ? "" : "\n");
        *last_log = now_s();
    }
    if (o->log_every > 0 && done % o->log_every == 0) {
        char vbuf[32] = "-", rbuf[32] = "", extra[128] = ""; /* the latest validation */
        if (!isnan(last_val)) snprintf(vbuf, sizeof vbuf, "%.4f", last_val);
        if (spikes) snprintf(rbuf, sizeof rbuf, " rate %.2f Hz", r->rate_hz);
        if (L->log_extra) L->log_extra(L->ctx, extra, sizeof extra);
        const char *what = L->regression ? "mse" : "error"; /* regression: MSEs */
        printf("it %ld loss %.4f train_%s %.4f val_%s %s%s %.0f seq/s%s\n", done, r->loss, what,
               r->train_error, what, vbuf, rbuf, row[8], extra);
        fflush(stdout);
    }
}

int lsnn_train_loop_run(const lsnn_train_loop *L, lsnn_error *e)
{
    const lsnn_spec *s = L->spec;
    const lsnn_train_opts *o = L->o;
    double t0 = now_s(), elapsed0 = lsnn_run_elapsed(L->f);
    long start = L->start;
    if (start < s->iterations && lsnn_train_over_budget(o, elapsed0, start, s->iterations, 1))
        return 0;
    double last_val = NAN; /* the latest validation error, shown until the next one */
    /* --keep-best: the error RUN/best/ holds (rank 0 writes it; every rank tracks it) */
    int keep_best = o->keep_best && L->save_weights;
    int writes = !lsnn_comm_parallel(o->comm) || o->comm->rank == 0;
    double best = keep_best ? lsnn_run_best_error(o->run_dir) : INFINITY;
    double last_log = now_s();
    for (long it = start; it < s->iterations; it++) {
        double ti = now_s(), lr = lsnn_lr_at(s, it);
        lsnn_step_result r;
        if (L->step(L->ctx, it, lr, &r, e)) return -1;
        if (!isfinite(r.loss))
            return lsnn_fail(e, "iteration %ld: the loss is not finite (%g)", it + 1, r.loss);
        double sps = s->batch_size / (now_s() - ti);
        long done = it + 1;
        double val = NAN;
        if (s->eval_every > 0 && (done % s->eval_every == 0 || done == s->iterations)) {
            val = L->validate(L->ctx, e);
            if (isnan(val)) return -1;
        }
        double row[LSNN_CURVE_COLS] = {(double)done,  r.loss,
                                       r.loss_task,   r.loss_reg,
                                       r.train_error, isnan(r.rate_hz) ? 0 : r.rate_hz,
                                       val,           lr,
                                       sps,           elapsed0 + now_s() - t0};
        if (lsnn_run_push_row(L->f, row)) return lsnn_fail(e, "out of memory");
        if (!isnan(val)) last_val = val;
        if (keep_best && !isnan(val) && val < best) {
            if (writes && lsnn_run_write_best(o->run_dir, done, val, L->save_weights, L->ctx, e))
                return -1;
            best = val;
        }
        double per_it = (now_s() - t0) / (done - start);
        report(L, done, row, &r, per_it * (s->iterations - done), last_val, &last_log);
        int stop = s->stop_error > 0 && !isnan(val) && val < s->stop_error;
        if ((s->checkpoint_every > 0 && done % s->checkpoint_every == 0) || stop ||
            done == s->iterations) {
            if (L->save(L->ctx, e)) return -1;
        }
        if (stop) break;
        /* the time budget (any rank's clock) and a stop request (to any rank), agreed on by all
         * ranks in one gather */
        enum { OVER_BUDGET = 1, STOP_REQUESTED = 2 };
        int flags = 0;
        if (done < s->iterations && lsnn_train_over_budget(o, row[9], done, s->iterations, 0))
            flags |= OVER_BUDGET;
        if (o->stop && *o->stop && done < s->iterations) flags |= STOP_REQUESTED;
        if (lsnn_comm_any(o->comm, flags, &flags, e)) return -1;
        if (flags & OVER_BUDGET) return L->save(L->ctx, e) ? -1 : 0;
        if (flags & STOP_REQUESTED) {
            if (L->save(L->ctx, e)) return -1;
            lsnn_run_stopped(o->progress, o->run_dir, L->f, done, s->iterations, e);
            return LSNN_TRAIN_STOPPED;
        }
    }
    /* at the end already: the weights a kill may have left behind the checkpoint are repaired */
    if (start >= s->iterations && L->save(L->ctx, e)) return -1;
    lsnn_run_finished(o->progress, o->run_dir, L->f, start, s->iterations);
    return 0;
}
