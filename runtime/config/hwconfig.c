/* hwconfig.c - strict parsing of the hardware configuration YAML into lsnn_hw_config. */
#include "hwconfig.h"

#include "fileio.h"
#include "yamltree.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HW_EXPECTED                                                                                \
    "a mapping with keys version, name, neurocore, clock_mhz, mesh, noc_buffer and core"

static const char *const top_keys[] = {"version", "name",       "neurocore", "clock_mhz",
                                       "mesh",    "noc_buffer", "core",      NULL};
/* The core parameters of neurocore.def: key, symbol, range, rule, default, place in the struct. */
enum { ANY, POW2, MUL32 };
typedef struct {
    const char *key, *sym;
    int lo, hi, rule, def;
    size_t off;
} core_param;

#define CORE_PARAM(field, letter, lo, hi, rule, def)                                               \
    {#field, #letter, lo, hi, rule, def, offsetof(lsnn_hw_config, field)},
static const core_param params[] = {LSNN_CORE_PARAMS(CORE_PARAM)};
#undef CORE_PARAM
enum { NPARAMS = sizeof params / sizeof params[0] };

#define CORE_KEY(field, letter, lo, hi, rule, def) #field,
static const char *const core_keys[] = {LSNN_CORE_PARAMS(CORE_KEY) NULL};
#undef CORE_KEY

static int *param_ref(lsnn_hw_config *c, const core_param *p)
{
    return (int *)((char *)c + p->off);
}

static int param_val(const lsnn_hw_config *c, const core_param *p)
{
    return *(const int *)((const char *)c + p->off);
}

void lsnn_hw_defaults(lsnn_hw_config *c)
{
    memset(c, 0, sizeof *c);
    c->version = LSNN_HW_VERSION;
    strcpy(c->name, "default");
    c->neurocore = LSNN_NEUROCORE;
    c->clock_mhz = 100;
    c->mesh_x = 1;
    c->mesh_y = 1;
    c->noc_buffer = 4;
    for (int i = 0; i < NPARAMS; i++)
        *param_ref(c, &params[i]) = params[i].def;
}

int lsnn_hw_same_core(const lsnn_hw_config *a, const lsnn_hw_config *b)
{
    for (int i = 0; i < NPARAMS; i++)
        if (param_val(a, &params[i]) != param_val(b, &params[i])) return 0;
    return 1;
}

static int log2_floor(uint32_t x)
{
    int b = 0;
    while (x >>= 1)
        b++;
    return b;
}

lsnn_hw_widths lsnn_hw_widths_of(const lsnn_hw_config *c)
{
    lsnn_hw_widths w;
    w.NB = log2_floor((uint32_t)c->neurons);
    w.SB = log2_floor((uint32_t)c->synapses_per_word);
    w.TB = w.NB - w.SB;
    w.DB = log2_floor((uint32_t)c->delay_slots);
    w.XB = log2_floor((uint32_t)c->axons);
    if (((uint32_t)1 << w.XB) < (uint32_t)c->axons) w.XB++; /* X need not be a power of 2 */
    w.MB = log2_floor((uint32_t)c->synapse_words);
    w.RB = log2_floor((uint32_t)c->route_entries);
    w.PB = c->profiles > 1 ? log2_floor((uint32_t)c->profiles) : 1;
    return w;
}

int lsnn_hw_cores(const lsnn_hw_config *c)
{
    return c->mesh_x * c->mesh_y;
}

int lsnn_hw_cell_of(const lsnn_hw_config *c, unsigned id, int *x, int *y)
{
    int cx = (int)(id & 15u), cy = (int)(id >> 4);
    if (x) *x = cx;
    if (y) *y = cy;
    return id < LSNN_HW_MAX_CORES && cx < c->mesh_x && cy < c->mesh_y;
}

unsigned lsnn_hw_nth_cell(const lsnn_hw_config *c, int n)
{
    return lsnn_hw_core_id(n % c->mesh_x, n / c->mesh_x);
}

static int is_pow2(long long x)
{
    return x > 0 && (x & (x - 1)) == 0;
}

/* An integer in [lo, hi] that is a power of two (optional: absent leaves *out alone). */
static int get_pow2(const yt_section *s, const char *key, int lo, int hi, int *out)
{
    char path[YT_PATH_LEN];
    const yt_node *v;
    long long x = *out;
    if (yt_field(s, key, YT_OPTIONAL, &v)) return -1;
    if (!v) return 0;
    yt_key_path(s, key, path, sizeof path);
    if (yt_integer_value(s->r, v, path, lo, hi, &x)) return -1;
    if (!is_pow2(x))
        return yt_fail_node(s->r, v, "%s must be a power of 2 in [%d, %d], got %lld", path, lo, hi,
                            x);
    *out = (int)x;
    return 0;
}

/* An integer in [lo, hi] that is a multiple of step (optional). */
static int get_multiple(const yt_section *s, const char *key, int step, int lo, int hi, int *out)
{
    char path[YT_PATH_LEN];
    const yt_node *v;
    long long x = *out;
    if (yt_field(s, key, YT_OPTIONAL, &v)) return -1;
    if (!v) return 0;
    yt_key_path(s, key, path, sizeof path);
    if (yt_integer_value(s->r, v, path, lo, hi, &x)) return -1;
    if (x % step != 0)
        return yt_fail_node(s->r, v, "%s must be a multiple of %d in [%d, %d], got %lld", path,
                            step, lo, hi, x);
    *out = (int)x;
    return 0;
}

/* The node to blame for a broken inequality: the first of two keys given, else the mapping. */
static const yt_node *blame(const yt_section *s, const char *key, const char *other)
{
    const yt_node *v = yt_lookup(s->map, key);
    if (!v) v = yt_lookup(s->map, other);
    return v ? v : s->map;
}

/* mesh: [x, y], each 1..16 (core id = 16 * y + x, §16.1). */
static int parse_mesh(const yt_section *top, lsnn_hw_config *c)
{
    char what[YT_WHAT_LEN], path[YT_PATH_LEN];
    const yt_node *m;
    long long xy[2];
    if (yt_field(top, "mesh", YT_OPTIONAL, &m)) return -1;
    if (!m) return 0;
    if (m->kind != YT_SEQUENCE || m->n_items != 2)
        return yt_fail_node(top->r, m, "mesh must be a sequence [x, y] of two integers, got %s",
                            m->kind == YT_SEQUENCE ? "a sequence of another length"
                                                   : yt_describe(m, what, sizeof what));
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "mesh[%d]", i);
        if (yt_integer_value(top->r, m->items[i], path, 1, LSNN_HW_MESH_MAX, &xy[i])) return -1;
    }
    c->mesh_x = (int)xy[0];
    c->mesh_y = (int)xy[1];
    return 0;
}

/* Every core.* key present, with its range and rule. */
static int parse_core_params(const yt_section *s, lsnn_hw_config *c)
{
    for (int i = 0; i < NPARAMS; i++) {
        const core_param *p = &params[i];
        int *v = param_ref(c, p);
        int rc = p->rule == POW2    ? get_pow2(s, p->key, p->lo, p->hi, v)
                 : p->rule == MUL32 ? get_multiple(s, p->key, 32, p->lo, p->hi, v)
                                    : yt_get_int(s, p->key, YT_OPTIONAL, p->lo, p->hi, v);
        if (rc) return -1;
    }
    /* Absent, NL defaults to min(4, S): a config written for version 2 that narrows S keeps
     * working with as many lanes as its banks allow. */
    const yt_node *nl = NULL;
    if (yt_field(s, "neuron_lanes", 0, &nl)) return -1;
    if (!nl && c->neuron_lanes > c->synapses_per_word) c->neuron_lanes = c->synapses_per_word;
    return 0;
}

/* The inequalities between core keys: S <= N, NL <= S, U >= V, V + G <= 40. */
static int check_core_relations(const yt_section *s, const lsnn_hw_config *c)
{
    if (c->neuron_lanes > c->synapses_per_word)
        return yt_fail_node(s->r, blame(s, "neuron_lanes", "synapses_per_word"),
                            "core.neuron_lanes (NL = %d) must be <= core.synapses_per_word (S = "
                            "%d): the lanes of one cycle read NL different accumulator banks",
                            c->neuron_lanes, c->synapses_per_word);
    if (c->synapses_per_word > c->neurons)
        return yt_fail_node(s->r, blame(s, "synapses_per_word", "neurons"),
                            "core.synapses_per_word (S = %d) must be <= core.neurons (N = %d): "
                            "each lane is an accumulator bank of N/S neurons",
                            c->synapses_per_word, c->neurons);
    if (c->acc_bits < c->v_bits)
        return yt_fail_node(s->r, blame(s, "acc_bits", "v_bits"),
                            "core.acc_bits (U = %d) must be in [16, 32] with U >= core.v_bits "
                            "(V = %d)",
                            c->acc_bits, c->v_bits);
    if (c->v_bits + c->a_frac_bits > 40)
        return yt_fail_node(s->r, blame(s, "a_frac_bits", "v_bits"),
                            "core.a_frac_bits (G = %d) must be in [0, 8] with core.v_bits + "
                            "core.a_frac_bits <= 40, got V + G = %d",
                            c->a_frac_bits, c->v_bits + c->a_frac_bits);
    return 0;
}

static int parse_core(const yt_section *s, lsnn_hw_config *c)
{
    if (!s->map) return 0;
    if (yt_check_keys(s, core_keys)) return -1;
    if (parse_core_params(s, c)) return -1;
    return check_core_relations(s, c);
}

/* A key that must hold exactly one integer value (a format or contract version). */
static int get_exact(const yt_section *s, const char *key, int required, int want, const char *why)
{
    long long x = want;
    if (yt_get_integer(s, key, required, INT64_MIN, INT64_MAX, &x)) return -1;
    if (x == want) return 0;
    return yt_fail_node(s->r, yt_lookup(s->map, key), "%s must be %d (%s), got %lld", key, want,
                        why, x);
}

static int parse_config(const yt_report *r, const yt_node *root, lsnn_hw_config *c)
{
    char what[YT_WHAT_LEN], core_path[YT_PATH_LEN];
    yt_section top = {r, root, ""}, core;
    if (root->kind != YT_MAPPING)
        return yt_fail_node(r, root, "the top level must be %s; got %s", HW_EXPECTED,
                            yt_describe(root, what, sizeof what));
    if (get_exact(&top, "version", YT_REQUIRED, LSNN_HW_VERSION,
                  "the only hardware-config version this build reads"))
        return -1;
    if (yt_check_keys(&top, top_keys)) return -1;
    if (yt_get_name(&top, "name", c->name, sizeof c->name)) return -1;
    if (get_exact(&top, "neurocore", YT_OPTIONAL, LSNN_NEUROCORE,
                  "the docs/neurocore.md contract version this build implements; a version-1 "
                  "config reads the same with `neurocore: 2`, once its mesh sides are at most 16"))
        return -1;
    if (yt_get_real(&top, "clock_mhz", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10000), &c->clock_mhz))
        return -1;
    if (parse_mesh(&top, c)) return -1;
    if (yt_get_int(&top, "noc_buffer", YT_OPTIONAL, 1, LSNN_HW_NOC_BUFFER_MAX, &c->noc_buffer))
        return -1;
    if (yt_get_section(&top, "core", YT_OPTIONAL, &core, core_path)) return -1;
    return parse_core(&core, c);
}

int lsnn_hw_check(const lsnn_hw_config *g, lsnn_error *e)
{
    if (g->neurocore != LSNN_NEUROCORE)
        return lsnn_fail(e, "hardware config: neurocore %d, but this reference implements %d",
                         g->neurocore, LSNN_NEUROCORE);
    if (g->mesh_x < 1 || g->mesh_x > LSNN_HW_MESH_MAX || g->mesh_y < 1 ||
        g->mesh_y > LSNN_HW_MESH_MAX)
        return lsnn_fail(e, "hardware config: mesh [%d, %d]: each side must be in [1, %d]",
                         g->mesh_x, g->mesh_y, LSNN_HW_MESH_MAX);
    if (g->noc_buffer < 1 || g->noc_buffer > LSNN_HW_NOC_BUFFER_MAX)
        return lsnn_fail(e, "hardware config: noc_buffer must be in [1, %d], got %d",
                         LSNN_HW_NOC_BUFFER_MAX, g->noc_buffer);
    for (int i = 0; i < NPARAMS; i++) {
        const core_param *p = &params[i];
        int v = param_val(g, p);
        if (v < p->lo || v > p->hi || (p->rule == POW2 && !is_pow2(v)))
            return lsnn_fail(e, "hardware config: core.%s (%s) must be %sin [%d, %d], got %d",
                             p->key, p->sym, p->rule == POW2 ? "a power of 2 " : "", p->lo, p->hi,
                             v);
        if (p->rule == MUL32 && v % 32)
            return lsnn_fail(e, "hardware config: core.%s (%s) must be a multiple of 32, got %d",
                             p->key, p->sym, v);
    }
    if (g->synapses_per_word > g->neurons)
        return lsnn_fail(e,
                         "hardware config: core.synapses_per_word (S = %d) must be <= "
                         "core.neurons (N = %d)",
                         g->synapses_per_word, g->neurons);
    if (g->neuron_lanes > g->synapses_per_word)
        return lsnn_fail(e,
                         "hardware config: core.neuron_lanes (NL = %d) must be <= "
                         "core.synapses_per_word (S = %d)",
                         g->neuron_lanes, g->synapses_per_word);
    if (g->acc_bits < g->v_bits)
        return lsnn_fail(e,
                         "hardware config: core.acc_bits (U = %d) must be >= core.v_bits (V = %d)",
                         g->acc_bits, g->v_bits);
    if (g->v_bits + g->a_frac_bits > 40)
        return lsnn_fail(e,
                         "hardware config: core.v_bits + core.a_frac_bits (V+G = %d) must be <= 40",
                         g->v_bits + g->a_frac_bits);
    return 0;
}

int lsnn_hw_parse(const char *name, const char *text, unsigned long len, lsnn_hw_config *out,
                  lsnn_error *e)
{
    yt_report r = {name ? name : "<hardware config>", e};
    yt_node *root;
    lsnn_hw_config c;
    if (yt_load(&r, text, len, "hardware config", HW_EXPECTED, &root)) return -1;
    lsnn_hw_defaults(&c);
    int rc = parse_config(&r, root, &c);
    yt_free(root);
    if (rc == 0) *out = c;
    return rc;
}

int lsnn_hw_load(const char *path, lsnn_hw_config *out, lsnn_error *e)
{
    char *text = NULL;
    size_t len = 0;
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int rc = lsnn_hw_parse(path, text, len, out, e);
    free(text);
    return rc;
}
