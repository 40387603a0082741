# cli_usage.sh - the lsnn command line: help texts, exit codes and messages for bad input, eval --json.
# usage: bash cli_usage.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# Exit codes: 0 success, 1 failure at run time (files, data), 2 usage error.
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

# expect WANT_RC DESCRIPTION -- ARGS...: runs lsnn ARGS; stdout in out.txt, stderr in err.txt
expect() {
    local want=$1 what=$2
    shift 3
    "$LSNN" "$@" >out.txt 2>err.txt
    local rc=$?
    if [ $rc -eq "$want" ]; then
        ok "$what (exit $rc)"
        return 0
    fi
    fail "$what: lsnn $* exited $rc, want $want"
    sed 's/^/  stderr: /' err.txt | head -5 >&2
    return 1
}

# has FILE PATTERN DESCRIPTION: FILE matches the extended regex PATTERN
has() {
    if grep -Eq -- "$2" "$1"; then
        ok "$3"
    else
        fail "$3: no /$2/ in $1:"
        sed 's/^/  | /' "$1" | head -8 >&2
    fi
}

no_crash() { # the last command ended by itself, not by a signal or a sanitizer
    if [ "$rc_last" -lt 128 ] && ! grep -q 'Sanitizer\|runtime error' err.txt; then
        ok "$1: no crash"
    else
        fail "$1: crashed (exit $rc_last)"
    fi
}

run() { # run ARGS...: like expect without a wanted code; sets rc_last
    "$LSNN" "$@" >out.txt 2>err.txt
    rc_last=$?
}

# options OPT_FILE: the long options in the option table of a command's source
options_in() { grep -oE 'CLI_[A-Z]+\("-[^"]*"' "$1" | sed 's/.*"\(.*\)"/\1/' | sort -u; }

cat >tiny.yaml <<'EOF'
version: 1
name: tiny
seed: 3
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 4, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 4, tau_m_ms: 20, b0: 0.01, refractory: 2, tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, seq_delay: 1, test_size: 40}
training:
  batch_size: 16
  iterations: 2
EOF

# ---- help ----
expect 0 "lsnn --help" -- --help
has out.txt '^usage: lsnn' "lsnn --help prints the usage on stdout"
has out.txt '^ +train ' "lsnn --help lists train"
has out.txt '^ +eval ' "lsnn --help lists eval"
expect 0 "lsnn -h" -- -h
expect 0 "lsnn help" -- help
expect 2 "lsnn without arguments" --
has err.txt '^usage: lsnn' "lsnn without arguments prints the usage on stderr"

for cmd in train eval; do
    expect 0 "lsnn $cmd --help" -- $cmd --help
    has out.txt "^usage: lsnn $cmd" "lsnn $cmd --help prints its usage"
    cp out.txt help_$cmd.txt
    expect 0 "lsnn $cmd -h" -- $cmd -h
    cmp -s out.txt help_$cmd.txt && ok "lsnn $cmd -h == --help" || fail "lsnn $cmd -h differs from --help"
    src=$SRC/tools/cmd_$cmd.c
    if [ -f "$src" ]; then
        opts=$(options_in "$src")
        [ -n "$opts" ] || fail "no options found in $src"
        for o in $opts; do
            # an option is listed at the start of a help line, alone or as "-o, --out"
            has help_$cmd.txt "^ +(-[a-z], )?$o( |,|$)" "lsnn $cmd --help lists $o (accepted by cmd_$cmd.c)"
        done
    else
        fail "$src not found (SOURCE_DIR wrong?)"
    fi
done
for o in -o --out --iters --resume --threads --seed --log-every --quiet; do
    has help_train.txt "^ +(-[a-z], )?$o( |,|$)" "lsnn train --help lists $o"
done
for o in --split --samples --threads --json; do
    has help_eval.txt "^ +$o( |$)" "lsnn eval --help lists $o"
done

# --quiet everywhere (issue 13): no progress, no final line
for cmd in train eval compile run energy verify; do
    "$LSNN" $cmd --help >help.txt 2>&1
    has help.txt '^ +--quiet ' "lsnn $cmd --help lists --quiet"
done

# --version: the version, the git hash (or unknown) and the neurocore contract version
expect 0 "lsnn --version" -- --version
has out.txt '^lsnn [0-9]+\.[0-9]+\.[0-9]+ \(git [^ )]+\), neurocore contract version [0-9]+$' \
    "lsnn --version: version, git hash, contract version"
contract=$(sed -n 's/^#define LSNN_NEUROCORE *\([0-9]*\).*/\1/p' "$SRC/runtime/include/lsnn/hwconfig.h")
has out.txt "contract version $contract\$" "lsnn --version: the contract version of hwconfig.h ($contract)"
if [ -e "$SRC/.git" ] && command -v git >/dev/null; then
    # a commit of this tree (not necessarily HEAD: ctest does not rebuild after a commit)
    hash=$(sed -n 's/.*(git \([0-9a-f]*\).*/\1/p' out.txt)
    check "lsnn --version: a commit of the source tree ($hash)" \
        git -C "$SRC" cat-file -e "${hash:-none}^{commit}"
fi
cp out.txt version.txt
expect 0 "lsnn version" -- version
cmp -s out.txt version.txt && ok "lsnn version == lsnn --version" || fail "lsnn version differs from --version"
has <("$LSNN" --help) '^ +version ' "lsnn --help lists version"

# ---- usage errors: exit 2 with a message ----
expect 2 "unknown command" -- frobnicate
has err.txt "unknown command 'frobnicate'" "unknown command is named"
expect 2 "train: unknown option" -- train tiny.yaml -o R --bogus
has err.txt "unknown option '--bogus'" "train: unknown option is named"
expect 2 "eval: unknown option" -- eval R --bogus
has err.txt "unknown option '--bogus'" "eval: unknown option is named"
expect 2 "train without arguments" -- train
has err.txt '^usage: lsnn train' "train without arguments prints its usage"
expect 2 "train without -o" -- train tiny.yaml
expect 2 "train -o without a directory" -- train tiny.yaml -o
has err.txt '-o needs a directory' "train -o without a directory: message"
expect 2 "train with two spec files" -- train tiny.yaml other.yaml -o R
has err.txt "unexpected argument 'other.yaml'" "train: extra argument is named"
expect 2 "eval without a run dir" -- eval
expect 2 "eval with two run dirs" -- eval R1 R2
for bad in "--threads 0" "--threads 65" "--threads -1" "--threads 2x" "--iters abc" "--iters 0" \
    "--iters -5" "--iters 1.5" "--iters" "--seed x" "--seed -1" "--log-every 0"; do
    # shellcheck disable=SC2086
    expect 2 "train $bad rejected" -- train tiny.yaml -o R $bad
    opt=${bad%% *}
    has err.txt "^lsnn: $opt needs an integer in \[" "train $bad: message names $opt and its range"
done
for bad in "--threads 0" "--threads abc" "--samples 0" "--samples x" "--split train" "--split"; do
    # shellcheck disable=SC2086
    expect 2 "eval $bad rejected" -- eval R $bad
done
[ ! -e R ] && ok "no run directory was created by rejected commands" ||
    fail "a rejected command created the run directory R"

# ---- run-time errors: exit 1 with a message naming the file ----
expect 1 "train on a missing spec" -- train missing.yaml -o R
has err.txt '^lsnn train: missing\.yaml: ' "train on a missing spec: message names the file"
printf 'version: 1\nname: [unclosed\n' >syntax.yaml
expect 1 "train on malformed YAML" -- train syntax.yaml -o R
has err.txt '^lsnn train: syntax\.yaml:[0-9]+:[0-9]+: error: ' "malformed YAML: FILE:LINE:COL: error:"
sed '7s/tau_m_ms: 20/tau_m_ms: -3/' tiny.yaml >range.yaml
expect 1 "train on an out-of-range value" -- train range.yaml -o R
has err.txt '^lsnn train: range\.yaml:7:[0-9]+: error: .*tau_m_ms.*\(0, 1e6\]' \
    "out-of-range value: FILE:7:COL, the key and its range"
sed 's/^  iterations: 2$/  iterations: 2\n  iterashuns: 3/' tiny.yaml >unknown.yaml
expect 1 "train on an unknown key" -- train unknown.yaml -o R
has err.txt "^lsnn train: unknown\.yaml:15:3: error: unknown key 'iterashuns'" "unknown key: FILE:15:3"
expect 1 "train --resume without a checkpoint" -- train --resume -o EMPTY
has err.txt 'no checkpoint to resume from' "train --resume without a checkpoint: message"

expect 1 "eval on a missing run dir" -- eval no_such_run
has err.txt '^lsnn eval: no_such_run: No such file or directory' "eval on a missing run dir: message names the folder"

# ---- a trained run: eval, --json, damaged weights ----
if expect 0 "train tiny.yaml 2 iterations" -- train tiny.yaml -o RUN --quiet; then
    expect 0 "eval RUN" -- eval RUN
    has out.txt '^recall error: [0-9.]+ %' "eval prints the recall error"
    has out.txt '^firing rates: lif [0-9.]+ Hz, alif [0-9.]+ Hz' "eval prints the population rates"
    expect 0 "eval RUN --json" -- eval RUN --json
    [ "$(wc -l <out.txt)" -eq 1 ] && ok "--json prints one line" || fail "--json prints $(wc -l <out.txt) lines"
    for key in error accuracy rates_hz loss mean_rate_hz; do
        has out.txt "\"$key\": " "--json has \"$key\""
    done
    has out.txt '"rates_hz": \{"lif": [0-9.]+, "alif": [0-9.]+\}' "--json rates_hz has each population"
    if command -v python3 >/dev/null; then
        if python3 -c 'import json,sys
d = json.load(sys.stdin)
assert abs(d["error"] + d["accuracy"] - 1) < 1e-5, d
assert set(d["rates_hz"]) == {"lif", "alif"}, d' <out.txt; then
            ok "--json is valid JSON with error + accuracy = 1"
        else
            fail "--json is not valid JSON: $(cat out.txt)"
        fi
    fi
    expect 0 "eval --samples 8 --threads 1 --split test" -- eval RUN --samples 8 --threads 1 --split test --json
    has out.txt '"sequences": 8,' "--samples 8 evaluates 8 sequences"

    # a run directory whose name needs JSON escaping
    odd='odd "dir" \ x'
    mkdir -p "$odd" && cp -r RUN "$odd/run"
    expect 0 "eval --json on a directory with quotes and a backslash" -- eval "$odd/run" --json
    if command -v python3 >/dev/null; then
        if python3 -c 'import json,sys; d = json.load(sys.stdin); assert d["run"] == sys.argv[1], d' \
            "$odd/run" <out.txt; then
            ok "--json escapes the run path"
        else
            fail "--json with an odd path is not valid JSON: $(cat out.txt)"
        fi
    else
        has out.txt '"run": "odd \\"dir\\" \\\\ x/run"' "--json escapes the run path"
    fi

    size=$(wc -c <RUN/weights.safetensors)
    for cut in $((size / 2)) $((size - 1)) 4 0; do
        rm -rf BAD && cp -r RUN BAD
        head -c $cut RUN/weights.safetensors >BAD/weights.safetensors
        run eval BAD
        [ $rc_last -eq 1 ] && ok "eval on weights cut to $cut of $size bytes: exit 1" ||
            fail "eval on weights cut to $cut bytes: exit $rc_last, want 1"
        has err.txt '^lsnn eval: BAD/weights\.safetensors: ' "weights cut to $cut bytes: message names the file"
        no_crash "weights cut to $cut bytes"
    done
    rm -rf BAD && cp -r RUN BAD && rm BAD/weights.safetensors
    expect 1 "eval without weights.safetensors" -- eval BAD
    has err.txt 'BAD/weights\.safetensors' "missing weights: message names the file"
    # weights of another model size
    rm -rf BAD && cp -r RUN BAD
    sed -i '0,/size: 4/s//size: 5/' BAD/model.yaml
    run eval BAD
    [ $rc_last -eq 1 ] && ok "eval with weights of another shape: exit 1" ||
        fail "eval with weights of another shape: exit $rc_last ($(cat err.txt))"
    has err.txt "tensor 'w_in': expected F32 \[20, 9\], found F32 \[20, 8\]" \
        "weights of another shape: message names tensor and shapes"
fi

report
