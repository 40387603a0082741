# cli_mpi.sh - `mpirun -n R lsnn train`: R ranks write the bytes of one process (dense and DEEP R), a run resumes on another R, a stop on one rank stops all, too many ranks are refused.
# usage: bash cli_mpi.sh LSNN_BINARY SOURCE_DIR TMPDIR   (mpirun from $LSNN_MPIEXEC or PATH)
# Registered only where lsnn is built with MPI, and not in the sanitizer build.
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

MPIRUN=${LSNN_MPIEXEC:-$(command -v mpirun)}
# CI runs as root, which Open MPI refuses unless told; containers often forbid the
# single-copy (CMA) transfers between processes, which Open MPI would warn about
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
# mpirun_train R ARGS...: lsnn train on R ranks of this machine (more ranks than cores is
# fine: --oversubscribe), output in mpi.log
mpirun_train() {
    local r=$1
    shift
    if ! "$MPIRUN" -n "$r" --oversubscribe "$LSNN" train "$@" >mpi.log 2>&1; then
        echo "  mpirun -n $r lsnn train $* failed:" >&2
        tail -20 mpi.log >&2
        return 1
    fi
}

# spec NAME BATCH CONNECTIVITY [NEURONS [CHAR_MS]]: store-recall, NEURONS (6) LIF and as many
# ALIF, validation at 3 and 6, checkpoints every 2 iterations
spec() {
    cat >"$1.yaml" <<EOF
version: 1
name: $1
seed: 5
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: ${4:-6}, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: ${4:-6}, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
$3
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: ${5:-20}, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 40}
training:
  batch_size: $2
  iterations: 6
  optimizer: {lr: 0.01}
  regularization: {rate: 0.01, target_hz: 10}
  checkpoint_every: 2
  eval_every: 3
  eval_batches: 1
EOF
}

if [ -z "$MPIRUN" ] || [ ! -x "$MPIRUN" ]; then
    fail "no mpirun (LSNN_MPIEXEC='${LSNN_MPIEXEC:-}')"
    report
    exit 1
fi

# ---- (a) 2 ranks == 1 process, byte for byte: a dense and a DEEP R model ----
# batch 100 = 4 chunks of 32 (the last one 4 sequences): 2 chunks per rank
spec dense 100 ""
spec deepr 100 "  connectivity: {mode: deep_r, p: 0.3, budget: global, l1: 0.01, temperature: 0.0001, dale: true, excitatory: 0.75}"
for m in dense deepr; do
    if train $m.yaml -o "${m}_1" --threads 2 && mpirun_train 2 $m.yaml -o "${m}_2" --threads 1; then
        check "(a) $m: 2 ranks write the weights, checkpoint, curve and model.yaml of 1 process" \
            same_run "${m}_1" "${m}_2"
        check "(a) $m: rank 0 alone prints (one 'wrote' line)" \
            [ "$(grep -c 'wrote' mpi.log)" = 1 ]
        check "(a) $m: no rank prints an error" eval '! grep -qi "error\|rank 1" mpi.log'
    else
        fail "(a) $m: lsnn train, 1 process and 2 ranks"
    fi
done
# the shipped DEEP R store-recall model (batch 128 = 4 full chunks), 3 iterations, 3 ranks
# (shares of 1, 1 and 2 chunks)
if train "$SRC/models/store_recall_deepr.yaml" -o SR_1 --iters 3 &&
    mpirun_train 3 "$SRC/models/store_recall_deepr.yaml" -o SR_3 --iters 3; then
    check "(a) models/store_recall_deepr.yaml: 3 ranks == 1 process" same_run SR_1 SR_3
else
    fail "(a) models/store_recall_deepr.yaml on 1 process and 3 ranks"
fi

# ---- (b) resume with another number of ranks ----
if train deepr.yaml -o R12 --iters 3 && mpirun_train 2 --resume -o R12 --iters 6; then
    check "(b) 3 iterations on 1 process + 3 on 2 ranks == 6 on 1 process" same_run deepr_1 R12
else
    fail "(b) 1 process, resumed on 2 ranks"
fi
if mpirun_train 2 dense.yaml -o R21 --iters 3 && train --resume -o R21 --iters 6; then
    check "(b) 3 iterations on 2 ranks + 3 on 1 process == 6 on 1 process" same_run dense_1 R21
else
    fail "(b) 2 ranks, resumed on 1 process"
fi

# ---- (c) more ranks than chunks: refused once, by rank 0, every rank exits ----
spec small 40 "" # 2 chunks
"$MPIRUN" -n 3 --oversubscribe "$LSNN" train small.yaml -o TOO_MANY >many.log 2>&1
rc=$?
check "(c) 3 ranks for a batch of 2 chunks: exit status 1 (got $rc)" [ $rc -eq 1 ]
check "(c) ... with one message naming the limit" \
    [ "$(grep -c 'use at most 2 ranks' many.log)" = 1 ]
check "(c) ... and no run folder left" [ ! -e TOO_MANY ]

# ---- (d) SIGTERM to one rank: every rank stops after the same iteration, the checkpoint
# resumes (on 1 process) to the run of 1 process ----
# (a bigger net, so that the run is still going when the signal comes)
ITERS=60
spec long 64 "" 30 40 # 2 chunks
stop_test() {
    train long.yaml -o L1 --iters $ITERS --threads 2 || return 1
    "$MPIRUN" -n 2 --oversubscribe "$LSNN" train long.yaml -o L2 --iters $ITERS >stop.log 2>&1 &
    local mpid=$! waited=0 step="" pids=()
    while :; do
        step=$(adam_step L2/checkpoint.safetensors 2>/dev/null)
        [ -n "$step" ] && [ "$step" -ge 2 ] && break
        if ! kill -0 $mpid 2>/dev/null || [ $waited -ge 6000 ]; then
            echo "  no checkpoint while the run was going (step '$step'): $(tail -3 stop.log)" >&2
            kill $mpid 2>/dev/null
            wait $mpid
            return 1
        fi
        sleep 0.02
        waited=$((waited + 1))
    done
    read -r -a pids <<<"$(pgrep -P $mpid -f "train long.yaml" | tr '\n' ' ')"
    [ ${#pids[@]} -eq 2 ] || {
        echo "  want the 2 ranks' pids under mpirun, got '${pids[*]}'" >&2
        kill $mpid
        wait $mpid
        return 1
    }
    kill -TERM "${pids[1]}" # one rank only
    wait $mpid
    step=$(adam_step L2/checkpoint.safetensors)
    echo "  stopped at iteration $step of $ITERS"
    grep -q ': stopped after iteration' stop.log || [ "$step" = $ITERS ] || {
        echo "  no stop message: $(tail -5 stop.log)" >&2
        return 1
    }
    [ "$(rows L2/curve.csv)" = "$step" ] || {
        echo "  curve.csv has $(rows L2/curve.csv) rows at step $step" >&2
        return 1
    }
    train --resume -o L2 --iters $ITERS || return 1
    same_run L1 L2
}
check "(d) SIGTERM to one rank stops both; resumed on 1 process == 1 process" stop_test

report
