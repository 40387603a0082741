# cli_nav.sh - the navigation task on the command line (docs/navigation.md): lsnn train (PPO)
# resumes bit for bit, lsnn eval runs closed-loop episodes in float (and the random baseline),
# the compiled image runs them in closed loop on the reference (lsnn run, lsnn energy) and, where
# the RTL is built, on the RTL in lockstep with the reference (lsnn verify).
# usage: bash cli_nav.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

cat >nav.yaml <<EOF2
version: 1
name: nav_tiny
seed: 3
network:
  inputs: 10
  populations:
    - {name: lif, kind: lif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 300, beta: 1.7}
  delays: 4
  readout: {size: 3, tau_ms: 5, bias: true}
task: {kind: navigation, episode_steps: 100, action_steps: 5, goal_radius: 0.2, step_size: 0.15, pos_neurons: 4, reward_neurons: 2, test_size: 4}
training:
  batch_size: 4
  iterations: 4
  optimizer: {lr: 0.01}
  checkpoint_every: 2
  ppo: {sigma: 0.5, epochs: 2}
EOF2

# training: 4 iterations in one go equal 2, then --resume to 4 (weights, both curves)
if train nav.yaml -o A && train nav.yaml -o B --iters 2 && train --resume -o B --iters 4; then
    check "train writes nav_curve.csv with a row per iteration" [ "$(grep -c '^[0-9]' A/nav_curve.csv)" = 4 ]
    check "its header names goals per episode" grep -q '^iteration,goals_per_episode,' A/nav_curve.csv
    check "--resume: the same weights as one run" cmp -s A/weights.safetensors B/weights.safetensors
    check "--resume: the same nav_curve.csv" cmp -s A/nav_curve.csv B/nav_curve.csv
else
    fail "train nav.yaml"
fi
"$LSNN" train --quiet nav.yaml -o C --threads 2 >/dev/null 2>&1
check "2 threads: the same weights" cmp -s A/weights.safetensors C/weights.safetensors

# bad input: a clear error naming the file and the key
sed 's/episode_steps: 100/episode_steps: 101/' nav.yaml >bad.yaml
"$LSNN" train bad.yaml -o BAD >bad.txt 2>&1
[ $? -ne 0 ] && grep -q 'bad.yaml:.*multiple of task.action_steps' bad.txt && ok "episode_steps not a multiple: refused" || fail "bad spec: $(cat bad.txt)"

# evaluation in float: closed loop, the trained policy and the random baseline
"$LSNN" eval A --json --quiet >ev.json 2>ev.err
check "eval --json: float and random blocks" grep -q '"float": {"episodes": 4,.*"random": {"episodes": 4' ev.json
"$LSNN" eval A --engine ref --quiet >ev.txt 2>&1
check "eval --engine ref: the reference core's closed loop" grep -q '^reference core: closed loop: 4 episodes' ev.txt

# the image in closed loop on the reference, twice the same; energy per episode
"$LSNN" compile A -o IMG --quiet >cc.txt 2>&1 || fail "compile: $(tail -2 cc.txt)"
"$LSNN" run IMG --quiet >run1.txt 2>&1 && "$LSNN" run IMG --quiet >run2.txt 2>&1
check "run: closed-loop episodes on the reference" grep -q '^closed loop: 4 episodes, goals per episode' run1.txt
check "run: deterministic" cmp -s <(grep -v 'reference runtime:' run1.txt) <(grep -v 'reference runtime:' run2.txt)
"$LSNN" run IMG --json --quiet >run.json 2>&1
check "run --json: a navigation block" grep -q '"navigation": {"episodes": 4, "goals": ' run.json
"$LSNN" energy IMG --samples 2 --quiet >en.txt 2>&1
check "energy: priced over the closed-loop episodes" grep -q 'per inference' en.txt

if "$LSNN" run IMG --engine rtl --samples 1 --quiet >/dev/null 2>&1; then
    "$LSNN" verify IMG --engines ref,rtl --samples 3 --quiet >v.txt 2>&1
    check "verify ref,rtl: 3 closed-loop episodes equal every tick" grep -q 'equal' v.txt
    "$LSNN" run IMG --engine rtl --samples 2 --quiet | grep '^closed loop' >rtl.txt
    "$LSNN" run IMG --samples 2 --quiet | grep '^closed loop' >ref.txt
    check "run --engine rtl: the reference's goals and paths" cmp -s rtl.txt ref.txt
fi
report
