/* sc_regs.h - the register map of the SystemC platform's chip (docs/systemc.md, "Register
 * map"): what a host sees of the chip of docs/neurocore.md §16 on a 32-bit memory-mapped bus.
 *
 * Offsets are bytes; every register is 32 bits wide and word-aligned, and the bus takes single
 * 4-byte accesses (little endian in the TLM payload). 64-bit counters are two registers, low
 * word first; they change only inside a command, and a command is one bus write that returns
 * when the chip is idle again, so their two halves never tear.
 *
 * Blocking transport (b_transport) costs clock cycles: a plain register access 1, an EVENT or
 * HOST_WORD write the cycles until the host bus accepts the word (1 when AER-in has room), a
 * PROG_DATA access the programming bus's 3, a CMD write the cycles until the command is accepted
 * plus its C_chip (§16.5). Debug transport (transport_dbg) reads any register and the debug
 * space at LSNN_SC_DBG_BASE in zero time, with no side effect and no counter; it writes
 * nothing. b_transport on the debug space answers TLM_ADDRESS_ERROR_RESPONSE. */
#ifndef LSNN_SC_REGS_H
#define LSNN_SC_REGS_H

/* ---- chip registers (b_transport and transport_dbg) ----------------------------------------- */
#define LSNN_SC_ID             0x000u /* R: 0x4E43_0000 + contract version (the ID row of §9) */
#define LSNN_SC_VERSION        0x004u /* R: this register map's version, LSNN_SC_MAP_VERSION */
#define LSNN_SC_MODEL          0x008u /* R: [7:0] MX, [15:8] MY, [23:16] BMAX of the verilated chip */
#define LSNN_SC_CLOCK_PS       0x00Cu /* R: the clock period in ps */
#define LSNN_SC_CTRL           0x010u /* R/W: LSNN_SC_CTRL_* */
#define LSNN_SC_STATUS         0x014u /* R: LSNN_SC_STATUS_* */
#define LSNN_SC_MESH           0x018u /* R/W: [4:0] mesh_x, [12:8] mesh_y; written only in reset */
#define LSNN_SC_NOC_B          0x01Cu /* R/W: [4:0] noc_buffer B (1..BMAX); written only in reset */
#define LSNN_SC_CMD            0x020u /* W: LSNN_SC_CMD_TICK or _CLEAR over the host bus; reads 0 */
#define LSNN_SC_CMD_CYCLES     0x024u /* R: C_chip of the last command (its chip_cycles) */
#define LSNN_SC_EVENT          0x028u /* W: [23:16] core id (16 y + x), [15:0] axon: one EVENT */
#define LSNN_SC_HOST_CELL      0x02Cu /* R/W: [7:0] the core id HOST_WORD writes go to */
#define LSNN_SC_HOST_WORD      0x030u /* W: one raw non-command word (§5.1) to core HOST_CELL */
#define LSNN_SC_PROG_CELL      0x040u /* R/W: [7:0] the programming window's core select {y, x} */
#define LSNN_SC_PROG_ADDR      0x044u /* R/W: the §9 address {region, row, chunk} */
#define LSNN_SC_PROG_DATA      0x048u /* R/W: one programming-bus access to PROG_ADDR of PROG_CELL */
#define LSNN_SC_STALL_PERMILLE 0x050u /* R/W: §16.7 link stalls, 0..1000 per mille (0: off) */
#define LSNN_SC_STALL_SEED_LO  0x054u /* R/W: the stall pattern's seed, bits [31:0] */
#define LSNN_SC_STALL_SEED_HI  0x058u /* R/W: bits [63:32] */
#define LSNN_SC_CHIP_TICKS     0x060u /* R: §16.9 chip_ticks (lo; hi at +4) */
#define LSNN_SC_CHIP_CLEARS    0x068u /* R: chip_clears */
#define LSNN_SC_CHIP_CYCLES    0x070u /* R: chip_cycles */
#define LSNN_SC_BARRIER_CYCLES 0x078u /* R: barrier_cycles */
#define LSNN_SC_CYCLES         0x080u /* R: clock cycles since the platform started */
#define LSNN_SC_REGS_END       0x088u

#define LSNN_SC_MAP_VERSION 1u

#define LSNN_SC_CTRL_RESET 1u /* 1: the chip is held in reset (MESH, NOC_B writable) */
#define LSNN_SC_CTRL_CNT_CLEAR                                                                     \
    2u /* write 1: zero the chip and link counters and the debug                                   \
          record of output words (reads 0) */

#define LSNN_SC_STATUS_IDLE       1u /* the chip controller is idle (no command running) */
#define LSNN_SC_STATUS_RESET      2u /* the chip is held in reset */
#define LSNN_SC_STATUS_NOC_BUSY   4u /* a router FIFO holds a flit */
#define LSNN_SC_STATUS_CORES_BUSY 8u /* a core of the active mesh is not idle */
#define LSNN_SC_STATUS_ERROR                                                                       \
    16u /* sticky: an access failed (hang, no answer, bad value);                                  \
           cleared by CTRL.RESET */

#define LSNN_SC_CMD_TICK  1u
#define LSNN_SC_CMD_CLEAR 2u

/* ---- debug space (transport_dbg only): one block per cell, core id c = 16 y + x -------------- */
#define LSNN_SC_DBG_BASE    0x80000000u
#define LSNN_SC_DBG_CELL(c) (LSNN_SC_DBG_BASE | ((unsigned)(c)&0xFFu) << 20)
/* neuron n's STATE row (§7, fields from bit 0 up), 128 bits: 16 bytes per neuron */
#define LSNN_SC_DBG_STATE(c, n) (LSNN_SC_DBG_CELL(c) | ((unsigned)(n) << 4))
/* the §11 counters, 64 bits each, in region 0xA order (32 rows, 27..31 read 0) */
#define LSNN_SC_DBG_COUNTERS(c) (LSNN_SC_DBG_CELL(c) | 0x10000u)
/* router output o (0 L .. 4 S): flits (8 bytes), then link stalls (8 bytes) */
#define LSNN_SC_DBG_LINKS(c) (LSNN_SC_DBG_CELL(c) | 0x11000u)
/* the number of output words the core sent in the last command (32 bits) */
#define LSNN_SC_DBG_NOUT(c) (LSNN_SC_DBG_CELL(c) | 0x12000u)
/* output word k of the last command: the word, then its port (0 host-out, 1 NoC-out) */
#define LSNN_SC_DBG_OUT(c, k) (LSNN_SC_DBG_CELL(c) | (0x20000u + 8u * (unsigned)(k)))
#define LSNN_SC_DBG_MAX_OUT   ((0x100000u - 0x20000u) / 8u)

#endif
