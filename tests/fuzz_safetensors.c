/* fuzz_safetensors.c - libFuzzer target for the safetensors reader (lsnn_st_parse,
 * runtime/formats/safetensors.c over runtime/base/json.c).
 *
 * Every input is parsed as a whole .safetensors file (from a malloc'ed copy, which the parser
 * owns). A set that is accepted must have tensors whose byte counts match dtype and shape, whose
 * data are 8-byte aligned, tile the data section and can be read to the last byte, and names and
 * metadata that end within their fields; written again with lsnn_st_serialize it must parse into
 * the same tensors and metadata. A refused one must name the file and leave the set zeroed.
 *
 * Seeds (tests/fuzz_corpus/safetensors) are written by the project's writer: run the target
 * with LSNN_FUZZ_SEEDS=DIR to write them (docs/fuzzing.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors.h"

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_safetensors: %s: %s\n", what, msg);
    abort();
}

static void write_seed(const char *dir, const char *name, const lsnn_tensor *t, int n,
                       const lsnn_meta *m, int n_meta)
{
    char path[4096];
    lsnn_error e;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (lsnn_st_write(path, t, n, m, n_meta, &e)) die("seed", e.msg);
}

static void write_seeds(const char *dir)
{
    float f[6] = {1, -2, 0.5f, 0, 3, 1e-3f};
    double d[2] = {1.5, -0.25};
    uint8_t u8[5] = {0, 1, 2, 3, 255};
    int64_t i64[2] = {-1, 1LL << 40};
    int16_t i16[3] = {-3, 0, 7};
    lsnn_tensor t[5] = {
        {.name = "w", .dtype = LSNN_F32, .ndim = 2, .shape = {2, 3}, .data = f, .nbytes = 24},
        {.name = "delays", .dtype = LSNN_U8, .ndim = 1, .shape = {5}, .data = u8, .nbytes = 5},
        {.name = "step", .dtype = LSNN_I64, .ndim = 1, .shape = {2}, .data = i64, .nbytes = 16},
        {.name = "curve", .dtype = LSNN_F64, .ndim = 2, .shape = {1, 2}, .data = d, .nbytes = 16},
        {.name = "h", .dtype = LSNN_I16, .ndim = 3, .shape = {1, 3, 1}, .data = i16, .nbytes = 6},
    };
    lsnn_meta m[2] = {{"format", "lsnn-model"}, {"model", "fuzz"}};
    write_seed(dir, "tensors.safetensors", t, 5, m, 2);
    /* a scalar, a zero-size tensor and one at an odd offset (the reader copies to align) */
    lsnn_tensor odd[3] = {
        {.name = "s", .dtype = LSNN_U8, .ndim = 0, .data = u8, .nbytes = 1},
        {.name = "empty", .dtype = LSNN_F32, .ndim = 2, .shape = {0, 4}, .data = f, .nbytes = 0},
        {.name = "x", .dtype = LSNN_U32, .ndim = 1, .shape = {1}, .data = f, .nbytes = 4},
    };
    write_seed(dir, "odd.safetensors", odd, 3, NULL, 0);
    write_seed(dir, "meta_only.safetensors", NULL, 0, m, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("LSNN_FUZZ_SEEDS");
    if (dir) write_seeds(dir);
    return 0;
}

static int is_zero(const lsnn_tensor_set *s)
{
    return s->n == 0 && !s->tensors && s->n_meta == 0 && !s->meta && !s->blob;
}

static void check(const lsnn_tensor_set *s)
{
    if (s->n < 0 || s->n_meta < 0 || (s->n && !s->tensors) || (s->n_meta && !s->meta))
        die("counts", "");
    uint64_t sum = 0;
    for (int i = 0; i < s->n; i++) {
        const lsnn_tensor *t = &s->tensors[i];
        if (strnlen(t->name, sizeof t->name) == sizeof t->name) die("a name without NUL", "");
        if (!strcmp(t->name, "__metadata__")) die("a tensor named __metadata__", "");
        if (t->ndim < 0 || t->ndim > LSNN_ST_MAX_DIMS) die("ndim", t->name);
        uint64_t n = lsnn_dtype_size(t->dtype);
        if (n == 0) die("dtype", t->name);
        for (int k = 0; k < t->ndim; k++) {
            if (t->shape[k] < 0) die("a negative dimension", t->name);
            n *= (uint64_t)t->shape[k];
        }
        if (n != t->nbytes) die("nbytes is not product(shape) * dtype size", t->name);
        if (!t->data || (uintptr_t)t->data % 8) die("data NULL or unaligned", t->name);
        for (size_t k = 0; k < t->nbytes; k++)
            sum += ((const uint8_t *)t->data)[k];
        for (int j = 0; j < i; j++)
            if (!strcmp(s->tensors[j].name, t->name)) die("a tensor name twice", t->name);
    }
    for (int i = 0; i < s->n_meta; i++) {
        const lsnn_meta *m = &s->meta[i];
        if (strnlen(m->key, sizeof m->key) == sizeof m->key ||
            strnlen(m->value, sizeof m->value) == sizeof m->value)
            die("metadata without NUL", "");
        for (int j = 0; j < i; j++)
            if (!strcmp(s->meta[j].key, m->key)) die("a metadata key twice", m->key);
    }
    (void)sum;
}

static void same(const lsnn_tensor_set *a, const lsnn_tensor_set *b)
{
    if (a->n != b->n || a->n_meta != b->n_meta) die("the written set reads back", "counts");
    for (int i = 0; i < a->n; i++) {
        const lsnn_tensor *x = &a->tensors[i], *y = &b->tensors[i];
        if (strcmp(x->name, y->name) || x->dtype != y->dtype || x->ndim != y->ndim ||
            memcmp(x->shape, y->shape, (size_t)x->ndim * sizeof x->shape[0]) ||
            x->nbytes != y->nbytes || (x->nbytes && memcmp(x->data, y->data, x->nbytes)))
            die("the written set reads back differently", x->name);
    }
    for (int i = 0; i < a->n_meta; i++)
        if (strcmp(a->meta[i].key, b->meta[i].key) || strcmp(a->meta[i].value, b->meta[i].value))
            die("the written metadata reads back differently", a->meta[i].key);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsnn_tensor_set s;
    lsnn_error e;
    void *buf = malloc(size ? size : 1);
    if (!buf) return 0;
    if (size) memcpy(buf, data, size);
    if (lsnn_st_parse("fuzz", buf, size, &s, &e)) {
        if (strncmp(e.msg, "fuzz", 4) != 0) die("a message without the file name", e.msg);
        if (!is_zero(&s)) die("a failed parse left memory", e.msg);
        return 0;
    }
    check(&s);
    uint8_t *out;
    size_t len;
    if (lsnn_st_serialize(s.tensors, s.n, s.meta, s.n_meta, &out, &len, &e))
        die("an accepted set cannot be written", e.msg);
    lsnn_tensor_set s2;
    if (lsnn_st_parse("rewritten", out, len, &s2, &e)) die("the written set does not read", e.msg);
    check(&s2);
    same(&s, &s2);
    lsnn_st_free(&s2);
    lsnn_st_free(&s);
    return 0;
}
