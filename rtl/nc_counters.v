/*
 * nc_counters.v : the 64-bit activity counters of docs/neurocore.md §11
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: Counter i (0..N_COUNTERS-1, neurocore.def's list) adds i_inc[4i+3:4i] every cycle
 *           (0..8: syn_ops and sat_acc can count up to S lanes at once). Rows N_COUNTERS..31
 *           of region 0xA are reserved and read 0. i_clr (CTRL bit 0) zeroes all of them and
 *           wins over that cycle's increments. o_cnt is the flat array, counter i in
 *           [64i+63:64i].
 */
`default_nettype none
module nc_counters (
    input  wire                      i_clk,
    input  wire                      i_rst,
    input  wire                      i_clr,
    input  wire [N_COUNTERS*4-1:0]   i_inc,
    output wire [CNT_ROWS*64-1:0]    o_cnt
);
`include "nc_numbers.vh"

    (* mem2reg *) reg [63:0] c [0:N_COUNTERS-1];  // flops: every counter counts every cycle

    genvar i;
    generate for (i = 0; i < CNT_ROWS; i = i + 1) begin : gen_cnt
        if (i < N_COUNTERS) begin : gen_live
            always @(posedge i_clk)
                if (i_rst || i_clr) c[i] <= 64'd0;
                else c[i] <= c[i] + {60'd0, i_inc[4*i +: 4]};
            assign o_cnt[64*i +: 64] = c[i];
        end else begin : gen_reserved
            assign o_cnt[64*i +: 64] = 64'd0;
        end
    end endgenerate
endmodule
`default_nettype wire
