/* json.c - strict recursive-descent JSON parser with offsets in errors, and a buffer writer. */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s;
    size_t len, pos;
    int max_depth;
    size_t max_values, n_values;
    lsnn_error *e;
} parser;

static int parse_value(parser *p, lsnn_json *v, int depth);

/* "'x'" for a printable character at `at`, "byte 0xNN" otherwise, or "end of input". */
static void describe_at(const parser *p, size_t at, char *out, size_t n)
{
    if (at >= p->len) {
        snprintf(out, n, "end of input");
        return;
    }
    unsigned char c = (unsigned char)p->s[at];
    if (c > 0x20 && c < 0x7f)
        snprintf(out, n, "'%c'", c);
    else
        snprintf(out, n, "byte 0x%02X", c);
}

/* Reports "byte AT: what" and returns -1. */
static int fail_at(parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail_at(parser *p, size_t at, const char *fmt, ...)
{
    char what[LSNN_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return lsnn_fail(p->e, "byte %zu: %s", at, what);
}

/* Reports "byte POS: expected WHAT, found X" and returns -1. */
static int fail_expected(parser *p, const char *what)
{
    char found[32];
    describe_at(p, p->pos, found, sizeof found);
    return fail_at(p, p->pos, "expected %s, found %s", what, found);
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

/* Frees what v owns (not v itself). Safe on partially built nodes. */
static void free_contents(lsnn_json *v)
{
    if (v->type == LSNN_JSON_STRING) {
        free(v->str);
    } else if (v->type == LSNN_JSON_ARRAY || v->type == LSNN_JSON_OBJECT) {
        size_t n = v->type == LSNN_JSON_OBJECT ? 2 * v->len : v->len;
        for (size_t i = 0; i < n; i++)
            free_contents(&v->items[i]);
        free(v->items);
    }
    v->type = LSNN_JSON_NULL;
}

void lsnn_json_free(lsnn_json *v)
{
    if (!v) return;
    free_contents(v);
    free(v);
}

/* Makes room for `need` nodes in v->items (capacity in *cap). New nodes are zeroed (NULL).
 * Returns 0, or -1 out of memory. */
static int reserve_items(parser *p, lsnn_json *v, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : 4;
    while (ncap < need)
        ncap *= 2;
    lsnn_json *items = realloc(v->items, ncap * sizeof *items);
    if (!items) return fail_at(p, p->pos, "out of memory");
    memset(items + *cap, 0, (ncap - *cap) * sizeof *items);
    v->items = items;
    *cap = ncap;
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits after "\u" at p->pos (which points at the 'u'). */
static int read_hex4(parser *p, unsigned *out)
{
    if (p->len - p->pos < 5) return fail_at(p, p->pos, "truncated \\u escape");
    unsigned cp = 0;
    for (int i = 1; i <= 4; i++) {
        int h = hex_value(p->s[p->pos + i]);
        if (h < 0) return fail_at(p, p->pos + i, "expected a hex digit in \\u escape");
        cp = cp * 16 + (unsigned)h;
    }
    p->pos += 5;
    *out = cp;
    return 0;
}

/* Appends code point cp as UTF-8 at *dst, advancing it. */
static void put_utf8(char **dst, unsigned cp)
{
    unsigned char *d = (unsigned char *)*dst;
    if (cp < 0x80) {
        *d++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *d++ = (unsigned char)(0xC0 | (cp >> 6));
        *d++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *d++ = (unsigned char)(0xE0 | (cp >> 12));
        *d++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *d++ = (unsigned char)(0xF0 | (cp >> 18));
        *d++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        *d++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    *dst = (char *)d;
}

/* Decodes a \u escape (p->pos at the 'u'), joining a surrogate pair, into *dst. */
static int decode_u_escape(parser *p, char **dst)
{
    size_t start = p->pos - 1;
    unsigned cp;
    if (read_hex4(p, &cp) != 0) return -1;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail_at(p, start, "unpaired UTF-16 low surrogate \\u%04X", cp);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
            return fail_at(p, start, "unpaired UTF-16 high surrogate \\u%04X", cp);
        p->pos++;
        unsigned lo;
        if (read_hex4(p, &lo) != 0) return -1;
        if (lo < 0xDC00 || lo > 0xDFFF)
            return fail_at(p, start, "UTF-16 high surrogate \\u%04X not followed by a low one", cp);
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    put_utf8(dst, cp);
    return 0;
}

/* Decodes one backslash escape (p->pos at the backslash) into *dst. */
static int decode_escape(parser *p, char **dst)
{
    size_t at = p->pos;
    p->pos++;
    if (p->pos >= p->len) return fail_at(p, at, "unterminated string");
    char c = p->s[p->pos];
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        *(*dst)++ = to[hit - from];
        p->pos++;
        return 0;
    }
    if (c == 'u') return decode_u_escape(p, dst);
    char found[32];
    describe_at(p, p->pos, found, sizeof found);
    return fail_at(p, at, "invalid escape: backslash followed by %s", found);
}

/* Length of the well-formed UTF-8 sequence at s (left bytes available, s[0] >= 0x80), or 0
 * when it is malformed (overlong, surrogate, above U+10FFFF, truncated). */
static size_t utf8_sequence_len(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0; /* overlong */
        if (c == 0xED) hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90; /* overlong */
        if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (left < n || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return n;
}

int lsnn_json_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_sequence_len(u + i, n - i);
        if (k == 0) return 0;
        i += k;
    }
    return 1;
}

/* The offset of the closing quote of the string whose opening quote is at p->pos, or
 * p->len when it is unterminated. */
static size_t find_string_end(const parser *p)
{
    size_t i = p->pos + 1;
    while (i < p->len && p->s[i] != '"')
        i += p->s[i] == '\\' ? 2 : 1;
    return i < p->len ? i : p->len;
}

/* Parses a string (p->pos at the opening quote) into a malloc'ed NUL-terminated buffer. */
static int parse_string(parser *p, char **out, size_t *out_len)
{
    size_t start = p->pos, end = find_string_end(p);
    if (end >= p->len) return fail_at(p, start, "unterminated string");
    /* Decoding never lengthens: escapes shrink, other bytes are copied. */
    char *buf = malloc(end - start);
    if (!buf) return fail_at(p, start, "out of memory");
    char *d = buf;
    p->pos++;
    while (p->pos < end) {
        unsigned char c = (unsigned char)p->s[p->pos];
        int rc = 0;
        if (c == '\\') {
            rc = decode_escape(p, &d);
        } else if (c < 0x20) {
            rc = fail_at(p, p->pos, "control character 0x%02X in string (must be escaped)", c);
        } else if (c < 0x80) {
            *d++ = (char)c;
            p->pos++;
        } else {
            size_t n = utf8_sequence_len((const unsigned char *)p->s + p->pos, p->len - p->pos);
            if (n == 0) {
                rc = fail_at(p, p->pos, "invalid UTF-8 in string");
            } else {
                memcpy(d, p->s + p->pos, n);
                d += n;
                p->pos += n;
            }
        }
        if (rc != 0) {
            free(buf);
            return -1;
        }
    }
    p->pos = end + 1;
    *d = '\0';
    *out = buf;
    *out_len = (size_t)(d - buf);
    return 0;
}

static int is_digit(const parser *p, size_t at)
{
    return at < p->len && p->s[at] >= '0' && p->s[at] <= '9';
}

/* Skips the digits at p->pos; fails if there is none ("expected a digit AFTER"). */
static int skip_digits(parser *p, const char *after)
{
    if (!is_digit(p, p->pos)) {
        char what[64];
        snprintf(what, sizeof what, "a digit%s", after);
        return fail_expected(p, what);
    }
    while (is_digit(p, p->pos))
        p->pos++;
    return 0;
}

/* The integer value of the digits in [from, to) with an optional sign; 0 on overflow of
 * int64_t (reported through *fits). */
static int64_t digits_to_int64(const parser *p, size_t from, size_t to, int *fits)
{
    int negative = p->s[from] == '-';
    if (negative) from++;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    *fits = 1;
    for (size_t i = from; i < to; i++) {
        unsigned d = (unsigned)(p->s[i] - '0');
        if (v > (limit - d) / 10) {
            *fits = 0;
            return 0;
        }
        v = v * 10 + d;
    }
    if (!negative) return (int64_t)v;
    return v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
}

/* Converts the number text in [from, to) with strtod (the C locale's '.' is assumed). */
static int text_to_double(parser *p, size_t from, size_t to, double *out)
{
    char *tmp = malloc(to - from + 1);
    if (!tmp) return fail_at(p, from, "out of memory");
    memcpy(tmp, p->s + from, to - from);
    tmp[to - from] = '\0';
    *out = strtod(tmp, NULL);
    free(tmp);
    return 0;
}

static int parse_number(parser *p, lsnn_json *v)
{
    size_t start = p->pos;
    int is_integer = 1;
    if (p->s[p->pos] == '-') p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '0') {
        p->pos++;
        if (is_digit(p, p->pos)) return fail_at(p, start, "number with a leading zero");
    } else if (skip_digits(p, "") != 0) {
        return -1;
    }
    if (p->pos < p->len && p->s[p->pos] == '.') {
        is_integer = 0;
        p->pos++;
        if (skip_digits(p, " after '.'") != 0) return -1;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        is_integer = 0;
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-')) p->pos++;
        if (skip_digits(p, " in the exponent") != 0) return -1;
    }
    if (is_integer) {
        int fits;
        int64_t i = digits_to_int64(p, start, p->pos, &fits);
        if (fits) {
            v->type = LSNN_JSON_INT;
            v->integer = i;
            return 0;
        }
    }
    v->type = LSNN_JSON_FLOAT;
    return text_to_double(p, start, p->pos, &v->number);
}

static int parse_literal(parser *p, lsnn_json *v)
{
    static const struct {
        const char *word;
        lsnn_json_type type;
        int boolean;
    } words[] = {
        {"true", LSNN_JSON_BOOL, 1}, {"false", LSNN_JSON_BOOL, 0}, {"null", LSNN_JSON_NULL, 0}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i].word);
        if (p->len - p->pos >= n && memcmp(p->s + p->pos, words[i].word, n) == 0) {
            v->type = words[i].type;
            v->boolean = words[i].boolean;
            p->pos += n;
            return 0;
        }
    }
    return fail_expected(p, "a value");
}

static int check_depth(parser *p, int depth)
{
    if (depth >= p->max_depth)
        return fail_at(p, p->pos, "nesting deeper than %d levels", p->max_depth);
    return 0;
}

static int parse_array(parser *p, lsnn_json *v, int depth)
{
    if (check_depth(p, depth) != 0) return -1;
    v->type = LSNN_JSON_ARRAY;
    size_t cap = 0;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        return 0;
    }
    for (;;) {
        if (reserve_items(p, v, &cap, v->len + 1) != 0) return -1;
        v->len++;
        if (parse_value(p, &v->items[v->len - 1], depth + 1) != 0) return -1;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == ']') {
            p->pos++;
            return 0;
        }
        return fail_expected(p, "',' or ']' in array");
    }
}

/* Parses one "key": value member into the two nodes at m. */
static int parse_member(parser *p, lsnn_json *m, int depth)
{
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '"') return fail_expected(p, "a string key");
    if (++p->n_values > p->max_values)
        return fail_at(p, p->pos, "more than %zu values", p->max_values);
    m[0].offset = p->pos;
    if (parse_string(p, &m[0].str, &m[0].len) != 0) return -1;
    m[0].type = LSNN_JSON_STRING;
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != ':') return fail_expected(p, "':' after key");
    p->pos++;
    return parse_value(p, &m[1], depth + 1);
}

static int parse_object(parser *p, lsnn_json *v, int depth)
{
    if (check_depth(p, depth) != 0) return -1;
    v->type = LSNN_JSON_OBJECT;
    size_t cap = 0;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        return 0;
    }
    for (;;) {
        if (reserve_items(p, v, &cap, 2 * (v->len + 1)) != 0) return -1;
        v->len++;
        if (parse_member(p, &v->items[2 * (v->len - 1)], depth) != 0) return -1;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == '}') {
            p->pos++;
            return 0;
        }
        return fail_expected(p, "',' or '}' in object");
    }
}

/* Parses the value at p->pos into v (zeroed by the caller). On failure v may be partially
 * built but is always safe for free_contents. */
static int parse_value(parser *p, lsnn_json *v, int depth)
{
    skip_ws(p);
    if (p->pos >= p->len) return fail_expected(p, "a value");
    if (++p->n_values > p->max_values)
        return fail_at(p, p->pos, "more than %zu values", p->max_values);
    v->offset = p->pos;
    char c = p->s[p->pos];
    if (c == '{') return parse_object(p, v, depth);
    if (c == '[') return parse_array(p, v, depth);
    if (c == '"') {
        if (parse_string(p, &v->str, &v->len) != 0) return -1;
        v->type = LSNN_JSON_STRING;
        return 0;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(p, v);
    return parse_literal(p, v);
}

int lsnn_json_parse(const char *text, size_t len, int max_depth, size_t max_values, lsnn_json **out,
                    lsnn_error *e)
{
    *out = NULL;
    parser p = {.s = text, .len = len, .max_depth = max_depth, .max_values = max_values, .e = e};
    lsnn_json *root = calloc(1, sizeof *root);
    if (!root) return lsnn_fail(e, "byte 0: out of memory");
    if (parse_value(&p, root, 0) != 0) {
        lsnn_json_free(root);
        return -1;
    }
    skip_ws(&p);
    if (p.pos != p.len) {
        fail_expected(&p, "end of input after the JSON value");
        lsnn_json_free(root);
        return -1;
    }
    *out = root;
    return 0;
}

const lsnn_json *lsnn_json_get(const lsnn_json *obj, const char *key)
{
    if (!obj || obj->type != LSNN_JSON_OBJECT) return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < obj->len; i++) {
        const lsnn_json *k = &obj->items[2 * i];
        if (k->len == n && memcmp(k->str, key, n) == 0) return &obj->items[2 * i + 1];
    }
    return NULL;
}

const char *lsnn_json_type_name(lsnn_json_type t)
{
    switch (t) {
    case LSNN_JSON_NULL:
        return "null";
    case LSNN_JSON_BOOL:
        return "boolean";
    case LSNN_JSON_INT:
        return "integer";
    case LSNN_JSON_FLOAT:
        return "number";
    case LSNN_JSON_STRING:
        return "string";
    case LSNN_JSON_ARRAY:
        return "array";
    case LSNN_JSON_OBJECT:
        return "object";
    }
    return "?";
}

/* Ensures room for n more bytes plus a NUL; sets b->failed when out of memory. */
static int buf_reserve(lsnn_json_buf *b, size_t n)
{
    if (b->failed) return -1;
    if (n > (size_t)-1 - b->len - 1) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap) return 0;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap = ncap > (size_t)-1 / 2 ? need : ncap * 2;
    char *d = realloc(b->data, ncap);
    if (!d) {
        b->failed = 1;
        return -1;
    }
    b->data = d;
    b->cap = ncap;
    return 0;
}

void lsnn_json_buf_append(lsnn_json_buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) != 0) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lsnn_json_buf_puts(lsnn_json_buf *b, const char *s)
{
    lsnn_json_buf_append(b, s, strlen(s));
}

void lsnn_json_buf_printf(lsnn_json_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
    } else if (buf_reserve(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void lsnn_json_buf_string(lsnn_json_buf *b, const char *s)
{
    lsnn_json_buf_append(b, "\"", 1);
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        lsnn_json_buf_append(b, run, (size_t)(s - run));
        if (c == '\0') break;
        static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
        const char *hit = strchr(from, c);
        if (hit) {
            char esc[2] = {'\\', to[hit - from]};
            lsnn_json_buf_append(b, esc, 2);
        } else {
            lsnn_json_buf_printf(b, "\\u%04X", c);
        }
        run = s + 1;
    }
    lsnn_json_buf_append(b, "\"", 1);
}

void lsnn_json_buf_free(lsnn_json_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
