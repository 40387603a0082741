/* bench_lstm.c - training throughput of an LSTM spec: forward + BPTT + Adam on its task's
 * batches (a benchmark program, not a test).
 *
 * usage: bench_lstm [MODEL.yaml] [--batch B] [--threads N] [--iters K] [--warmup W]
 * Defaults: models/smnist_lstm.yaml, its batch size, 2 threads, 3 timed iterations after one
 * warm-up. The spec's data set must be there (tools/fetch_mnist.sh). Prints the kernels the
 * CPU runs, sequences/s (median of the timed iterations), CPU-ms per sequence, the estimated
 * wall time of the spec's training.iterations and the peak resident memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "adam.h"
#include "bench_opts.h"
#include "lstm_model.h"
#include "spec.h"
#include "task.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    bench_opts o = {"models/smnist_lstm.yaml", 0, 2, 3};
    int warmup = 1;
    for (int i = 1; i < argc; i++) {
        if (bench_shared_opt(argc, argv, &i, &o))
            continue;
        else if (!strcmp(argv[i], "--warmup") && i + 1 < argc)
            warmup = atoi(argv[++i]);
        else
            return fprintf(stderr,
                           "usage: bench_lstm [MODEL.yaml] [--batch B] [--threads N] [--iters K] "
                           "[--warmup W]\n"),
                   2;
    }
    const char *path = o.model;
    int batch = o.batch, threads = o.threads, iters = o.iters;
    lsnn_spec spec;
    lsnn_error e;
    lsnn_task *task = NULL;
    lsnn_lstm net, g;
    if (lsnn_spec_load(path, &spec, &e) || lsnn_task_open(&spec, &task, &e) ||
        lsnn_lstm_model_init(&spec, &net, &e))
        return fprintf(stderr, "bench_lstm: %s\n", e.msg), 1;
    if (batch < 1) batch = spec.batch_size;
    if (iters < 1) iters = 1;
    lsnn_lstm_alloc(&g, net.n_in, net.hidden, net.n_out, net.readout_bias);
    lsnn_lstm_adam adam;
    lsnn_lstm_adam_alloc(&adam, &net);
    lsnn_lstm_engine *en = lsnn_lstm_engine_new(threads);
    lsnn_batch b = {0};
    double *wall = calloc((size_t)iters, sizeof(double)), cpu = 0;
    for (int it = 0; it < warmup + iters; it++) {
        if (lsnn_task_train_batch(task, it, batch, &b, &e))
            return fprintf(stderr, "bench_lstm: %s\n", e.msg), 1;
        double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        lsnn_lstm_result r;
        if (lsnn_lstm_run(en, &net, &b, &g, &r, NULL))
            return fprintf(stderr, "bench_lstm: out of memory\n"), 1;
        double lr_t = lsnn_adam_rate(&spec, spec.lr, it + 1);
        lsnn_adam_update(net.data, adam.m, adam.v, g.data, lsnn_lstm_n_trained(&net), &spec, lr_t);
        if (it >= warmup) {
            wall[it - warmup] = clock_s(CLOCK_MONOTONIC) - w0;
            cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        }
        fprintf(stderr, "bench_lstm: iteration %d: %.2f s, loss %.4f\n", it + 1,
                clock_s(CLOCK_MONOTONIC) - w0, r.loss);
    }
    qsort(wall, (size_t)iters, sizeof *wall, cmp_double);
    double med = wall[iters / 2], sps = batch / med, est = med * (double)spec.iterations;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s: LSTM-%d, %d inputs, %d steps, batch %d, %d threads, %s kernels: %.1f sequences/s "
           "(median of "
           "%d), %.2f CPU-ms per sequence, %.2f s per iteration; %ld iterations: %.1f h; peak "
           "memory %.0f MiB\n",
           spec.name, spec.hidden, spec.n_in, b.n_steps, batch, threads, lsnn_lstm_kernels(), sps,
           iters, 1e3 * cpu / ((double)iters * batch), med, spec.iterations, est / 3600,
           ru.ru_maxrss / 1024.0);
    free(wall);
    lsnn_batch_free(&b);
    lsnn_lstm_engine_free(en);
    lsnn_lstm_adam_free(&adam);
    lsnn_lstm_free(&g), lsnn_lstm_free(&net);
    lsnn_task_close(task);
    return 0;
}
