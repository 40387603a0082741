/* fuzz_techtable.c - libFuzzer target for the technology-table reader (lsnn_tech_parse,
 * runtime/config/techtable.c and techtable_et.c over runtime/base/yamltree.c).
 *
 * Every input is parsed as a whole models/tech/NAME.yaml. A table that is accepted must hold
 * finite, non-negative figures in the ranges of docs/tech-tables.md, a source and a scope for
 * every entry it prices, SRAM anchors that ascend in size and never read cheaper, and strings
 * that end within their fields. A refused one must report "fuzz:LINE:COL: error: ...". Seeds:
 * tests/fuzz_corpus/techtable (the models/tech/ files); docs/fuzzing.md has the commands. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "techtable.h"

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_techtable: %s: %s\n", what, msg);
    abort();
}

static void text(const char *s, size_t cap, int required, const char *what)
{
    size_t n = strnlen(s, cap);
    if (n == cap || (required && n == 0)) die("a string field", what);
}

static void entry(const lsnn_tech_entry *x, double hi, const char *what)
{
    if (!isfinite(x->value) || x->value < 0 || x->value > hi) die("a figure out of range", what);
    text(x->source, sizeof x->source, 1, what);
    text(x->scope, sizeof x->scope, 1, what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lsnn_tech_table t; /* about 65 KB */
    lsnn_error e;
    if (lsnn_tech_parse("fuzz", (const char *)data, size, &t, &e)) {
        if (strncmp(e.msg, "fuzz:", 5) != 0) die("a message without FILE:LINE", e.msg);
        if (!strstr(e.msg, ": error: ")) die("a message without 'error:'", e.msg);
        return 0;
    }
    if (t.version != LSNN_TECH_VERSION) die("version", "");
    text(t.name, sizeof t.name, 1, "name");
    text(t.technology, sizeof t.technology, 1, "technology");
    text(t.notes, sizeof t.notes, 0, "notes");
    if (t.kind == LSNN_TECH_REFERENCE_OPS) {
        for (int i = 0; i < LSNN_TECH_N_OPS; i++)
            entry(&t.ops[i], 1e9, lsnn_tech_op_names[i]);
        if (t.has_equal_terms || t.logic_only || t.clock_mhz != 0 || t.fmax_mhz != 0)
            die("neurocore keys in a reference_ops table", "");
        return 0;
    }
    if (t.kind != LSNN_TECH_NEUROCORE) die("kind", "");
    if (!isfinite(t.clock_mhz) || !(t.clock_mhz > 0) || t.clock_mhz > 10000) die("clock", "");
    if (!isfinite(t.fmax_mhz) || t.fmax_mhz < 0 || t.fmax_mhz > 10000) die("fmax_mhz", "");
    if (t.logic_only != 0 && t.logic_only != 1) die("logic_only", "");
    for (int i = 0; i < LSNN_TECH_N_EVENTS; i++)
        entry(&t.events[i], 1e9, lsnn_tech_event_names[i]);
    entry(&t.static_power, 1e3, "static");
    if (!t.has_equal_terms) {
        if (t.sram.n_anchors != 0) die("SRAM anchors without the equal-terms sections", "");
        return 0;
    }
    if (t.has_equal_terms != 1) die("has_equal_terms", "");
    const lsnn_tech_sram *m = &t.sram;
    if (m->n_anchors < 1 || m->n_anchors > LSNN_SRAM_MAX_ANCHORS) die("anchor count", "");
    for (int i = 0; i < m->n_anchors; i++) {
        entry(&m->read64[i], 1e9, "sram.read64");
        if (!isfinite(m->anchor_kib[i]) || !(m->anchor_kib[i] > 0) || m->anchor_kib[i] > 1e9)
            die("an anchor size", "");
        if (i > 0 && (!(m->anchor_kib[i] > m->anchor_kib[i - 1]) ||
                      m->read64[i].value < m->read64[i - 1].value))
            die("anchors not monotonic", "");
    }
    entry(&m->size_exponent, 2, "sram.size_exponent");
    entry(&m->write_per_read, 100, "sram.write_per_read");
    entry(&m->bank_max, 1e6, "sram.bank_max");
    if (!(m->bank_max.value > 0)) die("sram.bank_max is 0", "");
    entry(&m->bit_area, 1e3, "sram.bit_area");
    entry(&m->bit_leakage, 1e6, "sram.bit_leakage");
    entry(&m->retention, 1, "sram.retention");
    entry(&t.logic_leakage, 1e3, "logic_leakage");
    for (int i = 0; i < LSNN_TECH_N_ARITH; i++)
        entry(&t.ops[i], 1e9, lsnn_tech_op_names[i]);
    return 0;
}
