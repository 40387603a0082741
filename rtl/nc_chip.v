/*
 * nc_chip.v : the chip of docs/neurocore.md §16 (contract version 2)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: An MX x MY array of cells (the largest mesh; the active mesh i_mesh_x x i_mesh_y,
 *           1..MX x 1..MY, is a run-time input, as is B = i_b, 1..BMAX). Each cell holds a
 *           `neurocore` (the core parameters are passed to it unchanged) and an `nc_router`;
 *           the chip controller (`nc_chipctl`) runs the commands and the tick barrier.
 *           Cells are named {y[3:0], x[3:0]} = 16*y + x, the core id of §16.1, on every bus
 *           and in the backdoor; cells outside the active mesh are held in reset (disabled).
 *             - Mesh links: output E of (x, y) feeds input W of (x+1, y), W feeds E of (x-1),
 *               N feeds S of (x, y-1), S feeds N of (x, y+1). An output towards a cell
 *               outside the active mesh is never ready (only a flit for a cell outside the
 *               mesh asks for one: the harness reports it as a hang).
 *             - Injection: the core's NoC-out word enters the router's L input FIFO;
 *               i_noc_ready = that FIFO holds fewer than B flits (§16.2).
 *             - AER-in has one write port: the router's L output (an EVENT word = the
 *               flit's axon) has priority over the controller's TICK/CLEAR and the host
 *               bus's EVENT; the three never meet (§16.3: host words only while the chip is
 *               idle, flits only during a command).
 *             - Host bus: one word a cycle, only while the controller is idle. An EVENT (or a
 *               reserved type-3 word, which the core counts as bad) goes to core i_host_cell
 *               when that core's AER-in is not full; TICK or CLEAR goes to every enabled core
 *               when every AER-in FIFO is empty and no programming access is pending (T0;
 *               each core pops it at T0+1 and starts at T0+2).
 *             - Programming bus: the core port of §9 with a core select; the strobe reaches
 *               the selected core only while the controller is idle (a core answers after
 *               its 3 cycles).
 *             - Quiet (§16.5): every enabled core idle, every AER-in FIFO empty, every router
 *               FIFO empty, all at the start of the cycle.
 *           Backdoor (no cycle, no counter): i_dbg_cell selects the core whose STATE row
 *           i_dbg_n, counters and router counters/FIFOs are shown; the chip counters and the
 *           per-cell monitors (NoC-out words as they enter the L FIFO, busy flags) are for the
 *           Verilator harness (hw/rtl_chip.cpp).
 */
`include "nc_defaults.vh"
`default_nettype none
module nc_chip #(
    parameter integer MX       = 4,                    // mesh columns built, 1..16
    parameter integer MY       = 4,                    // mesh rows built, 1..16
    parameter integer BMAX     = 16,                   // router FIFO storage, >= 1
    parameter integer N        = `NC_DEFAULT_N,        // the core parameters (neurocore.v)
    parameter integer X        = `NC_DEFAULT_X,
    parameter integer M        = `NC_DEFAULT_M,
    parameter integer S        = `NC_DEFAULT_S,
    parameter integer D        = `NC_DEFAULT_D,
    parameter integer P        = `NC_DEFAULT_P,
    parameter integer R        = `NC_DEFAULT_R,
    parameter integer W        = `NC_DEFAULT_W,
    parameter integer V        = `NC_DEFAULT_V,
    parameter integer U        = `NC_DEFAULT_U,
    parameter integer G        = `NC_DEFAULT_G,
    parameter integer Q        = `NC_DEFAULT_Q,
    parameter integer K        = `NC_DEFAULT_K,
    parameter integer FIFO_IN  = `NC_DEFAULT_FIFO_IN,
    parameter integer FIFO_OUT = `NC_DEFAULT_FIFO_OUT,
    parameter integer NL       = `NC_DEFAULT_NL,
    parameter integer FNW      = 256
) (
    input  wire                     i_clk,
    input  wire                     i_rst,
    // run-time configuration (hold while out of reset)
    input  wire [4:0]               i_mesh_x,       // 1..MX
    input  wire [4:0]               i_mesh_y,       // 1..MY
    input  wire [BW-1:0]            i_b,            // noc_buffer, 1..BMAX
    // host bus
    input  wire                     i_host_valid,
    input  wire [7:0]               i_host_cell,    // {y, x} of an EVENT's core
    input  wire [31:0]              i_host_data,    // EVENT, TICK or CLEAR (§5.1 word types)
    output wire                     o_host_ready,
    // programming bus
    input  wire [7:0]               i_prog_cell,
    input  wire                     i_prog_we,
    input  wire                     i_prog_re,
    input  wire [31:0]              i_prog_addr,
    input  wire [31:0]              i_prog_wdata,
    output wire                     o_prog_ready,
    output wire [31:0]              o_prog_rdata,
    // host-out, one port per cell (index y*MX + x)
    output wire [CELLS-1:0]         o_hout_valid,
    output wire [CELLS*32-1:0]      o_hout_data,
    input  wire [CELLS-1:0]         i_hout_ready,
    // link stalls (§16.7): bit 5*(y*MX + x) + o stalls output o of router (x, y)
    input  wire [CELLS*5-1:0]       i_link_stall,
    // $readmemh into one core (simulation)
    input  wire                     i_rm_en,
    input  wire [7:0]               i_rm_cell,
    input  wire [3:0]               i_rm_region,
    input  wire [8*FNW-1:0]         i_rm_file,
    // chip counters (§16.9) and their clear (with every router's link counters)
    input  wire                     i_cnt_clr,
    output wire [63:0]              o_chip_ticks,
    output wire [63:0]              o_chip_clears,
    output wire [63:0]              o_chip_cycles,
    output wire [63:0]              o_barrier_cycles,
    output wire                     o_idle,         // the controller is idle
    // backdoor, cell i_dbg_cell
    input  wire [7:0]               i_dbg_cell,
    input  wire [NB-1:0]            i_dbg_n,
    output wire [STATE_W-1:0]       o_dbg_state,
    output wire [CNT_ROWS*64-1:0]   o_counters,
    output wire [5*64-1:0]          o_link_flits,   // flits[o], o = 0 L .. 4 S
    output wire [5*64-1:0]          o_link_stalls,
    output wire [5*BW-1:0]          o_fifo_cnt,     // input FIFO p's flits
    output wire [5*32-1:0]          o_fifo_head,    // input FIFO p's head flit
    // monitors
    output wire [CELLS-1:0]         o_inj_valid,    // a NoC-out word enters the L FIFO
    output wire [CELLS*32-1:0]      o_inj_data,
    output wire [CELLS-1:0]         o_busy,         // core not idle
    output wire                     o_noc_busy,     // some router FIFO holds a flit
    output wire                     o_noc_move      // some flit moved this cycle
);
    localparam integer CELLS = MX * MY;
    localparam integer BW    = $clog2(BMAX + 1);
    localparam integer NB    = $clog2(N);
`include "nc_row_STATE.vh"
`include "nc_numbers.vh"

    // ---- per-cell wires (cell c = y*MX + x) ----
    // Wide per-cell values are arrays, not one flat vector: the backdoor and the bus answer
    // index them, and a simulator need not rebuild a CELLS-wide concatenation every cycle.
    wire [CELLS-1:0]       en, ain_ready, ain_empty, core_busy, noc_v, r_empty, r_move;
    wire [CELLS-1:0]       hsel, psel, p_ready;
    wire [CELLS*5-1:0]     in_room, out_v;
    wire [CELLS-1:0]       eject;              // the router's L output pushes into AER-in
    // (edge outputs lead nowhere; an ejected flit keeps only its axon)
    /* verilator lint_off UNUSEDSIGNAL */
    wire [159:0]           out_d     [0:CELLS-1];
    /* verilator lint_on UNUSEDSIGNAL */
    wire [31:0]            noc_d     [0:CELLS-1];
    wire [31:0]            p_rdata   [0:CELLS-1];
    wire [STATE_W-1:0]     dbg_state [0:CELLS-1];
    wire [CNT_ROWS*64-1:0] counters  [0:CELLS-1];
    wire [319:0]           flits     [0:CELLS-1];
    wire [319:0]           stalls    [0:CELLS-1];
    wire [5*BW-1:0]        fcnt      [0:CELLS-1];
    wire [159:0]           fhead     [0:CELLS-1];

    // ---- controller and host bus ----
    wire        ctl_idle;
    wire [1:0]  htyp    = i_host_data[31:30];
    wire        h_cmd   = htyp == 2'b01 || htyp == 2'b10;
    wire        prog_rq = i_prog_we || i_prog_re;
    wire        all_empty = &(ain_empty | ~en);
    wire        cmd_ok  = ctl_idle && all_empty && !prog_rq;
    // an EVENT's core: enabled, AER-in not full, not ejecting (never while idle)
    wire        ev_ok   = ctl_idle && |(hsel & en & ain_ready & ~eject);
    wire        take    = i_host_valid && h_cmd && cmd_ok;
    wire        quiet   = &(~en | (~core_busy & ain_empty)) && &r_empty;
    wire [5:0]  msum    = {1'b0, i_mesh_x} + {1'b0, i_mesh_y};
    wire [6:0]  lb      = {msum, 1'b0} - 7'd2;   // Lb = 2*(mesh_x + mesh_y) - 2
    assign o_host_ready = h_cmd ? cmd_ok : ev_ok;

    nc_chipctl u_ctl (
        .i_clk(i_clk), .i_rst(i_rst), .i_take(take), .i_clear(htyp == 2'b10),
        .i_quiet(quiet), .i_lb(lb), .i_cnt_clr(i_cnt_clr), .o_idle(ctl_idle),
        .o_ticks(o_chip_ticks), .o_clears(o_chip_clears), .o_cycles(o_chip_cycles),
        .o_barrier(o_barrier_cycles));
    assign o_idle = ctl_idle;

    // ---- the cells ----
    genvar gx, gy;
    generate for (gy = 0; gy < MY; gy = gy + 1) begin : gen_y
        for (gx = 0; gx < MX; gx = gx + 1) begin : gen_x
            localparam integer C = gy * MX + gx;
            /* verilator lint_off WIDTH */
            localparam [7:0] ID = 16 * gy + gx;
            localparam [4:0] X1 = gx + 1, Y1 = gy + 1;
            /* verilator lint_on WIDTH */
            // a cell outside the active mesh: held in reset and its clock gated off
            wire rst = i_rst || !en[C];
            wire gclk;
            nc_cg u_cg (.i_clk(i_clk), .i_en(en[C] || i_rst), .o_gclk(gclk));
            assign en[C]   = X1 <= i_mesh_x && Y1 <= i_mesh_y;
            assign hsel[C] = i_host_cell == ID;
            assign psel[C] = i_prog_cell == ID && en[C];

            // AER-in: ejection (priority), command, host EVENT
            wire ev_push  = i_host_valid && !h_cmd && ctl_idle && hsel[C] && en[C] &&
                            ain_ready[C] && !eject[C];
            wire cmd_push = take && en[C];
            assign eject[C] = out_v[5*C];
            wire        ain_v = eject[C] || cmd_push || ev_push;
            wire [31:0] ain_d = eject[C] ? {16'd0, out_d[C][15:0]} : i_host_data;

            wire p_go = psel[C] && ctl_idle;
            neurocore #(.N(N), .X(X), .M(M), .S(S), .D(D), .P(P), .R(R), .W(W), .V(V), .U(U),
                        .G(G), .Q(Q), .K(K), .FIFO_IN(FIFO_IN), .FIFO_OUT(FIFO_OUT), .NL(NL),
                        .FNW(FNW)) u_core (
                .i_clk(gclk), .i_rst(rst),
                .i_ain_valid(ain_v), .i_ain_data(ain_d), .o_ain_ready(ain_ready[C]),
                .o_ain_empty(ain_empty[C]),
                .o_hout_valid(o_hout_valid[C]), .o_hout_data(o_hout_data[32*C +: 32]),
                .i_hout_ready(i_hout_ready[C]),
                .o_noc_valid(noc_v[C]), .o_noc_data(noc_d[C]),
                .i_noc_ready(in_room[5*C]),
                .i_prog_we(i_prog_we && p_go), .i_prog_re(i_prog_re && p_go),
                .i_prog_addr(i_prog_addr), .i_prog_wdata(i_prog_wdata),
                .o_prog_ready(p_ready[C]), .o_prog_rdata(p_rdata[C]),
                .i_rm_en(i_rm_en && i_rm_cell == ID && en[C]), .i_rm_region(i_rm_region),
                .i_rm_file(i_rm_file),
                .i_dbg_n(i_dbg_n), .o_dbg_state(dbg_state[C]), .o_counters(counters[C]),
                .o_busy(core_busy[C]));

            // router inputs: L from the core, E from (x+1)'s W output, W from (x-1)'s E,
            // N from (y-1)'s S, S from (y+1)'s N; outputs: room downstream (active mesh only)
            wire [4:0]   in_v, dn_room;
            wire [159:0] in_d;
            assign in_v[0] = noc_v[C] && in_room[5*C];
            assign in_d[31:0] = noc_d[C];
            assign dn_room[0] = ain_ready[C];
            if (gx + 1 < MX) begin : gen_e
                assign in_v[1] = out_v[5*(C+1) + 2];
                assign in_d[32 +: 32] = out_d[C+1][95:64];
                assign dn_room[1] = X1 < i_mesh_x && in_room[5*(C+1) + 2];
            end else begin : gen_e_edge
                assign in_v[1] = 1'b0;
                assign in_d[32 +: 32] = 32'd0;
                assign dn_room[1] = 1'b0;
            end
            if (gx > 0) begin : gen_w
                assign in_v[2] = out_v[5*(C-1) + 1];
                assign in_d[64 +: 32] = out_d[C-1][63:32];
                assign dn_room[2] = in_room[5*(C-1) + 1];
            end else begin : gen_w_edge
                assign in_v[2] = 1'b0;
                assign in_d[64 +: 32] = 32'd0;
                assign dn_room[2] = 1'b0;
            end
            if (gy > 0) begin : gen_n
                assign in_v[3] = out_v[5*(C-MX) + 4];
                assign in_d[96 +: 32] = out_d[C-MX][159:128];
                assign dn_room[3] = in_room[5*(C-MX) + 4];
            end else begin : gen_n_edge
                assign in_v[3] = 1'b0;
                assign in_d[96 +: 32] = 32'd0;
                assign dn_room[3] = 1'b0;
            end
            if (gy + 1 < MY) begin : gen_s
                assign in_v[4] = out_v[5*(C+MX) + 3];
                assign in_d[128 +: 32] = out_d[C+MX][127:96];
                assign dn_room[4] = Y1 < i_mesh_y && in_room[5*(C+MX) + 3];
            end else begin : gen_s_edge
                assign in_v[4] = 1'b0;
                assign in_d[128 +: 32] = 32'd0;
                assign dn_room[4] = 1'b0;
            end

            /* verilator lint_off WIDTH */
            localparam [3:0] CX = gx, CY = gy;
            /* verilator lint_on WIDTH */
            nc_router #(.BMAX(BMAX)) u_router (
                .i_clk(gclk), .i_rst(rst), .i_x(CX), .i_y(CY), .i_b(i_b),
                .i_in_v(in_v), .i_in_d(in_d), .o_in_room(in_room[5*C +: 5]),
                .i_dn_room(dn_room), .i_stall(i_link_stall[5*C +: 5]),
                .o_out_v(out_v[5*C +: 5]), .o_out_d(out_d[C]),
                .o_empty(r_empty[C]), .o_move(r_move[C]), .i_cnt_clr(i_cnt_clr),
                .o_flits(flits[C]), .o_stalls(stalls[C]), .o_cnt(fcnt[C]), .o_head(fhead[C]));

            assign o_inj_valid[C] = in_v[0];
            assign o_inj_data[32*C +: 32] = noc_d[C];
        end
    end endgenerate
    assign o_busy     = core_busy;
    assign o_noc_busy = !(&r_empty);
    assign o_noc_move = |r_move;

    // ---- programming bus answer and backdoor: the cell {y, x} -> its index y*MX + x ----
    localparam integer IB = CELLS > 1 ? $clog2(CELLS) : 1;
    /* verilator lint_off WIDTH */
    localparam [IB:0] NCELLS = CELLS;
    function [IB:0] cell_index(input [7:0] id);     // CELLS when id is outside MX x MY
        cell_index = id[3:0] < MX && id[7:4] < MY ? id[7:4] * MX + id[3:0] : NCELLS;
    endfunction
    /* verilator lint_on WIDTH */
    wire [IB:0] pidx = cell_index(i_prog_cell);
    wire [IB:0] didx = cell_index(i_dbg_cell);
    wire        dok  = didx < NCELLS;
    wire [IB-1:0] di = didx[IB-1:0];
    assign o_prog_ready  = |(p_ready & psel);
    assign o_prog_rdata  = pidx < NCELLS ? p_rdata[pidx[IB-1:0]] : 32'd0;
    assign o_dbg_state   = dok ? dbg_state[di] : {STATE_W{1'b0}};
    assign o_counters    = dok ? counters[di] : {(CNT_ROWS*64){1'b0}};
    assign o_link_flits  = dok ? flits[di] : 320'd0;
    assign o_link_stalls = dok ? stalls[di] : 320'd0;
    assign o_fifo_cnt    = dok ? fcnt[di] : {(5*BW){1'b0}};
    assign o_fifo_head   = dok ? fhead[di] : 160'd0;
endmodule
`default_nettype wire
