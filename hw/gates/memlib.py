#!/usr/bin/env python3
"""memlib.py - timing models of the netlist's black-box memories, and the netlists OpenSTA reads.

usage: memlib.py OUT_DIR ACCESS_NS SETUP_NS [RTL files...]

The synthesis (synth.ys) keeps every memory module (name nc_ram* or nc_sram*) as a black box
whose instances carry their parameters (ROWS, WIDTH, ...). This script
  1. finds those instances in OUT_DIR/netlist.v and OUT_DIR/netlist_named.v;
  2. for each distinct module + parameter set, asks yosys for the module's interface and its
     behaviour (proc; memory -nomap: which outputs are clocked, which are combinational from
     which inputs, which inputs are sampled by the clock), so that whatever ports the memory has
     (today nc_ram's asynchronous port A and synchronous port B; tomorrow synchronous-read
     SRAM wrappers) are timed by what they do, not by their names;
  3. writes OUT_DIR/memories.lib: one liberty cell per parameter set (MODULE_P1_P2..., area 0,
     no power: the memories are priced apart, docs/gates.md) with the stated access time
     ACCESS_NS for clock->output and address->output arcs and SETUP_NS for the clocked inputs;
  4. writes OUT_DIR/netlist_sta.v and OUT_DIR/netlist_named_sta.v, the netlists with each
     memory instance's `MODULE #(...)` replaced by its cell name (OpenSTA links by cell name and
     cannot take parameters);
  5. writes OUT_DIR/netlist_power_sta.v, the netlist without the memories (OpenSTA's
     report_power), and OUT_DIR/memories.tsv: instance, module, rows, width, bits and the
     port kinds.
"""
import json
import os
import re
import subprocess
import sys

MEM_RE = re.compile(r"^(\s*)((?:nc_ram|nc_sram)\w*)\s*#\((.*?)\)\s*(\S+)\s*\(", re.S | re.M)
PARAM_RE = re.compile(r"\.(\w+)\(\s*(?:\d+'s?[dD])?(\d+)\s*\)")
FF_TYPES = ("$dff", "$dffe", "$sdff", "$sdffe", "$sdffce", "$adff", "$adffe", "$aldff",
            "$aldffe", "$dffsr", "$dffsre")


def fail(msg):
    sys.stderr.write("memlib.py: error: %s\n" % msg)
    sys.exit(1)


def instances(text):
    """(module, {param: int}, instance) of every memory instance of a netlist."""
    out = []
    for m in MEM_RE.finditer(text):
        params = {k: int(v) for k, v in PARAM_RE.findall(m.group(3))}
        out.append((m.group(2), params, m.group(4)))
    return out


def cell_name(module, params):
    return module + "".join("_%s%d" % (k, v) for k, v in sorted(params.items()) if k != "FNW")


def behaviour(module, params, rtl, work):
    """Ports {name: (direction, width)}, the clock port, the clocked outputs, the combinational
    arcs {output: set(inputs)} and the clocked inputs of one parameter set."""
    js = os.path.join(work, "mem_%s.json" % cell_name(module, params))
    sets = " ".join("-set %s %d" % kv for kv in sorted(params.items()))
    script = ("read_verilog -DSYNTHESIS -I%s %s; chparam %s %s; hierarchy -top %s; flatten; "
              "proc; opt; memory -nomap; opt_clean; write_json %s" %
              (os.path.join(os.path.dirname(rtl[0]), "gen"), " ".join(rtl), sets, module, module,
               js))
    r = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True)
    if r.returncode:
        fail("yosys on %s %s: %s" % (module, params, r.stderr.strip()[-400:]))
    mod = json.load(open(js))["modules"][module]
    ports = {p: (v["direction"], len(v["bits"])) for p, v in mod["ports"].items()}
    bit_port = {}
    for p, v in mod["ports"].items():
        if v["direction"] == "input":
            for b in v["bits"]:
                if isinstance(b, int):
                    bit_port[b] = p
    drivers = {}  # bit -> (cell, port, index)
    clock_bits, clocked_data_bits = set(), []
    for cname, c in mod["cells"].items():
        dirs = c.get("port_directions", {})
        conn = c["connections"]
        for pn, bits in conn.items():
            if dirs.get(pn) == "output":
                for i, b in enumerate(bits):
                    if isinstance(b, int):
                        drivers[b] = (cname, pn, i)
        t = c["type"]
        if t == "$mem_v2":
            pr = c["parameters"]
            nrd = int(pr["RD_PORTS"], 2)
            en = int(pr["RD_CLK_ENABLE"], 2) if nrd else 0
            abits = int(pr["ABITS"], 2)
            w = int(pr["WIDTH"], 2)
            clock_bits.update(b for b in conn["WR_CLK"] + conn["RD_CLK"] if isinstance(b, int))
            clocked_data_bits += conn["WR_ADDR"] + conn["WR_DATA"] + conn["WR_EN"]
            for p in range(nrd):
                if en >> p & 1:
                    clocked_data_bits += conn["RD_ADDR"][p * abits:(p + 1) * abits]
                    clocked_data_bits += conn["RD_EN"][p:p + 1]
                    clocked_data_bits += conn["RD_SRST"][p:p + 1]
            c["_abits"], c["_w"], c["_en"] = abits, w, en
        elif t in FF_TYPES:
            clock_bits.update(b for b in conn.get("CLK", []) if isinstance(b, int))
            for pn in ("D", "EN", "SRST", "ARST", "CLR", "SET", "AD", "ALOAD"):
                clocked_data_bits += conn.get(pn, [])

    memo = {}

    def trace(b, stack=()):
        """(clocked, {input ports}) reaching bit b combinationally."""
        if not isinstance(b, int):
            return False, set()
        if b in memo:
            return memo[b]
        if b in bit_port:
            return False, {bit_port[b]}
        if b not in drivers or b in stack:
            return False, set()
        cname, pn, i = drivers[b]
        c = mod["cells"][cname]
        t = c["type"]
        if t in FF_TYPES:
            res = (True, set())
        elif t == "$mem_v2":
            p = i // c["_w"]
            if c["_en"] >> p & 1:
                res = (True, set())
            else:
                ins = set()
                for ab in c["connections"]["RD_ADDR"][p * c["_abits"]:(p + 1) * c["_abits"]]:
                    ins |= trace(ab, stack + (b,))[1]
                res = (False, ins)
        else:
            clocked, ins = False, set()
            for qn, bits in c["connections"].items():
                if c.get("port_directions", {}).get(qn) == "input":
                    for ib in bits:
                        cl, s = trace(ib, stack + (b,))
                        clocked |= cl
                        ins |= s
            res = (clocked, ins)
        memo[b] = res
        return res

    clocks = {bit_port[b] for b in clock_bits if b in bit_port}
    if len(clocks) != 1:
        fail("%s %s: expected one clock input, found %s" % (module, params, sorted(clocks)))
    clock = clocks.pop()
    clocked_out, arcs = set(), {}
    for p, v in mod["ports"].items():
        if v["direction"] != "output":
            continue
        for b in v["bits"]:
            cl, ins = trace(b)
            if cl:
                clocked_out.add(p)
            if ins:
                arcs.setdefault(p, set()).update(ins)
    clocked_in = set()
    for b in clocked_data_bits:
        clocked_in |= trace(b)[1]
    clocked_in.discard(clock)
    return ports, clock, clocked_out, arcs, clocked_in


def liberty(cells, access, setup):
    hold = 0.05
    sc = lambda v: '(scalar) { values ("%g"); }' % v
    widths = sorted({w for _, (ports, *_r) in cells for _, w in ports.values() if w > 1})
    L = ["/* generated by hw/gates/memlib.py: timing models of the neurocore's memories, black",
         "   boxes of the gate flow (docs/gates.md). Access %g ns (clock->data and address->data" %
         access, "   alike), setup %g ns, hold %g ns: stated assumptions, not a memory compiler's"
         " figures. */" % (setup, hold),
         "library (nc_memories) {", "  delay_model : table_lookup;", '  time_unit : "1ns";',
         '  voltage_unit : "1V";', '  current_unit : "1uA";', '  leakage_power_unit : "1nW";',
         "  capacitive_load_unit (1,pf);", "  nom_process : 1;", "  nom_voltage : 1.8;",
         "  nom_temperature : 25;", "  input_threshold_pct_rise : 50;",
         "  input_threshold_pct_fall : 50;", "  output_threshold_pct_rise : 50;",
         "  output_threshold_pct_fall : 50;", "  slew_lower_threshold_pct_rise : 20;",
         "  slew_upper_threshold_pct_rise : 80;", "  slew_lower_threshold_pct_fall : 20;",
         "  slew_upper_threshold_pct_fall : 80;"]
    # The wire-load model of the flow (no placement: a statistical net length by fanout). An
    # assumption of ours [U], docs/gates.md: 0.2 fF/um and 0.08 ohm/um (a 0.18 um metal-2 wire
    # of minimum width over field), 30 um for one fanout and 20 um more for each further one.
    L += ["  wire_load (nc_wl) { capacitance : 0.0002; resistance : 0.00008; slope : 20; "
          "fanout_length (1, 30); fanout_length (2, 50); fanout_length (4, 90); "
          "fanout_length (8, 170); fanout_length (16, 330); }"]
    for w in widths:
        L += ["  type (bus%d) { base_type : array; data_type : bit; bit_width : %d; bit_from : %d; "
              "bit_to : 0; downto : true; }" % (w, w, w - 1)]
    for name, (ports, clock, clocked_out, arcs, clocked_in) in cells:
        L += ["  cell (%s) {" % name, "    area : 0;", "    dont_touch : true;",
              "    dont_use : true;"]
        for p, (d, w) in ports.items():
            head = ("bus (%s) { bus_type : bus%d;" % (p, w)) if w > 1 else ("pin (%s) {" % p)
            L.append("    " + head + " direction : %s;" % d)
            if d == "input":
                L.append("      capacitance : 0.01;")
                if p == clock:
                    L.append("      clock : true;")
                if p in clocked_in:
                    for tt in ("setup_rising", "hold_rising"):
                        v = setup if tt.startswith("setup") else hold
                        L.append('      timing () { related_pin : "%s"; timing_type : %s; '
                                 "rise_constraint %s fall_constraint %s }" % (clock, tt, sc(v),
                                                                             sc(v)))
            else:
                if p in clocked_out:
                    L.append('      timing () { related_pin : "%s"; timing_type : rising_edge; '
                             "cell_rise %s cell_fall %s rise_transition %s fall_transition %s }" %
                             (clock, sc(access), sc(access), sc(0.2), sc(0.2)))
                # an address bus to a data bus of another width: every bit to every bit
                for i in sorted(arcs.get(p, ())):
                    iw = ports[i][1]
                    rel = " ".join("%s[%d]" % (i, k) for k in range(iw)) if iw > 1 else i
                    L.append('      timing () { related_pin : "%s"; timing_sense : non_unate; '
                             "cell_rise %s cell_fall %s rise_transition %s fall_transition %s }" %
                             (rel, sc(access), sc(access), sc(0.2), sc(0.2)))
            L.append("    }")
        L.append("  }")
    L.append("}")
    return "\n".join(L) + "\n"


def main():
    if len(sys.argv) < 5:
        fail("usage: memlib.py OUT_DIR ACCESS_NS SETUP_NS RTL_FILES...")
    out, access, setup, rtl = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
    texts = {}
    for n in ("netlist.v", "netlist_named.v"):
        try:
            texts[n] = open(os.path.join(out, n)).read()
        except OSError as e:
            fail("%s: %s" % (os.path.join(out, n), e.strerror))
    insts = instances(texts["netlist.v"])
    if not insts:
        fail("%s/netlist.v: no memory instance (nc_ram*, nc_sram*)" % out)
    cells = {}
    for module, params, _ in insts:
        name = cell_name(module, params)
        if name not in cells:
            cells[name] = behaviour(module, params, rtl, out)
    with open(os.path.join(out, "memories.lib"), "w") as f:
        f.write(liberty(sorted(cells.items()), access, setup))
    for n, t in texts.items():
        sta = MEM_RE.sub(lambda m: "%s%s %s (" % (m.group(1), cell_name(m.group(2), {
            k: int(v) for k, v in PARAM_RE.findall(m.group(3))}), m.group(4)), t)
        with open(os.path.join(out, n.replace(".v", "_sta.v")), "w") as f:
            f.write(sta)
    # OpenSTA (2019) crashes in report_power on these black boxes: the power netlist leaves the
    # memory instances out (the nets they drive are then charged to their loads' internal
    # power only; their own switching belongs to the memory's read energy, docs/gates.md)
    power = re.sub(r"\n\s*(?:nc_ram|nc_sram)\w*\s*#\(.*?\)\s*\S+\s*\(.*?\);", "",
                   texts["netlist.v"], flags=re.S)
    if MEM_RE.search(power):
        fail("could not take the memories out of the power netlist")
    with open(os.path.join(out, "netlist_power_sta.v"), "w") as f:
        f.write(power)
    with open(os.path.join(out, "memories.tsv"), "w") as f:
        f.write("instance\tmodule\trows\twidth\tbits\tclocked outputs\tasync outputs\n")
        for module, params, inst in instances(texts["netlist_named.v"]):
            ports, clock, cl, arcs, _ = cells[cell_name(module, params)]
            rows, width = params.get("ROWS", 0), params.get("WIDTH", 0)
            f.write("%s\t%s\t%d\t%d\t%d\t%s\t%s\n" % (
                inst, module, rows, width, rows * width, ",".join(sorted(cl)) or "-",
                ",".join("%s<-%s" % (o, "+".join(sorted(i))) for o, i in sorted(arcs.items()))
                or "-"))


main()
