/*
 * nc_arith.v : the neurocore's integer primitives (docs/neurocore.md §0, §4.6, §5.2)
 *
 * Project : lsnn neurocore (rtl/)
 * Comments: Purely combinational, one module per primitive; the RTL's counterpart of
 *           runtime/include/lsnn/nc_arith.h. nc_neuron instantiates them (N1..N3), and
 *           hw/arith/nc_arith_tb.v runs nc_arith.h's check vectors and random operands through
 *           them (ctest test_rtl_arith):
 *             nc_rshr      rshr(x, s): x / 2^s rounded half up
 *             nc_leak_mul  x * k, the product of leak (N1 registers it)
 *             nc_leak      leak(x, k, f) = x - rshr(x * k, f), from that product
 *             nc_sat_s     sat_s(x, n) and its "saturated" flag
 *             nc_sat_u     sat_u(x, n) and its "saturated" flag
 *             nc_threshold A = b0 + rshr(a, G)
 *             nc_fires     the spike test (ref == 0) && (v > A)
 *           Every intermediate holds its exact value; each width's comment says why it does.
 */
`default_nettype none
// several small modules in one file (the rest of rtl/ has one per file)
/* verilator lint_off DECLFILENAME */

// rshr(x, s) = x for s = 0, else (x + 2^(s-1)) >>> s: floor((x + 2^(s-1)) / 2^s).
// ROUND = 0 drops the rounding term (a plain floor shift): only for nc_neuron's mutation check.
module nc_rshr #(
    parameter integer XW    = 32,           // x, signed
    parameter integer SW    = 5,            // s, unsigned: shifts 0..2^SW-1
    parameter integer ROUND = 1             // 1: half up (§0); 0: floor (mutation check only)
) (
    input  wire signed [XW-1:0] i_x,
    input  wire        [SW-1:0] i_s,
    output wire signed [XW-1:0] o_y         // rshr(x, s) fits x's width (below)
);
    // 2^(s-1) <= 2^(2^SW-2) needs 2^SW bits signed; the sum one more than either operand.
    localparam integer CW = 1 << SW;
    localparam integer RW = (XW > CW ? XW : CW) + 1;
    wire signed [RW-1:0] rnd;
    generate if (ROUND != 0) begin : gen_half
        wire [SW-1:0] s1 = i_s - {{(SW-1){1'b0}}, 1'b1};
        assign rnd = i_s == {SW{1'b0}} ? {RW{1'b0}} : ({{(RW-1){1'b0}}, 1'b1} << s1);
    end else begin : gen_floor
        assign rnd = {RW{1'b0}};
    end endgenerate
    wire signed [RW-1:0] q = ($signed({{(RW-XW){i_x[XW-1]}}, i_x}) + rnd) >>> i_s;
    // the quotient lies in [-2^(XW-1), 2^(XW-1)): x + 2^(s-1) over 2^s, s >= 1, is at most
    // (2^(XW-1) - 1 + 2^(s-1)) / 2^s < 2^(XW-1) and at least -2^(XW-1) / 2^s
    assign o_y = q[XW-1:0];
    wire unused_q = &{1'b0, q[RW-1:XW]};
endmodule

// leak's product p = x * k (signed x, unsigned k), kept apart from nc_leak so that the multiply
// can sit in an earlier pipeline stage than the shift (nc_neuron: N1, then N2).
module nc_leak_mul #(
    parameter integer XW = 24,              // x, signed
    parameter integer KW = 16,              // k, unsigned
    parameter integer PW = XW + KW          // p, signed; >= XW + KW
) (
    input  wire signed [XW-1:0] i_x,
    input  wire        [KW-1:0] i_k,
    output wire signed [PW-1:0] o_p
);
    // |x * k| <= 2^(XW-1) * (2^KW - 1) < 2^(XW+KW-1): XW + KW bits; a wider PW sign-extends.
    // Both operands are extended to PW (k with zeros) so the signed multiply is exact.
    assign o_p = $signed({{(PW-XW){i_x[XW-1]}}, i_x}) * $signed({{(PW-KW){1'b0}}, i_k});
endmodule

// leak(x, k, f) = x - rshr(p, f), p = x * k from nc_leak_mul (§4.6).
module nc_leak #(
    parameter integer XW    = 24,           // x, signed
    parameter integer PW    = 41,           // p = x * k, signed; >= XW
    parameter integer ROUND = 1             // nc_rshr's ROUND
) (
    input  wire signed [XW-1:0] i_x,
    input  wire signed [PW-1:0] i_p,
    input  wire        [4:0]    i_f,        // f, 0..31 (§4.6)
    output wire signed [PW:0]   o_y
);
    // rshr(p, f) fits PW bits (nc_rshr) and x fits XW <= PW bits: the difference, PW + 1,
    // for any k. With 0 <= k <= 2^f (§4.6) leak(x) lies between 0 and x, so a user that
    // relies on that may keep fewer bits.
    wire signed [PW-1:0] r;
    nc_rshr #(.XW(PW), .SW(5), .ROUND(ROUND)) u_rshr (.i_x(i_p), .i_s(i_f), .o_y(r));
    assign o_y = $signed({{(PW+1-XW){i_x[XW-1]}}, i_x}) - $signed({r[PW-1], r});
endmodule

// sat_s(x, OW): x clamped to [-2^(OW-1), 2^(OW-1) - 1]; o_sat when that changed x.
module nc_sat_s #(
    parameter integer IW = 28,              // x, signed; >= OW
    parameter integer OW = 24
) (
    input  wire signed [IW-1:0] i_x,
    output wire        [OW-1:0] o_y,
    output wire                 o_sat
);
    // x fits OW bits iff its bits IW-1..OW-1 are all equal (all sign)
    wire fits = &i_x[IW-1:OW-1] || ~|i_x[IW-1:OW-1];
    assign o_y   = fits ? i_x[OW-1:0] :
                   i_x[IW-1] ? {1'b1, {(OW-1){1'b0}}} : {1'b0, {(OW-1){1'b1}}};
    assign o_sat = !fits;
endmodule

// sat_u(x, OW): x clamped to [0, 2^OW - 1]; o_sat when that changed x.
module nc_sat_u #(
    parameter integer IW = 35,              // x, signed (two's complement); >= OW + 1
    parameter integer OW = 32
) (
    input  wire signed [IW-1:0] i_x,
    output wire        [OW-1:0] o_y,
    output wire                 o_sat
);
    wire neg = i_x[IW-1];
    wire big;                               // x >= 2^OW: a bit between OW and the sign set
    generate if (IW > OW + 1) begin : gen_big
        assign big = !neg && |i_x[IW-2:OW];
    end else begin : gen_nobig              // IW = OW + 1: a non-negative x is below 2^OW
        assign big = 1'b0;
    end endgenerate
    assign o_y   = neg ? {OW{1'b0}} : big ? {OW{1'b1}} : i_x[OW-1:0];
    assign o_sat = neg || big;
endmodule

// §5.2 the adaptive threshold A = b0 + rshr(a, G), b0 and a unsigned (§3: V-1 and V+G bits).
module nc_threshold #(
    parameter integer V = 24,
    parameter integer G = 8                 // 0..8
) (
    input  wire [V-2:0]   i_b0,
    input  wire [V+G-1:0] i_a,
    output wire [V+1:0]   o_A               // §3's V+2 bits; A < 2^(V+1), so the top bit is 0
);
    localparam integer AW = V + G;
    // rshr(a, G) <= (2^AW - 1 + 2^(G-1)) / 2^G < 2^V + 1: V+1 bits. a is unsigned, so the
    // rounding sum needs AW+1 bits, not nc_rshr's signed form.
    wire [V:0] ag;
    generate if (G > 0) begin : gen_arnd
        wire [AW:0] ar = {1'b0, i_a} + ({{AW{1'b0}}, 1'b1} << (G - 1));
        assign ag = ar[AW:G];
        wire unused_ar = &{1'b0, ar[G-1:0]};
    end else begin : gen_anornd             // rshr(a, 0) = a, no rounding bit
        assign ag = {1'b0, i_a};
    end endgenerate
    // b0 + rshr(a, G) < 2^(V-1) + 2^V + 1 <= 2^(V+1): exact in V+2 bits
    assign o_A = {3'b000, i_b0} + {1'b0, ag};
endmodule

// §5.2 the spike test: not refractory (ref before its update) and v strictly above A.
module nc_fires #(
    parameter integer V = 24,
    parameter integer Q = 8
) (
    input  wire [Q-1:0]         i_ref,
    input  wire signed [V-1:0]  i_v,
    input  wire [V+1:0]         i_A,        // nc_threshold's A, unsigned
    output wire                 o_fire
);
    // signed compare in V+3 bits: v sign-extended, A (V+2 bits, unsigned) zero-extended
    assign o_fire = i_ref == {Q{1'b0}} && $signed({{3{i_v[V-1]}}, i_v}) > $signed({1'b0, i_A});
endmodule
/* verilator lint_on DECLFILENAME */
`default_nettype wire
