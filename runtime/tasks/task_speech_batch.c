/* task_speech_batch.c - the speech task's batches (docs/speech.md).
 *
 * A sequence is one utterance: frame i of it is held for frame_steps steps (steps
 * i*frame_steps .. (i+1)*frame_steps - 1), encoded by speech_spikes.h (threshold crossings
 * of the z-scores, or the z-scores as analog values). Every frame with a phone label is one
 * readout window over its frame_steps steps, labelled with the phone (0..60); frames without
 * one (q, gaps in the alignment) have no window. Utterances differ in length: a batch has the
 * steps of its longest utterance, and the shorter ones are padded with steps that carry no
 * input and no window. Windows are scored folded to 39 classes (batch.score_class).
 *
 * Training order: as sMNIST's, shuffled epochs of the training utterances
 * (lsnn_task_epoch_permutation), iteration i taking positions i*n_seq .. i*n_seq + n_seq - 1
 * of their concatenation. Validation and test sequences are in corpus order. */
#include <stdlib.h>

#include "speech_spikes.h"
#include "task_internal.h"
#include "timit.h"

/* Builds the batch of task utterances idx[0..n_seq). */
static int build(lsnn_task *t, const int *idx, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    const lsnn_speech_spec *sp = &t->sp;
    int longest = 1;
    for (int s = 0; s < n_seq; s++)
        if (t->utt[idx[s]].n_frames > longest) longest = t->utt[idx[s]].n_frames;
    if (lsnn_batch_reset(out, n_seq, longest * sp->frame_steps, t->n_in) != 0)
        return lsnn_fail(e, "speech: out of memory for a batch of %d sequences of %d steps", n_seq,
                         longest * sp->frame_steps);
    lsnn_speech_crossing cr = {sp->frame_steps, sp->thresholds, sp->thr_lo, sp->thr_hi};
    for (int s = 0; s < n_seq; s++) {
        const struct speech_utt *u = &t->utt[idx[s]];
        int rc =
            sp->input == LSNN_INPUT_ANALOG
                ? lsnn_speech_encode_analog(out, u->z, u->n_frames, LSNN_SPEECH_FEATURES,
                                            sp->frame_steps, e)
                : lsnn_speech_encode_crossing(out, u->z, u->n_frames, LSNN_SPEECH_FEATURES, &cr, e);
        if (rc) return -1;
        for (int f = 0; f < u->n_frames; f++) {
            int ph = u->label[f];
            if (ph == LSNN_TIMIT_NONE || t->score_class[ph] < 0) continue; /* gap or q */
            if (lsnn_batch_add_window(out, s, f * sp->frame_steps, (f + 1) * sp->frame_steps, ph))
                return lsnn_fail(e, "speech: out of memory for the windows of a batch");
        }
    }
    out->score_class = t->score_class;
    return 0;
}

int lsnn_speech_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    int *idx = malloc((size_t)n_seq * sizeof *idx);
    if (!idx) return lsnn_fail(e, "speech: out of memory for a batch of %d sequences", n_seq);
    long long pos = (long long)iteration * n_seq;
    for (int s = 0; s < n_seq; s++, pos++) {
        lsnn_task_epoch_permutation(t, pos / t->n_train, t->n_train);
        idx[s] = (int)t->perm[pos % t->n_train];
    }
    int rc = build(t, idx, n_seq, out, e);
    free(idx);
    return rc;
}

/* Validation or test utterances first .. first+n_seq-1 (task.c checked the range). */
int lsnn_speech_split_batch(lsnn_task *t, lsnn_split split, int first, int n_seq, lsnn_batch *out,
                            lsnn_error *e)
{
    int base = t->n_train + (split == LSNN_SPLIT_TEST ? t->n_val : 0);
    int *idx = malloc((size_t)n_seq * sizeof *idx);
    if (!idx) return lsnn_fail(e, "speech: out of memory for a batch of %d sequences", n_seq);
    for (int s = 0; s < n_seq; s++)
        idx[s] = base + first + s;
    int rc = build(t, idx, n_seq, out, e);
    free(idx);
    return rc;
}
