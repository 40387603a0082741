/*
 * nc_scan.v : the synaptic-phase scan: latch words, AXT lookups, SYN issue (§5.2, §10.1)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: One cycle per state, exactly the cycle model of §10.1:
 *             SC_LW  : read cur word w (and clear it); a priority encoder picks its lowest
 *                      set bit; latch_reads++
 *             SC_AXT : AXT[x] = (base, cnt, wexp); syn_events++
 *             SC_SYN : issue SYN[base+i] into the synaptic pipeline; syn_word_reads++
 *           After an AXT with cnt = 0 or the last SYN word, the next cycle is the next set
 *           bit's AXT read, else the next latch word, else the scan ends (o_last in the
 *           final cycle). L = ceil(XU/32) words are read; L = 0 means no scan (the tick
 *           controller goes straight to the drain). The AXT memory lives here; its read is
 *           issued a cycle ahead (x_d), as a synchronous memory needs (§7a).
 */
`default_nettype none
module nc_scan #(
    parameter integer X   = 1024,           // axons
    parameter integer M   = 65536,          // synapse words
    parameter integer FNW = 256
) (
    input  wire           i_clk,
    input  wire           i_rst,
    input  wire           i_start,          // START cycle (only when L > 0)
    input  wire [16:0]    i_xu,
    output wire           o_last,           // this is the last scan cycle
    // latch (cur)
    output wire [11:0]    o_w,
    input  wire [31:0]    i_bits,
    output wire           o_clr,
    // SYN issue (S0)
    output wire           o_iss,
    output wire [MB-1:0]  o_iss_addr,
    output wire [3:0]     o_iss_wexp,
    // counter increments
    output wire           o_inc_lw,
    output wire           o_inc_ev,
    // programming port / $readmemh of AXT
    input  wire           i_p_re,
    input  wire           i_p_we,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [24:0]    i_p_row,          // rows < X (the prog port checks the range)
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [AXT_W-1:0] i_p_wd,
    output wire [AXT_W-1:0] o_p_rd,
    input  wire           i_rm,
    input  wire [8*FNW-1:0] i_rm_file
);
    localparam integer MB  = $clog2(M);
    localparam integer XB  = $clog2(X);
    // the AXT row of §7 (generated from neurocore.def)
`include "nc_row_AXT.vh"

    localparam [1:0] SC_IDLE = 2'd0, SC_LW = 2'd1, SC_AXT = 2'd2, SC_SYN = 2'd3;

    reg [1:0]    state;
    reg [11:0]   w;                          // latch word
    reg [31:0]   rem;                        // set bits of word w not yet taken
    /* verilator lint_off UNUSEDSIGNAL */
    reg [15:0]   x;                          // current axon (< X: bits >= XB are 0)
    /* verilator lint_on UNUSEDSIGNAL */
    reg [MB-1:0] addr, left;                 // SYN address, words left (SC_SYN)
    reg [3:0]    wexp;

    // lowest set bit of a word (priority encoder)
    function [4:0] ctz(input [31:0] word);
        integer i;
        begin
            ctz = 5'd0;
            for (i = 31; i >= 0; i = i - 1)
                if (word[i]) ctz = i[4:0];
        end
    endfunction

    wire [12:0] lwords = {1'b0, i_xu[16:5]} + {12'd0, |i_xu[4:0]};   // ceil(XU/32)
    wire        more_w = {1'b0, w} + 13'd1 < lwords;

    // AXT: a synchronous read (§7a) of the row x takes next, issued in the cycle that moves
    // the scan into SC_AXT, so that the row is there in SC_AXT as the cycle model needs
    wire [AXT_W-1:0] axt;
    wire             to_axt;
    wire [15:0]      x_d;
    nc_ram #(.ROWS(X), .WIDTH(AXT_W), .FNW(FNW)) u_axt (
        .i_clk(i_clk), .i_we(i_p_we), .i_wa(i_p_row[XB-1:0]), .i_wd(i_p_wd),
        .i_re(to_axt || i_p_re), .i_ra(i_p_re ? i_p_row[XB-1:0] : x_d[XB-1:0]), .o_rd(axt),
        .i_rm(i_rm), .i_rm_file(i_rm_file));
    assign o_p_rd = axt;
    wire [MB-1:0] a_base = axt[AXT_BASE_LSB +: AXT_BASE_W];
    wire [MB-1:0] a_cnt  = axt[AXT_CNT_LSB +: AXT_CNT_W];
    wire [3:0]    a_wexp = axt[AXT_WEXP_LSB +: AXT_WEXP_W];

    // where the scan goes after an event: next set bit, next word, or the end
    wire adv_last = rem == 32'd0 && !more_w;
    wire lw_last  = i_bits == 32'd0 && !more_w;

    // the next axon: the lowest set bit of a fresh word (SC_LW) or of the rest of the word
    // after an event (advance)
    wire ends_ev  = (state == SC_AXT && a_cnt == {MB{1'b0}}) ||
                    (state == SC_SYN && left == {{(MB-1){1'b0}}, 1'b1});
    wire lw_hit   = state == SC_LW && i_bits != 32'd0;
    wire adv_hit  = ends_ev && rem != 32'd0;
    assign to_axt = lw_hit || adv_hit;
    assign x_d    = lw_hit ? {w[10:0], ctz(i_bits)} : adv_hit ? {w[10:0], ctz(rem)} : x;

    assign o_last = (state == SC_LW  && lw_last) ||
                    (state == SC_AXT && a_cnt == {MB{1'b0}} && adv_last) ||
                    (state == SC_SYN && left == {{(MB-1){1'b0}}, 1'b1} && adv_last);
    assign o_w        = w;
    assign o_clr      = state == SC_LW;
    assign o_iss      = state == SC_SYN;
    assign o_iss_addr = addr;
    assign o_iss_wexp = wexp;
    assign o_inc_lw   = state == SC_LW;
    assign o_inc_ev   = state == SC_AXT;

    task advance;
        begin
            if (rem != 32'd0) begin
                x     <= x_d;
                rem   <= rem & (rem - 32'd1);
                state <= SC_AXT;
            end else if (more_w) begin
                w     <= w + 12'd1;
                state <= SC_LW;
            end else
                state <= SC_IDLE;
        end
    endtask

    always @(posedge i_clk) begin
        if (i_rst)
            state <= SC_IDLE;
        else case (state)
            SC_IDLE:
                if (i_start) begin
                    w     <= 12'd0;
                    state <= SC_LW;
                end
            SC_LW:
                if (i_bits != 32'd0) begin
                    x     <= x_d;
                    rem   <= i_bits & (i_bits - 32'd1);
                    state <= SC_AXT;
                end else if (more_w)
                    w <= w + 12'd1;
                else
                    state <= SC_IDLE;
            SC_AXT:
                if (a_cnt != {MB{1'b0}}) begin
                    addr  <= a_base;
                    left  <= a_cnt;
                    wexp  <= a_wexp;
                    state <= SC_SYN;
                end else
                    advance;
            default: begin                   // SC_SYN
                addr <= addr + 1'b1;
                left <= left - 1'b1;
                if (left == {{(MB-1){1'b0}}, 1'b1}) advance;
            end
        endcase
    end
endmodule
`default_nettype wire
