/* mesh.h - the chip's mesh as docs/neurocore.md §16 defines it: router ports, XY routing, the
 * barrier's cycles and the link-stall pattern of verification, written once for the reference
 * chip model (runtime/chip/ref_mesh.c) and the verilated chip's harness (hw/). */
#ifndef LSNN_MESH_H
#define LSNN_MESH_H

#include <stdint.h>

/* §16.2 router ports: inputs and outputs are numbered alike. */
enum {
    LSNN_PORT_L = 0, /* the core: injection in, ejection out */
    LSNN_PORT_E = 1, /* x + 1 */
    LSNN_PORT_W = 2, /* x - 1 */
    LSNN_PORT_N = 3, /* y - 1 */
    LSNN_PORT_S = 4, /* y + 1 */
    LSNN_PORTS = 5
};

/* §16.9 chip counters, in this order. */
#define LSNN_CHIP_COUNTERS(X)                                                                      \
    X(CHIP_TICKS, chip_ticks)                                                                      \
    X(CHIP_CLEARS, chip_clears)                                                                    \
    X(CHIP_CYCLES, chip_cycles)                                                                    \
    X(CHIP_BARRIER_CYCLES, barrier_cycles)
#define LSNN_CHIP_ENUM(id, name) LSNN_##id,
enum { LSNN_CHIP_COUNTERS(LSNN_CHIP_ENUM) LSNN_CHIP_NCOUNTERS };
#undef LSNN_CHIP_ENUM

/* §16.2 XY routing: the output a flit for core id dst takes at the router of cell (x, y). */
static inline int lsnn_mesh_route(unsigned dst, int x, int y)
{
    int dx = (int)(dst & 15u), dy = (int)((dst >> 4) & 15u);
    return dx > x ? LSNN_PORT_E : dx < x ? LSNN_PORT_W : dy > y ? LSNN_PORT_S
                                                       : dy < y ? LSNN_PORT_N
                                                                : LSNN_PORT_L;
}

/* §16.5 the barrier's cycles, Lb = 2 (mesh_x + mesh_y) - 2. */
static inline uint64_t lsnn_mesh_barrier_cycles(int mesh_x, int mesh_y)
{
    return 2 * (uint64_t)(mesh_x + mesh_y) - 2;
}

/* §16.7: whether output `port` of the router of cell `cell` (16 y + x) is stalled in the
 * chip cycle `cycle` (the chip_cycles count before that cycle): permille of the (cycle, cell,
 * port) triples are, chosen by a SplitMix64 hash of them and seed. 0 permille: never. */
static inline int lsnn_link_stalled(uint64_t seed, unsigned permille, uint64_t cycle,
                                    unsigned cell, unsigned port)
{
    if (!permille) return 0;
    uint64_t z = seed ^ (cycle * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)(cell * 8u + port) << 48);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return z % 1000u < permille;
}

#endif
