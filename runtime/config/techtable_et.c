/* techtable_et.c - the equal-terms sections of a neurocore table: the SRAM model's coefficients
 * (sram), the logic's leakage and the node's arithmetic (ops), and fmax_mhz.
 *
 * They are optional so that older tables stay valid; given, all three must be there, because
 * pricing the LSNN and the LSTM on equal terms needs each of them (docs/tech-tables.md). */
#include "techtable_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const sram_keys[] = {"read64",   "size_exponent", "write_per_read", "bank_max",
                                        "bit_area", "bit_leakage",   "retention",      NULL};
static const char *const anchor_keys[] = {"kib", "pj", "source", "scope", NULL};
static const char *const et_sections[] = {"sram", "logic_leakage", "ops", NULL};

int lsnn_tech_parse_entry(const yt_section *parent, const char *key, const char *unit,
                          yt_range range, lsnn_tech_entry *out)
{
    char path[YT_PATH_LEN];
    const char *keys[] = {unit, "source", "scope", NULL};
    yt_section s;
    if (yt_get_section(parent, key, YT_REQUIRED, &s, path)) return -1;
    if (yt_check_keys(&s, keys)) return -1;
    if (yt_get_real(&s, unit, YT_REQUIRED, range, &out->value)) return -1;
    if (yt_get_string(&s, "source", YT_REQUIRED, out->source, sizeof out->source)) return -1;
    return yt_get_string(&s, "scope", YT_REQUIRED, out->scope, sizeof out->scope);
}

/* sram.read64: a sequence of {kib, pj, source, scope}, sizes strictly ascending and energies
 * non-decreasing (a bigger array never reads cheaper: the model must stay monotonic). */
static int parse_anchors(const yt_section *sram, lsnn_tech_sram *m)
{
    char path[YT_PATH_LEN], what[YT_WHAT_LEN];
    const yt_node *seq;
    if (yt_field(sram, "read64", YT_REQUIRED, &seq)) return -1;
    yt_key_path(sram, "read64", path, sizeof path);
    if (seq->kind != YT_SEQUENCE || seq->n_items == 0 || seq->n_items > LSNN_SRAM_MAX_ANCHORS)
        return yt_fail_node(sram->r, seq,
                            "%s must be a sequence of 1 to %d anchors {kib, pj, source, scope}, "
                            "got %s",
                            path, LSNN_SRAM_MAX_ANCHORS, yt_describe(seq, what, sizeof what));
    for (size_t i = 0; i < seq->n_items; i++) {
        char item_path[YT_PATH_LEN];
        const yt_node *item = seq->items[i];
        snprintf(item_path, sizeof item_path, "%s[%zu]", path, i);
        if (item->kind != YT_MAPPING)
            return yt_fail_node(sram->r, item, "%s must be a mapping of keys, got %s", item_path,
                                yt_describe(item, what, sizeof what));
        yt_section a = {sram->r, item, item_path};
        lsnn_tech_entry *e = &m->read64[i];
        if (yt_check_keys(&a, anchor_keys) ||
            yt_get_real(&a, "kib", YT_REQUIRED, YT_OPEN_CLOSED(0, 1e9), &m->anchor_kib[i]) ||
            yt_get_real(&a, "pj", YT_REQUIRED, YT_CLOSED(0, 1e9), &e->value) ||
            yt_get_string(&a, "source", YT_REQUIRED, e->source, sizeof e->source) ||
            yt_get_string(&a, "scope", YT_REQUIRED, e->scope, sizeof e->scope))
            return -1;
        if (i > 0 && !(m->anchor_kib[i] > m->anchor_kib[i - 1]))
            return yt_fail_node(sram->r, yt_lookup(item, "kib"),
                                "%s.kib must be larger than %s[%zu].kib (%g): anchors ascend in "
                                "size",
                                item_path, path, i - 1, m->anchor_kib[i - 1]);
        if (i > 0 && e->value < m->read64[i - 1].value)
            return yt_fail_node(sram->r, yt_lookup(item, "pj"),
                                "%s.pj %g is below %s[%zu].pj %g: a larger array must not read "
                                "cheaper",
                                item_path, e->value, path, i - 1, m->read64[i - 1].value);
    }
    m->n_anchors = (int)seq->n_items;
    return 0;
}

static int parse_sram(const yt_section *top, lsnn_tech_sram *m)
{
    char path[YT_PATH_LEN];
    yt_section s;
    if (yt_get_section(top, "sram", YT_REQUIRED, &s, path)) return -1;
    if (yt_check_keys(&s, sram_keys) || parse_anchors(&s, m)) return -1;
    return lsnn_tech_parse_entry(&s, "size_exponent", "ratio", YT_CLOSED(0, 2),
                                 &m->size_exponent) ||
                   lsnn_tech_parse_entry(&s, "write_per_read", "ratio", YT_CLOSED(0, 100),
                                         &m->write_per_read) ||
                   lsnn_tech_parse_entry(&s, "bank_max", "kib", YT_OPEN_CLOSED(0, 1e6),
                                         &m->bank_max) ||
                   lsnn_tech_parse_entry(&s, "bit_area", "um2", YT_CLOSED(0, 1e3), &m->bit_area) ||
                   lsnn_tech_parse_entry(&s, "bit_leakage", "pw", YT_CLOSED(0, 1e6),
                                         &m->bit_leakage) ||
                   lsnn_tech_parse_entry(&s, "retention", "ratio", YT_CLOSED(0, 1), &m->retention)
               ? -1
               : 0;
}

/* ops: the arithmetic entries of lsnn_tech_op_names, every one, no other. */
static int parse_arith(const yt_section *top, lsnn_tech_entry *ops)
{
    const char *names[LSNN_TECH_N_ARITH + 1];
    char path[YT_PATH_LEN];
    yt_section s;
    for (int i = 0; i < LSNN_TECH_N_ARITH; i++)
        names[i] = lsnn_tech_op_names[i];
    names[LSNN_TECH_N_ARITH] = NULL;
    if (yt_get_section(top, "ops", YT_REQUIRED, &s, path)) return -1;
    if (yt_check_keys(&s, names)) return -1;
    for (int i = 0; i < LSNN_TECH_N_ARITH; i++)
        if (lsnn_tech_parse_entry(&s, names[i], "pj", YT_CLOSED(0, 1e9), &ops[i])) return -1;
    return 0;
}

int lsnn_tech_parse_equal_terms(const yt_section *top, lsnn_tech_table *t)
{
    int given = 0;
    const char *missing = NULL, *present = NULL;
    if (yt_get_real(top, "fmax_mhz", YT_OPTIONAL, YT_OPEN_CLOSED(0, 10000), &t->fmax_mhz))
        return -1;
    for (int i = 0; et_sections[i]; i++) {
        if (yt_lookup(top->map, et_sections[i])) {
            given++;
            if (!present) present = et_sections[i];
        } else if (!missing) {
            missing = et_sections[i];
        }
    }
    if (given == 0) return 0;
    if (missing)
        return yt_fail_node(top->r, yt_lookup_key(top->map, present),
                            "'%s' needs '%s' too: sram, logic_leakage and ops go together (the "
                            "equal-terms pricing of the LSNN and the LSTM needs all three)",
                            present, missing);
    if (parse_sram(top, &t->sram) ||
        lsnn_tech_parse_entry(top, "logic_leakage", "watts", YT_CLOSED(0, 1e3),
                              &t->logic_leakage) ||
        parse_arith(top, t->ops))
        return -1;
    t->has_equal_terms = 1;
    return 0;
}
