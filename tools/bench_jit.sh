#!/usr/bin/env bash
# bench_jit.sh - the jit engine against the reference runtime and Brian2's C++ standalone on the
# trained sMNIST networks, side by side on one machine: N interleaved rounds of
# `bench_ref RUN --engine ref` and `--engine jit` (each the best of 5 passes over 100 test
# sequences, one thread), then tools/bench_brian2.py on the same 100 sequences (when Debian's
# python3-brian is installed). A benchmark, not a test: run it with nothing else on the machine.
#
# usage: tools/bench_jit.sh [N]   (default 3 rounds; needs data/mnist, tools/fetch_mnist.sh)
# Prints per network the medians of syn_ops/s, the ratios, and the JIT's compile time.
set -euo pipefail
N="${1:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bench=build/tools/bench_ref
field() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for run in models/trained/smnist_deepr models/trained/smnist_dense; do
    : >/tmp/bench_jit_ref
    : >/tmp/bench_jit_jit
    : >/tmp/bench_jit_cs
    for ((i = 0; i < N; i++)); do
        "$bench" "$run" --samples 100 --repeat 5 --json | field syn_ops_per_s >>/tmp/bench_jit_ref
        out="$("$bench" "$run" --engine jit --samples 100 --repeat 5 --json)"
        field syn_ops_per_s <<<"$out" >>/tmp/bench_jit_jit
        field jit_compile_s <<<"$out" >>/tmp/bench_jit_cs
    done
    ref=$(median </tmp/bench_jit_ref) jit=$(median </tmp/bench_jit_jit) cs=$(median </tmp/bench_jit_cs)
    line="$run: ref $(awk "BEGIN{printf \"%.0f\", $ref/1e6}") M syn_ops/s, jit $(awk "BEGIN{printf \"%.0f\", $jit/1e6}") M ($(awk "BEGIN{printf \"%.2f\", $jit/$ref}")x), jit compile $(awk "BEGIN{printf \"%.2f\", $cs}") s"
    if /usr/bin/python3 -c "import brian2" 2>/dev/null; then
        b=$(/usr/bin/python3 tools/bench_brian2.py "$run" --samples 100 --repeat 5 --json 2>/dev/null | field syn_events_per_s)
        line="$line; Brian2 C++ standalone $(awk "BEGIN{printf \"%.0f\", $b/1e6}") M syn events/s (jit $(awk "BEGIN{printf \"%.2f\", $jit/$b}")x)"
    fi
    echo "$line"
done
