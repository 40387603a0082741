/* batch.c - the sparse (CSR) batch builder of batch.h: amortised growth and a full check. */
#include "batch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SPIKE_CAP  1024
#define MIN_WINDOW_CAP 16

static size_t batch_cells(const lsnn_batch *b)
{
    return (size_t)b->n_seq * (size_t)b->n_steps;
}

/* Starts an empty batch of n_seq sequences of n_steps steps over n_in channels (1..65536, as
 * channels are stored in 16 bits). `b` must be zero-initialised before its first use; its
 * buffers are reused (realloc'ed) across resets. Returns 0, or -1 on bad sizes or OOM. */
int lsnn_batch_reset(lsnn_batch *b, int n_seq, int n_steps, int n_in)
{
    if (n_seq < 0 || n_steps < 1 || n_in < 1 || n_in > 65536) return -1;
    size_t cells = (size_t)n_seq * (size_t)n_steps;
    if (cells >= SIZE_MAX / sizeof(uint32_t) - 1) return -1;
    uint32_t *ptr = realloc(b->in_ptr, (cells + 1) * sizeof *ptr);
    if (!ptr) return -1;
    b->in_ptr = ptr;
    b->in_ptr[0] = 0;
    b->n_seq = n_seq;
    b->n_steps = n_steps;
    b->n_in = n_in;
    b->n_spikes = 0;
    b->in_val = NULL; /* spikes until a value is pushed */
    b->n_win = 0;
    b->cell = 0;
    b->score_class = NULL;
    b->loss = LSNN_LOSS_CE;
    return 0;
}

static int grow_spikes(lsnn_batch *b)
{
    size_t cap = b->cap_spikes < MIN_SPIKE_CAP ? MIN_SPIKE_CAP : b->cap_spikes * 2;
    if (cap > UINT32_MAX) cap = UINT32_MAX; /* in_ptr offsets are 32-bit */
    if (cap <= b->n_spikes) return -1;
    uint16_t *idx = realloc(b->in_idx, cap * sizeof *idx);
    if (!idx) return -1;
    b->in_idx = idx;
    if (b->val_buf) { /* values grow with the events once a batch has used them */
        float *val = realloc(b->val_buf, cap * sizeof *val);
        if (!val) return -1;
        b->val_buf = val;
        if (b->in_val) b->in_val = val;
    }
    b->cap_spikes = cap;
    return 0;
}

/* Gives the batch values: events so far were spikes (1). */
static int start_values(lsnn_batch *b)
{
    if (!b->val_buf) {
        size_t cap = b->cap_spikes ? b->cap_spikes : 1;
        b->val_buf = malloc(cap * sizeof *b->val_buf);
        if (!b->val_buf) return -1;
    }
    for (size_t k = 0; k < b->n_spikes; k++)
        b->val_buf[k] = 1.0f;
    b->in_val = b->val_buf;
    return 0;
}

/* Adds channel ch (0..n_in-1, strictly above the previous channel of this cell) to the cell
 * being built. Returns 0, or -1 on a bad channel, order, a batch already complete, or OOM. */
int lsnn_batch_push(lsnn_batch *b, int ch)
{
    if (ch < 0 || ch >= b->n_in || b->cell >= batch_cells(b)) return -1;
    if (b->n_spikes > b->in_ptr[b->cell] && b->in_idx[b->n_spikes - 1] >= ch) return -1;
    if (b->n_spikes == b->cap_spikes && grow_spikes(b) != 0) return -1;
    if (b->in_val) b->in_val[b->n_spikes] = 1.0f;
    b->in_idx[b->n_spikes++] = (uint16_t)ch;
    return 0;
}

int lsnn_batch_push_value(lsnn_batch *b, int ch, float v)
{
    if (!isfinite(v) || (!b->in_val && start_values(b) != 0)) return -1;
    if (lsnn_batch_push(b, ch) != 0) return -1;
    b->in_val[b->n_spikes - 1] = v;
    return 0;
}

/* Closes the current cell. Closing more cells than the batch has is recorded (the cursor
 * still advances) so that lsnn_batch_check reports it. */
void lsnn_batch_end_cell(lsnn_batch *b)
{
    if (b->cell < batch_cells(b)) b->in_ptr[b->cell + 1] = (uint32_t)b->n_spikes;
    b->cell++;
}

/* Adds a scored window [start, end) of sequence seq with class `label` (>= 0).
 * Returns 0, or -1 on arguments out of range or OOM. */
int lsnn_batch_add_window(lsnn_batch *b, int seq, int start, int end, int label)
{
    if (seq < 0 || seq >= b->n_seq || start < 0 || end <= start || end > b->n_steps || label < 0)
        return -1;
    if (b->n_win == b->cap_win) {
        if (b->cap_win > (1 << 29)) return -1;
        int cap = b->cap_win < MIN_WINDOW_CAP ? MIN_WINDOW_CAP : b->cap_win * 2;
        lsnn_window *w = realloc(b->win, (size_t)cap * sizeof *w);
        if (!w) return -1;
        b->win = w;
        b->cap_win = cap;
    }
    b->win[b->n_win++] = (lsnn_window){.seq = seq, .start = start, .end = end, .label = label};
    return 0;
}

int lsnn_batch_add_target(lsnn_batch *b, int seq, int start, int end, int out, float target)
{
    if (!isfinite(target) || (b->loss != LSNN_LOSS_MSE && b->n_win > 0)) return -1;
    if (lsnn_batch_add_window(b, seq, start, end, out) != 0) return -1;
    b->win[b->n_win - 1].target = target;
    b->loss = LSNN_LOSS_MSE;
    return 0;
}

static int check_cells(const lsnn_batch *b)
{
    size_t cells = batch_cells(b);
    if (b->cell != cells || b->in_ptr[0] != 0 || b->in_ptr[cells] != b->n_spikes) return -1;
    for (size_t c = 0; c < cells; c++) {
        uint32_t lo = b->in_ptr[c], hi = b->in_ptr[c + 1];
        if (hi < lo) return -1;
        for (uint32_t k = lo; k < hi; k++) {
            if (b->in_idx[k] >= b->n_in) return -1;
            if (b->in_val && !isfinite(b->in_val[k])) return -1;
            if (k > lo && b->in_idx[k] <= b->in_idx[k - 1]) return -1;
        }
    }
    return 0;
}

/* 0 if every cell is closed, the CSR arrays are consistent (offsets non-decreasing, channels
 * below n_in and strictly ascending within a cell) and every window lies inside its
 * sequence with a label in 0..n_out-1 (whose score_class, if any, is >= 0) and, in a
 * regression batch, a finite target; -1 otherwise. */
int lsnn_batch_check(const lsnn_batch *b, int n_out)
{
    if (!b->in_ptr || b->n_seq < 0 || b->n_steps < 1 || check_cells(b) != 0) return -1;
    for (int i = 0; i < b->n_win; i++) {
        const lsnn_window *w = &b->win[i];
        if (w->seq < 0 || w->seq >= b->n_seq || w->start < 0 || w->end <= w->start ||
            w->end > b->n_steps || w->label < 0 || w->label >= n_out ||
            (b->score_class && b->score_class[w->label] < 0) ||
            (b->loss == LSNN_LOSS_MSE && !isfinite(w->target)))
            return -1;
    }
    return 0;
}

void lsnn_batch_free(lsnn_batch *b)
{
    free(b->in_ptr);
    free(b->in_idx);
    free(b->val_buf);
    free(b->win);
    memset(b, 0, sizeof *b);
}
