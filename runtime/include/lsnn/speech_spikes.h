/* speech_spikes.h - z-scored speech feature frames (mfcc.h, featnorm.h) as LSNN input.
 *
 * Every 10 ms frame is held for n_repeat time steps (e-prop's n_repeat, 5 by default there):
 * frame i covers steps i*n_repeat .. i*n_repeat + n_repeat - 1 of its sequence. Two encodings
 * (docs/speech-features.md):
 *
 *   crossing  threshold crossings per feature, like sMNIST's encoder (smnist.h): thresholds
 *             thr_k = linspace(thr_lo, thr_hi, n_thr) on the z-score; for feature f and
 *             threshold k, channel 2 (f n_thr + k) spikes (onset) when the value goes from
 *             below thr_k to at or above it between frames i-1 and i, and channel
 *             2 (f n_thr + k) + 1 (offset) when it goes from at or above to below. The spike
 *             is at the first step of frame i (causal: sMNIST puts it one step before the
 *             new pixel); before frame 0 every feature is at 0 (the training mean). Channels:
 *             2 n_feat n_thr.
 *   analog    the e-prop TIMIT setup: the z-scores themselves as input currents, channel f
 *             = feature f, value z on every step of the frame (a batch with values, as
 *             sMNIST's analog input; an exact 0 is no event). Channels: n_feat.
 *
 * Both append one sequence to an lsnn_batch (batch.h: per step the active channels in
 * in_idx[in_ptr[c] .. in_ptr[c+1]), ascending): n_frames * n_repeat steps, then empty steps
 * up to the batch's n_steps. */
#ifndef LSNN_SPEECH_SPIKES_H
#define LSNN_SPEECH_SPIKES_H

#include "batch.h"
#include "error.h"

#define LSNN_SPEECH_MAX_THR      64    /* thresholds per feature */
#define LSNN_SPEECH_MAX_CHANNELS 65536 /* batch.h stores channels in 16 bits */

typedef struct {
    int n_repeat;          /* time steps per frame, >= 1 */
    int n_thr;             /* thresholds per feature, 1..LSNN_SPEECH_MAX_THR */
    double thr_lo, thr_hi; /* first and last threshold (z units), thr_lo <= thr_hi; with
                              n_thr 1 the only threshold is thr_lo */
} lsnn_speech_crossing;

/* Input channels of the crossing encoding: 2 * n_feat * n_thr. */
static inline int lsnn_speech_crossing_channels(int n_feat, const lsnn_speech_crossing *c)
{
    return 2 * n_feat * c->n_thr;
}

/* Threshold k of c (0 <= k < n_thr): thr_lo + k (thr_hi - thr_lo) / (n_thr - 1). */
double lsnn_speech_threshold(const lsnn_speech_crossing *c, int k);

/* Appends the crossing encoding of n_frames frames of n_feat z-scores (frame after frame) as
 * the next sequence of b, which must have its cursor at a sequence start, at least
 * lsnn_speech_crossing_channels inputs and n_steps >= n_frames * n_repeat. Deterministic.
 * Returns 0, or -1 with the reason (bad settings, a batch too small naming what it needs, a
 * non-finite value naming frame and feature, OOM); the batch is then unusable. */
int lsnn_speech_encode_crossing(lsnn_batch *b, const float *z, int n_frames, int n_feat,
                                const lsnn_speech_crossing *c, lsnn_error *e);

/* Appends the analog encoding (e-prop's) of n_frames frames of n_feat z-scores as the next
 * sequence of b (n_in >= n_feat, n_steps >= n_frames * n_repeat). Returns 0, or -1 as
 * lsnn_speech_encode_crossing. */
int lsnn_speech_encode_analog(lsnn_batch *b, const float *z, int n_frames, int n_feat, int n_repeat,
                              lsnn_error *e);

#endif
