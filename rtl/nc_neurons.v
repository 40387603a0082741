/*
 * nc_neurons.v : PROFILE, NCFG, STATE and NL neuron lanes (§5.2, §7a, §10.1)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: The neuron phase updates NL neurons per cycle, the group g = {n div NL}: lane k
 *           takes neuron n = g*NL + k (when n < NU). Memories, every one 1R1W with a
 *           synchronous read (nc_ram):
 *             NCFG  : NL banks, bank k holds neurons n = k (mod NL) at row n div NL; read a
 *                     cycle ahead of N0 (i_pv, i_pg: the controller's prefetch), so that the
 *                     profile index is there in N0
 *             PROFILE: one copy per lane (P rows each), written together, read in N0 at the
 *                     lane's profile index
 *             STATE : NL banks as NCFG, read in N0, written in N3 (other rows: N3 holds the
 *                     group of three cycles before)
 *           ACC is nc_synapse's: lane k reads bank n mod S (NL <= S and NL | S: the lanes'
 *           banks differ), row slot*(N/S) + n div S, in N0 and clears it in N1.
 *           The programming port sees logical rows (STATE and NCFG: n; PROFILE: p); reads
 *           take PROFILE copy 0. CLEAR zeroes row i of every STATE bank.
 *           Outside synthesis o_dbg_state reads STATE[i_dbg_n] combinationally from the bank
 *           models (the Verilator harness's backdoor); in synthesis it is 0.
 */
`default_nettype none
module nc_neurons #(
    parameter integer N   = 256,
    parameter integer S   = 4,
    parameter integer D   = 16,
    parameter integer P   = 16,
    parameter integer V   = 24,
    parameter integer U   = 28,
    parameter integer G   = 8,
    parameter integer Q   = 8,
    parameter integer K   = 16,
    parameter integer NL  = 4,
    parameter integer FNW = 256
) (
    input  wire             i_clk,
    input  wire             i_rst,
    input  wire [DBW-1:0]   i_slot,         // tick mod D (0 when D = 1)
    input  wire [NB:0]      i_nu,           // NU
    // NCFG prefetch of group i_pg (the cycle before its N0)
    input  wire             i_pv,
    input  wire [NB-1:0]    i_pg,
    // N0 of group i_g
    input  wire             i_nv,
    input  wire [NB-1:0]    i_g,
    // ACC (nc_synapse), per lane
    output wire [NL-1:0]     o_nrd,
    output wire [NL*SBW-1:0] o_nbank,       // n mod S (0 when S = 1)
    output wire [NL*RWW-1:0] o_nrow,        // slot * (N/S) + n div S
    input  wire [NL*U-1:0]   i_acc,
    // N3 results: spikes of group o_spk_g, lane k = bit k; counter increments
    output wire [NL-1:0]    o_spk,
    output wire [NB-1:0]    o_spk_g,
    output reg  [3:0]       o_inc_spk,
    output reg  [3:0]       o_inc_upd,
    output reg  [3:0]       o_inc_sat_v,
    output reg  [3:0]       o_inc_sat_r,
    output reg  [3:0]       o_inc_sat_a,
    output reg  [3:0]       o_inc_sat_i,    // CUBA currents saturated (§17: into sat_acc)
    // CLEAR
    input  wire             i_clr,
    input  wire [19:0]      i_clr_row,
    // programming port: PROFILE, NCFG, STATE
    input  wire             i_pp_re, i_pp_we,
    input  wire             i_pn_re, i_pn_we,
    input  wire             i_pt_re, i_pt_we,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [24:0]      i_p_row,        // low bits address (range checked by nc_prog)
    input  wire [PROFILE_W-1:0] i_p_wd,     // NCFG and STATE use the low bits
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [PROFILE_W-1:0] o_pp_rd,
    output wire [NCFG_W-1:0]    o_pn_rd,
    output wire [STATE_W-1:0]   o_pt_rd,
    input  wire             i_rm_pr, i_rm_nc, i_rm_st,
    input  wire [8*FNW-1:0] i_rm_file,
    // backdoor (simulation): STATE row i_dbg_n, combinational
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [NB-1:0]    i_dbg_n,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [STATE_W-1:0] o_dbg_state
);
    localparam integer NB  = $clog2(N);
    localparam integer SB  = $clog2(S);
    localparam integer LB  = $clog2(NL);
    localparam integer TB  = NB - SB;
    localparam integer DB  = $clog2(D);
    localparam integer RW  = DB + TB;                       // ACC bank row bits
    localparam integer SBW = SB > 0 ? SB : 1;               // guarded widths (nc_synapse)
    localparam integer DBW = DB > 0 ? DB : 1;
    localparam integer RWW = RW > 0 ? RW : 1;
    localparam integer PB  = P > 1 ? $clog2(P) : 1;
    localparam integer BR  = N / NL;                        // rows of a STATE or NCFG bank
    localparam integer BA  = BR > 1 ? $clog2(BR) : 1;       // their address width
`include "nc_row_PROFILE.vh"
`include "nc_row_NCFG.vh"
`include "nc_row_STATE.vh"
    /* verilator lint_off WIDTH */
    localparam [NB-1:0] LMASK = NL - 1;
    /* verilator lint_on WIDTH */

    // programming-port bank and row of a logical STATE/NCFG row n
    wire [NB-1:0] p_n    = i_p_row[NB-1:0];
    wire [NB-1:0] p_bank = p_n & LMASK;
    wire [NB-1:0] p_brow = p_n >> LB;
    /* verilator lint_off WIDTH */
    wire          clr_ok = i_clr_row < BR;
    wire [NB-1:0] dbg_k  = i_dbg_n & LMASK;
    /* verilator lint_on WIDTH */
    reg  [NB-1:0] p_rb;                                     // the bank a port read addressed
    always @(posedge i_clk)
        if (i_pn_re || i_pt_re) p_rb <= p_bank;

    wire [NL*NCFG_W-1:0]    ncfg_q;
    wire [NL*STATE_W-1:0]   st_q;
    wire [NL*PROFILE_W-1:0] prof_q;
    wire [NL-1:0]           l_we, l_spk, l_sv, l_sr, l_sa, l_si;
    wire [NL*NB-1:0]        l_wn;
    wire [NL*STATE_W-1:0]   l_row;
    wire [NL*STATE_W-1:0]   dbg;

    genvar k;
    generate for (k = 0; k < NL; k = k + 1) begin : gen_lane
        /* verilator lint_off WIDTH */
        localparam [NB-1:0] KN = k;
        /* verilator lint_on WIDTH */
        wire [NB-1:0]  n    = (i_g << LB) | KN;             // this lane's neuron in N0
        wire           nv   = i_nv && {1'b0, n} < i_nu;
        wire [BA-1:0]  brow = i_g[BA-1:0];
        wire           p_hit = p_bank == KN;                // the port's row is in bank k

        // NCFG bank k: read a cycle ahead (prefetch); the port elsewhere
        nc_ram #(.ROWS(BR), .WIDTH(NCFG_W), .FNW(FNW), .RM_STRIDE(NL), .RM_OFFSET(k)) u_ncfg (
            .i_clk(i_clk), .i_we(i_pn_we && p_hit), .i_wa(p_brow[BA-1:0]),
            .i_wd(i_p_wd[NCFG_W-1:0]),
            .i_re(i_pv || (i_pn_re && p_hit)), .i_ra(i_pv ? i_pg[BA-1:0] : p_brow[BA-1:0]),
            .o_rd(ncfg_q[k*NCFG_W +: NCFG_W]), .i_rm(i_rm_nc), .i_rm_file(i_rm_file));
        wire [PB-1:0] pidx = ncfg_q[k*NCFG_W + NCFG_PROFILE_LSB +: NCFG_PROFILE_W];

        // PROFILE copy k: read in N0 at the lane's profile index; port writes go to every copy
        nc_ram #(.ROWS(P), .WIDTH(PROFILE_W), .FNW(FNW)) u_prof (
            .i_clk(i_clk), .i_we(i_pp_we), .i_wa(i_p_row[PB-1:0]), .i_wd(i_p_wd),
            .i_re(nv || (i_pp_re && k == 0)), .i_ra(nv ? pidx : i_p_row[PB-1:0]),
            .o_rd(prof_q[k*PROFILE_W +: PROFILE_W]), .i_rm(i_rm_pr), .i_rm_file(i_rm_file));

        // STATE bank k: read in N0, written in N3 (or by CLEAR, or by the port)
        wire                w3     = l_we[k];
        wire [NB-1:0]       w3n    = l_wn[k*NB +: NB];
        /* verilator lint_off UNUSEDSIGNAL */
        wire [NB-1:0]       w3row  = w3n >> LB;
        /* verilator lint_on UNUSEDSIGNAL */
        wire                st_we  = w3 || (i_clr && clr_ok) || (i_pt_we && p_hit);
        wire [BA-1:0]       st_wa  = w3 ? w3row[BA-1:0] : i_clr ? i_clr_row[BA-1:0] :
                                     p_brow[BA-1:0];
        wire [STATE_W-1:0]  st_wd  = w3 ? l_row[k*STATE_W +: STATE_W] :
                                     i_clr ? {STATE_W{1'b0}} : i_p_wd[STATE_W-1:0];
        nc_ram #(.ROWS(BR), .WIDTH(STATE_W), .FNW(FNW), .RM_STRIDE(NL), .RM_OFFSET(k)) u_state (
            .i_clk(i_clk), .i_we(st_we), .i_wa(st_wa), .i_wd(st_wd),
            .i_re(nv || (i_pt_re && p_hit)), .i_ra(nv ? brow : p_brow[BA-1:0]),
            .o_rd(st_q[k*STATE_W +: STATE_W]), .i_rm(i_rm_st), .i_rm_file(i_rm_file));
`ifndef SYNTHESIS
        /* verilator lint_off UNUSEDSIGNAL */
        wire [NB-1:0] dbg_row = i_dbg_n >> LB;
        /* verilator lint_on UNUSEDSIGNAL */
        assign dbg[k*STATE_W +: STATE_W] = u_state.mem[dbg_row[BA-1:0]];
`else
        assign dbg[k*STATE_W +: STATE_W] = {STATE_W{1'b0}};
`endif

        // ACC: bank n mod S, row {slot, n} >> SB
        /* verilator lint_off UNUSEDSIGNAL */
        wire [DBW+NB-1:0] sn = {i_slot, n};
        /* verilator lint_on UNUSEDSIGNAL */
        assign o_nrd[k]                = nv;
        assign o_nbank[k*SBW +: SBW]   = n[SBW-1:0] & {SBW{SB > 0}};
        assign o_nrow[k*RWW +: RWW]    = sn[SB +: RWW];

        nc_neuron #(.N(N), .V(V), .U(U), .G(G), .Q(Q), .K(K)) u_lane (
            .i_clk(i_clk), .i_rst(i_rst), .i_nv(nv), .i_n(n),
            .i_st(st_q[k*STATE_W +: STATE_W]), .i_prof(prof_q[k*PROFILE_W +: PROFILE_W]),
            .i_acc(i_acc[k*U +: U]),
            .o_we(l_we[k]), .o_n(l_wn[k*NB +: NB]), .o_row(l_row[k*STATE_W +: STATE_W]),
            .o_spk(l_spk[k]), .o_inc_sat_v(l_sv[k]), .o_inc_sat_r(l_sr[k]), .o_inc_sat_a(l_sa[k]),
            .o_inc_sat_i(l_si[k]));
    end endgenerate

    // the group in N3: lane 0's neuron there (every lane carries its group, valid or not)
    wire [NB-1:0] g3 = l_wn[NB-1:0] >> LB;
    assign o_spk   = l_spk;
    assign o_spk_g = g3;

    integer j;
    always @(*) begin
        o_inc_spk   = 4'd0;
        o_inc_upd   = 4'd0;
        o_inc_sat_v = 4'd0;
        o_inc_sat_r = 4'd0;
        o_inc_sat_a = 4'd0;
        o_inc_sat_i = 4'd0;
        for (j = 0; j < NL; j = j + 1) begin
            o_inc_spk   = o_inc_spk + {3'd0, l_spk[j]};
            o_inc_upd   = o_inc_upd + {3'd0, l_we[j]};
            o_inc_sat_v = o_inc_sat_v + {3'd0, l_sv[j]};
            o_inc_sat_r = o_inc_sat_r + {3'd0, l_sr[j]};
            o_inc_sat_a = o_inc_sat_a + {3'd0, l_sa[j]};
            o_inc_sat_i = o_inc_sat_i + {3'd0, l_si[j]};
        end
    end

    assign o_pp_rd     = prof_q[PROFILE_W-1:0];
    assign o_pn_rd     = ncfg_q[p_rb * NCFG_W +: NCFG_W];          // p_rb < NL
    assign o_pt_rd     = st_q[p_rb * STATE_W +: STATE_W];
    assign o_dbg_state = dbg[dbg_k * STATE_W +: STATE_W];
    wire unused_nrs = &{1'b0, i_pg, p_brow};
endmodule
`default_nettype wire
