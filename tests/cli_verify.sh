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
small2x2_hw small2x2.yaml
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

# an unknown mutant is an error naming the value and the known ones, never the real RTL
LSNN_RTL_MUTANT=round_dwon "$LSNN" verify IMG --samples 1 >mu.txt 2>&1
[ $? -eq 1 ] && grep -q "LSNN_RTL_MUTANT='round_dwon' is not a mutant; the known ones are round_down (.*) and wrong_turn (.*)" mu.txt &&
    ok "verify: an unknown LSNN_RTL_MUTANT is refused by name" || fail "LSNN_RTL_MUTANT=round_dwon: $(cat mu.txt)"
LSNN_RTL_MUTANT=bogus "$LSNN" run IMG --samples 1 --engine rtl >mu.txt 2>&1
[ $? -eq 1 ] && grep -q "LSNN_RTL_MUTANT='bogus' is not a mutant" mu.txt &&
    ok "run --engine rtl: an unknown LSNN_RTL_MUTANT is refused" || fail "run LSNN_RTL_MUTANT=bogus: $(cat mu.txt)"

# progress (issue 13): plain lines in a log, nothing with --quiet
LSNN_PROGRESS_INTERVAL=0 "$LSNN" verify IMG --samples 2 >/dev/null 2>vp.txt
check "verify: progress lines in a log" grep -Eq '^lsnn verify: test sequence 2/2  100 %' vp.txt
"$LSNN" verify IMG --samples 2 --quiet >/dev/null 2>vq.txt
check "verify --quiet: nothing on stderr" test ! -s vq.txt

# the RTL's VCD limited to a range of ticks and to one scope (issue 13)
stamps() { grep '^#' "$1" | tr -d '#'; }
valid_vcd() { # a header, declarations, and ascending timestamps
    grep -q '^\$timescale' "$1" && grep -q '^\$enddefinitions \$end$' "$1" && grep -q '\$var ' "$1" &&
        stamps "$1" | sort -n -c && [ -n "$(stamps "$1")" ]
}
"$LSNN" verify IMG --samples 1 --vcd all.vcd --quiet >/dev/null 2>&1
"$LSNN" verify IMG --samples 1 --vcd t03.vcd --vcd-ticks 0:3 >/dev/null 2>vt.txt
"$LSNN" verify IMG --samples 1 --vcd t36.vcd --vcd-ticks 3:6 --quiet >/dev/null 2>&1
"$LSNN" verify IMG --samples 1 --vcd t06.vcd --vcd-ticks :6 --quiet >/dev/null 2>&1
check "verify --vcd-ticks: the final line names the VCD and its ticks" \
    grep -Eqx 'lsnn verify: wrote VCD t03.vcd \([0-9.]+ [kM]B, ticks 0..2\)' vt.txt
for f in all t03 t36 t06; do check "$f.vcd: a valid VCD (header, \$enddefinitions, ascending time)" valid_vcd $f.vcd; done
check "ticks 0..5 of 101: less than a tenth of the whole VCD" \
    test $(($(wc -c <t06.vcd) * 10)) -lt "$(wc -c <all.vcd)"
check "ticks 0..2 and 3..5 split ticks 0..5 exactly (no timestamp outside its range)" \
    cmp -s <(stamps t03.vcd; stamps t36.vcd) <(stamps t06.vcd)
check "ticks 0..2 end before ticks 3..5 begin" test "$(stamps t03.vcd | tail -1)" -lt "$(stamps t36.vcd | head -1)"
check "the image load is not in a range" test "$(stamps t03.vcd | head -1)" -gt "$(stamps all.vcd | head -1)"
check "every timestamp of a range is one of the whole run's" \
    test -z "$(comm -23 <(stamps t06.vcd | sort) <(stamps all.vcd | sort))"
"$LSNN" verify IMG --samples 1 --vcd ctl.vcd --vcd-ticks 0:3 --vcd-scope neurocore.u_ctrl --quiet >/dev/null 2>&1
check "--vcd-scope: a valid VCD" valid_vcd ctl.vcd
check "--vcd-scope neurocore.u_ctrl: only TOP, neurocore and u_ctrl" \
    test "$(grep '\$scope' ctl.vcd | awk '{print $3}' | tr '\n' ' ')" = "TOP neurocore u_ctrl "
check "--vcd-scope: fewer signals" test "$(grep -c '\$var' ctl.vcd)" -lt "$(grep -c '\$var' t03.vcd)"
check "--vcd-scope: the same timestamps" cmp -s <(stamps ctl.vcd) <(stamps t03.vcd)
"$LSNN" verify IMG --samples 1 --vcd bad.vcd --vcd-scope neurocore.u_nothing >bs.txt 2>&1
[ $? -eq 1 ] && grep -q 'vcd-scope neurocore.u_nothing: no signal of the RTL is under TOP.neurocore.u_nothing' bs.txt &&
    ok "--vcd-scope matching nothing: an error naming it" || fail "--vcd-scope neurocore.u_nothing: $(cat bs.txt)"
check "--vcd-scope matching nothing: no file left" test -z "$(ls bad.vcd* 2>/dev/null)"
"$LSNN" run IMG --samples 1 --engine rtl --vcd rr.vcd --vcd-ticks 0:3 --quiet >/dev/null 2>&1
check "run --engine rtl --vcd-ticks: the same cycles as verify's" cmp -s <(stamps rr.vcd) <(stamps t03.vcd)
"$LSNN" run IMG --samples 2 --vcd ref.vcd --vcd-ticks 100:150 --quiet >/dev/null 2>&1
check "run (ref) --vcd-ticks 100:150: tick-level time steps 100 .. 149, closed at 150" sh -c \
    "[ \"\$(grep '^#' ref.vcd | head -1)\" = '#100' ] && [ \"\$(grep '^#' ref.vcd | tail -2 | tr '\n' ' ')\" = '#149 #150 ' ] && [ \$(grep -c '^#' ref.vcd) -eq 51 ]"
for bad in "--vcd-ticks 5:5" "--vcd-ticks 5" "--vcd-ticks a:b" "--vcd-ticks :"; do
    # shellcheck disable=SC2086
    "$LSNN" verify IMG --vcd x.vcd $bad >bt.txt 2>&1
    [ $? -eq 2 ] && grep -q -- '--vcd-ticks must be A:B with 0 <= A < B' bt.txt &&
        ok "verify $bad: a usage error" || fail "verify $bad: $(cat bt.txt)"
done
"$LSNN" verify IMG --vcd-ticks 0:3 >bt.txt 2>&1
[ $? -eq 2 ] && grep -q 'limit a --vcd FILE' bt.txt && ok "--vcd-ticks without --vcd: a usage error" || fail "--vcd-ticks alone: $(cat bt.txt)"
"$LSNN" run IMG --vcd x.vcd --vcd-scope neurocore >bt.txt 2>&1
[ $? -eq 2 ] && grep -q 'vcd-scope selects RTL signals' bt.txt && ok "run (ref) --vcd-scope: a usage error" || fail "run --vcd-scope: $(cat bt.txt)"
report
