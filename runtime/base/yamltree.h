/* yamltree.h - strict YAML reading: a positioned tree and typed getters with FILE:LINE:COL errors.
 *
 * Every YAML format of the project (model spec, hardware config, technology tables) reads
 * through this layer. Two stages:
 *   1. yt_load turns the text into a tree of scalars, sequences and mappings in which every
 *      node remembers its 1-based line and column. Aliases, explicit tags, non-scalar keys,
 *      nesting deeper than YT_MAX_DEPTH and a second document are refused.
 *   2. The caller walks the tree through yt_section values (a mapping plus its key path) with
 *      the getters below. Each getter checks type and range and, on failure, fills the error
 *      with "FILE:LINE:COL: error: <path> must be ..., got ..." at the offending node.
 * Unknown and duplicate keys are found by yt_check_keys; a missing required key is reported
 * at the mapping that lacks it. All functions return 0 on success and -1 on error; the first
 * error wins and the caller stops. Getters of optional keys leave *out alone when the key is
 * absent, so callers preset defaults. */
#ifndef LSNN_YAMLTREE_H
#define LSNN_YAMLTREE_H

#include <stddef.h>

#include "error.h"

#define YT_MAX_DEPTH   32 /* YAML nesting accepted */
#define YT_EXCERPT_MAX 40 /* characters of the user's text quoted in a message */
#define YT_PATH_LEN    96 /* key paths such as "network.populations[7].tau_a_ms" */
#define YT_WHAT_LEN    (YT_EXCERPT_MAX + 8) /* buffer for yt_describe / yt_excerpt */

enum { YT_OPTIONAL = 0, YT_REQUIRED = 1 };

typedef enum { YT_SCALAR, YT_SEQUENCE, YT_MAPPING } yt_kind;

typedef struct yt_node {
    yt_kind kind;
    unsigned long line, col; /* 1-based position of the node's first character */
    char *text;              /* scalar: the value, NUL-terminated (it may hold NULs too) */
    size_t len;              /* scalar: bytes in text */
    int plain;               /* scalar: unquoted, so it may be a number or a boolean */
    struct yt_node **items;  /* sequence: the items; mapping: key 2i and its value 2i+1 */
    size_t n_items, cap;
} yt_node;

/* Where errors go: the file name shown in messages and the caller's error. */
typedef struct {
    const char *file;
    lsnn_error *e;
} yt_report;

/* A mapping being checked and its key path ("" at the top level). map may be NULL for an
 * absent optional section (yt_get_section). */
typedef struct {
    const yt_report *r;
    const yt_node *map;
    const char *path;
} yt_section;

/* An interval of reals; text is how messages show it, e.g. "(0, 1e6]". */
typedef struct {
    double lo, hi;
    int lo_open, hi_open;
    const char *text;
} yt_range;

#define YT_OPEN_CLOSED(lo, hi) ((yt_range){lo, hi, 1, 0, "(" #lo ", " #hi "]"})
#define YT_CLOSED(lo, hi)      ((yt_range){lo, hi, 0, 0, "[" #lo ", " #hi "]"})
#define YT_CLOSED_OPEN(lo, hi) ((yt_range){lo, hi, 0, 1, "[" #lo ", " #hi ")"})
#define YT_OPEN(lo, hi)        ((yt_range){lo, hi, 1, 1, "(" #lo ", " #hi ")"})

/* ---- errors */

/* Fills r->e with "FILE:LINE:COL: error: <message>" and returns -1. */
int yt_fail_at(const yt_report *r, unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Same at a node's position. */
int yt_fail_node(const yt_report *r, const yt_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the tree */

/* Parses text (len bytes, need not be NUL-terminated) into *root. `what` names the format in
 * messages ("spec", "hardware config"); `expected` completes "the <what> is empty; expected
 * <expected>". On failure *root is NULL, nothing is left allocated and r->e is filled. */
int yt_load(const yt_report *r, const char *text, size_t len, const char *what,
            const char *expected, yt_node **root);

/* Frees a tree from yt_load (NULL is fine). */
void yt_free(yt_node *n);

/* 1 if a scalar's text is exactly word. */
int yt_text_is(const yt_node *scalar, const char *word);

/* The value of the first occurrence of key in a mapping, or NULL (also for a NULL map). */
const yt_node *yt_lookup(const yt_node *map, const char *key);

/* The key node itself (for errors about the key rather than its value), or NULL. */
const yt_node *yt_lookup_key(const yt_node *map, const char *key);

/* ---- message helpers */

/* "<path>.<key>", or "<key>" at the top level, into out. */
void yt_key_path(const yt_section *s, const char *key, char *out, size_t n);

/* "in <path>" or "at the top level", into out. */
void yt_where(const yt_section *s, char *out, size_t n);

/* The node's text, shortened to YT_EXCERPT_MAX with "..." and control characters as '?'. */
const char *yt_excerpt(const yt_node *v, char *buf, size_t n);

/* What a value is, for "got ...": 'text', an empty value, a sequence, a mapping. */
const char *yt_describe(const yt_node *v, char *buf, size_t n);

/* "a, b, c" from a NULL-terminated list, into out. */
void yt_join_names(const char *const *names, char *out, size_t n);

/* 1 if text is a decimal number as YAML writes one ([+-]digits[.digits][e[+-]digits], no
 * leading zeros); *is_integer is set when it has neither point nor exponent. */
int yt_is_decimal_number(const char *t, size_t len, int *is_integer);

/* ---- key checks */

/* Every key of the section is in the NULL-terminated list allowed and appears once. */
int yt_check_keys(const yt_section *s, const char *const *allowed);

/* Fails at the first of keys present in the section: "<path> is <why>". */
int yt_refuse_keys(const yt_section *s, const char *const *keys, const char *why);

/* Finds a key's value; *out is NULL when an optional key is absent. A missing required key
 * is "missing required key 'k' in <path>" at the mapping. */
int yt_field(const yt_section *s, const char *key, int required, const yt_node **out);

/* ---- typed getters (optional keys that are absent leave *out alone) */

/* A plain decimal number, finite and within range. */
int yt_get_real(const yt_section *s, const char *key, int required, yt_range range, double *out);

/* A plain decimal integer in [lo, hi]. */
int yt_get_integer(const yt_section *s, const char *key, int required, long long lo, long long hi,
                   long long *out);
int yt_get_int(const yt_section *s, const char *key, int required, int lo, int hi, int *out);
int yt_get_long(const yt_section *s, const char *key, int required, long lo, long hi, long *out);

/* The same checks on a node already found (a sequence item, say); path names it. */
int yt_real_value(const yt_report *r, const yt_node *v, const char *path, yt_range range,
                  double *out);
int yt_integer_value(const yt_report *r, const yt_node *v, const char *path, long long lo,
                     long long hi, long long *out);

/* true or false (plain) into 1 or 0. */
int yt_get_bool(const yt_section *s, const char *key, int required, int *out);

/* One of names (NULL-terminated) into its index. */
int yt_get_enum(const yt_section *s, const char *key, int required, const char *const *names,
                int *out);

/* Any scalar (quoted or not); *out is NULL when an optional key is absent. */
int yt_get_scalar(const yt_section *s, const char *key, int required, const yt_node **out);

/* A required name: 1..cap-1 characters of A-Z a-z 0-9 _ . - copied into out. */
int yt_get_name(const yt_section *s, const char *key, char *out, size_t cap);

/* A string of 1..cap-1 characters without NUL bytes, copied into out; with YT_OPTIONAL an
 * absent key leaves out alone. */
int yt_get_string(const yt_section *s, const char *key, int required, char *out, size_t cap);

/* Opens a sub-mapping. child->map is NULL when an optional one is absent. path_buf receives
 * the child's key path and must outlive child. */
int yt_get_section(const yt_section *s, const char *key, int required, yt_section *child,
                   char path_buf[YT_PATH_LEN]);

#endif
