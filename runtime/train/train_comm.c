/* train_comm.c - the training loop's checks and agreements between ranks (train_comm.h). */
#include "train_comm.h"

#include <stdlib.h>

#include "engine.h"

static int n_chunks(const lsnn_spec *s)
{
    return (s->batch_size + LSNN_CHUNK - 1) / LSNN_CHUNK;
}

int lsnn_train_check_ranks(const lsnn_spec *s, const lsnn_comm *c, lsnn_error *e)
{
    int n = n_chunks(s);
    if (!lsnn_comm_parallel(c) || c->size <= n) return 0;
    return lsnn_fail(e,
                     "%d ranks, but training.batch_size %d is %d chunk%s of %d sequences and a "
                     "rank runs whole chunks: use at most %d rank%s, or a batch of at least %d",
                     c->size, s->batch_size, n, n == 1 ? "" : "s", LSNN_CHUNK, n, n == 1 ? "" : "s",
                     (c->size - 1) * LSNN_CHUNK + 1);
}

int lsnn_train_rank_batch(const lsnn_spec *s, const lsnn_comm *c)
{
    if (!lsnn_comm_parallel(c)) return s->batch_size;
    int most = (n_chunks(s) + c->size - 1) / c->size * LSNN_CHUNK;
    return most < s->batch_size ? most : s->batch_size;
}

int lsnn_comm_any(const lsnn_comm *c, int flag, int *any, lsnn_error *e)
{
    *any = flag;
    if (!lsnn_comm_parallel(c)) return 0;
    int *all = malloc(sizeof(int) * c->size);
    if (!all) return lsnn_fail(e, "out of memory");
    if (lsnn_comm_gather_int(c, flag, all)) {
        free(all);
        return lsnn_fail(e, "rank %d: the gather between ranks failed", c->rank);
    }
    for (int r = 0; r < c->size; r++)
        *any |= all[r];
    free(all);
    return 0;
}
