/*
 * nc_router.v : one mesh router of the chip (docs/neurocore.md §16.2)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: Five ports, 0 L (the core), 1 E (x+1), 2 W (x-1), 3 N (y-1), 4 S (y+1). Every
 *           input port has a FIFO of B flits (i_b = noc_buffer, 1..BMAX, a run-time input;
 *           the storage is BMAX deep); outputs have no buffer. One cycle per hop:
 *             - the head flit of each input routes XY: E if its dst x > i_x, W if <, else S
 *               if its dst y > i_y, N if <, else L (§16.1 packet: dst y [23:20], x [19:16]);
 *             - each output grants one requesting input, round-robin from the input after
 *               last[o] (0 after reset) through 0..4 cyclically;
 *             - a grant on a ready output moves the flit: it leaves its FIFO at the edge and
 *               is in the downstream FIFO in the next cycle; last[o] becomes that input. On
 *               an output that is not ready nothing moves and last[o] is kept.
 *           Ready (i_dn_room) is the downstream FIFO's room at the start of the cycle (the
 *           neighbour's o_in_room, for L the core's AER-in not full, 0 towards a cell outside
 *           the active mesh), and i_stall is the platform's stall of the link (§16.7). Both
 *           are registered state or inputs, so no combinational path runs from router to
 *           router. o_in_room is this router's FIFO room at the start of the cycle: a pop in
 *           the same cycle does not make room (§16.2), so a FIFO never holds more than B.
 *           Counters (§16.9, 64-bit): flits[o] (a flit left through o; L counts ejections)
 *           and link_stalls[o] (o had a request and was not ready). The backdoor (counts and
 *           head flits) is for the harness's hang report.
 *           NC_MUTANT_WRONG_TURN (the mutation check, hw/CMakeLists.txt): the router of cell
 *           (0, 0) sends a flit injected by its core Y before X when both coordinates differ.
 *           Everything is still delivered; only routes, timing and counters change.
 */
`default_nettype none
module nc_router #(
    parameter integer BMAX = 16                 // deepest FIFO the run-time B may ask for
) (
    input  wire             i_clk,
    input  wire             i_rst,
    input  wire [3:0]       i_x,                // this router's cell
    input  wire [3:0]       i_y,
    input  wire [BW-1:0]    i_b,                // B = noc_buffer, 1..BMAX
    // inputs: a flit pushed into input FIFO p at the end of this cycle
    input  wire [4:0]       i_in_v,
    input  wire [5*32-1:0]  i_in_d,
    output wire [4:0]       o_in_room,          // FIFO p holds fewer than B flits
    // outputs
    input  wire [4:0]       i_dn_room,          // the downstream buffer can take a flit
    input  wire [4:0]       i_stall,            // the platform stalls output o (§16.7)
    output wire [4:0]       o_out_v,            // a flit leaves through output o
    output wire [5*32-1:0]  o_out_d,
    output wire             o_empty,            // every input FIFO empty
    output wire             o_move,             // some flit moved this cycle
    // counters and backdoor
    input  wire             i_cnt_clr,
    output wire [5*64-1:0]  o_flits,
    output wire [5*64-1:0]  o_stalls,
    output wire [5*BW-1:0]  o_cnt,
    output wire [5*32-1:0]  o_head
);
    localparam integer BW = $clog2(BMAX + 1);   // a count 0..BMAX
    localparam integer AB = BMAX > 1 ? $clog2(BMAX) : 1;
    /* verilator lint_off WIDTH */
    localparam [AB-1:0] LAST = BMAX - 1;
    /* verilator lint_on WIDTH */
    localparam [2:0] P_L = 3'd0, P_E = 3'd1, P_W = 3'd2, P_N = 3'd3, P_S = 3'd4;

    // ---- the five input FIFOs ----
    wire [4:0]  valid;
    wire [4:0]  pop;
    wire [31:0] head [0:4];
    genvar p;
    generate for (p = 0; p < 5; p = p + 1) begin : gen_in
        (* mem2reg *) reg [31:0] mem [0:BMAX-1];   // flops (§7a), as nc_fifo
        reg [AB-1:0] rp, wp;
        reg [BW-1:0] n;
        wire push = i_in_v[p];                  // the producer saw o_in_room[p]
        always @(posedge i_clk) begin
            if (push) mem[wp] <= i_in_d[32*p +: 32];
            if (i_rst) begin
                rp <= {AB{1'b0}};
                wp <= {AB{1'b0}};
                n  <= {BW{1'b0}};
            end else begin
                if (push)   wp <= wp == LAST ? {AB{1'b0}} : wp + 1'b1;
                if (pop[p]) rp <= rp == LAST ? {AB{1'b0}} : rp + 1'b1;
                if (push && !pop[p]) n <= n + 1'b1;
                else if (pop[p] && !push) n <= n - 1'b1;
            end
        end
        assign valid[p]          = n != {BW{1'b0}};
        assign head[p]           = mem[rp];
        assign o_in_room[p]      = n < i_b;
        assign o_cnt[BW*p +: BW] = n;
        assign o_head[32*p +: 32] = mem[rp];
    end endgenerate
    assign o_empty = !(|valid);

    // ---- XY routing of each head flit ----
    /* verilator lint_off UNUSEDSIGNAL */
    function [2:0] route(input [31:0] f, input [3:0] x, input [3:0] y, input from_l);
    /* verilator lint_on UNUSEDSIGNAL */
        reg [3:0] dx, dy;
        begin
            dx = f[19:16];
            dy = f[23:20];
            route = dx > x ? P_E : dx < x ? P_W : dy > y ? P_S : dy < y ? P_N : P_L;
`ifdef NC_MUTANT_WRONG_TURN
            // the mutant: cell (0, 0) turns Y first for its own core's flits
            if (from_l && x == 4'd0 && y == 4'd0 && dx != x && dy != y) route = P_S;
`endif
        end
    endfunction

    // req[5*o + p]: input p's head flit routes to output o
    reg [24:0] req;
    integer q;
    always @(*) begin
        req = 25'd0;
        for (q = 0; q < 5; q = q + 1)
            if (valid[q]) req[5 * route(head[q], i_x, i_y, q == 0) + q] = 1'b1;
    end

    // round-robin: the first requesting input after l, cyclically 0..4 (l itself last)
    function [2:0] rr(input [4:0] rq, input [2:0] l);
        integer k;
        reg [2:0] c;
        reg       found;
        begin
            rr    = 3'd0;
            found = 1'b0;
            c     = l;
            for (k = 0; k < 5; k = k + 1) begin
                c = c == 3'd4 ? 3'd0 : c + 3'd1;
                if (!found && rq[c]) begin
                    rr    = c;
                    found = 1'b1;
                end
            end
        end
    endfunction

    // ---- per output: arbitration, move, last[o], counters ----
    wire [4:0] ready = i_dn_room & ~i_stall;
    wire [2:0] gnt [0:4];
    wire [4:0] rq_any;
    genvar o;
    generate for (o = 0; o < 5; o = o + 1) begin : gen_out
        reg [2:0]  last;
        reg [63:0] c_flits, c_stalls;
        wire [4:0] rq = req[5*o +: 5];
        assign rq_any[o]  = |rq;
        assign gnt[o]     = rr(rq, last);
        assign o_out_v[o] = rq_any[o] && ready[o];
        assign o_out_d[32*o +: 32] = head[gnt[o]];
        always @(posedge i_clk) begin
            if (i_rst) last <= 3'd0;
            else if (o_out_v[o]) last <= gnt[o];
            if (i_rst || i_cnt_clr) begin
                c_flits  <= 64'd0;
                c_stalls <= 64'd0;
            end else begin
                c_flits  <= c_flits + {63'd0, o_out_v[o]};
                c_stalls <= c_stalls + {63'd0, rq_any[o] && !ready[o]};
            end
        end
        assign o_flits[64*o +: 64]  = c_flits;
        assign o_stalls[64*o +: 64] = c_stalls;
    end endgenerate

    // an input is popped when the output its head routes to moves it
    generate for (p = 0; p < 5; p = p + 1) begin : gen_pop
        /* verilator lint_off WIDTH */
        localparam [2:0] PI = p;
        /* verilator lint_on WIDTH */
        assign pop[p] = (o_out_v[0] && gnt[0] == PI) || (o_out_v[1] && gnt[1] == PI) ||
                        (o_out_v[2] && gnt[2] == PI) || (o_out_v[3] && gnt[3] == PI) ||
                        (o_out_v[4] && gnt[4] == PI);
    end endgenerate
    assign o_move = |o_out_v;
endmodule
`default_nettype wire
