/*
 * nc_cg.v : a clock gate (latch + AND, the usual integrated clock-gating cell)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: o_gclk = i_clk while i_en was high in the low phase before the edge. The latch is
 *           transparent while i_clk is low, so an enable that changes after the rising edge
 *           cannot cut or add a pulse. nc_chip gates the cells outside the active mesh: they
 *           are clocked while i_rst is high (so they hold their reset state) and never again,
 *           which saves their power in silicon and their evaluation in a simulator.
 */
`default_nettype none
module nc_cg (
    input  wire i_clk,
    input  wire i_en,
    output wire o_gclk
);
    reg en_l;
    /* verilator lint_off LATCH */
    always @(*)
        if (!i_clk) en_l = i_en;
    /* verilator lint_on LATCH */
    assign o_gclk = i_clk && en_l;
endmodule
`default_nettype wire
