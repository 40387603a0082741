/* isa_avx512.c - the entry points of the AVX-512 flavour (engine_internal.h); empty in the others.
 */
#include "engine_internal.h"

#ifdef LSNN_ENGINE_FLAVOUR_AVX512

void *lsnn_isa_avx512_new(int n_threads)
{
    return LSNN_FN(lsnn_engine_new)(n_threads);
}

void lsnn_isa_avx512_free(void *en)
{
    LSNN_FN(lsnn_engine_free)(en);
}

int lsnn_isa_avx512_run(void *en, const void *net, const lsnn_batch *batch, void *grads,
                        lsnn_result *res, float *logits, double *rates)
{
    return LSNN_FN(lsnn_engine_run)(en, net, batch, grads, res, logits, rates);
}

void lsnn_isa_avx512_set_comm(void *en, const struct lsnn_comm *comm)
{
    LSNN_FN(lsnn_engine_set_comm)(en, comm);
}

void lsnn_isa_avx512_set_loss(void *en, lsnn_loss_fn fn, void *ctx)
{
    LSNN_FN(lsnn_engine_set_loss)(en, fn, ctx);
}

void lsnn_isa_avx512_state(const void *en, int s, int t, int i, float *v, float *b, float *z)
{
    LSNN_FN(lsnn_engine_state)(en, s, t, i, v, b, z);
}
#else
typedef int lsnn_isa_avx512_unused; /* ISO C wants a declaration in every file */
#endif
