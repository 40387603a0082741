/* task_store_recall.c - the store-recall task (lsnn-model.md §5.1), generated on the fly.
 *
 * Semantics of LSNN-official bin/tutorial_storerecall_utils.py (generate_storerecall_data,
 * generate_mikolov_data, generate_input_with_prob, validity_test), with its tutorial's
 * probability p = 1/(1 + seq_delay) for both STORE and RECALL:
 *
 *   1. Characters. Every slot gets a uniformly random value 0..values-1. Then, slot by slot,
 *      one uniform draw u: waiting for a STORE (initially, or after a RECALL) and u < p puts a
 *      STORE in the slot; waiting for a RECALL (after a STORE) and u < p puts a RECALL there.
 *      The sequence is redrawn until it passes validity_test: at least one STORE, RECALL and
 *      value; first RECALL after the first STORE; last RECALL after the last STORE; a value
 *      right after every STORE; a STORE between two RECALLs and a RECALL between two STOREs.
 *      (The official loop does not reset its "last signal" between attempts; an attempt that
 *      starts waiting for a RECALL always fails the validity test, so the accepted sequences
 *      have the same distribution as with the reset done here.)
 *   2. Shown values. A STORE slot also shows the value of the next slot (the value to store);
 *      then, with probability 0.5, the next slot's value is changed (a distractor). With two
 *      values this is the official flip 1 - v; with more values (not in the official code,
 *      which only supports two) the new value is uniform among the other values.
 *   3. Spikes. Inputs are (values + 2) groups of group_size channels: value 0 .. values-1,
 *      STORE, RECALL. During each char_ms-step slot, every channel of each active group (the
 *      shown value, STORE or RECALL) spikes independently with p = rate_hz/1000 per step
 *      (a step is 1 ms, as in the tutorial); all other channels are silent.
 *   4. Target. Each RECALL slot is a window [slot start, slot end) whose label is the value of
 *      the last STORE before it (the value shown with the STORE, before any distractor). */
#include <math.h>
#include <stdlib.h>

#include "rng.h"
#include "task_internal.h"

#define MIN_P_VALID 1e-4 /* refuse specs that need more than ~10^4 attempts per sequence */

static double signal_prob(const lsnn_store_recall_spec *sr)
{
    return 1.0 / (1 + sr->seq_delay);
}

/* Probability that one generation attempt is valid. With STOREs and RECALLs alternating, a
 * sequence is valid iff it has at least one STORE/RECALL pair, ends waiting for a STORE, and no
 * RECALL directly follows a STORE. States: 0 no pair yet, 1 just stored, 2 waiting for RECALL
 * after a value, 3 a pair done and waiting for a STORE; invalid mass is dropped. */
static double valid_probability(const lsnn_store_recall_spec *sr)
{
    double p = signal_prob(sr), s[4] = {1, 0, 0, 0};
    for (int c = 0; c < sr->n_chars; c++) {
        double n[4];
        n[0] = s[0] * (1 - p);
        n[1] = (s[0] + s[3]) * p;
        n[2] = s[1] * (1 - p) + s[2] * (1 - p);
        n[3] = s[2] * p + s[3] * (1 - p);
        for (int k = 0; k < 4; k++)
            s[k] = n[k];
    }
    return s[3];
}

static int check_spec(const lsnn_store_recall_spec *sr, lsnn_error *e)
{
    if (sr->values < 2 || sr->values > 16)
        return lsnn_fail(e, "store_recall.values = %d out of range 2..16", sr->values);
    if (sr->group_size < 1 || sr->group_size > 1000)
        return lsnn_fail(e, "store_recall.group_size = %d out of range 1..1000", sr->group_size);
    if ((sr->values + 2) * sr->group_size > LSNN_MAX_INPUTS)
        return lsnn_fail(e, "store_recall: (values + 2) * group_size = %d exceeds %d inputs",
                         (sr->values + 2) * sr->group_size, LSNN_MAX_INPUTS);
    if (sr->char_ms < 1 || sr->char_ms > 10000)
        return lsnn_fail(e, "store_recall.char_ms = %d out of range 1..10000", sr->char_ms);
    if (sr->n_chars < 3 || sr->n_chars > 1000)
        return lsnn_fail(e,
                         "store_recall.n_chars = %d out of range 3..1000 (a sequence needs "
                         "a store, a value and a recall)",
                         sr->n_chars);
    if (!(sr->rate_hz > 0 && sr->rate_hz <= 1000))
        return lsnn_fail(e, "store_recall.rate_hz = %g out of range (0, 1000]", sr->rate_hz);
    if (sr->seq_delay < 0 || sr->seq_delay > 1000)
        return lsnn_fail(e, "store_recall.seq_delay = %d out of range 0..1000", sr->seq_delay);
    if (sr->test_size < 1 || sr->test_size > 1000000)
        return lsnn_fail(e, "store_recall.test_size = %d out of range 1..1000000", sr->test_size);
    return 0;
}

int lsnn_store_recall_open(lsnn_task *t, const lsnn_spec *spec, lsnn_error *e)
{
    const lsnn_store_recall_spec *sr = &spec->store_recall;
    if (check_spec(sr, e) != 0) return -1;
    t->sr = *sr;
    t->sr_p_valid = valid_probability(sr);
    if (t->sr_p_valid < MIN_P_VALID)
        return lsnn_fail(e,
                         "store_recall: with n_chars = %d and seq_delay = %d only a fraction "
                         "%.3g of generated sequences is valid (minimum %g); use more "
                         "characters or a smaller seq_delay",
                         sr->n_chars, sr->seq_delay, t->sr_p_valid, MIN_P_VALID);
    t->n_steps = sr->n_chars * sr->char_ms;
    t->n_in = (sr->values + 2) * sr->group_size;
    t->n_out = sr->values;
    t->sr_chars = malloc((size_t)sr->n_chars * sizeof *t->sr_chars);
    t->sr_shown = malloc((size_t)sr->n_chars * sizeof *t->sr_shown);
    if (!t->sr_chars || !t->sr_shown) return lsnn_fail(e, "out of memory opening store_recall");
    return 0;
}

/* First index of `sym` in seq[0..n), or -1. */
static int first_of(const int *seq, int n, int sym)
{
    for (int i = 0; i < n; i++)
        if (seq[i] == sym) return i;
    return -1;
}

static int last_of(const int *seq, int n, int sym)
{
    for (int i = n - 1; i >= 0; i--)
        if (seq[i] == sym) return i;
    return -1;
}

/* 1 if some slot strictly between a and b holds sym. */
static int between(const int *seq, int a, int b, int sym)
{
    for (int i = a + 1; i < b; i++)
        if (seq[i] == sym) return 1;
    return 0;
}

/* The official validity_test, condition by condition. */
static int is_valid(const int *seq, int n, int store, int recall)
{
    int first_recall = first_of(seq, n, recall), first_store = first_of(seq, n, store);
    int has_value = 0;
    for (int i = 0; i < n; i++)
        has_value |= seq[i] < store;
    if (first_recall < 0 || first_store < 0 || !has_value) return 0;
    if (first_recall < first_store) return 0;
    if (last_of(seq, n, recall) < last_of(seq, n, store)) return 0;
    int prev_store = -1, prev_recall = -1;
    for (int i = 0; i < n; i++) {
        if (seq[i] == store) {
            if (i == n - 1 || seq[i + 1] >= store) return 0;
            if (prev_store >= 0 && !between(seq, prev_store, i, recall)) return 0;
            prev_store = i;
        } else if (seq[i] == recall) {
            if (prev_recall >= 0 && !between(seq, prev_recall, i, store)) return 0;
            prev_recall = i;
        }
    }
    return 1;
}

/* Step 1: draws characters into t->sr_chars until the sequence is valid. */
static int draw_chars(lsnn_task *t, lsnn_rng *r, lsnn_error *e)
{
    const int n = t->sr.n_chars, store = t->sr.values, recall = t->sr.values + 1;
    const double p = signal_prob(&t->sr);
    int *seq = t->sr_chars;
    /* Exceeding this many attempts has probability about exp(-50). */
    const double max_attempts = ceil(50.0 / t->sr_p_valid);
    for (double attempt = 0; attempt < max_attempts; attempt++) {
        for (int c = 0; c < n; c++)
            seq[c] = (int)lsnn_rng_below(r, (uint32_t)t->sr.values);
        int waiting = store;
        for (int c = 0; c < n; c++) {
            if (lsnn_rng_uniform(r) < p) {
                seq[c] = waiting;
                waiting = waiting == store ? recall : store;
            }
        }
        if (is_valid(seq, n, store, recall)) return 0;
    }
    return lsnn_fail(e, "store_recall: no valid sequence after %.0f attempts", max_attempts);
}

/* Step 2: the value group shown in each slot (-1 for none), with the value copied into each
 * STORE slot and the distractor change of the slot after it. */
static void draw_shown(lsnn_task *t, lsnn_rng *r)
{
    const int n = t->sr.n_chars, values = t->sr.values;
    const int *seq = t->sr_chars;
    int *shown = t->sr_shown;
    for (int c = 0; c < n; c++)
        shown[c] = seq[c] < values ? seq[c] : -1;
    for (int c = 0; c + 1 < n; c++) {
        if (seq[c] != values) continue;
        shown[c] = shown[c + 1];
        if (lsnn_rng_uniform(r) < 0.5) {
            uint32_t shift = 1 + lsnn_rng_below(r, (uint32_t)(values - 1));
            shown[c + 1] = (int)((shown[c + 1] + shift) % (uint32_t)values);
        }
    }
}

/* Step 3: Poisson spikes of the active groups of slot c, one cell per step. */
static int push_slot(lsnn_task *t, lsnn_rng *r, lsnn_batch *b, int c)
{
    const int gs = t->sr.group_size, values = t->sr.values;
    const double p = t->sr.rate_hz / 1000.0;
    int groups[2], n_groups = 0;
    if (t->sr_shown[c] >= 0) groups[n_groups++] = t->sr_shown[c];
    if (t->sr_chars[c] >= values) groups[n_groups++] = t->sr_chars[c]; /* STORE or RECALL */
    for (int step = 0; step < t->sr.char_ms; step++) {
        for (int g = 0; g < n_groups; g++)
            for (int j = 0; j < gs; j++)
                if (lsnn_rng_uniform(r) < p && lsnn_batch_push(b, groups[g] * gs + j) != 0)
                    return -1;
        lsnn_batch_end_cell(b);
    }
    return 0;
}

/* Generates one sequence from r and appends its cells and recall windows as sequence seq. */
static int append_sequence(lsnn_task *t, lsnn_rng *r, lsnn_batch *b, int seq, lsnn_error *e)
{
    if (draw_chars(t, r, e) != 0) return -1;
    draw_shown(t, r);
    const int values = t->sr.values, ms = t->sr.char_ms;
    int stored = -1;
    for (int c = 0; c < t->sr.n_chars; c++) {
        if (push_slot(t, r, b, c) != 0) return lsnn_fail(e, "out of memory building a batch");
        if (t->sr_chars[c] == values) stored = t->sr_shown[c];
        if (t->sr_chars[c] == values + 1 &&
            lsnn_batch_add_window(b, seq, c * ms, (c + 1) * ms, stored) != 0)
            return lsnn_fail(e, "out of memory building a batch");
    }
    return 0;
}

int lsnn_store_recall_train_batch(lsnn_task *t, long iteration, int n_seq, lsnn_batch *out,
                                  lsnn_error *e)
{
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in) != 0)
        return lsnn_fail(e, "out of memory for a batch of %d sequences", n_seq);
    lsnn_rng r = lsnn_rng_derive(t->seed, LSNN_RNG_TRAIN_BATCH, (uint64_t)iteration);
    for (int s = 0; s < n_seq; s++)
        if (append_sequence(t, &r, out, s, e) != 0) return -1;
    return 0;
}

int lsnn_store_recall_test_batch(lsnn_task *t, int first, int n_seq, lsnn_batch *out, lsnn_error *e)
{
    if (lsnn_batch_reset(out, n_seq, t->n_steps, t->n_in) != 0)
        return lsnn_fail(e, "out of memory for a batch of %d sequences", n_seq);
    for (int s = 0; s < n_seq; s++) {
        lsnn_rng r = lsnn_rng_derive(t->seed, LSNN_RNG_TEST_BATCH, (uint64_t)(first + s));
        if (append_sequence(t, &r, out, s, e) != 0) return -1;
    }
    return 0;
}
