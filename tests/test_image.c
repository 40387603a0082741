/* test_image.c - the hardware image (runtime/chip/image.c): round trip, $readmemh files, corruption. */
#include "check.h"
#include "image.h"
#include "image_fixup.h"

#include "fileio.h"

#include <stdint.h>

/* ---- two hand-programmed cores ------------------------------------------------------------ */

/* N 8, X 64, M 256, S 4, D 4, P 4, R 16 on a 2x1 mesh; V 24, U 28, G 8, Q 8, K 16, W 8. */
static lsnn_hw_config tiny_cfg(void)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    snprintf(g.name, sizeof g.name, "tiny");
    g.mesh_x = 2;
    g.neurons = 8;
    g.axons = 64;
    g.synapse_words = 256;
    g.delay_slots = 4;
    g.profiles = 4;
    g.route_entries = 16;
    return g;
}

static uint32_t rng_state = 12345;
static uint32_t rnd(uint32_t n) /* 0..n-1 */
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (rng_state >> 8) % n;
}

static void ok(int rc, const lsnn_error *e)
{
    CHECK(rc == 0, "setter failed: %s", e->msg);
}

static void program_profiles(lsnn_ref_core *c, lsnn_error *e)
{
    lsnn_ref_profile alif = {.mode = 0,
                             .n_ref = 2,
                             .f_v = 16,
                             .k_v = 3000,
                             .f_a = 16,
                             .k_a = 70,
                             .b0 = 900,
                             .inc = 40000};
    lsnn_ref_profile lif = {
        .mode = 0, .spk_prev = 1, .n_ref = 1, .f_v = 12, .k_v = 300, .b0 = 1200};
    lsnn_ref_profile ro = {.mode = 1, .f_v = 16, .k_v = 2000};
    ok(lsnn_ref_set_profile(c, 0, &alif, e), e);
    ok(lsnn_ref_set_profile(c, 1, &lif, e), e);
    ok(lsnn_ref_set_profile(c, 2, &ro, e), e); /* row 3 stays empty */
}

/* Neurons 0..nu-3 spike (profiles 0/1), nu-2 and nu-1 are readouts. Every valid SYN lane
 * targets a neuron < nu; routes go to the own core (rel), to `other` core's axons 0..7 (rel)
 * and to the host. */
static void program_core(lsnn_ref_core *c, uint32_t id, uint32_t nu, uint32_t xu, uint32_t other)
{
    lsnn_error e = {{0}};
    uint32_t S = 4;
    ok(lsnn_ref_set_core_id(c, id, &e), &e);
    ok(lsnn_ref_set_nu(c, nu, &e), &e);
    ok(lsnn_ref_set_xu(c, xu, &e), &e);
    program_profiles(c, &e);
    for (uint32_t n = 0; n < nu; n++) {
        ok(lsnn_ref_set_ncfg(c, n, n >= nu - 2 ? 2 : n % 2, &e), &e);
        lsnn_ref_state s = {
            .v = (int64_t)rnd(1600) - 800, .a = rnd(5000), .ref = rnd(2), .z = rnd(2)};
        ok(lsnn_ref_set_state(c, n, &s, &e), &e);
    }
    for (uint32_t a = 0; a < xu; a++) {
        lsnn_ref_axt t = {.base = 3 * a, .cnt = 1 + rnd(3), .wexp = rnd(6)};
        ok(lsnn_ref_set_axt(c, a, &t, &e), &e);
        for (uint32_t w = t.base; w < t.base + t.cnt; w++)
            for (uint32_t j = 0; j < S; j++) {
                lsnn_ref_lane l = {
                    .valid = rnd(4) != 0, .d = rnd(4), .tgt = rnd(2), .m = (int32_t)rnd(255) - 127};
                if (l.tgt * S + j >= nu) l.tgt = 0;
                ok(lsnn_ref_set_syn(c, w, j, &l, &e), &e);
            }
    }
    lsnn_ref_rte own = {.kind = LSNN_REF_RTE_CORE, .rel = 1, .core = id, .axon = 20};
    lsnn_ref_rte far = {.kind = LSNN_REF_RTE_CORE, .rel = 1, .core = other, .axon = 0};
    lsnn_ref_rte host = {.kind = LSNN_REF_RTE_HOST, .axon = 7};
    lsnn_ref_rte host_rel = {.kind = LSNN_REF_RTE_HOST, .rel = 1, .axon = 100};
    ok(lsnn_ref_set_rte(c, 0, &own, &e), &e);
    ok(lsnn_ref_set_rte(c, 1, &host, &e), &e);
    ok(lsnn_ref_set_rte(c, 2, &far, &e), &e);
    ok(lsnn_ref_set_rte(c, 3, &host_rel, &e), &e);
    for (uint32_t n = 0; n + 2 < nu; n++) {
        lsnn_ref_rix r = {.base = n % 2, .cnt = 1 + n % 3}; /* 0..1, 0..2, 1..3, ... */
        ok(lsnn_ref_set_rix(c, n, &r, &e), &e);
    }
}

/* Core 0: NU 6, XU 40. Core 1 (id 1): NU 8, XU 32. */
static void make_cores(lsnn_ref_core *cores[2])
{
    lsnn_hw_config g = tiny_cfg();
    lsnn_error e = {{0}};
    for (int i = 0; i < 2; i++) {
        cores[i] = lsnn_ref_create(&g, &e);
        CHECK(cores[i] != NULL, "create: %s", e.msg);
        if (!cores[i]) exit(1);
    }
    program_core(cores[0], 0, 6, 40, 1);
    program_core(cores[1], 1, 8, 32, 0);
}

/* ---- comparisons ----------------------------------------------------------------------------- */

static int same_mem(const lsnn_ref_core *a, const lsnn_ref_core *b)
{
    const lsnn_hw_config *g = &a->cfg;
    size_t N = (size_t)g->neurons;
    return a->core_id == b->core_id && a->nu == b->nu && a->xu == b->xu &&
           !memcmp(a->profile, b->profile, sizeof *a->profile * (size_t)g->profiles) &&
           !memcmp(a->ncfg, b->ncfg, sizeof *a->ncfg * N) &&
           !memcmp(a->state, b->state, sizeof *a->state * N) &&
           !memcmp(a->axt, b->axt, sizeof *a->axt * (size_t)g->axons) &&
           !memcmp(a->syn, b->syn,
                   sizeof *a->syn * (size_t)g->synapse_words * (size_t)g->synapses_per_word) &&
           !memcmp(a->rix, b->rix, sizeof *a->rix * N) &&
           !memcmp(a->rte, b->rte, sizeof *a->rte * (size_t)g->route_entries);
}

typedef struct {
    uint32_t words[4096];
    int n;
} sink;

static void collect(void *ctx, int port, uint32_t word)
{
    sink *s = ctx;
    if (s->n < 4096) s->words[s->n++] = word ^ (uint32_t)port << 31;
}

/* Same inputs to both cores for `ticks` ticks: identical states, ACC, counters and words. */
static void run_both(lsnn_ref_core *a, lsnn_ref_core *b, int ticks)
{
    static sink sa, sb;
    sa.n = sb.n = 0;
    int same = 1;
    for (int t = 0; t < ticks; t++) {
        for (uint32_t x = (uint32_t)t % 3; x < a->xu; x += 3) {
            lsnn_ref_event(a, x);
            lsnn_ref_event(b, x);
        }
        lsnn_ref_tick(a, collect, &sa);
        lsnn_ref_tick(b, collect, &sb);
        same &= !memcmp(a->state, b->state, sizeof *a->state * (size_t)a->cfg.neurons);
        same &=
            !memcmp(a->acc, b->acc, sizeof *a->acc * (size_t)a->cfg.synapses_per_word * a->rows);
        same &= !memcmp(a->counters, b->counters, sizeof a->counters);
    }
    CHECK(same, "states, ACC or counters differ after running core %u", a->core_id);
    CHECK(sa.n == sb.n && !memcmp(sa.words, sb.words, sizeof sa.words[0] * (size_t)sa.n),
          "emitted words differ (%d vs %d)", sa.n, sb.n);
    CHECK(a->counters[LSNN_REF_SPIKES] > 0 && a->counters[LSNN_REF_SYN_OPS] > 0,
          "the run should spike and accumulate (spikes %llu)",
          (unsigned long long)a->counters[LSNN_REF_SPIKES]);
}

/* ---- round trip ------------------------------------------------------------------------------ */

static const char *image_dir(void)
{
    static char dir[1200];
    snprintf(dir, sizeof dir, "%s/img", check_tmpdir("test_image"));
    return dir;
}

static void test_round_trip(void)
{
    lsnn_ref_core *orig[2];
    lsnn_image img, back;
    lsnn_error e = {{0}};
    make_cores(orig);
    CHECK(lsnn_image_from_cores(orig, 2, &img, &e) == 0, "from_cores: %s", e.msg);
    CHECK(lsnn_image_write(&img, image_dir(), &e) == 0, "write: %s", e.msg);
    CHECK(lsnn_image_load(image_dir(), &back, &e) == 0, "load dir: %s", e.msg);
    CHECK(back.ncores == 2 && !strcmp(back.cfg.name, "tiny") && back.cfg.mesh_x == 2,
          "config came back");
    for (int i = 0; i < 2 && back.ncores == 2; i++) {
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            size_t n = (size_t)lsnn_image_rows(&img.cfg, m) * lsnn_image_row_bytes(&img.cfg, m);
            CHECK(!memcmp(img.cores[i].mem[m], back.cores[i].mem[m], n), "core %d %s differs", i,
                  lsnn_image_mem_name(m));
        }
        lsnn_ref_core *c = lsnn_image_to_core(&back, i, &e);
        CHECK(c != NULL, "to_core: %s", e.msg);
        if (!c) continue;
        CHECK(same_mem(orig[i], c), "core %d: a memory differs after the round trip", i);
        run_both(orig[i], c, 8);
        lsnn_ref_free(c);
    }
    lsnn_image_free(&back);
    char bin[1300];
    snprintf(bin, sizeof bin, "%s/image.bin", image_dir());
    CHECK(lsnn_image_load(bin, &back, &e) == 0, "load image.bin: %s", e.msg);
    lsnn_image_free(&back);
    lsnn_image_free(&img);
    lsnn_ref_free(orig[0]);
    lsnn_ref_free(orig[1]);
}

/* ---- $readmemh files ------------------------------------------------------------------------- */

static int hexval(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Parses a $readmemh file into packed little-endian rows; checks line count and digit count. */
static void check_hex_file(const lsnn_image *img, int i, int m, const char *file)
{
    char *text = NULL;
    size_t len = 0;
    lsnn_error e;
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", image_dir(), file);
    CHECK(lsnn_read_file(path, &text, &len, &e) == 0, "%s", e.msg);
    if (!text) return;
    uint32_t rows = lsnn_image_rows(&img->cfg, m), rb = lsnn_image_row_bytes(&img->cfg, m);
    uint32_t digits = (lsnn_image_width(&img->cfg, m) + 3) / 4;
    uint8_t *mem = calloc((size_t)rows * rb, 1);
    const char *p = text;
    uint32_t r = 0, bad = 0;
    while (*p && r < rows) {
        const char *nl = strchr(p, '\n');
        if (!nl || (uint32_t)(nl - p) != digits) bad++;
        for (uint32_t k = 0; nl && k < digits && k < (uint32_t)(nl - p); k++) {
            int v = hexval(p[k]);
            uint32_t nib = digits - 1 - k; /* most significant digit first */
            if (v < 0)
                bad++;
            else
                mem[(size_t)r * rb + nib / 2] |= (uint8_t)(v << (4 * (nib % 2)));
        }
        r++;
        p = nl ? nl + 1 : p + strlen(p);
    }
    CHECK(r == rows && *p == 0 && bad == 0, "%s: %u rows of %u digits expected (%u bad)", file,
          rows, digits, bad);
    CHECK(!memcmp(mem, img->cores[i].mem[m], (size_t)rows * rb), "%s differs from the image", file);
    free(mem);
    free(text);
}

/* The manifest's hardware: block, de-indented, is a valid models/hw file equal to the config. */
static void check_manifest_hardware(const char *text, const lsnn_hw_config *want)
{
    const char *p = strstr(text, "\nhardware:\n"), *end = strstr(text, "\ncores:");
    char buf[4096];
    size_t n = 0;
    lsnn_hw_config got;
    lsnn_error e = {{0}};
    CHECK(p && end && end > p, "manifest has hardware: and cores:");
    if (!p || !end) return;
    for (p += 11; p < end && n + 2 < sizeof buf; p++) {
        if (p[-1] == '\n' && p[0] == ' ' && p[1] == ' ') p += 2; /* drop 2 spaces of indent */
        buf[n++] = *p;
    }
    buf[n++] = '\n';
    CHECK(lsnn_hw_parse("manifest hardware", buf, n, &got, &e) == 0, "%s\n%.*s", e.msg, (int)n,
          buf);
    CHECK(!strcmp(got.name, want->name) && got.mesh_x == want->mesh_x &&
              got.neurons == want->neurons && got.route_entries == want->route_entries &&
              got.clock_mhz == want->clock_mhz && got.decay_bits == want->decay_bits,
          "manifest hardware differs");
}

static void test_hex_files(void)
{
    lsnn_ref_core *orig[2];
    lsnn_image img;
    lsnn_error e = {{0}};
    make_cores(orig);
    CHECK(lsnn_image_from_cores(orig, 2, &img, &e) == 0, "from_cores: %s", e.msg);
    CHECK(lsnn_image_write(&img, image_dir(), &e) == 0, "write: %s", e.msg);
    static const char *names[] = {"profile", "ncfg", "state", "axt", "syn", "rix", "rte"};
    char file[64];
    for (int i = 0; i < 2; i++)
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            snprintf(file, sizeof file, "core%03d_%s.hex", i, names[m]);
            check_hex_file(&img, i, m, file);
        }
    /* Known rows, by §7's field positions: RTE[1] = HOST (2), channel 7 at [26:11]. */
    char *text = NULL, path[1400];
    size_t len;
    snprintf(path, sizeof path, "%s/core000_rte.hex", image_dir());
    if (lsnn_read_file(path, &text, &len, &e) == 0) {
        CHECK(!strncmp(text, "000a005\n0003802\n", 16), "RTE rows 0, 1: %.16s", text);
        free(text);
    }
    /* RIX[2] (RB = 4): base 0, cnt 3 -> 0x30; AXT (MB = 8): width 20 -> 5 digits. */
    snprintf(path, sizeof path, "%s/core000_rix.hex", image_dir());
    if (lsnn_read_file(path, &text, &len, &e) == 0) {
        CHECK(!strncmp(text, "10\n21\n30\n", 9), "RIX rows 0..2: %.9s", text);
        free(text);
    }
    snprintf(path, sizeof path, "%s/manifest.yaml", image_dir());
    if (lsnn_read_file(path, &text, &len, &e) == 0) {
        CHECK(strstr(text, "neurocore: 3") && strstr(text, "format: lsnn-image") &&
                  strstr(text, "file: core001_syn.hex") &&
                  strstr(text, "neurons: {used: 6, available: 8}") &&
                  strstr(text, "synapses_per_word: 4"),
              "manifest:\n%s", text);
        check_manifest_hardware(text, &img.cfg);
        free(text);
    }
    lsnn_image_free(&img);
    lsnn_ref_free(orig[0]);
    lsnn_ref_free(orig[1]);
}

/* ---- corruption ------------------------------------------------------------------------------ */

static uint8_t *good_bin(size_t *len)
{
    lsnn_ref_core *orig[2];
    lsnn_image img;
    lsnn_error e = {{0}};
    uint8_t *b = NULL;
    make_cores(orig);
    CHECK(lsnn_image_from_cores(orig, 2, &img, &e) == 0, "from_cores: %s", e.msg);
    CHECK(lsnn_image_pack(&img, &b, len, &e) == 0, "pack: %s", e.msg);
    lsnn_image_free(&img);
    lsnn_ref_free(orig[0]);
    lsnn_ref_free(orig[1]);
    if (!b) exit(1);
    return b;
}

/* Parses b[0..len) and expects a failure whose message holds w1 and w2. */
static void want_fail(const uint8_t *b, size_t len, const char *what, const char *w1,
                      const char *w2)
{
    lsnn_image img;
    lsnn_error e = {{0}};
    int rc = lsnn_image_parse("image.bin", b, len, &img, &e);
    CHECK(rc == -1, "%s: accepted", what);
    if (getenv("LSNN_TEST_VERBOSE")) printf("%-20s %s\n", what, e.msg);
    if (rc == 0) lsnn_image_free(&img);
    CHECK(!strncmp(e.msg, "image.bin: ", 11) && strstr(e.msg, w1) && (!w2 || strstr(e.msg, w2)),
          "%s: message \"%s\" lacks \"%s\" / \"%s\"", what, e.msg, w1, w2 ? w2 : "");
}

/* Sets n bits at bit `pos` of the packed row at b[off]. */
static void set_bits(uint8_t *b, size_t off, uint32_t pos, int n, uint32_t v)
{
    for (int i = 0; i < n; i++, pos++) {
        uint8_t bit = (uint8_t)(1u << (pos % 8));
        if ((v >> i) & 1u)
            b[off + pos / 8] |= bit;
        else
            b[off + pos / 8] &= (uint8_t)~bit;
    }
}

/* The data offset of row r of memory m of core i. */
static size_t row_off(const uint8_t *b, size_t len, uint32_t i, int m, uint32_t r)
{
    size_t off = fx_mem_offset(b, len, i, m);
    CHECK(off != 0, "walk to core %u memory %d", i, m);
    return off + 16 + (size_t)r * ((fx_get32(b + off + 8) + 7) / 8);
}

/* A copy of the good image with one field planted and every CRC recomputed. */
static void want_field_fail(const uint8_t *good, size_t len, const char *what, int m, uint32_t row,
                            uint32_t pos, int n, uint32_t v, const char *w1, const char *w2)
{
    uint8_t *b = malloc(len);
    memcpy(b, good, len);
    set_bits(b, row_off(b, len, 0, m, row), pos, n, v);
    fx_fix_crcs(b, len);
    want_fail(b, len, what, w1, w2);
    free(b);
}

static void test_corruption(void)
{
    size_t len;
    uint8_t *good = good_bin(&len), *b = malloc(len + 8);
    lsnn_image img;
    lsnn_error e;
    CHECK(lsnn_image_parse("image.bin", good, len, &img, &e) == 0, "good image: %s", e.msg);
    lsnn_image_free(&img);

    size_t cuts[] = {0, 5, 100, 191, 192, 300, len / 2, len - 4, len - 1};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++)
        want_fail(good, cuts[k], "truncated", "truncated", NULL);

    memcpy(b, good, len);
    b[1] = 'X';
    want_fail(b, len, "bad magic", "bad magic", NULL);

    memcpy(b, good, len);
    fx_put32(b + 8, 1);
    want_fail(b, len, "format version", "image format version 1", "reads version 2: recompile");

    memcpy(b, good, len);
    fx_put32(b + 12, 7);
    want_fail(b, len, "neurocore version", "neurocore contract version 7", "implements version 3: recompile");

    size_t syn = fx_mem_offset(good, len, 1, LSNN_IMG_SYN);
    memcpy(b, good, len);
    b[syn + 16 + 5] ^= 0x10;
    want_fail(b, len, "memory CRC", "core 1 (id 1): SYN", "CRC-32");

    memcpy(b, good, len);
    b[len - 2] ^= 1;
    want_fail(b, len, "file CRC", "file CRC-32", "trailer");

    size_t prof = fx_mem_offset(good, len, 0, LSNN_IMG_PROFILE);
    memcpy(b, good, len);
    fx_put32(b + prof + 4, 5);
    want_fail(b, len, "word count", "core 0 (id 0): PROFILE", "word count 5, the config gives 4");

    memcpy(b, good, len);
    fx_put32(b + syn + 4, 0xFFFFFFFFu);
    want_fail(b, len, "word count overflow", "SYN", "word count 4294967295");

    memcpy(b, good, len);
    fx_put32(b + syn + 8, 47);
    want_fail(b, len, "word width", "SYN", "word width 47 bits, the config gives 48");

    memcpy(b, good, len);
    for (int k = 16; k < 24; k++)
        b[k] = 0xFF;
    want_fail(b, len, "file size overflow", "file size field 18446744073709551615", NULL);

    memcpy(b, good, len);
    fx_put32(b + 28, 0xFFFFFFFFu);
    want_fail(b, len, "core count", "4294967295 cores", "1..2");

    memcpy(b, good, len);
    fx_put32(b + 56, 100); /* N */
    want_fail(b, len, "config", "header", "core.neurons (N) must be a power of 2");

    memcpy(b, good, len);
    memcpy(b + len, "xyz", 3);
    want_fail(b, len + 3, "trailing garbage", "trailing garbage", NULL);

    memcpy(b, good, len);
    fx_put32(b + 192 + 4, 9); /* core 0 NU */
    fx_fix_crcs(b, len);
    want_fail(b, len, "NU", "core 0 (id 0)", "register NU = 9 out of range [0, 8]");

    size_t core1 = fx_mem_offset(good, len, 0, LSNN_IMG_RTE) + 16 + 16 * 4;
    memcpy(b, good, len);
    fx_put32(b + core1, 0); /* core 1's id := 0 */
    fx_fix_crcs(b, len);
    want_fail(b, len, "duplicate id", "core id 0 is also core 0's", NULL);

    memcpy(b, good, len);
    b[row_off(b, len, 0, LSNN_IMG_STATE, 3) + 11] |= 0x80; /* STATE: 93 bits in 12 bytes */
    fx_fix_crcs(b, len);
    want_fail(b, len, "bits above the width", "STATE[3]", "row width 93");

    /* Fields, behind valid CRCs. PROFILE: mode [1:0], ... k_v at [31:16] (Q = 8), f_v [15:11]. */
    want_field_fail(good, len, "profile mode", LSNN_IMG_PROFILE, 1, 0, 2, 3, "PROFILE[1]: mode = 3",
                    "[0, 1]");
    want_field_fail(good, len, "k > 2^f", LSNN_IMG_PROFILE, 0, 11, 5, 4, "PROFILE[0]: k_v = 3000",
                    "k_v <= 2^f_v");
    want_field_fail(good, len, "used empty profile", LSNN_IMG_NCFG, 2, 0, 2, 3, "NCFG[2] = 3",
                    "empty");
    /* AXT (MB = 8): base [7:0], cnt [15:8]. Axon 1 has base 3. */
    want_field_fail(good, len, "AXT past M", LSNN_IMG_AXT, 1, 8, 8, 255, "AXT[1]: cnt = 255",
                    "base + cnt <= M");
    /* SYN (L = 12: TB = 1, DB = 2): lane 3 has m [43:36], tgt [44], d [46:45], valid [47]. */
    {
        uint8_t *c = malloc(len);
        memcpy(c, good, len);
        size_t w0 = row_off(c, len, 0, LSNN_IMG_SYN, 0);
        set_bits(c, w0, 44, 1, 1); /* lane 3 tgt = 1: neuron 7 >= NU 6 */
        set_bits(c, w0, 47, 1, 1); /* valid */
        fx_fix_crcs(c, len);
        want_fail(c, len, "SYN target", "SYN[0] lane 3: target neuron 7 >= NU = 6",
                  "axon 0 < XU = 40");
        free(c);
    }
    /* RTE: kind [1:0], rel [2], core [10:3], axon [26:11]. Row 0: own core, rel, axon 20. */
    want_field_fail(good, len, "RTE kind", LSNN_IMG_RTE, 1, 0, 2, 0, "RTE[1]: kind = 0", "[1, 2]");
    want_field_fail(good, len, "RTE axon", LSNN_IMG_RTE, 0, 11, 16, 38,
                    "RTE[0]: neuron 2 resolves to axon 40 of core 0, >= its XU = 40", NULL);
    want_field_fail(good, len, "RTE other core", LSNN_IMG_RTE, 2, 11, 16, 30,
                    "resolves to axon 32 of core 1, >= its XU = 32", NULL);
    free(b);
    free(good);
}

/* ---- an in-process mutation loop (random flips and truncations, with and without CRC fixes) */

static void test_mutations(void)
{
    size_t len;
    uint8_t *good = good_bin(&len), *b = malloc(len);
    int accepted = 0, rejected = 0;
    for (int it = 0; it < 4000; it++) {
        memcpy(b, good, len);
        size_t n = len;
        int flips = 1 + (int)rnd(4);
        for (int k = 0; k < flips; k++)
            b[rnd((uint32_t)len)] ^= (uint8_t)(1u << rnd(8));
        if (it % 2) fx_fix_crcs(b, len); /* reach the field checks behind the CRCs */
        if (it % 7 == 0) n = rnd((uint32_t)len);
        lsnn_image img;
        lsnn_error e = {{0}};
        int changed = n != len || memcmp(b, good, len) != 0;
        if (lsnn_image_parse("image.bin", b, n, &img, &e) == 0) {
            accepted++;
            /* without the CRC fix-up, any change must be caught */
            if (it % 2 == 0 && changed) CHECK(0, "iteration %d: a changed file passed", it);
            lsnn_image_free(&img);
        } else {
            rejected++;
            if (strncmp(e.msg, "image.bin: ", 11)) CHECK(0, "message without the file: %s", e.msg);
        }
    }
    printf("mutations: %d rejected, %d accepted (harmless flips)\n", rejected, accepted);
    CHECK(rejected >= 2000, "at least the un-fixed half must be rejected (%d)", rejected);
    free(b);
    free(good);
}

/* from_cores refuses duplicate ids and mixed configs; load names a missing file. */
static void test_api_errors(void)
{
    lsnn_ref_core *c[2];
    lsnn_image img;
    lsnn_error e = {{0}};
    make_cores(c);
    lsnn_ref_core *dup[2] = {c[0], c[0]};
    CHECK(lsnn_image_from_cores(dup, 2, &img, &e) == -1 && strstr(e.msg, "core id 0 is also"),
          "duplicate ids: %s", e.msg);
    lsnn_hw_config g = tiny_cfg();
    g.delay_slots = 8;
    lsnn_ref_core *other = lsnn_ref_create(&g, &e);
    lsnn_ref_core *mixed[2] = {c[0], other};
    CHECK(lsnn_image_from_cores(mixed, 2, &img, &e) == -1 && strstr(e.msg, "another hardware"),
          "mixed configs: %s", e.msg);
    CHECK(lsnn_image_load("/nonexistent/img", &img, &e) == -1 && strstr(e.msg, "/nonexistent"),
          "missing file: %s", e.msg);
    lsnn_ref_free(other);
    lsnn_ref_free(c[0]);
    lsnn_ref_free(c[1]);
}

int main(void)
{
    test_api_errors();
    test_round_trip();
    test_hex_files();
    test_corruption();
    test_mutations();
    return check_report();
}
