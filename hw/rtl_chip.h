/* rtl_chip.h - the chip of docs/neurocore.md §16 (rtl/nc_chip.v) simulated cycle-accurately by
 * Verilator: a mesh of Verilog neurocores, their routers, the chip controller and its barrier.
 *
 * A C API over the C++ harness (hw/rtl_chip.cpp), with the conventions of rtl_core.h:
 *   - Verilator fixes parameters at verilation, so the build verilates a few chips (hw/chips.txt:
 *     a core of hw/configs.txt, the largest mesh MX x MY and the deepest router FIFO BMAX);
 *     a config runs on a model whose core keys equal its own, with mesh_x <= MX, mesh_y <= MY
 *     and noc_buffer <= BMAX (the active mesh and B are run-time inputs of the RTL);
 *   - an image is loaded through the programming bus (§16.8: every row of every memory of every
 *     core of the active mesh written and read back), or through $readmemh;
 *   - EVENT words go over the host bus to one core; TICK and CLEAR run until the chip
 *     controller is idle again (the barrier done) and return the command's chip cycles
 *     C_chip = Tq + Lb - T0 (§16.5); host-out is drained every cycle (an ideal host);
 *   - states, counters, chip counters and link counters are read by backdoor: no cycle, no
 *     counter.
 * Core ids are mesh cells: id = 16*y + x (§16.1, lsnn_hw_core_id / lsnn_hw_cell_of). Router
 * ports and link counters are numbered as mesh.h's LSNN_PORT_L (the core), _E (x+1), _W (x-1),
 * _N (y-1), _S (y+1) (§16.2), the chip counters in its LSNN_CHIP_COUNTERS order (§16.9).
 * A hang (a command past a bound derived from the config, or no flit moving for a long time
 * while flits are buffered) is an error naming the stuck links and their head flits; the
 * harness never waits forever. The chip is then left mid-command: free it.
 * The ASan build verilates no chip: lsnn_rtl_chip_supported returns 0 there. */
#ifndef LSNN_RTL_CHIP_H
#define LSNN_RTL_CHIP_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hwconfig.h"
#include "image.h"
#include "mesh.h"
#include "ref_core.h"
#include "rtl_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lsnn_rtl_chip lsnn_rtl_chip;

/* Names of the chip models with their largest mesh and FIFO, "name (core, MXxMY, B<=BMAX)",
 * ", "-separated, into buf ("" in a build without chip models). */
void lsnn_rtl_chip_models(char *buf, size_t n);

/* 1 if a verilated chip runs cfg: the same core keys (neurons .. fifo_out), mesh_x <= MX,
 * mesh_y <= MY and noc_buffer <= BMAX; else 0 (always 0 in the ASan build). With
 * LSNN_RTL_MUTANT=wrong_turn only the router mutant (the small core, 2 x 2, NC_MUTANT_WRONG_TURN)
 * is considered. */
int lsnn_rtl_chip_supported(const lsnn_hw_config *cfg);

/* A reset chip for cfg (active mesh cfg->mesh_x x cfg->mesh_y, B = cfg->noc_buffer; the cores
 * of the mesh hold whatever the simulator put in their memories until lsnn_rtl_chip_load).
 * Of the fitting models the one with the fewest cells is used. vcd_path non-NULL records a VCD
 * of every signal (vcd_path.tmp.PID, renamed over vcd_path by lsnn_rtl_chip_free); only models
 * verilated with --trace (chip_small) have one. LSNN_RTL_RAND_RESET=2 (optionally
 * LSNN_RTL_RAND_SEED=S) starts the model from random registers and memories (Verilator's
 * +verilator+rand+reset+2), so that nothing relies on zero initialisation. NULL with a
 * message when no model fits or memory runs out. */
lsnn_rtl_chip *lsnn_rtl_chip_create(const lsnn_hw_config *cfg, const char *vcd_path,
                                    lsnn_error *e);
void lsnn_rtl_chip_free(lsnn_rtl_chip *c);

/* lsnn_rtl_chip_create with a VCD as vcd says (rtl_core.h; vcd NULL or vcd->path NULL: none). */
lsnn_rtl_chip *lsnn_rtl_chip_create_vcd(const lsnn_hw_config *cfg, const lsnn_rtl_vcd *vcd,
                                        lsnn_error *e);

/* Loads img into the chip through the programming bus. img's core keys must equal the chip's
 * and its core ids must be cells of the chip's active mesh. First a CLEAR command zeroes
 * every core's STATE, ACC and latches; then every cell of the active mesh gets its registers
 * (CORE_ID = the cell's id; NU and XU from the image core with that id, or 0 and 0 for a cell
 * the image leaves empty: such a core ticks in 8 cycles and takes part in the barrier) and
 * every row of PROFILE, NCFG, STATE, AXT, SYN, RIX and RTE (the image's rows, all zero for an
 * empty cell), each row written in 32-bit chunks and read back; ACC and LATCH are read back
 * as zero. Then every core's counters and error flags (CTRL bits 0, 1) and the chip and link
 * counters are cleared. 0, or -1 naming the core, the memory, the row and both values. */
int lsnn_rtl_chip_load(lsnn_rtl_chip *c, const lsnn_image *img, lsnn_error *e);

/* The same with every image memory by $readmemh: img's cores from dir/coreNNN_MEM.hex (dir as
 * written by lsnn_image_write; a relative dir is made absolute), the empty cells from all-zero
 * files the harness writes into a temporary directory (removed by lsnn_rtl_chip_free). The
 * registers, the read-backs of ACC and LATCH and the clears go through the bus as above; the
 * memories are not read back. */
int lsnn_rtl_chip_load_readmemh(lsnn_rtl_chip *c, const char *dir, const lsnn_image *img,
                                lsnn_error *e);

/* Programming bus (§16.8): one 32-bit access to core core_id, run until it answers (3 cycles
 * when the chip is idle). 0, or -1 (a core outside the active mesh, no answer). */
int lsnn_rtl_chip_port_write(lsnn_rtl_chip *c, uint32_t core_id, uint32_t addr, uint32_t data,
                             lsnn_error *e);
int lsnn_rtl_chip_port_read(lsnn_rtl_chip *c, uint32_t core_id, uint32_t addr, uint32_t *data,
                            lsnn_error *e);

/* One EVENT word for axon into core core_id's AER-in, over the host bus (§16.3: accepted while
 * the chip is idle and that AER-in is not full; the clock runs until it is). 0, or -1 (a core
 * outside the active mesh, never accepted). */
int lsnn_rtl_chip_event(lsnn_rtl_chip *c, uint32_t core_id, uint32_t axon, lsnn_error *e);

/* Any non-command word (EVENT, or a reserved type-3 word) for core core_id, as above. */
int lsnn_rtl_chip_word(lsnn_rtl_chip *c, uint32_t core_id, uint32_t word, lsnn_error *e);

/* TICK / CLEAR over the host bus: waits until it is accepted (every AER-in empty: T0), runs
 * until the controller is idle again (Tq + Lb) and returns the command's chip cycles C_chip =
 * Tq + Lb - T0 (the chip_cycles increment) in *cycles (may be NULL). Each core's output words
 * of the command are kept for lsnn_rtl_chip_outputs. -1 on a hang (see above), with the stuck
 * links (router cell, input port, requested output, why it is not ready) and their head
 * flits (dst x, y, axon), or the busy cores. */
int lsnn_rtl_chip_tick(lsnn_rtl_chip *c, uint64_t *cycles, lsnn_error *e);
int lsnn_rtl_chip_clear(lsnn_rtl_chip *c, uint64_t *cycles, lsnn_error *e);

/* Backdoor reads of core core_id (a cell of the active mesh): neuron n's STATE (0 or -1 for a
 * bad core or n >= N) and the §11 counters (0 or -1). */
int lsnn_rtl_chip_state(const lsnn_rtl_chip *c, uint32_t core_id, uint32_t n,
                        lsnn_ref_state *out);
int lsnn_rtl_chip_core_counters(const lsnn_rtl_chip *c, uint32_t core_id,
                                uint64_t out[LSNN_REF_NCOUNTERS]);

/* The chip counters (§16.9), in mesh.h's order: LSNN_CHIP_TICKS (TICK commands finished),
 * _CLEARS (CLEAR commands finished), _CYCLES (every cycle T0 .. Tq+Lb-1 of every command),
 * _BARRIER_CYCLES (the Lb barrier cycles of every command). */
void lsnn_rtl_chip_counters(const lsnn_rtl_chip *c, uint64_t out[LSNN_CHIP_NCOUNTERS]);

/* Router core_id's link counters (§16.9): flits[o] (flits that left through output o; L counts
 * ejections) and stalls[o] (cycles in which output o had a request and was not ready), o =
 * LSNN_PORT_L .. _S. Either array may be NULL. 0 or -1 (not a cell of the active mesh). */
int lsnn_rtl_chip_links(const lsnn_rtl_chip *c, uint32_t core_id, uint64_t flits[LSNN_PORTS],
                        uint64_t stalls[LSNN_PORTS]);

/* Core core_id's output words of the last TICK or CLEAR, in the order they left the core (as
 * lsnn_rtl_outputs): host-out words (LSNN_REF_PORT_HOST; SPIKE, TICK_DONE, CLEAR_DONE) in the
 * cycle the host took them, NoC-out words (LSNN_REF_PORT_NOC) in the cycle they entered the
 * router's L FIFO; host words first within a cycle. Copies at most cap words into out and
 * ports (may be NULL) and returns the number of words the command produced (which may exceed
 * cap). Reading does not consume them. */
size_t lsnn_rtl_chip_outputs(const lsnn_rtl_chip *c, uint32_t core_id, uint32_t *out,
                             int *ports, size_t cap);

/* Link stalls (§16.7): with on, output o of the router of cell id is stalled (not ready) in a
 * cycle when lsnn_link_stalled(seed, permille, cycle, id, o) (<lsnn/mesh.h>) is true, cycle
 * being the chip_cycles count before that cycle (so the reference, which numbers its cycles
 * the same way, draws the same pattern). permille 0..1000 (1000: every link always stalled, a
 * hang). off: no stalls (the default). 0, or -1 for permille > 1000. */
int lsnn_rtl_chip_set_link_stalls(lsnn_rtl_chip *c, int on, uint64_t seed, unsigned permille);

/* The model's name (hw/chips.txt, or chip_small_mutant) and its largest mesh. */
const char *lsnn_rtl_chip_model(const lsnn_rtl_chip *c, int *mx, int *my);

/* Simulated cycles since create (every cycle: loading, events, commands). */
uint64_t lsnn_rtl_chip_cycles(const lsnn_rtl_chip *c);

#ifdef __cplusplus
}
#endif

#endif
