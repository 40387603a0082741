/*
 * nc_prog.v : the programming port and the registers (docs/neurocore.md §9)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: Address = {region[31:28], row[27:3], chunk[2:0]}; chunk c is bits [32c+31:32c]
 *           of the row. An access waits until the core is idle, then takes 3 cycles:
 *             P_IDLE: strobe seen while the core is idle
 *             P_RD  : the region's memory reads the row (synchronous read)
 *             P_WR  : o_ready; o_rdata = the chunk; a write stores the row with the chunk
 *                     replaced (read-modify-write); prog_reads / prog_writes count here
 *           Rows past a region's end read 0 and ignore writes; bits past a row's width read
 *           0 and are dropped on write. Regions: 0 registers, 1 PROFILE, 2 NCFG, 3 STATE,
 *           4 ACC (logical row s*N + n), 5 AXT, 6 SYN, 7 RIX, 8 RTE, 9 LATCH (pend),
 *           A counters (chunk 0 low, chunk 1 high). The host holds the strobe until it sees
 *           o_ready and drops it after that clock edge. Region and register numbers come from
 *           neurocore.def (rtl/gen/nc_numbers.vh), but for the regions that hold no image memory.
 */
`default_nettype none
module nc_prog #(
    parameter integer N = 256, X = 1024, M = 65536, S = 4, D = 16, P = 16, R = 1024,
    parameter integer W = 8, V = 24, U = 28, G = 8, Q = 8, K = 16,
    parameter integer FIFO_IN = 16, FIFO_OUT = 16, NL = 4
) (
    input  wire              i_clk,
    input  wire              i_rst,
    // host side
    input  wire              i_we,
    input  wire              i_re,
    input  wire [31:0]       i_addr,
    input  wire [31:0]       i_wdata,
    output wire              o_ready,
    output wire [31:0]       o_rdata,
    // core side
    input  wire              i_core_idle,
    output wire              o_busy,
    output wire [15:0]       o_mre,         // one-hot region read (P_RD)
    output wire [15:0]       o_mwe,         // one-hot region write (P_WR)
    output wire [24:0]       o_row,
    output wire [255:0]      o_wrow,
    input  wire [9*256-1:0]  i_mrd,         // rows of regions 1..9, zero-extended
    input  wire [CNT_ROWS*64-1:0]  i_cnt,
    // registers
    output reg  [7:0]        o_core_id,
    output reg  [NB:0]       o_nu,
    output reg  [16:0]       o_xu,
    input  wire [31:0]       i_tick,
    input  wire              i_err_set,
    input  wire              i_sat_set,
    output wire              o_cnt_clr,
    output wire              o_inc_prd,
    output wire              o_inc_pwr
);
    localparam integer NB = $clog2(N);
`include "nc_numbers.vh"
    localparam [1:0] P_IDLE = 2'd0, P_RD = 2'd1, P_WR = 2'd2;
    /* verilator lint_off WIDTH */
    localparam [31:0] C_N = N, C_X = X, C_M = M, C_S = S, C_D = D, C_P = P, C_R = R, C_W = W,
                      C_V = V, C_U = U, C_G = G, C_Q = Q, C_K = K, C_FI = FIFO_IN,
                      C_FO = FIFO_OUT, C_NL = NL, C_DN = D * N, C_LW = X / 32;
    /* verilator lint_on WIDTH */

    reg [1:0]  state;
    reg        err, sat;

    wire [3:0]  region = i_addr[31:28];
    wire [24:0] row    = i_addr[27:3];
    wire [2:0]  chunk  = i_addr[2:0];
    wire [31:0] row32  = {7'd0, row};
    wire [31:0] reg32  = {28'd0, region};    // both 32 bits, as the numbers they are compared to

    reg [31:0] rows;                         // rows of the region
    always @(*) case (reg32)
        REGION_PROFILE: rows = C_P;
        REGION_NCFG:    rows = C_N;
        REGION_STATE:   rows = C_N;
        REGION_ACC:     rows = C_DN;
        REGION_AXT:     rows = C_X;
        REGION_SYN:     rows = C_M;
        REGION_RIX:     rows = C_N;
        REGION_RTE:     rows = C_R;
        REGION_LATCH:   rows = C_LW;
        default:        rows = 32'd0;
    endcase
    wire in_mem = row32 < rows;              // a memory region and a valid row

    assign o_busy  = state != P_IDLE;
    assign o_ready = state == P_WR;
    assign o_row   = row;
    assign o_mre   = (state == P_RD && in_mem) ? (16'd1 << region) : 16'd0;
    assign o_mwe   = (state == P_WR && in_mem && i_we) ? (16'd1 << region) : 16'd0;

    // the row read in P_RD (memory regions)
    wire [3:0]   ri   = region - 4'h1;
    wire [255:0] mrow = (region >= 4'h1 && region <= 4'h9 && in_mem) ?
                        i_mrd[{ri, 8'd0} +: 256] : 256'd0;
    reg  [255:0] wrow;
    always @(*) begin
        wrow = mrow;
        wrow[{chunk, 5'd0} +: 32] = i_wdata;
    end
    assign o_wrow = wrow;

    // registers (region 0) and counters (region A), chunk 0 (counters: chunks 0 and 1)
    reg [31:0] reg_rd;
    always @(*) begin
        reg_rd = 32'd0;
        if (chunk == 3'd0) case (row32)
            REG_ID:      reg_rd = NC_ID;
            // rows 1..15: the core parameters, REG_<letter> in neurocore.def order
            REG_N:       reg_rd = C_N;
            REG_X:       reg_rd = C_X;
            REG_M:       reg_rd = C_M;
            REG_S:       reg_rd = C_S;
            REG_D:       reg_rd = C_D;
            REG_P:       reg_rd = C_P;
            REG_R:       reg_rd = C_R;
            REG_W:       reg_rd = C_W;
            REG_V:       reg_rd = C_V;
            REG_U:       reg_rd = C_U;
            REG_G:       reg_rd = C_G;
            REG_Q:       reg_rd = C_Q;
            REG_K:       reg_rd = C_K;
            REG_FIFO_IN: reg_rd = C_FI;
            REG_FIFO_OUT: reg_rd = C_FO;
            REG_NL:      reg_rd = C_NL;     // row 22: the 16th parameter (version 3)
            REG_CORE_ID: reg_rd = {24'd0, o_core_id};
            REG_NU:      reg_rd = {{(31-NB){1'b0}}, o_nu};
            REG_XU:      reg_rd = {15'd0, o_xu};
            REG_STATUS:  reg_rd = {29'd0, sat, err, !i_core_idle};
            REG_TICK:    reg_rd = i_tick;
            default:     reg_rd = 32'd0;
        endcase
    end
    wire [31:0] cnt_rd = (row32 < CNT_ROWS && chunk < 3'd2) ?
                         i_cnt[{row[4:0], chunk[0], 5'd0} +: 32] : 32'd0;

    assign o_rdata = reg32 == REGION_REGS ? reg_rd : reg32 == REGION_COUNTERS ? cnt_rd :
                     mrow[{chunk, 5'd0} +: 32];

    wire reg_wr  = state == P_WR && i_we && reg32 == REGION_REGS && chunk == 3'd0;
    wire ctrl_wr = reg_wr && row32 == REG_CTRL;
    assign o_cnt_clr = ctrl_wr && i_wdata[0];
    assign o_inc_prd = state == P_WR && !i_we;
    assign o_inc_pwr = state == P_WR && i_we;

    always @(posedge i_clk) begin
        if (i_rst) begin
            state     <= P_IDLE;
            o_core_id <= 8'd0;
            o_nu      <= {(NB+1){1'b0}};
            o_xu      <= 17'd0;
            err       <= 1'b0;
            sat       <= 1'b0;
        end else begin
            case (state)
                P_IDLE: if ((i_we || i_re) && i_core_idle) state <= P_RD;
                P_RD:   state <= P_WR;
                default: state <= P_IDLE;
            endcase
            if (reg_wr) begin
                if (row32 == REG_CORE_ID) o_core_id <= i_wdata[7:0];
                if (row32 == REG_NU && i_wdata <= C_N) o_nu <= i_wdata[NB:0];
                if (row32 == REG_XU && i_wdata <= C_X) o_xu <= i_wdata[16:0];
            end
            if (ctrl_wr && i_wdata[1]) begin
                err <= 1'b0;
                sat <= 1'b0;
            end else begin
                err <= err | i_err_set;
                sat <= sat | i_sat_set;
            end
        end
    end
endmodule
`default_nettype wire
