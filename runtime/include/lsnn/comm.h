/* comm.h - the communicator of data-parallel training: R processes (ranks), one batch.
 *
 * The runtime knows no message-passing library: a program that runs several ranks (the lsnn
 * CLI under mpirun, tools/mpi_comm.c) hands the engine and the training loop an lsnn_comm
 * whose allgatherv moves the bytes; NULL, or size 1, means one process. docs/training.md
 * ("Data-parallel training") has the design.
 *
 * Ranks own contiguous ranges of a batch's chunks (LSNN_CHUNK sequences each), and every
 * reduction adds per-chunk contributions in global chunk order, on every rank, so R ranks
 * give the bits of one process running the whole batch. */
#ifndef LSNN_COMM_H
#define LSNN_COMM_H

#include <stddef.h>

typedef struct lsnn_comm lsnn_comm;
struct lsnn_comm {
    int rank, size; /* 0 <= rank < size */
    /* Every rank passes its block (send, bytes[rank] bytes) and receives all blocks, rank 0's
     * first, one after the other, in recv (the sum of bytes[] bytes). bytes[] is the same on
     * every rank; a block may be empty. Every rank must call it the same number of times.
     * Returns 0, or -1 (the run cannot go on). */
    int (*allgatherv)(const lsnn_comm *c, const void *send, void *recv, const size_t *bytes);
    void *impl; /* the implementation's own state */
};

/* Rank r's chunks of a batch of n_all chunks: [*c0, *c1), contiguous and in rank order;
 * ranks hold floor or ceil of n_all / size chunks, the larger shares last. A rank may hold
 * none (size > n_all). */
static inline void lsnn_comm_chunks(const lsnn_comm *c, int rank, int n_all, int *c0, int *c1)
{
    int size = c && c->size > 1 ? c->size : 1;
    *c0 = (int)((long long)n_all * rank / size);
    *c1 = (int)((long long)n_all * (rank + 1) / size);
}

/* 1 when c runs more than one rank. */
static inline int lsnn_comm_parallel(const lsnn_comm *c)
{
    return c && c->size > 1;
}

/* Gathers one int of every rank into all[0..size); returns 0 or -1. With one rank, all[0]. */
int lsnn_comm_gather_int(const lsnn_comm *c, int v, int *all);

/* A one-rank communicator (allgatherv copies the block): what a program without a
 * message-passing library runs with. */
const lsnn_comm *lsnn_comm_single(void);

#endif
