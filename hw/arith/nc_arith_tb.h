/* nc_arith_tb.h - the verilated testbench of rtl/nc_arith.v (hw/arith/nc_arith_tb.v), from C.
 *
 * One model holds every instance; an evaluation drives x, y, z into all of them and returns
 * one instance's result. tests/test_rtl_arith.c uses it. */
#ifndef LSNN_NC_ARITH_TB_H
#define LSNN_NC_ARITH_TB_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The instances, named by their output port o_<name>: P(name) for a value, S(name) for a
 * saturation, which also has o_<name>_sat. */
#define NC_ARITH_TB_INSTANCES(P, S)                                                                \
    P(rshr64)                                                                                      \
    P(rshr_pv)                                                                                     \
    P(rshr_pa)                                                                                     \
    P(leak_v)                                                                                      \
    P(leak_a)                                                                                      \
    P(leak_wide)                                                                                   \
    S(sats24)                                                                                      \
    S(sats28)                                                                                      \
    S(sat_v)                                                                                       \
    S(satu8)                                                                                       \
    S(satu32)                                                                                      \
    S(sat_a)                                                                                       \
    P(thr)                                                                                         \
    P(thr_g0)                                                                                      \
    P(fires)

enum {
#define NC_ARITH_TB_ID(name) NC_ARITH_TB_##name,
    NC_ARITH_TB_INSTANCES(NC_ARITH_TB_ID, NC_ARITH_TB_ID)
#undef NC_ARITH_TB_ID
        NC_ARITH_TB_COUNT
};

typedef struct nc_arith_tb nc_arith_tb;

nc_arith_tb *nc_arith_tb_new(void);
void nc_arith_tb_free(nc_arith_tb *tb);

/* Drives i_x, i_y, i_z, evaluates, and returns instance id's result; *sat is its o_<name>_sat
 * (0 for an instance without one). */
int64_t nc_arith_tb_eval(nc_arith_tb *tb, int id, int64_t x, int64_t y, int64_t z, int *sat);

#ifdef __cplusplus
}
#endif

#endif
