/* safetensors.c - safetensors writer and a reader that validates every header field. */
#include "safetensors.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "json.h"

/* The reference implementation's limit on the header length. */
#define MAX_HEADER_BYTES 100000000ull
/* Bounds the JSON tree built from a header (about 18 values per tensor). */
#define MAX_HEADER_VALUES ((size_t)4 << 20)
#define MAX_HEADER_DEPTH  8
#define METADATA_KEY      "__metadata__"

static const struct {
    const char *name;
    size_t size;
} dtype_info[] = {
    [LSNN_F32] = {"F32", 4}, [LSNN_F64] = {"F64", 8}, [LSNN_I32] = {"I32", 4},
    [LSNN_I64] = {"I64", 8}, [LSNN_U8] = {"U8", 1},   [LSNN_I8] = {"I8", 1},
    [LSNN_U16] = {"U16", 2}, [LSNN_I16] = {"I16", 2}, [LSNN_U32] = {"U32", 4},
    [LSNN_U64] = {"U64", 8},
};
#define N_DTYPES ((int)(sizeof dtype_info / sizeof dtype_info[0]))

static int dtype_valid(lsnn_dtype t)
{
    return (int)t >= 0 && (int)t < N_DTYPES;
}

size_t lsnn_dtype_size(lsnn_dtype t)
{
    return dtype_valid(t) ? dtype_info[t].size : 0;
}

const char *lsnn_dtype_name(lsnn_dtype t)
{
    return dtype_valid(t) ? dtype_info[t].name : "?";
}

/* Looks up a dtype by its safetensors name. Returns 0, or -1 if unknown. */
static int dtype_from_name(const char *s, size_t len, lsnn_dtype *out)
{
    for (int i = 0; i < N_DTYPES; i++) {
        if (strlen(dtype_info[i].name) == len && memcmp(dtype_info[i].name, s, len) == 0) {
            *out = (lsnn_dtype)i;
            return 0;
        }
    }
    return -1;
}

/* product(shape) * dtype size into *out. Returns 0, or -1 on a negative dimension or an
 * overflow of size_t. */
static int shape_nbytes(lsnn_dtype t, int ndim, const int64_t *shape, size_t *out)
{
    uint64_t total = lsnn_dtype_size(t);
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) return -1;
        uint64_t d = (uint64_t)shape[i];
        if (d != 0 && total > UINT64_MAX / d) return -1;
        total *= d;
    }
    if (total > SIZE_MAX) return -1;
    *out = (size_t)total;
    return 0;
}

/* "[2, 3]" ("[]" for a scalar) into buf. */
static void format_shape(char *buf, size_t n, int ndim, const int64_t *shape)
{
    size_t used = (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < ndim && used < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%" PRId64, i ? ", " : "", shape[i]);
    if (used < n) snprintf(buf + used, n - used, "]");
}

/* ---- writer ---- */

/* Checks one tensor given to the writer. Returns 0, or -1 with "LABEL: tensor 'x': ..." */
static int check_write_tensor(const char *label, const lsnn_tensor *t, lsnn_error *e)
{
    size_t name_len = strnlen(t->name, LSNN_ST_NAME_MAX);
    if (name_len == LSNN_ST_NAME_MAX)
        return lsnn_fail(e, "%s: tensor name '%.40s...' is not NUL-terminated within %d bytes",
                         label, t->name, LSNN_ST_NAME_MAX);
    if (strcmp(t->name, METADATA_KEY) == 0)
        return lsnn_fail(e, "%s: tensor name '%s' is reserved", label, t->name);
    if (!lsnn_json_utf8_valid(t->name, name_len))
        return lsnn_fail(e, "%s: tensor name '%s' is not valid UTF-8", label, t->name);
    if (!dtype_valid(t->dtype))
        return lsnn_fail(e, "%s: tensor '%s': invalid dtype %d", label, t->name, (int)t->dtype);
    if (t->ndim < 0 || t->ndim > LSNN_ST_MAX_DIMS)
        return lsnn_fail(e, "%s: tensor '%s': ndim %d outside 0..%d", label, t->name, t->ndim,
                         LSNN_ST_MAX_DIMS);
    char shape[256];
    format_shape(shape, sizeof shape, t->ndim, t->shape);
    size_t need;
    if (shape_nbytes(t->dtype, t->ndim, t->shape, &need) != 0)
        return lsnn_fail(e, "%s: tensor '%s': invalid shape %s (negative or too large)", label,
                         t->name, shape);
    if (need != t->nbytes)
        return lsnn_fail(e, "%s: tensor '%s': nbytes is %zu but %s %s needs %zu", label, t->name,
                         t->nbytes, lsnn_dtype_name(t->dtype), shape, need);
    if (need > 0 && !t->data) return lsnn_fail(e, "%s: tensor '%s': data is NULL", label, t->name);
    return 0;
}

/* Checks one metadata entry given to the writer. */
static int check_write_meta(const char *label, const lsnn_meta *m, lsnn_error *e)
{
    size_t klen = strnlen(m->key, sizeof m->key), vlen = strnlen(m->value, sizeof m->value);
    if (klen == sizeof m->key || vlen == sizeof m->value)
        return lsnn_fail(e, "%s: metadata key or value '%.40s...' is not NUL-terminated", label,
                         m->key);
    if (!lsnn_json_utf8_valid(m->key, klen) || !lsnn_json_utf8_valid(m->value, vlen))
        return lsnn_fail(e, "%s: metadata '%s' is not valid UTF-8", label, m->key);
    return 0;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Looks for a string that occurs twice among the n strings placed `stride` bytes apart from
 * first. Returns 1 with it in *dup, 0 if all differ, or -1 when out of memory. */
static int find_duplicate(const char *first, size_t stride, int n, const char **dup)
{
    *dup = NULL;
    if (n < 2) return 0;
    const char **names = malloc((size_t)n * sizeof *names);
    if (!names) return -1;
    for (int i = 0; i < n; i++)
        names[i] = first + (size_t)i * stride;
    qsort(names, (size_t)n, sizeof *names, compare_strings);
    for (int i = 1; i < n && !*dup; i++)
        if (strcmp(names[i - 1], names[i]) == 0) *dup = names[i];
    free(names);
    return *dup ? 1 : 0;
}

/* Checks for duplicate tensor names and metadata keys (what prefixes the metadata message). */
static int check_duplicates(const char *label, const lsnn_tensor *t, int n, const lsnn_meta *m,
                            int n_meta, const char *what, lsnn_error *e)
{
    const char *dup;
    int rc = n > 1 ? find_duplicate(t[0].name, sizeof t[0], n, &dup) : 0;
    if (rc < 0) return lsnn_fail(e, "%s: out of memory", label);
    if (rc > 0) return lsnn_fail(e, "%s: duplicate tensor name '%s'", label, dup);
    rc = n_meta > 1 ? find_duplicate(m[0].key, sizeof m[0], n_meta, &dup) : 0;
    if (rc < 0) return lsnn_fail(e, "%s: out of memory", label);
    if (rc > 0) return lsnn_fail(e, "%s: duplicate %s key '%s'", label, what, dup);
    return 0;
}

static int check_write_inputs(const char *label, const lsnn_tensor *t, int n, const lsnn_meta *meta,
                              int n_meta, lsnn_error *e)
{
    if (n < 0 || n_meta < 0 || (n > 0 && !t) || (n_meta > 0 && !meta))
        return lsnn_fail(e, "%s: invalid tensor or metadata count", label);
    for (int i = 0; i < n; i++)
        if (check_write_tensor(label, &t[i], e) != 0) return -1;
    for (int i = 0; i < n_meta; i++)
        if (check_write_meta(label, &meta[i], e) != 0) return -1;
    return check_duplicates(label, t, n, meta, n_meta, "metadata", e);
}

/* Builds the JSON header, padded with spaces so that 8 + its length is a multiple of 8. */
static void build_header(lsnn_json_buf *b, const lsnn_tensor *t, int n, const lsnn_meta *meta,
                         int n_meta)
{
    lsnn_json_buf_puts(b, "{");
    if (n_meta > 0) {
        lsnn_json_buf_puts(b, "\"" METADATA_KEY "\":{");
        for (int i = 0; i < n_meta; i++) {
            if (i) lsnn_json_buf_puts(b, ",");
            lsnn_json_buf_string(b, meta[i].key);
            lsnn_json_buf_puts(b, ":");
            lsnn_json_buf_string(b, meta[i].value);
        }
        lsnn_json_buf_puts(b, "}");
    }
    size_t offset = 0;
    for (int i = 0; i < n; i++) {
        if (i || n_meta > 0) lsnn_json_buf_puts(b, ",");
        lsnn_json_buf_string(b, t[i].name);
        lsnn_json_buf_printf(b, ":{\"dtype\":\"%s\",\"shape\":[", lsnn_dtype_name(t[i].dtype));
        for (int d = 0; d < t[i].ndim; d++)
            lsnn_json_buf_printf(b, "%s%" PRId64, d ? "," : "", t[i].shape[d]);
        lsnn_json_buf_printf(b, "],\"data_offsets\":[%zu,%zu]}", offset, offset + t[i].nbytes);
        offset += t[i].nbytes;
    }
    lsnn_json_buf_puts(b, "}");
    while ((8 + b->len) % 8 != 0 && !b->failed)
        lsnn_json_buf_puts(b, " ");
}

static int serialize(const char *label, const lsnn_tensor *t, int n, const lsnn_meta *meta,
                     int n_meta, uint8_t **out, size_t *out_len, lsnn_error *e)
{
    *out = NULL;
    *out_len = 0;
    if (check_write_inputs(label, t, n, meta, n_meta, e) != 0) return -1;
    lsnn_json_buf hdr = {0};
    build_header(&hdr, t, n, meta, n_meta);
    size_t total = 8 + hdr.len, data_bytes = 0;
    for (int i = 0; i < n; i++)
        data_bytes += t[i].nbytes;
    if (data_bytes > SIZE_MAX - total) hdr.failed = 1;
    uint8_t *buf = hdr.failed ? NULL : malloc(total + data_bytes);
    if (!buf) {
        lsnn_json_buf_free(&hdr);
        return lsnn_fail(e, "%s: out of memory serialising %zu bytes", label, total + data_bytes);
    }
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)((uint64_t)hdr.len >> (8 * i));
    memcpy(buf + 8, hdr.data, hdr.len);
    for (int i = 0; i < n; i++) {
        if (t[i].nbytes) memcpy(buf + total, t[i].data, t[i].nbytes);
        total += t[i].nbytes;
    }
    lsnn_json_buf_free(&hdr);
    *out = buf;
    *out_len = total;
    return 0;
}

/* Checks the inputs (names unique, NUL-terminated, valid UTF-8, not "__metadata__"; nbytes
 * matching dtype and shape; metadata keys unique). Returns 0 with a malloc'ed buffer, or -1
 * with *out NULL and nothing allocated. */
int lsnn_st_serialize(const lsnn_tensor *t, int n, const lsnn_meta *meta, int n_meta, uint8_t **out,
                      size_t *out_len, lsnn_error *e)
{
    return serialize("safetensors", t, n, meta, n_meta, out, out_len, e);
}

/* Returns 0, or -1 with PATH untouched (see lsnn_write_file_atomic). */
int lsnn_st_write(const char *path, const lsnn_tensor *t, int n, const lsnn_meta *meta, int n_meta,
                  lsnn_error *e)
{
    uint8_t *buf;
    size_t len;
    if (serialize(path, t, n, meta, n_meta, &buf, &len, e) != 0) return -1;
    int rc = lsnn_write_file_atomic(path, buf, len, e);
    free(buf);
    return rc;
}

/* ---- reader ---- */

/* Where each tensor's bytes lie in the data section, and how big that section is. */
typedef struct {
    const char *file;
    uint64_t data_len;
    uint64_t *begin, *end; /* per tensor, parallel to out->tensors */
} layout;

/* A non-negative JSON integer into *out; 0, or -1 if v is anything else. */
static int json_uint(const lsnn_json *v, uint64_t *out)
{
    if (v->type != LSNN_JSON_INT || v->integer < 0) return -1;
    *out = (uint64_t)v->integer;
    return 0;
}

/* Describes a JSON value that should have been a non-negative integer. */
static void describe_non_uint(const lsnn_json *v, char *buf, size_t n)
{
    if (v->type == LSNN_JSON_INT)
        snprintf(buf, n, "%" PRId64, v->integer);
    else if (v->type == LSNN_JSON_FLOAT)
        snprintf(buf, n, "%g (not an integer or out of range)", v->number);
    else
        snprintf(buf, n, "of type %s", lsnn_json_type_name(v->type));
}

static int read_dtype(const layout *L, lsnn_tensor *t, const lsnn_json *v, lsnn_error *e)
{
    if (v->type != LSNN_JSON_STRING)
        return lsnn_fail(e, "%s: tensor '%s': dtype must be a string, found %s", L->file, t->name,
                         lsnn_json_type_name(v->type));
    if (dtype_from_name(v->str, v->len, &t->dtype) != 0)
        return lsnn_fail(e,
                         "%s: tensor '%s': unsupported dtype '%.32s' (supported: F32 F64 I32 "
                         "I64 U8 I8 U16 I16 U32 U64)",
                         L->file, t->name, v->str);
    return 0;
}

static int read_shape(const layout *L, lsnn_tensor *t, const lsnn_json *v, lsnn_error *e)
{
    if (v->type != LSNN_JSON_ARRAY)
        return lsnn_fail(e, "%s: tensor '%s': shape must be an array, found %s", L->file, t->name,
                         lsnn_json_type_name(v->type));
    if (v->len > LSNN_ST_MAX_DIMS)
        return lsnn_fail(e, "%s: tensor '%s': shape has %zu dimensions, more than the limit of %d",
                         L->file, t->name, v->len, LSNN_ST_MAX_DIMS);
    t->ndim = (int)v->len;
    for (size_t i = 0; i < v->len; i++) {
        uint64_t d;
        if (json_uint(&v->items[i], &d) != 0) {
            char what[96];
            describe_non_uint(&v->items[i], what, sizeof what);
            return lsnn_fail(e,
                             "%s: tensor '%s': shape entry %zu is %s, expected a non-negative "
                             "integer",
                             L->file, t->name, i, what);
        }
        t->shape[i] = (int64_t)d;
    }
    return 0;
}

static int read_offsets(const layout *L, const lsnn_tensor *t, const lsnn_json *v, uint64_t *begin,
                        uint64_t *end, lsnn_error *e)
{
    if (v->type != LSNN_JSON_ARRAY || v->len != 2)
        return lsnn_fail(e, "%s: tensor '%s': data_offsets must be an array [begin, end]", L->file,
                         t->name);
    for (int i = 0; i < 2; i++) {
        if (json_uint(&v->items[i], i ? end : begin) != 0) {
            char what[96];
            describe_non_uint(&v->items[i], what, sizeof what);
            return lsnn_fail(e,
                             "%s: tensor '%s': data_offsets %s is %s, expected a non-negative "
                             "integer",
                             L->file, t->name, i ? "end" : "begin", what);
        }
    }
    if (*end < *begin)
        return lsnn_fail(e,
                         "%s: tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64 "] end before "
                         "they begin",
                         L->file, t->name, *begin, *end);
    return 0;
}

/* Checks that [begin, end) matches the byte size of dtype and shape and lies in the data. */
static int check_extent(const layout *L, lsnn_tensor *t, uint64_t begin, uint64_t end,
                        lsnn_error *e)
{
    char shape[256];
    format_shape(shape, sizeof shape, t->ndim, t->shape);
    if (shape_nbytes(t->dtype, t->ndim, t->shape, &t->nbytes) != 0)
        return lsnn_fail(e, "%s: tensor '%s': shape %s is too large (byte size overflows)", L->file,
                         t->name, shape);
    if (end - begin != t->nbytes)
        return lsnn_fail(e,
                         "%s: tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64 "] hold %" PRIu64
                         " bytes but %s %s needs %zu",
                         L->file, t->name, begin, end, end - begin, lsnn_dtype_name(t->dtype),
                         shape, t->nbytes);
    if (end > L->data_len)
        return lsnn_fail(e,
                         "%s: tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64
                         "] out of range: the data section is %" PRIu64 " bytes",
                         L->file, t->name, begin, end, L->data_len);
    return 0;
}

/* Copies a header key into a fixed-size name field. Returns 0, or -1 if it holds a NUL or
 * does not fit (what names the field in the message). */
static int copy_name(const char *file, const char *what, const lsnn_json *k, char *dst, size_t cap,
                     lsnn_error *e)
{
    if (memchr(k->str, '\0', k->len))
        return lsnn_fail(e, "%s: %s '%s...' contains a NUL character", file, what, k->str);
    if (k->len >= cap)
        return lsnn_fail(e, "%s: %s '%.40s...' is %zu bytes, longer than the limit of %zu", file,
                         what, k->str, k->len, cap - 1);
    memcpy(dst, k->str, k->len + 1);
    return 0;
}

/* Reads one tensor entry {"dtype", "shape", "data_offsets"} (no other keys) into t. */
static int read_tensor(const layout *L, const lsnn_json *key, const lsnn_json *v, lsnn_tensor *t,
                       uint64_t *begin, uint64_t *end, lsnn_error *e)
{
    if (copy_name(L->file, "tensor name", key, t->name, sizeof t->name, e) != 0) return -1;
    if (v->type != LSNN_JSON_OBJECT)
        return lsnn_fail(e, "%s: tensor '%s': entry must be an object, found %s", L->file, t->name,
                         lsnn_json_type_name(v->type));
    static const char *const fields[3] = {"dtype", "shape", "data_offsets"};
    const lsnn_json *found[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < v->len; i++) {
        const lsnn_json *k = &v->items[2 * i];
        int f = 0;
        while (f < 3 && !(strlen(fields[f]) == k->len && memcmp(fields[f], k->str, k->len) == 0))
            f++;
        if (f == 3)
            return lsnn_fail(e,
                             "%s: tensor '%s': unexpected key '%.40s' (allowed: dtype, shape, "
                             "data_offsets)",
                             L->file, t->name, k->str);
        if (found[f])
            return lsnn_fail(e, "%s: tensor '%s': duplicate key '%s'", L->file, t->name, fields[f]);
        found[f] = &v->items[2 * i + 1];
    }
    for (int f = 0; f < 3; f++)
        if (!found[f])
            return lsnn_fail(e, "%s: tensor '%s': missing '%s'", L->file, t->name, fields[f]);
    if (read_dtype(L, t, found[0], e) != 0 || read_shape(L, t, found[1], e) != 0 ||
        read_offsets(L, t, found[2], begin, end, e) != 0)
        return -1;
    return check_extent(L, t, *begin, *end, e);
}

/* Reads the "__metadata__" object (string values only) into out->meta. */
static int read_metadata(const char *file, const lsnn_json *v, lsnn_tensor_set *out, lsnn_error *e)
{
    if (v->type != LSNN_JSON_OBJECT)
        return lsnn_fail(e, "%s: " METADATA_KEY " must be an object of strings, found %s", file,
                         lsnn_json_type_name(v->type));
    out->meta = calloc(v->len ? v->len : 1, sizeof *out->meta);
    if (!out->meta) return lsnn_fail(e, "%s: out of memory", file);
    for (size_t i = 0; i < v->len; i++) {
        lsnn_meta *m = &out->meta[i];
        const lsnn_json *val = &v->items[2 * i + 1];
        if (copy_name(file, "metadata key", &v->items[2 * i], m->key, sizeof m->key, e) != 0)
            return -1;
        if (val->type != LSNN_JSON_STRING)
            return lsnn_fail(e, "%s: " METADATA_KEY " '%s': value must be a string, found %s", file,
                             m->key, lsnn_json_type_name(val->type));
        char what[LSNN_ST_NAME_MAX + 32];
        snprintf(what, sizeof what, METADATA_KEY " '%s': value", m->key);
        if (copy_name(file, what, val, m->value, sizeof m->value, e) != 0) return -1;
        out->n_meta++;
    }
    return 0;
}

/* Reads every member of the header object: tensors into out->tensors (header order) with
 * their extents in L, and the metadata. */
static int read_entries(layout *L, const lsnn_json *root, lsnn_tensor_set *out, lsnn_error *e)
{
    size_t n = root->len;
    out->tensors = calloc(n ? n : 1, sizeof *out->tensors);
    L->begin = calloc(n ? n : 1, sizeof *L->begin);
    L->end = calloc(n ? n : 1, sizeof *L->end);
    if (!out->tensors || !L->begin || !L->end) return lsnn_fail(e, "%s: out of memory", L->file);
    int seen_meta = 0;
    for (size_t i = 0; i < n; i++) {
        const lsnn_json *k = &root->items[2 * i], *v = &root->items[2 * i + 1];
        if (k->len == strlen(METADATA_KEY) && memcmp(k->str, METADATA_KEY, k->len) == 0) {
            if (seen_meta++) return lsnn_fail(e, "%s: duplicate " METADATA_KEY, L->file);
            if (read_metadata(L->file, v, out, e) != 0) return -1;
            continue;
        }
        int j = out->n;
        if (read_tensor(L, k, v, &out->tensors[j], &L->begin[j], &L->end[j], e) != 0) return -1;
        out->n++;
    }
    return 0;
}

typedef struct {
    uint64_t begin, end;
    int index;
} extent;

static int compare_extents(const void *pa, const void *pb)
{
    const extent *a = pa, *b = pb;
    if (a->begin != b->begin) return a->begin < b->begin ? -1 : 1;
    if (a->end != b->end) return a->end < b->end ? -1 : 1;
    return a->index - b->index;
}

/* Checks that the tensors tile the data section exactly: no overlap, no hole, nothing after
 * the last one. */
static int check_coverage(const layout *L, const lsnn_tensor_set *s, lsnn_error *e)
{
    extent *x = malloc((size_t)(s->n ? s->n : 1) * sizeof *x);
    if (!x) return lsnn_fail(e, "%s: out of memory", L->file);
    for (int i = 0; i < s->n; i++)
        x[i] = (extent){L->begin[i], L->end[i], i};
    qsort(x, (size_t)s->n, sizeof *x, compare_extents);
    uint64_t pos = 0;
    int rc = 0;
    for (int i = 0; i < s->n && rc == 0; i++) {
        const char *name = s->tensors[x[i].index].name;
        if (x[i].begin < pos)
            rc = lsnn_fail(e,
                           "%s: tensor '%s': data_offsets [%" PRIu64 ", %" PRIu64
                           "] overlap tensor '%s' [%" PRIu64 ", %" PRIu64 "]",
                           L->file, name, x[i].begin, x[i].end, s->tensors[x[i - 1].index].name,
                           x[i - 1].begin, x[i - 1].end);
        else if (x[i].begin > pos)
            rc = lsnn_fail(e,
                           "%s: tensor '%s': data_offsets begin at %" PRIu64
                           ", leaving a hole: data bytes [%" PRIu64 ", %" PRIu64
                           ") belong to no tensor",
                           L->file, name, x[i].begin, pos, x[i].begin);
        pos = x[i].end;
    }
    free(x);
    if (rc == 0 && pos != L->data_len)
        rc = lsnn_fail(e,
                       "%s: data bytes [%" PRIu64 ", %" PRIu64
                       ") after the last tensor belong to no tensor (trailing bytes)",
                       L->file, pos, L->data_len);
    return rc;
}

static size_t round_up8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Points each tensor's data at its bytes. When any of them is not 8-byte aligned in the file
 * buffer, all are copied to a fresh allocation where each one is, which replaces the blob. */
static int place_data(const layout *L, const uint8_t *data, lsnn_tensor_set *s, lsnn_error *e)
{
    int aligned = 1;
    for (int i = 0; i < s->n; i++)
        if (((uintptr_t)(data + L->begin[i])) % 8 != 0) aligned = 0;
    if (aligned) {
        for (int i = 0; i < s->n; i++)
            s->tensors[i].data = (void *)(data + L->begin[i]);
        return 0;
    }
    size_t total = 0;
    for (int i = 0; i < s->n; i++)
        total += round_up8(s->tensors[i].nbytes);
    uint8_t *copy = malloc(total ? total : 1); /* malloc aligns for any scalar type */
    if (!copy) return lsnn_fail(e, "%s: out of memory aligning %zu bytes", L->file, total);
    size_t at = 0;
    for (int i = 0; i < s->n; i++) {
        s->tensors[i].data = copy + at;
        if (s->tensors[i].nbytes) memcpy(copy + at, data + L->begin[i], s->tensors[i].nbytes);
        at += round_up8(s->tensors[i].nbytes);
    }
    free(s->blob);
    s->blob = copy;
    return 0;
}

/* Reads the 8-byte header length and checks it against the limit and the buffer size. */
static int read_header_len(const char *file, const uint8_t *buf, size_t len, uint64_t *hlen,
                           lsnn_error *e)
{
    if (len < 8)
        return lsnn_fail(e, "%s: file is %zu bytes, too short for the 8-byte header length", file,
                         len);
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--)
        n = (n << 8) | buf[i];
    if (n > MAX_HEADER_BYTES)
        return lsnn_fail(e, "%s: header length %" PRIu64 " exceeds the limit of %llu bytes", file,
                         n, MAX_HEADER_BYTES);
    if (n > len - 8)
        return lsnn_fail(e,
                         "%s: header length %" PRIu64 " exceeds the %zu bytes after the length "
                         "field (truncated file?)",
                         file, n, len - 8);
    *hlen = n;
    return 0;
}

/* Parses and checks everything; out->blob already owns buf. */
static int parse_into(const char *file, const uint8_t *buf, size_t len, lsnn_tensor_set *out,
                      lsnn_error *e)
{
    uint64_t hlen = 0;
    if (read_header_len(file, buf, len, &hlen, e) != 0) return -1;
    lsnn_json *root;
    if (lsnn_json_parse((const char *)buf + 8, (size_t)hlen, MAX_HEADER_DEPTH, MAX_HEADER_VALUES,
                        &root, e) != 0)
        return lsnn_fail_prefix(e, "%s: invalid JSON header (offsets from header start)", file);
    layout L = {.file = file, .data_len = len - 8 - hlen};
    int rc;
    if (root->type != LSNN_JSON_OBJECT)
        rc = lsnn_fail(e, "%s: header is a JSON %s, expected an object", file,
                       lsnn_json_type_name(root->type));
    else
        rc = read_entries(&L, root, out, e);
    lsnn_json_free(root);
    if (rc == 0)
        rc = check_duplicates(file, out->tensors, out->n, out->meta, out->n_meta, METADATA_KEY, e);
    if (rc == 0) rc = check_coverage(&L, out, e);
    if (rc == 0) rc = place_data(&L, buf + 8 + hlen, out, e);
    free(L.begin);
    free(L.end);
    return rc;
}

/* Returns 0, or -1 with *out zeroed (buf freed). On success tensors keep header order and
 * every data pointer is 8-byte aligned: it points into buf when the file's offsets allow
 * that, otherwise all tensors are copied to one aligned allocation, which becomes the blob
 * (buf is then freed). A zero-size tensor's data is non-NULL but must not be read. */
int lsnn_st_parse(const char *name, void *buf, size_t len, lsnn_tensor_set *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    out->blob = buf;
    if (parse_into(name, buf, len, out, e) != 0) {
        lsnn_st_free(out);
        return -1;
    }
    return 0;
}

/* Returns 0, or -1 with *out zeroed; messages start with path. */
int lsnn_st_read(const char *path, lsnn_tensor_set *out, lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    char *buf;
    size_t len;
    if (lsnn_read_file(path, &buf, &len, e) != 0) return -1;
    return lsnn_st_parse(path, buf, len, out, e);
}

/* Frees and zeroes the set; NULL and an already freed (zeroed) set are allowed. */
void lsnn_st_free(lsnn_tensor_set *s)
{
    if (!s) return;
    free(s->tensors);
    free(s->meta);
    free(s->blob);
    memset(s, 0, sizeof *s);
}

const lsnn_tensor *lsnn_st_find(const lsnn_tensor_set *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->tensors[i].name, name) == 0) return &s->tensors[i];
    return NULL;
}

/* 1 if t has exactly this dtype and shape. */
static int same_type(const lsnn_tensor *t, lsnn_dtype dtype, int ndim, const int64_t *shape)
{
    if (t->dtype != dtype || t->ndim != ndim) return 0;
    for (int i = 0; i < ndim; i++)
        if (t->shape[i] != shape[i]) return 0;
    return 1;
}

const lsnn_tensor *lsnn_st_expect(const lsnn_tensor_set *s, const char *file, const char *name,
                                  lsnn_dtype dtype, int ndim, const int64_t *shape, lsnn_error *e)
{
    const lsnn_tensor *t = lsnn_st_find(s, name);
    if (!t) {
        lsnn_fail(e, "%s: tensor '%s' not found (the file has %d tensors)", file, name, s->n);
        return NULL;
    }
    if (same_type(t, dtype, ndim, shape)) return t;
    char want[256], got[256];
    int shown = ndim < 0 ? 0 : ndim > LSNN_ST_MAX_DIMS ? LSNN_ST_MAX_DIMS : ndim;
    format_shape(want, sizeof want, shown, shape);
    format_shape(got, sizeof got, t->ndim, t->shape);
    lsnn_fail(e, "%s: tensor '%s': expected %s %s, found %s %s", file, name, lsnn_dtype_name(dtype),
              want, lsnn_dtype_name(t->dtype), got);
    return NULL;
}

const char *lsnn_st_meta(const lsnn_tensor_set *s, const char *key)
{
    for (int i = 0; i < s->n_meta; i++)
        if (strcmp(s->meta[i].key, key) == 0) return s->meta[i].value;
    return NULL;
}
