/* cli_vectors.h - `lsnn run --vectors FILE`: the run's inputs and the engine's state digests,
 * tick by tick, for a program that runs the image elsewhere (the firmware of
 * `lsnn compile --emit obj`, tools/mcu/) and checks that it computes the same.
 *
 * The file (little-endian; docs/llvm-backend.md): "LSNNVEC1", u32 cores (1), u32 NU, u32 0,
 * u32 0, then records: 'C' u64 digest (a CLEAR); 'T' u16 n, n x u16 axon, u64 digest (n
 * EVENTs to core 0, then a TICK); 'K' 32 x u64 (the counters at the end); 'E'. A digest is
 * FNV-1a 64 over every neuron n < NU's int64 v, a, ref, z, isyn, then the u64 cycles: the
 * tick's C_tick after a TICK, the cycles counter after a CLEAR. */
#ifndef LSNN_CLI_VECTORS_H
#define LSNN_CLI_VECTORS_H

#include "error.h"
#include "fileio.h"
#include "target.h"

typedef struct {
    lsnn_target inner, self;
    lsnn_atomic_file file;
    uint16_t *ev; /* the EVENTs since the last TICK */
    size_t nev, cap;
    uint64_t barrier;
    int failed;
} cli_vectors;

/* Wraps *en (one core) so that its CLEARs, EVENTs and TICKs are recorded into path; *en is
 * then the recorder (the caller keeps v alive and the inner target open). 0 or -1. */
int cli_vectors_open(cli_vectors *v, const char *path, lsnn_target *en, const lsnn_hw_config *cfg,
                     lsnn_error *e);
/* Writes the counters and the end, publishes the file. 0 or -1. */
int cli_vectors_close(cli_vectors *v, lsnn_error *e);
void cli_vectors_abort(cli_vectors *v);

#endif
