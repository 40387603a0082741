/* test_image_flips.c - every byte of an image folder that changes results is checked.
 *
 * Compiles a small two-core network into an image folder, then changes the files one place at a
 * time and loads them the way the commands do: image.bin (every bit flipped), manifest.yaml,
 * model.yaml and every $readmemh file (every byte flipped, bit 0; in manifest.yaml and
 * model.yaml also bit 5, which turns letters into other letters). Each change must be
 * detected (the load fails) or proven harmless: the loaded image's canonical digest (image.bin
 * as packed again, the host map as written again, the model spec in canonical form without
 * task.data_dir) equals the original's. The counts are printed (the issue note quotes them). */
#include <stdint.h>
#include <zlib.h>

#include "check.h"
#include "compiler.h"
#include "deepr.h"
#include "fileio.h"
#include "hostmap.h"
#include "image.h"
#include "model.h"
#include "spec.h"

static const char spec_text[] =
    "version: 1\nname: flips\nseed: 3\n"
    "network:\n  inputs: 20\n  populations:\n"
    "    - {name: lif, kind: lif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2}\n"
    "    - {name: alif, kind: alif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2, "
    "tau_a_ms: 200, beta: 1.7}\n"
    "  delays: 4\n  readout: {size: 2, tau_ms: 20, bias: true}\n"
    "task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, "
    "rate_hz: 50, seq_delay: 1, test_size: 8}\n"
    "training: {batch_size: 8, iterations: 1}\n";

/* Two 16-neuron cores: the image is small enough to flip every bit of. */
static const char hw_text[] = "version: 1\nname: flip2\nneurocore: 3\nmesh: [2, 1]\n"
                              "core: {neurons: 16, axons: 64, synapse_words: 256, "
                              "route_entries: 16, profiles: 4}\n";

typedef struct {
    const char *dir;
    char path[4][1200]; /* image.bin, manifest.yaml, model.yaml, scratch */
} folder;

static uint32_t crc_of(uint32_t crc, const void *p, size_t n)
{
    return (uint32_t)crc32(crc, (const Bytef *)p, (uInt)n);
}

/* Loads the folder as lsnn run does (image, host map, model spec checked against it), and
 * with check_hex also the $readmemh files as the RTL's --readmemh does. Returns 0 and the
 * canonical digest, or -1. */
static int load_digest(const folder *f, int check_hex, uint32_t *digest)
{
    lsnn_image img;
    lsnn_hostmap hm;
    lsnn_spec spec;
    lsnn_error e;
    if (lsnn_image_load(f->dir, &img, &e)) return -1;
    int rc = -1;
    if (lsnn_hostmap_load(f->dir, &img, &hm, &e)) goto no_map;
    if (lsnn_spec_load(f->path[2], &spec, &e) || lsnn_hostmap_check_model(&hm, &spec, "m", &e) ||
        (check_hex && lsnn_image_check_hex(&img, f->dir, &e)))
        goto out;
    uint8_t *bin;
    size_t n;
    char *host = NULL, *yaml;
    size_t hn = 0;
    FILE *mf = open_memstream(&host, &hn);
    lsnn_hostmap_write(mf, &hm);
    fclose(mf);
    spec.smnist.data_dir[0] = 0;
    yaml = lsnn_spec_to_yaml(&spec);
    if (!lsnn_image_pack(&img, &bin, &n, &e)) {
        *digest = crc_of(crc_of(crc_of(0, bin, n), host, hn), yaml, strlen(yaml));
        free(bin);
        rc = 0;
    }
    free(host);
    free(yaml);
out:
    lsnn_hostmap_free(&hm);
no_map:
    lsnn_image_free(&img);
    return rc;
}

typedef struct {
    long changes, detected, harmless, undetected;
} tally;

/* Applies every change (byte k ^= mask for each mask, or every bit when bits) to file `path`,
 * loads, restores. */
static void flip_file(const folder *f, const char *path, int bits, const uint8_t *masks, int nmasks,
                      int check_hex, uint32_t good, tally *t)
{
    char *orig;
    size_t len;
    lsnn_error e;
    if (lsnn_read_file(path, &orig, &len, &e)) {
        CHECK(0, "%s", e.msg);
        return;
    }
    uint8_t *b = malloc(len);
    uint8_t bitmask[8] = {1, 2, 4, 8, 16, 32, 64, 128};
    if (bits) masks = bitmask, nmasks = 8;
    for (size_t k = 0; k < len; k++)
        for (int m = 0; m < nmasks; m++) {
            memcpy(b, orig, len);
            b[k] ^= masks[m];
            FILE *out = fopen(path, "wb");
            fwrite(b, 1, len, out);
            fclose(out);
            uint32_t d;
            t->changes++;
            if (load_digest(f, check_hex, &d))
                t->detected++;
            else if (d == good)
                t->harmless++;
            else {
                t->undetected++;
                if (t->undetected <= 3)
                    fprintf(stderr, "%s: byte %zu ^ 0x%02x changes the image unnoticed\n", path, k,
                            masks[m]);
            }
        }
    FILE *out = fopen(path, "wb");
    fwrite(orig, 1, len, out);
    fclose(out);
    free(b);
    free(orig);
}

static void report(const char *what, const tally *t)
{
    printf("%-16s %7ld changes: %7ld detected, %5ld harmless (digest unchanged), %ld undetected\n",
           what, t->changes, t->detected, t->harmless, t->undetected);
    CHECK(t->undetected == 0, "%s: %ld changes went unnoticed", what, t->undetected);
    CHECK(t->detected + t->harmless == t->changes, "%s: counts", what);
}

int main(void)
{
    lsnn_spec spec;
    lsnn_hw_config cfg;
    lsnn_net net;
    lsnn_deepr dr;
    lsnn_error e;
    lsnn_cc_build_result b;
    folder f = {.dir = check_tmpdir("test_image_flips")};
    if (lsnn_spec_parse("flips.yaml", spec_text, sizeof spec_text - 1, &spec, &e) ||
        lsnn_hw_parse("flip2.yaml", hw_text, sizeof hw_text - 1, &cfg, &e) ||
        lsnn_model_init(&spec, &net, &dr, &e) ||
        lsnn_cc_build(&net, &spec, &cfg, NULL, 0, &b, &e) || lsnn_cc_emit(&b, &spec, f.dir, &e)) {
        CHECK(0, "set-up: %s", e.msg);
        return check_report();
    }
    CHECK(b.img.ncores == 2, "the network takes %d cores, want 2", b.img.ncores);
    snprintf(f.path[0], sizeof f.path[0], "%s/image.bin", f.dir);
    snprintf(f.path[1], sizeof f.path[1], "%s/manifest.yaml", f.dir);
    snprintf(f.path[2], sizeof f.path[2], "%s/model.yaml", f.dir);
    uint32_t good;
    CHECK(load_digest(&f, 1, &good) == 0, "the untouched folder loads");

    static const uint8_t text_masks[2] = {0x01, 0x20}, hex_mask[1] = {0x01};
    tally t_bin = {0}, t_man = {0}, t_model = {0}, t_hex = {0};
    flip_file(&f, f.path[0], 1, NULL, 0, 0, good, &t_bin);
    flip_file(&f, f.path[1], 0, text_masks, 2, 0, good, &t_man);
    flip_file(&f, f.path[2], 0, text_masks, 2, 0, good, &t_model);
    for (int i = 0; i < b.img.ncores; i++)
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            char hex[1300], stem[16];
            snprintf(stem, sizeof stem, "%s", lsnn_image_mem_name(m));
            for (char *c = stem; *c; c++)
                *c = (char)(*c | 0x20); /* the file names are lower case */
            snprintf(hex, sizeof hex, "%s/core%03u_%s.hex", f.dir, b.img.cores[i].core_id, stem);
            flip_file(&f, hex, 0, hex_mask, 1, 1, good, &t_hex);
        }
    report("image.bin bits", &t_bin);
    report("manifest.yaml", &t_man);
    report("model.yaml", &t_model);
    report("hex files", &t_hex);
    CHECK(t_bin.harmless == 0 && t_man.harmless == 0 && t_hex.harmless == 0,
          "image.bin, the manifest and the hex files have no harmless bytes");
    uint32_t again;
    CHECK(load_digest(&f, 1, &again) == 0 && again == good, "the restored folder loads as before");
    lsnn_cc_build_free(&b);
    lsnn_deepr_free(&dr);
    lsnn_net_free(&net);
    return check_report();
}
