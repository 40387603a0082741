/*
 * nc_arith_tb.v : a testbench top for rtl/nc_arith.v's primitives (ctest test_rtl_arith)
 *
 * Project : lsnn neurocore (hw/arith/)
 * Comments: Purely combinational. Every instance takes its operands from the low bits of i_x,
 *           i_y, i_z (x, y, z of nc_arith.h's LSNN_NC_ARITH_VECTORS) and returns its result
 *           extended to 64 bits (sign or zero, as the result is signed or not) on o_<name>; the
 *           saturations also drive o_<name>_sat. hw/arith/nc_arith_tb.h lists the instances
 *           and tests/test_rtl_arith.c the operand ranges each one takes (keep the three in
 *           step). Two kinds:
 *           - nc_neuron's own instances, at the default core's widths (rtl/gen/nc_defaults.vh)
 *             and with nc_neuron's parameters: rshr_pv, rshr_pa, leak_v, leak_a, sat_v,
 *             sat_a, thr, fires;
 *           - the widths the check vectors ask for: rshr64 (64-bit x, shifts 0..62),
 *             leak_wide (32-bit x, 17-bit k: k = 2^16 = 2^f at f = 16), sats24, sats28,
 *             satu8, satu32 (64-bit x), thr_g0 (G = 0).
 */
`default_nettype none
`include "nc_defaults.vh"
module nc_arith_tb #(
    parameter integer V = `NC_DEFAULT_V,
    parameter integer U = `NC_DEFAULT_U,
    parameter integer G = `NC_DEFAULT_G,
    parameter integer Q = `NC_DEFAULT_Q,
    parameter integer K = `NC_DEFAULT_K
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [63:0] i_x,                 // each instance reads the low bits it needs
    input  wire [63:0] i_y,
    input  wire [63:0] i_z,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [63:0] o_rshr64,
    output wire [63:0] o_rshr_pv,
    output wire [63:0] o_rshr_pa,
    output wire [63:0] o_leak_v,
    output wire [63:0] o_leak_a,
    output wire [63:0] o_leak_wide,
    output wire [63:0] o_sats24,
    output wire        o_sats24_sat,
    output wire [63:0] o_sats28,
    output wire        o_sats28_sat,
    output wire [63:0] o_sat_v,
    output wire        o_sat_v_sat,
    output wire [63:0] o_satu8,
    output wire        o_satu8_sat,
    output wire [63:0] o_satu32,
    output wire        o_satu32_sat,
    output wire [63:0] o_sat_a,
    output wire        o_sat_a_sat,
    output wire [63:0] o_thr,
    output wire [63:0] o_thr_g0,
    output wire [63:0] o_fires
);
    // nc_neuron's widths (keep in step with rtl/nc_neuron.v)
    localparam integer AW  = V + G;
    localparam integer PVW = V + K + 1;
    localparam integer PAW = AW + K + 1;
    localparam integer RVW = (PVW > 32 ? PVW : 32) + 1;
    localparam integer TW  = V + 2;
    localparam integer SW0 = (U > TW ? U : TW);
    localparam integer SW  = (SW0 > RVW ? SW0 : RVW) + 4;
    localparam integer YAW = AW + 3;

    // ---- rshr ----
    wire signed [63:0] rshr64;
    nc_rshr #(.XW(64), .SW(6)) u_rshr64 (.i_x(i_x), .i_s(i_y[5:0]), .o_y(rshr64));
    assign o_rshr64 = rshr64;
    wire signed [PVW-1:0] rshr_pv;
    nc_rshr #(.XW(PVW), .SW(5)) u_rshr_pv (.i_x(i_x[PVW-1:0]), .i_s(i_y[4:0]), .o_y(rshr_pv));
    assign o_rshr_pv = {{(64-PVW){rshr_pv[PVW-1]}}, rshr_pv};
    wire signed [PAW-1:0] rshr_pa;
    nc_rshr #(.XW(PAW), .SW(5)) u_rshr_pa (.i_x(i_x[PAW-1:0]), .i_s(i_y[4:0]), .o_y(rshr_pa));
    assign o_rshr_pa = {{(64-PAW){rshr_pa[PAW-1]}}, rshr_pa};

    // ---- leak: nc_leak_mul then nc_leak, as nc_neuron's N1 and N2 ----
    wire signed [PVW-1:0] pv;
    wire signed [PVW:0]   leak_v;
    nc_leak_mul #(.XW(V), .KW(K), .PW(PVW)) u_mul_v (.i_x(i_x[V-1:0]), .i_k(i_y[K-1:0]), .o_p(pv));
    nc_leak #(.XW(V), .PW(PVW)) u_leak_v (.i_x(i_x[V-1:0]), .i_p(pv), .i_f(i_z[4:0]), .o_y(leak_v));
    assign o_leak_v = {{(63-PVW){leak_v[PVW]}}, leak_v};
    wire signed [PAW-1:0] pa;
    wire signed [PAW:0]   leak_a;
    nc_leak_mul #(.XW(AW + 1), .KW(K), .PW(PAW)) u_mul_a (
        .i_x({1'b0, i_x[AW-1:0]}), .i_k(i_y[K-1:0]), .o_p(pa));
    nc_leak #(.XW(AW + 1), .PW(PAW)) u_leak_a (
        .i_x({1'b0, i_x[AW-1:0]}), .i_p(pa), .i_f(i_z[4:0]), .o_y(leak_a));
    assign o_leak_a = {{(63-PAW){leak_a[PAW]}}, leak_a};
    wire signed [49:0] pw;                  // 32 + 17 + 1, as nc_neuron sizes its products
    wire signed [50:0] leak_wide;
    nc_leak_mul #(.XW(32), .KW(17), .PW(50)) u_mul_w (.i_x(i_x[31:0]), .i_k(i_y[16:0]), .o_p(pw));
    nc_leak #(.XW(32), .PW(50)) u_leak_w (.i_x(i_x[31:0]), .i_p(pw), .i_f(i_z[4:0]), .o_y(leak_wide));
    assign o_leak_wide = {{13{leak_wide[50]}}, leak_wide};

    // ---- sat_s, sat_u ----
    wire [23:0] sats24;
    nc_sat_s #(.IW(64), .OW(24)) u_sats24 (.i_x(i_x), .o_y(sats24), .o_sat(o_sats24_sat));
    assign o_sats24 = {{40{sats24[23]}}, sats24};
    wire [27:0] sats28;
    nc_sat_s #(.IW(64), .OW(28)) u_sats28 (.i_x(i_x), .o_y(sats28), .o_sat(o_sats28_sat));
    assign o_sats28 = {{36{sats28[27]}}, sats28};
    wire [V-1:0] sat_v;
    nc_sat_s #(.IW(SW), .OW(V)) u_sat_v (.i_x(i_x[SW-1:0]), .o_y(sat_v), .o_sat(o_sat_v_sat));
    assign o_sat_v = {{(64-V){sat_v[V-1]}}, sat_v};
    wire [7:0] satu8;
    nc_sat_u #(.IW(64), .OW(8)) u_satu8 (.i_x(i_x), .o_y(satu8), .o_sat(o_satu8_sat));
    assign o_satu8 = {56'd0, satu8};
    wire [31:0] satu32;
    nc_sat_u #(.IW(64), .OW(32)) u_satu32 (.i_x(i_x), .o_y(satu32), .o_sat(o_satu32_sat));
    assign o_satu32 = {32'd0, satu32};
    wire [AW-1:0] sat_a;
    nc_sat_u #(.IW(YAW), .OW(AW)) u_sat_a (.i_x(i_x[YAW-1:0]), .o_y(sat_a), .o_sat(o_sat_a_sat));
    assign o_sat_a = {{(64-AW){1'b0}}, sat_a};

    // ---- threshold (x = b0, y = a; z = G selects the instance), spike test ----
    wire [TW-1:0] thr, thr_g0;
    nc_threshold #(.V(V), .G(G)) u_thr (.i_b0(i_x[V-2:0]), .i_a(i_y[AW-1:0]), .o_A(thr));
    assign o_thr = {{(64-TW){1'b0}}, thr};
    nc_threshold #(.V(V), .G(0)) u_thr_g0 (.i_b0(i_x[V-2:0]), .i_a(i_y[V-1:0]), .o_A(thr_g0));
    assign o_thr_g0 = {{(64-TW){1'b0}}, thr_g0};
    wire fire;
    nc_fires #(.V(V), .Q(Q)) u_fires (.i_ref(i_x[Q-1:0]), .i_v(i_y[V-1:0]), .i_A(i_z[TW-1:0]),
                                      .o_fire(fire));
    assign o_fires = {63'd0, fire};
endmodule
`default_nettype wire
