#!/usr/bin/env bash
# repro_store_recall.sh - the README's store-recall comparison: the LSNN (10 LIF + 10 ALIF)
# against a LIF-only network of the same size, trained the same way, for seeds 1..3.
#
# usage: tools/repro_store_recall.sh [SEEDS...]   (default: 1 2 3; runs go to runs/)
# Prints one line per run with the test recall error (1,024 fixed test sequences).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LSNN="$ROOT/build/tools/lsnn"
[[ -x "$LSNN" ]] || { echo "repro_store_recall: build first (bash tools/setup.sh)" >&2; exit 1; }
seeds=("$@")
[[ ${#seeds[@]} -gt 0 ]] || seeds=(1 2 3)
printf '%-18s %5s %14s %10s\n' model seed "recall error" "train s"
for seed in "${seeds[@]}"; do
    for model in store_recall store_recall_lif; do
        run="runs/${model}_s${seed}"
        t0=$SECONDS
        "$LSNN" train "models/$model.yaml" -o "$run" --seed "$seed" --force --quiet >"$run.log" 2>&1 ||
            { echo "training $run failed; see $run.log" >&2; exit 1; }
        err=$("$LSNN" eval "$run" --json | sed -n 's/.*"error": \([0-9.]*\).*/\1/p')
        printf '%-18s %5s %13.2f%% %10d\n' "$model" "$seed" "$(awk -v e="$err" 'BEGIN{print e*100}')" \
            $((SECONDS - t0))
    done
done
