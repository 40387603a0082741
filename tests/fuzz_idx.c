/* fuzz_idx.c - libFuzzer target for the IDX reader (runtime/formats/idx.c): lsnn_idx_parse, the
 * in-memory form of lsnn_idx_load, on an image file and a label file, each plain or gzip.
 *
 * Framing (one input holds both files): bytes 0-1 are the image file's length L, little-endian;
 * the next L bytes (fewer if the input ends first) are the image file, and the rest is the label
 * file. An accepted pair must have 1..1e7 images of 1..1024 x 1..1024 pixels, as many labels,
 * each 0..9, and every pixel readable. A refused one must name one of the two files and leave
 * the result empty. Each input is also written to two files per process
 * ($TMPDIR/lsnn_fuzz_idx.PID.{images,labels}, /tmp without TMPDIR) and read with
 * lsnn_idx_load, which must agree: both accept the same pixels and labels, or both refuse.
 * Seeds: tests/fuzz_corpus/idx (a plain pair and gzip variants); docs/fuzzing.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idx.h"

static char img_path[4200], lbl_path[4200];

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_idx: %s: %s\n", what, msg);
    abort();
}

static void unlink_files(void)
{
    remove(img_path);
    remove(lbl_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(img_path, sizeof img_path, "%s/lsnn_fuzz_idx.%ld.images", tmp, (long)getpid());
    snprintf(lbl_path, sizeof lbl_path, "%s/lsnn_fuzz_idx.%ld.labels", tmp, (long)getpid());
    atexit(unlink_files);
    return 0;
}

static void put(const char *path, const uint8_t *p, size_t n)
{
    remove(path); /* ext4 flushes a file truncated and rewritten; a new one costs nothing */
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f)) die("cannot write", path);
}

static int is_empty(const lsnn_images *im)
{
    return !im->pixels && !im->labels && im->n == 0 && im->rows == 0 && im->cols == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    size_t l = (size_t)data[0] | (size_t)data[1] << 8, rest = size - 2;
    if (l > rest) l = rest;
    const uint8_t *img = data + 2, *lbl = data + 2 + l;
    size_t lbl_len = rest - l;
    lsnn_images im, fi;
    lsnn_error e, fe;
    int rc = lsnn_idx_parse(img_path, img, l, lbl_path, lbl, lbl_len, &im, &e);
    if (rc) {
        if (strncmp(e.msg, img_path, strlen(img_path)) &&
            strncmp(e.msg, lbl_path, strlen(lbl_path)))
            die("a message without the file name", e.msg);
        if (!is_empty(&im)) die("a failed parse left memory", e.msg);
    } else {
        if (im.n < 1 || im.n > 10000000 || im.rows < 1 || im.rows > 1024 || im.cols < 1 ||
            im.cols > 1024 || !im.pixels || !im.labels)
            die("sizes out of range", "");
        size_t pixels = (size_t)im.n * (size_t)im.rows * (size_t)im.cols;
        uint64_t sum = 0;
        for (size_t k = 0; k < pixels; k++)
            sum += im.pixels[k];
        for (int i = 0; i < im.n; i++)
            if (im.labels[i] > 9) die("a label out of range", "");
        (void)sum;
    }
    /* lsnn_idx_load on the same bytes must agree */
    put(img_path, img, l);
    put(lbl_path, lbl, lbl_len);
    int frc = lsnn_idx_load(img_path, lbl_path, &fi, &fe);
    if (frc != rc) {
        fprintf(stderr, "parse: %s\nload: %s\n", rc ? e.msg : "ok", frc ? fe.msg : "ok");
        die("lsnn_idx_parse and lsnn_idx_load disagree", "");
    }
    if (rc == 0 && (fi.n != im.n || fi.rows != im.rows || fi.cols != im.cols ||
                    memcmp(fi.pixels, im.pixels, (size_t)im.n * im.rows * im.cols) ||
                    memcmp(fi.labels, im.labels, (size_t)im.n)))
        die("lsnn_idx_parse and lsnn_idx_load read different data", "");
    lsnn_images_free(&im);
    lsnn_images_free(&fi);
    return 0;
}
