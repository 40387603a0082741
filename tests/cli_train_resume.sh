# cli_train_resume.sh - `lsnn train`: interrupted, killed and multi-threaded runs equal one plain run bit for bit; fresh runs clear stale files; shipped models train.
# usage: bash cli_train_resume.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# spec NAME LIF ALIF BATCH CHAR_MS N_CHARS CHECKPOINT_EVERY EVAL_EVERY LR_EVERY
spec() {
    cat >"$1.yaml" <<EOF
version: 1
name: $1
seed: 5
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: $2, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: $3, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task:
  kind: store_recall
  values: 2
  group_size: 5
  char_ms: $5
  n_chars: $6
  rate_hz: 50
  seq_delay: 1
  test_size: 40
training:
  batch_size: $4
  iterations: 1000
  optimizer: {lr: 0.01}
  lr_schedule: {factor: 0.5, every: $9}
  regularization: {rate: 0.01, target_hz: 10}
  checkpoint_every: $7
  eval_every: $8
  eval_batches: 1
EOF
}

# ---- (a)+(b): 6 iterations in one go vs 3, then --resume to 6 ----
# eval_every 3 so that the final validation of the 3-iteration run falls where the plain run
# validates anyway (a run always validates at its last iteration).
spec tiny 4 4 40 20 5 3 3 2
if train tiny.yaml -o A --iters 6 && train tiny.yaml -o B --iters 3; then
    check "(b) after 3 iterations the checkpoint holds step 3" [ "$(adam_step B/checkpoint.safetensors)" = 3 ]
    check "(b) after 3 iterations curve.csv has 3 rows" [ "$(rows B/curve.csv)" = 3 ]
    if train --resume -o B --iters 6; then
        check "(a) curve.csv has 6 rows" [ "$(rows A/curve.csv)" = 6 ]
        check "(b) resumed curve.csv has 6 rows" [ "$(rows B/curve.csv)" = 6 ]
        check "(a) checkpoint holds step 6" [ "$(adam_step A/checkpoint.safetensors)" = 6 ]
        check "(b) resumed checkpoint holds step 6" [ "$(adam_step B/checkpoint.safetensors)" = 6 ]
        check "(b) 3 + resume 3 == 6 in one go (weights, checkpoint, curve, model.yaml)" same_run A B
        check "(b) the validation error column is filled at iterations 3 and 6 only" \
            [ "$(awk -F, 'NR > 1 { printf "%s", $7 == "" ? "-" : "v" }' B/curve.csv)" = "--v--v" ]
    else
        fail "(b) lsnn train --resume -o B --iters 6"
    fi
    # resuming a finished run changes nothing but rewrites the same files
    cp B/weights.safetensors B.weights.before
    if train --resume -o B; then
        check "(b) resuming a finished run leaves the weights as they are" cmp B.weights.before B/weights.safetensors
        check "(b) ... and the curve at 6 rows" [ "$(rows B/curve.csv)" = 6 ]
    else
        fail "(b) lsnn train --resume -o B (finished run)"
    fi
else
    fail "(a) lsnn train tiny.yaml -o A --iters 6 / -o B --iters 3"
fi

# ---- (d): --threads 1, 2, 3 give the same bytes (40 sequences = 2 engine chunks) ----
if train tiny.yaml -o T1 --iters 4 --threads 1 && train tiny.yaml -o T2 --iters 4 --threads 2 &&
    train tiny.yaml -o T3 --iters 4 --threads 3; then
    check "(d) --threads 1 and 2: identical weights bytes" cmp T1/weights.safetensors T2/weights.safetensors
    check "(d) --threads 1 and 3: identical weights bytes" cmp T1/weights.safetensors T3/weights.safetensors
    check "(d) --threads 1 and 2: identical checkpoint and curve" same_run T1 T2
else
    fail "(d) lsnn train --threads 1/2/3"
fi

# ---- (c): kill -9 a run after its second checkpoint, resume, compare with a plain run ----
# A bigger net so that one iteration takes a few tens of milliseconds and the run is still
# going when we kill it.
ITERS=60
spec kill 30 30 64 40 6 5 10 20
kill_test() {
    train kill.yaml -o K0 --iters $ITERS --threads 1 || return 1
    "$LSNN" train kill.yaml -o K --iters $ITERS --threads 1 --quiet >kill.log 2>&1 &
    local pid=$! step="" waited=0
    # wait (at most 120 s) for a checkpoint at step >= 10: the first (5) plus one more
    while :; do
        if [ -f K/checkpoint.safetensors ]; then
            step=$(adam_step K/checkpoint.safetensors)
            [ -n "$step" ] && [ "$step" -ge 10 ] && break
        fi
        if ! kill -0 $pid 2>/dev/null; then
            echo "  the run ended (step '${step}') before it could be killed; machine too fast?" >&2
            wait $pid
            return 1
        fi
        if [ $waited -ge 6000 ]; then
            echo "  no second checkpoint after 120 s (step '${step}')" >&2
            kill -9 $pid
            wait $pid 2>/dev/null
            return 1
        fi
        sleep 0.02
        waited=$((waited + 1))
    done
    kill -9 $pid
    wait $pid 2>/dev/null
    step=$(adam_step K/checkpoint.safetensors)
    echo "  killed at checkpoint step $step of $ITERS (curve.csv: $(rows K/curve.csv) rows)"
    if [ "$step" -ge $ITERS ]; then
        echo "  the run had already finished when killed" >&2
        return 1
    fi
    train --resume -o K --iters $ITERS --threads 1 || return 1
    [ "$(adam_step K/checkpoint.safetensors)" = $ITERS ] || {
        echo "  resumed checkpoint is not at step $ITERS" >&2
        return 1
    }
    [ "$(rows K/curve.csv)" = $ITERS ] || {
        echo "  resumed curve.csv has $(rows K/curve.csv) rows, want $ITERS" >&2
        return 1
    }
    same_run K0 K
}
check "(c) killed with -9 after its second checkpoint, resumed: identical to a plain run" kill_test

# ---- (e): a fresh run into an old run's directory, killed before its first checkpoint ----
# The old run's checkpoint and weights must not survive next to the new model.yaml, where
# --resume would continue them under the new spec and lsnn eval would score them.
stale_test() {
    train tiny.yaml -o F --iters 3 || return 1
    sed -e 's/^seed: 5/seed: 77/' -e 's/checkpoint_every: 3/checkpoint_every: 0/' tiny.yaml >tiny77.yaml
    "$LSNN" train tiny77.yaml -o F --force --iters 1000000 --quiet >stale.log 2>&1 &
    local pid=$! waited=0
    until grep -q '^seed: 77' F/model.yaml 2>/dev/null; do
        if ! kill -0 $pid 2>/dev/null || [ $waited -ge 3000 ]; then
            echo "  the new run did not write its model.yaml: $(cat stale.log)" >&2
            kill -9 $pid 2>/dev/null
            wait $pid 2>/dev/null
            return 1
        fi
        sleep 0.02
        waited=$((waited + 1))
    done
    kill -9 $pid
    wait $pid 2>/dev/null
    local r=0
    for f in checkpoint.safetensors weights.safetensors curve.csv; do
        [ ! -e "F/$f" ] || {
            echo "  the earlier run's $f is still there" >&2
            r=1
        }
    done
    "$LSNN" train --resume -o F --quiet >resume.log 2>&1
    local rc=$?
    [ $rc -eq 1 ] && grep -q 'no checkpoint' resume.log || {
        echo "  --resume: exit $rc, want 1 with 'no checkpoint': $(cat resume.log)" >&2
        r=1
    }
    "$LSNN" eval F >eval.log 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q 'weights.safetensors' eval.log || {
        echo "  eval: exit $rc, want 1 naming weights.safetensors: $(cat eval.log)" >&2
        r=1
    }
    return $r
}
check "(e) a fresh run clears an earlier run's checkpoint, weights and curve" stale_test

# ---- (g): --max-time: a time budget over all resumes, stopping with a checkpoint ----
budget_test() {
    local r=0 n
    "$LSNN" train tiny.yaml -o G --max-time 0.3s --quiet || return 1
    n=$(rows G/curve.csv)
    [ "$n" -ge 1 ] && [ "$n" -lt 1000 ] && [ -s G/checkpoint.safetensors ] || {
        echo "  budget: $n rows, want 1..999 and a checkpoint" >&2
        r=1
    }
    "$LSNN" train --resume -o G --max-time 0.3s >again.log 2>&1 || r=1
    grep -q "the time budget is 0 s: nothing to do" again.log || {
        echo "  a resume within a spent budget: $(cat again.log)" >&2
        r=1
    }
    [ "$(rows G/curve.csv)" = "$n" ] || r=1
    "$LSNN" train --resume -o G --max-time 1h --iters $((n + 2)) --quiet || r=1
    [ "$(rows G/curve.csv)" = $((n + 2)) ] || {
        echo "  a larger budget continues: $(rows G/curve.csv) rows, want $((n + 2))" >&2
        r=1
    }
    return $r
}
check "(g) --max-time stops with a checkpoint, a spent budget does nothing, a larger one goes on" budget_test

# ---- (f): the shipped store-recall models train one iteration from the source tree ----
for m in "$SRC"/models/store_recall*.yaml; do
    name=$(basename "$m" .yaml)
    if train "$m" -o "S_$name" --iters 1 --threads 2; then
        check "(f) models/$name.yaml: curve.csv has 1 row" [ "$(rows "S_$name/curve.csv")" = 1 ]
        check "(f) models/$name.yaml: weights written" test -s "S_$name/weights.safetensors"
        check "(f) models/$name.yaml: the run evaluates" \
            "$LSNN" eval "S_$name" --samples 64 --json
    else
        fail "(f) lsnn train models/$name.yaml --iters 1"
    fi
done
[ -f "$SRC/models/store_recall.yaml" ] || fail "(f) $SRC/models/store_recall.yaml not found"

report
