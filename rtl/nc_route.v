/*
 * nc_route.v : spike buffer, RIX/RTE lookup and delivery (§5.2 routing phase, §10.1)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: The neuron phase marks its spikes (up to NL per cycle) in the spike buffer, N
 *           bits of flops; routing takes them in ascending n (a priority encoder), one cycle
 *           each:
 *             RT_RIX: RIX[n] of the next spike; route_lookups++. With no spike left, this
 *                     cycle is the drain cycle (o_last).
 *             RT_RTE: RTE[base+i] into the delivery register; route_reads++
 *           RIX and RTE are synchronous memories (§7a): each read is issued in the cycle
 *           that enters the state using it (the spike taken from the buffer then, the next
 *           RTE address), and the row holds through stalls.
 *           The delivery register delivers in the next cycle (overlapping the next read):
 *           own core -> latch_set into pend (priority over AER-in), other core -> NoC-out,
 *           HOST -> host-out. A delivery that cannot leave (NoC-out not ready, host-out full)
 *           holds the whole routing phase; each such cycle is a stall cycle.
 */
`default_nettype none
module nc_route #(
    parameter integer N   = 256,
    parameter integer R   = 1024,
    parameter integer NL  = 4,              // neuron lanes: spikes per cycle
    parameter integer FNW = 256
) (
    input  wire             i_clk,
    input  wire             i_rst,
    input  wire             i_reset_buf,    // START: empty the spike buffer
    input  wire [NL-1:0]    i_spk,          // lane k: neuron i_spk_g*NL + k spiked
    input  wire [NB-1:0]    i_spk_g,
    input  wire             i_start,        // the routing phase begins next cycle
    output wire             o_last,
    input  wire [7:0]       i_core_id,
    // deliveries
    output wire             o_lset,         // local latch_set
    output wire [15:0]      o_lset_x,
    output wire             o_noc_v,
    output wire [31:0]      o_noc_d,
    input  wire             i_noc_rdy,
    output wire             o_host_push,
    output wire [31:0]      o_host_d,
    input  wire             i_host_full,
    // counter increments
    output wire             o_inc_lookup,
    output wire             o_inc_read,
    output wire             o_inc_local,
    output wire             o_inc_core,
    output wire             o_inc_host,
    output wire             o_inc_stall,
    // programming port: RIX, RTE
    input  wire             i_pi_re, i_pi_we,
    input  wire             i_pe_re, i_pe_we,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [24:0]      i_p_row,        // low bits address (range checked by nc_prog)
    input  wire [31:0]      i_p_wd,         // RIX and RTE use the low RIX_W, RTE_W bits
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [RIX_W-1:0] o_pi_rd,
    output wire [RTE_W-1:0] o_pe_rd,
    input  wire             i_rm_ri, i_rm_re,
    input  wire [8*FNW-1:0] i_rm_file
);
    localparam integer NB  = $clog2(N);
    localparam integer RB  = $clog2(R);
    // the RIX and RTE rows of §7 (generated from neurocore.def)
`include "nc_row_RIX.vh"
`include "nc_row_RTE.vh"

    localparam [1:0] RT_IDLE = 2'd0, RT_RIX = 2'd1, RT_RTE = 2'd2;

    reg [1:0]    state;
    reg [RB-1:0] ra;
    reg [3:0]    left;
    reg [NB-1:0] rn;

    // ---- spike buffer: one bit per neuron ----
    reg  [N-1:0] pend;
    reg  [N-1:0] marks;                      // this cycle's spikes as bits
    integer      l;
    always @(*) begin
        marks = {N{1'b0}};
        for (l = 0; l < NL; l = l + 1)
            if (i_spk[l]) marks[(i_spk_g << $clog2(NL)) | l[NB-1:0]] = 1'b1;
    end
    // lowest set bit (the next spike) of the buffer as it stands, this cycle's marks included
    wire [N-1:0] pend_now = pend | marks;
    reg  [NB-1:0] first;
    integer       b;
    always @(*) begin
        first = {NB{1'b0}};
        for (b = N - 1; b >= 0; b = b - 1)
            if (pend_now[b]) first = b[NB-1:0];
    end
    wire          any = |pend_now;

    // ---- RIX, RTE ----
    wire [RIX_W-1:0] rix;
    wire [RTE_W-1:0] rte;
    wire             take;                  // enter RT_RIX now: take the next spike
    wire             to_rte, rte_next;      // enter RT_RTE / stay in it: read the next entry
    wire [RB-1:0]    ra_d;
    nc_ram #(.ROWS(N), .WIDTH(RIX_W), .FNW(FNW)) u_rix (
        .i_clk(i_clk), .i_we(i_pi_we), .i_wa(i_p_row[NB-1:0]), .i_wd(i_p_wd[RIX_W-1:0]),
        .i_re((take && any) || i_pi_re), .i_ra(i_pi_re ? i_p_row[NB-1:0] : first), .o_rd(rix),
        .i_rm(i_rm_ri), .i_rm_file(i_rm_file));
    assign o_pi_rd = rix;
    nc_ram #(.ROWS(R), .WIDTH(RTE_W), .FNW(FNW)) u_rte (
        .i_clk(i_clk), .i_we(i_pe_we), .i_wa(i_p_row[RB-1:0]), .i_wd(i_p_wd[RTE_W-1:0]),
        .i_re(to_rte || rte_next || i_pe_re), .i_ra(i_pe_re ? i_p_row[RB-1:0] : ra_d), .o_rd(rte),
        .i_rm(i_rm_re), .i_rm_file(i_rm_file));
    assign o_pe_rd = rte;
    wire [RB-1:0] x_base = rix[RIX_BASE_LSB +: RIX_BASE_W];
    wire [3:0]    x_cnt  = rix[RIX_CNT_LSB +: RIX_CNT_W];

    // ---- delivery register ----
    reg             dv;
    reg [RTE_W-1:0] de;
    reg [NB-1:0]    dn;
    wire [1:0]      d_kind = de[RTE_KIND_LSB +: RTE_KIND_W];
    wire            d_rel  = de[RTE_REL_LSB];
    wire [7:0]      d_core = de[RTE_CORE_LSB +: RTE_CORE_W];
    wire [15:0]     d_axon = de[RTE_AXON_LSB +: RTE_AXON_W];
    wire [15:0]     d_x    = d_rel ? d_axon + {{(16-NB){1'b0}}, dn} : d_axon;
    wire            d_loc  = dv && d_kind == 2'd1 && d_core == i_core_id;
    wire            d_noc  = dv && d_kind == 2'd1 && d_core != i_core_id;
    wire            d_host = dv && d_kind != 2'd1;
    wire            stall  = (d_noc && !i_noc_rdy) || (d_host && i_host_full);

    assign o_lset      = d_loc;
    assign o_lset_x    = d_x;
    assign o_noc_v     = d_noc;
    assign o_noc_d     = {8'd0, d_core, d_x};
    assign o_host_push = d_host && !i_host_full;
    assign o_host_d    = {16'd0, d_x};

    reg  more;                               // RT_RIX holds a spike (rn)
    assign o_last       = state == RT_RIX && !more && !stall;
    assign o_inc_lookup = state == RT_RIX && more && !stall;
    assign o_inc_read   = state == RT_RTE && !stall;
    assign o_inc_local  = d_loc;
    assign o_inc_core   = d_noc && !stall;
    assign o_inc_host   = d_host && !stall;
    assign o_inc_stall  = stall;

    assign take     = !stall && ((state == RT_IDLE && i_start) ||
                                 (state == RT_RIX && more && x_cnt == 4'd0) ||
                                 (state == RT_RTE && left == 4'd1));
    assign to_rte   = !stall && state == RT_RIX && more && x_cnt != 4'd0;
    assign rte_next = !stall && state == RT_RTE && left != 4'd1;
    assign ra_d     = to_rte ? x_base : rte_next ? ra + 1'b1 : ra;

    always @(posedge i_clk) begin
        if (i_rst || i_reset_buf) pend <= {N{1'b0}};
        else if (take) pend <= pend_now & ~({{(N-1){1'b0}}, any} << first);
        else pend <= pend_now;
        if (i_rst) begin
            state <= RT_IDLE;
            dv    <= 1'b0;
        end else if (!stall) begin
            // every RTE cycle loads its entry into the delivery register
            dv <= state == RT_RTE;
            if (state == RT_RTE) begin
                de <= rte;
                dn <= rn;
            end
            if (take) begin
                rn    <= first;
                more  <= any;
                state <= RT_RIX;
            end else case (state)
                RT_RIX:
                    if (!more)
                        state <= RT_IDLE;
                    else begin                       // x_cnt != 0: to_rte
                        ra    <= ra_d;
                        left  <= x_cnt;
                        state <= RT_RTE;
                    end
                RT_RTE: begin                        // left != 1: rte_next
                    ra   <= ra_d;
                    left <= left - 4'd1;
                end
                default: ;
            endcase
        end
    end
endmodule
`default_nettype wire
