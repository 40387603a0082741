/* yamltree.c - strict YAML reading: libyaml events to a positioned tree, typed getters, errors.
 *
 * The tree keeps every node's start position so that each check can report FILE:LINE:COL. The
 * first problem found fills the report and the caller stops (see yamltree.h). */
#include "yamltree.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---------------------------------------------------------------- errors */

static int vfail_at(const yt_report *r, unsigned long line, unsigned long col, const char *fmt,
                    va_list ap)
{
    char msg[LSNN_ERR_LEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return lsnn_fail(r->e, "%s:%lu:%lu: error: %s", r->file, line, col, msg);
}

/* Fills the error with "FILE:LINE:COL: error: ..." (1-based) and returns -1. */
int yt_fail_at(const yt_report *r, unsigned long line, unsigned long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(r, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---------------------------------------------------------------- the YAML tree */

/* Fails at a yt_node's position. */
int yt_fail_node(const yt_report *r, const yt_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(r, n->line, n->col, fmt, ap);
    va_end(ap);
    return -1;
}

void yt_free(yt_node *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n_items; i++)
        yt_free(n->items[i]);
    free(n->items);
    free(n->text);
    free(n);
}

typedef struct {
    yaml_parser_t parser;
    const char *text; /* the whole input, for positions of encoding errors */
    size_t len;
    yt_report r;
    const char *what;     /* "spec", "hardware config": the format, for messages */
    const char *expected; /* what an empty document should have held */
} loader;

/* Line and column (1-based) of a byte offset in the input. */
static void offset_position(const char *text, size_t len, size_t offset, unsigned long *line,
                            unsigned long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

/* Turns libyaml's error state into our message. Always returns -1. */
static int syntax_error(loader *ld)
{
    const yaml_parser_t *p = &ld->parser;
    unsigned long line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
    if (p->error == YAML_MEMORY_ERROR)
        return yt_fail_at(&ld->r, 1, 1, "out of memory reading YAML");
    if (p->error == YAML_READER_ERROR)
        offset_position(ld->text, ld->len, p->problem_offset, &line, &col);
    const char *problem = p->problem ? p->problem : "malformed input";
    if (p->context)
        return yt_fail_at(&ld->r, line, col, "invalid YAML: %s %s", problem, p->context);
    return yt_fail_at(&ld->r, line, col, "invalid YAML: %s", problem);
}

/* Reads the next event. On a syntax error fills the yt_report and returns -1 (nothing to free). */
static int next_event(loader *ld, yaml_event_t *ev)
{
    if (yaml_parser_parse(&ld->parser, ev)) return 0;
    return syntax_error(ld);
}

static yt_node *new_node(loader *ld, yt_kind kind, const yaml_event_t *ev)
{
    yt_node *n = calloc(1, sizeof *n);
    if (!n) {
        yt_fail_at(&ld->r, 1, 1, "out of memory reading YAML");
        return NULL;
    }
    n->kind = kind;
    n->line = ev->start_mark.line + 1;
    n->col = ev->start_mark.column + 1;
    return n;
}

/* Appends child to a collection; on failure the caller still owns child. */
static int append(loader *ld, yt_node *coll, yt_node *child)
{
    if (coll->n_items == coll->cap) {
        size_t cap = coll->cap ? 2 * coll->cap : 8;
        yt_node **items = realloc(coll->items, cap * sizeof *items);
        if (!items) return yt_fail_at(&ld->r, 1, 1, "out of memory reading YAML");
        coll->items = items;
        coll->cap = cap;
    }
    coll->items[coll->n_items++] = child;
    return 0;
}

/* Refuses the YAML features the spec format leaves out. */
static int refuse_unsupported(loader *ld, const yaml_event_t *ev, int depth)
{
    unsigned long line = ev->start_mark.line + 1, col = ev->start_mark.column + 1;
    const yaml_char_t *tag = NULL;
    if (ev->type != YAML_SCALAR_EVENT && ev->type != YAML_SEQUENCE_START_EVENT &&
        ev->type != YAML_MAPPING_START_EVENT && ev->type != YAML_ALIAS_EVENT)
        return yt_fail_at(&ld->r, line, col, "unexpected YAML structure");
    if (ev->type == YAML_ALIAS_EVENT)
        return yt_fail_at(&ld->r, line, col,
                          "YAML aliases (*name) are not supported; write the value out");
    if (ev->type == YAML_SCALAR_EVENT) tag = ev->data.scalar.tag;
    if (ev->type == YAML_SEQUENCE_START_EVENT) tag = ev->data.sequence_start.tag;
    if (ev->type == YAML_MAPPING_START_EVENT) tag = ev->data.mapping_start.tag;
    if (tag) return yt_fail_at(&ld->r, line, col, "explicit YAML tags (!tag) are not supported");
    if (depth >= YT_MAX_DEPTH)
        return yt_fail_at(&ld->r, line, col, "YAML nesting deeper than %d levels", YT_MAX_DEPTH);
    return 0;
}

static int load_node(loader *ld, yaml_event_t *ev, int depth, yt_node **out);

/* Reads the items of a collection up to its end event. */
static int load_items(loader *ld, yt_node *coll, int depth)
{
    yaml_event_type_t end =
        coll->kind == YT_SEQUENCE ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
    for (;;) {
        yaml_event_t ev;
        if (next_event(ld, &ev)) return -1;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            return 0;
        }
        int is_key = coll->kind == YT_MAPPING && coll->n_items % 2 == 0;
        if (is_key && ev.type != YAML_SCALAR_EVENT && ev.type != YAML_ALIAS_EVENT) {
            yt_fail_at(&ld->r, ev.start_mark.line + 1, ev.start_mark.column + 1,
                       "mapping keys must be plain words, not sequences or mappings");
            yaml_event_delete(&ev);
            return -1;
        }
        yt_node *child;
        if (load_node(ld, &ev, depth + 1, &child)) return -1;
        if (append(ld, coll, child)) {
            yt_free(child);
            return -1;
        }
    }
}

/* Builds the yt_node that starts with ev (a scalar or a collection start) and everything in
 * it. Consumes ev. On failure *out is NULL and nothing is left allocated. */
static int load_node(loader *ld, yaml_event_t *ev, int depth, yt_node **out)
{
    *out = NULL;
    if (refuse_unsupported(ld, ev, depth)) {
        yaml_event_delete(ev);
        return -1;
    }
    yt_kind kind = ev->type == YAML_SCALAR_EVENT           ? YT_SCALAR
                   : ev->type == YAML_SEQUENCE_START_EVENT ? YT_SEQUENCE
                                                           : YT_MAPPING;
    yt_node *n = new_node(ld, kind, ev);
    int rc = n ? 0 : -1;
    if (n && kind == YT_SCALAR) {
        n->len = ev->data.scalar.length;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        n->text = malloc(n->len + 1);
        if (n->text) {
            memcpy(n->text, ev->data.scalar.value, n->len);
            n->text[n->len] = '\0';
        } else {
            rc = yt_fail_at(&ld->r, 1, 1, "out of memory reading YAML");
        }
    }
    yaml_event_delete(ev);
    if (rc == 0 && kind != YT_SCALAR) rc = load_items(ld, n, depth);
    if (rc) {
        yt_free(n);
        return -1;
    }
    *out = n;
    return 0;
}

/* Reads the single document of the stream into *root. */
static int load_document(loader *ld, yt_node **root)
{
    yaml_event_t ev;
    *root = NULL;
    if (next_event(ld, &ev)) return -1; /* stream start */
    yaml_event_delete(&ev);
    if (next_event(ld, &ev)) return -1;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return yt_fail_at(&ld->r, 1, 1, "the %s is empty; expected %s", ld->what, ld->expected);
    }
    yaml_event_delete(&ev); /* document start */
    if (next_event(ld, &ev)) return -1;
    if (load_node(ld, &ev, 0, root)) return -1;
    if (next_event(ld, &ev)) goto fail; /* document end */
    yaml_event_delete(&ev);
    if (next_event(ld, &ev)) goto fail;
    if (ev.type != YAML_STREAM_END_EVENT) {
        yt_fail_at(&ld->r, ev.start_mark.line + 1, ev.start_mark.column + 1,
                   "a %s holds one YAML document; found a second one", ld->what);
        yaml_event_delete(&ev);
        goto fail;
    }
    yaml_event_delete(&ev);
    return 0;
fail:
    yt_free(*root);
    *root = NULL;
    return -1;
}

int yt_load(const yt_report *r, const char *text, size_t len, const char *what,
            const char *expected, yt_node **root)
{
    loader ld = {.text = text ? text : "",
                 .len = text ? len : 0,
                 .r = *r,
                 .what = what,
                 .expected = expected};
    *root = NULL;
    if (!yaml_parser_initialize(&ld.parser))
        return yt_fail_at(r, 1, 1, "out of memory reading YAML");
    yaml_parser_set_input_string(&ld.parser, (const unsigned char *)ld.text, ld.len);
    int rc = load_document(&ld, root);
    yaml_parser_delete(&ld.parser);
    return rc;
}

/* ---------------------------------------------------------------- reading typed values */

/* 1 if a scalar's text is exactly word. */
int yt_text_is(const yt_node *scalar, const char *word)
{
    return scalar->len == strlen(word) && memcmp(scalar->text, word, scalar->len) == 0;
}

/* The value of the first occurrence of key in a mapping, or NULL. */
const yt_node *yt_lookup(const yt_node *map, const char *key)
{
    if (!map) return NULL;
    for (size_t i = 0; i + 1 < map->n_items; i += 2)
        if (yt_text_is(map->items[i], key)) return map->items[i + 1];
    return NULL;
}

/* The key yt_node itself (for errors about the key rather than its value), or NULL. */
const yt_node *yt_lookup_key(const yt_node *map, const char *key)
{
    if (!map) return NULL;
    for (size_t i = 0; i + 1 < map->n_items; i += 2)
        if (yt_text_is(map->items[i], key)) return map->items[i];
    return NULL;
}

void yt_key_path(const yt_section *s, const char *key, char *out, size_t n)
{
    if (s->path[0])
        snprintf(out, n, "%s.%s", s->path, key);
    else
        snprintf(out, n, "%s", key);
}

/* "in network.readout" or "at the top level", for messages about keys. */
void yt_where(const yt_section *s, char *out, size_t n)
{
    if (s->path[0])
        snprintf(out, n, "in %s", s->path);
    else
        snprintf(out, n, "at the top level");
}

/* The user's text, shortened and with control characters as '?', safe to print. */
const char *yt_excerpt(const yt_node *v, char *buf, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < v->len && k + 4 < n && i < YT_EXCERPT_MAX; i++) {
        unsigned char c = (unsigned char)v->text[i];
        buf[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (v->len > YT_EXCERPT_MAX && k + 4 < n) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

/* What a value is, for "got ..." in type errors: 'text', an empty value, a mapping, ... */
const char *yt_describe(const yt_node *v, char *buf, size_t n)
{
    char text[YT_WHAT_LEN];
    if (v->kind == YT_SEQUENCE) return "a sequence";
    if (v->kind == YT_MAPPING) return "a mapping";
    if (v->plain && v->len == 0) return "an empty value";
    snprintf(buf, n, "'%s'", yt_excerpt(v, text, sizeof text));
    return buf;
}

static int in_list(const yt_node *key, const char *const *names)
{
    for (; *names; names++)
        if (yt_text_is(key, *names)) return 1;
    return 0;
}

void yt_join_names(const char *const *names, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (; *names && k < n; names++)
        k += snprintf(out + k, n - k, "%s%s", k ? ", " : "", *names);
}

/* Every key of the yt_section is one of allowed and appears once. */
int yt_check_keys(const yt_section *s, const char *const *allowed)
{
    char place[YT_PATH_LEN + 8], text[YT_WHAT_LEN], names[512];
    for (size_t i = 0; i + 1 < s->map->n_items; i += 2) {
        const yt_node *key = s->map->items[i];
        yt_where(s, place, sizeof place);
        if (!in_list(key, allowed)) {
            yt_join_names(allowed, names, sizeof names);
            return yt_fail_node(s->r, key, "unknown key '%s' %s; allowed keys: %s",
                                yt_excerpt(key, text, sizeof text), place, names);
        }
        for (size_t j = 0; j < i; j += 2) {
            const yt_node *first = s->map->items[j];
            if (key->len == first->len && memcmp(key->text, first->text, key->len) == 0)
                return yt_fail_node(s->r, key, "duplicate key '%s' %s (first given at %lu:%lu)",
                                    yt_excerpt(key, text, sizeof text), place, first->line,
                                    first->col);
        }
    }
    return 0;
}

/* Fails at the first key of keys present in the yt_section: it belongs to another kind. */
int yt_refuse_keys(const yt_section *s, const char *const *keys, const char *why)
{
    char path[YT_PATH_LEN];
    for (; *keys; keys++) {
        const yt_node *key = yt_lookup_key(s->map, *keys);
        if (!key) continue;
        yt_key_path(s, *keys, path, sizeof path);
        return yt_fail_node(s->r, key, "%s is %s", path, why);
    }
    return 0;
}

/* Finds a key's value: *out is NULL when an optional key is absent. */
int yt_field(const yt_section *s, const char *key, int required, const yt_node **out)
{
    char place[YT_PATH_LEN + 8];
    *out = yt_lookup(s->map, key);
    if (*out || !required) return 0;
    yt_where(s, place, sizeof place);
    return yt_fail_node(s->r, s->map, "missing required key '%s' %s", key, place);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 1 if text is a decimal number as YAML writes one: [+-] digits [. digits] [e [+-] digits].
 * *is_integer is set when it has neither point nor exponent. Leading zeros ("010") are
 * refused: YAML 1.1 readers take them as octal. .inf, .nan, hex and the like are not numbers. */
int yt_is_decimal_number(const char *t, size_t len, int *is_integer)
{
    size_t i = 0, int_digits = 0, frac_digits = 0, exp_digits = 0;
    int point = 0, exponent = 0;
    if (i < len && (t[i] == '+' || t[i] == '-')) i++;
    size_t first = i;
    for (; i < len && is_digit(t[i]); i++)
        int_digits++;
    if (int_digits > 1 && t[first] == '0') return 0;
    if (i < len && t[i] == '.') {
        point = 1;
        for (i++; i < len && is_digit(t[i]); i++)
            frac_digits++;
    }
    if (int_digits + frac_digits == 0) return 0;
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        exponent = 1;
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-')) i++;
        for (; i < len && is_digit(t[i]); i++)
            exp_digits++;
        if (exp_digits == 0) return 0;
    }
    *is_integer = !point && !exponent;
    return i == len;
}

static int in_range(double x, const yt_range *r)
{
    if (r->lo_open ? !(x > r->lo) : !(x >= r->lo)) return 0;
    if (r->hi_open ? !(x < r->hi) : !(x <= r->hi)) return 0;
    return 1;
}

int yt_real_value(const yt_report *r, const yt_node *v, const char *path, yt_range range,
                  double *out)
{
    char text[YT_WHAT_LEN], what[YT_WHAT_LEN];
    int is_integer;
    if (v->kind != YT_SCALAR || !v->plain || !yt_is_decimal_number(v->text, v->len, &is_integer))
        return yt_fail_node(r, v, "%s must be a number, got %s", path,
                            yt_describe(v, what, sizeof what));
    double x = strtod(v->text, NULL);
    if (!isfinite(x))
        return yt_fail_node(r, v, "%s must be a finite number in %s, got %s", path, range.text,
                            yt_excerpt(v, text, sizeof text));
    if (!in_range(x, &range))
        return yt_fail_node(r, v, "%s must be in %s, got %s", path, range.text,
                            yt_excerpt(v, text, sizeof text));
    *out = x;
    return 0;
}

int yt_get_real(const yt_section *s, const char *key, int required, yt_range range, double *out)
{
    char path[YT_PATH_LEN];
    const yt_node *v;
    if (yt_field(s, key, required, &v)) return -1;
    if (!v) return 0;
    yt_key_path(s, key, path, sizeof path);
    return yt_real_value(s->r, v, path, range, out);
}

int yt_integer_value(const yt_report *r, const yt_node *v, const char *path, long long lo,
                     long long hi, long long *out)
{
    char text[YT_WHAT_LEN], what[YT_WHAT_LEN];
    int is_integer = 0;
    if (v->kind != YT_SCALAR || !v->plain || !yt_is_decimal_number(v->text, v->len, &is_integer) ||
        !is_integer)
        return yt_fail_node(r, v, "%s must be an integer, got %s", path,
                            yt_describe(v, what, sizeof what));
    errno = 0;
    long long x = strtoll(v->text, NULL, 10);
    if (errno == ERANGE || x < lo || x > hi)
        return yt_fail_node(r, v, "%s must be an integer in [%lld, %lld], got %s", path, lo, hi,
                            yt_excerpt(v, text, sizeof text));
    *out = x;
    return 0;
}

int yt_get_integer(const yt_section *s, const char *key, int required, long long lo, long long hi,
                   long long *out)
{
    char path[YT_PATH_LEN];
    const yt_node *v;
    if (yt_field(s, key, required, &v)) return -1;
    if (!v) return 0;
    yt_key_path(s, key, path, sizeof path);
    return yt_integer_value(s->r, v, path, lo, hi, out);
}

int yt_get_int(const yt_section *s, const char *key, int required, int lo, int hi, int *out)
{
    long long x = *out;
    if (yt_get_integer(s, key, required, lo, hi, &x)) return -1;
    *out = (int)x;
    return 0;
}

int yt_get_long(const yt_section *s, const char *key, int required, long lo, long hi, long *out)
{
    long long x = *out;
    if (yt_get_integer(s, key, required, lo, hi, &x)) return -1;
    *out = (long)x;
    return 0;
}

/* Reads true or false into 1 or 0. */
int yt_get_bool(const yt_section *s, const char *key, int required, int *out)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    const yt_node *v;
    if (yt_field(s, key, required, &v)) return -1;
    if (!v) return 0;
    if (v->kind == YT_SCALAR && v->plain && (yt_text_is(v, "true") || yt_text_is(v, "false"))) {
        *out = yt_text_is(v, "true");
        return 0;
    }
    yt_key_path(s, key, path, sizeof path);
    return yt_fail_node(s->r, v, "%s must be true or false, got %s", path,
                        yt_describe(v, what, sizeof what));
}

/* Reads one of names (a NULL-terminated list) into its index. */
int yt_get_enum(const yt_section *s, const char *key, int required, const char *const *names,
                int *out)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN], list[256];
    const yt_node *v;
    if (yt_field(s, key, required, &v)) return -1;
    if (!v) return 0;
    if (v->kind == YT_SCALAR)
        for (int i = 0; names[i]; i++)
            if (yt_text_is(v, names[i])) {
                *out = i;
                return 0;
            }
    yt_key_path(s, key, path, sizeof path);
    yt_join_names(names, list, sizeof list);
    return yt_fail_node(s->r, v, "%s must be one of %s, got %s", path, list,
                        yt_describe(v, what, sizeof what));
}

/* Finds a scalar value (any style): *out is NULL when an optional key is absent. */
int yt_get_scalar(const yt_section *s, const char *key, int required, const yt_node **out)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    if (yt_field(s, key, required, out)) return -1;
    if (!*out || (*out)->kind == YT_SCALAR) return 0;
    yt_key_path(s, key, path, sizeof path);
    return yt_fail_node(s->r, *out, "%s must be a string, got %s", path,
                        yt_describe(*out, what, sizeof what));
}

/* Reads a name: 1..cap-1 characters of [A-Za-z0-9_.-]. */
int yt_get_name(const yt_section *s, const char *key, char *out, size_t cap)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    const yt_node *v;
    if (yt_get_scalar(s, key, YT_REQUIRED, &v)) return -1;
    int ok = v->len >= 1 && v->len < cap;
    for (size_t i = 0; ok && i < v->len; i++) {
        char c = v->text[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
             c == '.' || c == '-';
    }
    if (!ok) {
        yt_key_path(s, key, path, sizeof path);
        return yt_fail_node(s->r, v, "%s must be 1 to %d characters of A-Z a-z 0-9 _ . -, got %s",
                            path, (int)(cap - 1), yt_describe(v, what, sizeof what));
    }
    memcpy(out, v->text, v->len + 1);
    return 0;
}

int yt_get_string(const yt_section *s, const char *key, int required, char *out, size_t cap)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    const yt_node *v;
    if (yt_get_scalar(s, key, required, &v)) return -1;
    if (!v) return 0;
    if (v->len == 0 || v->len >= cap || strlen(v->text) != v->len) {
        yt_key_path(s, key, path, sizeof path);
        return yt_fail_node(s->r, v, "%s must be a string of 1 to %d characters, got %s", path,
                            (int)(cap - 1), yt_describe(v, what, sizeof what));
    }
    memcpy(out, v->text, v->len + 1);
    return 0;
}

/* Opens a sub-mapping. child->map is NULL when an optional one is absent. path_buf holds
 * the child's key path and must outlive child. */
int yt_get_section(const yt_section *s, const char *key, int required, yt_section *child,
                   char path_buf[YT_PATH_LEN])
{
    char what[YT_WHAT_LEN];
    const yt_node *v;
    yt_key_path(s, key, path_buf, YT_PATH_LEN);
    *child = (yt_section){s->r, NULL, path_buf};
    if (yt_field(s, key, required, &v)) return -1;
    if (!v) return 0;
    if (v->kind != YT_MAPPING)
        return yt_fail_node(s->r, v, "%s must be a mapping of keys, got %s", path_buf,
                            yt_describe(v, what, sizeof what));
    child->map = v;
    return 0;
}
