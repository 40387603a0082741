/* isa.h - the float engine's AVX-512 flavour, as the portable engine.c calls it.
 *
 * The engine sources compile twice for float on x86-64: for the x86-64 baseline (SSE2) and
 * for x86-64-v4 (AVX-512), both with -ffp-contract=off and the engine's own exp/log
 * (pmath.h), so both compute every number the same way (tests/cross_cpu_digest.sh checks
 * it); vectors are only wider. lsnn_engine_new picks the flavour once, from the CPU and the
 * environment variable LSNN_ENGINE_ISA (baseline | avx512 | auto, the default). The entry
 * points below take untyped pointers because each flavour has its own type names
 * (real.h); the structs are the same. */
#ifndef LSNN_ENGINE_ISA_H
#define LSNN_ENGINE_ISA_H

#include "batch.h"
#include "engine.h"

void *lsnn_isa_avx512_new(int n_threads);
void lsnn_isa_avx512_free(void *en);
int lsnn_isa_avx512_run(void *en, const void *net, const lsnn_batch *batch, void *grads,
                        lsnn_result *res, float *logits, double *rates);
void lsnn_isa_avx512_set_comm(void *en, const struct lsnn_comm *comm);
void lsnn_isa_avx512_state(const void *en, int s, int t, int i, float *v, float *b, float *z);

#endif
