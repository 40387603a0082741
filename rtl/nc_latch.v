/*
 * nc_latch.v : the two axon latches, cur and pend (docs/neurocore.md §5.1, §7 LATCH)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: 2 x LW words of 32 bits; bit b of word w is axon 32w+b. pend collects (the latch
 *           writer's latch_set: EVENT words and local spikes), cur is scanned and cleared word
 *           by word in the synaptic phase; START swaps them (i_swap). latch_set reports, in
 *           the same cycle, whether the axon was bad (>= XU), a duplicate or new. The
 *           programming port (region 0x9) reads and writes pend. CLEAR zeroes word i_clr_w
 *           of both latches.
 */
`default_nettype none
module nc_latch #(
    parameter integer X = 1024              // axons, multiple of 32
) (
    input  wire        i_clk,
    input  wire        i_rst,
    input  wire        i_swap,              // START: cur <-> pend
    // scan (cur)
    input  wire [11:0] i_scan_w,
    output wire [31:0] o_scan_bits,
    input  wire        i_scan_clr,          // cur.word[i_scan_w] = 0
    // latch_set (pend)
    input  wire        i_set,
    input  wire [15:0] i_set_x,
    input  wire [16:0] i_xu,
    output wire        o_set_bad,           // x >= XU
    output wire        o_set_dup,           // already set
    output wire        o_set_new,           // set now
    // CLEAR
    input  wire        i_clr,
    input  wire [19:0] i_clr_w,
    // programming port (pend), row = word
    input  wire        i_p_re,
    input  wire        i_p_we,
    input  wire [24:0] i_p_row,
    input  wire [31:0] i_p_wd,
    output reg  [31:0] o_p_rd
);
    localparam integer LW = X / 32;
    localparam integer IW = $clog2(2 * LW);  // index into both latches
    /* verilator lint_off WIDTH */
    localparam [IW-1:0] LWI = LW;
    localparam [31:0]   LW32 = LW;
    /* verilator lint_on WIDTH */

    // latch 0 = words 0..LW-1, latch 1 = LW..2LW-1; flops, not an SRAM (§7a: bit-set,
    // word scan and swap in one cycle need the ports that only flops give)
    (* mem2reg *) reg [31:0] lat [0:2*LW-1];
    reg        sel;                          // pend = latch sel, cur = latch !sel

    // word w of latch l (w < LW)
    /* verilator lint_off UNUSEDSIGNAL */
    function [IW-1:0] idx(input l, input [19:0] w);
        idx = (l ? LWI : {IW{1'b0}}) + w[IW-1:0];
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */

    wire [IW-1:0] cur_i = idx(!sel, {8'd0, i_scan_w});
    assign o_scan_bits = lat[cur_i];

    wire [15:0]   xw    = i_set_x >> 5;
    wire [IW-1:0] set_i = idx(sel, {4'd0, xw});
    wire [31:0]   bit_x = 32'd1 << i_set_x[4:0];
    wire [31:0]   pword = lat[set_i];
    assign o_set_bad = i_set && ({1'b0, i_set_x} >= i_xu);
    assign o_set_dup = i_set && !o_set_bad && |(pword & bit_x);
    assign o_set_new = i_set && !o_set_bad && !(|(pword & bit_x));

    wire          p_ok  = {7'd0, i_p_row} < LW32;
    wire [IW-1:0] p_i   = idx(sel, i_p_row[19:0]);
    wire          clr_ok = {12'd0, i_clr_w} < LW32;

    always @(posedge i_clk) begin
        if (i_scan_clr) lat[cur_i] <= 32'd0;
        if (o_set_new) lat[set_i] <= pword | bit_x;
        if (i_p_we && p_ok) lat[p_i] <= i_p_wd;
        if (i_clr && clr_ok) begin
            lat[idx(1'b0, i_clr_w)] <= 32'd0;
            lat[idx(1'b1, i_clr_w)] <= 32'd0;
        end
        if (i_p_re) o_p_rd <= p_ok ? lat[p_i] : 32'd0;
        if (i_rst) sel <= 1'b0;
        else if (i_swap) sel <= !sel;
    end
endmodule
`default_nettype wire
