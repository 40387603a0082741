#!/usr/bin/env bash
# bench_compare.sh - before/after speed of two builds on the same machine, runs interleaved
# (A B A B ...), medians of N runs each: training throughput (bench_train), reference runtime
# (bench_ref) and Verilator (lsnn verify). A benchmark, not a test; run it with nothing else
# on the machine.
#
# usage: tools/bench_compare.sh BUILD_A BUILD_B [N]
#   BUILD_A, BUILD_B: build directories (e.g. a build of the old commit and build/)
#   N: runs per build and measure (default 5)
# Models: models/trained/* (sMNIST ones need data/mnist; see tools/fetch_mnist.sh).
# Prints one line per measure: the two medians and B/A.
set -euo pipefail
A="$1" B="$2" N="${3:-5}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# measure NAME CMD...: CMD prints one number (the figure); runs it N times per build, interleaved.
measure() {
    local name="$1"
    shift
    : >"$tmp/a"
    : >"$tmp/b"
    for ((i = 0; i < N; i++)); do
        BUILD="$A" "$@" >>"$tmp/a"
        BUILD="$B" "$@" >>"$tmp/b"
    done
    local ma mb
    ma="$(median <"$tmp/a")"
    mb="$(median <"$tmp/b")"
    awk -v n="$name" -v a="$ma" -v b="$mb" -v k="$N" \
        'BEGIN {printf "%-44s A %12.4g   B %12.4g   B/A %.3f   (median of %d)\n", n, a, b, (a ? b / a : 0), k}'
}

train_seq_s() { "$BUILD/tools/bench_train" "$1" --threads 2 --iters 3 --json | sed -n 's/.*"seq_per_s": \([0-9.e+]*\).*/\1/p'; }
ref_sop_s() { "$BUILD/tools/bench_ref" "$1" --samples "$2" --json | sed -n 's/.*"syn_ops_per_s": \([0-9.e+]*\).*/\1/p'; }
rtl_cyc_s() {
    rm -rf "$tmp/img"
    "$BUILD/tools/lsnn" compile "$1" -o "$tmp/img" --calibrate 0 >/dev/null
    "$BUILD/tools/lsnn" verify "$tmp/img" --samples "$2" --json | sed -n 's/.*"rtl_cycles_per_s": \([0-9.e+]*\).*/\1/p'
}

measure "bench_train smnist_dense.yaml (seq/s)" train_seq_s models/smnist_dense.yaml
for dir in models/trained/*/; do
    name="$(basename "$dir")"
    if grep -q 'kind: smnist' "$dir/model.yaml" && [[ ! -f data/mnist/t10k-images-idx3-ubyte ]]; then
        echo "$name: skipped (no data/mnist)"
        continue
    fi
    measure "bench_ref $name (syn_ops/s)" ref_sop_s "$dir" 100
    measure "verify $name, Verilator (cycles/s)" rtl_cyc_s "$dir" 20
done
