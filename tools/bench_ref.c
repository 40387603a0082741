/* bench_ref.c - throughput of the fixed-point reference core (runtime/chip/ref_core.c) on a trained
 * network: synaptic events per second on one thread.
 *
 * usage: bench_ref RUN_DIR [--hw FILE] [--engine ref|jit] [--samples N] [--repeat R]
 *        [--digest | --digest-no-cycles] [--json]
 *
 * Loads RUN_DIR (model.yaml + weights.safetensors), compiles it onto one core as `lsnn eval
 * --engine ref` does (lsnn_cc_compile, lsnn_ref_create, lsnn_cc_program) and runs the first N
 * test sequences (default 100) on it: per sequence CLEAR, then for t = 0..T the input EVENTs of
 * step t and a TICK (the host of §5.4, without the recording of states). Only this loop is
 * timed (CLOCK_MONOTONIC); the test batch is built before. --repeat R times the loop R times
 * and reports the best and the median; the counters are those of one pass (every pass starts
 * with CLEAR, so all passes are identical).
 *
 * syn_ops (§11) is one per valid synapse lane delivered: a synaptic event in the Brian2 sense.
 * Since the neuron phase updates every neuron every tick, syn_ops/s depends on the firing rate;
 * ns per neuron update (wall time / neuron_updates) is the other half of the cost.
 *
 * --digest (not timed) runs the sequences once more and prints an FNV-1a hash of every
 * neuron's (v, a, ref, z) after every tick, and the current i of neurons with a CUBA profile
 * (neurocore.md §17; so the digests recorded before CUBA stay valid), and of all counters at the
 * end: two builds of the reference core agree on a run when their digests agree.
 * --engine jit runs the same loop on the image compiled by the LLVM backend (compiler/llvm/,
 * the `jit` engine): the timed passes call its generated functions directly, as they call the
 * reference core's (lsnn_target_jit_direct), the digest pass goes through its target; the
 * digest is computed the same way for both engines, so equal digests mean equal runs. It also
 * reports the JIT's compile time.
 * --digest-no-cycles leaves the `cycles` counter out: contract versions that change only the
 * cycle model (version 3's lanes and drain, against version 2) give the same digest.
 *
 * The data set path in model.yaml is relative: run from the repository root. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compiler.h"
#include "deepr.h"
#include "image.h"
#include "llvm_backend.h"
#include "model.h"
#include "ref_core.h"
#include "spec.h"
#include "task.h"

#define DEFAULT_HW "models/hw/default.yaml" /* as `lsnn eval` (tools/cli_model.h) */

static const char *usage =
    "usage: bench_ref RUN_DIR [--hw FILE] [--engine ref|jit] [--samples N] [--repeat R] "
    "[--digest | --digest-no-cycles] [--json]\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int parse_int(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!s) return fprintf(stderr, "bench_ref: %s needs a value\n", opt), -1;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < lo || v > hi)
        return fprintf(stderr, "bench_ref: %s must be an integer in [%ld, %ld]\n", opt, lo, hi), -1;
    *out = v;
    return 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *q = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ q[i]) * 0x100000001b3ull;
    return h;
}

/* The engine under test: the reference core called directly (as before the JIT existed, so
 * its figures stay comparable), or the jit engine through its target. */
typedef struct {
    lsnn_ref_core *core;
    lsnn_target *jit;       /* NULL: the reference */
    lsnn_jit_direct direct; /* the jit's generated functions, for the timed passes */
} engine;

static void e_clear(engine *g)
{
    if (g->jit)
        g->jit->clear(g->jit->ctx, NULL);
    else
        lsnn_ref_clear(g->core, NULL, NULL);
}

static void e_event(engine *g, uint32_t axon)
{
    if (g->jit)
        g->jit->event(g->jit->ctx, 0, axon, NULL);
    else
        lsnn_ref_event(g->core, axon);
}

static void e_tick(engine *g)
{
    if (g->jit)
        g->jit->tick(g->jit->ctx, NULL);
    else
        lsnn_ref_tick(g->core, NULL, NULL);
}

static void e_counters(engine *g, uint64_t k[LSNN_REF_NCOUNTERS])
{
    if (g->jit)
        g->jit->counters(g->jit->ctx, 0, k);
    else
        memcpy(k, g->core->counters, LSNN_REF_NCOUNTERS * sizeof *k);
}

/* One pass: every sequence of the batch on the engine, as lsnn_cc_run_sequence drives it.
 * With h non-NULL, hashes every state row and (unless no_cycles) the core's cycle count after
 * every tick into *h (the timed passes give NULL: the loop is then only the engine's work). */
static void run_all(engine *g, const lsnn_compiled *cc, const lsnn_batch *b, uint64_t *h,
                    int no_cycles)
{
    int T = b->n_steps;
    const lsnn_ref_core *core = g->core;
    if (g->jit && !h) { /* timed: the generated code called directly, as the reference core is */
        const lsnn_jit_direct *d = &g->direct;
        for (int s = 0; s < b->n_seq; s++) {
            d->clear(d->block);
            for (int t = 0; t <= T; t++) {
                if (t < T) {
                    size_t cell = (size_t)s * T + t;
                    for (uint32_t k = b->in_ptr[cell]; k < b->in_ptr[cell + 1]; k++)
                        d->event(d->block, 0, (int32_t)(cc->core[0].in_base + b->in_idx[k]));
                }
                d->tick(d->block);
            }
        }
        return;
    }
    for (int s = 0; s < b->n_seq; s++) {
        e_clear(g);
        for (int t = 0; t <= T; t++) {
            if (t < T) {
                size_t cell = (size_t)s * T + t;
                for (uint32_t k = b->in_ptr[cell]; k < b->in_ptr[cell + 1]; k++)
                    e_event(g, cc->core[0].in_base + b->in_idx[k]);
            }
            e_tick(g);
            if (!h) continue;
            for (uint32_t n = 0; n < core->nu; n++) {
                lsnn_ref_state st = core->state[n];
                if (g->jit) g->jit->state(g->jit->ctx, 0, n, &st);
                int64_t row[5] = {st.v, st.a, st.ref, st.z, st.isyn};
                int cuba = core->profile[core->ncfg[n]].cuba != 0;
                *h = fnv(*h, row, sizeof row[0] * (size_t)(4 + cuba));
            }
            /* the core's C_tick: the chip's cycles less START's 2 and the 1x1 barrier's 2 */
            uint64_t cyc = g->jit ? g->jit->tick_cycles(g->jit->ctx) - 4 : core->last_cycles;
            if (!no_cycles) *h = fnv(*h, &cyc, sizeof cyc);
        }
    }
}

/* run_all with hashing, then this pass's counters and STATUS at the end. */
static uint64_t digest_all(engine *g, const lsnn_compiled *cc, const lsnn_batch *b, int no_cycles)
{
    uint64_t h = 0xcbf29ce484222325ull, k0[LSNN_REF_NCOUNTERS], k[LSNN_REF_NCOUNTERS];
    if (!g->jit) lsnn_ref_ctrl(g->core, 3);
    e_counters(g, k0);
    run_all(g, cc, b, &h, no_cycles);
    e_counters(g, k);
    for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
        k[i] -= k0[i];
    if (no_cycles)
        k[LSNN_REF_CYCLES] = 0; /* --digest-no-cycles: what versions that differ
                                   only in the cycle model agree on */
    h = fnv(h, k, sizeof k);
    uint32_t status = g->jit ? lsnn_target_jit_status(g->jit, 0) : g->core->status;
    return fnv(h, &status, sizeof status);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *hw = NULL, *engine_name = "ref";
    long samples = 100, repeat = 1;
    int json = 0, digest = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--digest")) {
            digest = 1;
        } else if (!strcmp(a, "--digest-no-cycles")) {
            digest = 2;
        } else if (!strcmp(a, "--engine")) {
            if (!next || (strcmp(next, "ref") && strcmp(next, "jit")))
                return fprintf(stderr, "bench_ref: --engine is ref or jit\n"), 2;
            engine_name = next, i++;
        } else if (!strcmp(a, "--hw")) {
            if (!next) return fprintf(stderr, "bench_ref: --hw needs a file\n"), 2;
            hw = next, i++;
        } else if (!strcmp(a, "--samples")) {
            if (parse_int(a, next, 1, 1000000, &samples)) return 2;
            i++;
        } else if (!strcmp(a, "--repeat")) {
            if (parse_int(a, next, 1, 1000, &repeat)) return 2;
            i++;
        } else if (a[0] == '-' || dir) {
            fprintf(stderr, "bench_ref: unexpected argument '%s'\n%s", a, usage);
            return 2;
        } else {
            dir = a;
        }
    }
    if (!dir) return fputs(usage, stderr), 2;

    char path[1024];
    lsnn_error e;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_hw_config cfg;
    lsnn_compiled cc;
    lsnn_task *task = NULL;
    lsnn_ref_core *core = NULL;
    lsnn_batch b;
    lsnn_image img;
    lsnn_target jt;
    lsnn_jit_report jrep;
    engine g;
    memset(&g, 0, sizeof g);
    double *wall = NULL;
    int rc = 1;
    memset(&net, 0, sizeof net);
    memset(&dr, 0, sizeof dr);
    memset(&cc, 0, sizeof cc);
    memset(&b, 0, sizeof b);
    memset(&img, 0, sizeof img);
    memset(&jt, 0, sizeof jt);
    memset(&jrep, 0, sizeof jrep);
#define FAIL(what)                                                                                 \
    do {                                                                                           \
        fprintf(stderr, "bench_ref: %s: %s\n", what, e.msg);                                       \
        goto out;                                                                                  \
    } while (0)

    /* the model, as cli_load_model (tools/cmd_compile.c) loads it */
    snprintf(path, sizeof path, "%s/model.yaml", dir);
    if (lsnn_spec_load(path, &spec, &e)) FAIL("model");
    snprintf(path, sizeof path, "%s/weights.safetensors", dir);
    if (lsnn_model_load(path, &spec, &net, &dr, NULL, NULL, NULL, 0, &e)) FAIL("weights");
    /* the hardware config, as cli_load_hw: --hw, else the default file, else built-in */
    if (!hw && access(DEFAULT_HW, F_OK) == 0) hw = DEFAULT_HW;
    if (hw) {
        if (lsnn_hw_load(hw, &cfg, &e)) FAIL("hw config");
    } else {
        lsnn_hw_defaults(&cfg);
    }
    if (lsnn_cc_compile(&net, &spec, &cfg, NULL, &cc, &e)) FAIL("compile");
    if (!(core = lsnn_ref_create(&cfg, &e)) || lsnn_cc_program(core, &cc, &e)) FAIL("program");
    g.core = core;
    if (!strcmp(engine_name, "jit")) { /* the programmed core as an image, compiled */
        lsnn_jit_opts jo = {0, 0, 0, 0, 0};
        if (lsnn_image_from_cores(&core, 1, &img, &e)) FAIL("image");
        if (lsnn_target_jit_open(&img, &jo, &jt, &jrep, &e)) FAIL("jit");
        g.jit = &jt;
        if (lsnn_target_jit_direct(&jt, &g.direct)) {
            fprintf(stderr, "bench_ref: the jit image has several cores\n");
            goto out;
        }
    }
    /* the test sequences (built before timing) */
    if (lsnn_task_open(&spec, &task, &e)) FAIL("task");
    if (samples > lsnn_task_test_count(task)) samples = lsnn_task_test_count(task);
    if (lsnn_task_test_batch(task, 0, (int)samples, &b, &e)) FAIL("test batch");

    wall = calloc((size_t)repeat, sizeof *wall);
    if (!wall) {
        fprintf(stderr, "bench_ref: out of memory\n");
        goto out;
    }
    run_all(&g, &cc, &b, NULL, 0); /* warm-up: caches, page faults, branch predictors */
    uint64_t cnt[LSNN_REF_NCOUNTERS], cnt0[LSNN_REF_NCOUNTERS];
    for (long r = 0; r < repeat; r++) {
        e_counters(&g, cnt0); /* counters of the last pass only */
        double t0 = now_s();
        run_all(&g, &cc, &b, NULL, 0);
        wall[r] = now_s() - t0;
    }
    e_counters(&g, cnt);
    for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
        cnt[i] -= cnt0[i];
    qsort(wall, (size_t)repeat, sizeof *wall, cmp_double);
    double best = wall[0],
           median = repeat % 2 ? wall[repeat / 2] : 0.5 * (wall[repeat / 2 - 1] + wall[repeat / 2]);
    uint64_t ticks = cnt[LSNN_REF_TICKS], ops = cnt[LSNN_REF_SYN_OPS],
             events = cnt[LSNN_REF_SYN_EVENTS], nupd = cnt[LSNN_REF_NEURON_UPDATES],
             spikes = cnt[LSNN_REF_SPIKES], cycles = cnt[LSNN_REF_CYCLES];
    uint64_t dig = digest ? digest_all(&g, &cc, &b, digest == 2) : 0;

    if (json) {
        printf("{\"run\": \"%s\", \"engine\": \"%s\", \"model\": \"%s\", \"hw\": \"%s\", "
               "\"threads\": 1, "
               "\"sequences\": %d, \"steps\": %d, \"ticks\": %llu, \"syn_ops\": %llu, "
               "\"syn_events\": %llu, \"neuron_updates\": %llu, \"spikes\": %llu, "
               "\"cycles\": %llu, \"repeat\": %ld, \"wall_s_best\": %.6f, "
               "\"wall_s_median\": %.6f, \"syn_ops_per_s\": %.1f, \"syn_ops_per_s_median\": %.1f, "
               "\"ticks_per_s\": %.1f, \"ns_per_neuron_update\": %.3f, "
               "\"syn_ops_per_tick\": %.3f, \"neurons_per_tick\": %.3f",
               dir, engine_name, spec.name, cfg.name, b.n_seq, b.n_steps, (unsigned long long)ticks,
               (unsigned long long)ops, (unsigned long long)events, (unsigned long long)nupd,
               (unsigned long long)spikes, (unsigned long long)cycles, repeat, best, median,
               ops / best, ops / median, ticks / best, 1e9 * best / (double)nupd,
               (double)ops / ticks, (double)nupd / ticks);
        if (digest) printf(", \"digest\": \"%016llx\"", (unsigned long long)dig);
        if (g.jit)
            printf(", \"jit_compile_s\": %.4f, \"jit_const_bytes\": %zu, \"jit_dense_rows\": %d",
                   jrep.compile_s, jrep.const_bytes, jrep.dense_cores);
        printf("}\n");
    } else {
        printf("bench_ref %s (engine %s, %s, hw '%s', 1 thread): %d sequences x %d steps, "
               "%llu ticks, %llu syn_ops, %llu syn_events, %llu neuron updates, %llu spikes\n",
               dir, engine_name, spec.name, cfg.name, b.n_seq, b.n_steps, (unsigned long long)ticks,
               (unsigned long long)ops, (unsigned long long)events, (unsigned long long)nupd,
               (unsigned long long)spikes);
        printf("wall %.4f s (best of %ld; median %.4f s): %.1f M syn_ops/s (median %.1f M), "
               "%.0f ticks/s, %.2f ns per neuron update, %.1f syn_ops and %.1f neurons per tick\n",
               best, repeat, median, ops / best * 1e-6, ops / median * 1e-6, ticks / best,
               1e9 * best / (double)nupd, (double)ops / ticks, (double)nupd / ticks);
        if (digest) printf("digest %016llx\n", (unsigned long long)dig);
        if (g.jit)
            printf("jit: compiled in %.3f s, %zu bytes of constant data, %s\n", jrep.compile_s,
                   jrep.const_bytes, jrep.dense_cores ? "dense weight rows" : "lane lists");
    }
    rc = 0;
out:
    free(wall);
    lsnn_target_close(&jt);
    lsnn_image_free(&img);
    lsnn_batch_free(&b);
    lsnn_task_close(task);
    lsnn_ref_free(core);
    lsnn_cc_free(&cc);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
