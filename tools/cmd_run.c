/* cmd_run.c - `lsnn run`: a hardware image on the bit-exact reference runtime, several cores
 * included; outputs, traces, VCD and activity counts. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "lsnn_fixed.h"
#include "lsnn_rtl_engine.h"
#include "trace.h"
#include "vcd.h"

static const char *usage =
    "usage: lsnn run IMAGE_DIR [options]\n"
    "\n"
    "Runs a hardware image (lsnn compile) on the bit-exact fixed-point reference runtime: every\n"
    "core of the image, tick by tick as docs/neurocore.md says, spikes crossing cores through\n"
    "the routing tables. By default it runs test sequences of the task the model was trained\n"
    "on (the image's model.yaml) and prints the accuracy; it always prints the activity\n"
    "counts and the cycle model's cycles.\n"
    "\n"
    "options:\n"
    "  --engine ref|rtl ref: the reference runtime (default); rtl: the Verilog neurocore under\n"
    "                   Verilator (one-core images)\n"
    "  --input FILE     input spike trains in the lsnn-spikes text format (docs/trace-format.md)\n"
    "  --dataset NAME   sMNIST models: test images of mnist or fashion-mnist instead of the\n"
    "                   model's dataset\n"
    "  --data-dir DIR   where that dataset's IDX files are\n"
    "  --samples N      run the first N test sequences (default 100; 0 = all)\n"
    "  --out FILE       one CSV line per scored window: sequence, label, prediction, scores\n"
    "  --trace FILE     every state variable of every neuron after every tick, and each\n"
    "                   core's counter increments (docs/trace-format.md)\n"
    "  --vcd FILE       ref: the same states as a tick-level VCD for GTKWave; rtl: a\n"
    "                   cycle-level VCD of every RTL signal (large: use few samples)\n"
    "  --json           print one JSON object instead of text\n"
    "  -h, --help       this help\n";

typedef struct {
    lsnn_trace *trace;
    lsnn_vcd *vcd;
    int steps;
    FILE *out;
    int labelled;
} run_ctx;

static void on_tick(void *p, int seq, int t, const lsnn_host_engine *en)
{
    run_ctx *x = p;
    if (x->trace) lsnn_trace_tick(x->trace, seq, x->steps, t, en);
    if (x->vcd) lsnn_vcd_tick(x->vcd, seq, t, en);
}

static void on_seq(void *p, int seq, const lsnn_batch *b, int q, const lsnn_host_result *r)
{
    run_ctx *x = p;
    if (!x->out) return;
    int w = 0;
    for (int k = 0; k < b->n_win; k++) {
        if (b->win[k].seq != q) continue;
        fprintf(x->out, "%d,%d,%d,%d,", seq, b->win[k].start, b->win[k].end,
                x->labelled ? r->label[w] : -1);
        fprintf(x->out, "%d", r->pred[w]);
        for (int c = 0; c < r->n_out; c++)
            fprintf(x->out, ",%" PRId64, r->score[(size_t)w * r->n_out + c]);
        for (int c = 0; c < r->n_out; c++)
            fprintf(x->out, ",%.9g", r->logit[(size_t)w * r->n_out + c]);
        fputc('\n', x->out);
        w++;
    }
}

/* What a run measured, from whichever engine ran it. */
typedef struct {
    const char *engine; /* "ref" or "rtl" */
    const lsnn_hw_config *cfg;
    int ncores;
    uint64_t counter[LSNN_REF_NCOUNTERS]; /* summed over the cores */
    uint64_t chip_cycles;                 /* ref: per-tick max over cores; rtl: its cycles */
    uint64_t noc_hops;
} run_totals;

static void totals_of(const cli_fixed *fx, int rtl, run_totals *t)
{
    const lsnn_host_engine *en = &fx->engine;
    memset(t, 0, sizeof *t);
    t->engine = rtl ? "rtl" : "ref";
    t->cfg = &fx->img.cfg;
    t->ncores = en->ncores;
    for (int c = 0; c < en->ncores; c++) {
        uint64_t k[LSNN_REF_NCOUNTERS];
        en->counters(en->ctx, c, k);
        for (int i = 0; i < LSNN_REF_NCOUNTERS; i++)
            t->counter[i] += k[i];
    }
    t->chip_cycles = rtl ? t->counter[LSNN_REF_CYCLES] : fx->chip->chip_cycles;
    t->noc_hops = rtl ? 0 : fx->chip->noc_hops;
}

static void print_text(const char *dir, const run_totals *c, const cli_fixed *fx,
                       const lsnn_spec *spec, const cli_fixed_result *r, int labelled, double secs)
{
    const uint64_t *k = c->counter;
    double n = r->n_seq ? r->n_seq : 1, ticks = (double)k[LSNN_REF_TICKS] / c->ncores;
    printf("image %s: model %s, %d core%s of hw config '%s', engine %s\n", dir, spec->name,
           c->ncores, c->ncores == 1 ? "" : "s", c->cfg->name, c->engine);
    printf("%d sequences, %ld steps each, %d scored windows", r->n_seq,
           r->n_seq ? r->steps / r->n_seq : 0, r->n_win);
    if (labelled)
        printf(": accuracy %.2f %% (%d correct)\n", r->n_win ? 100.0 * r->n_correct / r->n_win : 0,
               r->n_correct);
    else
        printf(" (unlabelled)\n");
    double neuron_s = (double)r->steps * fx->hm.n_rec * spec->dt_ms * 1e-3;
    printf("recurrent spikes %ld (mean rate %.2f Hz)\n", r->spikes,
           neuron_s > 0 ? r->spikes / neuron_s : 0);
    printf("per inference: %.0f synaptic ops, %.0f synaptic events, %.0f SYN word reads, %.0f "
           "neuron updates, %.0f spikes (%.0f to other cores, %.1f NoC hops)\n",
           k[LSNN_REF_SYN_OPS] / n, k[LSNN_REF_SYN_EVENTS] / n, k[LSNN_REF_SYN_WORD_READS] / n,
           k[LSNN_REF_NEURON_UPDATES] / n, k[LSNN_REF_SPIKES] / n, k[LSNN_REF_SPIKES_CORE] / n,
           (double)c->noc_hops / n);
    printf("%s: %.1f cycles per tick (slowest core), %.0f cycles per inference = %.3f ms "
           "at %g MHz\n",
           strcmp(c->engine, "rtl") ? "cycle model" : "RTL cycles",
           ticks > 0 ? (double)c->chip_cycles / ticks : 0, (double)c->chip_cycles / n,
           (double)c->chip_cycles / n / (c->cfg->clock_mhz * 1e3), c->cfg->clock_mhz);
    printf("saturations: acc %" PRIu64 ", v %" PRIu64 ", readout %" PRIu64 ", a %" PRIu64
           "; duplicate events %" PRIu64 ", bad words %" PRIu64 "\n",
           k[LSNN_REF_SAT_ACC], k[LSNN_REF_SAT_V], k[LSNN_REF_SAT_R], k[LSNN_REF_SAT_A],
           k[LSNN_REF_DUP_EVENTS], k[LSNN_REF_BAD_WORDS]);
    printf("%s: %.2f s, %.1f M synaptic ops/s\n",
           strcmp(c->engine, "rtl") ? "reference runtime" : "Verilator", secs,
           secs > 0 ? k[LSNN_REF_SYN_OPS] / secs * 1e-6 : 0);
}

static void print_json(const char *dir, const run_totals *c, const lsnn_spec *spec,
                       const cli_fixed_result *r, int labelled, double secs)
{
    printf("{\"image\": ");
    cli_json_string(stdout, dir);
    printf(", \"model\": ");
    cli_json_string(stdout, spec->name);
    printf(", \"hw\": ");
    cli_json_string(stdout, c->cfg->name);
    printf(", \"engine\": \"%s\", \"cores\": %d, \"sequences\": %d, \"steps\": %ld, "
           "\"windows\": %d, ",
           c->engine, c->ncores, r->n_seq, r->steps, r->n_win);
    if (labelled)
        printf("\"correct\": %d, \"accuracy\": %.6f, ", r->n_correct,
               r->n_win ? (double)r->n_correct / r->n_win : 0);
    printf("\"spikes\": %ld, \"chip_cycles\": %" PRIu64 ", \"noc_hops\": %" PRIu64
           ", \"seconds\": %.3f, \"counters\": {",
           r->spikes, c->chip_cycles, c->noc_hops, secs);
    for (int i = 0; i < LSNN_TRACE_COUNTERS; i++)
        printf("%s\"%s\": %" PRIu64, i ? ", " : "", lsnn_ref_counter_name(i), c->counter[i]);
    printf("}}\n");
}

int cmd_run(int argc, char **argv)
{
    const char *dir = NULL, *input = NULL, *dataset = NULL, *data_dir = NULL, *out = NULL,
               *trace = NULL, *vcd = NULL;
    int json = 0, rtl = 0;
    long samples = 100;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(a, "--input")      ? &input
                            : !strcmp(a, "--dataset")  ? &dataset
                            : !strcmp(a, "--data-dir") ? &data_dir
                            : !strcmp(a, "--out")      ? &out
                            : !strcmp(a, "--trace")    ? &trace
                            : !strcmp(a, "--vcd")      ? &vcd
                                                       : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (slot) {
            if (!next) return fprintf(stderr, "lsnn run: %s needs a value\n", a), 2;
            *slot = next, i++;
        } else if (!strcmp(a, "--samples")) {
            if (cli_int(a, next, 0, 100000000, &samples)) return 2;
            i++;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--engine")) {
            if (!next || (strcmp(next, "ref") && strcmp(next, "rtl")))
                return fprintf(stderr, "lsnn run: --engine must be 'ref' or 'rtl'\n"), 2;
            rtl = !strcmp(next, "rtl"), i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "lsnn run: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!dir) {
            dir = a;
        } else {
            fprintf(stderr, "lsnn run: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!dir) return fputs(usage, stderr), 2;
    if (input && (dataset || data_dir)) {
        fprintf(stderr, "lsnn run: --input and --dataset/--data-dir exclude each other\n");
        return 2;
    }
    cli_fixed fx;
    lsnn_spec spec;
    cli_input in = {0};
    lsnn_error e;
    lsnn_trace tr;
    lsnn_vcd vc;
    run_ctx ctx = {0};
    lsnn_atomic_file outf = {0};
    cli_fixed_result r;
    int rc = 1;
    lsnn_host_engine rtl_en = {0};
    memset(&r, 0, sizeof r);
    if (cli_open_image("run", dir, &fx, &spec)) return 1;
    if (cli_pick_dataset("run", &spec, dataset, data_dir)) goto out;
    if (cli_input_open("run", input, &spec, fx.hm.n_out, &in)) goto out;
    ctx.steps = in.steps;
    ctx.labelled = in.labelled;
    if (rtl) { /* the RTL replaces the chip; its --vcd is the harness's cycle-level one */
        if (cli_rtl_engine("run", dir, &fx.img, vcd, &rtl_en)) goto out;
        fx.engine = rtl_en;
    }
    const lsnn_host_engine *engine = &fx.engine;
    if (out) {
        if (lsnn_atomic_open(&outf, out, &e)) {
            fprintf(stderr, "lsnn run: %s\n", e.msg);
            goto out;
        }
        ctx.out = outf.f;
    }
    if (ctx.out) {
        fprintf(ctx.out, "sequence,start,end,label,prediction");
        for (int c = 0; c < fx.hm.n_out; c++)
            fprintf(ctx.out, ",score_%d", c);
        for (int c = 0; c < fx.hm.n_out; c++)
            fprintf(ctx.out, ",logit_%d", c);
        fputc('\n', ctx.out);
    }
    if (trace) {
        if (lsnn_trace_open(&tr, trace, &fx.hm, engine, &e)) {
            fprintf(stderr, "lsnn run: %s\n", e.msg);
            goto out;
        }
        ctx.trace = &tr;
    }
    if (vcd && !rtl) {
        if (lsnn_vcd_open(&vc, vcd, engine, &fx.img.cfg, &e)) {
            fprintf(stderr, "lsnn run: %s\n", e.msg);
            goto out;
        }
        ctx.vcd = &vc;
    }
    cli_run_hooks h = {(ctx.trace || ctx.vcd) ? on_tick : NULL, &ctx, on_seq, &ctx, "lsnn run"};
    double t0 = cli_now_s();
    int failed = cli_input_run(&fx, &in, (int)samples, spec.batch_size, &h, &r, &e);
    double secs = cli_now_s() - t0;
    if (failed) {
        fprintf(stderr, "lsnn run: %s\n", e.msg);
        goto out;
    }
    if (ctx.trace) {
        ctx.trace = NULL;
        if (lsnn_trace_close(&tr, &e)) {
            fprintf(stderr, "lsnn run: %s\n", e.msg);
            goto out;
        }
    }
    if (ctx.vcd) {
        ctx.vcd = NULL;
        if (lsnn_vcd_close(&vc, &e)) {
            fprintf(stderr, "lsnn run: %s\n", e.msg);
            goto out;
        }
    }
    if (ctx.out) {
        ctx.out = NULL;
        if (lsnn_atomic_commit(&outf, &e)) {
            fprintf(stderr, "lsnn run: %s\n", e.msg);
            goto out;
        }
    }
    run_totals tot;
    totals_of(&fx, rtl, &tot);
    if (json)
        print_json(dir, &tot, &spec, &r, in.labelled, secs);
    else
        print_text(dir, &tot, &fx, &spec, &r, in.labelled, secs);
    rc = 0;
out:
    if (ctx.trace) lsnn_trace_abort(&tr);
    if (ctx.vcd) lsnn_vcd_abort(&vc);
    if (ctx.out) lsnn_atomic_abort(&outf);
    cli_input_close(&in);
    if (rtl) cli_rtl_engine_free(&rtl_en);
    cli_fixed_free(&fx);
    return rc;
}
