# cli_interrupt.sh - `lsnn train` stopped by SIGINT, SIGTERM or SIGKILL at seeded pseudo-random
# moments, then resumed: every resumed run equals the uninterrupted one bit for bit, and no file
# of the run folder is ever half-written.
# usage: bash cli_interrupt.sh LSNN_BINARY SOURCE_DIR TMPDIR [TRIALS]
# ctest runs 6 trials; the slow label's slow_interrupt runs 60 (README, "Tests").
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
TRIALS=${4:-6}
RANDOM=20261207 # the moments and signals are a function of this seed
ITERS=60

cat >int.yaml <<EOF
version: 1
name: int
seed: 11
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 24, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 24, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 30, n_chars: 6, rate_hz: 50, seq_delay: 1, test_size: 32}
training:
  batch_size: 32
  iterations: $ITERS
  optimizer: {lr: 0.01}
  checkpoint_every: 7
  eval_every: 10
  eval_batches: 1
EOF

t0=$(date +%s%N)
train int.yaml -o REF --threads 1 || {
    fail "the uninterrupted run"
    report
    exit 1
}
run_ms=$((($(date +%s%N) - t0) / 1000000))
echo "  the uninterrupted run takes $run_ms ms"

# whole_files RUN: every file that exists is complete: no temp file survives a later lock, the
# model spec parses, the weights and the checkpoint load (lsnn eval, lsnn train --resume do),
# and curve.csv ends with a newline
whole_files() {
    local r=0
    if [ -e "$1/checkpoint.safetensors" ]; then # a copy loads it, then stays at its step
        rm -rf chk && cp -r "$1" chk
        "$LSNN" train --resume -o chk --iters 1 >ckpt.err 2>&1
        grep -q "nothing was changed\|already at iteration 1 of 1" ckpt.err || {
            echo "  $1: the checkpoint does not load: $(cat ckpt.err)" >&2
            r=1
        }
    fi
    if [ -e "$1/model.yaml" ] && ! grep -q "^name: int$" "$1/model.yaml"; then
        echo "  $1: model.yaml is not the run's" >&2
        r=1
    fi
    if [ -e "$1/weights.safetensors" ]; then
        "$LSNN" eval "$1" --samples 1 --json >/dev/null 2>eval.err || {
            echo "  $1: weights.safetensors does not load: $(cat eval.err)" >&2
            r=1
        }
    fi
    if [ -s "$1/curve.csv" ] && [ "$(tail -c 1 "$1/curve.csv" | od -An -c | tr -d ' ')" != '\n' ]; then
        echo "  $1: curve.csv is cut short" >&2
        r=1
    fi
    return $r
}

signals=(INT TERM KILL)
for k in $(seq 1 "$TRIALS"); do
    sig=${signals[$((RANDOM % 3))]}
    delay_ms=$((RANDOM % (run_ms * 3 / 4 + 1)))
    dir=T$k
    "$LSNN" train int.yaml -o "$dir" --threads 1 --quiet >"$dir.log" 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -s "$sig" $pid 2>/dev/null
    wait $pid
    rc=$?
    what="trial $k: SIG$sig after $delay_ms ms (exit $rc)"
    case $sig:$rc in
    INT:130 | TERM:143)
        grep -q "checkpoint written to $dir/checkpoint.safetensors" "$dir.log" ||
            grep -q "^lsnn train: SIG.* received" "$dir.log" ||
            [ ! -e "$dir/checkpoint.safetensors" ] ||
            fail "$what: no message naming the checkpoint: $(cat "$dir.log")"
        ;;
    *:0 | KILL:137) ;;
    *) fail "$what: unexpected exit code: $(cat "$dir.log")" ;;
    esac
    whole_files "$dir" || fail "$what: a half-written file"
    if [ -e "$dir/checkpoint.safetensors" ]; then
        "$LSNN" train --resume -o "$dir" --threads 1 >"$dir.resume.log" 2>&1 &&
            grep -q "resuming $dir from iteration\|already at iteration" "$dir.resume.log" ||
            fail "$what: resume: $(cat "$dir.resume.log")"
    elif [ -e "$dir/model.yaml" ]; then # stopped before the first checkpoint: start again
        "$LSNN" train int.yaml -o "$dir" --threads 1 --force --quiet >"$dir.resume.log" 2>&1 ||
            fail "$what: restart: $(cat "$dir.resume.log")"
    else
        "$LSNN" train int.yaml -o "$dir" --threads 1 --quiet >"$dir.resume.log" 2>&1 ||
            fail "$what: restart: $(cat "$dir.resume.log")"
    fi
    if same_run REF "$dir"; then ok "$what: resumed run identical"; else fail "$what: resumed run differs"; fi
done

report
