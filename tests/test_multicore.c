/* test_multicore.c - a network split over several cores computes exactly what one core computes.
 *
 * The compiler keeps each global axon's weight exponent on every core and each core's axon
 * blocks in the one-core order, and the chip delivers NoC spikes under the tick barrier, so
 * the multi-core image must give the same value of every state variable of every neuron at
 * every tick (SQLite-style oracle: the one-core image is the oracle). Also: the image and its
 * host map survive writing and loading, and a host map that does not fit its image is refused
 * with a message that names the entry. */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "compiler.h"
#include "fileio.h"
#include "hostmap.h"
#include "image.h"
#include "model.h"
#include "ref_chip.h"
#include "ref_host.h"

enum { NI = 12, NR = 40, NO = 5, ND = 4, T = 80, NSEQ = 3 };

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static float rnd_w(float scale, int p0)
{
    if ((int)(rnd() % 100) < p0) return 0;
    return scale * ((float)(rnd() % 2001) / 1000.0f - 1.0f);
}

/* A leaky LIF/ALIF net with delays, refractoriness and 30-60 % zero weights. */
static void make_net(lsnn_net *net, uint64_t seed)
{
    rng_state = seed;
    lsnn_net_alloc(net, NI, NR, NO, ND);
    net->gamma = 0.3f;
    net->kappa = expf(-1.0f / 20);
    for (int j = 0; j < NR; j++) {
        int alif = j >= NR / 2;
        net->alpha[j] = expf(-1.0f / 20);
        net->rho[j] = alif ? expf(-1.0f / 200) : 0.0f;
        net->beta[j] = alif ? 1.8f : 0.0f;
        net->b0[j] = 0.03f;
        net->n_ref[j] = 2;
    }
    for (int k = 0; k < NI * NR; k++) {
        net->w_in[k] = rnd_w(0.6f, 30);
        net->d_in[k] = (uint8_t)(rnd() % ND);
    }
    for (int i = 0; i < NR; i++)
        for (int j = 0; j < NR; j++) {
            net->w_rec[i * NR + j] = i == j ? 0 : rnd_w(0.3f, 60);
            net->d_rec[i * NR + j] = (uint8_t)(rnd() % ND);
        }
    for (int k = 0; k < NR * NO; k++)
        net->w_out[k] = rnd_w(0.5f, 20);
    for (int c = 0; c < NO; c++)
        net->b_out[c] = 0.01f * (float)c;
}

static void make_batch(lsnn_batch *b, uint64_t seed)
{
    rng_state = seed;
    lsnn_batch_reset(b, NSEQ, T, NI);
    for (int s = 0; s < NSEQ; s++)
        for (int t = 0; t < T; t++) {
            for (int ch = 0; ch < NI; ch++)
                if (rnd() % 10 < 2) lsnn_batch_push(b, ch);
            lsnn_batch_end_cell(b);
        }
    for (int s = 0; s < NSEQ; s++) {
        lsnn_batch_add_window(b, s, 0, T / 2, s % NO);
        lsnn_batch_add_window(b, s, T / 2, T, (s + 1) % NO);
    }
}

/* Every state variable of every global neuron after every tick: [NSEQ][T+1][NR+NO]. */
typedef struct {
    const lsnn_hostmap *m;
    lsnn_ref_state st[NSEQ][T + 1][NR + NO];
} recording;

static void record(void *ctx, int seq, int t, const lsnn_target *en)
{
    recording *r = ctx;
    for (int g = 0; g < NR + NO; g++)
        lsnn_host_state(en, r->m, g, &r->st[seq][t][g]);
}

typedef struct {
    lsnn_image img;
    lsnn_hostmap hm;
    lsnn_ref_chip *chip;
    int64_t score[NSEQ][2][NO];
    long spikes;
} compiled_run;

/* Compiles net for cfg, builds the image and host map through the writer and loader (dir),
 * and runs the batch, recording into rec. */
static void compile_and_run(const lsnn_net *net, const lsnn_hw_config *cfg, const char *dir,
                            const lsnn_batch *b, recording *rec, compiled_run *out, int *n_cores)
{
    lsnn_compiled cc;
    lsnn_error e = {{0}};
    lsnn_ref_core **cores = NULL;
    lsnn_image img;
    lsnn_hostmap hm;
    memset(out, 0, sizeof *out);
    CHECK(lsnn_cc_compile(net, NULL, cfg, NULL, &cc, &e) == 0, "compile on '%s': %s", cfg->name,
          e.msg);
    *n_cores = cc.n_cores;
    lsnn_cc_print_usage(stdout, &cc);
    CHECK(lsnn_cc_make_cores(&cc, &cores, &e) == 0, "cores: %s", e.msg);
    CHECK(lsnn_image_from_cores(cores, cc.n_cores, &img, &e) == 0, "image: %s", e.msg);
    CHECK(lsnn_cc_hostmap(&cc, "model.yaml", &hm, &e) == 0, "host map: %s", e.msg);
    size_t n = 0;
    FILE *f = open_memstream(&img.manifest_host, &n);
    lsnn_hostmap_write(f, &hm);
    fclose(f);
    CHECK(lsnn_image_write(&img, dir, &e) == 0, "write %s: %s", dir, e.msg);
    lsnn_hostmap_free(&hm);
    lsnn_image_free(&img);
    for (int i = 0; i < cc.n_cores; i++)
        lsnn_ref_free(cores[i]);
    free(cores);
    lsnn_cc_free(&cc);

    CHECK(lsnn_image_load(dir, &out->img, &e) == 0, "load %s: %s", dir, e.msg);
    CHECK(lsnn_hostmap_load(dir, &out->img, &out->hm, &e) == 0, "host map of %s: %s", dir, e.msg);
    out->chip = lsnn_ref_chip_from_image(&out->img, &e);
    CHECK(out->chip != NULL, "chip: %s", e.msg);
    lsnn_host_result res;
    CHECK(lsnn_host_result_alloc(&res, T, NO, 2) == 0, "result");
    rec->m = &out->hm;
    for (int s = 0; s < NSEQ; s++) {
        CHECK(lsnn_host_run_sequence(out->chip, &out->hm, b, s, record, rec, &res, &e) == 0,
              "run: %s", e.msg);
        memcpy(out->score[s], res.score, sizeof out->score[s]);
        out->spikes += res.spikes;
    }
    lsnn_host_result_free(&res);
}

static void free_run(compiled_run *r)
{
    lsnn_ref_chip_free(r->chip);
    lsnn_hostmap_free(&r->hm);
    lsnn_image_free(&r->img);
}

/* The first differing variable, SQLite-oracle style: tick, neuron, variable, both values. */
static int first_divergence(const recording *a, const recording *b)
{
    for (int s = 0; s < NSEQ; s++)
        for (int t = 0; t <= T; t++)
            for (int g = 0; g < NR + NO; g++) {
                const lsnn_ref_state *x = &a->st[s][t][g], *y = &b->st[s][t][g];
                if (x->v != y->v || x->a != y->a || x->ref != y->ref || x->z != y->z) {
                    fprintf(stderr,
                            "first divergence: sequence %d tick %d neuron %d: one core v %" PRId64
                            " a %" PRId64 " ref %u z %u; several cores v %" PRId64 " a %" PRId64
                            " ref %u z %u\n",
                            s, t, g, x->v, x->a, x->ref, x->z, y->v, y->a, y->ref, y->z);
                    return 1;
                }
            }
    return 0;
}

static void test_equivalence(void)
{
    lsnn_net net;
    lsnn_batch b = {0};
    make_net(&net, 7);
    make_batch(&b, 11);
    lsnn_hw_config big, small;
    lsnn_hw_defaults(&big);
    lsnn_hw_defaults(&small);
    snprintf(small.name, sizeof small.name, "small16");
    small.neurons = 16;
    small.axons = 128;
    small.mesh_x = 4;
    small.mesh_y = 2;
    static recording one, many;
    compiled_run r1, r2;
    int n1 = 0, n2 = 0;
    char d1[1200], d2[1200];
    snprintf(d1, sizeof d1, "%s/one", check_tmpdir("test_multicore"));
    snprintf(d2, sizeof d2, "%s/many", check_tmpdir("test_multicore"));
    compile_and_run(&net, &big, d1, &b, &one, &r1, &n1);
    compile_and_run(&net, &small, d2, &b, &many, &r2, &n2);
    CHECK(n1 == 1 && n2 == 4, "1 and 4 cores (3 x 14/13/13 recurrent + readouts): %d, %d", n1, n2);
    CHECK(r1.spikes > 50, "the network is active: %ld spikes", r1.spikes);
    CHECK(!first_divergence(&one, &many), "every tick, neuron and variable identical");
    CHECK(!memcmp(r1.score, r2.score, sizeof r1.score), "identical window scores");
    /* the same synaptic work; the multi-core chip moves spikes over the NoC */
    CHECK(lsnn_ref_chip_counter(r1.chip, LSNN_REF_SYN_OPS) ==
              lsnn_ref_chip_counter(r2.chip, LSNN_REF_SYN_OPS),
          "syn_ops equal: %" PRIu64 " vs %" PRIu64,
          lsnn_ref_chip_counter(r1.chip, LSNN_REF_SYN_OPS),
          lsnn_ref_chip_counter(r2.chip, LSNN_REF_SYN_OPS));
    CHECK(lsnn_ref_chip_counter(r1.chip, LSNN_REF_SPIKES) ==
              lsnn_ref_chip_counter(r2.chip, LSNN_REF_SPIKES),
          "spikes equal");
    uint64_t sp = lsnn_ref_chip_counter(r2.chip, LSNN_REF_SPIKES);
    uint64_t remote = lsnn_ref_chip_counter(r2.chip, LSNN_REF_SPIKES_CORE);
    uint64_t local = lsnn_ref_chip_counter(r2.chip, LSNN_REF_SPIKES_LOCAL);
    /* each spike goes to 3 recurrent blocks and 1 readout block: 1 local, 3 remote */
    CHECK(local == sp && remote == 3 * sp, "spikes %" PRIu64 ": local %" PRIu64 " remote %" PRIu64,
          sp, local, remote);
    CHECK(lsnn_ref_chip_counter(r1.chip, LSNN_REF_SPIKES_CORE) == 0 && r1.chip->noc_hops == 0,
          "one core: no NoC traffic");
    uint64_t ejected = 0;
    for (int id = 0; id < LSNN_HW_MAX_CORES; id++)
        ejected += r2.chip->flits[id][LSNN_PORT_L];
    CHECK(r2.chip->noc_hops >= remote && ejected == remote,
          "hops %" PRIu64 " >= remote spikes %" PRIu64 ", each ejected once (%" PRIu64 ")",
          r2.chip->noc_hops, remote, ejected);
    CHECK(r2.chip->chip_cycles > 0 && r2.chip->chip_cycles < r1.chip->chip_cycles,
          "4 cores in parallel take fewer cycles per tick: %" PRIu64 " vs %" PRIu64,
          r2.chip->chip_cycles, r1.chip->chip_cycles);
    free_run(&r1);
    free_run(&r2);
    lsnn_batch_free(&b);
    lsnn_net_free(&net);
}

/* Host-map checks: a manifest edited by hand or paired with another image is refused. */
static void expect_bad_manifest(const char *dir, const char *from, const char *to, const char *want)
{
    char path[1300], *text = NULL;
    size_t len = 0;
    lsnn_error e = {{0}};
    snprintf(path, sizeof path, "%s/manifest.yaml", dir);
    CHECK(lsnn_read_file(path, &text, &len, &e) == 0, "%s", e.msg);
    char *at = strstr(text, from);
    CHECK(at != NULL, "manifest has '%s'", from);
    if (!at) {
        free(text);
        return;
    }
    char *edited = malloc(len + strlen(to) + 1);
    size_t pre = (size_t)(at - text);
    memcpy(edited, text, pre);
    strcpy(edited + pre, to);
    strcat(edited, at + strlen(from));
    char dir2[1300];
    snprintf(dir2, sizeof dir2, "%s_bad", dir);
    lsnn_mkdir_p(dir2, &e);
    snprintf(path, sizeof path, "%s/manifest.yaml", dir2);
    lsnn_write_file_atomic(path, edited, strlen(edited), &e);
    lsnn_image img;
    lsnn_hostmap hm;
    CHECK(lsnn_image_load(dir, &img, &e) == 0, "%s", e.msg);
    int rc = lsnn_hostmap_load(dir2, &img, &hm, &e);
    CHECK(rc == -1 && strstr(e.msg, want), "'%s' -> '%s': want '%s', got '%s'", from, to, want,
          e.msg);
    printf("host map: %s\n", e.msg);
    lsnn_image_free(&img);
    free(edited);
    free(text);
}

static void test_bad_hostmaps(void)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/many", check_tmpdir("test_multicore"));
    lsnn_image img;
    lsnn_error e = {{0}};
    char from[64], to[64];
    CHECK(lsnn_image_load(dir, &img, &e) == 0, "%s", e.msg);
    snprintf(from, sizeof from, "crc32: 0x%08" PRIx32 "}", img.file_crc);
    snprintf(to, sizeof to, "crc32: 0x%08" PRIx32 "}", img.file_crc ^ 1);
    lsnn_image_free(&img);
    expect_bad_manifest(dir, from, to, "belongs to another image");
    expect_bad_manifest(dir, "{core: 1, first: 14,", "{core: 1, first: 13,", "placed twice");
    expect_bad_manifest(dir, "{core: 3, first: 40, size: 5,", "{core: 7, first: 40, size: 5,",
                        "core 7 is not in the image");
    expect_bad_manifest(dir, "{core: 3, first: 40, size: 5,", "{core: 3, first: 40, size: 6,",
                        "beyond the network's 45 neurons");
    expect_bad_manifest(dir, "axon_base: 0}", "axon_base: 120}", "exceed core");
    expect_bad_manifest(dir, "  readouts: 5\n", "  readouts: 4\n", "must hold 4 values");
    expect_bad_manifest(dir, "  model: model.yaml", "  model: ../x.yaml", "inside the image");
    expect_bad_manifest(dir, "  model: model.yaml", "  model: 'a #b'", "host.model");
    expect_bad_manifest(dir, "  recurrent: 40\n", "  recurrent: 40\n  extra: 1\n", "extra");
    expect_bad_manifest(dir, "kind: spiking", "kind: readout", "does not match its neurons");
}

int main(void)
{
    test_equivalence();
    test_bad_hostmaps();
    return check_report();
}
