/* test_l2l.c - the learning-to-learn task (docs/l2l.md): the spec section and its errors, the
 * target networks, the generator (determinism, ranges, the population code, the previous
 * target's wiring, the windows), the MSE by trial, a short training run that must reduce the
 * loss, and the reference host's MSE against the float engine's on the compiled model. */
#include <math.h>

#include "check.h"
#include "compiler.h"
#include "engine.h"
#include "fileio.h"
#include "hwconfig.h"
#include "eval.h"
#include "l2l.h"
#include "model.h"
#include "progress.h"
#include "ref_chip.h"
#include "ref_host.h"
#include "spec.h"
#include "task.h"
#include "train.h"
#include "window_curve.h"

#define FILE_NAME "l2l.yaml"
#define TRIALS    12  /* task.trials of the tiny spec */
#define ITERS     200 /* its training.iterations */

static const char tiny[] = "version: 1\n"
                           "name: l2l_tiny\n"
                           "seed: 3\n"
                           "network:\n"
                           "  inputs: 30\n"
                           "  populations:\n"
                           "    - name: lif\n"
                           "      kind: lif\n"
                           "      size: 10\n"
                           "      tau_m_ms: 20\n"
                           "      b0: 0.01\n"
                           "      refractory: 2\n"
                           "    - name: alif\n"
                           "      kind: alif\n"
                           "      size: 10\n"
                           "      tau_m_ms: 20\n"
                           "      b0: 0.01\n"
                           "      refractory: 2\n"
                           "      tau_a_ms: 200\n"
                           "      beta: 1.7\n"
                           "  readout:\n"
                           "    size: 1\n"
                           "    tau_ms: 5\n"
                           "task:\n"
                           "  kind: l2l\n"
                           "  trials: 12\n"
                           "  trial_ms: 10\n"
                           "  hidden: 4\n"
                           "  pop_size: 10\n"
                           "  rate_hz: 800\n"
                           "  width: 0.1\n"
                           "  readout_ms: 5\n"
                           "  test_size: 12\n"
                           "training:\n"
                           "  batch_size: 32\n"
                           "  iterations: 200\n"
                           "  optimizer:\n"
                           "    lr: 0.01\n";

/* base with its single `from` replaced by `to`, into out (size bytes); NULL if from is not in
 * base exactly once. */
static const char *replace(const char *base, const char *from, const char *to, char *out,
                           size_t size)
{
    const char *at = strstr(base, from);
    if (!at || strstr(at + 1, from)) return NULL;
    snprintf(out, size, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
    return out;
}

/* tiny with its single `from` replaced by `to` (a static buffer). */
static const char *edited(const char *from, const char *to)
{
    static char text[sizeof tiny + 256];
    return replace(tiny, from, to, text, sizeof text);
}

static int parse(const char *text, lsnn_spec *s, lsnn_error *e)
{
    return lsnn_spec_parse(FILE_NAME, text, strlen(text), s, e);
}

static void test_spec(void)
{
    lsnn_spec s;
    lsnn_error e = {{0}};
    CHECK(parse(tiny, &s, &e) == 0, "%s", e.msg);
    CHECK(s.task == LSNN_TASK_L2L && s.l2l.trials == TRIALS && s.l2l.trial_ms == 10 &&
              s.l2l.hidden == 4 && s.l2l.pop_size == 10 && s.l2l.rate_hz == 800 &&
              s.l2l.width == 0.1 && s.l2l.target_range == 2.5 && s.l2l.readout_ms == 5 &&
              s.l2l.test_size == 12,
          "fields and the default target_range");
    /* the canonical YAML reads back as the same spec */
    char *y = lsnn_spec_to_yaml(&s);
    lsnn_spec t;
    CHECK(y && parse(y, &t, &e) == 0, "round trip: %s", e.msg);
    char diff[256];
    CHECK(y && lsnn_spec_diff(&s, &t, diff, sizeof diff) == 0, "round trip differs: %s", diff);
    free(y);
    /* readout_ms defaults to min(10, trial_ms) */
    CHECK(parse(edited("  readout_ms: 5\n", ""), &s, &e) == 0 && s.l2l.readout_ms == 10,
          "default readout_ms %d", s.l2l.readout_ms);
    CHECK(parse(edited("  trial_ms: 10\n  hidden: 4\n", "  trial_ms: 4\n  hidden: 4\n"), &s, &e) ==
              -1,
          "readout_ms > trial_ms");
    struct {
        const char *from, *to, *expect;
    } bad[] = {
        {"  trials: 12\n", "  trials: 1\n", "task.trials must be"},
        {"  trial_ms: 10\n", "  trial_ms: 0\n", "task.trial_ms must be"},
        {"  hidden: 4\n", "  hidden: 101\n", "task.hidden must be"},
        {"  pop_size: 10\n", "  pop_size: 0\n", "task.pop_size must be"},
        {"  rate_hz: 800\n", "  rate_hz: 0\n", "task.rate_hz must be"},
        {"  width: 0.1\n", "  width: 2\n", "task.width must be"},
        {"  readout_ms: 5\n", "  readout_ms: 11\n",
         "task.readout_ms must be at most task.trial_ms"},
        {"  test_size: 12\n", "  test_size: 0\n", "task.test_size must be"},
        {"  inputs: 30\n", "  inputs: 31\n", "network.inputs must be 3 * task.pop_size = 30"},
        {"    size: 1\n", "    size: 2\n", "network.readout.size must be 1 for task l2l"},
        {"  test_size: 12\n", "  test_size: 12\n  values: 2\n", "only allowed with task kind"},
        {"  test_size: 12\n", "  test_size: 12\n  n_chars: 2\n", "store_recall"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *text = edited(bad[i].from, bad[i].to);
        CHECK(text != NULL, "case %zu: '%s' is not in the spec once", i, bad[i].from);
        if (!text) continue;
        e.msg[0] = 0;
        CHECK(parse(text, &s, &e) == -1, "case %zu parsed", i);
        CHECK(strncmp(e.msg, FILE_NAME ":", strlen(FILE_NAME ":")) == 0 &&
                  strstr(e.msg, bad[i].expect),
              "case %zu: message '%s' lacks '%s'", i, e.msg, bad[i].expect);
    }
}

/* Target networks: uniform weights within [-1, 1], outputs normalised over the grid. */
static void test_targets(void)
{
    for (int k = 0; k < 20; k++) {
        lsnn_rng r = lsnn_rng_derive(5, 9, (uint64_t)k);
        lsnn_l2l_target f;
        lsnn_l2l_draw_target(&r, 10, &f);
        int in_range = fabs(f.b2) <= 1;
        for (int j = 0; j < 10; j++)
            in_range &= fabs(f.w1[j][0]) <= 1 && fabs(f.w1[j][1]) <= 1 && fabs(f.b1[j]) <= 1 &&
                        fabs(f.w2[j]) <= 1;
        CHECK(in_range, "target %d: a weight outside [-1, 1]", k);
        double sum = 0, sq = 0;
        const int G = LSNN_L2L_GRID;
        for (int i = 0; i < G; i++)
            for (int j = 0; j < G; j++) {
                double v = lsnn_l2l_eval(&f, -1 + 2.0 * i / (G - 1), -1 + 2.0 * j / (G - 1));
                sum += v, sq += v * v;
            }
        double mean = sum / (G * G), var = sq / (G * G) - mean * mean;
        CHECK(fabs(mean) < 1e-9 && fabs(var - 1) < 1e-9, "target %d: mean %g var %g", k, mean, var);
    }
}

/* Decodes the value coded by population pop in trial k of sequence s: the spike-weighted mean
 * preferred position (-1 when silent). */
static double decode(const lsnn_batch *b, int s, int k, int pop, const lsnn_l2l_spec *l,
                     long *spikes)
{
    double num = 0;
    long n = 0;
    for (int t = k * l->trial_ms; t < (k + 1) * l->trial_ms; t++) {
        size_t c = (size_t)s * b->n_steps + t;
        for (uint32_t q = b->in_ptr[c]; q < b->in_ptr[c + 1]; q++) {
            int ch = b->in_idx[q];
            if (ch / l->pop_size != pop) continue;
            num += (double)(ch % l->pop_size) / (l->pop_size - 1);
            n++;
        }
    }
    *spikes = n;
    return n ? num / n : -1;
}

static int same_batch(const lsnn_batch *a, const lsnn_batch *b)
{
    if (a->n_spikes != b->n_spikes || a->n_win != b->n_win) return 0;
    if (memcmp(a->in_idx, b->in_idx, a->n_spikes * sizeof *a->in_idx)) return 0;
    for (int w = 0; w < a->n_win; w++)
        if (a->win[w].start != b->win[w].start || a->win[w].target != b->win[w].target) return 0;
    return 1;
}

static void test_generator(void)
{
    lsnn_spec s;
    lsnn_error e = {{0}};
    /* 50 channels per value at 500 Hz: enough spikes to decode each trial's values */
    char text[sizeof tiny + 256];
    const char *wide =
        replace(edited("  inputs: 30\n", "  inputs: 150\n"),
                "  pop_size: 10\n  rate_hz: 800\n  width: 0.1\n",
                "  pop_size: 50\n  rate_hz: 500\n  width: 0.05\n", text, sizeof text);
    CHECK(wide && parse(wide, &s, &e) == 0, "wide: %s", e.msg);
    if (!wide) return;
    lsnn_task *t;
    CHECK(lsnn_task_open(&s, &t, &e) == 0, "%s", e.msg);
    const lsnn_l2l_spec *l = &s.l2l;
    CHECK(lsnn_task_n_in(t) == 150 && lsnn_task_n_out(t) == 1 &&
              lsnn_task_n_steps(t) == TRIALS * 10 && lsnn_task_regression(t) &&
              lsnn_l2l_trials(t) == TRIALS && lsnn_task_test_count(t) == 12,
          "shapes");
    lsnn_batch a = {0}, b = {0};
    /* determinism: a training batch is a function of (seed, iteration, sequence) */
    CHECK(lsnn_task_train_batch(t, 5, 3, &a, &e) == 0 &&
              lsnn_task_train_batch(t, 5, 3, &b, &e) == 0,
          "%s", e.msg);
    CHECK(same_batch(&a, &b), "the same iteration gives the same batch");
    CHECK(lsnn_task_train_batch(t, 6, 3, &b, &e) == 0 && !same_batch(&a, &b),
          "another iteration, another batch");
    double x[2 * TRIALS], y[TRIALS], x2[2 * TRIALS], y2[TRIALS];
    CHECK(lsnn_l2l_episode(t, 1, 5, 2, x, y, &e) == 0, "%s", e.msg);
    CHECK(lsnn_task_train_batch(t, 5, 1, &b, &e) == 0 &&
              lsnn_l2l_episode(t, 1, 5, 0, x2, y2, &e) == 0,
          "%s", e.msg);
    CHECK(b.win[0].target == (float)y2[0] && a.win[2 * TRIALS].target == (float)y[0],
          "sequence s of a batch is episode (iteration, s) whatever the batch size");
    /* test episodes do not depend on the model's seed */
    lsnn_batch c = {0};
    CHECK(lsnn_task_test_batch(t, 0, 12, &a, &e) == 0, "%s", e.msg);
    lsnn_spec s2 = s;
    s2.seed = 999;
    lsnn_task *t2;
    CHECK(lsnn_task_open(&s2, &t2, &e) == 0 && lsnn_task_test_batch(t2, 4, 2, &c, &e) == 0, "%s",
          e.msg);
    CHECK(c.win[0].target == a.win[4 * TRIALS].target &&
              c.win[TRIALS].target == a.win[5 * TRIALS].target,
          "test episodes are the same for every seed");
    lsnn_task_close(t2);
    /* the windows, the ranges, the code */
    CHECK(a.loss == LSNN_LOSS_MSE && a.n_win == 12 * TRIALS, "%d regression windows", a.n_win);
    double max_dx = 0, max_dy = 0;
    int silent0 = 1, ok_windows = 1, in_range = 1;
    for (int q = 0; q < 12; q++) {
        CHECK(lsnn_l2l_episode(t, 0, q, 0, x, y, &e) == 0, "%s", e.msg);
        for (int k = 0; k < TRIALS; k++) {
            const lsnn_window *w = &a.win[q * TRIALS + k];
            ok_windows &= w->seq == q && w->label == 0 && w->end == (k + 1) * l->trial_ms &&
                          w->start == w->end - l->readout_ms && w->target == (float)y[k];
            in_range &= fabs(x[2 * k]) <= 1 && fabs(x[2 * k + 1]) <= 1;
            long n1, n2, n3;
            double u1 = decode(&a, q, k, 0, l, &n1), u2 = decode(&a, q, k, 1, l, &n2),
                   u3 = decode(&a, q, k, 2, l, &n3);
            /* the tuned populations code x (central values: the edges bias the mean) */
            if (fabs(x[2 * k]) < 0.7 && n1 >= 5)
                max_dx = fmax(max_dx, fabs(u1 - (x[2 * k] + 1) / 2));
            if (fabs(x[2 * k + 1]) < 0.7 && n2 >= 5)
                max_dx = fmax(max_dx, fabs(u2 - (x[2 * k + 1] + 1) / 2));
            if (k == 0) silent0 &= n3 == 0;
            if (k > 0 && fabs(y[k - 1]) < 1.5 && n3 >= 5) /* the previous trial's target */
                max_dy = fmax(max_dy, fabs(u3 - (y[k - 1] + 2.5) / 5));
        }
    }
    CHECK(ok_windows, "windows: the last readout_ms steps of each trial, target y_k");
    CHECK(in_range, "x in [-1, 1]^2");
    CHECK(silent0, "the previous-target population is silent in trial 0");
    CHECK(max_dx < 0.08, "x decoded from its population within 0.08 of the range: %g", max_dx);
    CHECK(max_dy < 0.08, "y_{k-1} decoded in trial k within 0.08 of the range: %g", max_dy);
    /* the rate: a population's expected spikes per step is about peak * sqrt(2 pi) w (P - 1) */
    long total = 0;
    for (int q = 0; q < 12; q++)
        for (int k = 0; k < TRIALS; k++) {
            long n;
            decode(&a, q, k, 0, l, &n), total += n;
        }
    double expect = 0.5 * sqrt(2 * 3.141592653589793) * 0.05 * 49 * l->trial_ms * 12 * TRIALS;
    CHECK(total > 0.75 * expect && total < 1.1 * expect, "x1 spikes %ld, about %g expected", total,
          expect);
    CHECK(lsnn_l2l_episode(t, 0, 12, 0, x, y, &e) == -1, "test episode 12 of 12 refused");
    lsnn_batch_free(&a);
    lsnn_batch_free(&b);
    lsnn_batch_free(&c);
    lsnn_task_close(t);
}

static void test_window_curve(void)
{
    lsnn_window_curve c;
    CHECK(lsnn_window_curve_init(&c, 10) == 0, "init");
    lsnn_batch b = {0};
    lsnn_batch_reset(&b, 2, 4, 1);
    for (int i = 0; i < 8; i++)
        lsnn_batch_end_cell(&b);
    lsnn_batch_add_target(&b, 0, 0, 2, 0, 1.0f);
    lsnn_batch_add_target(&b, 0, 2, 4, 0, 2.0f);
    lsnn_batch_add_target(&b, 1, 0, 2, 0, -1.0f);
    lsnn_batch_add_target(&b, 1, 2, 4, 0, 0.0f);
    double pred[4] = {0, 2, 1, 3};
    CHECK(lsnn_window_curve_add_batch(&c, &b, pred) == 0, "add");
    CHECK(lsnn_window_curve_mse(&c, 0, 1) == 2.5 && lsnn_window_curve_mse(&c, 1, 2) == 4.5 &&
              lsnn_window_curve_mse(&c, 0, 10) == 3.5 && isnan(lsnn_window_curve_mse(&c, 2, 10)),
          "MSE by window index");
    char path[1200];
    snprintf(path, sizeof path, "%s/curve.csv", check_tmpdir("test_l2l"));
    lsnn_error e;
    CHECK(lsnn_window_curve_write(&c, path, &e) == 0, "%s", e.msg);
    char *text = NULL;
    size_t len;
    CHECK(lsnn_read_file(path, &text, &len, &e) == 0 &&
              strcmp(text, "trial,mse,episodes\n1,2.5,2\n2,4.5,2\n") == 0,
          "CSV: %s", text ? text : "");
    free(text);
    lsnn_batch_free(&b);
    lsnn_window_curve_free(&c);
}

/* Reads column col of curve.csv's rows into v (at most n); returns the rows read. */
static int curve_column(const char *path, int col, double *v, int n)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[1024];
    int rows = 0;
    if (!fgets(line, sizeof line, f)) rows = 0; /* the header */
    while (rows < n && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int c = 0; c < col && p; c++)
            p = strchr(p, ','), p = p ? p + 1 : NULL;
        if (p) v[rows++] = atof(p);
    }
    fclose(f);
    return rows;
}

/* A short training run of the tiny model must reduce the MSE; then the trained network on the
 * reference chip scores what the float engine scores, within the 8-bit weights' error. */
static void test_train_and_host(void)
{
    char dir[1200], spec_path[1300], path[1300];
    snprintf(dir, sizeof dir, "%s/run", check_tmpdir("test_l2l"));
    snprintf(spec_path, sizeof spec_path, "%s/tiny.yaml", check_tmpdir("test_l2l"));
    lsnn_error e = {{0}};
    CHECK(lsnn_write_file_atomic(spec_path, tiny, strlen(tiny), &e) == 0, "%s", e.msg);
    lsnn_train_opts o;
    memset(&o, 0, sizeof o);
    o.spec_path = spec_path;
    o.run_dir = dir;
    o.threads = 2;
    o.force = 1;
    o.progress = LSNN_PROGRESS_QUIET;
    int trained = lsnn_train(&o, &e) == 0;
    CHECK(trained, "train: %s", e.msg);
    if (!trained) return;
    snprintf(path, sizeof path, "%s/curve.csv", dir);
    double mse[ITERS];
    int rows = curve_column(path, 4, mse, ITERS); /* train_error: the batch's MSE */
    CHECK(rows == ITERS, "%d curve rows, got %d", ITERS, rows);
    double first = 0, last = 0;
    for (int i = 0; i < 20 && rows == ITERS; i++)
        first += mse[i] / 20, last += mse[ITERS - 20 + i] / 20;
    printf("training MSE: first 20 iterations %.4f, last 20 %.4f\n", first, last);
    CHECK(last < 0.95 * first, "training reduces the MSE: %.4f -> %.4f", first, last);

    lsnn_spec s;
    lsnn_net net;
    lsnn_task *t = NULL;
    snprintf(path, sizeof path, "%s/model.yaml", dir);
    int loaded = lsnn_spec_load(path, &s, &e) == 0;
    snprintf(path, sizeof path, "%s/weights.safetensors", dir);
    loaded = loaded && lsnn_model_load(path, &s, &net, NULL, NULL, NULL, NULL, 0, &e) == 0;
    loaded = loaded && lsnn_task_open(&s, &t, &e) == 0;
    CHECK(loaded, "the trained model: %s", e.msg);
    if (!loaded) return;
    lsnn_engine *en = lsnn_engine_new(2);
    lsnn_window_curve fc, hc;
    lsnn_window_curve_init(&fc, TRIALS);
    lsnn_window_curve_init(&hc, TRIALS);
    CHECK(lsnn_evaluate_windows(en, &net, t, 0, 16, &fc, &e) == 0, "%s", e.msg);
    lsnn_eval_result r;
    CHECK(lsnn_evaluate(en, &s, &net, t, 0, 16, &r, &e) == 0, "%s", e.msg);
    double float_mse = lsnn_window_curve_mse(&fc, 0, TRIALS);
    CHECK(fabs(r.error - float_mse) < 1e-6 && r.n_win == 12 * TRIALS,
          "lsnn_evaluate's error is the MSE: %g against %g", r.error, float_mse);

    lsnn_hw_config cfg;
    lsnn_hw_defaults(&cfg);
    lsnn_cc_build_result br;
    CHECK(lsnn_cc_build(&net, &s, &cfg, NULL, 0, &br, &e) == 0, "compile: %s", e.msg);
    lsnn_ref_chip *chip = lsnn_ref_chip_from_image(&br.img, &e);
    CHECK(chip != NULL, "chip: %s", e.msg);
    if (chip) {
        lsnn_target tg;
        lsnn_target_ref(chip, 0, &tg);
        lsnn_host_totals tot = {0};
        lsnn_host_hooks h = {NULL, NULL, NULL, NULL};
        lsnn_batch b = {0};
        CHECK(lsnn_task_test_batch(t, 0, 12, &b, &e) == 0, "%s", e.msg);
        lsnn_host_result res;
        lsnn_host_result_alloc(&res, b.n_steps, 1, b.n_win);
        for (int q = 0; q < b.n_seq; q++) {
            CHECK(lsnn_host_run(&tg, &br.hm, &b, q, NULL, NULL, &res, &e) == 0, "%s", e.msg);
            for (int w = 0; w < res.n_win; w++)
                lsnn_window_curve_add(&hc, w, res.logit[w] - res.target[w]);
        }
        lsnn_host_result_free(&res);
        CHECK(lsnn_host_run_batch(&tg, &br.hm, &b, 0, &h, &tot, &e) == 0, "%s", e.msg);
        double host_mse = tot.n_win ? tot.sq_err / tot.n_win : -1;
        CHECK(tot.regression && tot.n_win == 12 * TRIALS, "host totals: regression, %d windows",
              tot.n_win);
        CHECK(fabs(host_mse - lsnn_window_curve_mse(&hc, 0, TRIALS)) < 1e-9,
              "host totals and the per-trial curve agree: %g %g", host_mse,
              lsnn_window_curve_mse(&hc, 0, TRIALS));
        printf("MSE: float %.4f, reference chip (8-bit weights) %.4f\n", float_mse, host_mse);
        CHECK(fabs(host_mse - float_mse) < 0.05 + 0.1 * float_mse,
              "the chip's MSE %.4f is within 0.05 + 10 %% of the float MSE %.4f", host_mse,
              float_mse);
        lsnn_batch_free(&b);
        lsnn_ref_chip_free(chip);
    }
    lsnn_cc_build_free(&br);
    lsnn_window_curve_free(&fc);
    lsnn_window_curve_free(&hc);
    lsnn_engine_free(en);
    lsnn_task_close(t);
    lsnn_net_free(&net);
}

int main(void)
{
    test_spec();
    test_targets();
    test_generator();
    test_window_curve();
    test_train_and_host();
    return check_report();
}
