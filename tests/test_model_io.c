/* test_model_io.c - model init, weight/checkpoint files (round trips and rejections), Adam, lr. */
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "deepr.h"
#include "fileio.h"
#include "model.h"
#include "spec.h"

#define CURVE_COLS 10

/* A store-recall spec: values 2, so inputs = 4 * group_size. */
static int make_spec(lsnn_spec *s, int group_size, int n_lif, int n_alif, int delays, unsigned seed,
                     int bias)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: 1\n"
             "name: io_test\n"
             "seed: %u\n"
             "network:\n"
             "  inputs: %d\n"
             "  populations:\n"
             "    - {name: lif, kind: lif, size: %d, tau_m_ms: 20, b0: 0.01, refractory: 2}\n"
             "    - {name: alif, kind: alif, size: %d, tau_m_ms: 30, b0: 0.02, refractory: 1,\n"
             "       tau_a_ms: 200, beta: 1.7}\n"
             "  delays: %d\n"
             "  readout: {size: 2, tau_ms: 20, bias: %s}\n"
             "task: {kind: store_recall, values: 2, group_size: %d, char_ms: 20, n_chars: 5,\n"
             "       seq_delay: 1, test_size: 40}\n"
             "training:\n"
             "  batch_size: 16\n"
             "  iterations: 10\n"
             "  optimizer: {lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8}\n"
             "  lr_schedule: {factor: 0.3, every: 100}\n",
             seed, 4 * group_size, n_lif, n_alif, delays, bias ? "true" : "false", group_size);
    lsnn_error e;
    int rc = lsnn_spec_parse("io.yaml", text, strlen(text), s, &e);
    CHECK(rc == 0, "inline spec parses: %s", rc ? e.msg : "");
    return rc;
}

static size_t n_in_rec(const lsnn_net *n)
{
    return (size_t)n->n_in * n->n_rec;
}
static size_t n_rec_rec(const lsnn_net *n)
{
    return (size_t)n->n_rec * n->n_rec;
}
static size_t n_rec_out(const lsnn_net *n)
{
    return (size_t)n->n_rec * n->n_out;
}

/* 1 if every parameter, delay and constant of a and b is byte-identical. */
static int same_net(const lsnn_net *a, const lsnn_net *b)
{
    if (a->n_in != b->n_in || a->n_rec != b->n_rec || a->n_out != b->n_out ||
        a->n_delay != b->n_delay)
        return 0;
    size_t N = a->n_rec;
    return !memcmp(a->w_in, b->w_in, n_in_rec(a) * 4) &&
           !memcmp(a->w_rec, b->w_rec, n_rec_rec(a) * 4) &&
           !memcmp(a->w_out, b->w_out, n_rec_out(a) * 4) &&
           !memcmp(a->b_out, b->b_out, (size_t)a->n_out * 4) &&
           !memcmp(a->d_in, b->d_in, n_in_rec(a)) && !memcmp(a->d_rec, b->d_rec, n_rec_rec(a)) &&
           !memcmp(a->alpha, b->alpha, N * 4) && !memcmp(a->rho, b->rho, N * 4) &&
           !memcmp(a->beta, b->beta, N * 4) && !memcmp(a->b0, b->b0, N * 4) &&
           !memcmp(a->n_ref, b->n_ref, N * sizeof(int)) && a->kappa == b->kappa &&
           a->gamma == b->gamma && a->reg_rate == b->reg_rate && a->reg_target == b->reg_target &&
           a->spike_from_prev_v == b->spike_from_prev_v;
}

static int same_grads(const lsnn_grads *a, const lsnn_grads *b, const lsnn_net *n)
{
    return !memcmp(a->w_in, b->w_in, n_in_rec(n) * 4) &&
           !memcmp(a->w_rec, b->w_rec, n_rec_rec(n) * 4) &&
           !memcmp(a->w_out, b->w_out, n_rec_out(n) * 4) &&
           !memcmp(a->b_out, b->b_out, (size_t)n->n_out * 4);
}

static void fill(float *p, size_t n, float base)
{
    for (size_t k = 0; k < n; k++)
        p[k] = base + 0.001f * (float)k;
}

static void path_in(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

/* Reads a file whole (test helper; aborts the test on failure). */
static char *slurp(const char *path, size_t *len)
{
    char *d = NULL;
    lsnn_error e;
    if (lsnn_read_file(path, &d, len, &e)) {
        fprintf(stderr, "cannot read %s: %s\n", path, e.msg);
        exit(1);
    }
    return d;
}

static void spit(const char *path, const char *d, size_t len)
{
    lsnn_error e;
    if (lsnn_write_file_atomic(path, d, len, &e)) {
        fprintf(stderr, "cannot write %s: %s\n", path, e.msg);
        exit(1);
    }
}

/* File offset of the first data byte of tensor `name`, from the JSON header ("name":{...
 * "data_offsets":[B,E]}); -1 if not found. */
static long tensor_offset(const char *file, size_t len, const char *name)
{
    if (len < 8) return -1;
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = (hlen << 8) | (uint8_t)file[i];
    if (hlen > len - 8) return -1;
    char key[160];
    snprintf(key, sizeof key, "\"%s\"", name);
    char *hdr = malloc(hlen + 1);
    memcpy(hdr, file + 8, hlen);
    hdr[hlen] = 0;
    long off = -1;
    const char *p = strstr(hdr, key);
    if (p) p = strstr(p, "\"data_offsets\"");
    if (p) p = strchr(p, '[');
    long b;
    if (p && sscanf(p + 1, "%ld", &b) == 1) off = (long)(8 + hlen) + b;
    free(hdr);
    return off;
}

/* Copies src to dst with len bytes of `bytes` written at tensor `name` + byte_off. */
static void patch(const char *src, const char *dst, const char *name, size_t byte_off,
                  const void *bytes, size_t len)
{
    size_t n;
    char *d = slurp(src, &n);
    long off = tensor_offset(d, n, name);
    CHECK(off >= 0 && (size_t)off + byte_off + len <= n, "tensor '%s' found in %s", name, src);
    if (off >= 0 && (size_t)off + byte_off + len <= n) memcpy(d + off + byte_off, bytes, len);
    spit(dst, d, n);
    free(d);
}

/* Loads path with spec, expecting a failure whose message contains all of the needles. */
static void expect_load_fail(const char *what, const char *path, const lsnn_spec *spec,
                             int with_adam, const char *needle1, const char *needle2)
{
    lsnn_net net;
    lsnn_adam adam;
    memset(&adam, 0, sizeof adam);
    lsnn_error e;
    e.msg[0] = 0;
    double *curve = NULL;
    int rows = 0;
    int rc = lsnn_model_load(path, spec, &net, NULL, with_adam ? &adam : NULL,
                             with_adam ? &curve : NULL, &rows, CURVE_COLS, &e);
    CHECK(rc == -1, "%s: load must fail", what);
    CHECK(strstr(e.msg, path) != NULL, "%s: message names the file: '%s'", what, e.msg);
    CHECK(!needle1 || strstr(e.msg, needle1), "%s: message mentions '%s': '%s'", what, needle1,
          e.msg);
    CHECK(!needle2 || strstr(e.msg, needle2), "%s: message mentions '%s': '%s'", what, needle2,
          e.msg);
    CHECK(net.w_in == NULL && net.w_rec == NULL, "%s: a failed load leaves the net freed", what);
    if (rc == 0) {
        lsnn_net_free(&net);
        if (with_adam) lsnn_adam_free(&adam);
        free(curve);
    }
    printf("  %-28s -> %s\n", what, e.msg);
}

/* As expect_load_fail, with a DEEP R state to load into. */
static void expect_deepr_fail(const char *what, const char *path, const lsnn_spec *spec,
                              int with_adam, const char *needle1, const char *needle2)
{
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_adam adam;
    memset(&adam, 0, sizeof adam);
    lsnn_error e;
    e.msg[0] = 0;
    int rc = lsnn_model_load(path, spec, &net, &dr, with_adam ? &adam : NULL, NULL, NULL,
                             CURVE_COLS, &e);
    CHECK(rc == -1, "%s: load must fail", what);
    CHECK(strstr(e.msg, path) != NULL, "%s: message names the file: '%s'", what, e.msg);
    CHECK(!needle1 || strstr(e.msg, needle1), "%s: message mentions '%s': '%s'", what, needle1,
          e.msg);
    CHECK(!needle2 || strstr(e.msg, needle2), "%s: message mentions '%s': '%s'", what, needle2,
          e.msg);
    CHECK(net.w_in == NULL && dr.m[0].theta == NULL, "%s: a failed load frees everything", what);
    printf("  %-28s -> %s\n", what, e.msg);
}

static void test_init(void)
{
    lsnn_spec s1, s1b, s2;
    if (make_spec(&s1, 5, 4, 4, 4, 11, 1) || make_spec(&s1b, 5, 4, 4, 4, 11, 1) ||
        make_spec(&s2, 5, 4, 4, 4, 12, 1))
        return;
    lsnn_net a, b, c;
    lsnn_error e;
    CHECK(lsnn_model_init(&s1, &a, NULL, &e) == 0, "init: %s", e.msg);
    CHECK(lsnn_model_init(&s1b, &b, NULL, &e) == 0, "init: %s", e.msg);
    CHECK(lsnn_model_init(&s2, &c, NULL, &e) == 0, "init: %s", e.msg);
    CHECK(a.n_in == 20 && a.n_rec == 8 && a.n_out == 2 && a.n_delay == 4,
          "sizes from the spec: %d %d %d %d", a.n_in, a.n_rec, a.n_out, a.n_delay);
    CHECK(same_net(&a, &b), "the same spec and seed give identical initial weights and delays");
    CHECK(memcmp(a.w_in, c.w_in, n_in_rec(&a) * 4) != 0, "another seed gives other w_in");
    CHECK(memcmp(a.w_rec, c.w_rec, n_rec_rec(&a) * 4) != 0, "another seed gives other w_rec");
    CHECK(memcmp(a.w_out, c.w_out, n_rec_out(&a) * 4) != 0, "another seed gives other w_out");
    CHECK(memcmp(a.d_in, c.d_in, n_in_rec(&a)) != 0, "another seed gives other delays");
    int diag = 0;
    for (int i = 0; i < a.n_rec; i++)
        diag += a.w_rec[i * a.n_rec + i] != 0;
    CHECK(diag == 0, "w_rec diagonal is zero (%d nonzero)", diag);
    CHECK(a.b_out[0] == 0 && a.b_out[1] == 0, "b_out starts at 0");
    /* constants: neurons 0..3 LIF (tau_m 20), 4..7 ALIF (tau_m 30, tau_a 200, beta 1.7) */
    CHECK(a.alpha[0] == (float)exp(-1.0 / 20) && a.alpha[4] == (float)exp(-1.0 / 30),
          "alpha = exp(-dt/tau_m): %g %g", a.alpha[0], a.alpha[4]);
    CHECK(a.rho[0] == 0 && a.beta[0] == 0 && a.rho[4] == (float)exp(-1.0 / 200) &&
              a.beta[4] == 1.7f,
          "ALIF constants only on ALIF neurons");
    CHECK(a.b0[0] == 0.01f && a.b0[7] == 0.02f && a.n_ref[0] == 2 && a.n_ref[7] == 1,
          "b0 and refractory per population");
    CHECK(a.kappa == (float)exp(-1.0 / 20), "kappa = exp(-dt/tau_out)");
    CHECK(lsnn_model_n_params(&s1) == 20 * 8 + 8 * 7 + 8 * 2 + 2, "n_params with bias: %ld",
          lsnn_model_n_params(&s1));
    lsnn_net_free(&a);
    lsnn_net_free(&b);
    lsnn_net_free(&c);

    /* statistics on a larger net: 100 inputs, 100 neurons, 5 delay slots */
    lsnn_spec big;
    if (make_spec(&big, 25, 50, 50, 5, 3, 0)) return;
    CHECK(lsnn_model_n_params(&big) == 100 * 100 + 100 * 99 + 100 * 2, "n_params without bias: %ld",
          lsnn_model_n_params(&big));
    lsnn_net n;
    CHECK(lsnn_model_init(&big, &n, NULL, &e) == 0, "init big: %s", e.msg);
    long hist[5] = {0}, bad = 0, total = 0;
    for (size_t k = 0; k < n_in_rec(&n); k++, total++)
        n.d_in[k] < 5 ? hist[n.d_in[k]]++ : bad++;
    for (size_t k = 0; k < n_rec_rec(&n); k++, total++)
        n.d_rec[k] < 5 ? hist[n.d_rec[k]]++ : bad++;
    CHECK(bad == 0, "%ld delays out of 0..4", bad);
    double chi2 = 0, expect = (double)total / 5;
    for (int d = 0; d < 5; d++)
        chi2 += (hist[d] - expect) * (hist[d] - expect) / expect;
    /* 4 degrees of freedom: P(chi2 > 20) = 5e-4 */
    CHECK(chi2 < 20, "delays roughly uniform: counts %ld %ld %ld %ld %ld, chi2 %.1f", hist[0],
          hist[1], hist[2], hist[3], hist[4], chi2);
    double m = 0, v = 0;
    for (size_t k = 0; k < n_in_rec(&n); k++)
        m += n.w_in[k], v += (double)n.w_in[k] * n.w_in[k];
    m /= n_in_rec(&n), v = v / n_in_rec(&n) - m * m;
    CHECK(fabs(m) < 0.005 && fabs(sqrt(v) - 0.1) < 0.005,
          "w_in ~ N(0, 1/n_in): mean %.4f, std %.4f (want 0, 0.1)", m, sqrt(v));
    m = v = 0;
    for (int i = 0; i < 100; i++)
        for (int j = 0; j < 100; j++)
            if (i != j)
                m += n.w_rec[i * 100 + j], v += (double)n.w_rec[i * 100 + j] * n.w_rec[i * 100 + j];
    m /= 9900, v = v / 9900 - m * m;
    CHECK(fabs(m) < 0.005 && fabs(sqrt(v) - 0.1) < 0.005,
          "w_rec ~ N(0, 1/N): mean %.4f, std %.4f (want 0, 0.1)", m, sqrt(v));
    double lim = sqrt(6.0 / 102), mx = 0;
    for (size_t k = 0; k < n_rec_out(&n); k++)
        mx = fmax(mx, fabs(n.w_out[k]));
    CHECK(mx <= lim && mx > 0.8 * lim, "w_out Glorot-uniform in +-%.4f: max |w| %.4f", lim, mx);
    lsnn_net_free(&n);
}

static void test_weights_roundtrip(const char *dir)
{
    lsnn_spec s, other;
    if (make_spec(&s, 5, 4, 4, 4, 5, 1) || make_spec(&other, 5, 5, 4, 4, 5, 1)) return;
    lsnn_net net, back;
    lsnn_error e;
    CHECK(lsnn_model_init(&s, &net, NULL, &e) == 0, "init: %s", e.msg);
    fill(net.b_out, 2, 0.25f); /* nonzero, to see it round trip */
    char path[1100];
    path_in(path, sizeof path, dir, "weights.safetensors");
    CHECK(lsnn_model_save(path, &s, &net, NULL, NULL, NULL, 0, 0, &e) == 0, "save: %s", e.msg);
    CHECK(lsnn_model_load(path, &s, &back, NULL, NULL, NULL, NULL, 0, &e) == 0, "load: %s", e.msg);
    CHECK(same_net(&net, &back), "weights file round trip is byte-identical");
    lsnn_net_free(&back);

    /* saving the loaded model again gives the same file */
    size_t n1, n2;
    char p2[1100];
    path_in(p2, sizeof p2, dir, "weights2.safetensors");
    CHECK(lsnn_model_load(path, &s, &back, NULL, NULL, NULL, NULL, 0, &e) == 0, "load: %s", e.msg);
    CHECK(lsnn_model_save(p2, &s, &back, NULL, NULL, NULL, 0, 0, &e) == 0, "save: %s", e.msg);
    char *f1 = slurp(path, &n1), *f2 = slurp(p2, &n2);
    CHECK(n1 == n2 && !memcmp(f1, f2, n1), "save(load(file)) == file");
    lsnn_net_free(&back);

    printf("rejections:\n");
    expect_load_fail("wrong shape", path, &other, 0, "w_in", "[20, 9]");
    expect_load_fail("checkpoint expected", path, &s, 1, "adam_step", NULL);

    char bad[1100];
    path_in(bad, sizeof bad, dir, "bad.safetensors");
    uint8_t d = 4; /* n_delay = 4: slots 0..3 */
    patch(path, bad, "delay_rec", 9, &d, 1);
    expect_load_fail("delay out of range", bad, &s, 0, "delay_rec", "0..3");
    d = 255;
    patch(path, bad, "delay_in", 0, &d, 1);
    expect_load_fail("delay 255", bad, &s, 0, "delay_in", "255");
    float nan = NAN, inf = INFINITY, one = 0.5f;
    patch(path, bad, "w_out", 4 * 3, &nan, 4);
    expect_load_fail("NaN weight", bad, &s, 0, "w_out", "not finite");
    patch(path, bad, "w_in", 4 * 7, &inf, 4);
    expect_load_fail("infinite weight", bad, &s, 0, "w_in", "not finite");
    patch(path, bad, "w_rec", 4 * (2 * 8 + 2), &one, 4);
    expect_load_fail("nonzero w_rec diagonal", bad, &s, 0, "w_rec", "diagonal");
    spit(bad, f1, n1 / 2);
    expect_load_fail("truncated file", bad, &s, 0, NULL, NULL);
    spit(bad, f1, n1 - 1);
    expect_load_fail("one byte short", bad, &s, 0, NULL, NULL);
    spit(bad, f1, 5);
    expect_load_fail("5-byte file", bad, &s, 0, NULL, NULL);
    char missing[1100];
    path_in(missing, sizeof missing, dir, "no-such-file.safetensors");
    expect_load_fail("missing file", missing, &s, 0, NULL, NULL);
    free(f1);
    free(f2);
    lsnn_net_free(&net);
}

static void test_checkpoint_roundtrip(const char *dir)
{
    lsnn_spec s;
    if (make_spec(&s, 5, 4, 4, 4, 9, 1)) return;
    lsnn_net net, back;
    lsnn_adam adam, aback;
    lsnn_error e;
    CHECK(lsnn_model_init(&s, &net, NULL, &e) == 0, "init: %s", e.msg);
    CHECK(lsnn_adam_alloc(&adam, &net) == 0, "adam alloc");
    fill(adam.m.w_in, n_in_rec(&net), -0.5f);
    fill(adam.m.w_rec, n_rec_rec(&net), 0.1f);
    fill(adam.m.w_out, n_rec_out(&net), 0.2f);
    fill(adam.m.b_out, 2, 0.3f);
    fill(adam.v.w_in, n_in_rec(&net), 1e-5f);
    fill(adam.v.w_rec, n_rec_rec(&net), 2e-5f);
    fill(adam.v.w_out, n_rec_out(&net), 3e-5f);
    fill(adam.v.b_out, 2, 4e-5f);
    adam.step = 17;
    double curve[5 * CURVE_COLS];
    for (int k = 0; k < 5 * CURVE_COLS; k++)
        curve[k] = k % CURVE_COLS == 6 && k / CURVE_COLS % 2 ? NAN : 1.0 / (k + 3);
    char path[1100];
    path_in(path, sizeof path, dir, "checkpoint.safetensors");
    CHECK(lsnn_model_save(path, &s, &net, NULL, &adam, curve, 5, CURVE_COLS, &e) == 0, "save: %s",
          e.msg);
    double *cb = NULL;
    int rows = -1;
    int rc = lsnn_model_load(path, &s, &back, NULL, &aback, &cb, &rows, CURVE_COLS, &e);
    CHECK(rc == 0, "load checkpoint: %s", e.msg);
    if (rc == 0) {
        CHECK(same_net(&net, &back), "checkpoint weights round trip");
        CHECK(same_grads(&adam.m, &aback.m, &net), "Adam m round trip");
        CHECK(same_grads(&adam.v, &aback.v, &net), "Adam v round trip");
        CHECK(aback.step == 17, "Adam step round trip: %ld", aback.step);
        CHECK(rows == 5 && cb && !memcmp(cb, curve, sizeof curve),
              "curve round trip (NaN included): %d rows", rows);
        lsnn_net_free(&back);
        lsnn_adam_free(&aback);
        free(cb);
    }
    /* the weights of a checkpoint load without the Adam state */
    rc = lsnn_model_load(path, &s, &back, NULL, NULL, NULL, NULL, 0, &e);
    CHECK(rc == 0, "a checkpoint loads as a weights file: %s", e.msg);
    if (!rc) {
        CHECK(same_net(&net, &back), "weights of the checkpoint");
        lsnn_net_free(&back);
    }
    /* a checkpoint without a curve: curve NULL, 0 rows */
    char p0[1100];
    path_in(p0, sizeof p0, dir, "checkpoint0.safetensors");
    adam.step = 0;
    CHECK(lsnn_model_save(p0, &s, &net, NULL, &adam, NULL, 0, CURVE_COLS, &e) == 0, "save: %s",
          e.msg);
    cb = (double *)1;
    rows = -1;
    rc = lsnn_model_load(p0, &s, &back, NULL, &aback, &cb, &rows, CURVE_COLS, &e);
    CHECK(rc == 0 && cb == NULL && rows == 0 && aback.step == 0,
          "checkpoint with no curve: rc %d rows %d: %s", rc, rows, rc ? e.msg : "");
    if (!rc) {
        lsnn_net_free(&back);
        lsnn_adam_free(&aback);
    }
    /* a curve of another width is refused */
    lsnn_adam junk;
    memset(&junk, 0, sizeof junk);
    rc = lsnn_model_load(path, &s, &back, NULL, &junk, &cb, &rows, CURVE_COLS - 1, &e);
    CHECK(rc == -1 && strstr(e.msg, "curve"), "curve of the wrong width refused: %s", e.msg);
    /* NaN in an Adam moment is refused like a NaN weight */
    char bad[1100];
    path_in(bad, sizeof bad, dir, "bad_ckpt.safetensors");
    float nan = NAN;
    patch(path, bad, "adam_v.w_rec", 4, &nan, 4);
    expect_load_fail("NaN Adam moment", bad, &s, 1, "adam_v.w_rec", "not finite");
    lsnn_adam_free(&adam);
    lsnn_net_free(&net);
}

/* 1 if the DEEP R states a and b hold the same theta, signs and counters. */
static int same_deepr(const lsnn_deepr *a, const lsnn_deepr *b)
{
    for (int m = 0; m < LSNN_DEEPR_MATS; m++)
        if (a->m[m].size != b->m[m].size ||
            memcmp(a->m[m].theta, b->m[m].theta, a->m[m].size * 4) ||
            memcmp(a->m[m].sign, b->m[m].sign, a->m[m].size))
            return 0;
    return a->pruned == b->pruned && a->grown == b->grown;
}

/* DEEP R models: theta.* and sign.* next to the effective weights, the counters in the
 * checkpoint, and the consistency checks of lsnn_deepr_check on load. */
static void test_deepr_files(const char *dir)
{
    lsnn_spec s, dense;
    if (make_spec(&s, 5, 4, 4, 4, 13, 1)) return;
    dense = s;
    s.connectivity = LSNN_CONN_DEEP_R;
    s.deepr.p = 0.2; /* l1, temperature, Dale: the parser's defaults */
    lsnn_net net, back;
    lsnn_deepr dr, drb;
    lsnn_adam adam, aback;
    lsnn_error e;
    CHECK(lsnn_model_init(&s, &net, &dr, &e) == 0, "init: %s", e.msg);
    CHECK(lsnn_adam_alloc(&adam, &net) == 0, "adam alloc");
    dr.pruned = 5, dr.grown = 7;
    adam.step = 3;
    fill(adam.m.w_rec, n_rec_rec(&net), 0.1f);
    char path[1100], ckpt[1100], p2[1100], bad[1100];
    path_in(path, sizeof path, dir, "deepr_weights.safetensors");
    path_in(ckpt, sizeof ckpt, dir, "deepr_checkpoint.safetensors");
    path_in(p2, sizeof p2, dir, "deepr_weights2.safetensors");
    path_in(bad, sizeof bad, dir, "deepr_bad.safetensors");
    CHECK(lsnn_model_save(path, &s, &net, &dr, NULL, NULL, 0, 0, &e) == 0, "save: %s", e.msg);
    CHECK(lsnn_model_save(ckpt, &s, &net, &dr, &adam, NULL, 0, CURVE_COLS, &e) == 0, "save: %s",
          e.msg);
    int rc = lsnn_model_load(path, &s, &back, &drb, NULL, NULL, NULL, 0, &e);
    CHECK(rc == 0, "load deep_r weights: %s", e.msg);
    if (!rc) {
        CHECK(same_net(&net, &back), "deep_r weights round trip");
        drb.pruned = 5, drb.grown = 7; /* counters live in the checkpoint only */
        CHECK(same_deepr(&dr, &drb), "theta and signs round trip");
        CHECK(lsnn_model_save(p2, &s, &back, &drb, NULL, NULL, 0, 0, &e) == 0, "save: %s", e.msg);
        size_t n1, n2;
        char *f1 = slurp(path, &n1), *f2 = slurp(p2, &n2);
        CHECK(n1 == n2 && !memcmp(f1, f2, n1), "deep_r: save(load(file)) == file");
        free(f1);
        free(f2);
        lsnn_net_free(&back);
        lsnn_deepr_free(&drb);
    }
    rc = lsnn_model_load(ckpt, &s, &back, &drb, &aback, NULL, NULL, CURVE_COLS, &e);
    CHECK(rc == 0, "load deep_r checkpoint: %s", e.msg);
    if (!rc) {
        CHECK(same_deepr(&dr, &drb) && drb.pruned == 5 && drb.grown == 7,
              "checkpoint: theta, signs and counters round trip");
        CHECK(same_grads(&adam.m, &aback.m, &net) && aback.step == 3, "theta's Adam moments");
        lsnn_net_free(&back);
        lsnn_deepr_free(&drb);
        lsnn_adam_free(&aback);
    }
    /* the effective weights alone, as the compiler reads them */
    rc = lsnn_model_load(path, &s, &back, NULL, NULL, NULL, NULL, 0, &e);
    CHECK(rc == 0, "deep_r weights load without the DEEP R state: %s", e.msg);
    if (!rc) {
        CHECK(same_net(&net, &back), "effective weights");
        lsnn_net_free(&back);
    }

    printf("DEEP R rejections:\n");
    size_t active = 0, dormant = 0;
    while (!(dr.m[0].theta[active] > 0))
        active++;
    while (dr.m[0].theta[dormant] > 0)
        dormant++;
    float x = 0.25f, nan = NAN;
    int8_t zero = 0, two = 2;
    int64_t minus = -1;
    patch(path, bad, "w_in", 4 * active, &x, 4);
    expect_deepr_fail("active weight != sign * theta", bad, &s, 0, "'w_in'", "sign.w_in * theta");
    patch(path, bad, "w_in", 4 * dormant, &x, 4);
    expect_deepr_fail("dormant weight != 0", bad, &s, 0, "'w_in'", "else 0");
    patch(path, bad, "sign.w_rec", 3, &zero, 1);
    expect_deepr_fail("sign 0", bad, &s, 0, "sign.w_rec", "-1 or +1");
    patch(path, bad, "sign.w_out", 1, &two, 1);
    expect_deepr_fail("sign 2", bad, &s, 0, "sign.w_out", "-1 or +1");
    patch(path, bad, "theta.w_rec", 4, &nan, 4);
    expect_deepr_fail("NaN theta", bad, &s, 0, "theta.w_rec", "not finite");
    patch(ckpt, bad, "deepr_counts", 0, &minus, 8);
    expect_deepr_fail("negative counter", bad, &s, 1, "deepr_counts", ">= 0");
    CHECK(lsnn_model_save(bad, &dense, &net, NULL, NULL, NULL, 0, 0, &e) == 0, "save: %s", e.msg);
    expect_deepr_fail("no theta in the file", bad, &s, 0, "theta.w_in", NULL);
    CHECK(lsnn_model_save(bad, &s, &net, &dr, NULL, NULL, 0, 0, &e) == 0, "save: %s", e.msg);
    expect_deepr_fail("weights file as checkpoint", bad, &s, 1, "adam_step", NULL);
    lsnn_deepr_free(&dr);
    lsnn_adam_free(&adam);
    lsnn_net_free(&net);
}

static void test_lr(void)
{
    lsnn_spec s;
    if (make_spec(&s, 5, 4, 4, 4, 1, 1)) return;
    /* lr 0.01, factor 0.3 every 100 */
    struct {
        long it;
        double lr;
    } cases[] = {{0, 0.01},     {1, 0.01},      {99, 0.01},
                 {100, 0.003},  {199, 0.003},   {200, 0.0009},
                 {250, 0.0009}, {300, 0.00027}, {1000, 0.01 * pow(0.3, 10)}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double got = lsnn_lr_at(&s, cases[k].it);
        CHECK(fabs(got - cases[k].lr) <= 1e-15 + 1e-12 * cases[k].lr,
              "lr at iteration %ld: %.17g, want %.17g", cases[k].it, got, cases[k].lr);
    }
    s.lr_decay_every = 0;
    CHECK(lsnn_lr_at(&s, 0) == 0.01 && lsnn_lr_at(&s, 123456) == 0.01, "no schedule: constant lr");
}

/* Two Adam steps against the TF1 formula computed in double. */
static void test_adam(int bias)
{
    lsnn_spec s;
    if (make_spec(&s, 1, 2, 1, 2, 4, bias)) return; /* 4 inputs, 3 neurons, 2 outputs */
    s.adam_beta1 = 0.8, s.adam_beta2 = 0.9, s.adam_eps = 1e-3;
    lsnn_net net;
    lsnn_error e;
    CHECK(lsnn_model_init(&s, &net, NULL, &e) == 0, "init: %s", e.msg);
    lsnn_adam a;
    lsnn_grads g;
    CHECK(lsnn_adam_alloc(&a, &net) == 0 && lsnn_grads_alloc(&g, &net) == 0, "alloc");
    float *P[4] = {net.w_in, net.w_rec, net.w_out, net.b_out};
    float *G[4] = {g.w_in, g.w_rec, g.w_out, g.b_out};
    size_t n[4] = {n_in_rec(&net), n_rec_rec(&net), n_rec_out(&net), (size_t)net.n_out};
    const char *names[4] = {"w_in", "w_rec", "w_out", "b_out"};
    double p[4][16], m[4][16] = {{0}}, v[4][16] = {{0}};
    for (int t = 0; t < 4; t++)
        for (size_t k = 0; k < n[t]; k++)
            p[t][k] = P[t][k];
    const double lr[2] = {0.05, 0.02};
    for (int step = 1; step <= 2; step++) {
        for (int t = 0; t < 4; t++)
            for (size_t k = 0; k < n[t]; k++)
                G[t][k] = (float)((k % 2 ? -1 : 1) * (0.1 * step + 0.37 * k + 0.05 * t));
        lsnn_adam_step(&a, &s, &net, &g, lr[step - 1]);
        CHECK(a.step == step, "Adam step counter %ld after %d steps", a.step, step);
        double b1 = s.adam_beta1, b2 = s.adam_beta2;
        double lr_t = lr[step - 1] * sqrt(1 - pow(b2, step)) / (1 - pow(b1, step));
        for (int t = 0; t < 4; t++) {
            int worst = -1;
            double werr = 0;
            for (size_t k = 0; k < n[t]; k++) {
                int frozen = (t == 1 && k / 3 == k % 3) || (t == 3 && !bias);
                if (!frozen) {
                    double gk = G[t][k];
                    m[t][k] = b1 * m[t][k] + (1 - b1) * gk;
                    v[t][k] = b2 * v[t][k] + (1 - b2) * gk * gk;
                    p[t][k] -= lr_t * m[t][k] / (sqrt(v[t][k]) + s.adam_eps);
                }
                double err = fabs(P[t][k] - p[t][k]);
                if (err > werr) werr = err, worst = (int)k;
            }
            CHECK(werr < 2e-6, "Adam%s step %d, %s[%d]: |float - double| = %.3g",
                  bias ? "" : " (no bias)", step, names[t], worst, werr);
        }
    }
    int diag = 0;
    for (int i = 0; i < 3; i++)
        diag += net.w_rec[i * 3 + i] != 0;
    CHECK(diag == 0, "the w_rec diagonal stays zero under nonzero gradients");
    if (!bias)
        CHECK(net.b_out[0] == 0 && net.b_out[1] == 0, "b_out untouched without readout bias");
    lsnn_adam_free(&a);
    lsnn_grads_free(&g);
    lsnn_net_free(&net);
}

/* The first Adam step moves every parameter by lr * sign(g) (up to eps). */
static void test_adam_first_step(void)
{
    lsnn_spec s;
    if (make_spec(&s, 1, 2, 1, 2, 4, 1)) return;
    lsnn_net net, before;
    lsnn_error e;
    CHECK(lsnn_model_init(&s, &net, NULL, &e) == 0 && lsnn_model_init(&s, &before, NULL, &e) == 0,
          "init");
    lsnn_adam a;
    lsnn_grads g;
    CHECK(lsnn_adam_alloc(&a, &net) == 0 && lsnn_grads_alloc(&g, &net) == 0, "alloc");
    for (size_t k = 0; k < n_in_rec(&net); k++)
        g.w_in[k] = (float)(k % 3 ? 0.5 * (k + 1) : -0.25 * (k + 1));
    lsnn_adam_step(&a, &s, &net, &g, 0.01);
    int bad = 0;
    for (size_t k = 0; k < n_in_rec(&net); k++) {
        double want = before.w_in[k] - 0.01 * (g.w_in[k] > 0 ? 1 : -1);
        bad += fabs(net.w_in[k] - want) > 1e-6;
    }
    CHECK(bad == 0, "first step = -lr * sign(g): %d entries off", bad);
    lsnn_adam_free(&a);
    lsnn_grads_free(&g);
    lsnn_net_free(&net);
    lsnn_net_free(&before);
}

int main(void)
{
    const char *dir = check_tmpdir("test_model_io");
    test_init();
    test_weights_roundtrip(dir);
    test_checkpoint_roundtrip(dir);
    test_deepr_files(dir);
    test_lr();
    test_adam(1);
    test_adam(0);
    test_adam_first_step();
    return check_report();
}
