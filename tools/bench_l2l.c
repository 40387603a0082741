/* bench_l2l.c - the learning-to-learn baselines (lsnn-model.md §5.3, docs/l2l.md) on the test
 * episodes of an l2l model spec: the MSE against the trial index of
 *   linear_all    the optimal linear predictor fitted on all trials of the episode (the
 *                 paper's reference line),
 *   ridge_online  online ridge regression on the preceding trials,
 *   ann_sgd       the target networks' architecture trained by SGD on the preceding trials
 *                 with weight decay (a prior for small weights),
 * averaged over the same test episodes `lsnn eval` and `lsnn run` score (l2l.h: they do not
 * depend on the model's seed).
 *
 * usage: bench_l2l MODEL.yaml [--episodes N] [--csv FILE] [--json]
 *        [--ridge L] [--epochs E] [--lr R] [--decay D]
 * --csv writes trial,linear_all,ridge_online,ann_sgd (atomically). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "l2l.h"
#include "l2l_baselines.h"
#include "spec.h"
#include "task.h"
#include "window_curve.h"

#define N_BASE 3

static const char *usage = "usage: bench_l2l MODEL.yaml [--episodes N] [--csv FILE] [--json] "
                           "[--ridge L] [--epochs E] [--lr R] [--decay D]\n";
static const char *const base_names[N_BASE] = {"linear_all", "ridge_online", "ann_sgd"};

typedef struct {
    const char *model, *csv;
    int episodes, json;
    double ridge;
    l2l_ann_opts ann;
} opts;

static int parse(int argc, char **argv, opts *o)
{
    *o = (opts){.ridge = 0.1, .ann = {.epochs = 100, .lr = 0.1, .decay = 1e-3, .init = 0.5}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int has = v != NULL;
        if (!strcmp(a, "--json"))
            o->json = 1;
        else if (!strcmp(a, "--episodes") && has)
            o->episodes = atoi(argv[++i]);
        else if (!strcmp(a, "--csv") && has)
            o->csv = argv[++i];
        else if (!strcmp(a, "--ridge") && has)
            o->ridge = atof(argv[++i]);
        else if (!strcmp(a, "--epochs") && has)
            o->ann.epochs = atoi(argv[++i]);
        else if (!strcmp(a, "--lr") && has)
            o->ann.lr = atof(argv[++i]);
        else if (!strcmp(a, "--decay") && has)
            o->ann.decay = atof(argv[++i]);
        else if (a[0] != '-' && !o->model)
            o->model = a;
        else
            return -1;
    }
    if (!o->model || o->episodes < 0 || o->ridge < 0 || o->ann.epochs < 0 || o->ann.lr < 0 ||
        o->ann.decay < 0)
        return -1;
    return 0;
}

static int write_csv(const char *path, const lsnn_window_curve *c, int n, lsnn_error *e)
{
    lsnn_atomic_file f;
    if (lsnn_atomic_open(&f, path, e)) return -1;
    fprintf(f.f, "trial,%s,%s,%s\n", base_names[0], base_names[1], base_names[2]);
    for (int k = 0; k < n; k++) {
        fprintf(f.f, "%d", k + 1);
        for (int b = 0; b < N_BASE; b++)
            fprintf(f.f, ",%.9g", lsnn_window_curve_mse(&c[b], k, k + 1));
        fputc('\n', f.f);
    }
    return lsnn_atomic_commit(&f, e);
}

static void report(const opts *o, const lsnn_window_curve *c, int episodes)
{
    int a[LSNN_WINDOW_CURVE_RANGES], b[LSNN_WINDOW_CURVE_RANGES];
    const char *name[LSNN_WINDOW_CURVE_RANGES];
    lsnn_window_curve_ranges(&c[0], a, b, name);
    if (o->json) {
        printf("{\"model\": \"%s\", \"episodes\": %d", o->model, episodes);
        for (int k = 0; k < N_BASE; k++) {
            printf(", \"%s\": [", base_names[k]);
            for (int i = 0; i < LSNN_WINDOW_CURVE_RANGES; i++)
                printf("%s%.6f", i ? ", " : "", lsnn_window_curve_mse(&c[k], a[i], b[i]));
            printf("]");
        }
        printf(", \"ranges\": [\"trial 1\", \"trials 2-7\", \"trials 8+\", \"all trials\"]}\n");
        return;
    }
    printf("l2l baselines on %d test episodes of %s, MSE:\n", episodes, o->model);
    printf("%-14s", "");
    for (int i = 0; i < LSNN_WINDOW_CURVE_RANGES; i++)
        printf(" %12s", name[i]);
    printf("\n");
    for (int k = 0; k < N_BASE; k++) {
        printf("%-14s", base_names[k]);
        for (int i = 0; i < LSNN_WINDOW_CURVE_RANGES; i++)
            printf(" %12.4f", lsnn_window_curve_mse(&c[k], a[i], b[i]));
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    opts o;
    if (parse(argc, argv, &o)) return fputs(usage, stderr), 2;
    lsnn_spec spec;
    lsnn_error e;
    lsnn_task *task = NULL;
    if (lsnn_spec_load(o.model, &spec, &e) || lsnn_task_open(&spec, &task, &e))
        return fprintf(stderr, "bench_l2l: %s\n", e.msg), 1;
    int n = lsnn_l2l_trials(task), rc = 1;
    if (n == 0) {
        fprintf(stderr, "bench_l2l: %s is not an l2l model (task.kind l2l)\n", o.model);
        lsnn_task_close(task);
        return 1;
    }
    int episodes = lsnn_task_test_count(task);
    if (o.episodes > 0 && o.episodes < episodes) episodes = o.episodes;
    o.ann.hidden = spec.l2l.hidden;
    lsnn_window_curve c[N_BASE] = {{0}};
    double *x = malloc(sizeof(double) * 2 * n), *y = malloc(sizeof(double) * n),
           *sq = malloc(sizeof(double) * n);
    for (int b = 0; b < N_BASE; b++)
        if (lsnn_window_curve_init(&c[b], n)) goto out;
    if (!x || !y || !sq) goto out;
    for (int ep = 0; ep < episodes; ep++) {
        if (lsnn_l2l_episode(task, 0, ep, 0, x, y, &e)) {
            fprintf(stderr, "bench_l2l: %s\n", e.msg);
            goto out;
        }
        for (int b = 0; b < N_BASE; b++) {
            o.ann.seed = (uint64_t)ep;
            if (b == 0) l2l_linear_all(x, y, n, sq);
            if (b == 1) l2l_ridge_online(x, y, n, o.ridge, sq);
            if (b == 2) l2l_ann_online(x, y, n, &o.ann, sq);
            for (int k = 0; k < n; k++)
                c[b].sum[k] += sq[k], c[b].count[k]++;
        }
    }
    if (o.csv && write_csv(o.csv, c, n, &e)) {
        fprintf(stderr, "bench_l2l: %s\n", e.msg);
        goto out;
    }
    report(&o, c, episodes);
    rc = 0;
out:
    if (rc && !x) fprintf(stderr, "bench_l2l: out of memory\n");
    for (int b = 0; b < N_BASE; b++)
        lsnn_window_curve_free(&c[b]);
    free(x);
    free(y);
    free(sq);
    lsnn_task_close(task);
    return rc;
}
