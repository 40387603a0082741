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

/* Where IDX bytes come from: a file through zlib's gz reader (plain or gzip), or a buffer in
 * memory read the same way: gzip members (magic 1f 8b) are inflated one after another,
 * anything else is copied, and bytes after a gzip member that do not start another one are
 * ignored, as gzread does. A gzip stream cut short reads as end of file, as with gzread. */
enum { SRC_LOOK, SRC_COPY, SRC_GZIP };

typedef struct {
    gzFile gz; /* a file, or NULL for memory */
    const char *name;
    const uint8_t *mem;
    size_t len, pos;
    int how, direct, eof, inflating;
    z_stream zs;
} idx_src;

static void src_close(idx_src *s)
{
    if (s->gz) gzclose(s->gz);
    if (s->inflating) inflateEnd(&s->zs);
    memset(s, 0, sizeof *s);
}

/* Reads up to n bytes from memory (see idx_src). Returns the count read, or -1 with e. */
static long long mem_read_upto(idx_src *s, uint8_t *dst, size_t n, lsnn_error *e)
{
    size_t done = 0;
    while (done < n && !s->eof) {
        size_t rest = s->len - s->pos;
        if (s->how == SRC_LOOK) {
            if (rest >= 2 && s->mem[s->pos] == 0x1f && s->mem[s->pos + 1] == 0x8b) {
                int rc = s->inflating ? inflateReset(&s->zs) : inflateInit2(&s->zs, 15 + 16);
                if (rc != Z_OK)
                    return lsnn_fail(e, "%s: read error: %s: out of memory", s->name, s->name);
                s->inflating = 1;
                s->how = SRC_GZIP;
                s->direct = 0;
            } else if (rest == 0 || !s->direct) {
                s->eof = 1; /* the end, or trailing bytes after a gzip member */
            } else {
                s->how = SRC_COPY;
            }
        } else if (s->how == SRC_COPY) {
            size_t k = rest < n - done ? rest : n - done;
            if (k) memcpy(dst + done, s->mem + s->pos, k);
            s->pos += k;
            done += k;
            if (s->pos == s->len) s->eof = 1;
        } else {
            uInt in = rest < IDX_CHUNK ? (uInt)rest : IDX_CHUNK;
            uInt out = n - done < IDX_CHUNK ? (uInt)(n - done) : IDX_CHUNK;
            s->zs.next_in = (Bytef *)(uintptr_t)(s->mem + s->pos);
            s->zs.avail_in = in;
            s->zs.next_out = dst + done;
            s->zs.avail_out = out;
            int rc = inflate(&s->zs, Z_NO_FLUSH);
            s->pos += in - s->zs.avail_in;
            done += out - s->zs.avail_out;
            if (rc == Z_STREAM_END) {
                s->how = SRC_LOOK;
            } else if (rc == Z_MEM_ERROR) {
                return lsnn_fail(e, "%s: read error: %s: out of memory", s->name, s->name);
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                const char *msg = rc == Z_DATA_ERROR && s->zs.msg ? s->zs.msg
                                  : rc == Z_DATA_ERROR            ? "compressed data error"
                                                       : "internal error: inflate stream corrupt";
                return lsnn_fail(e, "%s: read error: %s: %s", s->name, s->name, msg);
            } else if (s->zs.avail_in == in && s->zs.avail_out == out) {
                /* all input consumed and nothing more held back: a stream cut short ends
                 * here, as gzread's "unexpected end of file", which is not an error */
                s->eof = 1;
            }
        }
    }
    return (long long)done;
}

/* Reads up to n bytes; returns the count read (short only at end of file), or -1 on a read
 * or decompression error (message in e). */
static long long src_read_upto(idx_src *s, uint8_t *dst, size_t n, lsnn_error *e)
{
    if (!s->gz) return mem_read_upto(s, dst, n, e);
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < IDX_CHUNK ? n - done : IDX_CHUNK;
        int got = gzread(s->gz, dst + done, (unsigned)want);
        if (got < 0) {
            int code;
            const char *msg = gzerror(s->gz, &code);
            return lsnn_fail(e, "%s: read error: %s", s->name, msg ? msg : "unknown");
        }
        if (got == 0) break;
        done += (size_t)got;
    }
    return (long long)done;
}

/* Counts the bytes left until end of file (for the over-long message). */
static long long src_count_rest(idx_src *s, lsnn_error *e)
{
    uint8_t buf[4096];
    long long total = 0, got;
    while ((got = src_read_upto(s, buf, sizeof buf, e)) > 0)
        total += got;
    return got < 0 ? -1 : total;
}

/* Reads exactly `expected` data bytes after a header of header_len bytes and then expects
 * end of file. The buffer grows as data arrives, so a header that claims more than the file
 * holds costs no huge allocation. */
static int read_payload(idx_src *s, size_t header_len, size_t expected, uint8_t **out,
                        lsnn_error *e)
{
    const char *path = s->name;
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
        long long got = src_read_upto(s, buf + have, want, e);
        if (got < 0) goto fail;
        have += (size_t)got;
        if ((size_t)got < want) break; /* end of file */
    }
    if (have < expected) {
        lsnn_fail(e, "%s: truncated: expected %zu bytes (%zu header + %zu data), found %zu", path,
                  header_len + expected, header_len, expected, header_len + have);
        goto fail;
    }
    long long extra = src_count_rest(s, e);
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

/* Opens path as a source. */
static int src_open_file(idx_src *s, const char *path, lsnn_error *e)
{
    memset(s, 0, sizeof *s);
    s->name = path;
    errno = 0;
    s->gz = gzopen(path, "rb");
    if (!s->gz)
        return lsnn_fail(e, "%s: cannot open: %s", path, errno ? strerror(errno) : "out of memory");
    gzbuffer(s->gz, 1u << 17); /* fewer system calls than the default 8 KiB */
    return 0;
}

static void src_open_mem(idx_src *s, const char *name, const void *data, size_t len)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->mem = data ? data : (const void *)"";
    s->len = data ? len : 0;
    s->how = SRC_LOOK;
    s->direct = 1;
}

/* Reads the header: magic (which must be `magic`) and ndim dimensions. */
static int read_header(idx_src *s, uint32_t magic, int ndim, uint32_t *dims, lsnn_error *e)
{
    const char *path = s->name;
    uint8_t head[16];
    size_t head_len = 4 + 4 * (size_t)ndim;
    long long got = src_read_upto(s, head, head_len, e);
    if (got < 0) return -1;
    if (got >= 4 && be32(head) != magic)
        return lsnn_fail(e, "%s: bad magic 0x%08x, expected 0x%08x (IDX %s)", path, be32(head),
                         magic, ndim == 3 ? "images" : "labels");
    if ((size_t)got < head_len)
        return lsnn_fail(e, "%s: truncated header: expected %zu bytes, found %lld", path, head_len,
                         got);
    for (int i = 0; i < ndim; i++)
        dims[i] = be32(head + 4 + 4 * i);
    return 0;
}

static int load_images(idx_src *s, lsnn_images *im, lsnn_error *e)
{
    const char *path = s->name;
    uint32_t d[3] = {0};
    if (read_header(s, IDX_MAGIC_IMAGES, 3, d, e)) return -1;
    if (d[0] < 1 || d[0] > IDX_MAX_ITEMS)
        return lsnn_fail(e, "%s: image count %u out of range 1..%u", path, d[0], IDX_MAX_ITEMS);
    if (d[1] < 1 || d[1] > IDX_MAX_SIDE || d[2] < 1 || d[2] > IDX_MAX_SIDE)
        return lsnn_fail(e, "%s: image size %ux%u out of range (rows and cols 1..%u)", path, d[1],
                         d[2], IDX_MAX_SIDE);
    size_t bytes = (size_t)d[0] * d[1] * d[2];
    if (read_payload(s, 16, bytes, &im->pixels, e)) return -1;
    im->n = (int)d[0];
    im->rows = (int)d[1];
    im->cols = (int)d[2];
    return 0;
}

static int load_labels(idx_src *s, uint8_t **labels, int *n, lsnn_error *e)
{
    const char *path = s->name;
    uint32_t d[1] = {0};
    if (read_header(s, IDX_MAGIC_LABELS, 1, d, e)) return -1;
    if (d[0] < 1 || d[0] > IDX_MAX_ITEMS)
        return lsnn_fail(e, "%s: label count %u out of range 1..%u", path, d[0], IDX_MAX_ITEMS);
    if (read_payload(s, 8, d[0], labels, e)) return -1;
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

/* The images and labels counts must agree. On error *out is freed. */
static int check_counts(const char *images_name, const char *labels_name, int n_labels,
                        lsnn_images *out, lsnn_error *e)
{
    if (n_labels == out->n) return 0;
    lsnn_fail(e, "%s has %d images but %s has %d labels", images_name, out->n, labels_name,
              n_labels);
    lsnn_images_free(out);
    return -1;
}

/* Loads images and labels (each plain or gzip). On error *out is left empty. */
int lsnn_idx_load(const char *images_path, const char *labels_path, lsnn_images *out, lsnn_error *e)
{
    idx_src s;
    memset(out, 0, sizeof *out);
    int n_labels = 0, rc = src_open_file(&s, images_path, e);
    if (rc == 0) rc = load_images(&s, out, e);
    src_close(&s);
    if (rc == 0) rc = src_open_file(&s, labels_path, e);
    if (rc == 0) {
        rc = load_labels(&s, &out->labels, &n_labels, e);
        src_close(&s);
    }
    if (rc) {
        lsnn_images_free(out);
        return -1;
    }
    return check_counts(images_path, labels_path, n_labels, out, e);
}

/* The same from two buffers; the names stand for the paths in messages. */
int lsnn_idx_parse(const char *images_name, const void *images, size_t images_len,
                   const char *labels_name, const void *labels, size_t labels_len, lsnn_images *out,
                   lsnn_error *e)
{
    idx_src s;
    memset(out, 0, sizeof *out);
    int n_labels = 0;
    src_open_mem(&s, images_name, images, images_len);
    int rc = load_images(&s, out, e);
    src_close(&s);
    if (rc == 0) {
        src_open_mem(&s, labels_name, labels, labels_len);
        rc = load_labels(&s, &out->labels, &n_labels, e);
        src_close(&s);
    }
    if (rc) {
        lsnn_images_free(out);
        return -1;
    }
    return check_counts(images_name, labels_name, n_labels, out, e);
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
