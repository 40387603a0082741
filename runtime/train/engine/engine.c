/* engine.c - runs a batch: chunks over threads, losses, deterministic gradient reduction. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "engine_internal.h"
#include "parallel.h"

/* The portable float engine hands every call to the AVX-512 flavour where the CPU has it
 * (engine_internal.h); that flavour, the double engine and -march builds that have AVX-512 run
 * themselves. */
#if defined(LSNN_ENGINE_AVX512_BUILT) && !defined(LSNN_REAL_DOUBLE) &&                             \
    !defined(LSNN_ENGINE_FLAVOUR_AVX512) && !defined(__AVX512F__)
#define DISPATCH 1
#include <stdio.h>
#else
#define DISPATCH 0
#endif

struct lsnn_engine {
    void *isa; /* the AVX-512 flavour's engine doing the work, or NULL */
    int n_threads;
    int n_chunks;
    lsnn_chunk *chunks;
    lsnn_sorted sin, srec; /* delay-sorted nonzero rows of the current run's net */
    lsnn_sorted gin, grec; /* the gradient layout: all entries, or (grad_active_only) the
                              nonzero ones, as sin/srec */
    const lsnn_comm *comm; /* a batch split over ranks (engine_comm.c), or NULL */
    int c0, n_all;         /* chunks[k] is chunk c0 + k of the batch's n_all */
    real *comm_buf;        /* the gradient gather's buffer */
    size_t comm_cap;
    lsnn_loss_fn loss; /* a custom loss (lsnn_engine_set_loss), or NULL */
    void *loss_ctx;
};

#if DISPATCH
/* 1: use the AVX-512 flavour. LSNN_ENGINE_ISA=baseline keeps the portable code (for
 * comparisons), avx512 insists (an error message where the CPU lacks it), auto decides. */
static int want_avx512(void)
{
    const char *want = getenv("LSNN_ENGINE_ISA");
    __builtin_cpu_init();
    int have = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512cd");
    if (want && strcmp(want, "baseline") == 0) return 0;
    if (want && strcmp(want, "avx512") == 0 && !have) {
        static int told;
        if (!told++)
            fprintf(stderr, "lsnn: LSNN_ENGINE_ISA=avx512, but this CPU lacks AVX-512; the "
                            "engine runs its x86-64 baseline code\n");
    }
    return have;
}
#endif

lsnn_engine *LSNN_FN(lsnn_engine_new)(int n_threads)
{
    lsnn_engine *en = calloc(1, sizeof *en);
    if (!en) return NULL;
    en->n_threads = n_threads < 1 ? 1 : n_threads;
#if DISPATCH
    if (want_avx512() && !(en->isa = lsnn_isa_avx512_new(n_threads))) {
        free(en);
        return NULL;
    }
#endif
    return en;
}

const char *LSNN_FN(lsnn_engine_isa)(const lsnn_engine *en)
{
#if DISPATCH
    if (en->isa) return "x86-64-v4 (AVX-512)";
#endif
    (void)en;
#if defined(LSNN_NATIVE)
    return "native (-march=native)";
#elif defined(__AVX512F__)
    return "x86-64-v4 (AVX-512)";
#elif defined(__x86_64__)
    return "x86-64 (SSE2)";
#else
    return "generic";
#endif
}

void LSNN_FN(lsnn_engine_free)(lsnn_engine *en)
{
    if (!en) return;
#if DISPATCH
    if (en->isa) lsnn_isa_avx512_free(en->isa);
#endif
    for (int c = 0; c < en->n_chunks; c++)
        LSNN_FN(lsnn_chunk_release)(&en->chunks[c]);
    free(en->chunks);
    LSNN_FN(lsnn_sorted_free)(&en->sin);
    LSNN_FN(lsnn_sorted_free)(&en->srec);
    LSNN_FN(lsnn_sorted_free)(&en->gin);
    LSNN_FN(lsnn_sorted_free)(&en->grec);
    free(en->comm_buf);
    free(en);
}

void LSNN_FN(lsnn_engine_set_comm)(lsnn_engine *en, const lsnn_comm *comm)
{
#if DISPATCH
    if (en->isa) lsnn_isa_avx512_set_comm(en->isa, comm);
#endif
    en->comm = lsnn_comm_parallel(comm) ? comm : NULL;
}

void LSNN_FN(lsnn_engine_set_loss)(lsnn_engine *en, lsnn_loss_fn fn, void *ctx)
{
#if DISPATCH
    if (en->isa) lsnn_isa_avx512_set_loss(en->isa, fn, ctx);
#endif
    en->loss = fn;
    en->loss_ctx = ctx;
}

typedef struct {
    lsnn_engine *en;
    const lsnn_net *net;
    const lsnn_batch *batch;
    int backward;
    double *logit_sum;
    const double *glogit;
    const real *greg;
} job;

/* Thread tid's share of a phase (lsnn_parallel): chunks tid, tid + n, ... */
static void work(void *ctx, int tid)
{
    const job *j = ctx;
    for (int c = tid; c < j->en->n_chunks; c += j->en->n_threads) {
        lsnn_chunk *ch = &j->en->chunks[c];
        if (j->backward)
            LSNN_FN(lsnn_backward_chunk)(j->net, j->batch, ch, j->glogit, j->greg);
        else
            LSNN_FN(lsnn_forward_chunk)(j->net, j->batch, ch, j->logit_sum);
    }
}

/* Runs one phase on all chunks (none on a rank without chunks: engine_comm.c). */
static void run_phase(job *proto)
{
    int n = proto->en->n_threads;
    if (n > proto->en->n_chunks) n = proto->en->n_chunks;
    lsnn_parallel(n, work, proto);
}

static int reserve_chunks(lsnn_engine *en, const lsnn_net *net, const lsnn_batch *batch, int store)
{
    int c1;
    en->n_all = (batch->n_seq + BC - 1) / BC;
    lsnn_comm_chunks(en->comm, en->comm ? en->comm->rank : 0, en->n_all, &en->c0, &c1);
    int need = c1 - en->c0;
    if (need > en->n_chunks) {
        lsnn_chunk *c = realloc(en->chunks, sizeof *c * need);
        if (!c) return -1;
        memset(c + en->n_chunks, 0, sizeof *c * (need - en->n_chunks));
        en->chunks = c;
    } else {
        for (int k = need; k < en->n_chunks; k++)
            LSNN_FN(lsnn_chunk_release)(&en->chunks[k]);
    }
    en->n_chunks = need;
    for (int k = 0; k < need; k++) {
        lsnn_chunk *c = &en->chunks[k];
        if (LSNN_FN(lsnn_chunk_reserve)(c, net, batch->n_steps, store)) return -1;
        c->seq0 = (en->c0 + k) * BC;
        c->sin = &en->sin;
        c->srec = &en->srec;
        c->gin = &en->gin;
        c->grec = &en->grec;
        c->lanes = batch->n_seq - c->seq0 < BC ? batch->n_seq - c->seq0 : BC;
    }
    return 0;
}

/* Sums chunk gradients in chunk order; w_in and w_rec come delay-sorted and are put back
 * into row-major order through the sort's index. */
static void sum_grads(const lsnn_engine *en, const lsnn_net *net, lsnn_grads *out)
{
    size_t n_in = (size_t)net->n_in * net->n_rec, n_rec = (size_t)net->n_rec * net->n_rec;
    size_t n_out = (size_t)net->n_rec * net->n_out;
    real *tmp_in = out->w_in, *tmp_rec = out->w_rec;
    memset(out->w_out, 0, n_out * sizeof(real));
    memset(out->b_out, 0, net->n_out * sizeof(real));
    for (int c = 0; c < en->n_chunks; c++) {
        const lsnn_grads *g = &en->chunks[c].grads;
        for (size_t k = 0; k < n_out; k++)
            out->w_out[k] += g->w_out[k];
        for (int k = 0; k < net->n_out; k++)
            out->b_out[k] += g->b_out[k];
    }
    const lsnn_sorted *so[2] = {&en->gin, &en->grec};
    real *dst[2] = {tmp_in, tmp_rec};
    size_t n[2] = {n_in, n_rec};
    for (int a = 0; a < 2; a++) {
        /* row r's entries are r*n + off[r][0] .. r*n + off[r][D]: all n of them, or only the
         * nonzero ones (the others stay 0) */
        const lsnn_sorted *s = so[a];
        memset(dst[a], 0, n[a] * sizeof(real));
        for (int row = 0; row < s->rows; row++) {
            const uint32_t *off = s->off + (size_t)row * (s->D + 1);
            for (size_t k = (size_t)row * s->n + off[0]; k < (size_t)row * s->n + off[s->D]; k++) {
                real sum = 0;
                for (int c = 0; c < en->n_chunks; c++) {
                    const lsnn_grads *g = &en->chunks[c].grads;
                    sum += (a ? g->w_rec : g->w_in)[k];
                }
                dst[a][(size_t)row * net->n_rec + s->idx[k]] = sum;
            }
        }
    }
    for (int i = 0; i < net->n_rec; i++)
        out->w_rec[(size_t)i * net->n_rec + i] = 0;
}

int LSNN_FN(lsnn_engine_run)(lsnn_engine *en, const lsnn_net *net, const lsnn_batch *batch,
                             lsnn_grads *grads, lsnn_result *res, real *logits_out, double *rates)
{
#if DISPATCH
    if (en->isa) return lsnn_isa_avx512_run(en->isa, net, batch, grads, res, logits_out, rates);
#endif
    int C = net->n_out, N = net->n_rec, W = batch->n_win;
    lsnn_flush_denormals();
    int sparse = !net->dense_exec, D = net->n_delay;
    if (LSNN_FN(lsnn_sorted_build)(&en->sin, net->w_in, net->d_in, net->n_in, N, D, sparse) ||
        LSNN_FN(lsnn_sorted_build)(&en->srec, net->w_rec, net->d_rec, N, N, D, sparse) ||
        (grads && (LSNN_FN(lsnn_sorted_build)(&en->gin, net->w_in, net->d_in, net->n_in, N, D,
                                              net->grad_active_only) ||
                   LSNN_FN(lsnn_sorted_build)(&en->grec, net->w_rec, net->d_rec, N, N, D,
                                              net->grad_active_only))) ||
        reserve_chunks(en, net, batch, grads != NULL))
        return -1;
    double *logit_sum = calloc((size_t)W * C + 1, sizeof(double));
    double *logits = calloc((size_t)W * C + 1, sizeof(double));
    double *glogit = calloc((size_t)W * C + 1, sizeof(double));
    real *greg = calloc(N, sizeof(real));
    /* split over ranks: every chunk's counts, gathered (else read from the chunks) */
    double *counts_all = en->comm ? calloc((size_t)en->n_all * N + 1, sizeof(double)) : NULL;
    int rc = -1;
    if (!logit_sum || !logits || !glogit || !greg || (en->comm && !counts_all)) goto out;

    job j = {.en = en, .net = net, .batch = batch, .logit_sum = logit_sum};
    run_phase(&j);
    if (en->comm && LSNN_FN(lsnn_comm_forward)(en->comm, en->chunks, en->n_all, batch, N, C,
                                               logit_sum, counts_all))
        goto out;

    /* firing rates (spikes per step) in chunk order, and the regulariser */
    double steps = (double)batch->n_seq * batch->n_steps, reg = 0, total = 0;
    for (int i = 0; i < N; i++) {
        double cnt = 0;
        for (int c = 0; c < en->n_all; c++)
            cnt += counts_all ? counts_all[(size_t)c * N + i] : en->chunks[c].count[i];
        double r = cnt / steps, dr = r - net->reg_target;
        if (rates) rates[i] = r;
        total += cnt;
        reg += net->reg_rate * dr * dr;
        greg[i] = (real)(2 * net->reg_rate * dr / steps);
    }
    for (int w = 0; w < W; w++)
        for (int o = 0; o < C; o++)
            logits[(size_t)w * C + o] =
                logit_sum[(size_t)w * C + o] / (batch->win[w].end - batch->win[w].start);
    lsnn_loss_fn loss = en->loss                       ? en->loss
                        : batch->loss == LSNN_LOSS_MSE ? lsnn_loss_mse
                                                       : lsnn_loss_cross_entropy;
    int correct = 0;
    double ce = loss(en->loss_ctx, batch, C, logits, glogit, &correct);
    if (logits_out)
        for (size_t k = 0; k < (size_t)W * C; k++)
            logits_out[k] = (real)logits[k];
    if (res) {
        res->loss_task = ce;
        res->loss_reg = reg;
        res->loss = ce + reg;
        res->n_win = W;
        res->n_correct = correct;
        res->mean_rate = total / (steps * N);
        res->spikes_per_seq = total / batch->n_seq;
    }
    if (grads) {
        j.backward = 1;
        j.glogit = glogit;
        j.greg = greg;
        run_phase(&j);
        if (!en->comm)
            sum_grads(en, net, grads);
        else if (LSNN_FN(lsnn_comm_sum_grads)(en->comm, en->chunks, en->n_all, net, &en->gin,
                                              &en->grec, &en->comm_buf, &en->comm_cap, grads))
            goto out;
    }
    rc = 0;
out:
    free(logit_sum);
    free(logits);
    free(glogit);
    free(greg);
    free(counts_all);
    return rc;
}

void LSNN_FN(lsnn_engine_state)(const lsnn_engine *en, int s, int t, int i, real *v, real *b,
                                real *z)
{
#if DISPATCH
    if (en->isa) {
        lsnn_isa_avx512_state(en->isa, s, t, i, v, b, z);
        return;
    }
#endif
    const lsnn_chunk *c = &en->chunks[s / BC - en->c0];
    int l = s % BC, k = c->adapt[i];
    step_rows r = rows_at(c, t);
    *v = r.v[(size_t)i * BC + l];
    *b = k >= 0 ? r.b[(size_t)k * BC + l] : 0;
    *z = c->smooth ? r.z[(size_t)i * BC + l] : (real)(r.zbits[i] >> l & 1);
}
