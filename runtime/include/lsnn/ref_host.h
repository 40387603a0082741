/* ref_host.h - the host of docs/neurocore.md §5.4 and §6 for a chip of reference cores.
 *
 * For one sequence of a batch: CLEAR; for t = 0..T: the EVENTs of the input spikes of step t
 * (t < T) on every core and axon the host map lists for their channel, then TICK. After tick
 * t the recurrent neurons hold step t's state, and the readouts hold r_{t-1} (the readout
 * integrates the spikes of step t-1 in tick t, §5.4), so T+1 ticks give r_0..r_{T-1}. Each
 * window [s, e) of the sequence is scored as §6 says: sum_c = sum of r_k over k in [s, e),
 * score_c = sum_c + L*bias_c, logit_c = score_c / (L * 2^e_r), prediction = argmax (ties to
 * the lowest class). All integer, so every engine that matches the core matches the scores.
 * A regression window (batch.h) is scored by its squared error, (logit_label - target)^2. */
#ifndef LSNN_REF_HOST_H
#define LSNN_REF_HOST_H

#include <stdint.h>

#include "batch.h"
#include "hostmap.h"
#include "ref_chip.h"
#include "target.h"
#include "task.h"

/* Called after every tick t = 0..T of sequence seq, with the engine's state after that tick. */
typedef void (*lsnn_host_tick_fn)(void *ctx, int seq, int t, const lsnn_target *en);

typedef struct {
    int T, n_out, cap_win;
    int64_t *r;     /* [T][n_out]: r_t, in 2^-e_r units */
    int n_win;      /* windows of the last sequence */
    int *label;     /* [cap_win] */
    int64_t *sum;   /* [cap_win][n_out] */
    int64_t *score; /* [cap_win][n_out] */
    double *logit;  /* [cap_win][n_out] */
    int *pred;      /* [cap_win] */
    float *target;  /* [cap_win]: regression windows' targets (0 for class windows) */
    long spikes;    /* recurrent spikes of the last sequence */
} lsnn_host_result;

/* Sized for T steps, n_out readouts and up to cap_win windows per sequence. 0 or -1 (OOM). */
int lsnn_host_result_alloc(lsnn_host_result *r, int T, int n_out, int cap_win);
void lsnn_host_result_free(lsnn_host_result *r);

/* Runs sequence seq of batch on an engine (fn may be NULL). Returns 0, or -1 with a message
 * when the batch does not match the map (channels, sizes), the result is too small or the
 * engine fails. */
int lsnn_host_run(const lsnn_target *en, const lsnn_hostmap *m, const lsnn_batch *batch, int seq,
                  lsnn_host_tick_fn fn, void *ctx, lsnn_host_result *res, lsnn_error *e);

/* lsnn_host_run on the reference chip. */
int lsnn_host_run_sequence(lsnn_ref_chip *chip, const lsnn_hostmap *m, const lsnn_batch *batch,
                           int seq, lsnn_host_tick_fn fn, void *ctx, lsnn_host_result *res,
                           lsnn_error *e);

/* What runs of many sequences add up. */
typedef struct {
    int n_seq, n_win, n_correct; /* sequences, scored windows, correct predictions */
    double sq_err;               /* regression windows: the sum of their squared errors */
    long spikes;                 /* recurrent spikes */
    long steps;                  /* steps over all sequences */
    int regression;              /* the windows were regression windows (sq_err, not n_correct) */
} lsnn_host_totals;

/* Optional observers of such runs: after every tick (fn of lsnn_host_run), and after every
 * sequence (seq counts over the whole run; q is its index in batch b). */
typedef struct {
    lsnn_host_tick_fn tick;
    void *tick_ctx;
    void (*seq_done)(void *ctx, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r);
    void *seq_ctx;
} lsnn_host_hooks;

/* Every sequence of batch b on an engine; the first is sequence seq0 of the run. Adds to *t
 * (h may be NULL). Returns 0, or -1 as lsnn_host_run. */
int lsnn_host_run_batch(const lsnn_target *en, const lsnn_hostmap *m, const lsnn_batch *b, int seq0,
                        const lsnn_host_hooks *h, lsnn_host_totals *t, lsnn_error *e);

/* The first max_seq test sequences of task (all if max_seq <= 0), in batches of `batch`. */
int lsnn_host_run_task(const lsnn_target *en, const lsnn_hostmap *m, lsnn_task *task, int max_seq,
                       int batch, const lsnn_host_hooks *h, lsnn_host_totals *t, lsnn_error *e);

/* The state of global neuron g (hostmap numbering) on an engine. */
void lsnn_host_state(const lsnn_target *en, const lsnn_hostmap *m, int g, lsnn_ref_state *out);

#endif
