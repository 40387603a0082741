# cli_plot.sh - `lsnn plot` and `lsnn energy --plot/--plot-mesh`: every kind draws PNG and SVG
# through gnuplot, and the data it drew is the data the other commands report (the curve's rows,
# the trace's spikes, the manifest's utilisation, shares that sum to the total); bad inputs get
# a message naming the file and the place, and never leave a picture behind.
# usage: bash cli_plot.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

tiny_image 1 4 8

# is_png FILE / is_svg FILE: the format's signature
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
is_svg() { grep -q '<svg' "$1" && tail -c 200 "$1" | grep -q '</svg>'; }
# block FILE NAME: the lines of datablock $NAME of a kept script
block() { sed -n "/^\$$2 << EOD\$/,/^EOD\$/p" "$1" | sed '1d;$d'; }

# the training curve: one row per iteration of curve.csv
"$LSNN" plot curve RUN -o curve.png --script --quiet || fail "plot curve"
check "curve: a PNG" is_png curve.png
rows=$(($(wc -l <RUN/curve.csv) - 1))
[ "$(block curve.png.gp train | wc -l)" -eq "$rows" ] && ok "curve: all $rows iterations drawn" ||
    fail "curve: $(block curve.png.gp train | wc -l) rows drawn of $rows"
"$LSNN" plot curve RUN -o curve.svg --title "tiny run" --quiet || fail "plot curve (svg)"
check "curve: an SVG with its title" is_svg curve.svg
check "curve: the title given" grep -q "tiny run" curve.svg
check "curve: no temporary file left" test -z "$(ls ./*.tmp.* 2>/dev/null)"

# a regression task's curve says MSE, a navigation run's draws its nav_curve.csv
"$LSNN" plot curve "$SRC/models/trained/l2l" -o l2l.png --script --quiet || fail "plot curve (l2l)"
check "l2l curve: errors as MSE" grep -q "set ylabel 'MSE'" l2l.png.gp
"$LSNN" plot curve "$SRC/models/trained/navigation" -o nav.svg --script --quiet || fail "plot curve (navigation)"
rows=$(($(wc -l <"$SRC/models/trained/navigation/nav_curve.csv") - 1))
[ "$(block nav.svg.gp nav | wc -l)" -eq $((rows + 1)) ] && ok "navigation curve: header and $rows iterations" ||
    fail "navigation curve: $(block nav.svg.gp nav | wc -l) lines drawn of $((rows + 1))"
check "navigation curve: goals per episode" grep -q "goals per episode" nav.svg

# the raster: the recurrent spikes drawn are the spikes of the trace of the same sequence
"$LSNN" plot raster IMG -o raster.png --seq 1 --script --quiet || fail "plot raster"
check "raster: a PNG" is_png raster.png
"$LSNN" run IMG --samples 2 --trace run.tr --quiet >/dev/null || fail "run --trace"
# spikes of sequence 1 (ticks 0..T-1) of the recurrent neurons 0..7
want=$(awk '/^seq /{s=$2} /^tick /{t=$2} /^seq .* steps /{T=$4} s==1 && /^n / && $2 < 8 && $6 != 0 && t < T {c++} END{print c+0}' run.tr)
got=$(($(block raster.png.gp lif | wc -l) + $(block raster.png.gp alif | wc -l)))
[ "$got" -eq "$want" ] && [ "$got" -gt 0 ] && ok "raster: the trace's $want spikes of sequence 1" ||
    fail "raster: $got spikes drawn, the trace has $want"
check "raster: input spikes drawn" test "$(block raster.png.gp in | wc -l)" -gt 0

# float against the neurocore: the neurocore side equals the raster's spikes
"$LSNN" plot compare RUN -o compare.svg --seq 1 --script --quiet || fail "plot compare"
check "compare: an SVG" is_svg compare.svg
chip=$(($(block compare.svg.gp clif | wc -l) + $(block compare.svg.gp calif | wc -l)))
[ "$chip" -eq "$want" ] && ok "compare: the neurocore's spikes are the trace's" ||
    fail "compare: $chip neurocore spikes, the trace has $want"
flt=$(($(block compare.svg.gp flif | wc -l) + $(block compare.svg.gp falif | wc -l)))
check "compare: the title counts both" grep -q "$flt and $chip spikes" compare.svg.gp

# utilisation: used / available of the manifest
"$LSNN" plot cores IMG -o cores.png --script --quiet || fail "plot cores"
check "cores: a PNG" is_png cores.png
used=$(sed -n 's/^ *neurons: {used: \([0-9]*\), available: \([0-9]*\)}/\1 \2/p' IMG/manifest.yaml | head -1)
pct=$(echo "$used" | awk '{printf "%.4f", 100 * $1 / $2}')
check "cores: neurons at $pct %" grep -q "^\"core 0\" $pct " cores.png.gp

# energy by term: each table's shares sum to 100 %
"$LSNN" energy IMG --samples 2 --quiet --plot energy.png >/dev/null || fail "energy --plot"
check "energy: a PNG" is_png energy.png
# the mesh: a 2x2 image's links, drawn with their flits
quad_hw quad.yaml 8
"$LSNN" compile RUN -o QUAD --hw quad.yaml --cores 3 --quiet >/dev/null 2>&1 || fail "compile onto 3 cores"
"$LSNN" energy QUAD --samples 2 --quiet --plot energy4.svg --plot-mesh mesh.svg >energy.txt ||
    fail "energy --plot-mesh"
check "mesh: an SVG" is_svg mesh.svg
check "mesh: its cells" grep -q "cell 17" mesh.svg
check "energy on 3 cores: by core" grep -q "by core" energy4.svg

# errors: named files and places, no picture left behind
expect_error() { # WHAT REGEX COMMAND...
    local what=$1 re=$2
    shift 2
    if "$@" >err.txt 2>&1; then
        fail "$what: succeeded"
    elif grep -Eq -- "$re" err.txt; then
        ok "$what"
    else
        fail "$what: $(head -2 err.txt)"
    fi
}
expect_error "a picture that is neither PNG nor SVG" "out.pdf: a picture's name ends in .png or .svg" \
    "$LSNN" plot curve RUN -o out.pdf
mkdir -p BAD && head -3 RUN/curve.csv >BAD/curve.csv && sed -i '3s/^\([0-9]*\),[^,]*,/\1,x1,/' BAD/curve.csv
expect_error "a curve with a word for a number" "BAD/curve.csv:3: loss is not a number: 'x1'" \
    "$LSNN" plot curve BAD -o bad.png
check "no picture of a failed plot" test ! -e bad.png
expect_error "a run without a curve" "NONE/curve.csv: No such file" "$LSNN" plot curve NONE -o none.png
expect_error "a sequence past the test set" "--seq 99: the test set has 8 sequences" \
    "$LSNN" plot raster IMG -o r.png --seq 99
expect_error "an unknown kind" "unknown KIND 'pie'" "$LSNN" plot pie RUN -o p.png
expect_error "without gnuplot: how to install it" "apt-get install gnuplot-nox" \
    env PATH=/nonexistent "$LSNN" plot curve RUN -o nognuplot.png
check "no picture without gnuplot" test ! -e nognuplot.png
expect_error "a mesh of one core" "runs on one core without a mesh" \
    "$LSNN" energy IMG --samples 1 --quiet --plot-mesh m.png
report
