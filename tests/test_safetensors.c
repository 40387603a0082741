/* test_safetensors.c - safetensors round trips, exact bytes, hostile files; the JSON parser. */
#include <stdint.h>

#include "check.h"
#include "fileio.h"
#include "json.h"
#include "safetensors.h"

/* ---- helpers ---- */

static lsnn_tensor make_tensor(const char *name, lsnn_dtype dt, int ndim, const int64_t *shape,
                               void *data)
{
    lsnn_tensor t;
    memset(&t, 0, sizeof t);
    snprintf(t.name, sizeof t.name, "%s", name);
    t.dtype = dt;
    t.ndim = ndim;
    size_t n = lsnn_dtype_size(dt);
    for (int i = 0; i < ndim; i++) {
        t.shape[i] = shape[i];
        n *= (size_t)shape[i];
    }
    t.data = data;
    t.nbytes = n;
    return t;
}

static lsnn_meta make_meta(const char *key, const char *value)
{
    lsnn_meta m;
    memset(&m, 0, sizeof m);
    snprintf(m.key, sizeof m.key, "%s", key);
    snprintf(m.value, sizeof m.value, "%s", value);
    return m;
}

/* A malloc'ed safetensors file: LE length of header, header, data. */
static uint8_t *make_file(const char *header, const void *data, size_t data_len, size_t *len)
{
    size_t h = strlen(header);
    *len = 8 + h + data_len;
    uint8_t *buf = malloc(*len ? *len : 1);
    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)((uint64_t)h >> (8 * i));
    memcpy(buf + 8, header, h);
    if (data_len) memcpy(buf + 8 + h, data, data_len);
    return buf;
}

/* Parses buf (ownership passes) and expects failure with `want` in the message. */
static void expect_reject_buf(int line, uint8_t *buf, size_t len, const char *want)
{
    lsnn_tensor_set s;
    lsnn_error e = {{0}};
    int rc = lsnn_st_parse("bad.safetensors", buf, len, &s, &e);
    CHECK(rc != 0, "line %d: expected failure with '%s'", line, want);
    CHECK(strstr(e.msg, want) != NULL, "line %d: message '%s' lacks '%s'", line, e.msg, want);
    CHECK(strncmp(e.msg, "bad.safetensors: ", 17) == 0, "line %d: file not named: %s", line, e.msg);
    CHECK(s.n == 0 && s.tensors == NULL && s.blob == NULL, "line %d: set left empty", line);
    if (rc == 0) lsnn_st_free(&s);
}

static void expect_reject(int line, const char *header, size_t data_len, const char *want)
{
    uint8_t zeros[64] = {0};
    size_t len;
    uint8_t *buf = make_file(header, zeros, data_len, &len);
    expect_reject_buf(line, buf, len, want);
}

static void expect_accept(int line, const char *header, const void *data, size_t data_len,
                          lsnn_tensor_set *s)
{
    size_t len;
    uint8_t *buf = make_file(header, data, data_len, &len);
    lsnn_error e = {{0}};
    CHECK(lsnn_st_parse("good.safetensors", buf, len, s, &e) == 0, "line %d: %s", line, e.msg);
}

static int is_aligned8(const void *p)
{
    return ((uintptr_t)p) % 8 == 0;
}

/* ---- exact bytes ---- */

/* One F32 tensor "a" of shape [2] = {1.0f, -2.0f} with metadata {"format": "pt"}.
 * Header, compact JSON with metadata first (85 bytes):
 *   {"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}
 * 8 + 85 = 93, so 3 spaces pad it to 88 bytes (8 + 88 = 96). Length field 88 = 0x58.
 * 1.0f = 0x3F800000 and -2.0f = 0xC0000000, stored little-endian. 104 bytes in all. */
static void test_known_bytes(void)
{
    static const char header[] =
        "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
        "\"data_offsets\":[0,8]}}   ";
    static const uint8_t length_field[8] = {0x58, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t data_bytes[8] = {0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0};
    CHECK(strlen(header) == 88, "hand-derived header is %zu bytes", strlen(header));
    uint8_t expected[104];
    memcpy(expected, length_field, 8);
    memcpy(expected + 8, header, 88);
    memcpy(expected + 96, data_bytes, 8);

    float a[2] = {1.0f, -2.0f};
    int64_t shape[1] = {2};
    lsnn_tensor t = make_tensor("a", LSNN_F32, 1, shape, a);
    lsnn_meta m = make_meta("format", "pt");
    uint8_t *out = NULL;
    size_t len = 0;
    lsnn_error e = {{0}};
    CHECK(lsnn_st_serialize(&t, 1, &m, 1, &out, &len, &e) == 0, "%s", e.msg);
    CHECK(len == sizeof expected, "serialised %zu bytes, expected %zu", len, sizeof expected);
    CHECK(len == sizeof expected && memcmp(out, expected, len) == 0, "bytes differ");
    for (size_t i = 0; out && i < len && i < sizeof expected; i++)
        if (out[i] != expected[i]) {
            fprintf(stderr, "first difference at byte %zu: 0x%02X vs 0x%02X\n", i, out[i],
                    expected[i]);
            break;
        }
    free(out);

    /* And the hand-made bytes parse back. */
    uint8_t *copy = malloc(sizeof expected);
    memcpy(copy, expected, sizeof expected);
    lsnn_tensor_set s;
    CHECK(lsnn_st_parse("known", copy, sizeof expected, &s, &e) == 0, "%s", e.msg);
    CHECK(s.n == 1 && s.n_meta == 1, "one tensor, one metadata entry");
    const float *back = s.n == 1 ? s.tensors[0].data : NULL;
    CHECK(back && back[0] == 1.0f && back[1] == -2.0f, "values");
    CHECK(s.n == 1 && s.tensors[0].data == (uint8_t *)s.blob + 96, "data points into the blob");
    const char *fmt = lsnn_st_meta(&s, "format");
    CHECK(fmt && strcmp(fmt, "pt") == 0, "metadata format=pt");
    lsnn_st_free(&s);

    /* Without metadata the "__metadata__" key is omitted. */
    CHECK(lsnn_st_serialize(&t, 1, NULL, 0, &out, &len, &e) == 0, "%s", e.msg);
    static const char plain[] = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    CHECK(len == 8 + 56 + 8 && memcmp(out + 8, plain, strlen(plain)) == 0 && out[8 + 55] == ' ',
          "header without metadata (%zu bytes)", len);
    free(out);
}

/* ---- round trips ---- */

typedef struct {
    float f32[6];
    double f64[4];
    int32_t i32[6];
    int64_t i64_scalar;
    uint8_t u8[5];
    int8_t i8[3];
    uint16_t u16[2];
    int16_t i16[3];
    uint32_t u32[2];
    uint64_t u64[2];
} sample_data;

static void fill_sample(sample_data *d)
{
    for (int i = 0; i < 6; i++) {
        d->f32[i] = (float)i * 0.5f - 1.25f;
        d->i32[i] = -1000000 * i + 7;
    }
    for (int i = 0; i < 4; i++)
        d->f64[i] = 1.0 / (i + 3);
    d->i64_scalar = INT64_MIN + 5;
    for (int i = 0; i < 5; i++)
        d->u8[i] = (uint8_t)(250 + i);
    d->i8[0] = -128, d->i8[1] = 0, d->i8[2] = 127;
    d->u16[0] = 65535, d->u16[1] = 1;
    d->i16[0] = -32768, d->i16[1] = 2, d->i16[2] = 32767;
    d->u32[0] = 4000000000u, d->u32[1] = 3;
    d->u64[0] = UINT64_MAX, d->u64[1] = 1ull << 63;
}

#define N_SAMPLE 11

/* Tensors of every dtype, a scalar and a zero-size one; U8 [5] makes later offsets odd. */
static void sample_tensors(sample_data *d, lsnn_tensor *t)
{
    static const int64_t s23[] = {2, 3}, s4[] = {4}, s312[] = {3, 1, 2}, s5[] = {5}, s3[] = {3},
                         s2[] = {2}, s03[] = {0, 3};
    int k = 0;
    t[k++] = make_tensor("w_in", LSNN_F32, 2, s23, d->f32);
    t[k++] = make_tensor("layer.0/bias", LSNN_F64, 1, s4, d->f64);
    t[k++] = make_tensor("idx", LSNN_I32, 3, s312, d->i32);
    t[k++] = make_tensor("step", LSNN_I64, 0, NULL, &d->i64_scalar);
    t[k++] = make_tensor("empty", LSNN_F32, 2, s03, NULL);
    t[k++] = make_tensor("bytes", LSNN_U8, 1, s5, d->u8);
    t[k++] = make_tensor("q\"uote\\d \xC3\xA9", LSNN_I8, 1, s3, d->i8);
    t[k++] = make_tensor("u16", LSNN_U16, 1, s2, d->u16);
    t[k++] = make_tensor("i16", LSNN_I16, 1, s3, d->i16);
    t[k++] = make_tensor("u32", LSNN_U32, 1, s2, d->u32);
    t[k++] = make_tensor("u64", LSNN_U64, 1, s2, d->u64);
}

static void check_same_tensors(const lsnn_tensor *want, int n, const lsnn_tensor_set *s)
{
    CHECK(s->n == n, "tensor count %d, expected %d", s->n, n);
    for (int i = 0; i < n && i < s->n; i++) {
        const lsnn_tensor *a = &want[i], *b = &s->tensors[i];
        CHECK(strcmp(a->name, b->name) == 0, "order/name %d: '%s' vs '%s'", i, a->name, b->name);
        CHECK(a->dtype == b->dtype && a->ndim == b->ndim && a->nbytes == b->nbytes,
              "'%s': dtype/ndim/nbytes", a->name);
        CHECK(memcmp(a->shape, b->shape, sizeof(int64_t) * (size_t)a->ndim) == 0, "'%s' shape",
              a->name);
        CHECK(b->data != NULL && is_aligned8(b->data), "'%s' data 8-byte aligned", a->name);
        CHECK(a->nbytes == 0 || memcmp(a->data, b->data, a->nbytes) == 0, "'%s' data", a->name);
        CHECK(lsnn_st_find(s, a->name) == b, "find '%s'", a->name);
    }
}

static void test_round_trip(const char *dir)
{
    sample_data d;
    fill_sample(&d);
    lsnn_tensor t[N_SAMPLE];
    sample_tensors(&d, t);
    lsnn_meta m[3] = {make_meta("format", "pt"),
                      make_meta("note", "line1\nline2\t\"quoted\" back\\slash \xE2\x82\xAC"),
                      make_meta("empty", "")};
    char path[1200];
    snprintf(path, sizeof path, "%s/roundtrip.safetensors", dir);
    lsnn_error e = {{0}};
    CHECK(lsnn_st_write(path, t, N_SAMPLE, m, 3, &e) == 0, "%s", e.msg);

    /* The file layout: 8 + N is a multiple of 8, N padded with spaces. */
    char *raw;
    size_t raw_len;
    CHECK(lsnn_read_file(path, &raw, &raw_len, &e) == 0, "%s", e.msg);
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = (hlen << 8) | (uint8_t)raw[i];
    CHECK((8 + hlen) % 8 == 0, "header length %llu padded", (unsigned long long)hlen);
    CHECK(raw[8] == '{' && (raw[8 + hlen - 1] == ' ' || raw[8 + hlen - 1] == '}'), "header ends");
    CHECK(memcmp(raw + 8, "{\"__metadata__\":{\"format\":\"pt\",", 31) == 0,
          "metadata first, in the given order");
    free(raw);

    lsnn_tensor_set s;
    CHECK(lsnn_st_read(path, &s, &e) == 0, "%s", e.msg);
    check_same_tensors(t, N_SAMPLE, &s);
    CHECK(s.n_meta == 3, "3 metadata entries");
    for (int i = 0; i < 3 && i < s.n_meta; i++)
        CHECK(strcmp(s.meta[i].key, m[i].key) == 0 && strcmp(s.meta[i].value, m[i].value) == 0,
              "metadata %d in order", i);
    CHECK(lsnn_st_meta(&s, "note") && strcmp(lsnn_st_meta(&s, "note"), m[1].value) == 0,
          "escaped metadata value");
    CHECK(lsnn_st_meta(&s, "absent") == NULL, "missing key gives NULL");
    CHECK(lsnn_st_find(&s, "absent") == NULL, "missing tensor gives NULL");

    /* lsnn_st_expect. */
    static const int64_t s23[] = {2, 3}, s22[] = {2, 2};
    CHECK(lsnn_st_expect(&s, path, "w_in", LSNN_F32, 2, s23, &e) == &s.tensors[0], "%s", e.msg);
    CHECK(lsnn_st_expect(&s, "m.st", "w_in", LSNN_F32, 2, s22, &e) == NULL, "shape mismatch");
    CHECK(strcmp(e.msg, "m.st: tensor 'w_in': expected F32 [2, 2], found F32 [2, 3]") == 0,
          "message: %s", e.msg);
    CHECK(lsnn_st_expect(&s, "m.st", "w_in", LSNN_F64, 2, s23, &e) == NULL, "dtype mismatch");
    CHECK(strcmp(e.msg, "m.st: tensor 'w_in': expected F64 [2, 3], found F32 [2, 3]") == 0,
          "message: %s", e.msg);
    CHECK(lsnn_st_expect(&s, "m.st", "step", LSNN_I64, 1, s23, &e) == NULL, "ndim mismatch");
    CHECK(strcmp(e.msg, "m.st: tensor 'step': expected I64 [2], found I64 []") == 0, "message: %s",
          e.msg);
    CHECK(lsnn_st_expect(&s, "m.st", "step", LSNN_I64, 0, NULL, &e) != NULL, "scalar: %s", e.msg);
    CHECK(lsnn_st_expect(&s, "m.st", "w_rec", LSNN_F32, 2, s22, &e) == NULL, "missing");
    CHECK(strstr(e.msg, "m.st: tensor 'w_rec' not found") != NULL, "message: %s", e.msg);
    lsnn_st_free(&s);
    lsnn_st_free(&s); /* freeing twice is harmless after the reset */

    /* No tensors, no metadata: "{}" padded, nothing else. */
    uint8_t *out;
    size_t len;
    CHECK(lsnn_st_serialize(NULL, 0, NULL, 0, &out, &len, &e) == 0, "%s", e.msg);
    CHECK(len == 16 && out[0] == 8 && memcmp(out + 8, "{}      ", 8) == 0, "empty file bytes");
    CHECK(lsnn_st_parse("empty", out, len, &s, &e) == 0 && s.n == 0 && s.n_meta == 0, "%s", e.msg);
    lsnn_st_free(&s);

    CHECK(lsnn_st_read("/nonexistent/dir/x.safetensors", &s, &e) != 0, "missing file");
    CHECK(strstr(e.msg, "/nonexistent/dir/x.safetensors") != NULL, "names the path: %s", e.msg);
}

/* Files from other writers: pretty-printed, keys in any order, metadata last, no padding,
 * unaligned offsets (copied to aligned memory). */
static void test_foreign_files(void)
{
    uint8_t data[3 + 8];
    data[0] = 1, data[1] = 2, data[2] = 3;
    double v = 3.5;
    memcpy(data + 3, &v, 8);
    lsnn_tensor_set s;
    expect_accept(
        __LINE__,
        "{ \"x\" : { \"shape\" : [ 1 ], \"data_offsets\" : [ 3, 11 ],\n"
        "  \"dtype\" : \"F64\" },\r\n\t\"b\": {\"dtype\": \"U8\", \"shape\": [3], "
        "\"data_offsets\": [0, 3]}, \"__metadata__\": {\"k\": \"v\\u00e9\\ud83d\\ude00\"}}",
        data, sizeof data, &s);
    CHECK(s.n == 2, "two tensors");
    if (s.n == 2) {
        CHECK(strcmp(s.tensors[0].name, "x") == 0, "header order kept");
        CHECK(is_aligned8(s.tensors[0].data) && is_aligned8(s.tensors[1].data), "aligned");
        CHECK(*(const double *)s.tensors[0].data == 3.5, "F64 value after realignment");
        CHECK(memcmp(s.tensors[1].data, data, 3) == 0, "U8 values");
    }
    const char *k = lsnn_st_meta(&s, "k");
    CHECK(k && strcmp(k, "v\xC3\xA9\xF0\x9F\x98\x80") == 0, "\\u escapes decoded to UTF-8");
    lsnn_st_free(&s);

    /* Zero-size tensors may sit anywhere the running offset is. */
    float f = 2.0f;
    expect_accept(__LINE__,
                  "{\"z0\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                  "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                  "\"z1\":{\"dtype\":\"I64\",\"shape\":[5,0],\"data_offsets\":[4,4]}}",
                  &f, 4, &s);
    CHECK(s.n == 3 && s.tensors[1].ndim == 0 && *(const float *)s.tensors[1].data == 2.0f,
          "scalar between zero-size tensors");
    lsnn_st_free(&s);
}

/* ---- rejections ---- */

static void test_truncation(void)
{
    sample_data d;
    fill_sample(&d);
    lsnn_tensor t[N_SAMPLE];
    sample_tensors(&d, t);
    lsnn_meta m = make_meta("format", "pt");
    uint8_t *full;
    size_t len;
    lsnn_error e = {{0}};
    CHECK(lsnn_st_serialize(t, N_SAMPLE, &m, 1, &full, &len, &e) == 0, "%s", e.msg);
    size_t hlen = full[0] | (size_t)full[1] << 8;
    size_t cuts[] = {0, 1, 7, 8, 9, 8 + hlen / 2, 8 + hlen - 1, 8 + hlen, 8 + hlen + 1, len - 1};
    const char *want[] = {"too short",    "too short",   "too short",   "exceeds the",
                          "exceeds the",  "exceeds the", "exceeds the", "out of range",
                          "out of range", "out of range"};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        uint8_t *cut = malloc(cuts[i] ? cuts[i] : 1);
        memcpy(cut, full, cuts[i]);
        expect_reject_buf(__LINE__, cut, cuts[i], want[i]);
    }
    /* The untruncated file is fine, and one extra byte at the end is not. */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, full, len);
    longer[len] = 0;
    expect_reject_buf(__LINE__, longer, len + 1, "trailing bytes");
    lsnn_tensor_set s;
    CHECK(lsnn_st_parse("full", full, len, &s, &e) == 0, "%s", e.msg);
    lsnn_st_free(&s);
}

static void test_header_length(void)
{
    size_t len;
    uint8_t *buf = make_file("{}", NULL, 0, &len);
    buf[0] = 0x00, buf[1] = 0xC2, buf[2] = 0xEB, buf[3] = 0x0B; /* 200,000,000 */
    expect_reject_buf(__LINE__, buf, len, "exceeds the limit of 100000000 bytes");
    buf = make_file("{}", NULL, 0, &len);
    buf[7] = 0x80; /* 2^63 + 2 */
    expect_reject_buf(__LINE__, buf, len, "exceeds the limit");
    buf = make_file("{}", NULL, 0, &len);
    buf[0] = 3; /* one byte more than there is */
    expect_reject_buf(__LINE__, buf, len, "header length 3 exceeds the 2 bytes");
}

#define T(dt, shape, offs) "{\"dtype\":\"" dt "\",\"shape\":" shape ",\"data_offsets\":" offs "}"

static void test_bad_headers(void)
{
    /* JSON syntax, with the offset of the problem. */
    expect_reject(__LINE__, "{\"a\":{\"dtype\":\"F32\" \"shape\":[1]}}", 0,
                  "invalid JSON header (offsets from header start): byte 20: expected ',' or '}'");
    expect_reject(__LINE__, "{\"a\":", 0, "byte 5: expected a value, found end of input");
    expect_reject(__LINE__, "", 0, "byte 0: expected a value");
    expect_reject(__LINE__, "{} x", 0, "byte 3: expected end of input");
    expect_reject(__LINE__, "[1, 2]", 0, "header is a JSON array, expected an object");
    expect_reject(__LINE__, "{\"a\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}", 0,
                  "nesting deeper");

    /* Tensor entries. */
    expect_reject(__LINE__, "{\"a\":" T("F16", "[1]", "[0,2]") "}", 2,
                  "tensor 'a': unsupported dtype 'F16'");
    expect_reject(__LINE__, "{\"a\":" T("f32", "[1]", "[0,4]") "}", 4, "unsupported dtype 'f32'");
    expect_reject(__LINE__, "{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                  "tensor 'a': dtype must be a string, found integer");
    expect_reject(__LINE__, "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                  "tensor 'a': missing 'dtype'");
    expect_reject(__LINE__, "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4,
                  "tensor 'a': missing 'shape'");
    expect_reject(__LINE__, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4,
                  "tensor 'a': missing 'data_offsets'");
    expect_reject(__LINE__,
                  "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4,
                  "tensor 'a': unexpected key 'x'");
    expect_reject(__LINE__,
                  "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],"
                  "\"data_offsets\":[0,4]}}",
                  4, "tensor 'a': duplicate key 'dtype'");
    expect_reject(__LINE__, "{\"a\":[1]}", 0, "tensor 'a': entry must be an object, found array");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2,-1]", "[0,4]") "}", 4,
                  "tensor 'a': shape entry 1 is -1, expected a non-negative integer");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2.0]", "[0,8]") "}", 8,
                  "shape entry 0 is 2 (not an integer");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[1e2]", "[0,8]") "}", 8, "not an integer");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[\"2\"]", "[0,8]") "}", 8,
                  "shape entry 0 is of type string");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[9223372036854775808]", "[0,8]") "}", 8,
                  "out of range");
    expect_reject(__LINE__, "{\"a\":" T("F32", "3", "[0,12]") "}", 12,
                  "shape must be an array, found integer");
    expect_reject(__LINE__, "{\"a\":" T("U8", "[1,1,1,1,1,1,1,1,1]", "[0,1]") "}", 1,
                  "shape has 9 dimensions, more than the limit of 8");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[4611686018427387904,4]", "[0,16]") "}", 16,
                  "tensor 'a': shape [4611686018427387904, 4] is too large");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2,3]", "[0,20]") "}", 20,
                  "tensor 'a': data_offsets [0, 20] hold 20 bytes but F32 [2, 3] needs 24");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2]", "[8,0]") "}", 8, "end before they begin");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2]", "[0]") "}", 8,
                  "data_offsets must be an array [begin, end]");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2]", "[-8,0]") "}", 8, "data_offsets begin is -8");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2]", "[0,8]") "}", 4,
                  "tensor 'a': data_offsets [0, 8] out of range: the data section is 4 bytes");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[2]", "[8,16]") "}", 8, "out of range");

    /* How the tensors tile the data. */
    expect_reject(__LINE__,
                  "{\"a\":" T("F32", "[2]", "[0,8]") ",\"b\":" T("F32", "[2]", "[4,12]") "}", 12,
                  "tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]");
    expect_reject(__LINE__,
                  "{\"a\":" T("F32", "[2]", "[0,8]") ",\"b\":" T("F32", "[2]", "[0,8]") "}", 8,
                  "overlap tensor 'a'");
    expect_reject(__LINE__,
                  "{\"a\":" T("F32", "[1]", "[0,4]") ",\"b\":" T("F32", "[1]", "[8,12]") "}", 12,
                  "tensor 'b': data_offsets begin at 8, leaving a hole: data bytes [4, 8)");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[1]", "[4,8]") "}", 8, "hole: data bytes [0, 4)");
    expect_reject(__LINE__, "{\"a\":" T("F32", "[1]", "[0,4]") "}", 8,
                  "data bytes [4, 8) after the last tensor belong to no tensor");
    expect_reject(__LINE__, "{}", 4, "trailing bytes");

    /* Names. */
    expect_reject(__LINE__,
                  "{\"a\":" T("F32", "[1]", "[0,4]") ",\"a\":" T("F32", "[1]", "[4,8]") "}", 8,
                  "duplicate tensor name 'a'");
    char header[600], name[200];
    memset(name, 'n', 128);
    name[128] = '\0';
    snprintf(header, sizeof header, "{\"%s\":" T("F32", "[1]", "[0,4]") "}", name);
    expect_reject(__LINE__, header, 4, "is 128 bytes, longer than the limit of 127");
    name[127] = '\0';
    snprintf(header, sizeof header, "{\"%s\":" T("F32", "[1]", "[0,4]") "}", name);
    lsnn_tensor_set s;
    expect_accept(__LINE__, header, "abcd", 4, &s);
    CHECK(s.n == 1 && strlen(s.tensors[0].name) == 127, "127-byte name accepted");
    lsnn_st_free(&s);
    expect_reject(__LINE__, "{\"a\\u0000b\":" T("F32", "[1]", "[0,4]") "}", 4,
                  "contains a NUL character");

    /* Metadata. */
    expect_reject(__LINE__, "{\"__metadata__\":{\"n\":1}}", 0,
                  "__metadata__ 'n': value must be a string, found integer");
    expect_reject(__LINE__, "{\"__metadata__\":{\"n\":null}}", 0, "found null");
    expect_reject(__LINE__, "{\"__metadata__\":[\"a\"]}", 0,
                  "__metadata__ must be an object of strings, found array");
    expect_reject(__LINE__, "{\"__metadata__\":{},\"__metadata__\":{}}", 0,
                  "duplicate __metadata__");
    expect_reject(__LINE__, "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0,
                  "duplicate __metadata__ key 'k'");
    char longval[700];
    memset(longval, 'v', 512);
    longval[512] = '\0';
    snprintf(header, sizeof header, "{\"__metadata__\":{\"k\":\"%s\"}}", longval);
    expect_reject(__LINE__, header, 0, "is 512 bytes, longer than the limit of 511");
}

static void test_writer_rejects(void)
{
    float a[2] = {0};
    int64_t s2[] = {2};
    lsnn_tensor t[2] = {make_tensor("a", LSNN_F32, 1, s2, a), make_tensor("a", LSNN_F32, 1, s2, a)};
    uint8_t *out = (uint8_t *)1;
    size_t len = 7;
    lsnn_error e = {{0}};
    CHECK(lsnn_st_serialize(t, 2, NULL, 0, &out, &len, &e) != 0, "duplicate names");
    CHECK(strstr(e.msg, "duplicate tensor name 'a'") != NULL, "message: %s", e.msg);
    CHECK(out == NULL && len == 0, "outputs cleared");
    snprintf(t[1].name, sizeof t[1].name, "b");
    t[1].nbytes = 4;
    CHECK(lsnn_st_serialize(t, 2, NULL, 0, &out, &len, &e) != 0, "nbytes mismatch");
    CHECK(strstr(e.msg, "tensor 'b': nbytes is 4 but F32 [2] needs 8") != NULL, "message: %s",
          e.msg);
    t[1].nbytes = 8;
    snprintf(t[1].name, sizeof t[1].name, "__metadata__");
    CHECK(lsnn_st_serialize(t, 2, NULL, 0, &out, &len, &e) != 0, "reserved name");
    CHECK(strstr(e.msg, "reserved") != NULL, "message: %s", e.msg);
    snprintf(t[1].name, sizeof t[1].name, "b");
    t[1].ndim = 9;
    CHECK(lsnn_st_serialize(t, 2, NULL, 0, &out, &len, &e) != 0, "too many dims");
    CHECK(strstr(e.msg, "ndim 9") != NULL, "message: %s", e.msg);
    t[1].ndim = 1;
    lsnn_meta m[2] = {make_meta("k", "1"), make_meta("k", "2")};
    CHECK(lsnn_st_serialize(t, 2, m, 2, &out, &len, &e) != 0, "duplicate metadata keys");
    CHECK(strstr(e.msg, "duplicate metadata key 'k'") != NULL, "message: %s", e.msg);
    lsnn_tensor bad = make_tensor("bad\xFF", LSNN_F32, 1, s2, a);
    CHECK(lsnn_st_serialize(&bad, 1, NULL, 0, &out, &len, &e) != 0, "invalid UTF-8 name");
    CHECK(lsnn_st_write("/nonexistent/dir/w.safetensors", t, 2, NULL, 0, &e) != 0, "bad dir");
    CHECK(strstr(e.msg, "/nonexistent/dir/w.safetensors") != NULL, "message: %s", e.msg);
}

/* ---- the JSON parser on its own ---- */

static void json_reject(int line, const char *text, const char *want)
{
    lsnn_json *v = (lsnn_json *)1;
    lsnn_error e = {{0}};
    CHECK(lsnn_json_parse(text, strlen(text), 16, 1000, &v, &e) != 0, "line %d: accepted %s", line,
          text);
    CHECK(v == NULL, "line %d: output cleared", line);
    CHECK(strstr(e.msg, want) != NULL, "line %d: '%s' lacks '%s'", line, e.msg, want);
}

static void test_json(void)
{
    const char *doc = " {\"i\": [0, -0, 9223372036854775807, -9223372036854775808, "
                      "9223372036854775808, 1.5, -2e3], \"s\": \"a\\\"\\\\\\/\\b\\f\\n\\r\\t"
                      "\\u0041\\u00e9\\u20ac\\uD834\\uDD1E\", \"t\": true, \"f\": false, "
                      "\"n\": null, \"o\": {}, \"a\": []} ";
    lsnn_json *v;
    lsnn_error e = {{0}};
    CHECK(lsnn_json_parse(doc, strlen(doc), 4, 100, &v, &e) == 0, "%s", e.msg);
    if (v) {
        const lsnn_json *i = lsnn_json_get(v, "i");
        CHECK(v->type == LSNN_JSON_OBJECT && v->len == 7 && v->offset == 1, "object");
        CHECK(i && i->type == LSNN_JSON_ARRAY && i->len == 7, "array of 7");
        if (i && i->len == 7) {
            CHECK(i->items[0].type == LSNN_JSON_INT && i->items[0].integer == 0, "0");
            CHECK(i->items[1].type == LSNN_JSON_INT && i->items[1].integer == 0, "-0");
            CHECK(i->items[2].type == LSNN_JSON_INT && i->items[2].integer == INT64_MAX, "max");
            CHECK(i->items[3].type == LSNN_JSON_INT && i->items[3].integer == INT64_MIN, "min");
            CHECK(i->items[4].type == LSNN_JSON_FLOAT, "2^63 is not an int64");
            CHECK(i->items[5].type == LSNN_JSON_FLOAT && i->items[5].number == 1.5, "1.5");
            CHECK(i->items[6].type == LSNN_JSON_FLOAT && i->items[6].number == -2000.0, "-2e3");
        }
        const lsnn_json *s = lsnn_json_get(v, "s");
        const char want[] = "a\"\\/\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E";
        CHECK(s && s->type == LSNN_JSON_STRING && s->len == strlen(want) &&
                  memcmp(s->str, want, s->len) == 0,
              "escapes decoded");
        const lsnn_json *t = lsnn_json_get(v, "t"), *f = lsnn_json_get(v, "f"),
                        *n = lsnn_json_get(v, "n");
        CHECK(t && t->type == LSNN_JSON_BOOL && t->boolean == 1, "true");
        CHECK(f && f->type == LSNN_JSON_BOOL && f->boolean == 0, "false");
        CHECK(n && n->type == LSNN_JSON_NULL, "null");
        CHECK(lsnn_json_get(v, "missing") == NULL && lsnn_json_get(s, "x") == NULL, "get");
    }
    lsnn_json_free(v);

    json_reject(__LINE__, "[1,]", "byte 3: expected a value, found ']'");
    json_reject(__LINE__, "{\"a\":1,}", "byte 7: expected a string key");
    json_reject(__LINE__, "[01]", "byte 1: number with a leading zero");
    json_reject(__LINE__, "[1.]", "byte 3: expected a digit after '.'");
    json_reject(__LINE__, "[1e]", "expected a digit in the exponent");
    json_reject(__LINE__, "[-]", "expected a digit");
    json_reject(__LINE__, "[+1]", "expected a value, found '+'");
    json_reject(__LINE__, "[.5]", "expected a value");
    json_reject(__LINE__, "[tru]", "expected a value");
    json_reject(__LINE__, "[NaN]", "expected a value");
    json_reject(__LINE__, "\"abc", "byte 0: unterminated string");
    json_reject(__LINE__, "\"a\\x\"", "byte 2: invalid escape");
    json_reject(__LINE__, "\"a\tb\"", "byte 2: control character 0x09");
    json_reject(__LINE__, "\"\\u12G4\"", "hex digit");
    json_reject(__LINE__, "\"\\uD800\"", "unpaired UTF-16 high surrogate");
    json_reject(__LINE__, "\"\\uDC00\"", "unpaired UTF-16 low surrogate");
    json_reject(__LINE__, "\"\\uD800\\u0041\"", "not followed by a low one");
    json_reject(__LINE__, "\"\xC3\"", "invalid UTF-8");
    json_reject(__LINE__, "\"\xC0\xAF\"", "invalid UTF-8");         /* overlong '/' */
    json_reject(__LINE__, "\"\xED\xA0\x80\"", "invalid UTF-8");     /* surrogate */
    json_reject(__LINE__, "\"\xF4\x90\x80\x80\"", "invalid UTF-8"); /* > U+10FFFF */
    json_reject(__LINE__, "{\"a\" 1}", "byte 5: expected ':' after key, found '1'");
    json_reject(__LINE__, "{1:2}", "expected a string key, found '1'");
    json_reject(__LINE__, "[1 2]", "byte 3: expected ',' or ']' in array, found '2'");
    json_reject(__LINE__, "// c\n{}", "expected a value, found '/'");
    json_reject(__LINE__, "[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]", "nesting deeper than 16 levels");

    /* The value limit bounds memory. */
    CHECK(lsnn_json_parse("[1,2,3]", 7, 4, 3, &v, &e) != 0, "4 values over a limit of 3");
    CHECK(strstr(e.msg, "more than 3 values") != NULL, "message: %s", e.msg);
    CHECK(lsnn_json_parse("[1,2,3]", 7, 4, 4, &v, &e) == 0, "4 values at a limit of 4");
    lsnn_json_free(v);
    /* Embedded NUL bytes outside strings are rejected, inside \u0000 they are kept. */
    CHECK(lsnn_json_parse("{}\0", 3, 4, 4, &v, &e) != 0, "NUL after the value");
    CHECK(lsnn_json_parse("\"a\\u0000b\"", 10, 4, 4, &v, &e) == 0 && v->len == 3 &&
              v->str[1] == '\0',
          "\\u0000 kept");
    lsnn_json_free(v);

    /* Writer: escaped strings parse back to the same bytes. */
    lsnn_json_buf b = {0};
    const char *raw = "q\"b\\s\n\t\x01\x1F \xC3\xA9/";
    lsnn_json_buf_string(&b, raw);
    CHECK(!b.failed && strcmp(b.data, "\"q\\\"b\\\\s\\n\\t\\u0001\\u001F \xC3\xA9/\"") == 0,
          "escaped: %s", b.data);
    CHECK(lsnn_json_parse(b.data, b.len, 1, 1, &v, &e) == 0 && strcmp(v->str, raw) == 0,
          "writer output parses back");
    lsnn_json_free(v);
    lsnn_json_buf_printf(&b, "%d-%s", 42, "x");
    CHECK(b.len >= 4 && strcmp(b.data + b.len - 4, "42-x") == 0, "printf appends");
    lsnn_json_buf_free(&b);
    CHECK(b.data == NULL && b.len == 0, "buffer reset");
}

int main(void)
{
    /* Tests use only C: no Python, numpy or the safetensors package is needed (the exact
     * bytes of the reference format are written out by hand in test_known_bytes). */
    const char *dir = check_tmpdir("test_safetensors");
    CHECK(lsnn_dtype_size(LSNN_U64) == 8 && strcmp(lsnn_dtype_name(LSNN_I16), "I16") == 0,
          "dtype table");
    CHECK(lsnn_dtype_size((lsnn_dtype)99) == 0 && strcmp(lsnn_dtype_name((lsnn_dtype)99), "?") == 0,
          "unknown dtype");
    test_known_bytes();
    test_round_trip(dir);
    test_foreign_files();
    test_truncation();
    test_header_length();
    test_bad_headers();
    test_writer_rejects();
    test_json();
    return check_report();
}
