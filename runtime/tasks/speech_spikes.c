/* speech_spikes.c - speech feature frames as spike trains or analog input (speech_spikes.h).
 *
 * Crossings between two frames are found per feature by comparing both values with each
 * threshold (double comparisons of the float z-scores with the double thresholds), so the
 * result depends on the values only, never on summation order. */
#include "speech_spikes.h"

#include <math.h>

double lsnn_speech_threshold(const lsnn_speech_crossing *c, int k)
{
    if (c->n_thr < 2) return c->thr_lo;
    return c->thr_lo + k * ((c->thr_hi - c->thr_lo) / (c->n_thr - 1));
}

/* The checks both encodings share: batch cursor at a sequence start, room for the frames,
 * enough inputs, finite values. */
static int check_sequence(const lsnn_batch *b, const float *z, int n_frames, int n_feat,
                          int n_repeat, long n_channels, lsnn_error *e)
{
    if (n_frames < 1 || n_feat < 1 || n_repeat < 1)
        return lsnn_fail(e,
                         "speech spikes: %d frames of %d features, %d steps each (each must "
                         "be >= 1)",
                         n_frames, n_feat, n_repeat);
    if (n_channels > LSNN_SPEECH_MAX_CHANNELS)
        return lsnn_fail(e, "speech spikes: %ld input channels exceed the limit of %d", n_channels,
                         LSNN_SPEECH_MAX_CHANNELS);
    if (b->n_in < n_channels)
        return lsnn_fail(e, "speech spikes: the batch has %d inputs, the encoding needs %ld",
                         b->n_in, n_channels);
    if ((long)n_frames * n_repeat > b->n_steps)
        return lsnn_fail(e,
                         "speech spikes: %d frames x %d steps = %ld steps exceed the batch's "
                         "%d steps per sequence",
                         n_frames, n_repeat, (long)n_frames * n_repeat, b->n_steps);
    if (b->cell % (size_t)b->n_steps != 0 || b->cell >= (size_t)b->n_seq * (size_t)b->n_steps)
        return lsnn_fail(e,
                         "speech spikes: the batch is full or mid-sequence (cell %zu of %d x "
                         "%d)",
                         b->cell, b->n_seq, b->n_steps);
    for (long i = 0; i < (long)n_frames * n_feat; i++)
        if (!isfinite(z[i]))
            return lsnn_fail(e, "speech spikes: frame %ld feature %ld is %g (not finite)",
                             i / n_feat, i % n_feat, (double)z[i]);
    return 0;
}

/* Closes the empty steps after the frames, up to the end of the sequence. */
static void pad_sequence(lsnn_batch *b)
{
    while (b->cell % (size_t)b->n_steps != 0)
        lsnn_batch_end_cell(b);
}

static int oom(lsnn_error *e)
{
    return lsnn_fail(e, "speech spikes: out of memory for the batch's events");
}

int lsnn_speech_encode_crossing(lsnn_batch *b, const float *z, int n_frames, int n_feat,
                                const lsnn_speech_crossing *c, lsnn_error *e)
{
    if (c->n_thr < 1 || c->n_thr > LSNN_SPEECH_MAX_THR || !isfinite(c->thr_lo) ||
        !isfinite(c->thr_hi) || c->thr_lo > c->thr_hi)
        return lsnn_fail(e, "speech spikes: %d thresholds from %g to %g (1..%d, ordered, finite)",
                         c->n_thr, c->thr_lo, c->thr_hi, LSNN_SPEECH_MAX_THR);
    long n_ch = 2L * n_feat * c->n_thr;
    if (check_sequence(b, z, n_frames, n_feat, c->n_repeat, n_ch, e) != 0) return -1;
    double thr[LSNN_SPEECH_MAX_THR];
    for (int k = 0; k < c->n_thr; k++)
        thr[k] = lsnn_speech_threshold(c, k);
    for (int i = 0; i < n_frames; i++) {
        for (int f = 0; f < n_feat; f++) {
            double prev = i > 0 ? z[(long)(i - 1) * n_feat + f] : 0.0;
            double cur = z[(long)i * n_feat + f];
            for (int k = 0; k < c->n_thr; k++) {
                int ch = 2 * (f * c->n_thr + k);
                if (prev < thr[k] && cur >= thr[k] && lsnn_batch_push(b, ch) != 0) return oom(e);
                if (prev >= thr[k] && cur < thr[k] && lsnn_batch_push(b, ch + 1) != 0)
                    return oom(e);
            }
        }
        for (int r = 0; r < c->n_repeat; r++)
            lsnn_batch_end_cell(b);
    }
    pad_sequence(b);
    return 0;
}

int lsnn_speech_encode_analog(lsnn_batch *b, const float *z, int n_frames, int n_feat, int n_repeat,
                              lsnn_error *e)
{
    if (check_sequence(b, z, n_frames, n_feat, n_repeat, n_feat, e) != 0) return -1;
    for (int i = 0; i < n_frames; i++)
        for (int r = 0; r < n_repeat; r++) {
            for (int f = 0; f < n_feat; f++) {
                float v = z[(long)i * n_feat + f];
                if (v != 0.0f && lsnn_batch_push_value(b, f, v) != 0) return oom(e);
            }
            lsnn_batch_end_cell(b);
        }
    pad_sequence(b);
    return 0;
}
