/* cmd_eval.c - `lsnn eval`: test accuracy, firing rates and connectivity of a trained model, in
 * float or also on the fixed-point reference core. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_model.h"
#include "cli_util.h"
#include "commands.h"
#include "compiler.h"
#include "deepr.h"
#include "eval.h"
#include "lsnn_fixed.h"
#include "model.h"
#include "spec.h"
#include "task.h"

static const char *usage =
    "usage: lsnn eval RUN_DIR [options]\n"
    "       lsnn eval IMAGE_DIR [--samples N] [--json]   (the same as lsnn run IMAGE_DIR)\n"
    "\n"
    "Runs the trained model in RUN_DIR (model.yaml + weights.safetensors) on the test split of\n"
    "its task and reports the error (recall error for store-recall, test error for sMNIST),\n"
    "the firing rate of each population and the connectivity: active / possible connections\n"
    "of w_in, w_rec, w_out and in total, and the fraction of excitatory active weights.\n"
    "\n"
    "options:\n"
    "  --engine float|ref  float: the float network (default); ref: also compile it onto the\n"
    "                      neurocores (as lsnn compile does) and run the same test sequences\n"
    "                      on the fixed-point reference runtime; reports both accuracies\n"
    "  --hw FILE           hardware config for --engine ref (default: " LSNN_CLI_DEFAULT_HW ",\n"
    "                      or the built-in default core if that file does not exist)\n"
    "  --weight-bits N     override core.weight_bits (W, 2..16) for --engine ref\n"
    "  --split test        the split to evaluate (only the test split exists for now)\n"
    "  --samples N         evaluate only the first N test sequences\n"
    "  --threads N         worker threads (default 2)\n"
    "  --json              print one JSON object instead of text\n"
    "  -h, --help          this help\n";

typedef cli_fixed_result fixed_result;

static void print_json_string(const char *s)
{
    cli_json_string(stdout, s);
}

static int n_rec_of(const lsnn_spec *s)
{
    int n = 0;
    for (int p = 0; p < s->n_pops; p++)
        n += s->pops[p].size;
    return n;
}

/* Mean recurrent firing rate of the fixed-point runs. */
static double fixed_rate_hz(const lsnn_spec *s, const fixed_result *fx)
{
    double neuron_s = (double)fx->steps * n_rec_of(s) * s->dt_ms * 1e-3;
    return neuron_s > 0 ? fx->spikes / neuron_s : 0;
}

static const char *const matrix_names[3] = {"w_in", "w_rec", "w_out"};

static double frac(long a, long b)
{
    return b ? (double)a / b : 0;
}

static void print_connectivity_json(const lsnn_spec *s, const lsnn_connectivity *c)
{
    printf("\"connectivity\": {\"mode\": \"%s\", \"budget\": ",
           s->connectivity == LSNN_CONN_DEEP_R ? "deep_r" : "dense");
    if (c->budget >= 0)
        printf("%ld", c->budget);
    else
        printf("null");
    for (int m = 0; m < 3; m++)
        printf(", \"%s\": {\"active\": %ld, \"possible\": %ld, \"fraction\": %.6f}",
               matrix_names[m], c->active[m], c->possible[m], frac(c->active[m], c->possible[m]));
    printf(", \"total\": {\"active\": %ld, \"possible\": %ld, \"fraction\": %.6f}, "
           "\"excitatory_fraction\": %.6f}",
           c->active_total, c->possible_total, frac(c->active_total, c->possible_total),
           frac(c->excitatory, c->active_total));
}

static void print_connectivity_text(const lsnn_spec *s, const lsnn_connectivity *c)
{
    printf("connectivity (%s", s->connectivity == LSNN_CONN_DEEP_R ? "deep_r" : "dense");
    if (c->budget >= 0) printf(", budget %ld", c->budget);
    printf("):");
    for (int m = 0; m < 3; m++)
        printf(" %s %ld/%ld (%.2f %%),", matrix_names[m], c->active[m], c->possible[m],
               100 * frac(c->active[m], c->possible[m]));
    printf(" total %ld/%ld (%.2f %%)\n", c->active_total, c->possible_total,
           100 * frac(c->active_total, c->possible_total));
    printf("excitatory: %.2f %% of the active weights\n",
           100 * frac(c->excitatory, c->active_total));
}

static void print_json(const char *dir, const lsnn_spec *s, const char *metric,
                       const lsnn_eval_result *r, const lsnn_connectivity *c,
                       const lsnn_hw_config *hw, const fixed_result *fx)
{
    printf("{\"run\": ");
    print_json_string(dir); /* a path may hold quotes and backslashes */
    printf(", \"model\": \"%s\", \"split\": \"test\", \"sequences\": %d, "
           "\"windows\": %d, \"metric\": \"%s\", \"error\": %.6f, \"accuracy\": %.6f, "
           "\"loss\": %.6f, \"mean_rate_hz\": %.4f, \"rates_hz\": {",
           s->name, r->n_seq, r->n_win, metric, r->error, 1 - r->error, r->loss, r->mean_rate_hz);
    for (int p = 0; p < s->n_pops; p++)
        printf("%s\"%s\": %.4f", p ? ", " : "", s->pops[p].name, r->pop_rate_hz[p]);
    printf("}, ");
    print_connectivity_json(s, c);
    if (fx) {
        double acc = fx->n_win ? (double)fx->n_correct / fx->n_win : 0;
        printf(", \"engine\": \"ref\", \"hw\": ");
        print_json_string(hw->name);
        printf(", \"fixed\": {\"weight_bits\": %d, \"sequences\": %d, \"windows\": %d, "
               "\"correct\": %d, \"error\": %.6f, \"accuracy\": %.6f, \"mean_rate_hz\": %.4f, "
               "\"difference_points\": %.4f}",
               hw->weight_bits, fx->n_seq, fx->n_win, fx->n_correct, 1 - acc, acc,
               fixed_rate_hz(s, fx),
               100 * (acc - (r->n_win ? (double)r->n_correct / r->n_win : 0)));
    }
    printf("}\n");
}

int cmd_eval(int argc, char **argv)
{
    const char *dir = NULL, *hw = NULL;
    int json = 0, threads = 2, samples = 0, ref = 0, weight_bits = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--engine")) {
            if (!next || (strcmp(next, "float") && strcmp(next, "ref")))
                return fprintf(stderr, "lsnn eval: --engine must be 'float' or 'ref'\n"), 2;
            ref = !strcmp(next, "ref"), i++;
        } else if (!strcmp(a, "--hw")) {
            if (!next) return fprintf(stderr, "lsnn eval: --hw needs a file\n"), 2;
            hw = next, i++;
        } else if (!strcmp(a, "--weight-bits")) {
            if (cli_int(a, next, 2, 16, &v)) return 2;
            weight_bits = (int)v, i++;
        } else if (!strcmp(a, "--split")) {
            if (!next || strcmp(next, "test"))
                return fprintf(stderr, "lsnn eval: --split must be 'test'\n"), 2;
            i++;
        } else if (!strcmp(a, "--samples")) {
            if (cli_int(a, next, 1, 100000000L, &v)) return 2;
            samples = (int)v, i++;
        } else if (!strcmp(a, "--threads")) {
            if (cli_int(a, next, 1, 64, &v)) return 2;
            threads = (int)v, i++;
        } else if (a[0] == '-') {
            fprintf(stderr, "lsnn eval: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (!dir) {
            dir = a;
        } else {
            fprintf(stderr, "lsnn eval: unexpected argument '%s'\n", a);
            return 2;
        }
    }
    if (!dir) {
        fputs(usage, stderr);
        return 2;
    }
    if (cli_is_image(dir)) { /* an image holds only the fixed-point network: run it */
        if (hw || weight_bits)
            return fprintf(stderr, "lsnn eval: %s is a compiled image; --hw and --weight-bits "
                                   "apply to a run directory\n",
                           dir),
                   2;
        char n[32];
        snprintf(n, sizeof n, "%d", samples);
        char *args[] = {"run", (char *)dir, "--samples", n, json ? "--json" : NULL, NULL};
        return cmd_run(json ? 5 : 4, args);
    }
    if (!ref && (hw || weight_bits))
        return fprintf(stderr, "lsnn eval: --hw and --weight-bits need --engine ref\n"), 2;
    lsnn_error e;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_task *task = NULL;
    lsnn_engine *en = NULL;
    lsnn_hw_config cfg;
    lsnn_compiled cc;
    cli_fixed fixed;
    fixed_result fx;
    int rc = 1;
    memset(&cc, 0, sizeof cc);
    memset(&fixed, 0, sizeof fixed);
    memset(&fx, 0, sizeof fx);
    if (cli_load_model("eval", dir, &spec, &net, &dr)) return 1;
    if (lsnn_task_open(&spec, &task, &e)) {
        fprintf(stderr, "lsnn eval: %s\n", e.msg);
        goto out;
    }
    if (ref && (cli_load_hw("eval", hw, weight_bits, &cfg) ||
                cli_compile("eval", &spec, &net, &cfg, &cc, &fixed)))
        goto out;
    en = lsnn_engine_new(threads);
    lsnn_eval_result r;
    if (!en || lsnn_evaluate(en, &spec, &net, task, samples, spec.batch_size, &r, &e)) {
        fprintf(stderr, "lsnn eval: %s\n", en ? e.msg : "out of memory");
        goto out;
    }
    if (ref && cli_run_task(&fixed, task, samples, spec.batch_size, NULL, &fx, &e)) {
        fprintf(stderr, "lsnn eval: reference core: %s\n", e.msg);
        goto out;
    }
    const char *metric = lsnn_task_metric(task);
    lsnn_connectivity conn;
    lsnn_connectivity_of(&spec, &net, &dr, &conn);
    if (json) {
        print_json(dir, &spec, metric, &r, &conn, &cfg, ref ? &fx : NULL);
    } else {
        if (spec.connectivity == LSNN_CONN_DEEP_R)
            printf("model %s: %d recurrent neurons, %ld active weights (of %ld dense)\n", spec.name,
                   net.n_rec, conn.active_total, lsnn_model_n_params(&spec));
        else
            printf("model %s: %d recurrent neurons, %ld parameters\n", spec.name, net.n_rec,
                   lsnn_model_n_params(&spec));
        printf("test split: %d sequences, %d scored windows\n", r.n_seq, r.n_win);
        printf("%s: %.2f %% (accuracy %.2f %%), loss %.4f\n", metric, 100 * r.error,
               100 * (1 - r.error), r.loss);
        printf("firing rates:");
        for (int p = 0; p < spec.n_pops; p++)
            printf(" %s %.2f Hz,", spec.pops[p].name, r.pop_rate_hz[p]);
        printf(" mean %.2f Hz\n", r.mean_rate_hz);
        print_connectivity_text(&spec, &conn);
        if (ref) {
            double fa = r.n_win ? 100.0 * r.n_correct / r.n_win : 0,
                   xa = fx.n_win ? 100.0 * fx.n_correct / fx.n_win : 0;
            printf("reference runtime (hw config '%s', %d core%s): %d sequences, %d scored windows, mean rate "
                   "%.2f Hz\n",
                   cfg.name, cc.n_cores, cc.n_cores == 1 ? "" : "s", fx.n_seq, fx.n_win,
                   fixed_rate_hz(&spec, &fx));
            printf("float: %.2f %%, fixed (%d-bit weights): %.2f %%, difference %+.2f points\n", fa,
                   cfg.weight_bits, xa, xa - fa);
        }
    }
    rc = 0;
out:
    cli_fixed_free(&fixed);
    lsnn_cc_free(&cc);
    lsnn_engine_free(en);
    lsnn_task_close(task);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
