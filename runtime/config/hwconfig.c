/* hwconfig.c - strict parsing of the hardware configuration YAML into lsnn_hw_config. */
#include "hwconfig.h"

#include "fileio.h"
#include "yamltree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HW_EXPECTED "a mapping with keys version, name, neurocore, clock_mhz, mesh and core"

static const char *const top_keys[] = {"version", "name", "neurocore", "clock_mhz",
                                       "mesh",    "core", NULL};
static const char *const core_keys[] = {
    "neurons",     "axons",    "synapse_words", "synapses_per_word",
    "delay_slots", "profiles", "route_entries", "weight_bits",
    "v_bits",      "acc_bits", "a_frac_bits",   "ref_bits",
    "decay_bits",  "fifo_in",  "fifo_out",      NULL};

void lsnn_hw_defaults(lsnn_hw_config *c)
{
    memset(c, 0, sizeof *c);
    c->version = LSNN_HW_VERSION;
    strcpy(c->name, "default");
    c->neurocore = LSNN_NEUROCORE;
    c->clock_mhz = 100;
    c->mesh_x = 1;
    c->mesh_y = 1;
    c->neurons = 256;
    c->axons = 1024;
    c->synapse_words = 65536;
    c->synapses_per_word = 4;
    c->delay_slots = 16;
    c->profiles = 16;
    c->route_entries = 1024;
    c->weight_bits = 8;
    c->v_bits = 24;
    c->acc_bits = 28;
    c->a_frac_bits = 8;
    c->ref_bits = 8;
    c->decay_bits = 16;
    c->fifo_in = 16;
    c->fifo_out = 16;
}

int lsnn_hw_cores(const lsnn_hw_config *c)
{
    return c->mesh_x * c->mesh_y;
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

/* mesh: [x, y], each 1..256, with x * y <= LSNN_HW_MAX_CORES (8-bit core ids). */
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
        if (yt_integer_value(top->r, m->items[i], path, 1, LSNN_HW_MAX_CORES, &xy[i])) return -1;
    }
    if (xy[0] * xy[1] > LSNN_HW_MAX_CORES)
        return yt_fail_node(top->r, m,
                            "mesh [%lld, %lld] has %lld cores; at most %d are allowed (x * y <= "
                            "%d: core ids are 8 bits)",
                            xy[0], xy[1], xy[0] * xy[1], LSNN_HW_MAX_CORES, LSNN_HW_MAX_CORES);
    c->mesh_x = (int)xy[0];
    c->mesh_y = (int)xy[1];
    return 0;
}

/* The memory sizes of core.* (neurocore.md §2). */
static int parse_core_memories(const yt_section *s, lsnn_hw_config *c)
{
    if (get_pow2(s, "neurons", 8, 4096, &c->neurons)) return -1;
    if (get_multiple(s, "axons", 32, 32, 65536, &c->axons)) return -1;
    if (get_pow2(s, "synapse_words", 256, 1 << 20, &c->synapse_words)) return -1;
    if (get_pow2(s, "synapses_per_word", 1, 8, &c->synapses_per_word)) return -1;
    if (get_pow2(s, "delay_slots", 1, 64, &c->delay_slots)) return -1;
    if (get_pow2(s, "profiles", 1, 64, &c->profiles)) return -1;
    return get_pow2(s, "route_entries", 16, 65536, &c->route_entries);
}

/* The widths and FIFO depths of core.*. */
static int parse_core_widths(const yt_section *s, lsnn_hw_config *c)
{
    if (yt_get_int(s, "weight_bits", YT_OPTIONAL, 2, 16, &c->weight_bits)) return -1;
    if (yt_get_int(s, "v_bits", YT_OPTIONAL, 16, 32, &c->v_bits)) return -1;
    if (yt_get_int(s, "acc_bits", YT_OPTIONAL, 16, 32, &c->acc_bits)) return -1;
    if (yt_get_int(s, "a_frac_bits", YT_OPTIONAL, 0, 8, &c->a_frac_bits)) return -1;
    if (yt_get_int(s, "ref_bits", YT_OPTIONAL, 1, 10, &c->ref_bits)) return -1;
    if (yt_get_int(s, "decay_bits", YT_OPTIONAL, 8, 16, &c->decay_bits)) return -1;
    if (yt_get_int(s, "fifo_in", YT_OPTIONAL, 2, 4096, &c->fifo_in)) return -1;
    return yt_get_int(s, "fifo_out", YT_OPTIONAL, 2, 4096, &c->fifo_out);
}

/* The inequalities between core keys: S <= N, U >= V, V + G <= 40. */
static int check_core_relations(const yt_section *s, const lsnn_hw_config *c)
{
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
    if (parse_core_memories(s, c)) return -1;
    if (parse_core_widths(s, c)) return -1;
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
                  "the docs/neurocore.md contract version this build implements"))
        return -1;
    if (yt_get_real(&top, "clock_mhz", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10000), &c->clock_mhz))
        return -1;
    if (parse_mesh(&top, c)) return -1;
    if (yt_get_section(&top, "core", YT_OPTIONAL, &core, core_path)) return -1;
    return parse_core(&core, c);
}

static int check_key(const char *key, const char *sym, int v, int lo, int hi, int pow2_only,
                     lsnn_error *e)
{
    if (v < lo || v > hi || (pow2_only && !is_pow2((long long)v)))
        return lsnn_fail(e, "hardware config: core.%s (%s) must be %sin [%d, %d], got %d", key, sym,
                         pow2_only ? "a power of 2 " : "", lo, hi, v);
    return 0;
}

int lsnn_hw_check(const lsnn_hw_config *g, lsnn_error *e)
{
    if (g->neurocore != LSNN_NEUROCORE)
        return lsnn_fail(e, "hardware config: neurocore %d, but this reference implements %d",
                         g->neurocore, LSNN_NEUROCORE);
    if (check_key("neurons", "N", g->neurons, 8, 4096, 1, e) ||
        check_key("axons", "X", g->axons, 32, 65536, 0, e) ||
        check_key("synapse_words", "M", g->synapse_words, 256, 1 << 20, 1, e) ||
        check_key("synapses_per_word", "S", g->synapses_per_word, 1, 8, 1, e) ||
        check_key("delay_slots", "D", g->delay_slots, 1, 64, 1, e) ||
        check_key("profiles", "P", g->profiles, 1, 64, 1, e) ||
        check_key("route_entries", "R", g->route_entries, 16, 65536, 1, e) ||
        check_key("weight_bits", "W", g->weight_bits, 2, 16, 0, e) ||
        check_key("v_bits", "V", g->v_bits, 16, 32, 0, e) ||
        check_key("acc_bits", "U", g->acc_bits, 16, 32, 0, e) ||
        check_key("a_frac_bits", "G", g->a_frac_bits, 0, 8, 0, e) ||
        check_key("ref_bits", "Q", g->ref_bits, 1, 10, 0, e) ||
        check_key("decay_bits", "K", g->decay_bits, 8, 16, 0, e) ||
        check_key("fifo_in", "fifo_in", g->fifo_in, 2, 4096, 0, e) ||
        check_key("fifo_out", "fifo_out", g->fifo_out, 2, 4096, 0, e))
        return -1;
    if (g->axons % 32)
        return lsnn_fail(e, "hardware config: core.axons (X) must be a multiple of 32, got %d",
                         g->axons);
    if (g->synapses_per_word > g->neurons)
        return lsnn_fail(e,
                         "hardware config: core.synapses_per_word (S = %d) must be <= "
                         "core.neurons (N = %d)",
                         g->synapses_per_word, g->neurons);
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
