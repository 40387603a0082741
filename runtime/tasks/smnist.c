/* smnist.c - threshold-crossing spike encoding of a 28x28 image (lsnn-model.md §3.1).
 *
 * Faithful to LSNN-official bin/tutorial_sequential_mnist_with_LSNN.py (get_data_dict and
 * find_onset_offset, crs_thr=True, n_in=80):
 *
 *   - The 784 pixels y = byte/255 are repeated ext_time times each (np.repeat on the pixel
 *     axis), giving a signal y[0 .. 784*ext_time-1]; crossings are found on that signal.
 *   - Thresholds thr_k = linspace(0, 1, 40)[k] = k/39, k = 0..39.
 *   - For k = 0..38: onset spike at step i when y[i] < thr_k <= y[i+1], offset spike at step
 *     i when y[i] >= thr_k > y[i+1] (i = 0 .. len-2: the spike is one step *before* the
 *     crossing sample, and the last pixel step never carries a crossing). thr_0 = 0 never
 *     fires, so channels 0 and 1 are always silent. With ext_time > 1 a crossing fires once,
 *     on the last repeat of the pixel before the change.
 *   - For k = 39 (thr = 1): one "touch" channel that fires at every step with y[i] == 1.0,
 *     i.e. on every repeat of a pixel of byte 255.
 *   - Then 56*ext_time cue steps: only the cue channel, every step.
 *
 * Channel order (80 channels):
 *   2k     onset  of threshold k/39, k = 0..38   (channel 0 silent)
 *   2k+1   offset of threshold k/39, k = 0..38   (channel 1 silent)
 *   78     touch (pixel == 1.0)
 *   79     cue (last 56*ext_time steps)
 *
 * Comparisons are exact: byte b is at or above thr_k iff 39*b >= 255*k. The official code
 * compares float32 pixels (byte * float32(1/255)) with float64 thresholds k*(1/39); for all
 * 256 bytes and 40 thresholds this gives the same answers, including the exact ties b = 85,
 * k = 13 and b = 170, k = 26 (both "at or above"), and byte 255 maps to exactly 1.0. */
#include "smnist.h"

#define N_THRESHOLDS   39 /* thresholds 0..38 with an onset/offset pair */
#define TOUCH_CHANNEL  78
#define CUE_CHANNEL    79
#define CUE_STEPS_BASE 56 /* 2 * 28 */

/* Number of thresholds k in 1..38 with byte/255 >= k/39: crossing thresholds between two
 * pixel values a -> b are exactly the k in (level(a), level(b)] (onset) or (level(b),
 * level(a)] (offset). */
static int level(uint8_t byte)
{
    int k = (39 * (int)byte) / 255;
    return k > N_THRESHOLDS - 1 ? N_THRESHOLDS - 1 : k;
}

/* Pushes the crossing channels of the transition a -> b (ascending channel order). */
static int push_crossings(lsnn_batch *b, uint8_t from, uint8_t to)
{
    int lo = level(from), hi = level(to);
    for (int k = lo + 1; k <= hi; k++)
        if (lsnn_batch_push(b, 2 * k) != 0) return -1;
    for (int k = hi + 1; k <= lo; k++)
        if (lsnn_batch_push(b, 2 * k + 1) != 0) return -1;
    return 0;
}

/* Appends the 840*ext_time cells of one image; the batch must have n_steps = 840*ext_time,
 * at least 80 channels, and its cursor at the start of a sequence. Returns 0, or -1 on a
 * mismatched batch or OOM. */
int lsnn_smnist_encode(lsnn_batch *b, const uint8_t *pixels, int ext_time)
{
    if (ext_time < 1 || b->n_steps != lsnn_smnist_steps(ext_time) || b->n_in < LSNN_SMNIST_INPUTS ||
        b->cell % (size_t)b->n_steps != 0 || b->cell >= (size_t)b->n_seq * (size_t)b->n_steps)
        return -1;
    for (int p = 0; p < LSNN_SMNIST_PIXELS; p++) {
        for (int r = 0; r < ext_time; r++) {
            int last_repeat = r == ext_time - 1;
            if (last_repeat && p + 1 < LSNN_SMNIST_PIXELS &&
                push_crossings(b, pixels[p], pixels[p + 1]) != 0)
                return -1;
            if (pixels[p] == 255 && lsnn_batch_push(b, TOUCH_CHANNEL) != 0) return -1;
            lsnn_batch_end_cell(b);
        }
    }
    for (int t = 0; t < CUE_STEPS_BASE * ext_time; t++) {
        if (lsnn_batch_push(b, CUE_CHANNEL) != 0) return -1;
        lsnn_batch_end_cell(b);
    }
    return 0;
}

int lsnn_smnist_encode_analog(lsnn_batch *b, const uint8_t *pixels, int ext_time)
{
    if (ext_time < 1 || b->n_steps != lsnn_smnist_analog_steps(ext_time) || b->n_in < 1 ||
        b->cell % (size_t)b->n_steps != 0 || b->cell >= (size_t)b->n_seq * (size_t)b->n_steps)
        return -1;
    for (int p = 0; p < LSNN_SMNIST_PIXELS; p++)
        for (int r = 0; r < ext_time; r++) {
            /* float(byte) / 255.0f: the grey value y of the spike encoding */
            if (pixels[p] && lsnn_batch_push_value(b, 0, (float)pixels[p] / 255.0f) != 0) return -1;
            lsnn_batch_end_cell(b);
        }
    return 0;
}
