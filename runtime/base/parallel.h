/* parallel.h - the float engines' threads: one phase of work over n threads, and the FPU mode
 * they run in. Shared by the LSNN engine (train/engine/) and the LSTM's (train/lstm/). */
#ifndef LSNN_PARALLEL_H
#define LSNN_PARALLEL_H

/* Denormals slow float code by up to 10x on x86; flushes them to zero (FTZ + DAZ) in the
 * calling thread. A no-op elsewhere. */
void lsnn_flush_denormals(void);

/* Runs fn(ctx, t) for t = 0 .. n-1, t = 0 in the calling thread, the others in threads of
 * their own, each with denormals flushed; a thread that cannot start has its share run in
 * the caller. Returns when all are done; does nothing for n < 1. */
void lsnn_parallel(int n, void (*fn)(void *ctx, int tid), void *ctx);

#endif
