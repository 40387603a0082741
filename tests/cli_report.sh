# cli_report.sh - `lsnn report`: one self-contained HTML page about an image, rendered by a
# real browser (headless Chromium): the rendered DOM shows the figures of compile.json, of
# lsnn verify and of lsnn energy; a screenshot of the page is kept as an artifact
# (report.png in this test's folder).
# usage: bash cli_report.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

BROWSER=$(command -v chromium-headless-shell || command -v chromium || true)
[ -n "$BROWSER" ] || { fail "no headless Chromium (apt-get install chromium-headless-shell)"; report; exit 1; }
# render FILE.html OUT: the DOM after the page's script ran (root needs --no-sandbox)
render() { timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/$1" >"$2" 2>/dev/null; }

tiny_image 1 4 8
small2x2_hw small2x2.yaml
"$LSNN" compile RUN -o QUAD --hw small2x2.yaml --cores 3 --quiet >/dev/null 2>&1 || fail "compile onto 3 cores"
check "compile keeps its report in the image: compile.json" test -s QUAD/compile.json
# the RTL where this build has the verilated chip (not in the sanitizer build), else the JIT
ENG=ref,rtl
"$LSNN" verify QUAD --samples 1 --quiet >/dev/null 2>&1 || ENG=ref,jit
A=${ENG%,*} B=${ENG#*,}

"$LSNN" report QUAD -o report.html --verify 2 --samples 2 --engines $ENG --quiet || fail "lsnn report"
check "a page was written" test -s report.html
# self-contained: nothing fetched from elsewhere (the SVGs' xmlns is a name, not a fetch)
check "no external resources" bash -c '! grep -Eiq "(src|href)=\"(https?:)?//|<link |<script src" report.html'
check "the plots are inline SVG" test "$(grep -c '<svg' report.html)" -ge 4

render report.html dom.html || fail "the browser rendered the page"
check "the page's script ran" grep -q "tables rendered by the page script" dom.html
check "verification: $A and $B equal on 2 sequences" grep -q "class=\"good\">EQUAL: $A and $B on 2 sequences" dom.html
# the cores table shows compile.json's figures, core by core
for k in 0 1 2; do
    id=$(sed 's/.*"cores": \[//' QUAD/compile.json | sed 's/}, {/\n/g' | sed -n "$((k + 1))p" |
        sed 's/.*"id": \([0-9]*\).*/\1/')
    n=$(sed 's/.*"cores": \[//' QUAD/compile.json | sed 's/}, {/\n/g' | sed -n "$((k + 1))p" |
        sed 's/.*"neurons": \[\([0-9]*\), \([0-9]*\)\].*/\1 \/ \2/')
    check "core $id: neurons $n as compile.json says" grep -q "<td class=\"l\">core $id</td><td>$n</td>" dom.html
done
w=$(sed 's/.*"quantisation": {"weights": \([0-9]*\).*/\1/' QUAD/compile.json)
check "quantisation: $w weights" grep -q "<td class=\"l\">weights</td><td>$w</td>" dom.html
# the energy table: one row per technology table of lsnn energy, in nJ
"$LSNN" energy QUAD --samples 2 --json --quiet >energy.json || fail "lsnn energy --json"
tables=$(python3 -c 'import json, sys; print(" ".join(t["table"] for t in json.load(open(sys.argv[1]))["tables"]))' energy.json)
for t in $tables; do
    check "energy: a row for $t" grep -Eq "<td class=\"l\">$t</td><td>[^<]*</td><td>[0-9.e+]+ nJ</td>" dom.html
done
check "the mesh is drawn (3 cores)" grep -q 'id="fig-mesh"' dom.html
timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --window-size=1280,2400 \
    --screenshot="$PWD/report.png" "file://$PWD/report.html" >/dev/null 2>&1
check "a screenshot of the page (artifact: $PWD/report.png)" test -s report.png

# an image compiled before compile.json existed: the page says so; no engine to verify with
rm QUAD/compile.json
"$LSNN" report QUAD -o old.html --verify 1 --engines ref,nosuch --samples 1 --quiet || fail "report without compile.json"
render old.html old_dom.html || fail "render old.html"
check "no compile.json: the page says to recompile" grep -q "No compile.json in the image folder" old_dom.html
check "an unknown engine: not verified, with the reason" grep -q 'class="bad">Not verified: .*nosuch' old_dom.html
if "$LSNN" report RUN -o bad.html >err.txt 2>&1; then fail "a run folder is not an image"; else
    check "a run folder is refused" grep -q "RUN is a run folder (written by lsnn train), not an image folder" err.txt
fi
check "no page for a refused folder" test ! -e bad.html
report
