/* test_hwconfig.c - the hardware config parser: shipped cores, defaults, positioned errors.
 *
 * Malformed configs are one textual edit of a valid base config, so each case is one table
 * row: the expected FILE:LINE:COL (in lines of the edited text), then words the message must
 * hold (the key and the allowed range). */
#include "check.h"
#include "hwconfig.h"

#define FILE_NAME "hw.yaml"

static const char base[] = "version: 1\n"             /*  1 */
                           "name: test_core\n"        /*  2 */
                           "neurocore: 3\n"           /*  3 */
                           "clock_mhz: 50\n"          /*  4 */
                           "mesh: [2, 3]\n"           /*  5 */
                           "core:\n"                  /*  6 */
                           "  neurons: 128\n"         /*  7 */
                           "  axons: 2048\n"          /*  8 */
                           "  synapse_words: 4096\n"  /*  9 */
                           "  synapses_per_word: 8\n" /* 10 */
                           "  delay_slots: 32\n"      /* 11 */
                           "  profiles: 4\n"          /* 12 */
                           "  route_entries: 512\n"   /* 13 */
                           "  weight_bits: 6\n"       /* 14 */
                           "  v_bits: 20\n"           /* 15 */
                           "  acc_bits: 24\n"         /* 16 */
                           "  a_frac_bits: 6\n"       /* 17 */
                           "  ref_bits: 4\n"          /* 18 */
                           "  decay_bits: 12\n"       /* 19 */
                           "  fifo_in: 8\n"           /* 20 */
                           "  fifo_out: 32\n";        /* 21 */

typedef struct {
    const char *from, *to; /* the edit (first occurrence); from NULL: `to` is the whole text */
    const char *pos;       /* "LINE:COL" */
    const char *want1, *want2;
} bad_case;

static const bad_case bad_cases[] = {
    /* structure */
    {NULL, "", "1:1", "hardware config is empty", "expected a mapping"},
    {NULL, "- 1\n", "1:1", "top level must be a mapping", "a sequence"},
    {"version: 1\n", "version: 2\n", "1:10", "version must be 1", "got 2"},
    {"version: 1\n", "", "1:1", "missing required key 'version'", "top level"},
    {"name: test_core\n", "", "1:1", "missing required key 'name'", "top level"},
    {"name: test_core\n", "name: a b\n", "2:7", "name must be 1 to 63 characters", "'a b'"},
    {"neurocore: 3\n", "neurocore: 2\n", "3:12", "neurocore must be 3", "got 2"},
    {"clock_mhz: 50\n", "clock_mhz: 50\nspeed: 3\n", "5:1", "unknown key 'speed'",
     "allowed keys: version, name, neurocore, clock_mhz, mesh, noc_buffer, core"},
    {"name: test_core\n", "name: test_core\nname: x\n", "3:1", "duplicate key 'name'",
     "first given at 2:1"},
    {"  fifo_out: 32\n", "  fifo_out: 32\n  lanes: 2\n", "22:3", "unknown key 'lanes' in core",
     "allowed keys: neurons"},
    /* types */
    {"clock_mhz: 50\n", "clock_mhz: fast\n", "4:12", "clock_mhz must be a number", "'fast'"},
    {"clock_mhz: 50\n", "clock_mhz: 0\n", "4:12", "clock_mhz must be in (0, 10000]", "got 0"},
    {"  neurons: 128\n", "  neurons: 12.5\n", "7:12", "core.neurons must be an integer", "'12.5'"},
    {"  neurons: 128\n", "  neurons: \"128\"\n", "7:12", "core.neurons must be an integer",
     "'128'"},
    {NULL, "version: 1\nname: a\ncore: 5\n", "3:7", "core must be a mapping of keys", "'5'"},
    /* powers of two, multiples, ranges */
    {"  neurons: 128\n", "  neurons: 100\n", "7:12", "core.neurons must be a power of 2",
     "[8, 4096], got 100"},
    {"  neurons: 128\n", "  neurons: 8192\n", "7:12", "core.neurons must be an integer",
     "[8, 4096], got 8192"},
    {"  axons: 2048\n", "  axons: 1000\n", "8:10", "core.axons must be a multiple of 32",
     "[32, 65536], got 1000"},
    {"  synapse_words: 4096\n", "  synapse_words: 128\n", "9:18", "core.synapse_words",
     "[256, 1048576], got 128"},
    {"  synapses_per_word: 8\n", "  synapses_per_word: 3\n", "10:22",
     "core.synapses_per_word must be a power of 2", "[1, 8], got 3"},
    {"  synapses_per_word: 8\n", "  synapses_per_word: 16\n", "10:22", "core.synapses_per_word",
     "[1, 8], got 16"},
    {"  delay_slots: 32\n", "  delay_slots: 10\n", "11:16", "core.delay_slots must be a power of 2",
     "[1, 64], got 10"},
    {"  profiles: 4\n", "  profiles: 128\n", "12:13", "core.profiles", "[1, 64], got 128"},
    {"  route_entries: 512\n", "  route_entries: 8\n", "13:18", "core.route_entries",
     "[16, 65536], got 8"},
    {"  weight_bits: 6\n", "  weight_bits: 1\n", "14:16", "core.weight_bits", "[2, 16], got 1"},
    {"  v_bits: 20\n", "  v_bits: 33\n", "15:11", "core.v_bits", "[16, 32], got 33"},
    {"  a_frac_bits: 6\n", "  a_frac_bits: 9\n", "17:16", "core.a_frac_bits", "[0, 8], got 9"},
    {"  ref_bits: 4\n", "  ref_bits: 0\n", "18:13", "core.ref_bits", "[1, 10], got 0"},
    {"  decay_bits: 12\n", "  decay_bits: 17\n", "19:15", "core.decay_bits", "[8, 16], got 17"},
    {"  fifo_in: 8\n", "  fifo_in: 1\n", "20:12", "core.fifo_in", "[2, 4096], got 1"},
    {"  fifo_out: 32\n", "  fifo_out: 5000\n", "21:13", "core.fifo_out", "[2, 4096], got 5000"},
    /* inequalities */
    {"  acc_bits: 24\n", "  acc_bits: 16\n", "16:13", "core.acc_bits (U = 16)",
     "U >= core.v_bits (V = 20)"},
    {"  v_bits: 20\n  acc_bits: 24\n", "  v_bits: 32\n", "15:11", "core.acc_bits (U = 28)",
     "U >= core.v_bits (V = 32)"},
    /* S <= N and V + G <= 40 are checked too, but the ranges above already imply them
     * (S <= 8 <= N, V + G <= 32 + 8); the checks guard future range changes. */
    /* mesh */
    {"mesh: [2, 3]\n", "mesh: [32, 16]\n", "5:8", "mesh[0] must be an integer", "[1, 16], got 32"},
    {"mesh: [2, 3]\n", "mesh: [2, 3]\nnoc_buffer: 0\n", "6:13", "noc_buffer must be an integer",
     "[1, 16], got 0"},
    {"mesh: [2, 3]\n", "mesh: [2, 3, 1]\n", "5:7", "mesh must be a sequence [x, y]",
     "another length"},
    {"mesh: [2, 3]\n", "mesh: 4\n", "5:7", "mesh must be a sequence [x, y]", "'4'"},
    {"mesh: [2, 3]\n", "mesh: [0, 3]\n", "5:8", "mesh[0] must be an integer", "[1, 16], got 0"},
    {"mesh: [2, 3]\n", "mesh: [2, x]\n", "5:11", "mesh[1] must be an integer", "'x'"},
    {"mesh: [2, 3]\n", "mesh: [2, 300]\n", "5:11", "mesh[1]", "[1, 16], got 300"},
    /* YAML features refused by the tree layer */
    {"name: test_core\n", "name: &n test_core\nx: *n\n", "3:4", "aliases", NULL},
    {"clock_mhz: 50\n", "clock_mhz: !!float 50\n", "4:12", "explicit YAML tags", NULL},
};

/* Replaces the first `from` in base by `to` into out. */
static void edit(const char *from, const char *to, char *out, size_t n)
{
    if (!from) {
        snprintf(out, n, "%s", to);
        return;
    }
    const char *at = strstr(base, from);
    if (!at) {
        snprintf(out, n, "%s", base);
        fprintf(stderr, "edit: '%s' not in base\n", from);
        return;
    }
    snprintf(out, n, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
}

static void test_bad_cases(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char text[4096], prefix[64];
        lsnn_hw_config cfg;
        lsnn_error e = {{0}};
        edit(c->from, c->to, text, sizeof text);
        lsnn_hw_defaults(&cfg);
        cfg.neurons = -7; /* must stay untouched on failure */
        int rc = lsnn_hw_parse(FILE_NAME, text, strlen(text), &cfg, &e);
        snprintf(prefix, sizeof prefix, "%s:%s: error: ", FILE_NAME, c->pos);
        CHECK(rc == -1, "case %zu (%s) was accepted", i, c->to);
        CHECK(strncmp(e.msg, prefix, strlen(prefix)) == 0, "case %zu: want %s..., got %s", i,
              prefix, e.msg);
        CHECK(strstr(e.msg, c->want1) != NULL, "case %zu: want '%s' in: %s", i, c->want1, e.msg);
        CHECK(!c->want2 || strstr(e.msg, c->want2) != NULL, "case %zu: want '%s' in: %s", i,
              c->want2, e.msg);
        CHECK(cfg.neurons == -7, "case %zu: output written on failure", i);
    }
}

static void test_base(void)
{
    lsnn_hw_config c;
    lsnn_error e = {{0}};
    int rc = lsnn_hw_parse(FILE_NAME, base, strlen(base), &c, &e);
    CHECK(rc == 0, "base config: %s", e.msg);
    CHECK(strcmp(c.name, "test_core") == 0 && c.clock_mhz == 50, "top keys");
    CHECK(c.mesh_x == 2 && c.mesh_y == 3 && lsnn_hw_cores(&c) == 6, "mesh");
    CHECK(c.neurons == 128 && c.axons == 2048 && c.synapse_words == 4096, "memories");
    CHECK(c.synapses_per_word == 8 && c.delay_slots == 32 && c.profiles == 4, "memories 2");
    CHECK(c.route_entries == 512 && c.weight_bits == 6 && c.v_bits == 20, "widths");
    CHECK(c.acc_bits == 24 && c.a_frac_bits == 6 && c.ref_bits == 4, "widths 2");
    CHECK(c.decay_bits == 12 && c.fifo_in == 8 && c.fifo_out == 32, "widths 3");
}

/* A config of only version and name is the default core under that name. */
static void test_defaults(void)
{
    static const char text[] = "version: 1\nname: d\n";
    lsnn_hw_config c, d;
    lsnn_error e = {{0}};
    CHECK(lsnn_hw_parse(FILE_NAME, text, strlen(text), &c, &e) == 0, "%s", e.msg);
    lsnn_hw_defaults(&d);
    strcpy(d.name, "d");
    CHECK(memcmp(&c, &d, sizeof c) == 0, "defaults differ from lsnn_hw_defaults");
}

static void load_shipped(const char *file, lsnn_hw_config *c)
{
    char path[1024];
    const char *root = getenv("LSNN_SOURCE_DIR");
    lsnn_error e = {{0}};
    snprintf(path, sizeof path, "%s/models/hw/%s", root ? root : "..", file);
    CHECK(lsnn_hw_load(path, c, &e) == 0, "%s: %s", path, e.msg);
}

/* The shipped files hold the values of docs/neurocore.md §2 and §14. */
static void test_shipped(void)
{
    lsnn_hw_config c, d;
    lsnn_hw_defaults(&d);
    load_shipped("default.yaml", &c);
    CHECK(memcmp(&c, &d, sizeof c) == 0, "default.yaml is not the default core");
    CHECK(c.neurons == 256 && c.axons == 1024 && c.synapse_words == 65536, "default memories");
    CHECK(c.profiles == 16 && c.route_entries == 1024 && lsnn_hw_cores(&c) == 1, "default");
    CHECK(c.clock_mhz == 100 && c.neurocore == LSNN_NEUROCORE && c.version == 1 && c.noc_buffer == 4,
          "default chip keys");
    load_shipped("small.yaml", &c);
    CHECK(strcmp(c.name, "small") == 0, "small name %s", c.name);
    CHECK(c.neurons == 64 && c.axons == 512 && c.synapse_words == 16384, "small memories");
    CHECK(c.profiles == 8 && c.route_entries == 256, "small profiles/routes");
    CHECK(c.mesh_x == 4 && c.mesh_y == 2 && lsnn_hw_cores(&c) == 8, "small mesh");
    /* everything else as in the default core */
    d.neurons = 64, d.axons = 512, d.synapse_words = 16384, d.profiles = 8;
    d.route_entries = 256, d.mesh_x = 4, d.mesh_y = 2;
    strcpy(d.name, "small");
    CHECK(memcmp(&c, &d, sizeof c) == 0, "small.yaml differs from §14 beyond the listed keys");
}

static void test_missing_file(void)
{
    lsnn_hw_config c;
    lsnn_error e = {{0}};
    CHECK(lsnn_hw_load("/nonexistent/hw.yaml", &c, &e) == -1, "missing file accepted");
    CHECK(strstr(e.msg, "/nonexistent/hw.yaml") != NULL, "message names the file: %s", e.msg);
}

int main(void)
{
    test_bad_cases();
    test_base();
    test_defaults();
    test_shipped();
    test_missing_file();
    return check_report();
}
