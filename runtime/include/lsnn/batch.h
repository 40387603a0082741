/* batch.h - a batch of input spike trains and the readout windows that are scored.
 *
 * Input spikes are stored sparsely, as CSR over cells (sequence, step): the channels that
 * spike in sequence s at step t are in_idx[in_ptr[c] .. in_ptr[c+1]) with c = s*n_steps + t.
 * A window is a span [start, end) of one sequence whose mean readout gives the logits that
 * are scored against `label` (cross-entropy in training, argmax for accuracy).
 *
 * An event is a spike (value 1) unless the batch carries values: analog input (sMNIST with
 * task.input analog) pushes each event with lsnn_batch_push_value, and in_val[k] is then the
 * value of event k. The LSNN engines read spikes only; the LSTM reads the values. */
#ifndef LSNN_BATCH_H
#define LSNN_BATCH_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int seq;      /* sequence index in the batch */
    int start;    /* first step, inclusive */
    int end;      /* last step, exclusive; end > start */
    int label;    /* target class, 0..n_out-1; in a regression batch, the readout scored */
    float target; /* regression batches: the value readout `label` should take (finite) */
} lsnn_window;

/* What a window's logits are scored by. Classification: cross-entropy of the logits against
 * the label, right iff argmax is the label. Regression: squared error of logit[label]
 * against the target (no "right"; reports give the mean squared error). */
typedef enum { LSNN_LOSS_CE = 0, LSNN_LOSS_MSE = 1 } lsnn_loss_kind;

typedef struct {
    int n_seq, n_steps, n_in;
    uint32_t *in_ptr; /* n_seq*n_steps + 1 entries */
    uint16_t *in_idx; /* channels, ascending within a cell */
    size_t n_spikes, cap_spikes;
    float *in_val;  /* NULL: every event is 1 (spikes); else n_spikes values */
    float *val_buf; /* in_val's storage, kept across resets (cap_spikes entries) */
    int n_win, cap_win;
    lsnn_window *win;
    /* How windows are scored: NULL, a prediction is right iff it is the label; else n_out
     * entries, and it is right iff score_class[pred] == score_class[label] (the speech task
     * folds 61 phones to 39 classes; a label's class is >= 0). Training's loss ignores it.
     * Not owned: the task that builds the batch keeps the table; reset sets it to NULL. */
    const int *score_class;
    lsnn_loss_kind loss; /* reset sets CE; lsnn_batch_add_target sets MSE */
    /* builder cursor: the next cell to be closed */
    size_t cell;
} lsnn_batch;

/* Starts an empty batch (keeps allocations of a previous use). Returns 0, or -1 on OOM. */
int lsnn_batch_reset(lsnn_batch *b, int n_seq, int n_steps, int n_in);

/* Adds a spike of channel ch to the current cell. Channels must be pushed in ascending order. */
int lsnn_batch_push(lsnn_batch *b, int ch);

/* Adds an event of channel ch with value v (finite; an analog input). The batch then carries
 * values: events pushed without one are 1. Returns 0, or -1 as lsnn_batch_push. */
int lsnn_batch_push_value(lsnn_batch *b, int ch, float v);

/* The value of event k: in_val[k], or 1 for a batch of spikes. */
static inline float lsnn_batch_value(const lsnn_batch *b, size_t k)
{
    return b->in_val ? b->in_val[k] : 1.0f;
}

/* Whether predicting class pred (0..n_out-1) for a window labelled label is right, as
 * score_class says. This function can't fail. */
static inline int lsnn_batch_correct(const lsnn_batch *b, int pred, int label)
{
    return b->score_class ? b->score_class[pred] == b->score_class[label] : pred == label;
}

/* Closes the current cell (sequence s = cell / n_steps, step t = cell % n_steps). Cells are
 * closed in order: all steps of sequence 0, then sequence 1, ... */
void lsnn_batch_end_cell(lsnn_batch *b);

int lsnn_batch_add_window(lsnn_batch *b, int seq, int start, int end, int label);

/* Adds a regression window: readout `out` over [start, end) should average `target` (finite).
 * The batch becomes a regression batch (loss MSE); it must not mix in class windows. */
int lsnn_batch_add_target(lsnn_batch *b, int seq, int start, int end, int out, float target);

/* 0 if the batch is complete and consistent (every cell closed, windows in range). */
int lsnn_batch_check(const lsnn_batch *b, int n_out);

void lsnn_batch_free(lsnn_batch *b);

#endif
