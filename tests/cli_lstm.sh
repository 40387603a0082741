# cli_lstm.sh - the LSTM baseline through the command line: lsnn train (resume bit for bit,
# any thread count), lsnn eval, lsnn energy --lstm, and compile / run / verify / eval --engine
# ref refusing an LSTM; sequential MNIST with analog input when the data is there.
# usage: bash cli_lstm.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# lstm_spec FILE: an LSTM of 8 units on the tiny store-recall task of lib_cli.sh's tiny_spec
lstm_spec() {
    cat >"$1" <<EOF2
version: 1
name: tiny
seed: 3
network: {kind: lstm, inputs: 20, hidden: 8, readout: {size: 2}}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 16}
training:
  batch_size: 40
  iterations: 4
  optimizer: {lr: 0.01}
  lr_schedule: {factor: 0.5, every: 2}
  checkpoint_every: 2
  eval_every: 2
EOF2
}

lstm_spec lstm.yaml
if train lstm.yaml -o A && train lstm.yaml -o B --iters 2 && train --resume -o B --iters 4 &&
    train lstm.yaml -o C --threads 1; then
    check "4 iterations: checkpoint at step 4" [ "$(adam_step A/checkpoint.safetensors)" = 4 ]
    check "2 + resume 2 == 4 in one go" same_run A B
    check "1 thread == 2 threads" cmp A/weights.safetensors C/weights.safetensors
    check "model.yaml says kind lstm" grep -q "^  kind: lstm$" A/model.yaml
    check "validation at iterations 2 and 4" \
        [ "$(awk -F, 'NR > 1 { printf "%s", $7 == "" ? "-" : "v" }' A/curve.csv)" = "-v-v" ]
else
    fail "lsnn train of a tiny LSTM"
fi

"$LSNN" train lstm.yaml -o D --quiet --log-every 1 >log.txt 2>&1
check "--log-every prints a line per iteration" [ "$(grep -c '^it [1-4] loss' log.txt)" = 4 ]

"$LSNN" eval A --quiet >eval.txt 2>&1
check "eval: an LSTM with its parameters" grep -q "LSTM, 20 inputs, 8 hidden units, 2 readouts, 946 parameters" eval.txt
check "eval: the recall error" grep -q "^recall error: " eval.txt
"$LSNN" eval A --quiet --json >A/eval.json 2>&1
check "eval --json" grep -q '"network": "lstm", "inputs": 20, "hidden": 8, "params": 946' A/eval.json

# the neurocore commands refuse an LSTM, saying what to do
refused() { # refused WHAT STATUS COMMAND...: fails with STATUS and names the LSTM
    local what=$1 want=$2
    shift 2
    "$@" >out.txt 2>&1
    local st=$?
    [ "$st" = "$want" ] && grep -q "A holds an LSTM (network.kind lstm): it runs in float only" out.txt &&
        ok "$what refused" || { fail "$what: status $st, $(head -2 out.txt)"; }
}
refused "compile" 1 "$LSNN" compile A -o X
check "compile made no image" [ ! -e X ]
refused "run" 1 "$LSNN" run A
refused "verify" 1 "$LSNN" verify A
refused "eval --engine ref" 2 "$LSNN" eval A --engine ref

# a spec error names the file and line
sed 's/  batch_size: 40/  batch_size: 40\n  regularization: {rate: 0.1}/' lstm.yaml >bad.yaml
"$LSNN" train bad.yaml -o E >out.txt 2>&1
check "regularization is refused for an LSTM, at its line" \
    grep -q "bad.yaml:8:3: error: training.regularization is only allowed with network.kind lsnn" out.txt
check "a refused spec leaves no folder" [ ! -e E ]

# energy: the trained LSTM's line and accuracy beside the LSNN's
tiny_image 2 3 16
"$LSNN" energy IMG --lstm A --samples 4 --quiet >energy.txt 2>&1
check "energy --lstm: the trained LSTM's line" grep -q "^LSTM-8 line .*: 20 in, 2 out, 100 steps; .* 946 parameters" energy.txt
check "energy --lstm: its accuracy from eval.json" grep -q "accuracy .* (trained: A/eval.json, float, 16 sequences)" energy.txt
"$LSNN" energy IMG --lstm A --samples 4 --quiet --json >energy.json 2>&1
check "energy --json: a measured LSTM accuracy" grep -q '"lstm_measured": true, "lstm_sequences": 16' energy.json
"$LSNN" energy IMG --lstm A --hidden 64 >out.txt 2>&1
check "--lstm with --hidden is a usage error" grep -q "drop --hidden" out.txt

# an LSNN's weights under an LSTM's model.yaml, and an LSTM's under an LSNN's, are refused
cp -r A F && cp RUN/weights.safetensors F/weights.safetensors
"$LSNN" eval F --quiet >out.txt 2>&1
check "an LSNN's weights in an LSTM run are refused" grep -q "not an LSTM's weights (metadata network: absent)" out.txt
cp -r RUN G && cp A/weights.safetensors G/weights.safetensors
"$LSNN" eval G --quiet >out.txt 2>&1
check "an LSTM's weights in an LSNN run are refused" grep -q "G/weights.safetensors: tensor 'w_in'" out.txt

# sequential MNIST, one analog input per step (needs tools/fetch_mnist.sh's data)
if [ -f "$SRC/data/mnist/train-images-idx3-ubyte" ] || [ -f "$SRC/data/mnist/train-images-idx3-ubyte.gz" ]; then
    cat >analog.yaml <<EOF2
version: 1
name: analog
network: {kind: lstm, inputs: 1, hidden: 8, readout: {size: 10}}
task: {kind: smnist, data_dir: "$SRC/data/mnist", input: analog, train_limit: 64, test_limit: 16, validation: 16}
training: {batch_size: 16, iterations: 2, eval_every: 2}
EOF2
    if train analog.yaml -o M; then
        check "analog sMNIST: 784 steps, the last one read" grep -q "^  input: analog$" M/model.yaml
        "$LSNN" eval M --quiet >eval.txt 2>&1
        check "analog sMNIST: eval over 16 test images" grep -q "test split: 16 sequences, 16 scored windows" eval.txt
    else
        fail "lsnn train analog.yaml"
    fi
else
    echo "skip: no MNIST in $SRC/data/mnist (tools/fetch_mnist.sh)"
fi
report
