/* cmd_energy.c - `lsnn energy`: energy and latency per inference of an image, from the activity
 * the reference runtime counts, priced by technology tables; beside an LSTM on a MAC array. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "energy.h"
#include "lsnn_fixed.h"
#include "techtable.h"

#define MAX_TABLES 8

static const char *usage =
    "usage: lsnn energy IMAGE_DIR [options]\n"
    "\n"
    "Runs test sequences of the image's task (or --input) on the bit-exact reference runtime,\n"
    "counts its activity (docs/neurocore.md §11) and prices it with technology tables\n"
    "(docs/tech-tables.md): energy per inference by term and by core, static energy, latency\n"
    "at the hardware config's clock from the cycle model, NeuroBench-style counts, and the\n"
    "paper's LSTM-128 on the same task on a MAC accelerator (Horowitz 45 nm) for comparison\n"
    "(docs/energy.md says what each figure includes).\n"
    "\n"
    "options:\n"
    "  --tech FILE       a neurocore technology table; repeatable (default: both shipped\n"
    "                    tables, models/tech/odin_reckon_28nm.yaml and loihi_like.yaml)\n"
    "  --lstm-tech FILE  the reference_ops table of the LSTM line\n"
    "                    (default models/tech/horowitz_45nm.yaml)\n"
    "  --hidden H        LSTM hidden units (default 128, the paper's LSTM-128)\n"
    "  --lstm-inputs N   LSTM inputs per step (default: sMNIST 1, the grey value, as the\n"
    "                    paper's LSTM; other tasks the LSNN's input channels)\n"
    "  --lstm-steps T    LSTM steps per inference (default: sMNIST 784, one per pixel; other\n"
    "                    tasks the LSNN's steps)\n"
    "  --samples N       inferences to average over (default 100)\n"
    "  --input FILE      input spike trains (lsnn-spikes format) instead of the test set\n"
    "  --json            print one JSON object instead of text\n"
    "  -h, --help        this help\n";

static void json_report(const lsnn_energy_report *r, int ncores)
{
    printf("{\"table\": ");
    cli_json_string(stdout, r->table);
    printf(", \"technology\": ");
    cli_json_string(stdout, r->technology);
    printf(", \"total_pj\": %.6g, \"dynamic_pj\": %.6g, \"static_pj\": %.6g, \"noc_pj\": %.6g, "
           "\"cycles\": %.6g, \"latency_us\": %.6g, \"clock_mhz\": %g, \"terms\": {",
           r->total_pj, r->dynamic_pj, r->static_pj, r->noc_pj, r->cycles, r->latency_us,
           r->clock_mhz);
    for (int i = 0; i < LSNN_TECH_N_EVENTS; i++)
        printf("%s\"%s\": {\"count\": %.6g, \"pj_per_event\": %.6g, \"pj\": %.6g}", i ? ", " : "",
               lsnn_tech_event_names[i], r->count[i], r->pj_per_event[i], r->pj[i]);
    printf("}, \"cores\": [");
    for (int c = 0; c < ncores; c++)
        printf("%s{\"dynamic_pj\": %.6g, \"static_pj\": %.6g}", c ? ", " : "",
               r->core_dynamic_pj[c], r->core_static_pj[c]);
    printf("]}");
}

static void json_lstm(const lsnn_lstm_energy *l)
{
    printf("{\"table\": ");
    cli_json_string(stdout, l->table);
    printf(", \"hidden\": %d, \"steps\": %d, \"params\": %.0f, \"macs\": %.6g, \"adds\": %.6g, "
           "\"mults\": %.6g, \"int8_pj\": %.6g, \"int8_memory_pj\": %.6g, \"fp32_pj\": %.6g, "
           "\"fp32_memory_pj\": %.6g}",
           l->hidden, l->steps, l->params, l->macs, l->adds, l->mults, l->int8.total_pj,
           l->int8.mem_pj, l->fp32.total_pj, l->fp32.mem_pj);
}

int cmd_energy(int argc, char **argv)
{
    const char *dir = NULL, *tech[MAX_TABLES], *lstm_tech = NULL, *input = NULL;
    int n_tech = 0, json = 0;
    long samples = 100, hidden = LSNN_LSTM_HIDDEN_DEFAULT, lstm_in = 0, lstm_steps = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--tech") || !strcmp(a, "--lstm-tech") || !strcmp(a, "--input")) {
            if (!next) return fprintf(stderr, "lsnn energy: %s needs a file\n", a), 2;
            if (!strcmp(a, "--tech")) {
                if (n_tech == MAX_TABLES)
                    return fprintf(stderr, "lsnn energy: at most %d --tech tables\n", MAX_TABLES),
                           2;
                tech[n_tech++] = next;
            } else if (!strcmp(a, "--input")) {
                input = next;
            } else {
                lstm_tech = next;
            }
            i++;
        } else if (!strcmp(a, "--samples")) {
            if (cli_int(a, next, 1, 100000000, &samples)) return 2;
            i++;
        } else if (!strcmp(a, "--hidden")) {
            if (cli_int(a, next, 1, 4096, &hidden)) return 2;
            i++;
        } else if (!strcmp(a, "--lstm-inputs")) {
            if (cli_int(a, next, 1, 1 << 20, &lstm_in)) return 2;
            i++;
        } else if (!strcmp(a, "--lstm-steps")) {
            if (cli_int(a, next, 1, 1 << 20, &lstm_steps)) return 2;
            i++;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (a[0] == '-') {
            fprintf(stderr, "lsnn energy: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!dir) {
            dir = a;
        } else {
            fprintf(stderr, "lsnn energy: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!dir) return fputs(usage, stderr), 2;
    if (!n_tech) {
        tech[n_tech++] = cli_shipped("models/tech/odin_reckon_28nm.yaml");
        tech[n_tech++] = cli_shipped("models/tech/loihi_like.yaml");
    }
    if (!lstm_tech) lstm_tech = cli_shipped("models/tech/horowitz_45nm.yaml");
    lsnn_tech_table *tables = calloc((size_t)n_tech + 1, sizeof *tables);
    lsnn_tech_table *ops = calloc(1, sizeof *ops);
    lsnn_energy_report *rep = calloc((size_t)n_tech, sizeof *rep);
    uint64_t *counters = NULL;
    lsnn_error e;
    cli_fixed fx;
    lsnn_spec spec;
    cli_input in = {0};
    cli_fixed_result r;
    lsnn_lstm_energy lstm;
    int rc = 1;
    memset(&fx, 0, sizeof fx);
    memset(&r, 0, sizeof r);
    if (!tables || !ops || !rep) {
        fprintf(stderr, "lsnn energy: out of memory\n");
        goto out;
    }
    for (int t = 0; t < n_tech; t++)
        if (lsnn_tech_load(tech[t], &tables[t], &e)) {
            fprintf(stderr, "lsnn energy: %s\n", e.msg);
            goto out;
        }
    if (lsnn_tech_load(lstm_tech, ops, &e)) {
        fprintf(stderr, "lsnn energy: %s\n", e.msg);
        goto out;
    }
    if (cli_open_image("energy", dir, &fx, &spec)) goto out;
    if (cli_input_open("energy", input, &spec, fx.hm.n_out, &in)) goto out;
    int steps = in.steps;
    cli_run_hooks h = {NULL, NULL, NULL, NULL, "lsnn energy"};
    int failed = cli_input_run(&fx, &in, (int)samples, spec.batch_size, &h, &r, &e);
    if (failed) {
        fprintf(stderr, "lsnn energy: %s\n", e.msg);
        goto out;
    }
    const lsnn_ref_chip *chip = fx.chip;
    counters = calloc((size_t)chip->ncores * LSNN_REF_NCOUNTERS, sizeof *counters);
    if (!counters) goto out;
    for (int c = 0; c < chip->ncores; c++)
        memcpy(counters + (size_t)c * LSNN_REF_NCOUNTERS, chip->core[c]->counters,
               sizeof chip->core[c]->counters);
    uint64_t I = (uint64_t)fx.hm.n_in, N = (uint64_t)fx.hm.n_rec, C = (uint64_t)fx.hm.n_out;
    lsnn_energy_run run = {chip->ncores,
                           counters,
                           (uint64_t)r.n_seq,
                           chip->noc_hops,
                           chip->chip_cycles,
                           I * N + N * N + N * C,
                           N,
                           0};
    for (int t = 0; t < n_tech; t++)
        if (lsnn_energy_compute(&run, &chip->cfg, &tables[t], &rep[t], &e)) {
            fprintf(stderr, "lsnn energy: %s: %s\n", tech[t], e.msg);
            goto out;
        }
    /* the paper's LSTM-128 reads the analog grey value, one pixel per step (lsnn-model.md) */
    int smnist = spec.task == LSNN_TASK_SMNIST && !input;
    if (!lstm_in) lstm_in = smnist ? 1 : fx.hm.n_in;
    if (!lstm_steps) lstm_steps = smnist ? 784 : steps;
    if (lsnn_lstm_energy_compute(ops, (int)lstm_in, (int)hidden, fx.hm.n_out, (int)lstm_steps,
                                 &lstm, &e)) {
        fprintf(stderr, "lsnn energy: LSTM line: %s\n", e.msg);
        goto out;
    }
    if (json) {
        printf("{\"image\": ");
        cli_json_string(stdout, dir);
        printf(", \"model\": ");
        cli_json_string(stdout, spec.name);
        printf(", \"hw\": ");
        cli_json_string(stdout, chip->cfg.name);
        printf(", \"cores\": %d, \"inferences\": %d, \"steps\": %d", chip->ncores, r.n_seq, steps);
        if (in.labelled)
            printf(", \"accuracy\": %.6f", r.n_win ? (double)r.n_correct / r.n_win : 0);
        printf(", \"per_inference\": {\"syn_ops\": %.6g, \"dense_macs\": %.6g, "
               "\"membrane_updates\": %.6g, \"spikes\": %.6g, \"activation_sparsity\": %.6g}",
               rep[0].syn_ops, rep[0].dense_macs, rep[0].membrane_updates, rep[0].spikes,
               rep[0].activation_sparsity);
        printf(", \"tables\": [");
        for (int t = 0; t < n_tech; t++) {
            printf("%s", t ? ", " : "");
            json_report(&rep[t], chip->ncores);
        }
        printf("], \"lstm\": ");
        json_lstm(&lstm);
        printf("}\n");
    } else {
        printf("image %s: model %s on %d core%s of hw config '%s'; %d inferences of %d steps", dir,
               spec.name, chip->ncores, chip->ncores == 1 ? "" : "s", chip->cfg.name, r.n_seq,
               steps);
        if (in.labelled) printf(", accuracy %.2f %%", r.n_win ? 100.0 * r.n_correct / r.n_win : 0);
        printf("\n\n");
        for (int t = 0; t < n_tech; t++) {
            lsnn_energy_print(stdout, &rep[t]);
            printf("\n");
        }
        lsnn_lstm_print(stdout, &lstm);
        printf("\ncomparison per inference:");
        for (int t = 0; t < n_tech; t++)
            printf(" LSNN on %s %.4g nJ;", rep[t].table, rep[t].total_pj * 1e-3);
        printf(" LSTM-%ld int8 %.4g nJ, fp32 %.4g nJ (%s)\n", hidden, lstm.int8.total_pj * 1e-3,
               lstm.fp32.total_pj * 1e-3, lstm.table);
        for (int t = 0; t < n_tech; t++) {
            double lsnn = rep[t].total_pj > 0 ? rep[t].total_pj : 1;
            printf("  %s: the LSTM-%ld (int8) takes %.1fx the LSNN's energy; its MACs alone, "
                   "weights fetched for free, %.1fx\n",
                   rep[t].table, hidden, lstm.int8.total_pj / lsnn, lstm.int8.mac_pj / lsnn);
        }
    }
    rc = 0;
out:
    free(counters);
    free(tables);
    free(ops);
    free(rep);
    cli_input_close(&in);
    cli_fixed_free(&fx);
    return rc;
}
