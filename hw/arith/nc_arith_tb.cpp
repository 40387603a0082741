// nc_arith_tb.cpp - the C interface (nc_arith_tb.h) of the verilated nc_arith_tb.v: the only
// C++ of the arithmetic test, because Verilator's models are C++ classes.
#include "nc_arith_tb.h"

#include <verilated.h>

#include <memory>

#include "Vnc_arith_tb.h"

struct nc_arith_tb {
    std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    std::unique_ptr<Vnc_arith_tb> top{new Vnc_arith_tb{ctx.get(), "TOP"}};
};

extern "C" nc_arith_tb *nc_arith_tb_new(void)
{
    return new nc_arith_tb;
}

extern "C" void nc_arith_tb_free(nc_arith_tb *tb)
{
    if (!tb) return;
    tb->top->final();
    delete tb;
}

extern "C" int64_t nc_arith_tb_eval(nc_arith_tb *tb, int id, int64_t x, int64_t y, int64_t z,
                                    int *sat)
{
    Vnc_arith_tb *m = tb->top.get();
    m->i_x = (uint64_t)x;
    m->i_y = (uint64_t)y;
    m->i_z = (uint64_t)z;
    m->eval();
    *sat = 0;
    switch (id) {
#define NC_ARITH_TB_P(name)                                                                        \
    case NC_ARITH_TB_##name:                                                                       \
        return (int64_t)m->o_##name;
#define NC_ARITH_TB_S(name)                                                                        \
    case NC_ARITH_TB_##name:                                                                       \
        *sat = m->o_##name##_sat;                                                                  \
        return (int64_t)m->o_##name;
        NC_ARITH_TB_INSTANCES(NC_ARITH_TB_P, NC_ARITH_TB_S)
#undef NC_ARITH_TB_P
#undef NC_ARITH_TB_S
    }
    return 0;
}
