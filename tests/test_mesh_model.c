/* test_mesh_model.c - the reference chip's cycle model (docs/neurocore.md §16.6) against cycle
 * counts worked out by hand from the text, before any RTL: one flit between neighbours, two
 * flits meeting at one ejection port (round-robin order), a full 1-deep buffer, link stalls
 * (the count grows, nothing is lost), and the one-core chip (2 + C_tick + Lb).
 *
 * The cores are tiny: a "sender" has one neuron that fires every tick (b0 = 1, v starts at
 * 100, no leak) and routes to core `dst` axon `axon`; a "receiver" has one silent neuron and
 * one axon without synapses. Their tick lengths follow §10.2: sender (XU = 0, NU = 1, one
 * spike, one entry) C_tick = 7 + 1 + 1 + 1 = 10 (version 3: one drain cycle, one neuron
 * group), routing from cycle 2 + 6 = 8 (RIX), RTE read at 9, delivery at 10 (also the drain
 * cycle), DONE at 11. Every count below is version 2's less one cycle per tick. */
#include <inttypes.h>

#include "check.h"
#include "mesh.h"
#include "ref_chip.h"

static lsnn_hw_config cfg_of(int mx, int my, int buffer)
{
    lsnn_hw_config g;
    lsnn_hw_defaults(&g);
    g.neurons = 8;
    g.axons = 32;
    g.synapse_words = 256;
    g.route_entries = 16;
    g.profiles = 2;
    g.synapses_per_word = 4;
    g.mesh_x = mx;
    g.mesh_y = my;
    g.noc_buffer = buffer;
    return g;
}

static void must(int rc, const lsnn_error *e)
{
    if (rc) {
        fprintf(stderr, "setup: %s\n", e->msg);
        exit(2);
    }
}

static lsnn_ref_core *core_at(const lsnn_hw_config *g, int x, int y)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = lsnn_ref_create(g, &e);
    must(!c, &e);
    must(lsnn_ref_set_core_id(c, lsnn_hw_core_id(x, y), &e), &e);
    must(lsnn_ref_set_nu(c, 1, &e), &e);
    return c;
}

/* One neuron that fires every tick, routed to (dst, axon) (several entries: one each). */
static lsnn_ref_core *sender(const lsnn_hw_config *g, int x, int y, const unsigned *dst,
                             const uint32_t *axon, int n)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = core_at(g, x, y);
    lsnn_ref_profile p = {.mode = 0, .b0 = 1};
    must(lsnn_ref_set_profile(c, 0, &p, &e), &e);
    must(lsnn_ref_set_state(c, 0, &(lsnn_ref_state){.v = 100}, &e), &e);
    for (int i = 0; i < n; i++)
        must(lsnn_ref_set_rte(c, (uint32_t)i,
                              &(lsnn_ref_rte){LSNN_REF_RTE_CORE, 0, dst[i], axon[i]}, &e),
             &e);
    must(lsnn_ref_set_rix(c, 0, &(lsnn_ref_rix){0, (uint32_t)n}, &e), &e);
    return c;
}

/* One silent neuron and `axons` axons without synapses. */
static lsnn_ref_core *receiver(const lsnn_hw_config *g, int x, int y, uint32_t axons)
{
    lsnn_error e = {{0}};
    lsnn_ref_core *c = core_at(g, x, y);
    must(lsnn_ref_set_profile(c, 0, &(lsnn_ref_profile){.mode = 0, .b0 = 1000}, &e), &e);
    must(lsnn_ref_set_xu(c, axons, &e), &e);
    return c;
}

static uint64_t tick(lsnn_ref_chip *chip)
{
    CHECK(lsnn_ref_chip_tick(chip) == 0, "tick");
    return chip->last_chip_cycles;
}

static uint64_t ejected(const lsnn_ref_chip *chip)
{
    uint64_t n = 0;
    for (int id = 0; id < LSNN_HW_MAX_CORES; id++)
        n += chip->flits[id][LSNN_PORT_L];
    return n;
}

/* 2 x 1: the flit enters (0,0)'s L FIFO at the end of 10, crosses to (1,0)'s W FIFO at 11,
 * is ejected into AER-in at 12 and popped at 13; the chip is quiet at 14 (the receiver, XU 1:
 * C_tick 9, then 10 with its axon set, idle by 12). Lb = 2 (2 + 1) - 2 = 4: C_chip = 18. */
static void one_flit(void)
{
    lsnn_hw_config g = cfg_of(2, 1, 4);
    lsnn_error e = {{0}};
    unsigned dst[1] = {lsnn_hw_core_id(1, 0)};
    uint32_t ax[1] = {0};
    lsnn_ref_core *cores[2] = {sender(&g, 0, 0, dst, ax, 1), receiver(&g, 1, 0, 1)};
    lsnn_ref_chip *chip = lsnn_ref_chip_wrap(cores, 2, &e);
    must(!chip, &e);
    uint64_t c0 = tick(chip), c1 = tick(chip);
    CHECK(c0 == 18 && c1 == 18, "one flit: C_chip %" PRIu64 ", %" PRIu64 " (want 18, 18)", c0, c1);
    CHECK(cores[0]->last_cycles == 10 && cores[1]->last_cycles == 10,
          "C_tick 10, 10: %" PRIu64 ", %" PRIu64, cores[0]->last_cycles, cores[1]->last_cycles);
    CHECK(cores[1]->counters[LSNN_REF_EVENTS_IN] == 2 && ejected(chip) == 2 &&
              chip->flits[0][LSNN_PORT_E] == 2 && chip->noc_hops == 2,
          "two ticks: 2 events in, 2 ejected, 2 hops");
    CHECK(chip->chip_ticks == 2 && chip->barrier_cycles == 8 && chip->chip_cycles == 36,
          "chip counters");
    lsnn_ref_chip_clear(chip);
    CHECK(chip->last_chip_cycles == 2 + cores[0]->c_clear + 4, "CLEAR: 2 + C_clear + Lb");
    lsnn_ref_chip_free(chip);
    lsnn_ref_free(cores[0]);
    lsnn_ref_free(cores[1]);
}

/* 3 x 1: (0,0) and (2,0) both send to (1,0). Both flits reach (1,0) at 11 (W and E inputs);
 * output L grants E first (round-robin from last = 0 starts at input 1), W at 13; pops at 13
 * and 14; quiet at 15; Lb = 6: C_chip = 21. Next tick last[L] = W (2), so E (1)... the search
 * starts at 3: E wins again only after W? No: 3, 4, 0, 1 -> E first again. */
static void contention(void)
{
    lsnn_hw_config g = cfg_of(3, 1, 4);
    lsnn_error e = {{0}};
    unsigned dst[1] = {lsnn_hw_core_id(1, 0)};
    uint32_t a0[1] = {0}, a1[1] = {1};
    lsnn_ref_core *cores[3] = {sender(&g, 0, 0, dst, a0, 1), receiver(&g, 1, 0, 2),
                               sender(&g, 2, 0, dst, a1, 1)};
    lsnn_ref_chip *chip = lsnn_ref_chip_wrap(cores, 3, &e);
    must(!chip, &e);
    uint64_t c0 = tick(chip);
    CHECK(c0 == 21, "two flits to one port: C_chip %" PRIu64 " (want 21)", c0);
    CHECK(chip->flits[1][LSNN_PORT_L] == 2 && chip->link_stalls[1][LSNN_PORT_L] == 0,
          "both ejected at (1,0); arbitration is no stall");
    lsnn_ref_chip_free(chip);
    for (int i = 0; i < 3; i++)
        lsnn_ref_free(cores[i]);
}

/* 2 x 1, 1-deep buffers, one sender with 3 entries to the neighbour: deliveries at 10, 11, 12
 * want the L FIFO. 10: L empty, pushed. 11: L held 1 flit at the start of the cycle (it
 * leaves in 11): not ready, a stall. 12: L empty, pushed (RTE reads resume). ... Each flit
 * then waits for (1,0)'s W FIFO the same way. The model's count must exceed the unbuffered
 * one, lose nothing, and count the stalls in stall_cycles and link_stalls. */
static void tight_buffers(void)
{
    lsnn_hw_config g = cfg_of(2, 1, 1);
    lsnn_error e = {{0}};
    unsigned dst[3] = {lsnn_hw_core_id(1, 0), lsnn_hw_core_id(1, 0), lsnn_hw_core_id(1, 0)};
    uint32_t ax[3] = {0, 1, 2};
    lsnn_ref_core *cores[2] = {sender(&g, 0, 0, dst, ax, 3), receiver(&g, 1, 0, 3)};
    lsnn_ref_chip *chip = lsnn_ref_chip_wrap(cores, 2, &e);
    must(!chip, &e);
    uint64_t c0 = tick(chip);
    CHECK(ejected(chip) == 3 && cores[1]->counters[LSNN_REF_EVENTS_IN] == 3, "3 flits, 3 events");
    CHECK(cores[0]->counters[LSNN_REF_STALL_CYCLES] > 0, "the sender stalled on its 1-deep FIFO");
    CHECK(cores[0]->last_cycles == 12 + cores[0]->counters[LSNN_REF_STALL_CYCLES],
          "C_tick = formula + stalls: %" PRIu64, cores[0]->last_cycles);
    CHECK(c0 > 19, "slower than one flit: %" PRIu64, c0);
    lsnn_ref_chip_free(chip);
    lsnn_ref_free(cores[0]);
    lsnn_ref_free(cores[1]);
}

/* Random link stalls slow the chip down and lose nothing; the same seed gives the same count. */
static void stalls(void)
{
    lsnn_hw_config g = cfg_of(3, 2, 2);
    lsnn_error e = {{0}};
    unsigned far = lsnn_hw_core_id(2, 1);
    unsigned dst[4] = {far, far, lsnn_hw_core_id(1, 1), lsnn_hw_core_id(1, 1)};
    uint32_t ax[4] = {0, 1, 0, 1};
    uint64_t counts[3];
    for (int run = 0; run < 3; run++) {
        lsnn_ref_core *cores[3] = {sender(&g, 0, 0, dst, ax, 4), receiver(&g, 1, 1, 2),
                                   receiver(&g, 2, 1, 2)};
        lsnn_ref_chip *chip = lsnn_ref_chip_wrap(cores, 3, &e);
        must(!chip, &e);
        if (run) lsnn_ref_chip_set_stalls(chip, 42, 300);
        counts[run] = 0;
        for (int t = 0; t < 5; t++)
            counts[run] += tick(chip);
        uint64_t st = 0;
        for (int id = 0; id < LSNN_HW_MAX_CORES; id++)
            for (int p = 0; p < LSNN_PORTS; p++)
                st += chip->link_stalls[id][p];
        CHECK(ejected(chip) == 20, "run %d: 20 flits ejected, got %" PRIu64, run, ejected(chip));
        CHECK(run ? st > 0 : st == 0, "run %d: link stalls %" PRIu64, run, st);
        lsnn_ref_chip_free(chip);
        for (int i = 0; i < 3; i++)
            lsnn_ref_free(cores[i]);
    }
    CHECK(counts[1] > counts[0] && counts[1] == counts[2],
          "stalls: %" PRIu64 " > %" PRIu64 ", repeatable (%" PRIu64 ")", counts[1], counts[0],
          counts[2]);
}

/* One core on a 4 x 2 mesh: no NoC traffic, C_chip = 2 + C_tick + Lb (Lb = 10). */
static void one_core(void)
{
    lsnn_hw_config g = cfg_of(4, 2, 4);
    lsnn_error e = {{0}};
    unsigned dst[1] = {0};
    uint32_t ax[1] = {0};
    lsnn_ref_core *c = sender(&g, 0, 0, dst, ax, 1);
    must(lsnn_ref_set_xu(c, 1, &e), &e);
    lsnn_ref_chip *chip = lsnn_ref_chip_wrap(&c, 1, &e);
    must(!chip, &e);
    uint64_t c0 = tick(chip);
    CHECK(c0 == 2 + c->last_cycles + 10, "one core: %" PRIu64 " = 2 + %" PRIu64 " + 10", c0,
          c->last_cycles);
    CHECK(c->counters[LSNN_REF_SPIKES_LOCAL] == 1 && ejected(chip) == 0, "a local spike only");
    lsnn_ref_chip_free(chip);
    lsnn_ref_free(c);
}

int main(void)
{
    one_flit();
    contention();
    tight_buffers();
    stalls();
    one_core();
    return check_report();
}
