/*
 * nc_chipctl.v : the chip controller: commands, the tick barrier, chip counters (§16.5, §16.9)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: A TICK or CLEAR accepted from the host bus at T0 (i_take; nc_chip pushes the word
 *           into every enabled core's AER-in in that cycle) runs as
 *             CC_IDLE (T0)  -> CC_RUN (T0+1 .. Tq-1: until the chip is quiet)
 *                           -> barrier: Tq (still CC_RUN, it sees quiet) and CC_BAR
 *                              (Tq+1 .. Tq+Lb-1)
 *                           -> CC_IDLE at Tq+Lb; chip_ticks++ (chip_clears++) at that edge.
 *           i_quiet is the chip's state at the start of the cycle (every enabled core idle,
 *           every AER-in FIFO empty, every router FIFO empty); quiet is monotone (§16.5), so
 *           the first quiet cycle is Tq. Lb = 2*(mesh_x + mesh_y) - 2 (>= 2) is counted, not
 *           built: it is the cycles of the honest tree of §16.5 (register the quiet flags,
 *           AND them hop by hop to cell (0, 0), register, broadcast `go` back).
 *           chip_cycles counts every cycle T0 .. Tq+Lb-1, barrier_cycles Tq .. Tq+Lb-1.
 *           i_cnt_clr zeroes the counters (the harness, after loading).
 */
`default_nettype none
module nc_chipctl (
    input  wire         i_clk,
    input  wire         i_rst,
    input  wire         i_take,             // a TICK/CLEAR is accepted in this cycle (T0)
    input  wire         i_clear,            // ... and it is CLEAR
    input  wire         i_quiet,
    input  wire [6:0]   i_lb,               // Lb, 2..62
    input  wire         i_cnt_clr,
    output wire         o_idle,
    output wire [63:0]  o_ticks,
    output wire [63:0]  o_clears,
    output wire [63:0]  o_cycles,
    output wire [63:0]  o_barrier
);
    localparam [1:0] CC_IDLE = 2'd0, CC_RUN = 2'd1, CC_BAR = 2'd2;

    reg [1:0]  state;
    reg        is_clear;
    reg [6:0]  bcnt;                        // barrier cycles done before this one
    reg [63:0] c_ticks, c_clears, c_cycles, c_barrier;

    wire bar  = (state == CC_RUN && i_quiet) || state == CC_BAR;   // a barrier cycle
    wire done = bar && (state == CC_RUN ? 7'd1 : bcnt + 7'd1) == i_lb;   // its last one
    wire cyc  = (state == CC_IDLE && i_take) || state != CC_IDLE;

    assign o_idle = state == CC_IDLE;

    always @(posedge i_clk) begin
        if (i_rst) begin
            state <= CC_IDLE;
        end else case (state)
            CC_IDLE:
                if (i_take) begin
                    is_clear <= i_clear;
                    state    <= CC_RUN;
                end
            CC_RUN:
                if (i_quiet) begin
                    bcnt  <= 7'd1;
                    state <= done ? CC_IDLE : CC_BAR;
                end
            default: begin                  // CC_BAR
                bcnt <= bcnt + 7'd1;
                if (done) state <= CC_IDLE;
            end
        endcase
        if (i_rst || i_cnt_clr) begin
            c_ticks   <= 64'd0;
            c_clears  <= 64'd0;
            c_cycles  <= 64'd0;
            c_barrier <= 64'd0;
        end else begin
            c_ticks   <= c_ticks + {63'd0, done && !is_clear};
            c_clears  <= c_clears + {63'd0, done && is_clear};
            c_cycles  <= c_cycles + {63'd0, cyc};
            c_barrier <= c_barrier + {63'd0, bar};
        end
    end
    assign o_ticks   = c_ticks;
    assign o_clears  = c_clears;
    assign o_cycles  = c_cycles;
    assign o_barrier = c_barrier;
endmodule
`default_nettype wire
