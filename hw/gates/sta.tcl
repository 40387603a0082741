# hw/gates/sta.tcl - static timing and power of the mapped neurocore (OpenSTA; hw/gates/run.sh).
#
# Environment: GATES_OUT (run.sh's output directory: the netlists, memories.lib),
# GATES_LIB (the standard-cell liberty), GATES_PERIOD_NS (the clock period the slack is measured
# against; fmax = 1 / (period - worst slack)), GATES_WHAT (timing | power).
set out $::env(GATES_OUT)
set period $::env(GATES_PERIOD_NS)
read_liberty $::env(GATES_LIB)
read_liberty $out/memories.lib
if {$::env(GATES_WHAT) == "timing"} {
    read_verilog $out/netlist_named_sta.v
} else {
    read_verilog $out/netlist_power_sta.v
}
link_design neurocore_gates
set_wire_load_model -name nc_wl -library nc_memories
create_clock -name clk -period $period [get_ports i_clk]
# The core's ports face a neighbour core's, a router's or the host's flip-flops at the boundary:
# no external delay either way (the wires between are not the core's).
set ins [list]
foreach p [get_ports i_*] { if {[get_full_name $p] != "i_clk"} { lappend ins $p } }
set_input_delay 0 -clock clk $ins
set_output_delay 0 -clock clk [all_outputs]
set_input_transition 0.2 $ins
set_load 0.02 [all_outputs]
# simulation-only and backdoor ports ($readmemh, the debug STATE read, the counters' read-out)
set_false_path -from [get_ports {i_rm_en i_rm_region* i_rm_file* i_dbg_n*}]
set_false_path -to [get_ports {o_dbg_state* o_counters*}]
if {$::env(GATES_WHAT) == "timing"} {
    puts "GATES worst_slack_ns [format %.4f [sta::worst_slack -max]]"
    report_checks -path_delay max -fields {slew cap input_pins nets fanout} -digits 3
    report_checks -path_delay max -group_count 5 -format end -digits 3
} else {
    # every pin at GATES_ACTIVITY toggles per clock cycle (duty 0.5; the clock pins at the clock's
    # own rate): each instance's power, for report.py's energy per output toggle. (OpenSTA 2019
    # does not honour set_power_pin_activity on pins its propagation reaches first, so the
    # measured toggles are applied per instance by report.py, docs/gates.md.)
    set_load 0 [get_ports {o_counters* o_dbg_state*}]
    set_power_activity -global -activity $::env(GATES_ACTIVITY) -duty 0.5
    report_power -instances [get_cells *] -digits 8 > $out/power_inst_$::env(GATES_ACTIVITY).txt
    report_power -digits 8
}
