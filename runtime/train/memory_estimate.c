/* memory_estimate.c - training's memory, before it is allocated.
 *
 * The coefficients are measured (peak RSS of `lsnn train`, x86-64, docs/training.md "Memory"):
 * the engine keeps for BPTT, per step and sequence (in chunks of LSNN_CHUNK), v of every neuron
 * (a float), b of the adaptive ones (a float), and z and the refractory mask as one bit each;
 * every matrix entry costs about
 * 50 bytes (weight, delay, gradient, two Adam moments, the engine's sparse copies, DEEP R's
 * parameters, the serialisation buffers of a checkpoint); the program itself about 64 MB. */
#include <stdint.h>

#include "engine.h"
#include "train.h"

#define ENTRY_BYTES   50
#define PROGRAM_BYTES (64ull << 20)

void lsnn_train_memory_estimate(const lsnn_spec *s, int n_steps, lsnn_train_memory *m)
{
    uint64_t n = (uint64_t)lsnn_spec_n_rec(s);
    uint64_t seqs = ((uint64_t)s->batch_size + LSNN_CHUNK - 1) / LSNN_CHUNK * LSNN_CHUNK;
    uint64_t entries = (uint64_t)s->n_in * n + n * n + n * (uint64_t)s->n_out;
    uint64_t n_adapt = 0;
    for (int p = 0; p < s->n_pops; p++)
        n_adapt += s->pops[p].beta != 0 ? (uint64_t)s->pops[p].size : 0;
    /* 4 bytes of v, 4 of b where it adapts, 2 bits of z and free */
    m->history =
        (uint64_t)n_steps * seqs * (4 * n + 4 * n_adapt) + (uint64_t)n_steps * seqs * n / 4;
    m->synapses = ENTRY_BYTES * entries;
    m->total = m->history + m->synapses + PROGRAM_BYTES;
}
