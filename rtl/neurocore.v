/*
 * neurocore.v : one LSNN neurocore, docs/neurocore.md (contract version 3)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: Top level. Every size and width of §2 is a parameter. Blocks:
 *             nc_fifo     AER-in FIFO (FIFO_IN words) and host-out FIFO (FIFO_OUT words)
 *             nc_latch    axon latches cur/pend and the latch writer (latch_set)
 *             nc_scan     latch scan + AXT lookup + SYN issue
 *             nc_synapse  SYN memory, S0/S1/S2 pipeline, S ACC banks (forwarding)
 *             nc_neurons  PROFILE, NCFG, STATE and NL lanes of nc_neuron (N1..N3)
 *             nc_route    spike buffer, RIX, RTE, delivery (local / NoC / host)
 *             nc_ctrl     tick controller (START, phases, DONE, CLEAR)
 *             nc_prog     programming port and registers
 *             nc_counters activity counters
 *           The AER-in head is popped one word per cycle: EVENT and reserved words whenever
 *           the latch write port is free (not while routing delivers a local spike, not in
 *           START or CLEAR, not during a port access); TICK and CLEAR only while idle.
 *           Every memory is an nc_ram (1R1W, synchronous read, §7a); the latch, FIFOs and
 *           counters are flops. Debug/backdoor ports (o_dbg_state, o_counters) are
 *           combinational reads for the Verilator harness (o_dbg_state only outside
 *           synthesis); they cost no cycle. o_ain_empty is for the chip (nc_chip.v):
 *           a TICK is accepted, and the tick's barrier starts, only with every AER-in empty.
 *           The parameters default to the contract's default core, and the memory rows, region
 *           numbers and counter indices are those of neurocore.def, through rtl/gen/ (written by
 *           tools/gen_contract.c; the include path needs rtl/gen).
 */
`include "nc_defaults.vh"
`default_nettype none
module neurocore #(
    parameter integer N        = `NC_DEFAULT_N,        // neurons, power of 2, 8..4096
    parameter integer X        = `NC_DEFAULT_X,        // axons, multiple of 32
    parameter integer M        = `NC_DEFAULT_M,        // synapse words, power of 2
    parameter integer S        = `NC_DEFAULT_S,        // synapses per word = ACC banks: 1, 2, 4, 8
    parameter integer D        = `NC_DEFAULT_D,        // delay slots, power of 2, 1..64
    parameter integer P        = `NC_DEFAULT_P,        // profiles, power of 2
    parameter integer R        = `NC_DEFAULT_R,        // route entries, power of 2
    parameter integer W        = `NC_DEFAULT_W,        // weight mantissa bits
    parameter integer V        = `NC_DEFAULT_V,        // membrane bits
    parameter integer U        = `NC_DEFAULT_U,        // accumulator bits
    parameter integer G        = `NC_DEFAULT_G,        // adaptation fraction bits, 0..8
    parameter integer Q        = `NC_DEFAULT_Q,        // refractory bits
    parameter integer K        = `NC_DEFAULT_K,        // leak mantissa bits
    parameter integer FIFO_IN  = `NC_DEFAULT_FIFO_IN,  // AER-in depth
    parameter integer FIFO_OUT = `NC_DEFAULT_FIFO_OUT, // host-out depth
    parameter integer NL       = `NC_DEFAULT_NL,       // neuron lanes, 1/2/4/8, NL <= S
    parameter integer FNW      = 256                   // characters of i_rm_file
) (
    input  wire               i_clk,
    input  wire               i_rst,
    // AER-in
    input  wire               i_ain_valid,
    input  wire [31:0]        i_ain_data,
    output wire               o_ain_ready,
    output wire               o_ain_empty,    // for the chip's barrier (§16.3, §16.5)
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
    output wire [STATE_W-1:0] o_dbg_state,
    output wire [CNT_ROWS*64-1:0] o_counters,
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
    // the memory rows of §7, region numbers and counter indices (generated from neurocore.def)
`include "nc_row_PROFILE.vh"
`include "nc_row_NCFG.vh"
`include "nc_row_STATE.vh"
`include "nc_row_AXT.vh"
`include "nc_row_SYN.vh"
`include "nc_row_RIX.vh"
`include "nc_row_RTE.vh"
`include "nc_numbers.vh"
    localparam integer SYNW = S * SYN_W;            // a SYN word: S lanes
    // regions of §9 that are no image memory (not in neurocore.def's list)

    // ---- AER-in ----
    wire        ain_empty, ain_full;
    wire [31:0] head;
    wire        ain_pop;
    nc_fifo #(.DW(32), .DEPTH(FIFO_IN)) u_ain (
        .i_clk(i_clk), .i_rst(i_rst), .i_push(i_ain_valid), .i_data(i_ain_data),
        .o_full(ain_full), .i_pop(ain_pop), .o_data(head), .o_empty(ain_empty));
    assign o_ain_ready = !ain_full;
    assign o_ain_empty = ain_empty;

    // ---- control wires ----
    wire          ctrl_idle, ctrl_ev_block, ctrl_start, scan_start, scan_last;
    wire          pv, nv, route_start, route_last, clr;
    wire [NB-1:0] pg, nidx;
    wire [19:0]   clr_i;
    wire [31:0]   tick;
    wire          prog_busy;
    wire [7:0]    core_id;
    wire [NB:0]   nu;
    wire [16:0]   xu;
    wire          prog_req = i_prog_we || i_prog_re;
    wire [DBW-1:0] slot = tick[DBW-1:0] & {DBW{DB > 0}};   // tick mod D
    wire [15:0]   rm = i_rm_en ? 16'd1 << i_rm_region : 16'd0;   // one-hot $readmemh region

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
        .i_p_re(mre[REGION_LATCH]), .i_p_we(mwe[REGION_LATCH]), .i_p_row(prow),
        .i_p_wd(pwrow[31:0]), .o_p_rd(lat_rd));

    // ---- scan ----
    wire          iss, inc_lw, inc_ev;
    wire [MB-1:0] iss_addr;
    wire [3:0]    iss_wexp;
    wire [AXT_W-1:0] axt_rd;
    nc_scan #(.X(X), .M(M), .FNW(FNW)) u_scan (
        .i_clk(i_clk), .i_rst(i_rst), .i_start(scan_start), .i_xu(xu), .o_last(scan_last),
        .o_w(scan_w), .i_bits(scan_bits), .o_clr(scan_clr),
        .o_iss(iss), .o_iss_addr(iss_addr), .o_iss_wexp(iss_wexp),
        .o_inc_lw(inc_lw), .o_inc_ev(inc_ev),
        .i_p_re(mre[REGION_AXT]), .i_p_we(mwe[REGION_AXT]), .i_p_row(prow), .i_p_wd(pwrow[AXT_W-1:0]),
        .o_p_rd(axt_rd), .i_rm(rm[REGION_AXT]), .i_rm_file(i_rm_file));

    // ---- synapse pipeline + ACC ----
    wire [3:0]     inc_ops, inc_satacc;
    wire [NL-1:0]     nrd;
    wire [NL*SBW-1:0] nbank;
    wire [NL*RWW-1:0] nrow;
    wire [NL*U-1:0]   acc;
    wire [SYNW-1:0] syn_rd;
    wire [U-1:0]   acc_rd;
    nc_synapse #(.N(N), .M(M), .S(S), .D(D), .W(W), .U(U), .NL(NL), .FNW(FNW)) u_syn (
        .i_clk(i_clk), .i_rst(i_rst), .i_slot(slot),
        .i_iss(iss), .i_iss_addr(iss_addr), .i_iss_wexp(iss_wexp),
        .o_inc_ops(inc_ops), .o_inc_sat(inc_satacc),
        .i_nrd(nrd), .i_nbank(nbank), .i_nrow(nrow), .o_acc(acc),
        .i_clr(clr), .i_clr_row(clr_i),
        .i_ps_re(mre[REGION_SYN]), .i_ps_we(mwe[REGION_SYN]),
        .i_pa_re(mre[REGION_ACC]), .i_pa_we(mwe[REGION_ACC]),
        .i_p_row(prow), .i_p_wd(pwrow[SYNW-1:0]), .i_pa_wd(pwrow[U-1:0]),
        .o_ps_rd(syn_rd), .o_pa_rd(acc_rd), .i_rm(rm[REGION_SYN]), .i_rm_file(i_rm_file));

    // ---- neuron lanes ----
    wire [NL-1:0] spk;
    wire [NB-1:0] spk_g;
    wire [3:0]    inc_spk, inc_upd, inc_satv, inc_satr, inc_sata, inc_sati;
    wire [PROFILE_W-1:0] prof_rd;
    wire [NCFG_W-1:0]    ncfg_rd;
    wire [STATE_W-1:0]   st_rd;
    nc_neurons #(.N(N), .S(S), .D(D), .P(P), .V(V), .U(U), .G(G), .Q(Q), .K(K), .NL(NL),
                 .FNW(FNW)) u_neu (
        .i_clk(i_clk), .i_rst(i_rst), .i_slot(slot), .i_nu(nu),
        .i_pv(pv), .i_pg(pg), .i_nv(nv), .i_g(nidx),
        .o_nrd(nrd), .o_nbank(nbank), .o_nrow(nrow), .i_acc(acc),
        .o_spk(spk), .o_spk_g(spk_g), .o_inc_spk(inc_spk), .o_inc_upd(inc_upd),
        .o_inc_sat_v(inc_satv), .o_inc_sat_r(inc_satr), .o_inc_sat_a(inc_sata),
        .o_inc_sat_i(inc_sati),
        .i_clr(clr), .i_clr_row(clr_i),
        .i_pp_re(mre[REGION_PROFILE]), .i_pp_we(mwe[REGION_PROFILE]),
        .i_pn_re(mre[REGION_NCFG]), .i_pn_we(mwe[REGION_NCFG]),
        .i_pt_re(mre[REGION_STATE]), .i_pt_we(mwe[REGION_STATE]),
        .i_p_row(prow), .i_p_wd(pwrow[PROFILE_W-1:0]),
        .o_pp_rd(prof_rd), .o_pn_rd(ncfg_rd), .o_pt_rd(st_rd),
        .i_rm_pr(rm[REGION_PROFILE]), .i_rm_nc(rm[REGION_NCFG]), .i_rm_st(rm[REGION_STATE]),
        .i_rm_file(i_rm_file),
        .i_dbg_n(i_dbg_n), .o_dbg_state(o_dbg_state));

    // ---- routing ----
    wire        hfull, hempty;
    wire        r_hpush, c_hpush;
    wire [31:0] r_hdata, c_hdata;
    wire        inc_lookup, inc_read, inc_local, inc_core, inc_host, r_stall, c_stall;
    wire [RIX_W-1:0] rix_rd;
    wire [RTE_W-1:0] rte_rd;
    nc_route #(.N(N), .R(R), .NL(NL), .FNW(FNW)) u_route (
        .i_clk(i_clk), .i_rst(i_rst), .i_reset_buf(ctrl_start), .i_spk(spk), .i_spk_g(spk_g),
        .i_start(route_start), .o_last(route_last), .i_core_id(core_id),
        .o_lset(lset), .o_lset_x(lset_x),
        .o_noc_v(o_noc_valid), .o_noc_d(o_noc_data), .i_noc_rdy(i_noc_ready),
        .o_host_push(r_hpush), .o_host_d(r_hdata), .i_host_full(hfull),
        .o_inc_lookup(inc_lookup), .o_inc_read(inc_read), .o_inc_local(inc_local),
        .o_inc_core(inc_core), .o_inc_host(inc_host), .o_inc_stall(r_stall),
        .i_pi_re(mre[REGION_RIX]), .i_pi_we(mwe[REGION_RIX]),
        .i_pe_re(mre[REGION_RTE]), .i_pe_we(mwe[REGION_RTE]),
        .i_p_row(prow), .i_p_wd(pwrow[31:0]), .o_pi_rd(rix_rd), .o_pe_rd(rte_rd),
        .i_rm_ri(rm[REGION_RIX]), .i_rm_re(rm[REGION_RTE]),
        .i_rm_file(i_rm_file));

    // ---- host-out ----
    nc_fifo #(.DW(32), .DEPTH(FIFO_OUT)) u_hout (
        .i_clk(i_clk), .i_rst(i_rst), .i_push(r_hpush || c_hpush),
        .i_data(c_hpush ? c_hdata : r_hdata), .o_full(hfull),
        .i_pop(i_hout_ready), .o_data(o_hout_data), .o_empty(hempty));
    assign o_hout_valid = !hempty;

    // ---- tick controller ----
    wire inc_cycle, inc_tick, inc_clear;
    nc_ctrl #(.N(N), .X(X), .S(S), .D(D), .NL(NL)) u_ctrl (
        .i_clk(i_clk), .i_rst(i_rst), .i_take_tick(take_tick), .i_take_clear(take_clear),
        .o_idle(ctrl_idle), .i_xu(xu), .i_nu(nu),
        .o_start(ctrl_start), .o_scan_start(scan_start), .i_scan_last(scan_last),
        .o_pv(pv), .o_pg(pg), .o_nv(nv), .o_n(nidx), .o_route_start(route_start), .i_route_last(route_last),
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
    // the row read from region r (1..9), zero-extended, at [256(r-1) +: 256]
    wire [9*256-1:0] mrd;
    assign mrd[256*(REGION_PROFILE-1) +: 256] = {{(256-PROFILE_W){1'b0}}, prof_rd};
    assign mrd[256*(REGION_NCFG-1) +: 256]    = {{(256-NCFG_W){1'b0}}, ncfg_rd};
    assign mrd[256*(REGION_STATE-1) +: 256]   = {{(256-STATE_W){1'b0}}, st_rd};
    assign mrd[256*(REGION_ACC-1) +: 256]     = {{(256-U){1'b0}}, acc_rd};
    assign mrd[256*(REGION_AXT-1) +: 256]     = {{(256-AXT_W){1'b0}}, axt_rd};
    assign mrd[256*(REGION_SYN-1) +: 256]     = {{(256-SYNW){1'b0}}, syn_rd};
    assign mrd[256*(REGION_RIX-1) +: 256]     = {{(256-RIX_W){1'b0}}, rix_rd};
    assign mrd[256*(REGION_RTE-1) +: 256]     = {{(256-RTE_W){1'b0}}, rte_rd};
    assign mrd[256*(REGION_LATCH-1) +: 256]   = {{(256-32){1'b0}}, lat_rd};
    nc_prog #(.N(N), .X(X), .M(M), .S(S), .D(D), .P(P), .R(R), .W(W), .V(V), .U(U), .G(G),
              .Q(Q), .K(K), .FIFO_IN(FIFO_IN), .FIFO_OUT(FIFO_OUT), .NL(NL)) u_prog (
        .i_clk(i_clk), .i_rst(i_rst), .i_we(i_prog_we), .i_re(i_prog_re), .i_addr(i_prog_addr),
        .i_wdata(i_prog_wdata), .o_ready(o_prog_ready), .o_rdata(o_prog_rdata),
        .i_core_idle(ctrl_idle), .o_busy(prog_busy), .o_mre(mre), .o_mwe(mwe), .o_row(prow),
        .o_wrow(pwrow), .i_mrd(mrd), .i_cnt(o_counters),
        .o_core_id(core_id), .o_nu(nu), .o_xu(xu), .i_tick(tick),
        .i_err_set(inc_dup || inc_bad),
        .i_sat_set(|{inc_satacc, inc_satv, inc_satr, inc_sata, inc_sati}),
        .o_cnt_clr(cnt_clr), .o_inc_prd(inc_prd), .o_inc_pwr(inc_pwr));

    // ---- activity counters: counter i adds inc[4i +: 4] (§11, indices from neurocore.def) ----
    function [3:0] b(input x);
        b = {3'd0, x};
    endfunction
    wire [N_COUNTERS*4-1:0] inc;
    assign inc[4*CNT_TICKS +: 4]          = b(inc_tick);
    assign inc[4*CNT_CYCLES +: 4]         = b(inc_cycle);
    assign inc[4*CNT_STALL_CYCLES +: 4]   = b(r_stall || c_stall);
    assign inc[4*CNT_CLEARS +: 4]         = b(inc_clear);
    assign inc[4*CNT_EVENTS_IN +: 4]      = b(inc_evin);
    assign inc[4*CNT_LATCH_READS +: 4]    = b(inc_lw);
    assign inc[4*CNT_SYN_EVENTS +: 4]     = b(inc_ev);
    assign inc[4*CNT_SYN_WORD_READS +: 4] = b(iss);
    assign inc[4*CNT_SYN_OPS +: 4]        = inc_ops;
    assign inc[4*CNT_NEURON_UPDATES +: 4] = inc_upd;
    assign inc[4*CNT_STATE_READS +: 4]    = inc_upd;
    assign inc[4*CNT_STATE_WRITES +: 4]   = inc_upd;
    assign inc[4*CNT_ACC_READS +: 4]      = inc_upd;
    assign inc[4*CNT_SPIKES +: 4]         = inc_spk;
    assign inc[4*CNT_ROUTE_LOOKUPS +: 4]  = b(inc_lookup);
    assign inc[4*CNT_ROUTE_READS +: 4]    = b(inc_read);
    assign inc[4*CNT_SPIKES_LOCAL +: 4]   = b(inc_local);
    assign inc[4*CNT_SPIKES_CORE +: 4]    = b(inc_core);
    assign inc[4*CNT_SPIKES_HOST +: 4]    = b(inc_host);
    // sat_acc: the synaptic phase's lanes, or CUBA currents (§17) in the neuron phase; the
    // phases never overlap, and the sum stays below 16 (S <= 8 lanes, NL <= 8 lanes)
    assign inc[4*CNT_SAT_ACC +: 4]        = inc_satacc + inc_sati;
    assign inc[4*CNT_SAT_V +: 4]          = inc_satv;
    assign inc[4*CNT_SAT_R +: 4]          = inc_satr;
    assign inc[4*CNT_SAT_A +: 4]          = inc_sata;
    assign inc[4*CNT_DUP_EVENTS +: 4]     = b(inc_dup);
    assign inc[4*CNT_BAD_WORDS +: 4]      = b(inc_bad);
    assign inc[4*CNT_PROG_READS +: 4]     = b(inc_prd);
    assign inc[4*CNT_PROG_WRITES +: 4]    = b(inc_pwr);
    nc_counters u_cnt (.i_clk(i_clk), .i_rst(i_rst), .i_clr(cnt_clr), .i_inc(inc),
                       .o_cnt(o_counters));
    wire unused_top = &{1'b0, mwe[15:10], mwe[0], mre[15:10], mre[0], pwrow[255:PROFILE_W]};
endmodule
`default_nettype wire
