/* test_store_recall.c - the store-recall generator: determinism, validity of every sequence
 * decoded from its spikes, labels, Poisson rates, and store/recall/distractor statistics
 * against an independent port of the official generator. */
#include <math.h>

#include "check.h"
#include "rng.h"
#include "task.h"

#define MAX_CHARS 64

static lsnn_spec sr_spec(int values, int group_size, int char_ms, int n_chars, double rate_hz,
                         int seq_delay)
{
    lsnn_spec s;
    memset(&s, 0, sizeof s);
    s.seed = 77;
    s.dt_ms = 1;
    s.task = LSNN_TASK_STORE_RECALL;
    s.store_recall = (lsnn_store_recall_spec){.values = values,
                                              .group_size = group_size,
                                              .char_ms = char_ms,
                                              .n_chars = n_chars,
                                              .rate_hz = rate_hz,
                                              .seq_delay = seq_delay,
                                              .test_size = 50};
    s.n_in = (values + 2) * group_size;
    s.n_out = values;
    return s;
}

/* A sequence decoded from its input spikes alone. */
typedef struct {
    int n_chars;
    int kind[MAX_CHARS];  /* value group shown (0..values-1), or -1 */
    int store[MAX_CHARS]; /* STORE group active */
    int recall[MAX_CHARS];
    long group_spikes[MAX_CHARS][18]; /* spikes per (slot, group) */
} decoded;

/* Counts spikes per (slot, group) of sequence s; a group is active in a slot iff it spiked. */
static void decode(const lsnn_batch *b, int s, const lsnn_store_recall_spec *sr, decoded *d)
{
    memset(d, 0, sizeof *d);
    d->n_chars = sr->n_chars;
    for (int t = 0; t < b->n_steps; t++) {
        size_t c = (size_t)s * b->n_steps + t;
        for (uint32_t k = b->in_ptr[c]; k < b->in_ptr[c + 1]; k++)
            d->group_spikes[t / sr->char_ms][b->in_idx[k] / sr->group_size]++;
    }
    for (int c = 0; c < sr->n_chars; c++) {
        d->kind[c] = -1;
        for (int g = 0; g < sr->values; g++)
            if (d->group_spikes[c][g] > 0) d->kind[c] = d->kind[c] < 0 ? g : -2; /* -2: two */
        d->store[c] = d->group_spikes[c][sr->values] > 0;
        d->recall[c] = d->group_spikes[c][sr->values + 1] > 0;
    }
}

/* Checks one decoded sequence and its windows; returns the number of failed checks. */
static int check_sequence(const decoded *d, const lsnn_batch *b, int s,
                          const lsnn_store_recall_spec *sr)
{
    int fails = 0, n = d->n_chars, last_store = -1, last_recall = -1, stored = -1;
    int n_store = 0, n_recall = 0, wi = 0;
    while (wi < b->n_win && b->win[wi].seq != s)
        wi++;
    for (int c = 0; c < n; c++) {
        int shape_ok = d->store[c]    ? !d->recall[c] && d->kind[c] >= 0
                       : d->recall[c] ? d->kind[c] == -1
                                      : d->kind[c] >= 0;
        fails += !shape_ok;
        if (d->store[c]) {
            /* a value follows every store, and a recall separates two stores */
            fails += c == n - 1 || d->store[c + 1] || d->recall[c + 1];
            fails += last_store >= 0 && last_recall < last_store;
            last_store = c, stored = d->kind[c], n_store++;
        }
        if (d->recall[c]) {
            fails += last_store < 0 || (last_recall >= 0 && last_store < last_recall);
            last_recall = c, n_recall++;
            /* the window of this recall, in order */
            int ok = wi < b->n_win && b->win[wi].seq == s && b->win[wi].start == c * sr->char_ms &&
                     b->win[wi].end == (c + 1) * sr->char_ms && b->win[wi].label == stored;
            fails += !ok;
            wi++;
        }
    }
    fails += n_store < 1 || n_recall < 1 || last_recall < last_store;
    fails += wi < b->n_win && b->win[wi].seq == s; /* no extra windows */
    return fails;
}

static int same_batch(const lsnn_batch *a, const lsnn_batch *b)
{
    if (a->n_seq != b->n_seq || a->n_steps != b->n_steps || a->n_spikes != b->n_spikes ||
        a->n_win != b->n_win)
        return 0;
    size_t cells = (size_t)a->n_seq * a->n_steps;
    return memcmp(a->in_ptr, b->in_ptr, (cells + 1) * sizeof *a->in_ptr) == 0 &&
           memcmp(a->in_idx, b->in_idx, a->n_spikes * sizeof *a->in_idx) == 0 &&
           memcmp(a->win, b->win, (size_t)a->n_win * sizeof *a->win) == 0;
}

/* Same spikes and windows for sequence sa of a and sb of b. */
static int same_sequence(const lsnn_batch *a, int sa, const lsnn_batch *b, int sb)
{
    size_t ca = (size_t)sa * a->n_steps, cb = (size_t)sb * b->n_steps;
    uint32_t na = a->in_ptr[ca + a->n_steps] - a->in_ptr[ca];
    uint32_t nb = b->in_ptr[cb + b->n_steps] - b->in_ptr[cb];
    if (a->n_steps != b->n_steps || na != nb) return 0;
    if (memcmp(a->in_idx + a->in_ptr[ca], b->in_idx + b->in_ptr[cb], na * sizeof(uint16_t)))
        return 0;
    for (int t = 0; t <= a->n_steps; t++)
        if (a->in_ptr[ca + t] - a->in_ptr[ca] != b->in_ptr[cb + t] - b->in_ptr[cb]) return 0;
    int ia = 0, ib = 0;
    for (;;) {
        while (ia < a->n_win && a->win[ia].seq != sa)
            ia++;
        while (ib < b->n_win && b->win[ib].seq != sb)
            ib++;
        if (ia == a->n_win || ib == b->n_win) return ia == a->n_win && ib == b->n_win;
        if (a->win[ia].start != b->win[ib].start || a->win[ia].end != b->win[ib].end ||
            a->win[ia].label != b->win[ib].label)
            return 0;
        ia++, ib++;
    }
}

static void test_determinism(void)
{
    lsnn_spec spec = sr_spec(2, 25, 200, 12, 50, 6);
    lsnn_task *t = NULL;
    lsnn_error e = {{0}};
    CHECK(lsnn_task_open(&spec, &t, &e) == 0, "open: %s", e.msg);
    if (!t) return;
    CHECK(lsnn_task_n_steps(t) == 2400 && lsnn_task_n_in(t) == 100 && lsnn_task_n_out(t) == 2,
          "shape");
    CHECK(strcmp(lsnn_task_metric(t), "recall error") == 0, "metric");
    CHECK(lsnn_task_test_count(t) == 50, "test count");
    lsnn_batch a = {0}, b = {0};
    CHECK(lsnn_task_train_batch(t, 5, 4, &a, &e) == 0, "batch: %s", e.msg);
    CHECK(lsnn_task_train_batch(t, 6, 4, &b, &e) == 0, "batch");
    CHECK(!same_batch(&a, &b), "iterations differ");
    CHECK(lsnn_task_train_batch(t, 5, 4, &b, &e) == 0, "batch");
    CHECK(same_batch(&a, &b), "same iteration, same batch");
    /* a second task object from the same spec gives the same batch */
    lsnn_task *t2 = NULL;
    CHECK(lsnn_task_open(&spec, &t2, &e) == 0, "open 2");
    CHECK(t2 && lsnn_task_train_batch(t2, 5, 4, &b, &e) == 0 && same_batch(&a, &b),
          "same spec, same batch");
    spec.seed = 78;
    lsnn_task_close(t2);
    CHECK(lsnn_task_open(&spec, &t2, &e) == 0, "open 3");
    CHECK(t2 && lsnn_task_train_batch(t2, 5, 4, &b, &e) == 0 && !same_batch(&a, &b),
          "another seed, another batch");
    lsnn_task_close(t2);

    /* test sequences do not depend on how they are batched */
    CHECK(lsnn_task_test_batch(t, 0, 10, &a, &e) == 0, "test batch");
    CHECK(lsnn_task_test_batch(t, 3, 3, &b, &e) == 0, "test batch 3..5");
    for (int s = 0; s < 3; s++)
        CHECK(same_sequence(&a, 3 + s, &b, s), "test sequence %d", 3 + s);
    CHECK(!same_sequence(&a, 3, &a, 4), "test sequences differ");
    CHECK(lsnn_task_test_batch(t, 45, 10, &b, &e) == 0 && b.n_seq == 5, "cut at the end");
    CHECK(lsnn_task_test_batch(t, 50, 1, &b, &e) == -1 && strstr(e.msg, "out of range"),
          "past the end: %s", e.msg);
    CHECK(lsnn_task_train_batch(t, -1, 1, &b, &e) == -1, "negative iteration");
    lsnn_batch_free(&a);
    lsnn_batch_free(&b);
    lsnn_task_close(t);
}

/* Tutorial configuration: every sequence valid, labels from the spikes, Poisson rate. */
static void test_validity_and_rate(void)
{
    lsnn_spec spec = sr_spec(2, 25, 200, 12, 50, 6);
    const lsnn_store_recall_spec *sr = &spec.store_recall;
    lsnn_task *t = NULL;
    lsnn_error e = {{0}};
    CHECK(lsnn_task_open(&spec, &t, &e) == 0, "open: %s", e.msg);
    if (!t) return;
    lsnn_batch b = {0};
    static decoded d;
    long spikes = 0, trials = 0, min_count = 1L << 40, bad = 0, n_windows = 0;
    for (int it = 0; it < 8; it++) {
        CHECK(lsnn_task_train_batch(t, it, 32, &b, &e) == 0, "batch %d: %s", it, e.msg);
        n_windows += b.n_win;
        for (int s = 0; s < b.n_seq; s++) {
            decode(&b, s, sr, &d);
            bad += check_sequence(&d, &b, s, sr);
            for (int c = 0; c < sr->n_chars; c++)
                for (int g = 0; g < sr->values + 2; g++) {
                    long n = d.group_spikes[c][g];
                    if (n == 0) continue;
                    spikes += n;
                    trials += (long)sr->group_size * sr->char_ms;
                    if (n < min_count) min_count = n;
                }
        }
    }
    CHECK(bad == 0, "%ld failed validity/label checks over 256 sequences", bad);
    CHECK(n_windows >= 256, "at least one recall window per sequence (%ld)", n_windows);
    /* Each active (slot, group) is Binomial(5000, 0.05): mean 250, sd 15.4. Rate over all of
     * them: trials ~ 3.7e6 -> sd of the mean rate ~ 1.1e-4; allow 6 sd. A group activated by
     * mistake for a few steps would show up as a slot with far fewer than 250 spikes. */
    double rate = (double)spikes / (double)trials, sd = sqrt(0.05 * 0.95 / (double)trials);
    CHECK(fabs(rate - 0.05) < 6 * sd, "active rate %.5f vs 0.05 (sd %.2g)", rate, sd);
    CHECK(min_count > 150, "smallest active slot count %ld (mean 250, sd 15)", min_count);
    lsnn_batch_free(&b);
    lsnn_task_close(t);
}

/* ---- an independent port of the official generator (generate_input_with_prob +
 * validity_test), including its "last signal" that survives rejected attempts ---- */

static int ref_valid(const int *seq, int n, int store, int recall)
{
    int fs = -1, fr = -1, ls = -1, lr = -1, digit = 0;
    for (int i = 0; i < n; i++) {
        if (seq[i] == store) ls = i, fs = fs < 0 ? i : fs;
        if (seq[i] == recall) lr = i, fr = fr < 0 ? i : fr;
        digit |= seq[i] < store;
    }
    if (fs < 0 || fr < 0 || !digit || fr < fs || lr < ls) return 0;
    for (int i = 0; i < n; i++)
        if (seq[i] == store && (i == n - 1 || seq[i + 1] >= store)) return 0;
    for (int i = 0, prev = -1; i < n; i++) /* alternation */
        if (seq[i] >= store) {
            if (prev == seq[i]) return 0;
            prev = seq[i];
        }
    return 1;
}

static void ref_generate(lsnn_rng *r, int n, int values, double p, int *last_signal, int *seq)
{
    const int store = values, recall = values + 1;
    do {
        for (int c = 0; c < n; c++)
            seq[c] = (int)lsnn_rng_below(r, (uint32_t)values);
        for (int c = 0; c < n; c++) {
            double u = lsnn_rng_uniform(r);
            if (*last_signal == recall && u < p)
                seq[c] = store, *last_signal = store;
            else if (*last_signal == store && u < p)
                seq[c] = recall, *last_signal = recall;
        }
    } while (!ref_valid(seq, n, store, recall));
}

typedef struct {
    long n_seq;
    long store_at[MAX_CHARS], recall_at[MAX_CHARS];
    long pairs;
} char_stats;

static void check_proportion(long a, long na, long b, long nb, const char *what, int i)
{
    double pa = (double)a / na, pb = (double)b / nb, pool = (double)(a + b) / (na + nb);
    double sd = sqrt(pool * (1 - pool) * (1.0 / na + 1.0 / nb)) + 1e-9;
    CHECK(fabs(pa - pb) <= 5 * sd + 1e-12, "%s[%d]: task %.4f vs reference %.4f (sd %.4f)", what, i,
          pa, pb, sd);
}

/* Character-level statistics with rate 1000 Hz (p = 1: decoding is exact) and 1 channel per
 * group; `values` = 2 and 3. */
static void test_statistics(int values, int n_chars, int seq_delay)
{
    lsnn_spec spec = sr_spec(values, 1, 2, n_chars, 1000, seq_delay);
    const lsnn_store_recall_spec *sr = &spec.store_recall;
    lsnn_task *t = NULL;
    lsnn_error e = {{0}};
    CHECK(lsnn_task_open(&spec, &t, &e) == 0, "open: %s", e.msg);
    if (!t) return;
    lsnn_batch b = {0};
    static decoded d;
    char_stats task = {0}, ref = {0};
    long bad = 0, after_store = 0, changed = 0, plain = 0, plain_zero = 0;
    long label_count[16] = {0}, windows = 0, changed_to[16] = {0};
    for (int it = 0; it < 40; it++) {
        CHECK(lsnn_task_train_batch(t, it, 500, &b, &e) == 0, "batch: %s", e.msg);
        for (int s = 0; s < b.n_seq; s++) {
            decode(&b, s, sr, &d);
            bad += check_sequence(&d, &b, s, sr);
            /* p = 1: an active group fires on every step of the slot */
            for (int c = 0; c < n_chars; c++)
                for (int g = 0; g < values + 2; g++)
                    bad += d.group_spikes[c][g] != 0 && d.group_spikes[c][g] != sr->char_ms;
            task.n_seq++;
            for (int c = 0; c < n_chars; c++) {
                task.store_at[c] += d.store[c];
                task.recall_at[c] += d.recall[c];
                task.pairs += d.recall[c];
                if (c > 0 && d.store[c - 1]) {
                    after_store++;
                    changed += d.kind[c] != d.kind[c - 1];
                    if (d.kind[c] != d.kind[c - 1])
                        changed_to[(d.kind[c] - d.kind[c - 1] + values) % values]++;
                } else if (!d.store[c] && !d.recall[c]) {
                    plain++;
                    plain_zero += d.kind[c] == 0;
                }
            }
        }
        for (int w = 0; w < b.n_win; w++)
            label_count[b.win[w].label]++, windows++;
    }
    CHECK(bad == 0, "values %d: %ld failed checks over %ld sequences", values, bad, task.n_seq);

    lsnn_rng r = lsnn_rng_derive(99, 12345, (uint64_t)values);
    int seq[MAX_CHARS], last = values + 1;
    double p = 1.0 / (1 + seq_delay);
    for (ref.n_seq = 0; ref.n_seq < 40000; ref.n_seq++) {
        ref_generate(&r, n_chars, values, p, &last, seq);
        for (int c = 0; c < n_chars; c++) {
            ref.store_at[c] += seq[c] == values;
            ref.recall_at[c] += seq[c] == values + 1;
            ref.pairs += seq[c] == values + 1;
        }
    }
    for (int c = 0; c < n_chars; c++) {
        check_proportion(task.store_at[c], task.n_seq, ref.store_at[c], ref.n_seq, "store at", c);
        check_proportion(task.recall_at[c], task.n_seq, ref.recall_at[c], ref.n_seq, "recall at",
                         c);
    }
    double mt = (double)task.pairs / task.n_seq, mr = (double)ref.pairs / ref.n_seq;
    CHECK(fabs(mt - mr) < 0.03 * mr, "pairs per sequence: task %.4f vs reference %.4f", mt, mr);
    /* the distractor: the slot after a store shows another value with probability 1/2 */
    double pc = (double)changed / after_store, sd = sqrt(0.25 / after_store);
    CHECK(fabs(pc - 0.5) < 5 * sd, "distractor change rate %.4f (n %ld)", pc, after_store);
    for (int k = 1; k < values; k++) {
        double q = (double)changed_to[k] / changed, want = 1.0 / (values - 1);
        CHECK(fabs(q - want) < 5 * sqrt(want * (1 - want) / changed) + 1e-12,
              "changed by +%d: %.4f vs %.4f", k, q, want);
    }
    /* plain values and labels are uniform */
    double pz = (double)plain_zero / plain;
    CHECK(fabs(pz - 1.0 / values) < 5 * sqrt(1.0 / values / plain), "value 0 share %.4f", pz);
    for (int v = 0; v < values; v++) {
        double q = (double)label_count[v] / windows;
        CHECK(fabs(q - 1.0 / values) < 5 * sqrt(1.0 / values / windows), "label %d share %.4f", v,
              q);
    }
    lsnn_batch_free(&b);
    lsnn_task_close(t);
}

static void test_bad_specs(void)
{
    lsnn_task *t = NULL;
    lsnn_error e = {{0}};
    lsnn_spec spec = sr_spec(2, 25, 200, 2, 50, 6);
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "n_chars = 2"), "%s", e.msg);
    spec = sr_spec(2, 25, 200, 3, 50, 1000);
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "seq_delay = 1000"), "%s", e.msg);
    spec = sr_spec(2, 25, 200, 12, 50, 6);
    spec.n_in = 80;
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "n_in = 80"), "%s", e.msg);
    spec = sr_spec(2, 25, 200, 12, 50, 6);
    spec.n_out = 3;
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "n_out = 3"), "%s", e.msg);
    spec = sr_spec(1, 25, 200, 12, 50, 6);
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "values"), "%s", e.msg);
    spec = sr_spec(2, 25, 200, 12, 0, 6);
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "rate_hz"), "%s", e.msg);
    CHECK(t == NULL, "no task on failure");
    /* seq_delay 0: a RECALL always directly follows its STORE, nothing is ever valid */
    spec = sr_spec(2, 1, 1, 12, 1000, 0);
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "fraction 0 "), "%s", e.msg);
    /* the smallest valid configuration: store, value, recall in 3 slots */
    spec = sr_spec(2, 1, 1, 3, 1000, 1);
    CHECK(lsnn_task_open(&spec, &t, &e) == 0, "n_chars 3, seq_delay 1: %s", e.msg);
    lsnn_batch b = {0};
    CHECK(t && lsnn_task_train_batch(t, 0, 4, &b, &e) == 0, "batch: %s", e.msg);
    for (int s = 0; t && s < 4; s++) {
        size_t c = (size_t)s * 3;
        /* slot 0: value v (channel v) + STORE (2); slot 1: a value; slot 2: RECALL (3) */
        int ok = b.in_ptr[c + 1] - b.in_ptr[c] == 2 && b.in_idx[b.in_ptr[c] + 1] == 2 &&
                 b.in_ptr[c + 2] - b.in_ptr[c + 1] == 1 && b.in_idx[b.in_ptr[c + 1]] < 2 &&
                 b.in_ptr[c + 3] - b.in_ptr[c + 2] == 1 && b.in_idx[b.in_ptr[c + 2]] == 3;
        CHECK(ok, "sequence %d is STORE, value, RECALL", s);
        CHECK(b.win[s].start == 2 && b.win[s].end == 3 && b.win[s].label == b.in_idx[b.in_ptr[c]],
              "label = value shown with the store");
    }
    lsnn_batch_free(&b);
    lsnn_task_close(t);
}

int main(void)
{
    test_determinism();
    test_validity_and_rate();
    test_statistics(2, 12, 6);
    test_statistics(3, 10, 2);
    test_bad_specs();
    return check_report();
}
