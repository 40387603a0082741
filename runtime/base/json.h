/* json.h - a small strict JSON (RFC 8259) parser into a tree, and a string-building writer.
 *
 * Internal to the runtime (safetensors headers and the like). The parser accepts exactly
 * RFC 8259 JSON: no comments, no trailing commas, no leading zeros, strings must be valid
 * UTF-8 without raw control characters, lone UTF-16 surrogates in \u escapes are rejected.
 * Integers that fit int64_t are kept exactly (LSNN_JSON_INT); any other number (fraction,
 * exponent, or out of range) is LSNN_JSON_FLOAT, so a caller that needs an integer can
 * reject it. Errors read "byte 37: expected ','" (0-based offset into the parsed text). */
#ifndef LSNN_JSON_H
#define LSNN_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef enum {
    LSNN_JSON_NULL,
    LSNN_JSON_BOOL,
    LSNN_JSON_INT,
    LSNN_JSON_FLOAT,
    LSNN_JSON_STRING,
    LSNN_JSON_ARRAY,
    LSNN_JSON_OBJECT,
} lsnn_json_type;

typedef struct lsnn_json lsnn_json;
struct lsnn_json {
    lsnn_json_type type;
    size_t offset; /* byte offset in the parsed text where this value starts */
    size_t len;    /* STRING: bytes (excluding the NUL); ARRAY: elements; OBJECT: members */
    union {
        int boolean;      /* BOOL: 0 or 1 */
        int64_t integer;  /* INT */
        double number;    /* FLOAT */
        char *str;        /* STRING: UTF-8, NUL-terminated; may hold NUL bytes (\u0000) */
        lsnn_json *items; /* ARRAY: len values. OBJECT: 2*len nodes, key (a STRING), value,
                             key, value, ... in document order; duplicate keys are kept */
    };
};

/* Parses the len bytes at text as one JSON value (surrounding whitespace allowed).
 * Containers may nest at most max_depth deep; at most max_values values (keys included)
 * are accepted, which bounds memory on hostile input. Returns 0 with a tree in *out (free
 * with lsnn_json_free), or -1 with *out NULL and "byte N: what" in e. */
int lsnn_json_parse(const char *text, size_t len, int max_depth, size_t max_values, lsnn_json **out,
                    lsnn_error *e);

/* Frees a tree from lsnn_json_parse; NULL is allowed. */
void lsnn_json_free(lsnn_json *v);

/* The value of the first member of object obj named key (compared in full, so a key holding
 * a NUL never matches), or NULL if there is none or obj is not an object. */
const lsnn_json *lsnn_json_get(const lsnn_json *obj, const char *key);

/* 1 if the n bytes at s are well-formed UTF-8 (NUL bytes allowed), else 0. */
int lsnn_json_utf8_valid(const char *s, size_t n);

/* "null", "boolean", "integer", "number", "string", "array", "object". */
const char *lsnn_json_type_name(lsnn_json_type t);

/* A growable output buffer. Zero-initialise it; appends never fail outright but set
 * `failed` (sticky) when out of memory, so callers check once at the end. data is
 * NUL-terminated whenever it is non-NULL and `failed` is 0. */
typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} lsnn_json_buf;

void lsnn_json_buf_append(lsnn_json_buf *b, const char *s, size_t n);
void lsnn_json_buf_puts(lsnn_json_buf *b, const char *s);
void lsnn_json_buf_printf(lsnn_json_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as a quoted JSON string: '"' and '\\' escaped, control characters as \n, \t,
 * ... or \u00XX; other bytes (UTF-8) copied as they are. */
void lsnn_json_buf_string(lsnn_json_buf *b, const char *s);
/* Frees the data and zeroes the buffer. */
void lsnn_json_buf_free(lsnn_json_buf *b);

#endif
