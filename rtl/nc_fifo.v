/*
 * nc_fifo.v : synchronous FIFO with a fall-through head (AER-in and host-out, §8)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: DEPTH words (any depth >= 2). o_data is the head word while !o_empty. A push
 *           while full and a pop while empty are ignored (the producers never do either).
 */
`default_nettype none
module nc_fifo #(
    parameter integer DW    = 32,           // word width
    parameter integer DEPTH = 16            // words, 2..4096
) (
    input  wire          i_clk,
    input  wire          i_rst,
    input  wire          i_push,
    input  wire [DW-1:0] i_data,
    output wire          o_full,
    input  wire          i_pop,
    output wire [DW-1:0] o_data,
    output wire          o_empty
);
    localparam integer AB = $clog2(DEPTH);
    // sized copies of integer parameters (WIDTH waived: the values fit by construction)
    /* verilator lint_off WIDTH */
    localparam [AB-1:0] LAST = DEPTH - 1;
    localparam [AB:0]   FULL = DEPTH;
    /* verilator lint_on WIDTH */

    // flops (§7a): a fall-through head is an asynchronous read, which no SRAM macro gives
    (* mem2reg *) reg [DW-1:0] mem [0:DEPTH-1];
    reg [AB-1:0] rp, wp;
    reg [AB:0]   n;

    wire push = i_push && !o_full;
    wire pop  = i_pop && !o_empty;

    assign o_full  = n == FULL;
    assign o_empty = n == 0;
    assign o_data  = mem[rp];

    always @(posedge i_clk) begin
        if (push) mem[wp] <= i_data;
        if (i_rst) begin
            rp <= 0;
            wp <= 0;
            n  <= 0;
        end else begin
            if (push) wp <= wp == LAST ? 0 : wp + 1'b1;
            if (pop)  rp <= rp == LAST ? 0 : rp + 1'b1;
            if (push && !pop) n <= n + 1'b1;
            else if (pop && !push) n <= n - 1'b1;
        end
    end
endmodule
`default_nettype wire
