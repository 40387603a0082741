/* cmd_eval.c - `lsnn eval`: test accuracy, firing rates and connectivity of a trained model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deepr.h"
#include "eval.h"
#include "lsnn.h"
#include "model.h"
#include "spec.h"
#include "task.h"

static const char *usage =
    "usage: lsnn eval RUN_DIR [options]\n"
    "\n"
    "Runs the trained model in RUN_DIR (model.yaml + weights.safetensors) on the test split of\n"
    "its task and reports the error (recall error for store-recall, test error for sMNIST),\n"
    "the firing rate of each population and the connectivity: active / possible connections\n"
    "of w_in, w_rec, w_out and in total, and the fraction of excitatory active weights.\n"
    "\n"
    "options:\n"
    "  --split test        the split to evaluate (only the test split exists for now)\n"
    "  --samples N         evaluate only the first N test sequences\n"
    "  --threads N         worker threads (default 2)\n"
    "  --json              print one JSON object instead of text\n"
    "  -h, --help          this help\n";

/* Prints s as a JSON string: quotes, backslashes and control characters escaped. */
static void print_json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
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
                       const lsnn_eval_result *r, const lsnn_connectivity *c)
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
    printf("}\n");
}

int cmd_eval(int argc, char **argv)
{
    const char *dir = NULL;
    int json = 0, threads = 2, samples = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        long v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
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
    char spec_path[1024], weights[1024];
    snprintf(spec_path, sizeof spec_path, "%s/model.yaml", dir);
    snprintf(weights, sizeof weights, "%s/weights.safetensors", dir);
    lsnn_error e;
    lsnn_spec spec;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_task *task = NULL;
    lsnn_engine *en = NULL;
    int rc = 1;
    memset(&net, 0, sizeof net);
    memset(&dr, 0, sizeof dr);
    if (lsnn_spec_load(spec_path, &spec, &e) ||
        lsnn_model_load(weights, &spec, &net, &dr, NULL, NULL, NULL, 0, &e) ||
        lsnn_task_open(&spec, &task, &e)) {
        fprintf(stderr, "lsnn eval: %s\n", e.msg);
        goto out;
    }
    en = lsnn_engine_new(threads);
    lsnn_eval_result r;
    if (!en || lsnn_evaluate(en, &spec, &net, task, samples, spec.batch_size, &r, &e)) {
        fprintf(stderr, "lsnn eval: %s\n", en ? e.msg : "out of memory");
        goto out;
    }
    const char *metric = lsnn_task_metric(task);
    lsnn_connectivity conn;
    lsnn_connectivity_of(&spec, &net, &dr, &conn);
    if (json) {
        print_json(dir, &spec, metric, &r, &conn);
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
    }
    rc = 0;
out:
    lsnn_engine_free(en);
    lsnn_task_close(task);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return rc;
}
