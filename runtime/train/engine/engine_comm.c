/* engine_comm.c - a batch split over ranks (comm.h): the gathers after the forward and the
 * backward phase.
 *
 * Rank r runs the chunks [c0_r, c1_r) of the batch (lsnn_comm_chunks). One process adds the
 * per-chunk spike counts and gradients in chunk order (engine.c); here every rank receives
 * every chunk's contribution and adds them in that same order, so that each rank ends with
 * the bits one process computes. A window's logit sum comes from one chunk (the chunk of its
 * sequence), so it is copied, not added. */
#include <stdlib.h>
#include <string.h>

#include "comm.h"
#include "engine_internal.h"

/* rank_of[c]: the rank that runs chunk c of n_all. */
static void chunk_owners(const lsnn_comm *comm, int n_all, int *rank_of)
{
    for (int r = 0; r < comm->size; r++) {
        int c0, c1;
        lsnn_comm_chunks(comm, r, n_all, &c0, &c1);
        for (int c = c0; c < c1; c++)
            rank_of[c] = r;
    }
}

int LSNN_FN(lsnn_comm_forward)(const lsnn_comm *comm, const lsnn_chunk *chunks, int n_all,
                               const lsnn_batch *batch, int N, int C, double *logit_sum,
                               double *counts_all)
{
    int R = comm->size, W = batch->n_win, me = comm->rank, rc = -1;
    int *rank_of = malloc(sizeof(int) * ((size_t)n_all + 1));
    size_t *bytes = calloc((size_t)R, sizeof(size_t));
    double *send = NULL, *recv = NULL;
    if (!rank_of || !bytes) goto out;
    chunk_owners(comm, n_all, rank_of);
    /* block r: the counts of r's chunks, then the logit sums of r's windows (window order) */
    for (int r = 0; r < R; r++) {
        int c0, c1;
        lsnn_comm_chunks(comm, r, n_all, &c0, &c1);
        bytes[r] = sizeof(double) * (size_t)(c1 - c0) * N;
    }
    for (int w = 0; w < W; w++)
        bytes[rank_of[batch->win[w].seq / BC]] += sizeof(double) * C;
    size_t total = 0;
    for (int r = 0; r < R; r++)
        total += bytes[r];
    send = malloc(bytes[me] + sizeof(double));
    recv = malloc(total + sizeof(double));
    if (!send || !recv) goto out;
    int c0, c1;
    lsnn_comm_chunks(comm, me, n_all, &c0, &c1);
    double *p = send;
    for (int c = 0; c < c1 - c0; c++, p += N)
        memcpy(p, chunks[c].count, sizeof(double) * N);
    for (int w = 0; w < W; w++)
        if (rank_of[batch->win[w].seq / BC] == me) {
            memcpy(p, logit_sum + (size_t)w * C, sizeof(double) * C);
            p += C;
        }
    if (comm->allgatherv(comm, send, recv, bytes)) goto out;
    /* the blocks in rank order: counts in global chunk order, then each rank's windows */
    const double *q = recv;
    for (int r = 0; r < R; r++) {
        lsnn_comm_chunks(comm, r, n_all, &c0, &c1);
        memcpy(counts_all + (size_t)c0 * N, q, sizeof(double) * (size_t)(c1 - c0) * N);
        q += (size_t)(c1 - c0) * N;
        for (int w = 0; w < W; w++)
            if (rank_of[batch->win[w].seq / BC] == r) {
                memcpy(logit_sum + (size_t)w * C, q, sizeof(double) * C);
                q += C;
            }
    }
    rc = 0;
out:
    free(rank_of);
    free(bytes);
    free(send);
    free(recv);
    return rc;
}

/* The reals of one chunk's packed gradient: w_out, b_out, then the w_in and w_rec entries of
 * the gradient layout (gin, grec) in their delay-sorted order. */
static size_t packed_len(const lsnn_net *net, const lsnn_sorted *gin, const lsnn_sorted *grec)
{
    return (size_t)net->n_rec * net->n_out + net->n_out + (size_t)gin->nnz + (size_t)grec->nnz;
}

static real *pack_sorted(real *p, const lsnn_sorted *s, const real *g)
{
    for (int row = 0; row < s->rows; row++) {
        const uint32_t *off = s->off + (size_t)row * (s->D + 1);
        size_t n = off[s->D] - off[0];
        memcpy(p, g + (size_t)row * s->n + off[0], sizeof(real) * n);
        p += n;
    }
    return p;
}

int LSNN_FN(lsnn_comm_sum_grads)(const lsnn_comm *comm, const lsnn_chunk *chunks, int n_all,
                                 const lsnn_net *net, const lsnn_sorted *gin,
                                 const lsnn_sorted *grec, real **buf, size_t *cap, lsnn_grads *out)
{
    int R = comm->size, me = comm->rank, c0, c1;
    size_t G = packed_len(net, gin, grec), n_out = (size_t)net->n_rec * net->n_out;
    size_t *bytes = calloc((size_t)R, sizeof(size_t));
    if (!bytes) return -1;
    for (int r = 0; r < R; r++) {
        lsnn_comm_chunks(comm, r, n_all, &c0, &c1);
        bytes[r] = sizeof(real) * G * (size_t)(c1 - c0);
    }
    lsnn_comm_chunks(comm, me, n_all, &c0, &c1);
    /* this rank's packed chunks, then room for all of them */
    size_t need = G * (size_t)(c1 - c0) + G * (size_t)n_all + 1;
    if (need > *cap) {
        real *b = realloc(*buf, sizeof(real) * need);
        if (!b) {
            free(bytes);
            return -1;
        }
        *buf = b;
        *cap = need;
    }
    real *send = *buf, *all = *buf + G * (size_t)(c1 - c0);
    for (int c = 0; c < c1 - c0; c++) {
        const lsnn_grads *g = &chunks[c].grads;
        real *p = send + G * (size_t)c;
        memcpy(p, g->w_out, sizeof(real) * n_out);
        memcpy(p + n_out, g->b_out, sizeof(real) * net->n_out);
        p = pack_sorted(p + n_out + net->n_out, gin, g->w_in);
        pack_sorted(p, grec, g->w_rec);
    }
    int rc = comm->allgatherv(comm, send, all, bytes);
    free(bytes);
    if (rc) return -1;

    /* the sums of engine.c's sum_grads, term by term: 0 + chunk 0 + chunk 1 + ... */
    for (size_t k = 0; k < n_out + net->n_out; k++) {
        real sum = 0;
        for (int c = 0; c < n_all; c++)
            sum += all[G * (size_t)c + k];
        if (k < n_out)
            out->w_out[k] = sum;
        else
            out->b_out[k - n_out] = sum;
    }
    size_t j = n_out + net->n_out; /* packed index of the entry */
    const lsnn_sorted *so[2] = {gin, grec};
    real *dst[2] = {out->w_in, out->w_rec};
    size_t n[2] = {(size_t)net->n_in * net->n_rec, (size_t)net->n_rec * net->n_rec};
    for (int a = 0; a < 2; a++) {
        const lsnn_sorted *s = so[a];
        memset(dst[a], 0, n[a] * sizeof(real));
        for (int row = 0; row < s->rows; row++) {
            const uint32_t *off = s->off + (size_t)row * (s->D + 1);
            for (size_t k = (size_t)row * s->n + off[0]; k < (size_t)row * s->n + off[s->D];
                 k++, j++) {
                real sum = 0;
                for (int c = 0; c < n_all; c++)
                    sum += all[G * (size_t)c + j];
                dst[a][(size_t)row * net->n_rec + s->idx[k]] = sum;
            }
        }
    }
    for (int i = 0; i < net->n_rec; i++)
        out->w_rec[(size_t)i * net->n_rec + i] = 0;
    return 0;
}
