/* cmd_verify.c - `lsnn verify`: the RTL neurocore (Verilator) against the reference runtime,
 * every tick, every neuron, every variable, every counter, every cycle count. */
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#ifdef LSNN_HAVE_RTL
#include "cli_util.h"
#include "lsnn_fixed.h"
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

/* The first difference: where (sequence, tick, local neuron or -1), what, both values. */
typedef struct {
    long seq, tick;
    char what[64];
    long neuron;
    int64_t ref_val, rtl_val;
} divergence;

/* The reference's output words of a tick, collected by its emit callback. */
typedef struct {
    uint32_t w[65536];
    int port[65536];
    size_t n;
} words;

/* Both engines in lockstep behind one host-engine interface (runtime/ref_host.h): the host
 * drives the pair exactly as it drives one engine, and every CLEAR and TICK compares them.
 * A difference stops the run as an error with `diverged` set. */
typedef struct {
    lsnn_ref_core *ref;
    lsnn_rtl *rtl;
    words out, rtl_out;
    long seq; /* sequences start with a CLEAR: -1 before the first */
    long tick;
    uint64_t ticks;
    int diverged;
    divergence d;
} pair;

static void collect(void *ctx, int port, uint32_t word)
{
    words *o = ctx;
    if (o->n < 65536) o->port[o->n] = port, o->w[o->n++] = word;
}

static int diverged(pair *p, const char *what, long n, int64_t a, int64_t b, lsnn_error *e)
{
    p->diverged = 1;
    p->d = (divergence){p->seq, p->tick, "", n, a, b};
    snprintf(p->d.what, sizeof p->d.what, "%s", what);
    return lsnn_fail(e, "the engines diverge");
}

/* Every neuron's state, every counter and the tick's cycles (is_tick), then each port's output
 * words in order (lsnn_rtl_compare_outputs). 0 when equal. */
static int compare(pair *p, int is_tick, uint64_t rtl_cycles, lsnn_error *e)
{
    const lsnn_ref_core *ref = p->ref;
    if (is_tick && ref->last_cycles != rtl_cycles)
        return diverged(p, "cycles of the tick", -1, (int64_t)ref->last_cycles, (int64_t)rtl_cycles,
                        e);
    for (uint32_t n = 0; is_tick && n < ref->nu; n++) {
        lsnn_ref_state s;
        lsnn_rtl_state(p->rtl, n, &s);
        const lsnn_ref_state *r = &ref->state[n];
        if (r->v != s.v) return diverged(p, "v", n, r->v, s.v, e);
        if (r->a != s.a) return diverged(p, "a", n, r->a, s.a, e);
        if (r->ref != s.ref) return diverged(p, "ref", n, r->ref, s.ref, e);
        if (r->z != s.z) return diverged(p, "z", n, r->z, s.z, e);
    }
    uint64_t c[LSNN_REF_NCOUNTERS];
    lsnn_rtl_counters(p->rtl, c);
    for (int i = 0; is_tick && i < LSNN_REF_NCOUNTERS; i++)
        if (c[i] != ref->counters[i]) {
            char what[64];
            snprintf(what, sizeof what, "counter %s", lsnn_ref_counter_name(i));
            return diverged(p, what, -1, (int64_t)ref->counters[i], (int64_t)c[i], e);
        }
    lsnn_rtl_mismatch m;
    p->rtl_out.n = lsnn_rtl_outputs(p->rtl, p->rtl_out.w, p->rtl_out.port, 65536);
    if (!lsnn_rtl_compare_outputs(p->out.w, p->out.port, p->out.n, p->rtl_out.w, p->rtl_out.port,
                                  p->rtl_out.n, NULL, &m))
        return 0;
    if (m.count_differs)
        return diverged(p, m.port ? "number of NoC-out words" : "number of host-out words", -1,
                        (int64_t)m.ref_n, (int64_t)m.rtl_n, e);
    return diverged(p, m.port ? "NoC-out word" : "host-out word", m.index, m.ref, m.rtl, e);
}

static int pair_clear(void *ctx, lsnn_error *e)
{
    pair *p = ctx;
    p->seq++;
    p->tick = -1;
    p->out.n = 0;
    lsnn_ref_clear(p->ref, collect, &p->out);
    return lsnn_rtl_clear(p->rtl, e) ? -1 : compare(p, 0, 0, e);
}

static int pair_event(void *ctx, int ci, uint32_t axon, lsnn_error *e)
{
    pair *p = ctx;
    (void)ci; /* one core */
    lsnn_ref_event(p->ref, axon);
    return lsnn_rtl_event(p->rtl, axon, e);
}

static int pair_tick(void *ctx, lsnn_error *e)
{
    pair *p = ctx;
    uint64_t cycles = 0;
    p->out.n = 0;
    lsnn_ref_tick(p->ref, collect, &p->out);
    if (lsnn_rtl_tick(p->rtl, &cycles, e)) return -1;
    p->tick++;
    p->ticks++;
    return compare(p, 1, cycles, e);
}

/* Between ticks both engines hold the same values, so the host reads the reference's. */
static void pair_state(void *ctx, int ci, uint32_t n, lsnn_ref_state *out)
{
    (void)ci;
    *out = ((pair *)ctx)->ref->state[n];
}

static void pair_counters(void *ctx, int ci, uint64_t out[LSNN_REF_NCOUNTERS])
{
    (void)ci;
    memcpy(out, ((pair *)ctx)->ref->counters, LSNN_REF_NCOUNTERS * sizeof *out);
}

static uint64_t pair_tick_cycles(void *ctx)
{
    return ((pair *)ctx)->ref->last_cycles;
}

static uint32_t pair_nu(void *ctx, int ci)
{
    (void)ci;
    return ((pair *)ctx)->ref->nu;
}

static void pair_engine(pair *p, lsnn_host_engine *en)
{
    memset(en, 0, sizeof *en);
    en->ctx = p;
    en->ncores = 1;
    en->core_id[0] = p->ref->core_id;
    en->clear = pair_clear;
    en->event = pair_event;
    en->tick = pair_tick;
    en->state = pair_state;
    en->counters = pair_counters;
    en->tick_cycles = pair_tick_cycles;
    en->nu = pair_nu;
}

/* The global neuron (host-map numbering) of the divergence's local neuron on core index 0, or
 * -1 (no neuron: a cycle count, a counter or an output word, whose index is in d->neuron). */
static long global_neuron(const lsnn_hostmap *m, const divergence *d)
{
    long n = strstr(d->what, "word") ? -1 : d->neuron;
    for (int g = 0; n >= 0 && g < m->n_rec + m->n_out; g++)
        if (m->core_index[g] == 0 && m->local[g] == (uint32_t)n) return g;
    return -1;
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
    cli_input in = {0};
    cli_fixed_result r = {0};
    lsnn_error e;
    pair *p = calloc(1, sizeof *p);
    int rc = 1;
    if (!p || cli_open_image("verify", dir, &fx, &spec)) {
        free(p);
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
    if (cli_pick_dataset("verify", &spec, dataset, data_dir) ||
        cli_input_open("verify", input, &spec, fx.hm.n_out, &in))
        goto out;
    double t_load = cli_now_s();
    p->ref = fx.chip->core[0]; /* the image's reference core, as lsnn run runs it */
    p->seq = -1;
    if (!(p->rtl = lsnn_rtl_create(&fx.img.cfg, vcd, &e)) ||
        (readmemh ? lsnn_rtl_load_readmemh(p->rtl, dir, &fx.img, 0, &e)
                  : lsnn_rtl_load_port(p->rtl, &fx.img, 0, &e))) {
        fprintf(stderr, "lsnn verify: %s\n", e.msg);
        goto out;
    }
    t_load = cli_now_s() - t_load;
    pair_engine(p, &fx.engine);
    uint64_t cyc0 = lsnn_rtl_cycles(p->rtl);
    double t0 = cli_now_s();
    cli_run_hooks h = {NULL, NULL, NULL, NULL, json ? NULL : "lsnn verify"};
    if (cli_input_run(&fx, &in, (int)samples, spec.batch_size, &h, &r, &e) && !p->diverged) {
        fprintf(stderr, "lsnn verify: RTL: %s\n", e.msg);
        goto out;
    }
    int status = p->diverged;
    long n_seq = r.n_seq;
    uint64_t ticks = p->ticks;
    divergence d = p->d;
    double secs = cli_now_s() - t0;
    uint64_t sim_cycles = lsnn_rtl_cycles(p->rtl) - cyc0;
    const uint64_t *k = p->ref->counters;
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
                   d.seq, d.tick, d.neuron, global_neuron(&fx.hm, &d), d.what, d.ref_val,
                   d.rtl_val);
        printf("}\n");
    } else if (status) {
        printf("FIRST DIVERGENCE: sequence %ld, tick %ld, core %u", d.seq, d.tick,
               fx.img.cores[0].core_id);
        if (global_neuron(&fx.hm, &d) >= 0)
            printf(", neuron %ld (global %ld)", d.neuron, global_neuron(&fx.hm, &d));
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
    lsnn_rtl_free(p->rtl);
    free(p);
    cli_input_close(&in);
    cli_fixed_free(&fx);
    return rc;
}
#endif
