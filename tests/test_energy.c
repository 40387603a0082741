/* test_energy.c - the energy model against values computed by hand from the shipped tables.
 *
 * Expected energies use the tables' published figures written out here (docs/tech-tables.md),
 * not the loaded values, so a wrong counter mapping or a wrong table both show. */
#include "check.h"
#include "energy.h"

#include <math.h>

#define NC LSNN_REF_NCOUNTERS

static lsnn_tech_table odin, loihi, horowitz;

static int near(double got, double want)
{
    return fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));
}

static void load(const char *file, lsnn_tech_table *t)
{
    char path[1024];
    const char *root = getenv("LSNN_SOURCE_DIR");
    lsnn_error e = {{0}};
    snprintf(path, sizeof path, "%s/models/tech/%s", root ? root : "..", file);
    if (lsnn_tech_load(path, t, &e) != 0) {
        fprintf(stderr, "%s: %s\n", path, e.msg);
        exit(1);
    }
}

static lsnn_energy_run make_run(const uint64_t *counters, int n_cores, uint64_t n_inferences)
{
    lsnn_energy_run run = {0};
    run.counters = counters;
    run.n_cores = n_cores;
    run.n_inferences = n_inferences;
    return run;
}

/* Every priced event maps to the §11 counter of the same name; the mesh's events have none. */
static void test_mapping(void)
{
    for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++) {
        int i = lsnn_energy_counter_of((lsnn_tech_event)ev);
        if (ev == LSNN_TECH_NOC_HOPS || ev == LSNN_TECH_BARRIER_HOPS) {
            CHECK(i == -1, "%s -> %d", lsnn_tech_event_names[ev], i);
            continue;
        }
        CHECK(i >= 0 && strcmp(lsnn_ref_counter_name(i), lsnn_tech_event_names[ev]) == 0,
              "%s -> %d", lsnn_tech_event_names[ev], i);
    }
    CHECK(lsnn_energy_counter_of(LSNN_TECH_N_EVENTS) == -1, "out of range");
}

/* 1000 SOPs at ODIN/ReckOn's 2.08 pJ, 1000 at Loihi's 23.6 pJ. */
static void test_single_term(void)
{
    uint64_t c[NC] = {0};
    c[LSNN_REF_SYN_OPS] = 1000;
    lsnn_energy_run run = make_run(c, 1, 1);
    lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.pj[LSNN_TECH_SYN_OPS], 2080), "odin sop %g", r.pj[LSNN_TECH_SYN_OPS]);
    CHECK(near(r.total_pj, 2080), "odin total %g (no cycles: no static)", r.total_pj);
    CHECK(r.cores_used == 0 && r.static_pj == 0, "no cycles, no static");
    CHECK(lsnn_energy_compute(&run, NULL, &loihi, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.pj[LSNN_TECH_SYN_OPS], 23600), "loihi sop %g", r.pj[LSNN_TECH_SYN_OPS]);
    CHECK(near(r.syn_ops, 1000), "syn_ops %g", r.syn_ops);
}

/* Two cores, every priced counter set, 4 inferences, 6 hops and no mesh (a caller that knows
 * only a hop count): each term, the per-core split, the breakdown sums, against ODIN/ReckOn's
 * figures written out. */
static void test_full_breakdown(void)
{
    static const double odin_pj[LSNN_TECH_N_EVENTS] = {2.35, 1.17, 1.32,     5.57, 2.08, 1.59,
                                                       2.38, 2.38, 2.05,     0.51, 0.99, 2.35,
                                                       2.3,  2.3,  2.3 / 32, 64};
    static const int idx[LSNN_TECH_N_EVENTS] = {4,  5,  6,  7,  8,  9,  10, 11,
                                                12, 14, 15, 16, 17, -1, -1, 18};
    uint64_t c[2 * NC] = {0};
    double want_core[2] = {0, 0}, want_total = 0;
    for (int core = 0; core < 2; core++)
        for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++) {
            if (idx[ev] < 0) continue;
            uint64_t v = (uint64_t)(10 * (ev + 1) + 7 * core);
            c[core * NC + idx[ev]] = v;
            want_core[core] += (double)v * odin_pj[ev] / 4;
        }
    c[LSNN_REF_SPIKES] = 3; /* unpriced counters stay unpriced */
    c[LSNN_REF_SAT_ACC] = 99;
    lsnn_energy_run run = make_run(c, 2, 4);
    run.noc_hops = 6;
    want_total = want_core[0] + want_core[1] + 6 * 2.3 / 4;
    lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.total_pj, want_total), "total %g want %g", r.total_pj, want_total);
    CHECK(near(r.dynamic_pj, want_total), "dynamic %g", r.dynamic_pj);
    CHECK(near(r.core_dynamic_pj[0], want_core[0]) && near(r.core_dynamic_pj[1], want_core[1]),
          "cores %g %g", r.core_dynamic_pj[0], r.core_dynamic_pj[1]);
    CHECK(near(r.noc_pj, 6 * 2.3 / 4) && near(r.count[LSNN_TECH_NOC_HOPS], 1.5), "noc %g",
          r.noc_pj);
    CHECK(r.barrier_pj == 0 && r.count[LSNN_TECH_BARRIER_HOPS] == 0 && !r.links_given &&
              r.mesh_x == 0,
          "no mesh: no barrier, no links");
    double terms = 0, cores = r.noc_pj;
    for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++) {
        terms += r.pj[ev];
        CHECK(near(r.pj[ev], r.count[ev] * odin_pj[ev]), "term %s", lsnn_tech_event_names[ev]);
    }
    for (int k = 0; k < 2; k++)
        cores += r.core_dynamic_pj[k] + r.core_static_pj[k];
    CHECK(near(terms, r.dynamic_pj), "terms %g", terms);
    CHECK(near(cores, r.total_pj), "cores %g total %g", cores, r.total_pj);
    /* syn_ops (index 4) summed: (50 + 57) / 4 */
    CHECK(near(r.count[LSNN_TECH_SYN_OPS], 107.0 / 4), "sop count %g", r.count[LSNN_TECH_SYN_OPS]);
}

static void test_zero(void)
{
    uint64_t c[3 * NC] = {0};
    lsnn_energy_run run = make_run(c, 3, 1);
    lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(r.total_pj == 0 && r.dynamic_pj == 0 && r.static_pj == 0, "zero total %g", r.total_pj);
    CHECK(r.cores_used == 0 && r.latency_us == 0 && r.cycles == 0, "zero latency");
    CHECK(r.activation_sparsity == 0 && r.ticks == 0 && r.dense_macs == 0, "zero counts");
    for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++)
        CHECK(r.pj[ev] == 0, "term %d", ev);
}

/* Static = W × latency × cores used; latency = max over cores of cycles / clock, or the
 * caller's chip_cycles. ODIN/ReckOn: 2.135e-4 W. */
static void test_static(void)
{
    uint64_t c[3 * NC] = {0};
    c[0 * NC + LSNN_REF_CYCLES] = 1000;
    c[1 * NC + LSNN_REF_CYCLES] = 500;
    /* core 2 idle: not used, no leakage */
    lsnn_energy_run run = make_run(c, 3, 1);
    lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    /* 1000 cycles at the table's 100 MHz = 10 us; 2.135e-4 W × 10e-6 s = 2.135 nJ per core */
    CHECK(near(r.latency_us, 10) && r.clock_mhz == 100, "latency %g", r.latency_us);
    CHECK(r.cores_used == 2, "cores used %d", r.cores_used);
    CHECK(near(r.static_pj, 2 * 2135) && near(r.total_pj, 4270), "static %g", r.static_pj);
    CHECK(near(r.core_static_pj[0], 2135) && near(r.core_static_pj[1], 2135) &&
              r.core_static_pj[2] == 0,
          "per core static");
    CHECK(!r.chip_cycles_given, "max of totals");

    lsnn_hw_config hw;
    lsnn_hw_defaults(&hw);
    hw.clock_mhz = 200;
    CHECK(lsnn_energy_compute(&run, &hw, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.latency_us, 5) && near(r.static_pj, 2135), "200 MHz halves: %g", r.static_pj);

    c[0 * NC + LSNN_REF_CYCLES] = 2000;
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.static_pj, 4 * 2135), "2x cycles doubles: %g", r.static_pj);

    run.chip_cycles = 2400; /* per-tick max exceeds the max of totals */
    run.n_inferences = 2;
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(r.chip_cycles_given && near(r.cycles, 1200) && near(r.latency_us, 12), "chip cycles %g",
          r.cycles);
    CHECK(near(r.static_pj, 2 * 2.135e-4 * 12e-6 * 1e12), "static %g", r.static_pj);

    CHECK(lsnn_energy_compute(&run, NULL, &loihi, &r, &e) == 0, "%s", e.msg);
    CHECK(r.static_pj == 0 && near(r.latency_us, 12), "loihi: 0 W");
}

static void test_neurobench(void)
{
    uint64_t c[2 * NC] = {0};
    for (int core = 0; core < 2; core++) {
        c[core * NC + LSNN_REF_TICKS] = 20; /* 2 inferences of 10 ticks, both cores */
        c[core * NC + LSNN_REF_NEURON_UPDATES] = 200;
        c[core * NC + LSNN_REF_SPIKES] = 15;
        c[core * NC + LSNN_REF_SYN_OPS] = 100 + (uint64_t)core;
    }
    lsnn_energy_run run = make_run(c, 2, 2);
    run.dense_synapses = 100;
    lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.ticks, 10) && near(r.dense_macs, 1000), "ticks %g dense %g", r.ticks,
          r.dense_macs);
    CHECK(near(r.syn_ops, 100.5) && near(r.membrane_updates, 200) && near(r.spikes, 15),
          "counts %g %g %g", r.syn_ops, r.membrane_updates, r.spikes);
    CHECK(near(r.activation_sparsity, 1 - 15.0 / 200), "sparsity %g", r.activation_sparsity);
    run.spiking_neurons = 10;
    run.ticks_per_inference = 12;
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.activation_sparsity, 1 - 15.0 / 120) && near(r.dense_macs, 1200),
          "sparsity %g dense %g", r.activation_sparsity, r.dense_macs);
}

/* A 2x2 mesh, cores at cells 0, 1, 16, 17, 2 inferences of 11 commands (1 CLEAR + 10 TICKs):
 *   flits (router (x, y) -> port, over the run): (0,0)->E 10, (0,0)->S 4, (1,0)->W 6,
 *   (1,0)->S 2, (0,1)->N 8; ejections (L) 3, 5, 7, 2; nothing out of (1,1) but L.
 * Per inference at ODIN/ReckOn's 2.3 pJ per hop: 5, 2, 3, 1, 4 flits = 11.5, 4.6, 6.9, 2.3,
 * 9.2 pJ; 15 hops, 34.5 pJ. Barrier: 2 (4 - 1) = 6 token hops per command at 2.3 / 32 =
 * 0.071875 pJ = 0.43125 pJ per command; 11 commands = 66 hops = 4.74375 pJ.
 * Cores: syn_ops 10 (c + 1) over the run = 5 (c + 1) per inference at 2.08 pJ: 10.4, 20.8,
 * 31.2, 41.6 pJ (104 in all); cycles 100 each (used), chip_cycles 300 = 150 per inference =
 * 1.5 us at 100 MHz: static 2.135e-4 W x 1.5 us = 320.25 pJ per core, 1281 pJ.
 * Total 104 + 1281 + 34.5 + 4.74375 = 1424.24375 pJ. */
static uint64_t mesh_flits[LSNN_HW_MAX_CORES * LSNN_PORTS];
static const unsigned quad_ids[4] = {0, 1, 16, 17};

static void set_flits(int x, int y, int port, uint64_t n)
{
    mesh_flits[(16 * y + x) * LSNN_PORTS + port] = n;
}

static lsnn_energy_run quad_run(uint64_t *c)
{
    memset(mesh_flits, 0, sizeof mesh_flits);
    set_flits(0, 0, LSNN_PORT_E, 10);
    set_flits(0, 0, LSNN_PORT_S, 4);
    set_flits(1, 0, LSNN_PORT_W, 6);
    set_flits(1, 0, LSNN_PORT_S, 2);
    set_flits(0, 1, LSNN_PORT_N, 8);
    set_flits(0, 0, LSNN_PORT_L, 3);
    set_flits(1, 0, LSNN_PORT_L, 5);
    set_flits(0, 1, LSNN_PORT_L, 7);
    set_flits(1, 1, LSNN_PORT_L, 2);
    set_flits(2, 0, LSNN_PORT_E, 1000); /* cell (2, 0) is outside the 2x2 mesh: not read */
    for (int k = 0; k < 4; k++) {
        c[k * NC + LSNN_REF_SYN_OPS] = 10 * (uint64_t)(k + 1);
        c[k * NC + LSNN_REF_CYCLES] = 100;
    }
    lsnn_energy_run run = make_run(c, 4, 2);
    run.mesh_x = run.mesh_y = 2;
    run.flits = mesh_flits;
    run.commands = 22;
    run.chip_cycles = 300;
    run.core_ids = quad_ids;
    return run;
}

static void test_mesh_links(void)
{
    uint64_t c[4 * NC] = {0};
    lsnn_energy_run run = quad_run(c);
    static lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(r.links_given && r.links_used == 5 && r.mesh_x == 2 && r.mesh_y == 2, "links %d",
          r.links_used);
    CHECK(near(r.link_pj[0][LSNN_PORT_E], 11.5) && near(r.link_pj[0][LSNN_PORT_S], 4.6) &&
              near(r.link_pj[1][LSNN_PORT_W], 6.9) && near(r.link_pj[1][LSNN_PORT_S], 2.3) &&
              near(r.link_pj[16][LSNN_PORT_N], 9.2),
          "per link %g %g %g %g %g", r.link_pj[0][LSNN_PORT_E], r.link_pj[0][LSNN_PORT_S],
          r.link_pj[1][LSNN_PORT_W], r.link_pj[1][LSNN_PORT_S], r.link_pj[16][LSNN_PORT_N]);
    CHECK(near(r.link_flits[0][LSNN_PORT_E], 5) && near(r.link_flits[16][LSNN_PORT_N], 4),
          "flits per inference");
    CHECK(near(r.link_flits[16][LSNN_PORT_L], 3.5) && r.link_pj[16][LSNN_PORT_L] == 0 &&
              r.link_pj[17][LSNN_PORT_W] == 0 && r.link_flits[2][LSNN_PORT_E] == 0,
          "ejections counted, not priced; cells outside the mesh not read");
    double links = 0;
    for (int cell = 0; cell < LSNN_HW_MAX_CORES; cell++)
        for (int p = 0; p < LSNN_PORTS; p++)
            links += r.link_pj[cell][p];
    CHECK(near(r.count[LSNN_TECH_NOC_HOPS], 15) && near(r.noc_pj, 34.5) && near(links, 34.5),
          "noc %g, links %g", r.noc_pj, links);
    CHECK(near(r.commands, 11) && r.barrier_hops_per_command == 6 &&
              near(r.count[LSNN_TECH_BARRIER_HOPS], 66),
          "barrier hops %g", r.count[LSNN_TECH_BARRIER_HOPS]);
    CHECK(near(r.barrier_pj, 4.74375) && near(r.barrier_pj / r.commands, 2 * 3 * (2.3 / 32)),
          "barrier %g pJ = 2·3·p per command", r.barrier_pj);
    CHECK(near(r.core_dynamic_pj[0], 10.4) && near(r.core_dynamic_pj[3], 41.6),
          "cores exclude links and barrier: %g %g", r.core_dynamic_pj[0], r.core_dynamic_pj[3]);
    CHECK(near(r.core_static_pj[2], 320.25) && near(r.static_pj, 1281) && near(r.latency_us, 1.5),
          "static %g", r.static_pj);
    CHECK(r.core_id[0] == 0 && r.core_id[3] == 17 && r.core_id[4] == -1, "core ids");
    double cores = 0;
    for (int k = 0; k < 4; k++)
        cores += r.core_dynamic_pj[k] + r.core_static_pj[k];
    CHECK(near(cores + links + r.barrier_pj, r.total_pj) && near(r.total_pj, 1424.24375),
          "total %g = cores %g + links %g + barrier %g", r.total_pj, cores, links, r.barrier_pj);
    CHECK(near(r.dynamic_pj, 104 + 34.5 + 4.74375), "dynamic %g", r.dynamic_pj);

    /* Loihi-like: 3.5 pJ a hop, 3.5 / 32 a token */
    CHECK(lsnn_energy_compute(&run, NULL, &loihi, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.noc_pj, 15 * 3.5) && near(r.link_pj[0][LSNN_PORT_E], 17.5) &&
              near(r.barrier_pj, 66 * 3.5 / 32),
          "loihi noc %g barrier %g", r.noc_pj, r.barrier_pj);

    /* a hop count that agrees with the flits is accepted; the flits win over a missing one */
    run.noc_hops = 30;
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0 && near(r.noc_pj, 34.5), "%s", e.msg);
}

/* A 1x1 mesh: no links, and a barrier without links costs nothing, however many commands. */
static void test_mesh_one_core(void)
{
    uint64_t c[NC] = {0};
    c[LSNN_REF_CYCLES] = 50;
    memset(mesh_flits, 0, sizeof mesh_flits);
    mesh_flits[LSNN_PORT_L] = 0;
    lsnn_energy_run run = make_run(c, 1, 1);
    run.mesh_x = run.mesh_y = 1;
    run.flits = mesh_flits;
    run.commands = 12;
    lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(r.links_given && r.links_used == 0 && r.noc_pj == 0, "no links");
    CHECK(r.barrier_hops_per_command == 0 && r.barrier_pj == 0 && near(r.commands, 12),
          "1x1 barrier %g", r.barrier_pj);
    /* a 3x1 mesh with the same commands: 2 (3 - 1) = 4 token hops each */
    run.mesh_x = 3;
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    CHECK(near(r.count[LSNN_TECH_BARRIER_HOPS], 48) && near(r.barrier_pj, 48 * 2.3 / 32),
          "3x1 barrier %g", r.barrier_pj);
}

static void expect_fail(const lsnn_energy_run *run, const lsnn_hw_config *hw,
                        const lsnn_tech_table *t, const char *want)
{
    lsnn_energy_report r;
    memset(&r, 0x5A, sizeof r);
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(run, hw, t, &r, &e) == -1, "expected failure: %s", want);
    CHECK(strstr(e.msg, want) != NULL, "message '%s' lacks '%s'", e.msg, want);
    unsigned char *p = (unsigned char *)&r;
    CHECK(p[0] == 0x5A && p[sizeof r - 1] == 0x5A, "out touched on error");
}

static void test_errors(void)
{
    uint64_t c[NC] = {0};
    lsnn_energy_run run = make_run(c, 1, 1);
    expect_fail(&run, NULL, &horowitz, "need a neurocore table");
    run.n_inferences = 0;
    expect_fail(&run, NULL, &odin, "n_inferences must be >= 1");
    run.n_inferences = 1;
    run.n_cores = 0;
    expect_fail(&run, NULL, &odin, "n_cores must be in 1..256");
    run.n_cores = 257;
    expect_fail(&run, NULL, &odin, "n_cores must be in 1..256");
    run.n_cores = 1;
    run.counters = NULL;
    expect_fail(&run, NULL, &odin, "no counters");
    run.counters = c;
    lsnn_hw_config hw;
    lsnn_hw_defaults(&hw);
    hw.clock_mhz = 0;
    expect_fail(&run, &hw, &odin, "clock must be > 0");
    expect_fail(NULL, NULL, &odin, "no run");

    uint64_t q[4 * NC] = {0};
    run = quad_run(q);
    run.mesh_x = 17;
    expect_fail(&run, NULL, &odin, "mesh sides must be in 1..16 (or both 0: no mesh), got 17x2");
    run.mesh_x = 0;
    expect_fail(&run, NULL, &odin, "mesh sides must be in 1..16");
    run.mesh_y = 0;
    expect_fail(&run, NULL, &odin, "per-link flits need the mesh size");
    run.flits = NULL;
    expect_fail(&run, NULL, &odin, "the barrier's commands need the mesh size");
    run = quad_run(q);
    run.mesh_y = 1;
    expect_fail(&run, NULL, &odin, "4 cores do not fit a 2x1 mesh");
    run = quad_run(q);
    run.noc_hops = 31;
    expect_fail(&run, NULL, &odin, "noc_hops 31 differs from the flits' 30 link traversals");
    run = quad_run(q);
    static const unsigned bad_ids[4] = {0, 1, 2, 17};
    run.core_ids = bad_ids;
    expect_fail(&run, NULL, &odin, "core 2 has cell id 2, outside the 2x2 mesh");

    lsnn_lstm_energy l;
    lsnn_error e = {{0}};
    CHECK(lsnn_lstm_energy_compute(&odin, 1, 2, 1, 1, &l, &e) == -1 &&
              strstr(e.msg, "needs a reference_ops table"),
          "lstm kind: %s", e.msg);
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 0, 1, 1, &l, &e) == -1 &&
              strstr(e.msg, "hidden must be in 1..1048576, got 0"),
          "lstm hidden: %s", e.msg);
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 2, 1, -3, &l, &e) == -1 &&
              strstr(e.msg, "steps must be in"),
          "lstm steps: %s", e.msg);
}

/* H = 2, n_in = 1, n_out = 1, T = 1, by hand:
 *   MACs 4·2·(1+2) + 1·2 = 26; adds 4·2 (gate biases) + 1 (readout bias) + 2 (c update) = 11;
 *   mults 3·2 = 6; parameters 4·2·(1+2+1) + 1·(2+1) = 35.
 *   int8: 35 bytes -> 8 KB SRAM, ceil(35/8) = 5 reads:
 *         26·0.23 + 11·0.03 + 6·0.2 + 5·10 = 5.98 + 0.33 + 1.2 + 50 = 57.51 pJ
 *   fp32: 140 bytes -> 8 KB SRAM, ceil(35/2) = 18 reads:
 *         26·4.6 + 11·0.9 + 6·3.7 + 18·10 = 119.6 + 9.9 + 22.2 + 180 = 331.7 pJ */
static void test_lstm_small(void)
{
    lsnn_lstm_energy l;
    lsnn_error e = {{0}};
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 2, 1, 1, &l, &e) == 0, "%s", e.msg);
    CHECK(l.macs == 26 && l.adds == 11 && l.mults == 6 && l.params == 35 && l.nonlinearities == 10,
          "counts %g %g %g %g", l.macs, l.adds, l.mults, l.params);
    CHECK(l.int8.mem == LSNN_OP_SRAM64_8KB && l.int8.mem_reads == 5 && l.int8.param_bytes == 35,
          "int8 memory %d %g", l.int8.mem, l.int8.mem_reads);
    CHECK(near(l.int8.mac_pj, 5.98) && near(l.int8.add_pj, 0.33) && near(l.int8.mult_pj, 1.2) &&
              near(l.int8.mem_pj, 50),
          "int8 terms");
    CHECK(near(l.int8.total_pj, 57.51), "int8 total %g", l.int8.total_pj);
    CHECK(l.fp32.mem == LSNN_OP_SRAM64_8KB && l.fp32.mem_reads == 18, "fp32 reads %g",
          l.fp32.mem_reads);
    CHECK(near(l.fp32.total_pj, 331.7), "fp32 total %g", l.fp32.total_pj);

    /* T scales everything linearly */
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 2, 1, 7, &l, &e) == 0, "%s", e.msg);
    CHECK(near(l.int8.total_pj, 7 * 57.51) && near(l.fp32.total_pj, 7 * 331.7), "T = 7");
}

/* The memory is the smallest that holds the parameters. */
static void test_lstm_memory(void)
{
    lsnn_lstm_energy l;
    lsnn_error e = {{0}};
    /* H 64: 4·64·66 + 65 = 16961 parameters: int8 16961 B (32 KB), fp32 67844 B (1 MB) */
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 64, 1, 1, &l, &e) == 0, "%s", e.msg);
    CHECK(l.params == 16961 && l.int8.mem == LSNN_OP_SRAM64_32KB &&
              l.fp32.mem == LSNN_OP_SRAM64_1MB,
          "H64 %g %d %d", l.params, l.int8.mem, l.fp32.mem);
    CHECK(l.int8.mem_reads == 2121 && near(l.int8.mem_pj, 2121 * 20.0), "H64 reads %g",
          l.int8.mem_reads);
    /* LSTM-128, 80 in, 20 out: 512·209 + 20·129 = 109588 parameters, both in 1 MB */
    CHECK(lsnn_lstm_energy_compute(&horowitz, 80, LSNN_LSTM_HIDDEN_DEFAULT, 20, 1, &l, &e) == 0,
          "%s", e.msg);
    CHECK(l.params == 109588 && l.int8.mem == LSNN_OP_SRAM64_1MB &&
              l.fp32.mem == LSNN_OP_SRAM64_1MB,
          "H128 %g", l.params);
    /* H 1024: over 4 M parameters: DRAM (low end) for both */
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 1024, 1, 1, &l, &e) == 0, "%s", e.msg);
    CHECK(l.int8.mem == LSNN_OP_DRAM64_LOW && l.fp32.mem == LSNN_OP_DRAM64_LOW, "H1024 DRAM");
    CHECK(near(l.int8.mem_pj, ceil(l.params / 8) * 1300), "H1024 %g", l.int8.mem_pj);
}

/* The printers name every term and the totals. */
static void test_print(void)
{
    uint64_t c[2 * NC] = {0};
    c[LSNN_REF_SYN_OPS] = 1000;
    c[LSNN_REF_CYCLES] = 100;
    lsnn_energy_run run = make_run(c, 2, 1);
    lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    lsnn_energy_print(f, &r);
    lsnn_lstm_energy l;
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 2, 1, 1, &l, &e) == 0, "%s", e.msg);
    lsnn_lstm_print(f, &l);
    fclose(f);
    for (int ev = 0; ev < LSNN_TECH_N_EVENTS; ev++)
        CHECK(strstr(buf, lsnn_tech_event_names[ev]) != NULL, "print lacks %s",
              lsnn_tech_event_names[ev]);
    CHECK(strstr(buf, "odin_reckon_28nm") && strstr(buf, "static") && strstr(buf, "total") &&
              strstr(buf, "NeuroBench") && strstr(buf, "LSTM-2") && strstr(buf, "sram64_8kb"),
          "print:\n%s", buf);
    CHECK(strstr(buf, "NoC: no mesh given"), "print without a mesh:\n%s", buf);
    free(buf);
}

/* The mesh's lines: each link with flits, the barrier, the identity; or no NoC traffic. */
static void test_print_mesh(void)
{
    uint64_t c[4 * NC] = {0};
    lsnn_energy_run run = quad_run(c);
    static lsnn_energy_report r;
    lsnn_error e = {{0}};
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    lsnn_energy_print(f, &r);
    fclose(f);
    CHECK(strstr(buf, "NoC links, 2x2 mesh: 5 router outputs with flits"), "links head:\n%s", buf);
    CHECK(strstr(buf, "(0, 0)") && strstr(buf, "(1, 1)"), "core cells:\n%s", buf);
    CHECK(strstr(buf, "(0, 0) -> E               5.0       0.0115") &&
              strstr(buf, "(0, 1) -> N               4.0       0.0092") &&
              !strstr(buf, "(1, 1) ->") && !strstr(buf, "-> L"),
          "per link:\n%s", buf);
    CHECK(strstr(buf, "barrier: 2 x (4 cells - 1) = 6 token hops per command x 11.0 commands per "
                      "inference = 66.0 hops x 0.07187 pJ = 0.0047 nJ"),
          "barrier:\n%s", buf);
    CHECK(strstr(buf, "(= cores + links + barrier)"), "identity:\n%s", buf);
    free(buf);

    uint64_t one[NC] = {0};
    memset(mesh_flits, 0, sizeof mesh_flits);
    run = make_run(one, 1, 1);
    run.mesh_x = run.mesh_y = 1;
    run.flits = mesh_flits;
    run.commands = 3;
    CHECK(lsnn_energy_compute(&run, NULL, &odin, &r, &e) == 0, "%s", e.msg);
    buf = NULL;
    f = open_memstream(&buf, &len);
    lsnn_energy_print(f, &r);
    fclose(f);
    CHECK(strstr(buf, "NoC links, 1x1 mesh: no NoC traffic") &&
              strstr(buf, "barrier: 1x1 mesh: no barrier links, 0 token hops, 0 nJ"),
          "one core:\n%s", buf);
    free(buf);
}

/* A one-core run of the default core: `ticks` ticks taking `cycles` cycles, a few events of
 * each memory kind; the LSTM-128 counts of sMNIST (1 in, 10 out, 784 steps). */
static void equal_terms_inputs(uint64_t *c, uint64_t ticks, uint64_t cycles,
                               lsnn_energy_report *rep, lsnn_lstm_energy *lstm)
{
    lsnn_error e = {{0}};
    c[LSNN_REF_TICKS] = ticks;
    c[LSNN_REF_CYCLES] = cycles;
    c[LSNN_REF_SYN_WORD_READS] = 1000;
    c[LSNN_REF_SYN_OPS] = 4000;
    c[LSNN_REF_NEURON_UPDATES] = 256 * ticks;
    c[LSNN_REF_STATE_READS] = c[LSNN_REF_STATE_WRITES] = 256 * ticks;
    lsnn_hw_config hw;
    lsnn_hw_defaults(&hw);
    lsnn_energy_run run = make_run(c, 1, 1);
    CHECK(lsnn_energy_compute(&run, &hw, &odin, rep, &e) == 0, "%s", e.msg);
    CHECK(lsnn_lstm_energy_compute(&horowitz, 1, 128, 10, 784, lstm, &e) == 0, "%s", e.msg);
}

/* Both lines priced with one model: the same per-bit leakage, the same logic leakage per core,
 * each memory's access energy that of its bank size in the same SRAM model. */
static void test_equal_terms_iso(void)
{
    uint64_t c[NC] = {0};
    lsnn_energy_report rep;
    lsnn_lstm_energy lstm;
    static lsnn_equal_terms q;
    lsnn_error e = {{0}};
    lsnn_hw_config hw;
    lsnn_hw_defaults(&hw);
    equal_terms_inputs(c, 840, 300000, &rep, &lstm);
    uint32_t words = 3000; /* one 32 KiB bank of SYN holds them */
    CHECK(lsnn_equal_terms_compute(&rep, &hw, &odin, &words, &lstm, 1000, 1000, 100, &q, &e) == 0,
          "%s", e.msg);
    double pw = odin.sram.bit_leakage.value * 1e-12;
    CHECK(near(q.lsnn.st.leak_sram_w / q.lsnn.st.sram_bits, pw) &&
              near(q.lstm.st.leak_sram_w / q.lstm.st.sram_bits, pw),
          "leakage per bit %g %g", q.lsnn.st.leak_sram_w / q.lsnn.st.sram_bits,
          q.lstm.st.leak_sram_w / q.lstm.st.sram_bits);
    CHECK(near(q.lsnn.st.leak_logic_w, odin.logic_leakage.value) &&
              near(q.lstm.st.leak_logic_w, odin.logic_leakage.value),
          "logic leakage per core");
    /* each memory at its bank size in the one model, bank limit the same for both */
    double max_bits = odin.sram.bank_max.value * 8192;
    const lsnn_sram_mem *mems[] = {&q.mem[LSNN_CM_SYN], &q.lstm_weights, &q.mem[LSNN_CM_STATE]};
    for (int k = 0; k < 3; k++) {
        lsnn_sram_mem one;
        CHECK(lsnn_sram_price(&odin.sram, "b", mems[k]->bank_rows, mems[k]->width, 1, &one, &e) ==
                  0,
              "%s", e.msg);
        CHECK(near(one.read_pj, mems[k]->read_pj) && mems[k]->bank_bits <= max_bits,
              "%s read %g vs its bank's %g", mems[k]->name, mems[k]->read_pj, one.read_pj);
    }
    /* 67,850 int8 parameters: 8482 64-bit words in 3 banks <= 32 KiB, read every step */
    CHECK(q.lstm_weights.rows == 8482 && q.lstm_weights.banks == 3, "LSTM weights %llu in %d",
          (unsigned long long)q.lstm_weights.rows, q.lstm_weights.banks);
    CHECK(near(q.lstm.memory_pj, 784 * (8482 * q.lstm_weights.read_pj +
                                        128 * (q.lstm_state.read_pj + q.lstm_state.write_pj))),
          "LSTM memory %g", q.lstm.memory_pj);
    CHECK(near(q.lstm.arith_pj, lstm.macs * odin.ops[LSNN_OP_INT8_MAC].value +
                                    lstm.adds * odin.ops[LSNN_OP_INT8_ADD].value +
                                    lstm.mults * odin.ops[LSNN_OP_INT8_MULT].value),
          "LSTM arithmetic at the table's node %g", q.lstm.arith_pj);
    /* the LSNN's SYN word read and state row at the same model */
    CHECK(near(q.event_pj[LSNN_TECH_SYN_WORD_READS], q.mem[LSNN_CM_SYN].read_pj) &&
              near(q.event_pj[LSNN_TECH_STATE_WRITES], q.mem[LSNN_CM_STATE].write_pj),
          "LSNN events");
    /* one SYN bank powered of the configured ones, and the configured figure above it */
    CHECK(q.syn_banks_powered == 1 && q.config_bits > q.lsnn.st.sram_bits &&
              q.config_realtime_pj > q.lsnn.st.realtime_pj,
          "powered SYN banks %g", q.syn_banks_powered);
}

/* Real time >= busy time; gating lowers real-time static, not below busy; a tick too short to
 * keep up makes real time the busy time. */
static void test_equal_terms_static(void)
{
    uint64_t c[NC] = {0};
    lsnn_energy_report rep;
    lsnn_lstm_energy lstm;
    static lsnn_equal_terms q;
    lsnn_error e = {{0}};
    lsnn_hw_config hw;
    lsnn_hw_defaults(&hw);
    equal_terms_inputs(c, 840, 300000, &rep, &lstm);
    CHECK(lsnn_equal_terms_compute(&rep, &hw, &odin, NULL, &lstm, 1000, 1000, 250, &q, &e) == 0,
          "%s", e.msg);
    const lsnn_et_line *lines[2] = {&q.lsnn, &q.lstm};
    for (int k = 0; k < 2; k++) {
        const lsnn_et_static *s = &lines[k]->st;
        CHECK(s->keeps_real_time && s->realtime_us >= s->busy_us, "line %d times", k);
        CHECK(s->realtime_pj >= s->busy_pj && s->gated_pj < s->realtime_pj &&
                  s->gated_pj >= s->busy_pj,
              "line %d: busy %g <= gated %g < real time %g", k, s->busy_pj, s->gated_pj,
              s->realtime_pj);
        double p = s->leak_sram_w + s->leak_logic_w;
        CHECK(near(s->busy_pj, p * s->busy_us * 1e6) &&
                  near(s->gated_pj, s->busy_pj + odin.sram.retention.value * s->leak_sram_w *
                                                     (s->realtime_us - s->busy_us) * 1e6),
              "line %d formulas", k);
        CHECK(near(lines[k]->latency_fmax_us, lines[k]->cycles / 250), "fmax latency");
    }
    CHECK(near(q.lsnn.st.realtime_us, 840 * 1000.0) && near(q.lstm.st.realtime_us, 784 * 1000.0),
          "real time = steps x tick: %g %g", q.lsnn.st.realtime_us, q.lstm.st.realtime_us);
    CHECK(q.syn_banks_powered == q.mem[LSNN_CM_SYN].banks, "NULL: every SYN bank powered");
    /* 1 us ticks: neither keeps real time (3000 us and 66 ms of work per inference) */
    CHECK(lsnn_equal_terms_compute(&rep, &hw, &odin, NULL, &lstm, 1, 1, 100, &q, &e) == 0, "%s",
          e.msg);
    CHECK(!q.lsnn.st.keeps_real_time && q.lsnn.st.realtime_us == q.lsnn.st.busy_us &&
              near(q.lsnn.st.realtime_pj, q.lsnn.st.busy_pj) && !q.lstm.st.keeps_real_time,
          "too-short tick");
    /* a table without the equal-terms sections, and a bad tick */
    q.ticks = -5;
    CHECK(lsnn_equal_terms_compute(&rep, &hw, &loihi, NULL, &lstm, 1000, 1000, 100, &q, &e) == -1 &&
              strstr(e.msg, "table 'loihi_like' has no sram, logic_leakage and ops") &&
              q.ticks == -5,
          "%s", e.msg);
    CHECK(lsnn_equal_terms_compute(&rep, &hw, &odin, NULL, &lstm, 0, 1000, 100, &q, &e) == -1 &&
              strstr(e.msg, "tick period (0 us)"),
          "%s", e.msg);
}

int main(void)
{
    load("odin_reckon_28nm.yaml", &odin);
    load("loihi_like.yaml", &loihi);
    load("horowitz_45nm.yaml", &horowitz);
    test_mapping();
    test_single_term();
    test_full_breakdown();
    test_zero();
    test_static();
    test_neurobench();
    test_mesh_links();
    test_mesh_one_core();
    test_errors();
    test_lstm_small();
    test_lstm_memory();
    test_print();
    test_print_mesh();
    test_equal_terms_iso();
    test_equal_terms_static();
    return check_report();
}
