/* rtl_core.h - one Verilog neurocore (rtl/) simulated cycle-accurately by Verilator (issue 5).
 *
 * A C API over the C++ Verilator harness, so that C tools (lsnn verify, lsnn run --engine rtl)
 * drive the RTL exactly as they drive the reference core (runtime/include/lsnn/ref_core.h):
 *   - the image is loaded through the programming port (§9 of docs/neurocore.md: every row of
 *     every memory written as 32-bit chunks, and read back and compared), or, as a second
 *     path, through $readmemh of the image's hex files (absolute paths);
 *   - EVENT words go into the AER-in FIFO; TICK and CLEAR run until TICK_DONE / CLEAR_DONE
 *     appears on host-out (the harness drains host-out and NoC-out every cycle: St = 0);
 *   - states and counters are read by backdoor (Verilator public signals), so reading them
 *     between ticks costs no cycle and no prog_reads count, as with the reference.
 * Verilator parameters are fixed at verilation: the build verilates a fixed list of hardware
 * configs (hw/CMakeLists.txt); lsnn_rtl_create refuses any other config, naming them. */
#ifndef LSNN_RTL_CORE_H
#define LSNN_RTL_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hwconfig.h"
#include "image.h"
#include "ref_core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lsnn_rtl lsnn_rtl;

/* Names of the configs with a verilated model, ", "-separated, into buf. */
void lsnn_rtl_models(char *buf, size_t n);

/* 1 if a verilated model matches cfg's core keys (neurons .. fifo_out), else 0. */
int lsnn_rtl_supported(const lsnn_hw_config *cfg);

/* A reset core for cfg; vcd_path non-NULL records a cycle-level VCD of every signal (written
 * to vcd_path.tmp.PID and renamed over vcd_path by lsnn_rtl_free, so it is never torn).
 * NULL with a message when no model matches cfg or memory runs out. */
lsnn_rtl *lsnn_rtl_create(const lsnn_hw_config *cfg, const char *vcd_path, lsnn_error *e);

/* A VCD and what goes into it (lsnn run/verify --vcd, --vcd-ticks, --vcd-scope; docs/rtl.md). */
typedef struct {
    const char *path;
    /* Only the cycles of ticks tick_from .. tick_to - 1, ticks counting the TICK commands from 0
     * (a sequence of T steps takes T + 1): from when tick_from ticks have finished until
     * tick_to have (tick_to 0: to the end). With a range (tick_from > 0 or tick_to > 0), the
     * cycles of the image load are left out. */
    long tick_from, tick_to;
    /* Only the signals under this instance path ("neurocore.u_ctrl"; "TOP." may be left out);
     * NULL or "": every signal. One that matches no signal is an error. */
    const char *scope;
} lsnn_rtl_vcd;

/* lsnn_rtl_create with a VCD as vcd says (vcd NULL or vcd->path NULL: none). */
lsnn_rtl *lsnn_rtl_create_vcd(const lsnn_hw_config *cfg, const lsnn_rtl_vcd *vcd, lsnn_error *e);

/* NULL if LSNN_RTL_MUTANT is unset or empty or names a known mutant, else a message naming
 * the value and the known ones (round_down: the default core; wrong_turn: a 2 x 2 chip of the
 * small core). Both harnesses refuse to create a model with an unknown one. */
const char *lsnn_rtl_mutant_error(void);
void lsnn_rtl_free(lsnn_rtl *r);

/* Programming port (§9): one 32-bit access; runs the clock until ready. 0, or -1 when the
 * core never answers (a hang is an error, never an endless loop). */
int lsnn_rtl_port_write(lsnn_rtl *r, uint32_t addr, uint32_t data, lsnn_error *e);
int lsnn_rtl_port_read(lsnn_rtl *r, uint32_t addr, uint32_t *data, lsnn_error *e);

/* Loads core index i of img through the port (registers, then every row of PROFILE, NCFG,
 * STATE, AXT, SYN, RIX, RTE), reads every row back and compares, then clears the counters
 * (CTRL bit 0). 0, or -1 naming the memory, row and both values. */
int lsnn_rtl_load_port(lsnn_rtl *r, const lsnn_image *img, int i, lsnn_error *e);

/* The second path: $readmemh of dir/coreNNN_MEM.hex for core id (a relative dir is made
 * absolute first), the registers through the port. 0 or -1. */
int lsnn_rtl_load_readmemh(lsnn_rtl *r, const char *dir, const lsnn_image *img, int i,
                           lsnn_error *e);

/* One AER-in EVENT word for axon (pushed into the FIFO; the clock runs while it is full). */
int lsnn_rtl_event(lsnn_rtl *r, uint32_t axon, lsnn_error *e);

/* Any AER-in word (EVENT, or a reserved type-3 word; not TICK/CLEAR, which need the calls
 * below), pushed like lsnn_rtl_event. An addition to the original API, for tests of bad words. */
int lsnn_rtl_word(lsnn_rtl *r, uint32_t word, lsnn_error *e);

/* TICK: returns 0 after TICK_DONE, with the tick's cycle count (the RTL's own `cycles` counter
 * increment) in *cycles; -1 if TICK_DONE does not come within a bound derived from the
 * config (a hang). Host-out SPIKE words and NoC-out words of the tick are collected and can be
 * read with lsnn_rtl_outputs. */
int lsnn_rtl_tick(lsnn_rtl *r, uint64_t *cycles, lsnn_error *e);

/* CLEAR: 0 after CLEAR_DONE, -1 on a hang. */
int lsnn_rtl_clear(lsnn_rtl *r, lsnn_error *e);

/* Backdoor reads. */
int lsnn_rtl_state(const lsnn_rtl *r, uint32_t n, lsnn_ref_state *out);
void lsnn_rtl_counters(const lsnn_rtl *r, uint64_t out[LSNN_REF_NCOUNTERS]);

/* Output words (host-out and NoC-out, in the order they left the core) since the last call:
 * *n words into out (at most cap); ports[k] is LSNN_REF_PORT_HOST or _NOC. */
size_t lsnn_rtl_outputs(lsnn_rtl *r, uint32_t *out, int *ports, size_t cap);

/* The output words leave the RTL in an order that interleaves host-out and NoC-out words
 * differently from the reference (docs/rtl.md); within a port the order is exact, so streams
 * are compared port by port (lsnn_outputs_differ, target.h). */

/* Simulated cycles since create (all of them, port accesses included). */
uint64_t lsnn_rtl_cycles(const lsnn_rtl *r);

/* Backpressure (an addition for tests/test_rtl_stall.c; docs/rtl.md "Backpressure and
 * stalls"): after this call the harness asserts host-out ready (i_hout_ready) and NoC-out
 * ready (i_noc_ready) only on some cycles, so the core stalls (§8, §10.2: St > 0). For a
 * period p: 0 or 1 = ready every cycle (the default, an ideal host: St = 0); p > 1 = the gap
 * from one ready cycle to the next is drawn uniformly from 1..2p-1 (mean p: ready on about 1/p
 * of the cycles, never more than 2p-2 cycles in a row not ready), pseudo-randomly from seed
 * (the two ports draw independent sequences; the same seed gives the same cycles);
 * LSNN_RTL_NEVER_READY = never ready (a stuck consumer). An output word is recorded (and
 * returned by lsnn_rtl_outputs) in the cycle it transfers (valid and ready). The hang bounds of
 * lsnn_rtl_tick and lsnn_rtl_clear grow by 2p cycles per possible output word of the larger
 * finite period, so a legal period never fails them; with a port that is never ready, a TICK
 * or CLEAR that needs it returns -1 ("a hang under backpressure", naming both ports) after the
 * ideal bound, leaving the core mid-tick. Returns 0, or -1 when r is NULL. */
#define LSNN_RTL_NEVER_READY 0xFFFFFFFFu
int lsnn_rtl_set_backpressure(lsnn_rtl *r, uint32_t host_period, uint32_t noc_period,
                              uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif
