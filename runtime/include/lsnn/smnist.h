/* smnist.h - sequential MNIST input encoding (spec lsnn-model.md §3.1).
 *
 * 80 input channels: thresholds linspace(0,1,40)[0..38] x (onset 2k, offset 2k+1) (threshold
 * 0 can never be crossed, so channels 0 and 1 are silent), one "touch" channel (78) for
 * pixels equal to 1.0 (threshold 1), and the cue channel (79). Pixels are shown one per
 * ext_time steps in raster order (784*ext_time steps), then a cue of 56*ext_time steps in
 * which only the cue channel spikes, every step. Total 840*ext_time steps. */
#ifndef LSNN_SMNIST_H
#define LSNN_SMNIST_H

#include <stdint.h>

#include "batch.h"
#include "spec.h" /* LSNN_SMNIST_INPUTS */

#define LSNN_SMNIST_PIXELS 784

static inline int lsnn_smnist_steps(int ext_time)
{
    return 840 * ext_time;
}

/* Appends one sequence (all its cells, in order) for a 28x28 image to the batch being
 * built; pixel values are byte/255. Returns 0, -1 on OOM. */
int lsnn_smnist_encode(lsnn_batch *b, const uint8_t *pixels, int ext_time);

/* Steps of an analog sequence (task.input analog): the pixels only, no cue. */
static inline int lsnn_smnist_analog_steps(int ext_time)
{
    return LSNN_SMNIST_PIXELS * ext_time;
}

/* Appends one analog sequence: 784*ext_time cells, pixel p in steps p*ext_time ..
 * p*ext_time + ext_time - 1 as channel 0 with value byte/255 (black pixels, value 0, as no
 * event: they add nothing to an input). The batch needs n_steps = 784*ext_time. Returns 0,
 * -1 on a mismatched batch or OOM. */
int lsnn_smnist_encode_analog(lsnn_batch *b, const uint8_t *pixels, int ext_time);

#endif
