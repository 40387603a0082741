/* sc_chip.h - the SystemC virtual platform of the chip (docs/systemc.md): the verilated chip of
 * docs/neurocore.md §16 (rtl/nc_chip.v, `verilator --sc`) as an sc_module behind a TLM-2.0
 * target socket that decodes a memory-mapped register map (sc_regs.h), a host initiator that
 * programs and drives it over that bus, and an sc_clock at the config's clock_mhz. A C API with
 * the conventions of hw/rtl_chip.h:
 *   - SystemC elaborates once per process, so the platform is a process-wide singleton, built
 *     by the first lsnn_sc_chip_create and kept until the process exits; each create resets it
 *     with the new config's mesh and noc_buffer (CTRL.RESET, MESH, NOC_B) and each load
 *     reprograms every core. One handle at a time: a second create before free is refused;
 *   - every call that advances time posts one job to the host initiator's thread and runs the
 *     kernel (sc_start) until that thread has finished it and paused the kernel (sc_pause), so
 *     simulated time advances by exactly the clock cycles the job's bus accesses took;
 *   - loads go through the programming window (PROG_CELL, PROG_ADDR, PROG_DATA: every row of
 *     every memory of every core of the active mesh written and read back), EVENTs and commands
 *     through the EVENT and CMD registers; a TICK or CLEAR returns after its barrier;
 *   - states, counters, link counters and output words are read by debug transport (zero time,
 *     no counter, no side effect).
 * Core ids are mesh cells, 16 y + x (§16.1); router ports 0 L, 1 E, 2 W, 3 N, 4 S (mesh.h).
 * The platform exists only in builds with SystemC and without sanitizers
 * (lsnn_sc_chip_supported says 0 elsewhere). */
#ifndef LSNN_SC_CHIP_H
#define LSNN_SC_CHIP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hwconfig.h"
#include "image.h"
#include "mesh.h"
#include "ref_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lsnn_sc_chip lsnn_sc_chip;

/* Simulated time of the platform (ps; 1 ps is the kernel's resolution). */
typedef struct {
    uint64_t period_ps; /* the clock period, round(1e6 / clock_mhz) */
    uint64_t now_ps;    /* sc_time_stamp(): every cycle since the platform started */
    uint64_t cycles;    /* clock cycles since the platform started (now_ps / period_ps) */
    uint64_t cmd_ps;    /* since the last load: the TICK and CLEAR commands, each from the start
                           of its accepting cycle T0 to the end of its barrier */
    uint64_t bus_ps;    /* since the last load: every bus access (commands, with their waits
                           for acceptance, EVENT writes, ...) */
} lsnn_sc_chip_time;

/* "name (core, MXxMY, noc_buffer <= BMAX, clock)" of the verilated chip into buf, or "" in a
 * build without the platform. */
void lsnn_sc_chip_model(char *buf, size_t n);

/* 1 if the platform runs cfg: cfg's core keys (neurons .. fifo_out) are the model's, its mesh
 * and noc_buffer fit the model's largest; else 0 (always 0 without the platform). */
int lsnn_sc_chip_supported(const lsnn_hw_config *cfg);

/* The platform for cfg: built on the first call (clock period from cfg->clock_mhz; later calls
 * must ask for the same period), then reset with cfg's mesh and noc_buffer. NULL with a message
 * when cfg does not fit the model, when the clock differs from the elaborated one, or while
 * another handle is open. */
lsnn_sc_chip *lsnn_sc_chip_create(const lsnn_hw_config *cfg, lsnn_error *e);

/* Releases the handle (the elaborated platform stays for the next create). */
void lsnn_sc_chip_free(lsnn_sc_chip *c);

/* Loads img through the programming window, as lsnn_rtl_chip_load does through the chip's pins:
 * a CLEAR command, then for every cell of the active mesh CORE_ID, NU and XU (0 and 0 for a
 * cell the image leaves empty) and every row of PROFILE, NCFG, STATE, AXT, SYN, RIX and RTE
 * (all zero for an empty cell), each 32-bit chunk written and read back, ACC and LATCH read
 * back as zero, the core's counters and flags cleared (CTRL 3); then the chip and link counters
 * (CTRL.CNT_CLEAR). Resets the time split of lsnn_sc_chip_time. 0, or -1 naming the core, the
 * memory, the row and both values. */
int lsnn_sc_chip_load(lsnn_sc_chip *c, const lsnn_image *img, lsnn_error *e);

/* One EVENT for axon into core core_id (the EVENT register; an axon above 16 bits goes as a raw
 * word), or one raw non-command word (HOST_CELL, HOST_WORD). 0, or -1 (a core outside the
 * active mesh, a command word, a host bus that never accepts). */
int lsnn_sc_chip_event(lsnn_sc_chip *c, uint32_t core_id, uint32_t axon, lsnn_error *e);
int lsnn_sc_chip_word(lsnn_sc_chip *c, uint32_t core_id, uint32_t word, lsnn_error *e);

/* TICK / CLEAR (the CMD register): returns after the command's barrier, with C_chip in *cycles
 * (may be NULL); each core's output words of the command are kept for lsnn_sc_chip_outputs.
 * Checks that the command took C_chip clock periods of SystemC time. -1 on a hang (the chip is
 * then mid-command: create again to reset it). */
int lsnn_sc_chip_tick(lsnn_sc_chip *c, uint64_t *cycles, lsnn_error *e);
int lsnn_sc_chip_clear(lsnn_sc_chip *c, uint64_t *cycles, lsnn_error *e);

/* One programming-bus access through the window (3 cycles when the chip is idle). */
int lsnn_sc_chip_port_write(lsnn_sc_chip *c, uint32_t core_id, uint32_t addr, uint32_t data,
                            lsnn_error *e);
int lsnn_sc_chip_port_read(lsnn_sc_chip *c, uint32_t core_id, uint32_t addr, uint32_t *data,
                           lsnn_error *e);

/* One b_transport access of the register map (sc_regs.h), timed like any other; and one
 * transport_dbg read of len bytes (a multiple of 4) at addr into buf (zero time). 0, or -1 with
 * the TLM response. */
int lsnn_sc_chip_bus_write(lsnn_sc_chip *c, uint32_t addr, uint32_t value, lsnn_error *e);
int lsnn_sc_chip_bus_read(lsnn_sc_chip *c, uint32_t addr, uint32_t *value, lsnn_error *e);
int lsnn_sc_chip_debug_read(lsnn_sc_chip *c, uint32_t addr, void *buf, uint32_t len, lsnn_error *e);

/* Backdoor reads (debug transport) of core core_id, a cell of the active mesh: neuron n's STATE
 * (0, or -1 for a bad core or n >= N), the §11 counters (0 or -1), router core_id's link
 * counters flits[o] and stalls[o] (either may be NULL; 0 or -1), and the chip counters in
 * LSNN_CHIP_COUNTERS order. */
int lsnn_sc_chip_state(lsnn_sc_chip *c, uint32_t core_id, uint32_t n, lsnn_ref_state *out);
int lsnn_sc_chip_core_counters(lsnn_sc_chip *c, uint32_t core_id, uint64_t out[LSNN_REF_NCOUNTERS]);
int lsnn_sc_chip_links(lsnn_sc_chip *c, uint32_t core_id, uint64_t flits[LSNN_PORTS],
                       uint64_t stalls[LSNN_PORTS]);
void lsnn_sc_chip_counters(lsnn_sc_chip *c, uint64_t out[LSNN_CHIP_NCOUNTERS]);

/* Core core_id's output words of the last TICK or CLEAR in the order they left the core (as
 * lsnn_rtl_chip_outputs: host-out words in the cycle the host took them, NoC-out words in the
 * cycle they entered the router's L FIFO, host first within a cycle). Copies at most cap
 * (out and ports may be NULL) and returns how many the command produced. */
size_t lsnn_sc_chip_outputs(lsnn_sc_chip *c, uint32_t core_id, uint32_t *out, int *ports,
                            size_t cap);

/* §16.7 link stalls from the next cycle on: output o of the router of cell id is stalled in
 * chip cycle k when lsnn_link_stalled(seed, permille, k, id, o) (mesh.h). 0 permille: none.
 * 0, or -1 for permille > 1000. */
int lsnn_sc_chip_set_link_stalls(lsnn_sc_chip *c, uint64_t seed, unsigned permille, lsnn_error *e);

/* The platform's simulated time (see lsnn_sc_chip_time). */
void lsnn_sc_chip_times(lsnn_sc_chip *c, lsnn_sc_chip_time *out);

#ifdef __cplusplus
}
#endif

#endif
