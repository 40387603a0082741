/* task.c - the task API of task.h: opening, accessors, argument checks and dispatch. */
#include "task.h"

#include <stdlib.h>

#include "rng.h"
#include "task_internal.h"

static const char *task_name(lsnn_task_kind kind)
{
    return kind == LSNN_TASK_STORE_RECALL ? "store_recall"
           : kind == LSNN_TASK_SPEECH     ? "speech"
           : kind == LSNN_TASK_NAVIGATION ? "navigation"
           : kind == LSNN_TASK_L2L        ? "l2l"
                                          : "smnist";
}

void lsnn_task_epoch_permutation(lsnn_task *t, long long k, int n)
{
    if (t->perm_epoch == k) return;
    lsnn_rng r = lsnn_rng_derive(t->seed, LSNN_RNG_SHUFFLE, (uint64_t)k);
    uint32_t *p = t->perm;
    for (int i = 0; i < n; i++)
        p[i] = (uint32_t)i;
    for (int i = n - 1; i > 0; i--) {
        uint32_t j = lsnn_rng_below(&r, (uint32_t)i + 1), tmp = p[i];
        p[i] = p[j];
        p[j] = tmp;
    }
    t->perm_epoch = k;
}

/* The network's n_in / n_out in the spec must match what the task produces. */
static int check_shapes(const lsnn_task *t, const lsnn_spec *spec, lsnn_error *e)
{
    if (spec->n_in != t->n_in)
        return lsnn_fail(e, "task %s has %d input channels but the spec says n_in = %d",
                         task_name(t->kind), t->n_in, spec->n_in);
    if (spec->n_out != t->n_out)
        return lsnn_fail(e, "task %s has %d classes but the spec says n_out = %d",
                         task_name(t->kind), t->n_out, spec->n_out);
    return 0;
}

/* Opens the task of spec: generator parameters for store-recall, the data set for sMNIST.
 * Fails with a message if the spec's task section is out of range, the data are missing, or
 * the spec's n_in / n_out differ from the task's. */
int lsnn_task_open(const lsnn_spec *spec, lsnn_task **out, lsnn_error *e)
{
    *out = NULL;
    lsnn_task *t = calloc(1, sizeof *t);
    if (!t) return lsnn_fail(e, "out of memory opening the task");
    t->kind = spec->task;
    t->seed = spec->seed;
    t->perm_epoch = -1;
    int rc;
    if (spec->task == LSNN_TASK_STORE_RECALL)
        rc = lsnn_store_recall_open(t, spec, e);
    else if (spec->task == LSNN_TASK_SMNIST)
        rc = lsnn_smnist_open(t, spec, e);
    else if (spec->task == LSNN_TASK_SPEECH)
        rc = lsnn_speech_open(t, spec, e);
    else if (spec->task == LSNN_TASK_NAVIGATION)
        rc = lsnn_nav_open(t, spec, e);
    else if (spec->task == LSNN_TASK_L2L)
        rc = lsnn_l2l_open(t, spec, e);
    else
        rc = lsnn_fail(e, "unknown task kind %d", (int)spec->task);
    if (rc == 0) rc = check_shapes(t, spec, e);
    if (rc != 0) {
        lsnn_task_close(t);
        return -1;
    }
    *out = t;
    return 0;
}

void lsnn_task_close(lsnn_task *t)
{
    if (!t) return;
    free(t->sr_chars);
    free(t->sr_shown);
    lsnn_images_free(&t->train);
    lsnn_images_free(&t->test);
    free(t->perm);
    lsnn_speech_free(t);
    lsnn_l2l_free(t);
    free(t);
}

int lsnn_task_n_steps(const lsnn_task *t)
{
    return t->n_steps;
}
int lsnn_task_n_in(const lsnn_task *t)
{
    return t->n_in;
}
int lsnn_task_n_out(const lsnn_task *t)
{
    return t->n_out;
}

const char *lsnn_task_metric(const lsnn_task *t)
{
    return t->kind == LSNN_TASK_STORE_RECALL ? "recall error"
           : t->kind == LSNN_TASK_SPEECH     ? "frame error (39 classes)"
           : t->kind == LSNN_TASK_NAVIGATION ? "open-loop readout error (no meaning)"
           : t->kind == LSNN_TASK_L2L        ? "MSE"
                                             : "test error";
}

int lsnn_task_regression(const lsnn_task *t)
{
    return lsnn_task_kind_regression(t->kind);
}

int lsnn_task_test_count(const lsnn_task *t)
{
    if (t->kind == LSNN_TASK_NAVIGATION) return t->nav.test_size;
    return t->kind == LSNN_TASK_STORE_RECALL ? t->sr.test_size
           : t->kind == LSNN_TASK_L2L        ? t->l2l.test_size
                                             : t->n_test;
}

/* Whether the validation split is its own (sMNIST's held-out training images, speech's
 * held-out speakers or VALID split). */
static int own_validation(const lsnn_task *t)
{
    return t->kind != LSNN_TASK_STORE_RECALL && t->kind != LSNN_TASK_NAVIGATION &&
           t->kind != LSNN_TASK_L2L && t->n_val > 0;
}

int lsnn_task_split_count(const lsnn_task *t, lsnn_split split)
{
    return split == LSNN_SPLIT_VALIDATION && own_validation(t) ? t->n_val : lsnn_task_test_count(t);
}

/* A built batch must pass lsnn_batch_check; anything else is a bug in a generator. */
static int finish(const lsnn_task *t, const lsnn_batch *out, int rc, lsnn_error *e)
{
    if (rc != 0) return -1;
    if (lsnn_batch_check(out, t->n_out) != 0)
        return lsnn_fail(e, "internal error: task %s built an inconsistent batch",
                         task_name(t->kind));
    return 0;
}

/* Training batch of `iteration` (>= 0): n_seq >= 1 sequences, a pure function of (seed,
 * iteration, n_seq). */
int lsnn_task_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    if (iteration < 0) return lsnn_fail(e, "training iteration %ld is negative", iteration);
    if (n_seq < 1) return lsnn_fail(e, "batch size %d must be at least 1", n_seq);
    int rc = t->kind == LSNN_TASK_STORE_RECALL
                 ? lsnn_store_recall_train_batch(t, iteration, n_seq, out, e)
             : t->kind == LSNN_TASK_SPEECH ? lsnn_speech_train_batch(t, iteration, n_seq, out, e)
             : t->kind == LSNN_TASK_NAVIGATION ? lsnn_nav_train_batch(t, iteration, n_seq, out, e)
             : t->kind == LSNN_TASK_L2L        ? lsnn_l2l_train_batch(t, iteration, n_seq, out, e)
                                        : lsnn_smnist_train_batch(t, iteration, n_seq, out, e);
    return finish(t, out, rc, e);
}

/* Test sequences first .. first+n_seq-1, cut at the end of the test set; first must be in
 * 0..count-1. Sequence j is the same whatever batch it is asked in. */
int lsnn_task_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    return lsnn_task_split_batch(t, LSNN_SPLIT_TEST, first, n_seq, out, e);
}

int lsnn_task_split_batch(lsnn_task *t, lsnn_split split, int first, int n_seq, lsnn_batch *out,
                          lsnn_error *e)
{
    int count = lsnn_task_split_count(t, split);
    const char *what = split == LSNN_SPLIT_VALIDATION && own_validation(t) ? "validation" : "test";
    if (first < 0 || first >= count)
        return lsnn_fail(e, "%s sequence %d out of range 0..%d", what, first, count - 1);
    if (n_seq < 1) return lsnn_fail(e, "batch size %d must be at least 1", n_seq);
    if (n_seq > count - first) n_seq = count - first;
    int rc;
    if (t->kind == LSNN_TASK_STORE_RECALL)
        rc = lsnn_store_recall_test_batch(t, first, n_seq, out, e);
    else if (t->kind == LSNN_TASK_NAVIGATION)
        rc = lsnn_nav_test_batch(t, first, n_seq, out, e);
    else if (t->kind == LSNN_TASK_L2L)
        rc = lsnn_l2l_test_batch(t, first, n_seq, out, e);
    else if (t->kind == LSNN_TASK_SPEECH)
        rc = lsnn_speech_split_batch(t, own_validation(t) ? split : LSNN_SPLIT_TEST, first, n_seq,
                                     out, e);
    else if (split == LSNN_SPLIT_VALIDATION && own_validation(t))
        rc = lsnn_smnist_val_batch(t, first, n_seq, out, e);
    else
        rc = lsnn_smnist_test_batch(t, first, n_seq, out, e);
    return finish(t, out, rc, e);
}
