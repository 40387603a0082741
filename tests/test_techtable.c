/* test_techtable.c - technology tables: the shipped tables, every entry sourced, positioned errors.
 *
 * Malformed tables are one textual edit of a generated valid table (one entry per line, in
 * lsnn_tech_event order from line 8), so each case is one row with its FILE:LINE:COL. */
#include "check.h"
#include "techtable.h"

#define FILE_NAME "tech.yaml"

static char base[4096];

/* Lines 1-7 header, 8-23 the events in enum order (pj = i + 1.5), 24 static. */
static void make_base(void)
{
    size_t k = (size_t)snprintf(base, sizeof base,
                                "version: 1\nkind: neurocore\nname: t\ntechnology: \"28 nm\"\n"
                                "clock_mhz: 100\nnotes: \"n\"\nevents:\n");
    for (int i = 0; i < LSNN_TECH_N_EVENTS; i++)
        k += (size_t)snprintf(base + k, sizeof base - k,
                              "  %s: {pj: %d.5, source: \"src %s\", scope: \"scope %s\"}\n",
                              lsnn_tech_event_names[i], i + 1, lsnn_tech_event_names[i],
                              lsnn_tech_event_names[i]);
    snprintf(base + k, sizeof base - k, "static: {watts: 0.001, source: \"s\", scope: \"x\"}\n");
}

typedef struct {
    const char *from, *to; /* the edit (first occurrence); from NULL: `to` is the whole text */
    const char *pos;
    const char *want1, *want2;
} bad_case;

#define SYN_OPS "  syn_ops: {pj: 5.5, source: \"src syn_ops\", scope: \"scope syn_ops\"}\n"

static const bad_case bad_cases[] = {
    {SYN_OPS, "  syn_ops: {pj: 5.5, scope: \"x\"}\n", "12:12",
     "missing required key 'source' in events.syn_ops", NULL},
    {SYN_OPS, "  syn_ops: {pj: 5.5, source: \"x\"}\n", "12:12",
     "missing required key 'scope' in events.syn_ops", NULL},
    {SYN_OPS, "  syn_ops: {source: \"x\", scope: \"y\"}\n", "12:12",
     "missing required key 'pj' in events.syn_ops", NULL},
    {SYN_OPS, "  syn_ops: {pj: -1, source: \"x\", scope: \"y\"}\n", "12:17",
     "events.syn_ops.pj must be in [0, 1e9]", "got -1"},
    {SYN_OPS, "  syn_ops: {pj: abc, source: \"x\", scope: \"y\"}\n", "12:17",
     "events.syn_ops.pj must be a number", "'abc'"},
    {SYN_OPS, "  syn_ops: {pj: \"2\", source: \"x\", scope: \"y\"}\n", "12:17",
     "events.syn_ops.pj must be a number", "'2'"},
    {SYN_OPS, "  syn_ops: {pj: 2, source: \"\", scope: \"y\"}\n", "12:28",
     "events.syn_ops.source must be a string of 1 to 255 characters", NULL},
    {SYN_OPS, "  syn_ops: {pj: 2, source: [a], scope: \"y\"}\n", "12:28",
     "events.syn_ops.source must be a string", "a sequence"},
    {SYN_OPS, "  syn_ops: 5\n", "12:12", "events.syn_ops must be a mapping of keys", "'5'"},
    {SYN_OPS, "  syn_ops: {pj: 1, source: \"x\", scope: \"y\", year: 2014}\n", "12:45",
     "unknown key 'year' in events.syn_ops", "allowed keys: pj, source, scope"},
    {"  syn_ops:", "  syn_opz:", "12:3", "unknown key 'syn_opz' in events",
     "allowed keys: events_in, latch_reads"},
    {"  noc_hops: {pj: 14.5, source: \"src noc_hops\", scope: \"scope noc_hops\"}\n", "", "8:3",
     "missing required key 'noc_hops' in events", NULL},
    {"  barrier_hops: {pj: 15.5, source: \"src barrier_hops\", scope: \"scope barrier_hops\"}\n",
     "", "8:3", "missing required key 'barrier_hops' in events", NULL},
    {"  barrier_hops: {pj: 15.5, source: \"src barrier_hops\", ", "  barrier_hops: {pj: 15.5, ",
     "22:17", "missing required key 'source' in events.barrier_hops", NULL},
    {"  syn_ops:", "  events_in:", "12:3", "duplicate key 'events_in' in events",
     "first given at 8:3"},
    {"static: {watts: 0.001,", "static: {watts: -0.5,", "24:17", "static.watts must be in [0, 1e3]",
     "got -0.5"},
    {"static: {watts: 0.001,", "static: {pj: 0.001,", "24:10", "unknown key 'pj' in static",
     "allowed keys: watts, source, scope"},
    {"static: {watts: 0.001, source: \"s\", ", "static: {watts: 0.001, ", "24:9",
     "missing required key 'source' in static", NULL},
    {"static:", "statics:", "24:1", "unknown key 'statics' at the top level", NULL},
    {"kind: neurocore\n", "kind: spinnaker\n", "2:7",
     "kind must be one of neurocore, "
     "reference_ops",
     "'spinnaker'"},
    {"version: 1\n", "version: 3\n", "1:10", "version must be 1", "got 3"},
    {"clock_mhz: 100\n", "", "1:1", "missing required key 'clock_mhz' at the top level", NULL},
    {"clock_mhz: 100\n", "clock_mhz: -5\n", "5:12", "clock_mhz must be in (0, 10000]", NULL},
    {"technology: \"28 nm\"\n", "technology: {node: 28}\n", "4:13", "technology must be a string",
     "a mapping"},
    {"kind: neurocore\n", "kind: reference_ops\n", "5:1", "unknown key 'clock_mhz'",
     "allowed keys: version, kind, name, technology, notes, ops"},
    {NULL,
     "version: 1\nkind: reference_ops\nname: r\ntechnology: x\nops:\n  int8_add: {pj: 1, "
     "source: s, scope: c}\n",
     "6:3", "missing required key 'int32_add' in ops", NULL},
    {NULL, "[1, 2]\n", "1:1", "the top level must be a mapping", "a sequence"},
    {NULL, "", "1:1", "the technology table is empty", NULL},
};

/* base and lines 25-47: the equal-terms sections (sram, logic_leakage, ops) and fmax_mhz */
static char et_base[8192];

static void make_et_base(void)
{
    size_t k = (size_t)snprintf(et_base, sizeof et_base,
                                "%ssram:\n  read64:\n"
                                "    - {kib: 8, pj: 2, source: \"a8\", scope: \"b8\"}\n"
                                "    - {kib: 32, pj: 4, source: \"a32\", scope: \"b32\"}\n"
                                "  size_exponent: {ratio: 0.5, source: \"s\", scope: \"x\"}\n"
                                "  write_per_read: {ratio: 1, source: \"s\", scope: \"x\"}\n"
                                "  bank_max: {kib: 32, source: \"s\", scope: \"x\"}\n"
                                "  bit_area: {um2: 0.17, source: \"s\", scope: \"x\"}\n"
                                "  bit_leakage: {pw: 400, source: \"s\", scope: \"x\"}\n"
                                "  retention: {ratio: 0.25, source: \"s\", scope: \"x\"}\n"
                                "logic_leakage: {watts: 1e-4, source: \"s\", scope: \"x\"}\n"
                                "ops:\n",
                                base);
    for (int i = 0; i < LSNN_TECH_N_ARITH; i++)
        k += (size_t)snprintf(et_base + k, sizeof et_base - k,
                              "  %s: {pj: 0.%d, source: \"s\", scope: \"x\"}\n",
                              lsnn_tech_op_names[i], i + 1);
    snprintf(et_base + k, sizeof et_base - k, "fmax_mhz: 250\n");
}

#define LEAK "  bit_leakage: {pw: 400, "
#define A32  "    - {kib: 32, pj: 4, "

static const bad_case et_bad_cases[] = {
    {LEAK, "  bit_leakage: {pw: -1, ", "33:21", "sram.bit_leakage.pw must be in [0, 1e6]",
     "got -1"},
    {LEAK, "  bit_leakage: {pj: 400, ", "33:17", "unknown key 'pj' in sram.bit_leakage",
     "allowed keys: pw, source, scope"},
    {"  retention: {ratio: 0.25, source: \"s\", ", "  retention: {ratio: 0.25, ", "34:14",
     "missing required key 'source' in sram.retention", NULL},
    {"  retention: {ratio: 0.25,", "  retention: {ratio: 1.5,", "34:22",
     "sram.retention.ratio must be in [0, 1]", NULL},
    {A32, "    - {kib: 4, pj: 4, ", "28:13", "sram.read64[1].kib must be larger than",
     "anchors ascend in size"},
    {A32, "    - {kib: 32, pj: 1, ", "28:21", "sram.read64[1].pj 1 is below sram.read64[0].pj 2",
     "must not read cheaper"},
    {"  read64:\n    - {kib: 8, pj: 2, source: \"a8\", scope: \"b8\"}\n    - {kib: 32, pj: 4, "
     "source: \"a32\", scope: \"b32\"}\n",
     "  read64: 5\n", "26:11", "sram.read64 must be a sequence of 1 to 8 anchors", "'5'"},
    {"    - {kib: 8, pj: 2, source: \"a8\", scope: \"b8\"}\n", "    - 5\n", "27:7",
     "sram.read64[0] must be a mapping of keys", NULL},
    {"  bank_max: {kib: 32,", "  bank_max: {kib: 0,", "31:19",
     "sram.bank_max.kib must be in (0, 1e6]", NULL},
    {"  int8_mac: {pj: 0.9,", "  int8_mac: {pj: x,", "45:18", "ops.int8_mac.pj must be a number",
     NULL},
    {"  fp32_mac: {pj: 0.10, source: \"s\", scope: \"x\"}\n", "", "37:3",
     "missing required key 'fp32_mac' in ops", NULL},
    {"  int8_add:", "  sram64_8kb:", "37:3", "unknown key 'sram64_8kb' in ops", NULL},
    {"logic_leakage: {watts: 1e-4, source: \"s\", scope: \"x\"}\n", "", "25:1",
     "'sram' needs 'logic_leakage' too", "go together"},
    {"fmax_mhz: 250", "fmax_mhz: 0", "47:11", "fmax_mhz must be in (0, 10000]", NULL},
};

static void edit_in(const char *base, const char *from, const char *to, char *out, size_t n)
{
    const char *at = from ? strstr(base, from) : NULL;
    if (!from) {
        snprintf(out, n, "%s", to);
    } else if (!at) {
        fprintf(stderr, "edit: '%s' not in base\n", from);
        snprintf(out, n, "%s", base);
    } else {
        snprintf(out, n, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
    }
}

/* Each case: one edit of src; the error names the file, line and column and the field. */
static void run_bad_cases(const char *src, const bad_case *cases, size_t n)
{
    static lsnn_tech_table t;
    for (size_t i = 0; i < n; i++) {
        const bad_case *c = &cases[i];
        char text[8192], prefix[64];
        lsnn_error e = {{0}};
        edit_in(src, c->from, c->to, text, sizeof text);
        t.clock_mhz = -7; /* must stay untouched on failure */
        int rc = lsnn_tech_parse(FILE_NAME, text, strlen(text), &t, &e);
        snprintf(prefix, sizeof prefix, "%s:%s: error: ", FILE_NAME, c->pos);
        CHECK(rc == -1, "case %zu was accepted", i);
        CHECK(strncmp(e.msg, prefix, strlen(prefix)) == 0, "case %zu: want %s..., got %s", i,
              prefix, e.msg);
        CHECK(strstr(e.msg, c->want1) != NULL, "case %zu: want '%s' in: %s", i, c->want1, e.msg);
        CHECK(!c->want2 || strstr(e.msg, c->want2) != NULL, "case %zu: want '%s' in: %s", i,
              c->want2, e.msg);
        CHECK(t.clock_mhz == -7, "case %zu: output written on failure", i);
    }
}

static void test_bad_cases(void)
{
    run_bad_cases(base, bad_cases, sizeof bad_cases / sizeof bad_cases[0]);
    run_bad_cases(et_base, et_bad_cases, sizeof et_bad_cases / sizeof et_bad_cases[0]);
}

/* The equal-terms sections parse into the table; without them it has none. */
static void test_et_base(void)
{
    static lsnn_tech_table t;
    lsnn_error e = {{0}};
    CHECK(lsnn_tech_parse(FILE_NAME, et_base, strlen(et_base), &t, &e) == 0, "et: %s", e.msg);
    CHECK(t.has_equal_terms && t.fmax_mhz == 250 && t.sram.n_anchors == 2, "sections");
    CHECK(t.sram.anchor_kib[1] == 32 && t.sram.read64[1].value == 4 &&
              strcmp(t.sram.read64[1].source, "a32") == 0 && t.sram.bit_leakage.value == 400 &&
              t.sram.retention.value == 0.25 && t.logic_leakage.value == 1e-4,
          "sram values");
    CHECK(t.ops[LSNN_OP_INT8_MAC].value == 0.9 && t.ops[LSNN_OP_FP32_MAC].value == 0.10,
          "ops %g %g", t.ops[LSNN_OP_INT8_MAC].value, t.ops[LSNN_OP_FP32_MAC].value);
    CHECK(lsnn_tech_parse(FILE_NAME, base, strlen(base), &t, &e) == 0 && !t.has_equal_terms &&
              t.fmax_mhz == 0,
          "a table without them stays valid");
}

static void test_base(void)
{
    static lsnn_tech_table t;
    lsnn_error e = {{0}};
    CHECK(lsnn_tech_parse(FILE_NAME, base, strlen(base), &t, &e) == 0, "base: %s", e.msg);
    CHECK(t.kind == LSNN_TECH_NEUROCORE && strcmp(t.name, "t") == 0, "header");
    CHECK(strcmp(t.technology, "28 nm") == 0 && t.clock_mhz == 100, "header 2");
    for (int i = 0; i < LSNN_TECH_N_EVENTS; i++) {
        char src[64];
        snprintf(src, sizeof src, "src %s", lsnn_tech_event_names[i]);
        CHECK(t.events[i].value == i + 1.5, "event %d value %g", i, t.events[i].value);
        CHECK(strcmp(t.events[i].source, src) == 0, "event %d source %s", i, t.events[i].source);
    }
    CHECK(t.static_power.value == 0.001, "static %g", t.static_power.value);
}

static void load_shipped(const char *file, lsnn_tech_table *t)
{
    char path[1024];
    const char *root = getenv("LSNN_SOURCE_DIR");
    lsnn_error e = {{0}};
    snprintf(path, sizeof path, "%s/models/tech/%s", root ? root : "..", file);
    CHECK(lsnn_tech_load(path, t, &e) == 0, "%s: %s", path, e.msg);
}

static void check_entry(const char *table, const char *name, const lsnn_tech_entry *x)
{
    CHECK(x->source[0] && x->scope[0], "%s.%s lacks source or scope", table, name);
    CHECK(x->value >= 0, "%s.%s negative", table, name);
}

/* The shipped tables load, every entry is sourced and scoped, and key figures are as quoted
 * in spec/hardware-anchors.md. */
static void test_shipped(void)
{
    static lsnn_tech_table t;
    static const char *const neurocore_tables[] = {"odin_reckon_28nm.yaml", "loihi_like.yaml",
                                                   "own_180nm.yaml"};
    for (int k = 0; k < 3; k++) {
        load_shipped(neurocore_tables[k], &t);
        CHECK(t.kind == LSNN_TECH_NEUROCORE && t.clock_mhz > 0, "%s kind", neurocore_tables[k]);
        for (int i = 0; i < LSNN_TECH_N_EVENTS; i++)
            check_entry(t.name, lsnn_tech_event_names[i], &t.events[i]);
        check_entry(t.name, "static", &t.static_power);
        CHECK(t.notes[0] != '\0', "%s has no notes", t.name);
        CHECK(t.has_equal_terms == (k == 0), "%s: equal-terms sections", t.name);
        if (k == 0) {
            for (int a = 0; a < t.sram.n_anchors; a++)
                check_entry(t.name, "sram.read64", &t.sram.read64[a]);
            const lsnn_tech_entry *sram[] = {
                &t.sram.size_exponent, &t.sram.write_per_read, &t.sram.bank_max, &t.sram.bit_area,
                &t.sram.bit_leakage,   &t.sram.retention,      &t.logic_leakage};
            for (int a = 0; a < 7; a++)
                check_entry(t.name, "sram", sram[a]);
            for (int i = 0; i < LSNN_TECH_N_ARITH; i++)
                check_entry(t.name, lsnn_tech_op_names[i], &t.ops[i]);
            CHECK(t.sram.bank_max.value == 32, "32 KiB banks, as syn_word_reads assumed");
            CHECK(t.events[LSNN_TECH_NOC_HOPS].value == 2.3, "TrueNorth hop 2.3 pJ");
            CHECK(t.events[LSNN_TECH_BARRIER_HOPS].value == 2.3 / 32, "barrier token: hop / 32");
            CHECK(t.events[LSNN_TECH_SPIKES_HOST].value == 64, "2 pJ/bit x 32");
            CHECK(t.static_power.value == 2.135e-4, "ODIN static");
        } else if (k == 2) { /* hw/gates/run.sh's table: logic only, figures from the run */
            CHECK(t.events[LSNN_TECH_SYN_OPS].value > 0 && t.events[LSNN_TECH_NEURON_UPDATES].value > 0,
                  "own_180nm: SOP and neuron update priced");
            CHECK(t.events[LSNN_TECH_SYN_WORD_READS].value == 0 &&
                      t.events[LSNN_TECH_STATE_READS].value == 0,
                  "own_180nm: memory accesses not priced (logic only)");
            CHECK(t.static_power.value > 0, "own_180nm: leakage + clock");
        } else {
            CHECK(t.events[LSNN_TECH_SYN_OPS].value == 23.6, "Loihi SOP 23.6 pJ");
            CHECK(t.events[LSNN_TECH_NEURON_UPDATES].value == 52, "Loihi inactive update");
            CHECK(t.events[LSNN_TECH_ROUTE_LOOKUPS].value == 29, "81 - 52");
            CHECK(t.events[LSNN_TECH_NOC_HOPS].value == 3.5, "mean hop");
            CHECK(t.events[LSNN_TECH_BARRIER_HOPS].value == 3.5 / 32, "barrier token: hop / 32");
        }
    }
    load_shipped("horowitz_45nm.yaml", &t);
    CHECK(t.kind == LSNN_TECH_REFERENCE_OPS, "horowitz kind");
    for (int i = 0; i < LSNN_TECH_N_OPS; i++)
        check_entry(t.name, lsnn_tech_op_names[i], &t.ops[i]);
    CHECK(t.ops[LSNN_OP_FP32_MAC].value == 4.6 && t.ops[LSNN_OP_INT8_MAC].value == 0.23, "MACs");
    CHECK(t.ops[LSNN_OP_SRAM64_8KB].value == 10 && t.ops[LSNN_OP_SRAM64_1MB].value == 100, "SRAM");
    CHECK(t.ops[LSNN_OP_DRAM64_LOW].value == 1300 && t.ops[LSNN_OP_DRAM64_HIGH].value == 2600,
          "DRAM");
}

int main(void)
{
    make_base();
    make_et_base();
    test_bad_cases();
    test_base();
    test_et_base();
    test_shipped();
    return check_report();
}
