# cli_keep_best.sh - `lsnn train --keep-best`: RUN/best/ holds the weights of the lowest
# validation error, is a run folder the other commands take, survives --resume, and a fresh run
# removes an earlier one; for the LSNN and the LSTM trainer.
# usage: bash cli_keep_best.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# best_of RUN: "ITERATION ERROR" of the lowest validation error in RUN/curve.csv (the first of
# equal ones), in validation.txt's format
best_of() {
    awk -F, 'NR > 1 && $7 != "" && $7 != "nan" && (best == "" || $7 + 0 < best + 0) {
        best = $7; it = $1 } END { printf "%d %.6f\n", it, best }' "$1/curve.csv"
}
recorded() {
    awk '/^iteration/ { it = $2 } /^validation_error/ { printf "%d %.6f\n", it, $2 }' \
        "$1/best/validation.txt"
}

# tiny_spec with a validation every 2 iterations, trained 12
tiny_spec tiny.yaml 3 8 32
sed -i 's/^  iterations: 4$/  iterations: 12\n  eval_every: 2\n  eval_batches: 1/' tiny.yaml
if train tiny.yaml -o A --keep-best; then
    ok "lsnn train --keep-best"
    check "best/ is a run folder" grep -q "^kind: run$" A/best/lsnn-folder.yaml
    check "best/model.yaml is the run's" cmp -s A/model.yaml A/best/model.yaml
    [ "$(recorded A)" = "$(best_of A)" ] && ok "validation.txt: the curve's lowest validation ($(recorded A))" ||
        fail "validation.txt says '$(recorded A)', the curve's lowest is '$(best_of A)'"
    "$LSNN" eval A/best --quiet --json >best.json 2>&1 && ok "lsnn eval RUN/best" ||
        fail "lsnn eval RUN/best: $(head -3 best.json)"
    "$LSNN" compile A/best -o IMG --quiet >compile.txt 2>&1 && ok "lsnn compile RUN/best" ||
        fail "lsnn compile RUN/best: $(head -3 compile.txt)"
    # the best weights are the weights of that iteration: a run stopped there has them
    it=$(recorded A | cut -d' ' -f1)
    train tiny.yaml -o B --iters "$it" &&
        cmp -s A/best/weights.safetensors B/weights.safetensors &&
        ok "best/weights.safetensors = the weights of a run stopped at iteration $it" ||
        fail "best/weights.safetensors differs from the weights at iteration $it"
else
    fail "lsnn train --keep-best"
fi

# an eval.json kept in best/ goes when best/ gets other weights
if train tiny.yaml -o E --keep-best --iters 2 && echo '{}' >E/best/eval.json &&
    train --resume -o E --keep-best --iters 12; then
    if [ "$(recorded E | cut -d' ' -f1)" = 2 ]; then
        ok "eval.json: best/ kept iteration 2 (nothing to check)"
    else
        [ ! -e E/best/eval.json ] && ok "a new best removes the earlier best's eval.json" ||
            fail "best/eval.json stayed beside other weights"
    fi
else
    fail "lsnn train --keep-best --iters 2, then --resume"
fi

# without the option there is no best/; a resumed run keeps improving the one it has
train tiny.yaml -o C && [ ! -e C/best ] && ok "no --keep-best, no best/" || fail "best/ without --keep-best"
if train tiny.yaml -o D --keep-best --iters 6 && train --resume -o D --keep-best --iters 12; then
    [ "$(recorded D)" = "$(recorded A)" ] && cmp -s A/best/weights.safetensors D/best/weights.safetensors &&
        ok "resumed at 6: the same best as one run" || fail "resumed: best '$(recorded D)', one run '$(recorded A)'"
else
    fail "lsnn train --keep-best, then --resume --keep-best"
fi
# a fresh run (--force) into a folder with best/ removes it
train tiny.yaml -o A --force && [ ! -e A/best ] && ok "a fresh run removes an earlier run's best/" ||
    fail "a fresh run left an earlier run's best/"

# the LSTM trainer keeps the best too
cat >lstm.yaml <<EOF2
version: 1
name: tiny_lstm
seed: 3
network: {kind: lstm, inputs: 20, hidden: 8, readout: {size: 2}}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 32}
training: {batch_size: 32, iterations: 8, optimizer: {lr: 0.05}, eval_every: 2, eval_batches: 1}
EOF2
if train lstm.yaml -o L --keep-best; then
    [ "$(recorded L)" = "$(best_of L)" ] && "$LSNN" eval L/best --quiet >/dev/null 2>&1 &&
        ok "LSTM: best/ at the lowest validation ($(recorded L)), and lsnn eval takes it" ||
        fail "LSTM: best '$(recorded L)', curve '$(best_of L)'"
else
    fail "lsnn train lstm.yaml --keep-best"
fi
report
