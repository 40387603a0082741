/* test_engine_threads.c - engine results are bit-identical for any thread count and batch
 * composition: grads, logits, rates and losses with 1/2/3/8 threads; forward-only equals the
 * forward part of a training run; a sequence's logits do not depend on its chunk mates. */
#include <math.h>

#include "batch.h"
#include "check.h"
#include "engine.h"
#include "rng.h"

#define N_IN    30
#define N_REC   40
#define N_OUT   3
#define N_DELAY 5
#define N_SEQ   75 /* not a multiple of LSNN_CHUNK: the last chunk is padded */
#define N_STEPS 60

/* 20 LIF + 20 ALIF, refractory 2, 5 delay slots; weights strong enough to spike. */
static void build_net(lsnn_net *net, int prev_v)
{
    lsnn_net_alloc(net, N_IN, N_REC, N_OUT, N_DELAY);
    net->spike_from_prev_v = prev_v;
    net->gamma = 0.3f;
    net->kappa = (float)exp(-1.0 / 20);
    net->reg_rate = 0.5f;
    net->reg_target = 0.02f;
    lsnn_rng r = lsnn_rng_derive(2024, 1, (uint64_t)prev_v);
    for (int i = 0; i < N_REC; i++) {
        net->alpha[i] = (float)exp(-1.0 / (10 + i % 7));
        int alif = i >= N_REC / 2;
        net->rho[i] = alif ? (float)exp(-1.0 / (50 + i)) : 0;
        net->beta[i] = alif ? 1.7f : 0;
        net->b0[i] = 0.03f;
        net->n_ref[i] = 2;
    }
    for (int k = 0; k < N_IN * N_REC; k++) {
        net->w_in[k] = (float)(0.15 + 0.5 * lsnn_rng_normal(&r));
        net->d_in[k] = (uint8_t)lsnn_rng_below(&r, N_DELAY);
    }
    for (int i = 0; i < N_REC; i++)
        for (int j = 0; j < N_REC; j++) {
            net->w_rec[i * N_REC + j] = i == j ? 0 : (float)(0.2 * lsnn_rng_normal(&r));
            net->d_rec[i * N_REC + j] = (uint8_t)lsnn_rng_below(&r, N_DELAY);
        }
    for (int k = 0; k < N_REC * N_OUT; k++)
        net->w_out[k] = (float)lsnn_rng_normal(&r);
    for (int o = 0; o < N_OUT; o++)
        net->b_out[o] = 0.1f * (float)o;
}

/* Random Poisson inputs; each sequence has 1..3 windows with random labels. */
static void build_batch(lsnn_batch *b)
{
    lsnn_rng r = lsnn_rng_derive(99, 2, 0);
    lsnn_batch_reset(b, N_SEQ, N_STEPS, N_IN);
    for (int s = 0; s < N_SEQ; s++)
        for (int t = 0; t < N_STEPS; t++) {
            for (int ch = 0; ch < N_IN; ch++)
                if (lsnn_rng_uniform(&r) < 0.04 + 0.002 * (s % 10)) lsnn_batch_push(b, ch);
            lsnn_batch_end_cell(b);
        }
    for (int s = 0; s < N_SEQ; s++) {
        int n = 1 + (int)lsnn_rng_below(&r, 3);
        for (int w = 0; w < n; w++) {
            int start = 20 * w + (int)lsnn_rng_below(&r, 10);
            int len = 1 + (int)lsnn_rng_below(&r, 10);
            lsnn_batch_add_window(b, s, start, start + len, (int)lsnn_rng_below(&r, N_OUT));
        }
    }
}

/* A batch of the sequences order[0..n) of src (cells and windows copied); win_map[k] receives
 * the index in src of the new batch's window k. */
static void pick(const lsnn_batch *src, const int *order, int n, lsnn_batch *dst, int *win_map)
{
    lsnn_batch_reset(dst, n, src->n_steps, src->n_in);
    for (int s = 0; s < n; s++)
        for (int t = 0; t < src->n_steps; t++) {
            size_t c = (size_t)order[s] * src->n_steps + t;
            for (uint32_t k = src->in_ptr[c]; k < src->in_ptr[c + 1]; k++)
                lsnn_batch_push(dst, src->in_idx[k]);
            lsnn_batch_end_cell(dst);
        }
    for (int s = 0; s < n; s++)
        for (int w = 0; w < src->n_win; w++)
            if (src->win[w].seq == order[s]) {
                win_map[dst->n_win] = w;
                lsnn_batch_add_window(dst, s, src->win[w].start, src->win[w].end,
                                      src->win[w].label);
            }
}

typedef struct {
    lsnn_result res;
    lsnn_grads g;
    float *logits;
    double *rates;
} outcome;

static int run(lsnn_engine *en, const lsnn_net *net, const lsnn_batch *b, int with_grads,
               outcome *o)
{
    memset(o, 0, sizeof *o);
    o->logits = calloc((size_t)b->n_win * N_OUT + 1, sizeof(float));
    o->rates = calloc(N_REC, sizeof(double));
    if (with_grads) lsnn_grads_alloc(&o->g, net);
    /* poison the outputs: every entry must be written */
    for (int k = 0; k < b->n_win * N_OUT; k++)
        o->logits[k] = NAN;
    for (int k = 0; k < N_REC; k++)
        o->rates[k] = NAN;
    if (with_grads) {
        for (int k = 0; k < N_IN * N_REC; k++)
            o->g.w_in[k] = NAN;
        for (int k = 0; k < N_REC * N_REC; k++)
            o->g.w_rec[k] = NAN;
    }
    return lsnn_engine_run(en, net, b, with_grads ? &o->g : NULL, &o->res, o->logits, o->rates);
}

static void release(outcome *o)
{
    free(o->logits);
    free(o->rates);
    lsnn_grads_free(&o->g);
}

static int same_result(const lsnn_result *a, const lsnn_result *b)
{
    return !memcmp(&a->loss, &b->loss, 8) && !memcmp(&a->loss_task, &b->loss_task, 8) &&
           !memcmp(&a->loss_reg, &b->loss_reg, 8) && a->n_win == b->n_win &&
           a->n_correct == b->n_correct && !memcmp(&a->mean_rate, &b->mean_rate, 8) &&
           !memcmp(&a->spikes_per_seq, &b->spikes_per_seq, 8);
}

/* Compares two runs of the same batch bit for bit (grads if both have them). */
static void compare(const char *what, const outcome *a, const outcome *b, int n_win, int grads)
{
    CHECK(same_result(&a->res, &b->res), "%s: results differ: loss %.17g vs %.17g", what,
          a->res.loss, b->res.loss);
    CHECK(!memcmp(a->logits, b->logits, sizeof(float) * n_win * N_OUT), "%s: logits differ", what);
    CHECK(!memcmp(a->rates, b->rates, sizeof(double) * N_REC), "%s: rates differ", what);
    if (!grads) return;
    CHECK(!memcmp(a->g.w_in, b->g.w_in, sizeof(float) * N_IN * N_REC), "%s: dL/dw_in differs",
          what);
    CHECK(!memcmp(a->g.w_rec, b->g.w_rec, sizeof(float) * N_REC * N_REC), "%s: dL/dw_rec differs",
          what);
    CHECK(!memcmp(a->g.w_out, b->g.w_out, sizeof(float) * N_REC * N_OUT), "%s: dL/dw_out differs",
          what);
    CHECK(!memcmp(a->g.b_out, b->g.b_out, sizeof(float) * N_OUT), "%s: dL/db_out differs", what);
}

static int all_finite(const float *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!isfinite(p[k])) return 0;
    return 1;
}

static void test_mode(int prev_v)
{
    const char *mode = prev_v ? "prev_v" : "new_v";
    lsnn_net net;
    build_net(&net, prev_v);
    lsnn_batch b = {0};
    build_batch(&b);
    CHECK(lsnn_batch_check(&b, N_OUT) == 0, "batch is consistent");
    CHECK(N_SEQ % LSNN_CHUNK != 0, "the batch does not fill its last chunk");

    lsnn_engine *en1 = lsnn_engine_new(1);
    outcome ref;
    CHECK(run(en1, &net, &b, 1, &ref) == 0, "run with 1 thread");
    printf("%s: loss %.6f (ce %.6f reg %.6f), %d/%d correct, rate %.4f, %.1f spikes/seq\n", mode,
           ref.res.loss, ref.res.loss_task, ref.res.loss_reg, ref.res.n_correct, ref.res.n_win,
           ref.res.mean_rate, ref.res.spikes_per_seq);
    CHECK(ref.res.mean_rate > 0.005 && ref.res.mean_rate < 0.5,
          "%s: the net spikes at a useful rate (%.4f per step)", mode, ref.res.mean_rate);
    CHECK(ref.res.loss_reg > 0 && ref.res.n_win == b.n_win, "%s: regulariser on, all windows",
          mode);
    CHECK(all_finite(ref.logits, (size_t)b.n_win * N_OUT) && all_finite(ref.g.w_in, N_IN * N_REC) &&
              all_finite(ref.g.w_rec, N_REC * N_REC) && all_finite(ref.g.w_out, N_REC * N_OUT),
          "%s: every logit and gradient written and finite", mode);
    int nonzero = 0;
    for (int k = 0; k < N_REC * N_REC; k++)
        nonzero += ref.g.w_rec[k] != 0;
    CHECK(nonzero > N_REC * N_REC / 4, "%s: dL/dw_rec is not trivially zero (%d nonzero)", mode,
          nonzero);

    /* 2, 3 and 8 threads (8 > the 3 chunks) */
    int threads[] = {2, 3, 8};
    for (int k = 0; k < 3; k++) {
        lsnn_engine *en = lsnn_engine_new(threads[k]);
        outcome o;
        char what[64];
        snprintf(what, sizeof what, "%s, %d threads vs 1", mode, threads[k]);
        CHECK(run(en, &net, &b, 1, &o) == 0, "%s: run", what);
        compare(what, &ref, &o, b.n_win, 1);
        release(&o);
        /* forward only on the same engine (its chunks are re-reserved without history) */
        snprintf(what, sizeof what, "%s, forward only, %d threads", mode, threads[k]);
        CHECK(run(en, &net, &b, 0, &o) == 0, "%s: run", what);
        compare(what, &ref, &o, b.n_win, 0);
        release(&o);
        lsnn_engine_free(en);
    }

    /* engine reuse: a run on another batch in between must leave no trace */
    {
        int order[5] = {3, 1, 4, 1, 5}, map[16];
        lsnn_batch small = {0};
        pick(&b, order, 5, &small, map);
        outcome o;
        CHECK(run(en1, &net, &small, 1, &o) == 0, "small batch");
        release(&o);
        CHECK(run(en1, &net, &b, 1, &o) == 0, "rerun");
        compare("reused engine", &ref, &o, b.n_win, 1);
        release(&o);
        lsnn_batch_free(&small);
    }

    /* a sequence's logits do not depend on its chunk mates or its lane: each sequence alone,
     * and the whole batch in reverse order (every sequence changes lane and chunk) */
    /* first/last lanes of each chunk (LSNN_CHUNK 32: chunks 0..31, 32..63, 64..74) */
    const int alone[] = {0, 1, 17, 30, 31, 32, 33, 50, 63, 64, 65, 70, 74};
    int bad_alone = 0, tried = 0;
    for (size_t a = 0; a < sizeof alone / sizeof alone[0]; a++) {
        int s = alone[a], order[1] = {s}, map[8];
        lsnn_batch one = {0};
        pick(&b, order, 1, &one, map);
        outcome o;
        CHECK(run(en1, &net, &one, s % 2, &o) == 0, "sequence %d alone", s);
        int same = 1;
        for (int w = 0; w < one.n_win; w++)
            same &=
                !memcmp(o.logits + w * N_OUT, ref.logits + map[w] * N_OUT, sizeof(float) * N_OUT);
        bad_alone += !same;
        tried++;
        if (!same) fprintf(stderr, "%s: sequence %d alone gives other logits\n", mode, s);
        release(&o);
        lsnn_batch_free(&one);
    }
    CHECK(bad_alone == 0, "%s: %d of %d sequences run alone differ from the batch", mode, bad_alone,
          tried);
    {
        int order[N_SEQ], map[N_SEQ * 3];
        for (int s = 0; s < N_SEQ; s++)
            order[s] = N_SEQ - 1 - s;
        lsnn_batch rev = {0};
        pick(&b, order, N_SEQ, &rev, map);
        lsnn_engine *en2 = lsnn_engine_new(2);
        outcome o;
        CHECK(run(en2, &net, &rev, 1, &o) == 0, "reversed batch");
        int bad = 0;
        for (int w = 0; w < rev.n_win; w++)
            bad += memcmp(o.logits + w * N_OUT, ref.logits + map[w] * N_OUT,
                          sizeof(float) * N_OUT) != 0;
        CHECK(bad == 0, "%s: reversed batch: %d of %d windows have other logits", mode, bad,
              rev.n_win);
        CHECK(o.res.n_correct == ref.res.n_correct &&
                  o.res.spikes_per_seq == ref.res.spikes_per_seq,
              "%s: reversed batch: same correct count and spike total", mode);
        release(&o);
        lsnn_engine_free(en2);
        lsnn_batch_free(&rev);
    }

    release(&ref);
    lsnn_engine_free(en1);
    lsnn_batch_free(&b);
    lsnn_net_free(&net);
}

int main(void)
{
    test_mode(0);
    test_mode(1);
    return check_report();
}
