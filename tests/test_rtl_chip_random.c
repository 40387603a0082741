/* test_rtl_chip_random.c - the verilated chip (rtl/nc_chip.v, hw/rtl_chip.h) against the
 * reference chip's cycle model (runtime/chip/ref_mesh.c), every tick, on random multi-core
 * stress networks (tests/chip_random.h: meshes 1x1 to 4x4, random placement, all-to-all,
 * hot-spot and random traffic, 1..16-deep router buffers) with random host events and, in
 * every other network, random link stalls (docs/neurocore.md §16.7). The lockstep
 * (runtime/chip/lockstep.c) compares after every CLEAR and TICK every neuron's state, every
 * counter of every core, every output word, every router's flits and link stalls, the chip
 * counters, flit conservation (sent = ejected) and the chip cycles of the tick.
 *
 * Arguments: [nets [ticks]] (default 40 x 60; the `slow` label runs 240 x 200). LSNN_CHIP_SEED
 * picks the first seed. Needs the chip_small model (not built under ASan: the test then
 * exits 77, "skipped"). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "chip_random.h"
#include "ref_chip.h"
#include "rtl_chip.h"
#include "target.h"
#include "target_rtl.h"

static lsnn_hw_config small_core(void)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    snprintf(g.name, sizeof g.name, "chip_random");
    g.neurons = 64;
    g.axons = 512;
    g.synapse_words = 16384;
    g.profiles = 8;
    g.route_entries = 256;
    g.mesh_x = 4;
    g.mesh_y = 4;
    return g;
}

/* One network: 0 when every tick matched. */
static int run_net(const lsnn_hw_config *base, uint64_t seed, int ticks, uint64_t *flits)
{
    lsnn_image img;
    chip_random_info info;
    chip_random_image(base, 4, 4, seed, &img, &info);
    lsnn_error e = {{0}};
    lsnn_ref_chip *chip = lsnn_ref_chip_from_image(&img, &e);
    lsnn_target ref, rtl, pair;
    int fail = 0;
    if (!chip) {
        fprintf(stderr, "net %" PRIu64 ": reference: %s\n", seed, e.msg);
        lsnn_image_free(&img);
        return -1;
    }
    lsnn_target_ref(chip, 1, &ref);
    /* every twentieth network through the programming bus (every row written and read back,
     * some 15 s for a 4 x 4 mesh), the others through $readmemh */
    int port = seed % 20 == 0;
    char dir[1200] = "random", cwd[1024];
    if (!port) {
        const char *tmp = check_tmpdir("test_rtl_chip_random");
        if (tmp[0] != '/' && getcwd(cwd, sizeof cwd))
            snprintf(dir, sizeof dir, "%s/%s/net%" PRIu64, cwd, tmp, seed);
        else
            snprintf(dir, sizeof dir, "%s/net%" PRIu64, tmp, seed);
        if (lsnn_image_write(&img, dir, &e)) {
            fprintf(stderr, "net %" PRIu64 ": %s\n", seed, e.msg);
            port = 1;
        }
    }
    if (lsnn_target_rtl_open(&img, dir, NULL, !port, &rtl, &e) ||
        lsnn_lockstep_open(&ref, &rtl, &pair, &e)) {
        fprintf(stderr, "net %" PRIu64 ": %s\n", seed, e.msg);
        lsnn_ref_chip_free(chip);
        lsnn_image_free(&img);
        return -1;
    }
    unsigned permille = seed % 2 ? 0 : 50 + (unsigned)(seed % 7) * 50;
    chip_rng r = {seed * 31 + 5};
    int t = -1;
    if (!pair.set_stalls) permille = 0; /* one core: the core harness, no routers */
    if ((permille && pair.set_stalls(pair.ctx, seed, permille, &e)) || pair.clear(pair.ctx, &e))
        fail = 1;
    for (t = 0; t < ticks && !fail; t++) {
        int ci[64];
        uint32_t ax[64];
        int n = chip_random_events(&r, &img, ci, ax, 64);
        for (int i = 0; i < n && !fail; i++)
            fail = pair.event(pair.ctx, ci[i], ax[i], &e) != 0;
        if (!fail) fail = pair.tick(pair.ctx, &e) != 0;
        if (!fail && t == ticks / 2) fail = pair.clear(pair.ctx, &e) != 0; /* a CLEAR mid-run */
    }
    if (fail) {
        const lsnn_divergence *d = lsnn_lockstep_divergence(&pair);
        fprintf(stderr,
                "net %" PRIu64 " (mesh %dx%d, B %d, %d cores, %s, stalls %u permille): ", seed,
                info.mesh_x, info.mesh_y, info.noc_buffer, info.ncores, info.pattern_name,
                permille);
        if (d)
            fprintf(stderr, "tick %ld, core %d, %s (neuron %ld): ref %" PRId64 ", rtl %" PRId64 "\n",
                    d->tick, d->core, d->what, d->neuron, d->a, d->b);
        else
            fprintf(stderr, "tick %d: %s\n", t, e.msg);
    }
    for (int id = 0; id < LSNN_HW_MAX_CORES; id++)
        *flits += chip->flits[id][LSNN_PORT_L];
    lsnn_target_close(&pair);
    lsnn_target_close(&rtl);
    lsnn_ref_chip_free(chip);
    lsnn_image_free(&img);
    return fail ? -1 : 0;
}

int main(int argc, char **argv)
{
    lsnn_hw_config base = small_core();
    if (!lsnn_rtl_chip_supported(&base)) {
        printf("test_rtl_chip_random: no verilated chip for the small core in this build: "
               "skipped\n");
        return 77;
    }
    int nets = argc > 1 ? atoi(argv[1]) : 40, ticks = argc > 2 ? atoi(argv[2]) : 60;
    uint64_t seed0 = getenv("LSNN_CHIP_SEED") ? strtoull(getenv("LSNN_CHIP_SEED"), NULL, 10) : 1;
    uint64_t flits = 0;
    for (int k = 0; k < nets; k++) {
        uint64_t seed = seed0 + (uint64_t)k;
        CHECK(run_net(&base, seed, ticks, &flits) == 0, "network seed %" PRIu64 " differs", seed);
    }
    CHECK(flits > (uint64_t)nets * 100, "the networks moved flits: %" PRIu64, flits);
    printf("%d random chips x %d ticks, %" PRIu64 " flits ejected\n", nets, ticks, flits);
    return check_report();
}
