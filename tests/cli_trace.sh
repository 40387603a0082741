# cli_trace.sh - `lsnn trace-diff`: traces of one network by two engines and by two placements
# compare equal; a changed value, a cut or malformed trace, another network are named.
# usage: bash cli_trace.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

tiny_image 1 4 8
quad_hw quad.yaml 8
"$LSNN" compile RUN -o QUAD --hw quad.yaml --cores 2 --quiet >/dev/null 2>&1 || fail "compile onto 2 cores"
"$LSNN" run IMG --samples 3 --trace ref.tr --quiet >/dev/null || fail "run --trace (ref)"
"$LSNN" run IMG --samples 3 --trace jit.tr --engine jit --quiet >/dev/null || fail "run --trace (jit)"
"$LSNN" run QUAD --samples 3 --trace quad.tr --quiet >/dev/null || fail "run --trace (2 cores)"

# diff_case WHAT WANT_EXIT REGEX A B
diff_case() {
    "$LSNN" trace-diff "$4" "$5" >out.txt 2>&1
    local rc=$?
    if [ $rc -eq "$2" ] && grep -Eq -- "$3" out.txt; then
        ok "$1 (exit $rc)"
    else
        fail "$1: exit $rc (want $2): $(head -3 out.txt)"
    fi
}
# more sequences than the model's batch (lsnn run runs the test set batch by batch): the trace
# numbers them over the run, as the format says and trace-diff checks
sed 's/^  batch_size: 8$/  batch_size: 3/' tiny.yaml >b3.yaml
if train b3.yaml -o B3RUN --iters 2 && "$LSNN" compile B3RUN -o B3 --quiet >/dev/null 2>&1 &&
    "$LSNN" run B3 --samples 7 --trace b3.tr --quiet >/dev/null; then
    [ "$(grep '^seq ' b3.tr | cut -d' ' -f2 | tr '\n' ' ')" = "0 1 2 3 4 5 6 " ] &&
        ok "7 sequences in batches of 3: numbered 0..6 over the run" ||
        fail "sequences of 3 batches numbered $(grep '^seq ' b3.tr | cut -d' ' -f2 | tr '\n' ' ')"
else
    fail "a run in batches of 3"
fi
diff_case "a trace of 3 batches reads back" 0 "^b3.tr and b3.tr are equal" b3.tr b3.tr
diff_case "the reference and the jit engine: equal" 0 "^ref.tr and jit.tr are equal: [0-9]+ records$" ref.tr jit.tr
diff_case "one core and two cores: equal neuron lines" 0 "are equal: [0-9]+ records \(neuron lines: the cores differ\)" ref.tr quad.tr
line=$(grep -n '^n 3 ' ref.tr | sed -n 40p | cut -d: -f1)
awk -v l="$line" 'NR == l { $4 = $4 + 1 } { print }' ref.tr >a_changed.tr
diff_case "an adaptation value changed" 1 "^ref.tr:$line and a_changed.tr:$line: first difference at sequence 0, tick 39, neuron 3: a A -?[0-9]+, B -?[0-9]+$" ref.tr a_changed.tr
"$LSNN" trace-diff ref.tr a_changed.tr --json >out.txt 2>&1
check "--json: one object naming the difference" grep -q '^{"equal": false, "records": [0-9]*, "line_a": '"$line"', "line_b": '"$line"', "first_difference": "first difference at sequence 0, tick 39' out.txt
kline=$(grep -n '^k ' ref.tr | sed -n 5p | cut -d: -f1)
awk -v l="$kline" 'NR == l { $5 = $5 + 1 } { print }' ref.tr >k_changed.tr
diff_case "a counter changed" 1 "first difference at sequence 0, tick 4, core 0: [a-z_]+ A [0-9]+, B [0-9]+$" ref.tr k_changed.tr
head -n 300 ref.tr >cut.tr
diff_case "a trace cut at a line end" 2 "cut.tr: error: cut short after line 300: no 'end' line" ref.tr cut.tr
nline=$(grep -n '^n 5 ' ref.tr | sed -n 3p | cut -d: -f1)
sed "${nline}s/^n 5 /n 6 /" ref.tr >bad.tr
diff_case "a neuron out of order" 2 "bad.tr:$nline: error: neuron 6 where neuron 5 was due" ref.tr bad.tr
sed '1s/1/2/' ref.tr >v2.tr
diff_case "another trace version" 2 "v2.tr:1: error: trace version 2, this lsnn reads version 1" v2.tr ref.tr
tiny_spec other.yaml 1 5 8
train other.yaml -o RUN5 --iters 1 && "$LSNN" compile RUN5 -o IMG5 --quiet >/dev/null 2>&1 &&
    "$LSNN" run IMG5 --samples 1 --trace other.tr --quiet >/dev/null
diff_case "traces of different networks" 1 "^ref.tr:2 and other.tr:2: different networks: A 20 inputs, 8 neurons, 2 readouts; B 20, 10, 2$" ref.tr other.tr
diff_case "a missing file" 2 "nope.tr: cannot open" ref.tr nope.tr
report
