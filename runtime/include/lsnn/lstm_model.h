/* lstm_model.h - an LSTM model (network.kind lstm): its initial weights from the spec, and its
 * trained-model and checkpoint files (docs/model-files.md, section "LSTM runs").
 *
 * weights.safetensors holds w_x [n_in, 4H], w_h [H, 4H], b_gates [4H] (columns of the gates
 * i, f, g, o, H each), w_out [H, n_out] and b_out [n_out] (F32), with the metadata of the LSNN's
 * files (format, model, version, arch) plus network "lstm" and gates "i,f,g,o". A checkpoint
 * adds the Adam moments (adam_m.*, adam_v.*), adam_step and the training curve. */
#ifndef LSNN_LSTM_MODEL_H
#define LSNN_LSTM_MODEL_H

#include "error.h"
#include "lstm.h"
#include "spec.h"

/* Adam's moments of every parameter (the layout of lsnn_lstm.data) and the steps taken. */
typedef struct {
    float *m, *v;
    long step;
} lsnn_lstm_adam;

int lsnn_lstm_adam_alloc(lsnn_lstm_adam *a, const lsnn_lstm *net);
void lsnn_lstm_adam_free(lsnn_lstm_adam *a);

/* Allocates net for spec (network.kind lstm) and draws its initial weights from spec->seed:
 * per gate, W_x Glorot-uniform and W_h orthogonal (Gram-Schmidt of a Gaussian H x H matrix);
 * b = 0 but the forget gate's 1; W_out Glorot-uniform, b_out = 0. Returns 0, or -1 with e. */
int lsnn_lstm_model_init(const lsnn_spec *spec, lsnn_lstm *net, lsnn_error *e);

/* Trained parameters: 4H (n_in + H + 1) + H n_out (+ n_out with a readout bias). */
long lsnn_lstm_model_n_params(const lsnn_spec *spec);

/* Writes the weights (adam NULL) or a checkpoint atomically. */
int lsnn_lstm_model_save(const char *path, const lsnn_spec *spec, const lsnn_lstm *net,
                         const lsnn_lstm_adam *adam, const double *curve, int curve_rows,
                         int curve_cols, lsnn_error *e);

/* Loads a file of spec's LSTM into net (allocated here); with adam, a checkpoint (its moments
 * allocated here) and, if curve is not NULL, its curve (malloc'ed). Shapes, finiteness, the
 * model's name and architecture hash are checked. On failure nothing is left allocated. */
int lsnn_lstm_model_load(const char *path, const lsnn_spec *spec, lsnn_lstm *net,
                         lsnn_lstm_adam *adam, double **curve, int *curve_rows, int curve_cols,
                         lsnn_error *e);

#endif
