# cli_deepr.sh - `lsnn train` / `lsnn eval` with DEEP R: a resumed run is bit-identical to a plain one (hard and soft DEEP R); eval reports connectivity.
# usage: bash cli_deepr.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# spec NAME CONNECTIVITY: a small store-recall spec, checkpoints every 3 iterations
spec() {
    cat >"$1.yaml" <<EOF
version: 1
name: $1
seed: 5
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 6, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 6, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  connectivity: $2
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 40}
training:
  batch_size: 40
  iterations: 1000
  optimizer: {lr: 0.05}
  lr_schedule: {factor: 0.5, every: 4}
  checkpoint_every: 3
  eval_every: 3
EOF
}

for kind in hard soft; do
    if [ $kind = hard ]; then
        spec $kind "{mode: deep_r, p: 0.15, temperature: 1e-4, l1: 0.01}"
    else
        spec $kind "{mode: deep_r, p: 0.15, soft: true, temperature: 1e-4, l1: 0.01}"
    fi
    if train $kind.yaml -o ${kind}_A --iters 6 && train $kind.yaml -o ${kind}_B --iters 3 &&
        train --resume -o ${kind}_B --iters 6; then
        check "$kind: 3 + resume 3 == 6 in one go (weights with theta and signs, checkpoint, curve)" \
            same_run ${kind}_A ${kind}_B
        check "$kind: weights.safetensors holds theta.w_rec and sign.w_rec" \
            grep -q '"sign.w_rec"' ${kind}_A/weights.safetensors
    else
        fail "$kind: lsnn train"
    fi
done

# a plain log line reports the active connections; eval reports connectivity
if "$LSNN" train --quiet hard.yaml -o L --iters 2 --log-every 1 >log.txt 2>&1; then
    check "the log line reports active connections (K = int(0.15 * 408) = 61)" \
        grep -q '^it 2 .* active 61 replaced [0-9]*$' log.txt
    "$LSNN" eval L >eval.txt 2>&1
    check "lsnn eval: connectivity per matrix and in total" \
        grep -q '^connectivity (deep_r, budget 61): w_in [0-9]*/240 (.*), w_rec [0-9]*/144 (.*), w_out [0-9]*/24 (.*), total 61/408 (14.95 %)$' eval.txt
    check "lsnn eval: excitatory fraction" grep -q '^excitatory: [0-9.]* % of the active weights$' eval.txt
    "$LSNN" eval L --json >eval.json 2>&1
    check "lsnn eval --json: connectivity" \
        grep -q '"connectivity": {"mode": "deep_r", "budget": 61, "w_in": {"active": [0-9]*, "possible": 240, .*"total": {"active": 61, "possible": 408, "fraction": 0.149510}, "excitatory_fraction": 0\.[0-9]*}}$' eval.json
else
    fail "lsnn train hard.yaml --log-every 1: $(tail -3 log.txt)"
fi

report
