/* fuzz_hostmap.c - libFuzzer target for the manifest's host: section reader
 * (runtime/chip/hostmap.c).
 *
 * CMake builds it (ctest replays its corpus with tests/fuzz_replay.c, plus 300
 * seeded mutations of every file); for real fuzzing build it with libFuzzer (docs/image-format.md
 * §7):
 *
 *   CC=clang cmake -S . -B build-fuzz -G Ninja -DLSNN_LIBFUZZER=ON -DLSNN_SANITIZE=ON
 *   cmake --build build-fuzz --target fuzz_hostmap
 *   mkdir -p corpus_hm && LSNN_FUZZ_SEEDS=corpus_hm build-fuzz/tests/fuzz_hostmap -runs=0
 *   build-fuzz/tests/fuzz_hostmap -max_total_time=120 corpus_hm
 *
 * The target builds one small image of three cores (ids 0, 2, 0x12 of a 3x2 mesh (cells (0,0),
 * (2,0), (2,1)); NU 16/16/8, XU 32/32/16) through the lsnn_ref_set_* setters, with seed 0's host
 * section (its header holds that section's CRC), packs and re-parses it (for its CRC), and parses
 * every input as a whole manifest.yaml against it. Seed 0 is accepted; the other seeds pass the
 * reader and the checks against the image and are refused by the host CRC (the reader's code is the
 * same for all). The seeds hold that image's CRC, so they are written by the target itself
 * (LSNN_FUZZ_SEEDS=DIR): a valid manifest, and variants with several placements and input lists,
 * and names the writer must quote. A manifest that is accepted must have derived arrays in bounds
 * for every neuron, input lists within each core's XU, and must survive lsnn_hostmap_write and a
 * second parse unchanged; every error names the file. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostmap.h"
#include "image.h"
#include "ref_core.h"

static lsnn_image img;

static _Noreturn void die(const char *what, const lsnn_error *e)
{
    fprintf(stderr, "fuzz_hostmap: %s: %s\n", what, e ? e->msg : "");
    abort();
}

static void build_image(const char *host0)
{
    static const uint32_t ids[3] = {0, 2, 0x12}, nu[3] = {16, 16, 8}, xu[3] = {32, 32, 16};
    lsnn_hw_config cfg;
    lsnn_error e;
    lsnn_ref_core *cores[3];
    lsnn_hw_defaults(&cfg);
    cfg.mesh_x = 3;
    cfg.mesh_y = 2;
    cfg.neurons = 16;
    cfg.axons = 32;
    cfg.synapse_words = 256;
    cfg.route_entries = 16;
    for (int i = 0; i < 3; i++) {
        cores[i] = lsnn_ref_create(&cfg, &e);
        if (!cores[i] || lsnn_ref_set_core_id(cores[i], ids[i], &e) ||
            lsnn_ref_set_profile(cores[i], 0, &(lsnn_ref_profile){.b0 = 1000}, &e) ||
            lsnn_ref_set_nu(cores[i], nu[i], &e) || lsnn_ref_set_xu(cores[i], xu[i], &e))
            die("core", &e);
    }
    lsnn_image tmp;
    uint8_t *bin = NULL;
    size_t n;
    if (lsnn_image_from_cores(cores, 3, &tmp, &e) || !(tmp.manifest_host = strdup(host0)) ||
        lsnn_image_pack(&tmp, &bin, &n, &e) || lsnn_image_parse("image.bin", bin, n, &img, &e))
        die("image", &e);
    lsnn_image_free(&tmp);
    free(bin);
    for (int i = 0; i < 3; i++)
        lsnn_ref_free(cores[i]);
}

static char *host_text(const lsnn_hostmap *m)
{
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f) abort();
    lsnn_hostmap_write(f, m);
    fclose(f);
    return text;
}

/* A whole manifest for m, as lsnn_image_write writes it for the image and m. */
static char *manifest(const lsnn_hostmap *m, size_t *len)
{
    char *host = host_text(m), *text = lsnn_image_manifest_text(&img, host, len);
    if (!text) abort();
    free(host);
    return text;
}

static void write_seed(const char *dir, int k, const lsnn_hostmap *m)
{
    char path[4096];
    if (!dir) { /* the first call, before the image exists: it takes seed 0's host section */
        if (k == 0) {
            char *host = host_text(m);
            build_image(host);
            free(host);
        }
        return;
    }
    size_t len;
    char *text = manifest(m, &len);
    snprintf(path, sizeof path, "%s/seed%d.yaml", dir, k);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f)) die(path, NULL);
    free(text);
}

/* 12 inputs, 30 recurrent neurons (lif 0..19, alif 20..29), 5 readouts (30..34). */
static void write_seeds(const char *dir)
{
    lsnn_hm_place place[4] = {{0, 0, 16, 0}, {2, 16, 14, 0}, {0x12, 30, 5, 0}, {0, 0, 0, 0}};
    lsnn_hm_input inputs[3] = {{0, 0}, {2, 4}, {0x12, 2}};
    int64_t bias[5] = {0, -3, 17, 1LL << 40, -(1LL << 40)};
    lsnn_hostmap m = {.model = "model.yaml",
                      .n_in = 12,
                      .n_rec = 30,
                      .n_out = 5,
                      .acc_never_saturates = 1,
                      .n_pops = 3,
                      .n_place = 3,
                      .place = place,
                      .n_inputs = 3,
                      .inputs = inputs,
                      .e_r = 16,
                      .bias = bias};
    m.pops[0] = (lsnn_hm_pop){"lif", 0, 0, 20, 20};
    m.pops[1] = (lsnn_hm_pop){"alif", 0, 20, 10, 19};
    m.pops[2] = (lsnn_hm_pop){"readout", 1, 30, 5, 12};
    write_seed(dir, 0, &m);
    if (dir) { /* seed 0 is the image's own host map: accepted */
        size_t len;
        char *text = manifest(&m, &len);
        lsnn_hostmap back;
        lsnn_error e;
        if (lsnn_hostmap_parse("seed0", text, len, &img, &back, &e)) die("seed 0 refused", &e);
        lsnn_hostmap_free(&back);
        free(text);
    }
    /* the readouts split over two cores, one input list */
    place[2] = (lsnn_hm_place){0x12, 30, 3, 5};
    place[3] = (lsnn_hm_place){2, 33, 2, 14};
    m.n_place = 4;
    m.n_inputs = 1;
    m.acc_never_saturates = 0;
    write_seed(dir, 1, &m);
    /* no inputs, one population per kind, everything on core 0 */
    m.n_in = 0;
    m.n_rec = 10;
    m.n_out = 1;
    m.n_pops = 2;
    m.pops[0] = (lsnn_hm_pop){"all", 0, 0, 10, -3};
    m.pops[1] = (lsnn_hm_pop){"out", 1, 10, 1, 62};
    place[0] = (lsnn_hm_place){0, 0, 11, 5};
    m.n_place = 1;
    m.n_inputs = 0;
    write_seed(dir, 2, &m);
    /* names that the writer must quote */
    snprintf(m.model, sizeof m.model, "-m_1.yaml");
    snprintf(m.pops[0].name, sizeof m.pops[0].name, "-");
    write_seed(dir, 3, &m);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    write_seeds(NULL); /* builds the image, whose header holds seed 0's host CRC */
    const char *dir = getenv("LSNN_FUZZ_SEEDS");
    if (dir) write_seeds(dir);
    return 0;
}

static void same(const lsnn_hostmap *a, const lsnn_hostmap *b)
{
    int ok = !strcmp(a->model, b->model) && a->n_in == b->n_in && a->n_rec == b->n_rec &&
             a->n_out == b->n_out && a->acc_never_saturates == b->acc_never_saturates &&
             a->n_pops == b->n_pops && a->n_place == b->n_place && a->n_inputs == b->n_inputs &&
             a->e_r == b->e_r;
    for (int p = 0; ok && p < a->n_pops; p++)
        ok = !strcmp(a->pops[p].name, b->pops[p].name) &&
             a->pops[p].readout == b->pops[p].readout && a->pops[p].first == b->pops[p].first &&
             a->pops[p].size == b->pops[p].size && a->pops[p].e == b->pops[p].e;
    ok = ok && !memcmp(a->place, b->place, (size_t)a->n_place * sizeof *a->place) &&
         !memcmp(a->inputs, b->inputs, (size_t)a->n_inputs * sizeof *a->inputs) &&
         !memcmp(a->bias, b->bias, (size_t)a->n_out * sizeof *a->bias);
    if (!ok) die("the written host map reads back differently", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lsnn_hostmap m;
    lsnn_error e;
    if (lsnn_hostmap_parse("fuzz", (const char *)data, size, &img, &m, &e)) {
        if (strncmp(e.msg, "fuzz", 4) != 0) die("a message without the file name", &e);
        if (m.place || m.inputs || m.bias || m.core_index) die("a failed parse left memory", &e);
        return 0;
    }
    int total = m.n_rec + m.n_out;
    uint64_t sum = 0;
    for (int g = 0; g < total; g++) {
        int ci = m.core_index[g];
        if (ci < 0 || ci >= img.ncores || m.local[g] >= img.cores[ci].nu)
            die("a neuron placed outside the image", NULL);
        sum += m.local[g];
    }
    for (int i = 0; i < m.n_inputs; i++) {
        int ci = -1;
        for (int k = 0; k < img.ncores; k++)
            if (img.cores[k].core_id == m.inputs[i].core) ci = k;
        if (ci < 0 || (uint64_t)m.inputs[i].axon_base + (uint64_t)m.n_in > img.cores[ci].xu)
            die("an input list outside the image", NULL);
    }
    for (int c = 0; c < m.n_out; c++)
        sum += (uint64_t)m.bias[c];
    /* the writer's text must read back as the same host map, and check again */
    size_t len;
    char *text = manifest(&m, &len);
    lsnn_hostmap m2;
    if (lsnn_hostmap_parse("rewritten", text, len, &img, &m2, &e)) {
        fprintf(stderr, "%s\n", text);
        die("the written host map does not read back", &e);
    }
    same(&m, &m2);
    if (lsnn_hostmap_check(&m2, &img, &e)) die("a second check fails", &e);
    free(text);
    lsnn_hostmap_free(&m2);
    lsnn_hostmap_free(&m);
    return (int)(sum & 0);
}
