/* cmd_verify.c - `lsnn verify`: the RTL neurocore (Verilator) against the reference runtime,
 * every tick, every neuron, every variable, every counter, every cycle count. */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsnn.h"
#include "spikefile.h"
#ifdef LSNN_HAVE_RTL
#include "rtl_core.h"
#endif

static const char *usage =
    "usage: lsnn verify IMAGE_DIR [options]\n"
    "\n"
    "Runs the image on two engines with the same inputs and compares them after every tick:\n"
    "every state variable (v, a, ref, z) of every neuron, every activity counter of §11, the\n"
    "tick's cycle count (the RTL's cycles must equal the reference's cycle model, §10) and\n"
    "every output word. At the first divergence it prints the sequence, tick, core, neuron,\n"
    "variable and both values, and exits with status 1. By default the inputs are test\n"
    "sequences of the image's task.\n"
    "\n"
    "options:\n"
    "  --engines ref,rtl  the engines to compare (the only pair so far)\n"
    "  --samples N        test sequences (default 10; 0 = all)\n"
    "  --input FILE       input spike trains (lsnn-spikes format) instead of the test set\n"
    "  --dataset NAME     sMNIST models: mnist or fashion-mnist test images\n"
    "  --data-dir DIR     where that dataset's IDX files are\n"
    "  --readmemh         load the RTL's memories with $readmemh from the image's hex files\n"
    "                     instead of through the programming port\n"
    "  --vcd FILE         a cycle-level VCD of the RTL (large: use with few samples)\n"
    "  --json             print one JSON object instead of text\n"
    "  -h, --help         this help\n";

#ifndef LSNN_HAVE_RTL
int cmd_verify(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) return fputs(usage, stdout), 0;
    fprintf(stderr, "lsnn verify: this lsnn was built without Verilator, so it has no RTL engine; "
                    "run tools/setup.sh (it installs verilator) and rebuild\n");
    return 1;
}
#else

typedef struct {
    int json;
    long seq, tick;
    uint32_t core_id;
    char what[64];
    long neuron, global;
    int64_t ref_val, rtl_val;
} divergence;

static int diverged(divergence *d, const char *what, long n, long g, int64_t a, int64_t b)
{
    snprintf(d->what, sizeof d->what, "%s", what);
    d->neuron = n;
    d->global = g;
    d->ref_val = a;
    d->rtl_val = b;
    return 1;
}

/* Compares the engines after one tick; 1 (and *d filled) at the first difference. */
static int compare_tick(const lsnn_ref_core *ref, lsnn_rtl *rtl, const lsnn_hostmap *m,
                        uint64_t rtl_cycles, divergence *d)
{
    if (ref->last_cycles != rtl_cycles)
        return diverged(d, "cycles of the tick", -1, -1, (int64_t)ref->last_cycles,
                        (int64_t)rtl_cycles);
    for (uint32_t n = 0; n < ref->nu; n++) {
        lsnn_ref_state s;
        lsnn_rtl_state(rtl, n, &s);
        long g = -1;
        for (int k = 0; k < m->n_rec + m->n_out; k++)
            if (m->local[k] == n && m->core_index[k] == 0) g = k;
        const lsnn_ref_state *r = &ref->state[n];
        if (r->v != s.v) return diverged(d, "v", n, g, r->v, s.v);
        if (r->a != s.a) return diverged(d, "a", n, g, r->a, s.a);
        if (r->ref != s.ref) return diverged(d, "ref", n, g, r->ref, s.ref);
        if (r->z != s.z) return diverged(d, "z", n, g, r->z, s.z);
    }
    uint64_t c[LSNN_REF_NCOUNTERS];
    lsnn_rtl_counters(rtl, c);
    for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
        if (c[i] != ref->counters[i]) {
            char what[64];
            snprintf(what, sizeof what, "counter %s", lsnn_ref_counter_name(i));
            return diverged(d, what, -1, -1, (int64_t)ref->counters[i], (int64_t)c[i]);
        }
    return 0;
}

/* The reference's output words of a tick, collected by its emit callback. */
typedef struct {
    uint32_t w[65536];
    int port[65536];
    size_t n;
} words;

static void collect(void *ctx, int port, uint32_t word)
{
    words *o = ctx;
    if (o->n < 65536) o->port[o->n] = port, o->w[o->n++] = word;
}

/* Each port's words in order. Across ports the order may differ: host words pass the host-out
 * FIFO while NoC words leave directly (docs/rtl.md), and no consumer sees both streams. */
static int compare_outputs(const words *ref, lsnn_rtl *rtl, words *tmp, divergence *d)
{
    static const char *const names[2] = {"host-out word", "NoC-out word"};
    tmp->n = lsnn_rtl_outputs(rtl, tmp->w, tmp->port, 65536);
    for (int port = 0; port < 2; port++) {
        size_t i = 0, j = 0, k = 0;
        for (;; k++) {
            while (i < ref->n && ref->port[i] != port)
                i++;
            while (j < tmp->n && tmp->port[j] != port)
                j++;
            if (i == ref->n || j == tmp->n) break;
            if (ref->w[i] != tmp->w[j])
                return diverged(d, names[port], (long)k, -1, ref->w[i], tmp->w[j]);
            i++, j++;
        }
        if (i != ref->n || j != tmp->n) {
            size_t a = k, b = k;
            for (; i < ref->n; i++)
                a += ref->port[i] == port;
            for (; j < tmp->n; j++)
                b += tmp->port[j] == port;
            if (a != b)
                return diverged(d, port ? "number of NoC-out words" : "number of host-out words",
                                -1, -1, (int64_t)a, (int64_t)b);
        }
    }
    return 0;
}

/* Runs sequence q of b on both engines; 1 at a divergence, -1 on an error, 0 when equal. */
static int run_sequence(lsnn_ref_core *ref, lsnn_rtl *rtl, const lsnn_hostmap *m,
                        const lsnn_batch *b, int q, long seq, words *out, words *tmp,
                        uint64_t *ticks, divergence *d, lsnn_error *e)
{
    int T = b->n_steps;
    out->n = 0;
    lsnn_ref_clear(ref, collect, out);
    if (lsnn_rtl_clear(rtl, e)) return -1;
    d->seq = seq;
    d->tick = -1;
    if (compare_outputs(out, rtl, tmp, d)) return 1;
    for (int t = 0; t <= T; t++) {
        if (t < T) {
            size_t cell = (size_t)q * T + t;
            for (uint32_t k = b->in_ptr[cell]; k < b->in_ptr[cell + 1]; k++)
                for (int i = 0; i < m->n_inputs; i++) {
                    uint32_t axon = m->inputs[i].axon_base + b->in_idx[k];
                    lsnn_ref_event(ref, axon);
                    if (lsnn_rtl_event(rtl, axon, e)) return -1;
                }
        }
        uint64_t cycles = 0;
        out->n = 0;
        lsnn_ref_tick(ref, collect, out);
        if (lsnn_rtl_tick(rtl, &cycles, e)) return -1;
        d->tick = t;
        (*ticks)++;
        if (compare_tick(ref, rtl, m, cycles, d) || compare_outputs(out, rtl, tmp, d)) return 1;
    }
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    const char *dir = NULL, *engines = "ref,rtl", *input = NULL, *dataset = NULL, *vcd = NULL,
               *data_dir = NULL;
    int json = 0, readmemh = 0;
    long samples = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(a, "--engines")    ? &engines
                            : !strcmp(a, "--input")    ? &input
                            : !strcmp(a, "--dataset")  ? &dataset
                            : !strcmp(a, "--data-dir") ? &data_dir
                            : !strcmp(a, "--vcd")      ? &vcd
                                                       : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (slot) {
            if (!next) return fprintf(stderr, "lsnn verify: %s needs a value\n", a), 2;
            *slot = next, i++;
        } else if (!strcmp(a, "--samples")) {
            if (cli_int(a, next, 0, 100000000, &samples)) return 2;
            i++;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--readmemh")) {
            readmemh = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "lsnn verify: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!dir) {
            dir = a;
        } else {
            fprintf(stderr, "lsnn verify: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!dir) return fputs(usage, stderr), 2;
    if (strcmp(engines, "ref,rtl") && strcmp(engines, "rtl,ref"))
        return fprintf(stderr, "lsnn verify: --engines must be ref,rtl (got '%s')\n", engines), 2;
    if (input && (dataset || data_dir))
        return fprintf(stderr, "lsnn verify: --input and --dataset/--data-dir exclude each "
                               "other\n"),
               2;
    cli_fixed fx;
    lsnn_spec spec;
    lsnn_task *task = NULL;
    lsnn_batch b;
    lsnn_error e;
    lsnn_rtl *rtl = NULL;
    lsnn_ref_core *ref = NULL;
    words *out = calloc(2, sizeof *out);
    divergence d;
    int rc = 1, labelled = 0, status = 0;
    long n_seq = 0;
    uint64_t ticks = 0;
    memset(&b, 0, sizeof b);
    memset(&d, 0, sizeof d);
    if (!out || cli_open_image("verify", dir, &fx, &spec)) {
        free(out);
        return 1;
    }
    if (fx.img.ncores != 1) {
        fprintf(stderr,
                "lsnn verify: %s spans %d cores; the RTL engine simulates one neurocore (the "
                "router and the multi-core platform come next). Compile with a config whose "
                "core holds the network (models/hw/default.yaml).\n",
                dir, fx.img.ncores);
        goto out;
    }
    if (!lsnn_rtl_supported(&fx.img.cfg)) {
        char names[512];
        lsnn_rtl_models(names, sizeof names);
        fprintf(stderr,
                "lsnn verify: no verilated model for hw config '%s'; this build has models for: "
                "%s (hw/CMakeLists.txt)\n",
                fx.img.cfg.name, names);
        goto out;
    }
    if (cli_pick_dataset("verify", &spec, dataset, data_dir)) goto out;
    if (input ? lsnn_spikefile_load(input, fx.hm.n_out, &b, &labelled, &e)
              : lsnn_task_open(&spec, &task, &e)) {
        fprintf(stderr, "lsnn verify: %s\n", e.msg);
        goto out;
    }
    char absdir[PATH_MAX + 8], cwd[PATH_MAX]; /* $readmemh wants absolute paths */
    if (dir[0] != '/' && getcwd(cwd, sizeof cwd))
        snprintf(absdir, sizeof absdir, "%s/%s", cwd, dir);
    else
        snprintf(absdir, sizeof absdir, "%s", dir);
    double t_load = cli_now_s();
    if (!(ref = lsnn_image_to_core(&fx.img, 0, &e)) ||
        !(rtl = lsnn_rtl_create(&fx.img.cfg, vcd, &e)) ||
        (readmemh ? lsnn_rtl_load_readmemh(rtl, absdir, &fx.img, 0, &e)
                  : lsnn_rtl_load_port(rtl, &fx.img, 0, &e))) {
        fprintf(stderr, "lsnn verify: %s\n", e.msg);
        goto out;
    }
    t_load = cli_now_s() - t_load;
    uint64_t cyc0 = lsnn_rtl_cycles(rtl);
    double t0 = cli_now_s();
    int total = input ? b.n_seq : lsnn_task_test_count(task);
    if (!input && samples > 0 && samples < total) total = (int)samples;
    int step = input ? total : spec.batch_size; /* a spike file is one batch */
    for (int first = 0; first < total && status == 0; first += step) {
        int n = total - first < step ? total - first : step;
        if (!input && lsnn_task_test_batch(task, first, n, &b, &e)) {
            fprintf(stderr, "lsnn verify: %s\n", e.msg);
            goto out;
        }
        for (int q = 0; q < n && status == 0; q++) {
            status =
                run_sequence(ref, rtl, &fx.hm, &b, q, first + q, &out[0], &out[1], &ticks, &d, &e);
            if (status == 0) n_seq++;
            if (!json && isatty(2)) fprintf(stderr, "\rlsnn verify: sequence %ld/%d", n_seq, total);
        }
    }
    if (!json && isatty(2)) fputc('\n', stderr);
    if (status < 0) {
        fprintf(stderr, "lsnn verify: RTL: %s\n", e.msg);
        goto out;
    }
    double secs = cli_now_s() - t0;
    uint64_t sim_cycles = lsnn_rtl_cycles(rtl) - cyc0;
    const uint64_t *k = ref->counters;
    uint64_t ops = k[LSNN_REF_SYN_OPS], cyc = k[LSNN_REF_CYCLES];
    /* the synaptic phase's cycles, §10.2: L + E + Wd + 2 per tick */
    uint64_t syn_cyc = k[LSNN_REF_LATCH_READS] + k[LSNN_REF_SYN_EVENTS] +
                       k[LSNN_REF_SYN_WORD_READS] + 2 * k[LSNN_REF_TICKS];
    if (json) {
        printf("{\"image\": ");
        cli_json_string(stdout, dir);
        printf(", \"engines\": [\"ref\", \"rtl\"], \"load\": \"%s\", \"equal\": %s, "
               "\"sequences\": %ld, \"ticks\": %" PRIu64 ", \"cycles\": %" PRIu64
               ", \"syn_ops\": %" PRIu64 ", \"sop_per_cycle\": %.4f, \"sop_per_synaptic_cycle\": "
               "%.4f, \"rtl_cycles_per_s\": %.0f, \"load_seconds\": %.3f",
               readmemh ? "readmemh" : "port", status ? "false" : "true", n_seq, ticks, cyc, ops,
               cyc ? (double)ops / cyc : 0, syn_cyc ? (double)ops / syn_cyc : 0,
               secs > 0 ? sim_cycles / secs : 0, t_load);
        if (status)
            printf(", \"divergence\": {\"sequence\": %ld, \"tick\": %ld, \"core\": 0, \"neuron\": "
                   "%ld, \"global_neuron\": %ld, \"variable\": \"%s\", \"ref\": %" PRId64
                   ", \"rtl\": %" PRId64 "}",
                   d.seq, d.tick, d.neuron, d.global, d.what, d.ref_val, d.rtl_val);
        printf("}\n");
    } else if (status) {
        printf("FIRST DIVERGENCE: sequence %ld, tick %ld, core %u", d.seq, d.tick,
               fx.img.cores[0].core_id);
        if (d.neuron >= 0) printf(", neuron %ld (global %ld)", d.neuron, d.global);
        printf(", %s: ref %" PRId64 ", rtl %" PRId64 "\n", d.what, d.ref_val, d.rtl_val);
    } else {
        printf("verify %s: ref and rtl equal on %ld sequences, %" PRIu64
               " ticks: every neuron's v, a, ref, z, every counter, every cycle count and output "
               "word\n",
               dir, n_seq, ticks);
        printf("RTL (loaded through %s in %.2f s): %" PRIu64 " cycles, %.1f cycles per tick, "
               "%.0f per sequence; %.3f synaptic ops per cycle (%.3f in the synaptic phase); "
               "Verilator %.2f M cycles/s\n",
               readmemh ? "$readmemh" : "the programming port", t_load, cyc,
               ticks ? (double)cyc / ticks : 0, n_seq ? (double)cyc / n_seq : 0,
               cyc ? (double)ops / cyc : 0, syn_cyc ? (double)ops / syn_cyc : 0,
               secs > 0 ? sim_cycles / secs * 1e-6 : 0);
    }
    rc = status ? 1 : 0;
out:
    lsnn_rtl_free(rtl);
    lsnn_ref_free(ref);
    free(out);
    lsnn_batch_free(&b);
    lsnn_task_close(task);
    cli_fixed_free(&fx);
    return rc;
}
#endif
