/* sphere.c - NIST SPHERE reader (16-bit mono PCM, either byte order) and atomic writer.
 *
 * The header is parsed line by line from its own bytes only (never past the size that its
 * second line states), so a corrupt header cannot make the reader run past the file; every
 * field that decides an allocation is range-checked before use. */
#include "sphere.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define SPH_MAGIC      "NIST_1A\n"
#define SPH_MAGIC_LEN  8
#define SPH_MIN_HEADER 16 /* the magic and the size line */
#define SPH_WRITE_HEAD 1024
#define SPH_NAME_LEN   64
#define SPH_VALUE_LEN  128

/* The fields the reader needs; -1 / "" where absent. */
typedef struct {
    long long sample_rate, sample_count, channel_count, sample_n_bytes;
    char byte_format[SPH_VALUE_LEN], coding[SPH_VALUE_LEN];
} sph_fields;

/* Parses a decimal integer that fills the whole of s. */
static int parse_ll(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return errno == 0 && end != s && *end == '\0' ? 0 : -1;
}

/* Copies the next space-separated token of line[*pos..n) into tok (at most cap-1 bytes). */
static int next_token(const char *line, size_t n, size_t *pos, char *tok, size_t cap)
{
    while (*pos < n && line[*pos] == ' ')
        (*pos)++;
    size_t k = 0;
    while (*pos < n && line[*pos] != ' ') {
        if (k + 1 >= cap) return -1;
        tok[k++] = line[(*pos)++];
    }
    tok[k] = '\0';
    return k ? 0 : -1;
}

/* Stores one "name -type value" line into f (unknown names are skipped after their syntax is
 * checked). */
static int parse_field(const char *name, int lineno, const char *line, size_t n, sph_fields *f,
                       lsnn_error *e)
{
    char key[SPH_NAME_LEN], type[16], value[SPH_VALUE_LEN];
    size_t pos = 0;
    if (next_token(line, n, &pos, key, sizeof key) || next_token(line, n, &pos, type, sizeof type))
        return lsnn_fail(e,
                         "%s: SPHERE header line %d: expected 'NAME -TYPE VALUE' (names up to "
                         "%d bytes)",
                         name, lineno, SPH_NAME_LEN - 1);
    if (type[0] != '-' || (type[1] != 'i' && type[1] != 'r' && type[1] != 's'))
        return lsnn_fail(e,
                         "%s: SPHERE header line %d: field %s has type '%s', expected -i, -r "
                         "or -sN",
                         name, lineno, key, type);
    if (type[1] == 's') {
        /* -sN: exactly N bytes after one space, which may themselves hold spaces */
        long long len;
        if (parse_ll(type + 2, &len) || len < 0 || len >= SPH_VALUE_LEN || pos + 1 + len > n ||
            line[pos] != ' ')
            return lsnn_fail(e,
                             "%s: SPHERE header line %d: field %s: bad string length '%s' "
                             "(0..%d bytes that the line holds)",
                             name, lineno, key, type, SPH_VALUE_LEN - 1);
        memcpy(value, line + pos + 1, (size_t)len);
        value[len] = '\0';
        if (strcmp(key, "sample_byte_format") == 0) memcpy(f->byte_format, value, (size_t)len + 1);
        if (strcmp(key, "sample_coding") == 0) memcpy(f->coding, value, (size_t)len + 1);
        return 0;
    }
    if (next_token(line, n, &pos, value, sizeof value))
        return lsnn_fail(e, "%s: SPHERE header line %d: field %s has no value", name, lineno, key);
    if (type[1] == 'r') return 0; /* no real-valued field matters here */
    long long v;
    if (parse_ll(value, &v))
        return lsnn_fail(e, "%s: SPHERE header line %d: field %s: '%s' is not an integer", name,
                         lineno, key, value);
    if (strcmp(key, "sample_rate") == 0) f->sample_rate = v;
    if (strcmp(key, "sample_count") == 0) f->sample_count = v;
    if (strcmp(key, "channel_count") == 0) f->channel_count = v;
    if (strcmp(key, "sample_n_bytes") == 0) f->sample_n_bytes = v;
    return 0;
}

/* Reads the magic and the header size line; *hsize is the header's size in bytes. */
static int parse_preamble(const char *name, const char *p, size_t len, size_t *hsize, size_t *body,
                          lsnn_error *e)
{
    if (len < SPH_MIN_HEADER)
        return lsnn_fail(e, "%s: truncated SPHERE header: %zu bytes, at least %d needed", name, len,
                         SPH_MIN_HEADER);
    if (memcmp(p, SPH_MAGIC, SPH_MAGIC_LEN) != 0)
        return lsnn_fail(e, "%s: not a NIST SPHERE file (does not start with \"NIST_1A\")", name);
    size_t i = SPH_MAGIC_LEN;
    while (i < len && i < 32 && p[i] == ' ')
        i++;
    long long h = 0;
    size_t digits = 0;
    while (i < len && i < 32 && p[i] >= '0' && p[i] <= '9' && h <= LSNN_SPHERE_MAX_HEADER) {
        h = h * 10 + (p[i++] - '0');
        digits++;
    }
    if (!digits || i >= len || p[i] != '\n')
        return lsnn_fail(e, "%s: SPHERE header line 2: expected the header size in bytes", name);
    if (h < (long long)i + 1 || h > LSNN_SPHERE_MAX_HEADER)
        return lsnn_fail(e, "%s: SPHERE header size %lld out of range %zu..%d", name, h, i + 1,
                         LSNN_SPHERE_MAX_HEADER);
    if ((size_t)h > len)
        return lsnn_fail(e, "%s: truncated SPHERE header: it states %lld bytes, the file has %zu",
                         name, h, len);
    *hsize = (size_t)h;
    *body = i + 1;
    return 0;
}

/* Parses the header's field lines (from byte `body` up to "end_head") into f. */
static int parse_header(const char *name, const char *p, size_t hsize, size_t body, sph_fields *f,
                        lsnn_error *e)
{
    size_t pos = body;
    for (int lineno = 3;; lineno++) {
        const char *nl = memchr(p + pos, '\n', hsize - pos);
        if (!nl)
            return lsnn_fail(e, "%s: SPHERE header has no end_head line within its %zu bytes", name,
                             hsize);
        size_t n = (size_t)(nl - (p + pos));
        const char *line = p + pos;
        if (n && line[n - 1] == '\r') n--;
        pos += (size_t)(nl - (p + pos)) + 1;
        if (n >= 8 && memcmp(line, "end_head", 8) == 0) return 0;
        if (n == 0 || line[0] == ';') continue; /* blank lines and comments */
        if (memchr(line, '\0', n))
            return lsnn_fail(e, "%s: SPHERE header line %d holds a NUL byte", name, lineno);
        if (parse_field(name, lineno, line, n, f, e)) return -1;
    }
}

/* The fields this reader supports, with the limit in each message. */
static int check_fields(const char *name, const sph_fields *f, lsnn_error *e)
{
    if (f->coding[0] && strcmp(f->coding, "pcm") != 0) {
        if (strstr(f->coding, "shorten") || strstr(f->coding, "wavpack") ||
            strstr(f->coding, "shortpack"))
            return lsnn_fail(e,
                             "%s: sample_coding '%s' is compressed; decompress the corpus "
                             "first with sph2pipe (sph2pipe -f sph IN OUT)",
                             name, f->coding);
        return lsnn_fail(e, "%s: sample_coding '%s' not supported (only 16-bit linear 'pcm')", name,
                         f->coding);
    }
    if (strstr(f->byte_format, "shortpack"))
        return lsnn_fail(e,
                         "%s: sample_byte_format '%s' is compressed; decompress the corpus "
                         "first with sph2pipe (sph2pipe -f sph IN OUT)",
                         name, f->byte_format);
    if (f->sample_rate < 0 || f->sample_count < 0 || f->sample_n_bytes < 0 || !f->byte_format[0])
        return lsnn_fail(e, "%s: SPHERE header lacks %s", name,
                         f->sample_rate < 0      ? "sample_rate"
                         : f->sample_count < 0   ? "sample_count"
                         : f->sample_n_bytes < 0 ? "sample_n_bytes"
                                                 : "sample_byte_format");
    if (f->sample_rate < 1 || f->sample_rate > LSNN_SPHERE_MAX_RATE)
        return lsnn_fail(e, "%s: sample_rate %lld out of range 1..%d", name, f->sample_rate,
                         LSNN_SPHERE_MAX_RATE);
    if (f->sample_count > LSNN_SPHERE_MAX_SAMPLES)
        return lsnn_fail(e, "%s: sample_count %lld out of range 0..%ld", name, f->sample_count,
                         LSNN_SPHERE_MAX_SAMPLES);
    if (f->channel_count != -1 && f->channel_count != 1)
        return lsnn_fail(e, "%s: channel_count %lld not supported (only 1, mono)", name,
                         f->channel_count);
    if (f->sample_n_bytes != 2)
        return lsnn_fail(e, "%s: sample_n_bytes %lld not supported (only 2, 16-bit)", name,
                         f->sample_n_bytes);
    if (strcmp(f->byte_format, "01") != 0 && strcmp(f->byte_format, "10") != 0)
        return lsnn_fail(e, "%s: sample_byte_format '%s' not supported (01 or 10)", name,
                         f->byte_format);
    return 0;
}

int lsnn_sphere_parse(const char *name, const void *data, size_t len, lsnn_sphere *out,
                      lsnn_error *e)
{
    memset(out, 0, sizeof *out);
    const char *p = data ? data : "";
    if (!data) len = 0;
    size_t hsize = 0, body = 0;
    sph_fields f = {-1, -1, -1, -1, "", ""};
    if (parse_preamble(name, p, len, &hsize, &body, e) ||
        parse_header(name, p, hsize, body, &f, e) || check_fields(name, &f, e))
        return -1;
    size_t want = (size_t)f.sample_count * 2, have = len - hsize;
    if (have != want)
        return lsnn_fail(e,
                         "%s: %s: sample_count %lld needs %zu data bytes after the %zu-byte "
                         "header, the file has %zu",
                         name, have < want ? "truncated" : "over-long", f.sample_count, want, hsize,
                         have);
    out->samples = malloc(want ? want : 1);
    if (!out->samples) return lsnn_fail(e, "%s: out of memory (%zu bytes)", name, want);
    const uint8_t *d = (const uint8_t *)p + hsize;
    int big = f.byte_format[0] == '1';
    for (long long i = 0; i < f.sample_count; i++) {
        uint8_t lo = d[2 * i + big], hi = d[2 * i + !big];
        out->samples[i] = (int16_t)(uint16_t)(lo | hi << 8);
    }
    out->n = (long)f.sample_count;
    out->sample_rate = (int)f.sample_rate;
    return 0;
}

int lsnn_sphere_load(const char *path, lsnn_sphere *out, lsnn_error *e)
{
    char *data;
    size_t len;
    memset(out, 0, sizeof *out);
    if (lsnn_read_file(path, &data, &len, e)) return -1;
    int rc = lsnn_sphere_parse(path, data, len, out, e);
    free(data);
    return rc;
}

int lsnn_sphere_write(const char *path, const lsnn_sphere *s, int big_endian, lsnn_error *e)
{
    if (s->sample_rate < 1 || s->sample_rate > LSNN_SPHERE_MAX_RATE)
        return lsnn_fail(e, "%s: SPHERE write: sample_rate %d out of range 1..%d", path,
                         s->sample_rate, LSNN_SPHERE_MAX_RATE);
    if (s->n < 0 || s->n > LSNN_SPHERE_MAX_SAMPLES || (s->n > 0 && !s->samples))
        return lsnn_fail(e, "%s: SPHERE write: sample count %ld out of range 0..%ld", path, s->n,
                         LSNN_SPHERE_MAX_SAMPLES);
    size_t total = SPH_WRITE_HEAD + (size_t)s->n * 2;
    uint8_t *buf = malloc(total);
    if (!buf) return lsnn_fail(e, "%s: out of memory (%zu bytes)", path, total);
    /* TIMIT's field order; the header is padded with spaces to its stated size */
    int k = snprintf((char *)buf, SPH_WRITE_HEAD,
                     "NIST_1A\n   1024\nsample_count -i %ld\nsample_rate -i %d\n"
                     "channel_count -i 1\nsample_byte_format -s2 %s\nsample_n_bytes -i 2\n"
                     "sample_sig_bits -i 16\nsample_coding -s3 pcm\nend_head\n",
                     s->n, s->sample_rate, big_endian ? "10" : "01");
    memset(buf + k, ' ', SPH_WRITE_HEAD - (size_t)k);
    for (long i = 0; i < s->n; i++) {
        uint16_t v = (uint16_t)s->samples[i];
        buf[SPH_WRITE_HEAD + 2 * i + !!big_endian] = (uint8_t)(v & 0xff);
        buf[SPH_WRITE_HEAD + 2 * i + !big_endian] = (uint8_t)(v >> 8);
    }
    int rc = lsnn_write_file_atomic(path, buf, total, e);
    free(buf);
    return rc;
}

void lsnn_sphere_free(lsnn_sphere *s)
{
    if (!s) return;
    free(s->samples);
    memset(s, 0, sizeof *s);
}
