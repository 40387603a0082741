# cli_compile.sh - `lsnn compile` writes a hardware image, rejects a core that is too small; `lsnn eval --engine ref` reports float and fixed-point accuracy.
# usage: bash cli_compile.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# a small store-recall spec (a few iterations are enough: the test checks the tool, not accuracy)
cat >tiny.yaml <<EOF2
version: 1
name: tiny
seed: 3
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 6, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 6, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 40}
training:
  batch_size: 20
  iterations: 4
  optimizer: {lr: 0.05}
EOF2

# a config whose core holds only 8 neuron slots (the model needs 12 + 2)
cat >tiny_core.yaml <<EOF2
version: 1
name: tiny_core
neurocore: 3
core:
  neurons: 8
  synapses_per_word: 4
EOF2

if ! train tiny.yaml -o RUN --iters 4; then
    fail "lsnn train tiny.yaml"
    report
    exit 1
fi

# compile: the image files
"$LSNN" compile RUN -o IMG >compile.txt 2>&1
rc=$?
[ $rc -eq 0 ] && ok "lsnn compile RUN -o IMG succeeds" || fail "lsnn compile: exit $rc: $(tail -3 compile.txt)"
check "the image: image.bin and manifest.yaml" test -s IMG/image.bin -a -s IMG/manifest.yaml
check "the image: one hex file per memory" test -s IMG/core000_syn.hex -a -s IMG/core000_profile.hex \
    -a -s IMG/core000_axt.hex -a -s IMG/core000_rte.hex
check "compile prints the quantisation report" grep -q '^quantisation (W = 8): [0-9]* weights' compile.txt
check "compile prints the utilisation" grep -q '^  neurons *14 / ' compile.txt

# an explicit --hw (the repository's default core)
"$LSNN" compile RUN --hw "$SRC/models/hw/default.yaml" -o IMGD >compile_d.txt 2>&1
check "compile --hw models/hw/default.yaml: the same image as the built-in default" \
    cmp -s IMG/image.bin IMGD/image.bin

# --json and --weight-bits
"$LSNN" compile RUN -o IMG4 --weight-bits 4 --json >compile.json 2>&1
check "compile --weight-bits 4 --json: one object with the usage" \
    grep -q '^{"run": "RUN", "image": "IMG4", .*"weight_bits": 4, "cores": \[{"id": 0, "first_neuron": 0, "neurons": \[14, ' compile.json

# a core that is too small: exit 1, the message names the limit and its key
"$LSNN" compile RUN --hw tiny_core.yaml -o SMALL >small.txt 2>&1
rc=$?
[ $rc -eq 1 ] && ok "a too-small core: exit 1" || fail "a too-small core: exit $rc, expected 1"
check "the message names the limit (core.neurons)" grep -q 'core holds 8 (core.neurons' small.txt
check "no image is written for a core that is too small" test ! -e SMALL/image.bin

# option errors: exit 2
"$LSNN" compile RUN -o X --weight-bits 1 >bad.txt 2>&1
[ $? -eq 2 ] && ok "--weight-bits 1: exit 2" || fail "--weight-bits 1: not exit 2"
"$LSNN" compile RUN -o X --weight-bits abc >bad.txt 2>&1
[ $? -eq 2 ] && ok "--weight-bits abc: exit 2" || fail "--weight-bits abc: not exit 2"
"$LSNN" eval RUN --engine ref --weight-bits 17 >bad.txt 2>&1
[ $? -eq 2 ] && ok "eval --weight-bits 17: exit 2" || fail "eval --weight-bits 17: not exit 2"
"$LSNN" compile RUN >bad.txt 2>&1
[ $? -eq 2 ] && ok "compile without -o: exit 2" || fail "compile without -o: not exit 2"

# --help lists the options
"$LSNN" compile --help >help.txt 2>&1
lists_options() {
    grep -q -- '-o, --out IMAGE_DIR' help.txt && grep -q -- '--hw FILE' help.txt &&
        grep -q -- '--weight-bits N' help.txt && grep -q -- '--json' help.txt
}
check "compile --help lists -o, --hw, --weight-bits, --json" lists_options
check "lsnn --help lists compile" bash -c "'$LSNN' --help | grep -q '^  compile RUN_DIR'"

# eval on the reference core
"$LSNN" eval RUN --engine ref --samples 32 >ref.txt 2>&1
check "eval --engine ref: both accuracies side by side" \
    grep -q '^float: [0-9.]* %, fixed (8-bit weights): [0-9.]* %, difference [-+][0-9.]* points$' ref.txt
check "eval --engine ref: the number of sequences" \
    grep -q '^reference runtime (hw config .*, 1 core): 32 sequences, [0-9]* scored windows' ref.txt
"$LSNN" eval RUN --engine ref --samples 8 --weight-bits 4 --json >ref.json 2>&1
check "eval --engine ref --json: fixed fields" \
    grep -q '"fixed": {"weight_bits": 4, "sequences": 8, "windows": [0-9]*, "correct": [0-9]*, "error": ' ref.json
"$LSNN" eval RUN --engine ref --hw tiny_core.yaml --samples 4 >small_eval.txt 2>&1
[ $? -eq 1 ] && ok "eval --engine ref on a too-small core: exit 1" || fail "eval on a too-small core: not exit 1"
"$LSNN" eval RUN --samples 4 >float.txt 2>&1
check "eval without --engine stays float only" bash -c '! grep -q "^float: " float.txt && grep -q "^recall error" float.txt'

report
