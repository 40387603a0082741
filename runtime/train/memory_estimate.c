/* memory_estimate.c - training's memory, before it is allocated.
 *
 * The coefficients are measured (peak RSS of `lsnn train`, x86-64, docs/training.md "Memory"):
 * the engine keeps v, the threshold, z and the refractory mask of every step for BPTT, 4 floats
 * per step, neuron and sequence, sequences in chunks of LSNN_CHUNK; every matrix entry costs about
 * 50 bytes (weight, delay, gradient, two Adam moments, the engine's sparse copies, DEEP R's
 * parameters, the serialisation buffers of a checkpoint); the program itself about 64 MB. */
#include <stdint.h>

#include "engine.h"
#include "train.h"

#define HISTORY_BYTES 16 /* 4 floats per step, neuron and sequence */
#define ENTRY_BYTES   50
#define PROGRAM_BYTES (64ull << 20)

void lsnn_train_memory_estimate(const lsnn_spec *s, int n_steps, lsnn_train_memory *m)
{
    uint64_t n = (uint64_t)lsnn_spec_n_rec(s);
    uint64_t seqs = ((uint64_t)s->batch_size + LSNN_CHUNK - 1) / LSNN_CHUNK * LSNN_CHUNK;
    uint64_t entries = (uint64_t)s->n_in * n + n * n + n * (uint64_t)s->n_out;
    m->history = HISTORY_BYTES * (uint64_t)n_steps * n * seqs;
    m->synapses = ENTRY_BYTES * entries;
    m->total = m->history + m->synapses + PROGRAM_BYTES;
}
