#!/usr/bin/env bash
# run_main.sh - the README's first command: set up, then the main job, step by step.
#
# Steps (each prints a "== step: ..." line; later issues append RTL run, verify and energy
# steps to STEPS below):
#   train    build/tools/lsnn train models/store_recall.yaml -o runs/store_recall (fresh run:
#            the old runs/store_recall is removed first)
#   eval     build/tools/lsnn eval runs/store_recall (float engine)
#   compile  build/tools/lsnn compile runs/store_recall -o runs/store_recall/image
#   fixed    build/tools/lsnn eval runs/store_recall --engine ref (float vs fixed point)
#   run      build/tools/lsnn run runs/store_recall/image (the image alone on the reference
#            runtime: accuracy, activity, cycles)
#   rtl      build/tools/lsnn run runs/store_recall/image --engine rtl (the Verilog neurocore
#            under Verilator) and lsnn verify (RTL against the reference, every tick)
#   jit      build/tools/lsnn verify runs/store_recall/image --engines ref,jit --samples 0 (the
#            image compiled to native code by the LLVM backend against the reference, every
#            tick of the whole test set)
#   energy   build/tools/lsnn energy runs/store_recall/image (the three technology tables, the
#            LSTM-128 line)
#   summary  a short summary
#
# Environment: LSNN_MODEL (default models/store_recall.yaml), LSNN_RUN (default
# runs/store_recall), LSNN_JOBS (threads and build jobs, default 2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MODEL="${LSNN_MODEL:-models/store_recall.yaml}"
RUN="${LSNN_RUN:-runs/store_recall}"
JOBS="${LSNN_JOBS:-2}"
LSNN="$ROOT/build/tools/lsnn"

die() {
    echo "run_main: error: $*" >&2
    exit 1
}

step_setup() {
    bash tools/setup.sh
}

step_train() {
    [[ -f "$MODEL" ]] || die "no model spec at $MODEL"
    rm -rf "$RUN"
    local t0=$SECONDS
    "$LSNN" train "$MODEL" -o "$RUN" --threads "$JOBS" --log-every 20 --quiet
    TRAIN_S=$((SECONDS - t0))
    for f in model.yaml weights.safetensors checkpoint.safetensors curve.csv; do
        [[ -f "$RUN/$f" ]] || die "training left no $RUN/$f"
    done
    echo "trained in ${TRAIN_S} s; $RUN holds model.yaml, weights.safetensors, checkpoint.safetensors, curve.csv"
}

step_eval() {
    "$LSNN" eval "$RUN" --threads "$JOBS" | tee "$RUN/eval.txt"
    "$LSNN" eval "$RUN" --threads "$JOBS" --json >"$RUN/eval.json"
}

step_compile() {
    "$LSNN" compile "$RUN" -o "$RUN/image" | tee "$RUN/compile.txt"
}

# The compiled fixed-point network on the bit-exact reference core, beside the float one.
step_fixed() {
    "$LSNN" eval "$RUN" --engine ref --threads "$JOBS" | tee "$RUN/eval_ref.txt"
}

# The image alone (no run directory) on the bit-exact reference runtime.
step_run() {
    "$LSNN" run "$RUN/image" --samples 0 --out "$RUN/image_run.csv" | tee "$RUN/run_ref.txt"
}

# The Verilog neurocore: a run on the RTL, then every tick compared with the reference.
step_rtl() {
    "$LSNN" run "$RUN/image" --engine rtl --samples 20 | tee "$RUN/run_rtl.txt"
    "$LSNN" verify "$RUN/image" --samples 100 | tee "$RUN/verify.txt"
}

# The LLVM backend: the image as native code, every tick of the test set against the reference.
step_jit() {
    "$LSNN" verify "$RUN/image" --engines ref,jit --samples 0 | tee "$RUN/verify_jit.txt"
}

step_energy() {
    "$LSNN" energy "$RUN/image" --samples 100 | tee "$RUN/energy.txt"
}

# Summary lines collected from the steps, printed at the end.
step_summary() {
    local metric_line last
    metric_line="$(grep -E '^[a-z_ ]+error: ' "$RUN/eval.txt" | head -n 1 || true)"
    last="$(tail -n 1 "$RUN/curve.csv")"
    echo "model:       $MODEL"
    echo "run:         $RUN (eval: $RUN/eval.txt, $RUN/eval.json; curve: $RUN/curve.csv)"
    echo "training:    $(cut -d, -f1 <<<"$last") iterations in ${TRAIN_S:-?} s, final train loss $(cut -d, -f2 <<<"$last")"
    echo "test result: ${metric_line:-see $RUN/eval.txt}"
    echo "fixed point: $(grep -E '^float: ' "$RUN/eval_ref.txt" || echo "see $RUN/eval_ref.txt")"
    echo "image:       $RUN/image (image.bin, manifest.yaml, model.yaml, hex files)"
    echo "reference:   $(grep -E 'scored windows' "$RUN/run_ref.txt" || echo "see $RUN/run_ref.txt")"
    echo "RTL:         $(grep -E '^verify ' "$RUN/verify.txt" | sed 's/^verify [^:]*: //' || echo "see $RUN/verify.txt")"
    echo "jit:         $(grep -E '^verify ' "$RUN/verify_jit.txt" | sed 's/^verify [^:]*: //' || echo "see $RUN/verify_jit.txt")"
    echo "energy:      $(grep -E '^comparison per inference' "$RUN/energy.txt" | sed 's/^comparison per inference: //' || echo "see $RUN/energy.txt")"
}

# The main job, in order. Append new steps here (and define step_NAME above).
STEPS=(setup train eval compile fixed run rtl jit energy summary)

for s in "${STEPS[@]}"; do
    echo "== step: $s"
    "step_$s"
done
echo "== done"
