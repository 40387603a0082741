/* test_smnist.c - sMNIST threshold-crossing encoding (hand-derived spikes) and the smnist task
 * (IDX loading, shuffled epochs, limits, windows, missing-data messages). */
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "idx.h"
#include "rng.h"
#include "smnist.h"
#include "task.h"

#define MAX_STEPS 3360

/* expected[t][ch] = 1 if channel ch must spike at step t */
static uint8_t expected[MAX_STEPS][LSNN_SMNIST_INPUTS];

static void expect_range(int step, int first, int last, int stride)
{
    for (int ch = first; ch <= last; ch += stride)
        expected[step][ch] = 1;
}

/* Compares sequence `seq` of b with `expected` over n_steps; reports the first mismatches. */
static void compare(const lsnn_batch *b, int seq, int n_steps, const char *what)
{
    int bad = 0;
    for (int t = 0; t < n_steps; t++) {
        uint8_t got[LSNN_SMNIST_INPUTS] = {0};
        size_t c = (size_t)seq * b->n_steps + t;
        for (uint32_t k = b->in_ptr[c]; k < b->in_ptr[c + 1]; k++)
            got[b->in_idx[k]] = 1;
        for (int ch = 0; ch < LSNN_SMNIST_INPUTS; ch++)
            if (got[ch] != expected[t][ch] && bad++ < 10)
                CHECK(0, "%s: step %d channel %d: got %d, expected %d", what, t, ch, got[ch],
                      expected[t][ch]);
    }
    CHECK(bad == 0, "%s: %d mismatching (step, channel) pairs", what, bad);
}

/* A sparse image with hand-derived crossings. level(b) = #{k in 1..38 : b/255 >= k/39}:
 *   85 = exactly 1/3 = 13/39 -> 13 (the tie counts as reached), 84 -> 12 (13/39 = 0.3333 >
 *   0.3294), 170 = 26/39 -> 26, 255 -> 38 (and touch), 6 -> 0 (1/39 = 0.0256 > 0.0235),
 *   7 -> 1, 128 -> 19 (19/39 = 0.487 <= 0.502 < 20/39 = 0.513), 200 -> 30 (30/39 = 0.769 <=
 *   0.784 < 31/39 = 0.795). Onset of threshold k is channel 2k, offset 2k+1, touch 78. */
static void make_sparse(uint8_t *px)
{
    memset(px, 0, LSNN_SMNIST_PIXELS);
    px[10] = 85;
    px[20] = 84;
    px[30] = 255, px[31] = 255, px[32] = 170;
    px[40] = 6, px[41] = 7;
    for (int p = 500; p < 510; p++)
        px[p] = 128; /* a step up and down */
    px[783] = 200;   /* last pixel: onset, never an offset */
}

/* Expected spikes of make_sparse with ext_time e: pixel p covers steps e*p .. e*p+e-1; the
 * crossing p -> p+1 fires at e*p + e - 1; touch fires on every repeat of a 255 pixel. */
static void expect_sparse(int e)
{
    memset(expected, 0, sizeof expected);
#define AT(p) ((p)*e + e - 1)
    expect_range(AT(9), 2, 26, 2);  /* 0 -> 85: onsets k = 1..13 */
    expect_range(AT(10), 3, 27, 2); /* 85 -> 0: offsets k = 1..13 */
    expect_range(AT(19), 2, 24, 2); /* 0 -> 84: onsets k = 1..12 */
    expect_range(AT(20), 3, 25, 2); /* 84 -> 0 */
    expect_range(AT(29), 2, 76, 2); /* 0 -> 255: onsets k = 1..38 */
    for (int r = 0; r < e; r++) {   /* touch on pixels 30 and 31 */
        expected[30 * e + r][78] = 1;
        expected[31 * e + r][78] = 1;
    }
    expect_range(AT(31), 55, 77, 2); /* 255 -> 170: offsets k = 27..38 */
    expect_range(AT(32), 3, 53, 2);  /* 170 -> 0: offsets k = 1..26 */
    expect_range(AT(40), 2, 2, 2);   /* 6 -> 7: onset k = 1 */
    expect_range(AT(41), 3, 3, 2);   /* 7 -> 0: offset k = 1 */
    expect_range(AT(499), 2, 38, 2); /* 0 -> 128: onsets k = 1..19 */
    expect_range(AT(509), 3, 39, 2); /* 128 -> 0 */
    expect_range(AT(782), 2, 60, 2); /* 0 -> 200: onsets k = 1..30 */
#undef AT
    for (int t = 784 * e; t < 840 * e; t++)
        expected[t][79] = 1; /* cue */
}

static void test_sparse(int e)
{
    uint8_t px[LSNN_SMNIST_PIXELS];
    make_sparse(px);
    lsnn_batch b = {0};
    int steps = lsnn_smnist_steps(e);
    CHECK(steps == 840 * e, "steps");
    CHECK(lsnn_batch_reset(&b, 2, steps, LSNN_SMNIST_INPUTS) == 0, "reset");
    uint8_t zero[LSNN_SMNIST_PIXELS] = {0};
    CHECK(lsnn_smnist_encode(&b, zero, e) == 0, "encode blank");
    CHECK(lsnn_smnist_encode(&b, px, e) == 0, "encode sparse");
    CHECK(b.cell == (size_t)2 * steps, "all cells closed");
    CHECK(lsnn_batch_check(&b, 10) == 0, "batch consistent");
    char what[64];
    snprintf(what, sizeof what, "sparse image, ext_time %d", e);
    expect_sparse(e);
    compare(&b, 1, steps, what);
    /* the blank image: only the cue, on exactly the last 56*e steps */
    memset(expected, 0, sizeof expected);
    for (int t = steps - 56 * e; t < steps; t++)
        expected[t][79] = 1;
    snprintf(what, sizeof what, "blank image, ext_time %d", e);
    compare(&b, 0, steps, what);
    CHECK(b.n_spikes ==
              (size_t)(56 * e * 2 + 13 * 2 + 12 * 2 + 38 + 2 * e + 12 + 26 + 2 + 19 * 2 + 30),
          "total spikes %zu", b.n_spikes);
    CHECK(lsnn_smnist_encode(&b, px, e) != 0, "a full batch takes no more sequences");
    lsnn_batch_free(&b);
}

/* A ramp: pixel p = p for p = 0..255, then 0. Threshold k is first reached at byte
 * ceil(255k/39) (7, 14, ..., 85 for k = 13, ..., 170 for k = 26, ..., 249 for k = 38), so its
 * onset fires at the step before that pixel; at 255 -> 0 every offset fires together. */
static void test_ramp(void)
{
    uint8_t px[LSNN_SMNIST_PIXELS] = {0};
    for (int p = 0; p < 256; p++)
        px[p] = (uint8_t)p;
    memset(expected, 0, sizeof expected);
    for (int k = 1; k <= 38; k++) {
        int first_byte = (255 * k + 38) / 39;
        expected[first_byte - 1][2 * k] = 1;
    }
    CHECK((255 * 1 + 38) / 39 == 7 && (255 * 13 + 38) / 39 == 85 && (255 * 26 + 38) / 39 == 170 &&
              (255 * 38 + 38) / 39 == 249,
          "hand values of the ramp");
    expected[255][78] = 1;
    expect_range(255, 3, 77, 2);
    for (int t = 784; t < 840; t++)
        expected[t][79] = 1;
    lsnn_batch b = {0};
    CHECK(lsnn_batch_reset(&b, 1, 840, LSNN_SMNIST_INPUTS) == 0, "reset");
    CHECK(lsnn_smnist_encode(&b, px, 1) == 0, "encode ramp");
    compare(&b, 0, 840, "ramp");
    /* channels 0 and 1 (threshold 0) never fire */
    for (size_t k = 0; k < b.n_spikes; k++)
        CHECK(b.in_idx[k] >= 2, "threshold 0 is silent");
    lsnn_batch_free(&b);
}

static void test_encode_misuse(void)
{
    uint8_t px[LSNN_SMNIST_PIXELS] = {0};
    lsnn_batch b = {0};
    CHECK(lsnn_batch_reset(&b, 1, 840, LSNN_SMNIST_INPUTS) == 0, "reset");
    CHECK(lsnn_smnist_encode(&b, px, 2) != 0, "ext_time 2 needs 1680 steps");
    CHECK(lsnn_batch_reset(&b, 1, 840, 79) == 0, "reset");
    CHECK(lsnn_smnist_encode(&b, px, 1) != 0, "needs 80 channels");
    lsnn_batch_free(&b);
}

/* ---- the smnist task on a tiny data set ---- */

static char dir[900];

/* Image i of a split: all zero except pixel 10*(i+1) = 255, so its touch channel fires at
 * exactly one step, which identifies the image. Label (3*i) % 10. */
static void write_split(const char *d, const char *img, const char *lab, int n, int gz)
{
    static uint8_t px[64 * 784], labels[64];
    memset(px, 0, sizeof px);
    for (int i = 0; i < n; i++) {
        px[(size_t)i * 784 + 10 * (i + 1)] = 255;
        labels[i] = (uint8_t)((3 * i) % 10);
    }
    lsnn_images im = {.n = n, .rows = 28, .cols = 28, .pixels = px, .labels = labels};
    char ip[1024], lp[1024];
    snprintf(ip, sizeof ip, "%s/%s", d, img);
    snprintf(lp, sizeof lp, "%s/%s", d, lab);
    lsnn_error e = {{0}};
    CHECK(lsnn_idx_write(ip, lp, &im, &e) == 0, "write %s: %s", ip, e.msg);
    if (!gz) return;
    for (int f = 0; f < 2; f++) { /* replace both files with NAME.gz */
        const char *path = f ? lp : ip;
        static uint8_t buf[64 * 784 + 16];
        FILE *in = fopen(path, "rb");
        size_t n_read = in ? fread(buf, 1, sizeof buf, in) : 0;
        if (in) fclose(in);
        char gzp[1100];
        snprintf(gzp, sizeof gzp, "%s.gz", path);
        gzFile out = gzopen(gzp, "wb");
        CHECK(out && gzwrite(out, buf, (unsigned)n_read) == (int)n_read, "gz %s", gzp);
        if (out) gzclose(out);
        remove(path);
    }
}

static void write_set(const char *d, int n_train, int n_test, int gz)
{
    mkdir(d, 0755);
    write_split(d, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", n_train, gz);
    write_split(d, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", n_test, gz);
}

static lsnn_spec smnist_spec(const char *data_dir)
{
    lsnn_spec s;
    memset(&s, 0, sizeof s);
    s.seed = 1234;
    s.n_in = 80;
    s.n_out = 10;
    s.task = LSNN_TASK_SMNIST;
    s.smnist.dataset = LSNN_DATA_MNIST;
    snprintf(s.smnist.data_dir, sizeof s.smnist.data_dir, "%s", data_dir);
    s.smnist.ext_time = 1;
    s.smnist.readout_steps = 28;
    return s;
}

/* The image index of sequence s, from its single touch spike (-1 if not exactly one). */
static int decode_image(const lsnn_batch *b, int s)
{
    int found = -1, count = 0;
    for (int t = 0; t < 784 * (b->n_steps / 840); t++) {
        size_t c = (size_t)s * b->n_steps + t;
        for (uint32_t k = b->in_ptr[c]; k < b->in_ptr[c + 1]; k++)
            if (b->in_idx[k] == 78) found = t, count++;
    }
    int ext = b->n_steps / 840;
    return count == ext ? found / ext / 10 - 1 : -1;
}

/* The documented shuffle, written out again: permutation of epoch k. */
static void reference_perm(uint64_t seed, int k, int n, int *p)
{
    lsnn_rng r = lsnn_rng_derive(seed, LSNN_RNG_SHUFFLE, (uint64_t)k);
    for (int i = 0; i < n; i++)
        p[i] = i;
    for (int i = n - 1; i >= 1; i--) {
        int j = (int)lsnn_rng_below(&r, (uint32_t)(i + 1)), tmp = p[i];
        p[i] = p[j], p[j] = tmp;
    }
}

static void test_task_epochs(void)
{
    char d[1024];
    snprintf(d, sizeof d, "%s/plain", dir);
    write_set(d, 10, 6, 0);
    lsnn_spec spec = smnist_spec(d);
    lsnn_task *t = NULL;
    lsnn_error e = {{0}};
    CHECK(lsnn_task_open(&spec, &t, &e) == 0, "open: %s", e.msg);
    if (!t) return;
    CHECK(lsnn_task_n_steps(t) == 840 && lsnn_task_n_in(t) == 80 && lsnn_task_n_out(t) == 10,
          "shape");
    CHECK(strcmp(lsnn_task_metric(t), "test error") == 0, "metric");
    CHECK(lsnn_task_test_count(t) == 6, "test count");

    /* iterations 0..9 with 3 sequences: positions 0..29 = epochs 0, 1, 2; batch 3 straddles */
    lsnn_batch b = {0};
    int seen[30];
    for (int it = 0; it < 10; it++) {
        CHECK(lsnn_task_train_batch(t, it, 3, &b, &e) == 0, "train batch %d: %s", it, e.msg);
        CHECK(lsnn_batch_check(&b, 10) == 0 && b.n_seq == 3 && b.n_win == 3, "batch %d", it);
        for (int s = 0; s < 3; s++) {
            int img = decode_image(&b, s);
            seen[it * 3 + s] = img;
            CHECK(img >= 0 && img < 10, "decoded image %d", img);
            CHECK(b.win[s].seq == s && b.win[s].start == 812 && b.win[s].end == 840 &&
                      b.win[s].label == (3 * img) % 10,
                  "window of sequence %d", s);
        }
    }
    int perm[10];
    for (int k = 0; k < 3; k++) {
        reference_perm(1234, k, 10, perm);
        for (int i = 0; i < 10; i++)
            CHECK(seen[k * 10 + i] == perm[i], "epoch %d position %d: %d vs %d", k, i,
                  seen[k * 10 + i], perm[i]);
    }
    int differs = 0;
    for (int i = 0; i < 10; i++)
        differs |= seen[i] != seen[10 + i];
    CHECK(differs, "epochs are shuffled differently");
    /* batches are pure functions of the iteration: out of order, other batch sizes agree */
    CHECK(lsnn_task_train_batch(t, 3, 3, &b, &e) == 0, "again");
    for (int s = 0; s < 3; s++)
        CHECK(decode_image(&b, s) == seen[9 + s], "iteration 3 again");
    CHECK(lsnn_task_train_batch(t, 1, 7, &b, &e) == 0, "n_seq 7");
    for (int s = 0; s < 7; s++)
        CHECK(decode_image(&b, s) == seen[7 + s], "positions 7..13");
    CHECK(lsnn_task_train_batch(t, 0, 25, &b, &e) == 0, "a batch longer than an epoch");
    for (int s = 0; s < 25; s++)
        CHECK(decode_image(&b, s) == seen[s], "positions 0..24");

    /* test batches: file order, cut at the end, range checked */
    CHECK(lsnn_task_test_batch(t, 4, 5, &b, &e) == 0, "test batch: %s", e.msg);
    CHECK(b.n_seq == 2 && decode_image(&b, 0) == 4 && decode_image(&b, 1) == 5, "cut at the end");
    CHECK(b.win[1].label == 5, "label of test image 5");
    CHECK(lsnn_task_test_batch(t, 6, 1, &b, &e) == -1 && strstr(e.msg, "out of range"),
          "first past the end: %s", e.msg);
    CHECK(lsnn_task_train_batch(t, 0, 0, &b, &e) == -1, "n_seq 0 rejected");
    lsnn_batch_free(&b);
    lsnn_task_close(t);
}

static void test_task_options(void)
{
    char d[1024];
    snprintf(d, sizeof d, "%s/gz", dir);
    write_set(d, 9, 5, 1);
    lsnn_spec spec = smnist_spec(d);
    spec.smnist.ext_time = 2;
    spec.smnist.readout_steps = 112;
    spec.smnist.train_limit = 4;
    spec.smnist.test_limit = 3;
    lsnn_task *t = NULL;
    lsnn_error e = {{0}};
    CHECK(lsnn_task_open(&spec, &t, &e) == 0, "open gz: %s", e.msg);
    if (!t) return;
    CHECK(lsnn_task_n_steps(t) == 1680 && lsnn_task_test_count(t) == 3, "ext_time 2, limits");
    lsnn_batch b = {0};
    int count[4] = {0};
    CHECK(lsnn_task_train_batch(t, 0, 8, &b, &e) == 0, "train");
    for (int s = 0; s < 8; s++) {
        int img = decode_image(&b, s);
        CHECK(img >= 0 && img < 4, "train_limit 4: image %d", img);
        if (img >= 0 && img < 4) count[img]++;
        CHECK(b.win[s].start == 1568 && b.win[s].end == 1680, "readout over the whole cue");
    }
    for (int i = 0; i < 4; i++)
        CHECK(count[i] == 2, "two epochs: image %d seen twice", i);
    lsnn_batch_free(&b);
    lsnn_task_close(t);

    spec.smnist.readout_steps = 113;
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "readout_steps"), "%s", e.msg);
    spec.smnist.readout_steps = 28;
    spec.smnist.ext_time = 5;
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "ext_time"), "%s", e.msg);
    spec.smnist.ext_time = 1;
    spec.n_in = 81;
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "n_in = 81"), "%s", e.msg);
}

static void test_task_missing(void)
{
    char d[1024];
    snprintf(d, sizeof d, "%s/empty", dir);
    mkdir(d, 0755);
    lsnn_spec spec = smnist_spec(d);
    lsnn_task *t = NULL;
    lsnn_error e = {{0}};
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && t == NULL, "missing MNIST fails");
    CHECK(strstr(e.msg, "train-images-idx3-ubyte") && strstr(e.msg, "run tools/fetch_mnist.sh"),
          "MNIST message: %s", e.msg);
    CHECK(!strstr(e.msg, "relative"), "an absolute data_dir is not called relative: %s", e.msg);
    /* a relative data_dir: the absolute path tried, and how it was resolved (issue 13) */
    char cwd[4096], want[5000];
    CHECK(getcwd(cwd, sizeof cwd) != NULL, "getcwd");
    spec = smnist_spec("no/such/mnist");
    CHECK(lsnn_task_open(&spec, &t, &e) == -1, "missing relative MNIST fails");
    snprintf(want, sizeof want, "%s/no/such/mnist/train-images-idx3-ubyte (or .gz) not found", cwd);
    CHECK(strstr(e.msg, want) && strstr(e.msg, "resolved against the current directory") &&
              strstr(e.msg, "tools/fetch_mnist.sh"),
          "relative MNIST message: %s", e.msg);
    spec = smnist_spec(d);
    spec.smnist.dataset = LSNN_DATA_FASHION;
    CHECK(lsnn_task_open(&spec, &t, &e) == -1, "missing Fashion-MNIST fails");
    CHECK(strstr(e.msg, "apt-get install dataset-fashion-mnist"), "fashion message: %s", e.msg);
    /* a data set with 28x27 images */
    snprintf(d, sizeof d, "%s/odd", dir);
    mkdir(d, 0755);
    static uint8_t px[2 * 28 * 27];
    uint8_t lab[2] = {1, 2};
    lsnn_images im = {.n = 2, .rows = 28, .cols = 27, .pixels = px, .labels = lab};
    char ip[1100], lp[1100];
    snprintf(ip, sizeof ip, "%s/train-images-idx3-ubyte", d);
    snprintf(lp, sizeof lp, "%s/train-labels-idx1-ubyte", d);
    CHECK(lsnn_idx_write(ip, lp, &im, &e) == 0, "write odd");
    spec = smnist_spec(d);
    CHECK(lsnn_task_open(&spec, &t, &e) == -1 && strstr(e.msg, "28x27"), "odd size: %s", e.msg);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s", check_tmpdir("test_smnist"));
    test_sparse(1);
    test_sparse(2);
    test_ramp();
    test_encode_misuse();
    test_task_epochs();
    test_task_options();
    test_task_missing();
    return check_report();
}
