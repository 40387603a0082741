# cli_verify.sh - `lsnn verify` (the RTL neurocore under Verilator against the reference), the
# mutation check, `lsnn run --engine rtl`, and the clear refusals (several cores, no model).
# usage: bash cli_verify.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

tiny_image 7 10 12
quad_hw quad.yaml 8

# the RTL equals the reference on every tick of the test set: through the port and $readmemh
"$LSNN" verify IMG --samples 0 >v.txt 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^verify IMG: ref and rtl equal on 12 sequences, 1212 ticks' v.txt && ok "verify: 12 sequences equal" ||
    fail "verify (exit $rc): $(cat v.txt)"
check "verify: synaptic ops per cycle and Verilator speed" grep -q 'cycles per tick, .* per sequence; .* synaptic ops per cycle (.* in the synaptic phase); Verilator .* M cycles/s' v.txt
"$LSNN" verify IMG --samples 3 --readmemh >vr.txt 2>&1 && grep -q 'loaded through \$readmemh' vr.txt &&
    ok "verify --readmemh: equal" || fail "verify --readmemh: $(cat vr.txt)"
"$LSNN" verify IMG --samples 2 --json >v.json 2>&1
check "verify --json" grep -q '^{"image": "IMG", "engines": \["ref", "rtl"\], "load": "port", "equal": true, "sequences": 2, "ticks": 202, ' v.json

# the mutation check: the default core verilated with truncation instead of rounding
LSNN_RTL_MUTANT=round_down "$LSNN" verify IMG --samples 3 >m.txt 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q '^FIRST DIVERGENCE: sequence 0, tick [0-9]*, core 0, neuron [0-9]* (global [0-9]*), v: ref -\{0,1\}[0-9]*, rtl -\{0,1\}[0-9]*$' m.txt &&
    ok "verify catches the rounding mutant: $(cat m.txt)" || fail "mutant not caught (exit $rc): $(cat m.txt)"
LSNN_RTL_MUTANT=round_down "$LSNN" verify IMG --samples 3 --json >m.json 2>&1
check "the mutant in JSON" grep -q '"equal": false, .*"divergence": {"sequence": 0, "tick": [0-9]*, "core": 0, "neuron": [0-9]*, "global_neuron": [0-9]*, "variable": "v"' m.json

# run --engine rtl: the same trace as the reference, line for line
"$LSNN" run IMG --samples 2 --trace ref.trace >/dev/null 2>&1
"$LSNN" run IMG --samples 2 --engine rtl --trace rtl.trace >rtl.txt 2>&1 || fail "run --engine rtl: $(cat rtl.txt)"
check "run --engine rtl: the reference's trace, line for line (states, counters, cycles)" cmp -s ref.trace rtl.trace
check "run --engine rtl prints the RTL's cycles" grep -q '^RTL chip cycles: ' rtl.txt
"$LSNN" run IMG --samples 1 --engine rtl --vcd rtl.vcd >/dev/null 2>&1
check "run --engine rtl --vcd: a cycle-level VCD" grep -q '^\$timescale' rtl.vcd

# the chip (docs/neurocore.md §16): the network on 4 small cores, the RTL chip against the
# reference (states, counters, output words, link counters, chip cycles); and the router
# mutant (one wrong turn) caught. Only where the build has the verilated chips (not ASan).
cat >small2x2.yaml <<EOF2
version: 1
name: small2x2
neurocore: 3
mesh: [2, 2]
noc_buffer: 2
core: {neurons: 64, axons: 512, synapse_words: 16384, profiles: 8, route_entries: 256}
EOF2
"$LSNN" compile RUN --hw small2x2.yaml --cores 4 -o CHIP >cc.txt 2>&1 || fail "compile --cores 4: $(tail -2 cc.txt)"
check "compile --cores 4: placed on 4 cores" grep -q "compiled onto 4 cores of hw config 'small2x2'" cc.txt
if "$LSNN" verify CHIP --samples 3 >chip.txt 2>&1; then
    check "verify: a 4-core image on the RTL chip equals the reference" grep -q '^verify CHIP: ref and rtl equal on 3 sequences' chip.txt
    LSNN_RTL_MUTANT=wrong_turn "$LSNN" verify CHIP --samples 3 >wt.txt 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q '^FIRST DIVERGENCE: sequence 0, tick [0-9]*, ' wt.txt &&
        ok "verify catches the router mutant: $(cat wt.txt)" || fail "router mutant not caught (exit $rc): $(cat wt.txt)"
elif grep -q 'no verilated chip runs it' chip.txt; then
    ok "verify: a multi-core image without a verilated chip is refused with the reason"
else
    fail "verify CHIP: $(cat chip.txt)"
fi

# refusals with reasons
"$LSNN" compile RUN --hw quad.yaml -o QUAD >/dev/null 2>&1
"$LSNN" verify QUAD >q.txt 2>&1
[ $? -eq 1 ] && grep -q "QUAD spans 4 cores of hw config 'quad' (mesh 2x2, noc_buffer 4); no verilated chip runs it" q.txt &&
    ok "verify: a multi-core image without a verilated chip is refused with the reason" || fail "verify QUAD: $(cat q.txt)"
"$LSNN" compile RUN --weight-bits 6 -o W6 >/dev/null 2>&1
"$LSNN" verify W6 >w.txt 2>&1
[ $? -eq 1 ] && grep -q "no verilated model for hw config 'default'; this build has models for: default, small, stress_a, stress_b" w.txt &&
    ok "verify: a config without a verilated model names the models" || fail "verify W6: $(cat w.txt)"
"$LSNN" verify IMG --engines ref,float >e.txt 2>&1
[ $? -eq 2 ] && ok "verify --engines: an unknown engine is a usage error" || fail "verify --engines ref,float: $(cat e.txt)"
report
