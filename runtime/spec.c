/* spec.c - the model spec: strict YAML parsing into lsnn_spec, with FILE:LINE:COL errors.
 *
 * Two stages. First the libyaml event stream becomes a small tree of scalars, sequences
 * and mappings in which every node remembers where it starts; aliases, explicit tags,
 * non-scalar keys and a second document are refused there. Then the tree is checked
 * section by section against the schema of docs/model-spec.md while an lsnn_spec that
 * starts at the defaults is filled in. The first problem found is reported and parsing
 * stops; the caller's struct is only written on success. */
#include "spec.h"

#include "fileio.h"
#include "smnist.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH   32 /* YAML nesting accepted (the schema itself needs 5) */
#define EXCERPT_MAX 40 /* characters of the user's text quoted in a message */
#define PATH_LEN    96 /* "network.populations[7].tau_a_ms" and the like */

enum { OPTIONAL = 0, REQUIRED = 1 };

/* ---------------------------------------------------------------- errors */

typedef struct {
    const char *file;
    lsnn_error *e;
} report;

static int vfail_at(const report *r, unsigned long line, unsigned long col, const char *fmt,
                    va_list ap)
{
    char msg[LSNN_ERR_LEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return lsnn_fail(r->e, "%s:%lu:%lu: error: %s", r->file, line, col, msg);
}

/* Fills the error with "FILE:LINE:COL: error: ..." (1-based) and returns -1. */
__attribute__((format(printf, 4, 5))) static int fail_at(const report *r, unsigned long line,
                                                         unsigned long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(r, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---------------------------------------------------------------- the YAML tree */

typedef enum { NODE_SCALAR, NODE_SEQUENCE, NODE_MAPPING } node_kind;

typedef struct node {
    node_kind kind;
    unsigned long line, col; /* 1-based position of the node's first character */
    char *text;              /* scalar: the value, NUL-terminated (it may hold NULs too) */
    size_t len;              /* scalar: bytes in text */
    int plain;               /* scalar: unquoted, so it may be a number or a boolean */
    struct node **items;     /* sequence: the items; mapping: key 2i and its value 2i+1 */
    size_t n_items, cap;
} node;

/* Fails at a node's position. */
__attribute__((format(printf, 3, 4))) static int fail_node(const report *r, const node *n,
                                                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(r, n->line, n->col, fmt, ap);
    va_end(ap);
    return -1;
}

static void free_node(node *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n_items; i++)
        free_node(n->items[i]);
    free(n->items);
    free(n->text);
    free(n);
}

typedef struct {
    yaml_parser_t parser;
    const char *text; /* the whole input, for positions of encoding errors */
    size_t len;
    report r;
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
    if (p->error == YAML_MEMORY_ERROR) return fail_at(&ld->r, 1, 1, "out of memory reading YAML");
    if (p->error == YAML_READER_ERROR)
        offset_position(ld->text, ld->len, p->problem_offset, &line, &col);
    const char *problem = p->problem ? p->problem : "malformed input";
    if (p->context) return fail_at(&ld->r, line, col, "invalid YAML: %s %s", problem, p->context);
    return fail_at(&ld->r, line, col, "invalid YAML: %s", problem);
}

/* Reads the next event. On a syntax error fills the report and returns -1 (nothing to free). */
static int next_event(loader *ld, yaml_event_t *ev)
{
    if (yaml_parser_parse(&ld->parser, ev)) return 0;
    return syntax_error(ld);
}

static node *new_node(loader *ld, node_kind kind, const yaml_event_t *ev)
{
    node *n = calloc(1, sizeof *n);
    if (!n) {
        fail_at(&ld->r, 1, 1, "out of memory reading YAML");
        return NULL;
    }
    n->kind = kind;
    n->line = ev->start_mark.line + 1;
    n->col = ev->start_mark.column + 1;
    return n;
}

/* Appends child to a collection; on failure the caller still owns child. */
static int append(loader *ld, node *coll, node *child)
{
    if (coll->n_items == coll->cap) {
        size_t cap = coll->cap ? 2 * coll->cap : 8;
        node **items = realloc(coll->items, cap * sizeof *items);
        if (!items) return fail_at(&ld->r, 1, 1, "out of memory reading YAML");
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
        return fail_at(&ld->r, line, col, "unexpected YAML structure");
    if (ev->type == YAML_ALIAS_EVENT)
        return fail_at(&ld->r, line, col,
                       "YAML aliases (*name) are not supported; write the value out");
    if (ev->type == YAML_SCALAR_EVENT) tag = ev->data.scalar.tag;
    if (ev->type == YAML_SEQUENCE_START_EVENT) tag = ev->data.sequence_start.tag;
    if (ev->type == YAML_MAPPING_START_EVENT) tag = ev->data.mapping_start.tag;
    if (tag) return fail_at(&ld->r, line, col, "explicit YAML tags (!tag) are not supported");
    if (depth >= MAX_DEPTH)
        return fail_at(&ld->r, line, col, "YAML nesting deeper than %d levels", MAX_DEPTH);
    return 0;
}

static int load_node(loader *ld, yaml_event_t *ev, int depth, node **out);

/* Reads the items of a collection up to its end event. */
static int load_items(loader *ld, node *coll, int depth)
{
    yaml_event_type_t end =
        coll->kind == NODE_SEQUENCE ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
    for (;;) {
        yaml_event_t ev;
        if (next_event(ld, &ev)) return -1;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            return 0;
        }
        int is_key = coll->kind == NODE_MAPPING && coll->n_items % 2 == 0;
        if (is_key && ev.type != YAML_SCALAR_EVENT && ev.type != YAML_ALIAS_EVENT) {
            fail_at(&ld->r, ev.start_mark.line + 1, ev.start_mark.column + 1,
                    "mapping keys must be plain words, not sequences or mappings");
            yaml_event_delete(&ev);
            return -1;
        }
        node *child;
        if (load_node(ld, &ev, depth + 1, &child)) return -1;
        if (append(ld, coll, child)) {
            free_node(child);
            return -1;
        }
    }
}

/* Builds the node that starts with ev (a scalar or a collection start) and everything in
 * it. Consumes ev. On failure *out is NULL and nothing is left allocated. */
static int load_node(loader *ld, yaml_event_t *ev, int depth, node **out)
{
    *out = NULL;
    if (refuse_unsupported(ld, ev, depth)) {
        yaml_event_delete(ev);
        return -1;
    }
    node_kind kind = ev->type == YAML_SCALAR_EVENT           ? NODE_SCALAR
                     : ev->type == YAML_SEQUENCE_START_EVENT ? NODE_SEQUENCE
                                                             : NODE_MAPPING;
    node *n = new_node(ld, kind, ev);
    int rc = n ? 0 : -1;
    if (n && kind == NODE_SCALAR) {
        n->len = ev->data.scalar.length;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        n->text = malloc(n->len + 1);
        if (n->text) {
            memcpy(n->text, ev->data.scalar.value, n->len);
            n->text[n->len] = '\0';
        } else {
            rc = fail_at(&ld->r, 1, 1, "out of memory reading YAML");
        }
    }
    yaml_event_delete(ev);
    if (rc == 0 && kind != NODE_SCALAR) rc = load_items(ld, n, depth);
    if (rc) {
        free_node(n);
        return -1;
    }
    *out = n;
    return 0;
}

/* Reads the single document of the stream into *root. */
static int load_document(loader *ld, node **root)
{
    yaml_event_t ev;
    *root = NULL;
    if (next_event(ld, &ev)) return -1; /* stream start */
    yaml_event_delete(&ev);
    if (next_event(ld, &ev)) return -1;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return fail_at(&ld->r, 1, 1,
                       "the spec is empty; expected a mapping with keys version, name, network, "
                       "task and training");
    }
    yaml_event_delete(&ev); /* document start */
    if (next_event(ld, &ev)) return -1;
    if (load_node(ld, &ev, 0, root)) return -1;
    if (next_event(ld, &ev)) goto fail; /* document end */
    yaml_event_delete(&ev);
    if (next_event(ld, &ev)) goto fail;
    if (ev.type != YAML_STREAM_END_EVENT) {
        fail_at(&ld->r, ev.start_mark.line + 1, ev.start_mark.column + 1,
                "a spec holds one YAML document; found a second one");
        yaml_event_delete(&ev);
        goto fail;
    }
    yaml_event_delete(&ev);
    return 0;
fail:
    free_node(*root);
    *root = NULL;
    return -1;
}

/* Parses text into a tree. On failure *root is NULL and the report is filled. */
static int load_tree(const report *r, const char *text, size_t len, node **root)
{
    loader ld = {.text = text, .len = len, .r = *r};
    *root = NULL;
    if (!yaml_parser_initialize(&ld.parser)) return fail_at(r, 1, 1, "out of memory reading YAML");
    yaml_parser_set_input_string(&ld.parser, (const unsigned char *)text, len);
    int rc = load_document(&ld, root);
    yaml_parser_delete(&ld.parser);
    return rc;
}

/* ---------------------------------------------------------------- reading typed values */

/* A section of the spec being checked: a mapping and its key path ("" at the top level). */
typedef struct {
    const report *r;
    const node *map;
    const char *path;
} section;

/* An interval of reals; text is how messages show it, e.g. "(0, 1e6]". */
typedef struct {
    double lo, hi;
    int lo_open, hi_open;
    const char *text;
} real_range;

#define OPEN_CLOSED(lo, hi) ((real_range){lo, hi, 1, 0, "(" #lo ", " #hi "]"})
#define CLOSED(lo, hi)      ((real_range){lo, hi, 0, 0, "[" #lo ", " #hi "]"})
#define CLOSED_OPEN(lo, hi) ((real_range){lo, hi, 0, 1, "[" #lo ", " #hi ")"})
#define OPEN(lo, hi)        ((real_range){lo, hi, 1, 1, "(" #lo ", " #hi ")"})

/* 1 if a scalar's text is exactly word. */
static int text_is(const node *scalar, const char *word)
{
    return scalar->len == strlen(word) && memcmp(scalar->text, word, scalar->len) == 0;
}

/* The value of the first occurrence of key in a mapping, or NULL. */
static const node *lookup(const node *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->n_items; i += 2)
        if (text_is(map->items[i], key)) return map->items[i + 1];
    return NULL;
}

/* The key node itself (for errors about the key rather than its value), or NULL. */
static const node *lookup_key(const node *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->n_items; i += 2)
        if (text_is(map->items[i], key)) return map->items[i];
    return NULL;
}

static void key_path(const section *s, const char *key, char *out, size_t n)
{
    if (s->path[0])
        snprintf(out, n, "%s.%s", s->path, key);
    else
        snprintf(out, n, "%s", key);
}

/* "in network.readout" or "at the top level", for messages about keys. */
static void where(const section *s, char *out, size_t n)
{
    if (s->path[0])
        snprintf(out, n, "in %s", s->path);
    else
        snprintf(out, n, "at the top level");
}

/* The user's text, shortened and with control characters as '?', safe to print. */
static const char *excerpt(const node *v, char *buf, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < v->len && k + 4 < n && i < EXCERPT_MAX; i++) {
        unsigned char c = (unsigned char)v->text[i];
        buf[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (v->len > EXCERPT_MAX && k + 4 < n) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
    return buf;
}

/* What a value is, for "got ..." in type errors: 'text', an empty value, a mapping, ... */
static const char *describe(const node *v, char *buf, size_t n)
{
    char text[EXCERPT_MAX + 8];
    if (v->kind == NODE_SEQUENCE) return "a sequence";
    if (v->kind == NODE_MAPPING) return "a mapping";
    if (v->plain && v->len == 0) return "an empty value";
    snprintf(buf, n, "'%s'", excerpt(v, text, sizeof text));
    return buf;
}

static int in_list(const node *key, const char *const *names)
{
    for (; *names; names++)
        if (text_is(key, *names)) return 1;
    return 0;
}

static void join_names(const char *const *names, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (; *names && k < n; names++)
        k += snprintf(out + k, n - k, "%s%s", k ? ", " : "", *names);
}

/* Every key of the section is one of allowed and appears once. */
static int check_keys(const section *s, const char *const *allowed)
{
    char place[PATH_LEN + 8], text[EXCERPT_MAX + 8], names[512];
    for (size_t i = 0; i + 1 < s->map->n_items; i += 2) {
        const node *key = s->map->items[i];
        where(s, place, sizeof place);
        if (!in_list(key, allowed)) {
            join_names(allowed, names, sizeof names);
            return fail_node(s->r, key, "unknown key '%s' %s; allowed keys: %s",
                             excerpt(key, text, sizeof text), place, names);
        }
        for (size_t j = 0; j < i; j += 2) {
            const node *first = s->map->items[j];
            if (key->len == first->len && memcmp(key->text, first->text, key->len) == 0)
                return fail_node(s->r, key, "duplicate key '%s' %s (first given at %lu:%lu)",
                                 excerpt(key, text, sizeof text), place, first->line, first->col);
        }
    }
    return 0;
}

/* Fails at the first key of keys present in the section: it belongs to another kind. */
static int refuse_keys(const section *s, const char *const *keys, const char *why)
{
    char path[PATH_LEN];
    for (; *keys; keys++) {
        const node *key = lookup_key(s->map, *keys);
        if (!key) continue;
        key_path(s, *keys, path, sizeof path);
        return fail_node(s->r, key, "%s is %s", path, why);
    }
    return 0;
}

/* Finds a key's value: *out is NULL when an optional key is absent. */
static int field(const section *s, const char *key, int required, const node **out)
{
    char place[PATH_LEN + 8];
    *out = lookup(s->map, key);
    if (*out || !required) return 0;
    where(s, place, sizeof place);
    return fail_node(s->r, s->map, "missing required key '%s' %s", key, place);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 1 if text is a decimal number as YAML writes one: [+-] digits [. digits] [e [+-] digits].
 * *is_integer is set when it has neither point nor exponent. Leading zeros ("010") are
 * refused: YAML 1.1 readers take them as octal. .inf, .nan, hex and the like are not numbers. */
static int is_decimal_number(const char *t, size_t len, int *is_integer)
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

static int in_range(double x, const real_range *r)
{
    if (r->lo_open ? !(x > r->lo) : !(x >= r->lo)) return 0;
    if (r->hi_open ? !(x < r->hi) : !(x <= r->hi)) return 0;
    return 1;
}

/* Reads a real number in range (optional keys absent leave *out alone). */
static int get_real(const section *s, const char *key, int required, real_range range, double *out)
{
    char path[PATH_LEN], text[EXCERPT_MAX + 8], what[EXCERPT_MAX + 8];
    const node *v;
    int is_integer;
    if (field(s, key, required, &v)) return -1;
    if (!v) return 0;
    key_path(s, key, path, sizeof path);
    if (v->kind != NODE_SCALAR || !v->plain || !is_decimal_number(v->text, v->len, &is_integer))
        return fail_node(s->r, v, "%s must be a number, got %s", path,
                         describe(v, what, sizeof what));
    double x = strtod(v->text, NULL);
    if (!isfinite(x))
        return fail_node(s->r, v, "%s must be a finite number in %s, got %s", path, range.text,
                         excerpt(v, text, sizeof text));
    if (!in_range(x, &range))
        return fail_node(s->r, v, "%s must be in %s, got %s", path, range.text,
                         excerpt(v, text, sizeof text));
    *out = x;
    return 0;
}

/* Reads an integer in lo..hi (optional keys absent leave *out alone). */
static int get_integer(const section *s, const char *key, int required, long long lo, long long hi,
                       long long *out)
{
    char path[PATH_LEN], text[EXCERPT_MAX + 8], what[EXCERPT_MAX + 8];
    const node *v;
    int is_integer = 0;
    if (field(s, key, required, &v)) return -1;
    if (!v) return 0;
    key_path(s, key, path, sizeof path);
    if (v->kind != NODE_SCALAR || !v->plain || !is_decimal_number(v->text, v->len, &is_integer) ||
        !is_integer)
        return fail_node(s->r, v, "%s must be an integer, got %s", path,
                         describe(v, what, sizeof what));
    errno = 0;
    long long x = strtoll(v->text, NULL, 10);
    if (errno == ERANGE || x < lo || x > hi)
        return fail_node(s->r, v, "%s must be an integer in [%lld, %lld], got %s", path, lo, hi,
                         excerpt(v, text, sizeof text));
    *out = x;
    return 0;
}

static int get_int(const section *s, const char *key, int required, int lo, int hi, int *out)
{
    long long x = *out;
    if (get_integer(s, key, required, lo, hi, &x)) return -1;
    *out = (int)x;
    return 0;
}

static int get_long(const section *s, const char *key, int required, long lo, long hi, long *out)
{
    long long x = *out;
    if (get_integer(s, key, required, lo, hi, &x)) return -1;
    *out = (long)x;
    return 0;
}

/* Reads true or false into 1 or 0. */
static int get_bool(const section *s, const char *key, int required, int *out)
{
    char path[PATH_LEN], what[EXCERPT_MAX + 8];
    const node *v;
    if (field(s, key, required, &v)) return -1;
    if (!v) return 0;
    if (v->kind == NODE_SCALAR && v->plain && (text_is(v, "true") || text_is(v, "false"))) {
        *out = text_is(v, "true");
        return 0;
    }
    key_path(s, key, path, sizeof path);
    return fail_node(s->r, v, "%s must be true or false, got %s", path,
                     describe(v, what, sizeof what));
}

/* Reads one of names (a NULL-terminated list) into its index. */
static int get_enum(const section *s, const char *key, int required, const char *const *names,
                    int *out)
{
    char path[PATH_LEN], what[EXCERPT_MAX + 8], list[256];
    const node *v;
    if (field(s, key, required, &v)) return -1;
    if (!v) return 0;
    if (v->kind == NODE_SCALAR)
        for (int i = 0; names[i]; i++)
            if (text_is(v, names[i])) {
                *out = i;
                return 0;
            }
    key_path(s, key, path, sizeof path);
    join_names(names, list, sizeof list);
    return fail_node(s->r, v, "%s must be one of %s, got %s", path, list,
                     describe(v, what, sizeof what));
}

/* Finds a scalar value (any style): *out is NULL when an optional key is absent. */
static int get_scalar(const section *s, const char *key, int required, const node **out)
{
    char path[PATH_LEN], what[EXCERPT_MAX + 8];
    if (field(s, key, required, out)) return -1;
    if (!*out || (*out)->kind == NODE_SCALAR) return 0;
    key_path(s, key, path, sizeof path);
    return fail_node(s->r, *out, "%s must be a string, got %s", path,
                     describe(*out, what, sizeof what));
}

/* Reads a name: 1..LSNN_NAME_MAX-1 characters of [A-Za-z0-9_.-]. */
static int get_name(const section *s, const char *key, char out[LSNN_NAME_MAX])
{
    char path[PATH_LEN], what[EXCERPT_MAX + 8];
    const node *v;
    if (get_scalar(s, key, REQUIRED, &v)) return -1;
    int ok = v->len >= 1 && v->len < LSNN_NAME_MAX;
    for (size_t i = 0; ok && i < v->len; i++) {
        char c = v->text[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
             c == '.' || c == '-';
    }
    if (!ok) {
        key_path(s, key, path, sizeof path);
        return fail_node(s->r, v, "%s must be 1 to %d characters of A-Z a-z 0-9 _ . -, got %s",
                         path, LSNN_NAME_MAX - 1, describe(v, what, sizeof what));
    }
    memcpy(out, v->text, v->len + 1);
    return 0;
}

/* Opens a sub-mapping. child->map is NULL when an optional one is absent. path_buf holds
 * the child's key path and must outlive child. */
static int get_section(const section *s, const char *key, int required, section *child,
                       char path_buf[PATH_LEN])
{
    char what[EXCERPT_MAX + 8];
    const node *v;
    key_path(s, key, path_buf, PATH_LEN);
    *child = (section){s->r, NULL, path_buf};
    if (field(s, key, required, &v)) return -1;
    if (!v) return 0;
    if (v->kind != NODE_MAPPING)
        return fail_node(s->r, v, "%s must be a mapping of keys, got %s", path_buf,
                         describe(v, what, sizeof what));
    child->map = v;
    return 0;
}

/* ---------------------------------------------------------------- the schema */

static const char *const top_keys[] = {"version", "name",     "seed", "network",
                                       "task",    "training", NULL};
static const char *const network_keys[] = {"dt_ms",       "spike_from", "inputs",
                                           "populations", "delays",     "connectivity",
                                           "readout",     "gamma",      NULL};
static const char *const population_keys[] = {"name",       "kind",     "size", "tau_m_ms", "b0",
                                              "refractory", "tau_a_ms", "beta", NULL};
static const char *const adaptation_keys[] = {"tau_a_ms", "beta", NULL};
static const char *const readout_keys[] = {"size", "tau_ms", "bias", NULL};
static const char *const connectivity_keys[] = {"mode",        "p",    "budget",     "soft", "l1",
                                                "temperature", "dale", "excitatory", NULL};
static const char *const budget_key[] = {"budget", NULL};
static const char *const excitatory_key[] = {"excitatory", NULL};
static const char *const store_recall_keys[] = {"kind",      "values",    "group_size",
                                                "char_ms",   "n_chars",   "rate_hz",
                                                "seq_delay", "test_size", NULL};
static const char *const smnist_keys[] = {"kind",          "dataset",     "data_dir",   "ext_time",
                                          "readout_steps", "train_limit", "test_limit", NULL};
static const char *const training_keys[] = {
    "batch_size",       "iterations", "optimizer",    "lr_schedule", "regularization",
    "checkpoint_every", "eval_every", "eval_batches", "stop_error",  NULL};
static const char *const optimizer_keys[] = {"kind", "lr", "beta1", "beta2", "eps", NULL};
static const char *const schedule_keys[] = {"kind", "factor", "every", NULL};
static const char *const regularization_keys[] = {"rate", "target_hz", NULL};

static const char *const neuron_kinds[] = {"lif", "alif", NULL}; /* lsnn_neuron_kind order */
static const char *const spike_from_names[] = {"new_v", "prev_v", NULL};
static const char *const conn_names[] = {"dense", "deep_r", NULL}; /* lsnn_conn_mode order */
static const char *const budget_names[] = {"global", "per_matrix", NULL};
static const char *const task_kinds[] = {"store_recall", "smnist", NULL};
static const char *const dataset_names[] = {"mnist", "fashion", NULL};
static const char *const optimizer_kinds[] = {"adam", NULL};
static const char *const schedule_kinds[] = {"step", NULL};

#define SMNIST_CLASSES 10
#define SMNIST_CUE     56 /* cue (readout) steps per ext_time */
#define MNIST_DIR      "data/mnist"
#define FASHION_DIR    "/usr/share/datasets/fashion-mnist"

/* Every field at its documented default (the required ones at zero). */
static void set_defaults(lsnn_spec *s)
{
    memset(s, 0, sizeof *s);
    s->version = LSNN_SPEC_VERSION;
    s->seed = 1;
    s->dt_ms = 1;
    s->spike_from = LSNN_SPIKE_FROM_NEW_V;
    s->n_delay = 1;
    s->connectivity = LSNN_CONN_DENSE;
    s->deepr = (lsnn_deepr_spec){.budget = LSNN_BUDGET_GLOBAL,
                                 .l1 = 0.01,
                                 .temperature = 0,
                                 .dale = 1,
                                 .excitatory = 0.75}; /* LSNN-official sMNIST tutorial */
    s->tau_out_ms = 20;
    s->readout_bias = 1;
    s->gamma = 0.3;
    s->task = LSNN_TASK_STORE_RECALL;
    s->store_recall = (lsnn_store_recall_spec){.values = 2,
                                               .group_size = 25,
                                               .char_ms = 200,
                                               .n_chars = 12,
                                               .rate_hz = 50,
                                               .seq_delay = 6,
                                               .test_size = 1024};
    s->smnist.dataset = LSNN_DATA_MNIST;
    strcpy(s->smnist.data_dir, MNIST_DIR);
    s->smnist.ext_time = 1;
    s->smnist.readout_steps = 28;
    s->lr = 0.01;
    s->adam_beta1 = 0.9;
    s->adam_beta2 = 0.999;
    s->adam_eps = 1e-8;
    s->lr_decay = 1;
    s->lr_decay_every = 0;
    s->reg_rate = 0;
    s->reg_target_hz = 10;
    s->eval_batches = 1;
}

/* One population; kind decides whether tau_a_ms and beta are required or refused. */
static int parse_population(const section *s, lsnn_pop_spec *p)
{
    int kind = 0;
    if (check_keys(s, population_keys)) return -1;
    if (get_name(s, "name", p->name)) return -1;
    if (get_enum(s, "kind", REQUIRED, neuron_kinds, &kind)) return -1;
    p->kind = (lsnn_neuron_kind)kind;
    if (get_int(s, "size", REQUIRED, 1, LSNN_MAX_NEURONS, &p->size)) return -1;
    if (get_real(s, "tau_m_ms", REQUIRED, OPEN_CLOSED(0, 1e6), &p->tau_m_ms)) return -1;
    if (get_real(s, "b0", REQUIRED, OPEN_CLOSED(0, 1e3), &p->b0)) return -1;
    if (get_int(s, "refractory", OPTIONAL, 0, 1000, &p->refractory)) return -1;
    if (p->kind == LSNN_NEURON_LIF)
        return refuse_keys(s, adaptation_keys,
                           "only allowed for kind alif (LIF neurons have no adaptation)");
    for (const char *const *k = adaptation_keys; *k; k++)
        if (!lookup(s->map, *k))
            return fail_node(s->r, s->map,
                             "missing required key '%s' in %s (kind alif needs tau_a_ms and beta)",
                             *k, s->path);
    if (get_real(s, "tau_a_ms", REQUIRED, OPEN_CLOSED(0, 1e7), &p->tau_a_ms)) return -1;
    return get_real(s, "beta", REQUIRED, CLOSED(0, 1e3), &p->beta);
}

/* network.populations: 1..LSNN_MAX_POPS uniquely named populations, LSNN_MAX_NEURONS in all. */
static int parse_populations(const section *net, lsnn_spec *spec)
{
    char path[PATH_LEN], what[EXCERPT_MAX + 8];
    const node *seq;
    int total = 0;
    if (field(net, "populations", REQUIRED, &seq)) return -1;
    key_path(net, "populations", path, sizeof path);
    if (seq->kind != NODE_SEQUENCE)
        return fail_node(net->r, seq, "%s must be a sequence of populations, got %s", path,
                         describe(seq, what, sizeof what));
    if (seq->n_items == 0)
        return fail_node(net->r, seq, "%s must have 1 to %d populations, got none", path,
                         LSNN_MAX_POPS);
    for (size_t i = 0; i < seq->n_items; i++) {
        char pop_path[PATH_LEN];
        const node *item = seq->items[i];
        snprintf(pop_path, sizeof pop_path, "%s[%zu]", path, i);
        if (i == LSNN_MAX_POPS)
            return fail_node(net->r, item, "%s: at most %d populations are allowed (LSNN_MAX_POPS)",
                             pop_path, LSNN_MAX_POPS);
        if (item->kind != NODE_MAPPING)
            return fail_node(net->r, item, "%s must be a mapping of keys, got %s", pop_path,
                             describe(item, what, sizeof what));
        section pop = {net->r, item, pop_path};
        lsnn_pop_spec *p = &spec->pops[i];
        if (parse_population(&pop, p)) return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(spec->pops[j].name, p->name) == 0)
                return fail_node(net->r, lookup(item, "name"),
                                 "%s.name '%s' is already used by %s[%zu]", pop_path, p->name, path,
                                 j);
        total += p->size;
        if (total > LSNN_MAX_NEURONS)
            return fail_node(net->r, lookup(item, "size"),
                             "%s.size: the populations hold %d recurrent neurons in all, more "
                             "than the maximum %d (LSNN_MAX_NEURONS)",
                             pop_path, total, LSNN_MAX_NEURONS);
        spec->n_pops = (int)i + 1;
    }
    return 0;
}

static int parse_readout(const section *s, lsnn_spec *spec)
{
    if (check_keys(s, readout_keys)) return -1;
    if (get_int(s, "size", REQUIRED, 1, LSNN_MAX_OUTPUTS, &spec->n_out)) return -1;
    if (get_real(s, "tau_ms", OPTIONAL, OPEN_CLOSED(0, 1e6), &spec->tau_out_ms)) return -1;
    return get_bool(s, "bias", OPTIONAL, &spec->readout_bias);
}

/* soft-DEEP R clips theta at -(1-p) T / (p l1): both must be positive. Fails at the key, or
 * at `soft` when the key is absent (its default is then the offending value). */
static int check_soft_positive(const section *s, const char *key, double value)
{
    char path[PATH_LEN];
    if (value > 0) return 0;
    const node *at = lookup(s->map, key);
    key_path(s, key, path, sizeof path);
    return fail_node(s->r, at ? at : lookup(s->map, "soft"),
                     "%s must be > 0 with soft: true (soft-DEEP R clips theta at "
                     "-(1-p) T / (p l1)), got %g",
                     path, value);
}

/* The DEEP R parameters of a network.connectivity mapping with mode deep_r. */
static int parse_deepr(const section *s, lsnn_deepr_spec *d)
{
    int budget = (int)d->budget;
    if (get_real(s, "p", REQUIRED, OPEN_CLOSED(0, 1), &d->p)) return -1;
    if (get_bool(s, "soft", OPTIONAL, &d->soft)) return -1;
    if (d->soft &&
        refuse_keys(s, budget_key, "only allowed with soft: false (soft-DEEP R has no budget)"))
        return -1;
    if (get_enum(s, "budget", OPTIONAL, budget_names, &budget)) return -1;
    d->budget = (lsnn_budget_kind)budget;
    if (get_real(s, "l1", OPTIONAL, CLOSED(0, 1e3), &d->l1)) return -1;
    if (get_real(s, "temperature", OPTIONAL, CLOSED(0, 1e3), &d->temperature)) return -1;
    if (d->soft && (check_soft_positive(s, "l1", d->l1) ||
                    check_soft_positive(s, "temperature", d->temperature)))
        return -1;
    if (get_bool(s, "dale", OPTIONAL, &d->dale)) return -1;
    if (!d->dale) return refuse_keys(s, excitatory_key, "only allowed with dale: true");
    return get_real(s, "excitatory", OPTIONAL, OPEN(0, 1), &d->excitatory);
}

/* network.connectivity: the word dense, or a mapping {mode: dense | deep_r, ...}. */
static int parse_connectivity(const section *net, lsnn_spec *spec)
{
    char path[PATH_LEN], what[EXCERPT_MAX + 8];
    const node *v;
    int mode = 0;
    if (field(net, "connectivity", OPTIONAL, &v)) return -1;
    if (!v) return 0;
    key_path(net, "connectivity", path, sizeof path);
    if (v->kind == NODE_SCALAR && text_is(v, "dense")) {
        spec->connectivity = LSNN_CONN_DENSE;
        return 0;
    }
    if (v->kind == NODE_SCALAR && text_is(v, "deep_r"))
        return fail_node(net->r, v,
                         "%s: deep_r needs its parameters; write a mapping such as "
                         "{mode: deep_r, p: 0.12}",
                         path);
    if (v->kind != NODE_MAPPING)
        return fail_node(net->r, v,
                         "%s must be dense or a mapping with keys mode (dense, deep_r), p, "
                         "budget, soft, l1, temperature, dale, excitatory; got %s",
                         path, describe(v, what, sizeof what));
    section c = {net->r, v, path};
    if (get_enum(&c, "mode", REQUIRED, conn_names, &mode)) return -1;
    spec->connectivity = (lsnn_conn_mode)mode;
    if (spec->connectivity == LSNN_CONN_DENSE &&
        refuse_keys(&c, connectivity_keys + 1, "only allowed with mode deep_r"))
        return -1;
    if (check_keys(&c, connectivity_keys)) return -1;
    return spec->connectivity == LSNN_CONN_DEEP_R ? parse_deepr(&c, &spec->deepr) : 0;
}

static int parse_network(const section *s, lsnn_spec *spec)
{
    char readout_path[PATH_LEN];
    section readout;
    int spike_from = 0;
    if (check_keys(s, network_keys)) return -1;
    if (get_real(s, "dt_ms", OPTIONAL, OPEN_CLOSED(0, 10), &spec->dt_ms)) return -1;
    if (get_enum(s, "spike_from", OPTIONAL, spike_from_names, &spike_from)) return -1;
    spec->spike_from = (lsnn_spike_from)spike_from;
    if (get_int(s, "inputs", REQUIRED, 1, LSNN_MAX_INPUTS, &spec->n_in)) return -1;
    if (parse_populations(s, spec)) return -1;
    if (get_int(s, "delays", OPTIONAL, 1, LSNN_MAX_DELAY, &spec->n_delay)) return -1;
    if (parse_connectivity(s, spec)) return -1;
    if (get_section(s, "readout", REQUIRED, &readout, readout_path)) return -1;
    if (parse_readout(&readout, spec)) return -1;
    return get_real(s, "gamma", OPTIONAL, OPEN_CLOSED(0, 10), &spec->gamma);
}

static int parse_store_recall(const section *s, lsnn_store_recall_spec *t)
{
    if (get_int(s, "values", OPTIONAL, 2, 16, &t->values)) return -1;
    if (get_int(s, "group_size", OPTIONAL, 1, 1000, &t->group_size)) return -1;
    if (get_int(s, "char_ms", OPTIONAL, 1, 10000, &t->char_ms)) return -1;
    if (get_int(s, "n_chars", OPTIONAL, 2, 1000, &t->n_chars)) return -1;
    if (get_real(s, "rate_hz", OPTIONAL, OPEN_CLOSED(0, 1000), &t->rate_hz)) return -1;
    if (get_int(s, "seq_delay", OPTIONAL, 0, 1000, &t->seq_delay)) return -1;
    return get_int(s, "test_size", OPTIONAL, 1, 1000000, &t->test_size);
}

/* task.data_dir: a non-empty path shorter than LSNN_PATH_MAX, kept as written. */
static int parse_data_dir(const section *s, lsnn_smnist_spec *t)
{
    char path[PATH_LEN], what[EXCERPT_MAX + 8];
    const node *v;
    if (get_scalar(s, "data_dir", OPTIONAL, &v)) return -1;
    if (!v) {
        strcpy(t->data_dir, t->dataset == LSNN_DATA_FASHION ? FASHION_DIR : MNIST_DIR);
        return 0;
    }
    key_path(s, "data_dir", path, sizeof path);
    if (v->len == 0 || v->len >= LSNN_PATH_MAX || strlen(v->text) != v->len)
        return fail_node(s->r, v, "%s must be a path of 1 to %d characters, got %s", path,
                         LSNN_PATH_MAX - 1, describe(v, what, sizeof what));
    memcpy(t->data_dir, v->text, v->len + 1);
    return 0;
}

static int parse_smnist(const section *s, lsnn_smnist_spec *t)
{
    int dataset = 0;
    if (get_enum(s, "dataset", OPTIONAL, dataset_names, &dataset)) return -1;
    t->dataset = (lsnn_dataset_kind)dataset;
    if (parse_data_dir(s, t)) return -1;
    if (get_int(s, "ext_time", OPTIONAL, 1, 4, &t->ext_time)) return -1;
    if (get_int(s, "readout_steps", OPTIONAL, 1, SMNIST_CUE * 4, &t->readout_steps)) return -1;
    if (t->readout_steps > SMNIST_CUE * t->ext_time)
        return fail_node(s->r, lookup(s->map, "readout_steps"),
                         "task.readout_steps must be at most 56 * task.ext_time = %d (the cue "
                         "steps), got %d",
                         SMNIST_CUE * t->ext_time, t->readout_steps);
    if (get_int(s, "train_limit", OPTIONAL, 0, 10000000, &t->train_limit)) return -1;
    return get_int(s, "test_limit", OPTIONAL, 0, 10000000, &t->test_limit);
}

static int parse_task(const section *s, lsnn_spec *spec)
{
    int kind = 0;
    if (get_enum(s, "kind", REQUIRED, task_kinds, &kind)) return -1;
    spec->task = (lsnn_task_kind)kind;
    if (spec->task == LSNN_TASK_STORE_RECALL) {
        if (refuse_keys(s, smnist_keys + 1, "only allowed with task kind smnist")) return -1;
        if (check_keys(s, store_recall_keys)) return -1;
        return parse_store_recall(s, &spec->store_recall);
    }
    if (refuse_keys(s, store_recall_keys + 1, "only allowed with task kind store_recall"))
        return -1;
    if (check_keys(s, smnist_keys)) return -1;
    return parse_smnist(s, &spec->smnist);
}

static int parse_optimizer(const section *s, lsnn_spec *spec)
{
    int kind = 0;
    if (!s->map) return 0;
    if (check_keys(s, optimizer_keys)) return -1;
    if (get_enum(s, "kind", OPTIONAL, optimizer_kinds, &kind)) return -1;
    if (get_real(s, "lr", OPTIONAL, OPEN_CLOSED(0, 10), &spec->lr)) return -1;
    if (get_real(s, "beta1", OPTIONAL, CLOSED_OPEN(0, 1), &spec->adam_beta1)) return -1;
    if (get_real(s, "beta2", OPTIONAL, CLOSED_OPEN(0, 1), &spec->adam_beta2)) return -1;
    return get_real(s, "eps", OPTIONAL, OPEN_CLOSED(0, 1), &spec->adam_eps);
}

static int parse_lr_schedule(const section *s, lsnn_spec *spec)
{
    int kind = 0;
    if (!s->map) return 0;
    if (check_keys(s, schedule_keys)) return -1;
    if (get_enum(s, "kind", OPTIONAL, schedule_kinds, &kind)) return -1;
    if (get_real(s, "factor", REQUIRED, OPEN_CLOSED(0, 1), &spec->lr_decay)) return -1;
    return get_long(s, "every", REQUIRED, 1, 1000000000, &spec->lr_decay_every);
}

static int parse_regularization(const section *s, lsnn_spec *spec)
{
    if (!s->map) return 0;
    if (check_keys(s, regularization_keys)) return -1;
    if (get_real(s, "rate", OPTIONAL, CLOSED(0, 1e6), &spec->reg_rate)) return -1;
    return get_real(s, "target_hz", OPTIONAL, CLOSED(0, 1000), &spec->reg_target_hz);
}

static int parse_training(const section *s, lsnn_spec *spec)
{
    char opt_path[PATH_LEN], sched_path[PATH_LEN], reg_path[PATH_LEN];
    section opt, sched, reg;
    if (check_keys(s, training_keys)) return -1;
    if (get_int(s, "batch_size", REQUIRED, 1, 65536, &spec->batch_size)) return -1;
    if (get_long(s, "iterations", REQUIRED, 1, 1000000000, &spec->iterations)) return -1;
    if (get_section(s, "optimizer", OPTIONAL, &opt, opt_path)) return -1;
    if (parse_optimizer(&opt, spec)) return -1;
    if (get_section(s, "lr_schedule", OPTIONAL, &sched, sched_path)) return -1;
    if (parse_lr_schedule(&sched, spec)) return -1;
    if (get_section(s, "regularization", OPTIONAL, &reg, reg_path)) return -1;
    if (parse_regularization(&reg, spec)) return -1;
    if (get_long(s, "checkpoint_every", OPTIONAL, 0, 1000000000, &spec->checkpoint_every))
        return -1;
    if (get_long(s, "eval_every", OPTIONAL, 0, 1000000000, &spec->eval_every)) return -1;
    if (get_int(s, "eval_batches", OPTIONAL, 1, 1000, &spec->eval_batches)) return -1;
    return get_real(s, "stop_error", OPTIONAL, CLOSED(0, 1), &spec->stop_error);
}

/* The network's input and output sizes must be what the task produces and reads. */
static int check_task_sizes(const section *net, const lsnn_spec *spec)
{
    const node *inputs = lookup(net->map, "inputs");
    const node *readout_size = lookup(lookup(net->map, "readout"), "size");
    int n_in = LSNN_SMNIST_INPUTS, n_out = SMNIST_CLASSES;
    const char *in_rule = "80 for task smnist (79 threshold channels + 1 cue)";
    const char *out_rule = "10 for task smnist (one per class)";
    char in_text[128], out_text[128];
    if (spec->task == LSNN_TASK_STORE_RECALL) {
        const lsnn_store_recall_spec *t = &spec->store_recall;
        n_in = (t->values + 2) * t->group_size;
        n_out = t->values;
        snprintf(in_text, sizeof in_text,
                 "(task.values + 2) * task.group_size = %d for task store_recall", n_in);
        snprintf(out_text, sizeof out_text, "task.values = %d for task store_recall", n_out);
        in_rule = in_text;
        out_rule = out_text;
    }
    if (spec->n_in != n_in)
        return fail_node(net->r, inputs, "network.inputs must be %s, got %d", in_rule, spec->n_in);
    if (spec->n_out != n_out)
        return fail_node(net->r, readout_size, "network.readout.size must be %s, got %d", out_rule,
                         spec->n_out);
    return 0;
}

static int parse_spec(const report *r, const node *root, lsnn_spec *spec)
{
    char what[EXCERPT_MAX + 8], net_path[PATH_LEN], task_path[PATH_LEN], train_path[PATH_LEN];
    section top = {r, root, ""}, net, task, train;
    long long version = 0, seed = 1;
    if (root->kind != NODE_MAPPING)
        return fail_node(r, root,
                         "the top level must be a mapping with keys version, name, network, task "
                         "and training; got %s",
                         describe(root, what, sizeof what));
    if (get_integer(&top, "version", REQUIRED, INT64_MIN, INT64_MAX, &version)) return -1;
    if (version != LSNN_SPEC_VERSION)
        return fail_node(r, lookup(root, "version"),
                         "version must be %d (the only spec version this build reads), got %lld",
                         LSNN_SPEC_VERSION, version);
    if (check_keys(&top, top_keys)) return -1;
    if (get_name(&top, "name", spec->name)) return -1;
    if (get_integer(&top, "seed", OPTIONAL, 0, INT64_MAX, &seed)) return -1;
    spec->seed = (uint64_t)seed;
    if (get_section(&top, "network", REQUIRED, &net, net_path)) return -1;
    if (parse_network(&net, spec)) return -1;
    if (get_section(&top, "task", REQUIRED, &task, task_path)) return -1;
    if (parse_task(&task, spec)) return -1;
    if (get_section(&top, "training", REQUIRED, &train, train_path)) return -1;
    if (parse_training(&train, spec)) return -1;
    return check_task_sizes(&net, spec);
}

/* ---------------------------------------------------------------- entry points */

int lsnn_spec_n_rec(const lsnn_spec *s)
{
    int n = 0;
    for (int i = 0; i < s->n_pops; i++)
        n += s->pops[i].size;
    return n;
}

int lsnn_spec_parse(const char *name, const char *text, unsigned long len, lsnn_spec *out,
                    lsnn_error *e)
{
    report r = {name ? name : "<spec>", e};
    node *root;
    lsnn_spec spec;
    if (!text) len = 0;
    if (load_tree(&r, text ? text : "", len, &root)) return -1;
    set_defaults(&spec);
    int rc = parse_spec(&r, root, &spec);
    free_node(root);
    if (rc == 0) *out = spec;
    return rc;
}

int lsnn_spec_load(const char *path, lsnn_spec *out, lsnn_error *e)
{
    char *text = NULL;
    size_t len = 0;
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int rc = lsnn_spec_parse(path, text, len, out, e);
    free(text);
    return rc;
}
