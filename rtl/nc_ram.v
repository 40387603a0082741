/*
 * nc_ram.v : one neurocore memory (docs/neurocore.md §7)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: ROWS x WIDTH bits, one write port, one asynchronous read port (A: control
 *           lookups in the cycle that needs the row) and one synchronous read port (B: the
 *           pipelines' reads and the programming port; data valid the cycle after the
 *           address). Outside synthesis, i_rm loads the whole array with $readmemh from the
 *           file named by i_rm_file (a right-aligned string, as Verilog strings are).
 */
`default_nettype none
module nc_ram #(
    parameter integer ROWS  = 16,           // rows, >= 1
    parameter integer WIDTH = 8,            // bits per row, >= 1
    parameter integer FNW   = 256           // characters of i_rm_file
) (
    input  wire                      i_clk,
    // write port
    input  wire                      i_we,
    input  wire [AW-1:0]             i_wa,
    input  wire [WIDTH-1:0]          i_wd,
    // asynchronous read port A
    input  wire [AW-1:0]             i_ra,
    output wire [WIDTH-1:0]          o_ra,
    // synchronous read port B
    input  wire                      i_re,
    input  wire [AW-1:0]             i_rb,
    output reg  [WIDTH-1:0]          o_rb,
    // $readmemh (simulation only)
    input  wire                      i_rm,
    input  wire [8*FNW-1:0]          i_rm_file
);
    localparam integer AW = ROWS > 1 ? $clog2(ROWS) : 1;

    reg [WIDTH-1:0] mem [0:ROWS-1];

    assign o_ra = mem[i_ra];

    always @(posedge i_clk) begin
        if (i_re) o_rb <= mem[i_rb];
        if (i_we) mem[i_wa] <= i_wd;
    end

`ifndef SYNTHESIS
    always @(posedge i_clk)
        if (i_rm) $readmemh(i_rm_file, mem);
`else
    wire unused_rm = &{1'b0, i_rm, i_rm_file};
`endif
endmodule
`default_nettype wire
