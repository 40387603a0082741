/* featnorm.h - per-feature z-scores with the training set's mean and standard deviation.
 *
 * As the e-prop TIMIT code (tools.py, TimitDataset): mean and population standard deviation
 * (numpy.std, ddof 0) of every feature over all frames of all training utterances, then
 * z = (x - mean) / max(std, LSNN_FEATNORM_STD_FLOOR). Utterances are added one at a time:
 * each one's mean and sum of squared deviations are merged into the running ones (Chan,
 * Golub and LeVeque's pairwise update, in double), so the result does not lose digits to a
 * large mean and depends only on the order of the utterances.
 *
 * The file is safetensors (safetensors.h): F64 tensors "mean" and "std" of shape [n_feat],
 * metadata "format" = "lsnn-featnorm-1" and "n_frames" (decimal), written atomically. */
#ifndef LSNN_FEATNORM_H
#define LSNN_FEATNORM_H

#include <stdint.h>

#include "error.h"

#define LSNN_FEATNORM_MAX       1024  /* features per frame */
#define LSNN_FEATNORM_STD_FLOOR 1e-10 /* the e-prop code's epsilon */

typedef struct {
    int n_feat;                     /* features per frame, 1..LSNN_FEATNORM_MAX */
    int64_t n_frames;               /* frames accumulated (or of the loaded statistics) */
    double mean[LSNN_FEATNORM_MAX]; /* running mean per feature */
    double m2[LSNN_FEATNORM_MAX];   /* sum of squared deviations from the mean */
    double std[LSNN_FEATNORM_MAX];  /* sqrt(m2 / n_frames); set by _finish and _load */
} lsnn_featnorm;

/* Starts empty statistics of n_feat features. Returns 0, or -1 if n_feat is outside
 * 1..LSNN_FEATNORM_MAX (the statistics are then unusable). */
int lsnn_featnorm_init(lsnn_featnorm *s, int n_feat, lsnn_error *e);

/* Adds the n_frames frames of one utterance (n_frames * n_feat floats). Returns 0, or -1
 * with s unchanged when a value is not finite (the message names frame and feature) or
 * n_frames < 1. */
int lsnn_featnorm_add(lsnn_featnorm *s, const float *feat, int n_frames, lsnn_error *e);

/* Computes std from the sums. Returns 0, or -1 if no frame was added. */
int lsnn_featnorm_finish(lsnn_featnorm *s, lsnn_error *e);

/* Replaces every value by its z-score, in place (statistics finished or loaded). Can't fail. */
void lsnn_featnorm_apply(const lsnn_featnorm *s, float *feat, int n_frames);

/* Writes mean and std to path atomically (statistics finished). Returns 0 or -1. */
int lsnn_featnorm_save(const lsnn_featnorm *s, const char *path, lsnn_error *e);

/* Reads statistics written by lsnn_featnorm_save. n_feat > 0 is the count expected (checked),
 * 0 takes the file's. Rejects a file that is no such statistics, or with non-finite means,
 * negative or non-finite deviations or no frames; the message names the file and the
 * limit. On failure s is unusable. m2 is restored as std^2 * n_frames, so more utterances
 * may be added. */
int lsnn_featnorm_load(lsnn_featnorm *s, const char *path, int n_feat, lsnn_error *e);

#endif
