#!/bin/sh
# hw/gates/run.sh - the neurocore on the project's own gates (docs/gates.md):
#   1. synthesis of the logic onto the OSU 0.18 um standard cells (yosys + abc, synth.ys), the
#      memories (nc_ram*, nc_sram*) black boxes;
#   2. static timing (OpenSTA, sta.tcl): fmax and the critical path, the memories timed by
#      memlib.py's models with a stated access time;
#   3. a gate-level simulation: the mapped netlist (cells from lib2v.py, memories behavioural,
#      the harness's STATE backdoor added by dbgport.py)
#      verilated as the rtl engine of a variant build (-DLSNN_GATES_NETLIST) and run by
#      `lsnn verify` against the C reference over a window of ticks (every tick: every neuron's
#      state, every counter, every output word) with a VCD;
#   4. power: toggles per net and phase of the tick from that VCD (toggles.c), times each cell's
#      energy per output toggle from OpenSTA's report_power (report.py): energy per SOP, per
#      neuron update, per route lookup, the clock's per cycle, leakage; the technology table.
#
# usage: hw/gates/run.sh [options]
#   --config NAME    hardware config of hw/configs.txt (default: default)
#   --image DIR      an image compiled for that config (default, for the default config only:
#                    OUT/smnist, compiled from models/trained/smnist_deepr)
#   --samples N      test sequences of the image's task in the window (default 1)
#   --build DIR      the project's build directory, for lsnn (default: build)
#   --out DIR        output directory (default: build/gates/NAME)
#   --period NS      the clock period abc maps for and STA measures slack against (default 10)
#   --mem-access NS  the memories' access time (default 2.0), --mem-setup NS (default 0.2)
#   --data-dir DIR   where the MNIST IDX files are (passed to lsnn verify)
#   --synth-only     stop after synthesis and timing
#   --no-power       stop after the equivalence check (no VCD, no power)
#   --table FILE     write the technology table (models/tech/own_180nm.yaml) from the results
set -eu
cd "$(dirname "$0")/../.."
src=$(pwd)
config=default image= samples=1 build=build out= period=10 access=2.0 setup=0.2 data_dir=
power=1 table= synth_only=0
die() { echo "hw/gates/run.sh: error: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
    --config) config=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --period) period=$2; shift 2 ;;
    --mem-access) access=$2; shift 2 ;;
    --mem-setup) setup=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    --no-power) power=0; shift ;;
    --synth-only) synth_only=1; shift ;;
    --table) table=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (--help lists them)" ;;
    esac
done
lib=/usr/share/qflow/tech/osu018/osu018_stdcells.lib
[ -f "$lib" ] || die "no $lib: install the OSU 0.18 um cells (apt-get install qflow-tech-osu018; tools/setup.sh)"
for t in yosys sta verilator cmake python3; do
    command -v $t >/dev/null 2>&1 || die "'$t' not found (tools/setup.sh installs yosys, opensta, verilator)"
done
[ -n "$out" ] || out=$build/gates/$config
mkdir -p "$out"
out=$(cd "$out" && pwd)
build=$(cd "$build" 2>/dev/null && pwd) || die "no build directory '$build' (cmake -S . -B build && cmake --build build)"
t0=$(date +%s)
stamp() { echo "[$(($(date +%s) - t0)) s] $*"; }

# ---- the config's parameters (hw/configs.txt; `default` is neurocore.v's own defaults) ----
line=$(grep -E "^$config([[:space:]]|\$)" hw/configs.txt) || die "no config '$config' in hw/configs.txt"
chparam=
set -- $line
if [ $# -eq 17 ]; then
    shift
    for p in N X M S D P R W V U G Q K FIFO_IN FIFO_OUT NL; do
        chparam="$chparam -chparam $p $1"
        shift
    done
elif [ $# -ne 1 ]; then
    die "hw/configs.txt: '$line': a name and 16 values, or 'default' alone"
fi

# ---- 1. synthesis ----
rtl=$(ls rtl/*.v | grep -vE '/nc_(chip|chipctl|router|cg)\.v$' | tr '\n' ' ')
printf 'set_driving_cell BUFX2\nset_load 0.02\n' >"$out/abc.constr"
sed -e "s|@READ@|read_verilog -DSYNTHESIS -Irtl/gen $rtl|" -e "s|@CHPARAM@|$chparam|" \
    -e "s|@LIB@|$lib|g" -e "s|@OUT@|$out|g" -e "s|@PERIOD_PS@|$(python3 -c "print(round($period * 1000))")|" \
    hw/gates/synth.ys >"$out/synth.ys.new"
# the netlist of an earlier run is kept when the script and every input are unchanged
if [ -f "$out/netlist.v" ] && cmp -s "$out/synth.ys.new" "$out/synth.ys" &&
    [ -z "$(find rtl -newer "$out/netlist.v" 2>/dev/null)" ]; then
    rm -f "$out/synth.ys.new"
    stamp "yosys: $out/netlist.v is up to date"
else
    mv "$out/synth.ys.new" "$out/synth.ys"
    rm -f "$out/netlist.v"
    stamp "yosys: synthesis of '$config' onto OSU 0.18 um ($out/yosys.log)"
    yosys -q -l "$out/yosys.log" -s "$out/synth.ys" >/dev/null 2>"$out/yosys.err" ||
        die "yosys failed: $(tail -5 "$out/yosys.err")"
fi
python3 hw/gates/memlib.py "$out" "$access" "$setup" $(echo $rtl | tr ' ' '\n' | grep -E '/nc_(ram|sram)[^/]*\.v$') ||
    die "memlib.py failed"

# ---- 2. static timing ----
stamp "OpenSTA: timing ($out/timing.txt)"
GATES_OUT=$out GATES_LIB=$lib GATES_PERIOD_NS=$period GATES_WHAT=timing \
    sta -no_splash -exit hw/gates/sta.tcl >"$out/timing.txt" 2>&1 || die "sta failed: $(tail -5 "$out/timing.txt")"
grep -q '^GATES worst_slack_ns' "$out/timing.txt" || die "sta: no slack ($out/timing.txt)"
if grep -q '^Error' "$out/timing.txt"; then die "sta: $(grep '^Error' "$out/timing.txt" | head -3)"; fi
[ $synth_only = 0 ] || { stamp "done (--synth-only): $out/stat.txt, $out/timing.txt"; exit 0; }

# ---- 3. gate-level simulation against the reference ----
python3 hw/gates/lib2v.py "$lib" "$out/cells.v" || die "lib2v.py failed"
if [ -z "$image" ]; then
    [ "$config" = default ] || die "--image is required for config '$config' (the default image is sMNIST on the default core)"
    image=$out/smnist
    if [ ! -f "$image/image.bin" ]; then
        stamp "lsnn compile models/trained/smnist_deepr -> $image"
        "$build/tools/lsnn" compile models/trained/smnist_deepr -o "$image" >"$out/compile.txt" 2>&1 ||
            die "lsnn compile failed: $(tail -3 "$out/compile.txt")"
    fi
fi
[ -f "$image/image.bin" ] || die "no image in '$image' (lsnn compile RUN -o DIR)"
# the simulated netlist: netlist.v with the harness's STATE backdoor (dbgport.py)
cp "$out/netlist.v" "$out/netlist_sim.v.new"
python3 hw/gates/dbgport.py "$out/netlist_sim.v.new" || die "dbgport.py failed"
if cmp -s "$out/netlist_sim.v.new" "$out/netlist_sim.v"; then rm -f "$out/netlist_sim.v.new"
else mv "$out/netlist_sim.v.new" "$out/netlist_sim.v"; fi
gb=$out/build
stamp "cmake: the gate-level variant build ($gb; verilating the netlist takes minutes)"
cmake -S "$src" -B "$gb" -DCMAKE_BUILD_TYPE=Release -DLSNN_GATES_NETLIST="$out/netlist_sim.v" \
    -DLSNN_GATES_CELLS="$out/cells.v" -DLSNN_GATES_CONFIG="$config" -DLSNN_RTL_CHIPS=OFF \
    -DLSNN_SYSTEMC=OFF >"$out/cmake.log" 2>&1 || die "cmake configure failed: $(tail -5 "$out/cmake.log")"
cmake --build "$gb" --target lsnn -j2 >>"$out/cmake.log" 2>&1 || die "build failed: $(tail -5 "$out/cmake.log")"
cc -std=c11 -O2 -Wall -Wextra -Werror -o "$out/toggles" hw/gates/toggles.c || die "cannot compile toggles.c"
set -- verify "$image" --samples "$samples" --readmemh --json
[ -n "$data_dir" ] && set -- "$@" --data-dir "$data_dir"
rm -f "$out"/gates.vcd*
vrc=0
if [ $power = 1 ]; then
    # the VCD goes through a FIFO into toggles.c and never touches the disk. lsnn writes it to
    # PATH.tmp.PID (rtl_core.h), so a shell makes the FIFO under its own PID, starts the reader,
    # waits for its PATH.tmp.PID.ready and execs lsnn under that PID.
    stamp "lsnn verify (gates against the reference) -> VCD -> toggles.c"
    rm -f "$out/toggles.tsv" "$out/toggles.tsv.err"
    sh -c 'f="$0.tmp.$$"; mkfifo "$f" || exit 1
        "$1" "$f" neurocore_gates ctrl_state "$2" 2>"$2.err" &
        n=0; while [ ! -e "$f.ready" ]; do n=$((n + 1)); [ $n -lt 300 ] || exit 1; sleep 0.1; done
        shift 2; exec "$@"' "$out/gates.vcd" "$out/toggles" "$out/toggles.tsv" \
        "$gb/tools/lsnn" "$@" --vcd "$out/gates.vcd" >"$out/verify.json" 2>"$out/verify.err" || vrc=$?
    # the reader ends at the writer's close (or fails: toggles.err)
    n=0
    while [ ! -f "$out/toggles.tsv" ] && [ ! -s "$out/toggles.tsv.err" ]; do
        n=$((n + 1))
        [ $n -lt 6000 ] || die "toggles.c did not finish"
        sleep 0.1
    done
    rm -f "$out"/gates.vcd*
    [ -f "$out/toggles.tsv" ] || die "toggles failed: $(cat "$out/toggles.tsv.err")"
else
    stamp "lsnn verify (gates against the reference)"
    "$gb/tools/lsnn" "$@" >"$out/verify.json" 2>"$out/verify.err" || vrc=$?
fi
[ $vrc = 0 ] || die "the gate-level netlist differs from the reference (or lsnn failed): $(cat "$out/verify.json" "$out/verify.err" | tail -5)"
grep -q '"equal": true' "$out/verify.json" || die "lsnn verify did not say equal: $(cat "$out/verify.json")"
stamp "gates equal the reference: $(head -c 300 "$out/verify.json")"
[ $power = 1 ] || { stamp "done (--no-power)"; exit 0; }

# ---- 4. power ----
set -- run "$image" --samples "$samples" --json
[ -n "$data_dir" ] && set -- "$@" --data-dir "$data_dir"
"$build/tools/lsnn" "$@" >"$out/counters.json" 2>"$out/counters.err" ||
    die "lsnn run (the window's counters) failed: $(tail -3 "$out/counters.err")"
stamp "OpenSTA: power per phase of the tick (report.py)"
python3 hw/gates/report.py "$out" "$lib" "$period" "$config" $table || die "report.py failed"
stamp "done: $out/results.md, $out/results.json${table:+, $table}"
