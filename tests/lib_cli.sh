# lib_cli.sh - shared set-up of the shell tests (sourced): arguments, scratch dir, counters.
# The sourcing script is run as: bash cli_x.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck shell=bash
set -u
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
LSNN=$(abspath "$1")
SRC=$(abspath "$2")
TMP=$(abspath "$3")
rm -rf "$TMP"
mkdir -p "$TMP"
cd "$TMP" || exit 1

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

# check DESCRIPTION COMMAND...: passes when the command succeeds
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# train ARGS...: runs lsnn train quietly; its output is shown on failure
train() {
    if ! "$LSNN" train --quiet "$@" >train.log 2>&1; then
        echo "  lsnn train $* failed:" >&2
        tail -5 train.log >&2
        return 1
    fi
}

# tiny_spec FILE SEED NEURONS TEST_SIZE: a small store-recall LSNN (NEURONS LIF + NEURONS ALIF,
# 20 inputs, 2 readouts, 4 iterations of batch TEST_SIZE) for the tests that need a trained run
tiny_spec() {
    cat >"$1" <<EOF2
version: 1
name: tiny
seed: $2
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: $3, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: $3, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: $4}
training:
  batch_size: $4
  iterations: 4
  optimizer: {lr: 0.05}
EOF2
}

# quad_hw FILE NEURONS: a 2x2 mesh of NEURONS-neuron cores with 64 axons (multi-core images)
quad_hw() {
    printf 'version: 1\nname: quad\nneurocore: 3\nmesh: [2, 2]\ncore: {neurons: %s, axons: 64}\n' "$2" >"$1"
}

# small2x2_hw FILE: a 2x2 mesh of small cores that the verilated chip runs (hw/chips.txt:
# chip_small), for multi-core images that lsnn verify checks on the RTL
small2x2_hw() {
    cat >"$1" <<EOF2
version: 1
name: small2x2
neurocore: 3
mesh: [2, 2]
noc_buffer: 2
core: {neurons: 64, axons: 512, synapse_words: 16384, profiles: 8, route_entries: 256}
EOF2
}

# tiny_image SEED NEURONS TEST_SIZE: tiny_spec, trained into RUN and compiled into IMG; a
# failed training ends the test with its report
tiny_image() {
    tiny_spec tiny.yaml "$1" "$2" "$3"
    if ! train tiny.yaml -o RUN --iters 4; then
        fail "lsnn train tiny.yaml"
        report
        exit 1
    fi
    "$LSNN" compile RUN -o IMG >compile.txt 2>&1 || fail "compile: $(tail -2 compile.txt)"
}

# header_len FILE: the safetensors JSON header length
header_len() { od -An -t u8 -N 8 "$1" | tr -d ' '; }

# tensor_begin FILE NAME: data offset (relative to the data section) of a tensor, or nothing
tensor_field() {
    local n
    n=$(header_len "$1")
    head -c $((8 + n)) "$1" | tail -c "$n" |
        sed -n "s/.*\"$2\" *: *{[^}]*\"data_offsets\" *: *\[ *\([0-9]*\) *, *\([0-9]*\).*/\\$3/p"
}
tensor_begin() { tensor_field "$1" "$2" 1; }
tensor_end() { tensor_field "$1" "$2" 2; }

# adam_step FILE: the iteration count stored in a checkpoint (reads a private copy, as the
# file may be replaced while we read it)
adam_step() {
    local snap=$TMP/.snap.$$ n b
    cp "$1" "$snap" 2>/dev/null || return 1
    n=$(header_len "$snap")
    b=$(tensor_begin "$snap" adam_step)
    [ -n "$n" ] && [ -n "$b" ] || return 1
    od -An -t d8 -j $((8 + n + b)) -N 8 "$snap" | tr -d ' '
    rm -f "$snap"
}

# same_curve_csv A B: same rows; columns 1-8 (iteration .. lr) identical; timing columns free
same_curve_csv() {
    if ! cmp -s <(cut -d, -f1-8 "$1") <(cut -d, -f1-8 "$2"); then
        echo "  curve.csv differs in its deterministic columns:" >&2
        diff <(cut -d, -f1-8 "$1") <(cut -d, -f1-8 "$2") | head -10 >&2
        return 1
    fi
}

# same_checkpoint A B: byte-identical except the timing columns (seq_per_s, elapsed_s) of the
# curve tensor, which is the last tensor of the file
same_checkpoint() {
    local n cb ce size
    n=$(header_len "$1")
    cb=$(tensor_begin "$1" curve)
    ce=$(tensor_end "$1" curve)
    size=$(wc -c <"$1")
    if [ -z "$cb" ] || [ $((8 + n + ce)) -ne "$size" ] || [ "$size" -ne "$(wc -c <"$2")" ]; then
        echo "  $1: no curve tensor at the end, or sizes differ" >&2
        return 1
    fi
    if ! cmp -s -n $((8 + n + cb)) "$1" "$2"; then
        echo "  checkpoints differ before the curve: $(cmp -n $((8 + n + cb)) "$1" "$2")" >&2
        return 1
    fi
    local ca cbb
    ca=$(od -An -v -t x8 -w80 -j $((8 + n + cb)) "$1" | awk '{print $1,$2,$3,$4,$5,$6,$7,$8}')
    cbb=$(od -An -v -t x8 -w80 -j $((8 + n + cb)) "$2" | awk '{print $1,$2,$3,$4,$5,$6,$7,$8}')
    if [ "$ca" != "$cbb" ]; then
        echo "  the checkpoints' curves differ in columns 1-8" >&2
        return 1
    fi
}

rows() { echo $(($(wc -l <"$1") - 1)); }

# same_run A B: weights byte-identical, checkpoint identical up to timings, same curve
same_run() {
    local r=0
    cmp "$1/weights.safetensors" "$2/weights.safetensors" >&2 || r=1
    same_checkpoint "$1/checkpoint.safetensors" "$2/checkpoint.safetensors" || r=1
    same_curve_csv "$1/curve.csv" "$2/curve.csv" || r=1
    cmp "$1/model.yaml" "$2/model.yaml" >&2 || r=1
    return $r
}

# Prints the closing line and returns the test's status.
report() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
