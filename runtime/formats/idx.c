/* idx.c - IDX image/label reader (plain or gzip, through zlib) and atomic writer. */
#include "idx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fileio.h"

#define IDX_MAGIC_LABELS 0x00000801u
#define IDX_MAGIC_IMAGES 0x00000803u
#define IDX_MAX_ITEMS    10000000u
#define IDX_MAX_SIDE     1024u
#define IDX_CHUNK        (1u << 20)

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Reads up to n bytes; returns the count read (short only at end of file), or -1 on a read
 * or decompression error (message in e). */
static long long gz_read_upto(gzFile f, const char *path, uint8_t *dst, size_t n, lsnn_error *e)
{
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < IDX_CHUNK ? n - done : IDX_CHUNK;
        int got = gzread(f, dst + done, (unsigned)want);
        if (got < 0) {
            int code;
            const char *msg = gzerror(f, &code);
            return lsnn_fail(e, "%s: read error: %s", path, msg ? msg : "unknown");
        }
        if (got == 0) break;
        done += (size_t)got;
    }
    return (long long)done;
}

/* Counts the bytes left until end of file (for the over-long message). */
static long long gz_count_rest(gzFile f, const char *path, lsnn_error *e)
{
    uint8_t buf[4096];
    long long total = 0, got;
    while ((got = gz_read_upto(f, path, buf, sizeof buf, e)) > 0)
        total += got;
    return got < 0 ? -1 : total;
}

/* Reads exactly `expected` data bytes after a header of header_len bytes and then expects
 * end of file. The buffer grows as data arrives, so a header that claims more than the file
 * holds costs no huge allocation. */
static int read_payload(gzFile f, const char *path, size_t header_len, size_t expected,
                        uint8_t **out, lsnn_error *e)
{
    size_t cap = expected < IDX_CHUNK ? expected : IDX_CHUNK, have = 0;
    uint8_t *buf = malloc(cap ? cap : 1);
    if (!buf) return lsnn_fail(e, "%s: out of memory", path);
    while (have < expected) {
        if (have == cap) {
            size_t ncap = cap * 2 < expected ? cap * 2 : expected;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return lsnn_fail(e, "%s: out of memory (%zu bytes)", path, ncap);
            }
            buf = nb;
            cap = ncap;
        }
        size_t want = cap - have;
        long long got = gz_read_upto(f, path, buf + have, want, e);
        if (got < 0) goto fail;
        have += (size_t)got;
        if ((size_t)got < want) break; /* end of file */
    }
    if (have < expected) {
        lsnn_fail(e, "%s: truncated: expected %zu bytes (%zu header + %zu data), found %zu", path,
                  header_len + expected, header_len, expected, header_len + have);
        goto fail;
    }
    long long extra = gz_count_rest(f, path, e);
    if (extra < 0) goto fail;
    if (extra > 0) {
        lsnn_fail(e, "%s: over-long: expected %zu bytes (%zu header + %zu data), found %zu", path,
                  header_len + expected, header_len, expected,
                  header_len + expected + (size_t)extra);
        goto fail;
    }
    *out = buf;
    return 0;
fail:
    free(buf);
    return -1;
}

/* Opens path and reads its header: magic (which must be `magic`) and ndim dimensions. */
static gzFile open_idx(const char *path, uint32_t magic, int ndim, uint32_t *dims, lsnn_error *e)
{
    errno = 0;
    gzFile f = gzopen(path, "rb");
    if (!f) {
        lsnn_fail(e, "%s: cannot open: %s", path, errno ? strerror(errno) : "out of memory");
        return NULL;
    }
    gzbuffer(f, 1u << 17); /* fewer system calls than the default 8 KiB */
    uint8_t head[16];
    size_t head_len = 4 + 4 * (size_t)ndim;
    long long got = gz_read_upto(f, path, head, head_len, e);
    if (got < 0) goto fail;
    if (got >= 4 && be32(head) != magic) {
        lsnn_fail(e, "%s: bad magic 0x%08x, expected 0x%08x (IDX %s)", path, be32(head), magic,
                  ndim == 3 ? "images" : "labels");
        goto fail;
    }
    if ((size_t)got < head_len) {
        lsnn_fail(e, "%s: truncated header: expected %zu bytes, found %lld", path, head_len, got);
        goto fail;
    }
    for (int i = 0; i < ndim; i++)
        dims[i] = be32(head + 4 + 4 * i);
    return f;
fail:
    gzclose(f);
    return NULL;
}

static int load_images(const char *path, lsnn_images *im, lsnn_error *e)
{
    uint32_t d[3];
    gzFile f = open_idx(path, IDX_MAGIC_IMAGES, 3, d, e);
    if (!f) return -1;
    int rc = -1;
    if (d[0] < 1 || d[0] > IDX_MAX_ITEMS) {
        lsnn_fail(e, "%s: image count %u out of range 1..%u", path, d[0], IDX_MAX_ITEMS);
    } else if (d[1] < 1 || d[1] > IDX_MAX_SIDE || d[2] < 1 || d[2] > IDX_MAX_SIDE) {
        lsnn_fail(e, "%s: image size %ux%u out of range (rows and cols 1..%u)", path, d[1], d[2],
                  IDX_MAX_SIDE);
    } else {
        size_t bytes = (size_t)d[0] * d[1] * d[2];
        rc = read_payload(f, path, 16, bytes, &im->pixels, e);
        if (rc == 0) {
            im->n = (int)d[0];
            im->rows = (int)d[1];
            im->cols = (int)d[2];
        }
    }
    gzclose(f);
    return rc;
}

static int load_labels(const char *path, uint8_t **labels, int *n, lsnn_error *e)
{
    uint32_t d[1];
    gzFile f = open_idx(path, IDX_MAGIC_LABELS, 1, d, e);
    if (!f) return -1;
    int rc = -1;
    if (d[0] < 1 || d[0] > IDX_MAX_ITEMS)
        lsnn_fail(e, "%s: label count %u out of range 1..%u", path, d[0], IDX_MAX_ITEMS);
    else
        rc = read_payload(f, path, 8, d[0], labels, e);
    gzclose(f);
    if (rc != 0) return -1;
    *n = (int)d[0];
    for (int i = 0; i < *n; i++)
        if ((*labels)[i] > 9) {
            lsnn_fail(e, "%s: label %d at index %d out of range 0..9", path, (*labels)[i], i);
            free(*labels);
            *labels = NULL;
            return -1;
        }
    return 0;
}

/* Loads images and labels (each plain or gzip). On error *out is left empty. */
int lsnn_idx_load(const char *images_path, const char *labels_path, lsnn_images *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    int n_labels = 0;
    if (load_images(images_path, out, e) != 0 ||
        load_labels(labels_path, &out->labels, &n_labels, e) != 0) {
        lsnn_images_free(out);
        return -1;
    }
    if (n_labels != out->n) {
        lsnn_fail(e, "%s has %d images but %s has %d labels", images_path, out->n, labels_path,
                  n_labels);
        lsnn_images_free(out);
        return -1;
    }
    return 0;
}

static int check_writable(const lsnn_images *im, lsnn_error *e)
{
    if (im->n < 1 || (uint32_t)im->n > IDX_MAX_ITEMS)
        return lsnn_fail(e, "IDX write: image count %d out of range 1..%u", im->n, IDX_MAX_ITEMS);
    if (im->rows < 1 || im->rows > (int)IDX_MAX_SIDE || im->cols < 1 ||
        im->cols > (int)IDX_MAX_SIDE)
        return lsnn_fail(e, "IDX write: image size %dx%d out of range 1..%u", im->rows, im->cols,
                         IDX_MAX_SIDE);
    for (int i = 0; i < im->n; i++)
        if (im->labels[i] > 9)
            return lsnn_fail(e, "IDX write: label %d at index %d out of range 0..9", im->labels[i],
                             i);
    return 0;
}

/* Writes header + payload of one IDX file atomically. */
static int write_idx(const char *path, const uint8_t *head, size_t head_len, const uint8_t *data,
                     size_t n, lsnn_error *e)
{
    uint8_t *buf = malloc(head_len + n);
    if (!buf) return lsnn_fail(e, "%s: out of memory", path);
    memcpy(buf, head, head_len);
    memcpy(buf + head_len, data, n);
    int rc = lsnn_write_file_atomic(path, buf, head_len + n, e);
    free(buf);
    return rc;
}

/* Writes uncompressed IDX image and label files, each atomically. */
int lsnn_idx_write(const char *images_path, const char *labels_path, const lsnn_images *im,
                   lsnn_error *e)
{
    if (check_writable(im, e) != 0) return -1;
    uint8_t head[16];
    put_be32(head, IDX_MAGIC_IMAGES);
    put_be32(head + 4, (uint32_t)im->n);
    put_be32(head + 8, (uint32_t)im->rows);
    put_be32(head + 12, (uint32_t)im->cols);
    size_t bytes = (size_t)im->n * (size_t)im->rows * (size_t)im->cols;
    if (write_idx(images_path, head, 16, im->pixels, bytes, e) != 0) return -1;
    put_be32(head, IDX_MAGIC_LABELS);
    put_be32(head + 4, (uint32_t)im->n);
    return write_idx(labels_path, head, 8, im->labels, (size_t)im->n, e);
}

void lsnn_images_free(lsnn_images *im)
{
    free(im->pixels);
    free(im->labels);
    memset(im, 0, sizeof *im);
}
