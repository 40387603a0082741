/* lstm.h - the LSTM baseline of issue 14: a standard LSTM cell with a linear readout, its
 * forward pass and BPTT over a batch (docs/training.md, section "LSTM").
 *
 * Per step t and sequence (h_{-1} = c_{-1} = 0), with x_t the step's input events (spikes
 * are 1, analog inputs their value, lsnn_batch_value):
 *   a_t = b + W_x^T x_t + W_h^T h_{t-1}          4H pre-activations, gates in order i, f, g, o
 *   i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
 *   c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
 * A window [start, end) of the batch scores logits = W_out^T mean(h over the window) + b_out
 * with cross-entropy; the loss is the mean over windows, as the LSNN's.
 *
 * The batch is cut into chunks of LSNN_LSTM_CHUNK sequences; a thread runs a chunk forward and
 * backward, into the chunk's own gradient buffer, and the buffers are summed in chunk order,
 * so the result is bit-identical for any number of threads. The sources compile twice, float
 * and double (real.h: include this header, define LSNN_REAL_DOUBLE, include it again). */
#include <stddef.h>

#include "batch.h"
#include "real.h"

#ifndef LSNN_LSTM_COMMON_H
#define LSNN_LSTM_COMMON_H

#define LSNN_LSTM_CHUNK 32 /* sequences per chunk: the rows of the chunk's matrix products */

typedef struct {
    double loss;          /* mean cross-entropy over the windows */
    int n_win, n_correct; /* windows scored, argmax == label */
} lsnn_lstm_result;

#endif

#if defined(LSNN_REAL_DOUBLE) && !defined(LSNN_LSTM_F64_H)
#define LSNN_LSTM_F64_H
#define LSNN_LSTM_DECLARE
#elif !defined(LSNN_REAL_DOUBLE) && !defined(LSNN_LSTM_H)
#define LSNN_LSTM_H
#define LSNN_LSTM_DECLARE
#endif

#ifdef LSNN_LSTM_DECLARE
#undef LSNN_LSTM_DECLARE
#define real LSNN_REAL

/* The parameters (or their gradients, or Adam moments: the same shapes), in one block. */
typedef struct {
    int n_in, hidden, n_out;
    int readout_bias; /* 0: b_out stays 0 and is not trained */
    size_t n_params;  /* entries of data: all five tensors, b_out included */
    real *data;
    real *w_x;   /* [n_in][4H], columns i, f, g, o of H each */
    real *w_h;   /* [H][4H] */
    real *b;     /* [4H] */
    real *w_out; /* [H][n_out] */
    real *b_out; /* [n_out] */
} LSNN_FN(lsnn_lstm);

typedef struct LSNN_FN(lsnn_lstm_engine) LSNN_FN(lsnn_lstm_engine);

/* clang-format off */
/* Allocates a zeroed LSTM. Returns 0, or -1 on bad sizes or OOM (net left freeable). */
int LSNN_FN(lsnn_lstm_alloc)(LSNN_FN(lsnn_lstm) *net, int n_in, int hidden, int n_out, int readout_bias);
void LSNN_FN(lsnn_lstm_free)(LSNN_FN(lsnn_lstm) *net);

/* Trained parameters: every entry but b_out without readout bias. */
size_t LSNN_FN(lsnn_lstm_n_trained)(const LSNN_FN(lsnn_lstm) *net);

LSNN_FN(lsnn_lstm_engine) *LSNN_FN(lsnn_lstm_engine_new)(int n_threads);
void LSNN_FN(lsnn_lstm_engine_free)(LSNN_FN(lsnn_lstm_engine) *en);

/* Runs the batch forward and, if grads is not NULL (allocated with net's sizes), backward:
 * grads receive dL/dparams of L = mean CE over windows (their mean squared error in a
 * regression batch, batch.h). logits (n_win * n_out) may be NULL.
 * The batch's channels must be below net->n_in. Returns 0, or -1 on OOM. */
int LSNN_FN(lsnn_lstm_run)(LSNN_FN(lsnn_lstm_engine) *en, const LSNN_FN(lsnn_lstm) *net,
                           const lsnn_batch *batch, LSNN_FN(lsnn_lstm) *grads, lsnn_lstm_result *res,
                           real *logits);
/* The kernels this CPU runs: "avx512f", "avx2", "sse2" (every set gives the same numbers;
 * LSNN_LSTM_KERNELS=sse2 or avx2 asks for a narrower one), or "generic" (double). */
const char *LSNN_FN(lsnn_lstm_kernels)(void);
/* clang-format on */

#undef real
#endif
