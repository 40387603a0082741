/* lstm_train.h - `lsnn train` for an LSTM spec (network.kind lstm): BPTT through the cells,
 * Adam with the spec's optimizer and schedule, and the LSNN's run-folder conventions
 * (docs/folders.md): model.yaml, weights.safetensors, checkpoint.safetensors, curve.csv,
 * --resume bit for bit, the folder lock, progress lines, SIGINT/SIGTERM checkpoints. */
#ifndef LSNN_LSTM_TRAIN_H
#define LSNN_LSTM_TRAIN_H

#include "error.h"
#include "spec.h"
#include "train.h"

/* Whether the run o asks for is an LSTM's: the spec of a fresh run, or the run folder's
 * model.yaml when resuming one. 0 when neither can be read (lsnn_train then says why). */
int lsnn_lstm_train_wanted(const lsnn_train_opts *o);

/* What training an LSTM allocates: per thread the histories of one chunk of sequences
 * (gates, c, tanh(c) and h for every step), per chunk a gradient, plus parameters and Adam. */
void lsnn_lstm_train_memory_estimate(const lsnn_spec *s, int n_steps, int threads,
                                     lsnn_train_memory *m);

/* Trains as lsnn_train does (same options, files, messages and return values). */
int lsnn_lstm_train(const lsnn_train_opts *o, lsnn_error *e);

#endif
