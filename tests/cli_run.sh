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
check "energy --json: no equal terms for a table without the sections" grep -q '"equal_terms": \[\], "accuracy_caveat": null}$' energy.json
check "energy --json: the equal terms with both lines and the accuracy" \
    grep -q '"equal_terms": \[{"table": "odin_reckon_28nm", .*"lsnn": {"memory_pj": .*"lstm": {"memory_pj": .*"accuracy": {"lsnn": ' quad.json
check "energy --json, one core: no links, no barrier hops" grep -q '"mesh": \[1, 1\], "links": \[\], "barrier": {"hops_per_command": 0, ' energy.json
"$LSNN" energy ONE --tech "$SRC/models/tech/horowitz_45nm.yaml" >wrong.txt 2>&1
[ $? -eq 1 ] && grep -q 'neurocore' wrong.txt && ok "energy: a reference_ops table is not a neurocore table" ||
    fail "energy --tech horowitz: $(cat wrong.txt)"

# eval on an image directory delegates to run
check "lsnn --help lists run and energy" sh -c "'$LSNN' --help | grep -q '^  run IMAGE_DIR' && '$LSNN' --help | grep -q '^  energy IMAGE_DIR'"

# ---- progress and logs (issue 13): stderr only, so stdout is the same either way ----
no_tty_codes() { ! grep -q $'\r' "$1" && ! grep -q $'\033' "$1"; }
LSNN_PROGRESS_INTERVAL=0 "$LSNN" run ONE --json >p_out.json 2>p_log.txt
check "not a terminal: plain progress lines on stderr (LSNN_PROGRESS_INTERVAL=0: one per step)" \
    grep -Eq '^lsnn run: test sequence [0-9]+/24 +[0-9]+ %  [0-9.]+/s  ETA [0-9]+:[0-9]{2}:[0-9]{2}' p_log.txt
check "not a terminal: a last line with the time taken" \
    grep -Eq '^lsnn run: test sequence 24/24  100 %  [0-9.]+/s  in [0-9]+:[0-9]{2}:[0-9]{2}$' p_log.txt
check "not a terminal: no carriage return, no escape code" no_tty_codes p_log.txt
"$LSNN" run ONE --json --quiet >q_out.json 2>q_log.txt
# (but for the run's wall time, "seconds", and the rate derived from it)
no_timing() { sed -E 's/"(seconds|[a-z_]*per_s)": [0-9.e+-]+/"\1": T/g' "$1"; }
check "progress never reaches stdout: --json identical with and without it" \
    cmp -s <(no_timing p_out.json) <(no_timing q_out.json)
check "run --quiet: nothing on stderr" test ! -s q_log.txt
"$LSNN" run ONE --out fin.csv >/dev/null 2>fin.txt
check "a short run in a log: only the final line, saying what was written where" \
    grep -Eqx 'lsnn run: wrote CSV fin.csv \([0-9.]+ kB\)' fin.txt
check "the final line is the only one" test "$(wc -l <fin.txt)" -eq 1
"$LSNN" run ONE --out fin.csv --quiet >/dev/null 2>fin.txt
check "run --quiet: no final line" test ! -s fin.txt
"$LSNN" compile RUN -o QIMG --quiet >/dev/null 2>cq.txt
check "compile --quiet: nothing on stderr" test ! -s cq.txt
LSNN_PROGRESS_INTERVAL=0 "$LSNN" compile RUN -o QIMG >/dev/null 2>cl.txt
check "compile: the calibration's progress, float then chip" \
    grep -Eq '^lsnn compile: calibration, sequence 16/16  100 %' cl.txt
check "compile: the final line names the image, its cores and size" \
    grep -Eqx 'lsnn compile: wrote image QIMG \(1 core, image.bin [0-9.]+ kB\)' cl.txt
"$LSNN" energy ONE --samples 2 --tech "$SRC/models/tech/loihi_like.yaml" --quiet >/dev/null 2>eq.txt
check "energy --quiet: nothing on stderr" test ! -s eq.txt
"$LSNN" eval RUN --engine ref --quiet >/dev/null 2>vq.txt
check "eval --quiet: nothing on stderr" test ! -s vq.txt
LSNN_PROGRESS_INTERVAL=0 "$LSNN" eval RUN --engine ref >/dev/null 2>vl.txt
check "eval --engine ref: progress of the float network and of the reference core" sh -c \
    "grep -q '^lsnn eval: float network, test sequence 24/24' vl.txt && grep -q '^lsnn eval: reference core: test sequence 24/24' vl.txt"
if command -v script >/dev/null; then # a terminal: the line is rewritten in place
    script -qec "'$LSNN' run ONE --samples 24" /dev/null >tty.txt 2>&1
    check "a terminal: a progress line rewritten with \\r and erase-line" \
        grep -q $'\r\033\\[Klsnn run: test sequence [0-9]*/24 ' tty.txt
    script -qec "'$LSNN' run ONE --samples 24 --quiet" /dev/null >ttyq.txt 2>&1
    check "a terminal with --quiet: no progress line" sh -c "! grep -q 'test sequence' ttyq.txt"
else
    ok "a terminal: skipped (no script(1), util-linux)"
fi

# ---- sMNIST: a trained model on four made-up test images (all black) ----
# idx DIR SPLIT N: N black 28x28 images labelled 0, 1, 2, ... in IDX files
idx() {
    local n
    n=$(printf '\\x%02x' "$3")
    { printf '\x00\x00\x08\x03\x00\x00\x00'"$n"'\x00\x00\x00\x1c\x00\x00\x00\x1c' && head -c $(($3 * 784)) /dev/zero; } >"$1/$2-images-idx3-ubyte"
    { printf '\x00\x00\x08\x01\x00\x00\x00'"$n" && for ((i = 0; i < $3; i++)); do printf "\\x$(printf %02x $((i % 10)))"; done; } >"$1/$2-labels-idx1-ubyte"
}
mkdir -p sm/data/mnist
idx sm/data/mnist train 2
idx sm/data/mnist t10k 4
cd sm || exit 1
"$LSNN" compile "$SRC/models/trained/smnist_deepr" -o SM --calibrate 0 --quiet >smc.txt 2>&1 ||
    fail "compile smnist_deepr: $(tail -2 smc.txt)"
# energy beside the LSTM-128 at 25 % accuracy: the ratio is not at equal accuracy, and says so
"$LSNN" energy SM --samples 4 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" --quiet >sme.txt 2>&1
check "energy: sMNIST at 25 % (1 of 4 black images right)" grep -q 'accuracy 25.00 %$' sme.txt
check "energy: a caveat beside the LSTM ratio, with both accuracies" \
    grep -q '^  caveat: not at equal accuracy: the LSNN 25.00 % (4 sequences, this run on the reference chip), the LSTM-128 98.5 % (paper), 73.5 points apart' sme.txt
check "energy: the caveat right after the ratios" \
    sh -c "grep -A1 'the LSTM-128 (int8) takes' sme.txt | grep -q '^  caveat: '"
"$LSNN" energy SM --samples 4 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" --json --quiet >sme.json 2>&1
check "energy --json: the caveat as a field" \
    grep -q '"accuracy_caveat": {"equal_accuracy": false, "lsnn": 0.250000, "lstm": 0.985, "gap_pp": 73.50, ' sme.json
echo '{"sequences": 2000, "accuracy": 0.97}' >SM/eval.json
"$LSNN" energy SM --samples 4 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" --quiet >sme97.txt 2>&1
check "energy: no caveat within 5 points of the LSTM (97 %)" sh -c "! grep -q caveat sme97.txt"
"$LSNN" energy SM --samples 4 --tech "$SRC/models/tech/odin_reckon_28nm.yaml" --json --quiet >sme97.json 2>&1
check "energy --json: \"accuracy_caveat\": null within 5 points" grep -q '"accuracy_caveat": null}$' sme97.json
rm SM/eval.json
# --dataset: fashion-mnist, or fashion as the spec once called it
"$LSNN" run SM --samples 2 --dataset fashion-mnist --data-dir data/mnist --out f1.csv --quiet >f1.txt 2>&1
"$LSNN" run SM --samples 2 --dataset fashion --data-dir data/mnist --out f2.csv --quiet >f2.txt 2>&1
check "run --dataset fashion and fashion-mnist: the same" sh -c "cmp -s f1.csv f2.csv && grep -q '^2 sequences, 840 steps' f2.txt"
"$LSNN" run SM --samples 2 --dataset cifar >f3.txt 2>&1
check "run --dataset cifar: the names it takes" \
    grep -q "^lsnn run: --dataset must be mnist or fashion-mnist (also called fashion), got 'cifar'" f3.txt
# no data: the absolute path tried, how it was resolved, and how to get the data
mkdir -p nodata && cd nodata || exit 1
"$LSNN" train "$SRC/models/trained/smnist_deepr/model.yaml" -o R --iters 1 --quiet >nd.txt 2>&1
check "no MNIST: the absolute path, the current directory, tools/fetch_mnist.sh" sh -c \
    "grep -qF '$PWD/data/mnist/train-images-idx3-ubyte (or .gz) not found (task.data_dir '\''data/mnist'\'' is relative: it is resolved against the current directory, $PWD)' nd.txt && grep -q 'tools/fetch_mnist.sh' nd.txt"
cd "$TMP" || exit 1
report
