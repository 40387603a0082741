/* spikefile.h - input spike trains from a text file (`lsnn run --input FILE`).
 *
 *   lsnn-spikes 1
 *   channels <C> steps <T> sequences <S>
 *   <seq> <step> <channel>              one input spike; (seq, step, channel) strictly ascending
 *   window <seq> <start> <end> <label>  optional: a scored readout window [start, end)
 *
 * '#' starts a comment; blank lines are ignored. Without window lines every sequence gets one
 * unlabelled window over all its steps (labelled = 0). Every error names FILE:LINE and the
 * limit broken; nothing is read past the values the header declares. */
#ifndef LSNN_SPIKEFILE_H
#define LSNN_SPIKEFILE_H

#include "batch.h"
#include "error.h"

#define LSNN_SPIKEFILE_VERSION 1

/* Reads path into *b (reset first). n_out bounds window labels. *labelled is 1 when the file
 * has window lines. Returns 0 or -1 with "FILE:LINE: error: ...". */
int lsnn_spikefile_load(const char *path, int n_out, lsnn_batch *b, int *labelled, lsnn_error *e);

/* Same from memory; name is FILE in messages. */
int lsnn_spikefile_parse(const char *name, const char *text, size_t len, int n_out, lsnn_batch *b,
                         int *labelled, lsnn_error *e);

#endif
