#!/usr/bin/env bash
# bench_torch_compare.sh - training throughput against PyTorch, side by side, in one go on one
# machine (issue 14): bench_train and tools/bench_torch.py on models/smnist.yaml (DEEP R 12 %)
# and models/smnist_dense.yaml, batch 256, T = 840, 2 threads, the same MNIST batches; then
# the ratios ours / PyTorch and the cost of bench_train against DEEP R connectivity (--p 0.01,
# 0.05, 0.12, 1.0) as markdown tables. A benchmark, not a test: run it with nothing else on
# the machine; it prints the load average before and after. The ratio of CPU time per
# sequence is printed too: a busy machine distorts wall time and CPU time differently.
#
# usage: tools/bench_torch_compare.sh [K] [BUILD_DIR]
#   K: timed iterations per run after one warm-up (default 3); BUILD_DIR: default build
# Needs: BUILD_DIR/tools/bench_train (ninja -C build bench_train), Debian's python3-torch with
# libopenblas0-pthread (bench_torch.py refuses the reference BLAS), data/mnist
# (tools/fetch_mnist.sh; without it both sides use the same synthetic strokes).
set -euo pipefail
K="${1:-3}" BUILD="${2:-build}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY=/usr/bin/python3 # Debian's torch; a pyenv python earlier on PATH does not see it
BT="$BUILD/tools/bench_train"
[[ -x "$BT" ]] || { echo "bench_torch_compare: $BT not found (ninja -C $BUILD bench_train)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load average before: $(load)"
echo "K = $K timed iterations after one warm-up; batch 256, T = 840, 2 threads"
run() { # NAME CMD...: one JSON line into $tmp/NAME
    local name="$1"
    shift
    echo "  $name: $*" >&2
    "$@" --json >"$tmp/$name"
}
run ours_deepr "$BT" models/smnist.yaml --threads 2 --iters "$K"
run ours_dense "$BT" models/smnist_dense.yaml --threads 2 --iters "$K"
run torch_deepr "$PY" tools/bench_torch.py models/smnist.yaml --threads 2 --iters "$K"
run torch_dense "$PY" tools/bench_torch.py models/smnist_dense.yaml --threads 2 --iters "$K"
run torch_dense_nodelay "$PY" tools/bench_torch.py models/smnist_dense.yaml --threads 2 \
    --iters "$K" --no-delays
for p in 0.01 0.05 0.12 1.0; do
    run "ours_p$p" "$BT" models/smnist.yaml --threads 2 --iters "$K" --p "$p"
done
echo "load average after: $(load)"

"$PY" - "$tmp" <<'EOF'
import json, os, sys
d = sys.argv[1]
r = {n: json.load(open(os.path.join(d, n))) for n in os.listdir(d)}
t = r["torch_dense"]
print(f"\nPyTorch {t['torch']}, BLAS {t['blas']} ({t['sgemm_gflops_per_cpu_s']} GFLOP per CPU-second "
      "on a 512^3 sgemm); "
      f"input: {r['ours_dense']['input']} (ours: {r['ours_dense']['input_spikes_per_seq']} input "
      f"spikes per sequence, PyTorch: {t['input_spikes_per_seq']})\n")
print("| network | ours (bench_train) seq/s | PyTorch seq/s | ours / PyTorch | CPU-ms per sequence, "
      "ours / PyTorch (ratio) | ours: rate, peak RSS | PyTorch: rate, peak RSS |")
print("|---|---|---|---|---|---|---|")
for name, key in (("DEEP R 12 % (`models/smnist.yaml`)", "deepr"),
                  ("dense (`models/smnist_dense.yaml`)", "dense")):
    o, p = r["ours_" + key], r["torch_" + key]
    print(f"| {name} | {o['seq_per_s']:.1f} | {p['seq_per_s']:.2f} | "
          f"**{o['seq_per_s'] / p['seq_per_s']:.1f}x** | {o['cpu_ms_per_seq']:.2f} / "
          f"{p['cpu_ms_per_seq']:.1f} ({p['cpu_ms_per_seq'] / o['cpu_ms_per_seq']:.1f}x) | "
          f"{o['rate_hz']:.1f} Hz, "
          f"{o['peak_rss_mib']:.0f} MiB | {p['rate_hz']:.1f} Hz, {p['peak_rss_mib']:.0f} MiB |")
n = r["torch_dense_nodelay"]
print(f"| (reference) PyTorch dense without delays (one slot), not the same network | | {n['seq_per_s']:.2f} "
      f"| {r['ours_dense']['seq_per_s'] / n['seq_per_s']:.1f}x (ours dense, with delays) | "
      f"{n['cpu_ms_per_seq']:.1f} (PyTorch) | | {n['rate_hz']:.1f} Hz, {n['peak_rss_mib']:.0f} MiB |")
print("\nCost against connectivity (bench_train models/smnist.yaml --p P; initial weights; "
      "PyTorch runs DEEP R as a masked dense matmul, so its cost is the same at every p):\n")
print("| connectivity p | active connections | seq/s | CPU-ms per sequence | rate | "
      "seq/s against p = 100 % | ours / PyTorch DEEP R |")
print("|---|---|---|---|---|---|---|")
full = r["ours_p1.0"]["seq_per_s"]
for p in ("0.01", "0.05", "0.12", "1.0"):
    o = r["ours_p" + p]
    print(f"| {float(p) * 100:g} % | {int(float(p) * 68200):,} | {o['seq_per_s']:.1f} | "
          f"{o['cpu_ms_per_seq']:.3f} | {o['rate_hz']:.1f} Hz | {o['seq_per_s'] / full:.2f}x | "
          f"{o['seq_per_s'] / r['torch_deepr']['seq_per_s']:.1f}x |")
o = r["ours_dense"]
print(f"| dense (`smnist_dense.yaml`) | 68,200 | {o['seq_per_s']:.1f} | {o['cpu_ms_per_seq']:.3f} | "
      f"{o['rate_hz']:.1f} Hz | {o['seq_per_s'] / full:.2f}x | "
      f"{o['seq_per_s'] / r['torch_dense']['seq_per_s']:.1f}x (PyTorch dense) |")
EOF
