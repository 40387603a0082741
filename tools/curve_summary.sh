#!/usr/bin/env bash
# curve_summary.sh - the validation curve of a training run, from RUN_DIR/curve.csv.
#
# usage: tools/curve_summary.sh RUN_DIR [EVERY]
# Prints "iteration  val_accuracy  train_loss  rate_hz  elapsed" for every validation point
# (or every EVERY-th one). Validation uses the first eval_batches*batch_size test sequences.
set -euo pipefail
run=${1:?usage: curve_summary.sh RUN_DIR [EVERY]}
every=${2:-1}
[[ -f "$run/curve.csv" ]] || { echo "curve_summary: no $run/curve.csv" >&2; exit 1; }
awk -F, -v every="$every" '
    NR == 1 { next }
    $7 != "" { n++; if ((n - 1) % every == 0) printf "%9d %8.1f %% %9.4f %7.2f Hz %7.0f s\n", $1, 100 * (1 - $7), $2, $6, $10 }
    END { if (n == 0) print "no validation points yet" }
' "$run/curve.csv" | { echo "iteration  val acc   loss      rate       elapsed"; cat; }
