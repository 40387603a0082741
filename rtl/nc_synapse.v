/*
 * nc_synapse.v : SYN memory, the 3-stage synaptic pipeline and the S accumulator banks
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: docs/neurocore.md §5.2 (synaptic phase), §7 (SYN, ACC), §10.1:
 *             S0: SYN read issued (o_iss of nc_scan)
 *             S1: lanes decoded; row = ((tick + d) mod D) * (N/S) + tgt; bank j read issued
 *             S2: y = ACC + m * 2^wexp (exact), sat_s(y, U), ACC write; syn_ops, sat_acc
 *           Lane j always goes to bank j, so the S lanes never conflict. Two consecutive
 *           words may hit the same (bank, row): the bank's S1 read then misses the S2 write
 *           of the previous cycle (same clock edge), so S2 forwards its previous cycle's
 *           write when the rows match (distance 1; distance 2 reads after the write).
 *           The neuron phase's NL lanes read NL different banks (N0) and clear the rows they
 *           read in the next cycle (N1); N0 starts one cycle after the last issue, so its first
 *           reads meet the last S2 write and take the forwarded value when the rows match:
 *           every bank has one read and one write port (§7a), and no read ever meets a write
 *           of the same row except as forwarded. CLEAR zeroes
 *           row i_clr_row of every bank; the programming port sees the logical ACC row
 *           s*N + n = bank n mod S, row s*(N/S) + n div S.
 *           Zero-width fields (S = 1: SB = 0, D = 1: DB = 0, S = N: TB = 0) are carried as
 *           1-bit wires tied to 0 (SBW, DBW, TBW, RWW = max(1, width)); bank_row() drops them.
 */
`default_nettype none
module nc_synapse #(
    parameter integer N   = 256,
    parameter integer M   = 65536,
    parameter integer S   = 4,
    parameter integer D   = 16,
    parameter integer W   = 8,
    parameter integer U   = 28,
    parameter integer NL  = 4,            // neuron lanes (§10.1), NL <= S
    parameter integer FNW = 256
) (
    input  wire            i_clk,
    input  wire            i_rst,
    input  wire [DBW-1:0]  i_slot,          // tick mod D (0 when D = 1)
    // S0 issue
    input  wire            i_iss,
    input  wire [MB-1:0]   i_iss_addr,
    input  wire [3:0]      i_iss_wexp,
    // counter increments (S2)
    output wire [3:0]      o_inc_ops,
    output wire [3:0]      o_inc_sat,
    // neuron phase, lane k: read (N0), value in the next cycle, row cleared in N1
    input  wire [NL-1:0]     i_nrd,
    input  wire [NL*SBW-1:0] i_nbank,       // 0 when S = 1; the NL lanes' banks differ
    input  wire [NL*RWW-1:0] i_nrow,
    output wire [NL*U-1:0]   o_acc,
    // CLEAR
    input  wire            i_clr,
    input  wire [19:0]     i_clr_row,
    // programming port: SYN (rows < M) and ACC (logical rows < D*N)
    input  wire            i_ps_re,
    input  wire            i_ps_we,
    input  wire            i_pa_re,
    input  wire            i_pa_we,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [24:0]     i_p_row,         // only the low bits address (range checked by nc_prog)
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [SYNW-1:0] i_p_wd,          // SYN row
    input  wire [U-1:0]    i_pa_wd,         // ACC value
    output wire [SYNW-1:0] o_ps_rd,
    output wire [U-1:0]    o_pa_rd,
    input  wire            i_rm,
    input  wire [8*FNW-1:0] i_rm_file
);
    localparam integer NB   = $clog2(N);
    localparam integer SB   = $clog2(S);
    localparam integer TB   = NB - SB;
    localparam integer DB   = $clog2(D);
    localparam integer MB   = $clog2(M);
    localparam integer RW   = DB + TB;         // bank row bits (D*N/S rows)
    localparam integer SBW  = SB > 0 ? SB : 1; // guarded widths: a zero-width field is
    localparam integer DBW  = DB > 0 ? DB : 1; // one bit, always 0
    localparam integer TBW  = TB > 0 ? TB : 1;
    localparam integer RWW  = RW > 0 ? RW : 1; // = nc_ram's address width for D*N/S rows
    // a SYN lane of §7 (generated from neurocore.def): SYN_W bits, lane j at bit j*SYN_W
`include "nc_row_SYN.vh"
    localparam integer SYNW = S * SYN_W;
    localparam integer WW   = W + 15;          // m * 2^wexp
    localparam integer YW   = (U > WW ? U : WW) + 2;
    /* verilator lint_off WIDTH */
    localparam [31:0]  ROWS32 = D * N / S;
    /* verilator lint_on WIDTH */

    // {slot, tgt} as a bank row (slot * (N/S) + tgt); fields of width 0 are absent (their
    // 1-bit stand-ins are 0), and a row of width 0 (one row per bank) is 1 bit, 0.
    /* verilator lint_off UNUSEDSIGNAL */
    function [RWW-1:0] bank_row(input [DBW-1:0] s, input [TBW-1:0] t);
        reg [DBW+TBW-1:0] st;
        begin
            st       = {s, t} >> (TBW - TB);   // TB = 0: drop t's stand-in bit
            bank_row = st[RWW-1:0];            // DB = 0: drop s's stand-in bit
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    // ---- SYN memory (S0 read) ----
    wire [SYNW-1:0] word;
    wire [MB-1:0]   syn_rb = i_iss ? i_iss_addr : i_p_row[MB-1:0];
    nc_ram #(.ROWS(M), .WIDTH(SYNW), .FNW(FNW)) u_syn (
        .i_clk(i_clk), .i_we(i_ps_we), .i_wa(i_p_row[MB-1:0]), .i_wd(i_p_wd),
        .i_re(i_iss | i_ps_re), .i_ra(syn_rb), .o_rd(word), .i_rm(i_rm), .i_rm_file(i_rm_file));
    assign o_ps_rd = word;

    // ---- S1 ----
    reg        s1_v;
    reg [3:0]  s1_wexp;
    always @(posedge i_clk) begin
        s1_v    <= !i_rst && i_iss;
        s1_wexp <= i_iss_wexp;
    end

    // programming-port ACC address: logical row s*N + n
    // (n mod S, (s*N + n) div S); with RW = 0 the row bit is bit NB+DB of a valid row: 0
    wire [SBW-1:0] pa_bank = i_p_row[SBW-1:0] & {SBW{SB > 0}};
    wire [RWW-1:0] pa_row  = i_p_row[SB +: RWW];
    wire           clr_ok  = {12'd0, i_clr_row} < ROWS32;

    // the banks and rows whose registered read data o_acc (per lane) and o_pa_rd show
    reg [NL*SBW-1:0] rd_bank;
    reg [NL*RWW-1:0] rd_row;
    reg [SBW-1:0]    pa_rb;
    always @(posedge i_clk) begin
        rd_bank <= i_nbank;
        rd_row  <= i_nrow;
        if (i_pa_re) pa_rb <= pa_bank;
    end
    // per bank, the forwarding register (the previous cycle's S2 write), for the neuron reads
    wire [S-1:0]     fw_v;
    wire [S*RWW-1:0] fw_row;
    wire [S*U-1:0]   fw_d;

    wire [S*U-1:0] acc_q;
    wire [S-1:0]   s2_wr;
    wire [S*2-1:0] s2_cnt;                   // per lane: {sat, op}

    genvar j;
    generate for (j = 0; j < S; j = j + 1) begin : gen_lane
        // S1: decode lane j
        wire [SYN_W-1:0] lane = word[j*SYN_W +: SYN_W];
        wire           l_v   = s1_v && lane[SYN_VALID_LSB];
        wire [DBW-1:0] l_d;
        wire [TBW-1:0] l_tgt;
        if (DB > 0) begin : gen_d
            assign l_d = lane[SYN_D_LSB +: DBW];
        end else begin : gen_nod
            assign l_d = 1'b0;
        end
        if (TB > 0) begin : gen_tgt
            assign l_tgt = lane[SYN_TGT_LSB +: TBW];
        end else begin : gen_notgt
            assign l_tgt = 1'b0;
        end
        wire [W-1:0]   l_m   = lane[SYN_M_LSB +: SYN_M_W];
        wire [DBW-1:0] l_slot = i_slot + l_d;  // (tick + d) mod D
        wire [RWW-1:0] l_row = bank_row(l_slot, l_tgt);
        wire signed [WW-1:0] l_w = $signed({{15{l_m[W-1]}}, l_m}) <<< s1_wexp;

        // S2 registers
        reg                  s2_v;
        reg [RWW-1:0]        s2_row;
        reg signed [WW-1:0]  s2_w;
        // forwarding register: the write of the previous cycle
        reg                  f_v;
        reg [RWW-1:0]        f_row;
        reg [U-1:0]          f_d;

        wire [U-1:0] q = acc_q[j*U +: U];
        wire [U-1:0] cur = (f_v && f_row == s2_row) ? f_d : q;
        wire signed [YW-1:0] y = $signed({{(YW-U){cur[U-1]}}, cur}) +
                                 $signed({{(YW-WW){s2_w[WW-1]}}, s2_w});
        wire fits = &y[YW-1:U-1] || ~|y[YW-1:U-1];
        wire [U-1:0] ys = fits ? y[U-1:0] : (y[YW-1] ? {1'b1, {(U-1){1'b0}}} : {1'b0, {(U-1){1'b1}}});

        always @(posedge i_clk) begin
            s2_v   <= !i_rst && l_v;
            s2_row <= l_row;
            s2_w   <= l_w;
            f_v    <= !i_rst && s2_v;
            f_row  <= s2_row;
            f_d    <= ys;
        end
        assign s2_wr[j] = s2_v;
        assign fw_v[j]               = f_v;
        assign fw_row[j*RWW +: RWW]  = f_row;
        assign fw_d[j*U +: U]        = f_d;
        assign s2_cnt[2*j +: 2] = {s2_v && !fits, s2_v};

        // bank j: one read port, one write port. A neuron lane that reads row r of this bank
        // in N0 clears it in N1 (c_v, c_row).
        reg            n_hit;
        reg [RWW-1:0]  n_row;
        integer        l;
        always @(*) begin
            n_hit = 1'b0;
            n_row = {RWW{1'b0}};
            for (l = 0; l < NL; l = l + 1)
                if (i_nrd[l] && i_nbank[l*SBW +: SBW] == j[SBW-1:0]) begin
                    n_hit = 1'b1;
                    n_row = i_nrow[l*RWW +: RWW];
                end
        end
        reg            c_v;
        reg [RWW-1:0]  c_row;
        always @(posedge i_clk) begin
            c_v   <= !i_rst && n_hit;
            c_row <= n_row;
        end
        wire           p_hit = pa_bank == j[SBW-1:0];
        wire           re    = l_v || n_hit || (i_pa_re && p_hit);
        wire [RWW-1:0] ra    = l_v ? l_row : n_hit ? n_row : pa_row;
        wire           we    = s2_v || c_v || (i_clr && clr_ok) || (i_pa_we && p_hit);
        wire [RWW-1:0] wa    = s2_v ? s2_row : c_v ? c_row : i_clr ? i_clr_row[RWW-1:0] : pa_row;
        wire [U-1:0]   wd    = s2_v ? ys : (c_v || i_clr) ? {U{1'b0}} : i_pa_wd;
        nc_ram #(.ROWS(D * N / S), .WIDTH(U), .FNW(FNW)) u_acc (
            .i_clk(i_clk), .i_we(we), .i_wa(wa), .i_wd(wd),
            .i_re(re), .i_ra(ra), .o_rd(acc_q[j*U +: U]),
            .i_rm(1'b0), .i_rm_file({8*FNW{1'b0}}));
    end endgenerate

    // per-cycle increments: valid lanes (syn_ops) and saturated lanes (sat_acc)
    reg [3:0] n_ops, n_sat;
    integer k;
    always @(*) begin
        n_ops = 4'd0;
        n_sat = 4'd0;
        for (k = 0; k < S; k = k + 1) begin
            n_ops = n_ops + {3'd0, s2_cnt[2*k]};
            n_sat = n_sat + {3'd0, s2_cnt[2*k+1]};
        end
    end
    assign o_inc_ops = n_ops;
    assign o_inc_sat = n_sat;

    // A lane's N0 read in the cycle of the last S2 write (the neuron phase follows the last
    // issue by one drain cycle) may hit that write's row: the forwarding register has it.
    generate for (j = 0; j < NL; j = j + 1) begin : gen_nacc
        wire [SBW-1:0] rb  = rd_bank[j*SBW +: SBW];
        wire           fwd = fw_v[rb] && fw_row[rb*RWW +: RWW] == rd_row[j*RWW +: RWW];
        assign o_acc[j*U +: U] = fwd ? fw_d[rb*U +: U] : acc_q[rb*U +: U];
    end endgenerate
    assign o_pa_rd = acc_q[pa_rb*U +: U];
    wire unused_syn = &{1'b0, s2_wr};
endmodule
`default_nettype wire
