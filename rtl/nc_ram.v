/*
 * nc_ram.v : one neurocore memory, as an SRAM macro provides it (docs/neurocore.md §7a)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: ROWS x WIDTH bits, one write port and one synchronous read port (1R1W): the row
 *           at i_ra is in o_rd the cycle after i_re, and o_rd holds while i_re is low. No
 *           user relies on what a read returns when it hits the row written in the same cycle
 *           (§7a): the pipelines never do it, or forward around it (nc_synapse). Every memory
 *           of the core is an instance of this module, so that synthesis can swap in a macro
 *           (hw/gates/ keeps it as a black box). Outside synthesis, i_rm loads the whole array
 *           with $readmemh from the file named by i_rm_file (a right-aligned string, as Verilog
 *           strings are), and mem is the debug backdoor (neurocore.v's o_dbg_state).
 */
`default_nettype none
module nc_ram #(
    parameter integer ROWS  = 16,           // rows, >= 1
    parameter integer WIDTH = 8,            // bits per row, >= 1
    parameter integer FNW   = 256,          // characters of i_rm_file
    // $readmemh of a banked region: this bank holds the file's rows OFFSET, OFFSET + STRIDE, ..
    parameter integer RM_STRIDE = 1,
    parameter integer RM_OFFSET = 0
) (
    input  wire                      i_clk,
    // write port
    input  wire                      i_we,
    input  wire [AW-1:0]             i_wa,
    input  wire [WIDTH-1:0]          i_wd,
    // synchronous read port
    input  wire                      i_re,
    input  wire [AW-1:0]             i_ra,
    output reg  [WIDTH-1:0]          o_rd,
    // $readmemh (simulation only)
    input  wire                      i_rm,
    input  wire [8*FNW-1:0]          i_rm_file
);
    localparam integer AW = ROWS > 1 ? $clog2(ROWS) : 1;

    reg [WIDTH-1:0] mem [0:ROWS-1];

    always @(posedge i_clk) begin
        if (i_re) o_rd <= mem[i_ra];
        if (i_we) mem[i_wa] <= i_wd;
    end

`ifndef SYNTHESIS
    reg [WIDTH-1:0] file_rows [0:ROWS*RM_STRIDE-1];
    integer r;
    // a load between simulation steps, not logic: blocking by design
    /* verilator lint_off BLKSEQ */
    always @(posedge i_clk)
        if (i_rm) begin
            $readmemh(i_rm_file, file_rows);
            for (r = 0; r < ROWS; r = r + 1) mem[r] = file_rows[r * RM_STRIDE + RM_OFFSET];
        end
    /* verilator lint_on BLKSEQ */
`else
    wire unused_rm = &{1'b0, i_rm, i_rm_file};
`endif
endmodule
`default_nettype wire
