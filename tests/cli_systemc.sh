# cli_systemc.sh - the engine `systemc` (the chip's SystemC/TLM platform, docs/systemc.md) on the
# command line: the trained sMNIST DEEP R network (models/trained/smnist_deepr) compiled onto
# the small core (models/hw/small.yaml: 5 cores of the 4 x 2 mesh) verified against the
# reference on 2 sequences (every state, counter, output word, link counter and chip cycle
# count, every tick) and its SystemC time checked against chip cycles x clock period; a small
# network on 2 cores of a 2 x 1 mesh through `lsnn run --engine systemc` (the reference's trace,
# line for line; JSON) and `lsnn verify --json`; and the refusals. Every engine start loads the
# whole active mesh through the programming window (about 340 k cycles per cell), which is most
# of the test's time. The inputs are a spike file (2 sequences of 840 steps of
# pseudo-random input spikes), so the test needs no MNIST data.
# Only in builds with the platform (tests/CMakeLists.txt: not ASan, not without SystemC).
# usage: bash cli_systemc.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# spikes CHANNELS STEPS SEQUENCES: an lsnn-spikes file, each channel spiking in about 1 step of
# 16 (a 32-bit LCG, the same in every awk)
spikes() {
    awk -v C="$1" -v T="$2" -v S="$3" 'BEGIN {
        print "lsnn-spikes 1"; printf "channels %d steps %d sequences %d\n", C, T, S
        x = 12345
        for (s = 0; s < S; s++) for (t = 0; t < T; t++) for (c = 0; c < C; c++) {
            x = (x * 1103515245 + 12345) % 4294967296
            if (int(x / 65536) % 16 == 0) printf "%d %d %d\n", s, t, c
        }
    }'
}

# 1. sMNIST DEEP R on 5 small cores (4 x 2 mesh): verify against the reference
if ! "$LSNN" compile "$SRC/models/trained/smnist_deepr" --hw "$SRC/models/hw/small.yaml" \
    --calibrate 0 -o SMNIST >compile.txt 2>&1; then
    fail "compile smnist_deepr onto small.yaml: $(tail -2 compile.txt)"
    report
    exit 1
fi
check "compile: 5 cores of the small config" grep -q "onto 5 cores of hw config 'small'" compile.txt
spikes 80 840 2 >in.spk
"$LSNN" verify SMNIST --engines ref,systemc --input in.spk >v.txt 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^verify SMNIST: ref and systemc equal on 2 sequences, 1682 ticks' v.txt &&
    ok "verify --engines ref,systemc: sMNIST on 5 cores equal, 2 sequences" ||
    fail "verify --engines ref,systemc (exit $rc): $(cat v.txt)"
check "verify: the SystemC platform loaded through its window" \
    grep -q '^SystemC platform (loaded through the programming window in .* s): .* SystemC .* M cycles/s$' v.txt
check "verify: SystemC time of the commands = chip cycles x 10 ns" \
    grep -Eq '^SystemC time: [0-9]+ ns in TICK and CLEAR commands \(= [0-9]+ chip cycles x 10 ns: equal\)' v.txt

# 2. run --engine systemc: a small network on the 2 cores of a 2 x 1 mesh, the reference's trace
cat >tiny.yaml <<EOF2
version: 1
name: tiny
seed: 7
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 10, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 10, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50, seq_delay: 1, test_size: 12}
training:
  batch_size: 12
  iterations: 4
  optimizer: {lr: 0.05}
EOF2
cat >small2x1.yaml <<EOF2
version: 1
name: small2x1
neurocore: 3
mesh: [2, 1]
noc_buffer: 2
core: {neurons: 64, axons: 512, synapse_words: 16384, profiles: 8, route_entries: 256}
EOF2
if train tiny.yaml -o RUN --iters 4 &&
    "$LSNN" compile RUN --hw small2x1.yaml --cores 2 -o CHIP >cc.txt 2>&1; then
    "$LSNN" run CHIP --samples 2 --trace ref.trace >/dev/null 2>&1
    "$LSNN" run CHIP --samples 2 --engine systemc --trace sc.trace >sc.txt 2>&1 ||
        fail "run --engine systemc: $(cat sc.txt)"
    check "run --engine systemc: the reference's trace, line for line" cmp -s ref.trace sc.trace
    check "run --engine systemc prints the platform's chip cycles" grep -q '^SystemC chip cycles: ' sc.txt
    check "run --engine systemc: SystemC time per inference = chip cycles x period" \
        grep -Eq '^SystemC time: [0-9.]+ ns per inference \(= [0-9.]+ chip cycles x 10 ns: equal\)' sc.txt
    "$LSNN" verify CHIP --engines systemc,ref --samples 1 --json >v.json 2>&1
    check "verify --json: equal, the SystemC time equal" \
        grep -q '"engines": \["systemc", "ref"\], "load": "port", "equal": true, .*"clock_period_ps": 10000, .*"systemc_time_equal": true' v.json
    "$LSNN" run CHIP --samples 1 --engine systemc --json >sc.json 2>&1
    check "run --json: the SystemC time" grep -q '"engine": "systemc", .*"clock_period_ps": 10000, "systemc_time_equal": true' sc.json
    # refusals with reasons
    "$LSNN" verify CHIP --engines ref,systemc --readmemh >rm.txt 2>&1
    [ $? -eq 1 ] && grep -q 'loads through its programming window; --readmemh is for the rtl engine' rm.txt &&
        ok "verify --readmemh: refused for systemc" || fail "verify --readmemh: $(cat rm.txt)"
    "$LSNN" compile RUN -o DEF >/dev/null 2>&1
    "$LSNN" run DEF --engine systemc >def.txt 2>&1
    [ $? -eq 1 ] && grep -q "the platform's chip does not run hardware config 'default'" def.txt &&
        ok "run: a config the platform does not run is refused with the reason" ||
        fail "run DEF --engine systemc: $(cat def.txt)"
else
    fail "train/compile the 4-core network: $(tail -2 cc.txt 2>/dev/null)"
fi
report
