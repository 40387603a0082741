# cli_nir.sh - `lsnn import-nir` and `lsnn export-nir` (docs/nir.md): a trained run exported and
# imported again is the same model (model.yaml, weights) and spikes the same on the reference
# runtime; an imported CUBA network compiles, runs ref = RTL (lsnn verify) and reports energy;
# --drop-adaptation warns; the public Braille graph (two spiking layers) imports, compiles,
# verifies and reports energy; bad inputs get a message and leave no run folder behind.
# usage: bash cli_nir.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

expect_error() { # WHAT REGEX COMMAND...
    local what=$1 re=$2
    shift 2
    if "$@" >out.txt 2>err.txt; then
        fail "$what: accepted"
    elif grep -qE -- "$re" err.txt; then
        ok "$what"
    else
        fail "$what: $(cat err.txt)"
    fi
}

# the round trip: a trained LSNN (LIF + ALIF, refractory, delays, readout bias)
tiny_spec tiny.yaml 1 4 16
train tiny.yaml -o RUN || fail "train"
"$LSNN" export-nir RUN -o rt.nir 2>export.err || fail "export-nir"
check "export: a note on the reset" grep -q "warning: the graph's neurons reset to v_reset = 0" export.err
check "export: an HDF5 file" test "$(head -c 4 rt.nir | od -An -c | tr -d ' ')" = "211HDF"
"$LSNN" import-nir rt.nir -o RUN2 2>import.err || fail "import-nir: $(cat import.err)"
check "round trip: the same model.yaml" cmp RUN/model.yaml RUN2/model.yaml
check "import: the final line" grep -q "wrote run RUN2 (20 inputs, 8 neurons in 2 populations, 2 readouts)" import.err
"$LSNN" compile RUN -o IMG --quiet >/dev/null || fail "compile RUN"
"$LSNN" compile RUN2 -o IMG2 --quiet >/dev/null || fail "compile RUN2"
"$LSNN" run IMG --samples 16 --trace a.tr --quiet >/dev/null || fail "run IMG"
"$LSNN" run IMG2 --samples 16 --trace b.tr --quiet >/dev/null || fail "run IMG2"
spikes=$(awk '/^n / && $6 != 0' a.tr | wc -l)
[ "$spikes" -gt 0 ] && cmp -s a.tr b.tr && ok "round trip: the same $spikes spikes, every tick's state" ||
    fail "round trip: the traces differ"
"$LSNN" eval RUN2 --quiet >eval2.txt && "$LSNN" eval RUN --quiet >eval1.txt || fail "eval"
check "round trip: the same float evaluation" cmp eval1.txt eval2.txt

# plain LIF for other tools: a warning for each population it simplifies
"$LSNN" export-nir RUN -o plain.nir --drop-adaptation 2>plain.err || fail "export --drop-adaptation"
check "drop-adaptation: warns for alif" grep -q "population alif: threshold adaptation dropped (tau_a_ms 200, beta 1.7)" plain.err
check "drop-adaptation: warns for the refractory period" grep -q "population lif: refractory period of 2 steps dropped" plain.err
"$LSNN" import-nir plain.nir -o PLAIN --quiet || fail "import plain"
check "plain: no alif population" test "$(grep -c 'kind: alif' PLAIN/model.yaml)" -eq 0

# a CUBA network (tau_syn_ms): imported, compiled, ref = RTL, energy
sed 's/refractory: 2/refractory: 2, tau_syn_ms: 5/' tiny.yaml >cuba.yaml
train cuba.yaml -o CUBA || fail "train cuba"
"$LSNN" export-nir CUBA -o cuba.nir --quiet || fail "export cuba"
"$LSNN" import-nir cuba.nir -o CUBA2 --name cuba_import --quiet || fail "import cuba"
check "cuba: the name given" grep -q "^name: cuba_import" CUBA2/model.yaml
check "cuba: tau_syn_ms kept" grep -q "tau_syn_ms: 5" CUBA2/model.yaml
"$LSNN" compile CUBA2 -o CIMG --quiet >/dev/null || fail "compile cuba"
"$LSNN" verify CIMG --samples 4 >verify.txt 2>&1 || fail "verify cuba: $(tail -3 verify.txt)"
check "cuba: ref = RTL" grep -q "ref and rtl equal on 4 sequences" verify.txt
"$LSNN" energy CIMG --samples 4 --quiet >energy.txt || fail "energy cuba"
check "cuba: an energy report" grep -q "energy per inference" energy.txt

# one neuron node: all populations CUBA or none
sed '0,/refractory: 2}/s//refractory: 2, tau_syn_ms: 5}/' tiny.yaml >mixed.yaml
train mixed.yaml -o MIXED || fail "train mixed"
expect_error "mixed CUBA populations" "populations lif and alif: one has a synaptic current" \
    "$LSNN" export-nir MIXED -o mixed.nir
check "no file left by a refused export" test ! -e mixed.nir

# --task-from: the task of another spec, checked against the network
"$LSNN" import-nir rt.nir -o TASK --task-from tiny.yaml --quiet || fail "--task-from"
check "--task-from: its task" grep -q "group_size: 5" TASK/model.yaml
sed 's/group_size: 5/group_size: 4/' tiny.yaml >bad_task.yaml
expect_error "a spec that is not valid" "--task-from: bad_task.yaml:5:11: error: network.inputs must be" \
    "$LSNN" import-nir rt.nir -o BAD1 --task-from bad_task.yaml
sed 's/values: 2, group_size: 5/values: 3, group_size: 4/; s/size: 2, tau_ms/size: 3, tau_ms/' tiny.yaml >three.yaml
expect_error "a task that does not fit" "does not fit three.yaml: .*network.readout.size must be" \
    "$LSNN" import-nir rt.nir -o BAD1 --task-from three.yaml
check "no folder left by a refused import" test ! -e BAD1
printf 'not hdf5\n' >text.nir
expect_error "a text file" "text.nir: not a NIR file \(no HDF5 signature" "$LSNN" import-nir text.nir -o BAD2
head -c 3000 rt.nir >cut.nir
expect_error "a truncated file" "cut.nir: not a readable HDF5 file \(truncated or corrupt" \
    "$LSNN" import-nir cut.nir -o BAD3
check "no folder left by bad files" test ! -e BAD2 -a ! -e BAD3
expect_error "reset to zero" "reset to v_reset at the step after a spike .* cannot be expressed" \
    "$LSNN" import-nir rt.nir -o BAD4 --reset zero
expect_error "into an image folder" "-o IMG: .*image folder" "$LSNN" import-nir rt.nir -o IMG
expect_error "over a model" "-o RUN2 holds a model already; --force replaces it" \
    "$LSNN" import-nir rt.nir -o RUN2
"$LSNN" import-nir rt.nir -o RUN2 --force --quiet || fail "--force"
expect_error "export of an image" "IMG is an image folder" "$LSNN" export-nir IMG -o x.nir
expect_error "a bad --dt-ms" "--dt-ms: 'abc' is not a positive number" \
    "$LSNN" import-nir rt.nir -o BAD5 --dt-ms abc
# the public Braille graph (snnTorch): two CubaLIF layers, the output layer spiking; a task of
# its sizes does not exist, so a store_recall of 7 values (18 inputs) with 6 unused channels
# carries the sequences (its accuracy means nothing for a Braille reader)
BRAILLE="$SRC/tests/data/nir/braille_noDelay_noBias_subtract.nir"
sed 's/values: 2, group_size: 5/values: 7, group_size: 2/; s/inputs: 20/inputs: 18/; s/size: 2, tau_ms/size: 7, tau_ms/' tiny.yaml >sr7.yaml
"$LSNN" import-nir "$BRAILLE" -o BRAILLE --time-unit s --dt-ms 0.1 --discretisation euler \
    --task-from sr7.yaml --inputs 18 2>braille.err || fail "import Braille: $(cat braille.err)"
check "Braille: the added readout, said" grep -q "output layer 'lif2' spikes (no LI readout): added 7 LI readouts" braille.err
check "Braille: the shift, said" grep -q "2 spiking layers in one recurrent layer" braille.err
check "Braille: 47 neurons, 2 populations, 7 readouts" grep -q "18 inputs, 47 neurons in 2 populations, 7 readouts" braille.err
check "Braille: autapses kept" grep -q "autapses: true" BRAILLE/model.yaml
"$LSNN" compile BRAILLE -o BIMG --quiet >/dev/null || fail "compile Braille"
"$LSNN" run BIMG --samples 2 --quiet >brun.txt || fail "run Braille"
"$LSNN" verify BIMG --samples 2 >bverify.txt 2>&1 || fail "verify Braille: $(tail -3 bverify.txt)"
check "Braille: ref = RTL" grep -q "ref and rtl equal on 2 sequences" bverify.txt
"$LSNN" energy BIMG --samples 2 --quiet >benergy.txt || fail "energy Braille"
check "Braille: an energy report" grep -q "energy per inference" benergy.txt
expect_error "Braille: a task of other readouts" "7 readouts, one per neuron of the output layer 'lif2'\) does not fit" \
    "$LSNN" import-nir "$BRAILLE" -o BAD6 --time-unit s --dt-ms 0.1 --discretisation euler \
    --task-from tiny.yaml
check "no temporary file left" test -z "$(ls ./*.tmp.* RUN2/*.tmp.* 2>/dev/null)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
