/* task_internal.h - the task object shared by task.c and the per-task generators. */
#ifndef LSNN_TASK_INTERNAL_H
#define LSNN_TASK_INTERNAL_H

#include <stdint.h>

#include "idx.h"
#include "rng.h"
#include "task.h"

/* One utterance of the speech task, features computed and z-scored at open. */
struct speech_utt {
    float *z;     /* n_frames * LSNN_SPEECH_FEATURES z-scores, frame after frame */
    int *label;   /* n_frames phones 0..60, or LSNN_TIMIT_NONE (q, no segment) */
    int n_frames; /* >= 1, at most task.max_frames when that is set */
};

struct lsnn_task {
    lsnn_task_kind kind;
    uint64_t seed;
    int n_steps, n_in, n_out;

    /* store-recall */
    lsnn_store_recall_spec sr;
    int *sr_chars;     /* n_chars scratch: character of each slot (value, STORE or RECALL) */
    int *sr_shown;     /* n_chars scratch: value group shown in each slot, -1 for none */
    double sr_p_valid; /* probability that one generation attempt passes the validity test */

    /* sMNIST */
    lsnn_smnist_spec sm;
    lsnn_images train, test;
    int n_train, n_test; /* after train_limit / test_limit */
    int n_val;           /* validation images: the last n_val of the training file */
    uint32_t *perm;      /* the permutation of epoch perm_epoch (n_train entries) */
    long long perm_epoch;

    /* speech (task_speech.c); n_train, n_val, n_test and perm as sMNIST's */
    lsnn_speech_spec sp;
    struct speech_utt *utt;              /* every utterance used, training ones first */
    int n_utt;                           /* n_train + n_val + n_test */
    int score_class[LSNN_SPEECH_PHONES]; /* the 61 phones folded to 39 classes, q to -1 */

    /* navigation (task_nav.c): open-loop episodes of the random policy */
    lsnn_nav_spec nav;
    double nav_sigma, nav_dt_ms;
    /* learning-to-learn (task_l2l.c) */
    lsnn_l2l_spec l2l;
    double *l2l_x, *l2l_y; /* trials scratch: x1, x2 and the target of each trial */
    double *l2l_p;         /* n_in scratch: each channel's spike probability in this trial */
};

/* Makes t->perm a Fisher-Yates shuffle of 0..n-1 for epoch k, drawn from
 * lsnn_rng_derive(seed, LSNN_RNG_SHUFFLE, k) (cached: recomputed only when k changes). */
void lsnn_task_epoch_permutation(lsnn_task *t, long long k, int n);

/* Each opener fills the task-specific fields and n_steps/n_in/n_out; checks the spec. */
int lsnn_store_recall_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e);
int lsnn_smnist_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e);
int lsnn_speech_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e);
void lsnn_speech_free(lsnn_task *t);
int lsnn_nav_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e);
int lsnn_l2l_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e);
/* l2l.c: the stream of an episode (training sequence seq of iteration index, or test episode
 * index) and the episode's numbers drawn from it (x: 2 per trial, y: 1 per trial). */
lsnn_rng lsnn_l2l_episode_rng(const lsnn_task *t, int train, long index, int seq);
void lsnn_l2l_draw_episode(const lsnn_task *t, lsnn_rng *r, double *x, double *y);
void lsnn_l2l_free(lsnn_task *t);

/* Batch builders; task.c has checked the arguments (n_seq >= 1, test range) already. */
int lsnn_store_recall_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out,
                                  lsnn_error *e);
int lsnn_store_recall_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out,
                                 lsnn_error *e);
int lsnn_smnist_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out,
                            lsnn_error *e);
int lsnn_smnist_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e);
int lsnn_smnist_val_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e);
int lsnn_speech_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out,
                            lsnn_error *e);
int lsnn_l2l_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e);
int lsnn_l2l_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e);
int lsnn_speech_split_batch(lsnn_task *t, lsnn_split split, int first, int n_seq, lsnn_batch *out,
                            lsnn_error *e);

int lsnn_nav_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e);
int lsnn_nav_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e);

#endif
