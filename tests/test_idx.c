/* test_idx.c - IDX reader/writer: round trips (plain and gzip) and every rejection. */
#include <zlib.h>

#include "check.h"
#include "idx.h"

static char dir[900];

static const char *path_of(const char *name)
{
    static char bufs[8][1024]; /* a few live at once in one call's arguments */
    static int next;
    char *p = bufs[next++ % 8];
    snprintf(p, 1024, "%s/%s", dir, name);
    return p;
}

static void write_raw(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "open %s", path);
    if (!f) return;
    CHECK(fwrite(data, 1, n, f) == n, "write %s", path);
    fclose(f);
}

static void write_gz(const char *path, const uint8_t *data, size_t n)
{
    gzFile f = gzopen(path, "wb");
    CHECK(f != NULL, "gzopen %s", path);
    if (!f) return;
    CHECK(gzwrite(f, data, (unsigned)n) == (int)n, "gzwrite %s", path);
    gzclose(f);
}

/* Reads a whole file (the test's own files, a few KiB). */
static size_t read_raw(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* 3 images of 4x5 with pixel i*31+j and labels 7, 0, 9. */
static void make_images(lsnn_images *im, uint8_t *pixels, uint8_t *labels)
{
    for (int i = 0; i < 60; i++)
        pixels[i] = (uint8_t)(i * 31 + i / 20);
    labels[0] = 7, labels[1] = 0, labels[2] = 9;
    *im = (lsnn_images){.n = 3, .rows = 4, .cols = 5, .pixels = pixels, .labels = labels};
}

static int same(const lsnn_images *a, const lsnn_images *b)
{
    return a->n == b->n && a->rows == b->rows && a->cols == b->cols &&
           memcmp(a->pixels, b->pixels, (size_t)a->n * a->rows * a->cols) == 0 &&
           memcmp(a->labels, b->labels, (size_t)a->n) == 0;
}

static void expect_error(const char *images, const char *labels, const char *needle1,
                         const char *needle2, const char *what)
{
    lsnn_images im;
    lsnn_error e = {{0}};
    int rc = lsnn_idx_load(images, labels, &im, &e);
    CHECK(rc == -1, "%s: load must fail", what);
    CHECK(strstr(e.msg, needle1) != NULL, "%s: message '%s' lacks '%s'", what, e.msg, needle1);
    if (needle2)
        CHECK(strstr(e.msg, needle2) != NULL, "%s: message '%s' lacks '%s'", what, e.msg, needle2);
    CHECK(im.pixels == NULL && im.labels == NULL && im.n == 0, "%s: output left empty", what);
}

static void test_round_trip(void)
{
    uint8_t pixels[60], labels[3];
    lsnn_images im, got;
    lsnn_error e = {{0}};
    make_images(&im, pixels, labels);
    const char *ip = path_of("img"), *lp = path_of("lab");
    CHECK(lsnn_idx_write(ip, lp, &im, &e) == 0, "write: %s", e.msg);

    uint8_t raw[128];
    size_t n = read_raw(ip, raw, sizeof raw);
    static const uint8_t head[16] = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5};
    CHECK(n == 76 && memcmp(raw, head, 16) == 0 && memcmp(raw + 16, pixels, 60) == 0,
          "image file bytes (size %zu)", n);
    n = read_raw(lp, raw, sizeof raw);
    static const uint8_t lhead[11] = {0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9};
    CHECK(n == 11 && memcmp(raw, lhead, 11) == 0, "label file bytes (size %zu)", n);

    CHECK(lsnn_idx_load(ip, lp, &got, &e) == 0, "load plain: %s", e.msg);
    CHECK(same(&im, &got), "plain round trip");
    lsnn_images_free(&got);
    CHECK(got.pixels == NULL && got.n == 0, "freed");

    /* gzip copies, and a mix of gzip images with plain labels */
    uint8_t ibuf[76], lbuf[11];
    read_raw(ip, ibuf, sizeof ibuf);
    read_raw(lp, lbuf, sizeof lbuf);
    const char *igz = path_of("img.gz"), *lgz = path_of("lab.gz");
    write_gz(igz, ibuf, sizeof ibuf);
    write_gz(lgz, lbuf, sizeof lbuf);
    CHECK(lsnn_idx_load(igz, lgz, &got, &e) == 0, "load gzip: %s", e.msg);
    CHECK(same(&im, &got), "gzip round trip");
    lsnn_images_free(&got);
    CHECK(lsnn_idx_load(igz, lp, &got, &e) == 0, "load mixed: %s", e.msg);
    CHECK(same(&im, &got), "mixed round trip");
    lsnn_images_free(&got);

    /* a larger file, read in several chunks (1 MiB) */
    static uint8_t big[3000 * 784], big_labels[3000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7 + i / 1000);
    for (int i = 0; i < 3000; i++)
        big_labels[i] = (uint8_t)(i % 10);
    lsnn_images bigim = {.n = 3000, .rows = 28, .cols = 28, .pixels = big, .labels = big_labels};
    CHECK(lsnn_idx_write(path_of("big"), path_of("bigl"), &bigim, &e) == 0, "write big");
    CHECK(lsnn_idx_load(path_of("big"), path_of("bigl"), &got, &e) == 0, "load big: %s", e.msg);
    CHECK(same(&bigim, &got), "big round trip");
    lsnn_images_free(&got);
}

static void test_rejections(void)
{
    uint8_t raw[128], lab[16];
    char ip[1024], lp[1024];
    snprintf(ip, sizeof ip, "%s", path_of("img"));
    snprintf(lp, sizeof lp, "%s", path_of("lab"));
    size_t n = read_raw(ip, raw, sizeof raw);
    size_t ln = read_raw(lp, lab, sizeof lab);
    CHECK(n == 76 && ln == 11, "fixtures from the round trip");

    /* bad magic: a label file given as images, and a corrupted magic */
    expect_error(lp, lp, "bad magic", "0x00000801", "labels as images");
    uint8_t bad[128];
    memcpy(bad, raw, n);
    bad[3] = 4;
    write_raw(path_of("badmagic"), bad, n);
    expect_error(path_of("badmagic"), lp, path_of("badmagic"), "expected 0x00000803", "magic");
    expect_error(ip, ip, "bad magic", "expected 0x00000801", "images as labels");

    /* truncated data (plain and gzip), over-long, truncated header */
    write_raw(path_of("trunc"), raw, n - 5);
    expect_error(path_of("trunc"), lp, path_of("trunc"), "expected 76 bytes", "truncated");
    expect_error(path_of("trunc"), lp, "found 71", NULL, "truncated count");
    write_gz(path_of("trunc.gz"), raw, n - 1);
    expect_error(path_of("trunc.gz"), lp, "truncated", "found 75", "truncated gzip");
    memcpy(bad, raw, n);
    bad[n] = 0, bad[n + 1] = 0;
    write_raw(path_of("long"), bad, n + 2);
    expect_error(path_of("long"), lp, "over-long", "expected 76 bytes", "over-long");
    expect_error(path_of("long"), lp, "found 78", NULL, "over-long count");
    write_raw(path_of("head"), raw, 10);
    expect_error(path_of("head"), lp, "truncated header", path_of("head"), "short header");
    write_raw(path_of("labtrunc"), lab, ln - 1);
    expect_error(ip, path_of("labtrunc"), "expected 11 bytes", "found 10", "labels truncated");

    /* count mismatch: 2 labels for 3 images */
    uint8_t two[10] = {0, 0, 8, 1, 0, 0, 0, 2, 1, 2};
    write_raw(path_of("lab2"), two, sizeof two);
    expect_error(ip, path_of("lab2"), "3 images", "2 labels", "count mismatch");

    /* label 10 */
    memcpy(bad, lab, ln);
    bad[9] = 10;
    write_raw(path_of("lab10"), bad, ln);
    expect_error(ip, path_of("lab10"), "label 10 at index 1", "0..9", "label 10");

    /* dimensions: zero count, 0 rows, 1025 cols */
    memcpy(bad, raw, n);
    bad[7] = 0;
    write_raw(path_of("zero"), bad, 16);
    expect_error(path_of("zero"), lp, "image count 0", NULL, "zero images");
    memcpy(bad, raw, n);
    bad[11] = 0;
    write_raw(path_of("rows0"), bad, n);
    expect_error(path_of("rows0"), lp, "image size 0x5", NULL, "zero rows");
    memcpy(bad, raw, n);
    bad[14] = 4, bad[15] = 1;
    write_raw(path_of("cols"), bad, n);
    expect_error(path_of("cols"), lp, "4x1025", "1..1024", "too many cols");
    /* a header claiming 10^7+1 images */
    memcpy(bad, raw, n);
    bad[4] = 0x00, bad[5] = 0x98, bad[6] = 0x96, bad[7] = 0x81;
    write_raw(path_of("many"), bad, n);
    expect_error(path_of("many"), lp, "image count 10000001", NULL, "too many images");
    /* a header claiming many images in a short file: no huge allocation, a clear message */
    bad[4] = 0x00, bad[5] = 0x98, bad[6] = 0x96, bad[7] = 0x80;
    bad[11] = 0xff, bad[10] = 0x03, bad[15] = 0x00, bad[14] = 0x04; /* 1023 x 1024 */
    write_raw(path_of("huge"), bad, n);
    expect_error(path_of("huge"), lp, "truncated", "found 76", "huge header, short file");

    /* missing file, corrupt gzip */
    expect_error(path_of("nope"), lp, path_of("nope"), "cannot open", "missing");
    uint8_t gz[40];
    write_gz(path_of("corrupt.gz"), raw, n);
    size_t gn = read_raw(path_of("corrupt.gz"), gz, sizeof gz);
    for (size_t i = 12; i < gn; i++)
        gz[i] ^= 0x5a;
    write_raw(path_of("corrupt.gz"), gz, gn);
    expect_error(path_of("corrupt.gz"), lp, path_of("corrupt.gz"), "", "corrupt gzip");
}

static void test_write_rejects(void)
{
    uint8_t pixels[60], labels[3];
    lsnn_images im;
    lsnn_error e = {{0}};
    make_images(&im, pixels, labels);
    labels[2] = 10;
    CHECK(lsnn_idx_write(path_of("w1"), path_of("w2"), &im, &e) == -1, "label 10 not written");
    CHECK(strstr(e.msg, "label 10") != NULL, "message: %s", e.msg);
    labels[2] = 1;
    im.rows = 0;
    CHECK(lsnn_idx_write(path_of("w1"), path_of("w2"), &im, &e) == -1, "0 rows not written");
    im.rows = 4;
    CHECK(lsnn_idx_write("/nonexistent-dir/x", path_of("w2"), &im, &e) == -1,
          "unwritable path fails");
    CHECK(strstr(e.msg, "/nonexistent-dir/x") != NULL, "message names the path: %s", e.msg);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s", check_tmpdir("test_idx"));
    test_round_trip();
    test_rejections();
    test_write_rejects();
    return check_report();
}
