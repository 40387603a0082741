#!/usr/bin/env bash
# slow_gates.sh - the gate-level equivalence check of issue 11 (docs/gates.md): the neurocore's
# logic synthesised onto the OSU 0.18 um cells (hw/gates/run.sh), the mapped netlist simulated
# with its memories behavioural, against the C reference every tick (lsnn verify: every neuron's
# state, every counter, every output word), on a small window: the `small` core of
# hw/configs.txt and a tiny store-recall network (trained 4 iterations), 2 test sequences (202
# ticks); then the power step on that window (toggles per net, OpenSTA). About 8 minutes on 2
# busy cores (synthesis 1 min, the verilated netlist's compile 6 min): ctest label
# `slow` (`cd build && ctest -L slow -R slow_gates`). Skips (exit 77) without yosys, OpenSTA or
# the OSU cells (tools/setup.sh installs them).
#
# usage: bash slow_gates.sh BUILD_DIR SOURCE_DIR TMPDIR
set -uo pipefail
build="$1" src="$2" tmp="$3"
lsnn="$build/tools/lsnn"
for t in yosys sta verilator python3; do
    command -v $t >/dev/null 2>&1 || { echo "slow_gates: skipped: no $t (tools/setup.sh)"; exit 77; }
done
[ -f /usr/share/qflow/tech/osu018/osu018_stdcells.lib ] ||
    { echo "slow_gates: skipped: no OSU 0.18 um cells (apt-get install qflow-tech-osu018)"; exit 77; }
rm -rf "$tmp"
mkdir -p "$tmp"
cd "$tmp" || exit 2
cat >tiny.yaml <<'EOF'
version: 1
name: tiny
seed: 7
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 10, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 10, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 12}
training:
  batch_size: 12
  iterations: 4
  optimizer: {lr: 0.05}
EOF
"$lsnn" train tiny.yaml -o RUN --iters 4 >train.txt 2>&1 || { echo "slow_gates: FAIL: lsnn train: $(tail -3 train.txt)"; exit 1; }
"$lsnn" compile RUN -o IMG --hw "$src/models/hw/small.yaml" >compile.txt 2>&1 ||
    { echo "slow_gates: FAIL: lsnn compile: $(tail -3 compile.txt)"; exit 1; }
t0=$(date +%s)
if ! "$src/hw/gates/run.sh" --config small --image "$tmp/IMG" --samples 2 --build "$build" \
    --out "$tmp/gates" >run.txt 2>&1; then
    echo "slow_gates: FAIL: hw/gates/run.sh:"
    tail -20 run.txt
    exit 1
fi
t1=$(date +%s)
fail=0
check() { # description, command...
    local d="$1"
    shift
    if "$@"; then echo "slow_gates: ok: $d"; else echo "slow_gates: FAIL: $d"; fail=1; fi
}
check "the netlist equals the reference on 2 sequences, 202 ticks" \
    grep -q '"equal": true, "sequences": 2, "ticks": 202' gates/verify.json
check "cells, area, fmax and per-event energies reported" python3 -c "
import json, sys
r = json.load(open('gates/results.json'))
ok = r['cells'] > 1000 and r['area_um2'] > 0 and 1 < r['fmax_mhz'] < 1000 and r['leakage_w'] > 0
ok = ok and all(r['pj_per_event'][k] and r['pj_per_event'][k] > 0 for k in ('syn_ops', 'neuron_updates'))
sys.exit(0 if ok else 1)"
cat gates/results.md
echo "slow_gates: run.sh took $((t1 - t0)) s"
exit $fail
