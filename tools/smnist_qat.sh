#!/usr/bin/env bash
# smnist_qat.sh - the issue-14 quantisation check of one trained sMNIST run: its float test
# accuracy, post-training quantisation at 8 and 4 bits on the reference core, 300 iterations of
# quantisation-aware fine-tuning at 4 bits (and at 8 bits), a float fine-tune of the same
# length as the control, and ref = RTL (lsnn verify) of the images that the table reports.
#
# usage: tools/smnist_qat.sh RUN_DIR [OUT_DIR] [--iters N] [--lr LR] [--verify N] [--threads T]
#   RUN_DIR   a trained run (e.g. runs/table/deepr_fast_s1); only read
#   OUT_DIR   where the fine-tuned runs, images and results go (default RUN_DIR.qat)
#   --iters   fine-tuning iterations (default 300), --lr its learning rate (default 0.001)
#   --verify  test sequences for lsnn verify (default 100), --threads (default 2)
#   --samples N  evaluate only the first N test images (a quick check; default all 10,000)
#   --bits "4 8"  the QAT widths (default both)
# Writes OUT_DIR/qat.md (a table row per figure) and OUT_DIR/qat.json; every figure is on the
# 10,000 test images. Environment: LSNN (default build/tools/lsnn). Resumable: a fine-tune whose
# folder holds weights.safetensors at the last iteration is not trained again, and an
# evaluation whose JSON is there is not run again (delete OUT_DIR to start over).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LSNN="${LSNN:-$ROOT/build/tools/lsnn}"
die() {
    echo "smnist_qat: error: $*" >&2
    exit 1
}

RUN="" OUT="" ITERS=300 LR=0.001 VERIFY=100 THREADS=2 SAMPLES=() BITS="4 8"
while [[ $# -gt 0 ]]; do
    case "$1" in
    --iters) ITERS="$2" && shift 2 ;;
    --lr) LR="$2" && shift 2 ;;
    --verify) VERIFY="$2" && shift 2 ;;
    --threads) THREADS="$2" && shift 2 ;;
    --samples) SAMPLES=(--samples "$2") && shift 2 ;;
    --bits) BITS="$2" && shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' && exit 0 ;;
    -*) die "unknown option $1" ;;
    *)
        if [[ -z "$RUN" ]]; then RUN="$1"; elif [[ -z "$OUT" ]]; then OUT="$1"; else die "too many arguments"; fi
        shift
        ;;
    esac
done
[[ -n "$RUN" ]] || die "usage: tools/smnist_qat.sh RUN_DIR [OUT_DIR] (see --help)"
[[ -f "$RUN/weights.safetensors" ]] || die "$RUN: no weights.safetensors"
[[ -x "$LSNN" ]] || die "$LSNN not found (build first, or set LSNN)"
OUT="${OUT:-${RUN%/}.qat}"
mkdir -p "$OUT" || die "cannot create $OUT"

# evaluate NAME DIR [eval options]: the JSON of lsnn eval, kept as OUT/NAME.json
evaluate() {
    local name="$1" dir="$2"
    shift 2
    if [[ ! -s "$OUT/$name.json" ]]; then
        echo "smnist_qat: eval $name ($dir $*)" >&2
        "$LSNN" eval "$dir" --json --quiet --threads "$THREADS" "${SAMPLES[@]}" "$@" >"$OUT/$name.json.tmp" ||
            die "lsnn eval $dir $* failed"
        mv -f "$OUT/$name.json.tmp" "$OUT/$name.json"
    fi
}

# finetune NAME [train options]: lsnn train --resume-from RUN into OUT/NAME (resumes a stopped one)
finetune() {
    local name="$1" dir="$OUT/$1"
    shift
    if [[ -f "$dir/curve.csv" && "$(tail -n 1 "$dir/curve.csv" | cut -d, -f1)" == "$ITERS" ]]; then
        return 0
    fi
    echo "smnist_qat: fine-tune $name ($*)" >&2
    if [[ -f "$dir/checkpoint.safetensors" ]]; then
        "$LSNN" train --resume -o "$dir" --threads "$THREADS" --iters "$ITERS" ||
            die "lsnn train --resume -o $dir failed"
    else
        "$LSNN" train "$@" --resume-from "$RUN" --iters "$ITERS" --lr "$LR" -o "$dir" \
            --threads "$THREADS" || die "lsnn train --resume-from $RUN $* failed"
    fi
}

# verify NAME DIR BITS: compile at BITS bits and lsnn verify ref = RTL; the first line of its report
verify() {
    local name="$1" dir="$2" bits="$3"
    if [[ ! -s "$OUT/$name.verify" ]]; then
        echo "smnist_qat: verify $name ($bits-bit image, $VERIFY sequences)" >&2
        "$LSNN" compile "$dir" --weight-bits "$bits" -o "$OUT/$name.image" >/dev/null ||
            die "lsnn compile $dir failed"
        "$LSNN" verify "$OUT/$name.image" --samples "$VERIFY" --quiet >"$OUT/$name.verify.tmp" 2>&1 ||
            {
                cat "$OUT/$name.verify.tmp" >&2
                die "ref and RTL differ on $name"
            }
        mv -f "$OUT/$name.verify.tmp" "$OUT/$name.verify"
    fi
}

evaluate float "$RUN"
evaluate ptq8 "$RUN" --engine ref --weight-bits 8
evaluate ptq4 "$RUN" --engine ref --weight-bits 4
finetune finetune_float
evaluate finetune_float "$OUT/finetune_float"
for b in $BITS; do
    [[ "$b" =~ ^[0-9]+$ ]] || die "--bits: '$b' is not a width"
    finetune "qat$b" --qat "$b"
    evaluate "qat$b" "$OUT/qat$b" --engine ref --weight-bits "$b"
done
verify ptq8 "$RUN" 8
for b in $BITS; do
    verify "qat$b" "$OUT/qat$b" "$b"
done

python3 - "$OUT" "$RUN" "$ITERS" "$VERIFY" $BITS <<'EOF' || die "summary failed"
import json, os, sys
out, run, iters, nver = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
bits = [int(b) for b in sys.argv[5:]]
def load(name):
    with open(os.path.join(out, name + ".json")) as f:
        return json.load(f)
def acc(name, fixed):
    d = load(name)
    return 100 * (d["fixed"]["accuracy"] if fixed else d["accuracy"])
def ver(name):
    with open(os.path.join(out, name + ".verify")) as f:
        line = f.readline().strip()  # "verify IMAGE: ref and rtl equal on N sequences, M ticks: ..."
    return line.split(": ")[1] if line.count(": ") >= 2 else line
base = acc("float", False)
fine = acc("finetune_float", False)
rows = [
    ("float (the run)", base, None, ""),
    ("8-bit, post-training (ref)", acc("ptq8", True), None, ver("ptq8")),
    ("4-bit, post-training (ref)", acc("ptq4", True), None, ""),
    ("float, fine-tuned %d iterations (control)" % iters, fine, None, ""),
] + [("%d-bit, QAT %d iterations (ref)" % (b, iters), acc("qat%d" % b, True), fine, ver("qat%d" % b))
     for b in bits]
res = {"run": run, "iters": iters, "verify_sequences": nver, "rows": []}
lines = ["| %s | test accuracy | vs the run's float | vs the float fine-tune | ref = RTL (%d sequences) |" % (run, nver),
         "|---|---|---|---|---|"]
for name, a, f, v in rows:
    d_run = a - base
    d_fine = "" if f is None else "%+.2f pp" % (a - f)
    lines.append("| %s | %.2f %% | %+.2f pp | %s | %s |" % (name, a, d_run, d_fine, v))
    res["rows"].append({"name": name, "accuracy": a / 100, "vs_float_pp": d_run,
                        "vs_finetune_pp": None if f is None else a - f, "verify": v})
with open(os.path.join(out, "qat.md.tmp"), "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(os.path.join(out, "qat.md.tmp"), os.path.join(out, "qat.md"))
with open(os.path.join(out, "qat.json.tmp"), "w") as f:
    json.dump(res, f, indent=1)
os.replace(os.path.join(out, "qat.json.tmp"), os.path.join(out, "qat.json"))
print("\n".join(lines))
EOF
