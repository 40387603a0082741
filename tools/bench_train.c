/* bench_train.c - training throughput: forward + BPTT + Adam on a model spec.
 *
 * usage: bench_train [MODEL.yaml] [--weights FILE] [--batch B] [--threads N] [--iters K]
 *                    [--p P] [--json]
 * Defaults: models/smnist.yaml, its batch size, 2 threads, 5 timed iterations after one
 * warm-up. --p P (0 < P <= 1) sets the DEEP R connectivity without editing the YAML: it
 * overrides a DEEP R spec's p, and makes a dense spec DEEP R at P with the parser's defaults
 * for the other DEEP R keys (global budget, L1 0.01, temperature 0, Dale's law, 75 %
 * excitatory); tools/bench_torch_compare.sh uses it for its cost-vs-connectivity table.
 * Input: the spec's data set when its files are there; otherwise synthetic 28x28 stroke
 * images through the same threshold-crossing encoder (spike statistics of the same order as
 * MNIST digits). --weights loads trained weights (firing rates, and so the
 * cost of the event-driven parts, depend on them). Prints sequences/s, CPU time per
 * sequence and the peak resident memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_opts.h"
#include "deepr.h"
#include "model.h"
#include "rng.h"
#include "smnist.h"
#include "spec.h"
#include "task.h"

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A random thick stroke (a few connected segments), like a handwritten digit. */
static void synth_image(lsnn_rng *r, uint8_t *img)
{
    memset(img, 0, 784);
    double x = 8 + 12 * lsnn_rng_uniform(r), y = 6 + 16 * lsnn_rng_uniform(r);
    for (int seg = 0; seg < 4; seg++) {
        double ang = 6.2832 * lsnn_rng_uniform(r), len = 6 + 8 * lsnn_rng_uniform(r);
        for (int s = 0; s < 40; s++) {
            double px = x + cos(ang) * len * s / 40, py = y + sin(ang) * len * s / 40;
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    int ix = (int)px + dx, iy = (int)py + dy;
                    if (ix < 0 || iy < 0 || ix >= 28 || iy >= 28) continue;
                    double d = sqrt(dx * dx + dy * dy), v = 255 * fmax(0, 1 - d / 2.5);
                    if (v > img[iy * 28 + ix]) img[iy * 28 + ix] = (uint8_t)v;
                }
        }
        x += cos(ang) * len;
        y += sin(ang) * len;
        if (x < 3 || x > 25) x = 14;
        if (y < 3 || y > 25) y = 14;
    }
}

static int synth_batch(lsnn_batch *b, int n, int ext_time, int readout_steps, uint64_t seed)
{
    int T = lsnn_smnist_steps(ext_time);
    lsnn_batch_reset(b, n, T, LSNN_SMNIST_INPUTS);
    lsnn_rng r = lsnn_rng_derive(seed, 99, 0);
    uint8_t img[784];
    for (int s = 0; s < n; s++) {
        synth_image(&r, img);
        if (lsnn_smnist_encode(b, img, ext_time)) return -1;
        lsnn_batch_add_window(b, s, T - readout_steps, T, s % 10);
    }
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o = {"models/smnist.yaml", 0, 2, 5};
    const char *weights = NULL;
    int json = 0;
    double p = -1; /* --p: DEEP R connectivity; -1: the spec's */
    for (int i = 1; i < argc; i++) {
        if (bench_shared_opt(argc, argv, &i, &o))
            continue;
        else if (!strcmp(argv[i], "--p") && i + 1 < argc)
            p = atof(argv[++i]);
        else if (!strcmp(argv[i], "--weights") && i + 1 < argc)
            weights = argv[++i];
        else if (!strcmp(argv[i], "--json"))
            json = 1;
        else
            return fprintf(stderr, "bench_train: unknown option %s\n", argv[i]), 2;
    }
    const char *path = o.model;
    int batch = o.batch, threads = o.threads, iters = o.iters;
    lsnn_error e;
    lsnn_spec spec;
    if (lsnn_spec_load(path, &spec, &e)) return fprintf(stderr, "bench_train: %s\n", e.msg), 1;
    if (p != -1) {
        if (!(p > 0 && p <= 1) || weights)
            return fprintf(stderr, "bench_train: --p needs 0 < P <= 1 and no --weights\n"), 2;
        spec.connectivity = LSNN_CONN_DEEP_R;
        spec.deepr.p = p;
    }
    if (batch <= 0) batch = spec.batch_size;
    lsnn_net net;
    lsnn_deepr dr; /* DEEP R state for connectivity deep_r */
    lsnn_adam adam;
    lsnn_grads g;
    if ((weights ? lsnn_model_load(weights, &spec, &net, &dr, NULL, NULL, NULL, 0, &e)
                 : lsnn_model_init(&spec, &net, &dr, &e)) ||
        lsnn_adam_alloc(&adam, &net) || lsnn_grads_alloc(&g, &net))
        return fprintf(stderr, "bench_train: %s\n", e.msg), 1;
    lsnn_task *task = NULL;
    const char *source = "task data";
    if (lsnn_task_open(&spec, &task, &e)) {
        if (spec.task != LSNN_TASK_SMNIST) return fprintf(stderr, "bench_train: %s\n", e.msg), 1;
        task = NULL;
        source = "synthetic strokes (data set not found)";
    }
    lsnn_engine *en = lsnn_engine_new(threads);
    lsnn_batch b = {0};
    double busy = 0, spikes = 0, rate = 0, cpu = 0;
    for (int it = -1; it < iters; it++) {
        int rc = task ? lsnn_task_train_batch(task, it + 1, batch, &b, &e)
                      : synth_batch(&b, batch, spec.smnist.ext_time, spec.smnist.readout_steps,
                                    (uint64_t)(it + 1));
        if (rc) return fprintf(stderr, "bench_train: %s\n", e.msg), 1;
        double t0 = now_s(), c0 = cpu_s();
        lsnn_result r;
        if (lsnn_engine_run(en, &net, &b, &g, &r, NULL, NULL)) return 1;
        if (spec.connectivity == LSNN_CONN_DEEP_R)
            lsnn_deepr_step(&dr, &adam, &spec, &g, &net, spec.lr, it + 1);
        else
            lsnn_adam_step(&adam, &spec, &net, &g, spec.lr);
        double dt = now_s() - t0;
        if (it >= 0) {
            busy += dt;
            cpu += cpu_s() - c0;
            spikes += r.spikes_per_seq;
            rate += r.mean_rate;
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double sps = (double)batch * iters / busy, peak_mib = ru.ru_maxrss / 1024.0;
    double in_spikes = (double)b.n_spikes / b.n_seq;
    char p_note[64] = ""; /* only with --p: the output is otherwise unchanged */
    if (p != -1) snprintf(p_note, sizeof p_note, json ? ", \"deepr_p\": %g" : ", DEEP R p %g", p);
    if (json)
        printf("{\"model\": \"%s\", \"batch\": %d, \"steps\": %d, \"threads\": %d, \"iters\": %d, "
               "\"seq_per_s\": %.1f, \"peak_rss_mib\": %.1f, \"rate_hz\": %.2f, "
               "\"input_spikes_per_seq\": %.1f, \"cpu_ms_per_seq\": %.3f, \"input\": \"%s\", "
               "\"weights\": \"%s\"%s, \"engine\": \"%s\"}\n",
               spec.name, batch, b.n_steps, threads, iters, sps, peak_mib,
               rate / iters * 1000 / spec.dt_ms, in_spikes, 1000 * cpu / (batch * iters), source,
               weights ? weights : "initial", p_note, lsnn_engine_isa(en));
    else
        printf("%s: batch %d, T %d, %d threads, input %s, weights %s%s\n"
               "  %.1f sequences/s (forward + BPTT + Adam), %.3f CPU-ms per sequence, "
               "peak RSS %.0f MiB\n"
               "  recurrent rate %.1f Hz, %.0f recurrent and %.0f input spikes per sequence\n"
               "  engine code: %s\n",
               spec.name, batch, b.n_steps, threads, source, weights ? weights : "initial", p_note,
               sps, 1000 * cpu / (batch * iters), peak_mib, rate / iters * 1000 / spec.dt_ms,
               spikes / iters, in_spikes, lsnn_engine_isa(en));
    lsnn_batch_free(&b);
    lsnn_engine_free(en);
    lsnn_task_close(task);
    return 0;
}
