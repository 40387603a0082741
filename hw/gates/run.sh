#!/bin/sh
# hw/gates/run.sh - the neurocore on the project's own gates (docs/gates.md):
#   1. synthesis of the logic onto the OSU 0.18 um standard cells (yosys + abc, synth.ys), the
#      memories (nc_ram*, nc_sram*) black boxes;
#   2. static timing (OpenSTA, sta.tcl): fmax and the critical path, the memories timed by
#      memlib.py's models with a stated access time;
#   3. a gate-level simulation: the mapped netlist (cells from lib2v.py, memories behavioural)
#      verilated as the rtl engine of a variant build (-DLSNN_GATES_NETLIST) and run by
#      `lsnn verify` against the C reference over a window of ticks (every tick: every neuron's
#      state, every counter, every output word) with a VCD;
#   4. power: toggles per net from that VCD (toggles.py) as OpenSTA pin activities, and the
#      energy of the window split into the synaptic and neuron phases (report.py).
#
# usage: hw/gates/run.sh [options]
#   --config NAME    hardware config of hw/configs.txt (default: default)
#   --image DIR      an image compiled for that config (default: build/gates/smnist, compiled
#                    from models/trained/smnist_deepr for the default config)
#   --samples N      test sequences of the image's task in the window (default 1)
#   --build DIR      the project's build directory, for lsnn (default: build)
#   --out DIR        output directory (default: build/gates/NAME)
#   --period NS      the clock period abc maps for and STA measures slack against (default 20)
#   --mem-access NS  the memories' access time (default 2.0), --mem-setup NS (default 0.2)
#   --data-dir DIR   where the MNIST IDX files are (passed to lsnn verify)
#   --no-power       stop after the equivalence check (no VCD, no power)
#   --table FILE     write the technology table (models/tech/own_180nm.yaml) from the results
set -eu
cd "$(dirname "$0")/../.."
src=$(pwd)
config=default image= samples=1 build=build out= period=20 access=2.0 setup=0.2 data_dir=
power=1 table=
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
if [ $# -eq 16 ]; then
    shift
    for p in N X M S D P R W V U G Q K FIFO_IN FIFO_OUT; do
        chparam="$chparam -chparam $p $1"
        shift
    done
elif [ $# -ne 1 ]; then
    die "hw/configs.txt: '$line': a name and 15 values, or 'default' alone"
fi

# ---- 1. synthesis ----
rtl=$(ls rtl/*.v | grep -vE '/nc_(chip|chipctl|router|cg)\.v$' | tr '\n' ' ')
printf 'set_driving_cell BUFX2\nset_load 0.02\n' >"$out/abc.constr"
sed -e "s|@READ@|read_verilog -DSYNTHESIS -Irtl/gen $rtl|" -e "s|@CHPARAM@|$chparam|" \
    -e "s|@LIB@|$lib|g" -e "s|@OUT@|$out|g" -e "s|@PERIOD_PS@|$(echo "$period * 1000" | bc | cut -d. -f1)|" \
    hw/gates/synth.ys >"$out/synth.ys"
stamp "yosys: synthesis of '$config' onto OSU 0.18 um ($out/yosys.log)"
yosys -q -l "$out/yosys.log" -s "$out/synth.ys" >/dev/null 2>"$out/yosys.err" ||
    die "yosys failed: $(tail -5 "$out/yosys.err")"
python3 hw/gates/memlib.py "$out" "$access" "$setup" $(echo $rtl | tr ' ' '\n' | grep -E '/nc_(ram|sram)[^/]*\.v$') ||
    die "memlib.py failed"

# ---- 2. static timing ----
stamp "OpenSTA: timing ($out/timing.txt)"
GATES_OUT=$out GATES_LIB=$lib GATES_PERIOD_NS=$period GATES_WHAT=timing \
    sta -no_splash -exit hw/gates/sta.tcl >"$out/timing.txt" 2>&1 || die "sta failed: $(tail -5 "$out/timing.txt")"
grep -q '^GATES worst_slack_ns' "$out/timing.txt" || die "sta: no slack ($out/timing.txt)"
if grep -q '^Error' "$out/timing.txt"; then die "sta: $(grep '^Error' "$out/timing.txt" | head -3)"; fi
stamp "done"
