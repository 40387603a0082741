/* bench_opts.h - the options the training benchmarks share (bench_train, bench_lstm): the
 * model spec, --batch, --threads, --iters. */
#ifndef LSNN_BENCH_OPTS_H
#define LSNN_BENCH_OPTS_H

typedef struct {
    const char *model; /* MODEL.yaml */
    int batch;         /* 0: the spec's batch size */
    int threads, iters;
} bench_opts;

/* Takes argv[*i] (and its value) if it is one of the shared options, advancing *i past what
 * it took. Returns 1 if taken, 0 if not (the caller's own option, or an unknown one). */
int bench_shared_opt(int argc, char **argv, int *i, bench_opts *o);

#endif
