# cli_run.sh - `lsnn run` and `lsnn energy` on images alone: one core and several cores give the
# same results; --input spike files, --out, --trace, --vcd, --json; bad inputs get clear errors.
# usage: bash cli_run.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

cat >tiny.yaml <<EOF2
version: 1
name: tiny
seed: 5
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 10, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 10, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 24}
training:
  batch_size: 16
  iterations: 4
  optimizer: {lr: 0.05}
EOF2

# 8 neurons per core, 2x2 mesh: 20 recurrent neurons over 3 cores, readouts on the fourth
cat >quad.yaml <<EOF2
version: 1
name: quad
neurocore: 3
mesh: [2, 2]
core:
  neurons: 8
  axons: 64
EOF2

if ! train tiny.yaml -o RUN --iters 4; then
    fail "lsnn train tiny.yaml"
    report
    exit 1
fi
"$LSNN" compile RUN -o ONE >one.txt 2>&1 || fail "compile onto one core: $(tail -2 one.txt)"
"$LSNN" compile RUN --hw quad.yaml -o QUAD >quad.txt 2>&1 ||
    fail "compile onto the quad mesh: $(tail -2 quad.txt)"
check "compile onto the quad mesh: 4 cores" grep -q "compiled onto 4 cores of hw config 'quad'" quad.txt
check "compile reports the routing tables' compression" grep -q '^routing: .* entries on 4 cores.*smaller' quad.txt
check "the image holds the model spec and the host map" grep -q '^host:' QUAD/manifest.yaml
check "the image holds the model spec" test -s QUAD/model.yaml
check "one hex file per memory per core (core 17 = cell (1, 1))" test -s QUAD/core017_syn.hex

# the image alone is enough: run it from another directory, without RUN
mkdir -p elsewhere
(cd elsewhere && "$LSNN" run ../ONE --out one.csv >../run_one.txt 2>&1) || fail "run ONE: $(tail -2 run_one.txt)"
(cd elsewhere && "$LSNN" run ../QUAD --out quad.csv >../run_quad.txt 2>&1) || fail "run QUAD: $(tail -2 run_quad.txt)"
check "run: the test set of the image's task, with its accuracy" \
    grep -q '^24 sequences, 100 steps each, [0-9]* scored windows: accuracy ' run_one.txt
check "run: activity counts and the cycle model" grep -q '^chip cycle model: .* chip cycles per tick' run_quad.txt
check "one core and four cores: identical scores in every window" cmp -s elsewhere/one.csv elsewhere/quad.csv
check "four cores: spikes cross cores" grep -q ' spikes, [1-9][0-9.]* spike packets to other cores (' run_quad.txt
check "--out: a header and one line per window" grep -q '^sequence,start,end,label,prediction,score_0,score_1,logit_0,logit_1$' elsewhere/one.csv

# --samples, --json
"$LSNN" run ONE --samples 3 --json >run.json 2>&1
check "run --samples 3 --json" grep -q '^{"image": "ONE", "model": "tiny", "hw": "default", "engine": "ref", "cores": 1, "sequences": 3, ' run.json
check "run --json: counters by §11 name" grep -q '"syn_ops": [0-9]*, "neuron_updates": [0-9]*' run.json

# --trace: header, one record per neuron per tick, counter increments per core, end
"$LSNN" run QUAD --samples 2 --trace q.trace --vcd q.vcd >trace.txt 2>&1 || fail "run --trace --vcd: $(tail -2 trace.txt)"
check "trace: header lines" grep -q '^lsnn-trace 1$' q.trace
check "trace: the network line" grep -q '^network 20 20 2 cores 4$' q.trace
check "trace: 2 sequences" test "$(grep -c '^seq ' q.trace)" -eq 2
check "trace: 101 ticks per sequence" test "$(grep -c '^tick ' q.trace)" -eq 202
check "trace: every neuron every tick" test "$(grep -c '^n ' q.trace)" -eq $((202 * 22))
check "trace: every core's counters every tick" test "$(grep -c '^k ' q.trace)" -eq $((202 * 4))
check "trace: complete" test "$(tail -n 1 q.trace)" = end
"$LSNN" run ONE --samples 2 --trace o.trace >/dev/null 2>&1
check "one core and four cores: the same state of every neuron at every tick" \
    cmp -s <(grep '^n ' o.trace) <(grep '^n ' q.trace)
check "vcd: declarations and time steps" grep -q '^\$enddefinitions \$end$' q.vcd
check "vcd: a v signal per neuron" test "$(grep -c '^\$var wire 24 .* v \$end$' q.vcd)" -eq 22
check "vcd: one time step per tick" grep -q '^#201$' q.vcd
check "no temporary files left" test -z "$(ls ./*.tmp.* 2>/dev/null)"

# --input: a spike file; labelled windows give an accuracy, none give unlabelled windows
{
    echo "lsnn-spikes 1"
    echo "channels 20 steps 50 sequences 2"
    echo "# seq step channel"
    for t in 0 5 10 20; do echo "0 $t 3"; echo "0 $t 7"; done
    for t in 1 2 3; do echo "1 $t 15"; done
    echo "window 0 40 50 1"
    echo "window 1 40 50 0"
} >in.spk
"$LSNN" run QUAD --input in.spk --out in.csv >in.txt 2>&1 || fail "run --input: $(tail -2 in.txt)"
check "run --input: 2 sequences of 50 steps, labelled" grep -q '^2 sequences, 50 steps each, 2 scored windows: accuracy' in.txt
grep -v '^window' in.spk >nolabel.spk
"$LSNN" run ONE --input nolabel.spk >nl.txt 2>&1
check "run --input without windows: unlabelled" grep -q 'scored windows (unlabelled)' nl.txt

# bad inputs: exit non-zero and name the file, the line and the limit
bad_input() {
    local what=$1 want=$2
    "$LSNN" run ONE --input bad.spk >bad.txt 2>&1
    local rc=$?
    [ $rc -ne 0 ] && grep -q "$want" bad.txt && ok "bad spike file: $what" ||
        fail "bad spike file: $what (exit $rc): $(cat bad.txt)"
}
printf 'lsnn-spikes 2\n' >bad.spk
bad_input "version" "bad.spk:1: error: the first line must be 'lsnn-spikes 1'"
printf 'lsnn-spikes 1\nchannels 20 steps 10 sequences 1\n0 3 20\n' >bad.spk
bad_input "channel out of range" "bad.spk:3: error: channel 20 is not in 0..19"
printf 'lsnn-spikes 1\nchannels 20 steps 10 sequences 1\n0 3 2\n0 2 2\n' >bad.spk
bad_input "order" "bad.spk:4: error: spikes must be in ascending"
printf 'lsnn-spikes 1\nchannels 20 steps 10 sequences 1\nwindow 0 5 11 0\n' >bad.spk
bad_input "window past the end" "bad.spk:3: error: window \[5, 11) is not inside"
printf 'lsnn-spikes 1\nchannels 20 steps 10 sequences 1\nwindow 0 5 10 2\n' >bad.spk
bad_input "label not a class" "bad.spk:3: error: window label 2 is not a class"
printf 'lsnn-spikes 1\nchannels 7 steps 10 sequences 1\n' >bad.spk
bad_input "channels differ from the network" "the input has 7 channels; the image's network has 20"

# a damaged image or manifest: a clear error, never a crash
cp -r ONE DAMAGED
printf '\x01' | dd of=DAMAGED/image.bin bs=1 seek=300 conv=notrunc 2>/dev/null
"$LSNN" run DAMAGED >dmg.txt 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'DAMAGED/image.bin: core 0 (id 0): .*CRC-32' dmg.txt && ok "run: a damaged image.bin names the memory" ||
    fail "run DAMAGED (exit $rc): $(cat dmg.txt)"
cp -r ONE NOHOST
sed -i '/^host:/,$d' NOHOST/manifest.yaml
"$LSNN" run NOHOST >nh.txt 2>&1
[ $? -eq 1 ] && grep -q "missing required key 'host'" nh.txt && ok "run: a manifest without its host map" ||
    fail "run NOHOST: $(cat nh.txt)"
cp -r ONE SWAPPED
cp QUAD/manifest.yaml SWAPPED/manifest.yaml
"$LSNN" run SWAPPED >sw.txt 2>&1
[ $? -eq 1 ] && grep -q 'belongs to another image' sw.txt && ok "run: another image's manifest is refused" ||
    fail "run SWAPPED: $(cat sw.txt)"

# energy: both shipped tables, the LSTM line, --json
"$LSNN" energy QUAD --samples 4 >energy.txt 2>&1 || fail "energy: $(tail -3 energy.txt)"
check "energy: the 28 nm table" grep -q '^energy per inference: table odin_reckon_28nm' energy.txt
check "energy: the Loihi-like table" grep -q '^energy per inference: table loihi_like' energy.txt
check "energy: per core" grep -q '^  3  ' energy.txt
check "energy: latency from the cycle model" grep -q '^latency: .* cycles = .* us at 100 MHz' energy.txt
check "energy: NeuroBench counts" grep -q '^NeuroBench-style per inference: synaptic ops' energy.txt
check "energy: the LSTM-128 line" grep -q '^LSTM-128 line (table horowitz_45nm)' energy.txt
check "energy: per core with its mesh cell" grep -q '^  3      (1, 1) ' energy.txt
check "energy: the NoC links of the 2x2 mesh" grep -q '^NoC links, 2x2 mesh: [1-9][0-9]* router outputs with flits' energy.txt
check "energy: a line per link with flits: router (x, y) -> direction, flits, nJ" \
    grep -Eq '^  \([01], [01]\) -> [EWNS] +[0-9]+\.[0-9] +[0-9]+\.[0-9]{4} ' energy.txt
check "energy: the barrier, 2 x (4 - 1) token hops per command" \
    grep -q '^barrier: 2 x (4 cells - 1) = 6 token hops per command x [0-9.]* commands per inference' energy.txt
# the identity, per table: Σ cores (total nJ) + links + barrier = total, to the printed digits
identity=$(awk '/^  core   cell/ {on = 1; sum = 0; next}
    on && /^  [0-9]+ / {sum += $6}
    on && /^  (links|barrier) / {sum += $2}
    on && /^  total / {d = sum - $4; if (d < 0) d = -d; if (d > 0.001) bad++; n++; on = 0}
    END {print (n == 3 && !bad) ? "ok" : "bad " n " " bad}' energy.txt)
check "energy: total = cores + links + barrier in the three tables" test "$identity" = ok
"$LSNN" energy QUAD --samples 2 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" --json >quad.json 2>&1
check "energy --json: cores with their cells, the mesh" \
    grep -q '"cores": \[{"x": 0, "y": 0, "dynamic_pj": .*"mesh": \[2, 2\], "links": \[{"x": [01], "y": [01], "dir": "[EWNS]", "flits": [0-9.e+]*, "pj": ' quad.json
check "energy --json: the barrier" \
    grep -q '"barrier_pj": [0-9.e+]*, .*"barrier": {"hops_per_command": 6, "commands": [0-9.e+]*, "hops": [0-9.e+]*, "pj_per_hop": 0.071875, "pj": ' quad.json
"$LSNN" energy ONE --samples 2 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" >energy1.txt 2>&1
check "energy, one core: no NoC traffic, no barrier links" sh -c \
    "grep -q '^NoC links, 1x1 mesh: no NoC traffic' energy1.txt && grep -q '^barrier: 1x1 mesh: no barrier links' energy1.txt"
# equal terms: one table prices the LSNN and the LSTM line; accuracies beside the energies
check "energy: the equal-terms comparison of the 28 nm table" \
    grep -q '^equal terms: table odin_reckon_28nm .*real time: LSNN tick 1000 us' energy1.txt
order=$(awk '/^  static, busy time / {b = $(NF - 2); c = $(NF - 1)}
    /^  static, real time  / {r = $(NF - 2); s = $(NF - 1)}
    /^  static, real time, power-gated / {g = $(NF - 2); h = $(NF - 1)}
    END {print (b <= g && g < r && c <= h && h < s) ? "ok" : "bad " b " " g " " r " " c " " h " " s}' energy1.txt)
check "energy: equal terms, static busy <= gated < real time for both lines" test "$order" = ok
check "energy: the accuracy beside the equal-terms energies" \
    grep -q '^  accuracy: LSNN [0-9.]* % (2 sequences, this run on the reference chip); LSTM: no published' energy1.txt
"$LSNN" energy ONE --samples 2 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" --tick-us 0 >tick.txt 2>&1
[ $? -eq 1 ] && grep -q -- "--tick-us must be a number in (0, 1e9\], got '0'" tick.txt &&
    ok "energy: a bad --tick-us is refused by name" || fail "energy --tick-us 0: $(cat tick.txt)"
"$LSNN" energy ONE --samples 2 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" --tick-us 2000 --fmax-mhz 250 >tick.txt 2>&1
check "energy: --tick-us and --fmax-mhz" sh -c \
    "grep -q 'LSNN tick 2000 us' tick.txt && grep -q '^  latency at fmax 250 MHz ' tick.txt"
rm -rf EVALIMG && cp -r ONE EVALIMG && echo '{"sequences": 2000, "accuracy": 0.8935}' >EVALIMG/eval.json
"$LSNN" energy EVALIMG --samples 2 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" >evalacc.txt 2>&1
check "energy: the accuracy from eval.json in the image folder" \
    grep -q '^  accuracy: LSNN 89.35 % (2000 sequences, eval.json in the image folder)' evalacc.txt
echo '{"sequences": 5, "accuracy": 7}' >EVALIMG/eval.json
"$LSNN" energy EVALIMG --samples 2 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" >evalacc.txt 2>&1
[ $? -eq 1 ] && grep -q 'EVALIMG/eval.json: field "accuracy" must be a number in \[0, 1\]' evalacc.txt &&
    ok "energy: a malformed eval.json is named with its field" || fail "bad eval.json: $(cat evalacc.txt)"
"$LSNN" energy ONE --samples 2 --tech "$SRC/models/tech/loihi_like.yaml" --json >energy.json 2>&1
check "energy --json: one table, the LSTM" grep -q '^{"image": "ONE", .*"tables": \[{"table": "loihi_like", .*"lstm": {"table": "horowitz_45nm", "hidden": 128' energy.json
check "energy --json: no equal terms for a table without the sections" grep -q '"equal_terms": \[\]}$' energy.json
check "energy --json: the equal terms with both lines and the accuracy" \
    grep -q '"equal_terms": \[{"table": "odin_reckon_28nm", .*"lsnn": {"memory_pj": .*"lstm": {"memory_pj": .*"accuracy": {"lsnn": ' quad.json
check "energy --json, one core: no links, no barrier hops" grep -q '"mesh": \[1, 1\], "links": \[\], "barrier": {"hops_per_command": 0, ' energy.json
"$LSNN" energy ONE --tech "$SRC/models/tech/horowitz_45nm.yaml" >wrong.txt 2>&1
[ $? -eq 1 ] && grep -q 'neurocore' wrong.txt && ok "energy: a reference_ops table is not a neurocore table" ||
    fail "energy --tech horowitz: $(cat wrong.txt)"

# eval on an image directory delegates to run
check "lsnn --help lists run and energy" sh -c "'$LSNN' --help | grep -q '^  run IMAGE_DIR' && '$LSNN' --help | grep -q '^  energy IMAGE_DIR'"
report
