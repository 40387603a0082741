/* techtable.c - strict parsing of technology tables (models/tech/NAME.yaml) into lsnn_tech_table.
 */
#include "techtable.h"

#include "fileio.h"
#include "techtable_internal.h"
#include "yamltree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define TECH_EXPECTED                                                                              \
    "a mapping with keys version, kind, name, technology, clock_mhz, notes and events, "           \
    "static (kind neurocore; optionally fmax_mhz, sram, logic_leakage, ops) or ops (kind "         \
    "reference_ops)"

const char *const lsnn_tech_event_names[LSNN_TECH_N_EVENTS + 1] = {
    "events_in",   "latch_reads",    "syn_events",   "syn_word_reads",
    "syn_ops",     "neuron_updates", "state_reads",  "state_writes",
    "acc_reads",   "route_lookups",  "route_reads",  "spikes_local",
    "spikes_core", "noc_hops",       "barrier_hops", "spikes_host",
    NULL};

const char *const lsnn_tech_op_names[LSNN_TECH_N_OPS + 1] = {
    "int8_add",   "int32_add",  "int8_mult",   "int32_mult", "fp16_add",   "fp32_add",
    "fp16_mult",  "fp32_mult",  "int8_mac",    "fp32_mac",   "sram64_8kb", "sram64_32kb",
    "sram64_1mb", "dram64_low", "dram64_high", NULL};

static const char *const kind_names[] = {"neurocore", "reference_ops", NULL};
static const char *const neurocore_keys[] = {
    "version", "kind",     "name", "technology",    "clock_mhz", "notes",      "events",
    "static",  "fmax_mhz", "sram", "logic_leakage", "ops",       "logic_only", NULL};
static const char *const reference_keys[] = {"version", "kind", "name", "technology",
                                             "notes",   "ops",  NULL};
/* One entry {<unit>: x, source: "...", scope: "..."}; unit is "pj" or "watts". */
static int parse_entry(const yt_section *parent, const char *key, const char *unit,
                       lsnn_tech_entry *out)
{
    int is_pj = strcmp(unit, "pj") == 0;
    return lsnn_tech_parse_entry(parent, key, unit, is_pj ? YT_CLOSED(0, 1e9) : YT_CLOSED(0, 1e3),
                                 out);
}

/* A mapping of named pJ entries: every name of names once, no other key. */
static int parse_entries(const yt_section *top, const char *key, const char *const *names,
                         lsnn_tech_entry *out)
{
    char path[YT_PATH_LEN];
    yt_section s;
    if (yt_get_section(top, key, YT_REQUIRED, &s, path)) return -1;
    if (yt_check_keys(&s, names)) return -1;
    for (int i = 0; names[i]; i++)
        if (parse_entry(&s, names[i], "pj", &out[i])) return -1;
    return 0;
}

/* version, kind, name, technology, notes: the keys both kinds share. */
static int parse_header(const yt_section *top, lsnn_tech_table *t)
{
    long long version = 0;
    int kind = 0;
    if (yt_get_integer(top, "version", YT_REQUIRED, INT64_MIN, INT64_MAX, &version)) return -1;
    if (version != LSNN_TECH_VERSION)
        return yt_fail_node(top->r, yt_lookup(top->map, "version"),
                            "version must be %d (the only technology-table version this build "
                            "reads), got %lld",
                            LSNN_TECH_VERSION, version);
    if (yt_get_enum(top, "kind", YT_REQUIRED, kind_names, &kind)) return -1;
    t->kind = (lsnn_tech_kind)kind;
    if (yt_check_keys(top, kind == LSNN_TECH_NEUROCORE ? neurocore_keys : reference_keys))
        return -1;
    if (yt_get_name(top, "name", t->name, sizeof t->name)) return -1;
    if (yt_get_string(top, "technology", YT_REQUIRED, t->technology, sizeof t->technology))
        return -1;
    if (kind == LSNN_TECH_NEUROCORE && yt_get_bool(top, "logic_only", YT_OPTIONAL, &t->logic_only))
        return -1;
    return yt_get_string(top, "notes", YT_OPTIONAL, t->notes, sizeof t->notes);
}

static int parse_table(const yt_report *r, const yt_node *root, lsnn_tech_table *t)
{
    char what[YT_WHAT_LEN];
    yt_section top = {r, root, ""};
    if (root->kind != YT_MAPPING)
        return yt_fail_node(r, root, "the top level must be %s; got %s", TECH_EXPECTED,
                            yt_describe(root, what, sizeof what));
    if (parse_header(&top, t)) return -1;
    if (t->kind == LSNN_TECH_REFERENCE_OPS)
        return parse_entries(&top, "ops", lsnn_tech_op_names, t->ops);
    if (yt_get_real(&top, "clock_mhz", YT_REQUIRED, YT_OPEN_CLOSED(0, 10000), &t->clock_mhz))
        return -1;
    if (parse_entries(&top, "events", lsnn_tech_event_names, t->events)) return -1;
    if (parse_entry(&top, "static", "watts", &t->static_power)) return -1;
    return lsnn_tech_parse_equal_terms(&top, t);
}

int lsnn_tech_parse(const char *name, const char *text, unsigned long len, lsnn_tech_table *out,
                    lsnn_error *e)
{
    yt_report r = {name ? name : "<technology table>", e};
    yt_node *root;
    lsnn_tech_table *t = calloc(1, sizeof *t);
    if (!t) return lsnn_fail(e, "%s: out of memory", r.file);
    if (yt_load(&r, text, len, "technology table", TECH_EXPECTED, &root)) {
        free(t);
        return -1;
    }
    t->version = LSNN_TECH_VERSION;
    int rc = parse_table(&r, root, t);
    yt_free(root);
    if (rc == 0) *out = *t;
    free(t);
    return rc;
}

int lsnn_tech_load(const char *path, lsnn_tech_table *out, lsnn_error *e)
{
    char *text = NULL;
    size_t len = 0;
    if (lsnn_read_file(path, &text, &len, e)) return -1;
    int rc = lsnn_tech_parse(path, text, len, out, e);
    free(text);
    return rc;
}
