/*
 * nc_ctrl.v : the tick controller (§5.2, §5.3, §10.2)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: TICK and CLEAR are taken from the AER-in head only while idle (i_take_*).
 *             TICK : ST_START (1) -> ST_SYN (L + E + Wd, nc_scan) -> ST_DRAIN (1: the last
 *                    word's S1; its S2 write meets N0's first ACC reads, which nc_synapse
 *                    forwards)
 *                    -> ST_NEUR (ceil(NU/NL) + 3: NL neurons a cycle, nc_neurons)
 *                    -> ST_ROUTE (K + Rt + 1 + stalls, nc_route)
 *                    -> ST_DONE (1 + stalls: TICK_DONE into host-out)
 *             CLEAR: ST_CLR0 (1) -> ST_CLR (max(N, D*N/S, LW): row/word i of STATE, every
 *                    ACC bank and both latches) -> ST_CLRD (1: CLEAR_DONE)
 *           so a tick takes 7 + L + E + Wd + ceil(NU/NL) + K + Rt + St cycles and a CLEAR
 *           2 + max(N, D*N/S, LW): every non-idle cycle is counted in `cycles`.
 */
`default_nettype none
module nc_ctrl #(
    parameter integer N = 256,
    parameter integer X = 1024,
    parameter integer S = 4,
    parameter integer D = 16,
    parameter integer NL = 4
) (
    input  wire          i_clk,
    input  wire          i_rst,
    input  wire          i_take_tick,       // pop TICK now (only honoured while idle)
    input  wire          i_take_clear,
    output wire          o_idle,
    input  wire [16:0]   i_xu,
    input  wire [NB:0]   i_nu,
    // phases
    output wire          o_start,           // ST_START
    output wire          o_scan_start,
    input  wire          i_scan_last,
    output wire          o_pv,              // NCFG prefetch of group o_pg (before its N0)
    output wire [NB-1:0] o_pg,
    output wire          o_nv,              // N0 of group o_n
    output wire [NB-1:0] o_n,
    output wire          o_route_start,
    input  wire          i_route_last,
    output wire          o_clr,
    output wire [19:0]   o_clr_i,
    output wire          o_ev_block,        // no EVENT pops this cycle (START, CLEAR)
    // host-out
    output wire          o_host_push,
    output wire [31:0]   o_host_d,
    input  wire          i_host_full,
    output reg  [31:0]   o_tick,
    // counter increments
    output wire          o_inc_cycle,
    output wire          o_inc_tick,
    output wire          o_inc_clear,
    output wire          o_inc_stall
);
    localparam integer NB = $clog2(N);
    localparam integer LW = X / 32;
    localparam integer RW = D * N / S;
    localparam integer CM0 = N > RW ? N : RW;
    /* verilator lint_off WIDTH */
    localparam [19:0] CLAST = (CM0 > LW ? CM0 : LW) - 1;
    /* verilator lint_on WIDTH */

    localparam [3:0] ST_IDLE = 4'd0, ST_START = 4'd1, ST_SYN = 4'd2, ST_DRAIN = 4'd3,
                     ST_NEUR = 4'd5, ST_ROUTE = 4'd6, ST_DONE = 4'd7,
                     ST_CLR0 = 4'd8, ST_CLR = 4'd9, ST_CLRD = 4'd10;

    reg [3:0]    state;
    reg [NB+1:0] ncnt;
    reg [19:0]   ccnt;

    wire lzero = i_xu == 17'd0;              // L = ceil(XU/32) = 0: no scan
    // the neuron phase's groups: ceil(NU/NL)
    localparam integer LB = $clog2(NL);
    /* verilator lint_off WIDTH */
    wire [NB+1:0] nu_x = ({1'b0, i_nu} + NL - 1) >> LB;
    /* verilator lint_on WIDTH */

    assign o_idle        = state == ST_IDLE;
    assign o_start       = state == ST_START;
    assign o_scan_start  = state == ST_START && !lzero;
    assign o_pv          = (state == ST_DRAIN && nu_x != {(NB+2){1'b0}}) ||
                           (state == ST_NEUR && ncnt + 1'b1 < nu_x);
    assign o_pg          = state == ST_DRAIN ? {NB{1'b0}} : ncnt[NB-1:0] + 1'b1;
    assign o_nv          = state == ST_NEUR && ncnt < nu_x;
    assign o_n           = ncnt[NB-1:0];
    assign o_route_start = state == ST_NEUR && ncnt == nu_x + {{NB{1'b0}}, 2'd2};
    assign o_clr         = state == ST_CLR;
    assign o_clr_i       = ccnt;
    assign o_ev_block    = state == ST_START || state == ST_CLR0 || state == ST_CLR ||
                           state == ST_CLRD;
    assign o_host_push   = (state == ST_DONE || state == ST_CLRD) && !i_host_full;
    assign o_host_d      = state == ST_DONE ? {2'b01, o_tick[29:0]} : 32'h8000_0000;
    assign o_inc_cycle   = state != ST_IDLE;
    assign o_inc_tick    = state == ST_DONE && !i_host_full;
    assign o_inc_clear   = state == ST_CLRD && !i_host_full;
    assign o_inc_stall   = (state == ST_DONE || state == ST_CLRD) && i_host_full;

    always @(posedge i_clk) begin
        if (i_rst) begin
            state  <= ST_IDLE;
            o_tick <= 32'd0;
        end else case (state)
            ST_IDLE:
                if (i_take_tick) state <= ST_START;
                else if (i_take_clear) state <= ST_CLR0;
            ST_START:  state <= lzero ? ST_DRAIN : ST_SYN;
            ST_SYN:    if (i_scan_last) state <= ST_DRAIN;
            ST_DRAIN: begin
                ncnt  <= {(NB+2){1'b0}};
                state <= ST_NEUR;
            end
            ST_NEUR: begin
                ncnt <= ncnt + 1'b1;
                if (o_route_start) state <= ST_ROUTE;
            end
            ST_ROUTE:  if (i_route_last) state <= ST_DONE;
            ST_DONE:
                if (!i_host_full) begin
                    o_tick <= o_tick + 32'd1;
                    state  <= ST_IDLE;
                end
            ST_CLR0: begin
                ccnt  <= 20'd0;
                state <= ST_CLR;
            end
            ST_CLR: begin
                ccnt <= ccnt + 20'd1;
                if (ccnt == CLAST) state <= ST_CLRD;
            end
            ST_CLRD:
                if (!i_host_full) begin
                    o_tick <= 32'd0;
                    state  <= ST_IDLE;
                end
            default: state <= ST_IDLE;
        endcase
    end
endmodule
`default_nettype wire
