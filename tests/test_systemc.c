/* test_systemc.c - the SystemC platform of the chip (hw/systemc/, docs/systemc.md).
 *
 * 1. The register map through the host's bus (b_transport) and debug transport: ID, VERSION,
 *    MODEL, CLOCK_PS, STATUS; MESH and NOC_B writable only in reset; errors for an unmapped
 *    address, a read-only register, the debug space on b_transport and a command word on
 *    HOST_WORD; what each access costs in clock cycles (a register 1, an EVENT 1, a programming
 *    access 3, a TICK its acceptance wait plus C_chip) and SystemC time = cycles x period at
 *    every point.
 * 2. Random multi-core networks of the small core (tests/chip_random.h: meshes 1x1 up to
 *    MAX x MAX, random placement, all-to-all, hot-spot and random traffic, 1..16-deep router
 *    buffers), each loaded
 *    through the programming window and run against the reference chip in lockstep
 *    (runtime/chip/lockstep.c, as lsnn verify): after every tick every neuron's state, every
 *    counter, every output word, the chip counters, every link's counters and the tick's chip
 *    cycles are equal; every other network with §16.7 link stalls (which must stall links).
 *    After each network: the SystemC time of the commands = chip_cycles x period, and the
 *    platform's time = its clock cycles x period.
 * Loading dominates the time: every row of every memory of every cell through the window,
 * about 340 k cycles per small core (docs/systemc.md), so ctest runs 6 networks on meshes up to
 * 2 x 2 and the `slow` label 20 networks on meshes up to 4 x 4.
 * usage: test_systemc [NETS [TICKS [MAX]]] (default 6 x 100, MAX 2; or LSNN_SC_NETS,
 * LSNN_SC_TICKS, LSNN_SC_MAX; LSNN_SC_SEED the first network's seed, default 17). */
#include <inttypes.h>
#include <time.h>

#include "chip_random.h"
#include "check.h"
#include "mesh.h"
#include "ref_chip.h"
#include "sc_chip.h"
#include "sc_regs.h"
#include "target.h"
#include "target_systemc.h"

static void must(int rc, const lsnn_error *e, const char *what)
{
    if (rc) {
        fprintf(stderr, "test_systemc: %s: %s\n", what, e->msg);
        exit(2);
    }
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static lsnn_hw_config small_cfg(void)
{
    lsnn_error e = {{0}};
    lsnn_hw_config g;
    const char *src = getenv("LSNN_SOURCE_DIR");
    char path[1200];
    snprintf(path, sizeof path, "%s/models/hw/small.yaml", src ? src : ".");
    must(lsnn_hw_load(path, &g, &e), &e, "models/hw/small.yaml");
    return g;
}

/* ---- 1. the register map ------------------------------------------------------------------ */

static uint64_t cycles_of(lsnn_sc_chip *c)
{
    lsnn_sc_chip_time t;
    lsnn_sc_chip_times(c, &t);
    CHECK(t.now_ps == t.cycles * t.period_ps,
          "SystemC time %" PRIu64 " ps = %" PRIu64 " cycles x %" PRIu64 " ps", t.now_ps, t.cycles,
          t.period_ps);
    return t.cycles;
}

static void test_registers(const lsnn_hw_config *small)
{
    lsnn_error e = {{0}};
    lsnn_hw_config g = *small;
    g.mesh_x = 2, g.mesh_y = 1, g.noc_buffer = 3;
    lsnn_sc_chip *c = lsnn_sc_chip_create(&g, &e);
    must(!c, &e, "create");
    CHECK(!lsnn_sc_chip_create(&g, &e) && strstr(e.msg, "already open"),
          "a second handle is refused: %s", e.msg);
    uint32_t v = 0;
    uint64_t c0 = cycles_of(c);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_ID, &v, &e), &e, "ID");
    CHECK(v == 0x4E430000u + LSNN_NEUROCORE, "ID 0x%08x", v);
    CHECK(cycles_of(c) == c0 + 1, "a register read costs 1 cycle, not %" PRIu64, cycles_of(c) - c0);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_VERSION, &v, &e), &e, "VERSION");
    CHECK(v == LSNN_SC_MAP_VERSION, "VERSION %u", v);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_MODEL, &v, &e), &e, "MODEL");
    CHECK(v == (4u | 4u << 8 | 16u << 16), "MODEL 0x%x (4 x 4, BMAX 16)", v);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_CLOCK_PS, &v, &e), &e, "CLOCK_PS");
    CHECK(v == (uint32_t)(1e6 / g.clock_mhz + 0.5), "CLOCK_PS %u at %g MHz", v, g.clock_mhz);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_MESH, &v, &e), &e, "MESH");
    CHECK(v == (2u | 1u << 8), "MESH 0x%x", v);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_NOC_B, &v, &e), &e, "NOC_B");
    CHECK(v == 3, "NOC_B %u", v);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_STATUS, &v, &e), &e, "STATUS");
    CHECK(v == LSNN_SC_STATUS_IDLE, "STATUS 0x%x: idle, out of reset", v);
    /* errors */
    CHECK(lsnn_sc_chip_bus_write(c, LSNN_SC_MESH, 1u | 1u << 8, &e) && strstr(e.msg, "reset"),
          "MESH out of reset is refused: %s", e.msg);
    CHECK(lsnn_sc_chip_bus_write(c, LSNN_SC_ID, 1, &e) && strstr(e.msg, "read-only"),
          "ID is read-only: %s", e.msg);
    CHECK(lsnn_sc_chip_bus_read(c, 0x0FC, &v, &e) && strstr(e.msg, "ADDRESS_ERROR"),
          "an unmapped address: %s", e.msg);
    CHECK(lsnn_sc_chip_bus_read(c, LSNN_SC_DBG_COUNTERS(0), &v, &e) &&
              strstr(e.msg, "transport_dbg"),
          "the debug space on b_transport: %s", e.msg);
    CHECK(lsnn_sc_chip_bus_write(c, LSNN_SC_HOST_CELL, 0, &e) == 0 &&
              lsnn_sc_chip_bus_write(c, LSNN_SC_HOST_WORD, 0x40000000u, &e) &&
              strstr(e.msg, "command"),
          "a TICK word on HOST_WORD: %s", e.msg);
    CHECK(lsnn_sc_chip_event(c, lsnn_hw_core_id(0, 1), 1, &e) && strstr(e.msg, "active mesh"),
          "an EVENT outside the active mesh: %s", e.msg);
    must(lsnn_sc_chip_bus_read(c, LSNN_SC_STATUS, &v, &e), &e, "STATUS");
    CHECK(v & LSNN_SC_STATUS_ERROR, "STATUS.ERROR after failed accesses: 0x%x", v);
    /* the debug transport: zero time */
    c0 = cycles_of(c);
    uint64_t k[LSNN_CHIP_NCOUNTERS];
    lsnn_sc_chip_counters(c, k);
    uint32_t id;
    must(lsnn_sc_chip_debug_read(c, LSNN_SC_ID, &id, 4, &e), &e, "debug ID");
    CHECK(id == 0x4E430000u + LSNN_NEUROCORE && cycles_of(c) == c0,
          "debug reads cost no cycle (%" PRIu64 ")", cycles_of(c) - c0);
    /* a programming access: 3 cycles (+ 2 for PROG_CELL and PROG_ADDR) */
    c0 = cycles_of(c);
    must(lsnn_sc_chip_port_read(c, lsnn_hw_core_id(1, 0), 0, &v, &e), &e, "port read");
    CHECK(v == 0x4E430000u + LSNN_NEUROCORE, "core (1, 0) ID through the window: 0x%08x", v);
    CHECK(cycles_of(c) == c0 + 5, "PROG_CELL + PROG_ADDR + PROG_DATA read: 5 cycles, not %" PRIu64,
          cycles_of(c) - c0);
    must(lsnn_sc_chip_port_read(c, lsnn_hw_core_id(1, 0), (0u << 28) | (1u << 3), &v, &e), &e,
         "port read N");
    CHECK(v == 64, "core (1, 0) register N: %u", v);
    /* an empty chip (one image core with NU = XU = 0, one empty cell): an EVENT, a TICK */
    lsnn_image img;
    must(lsnn_image_init(&img, &g, 1, &e), &e, "image");
    img.cores[0].core_id = lsnn_hw_core_id(1, 0);
    must(lsnn_sc_chip_load(c, &img, &e), &e, "load");
    lsnn_sc_chip_time t0, t1;
    lsnn_sc_chip_times(c, &t0);
    CHECK(t0.cmd_ps == 0 && t0.bus_ps == 0, "the load resets the time split");
    c0 = cycles_of(c);
    must(lsnn_sc_chip_event(c, lsnn_hw_core_id(1, 0), 0, &e), &e, "event");
    CHECK(cycles_of(c) == c0 + 1, "an EVENT costs 1 cycle, not %" PRIu64, cycles_of(c) - c0);
    uint64_t cc;
    c0 = cycles_of(c);
    must(lsnn_sc_chip_tick(c, &cc, &e), &e, "tick");
    /* an empty core ticks in 7 cycles; Lb = 2 (2 + 1) - 2 = 4; the TICK waits one cycle for
     * the EVENT to leave AER-in */
    CHECK(cc == 2 + 7 + 4, "C_chip of an empty 2 x 1 chip: %" PRIu64 ", not 13", cc);
    CHECK(cycles_of(c) == c0 + 1 + cc, "the TICK write: %" PRIu64 " cycles, 1 + C_chip = %" PRIu64,
          cycles_of(c) - c0, 1 + cc);
    lsnn_sc_chip_times(c, &t1);
    CHECK(t1.cmd_ps == cc * t1.period_ps,
          "the command's SystemC time %" PRIu64 " ps = C_chip x period", t1.cmd_ps);
    CHECK(t1.bus_ps == (1 + 1 + cc) * t1.period_ps, "the bus time %" PRIu64 " ps", t1.bus_ps);
    uint32_t w[4];
    int p[4];
    size_t n = lsnn_sc_chip_outputs(c, lsnn_hw_core_id(1, 0), w, p, 4);
    CHECK(n == 1 && w[0] == LSNN_REF_W_TICK_DONE(0) && p[0] == LSNN_REF_PORT_HOST,
          "the TICK's one output word: TICK_DONE(0) (%zu words, 0x%08x)", n, w[0]);
    uint64_t ctr[LSNN_REF_NCOUNTERS];
    must(lsnn_sc_chip_core_counters(c, lsnn_hw_core_id(1, 0), ctr), &e, "counters");
    CHECK(ctr[LSNN_REF_TICKS] == 1 && ctr[LSNN_REF_BAD_WORDS] == 1 && ctr[LSNN_REF_CYCLES] == 7,
          "core (1, 0): ticks %" PRIu64 ", bad_words %" PRIu64 " (axon 0 >= XU 0), cycles %" PRIu64,
          ctr[LSNN_REF_TICKS], ctr[LSNN_REF_BAD_WORDS], ctr[LSNN_REF_CYCLES]);
    lsnn_sc_chip_counters(c, k);
    CHECK(k[LSNN_CHIP_TICKS] == 1 && k[LSNN_CHIP_CYCLES] == cc && k[LSNN_CHIP_BARRIER_CYCLES] == 4,
          "chip counters: ticks %" PRIu64 ", cycles %" PRIu64 ", barrier %" PRIu64,
          k[LSNN_CHIP_TICKS], k[LSNN_CHIP_CYCLES], k[LSNN_CHIP_BARRIER_CYCLES]);
    lsnn_image_free(&img);
    lsnn_sc_chip_free(c);
    /* a config the chip does not run, and another clock */
    lsnn_hw_config bad = *small;
    bad.neurons = 128;
    CHECK(!lsnn_sc_chip_create(&bad, &e) && strstr(e.msg, "does not run"), "%s", e.msg);
    bad = *small;
    bad.clock_mhz = 250;
    CHECK(!lsnn_sc_chip_create(&bad, &e) && strstr(e.msg, "elaborated with a 10000 ps clock"), "%s",
          e.msg);
}

/* ---- 2. random networks in lockstep with the reference --------------------------------- */

static int verdict(int rc, const lsnn_target *pair, const lsnn_error *e, int t)
{
    if (rc == 0) return 0;
    const lsnn_divergence *d = lsnn_lockstep_divergence(pair);
    if (!d) {
        fprintf(stderr, "tick %d: %s\n", t, e->msg);
        return -1;
    }
    fprintf(stderr, "tick %d%s: core %d: %s", t, d->tick < 0 ? " (after CLEAR)" : "", d->core,
            d->what);
    if (d->neuron >= 0)
        fprintf(stderr, " %s %ld", strstr(d->what, "word") ? "index" : "of neuron", d->neuron);
    fprintf(stderr, ": ref %" PRId64 ", systemc %" PRId64 "\n", d->a, d->b);
    return -1;
}

static uint64_t link_stalls_total(const lsnn_target *t)
{
    uint64_t sum = 0;
    for (int y = 0; y < t->mesh_y; y++)
        for (int x = 0; x < t->mesh_x; x++) {
            uint64_t f[LSNN_PORTS], s[LSNN_PORTS];
            t->links(t->ctx, lsnn_hw_core_id(x, y), f, s);
            for (int o = 0; o < LSNN_PORTS; o++)
                sum += s[o];
        }
    return sum;
}

static int run_net(const lsnn_hw_config *small, uint64_t seed, int ticks, int max, int stalls,
                   uint64_t *cycles, uint64_t *flits)
{
    lsnn_error e = {{0}};
    lsnn_image img;
    chip_random_info info;
    chip_random_image(small, max, max, seed, &img, &info);
    lsnn_ref_chip *chip = lsnn_ref_chip_from_image(&img, &e);
    must(!chip, &e, "reference chip");
    lsnn_target ref, sc, pair;
    lsnn_target_ref(chip, 1, &ref);
    must(lsnn_target_systemc_open(&img, &sc, &e), &e, "systemc load");
    must(lsnn_lockstep_open(&ref, &sc, &pair, &e), &e, "lockstep");
    int fail = verdict(lsnn_lockstep_check(&pair, 0, &e), &pair, &e, -1);
    if (stalls && !fail) must(pair.set_stalls(pair.ctx, seed, 150, &e), &e, "stalls");
    chip_rng r = {seed * 31 + 5};
    for (int t = 0; t < ticks && !fail; t++) {
        int ci[64];
        uint32_t ax[64];
        int n = chip_random_events(&r, &img, ci, ax, 64);
        for (int i = 0; i < n && !fail; i++)
            fail = verdict(pair.event(pair.ctx, ci[i], ax[i], &e), &pair, &e, t);
        if (!fail && t == ticks / 2) fail = verdict(pair.clear(pair.ctx, &e), &pair, &e, t);
        if (!fail) fail = verdict(pair.tick(pair.ctx, &e), &pair, &e, t);
    }
    uint64_t cmd_ps, all_ps, period_ps, k[LSNN_CHIP_NCOUNTERS];
    sc.sim_time(sc.ctx, &cmd_ps, &all_ps, &period_ps);
    sc.chip_counters(sc.ctx, k);
    CHECK(cmd_ps == k[LSNN_CHIP_CYCLES] * period_ps,
          "net %" PRIu64 ": the commands' SystemC time %" PRIu64 " ps = chip_cycles %" PRIu64
          " x %" PRIu64 " ps",
          seed, cmd_ps, k[LSNN_CHIP_CYCLES], period_ps);
    CHECK(all_ps >= cmd_ps, "net %" PRIu64 ": bus time %" PRIu64 " >= command time", seed, all_ps);
    if (stalls && !fail && img.ncores > 1)
        CHECK(link_stalls_total(&sc) > 0 || k[LSNN_CHIP_CYCLES] == 0,
              "net %" PRIu64 ": link stalls on, but no link stalled", seed);
    for (int y = 0; y < info.mesh_y; y++)
        for (int x = 0; x < info.mesh_x; x++) {
            uint64_t f[LSNN_PORTS];
            sc.links(sc.ctx, lsnn_hw_core_id(x, y), f, NULL);
            for (int o = 1; o < LSNN_PORTS; o++)
                *flits += f[o];
        }
    *cycles += k[LSNN_CHIP_CYCLES];
    printf("net %" PRIu64 ": mesh %dx%d, %d cores, B %d, %s%s: %s\n", seed, info.mesh_x,
           info.mesh_y, info.ncores, info.noc_buffer, info.pattern_name,
           stalls ? ", link stalls" : "", fail ? "DIFFERENT" : "equal");
    lsnn_target_close(&pair);
    lsnn_target_close(&sc);
    lsnn_ref_chip_free(chip);
    lsnn_image_free(&img);
    return fail;
}

int main(int argc, char **argv)
{
    const char *s = getenv("LSNN_SC_NETS");
    int nets = s ? atoi(s) : 6;
    s = getenv("LSNN_SC_TICKS");
    int ticks = s ? atoi(s) : 100;
    s = getenv("LSNN_SC_MAX");
    int max = s ? atoi(s) : 2;
    s = getenv("LSNN_SC_SEED");
    uint64_t seed0 = s ? strtoull(s, NULL, 10) : 17; /* 17..22 on 2x2: two 2x2 meshes, B 1 */
    if (argc > 1) nets = atoi(argv[1]);
    if (argc > 2) ticks = atoi(argv[2]);
    if (argc > 3) max = atoi(argv[3]);
    if (max < 1 || max > 4) max = 4;
    char model[256];
    lsnn_sc_chip_model(model, sizeof model);
    printf("SystemC platform: %s\n", model);
    lsnn_hw_config small = small_cfg();
    double t0 = now_s();
    test_registers(&small);
    int failed = 0;
    uint64_t cycles = 0, flits = 0;
    double t1 = now_s();
    for (int i = 0; i < nets; i++) {
        int fail = run_net(&small, seed0 + (uint64_t)i, ticks, max, i % 2, &cycles, &flits);
        CHECK(!fail, "network %" PRIu64 " differs", seed0 + (uint64_t)i);
        failed += fail != 0;
    }
    double t2 = now_s();
    printf("%d networks x %d ticks (meshes up to %dx%d): %d different; %" PRIu64
           " chip cycles, %" PRIu64 " router-to-router flits; registers %.2f s, networks %.2f s\n",
           nets, ticks, max, max, failed, cycles, flits, t1 - t0, t2 - t1);
    return check_report();
}
