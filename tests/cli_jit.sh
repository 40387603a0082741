# cli_jit.sh - the jit engine (compiler/llvm/, the image as native code) from the command line:
# `lsnn verify --engines ref,jit` on a whole test set, a config no RTL model has, the rounding
# mutant caught, `lsnn run --engine jit` giving the reference's trace line for line, `lsnn
# energy --engine jit` giving the reference's report, a multi-core image equal.
# usage: bash cli_jit.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

tiny_image 5 12 16
quad_hw quad.yaml 16

"$LSNN" verify IMG --engines ref,jit --samples 0 >v.txt 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^verify IMG: ref and jit equal on 16 sequences, 1616 ticks: every neuron' v.txt &&
    ok "verify --engines ref,jit: the whole test set equal" || fail "verify ref,jit (exit $rc): $(cat v.txt)"
"$LSNN" verify IMG --engines ref,jit --samples 2 --json >v.json 2>&1
check "verify ref,jit --json" grep -q '"engines": \["ref", "jit"\], .*"equal": true' v.json

# any legal config, not only the verilated ones: 6-bit weights
"$LSNN" compile RUN --weight-bits 6 -o W6 >/dev/null 2>&1 || fail "compile --weight-bits 6"
"$LSNN" verify W6 --engines ref,jit --samples 0 >w6.txt 2>&1 &&
    ok "verify ref,jit: 6-bit weights equal" || fail "verify W6 ref,jit: $(cat w6.txt)"

# the mutation check: v's leak truncates instead of rounding half up in the generated code
LSNN_JIT_MUTANT=1 "$LSNN" verify IMG --engines ref,jit --samples 0 >m.txt 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q '^FIRST DIVERGENCE: sequence [0-9]*, tick [0-9]*, core 0, neuron [0-9]* (global [0-9]*), v: ref -\{0,1\}[0-9]*, jit -\{0,1\}[0-9]*$' m.txt &&
    ok "verify catches the jit rounding mutant: $(cat m.txt)" || fail "jit mutant not caught (exit $rc): $(cat m.txt)"
LSNN_JIT_MUTANT=2 "$LSNN" verify IMG --engines ref,jit --samples 1 >m2.txt 2>&1
[ $? -eq 1 ] && grep -q "LSNN_JIT_MUTANT='2': the only mutant is 1" m2.txt &&
    ok "an unknown jit mutant is refused" || fail "LSNN_JIT_MUTANT=2: $(cat m2.txt)"

# run --engine jit: the reference's trace, line for line
"$LSNN" run IMG --samples 3 --trace ref.trace >/dev/null 2>&1
"$LSNN" run IMG --samples 3 --engine jit --trace jit.trace >jit.txt 2>&1 || fail "run --engine jit: $(cat jit.txt)"
check "run --engine jit: the reference's trace, line for line (states, counters, cycles)" cmp -s ref.trace jit.trace
check "run --engine jit says which engine ran" grep -q '^jit (LLVM, native code): ' jit.txt

# energy --engine jit: the reference's report, number for number
"$LSNN" energy IMG --samples 8 --json >e_ref.json 2>&1
"$LSNN" energy IMG --samples 8 --engine jit --json >e_jit.json 2>&1 || fail "energy --engine jit: $(cat e_jit.json)"
check "energy --engine jit: the reference's report" cmp -s e_ref.json e_jit.json

# a multi-core image: the generated phases with the mesh model's routing, every tick equal
"$LSNN" compile RUN --hw quad.yaml -o QUAD >/dev/null 2>&1
"$LSNN" verify QUAD --engines ref,jit --samples 0 >q.txt 2>&1
[ $? -eq 0 ] && grep -q "^verify QUAD: ref and jit equal on 16 sequences" q.txt &&
    ok "verify ref,jit: a multi-core image equal (chip cycles and link counters too)" || fail "verify QUAD ref,jit: $(cat q.txt)"
"$LSNN" compile RUN --hw quad.yaml -o QOBJ --emit obj --target riscv32-unknown-elf >qo.txt 2>&1
[ $? -eq 1 ] && grep -q "one-core images only (this one has [0-9]* cores)" qo.txt &&
    ok "--emit obj refuses a multi-core image with the reason" || fail "--emit obj QUAD: $(cat qo.txt)"
report
