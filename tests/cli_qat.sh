# cli_qat.sh - `lsnn train --resume-from RUN` (fine-tuning) and `--qat BITS` (quantisation-aware training): the spec it writes, the start left intact, a resumed QAT run bit-identical to a plain one (dense and DEEP R), refusals, and the QAT model compiled and run at its width.
# usage: bash cli_qat.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# spec NAME CONNECTIVITY LIF_SIZE: a small store-recall spec
spec() {
    cat >"$1.yaml" <<EOF
version: 1
name: tiny
seed: 5
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: $3, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 6, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  connectivity: $2
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 40}
training:
  batch_size: 40
  iterations: 1000
  optimizer: {lr: 0.05}
  checkpoint_every: 2
  eval_every: 2
EOF
}

# expect_fail WANT_RC PATTERN DESCRIPTION -- ARGS...: lsnn ARGS exits WANT_RC saying PATTERN
expect_fail() {
    local want=$1 pat=$2 what=$3
    shift 4
    "$LSNN" "$@" >out.txt 2>err.txt
    local rc=$?
    if [ "$rc" -eq "$want" ] && grep -Eq -- "$pat" err.txt; then
        ok "$what (exit $rc)"
    else
        fail "$what: lsnn $* exited $rc (want $want), stderr: $(head -c 300 err.txt)"
    fi
}

differs() { ! cmp -s "$1" "$2"; }
lacks() { ! grep -q "$1" "$2"; }

for kind in dense deepr; do
    conn=dense
    [ $kind = deepr ] && conn="{mode: deep_r, p: 0.3, l1: 0.001, temperature: 0, dale: false}"
    spec $kind "$conn" 6
    if ! train $kind.yaml -o ${kind}_RUN --iters 4; then
        fail "$kind: lsnn train $kind.yaml"
        continue
    fi
    sum_before=$(cat ${kind}_RUN/* | sha256sum)
    # (a) 4 QAT iterations in one go; (b) 2, then --resume to 4: the same run
    if train --qat 4 --resume-from ${kind}_RUN --iters 4 --lr 0.01 -o ${kind}_Q4 &&
        train --qat 4 --resume-from ${kind}_RUN --iters 2 --lr 0.01 -o ${kind}_Q2 &&
        train --resume -o ${kind}_Q2 --iters 4; then
        check "$kind: the run started from is left as it was" [ "$(cat ${kind}_RUN/* | sha256sum)" = "$sum_before" ]
        check "$kind: model.yaml records training.qat with the resolved rule" \
            grep -Pzq '  qat:\n    weight_bits: 4\n    exponents: (max|mse)\n' ${kind}_Q4/model.yaml
        check "$kind: model.yaml records --lr" grep -q '    lr: 0.01$' ${kind}_Q4/model.yaml
        check "$kind: a fresh curve of 4 iterations" [ "$(rows ${kind}_Q4/curve.csv)" = 4 ]
        check "$kind: fresh Adam moments (step 4)" [ "$(adam_step ${kind}_Q4/checkpoint.safetensors)" = 4 ]
        check "$kind: QAT 2 + resume 2 == 4 in one go" same_run ${kind}_Q4 ${kind}_Q2
        check "$kind: QAT changed the weights" differs ${kind}_RUN/weights.safetensors ${kind}_Q4/weights.safetensors
        # the QAT run is an ordinary run folder: eval loads it (DEEP R: w = sign * theta checked)
        if "$LSNN" eval ${kind}_Q4 --engine ref --weight-bits 4 --quiet >eval.txt 2>&1; then
            ok "$kind: lsnn eval --engine ref --weight-bits 4 of the QAT run"
        else
            fail "$kind: lsnn eval of the QAT run: $(tail -2 eval.txt)"
        fi
        # the same command again with --resume continues the QAT run (nothing left to do)
        check "$kind: --resume with --resume-from continues the run" \
            train --qat 4 --resume --resume-from ${kind}_RUN --iters 4 --lr 0.01 -o ${kind}_Q2
        expect_fail 1 "differs from the run's .* at training\.qat" "$kind: --resume with another --qat is refused" \
            -- train --resume -o ${kind}_Q2 --qat 8 --iters 5
        expect_fail 1 "differs from the run's .* at training\.optimizer" "$kind: --resume with another --lr is refused" \
            -- train --resume -o ${kind}_Q2 --lr 0.5 --iters 5
    else
        fail "$kind: lsnn train --qat 4 --resume-from"
    fi
done

# --resume-from with a spec: same network, other training settings
spec tune "dense" 6
sed -i 's/lr: 0.05/lr: 0.002/' tune.yaml
if train tune.yaml --resume-from dense_RUN --iters 2 -o TUNE; then
    check "--resume-from with MODEL.yaml takes its training settings" grep -q '    lr: 0.002$' TUNE/model.yaml
    check "--resume-from without --qat writes no qat section" lacks 'qat' TUNE/model.yaml
else
    fail "lsnn train tune.yaml --resume-from dense_RUN"
fi
spec other "dense" 7
expect_fail 1 "describes another model" "--resume-from with a spec of another network is refused" \
    -- train other.yaml --resume-from dense_RUN --iters 2 -o OTHER
expect_fail 1 "the run to start from is the output folder" "--resume-from RUN -o RUN is refused" \
    -- train --resume-from dense_RUN --iters 2 -o dense_RUN --force
"$LSNN" compile dense_RUN -o IMG --calibrate 0 --quiet >compile.txt 2>&1 || fail "compile: $(tail -2 compile.txt)"
expect_fail 1 "IMG is an image folder" "--resume-from an image folder is refused" \
    -- train --resume-from IMG --iters 2 -o X
expect_fail 1 "no lsnn-folder.yaml|not a run folder|No such file" "--resume-from a missing folder is refused" \
    -- train --resume-from NOWHERE --iters 2 -o Y
expect_fail 2 "go with --qat" "--exponents without --qat is a usage error" \
    -- train dense.yaml --exponents mse -o Z
expect_fail 2 "not a learning rate" "--lr 0 is a usage error" \
    -- train dense.yaml --lr 0 -o Z
none_of() { for d in "$@"; do [ ! -e "$d" ] || return 1; done; }
check "failed starts leave no folder behind" none_of OTHER X Y Z

# the QAT model compiles with its rule, at its width, and lsnn run runs it
rule=$(sed -n 's/^    exponents: //p' dense_Q4/model.yaml)
if "$LSNN" compile dense_Q4 --weight-bits 4 --exponents "$rule" -o QIMG --calibrate 0 --quiet >compile.txt 2>&1; then
    if "$LSNN" run QIMG --samples 4 --quiet >run.txt 2>&1; then
        ok "lsnn run of the compiled QAT model"
    else
        fail "lsnn run of the compiled QAT model: $(tail -2 run.txt)"
    fi
else
    fail "compile of the QAT model: $(tail -2 compile.txt)"
fi

report
