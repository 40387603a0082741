/* fuzz_model_load.c - libFuzzer target for the model-file loader (lsnn_model_load,
 * runtime/train/model.c over the safetensors reader).
 *
 * lsnn_model_load reads a path, so each input is written to one file per process
 * ($TMPDIR/lsnn_fuzz_model_load.PID.safetensors, /tmp without TMPDIR) and loaded from there.
 * Framing: the first input byte picks the spec and the call (bit 0: a DEEP R spec, else a dense
 * one; bit 1: load as a checkpoint, with Adam moments and the training curve); the rest is the
 * file. Both specs are tiny store-recall networks (4 inputs, 3 recurrent neurons, 2 readouts,
 * 2 delay slots). A file that is accepted must give finite weights, delays below n_delay, a
 * zero w_rec diagonal, a DEEP R state that lsnn_deepr_check accepts, and (checkpoint) a step in
 * 0..1e9, second moments >= 0 and a curve of [rows, LSNN_CURVE_COLS]. Everything is freed either
 * way.
 *
 * Seeds (tests/fuzz_corpus/model_load) are written by lsnn_model_save: run the target with
 * LSNN_FUZZ_SEEDS=DIR (docs/fuzzing.md). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deepr.h"
#include "fileio.h"
#include "model.h"
#include "train.h"

#define SPEC_DENSE                                                                                 \
    "version: 1\nname: fuzz\nseed: 7\nnetwork:\n  inputs: 4\n  delays: 2\n  populations:\n"        \
    "    - {name: a, kind: lif, size: 2, tau_m_ms: 20, b0: 0.01}\n"                                \
    "    - {name: b, kind: alif, size: 1, tau_m_ms: 20, b0: 0.01, tau_a_ms: 200, beta: 1}\n"       \
    "  readout: {size: 2}\n"
#define SPEC_REST                                                                                  \
    "task: {kind: store_recall, values: 2, group_size: 1}\n"                                       \
    "training: {batch_size: 2, iterations: 10}\n"

static lsnn_spec specs[2];
static char path[4200];

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_model_load: %s: %s\n", what, msg);
    abort();
}

static void write_seeds(const char *dir)
{
    for (int mode = 0; mode < 4; mode++) {
        const lsnn_spec *spec = &specs[mode & 1];
        lsnn_net net;
        lsnn_deepr dr;
        lsnn_adam adam;
        lsnn_error e;
        double curve[2 * LSNN_CURVE_COLS] = {0};
        char file[4096];
        memset(&adam, 0, sizeof adam);
        if (lsnn_model_init(spec, &net, &dr, &e)) die("seed", e.msg);
        if ((mode & 2) && lsnn_adam_alloc(&adam, &net)) die("seed", "out of memory");
        adam.step = 5;
        for (int c = 0; c < LSNN_CURVE_COLS; c++)
            curve[c] = c, curve[LSNN_CURVE_COLS + c] = 5 + c;
        snprintf(file, sizeof file, "%s/.seed.tmp", dir);
        if (lsnn_model_save(file, spec, &net, &dr, mode & 2 ? &adam : NULL, curve, 2,
                            LSNN_CURVE_COLS, &e))
            die("seed", e.msg);
        char *bytes;
        size_t len;
        if (lsnn_read_file(file, &bytes, &len, &e)) die("seed", e.msg);
        unlink(file);
        snprintf(file, sizeof file, "%s/%s%s.bin", dir, mode & 1 ? "deepr" : "dense",
                 mode & 2 ? "_checkpoint" : "");
        FILE *f = fopen(file, "wb");
        uint8_t head = (uint8_t)mode;
        if (!f || fwrite(&head, 1, 1, f) != 1 || fwrite(bytes, 1, len, f) != len || fclose(f))
            die("seed", file);
        free(bytes);
        lsnn_net_free(&net);
        lsnn_deepr_free(&dr);
        if (mode & 2) lsnn_adam_free(&adam);
    }
}

static void unlink_file(void)
{
    remove(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    lsnn_error e;
    static const char dense[] = SPEC_DENSE SPEC_REST,
                      deepr[] = SPEC_DENSE "  connectivity: {mode: deep_r, p: 0.5}\n" SPEC_REST;
    if (lsnn_spec_parse("dense", dense, sizeof dense - 1, &specs[0], &e) ||
        lsnn_spec_parse("deepr", deepr, sizeof deepr - 1, &specs[1], &e))
        die("spec", e.msg);
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/lsnn_fuzz_model_load.%ld.safetensors",
             tmp && *tmp ? tmp : "/tmp", (long)getpid());
    atexit(unlink_file);
    const char *dir = getenv("LSNN_FUZZ_SEEDS");
    if (dir) write_seeds(dir);
    return 0;
}

static void finite(const float *x, size_t n, const char *what)
{
    for (size_t k = 0; k < n; k++)
        if (!isfinite(x[k])) die("a value that is not finite", what);
}

static void check(const lsnn_spec *spec, const lsnn_net *net, const lsnn_deepr *dr,
                  const lsnn_adam *adam, const double *curve, int rows)
{
    int N = lsnn_spec_n_rec(spec);
    size_t n_w_in = (size_t)spec->n_in * N, n_w_rec = (size_t)N * N,
           n_w_out = (size_t)N * spec->n_out;
    if (net->n_in != spec->n_in || net->n_rec != N || net->n_out != spec->n_out ||
        net->n_delay != spec->n_delay)
        die("net sizes", "");
    finite(net->w_in, n_w_in, "w_in");
    finite(net->w_rec, n_w_rec, "w_rec");
    finite(net->w_out, n_w_out, "w_out");
    finite(net->b_out, (size_t)spec->n_out, "b_out");
    for (int i = 0; i < N; i++)
        if (net->w_rec[(size_t)i * N + i] != 0) die("an autapse", "");
    for (size_t k = 0; k < n_w_in; k++)
        if (net->d_in[k] >= spec->n_delay) die("a delay out of range", "delay_in");
    for (size_t k = 0; k < n_w_rec; k++)
        if (net->d_rec[k] >= spec->n_delay) die("a delay out of range", "delay_rec");
    if (spec->connectivity == LSNN_CONN_DEEP_R) {
        lsnn_error e;
        if (lsnn_deepr_check(dr, net, "fuzz", &e)) die("an accepted DEEP R state", e.msg);
        if (adam && (dr->pruned < 0 || dr->grown < 0)) die("DEEP R counters", "");
    }
    if (!adam) return;
    if (adam->step < 0 || adam->step > 1000000000) die("an Adam step out of range", "");
    const lsnn_grads *mv[2] = {&adam->m, &adam->v};
    for (int k = 0; k < 2; k++) {
        finite(mv[k]->w_in, n_w_in, "adam w_in");
        finite(mv[k]->w_rec, n_w_rec, "adam w_rec");
        finite(mv[k]->w_out, n_w_out, "adam w_out");
        finite(mv[k]->b_out, (size_t)spec->n_out, "adam b_out");
    }
    const float *v[4] = {adam->v.w_in, adam->v.w_rec, adam->v.w_out, adam->v.b_out};
    size_t nv[4] = {n_w_in, n_w_rec, n_w_out, (size_t)spec->n_out};
    for (int k = 0; k < 4; k++)
        for (size_t i = 0; i < nv[k]; i++)
            if (v[k][i] < 0) die("a negative second moment", "adam_v");
    if (rows < 0 || (rows > 0 && !curve)) die("curve rows", "");
    double sum = 0;
    for (size_t i = 0; i < (size_t)rows * LSNN_CURVE_COLS; i++)
        sum += curve[i];
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int mode = data[0] & 3;
    const lsnn_spec *spec = &specs[mode & 1];
    remove(path); /* ext4 flushes a file truncated and rewritten; a new one costs nothing */
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f)) die("cannot write", path);
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_adam adam;
    lsnn_error e;
    double *curve = NULL;
    int rows = 0, ckpt = mode & 2;
    memset(&adam, 0, sizeof adam);
    if (lsnn_model_load(path, spec, &net, &dr, ckpt ? &adam : NULL, ckpt ? &curve : NULL,
                        ckpt ? &rows : NULL, LSNN_CURVE_COLS, &e)) {
        if (strncmp(e.msg, path, strlen(path)) != 0 && strcmp(e.msg, "out of memory") != 0)
            die("a message without the file name", e.msg);
        return 0;
    }
    check(spec, &net, &dr, ckpt ? &adam : NULL, curve, rows);
    lsnn_net_free(&net);
    if (spec->connectivity == LSNN_CONN_DEEP_R) lsnn_deepr_free(&dr);
    if (ckpt) lsnn_adam_free(&adam);
    free(curve);
    return 0;
}
