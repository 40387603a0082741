/* nc_arith.h - the neurocore's integer primitives (docs/neurocore.md §0, §5.2), written once.
 *
 * Every C path that computes what the neurocore computes calls these: the reference core's
 * literal and cached paths, the compiler's checks, and (later) the LLVM backend's generated
 * code follows the same text. The RTL's counterparts are the modules of rtl/nc_arith.v, which
 * rtl/nc_neuron.v instantiates. Values are mathematical integers held in int64_t; no
 * intermediate of §0/§4.6 needs more than 62 bits. `x >> s` on a negative int64_t is
 * implementation-defined in ISO C; GCC and Clang document it as an arithmetic shift
 * (floor(x / 2^s)), which is what §0 requires. Left shifts of possibly negative values are
 * written as multiplications by 2^s (a negative left shift is undefined).
 *
 * LSNN_NC_ARITH_VECTORS lists check vectors. tests/test_nc_arith.c runs them against these
 * functions and against an independent formula; tests/test_rtl_arith.c runs them, and random
 * operands at the default core's widths, through rtl/nc_arith.v's modules (the verilated
 * hw/arith/nc_arith_tb.v). A vector whose widths no instance there holds fails that test:
 * a new vector may need a new instance. */
#ifndef LSNN_NC_ARITH_H
#define LSNN_NC_ARITH_H

#include <stdint.h>

/* 2^s, 0 <= s <= 62. */
static inline int64_t lsnn_nc_pow2(int s)
{
    return (int64_t)1 << s;
}

/* §0 rshr: x / 2^s rounded half up (toward +inf on ties), 0 <= s <= 62; rshr(x, 0) = x. */
static inline int64_t lsnn_nc_rshr(int64_t x, int s)
{
    return (x + (lsnn_nc_pow2(s) >> 1)) >> s;
}

/* §4.6 the decay operator: x - rshr(x*k, f), with k <= 2^f. */
static inline int64_t lsnn_nc_leak(int64_t x, int64_t k, int f)
{
    return x - lsnn_nc_rshr(x * k, f);
}

/* Clamps y to [lo, hi] and adds 1 to *sat when that changes y (the saturations of §3). */
static inline int64_t lsnn_nc_clamp(int64_t y, int64_t lo, int64_t hi, uint64_t *sat)
{
    int64_t r = y < lo ? lo : y > hi ? hi : y;
    *sat += r != y;
    return r;
}

/* The n-bit two's-complement range and the n-bit unsigned maximum. */
static inline int64_t lsnn_nc_smin(int n)
{
    return -lsnn_nc_pow2(n - 1);
}
static inline int64_t lsnn_nc_smax(int n)
{
    return lsnn_nc_pow2(n - 1) - 1;
}
static inline int64_t lsnn_nc_umax(int n)
{
    return lsnn_nc_pow2(n) - 1;
}

/* §5.2 the adaptive threshold A = b0 + rshr(a, G) (exact: b0 < 2^(V-1), a < 2^(V+G)). */
static inline int64_t lsnn_nc_threshold(int64_t b0, int64_t a, int G)
{
    return b0 + lsnn_nc_rshr(a, G);
}

/* §5.2 the spike test: not refractory (ref before its update) and v strictly above A. */
static inline int lsnn_nc_fires(int64_t ref, int64_t v, int64_t A)
{
    return ref == 0 && v > A;
}

/* Check vectors: X(operation, x, y, z, expected) with
 *   RSHR: rshr(x, y)          LEAK: leak(x, y, z)       SATS: clamp(x) to y-bit signed
 *   SATU: clamp(x) to y-bit unsigned                    THRESH: threshold(x, y, z)
 *   FIRES: fires(x, y, z) */
#define LSNN_NC_ARITH_VECTORS(X)                                                                   \
    X(RSHR, 5, 1, 0, 3)                                                                            \
    X(RSHR, -5, 1, 0, -2)                                                                          \
    X(RSHR, 6, 2, 0, 2)                                                                            \
    X(RSHR, -6, 2, 0, -1)                                                                          \
    X(RSHR, -7, 2, 0, -2)                                                                          \
    X(RSHR, 7, 0, 0, 7)                                                                            \
    X(RSHR, -1, 62, 0, 0)                                                                          \
    X(RSHR, 4611686018427387904, 62, 0, 1)                                                         \
    X(RSHR, -4611686018427387904, 62, 0, -1)                                                       \
    X(LEAK, 1000, 62259, 16, 50)                                                                   \
    X(LEAK, -1000, 62259, 16, -50)                                                                 \
    X(LEAK, -7593, 1, 1, -3797)                                                                    \
    X(LEAK, 8388607, 65536, 16, 0)                                                                 \
    X(LEAK, -8388608, 65535, 16, -128)                                                             \
    X(LEAK, 3, 1, 0, 0)                                                                            \
    X(SATS, 8388608, 24, 0, 8388607)                                                               \
    X(SATS, -8388609, 24, 0, -8388608)                                                             \
    X(SATS, -8388608, 24, 0, -8388608)                                                             \
    X(SATU, -1, 32, 0, 0)                                                                          \
    X(SATU, 4294967296, 32, 0, 4294967295)                                                         \
    X(SATU, 255, 8, 0, 255)                                                                        \
    X(THRESH, 100, 383, 8, 101)                                                                    \
    X(THRESH, 100, 384, 8, 102)                                                                    \
    X(THRESH, 100, 7, 0, 107)                                                                      \
    X(FIRES, 0, 101, 100, 1)                                                                       \
    X(FIRES, 0, 100, 100, 0)                                                                       \
    X(FIRES, 1, 500, 100, 0)

#endif
