#!/usr/bin/env python3
"""report.py - the gate flow's figures: cells, area, fmax, critical path, power and energies.

usage: report.py OUT_DIR LIBERTY PERIOD_NS CONFIG [TABLE.yaml]

Reads run.sh's outputs in OUT_DIR (stat.txt, timing.txt, memories.tsv, toggles.tsv,
verify.json, counters.json: the reference's counters over the same window, which the gates
equalled tick by tick), runs OpenSTA's report_power (sta.tcl) per cell twice, with every pin at
0 and at 1 toggle per cycle, takes the difference as each cell's energy per output toggle,
multiplies it by the cell's measured output toggles in each phase group of the tick, and writes
OUT_DIR/results.json and OUT_DIR/results.md. With TABLE.yaml it also writes the technology
table of the project's own gates (docs/tech-tables.md; docs/gates.md says how each figure is
derived).

Energies: a group's energy is that of its cells' data toggles; the clock's own energy per
cycle (flip-flop clock pins with no data toggle, and C V^2 of the ideal clock net) goes to the
static line. Per event:
  syn_ops         the synaptic phase (START, SYN, DRAIN1/2: latch scan, AXT lookup, SYN word
                  decode, the accumulate pipeline) / syn_ops
  neuron_updates  the neuron phase (NEUR: ACC read, update arithmetic, STATE write) / updates
  route_lookups   the route phase (ROUTE: RIX/RTE lookups and spike delivery) / route_lookups
  events_in       every other cycle (IDLE: AER-in pops and latch writes; DONE; CLEAR) /
                  events_in: an upper bound, it also carries the host's words
"""
import json
import os
import re
import subprocess
import sys

GROUPS = [("syn", (1, 2, 3, 4)), ("neur", (5,)), ("route", (6,)), ("other", (0, 7, 8, 9, 10))]
EXCLUDE = re.compile(r"^(i_clk|i_rm_en|i_rm_region|i_rm_file|i_dbg_n|o_dbg_state)(\[|$)")


def fail(msg):
    sys.stderr.write("report.py: error: %s\n" % msg)
    sys.exit(1)


def read(path):
    try:
        return open(path).read()
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))


def sta_power(out, lib, period, activity):
    """OpenSTA's report_power with every pin at `activity` toggles per cycle: the totals and
    {instance: internal + switching W} (sta.tcl writes power_inst_ACTIVITY.txt)."""
    env = dict(os.environ, GATES_OUT=out, GATES_LIB=lib, GATES_PERIOD_NS=str(period),
               GATES_WHAT="power", GATES_ACTIVITY=activity)
    r = subprocess.run(["sta", "-no_splash", "-exit",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "sta.tcl")],
                       capture_output=True, text=True, env=env)
    text = r.stdout + r.stderr
    m = re.search(r"^Total\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M)
    if r.returncode or not m or re.search(r"^Error", text, re.M):
        fail("sta power (activity %s): %s" % (activity, text.strip()[-600:]))
    internal, switching, leakage, total = (float(x) for x in m.groups())
    inst = {}
    for line in read(os.path.join(out, "power_inst_%s.txt" % activity)).splitlines():
        f = line.split()
        if len(f) == 5 and re.match(r"^[\d.eE+-]+$", f[0]):
            inst[f[4]] = float(f[0]) + float(f[1])
    return {"internal_w": internal, "switching_w": switching, "leakage_w": leakage,
            "total_w": total}, inst


def liberty_cells(lib):
    """{cell: (output pins, CLK pin capacitance or None)} of a liberty file."""
    text = read(lib)
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"\bcell\s*\(\s*\"?(\w+)\"?\s*\)", text)]
    cells = {}
    for i, (pos, name) in enumerate(starts):
        body = text[pos:starts[i + 1][0] if i + 1 < len(starts) else len(text)]
        outs = re.findall(r"\bpin\s*\(\s*\"?(\w+)\"?\s*\)\s*\{\s*direction\s*:\s*output", body)
        m = re.search(r"\bpin\s*\(\s*\"?CLK\"?\s*\)\s*\{\s*direction\s*:\s*input;\s*"
                      r"capacitance\s*:\s*([\d.]+)", body)
        cells[name] = (outs, float(m.group(1)) if m else None)
    return cells


def instance_outputs(netlist, cells):
    """{instance: (cell, [output nets])} of a mapped netlist."""
    res = {}
    for m in re.finditer(r"^\s*(\w+)\s+(\S+)\s*\((.*?)\);", netlist, re.M | re.S):
        cell, inst, body = m.groups()
        if cell not in cells:
            continue
        pins = dict(re.findall(r"\.(\w+)\(\s*([^()]*?)\s*\)", body))
        res[inst] = (cell, [pins[o] for o in cells[cell][0] if o in pins])
    return res


def main():
    if len(sys.argv) not in (5, 6):
        fail("usage: report.py OUT_DIR LIBERTY PERIOD_NS CONFIG [TABLE.yaml]")
    out, lib, period, config = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    table = sys.argv[5] if len(sys.argv) == 6 else None
    res = {"config": config, "library": "OSU 0.18 um (qflow-tech-osu018, osu018_stdcells.lib), "
           "typical, 1.8 V, 25 C", "period_ns": period}

    # cells and area (yosys stat -liberty)
    stat = read(os.path.join(out, "stat.txt"))
    cells = {k: int(v) for k, v in re.findall(r"^\s+([A-Za-z_]\w*)\s+(\d+)$", stat, re.M)}
    mem_cells = {k: v for k, v in cells.items() if k.startswith(("nc_ram", "nc_sram"))}
    std = {k: v for k, v in cells.items() if k not in mem_cells}
    m = re.search(r"Chip area for module .*?: ([\d.]+)", stat)
    if not m:
        fail("stat.txt: no chip area")
    res["cells"] = sum(std.values())
    res["flip_flops"] = sum(v for k, v in std.items() if k.startswith("DFF"))
    res["cell_types"] = std
    res["area_um2"] = float(m.group(1))
    res["memories"] = []
    for line in read(os.path.join(out, "memories.tsv")).splitlines()[1:]:
        f = line.split("\t")
        res["memories"].append({"instance": f[0], "module": f[1], "rows": int(f[2]),
                                "width": int(f[3]), "bits": int(f[4])})

    # timing
    tim = read(os.path.join(out, "timing.txt"))
    m = re.search(r"^GATES worst_slack_ns (\S+)", tim, re.M)
    if not m:
        fail("timing.txt: no slack")
    slack = float(m.group(1))
    res["worst_slack_ns"] = slack
    res["critical_path_ns"] = round(period - slack, 3)
    res["fmax_mhz"] = round(1000.0 / (period - slack), 1)
    sp = re.search(r"^Startpoint: (.*)$", tim, re.M)
    ep = re.search(r"^Endpoint: (.*)$", tim, re.M)
    # the path's first and last named nets say which registers or memories it joins
    nets = re.findall(r"^\s+\d+\s+[\d.]+\s+(\S+) \(net\)", tim, re.M)
    named = [n for n in nets if not re.match(r"^_\d+_$", n)]
    stages = len(re.findall(r"^\s+[\d.-]+\s+[\d.-]+\s+[\d.-]+ [v^] \S+/\S+ \(\w+\)$", tim, re.M))
    res["critical_path"] = {"startpoint": sp.group(1) if sp else "?",
                            "endpoint": ep.group(1) if ep else "?",
                            "named_nets": named[:1] + named[-1:] if named else [],
                            "cell_pins": stages}

    # activity, per phase group
    tt = read(os.path.join(out, "toggles.tsv")).splitlines()
    cyc = [int(x) for x in tt[0].split()[2:]]
    rows = []
    for line in tt[1:]:
        f = line.split("\t")
        rows.append((f[0], [int(x) for x in f[1:]]))
    res["window_cycles"] = sum(cyc)
    res["phase_cycles"] = {g: sum(cyc[p] for p in ph) for g, ph in GROUPS}

    # energy per output toggle of every cell: OpenSTA's power with every pin at one toggle per
    # cycle, less its power with none (the clock pins keep the clock's rate in both), times the
    # period; a cell's toggles are its output nets' (the liberty's internal power of these cells is
    # given per output transition; input-pin energy is charged to the output's toggles too)
    lib_cells = liberty_cells(lib)
    p0, inst0 = sta_power(out, lib, period, "0")
    p1, inst1 = sta_power(out, lib, period, "1")
    outs = instance_outputs(read(os.path.join(out, "netlist_power_sta.v")), lib_cells)
    tog = {net: t for net, t in rows if not EXCLUDE.match(net)}
    res["power_no_data_toggles"] = p0
    res["power_every_pin_one_toggle_per_cycle"] = p1
    res["leakage_w"] = p0["leakage_w"]
    # the clock: the flip-flops' clock pins (OpenSTA, p0) and the clock net itself, an ideal
    # net (no tree) whose pins and statistical wire (memlib.py's wire load) swing once up and
    # once down per cycle: C V^2 per cycle
    nff = sum(1 for c, _ in outs.values() if lib_cells[c][1] is not None)
    c_pins = sum(lib_cells[c][1] for c, _ in outs.values() if lib_cells[c][1] is not None)
    c_wire = (30 + 20 * max(nff - 1, 0)) * 0.0002  # pF: nc_wl, fanout_length and slope
    vdd = 1.8
    e_clk_net = (c_pins + c_wire) * 1e-12 * vdd * vdd
    e_clk_ff = (p0["internal_w"] + p0["switching_w"]) * period * 1e-9
    res["clock_pj_per_cycle"] = (e_clk_net + e_clk_ff) * 1e12
    res["clock_detail"] = {"flip_flop_clock_pins_pj": e_clk_ff * 1e12,
                           "clock_net_pj": e_clk_net * 1e12, "clock_net_pf": c_pins + c_wire}
    res["phases"] = {}
    missing = 0
    for g, ph in GROUPS:
        e = 0.0
        n = 0
        for inst, (cell, nets) in outs.items():
            ei = (inst1.get(inst, 0.0) - inst0.get(inst, 0.0)) * period * 1e-9
            for net in nets:
                t = tog.get(net)
                if t is None:
                    missing += 1
                    continue
                k = sum(t[q] for q in ph)
                n += k
                e += ei * k
        res["phases"][g] = {"cycles": res["phase_cycles"][g], "pj": e * 1e12, "toggles": n}
    res["cell_outputs_without_toggles"] = missing // len(GROUPS)

    # the events of the window (the reference's counters, which the gates equalled)
    v = json.loads(read(os.path.join(out, "verify.json")))
    k = json.loads(read(os.path.join(out, "counters.json"))).get("counters")
    if not isinstance(k, dict) or k.get("syn_ops") != v.get("syn_ops"):
        fail("counters.json: no counters, or not the window's (syn_ops differ from verify.json)")
    res["counters"] = k
    res["window"] = {"sequences": v.get("sequences"), "ticks": v.get("ticks"), "image": v.get("image")}

    def per(g, cnt):
        n = k.get(cnt, 0)
        return res["phases"][g]["pj"] / n if n else None

    res["pj_per_event"] = {"syn_ops": per("syn", "syn_ops"),
                           "neuron_updates": per("neur", "neuron_updates"),
                           "route_lookups": per("route", "route_lookups"),
                           "events_in": per("other", "events_in")}
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    md = ["| Figure | Value |", "|---|---|",
          "| config | %s |" % config,
          "| window | %s sequence(s), %s ticks, %d clock cycles (image %s) |" % (
              res["window"]["sequences"], res["window"]["ticks"], res["window_cycles"],
              res["window"]["image"]),
          "| standard cells | %d (%d flip-flops) |" % (res["cells"], res["flip_flops"]),
          "| logic area | %.0f um^2 (%.3f mm^2), cell area only |" % (res["area_um2"],
                                                                   res["area_um2"] / 1e6),
          "| memories (black boxes) | %d instances, %d bits |" % (
              len(res["memories"]), sum(m["bits"] for m in res["memories"])),
          "| critical path | %.3f ns, %s -> %s |" % (res["critical_path_ns"],
                                                   res["critical_path"]["startpoint"],
                                                   res["critical_path"]["endpoint"]),
          "| critical path nets | %s |" % " -> ".join(res["critical_path"]["named_nets"]),
          "| fmax | %.1f MHz |" % res["fmax_mhz"],
          "| leakage | %.3g uW |" % (res["leakage_w"] * 1e6),
          "| clock (network + flip-flop clock pins) | %.2f pJ per cycle |" % res[
              "clock_pj_per_cycle"]]
    for g, _ in GROUPS:
        md.append("| %s phase | %d cycles, %.1f pJ of data toggles |" % (
            g, res["phases"][g]["cycles"], res["phases"][g]["pj"]))
    for e, x in res["pj_per_event"].items():
        md.append("| per %s | %s pJ |" % (e, "-" if x is None else "%.3f" % x))
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    if table:
        write_table(res, table)


def write_table(res, path):
    pe = res["pj_per_event"]
    clk_mhz = min(100.0, float(int(res["fmax_mhz"])))
    static_w = res["leakage_w"] + res["clock_pj_per_cycle"] * 1e-12 * clk_mhz * 1e6
    src = "hw/gates/run.sh: OSU 0.18 um gates of the neurocore, OpenSTA power from gate-level sMNIST activity"
    win = "%s ticks of sMNIST (%d cycles)" % (res["window"]["ticks"], res["window_cycles"])

    def e(v, scope):
        return '{pj: %s, source: "%s", scope: "%s"}' % ("%.4g" % v if v is not None else "0",
                                                       src, scope)

    zero = lambda s: '{pj: 0, source: "%s", scope: "%s"}' % (src, s)
    inc_syn = "included in syn_ops (the synaptic phase's logic)"
    mem = "logic only: the memory access itself is not priced in this table (docs/gates.md)"
    lines = [
        "# own_180nm.yaml - the neurocore's logic on the project's own gates (docs/gates.md).",
        "#",
        "# Written by hw/gates/run.sh --table (report.py) from a synthesis of the default core onto",
        "# the OSU 0.18 um standard cells (yosys + abc), OpenSTA timing, and OpenSTA power with the",
        "# toggle rates of a gate-level simulation of %s that equalled the C" % win,
        "# reference every tick. Logic only: every memory is a black box and is priced elsewhere",
        "# (the memory entries below are the logic around each access, 0 where it is included in",
        "# a phase's figure). Scaling to other nodes: docs/gates.md.",
        "version: 1",
        "kind: neurocore",
        "name: own_180nm",
        'technology: "180 nm (OSU 0.18 um cells), 1.8 V, typical"',
        "clock_mhz: %g" % clk_mhz,
        "fmax_mhz: %.1f" % res["fmax_mhz"],
        "logic_only: true",
        "notes: >-",
        "  Cells %d (%d flip-flops), logic area %.3f mm2; fmax %.1f MHz (critical path %.2f ns,"
        % (res["cells"], res["flip_flops"], res["area_um2"] / 1e6, res["fmax_mhz"],
           res["critical_path_ns"]),
        "  memories at a stated 2 ns access time). Per-event figures are the incremental energy of",
        "  each phase of the tick (data toggles only) divided by its events over %s;" % win,
        "  the clock network and flip-flop clock pins (%.2f pJ per cycle) and leakage (%.3g uW)"
        % (res["clock_pj_per_cycle"], res["leakage_w"] * 1e6),
        "  are the static line at clock_mhz. No wire parasitics beyond a statistical wire load.",
        "events:",
        "  events_in:      " + e(pe["events_in"], "every cycle outside the tick's phases (IDLE: AER-in pop and latch write; DONE; CLEAR) per EVENT accepted: an upper bound, it carries the host's words too"),
        "  latch_reads:    " + zero(inc_syn),
        "  syn_events:     " + zero(inc_syn + "; " + mem),
        "  syn_word_reads: " + zero(inc_syn + "; " + mem),
        "  syn_ops:        " + e(pe["syn_ops"], "the synaptic phase's logic (START, SYN, DRAIN: latch scan, AXT lookup, SYN word decode, weight shift, accumulate and saturate, forwarding) per synaptic op; memory accesses excluded"),
        "  neuron_updates: " + e(pe["neuron_updates"], "the neuron phase's logic (NEUR: leak multiplies, adds, saturation, threshold, refractory, spike push) per neuron update; memory accesses excluded"),
        "  state_reads:    " + zero("included in neuron_updates; " + mem),
        "  state_writes:   " + zero("included in neuron_updates; " + mem),
        "  acc_reads:      " + zero("included in neuron_updates; " + mem),
        "  route_lookups:  " + e(pe["route_lookups"], "the route phase's logic (ROUTE: RIX/RTE lookup, delivery to latch, NoC-out or host-out) per RIX read; memory accesses excluded"),
        "  route_reads:    " + zero("included in route_lookups; " + mem),
        "  spikes_local:   " + zero("included in route_lookups (delivery logic)"),
        "  spikes_core:    " + zero("included in route_lookups (the core's NoC-out port)"),
        "  noc_hops:       " + zero("not priced: the router is not part of this synthesis (the core only)"),
        "  barrier_hops:   " + zero("not priced: the barrier is not part of this synthesis (the core only)"),
        "  spikes_host:    " + zero("included in route_lookups (the core's host-out port)"),
        'static: {watts: %.4g, source: "%s", scope: "leakage (%.3g uW) + the clock network and flip-flop clock pins (%.2f pJ per cycle) at clock_mhz; no clock gating; memories excluded"}'
        % (static_w, src, res["leakage_w"] * 1e6, res["clock_pj_per_cycle"]),
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


main()
