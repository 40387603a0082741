#!/usr/bin/env python3
"""dbgport.py NETLIST - give the gate-level netlist the simulation backdoor of the RTL.

rtl/nc_neurons.v reads STATE row i_dbg_n for the Verilator harness (o_dbg_state) from its STATE
bank models, outside synthesis only; synthesised (-DSYNTHESIS), the port is tied to 0. The
netlist keeps the memories' instance names (hw/gates/synth.ys) and simulates them with their
behavioural nc_ram, so this script replaces the port's constant driver with the same read:
bank i_dbg_n mod NL, row i_dbg_n div NL, by hierarchical reference into the bank models. It
is no logic of the core (report.py leaves o_dbg_state out of the power, sta.tcl out of the
timing). Rewrites NETLIST in place; fails, naming the netlist, when it finds no STATE bank."""
import re
import sys


def fail(msg):
    sys.stderr.write("dbgport.py: error: %s\n" % msg)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        fail("usage: dbgport.py NETLIST")
    path = sys.argv[1]
    try:
        text = open(path).read()
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))
    lanes = sorted({int(k) for k in re.findall(r"\\u_neu\.gen_lane\[(\d+)\]\.u_state\s", text)})
    nl = len(lanes)
    if nl == 0 or lanes != list(range(nl)) or nl & (nl - 1):
        fail("%s: the STATE banks (u_neu.gen_lane[k].u_state) are not lanes 0..NL-1, NL a power"
             " of 2: %s" % (path, lanes))
    m = re.search(r"output\s+\[(\d+):0\]\s+o_dbg_state\s*;", text)
    if not m:
        fail("%s: no output o_dbg_state" % path)
    width = int(m.group(1)) + 1
    text, n = re.subn(r"\n[ \t]*assign[ \t]+o_dbg_state\b[^;]*;", "", text)
    if n == 0:
        fail("%s: no driver of o_dbg_state to replace" % path)
    lb = nl.bit_length() - 1
    row = "i_dbg_n >> %d" % lb if lb else "i_dbg_n"

    def bank(k):
        return "\\u_neu.gen_lane[%d].u_state .mem[%s]" % (k, row)

    expr = bank(nl - 1)
    for k in range(nl - 2, -1, -1):
        expr = "(i_dbg_n[%d:0] == %d'd%d) ? %s : %s" % (lb - 1, lb, k, bank(k), expr)
    port = ("\n  // hw/gates/dbgport.py: the simulation backdoor of rtl/nc_neurons.v (STATE row i_dbg_n"
            "\n  // from the bank models); no logic of the core\n"
            "  wire [%d:0] dbg_state_row = %s;\n  assign o_dbg_state = dbg_state_row;\n"
            % (width - 1, expr))
    end = text.rfind("endmodule")
    if end < 0:
        fail("%s: no endmodule" % path)
    text = text[:end] + port + text[end:]
    with open(path + ".tmp", "w") as f:
        f.write(text)
    import os
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
