/*
 * nc_neuron.v : one lane of the neuron update unit, N1..N3 (§5.2, §10.1)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: One neuron per cycle; nc_neurons.v holds the memories and runs NL of these lanes:
 *             N0: STATE[n], PROFILE[NCFG[n]] and ACC reads issued (nc_neurons, nc_synapse)
 *             N1: the rows arrive (i_st, i_prof, i_acc); v*k_v, a*k_a and (CUBA, §17) i*k_i
 *             N2: leak (x - rshr(x*k, f)), adaptation + increment (sat_u), threshold
 *                 A = b0 + rshr(a1, G); CUBA: i1 = leak(i) + I (sat_s, U bits) replaces I;
 *                 v1 = leak + I - z*A (sat_s); readout: v1 = leak + I
 *             N3: vs > A (strict, ref before its update), ref1, STATE write, spike push
 *           The primitives (rshr, leak and its product, sat_s, sat_u, threshold, spike test)
 *           are nc_arith.v's modules, which hw/arith/nc_arith_tb.v checks against nc_arith.h.
 *           Every sum is exact and saturates once, at its end (§3). No hazards between
 *           neurons: each has its own STATE row and ACC row.
 *           Zero-width fields: S = 1 (bank 0 only), D = 1 (slot 0 only) and S = N (one ACC
 *           row per slot) use 1-bit stand-ins tied to 0, as nc_synapse does; G = 0 makes
 *           rshr(a1, G) = a1 (no rounding bit).
 */
`default_nettype none
module nc_neuron #(
    parameter integer N   = 256,
    parameter integer V   = 24,
    parameter integer U   = 28,
    parameter integer G   = 8,
    parameter integer Q   = 8,
    parameter integer K   = 16
) (
    input  wire             i_clk,
    input  wire             i_rst,
    // N0 (this lane's neuron; its rows arrive in N1)
    input  wire             i_nv,
    input  wire [NB-1:0]    i_n,
    input  wire [STATE_W-1:0]   i_st,
    input  wire [PROFILE_W-1:0] i_prof,
    input  wire [U-1:0]     i_acc,
    // N3 results: the STATE row of neuron o_n, the spike, counter increments
    output wire             o_we,
    output wire [NB-1:0]    o_n,
    output wire [STATE_W-1:0] o_row,
    output wire             o_spk,
    output wire             o_inc_sat_v,
    output wire             o_inc_sat_r,
    output wire             o_inc_sat_a,
    output wire             o_inc_sat_i     // CUBA current saturated: counts in sat_acc (§17)
);
    localparam integer NB  = $clog2(N);
    // the PROFILE and STATE rows of §7 (generated from neurocore.def)
`include "nc_row_PROFILE.vh"
`include "nc_row_STATE.vh"
    localparam integer AW  = STATE_A_W;                     // a
    // exact intermediate widths
    localparam integer PVW = V + K + 1;                     // v * k_v (signed; V+K would do)
    localparam integer PAW = AW + K + 1;                    // a * k_a (kept signed)
    localparam integer RVW = (PVW > 32 ? PVW : 32) + 1;     // nc_rshr's v*k_v + 2^(f-1), f <= 31
    localparam integer TW  = V + 2;                         // threshold A (nc_threshold)
    localparam integer SW0 = (U > TW ? U : TW);
    localparam integer SW  = (SW0 > RVW ? SW0 : RVW) + 4;   // v sum (signed), wider than rv
    localparam integer YAW = AW + 3;                        // a sum (signed)
    localparam integer PIW = U + K + 1;                     // i * k_i (signed, as v * k_v)
    localparam integer YIW = U + 2;                         // i sum (signed; U+1 would do)

    wire [PROFILE_W-1:0] prof = i_prof;
    wire [STATE_W-1:0]   st_q = i_st;
    reg                  n3_v;
    reg  [NB-1:0]        n3_n;
    wire [STATE_W-1:0]   n3_row;

    // ---- N1: profile select, multiplies ----
    reg           n1_v;
    reg [NB-1:0]  n1_n;
    always @(posedge i_clk) begin
        n1_v <= !i_rst && i_nv;
        n1_n <= i_n;
    end

    wire [1:0]    p_mode  = prof[PROFILE_MODE_LSB +: PROFILE_MODE_W];
    wire          p_prev  = prof[PROFILE_SPK_PREV_LSB];
    wire [Q-1:0]  p_nref  = prof[PROFILE_N_REF_LSB +: PROFILE_N_REF_W];
    wire [4:0]    p_fv    = prof[PROFILE_F_V_LSB +: PROFILE_F_V_W];
    wire [K-1:0]  p_kv    = prof[PROFILE_K_V_LSB +: PROFILE_K_V_W];
    wire [4:0]    p_fa    = prof[PROFILE_F_A_LSB +: PROFILE_F_A_W];
    wire [K-1:0]  p_ka    = prof[PROFILE_K_A_LSB +: PROFILE_K_A_W];
    wire [V-2:0]  p_b0    = prof[PROFILE_B0_LSB +: PROFILE_B0_W];
    wire [AW-1:0] p_inc   = prof[PROFILE_INC_LSB +: PROFILE_INC_W];
    wire          p_cuba  = prof[PROFILE_CUBA_LSB];
    wire [4:0]    p_fi    = prof[PROFILE_F_I_LSB +: PROFILE_F_I_W];
    wire [K-1:0]  p_ki    = prof[PROFILE_K_I_LSB +: PROFILE_K_I_W];

    wire signed [V-1:0]  s_v   = st_q[STATE_V_LSB +: STATE_V_W];
    wire        [AW-1:0] s_a   = st_q[STATE_A_LSB +: STATE_A_W];
    wire        [Q-1:0]  s_ref = st_q[STATE_REF_LSB +: STATE_REF_W];
    wire                 s_z   = st_q[STATE_Z_LSB];
    wire signed [U-1:0]  s_i   = st_q[STATE_ISYN_LSB +: STATE_ISYN_W];

    wire signed [PVW-1:0] pv;
    wire signed [PAW-1:0] pa;
    nc_leak_mul #(.XW(V), .KW(K), .PW(PVW)) u_mul_v (.i_x(s_v), .i_k(p_kv), .o_p(pv));
    nc_leak_mul #(.XW(AW + 1), .KW(K), .PW(PAW)) u_mul_a (.i_x({1'b0, s_a}), .i_k(p_ka), .o_p(pa));
    wire signed [PIW-1:0] pi;
    nc_leak_mul #(.XW(U), .KW(K), .PW(PIW)) u_mul_i (.i_x(s_i), .i_k(p_ki), .o_p(pi));

    reg                   n2_v, n2_ro, n2_prev, n2_z;
    reg [NB-1:0]          n2_n;
    reg signed [PVW-1:0]  n2_pv;
    reg signed [PAW-1:0]  n2_pa;
    reg signed [V-1:0]    n2_vold;
    reg [AW-1:0]          n2_a, n2_inc;
    reg [Q-1:0]           n2_ref, n2_nref;
    reg [4:0]             n2_fv, n2_fa;
    reg [V-2:0]           n2_b0;
    reg signed [U-1:0]    n2_I;
    reg                   n2_cuba;
    reg signed [PIW-1:0]  n2_pi;
    reg signed [U-1:0]    n2_i;
    reg [4:0]             n2_fi;
    always @(posedge i_clk) begin
        n2_v    <= !i_rst && n1_v;
        n2_n    <= n1_n;
        n2_ro   <= p_mode == 2'd1;
        n2_prev <= p_prev;
        n2_z    <= s_z;
        n2_pv   <= pv;
        n2_pa   <= pa;
        n2_vold <= s_v;
        n2_a    <= s_a;
        n2_inc  <= p_inc;
        n2_ref  <= s_ref;
        n2_nref <= p_nref;
        n2_fv   <= p_fv;
        n2_fa   <= p_fa;
        n2_b0   <= p_b0;
        n2_I    <= i_acc;
        n2_cuba <= p_cuba;
        n2_pi   <= pi;
        n2_i    <= s_i;
        n2_fi   <= p_fi;
    end

    // ---- N2: leak, adaptation, threshold, sums ----
`ifdef NC_MUTANT_ROUND_DOWN
    // Mutation check only (hw/CMakeLists.txt, model default_mutant): the v decay truncates
    // instead of rounding half up; `lsnn verify` must catch it.
    localparam integer V_ROUND = 0;
`else
    localparam integer V_ROUND = 1;
`endif
    wire signed [PVW:0] lv;                                 // leak(v), exact for any k_v
    wire signed [PAW:0] la;                                 // leak(a)
    nc_leak #(.XW(V), .PW(PVW), .ROUND(V_ROUND)) u_leak_v (
        .i_x(n2_vold), .i_p(n2_pv), .i_f(n2_fv), .o_y(lv));
    nc_leak #(.XW(AW + 1), .PW(PAW)) u_leak_a (
        .i_x({1'b0, n2_a}), .i_p(n2_pa), .i_f(n2_fa), .o_y(la));

    // a1 = sat_u(leak(a) + z*inc, V+G); with k_a <= 2^f_a leak(a) lies in [0, a], so the
    // sum is below 2^(AW+1) and YAW bits hold it
    wire signed [YAW-1:0] ya = la[YAW-1:0] + (n2_z ? $signed({3'b000, n2_inc}) : {YAW{1'b0}});
    wire [AW-1:0] a1;
    wire          a_sat;
    nc_sat_u #(.IW(YAW), .OW(AW)) u_sat_a (.i_x(ya), .o_y(a1), .o_sat(a_sat));
    // A = b0 + rshr(a1, G)
    wire [TW-1:0] thr;
    nc_threshold #(.V(V), .G(G)) u_thr (.i_b0(n2_b0), .i_a(a1), .o_A(thr));
    // CUBA (§17): i1 = sat_s(leak(i) + I, U), and i1 takes I's place in v's sum. With
    // k_i <= 2^f_i leak(i) lies between 0 and i, so the sum fits U+1 bits (YIW holds it).
    wire signed [PIW:0]   li;
    nc_leak #(.XW(U), .PW(PIW)) u_leak_i (.i_x(n2_i), .i_p(n2_pi), .i_f(n2_fi), .o_y(li));
    wire signed [YIW-1:0] yi = li[YIW-1:0] + $signed({{(YIW-U){n2_I[U-1]}}, n2_I});
    wire [U-1:0]          i1;
    wire                  i_sat;
    nc_sat_s #(.IW(YIW), .OW(U)) u_sat_i (.i_x(yi), .o_y(i1), .o_sat(i_sat));
    wire signed [U-1:0]   vin = n2_cuba ? $signed(i1) : n2_I;
    // v1 = sat_s(leak(v) + I - z*A, V)   (readout: leak(v) + I)
    // lv is sign-extended by the signed context, not by replicated bits: yosys then merges
    // leak(v)'s subtraction into this sum, as when it was one expression
    /* verilator lint_off WIDTH */
    wire signed [SW-1:0] yv = lv + $signed({{(SW-U){vin[U-1]}}, vin}) -
                              ((n2_z && !n2_ro) ? $signed({{(SW-TW){1'b0}}, thr}) : $signed({SW{1'b0}}));
    /* verilator lint_on WIDTH */
    wire [V-1:0] v1;
    wire         v_sat;
    nc_sat_s #(.IW(SW), .OW(V)) u_sat_v (.i_x(yv), .o_y(v1), .o_sat(v_sat));

    reg                 n3_ro, n3_prev, n3_satv, n3_sata, n3_sati;
    reg signed [U-1:0]  n3_i1;
    reg signed [V-1:0]  n3_v1, n3_vold;
    reg [AW-1:0]        n3_a1;
    reg [TW-1:0]        n3_thr;
    reg [Q-1:0]         n3_ref, n3_nref;
    always @(posedge i_clk) begin
        n3_v    <= !i_rst && n2_v;
        n3_n    <= n2_n;
        n3_ro   <= n2_ro;
        n3_prev <= n2_prev;
        n3_v1   <= v1;
        n3_vold <= n2_vold;
        n3_a1   <= n2_ro ? n2_a : a1;
        n3_thr  <= thr;
        n3_ref  <= n2_ref;
        n3_nref <= n2_nref;
        n3_satv <= v_sat;
        n3_sata <= !n2_ro && a_sat;
        n3_i1   <= n2_cuba ? i1 : n2_i;                     // without CUBA i is kept
        n3_sati <= n2_cuba && i_sat;
    end

    // ---- N3: compare, STATE write, spike ----
    wire signed [V-1:0]  vs  = n3_prev ? n3_vold : n3_v1;
    wire                 fire;
    nc_fires #(.V(V), .Q(Q)) u_fires (.i_ref(n3_ref), .i_v(vs), .i_A(n3_thr), .o_fire(fire));
    wire                 z1  = !n3_ro && fire;
    wire [Q-1:0]         ref1 = n3_ro ? {Q{1'b0}} : z1 ? n3_nref :
                                n3_ref != {Q{1'b0}} ? n3_ref - 1'b1 : {Q{1'b0}};
    assign n3_row[STATE_V_LSB +: STATE_V_W]     = n3_v1;
    assign n3_row[STATE_A_LSB +: STATE_A_W]     = n3_a1;
    assign n3_row[STATE_REF_LSB +: STATE_REF_W] = ref1;
    assign n3_row[STATE_Z_LSB]                  = z1;
    assign n3_row[STATE_ISYN_LSB +: STATE_ISYN_W] = n3_i1;

    assign o_we        = n3_v;
    assign o_n         = n3_n;
    assign o_row       = n3_row;
    assign o_spk       = n3_v && z1;
    assign o_inc_sat_v = n3_v && !n3_ro && n3_satv;
    assign o_inc_sat_r = n3_v && n3_ro && n3_satv;
    assign o_inc_sat_a = n3_v && n3_sata;
    assign o_inc_sat_i = n3_v && n3_sati;
    wire unused_neu = &{1'b0, la[PAW:YAW], li[PIW:YIW]};
endmodule
`default_nettype wire
