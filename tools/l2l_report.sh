#!/usr/bin/env bash
# l2l_report.sh - the learning-to-learn results (docs/l2l.md): trains models/l2l.yaml and
# models/l2l_lif.yaml (or resumes them), then measures the MSE against the trial index on the
# fixed test episodes for the LSNN in float, on the reference chip and on the RTL (8-bit
# weights), the LIF-only network in float, and the baselines (tools/bench_l2l); verifies
# ref = RTL tick by tick and prices an episode with lsnn energy.
#
# usage: tools/l2l_report.sh train     train both models (resumes runs/l2l, runs/l2l_lif)
#        tools/l2l_report.sh report    measure; writes runs/l2l_report/ (trials.csv: one column
#                                      per curve, trials.svg: its plot where gnuplot is
#                                      installed, *.txt: each command's report)
# Environment: LSNN (default build/tools/lsnn), BENCH (default build/tools/bench_l2l),
# VERIFY (episodes for lsnn verify, default 10), THREADS (training, default 1), RUN_LSNN and
# RUN_LIF (the run folders, default runs/l2l and runs/l2l_lif), OUT (default runs/l2l_report).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
LSNN="${LSNN:-$ROOT/build/tools/lsnn}"
BENCH="${BENCH:-$ROOT/build/tools/bench_l2l}"
VERIFY="${VERIFY:-10}"
THREADS="${THREADS:-1}"
RUN_LSNN="${RUN_LSNN:-runs/l2l}"
RUN_LIF="${RUN_LIF:-runs/l2l_lif}"
OUT="${OUT:-runs/l2l_report}"

train_one() { # SPEC RUN
    if [ -f "$2/checkpoint.safetensors" ]; then
        "$LSNN" train --resume -o "$2" --threads "$THREADS"
    else
        "$LSNN" train "$1" -o "$2" --threads "$THREADS"
    fi
}

case "${1:-}" in
train)
    train_one models/l2l.yaml "$RUN_LSNN" && train_one models/l2l_lif.yaml "$RUN_LIF"
    ;;
report)
    mkdir -p "$OUT"
    set -e
    t0=$(date +%s)
    "$LSNN" eval "$RUN_LSNN" --engine ref --trial-curve "$OUT/lsnn_float.csv" --quiet >"$OUT/eval_lsnn.txt"
    "$LSNN" eval "$RUN_LIF" --engine ref --trial-curve "$OUT/lif_float.csv" --quiet >"$OUT/eval_lif.txt"
    "$LSNN" compile "$RUN_LSNN" -o "$OUT/l2l.image" >"$OUT/compile.txt"
    "$LSNN" run "$OUT/l2l.image" --samples 0 --trial-curve "$OUT/lsnn_ref.csv" --quiet >"$OUT/run_ref.txt"
    t1=$(date +%s)
    "$LSNN" run "$OUT/l2l.image" --samples 0 --engine rtl --trial-curve "$OUT/lsnn_rtl.csv" --quiet >"$OUT/run_rtl.txt"
    t2=$(date +%s)
    echo "wall time: float evals, compile and reference run $((t1 - t0)) s; RTL run $((t2 - t1)) s" >"$OUT/times.txt"
    cmp "$OUT/lsnn_ref.csv" "$OUT/lsnn_rtl.csv" && echo "reference and RTL curves: identical" >"$OUT/ref_rtl.txt"
    "$LSNN" verify "$OUT/l2l.image" --samples "$VERIFY" --quiet >"$OUT/verify.txt"
    "$LSNN" energy "$OUT/l2l.image" --samples 64 --quiet >"$OUT/energy.txt"
    "$BENCH" models/l2l.yaml --csv "$OUT/baselines.csv" >"$OUT/baselines.txt"
    set +e
    # one table: trial, then each curve's MSE
    python3 - "$OUT" <<'PY'
import csv, sys
out = sys.argv[1]
def col(name, key="mse"):
    return {int(r["trial"]): r[key] for r in csv.DictReader(open(f"{out}/{name}"))}
cols = {"lsnn_float": col("lsnn_float.csv"), "lsnn_ref": col("lsnn_ref.csv"),
        "lsnn_rtl": col("lsnn_rtl.csv"), "lif_float": col("lif_float.csv")}
for k in ("linear_all", "ridge_online", "ann_sgd"):
    cols[k] = col("baselines.csv", k)
with open(f"{out}/trials.csv", "w") as f:
    f.write("trial," + ",".join(cols) + "\n")
    for t in sorted(cols["lsnn_float"]):
        f.write(f"{t}," + ",".join(f"{float(c[t]):.6f}" for c in cols.values()) + "\n")
PY
    if command -v gnuplot >/dev/null; then # the figure: MSE against the trial index
        gnuplot <<GP
set terminal svg size 720,420 font "sans,12"
set output "$OUT/trials.svg"
set datafile separator ","
set key top right
set xlabel "trial (examples seen: trial - 1)"
set ylabel "MSE (64 test episodes)"
set xrange [1:*]
set yrange [0:1.2]
set grid
plot "$OUT/trials.csv" using 1:2 skip 1 with linespoints pt 7 ps 0.5 lw 2 title "LSNN, float", \
     "" using 1:3 skip 1 with lines lw 2 dt 2 title "LSNN on the neurocore (ref = RTL)", \
     "" using 1:5 skip 1 with linespoints pt 5 ps 0.4 title "LIF only, float", \
     "" using 1:7 skip 1 with lines title "online ridge regression", \
     "" using 1:8 skip 1 with lines title "ANN by SGD on the previous trials", \
     "" using 1:6 skip 1 with lines dt 3 title "linear fit on all trials"
GP
    fi
    cat "$OUT"/eval_lsnn.txt "$OUT"/eval_lif.txt "$OUT"/run_ref.txt "$OUT"/run_rtl.txt \
        "$OUT"/ref_rtl.txt "$OUT"/verify.txt "$OUT"/baselines.txt "$OUT"/times.txt
    ;;
*)
    sed -n 2,13p "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
