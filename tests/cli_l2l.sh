# cli_l2l.sh - learning-to-learn on the command line (docs/l2l.md): training reports MSE, eval
# and run give the MSE by trial (--trial-curve), the reference chip and the RTL give the same
# curve, verify and energy speak of MSE, not accuracy.
# usage: bash cli_l2l.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

cat >l2l.yaml <<EOF2
version: 1
name: l2l_cli
seed: 5
network:
  inputs: 30
  populations:
    - {name: lif, kind: lif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  readout: {size: 1, tau_ms: 5}
task: {kind: l2l, trials: 6, trial_ms: 10, hidden: 4, pop_size: 10, rate_hz: 800, width: 0.1, readout_ms: 5, test_size: 4}
training: {batch_size: 8, iterations: 10, eval_every: 5}
EOF2

"$LSNN" train l2l.yaml -o RUN --threads 1 --log-every 5 >train.out 2>train.err ||
    fail "train: $(tail -3 train.err)"
check "train --log-every: MSE columns" grep -q '^it 5 loss [0-9.]* train_mse [0-9.]* val_mse [0-9.]* ' train.out
check "train progress: mse, not err %" grep -q 'mse [0-9.]*  val [0-9.]*  ' train.err
check "train progress: no percentages" sh -c '! grep -q "%" train.err'

"$LSNN" eval RUN --trial-curve float.csv --quiet >e.txt 2>&1 || fail "eval: $(cat e.txt)"
check "eval: MSE" grep -q '^MSE: [0-9.]*, loss ' e.txt
check "eval: MSE by trial" grep -q '^float MSE by trial: trial 1 [0-9.]*, trials 2-7 [0-9.]*, all trials [0-9.]*$' e.txt
check "eval: no accuracy" sh -c '! grep -q accuracy e.txt'
[ "$(head -1 float.csv)" = "trial,mse,episodes" ] && [ "$(wc -l <float.csv)" -eq 7 ] &&
    grep -q '^6,[0-9.e-]*,4$' float.csv && ok "eval --trial-curve: 6 trials of 4 episodes" ||
    fail "eval --trial-curve: $(cat float.csv)"
"$LSNN" eval RUN --json --quiet >e.json 2>&1
check "eval --json: mse and trial_mse, no accuracy" grep -q '"metric": "MSE", "error": [0-9.]*, "mse": [0-9.]*, "trial_mse": {"trial_1": [0-9.]*, "trials_2_7": [0-9.]*, "trials_8_plus": null, "all": [0-9.]*}, "loss"' e.json
"$LSNN" eval RUN --engine ref --quiet >er.txt 2>&1 || fail "eval --engine ref: $(cat er.txt)"
check "eval --engine ref: float and fixed MSE" grep -q '^float MSE: [0-9.]*, fixed (8-bit weights) MSE: [0-9.]*, difference [-+][0-9.]*$' er.txt
check "eval --engine ref: fixed MSE by trial" grep -q '^fixed MSE by trial: trial 1 ' er.txt

"$LSNN" compile RUN -o IMG >c.txt 2>&1 || fail "compile: $(tail -2 c.txt)"
"$LSNN" run IMG --samples 0 --trial-curve ref.csv --quiet >r.txt 2>&1 || fail "run: $(cat r.txt)"
check "run: MSE" grep -q '^4 sequences, 60 steps each, 24 scored windows: MSE [0-9.]*$' r.txt
check "run: MSE by trial" grep -q '^ref MSE by trial: trial 1 ' r.txt
"$LSNN" run IMG --samples 0 --json --quiet >r.json 2>&1
check "run --json: mse, no accuracy" sh -c 'grep -q "\"mse\": [0-9.]*, \"trial_mse\": {" r.json && ! grep -q accuracy r.json'
if "$LSNN" run IMG --engine rtl --samples 0 --trial-curve rtl.csv --quiet >rr.txt 2>&1; then
    check "run --engine rtl: the reference's MSE by trial, digit for digit" cmp -s ref.csv rtl.csv
else
    fail "run --engine rtl: $(cat rr.txt)"
fi
"$LSNN" verify IMG --samples 4 >v.txt 2>&1 || fail "verify: $(cat v.txt)"
check "verify: the MSE of the equal runs" grep -q '^regression windows: 24, MSE [0-9.]* (the same on both engines)$' v.txt
"$LSNN" energy IMG --samples 2 >en.txt 2>&1 || fail "energy: $(tail -3 en.txt)"
check "energy: MSE, per trial" sh -c 'grep -q ", MSE [0-9.]*$" en.txt && grep -q "^per trial (6 per episode): " en.txt'
check "energy: no accuracy percentage" sh -c '! grep -q "accuracy [0-9]" en.txt'

# the shipped trained model (models/trained/l2l, docs/l2l.md) learns new target networks with
# frozen weights: trial 1 (no example yet) near the prior's MSE of 1, trials 8+ far below; and
# compiled onto the neurocore (8-bit weights) its MSE over the 64 test episodes stays within
# 0.02 of the float network's (the tolerance docs/l2l.md states)
"$LSNN" eval "$SRC/models/trained/l2l" --engine ref --json --quiet >t.json 2>&1 ||
    fail "eval the shipped l2l model: $(head -3 t.json)"
num() { grep -o "\"$1\": [-0-9.]*" t.json | head -1 | sed 's/.*: //'; }
first=$(num trial_1) late=$(num trials_8_plus) diff=$(num mse_difference)
awk -v a="$first" -v b="$late" 'BEGIN { exit !(a > 0.5 && b < 0.2 && b < a / 4) }' &&
    ok "shipped model learns: MSE trial 1 $first, trials 8+ $late" ||
    fail "shipped model: MSE trial 1 '$first', trials 8+ '$late'"
awk -v d="$diff" 'BEGIN { exit !(d != "" && d <= 0.02 && d >= -0.02) }' &&
    ok "shipped model on the neurocore: MSE within 0.02 of float ($diff)" ||
    fail "shipped model on the neurocore: MSE difference '$diff'"

# --trial-curve needs a regression task
tiny_spec sr.yaml 3 4 4
train sr.yaml -o SR --threads 1 || fail "store-recall training"
"$LSNN" eval SR --trial-curve x.csv --quiet >x.txt 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'needs a regression task' x.txt && ok "eval --trial-curve on store-recall: refused" ||
    fail "eval --trial-curve on store-recall (exit $rc): $(cat x.txt)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
