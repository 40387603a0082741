/*
 * neurocore.v : one LSNN neurocore, docs/neurocore.md (contract version 1)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: Top level. Every size and width of §2 is a parameter. Blocks:
 *             nc_fifo     AER-in FIFO (FIFO_IN words) and host-out FIFO (FIFO_OUT words)
 *             nc_latch    axon latches cur/pend and the latch writer (latch_set)
 *             nc_scan     latch scan + AXT lookup + SYN issue
 *             nc_synapse  SYN memory, S0/S1/S2 pipeline, S ACC banks (forwarding)
 *             nc_neuron   PROFILE, NCFG, STATE, N0..N3 update unit
 *             nc_route    spike buffer, RIX, RTE, delivery (local / NoC / host)
 *             nc_ctrl     tick controller (START, phases, DONE, CLEAR)
 *             nc_prog     programming port and registers
 *             nc_counters activity counters
 *           The AER-in head is popped one word per cycle: EVENT and reserved words whenever
 *           the latch write port is free (not while routing delivers a local spike, not in
 *           START or CLEAR, not during a port access); TICK and CLEAR only while idle.
 *           Debug/backdoor ports (o_dbg_state, o_counters) are combinational reads for the
 *           Verilator harness; they cost no cycle.
 */
`default_nettype none
module neurocore #(
    parameter integer N        = 256,       // neurons, power of 2, 8..4096
    parameter integer X        = 1024,      // axons, multiple of 32
    parameter integer M        = 65536,     // synapse words, power of 2
    parameter integer S        = 4,         // synapses per word = ACC banks: 1, 2, 4, 8
    parameter integer D        = 16,        // delay slots, power of 2, 1..64
    parameter integer P        = 16,        // profiles, power of 2
    parameter integer R        = 1024,      // route entries, power of 2
    parameter integer W        = 8,         // weight mantissa bits
    parameter integer V        = 24,        // membrane bits
    parameter integer U        = 28,        // accumulator bits
    parameter integer G        = 8,         // adaptation fraction bits, 0..8
    parameter integer Q        = 8,         // refractory bits
    parameter integer K        = 16,        // leak mantissa bits
    parameter integer FIFO_IN  = 16,        // AER-in depth
    parameter integer FIFO_OUT = 16,        // host-out depth
    parameter integer FNW      = 256        // characters of i_rm_file
) (
    input  wire               i_clk,
    input  wire               i_rst,
    // AER-in
    input  wire               i_ain_valid,
    input  wire [31:0]        i_ain_data,
    output wire               o_ain_ready,
    // host-out
    output wire               o_hout_valid,
    output wire [31:0]        o_hout_data,
    input  wire               i_hout_ready,
    // NoC-out
    output wire               o_noc_valid,
    output wire [31:0]        o_noc_data,
    input  wire               i_noc_ready,
    // programming port
    input  wire               i_prog_we,
    input  wire               i_prog_re,
    input  wire [31:0]        i_prog_addr,
    input  wire [31:0]        i_prog_wdata,
    output wire               o_prog_ready,
    output wire [31:0]        o_prog_rdata,
    // $readmemh of region i_rm_region from i_rm_file (simulation)
    input  wire               i_rm_en,
    input  wire [3:0]         i_rm_region,
    input  wire [8*FNW-1:0]   i_rm_file,
    // backdoor
    input  wire [NB-1:0]      i_dbg_n,
    output wire [STW-1:0]     o_dbg_state,
    output wire [32*64-1:0]   o_counters,
    output wire               o_busy
);
    localparam integer NB   = $clog2(N);
    localparam integer SB   = $clog2(S);
    localparam integer TB   = NB - SB;
    localparam integer DB   = $clog2(D);
    localparam integer RW   = DB + TB;      // ACC bank row bits
    localparam integer SBW  = SB > 0 ? SB : 1;   // guarded widths: a zero-width field (S = 1,
    localparam integer DBW  = DB > 0 ? DB : 1;   // D = 1, S = N) is one bit, always 0
    localparam integer RWW  = RW > 0 ? RW : 1;
    localparam integer XB   = $clog2(X);
    localparam integer MB   = $clog2(M);
    localparam integer RB   = $clog2(R);
    localparam integer PB   = P > 1 ? $clog2(P) : 1;
    localparam integer AW   = V + G;
    localparam integer STW  = V + AW + Q + 1;
    localparam integer PRW  = 2 + 1 + Q + 5 + K + 5 + K + (V - 1) + AW;
    localparam integer AXW  = 4 + 2 * MB;
    localparam integer SYNW = S * (1 + DB + TB + W);
    localparam integer RIW  = 4 + RB;

    // ---- AER-in ----
    wire        ain_empty, ain_full;
    wire [31:0] head;
    wire        ain_pop;
    nc_fifo #(.DW(32), .DEPTH(FIFO_IN)) u_ain (
        .i_clk(i_clk), .i_rst(i_rst), .i_push(i_ain_valid), .i_data(i_ain_data),
        .o_full(ain_full), .i_pop(ain_pop), .o_data(head), .o_empty(ain_empty));
    assign o_ain_ready = !ain_full;

    // ---- control wires ----
    wire          ctrl_idle, ctrl_ev_block, ctrl_start, scan_start, scan_last;
    wire          nv, route_start, route_last, clr;
    wire [NB-1:0] nidx;
    wire [19:0]   clr_i;
    wire [31:0]   tick;
    wire          prog_busy;
    wire [7:0]    core_id;
    wire [NB:0]   nu;
    wire [16:0]   xu;
    wire          prog_req = i_prog_we || i_prog_re;
    wire [DBW-1:0] slot = tick[DBW-1:0] & {DBW{DB > 0}};   // tick mod D

    wire [1:0] typ      = head[31:30];
    wire       can_take = !ain_empty && ctrl_idle && !prog_busy && !prog_req;
    wire       take_tick  = can_take && typ == 2'b01;
    wire       take_clear = can_take && typ == 2'b10;
    wire       lset;                          // routing delivers a local spike (priority)
    wire [15:0] lset_x;
    wire       ev_ok  = !ain_empty && (typ == 2'b00 || typ == 2'b11) && !lset &&
                        !ctrl_ev_block && !prog_busy;
    wire       ev_bad = typ == 2'b11 || |(head[29:0] >> XB);
    assign ain_pop = take_tick || take_clear || ev_ok;

    // ---- latches ----
    wire [11:0] scan_w;
    wire [31:0] scan_bits;
    wire        scan_clr, set_bad, set_dup, set_new;
    wire        set    = lset || (ev_ok && !ev_bad);
    wire [15:0] set_x  = lset ? lset_x : head[15:0];
    wire [15:0] mre, mwe;
    wire [24:0] prow;
    wire [255:0] pwrow;
    wire [31:0] lat_rd;
    nc_latch #(.X(X)) u_latch (
        .i_clk(i_clk), .i_rst(i_rst), .i_swap(ctrl_start),
        .i_scan_w(scan_w), .o_scan_bits(scan_bits), .i_scan_clr(scan_clr),
        .i_set(set), .i_set_x(set_x), .i_xu(xu),
        .o_set_bad(set_bad), .o_set_dup(set_dup), .o_set_new(set_new),
        .i_clr(clr), .i_clr_w(clr_i),
        .i_p_re(mre[9]), .i_p_we(mwe[9]), .i_p_row(prow), .i_p_wd(pwrow[31:0]), .o_p_rd(lat_rd));

    // ---- scan ----
    wire          iss, inc_lw, inc_ev;
    wire [MB-1:0] iss_addr;
    wire [3:0]    iss_wexp;
    wire [AXW-1:0] axt_rd;
    wire rm_axt = i_rm_en && i_rm_region == 4'h5;
    nc_scan #(.X(X), .M(M), .FNW(FNW)) u_scan (
        .i_clk(i_clk), .i_rst(i_rst), .i_start(scan_start), .i_xu(xu), .o_last(scan_last),
        .o_w(scan_w), .i_bits(scan_bits), .o_clr(scan_clr),
        .o_iss(iss), .o_iss_addr(iss_addr), .o_iss_wexp(iss_wexp),
        .o_inc_lw(inc_lw), .o_inc_ev(inc_ev),
        .i_p_re(mre[5]), .i_p_we(mwe[5]), .i_p_row(prow), .i_p_wd(pwrow[AXW-1:0]),
        .o_p_rd(axt_rd), .i_rm(rm_axt), .i_rm_file(i_rm_file));

    // ---- synapse pipeline + ACC ----
    wire [3:0]     inc_ops, inc_satacc;
    wire           nrd;
    wire [SBW-1:0] nbank;
    wire [RWW-1:0] nrow;
    wire [U-1:0]   acc;
    wire [SYNW-1:0] syn_rd;
    wire [U-1:0]   acc_rd;
    wire rm_syn = i_rm_en && i_rm_region == 4'h6;
    nc_synapse #(.N(N), .M(M), .S(S), .D(D), .W(W), .U(U), .FNW(FNW)) u_syn (
        .i_clk(i_clk), .i_rst(i_rst), .i_slot(slot),
        .i_iss(iss), .i_iss_addr(iss_addr), .i_iss_wexp(iss_wexp),
        .o_inc_ops(inc_ops), .o_inc_sat(inc_satacc),
        .i_nrd(nrd), .i_nbank(nbank), .i_nrow(nrow), .o_acc(acc),
        .i_clr(clr), .i_clr_row(clr_i),
        .i_ps_re(mre[6]), .i_ps_we(mwe[6]), .i_pa_re(mre[4]), .i_pa_we(mwe[4]),
        .i_p_row(prow), .i_p_wd(pwrow[SYNW-1:0]), .i_pa_wd(pwrow[U-1:0]),
        .o_ps_rd(syn_rd), .o_pa_rd(acc_rd), .i_rm(rm_syn), .i_rm_file(i_rm_file));

    // ---- neuron unit ----
    wire          spk, inc_upd, inc_satv, inc_satr, inc_sata;
    wire [NB-1:0] spk_n;
    wire [PRW-1:0] prof_rd;
    wire [PB-1:0]  ncfg_rd;
    wire [STW-1:0] st_rd;
    nc_neuron #(.N(N), .S(S), .D(D), .P(P), .V(V), .U(U), .G(G), .Q(Q), .K(K), .FNW(FNW)) u_neu (
        .i_clk(i_clk), .i_rst(i_rst), .i_slot(slot), .i_nv(nv), .i_n(nidx),
        .o_nrd(nrd), .o_nbank(nbank), .o_nrow(nrow), .i_acc(acc),
        .o_spk(spk), .o_spk_n(spk_n), .o_inc_upd(inc_upd),
        .o_inc_sat_v(inc_satv), .o_inc_sat_r(inc_satr), .o_inc_sat_a(inc_sata),
        .i_clr(clr), .i_clr_row(clr_i),
        .i_pp_re(mre[1]), .i_pp_we(mwe[1]), .i_pn_re(mre[2]), .i_pn_we(mwe[2]),
        .i_pt_re(mre[3]), .i_pt_we(mwe[3]), .i_p_row(prow), .i_p_wd(pwrow[PRW-1:0]),
        .o_pp_rd(prof_rd), .o_pn_rd(ncfg_rd), .o_pt_rd(st_rd),
        .i_rm_pr(i_rm_en && i_rm_region == 4'h1), .i_rm_nc(i_rm_en && i_rm_region == 4'h2),
        .i_rm_st(i_rm_en && i_rm_region == 4'h3), .i_rm_file(i_rm_file),
        .i_dbg_n(i_dbg_n), .o_dbg_state(o_dbg_state));

    // ---- routing ----
    wire        hfull, hempty;
    wire        r_hpush, c_hpush;
    wire [31:0] r_hdata, c_hdata;
    wire        inc_lookup, inc_read, inc_local, inc_core, inc_host, r_stall, c_stall;
    wire [RIW-1:0] rix_rd;
    wire [26:0]    rte_rd;
    nc_route #(.N(N), .R(R), .FNW(FNW)) u_route (
        .i_clk(i_clk), .i_rst(i_rst), .i_reset_buf(ctrl_start), .i_spk(spk), .i_spk_n(spk_n),
        .i_start(route_start), .o_last(route_last), .i_core_id(core_id),
        .o_lset(lset), .o_lset_x(lset_x),
        .o_noc_v(o_noc_valid), .o_noc_d(o_noc_data), .i_noc_rdy(i_noc_ready),
        .o_host_push(r_hpush), .o_host_d(r_hdata), .i_host_full(hfull),
        .o_inc_lookup(inc_lookup), .o_inc_read(inc_read), .o_inc_local(inc_local),
        .o_inc_core(inc_core), .o_inc_host(inc_host), .o_inc_stall(r_stall),
        .i_pi_re(mre[7]), .i_pi_we(mwe[7]), .i_pe_re(mre[8]), .i_pe_we(mwe[8]),
        .i_p_row(prow), .i_p_wd(pwrow[31:0]), .o_pi_rd(rix_rd), .o_pe_rd(rte_rd),
        .i_rm_ri(i_rm_en && i_rm_region == 4'h7), .i_rm_re(i_rm_en && i_rm_region == 4'h8),
        .i_rm_file(i_rm_file));

    // ---- host-out ----
    nc_fifo #(.DW(32), .DEPTH(FIFO_OUT)) u_hout (
        .i_clk(i_clk), .i_rst(i_rst), .i_push(r_hpush || c_hpush),
        .i_data(c_hpush ? c_hdata : r_hdata), .o_full(hfull),
        .i_pop(i_hout_ready), .o_data(o_hout_data), .o_empty(hempty));
    assign o_hout_valid = !hempty;

    // ---- tick controller ----
    wire inc_cycle, inc_tick, inc_clear;
    nc_ctrl #(.N(N), .X(X), .S(S), .D(D)) u_ctrl (
        .i_clk(i_clk), .i_rst(i_rst), .i_take_tick(take_tick), .i_take_clear(take_clear),
        .o_idle(ctrl_idle), .i_xu(xu), .i_nu(nu),
        .o_start(ctrl_start), .o_scan_start(scan_start), .i_scan_last(scan_last),
        .o_nv(nv), .o_n(nidx), .o_route_start(route_start), .i_route_last(route_last),
        .o_clr(clr), .o_clr_i(clr_i), .o_ev_block(ctrl_ev_block),
        .o_host_push(c_hpush), .o_host_d(c_hdata), .i_host_full(hfull), .o_tick(tick),
        .o_inc_cycle(inc_cycle), .o_inc_tick(inc_tick), .o_inc_clear(inc_clear),
        .o_inc_stall(c_stall));
    assign o_busy = !ctrl_idle;

    // ---- programming port ----
    wire cnt_clr, inc_prd, inc_pwr;
    wire inc_evin = set_new && !lset;
    wire inc_dup  = set_dup;
    wire inc_bad  = set_bad || (ev_ok && ev_bad);
    wire [9*256-1:0] mrd = {
        {(256-32){1'b0}}, lat_rd,                 // 9 LATCH
        {(256-27){1'b0}}, rte_rd,                 // 8 RTE
        {(256-RIW){1'b0}}, rix_rd,                // 7 RIX
        {(256-SYNW){1'b0}}, syn_rd,               // 6 SYN
        {(256-AXW){1'b0}}, axt_rd,                // 5 AXT
        {(256-U){1'b0}}, acc_rd,                  // 4 ACC
        {(256-STW){1'b0}}, st_rd,                 // 3 STATE
        {(256-PB){1'b0}}, ncfg_rd,                // 2 NCFG
        {(256-PRW){1'b0}}, prof_rd};              // 1 PROFILE
    nc_prog #(.N(N), .X(X), .M(M), .S(S), .D(D), .P(P), .R(R), .W(W), .V(V), .U(U), .G(G),
              .Q(Q), .K(K), .FIFO_IN(FIFO_IN), .FIFO_OUT(FIFO_OUT)) u_prog (
        .i_clk(i_clk), .i_rst(i_rst), .i_we(i_prog_we), .i_re(i_prog_re), .i_addr(i_prog_addr),
        .i_wdata(i_prog_wdata), .o_ready(o_prog_ready), .o_rdata(o_prog_rdata),
        .i_core_idle(ctrl_idle), .o_busy(prog_busy), .o_mre(mre), .o_mwe(mwe), .o_row(prow),
        .o_wrow(pwrow), .i_mrd(mrd), .i_cnt(o_counters),
        .o_core_id(core_id), .o_nu(nu), .o_xu(xu), .i_tick(tick),
        .i_err_set(inc_dup || inc_bad), .i_sat_set(|inc_satacc || inc_satv || inc_satr || inc_sata),
        .o_cnt_clr(cnt_clr), .o_inc_prd(inc_prd), .o_inc_pwr(inc_pwr));

    // ---- activity counters (§11 order) ----
    function [3:0] b(input x);
        b = {3'd0, x};
    endfunction
    wire [27*4-1:0] inc = {
        b(inc_pwr), b(inc_prd), b(inc_bad), b(inc_dup),                           // 26..23
        b(inc_sata), b(inc_satr), b(inc_satv), inc_satacc,                         // 22..19
        b(inc_host), b(inc_core), b(inc_local), b(inc_read), b(inc_lookup),        // 18..14
        b(spk), b(inc_upd), b(inc_upd), b(inc_upd), b(inc_upd),                    // 13..9
        inc_ops, b(iss), b(inc_ev), b(inc_lw), b(inc_evin),                        // 8..4
        b(inc_clear), b(r_stall || c_stall), b(inc_cycle), b(inc_tick)};           // 3..0
    nc_counters u_cnt (.i_clk(i_clk), .i_rst(i_rst), .i_clr(cnt_clr), .i_inc(inc),
                       .o_cnt(o_counters));
    wire unused_top = &{1'b0, mwe[15:10], mwe[0], mre[15:10], mre[0], pwrow[255:PRW]};
endmodule
`default_nettype wire
