# cli_hostile.sh - the mistakes and hostile inputs of issue 13, and more: each gets its exit code
# and a message that says what is wrong, where, and what to do; nothing is changed behind the
# user's back. Writes the table of cases, exits and messages to TMPDIR/hostile.md (the issue's
# note quotes it).
# usage: bash cli_hostile.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck disable=SC2015 # "[ test ] && ok ... || fail ...": ok and fail always succeed
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"

TABLE=$TMP/hostile.md
printf '| # | case | exit | message (first line) |\n|---|---|---|---|\n' >"$TABLE"
n=0

# hostile DESCRIPTION WANT_EXIT REGEX -- ARGS...: runs lsnn ARGS, wants the exit code and a line
# of its output matching REGEX (grep -E); adds a row to the table
hostile() {
    local what=$1 want=$2 re=$3
    shift 4
    "$LSNN" "$@" >out.txt 2>&1
    record "$what" "$want" "$re" $?
}

# record DESCRIPTION WANT_EXIT REGEX RC: checks out.txt and RC, adds the row
record() {
    local what=$1 want=$2 re=$3 rc=$4 msg
    n=$((n + 1))
    msg=$(grep -E -m1 -- "$re" out.txt || head -1 out.txt)
    msg=${msg//|/\\|}
    printf '| %d | %s | %d | `%s` |\n' "$n" "$what" "$rc" "${msg:0:240}" >>"$TABLE"
    if [ "$rc" -eq "$want" ] && grep -Eq -- "$re" out.txt &&
        ! grep -q 'Sanitizer\|runtime error' out.txt; then
        ok "$n. $what (exit $rc)"
    else
        fail "$n. $what: exit $rc (want $want), output:"
        sed 's/^/  | /' out.txt | head -6 >&2
    fi
}

tiny_spec tiny.yaml 1 4 8
train tiny.yaml -o RUN --iters 6 || {
    fail "set-up: lsnn train"
    report
    exit 1
}
"$LSNN" compile RUN -o IMG --quiet >/dev/null 2>&1 || fail "set-up: lsnn compile"

# ---- run folders ----
# another writer holds the lock: this shell takes the flock(2) lock that lsnn takes, on fd 9
printf 'pid 4242, lsnn train\n' >RUN/.lock
exec 9<>RUN/.lock
flock -n 9 || fail "set-up: flock RUN/.lock"
hostile "a second writer while a run trains (the lock is held)" 1 "RUN is being written by another process \(pid 4242, lsnn train\); wait for it to finish or stop it" -- train tiny.yaml -o RUN --force
exec 9>&-
printf 'pid 4343, lsnn compile\n' >IMG/.lock
exec 9<>IMG/.lock
flock -n 9 || fail "set-up: flock IMG/.lock"
hostile "compile into an image folder another compile writes" 1 "IMG is being written by another process \(pid 4343, lsnn compile\)" -- compile RUN -o IMG
exec 9>&-
hostile "a fresh train into a trained run folder" 1 "already holds a trained model \(weights.safetensors\); continue it with --resume, or replace it with --force" -- train tiny.yaml -o RUN
sed 's/tau_a_ms: 200/tau_a_ms: 700/' tiny.yaml >other.yaml
hostile "--resume with another MODEL.yaml" 1 "other.yaml differs from the run's RUN/model.yaml at network.populations: 'tau_a_ms: 200' against 'tau_a_ms: 700'" -- train other.yaml --resume -o RUN
hostile "--resume --seed with another seed" 1 "the seed differs from the run's RUN/model.yaml at 'seed: 1' against 'seed: 9'" -- train --resume -o RUN --seed 9
hostile "--resume --seed with the run's own seed (nothing to do)" 0 "already at iteration 6 of 6: nothing to do" -- train --resume -o RUN --seed 1
cp RUN/model.yaml model.before
hostile "--resume --iters below the checkpoint" 1 "--resume --iters 3: the run is already at iteration 6; nothing was changed" -- train --resume -o RUN --iters 3
check "  ... and model.yaml is unchanged" cmp -s model.before RUN/model.yaml
hostile "compile RUN -o RUN" 1 "-o RUN: RUN is a run folder \(written by lsnn train\), not an image folder" -- compile RUN -o RUN
check "  ... and RUN is still a run folder" grep -q '^kind: run$' RUN/lsnn-folder.yaml
hostile "train with a model file that does not exist" 1 "nope.yaml: cannot open" -- train nope.yaml -o NEWRUN
check "  ... and no folder is left behind" test ! -e NEWRUN
hostile "train -o an image folder" 1 "IMG is an image folder \(written by lsnn compile\), not a run folder" -- train tiny.yaml -o IMG --force
hostile "run on a run folder" 1 "RUN is a run folder .*make an image of it with: lsnn compile RUN -o IMAGE_DIR" -- run RUN
hostile "eval on an empty folder" 1 "EMPTY is not a run folder \(no lsnn-folder.yaml" -- eval "$(mkdir -p EMPTY && echo EMPTY)"
cp -r RUN BADKIND && printf 'kind: banana\nformat: 1\n' >BADKIND/lsnn-folder.yaml
hostile "a marker of an unknown kind" 1 "BADKIND/lsnn-folder.yaml:1: error: kind must be run or image, got 'banana'" -- eval BADKIND
printf 'kind: run\nformat: 99\n' >BADKIND/lsnn-folder.yaml
hostile "a marker of a newer folder format" 1 "folder format 99; this lsnn reads format 1" -- eval BADKIND
: >AFILE
hostile "train -o a path that is a file" 1 "AFILE exists and is not a folder" -- train tiny.yaml -o AFILE
mkdir -p FRESH && cp RUN/model.yaml FRESH/
hostile "--resume on a folder that never reached a checkpoint" 1 "FRESH/checkpoint.safetensors: no checkpoint to resume from" -- train --resume -o FRESH
hostile "train --max-memory with a bad size" 2 "--max-memory: 'lots' is not a size such as 512M or 8G" -- train tiny.yaml -o M --max-memory lots
sed -e 's/size: 4, tau_m_ms/size: 2048, tau_m_ms/g' tiny.yaml >big.yaml
hostile "a network of 2 x 2,048 neurons beyond --max-memory" 1 "needs about .* \(BPTT histories of 8 sequences x 100 steps x 4096 neurons: .*\), more than the 500 MB of --max-memory" -- train big.yaml -o BIG --max-memory 500M
check "  ... refused before it allocates: no folder left" test ! -e BIG

# a simulation the process cannot hold (address space limited; not under ASan, whose shadow
# memory needs the whole address space)
if ! ldd "$LSNN" 2>/dev/null | grep -q libasan; then
    printf 'version: 1\nname: bigsyn\nneurocore: 3\nmesh: [1, 1]\ncore: {synapse_words: 1048576}\n' >bigsyn.yaml
    "$LSNN" compile RUN -o BIGSYN --hw bigsyn.yaml --calibrate 0 >/dev/null 2>&1 || fail "set-up: compile bigsyn"
    # from the smallest limit under which lsnn starts and reads the image, up
    for kb in $(seq 200000 10000 600000); do
        (
            ulimit -v $kb
            "$LSNN" run BIGSYN --samples 1 >out.txt 2>&1
        )
        rc=$?
        [ $rc -eq 0 ] || grep -q "simulating BIGSYN needs" out.txt && break
    done
    [ $rc -eq 0 ] && echo "  (the run fitted in ${kb} KB of address space)" >&2
    record "a simulation beyond the memory the process may use" 1 "simulating BIGSYN needs up to [0-9]+ MB \(1 core of hw config 'bigsyn', [0-9]+ MB each\), more than the [0-9]+ MB this process has available" $rc
fi

# ---- weights ----
mkdir -p LIF && sed -e 's/^name: tiny/name: tiny_lif/' tiny.yaml >lif.yaml
train lif.yaml -o LIF --iters 2 || fail "set-up: the other model"
cp -r RUN MIXED && cp LIF/weights.safetensors MIXED/weights.safetensors
hostile "weights of another model (same shapes) in a run folder" 1 "holds weights of model 'tiny_lif', the spec is of model 'tiny': they do not belong together" -- eval MIXED
cp -r RUN ARCH && sed -i 's/tau_a_ms: 200/tau_a_ms: 300/' ARCH/model.yaml
hostile "a run's network section edited after training" 1 "trained for another network of 'tiny' \(architecture hash [0-9a-f]{16}; the spec's network section gives [0-9a-f]{16}\)" -- eval ARCH
cp -r RUN TRUNC && head -c 300 RUN/weights.safetensors >TRUNC/weights.safetensors
hostile "truncated weights" 1 "TRUNC/weights.safetensors: " -- eval TRUNC
cp -r RUN CKPT && printf 'garbage' | dd of=CKPT/checkpoint.safetensors bs=1 seek=100 conv=notrunc 2>/dev/null
hostile "a corrupt checkpoint on --resume" 1 "CKPT/checkpoint.safetensors: " -- train --resume -o CKPT --iters 8

# ---- images: every byte that changes results is checked ----
edit_image() { # edit_image NAME FILE SED: a copy of IMG with FILE edited
    rm -rf "$1" && cp -r IMG "$1" && sed -i -e "$3" "$1/$2"
    cmp -s "IMG/$2" "$1/$2" && fail "set-up: the edit '$3' changed nothing in $2"
}
edit_image EB manifest.yaml 's/    bias: \[[-0-9]*/    bias: [12345/'
hostile "the readout bias edited in manifest.yaml" 1 "EB/manifest.yaml: the host: section is not the one image.bin was built with" -- run EB
edit_image EA manifest.yaml 's/axon_base: 0/axon_base: 1/'
hostile "an axon_base edited in manifest.yaml" 1 "the host: section is not the one image.bin was built with" -- run EA
edit_image EE manifest.yaml 's/    e_r: [0-9]*/    e_r: 7/'
hostile "e_r edited in manifest.yaml" 1 "the host: section is not the one image.bin was built with" -- run EE
edit_image EBY manifest.yaml 's/bytes: \([0-9]*\)/bytes: 1\1/'
hostile "binary.bytes edited in manifest.yaml" 1 "EBY/manifest.yaml:[0-9]+: 'binary: \{file: image.bin, bytes: 1[0-9]+.*' is not what image.bin says" -- run EBY
edit_image EC manifest.yaml 's/clock_mhz: 100/clock_mhz: 200/'
hostile "clock_mhz edited in manifest.yaml" 1 "EC/manifest.yaml:[0-9]+: '  clock_mhz: 200' is not what image.bin says \('  clock_mhz: 100'\)" -- energy EC
edit_image EW manifest.yaml 's/weight_bits: 8/weight_bits: 6/'
hostile "weight_bits edited in manifest.yaml" 1 "'    weight_bits: 6' is not what image.bin says" -- run EW
edit_image EN manifest.yaml 's/neurons: {used: \([0-9]*\)/neurons: {used: 9\1/'
hostile "a usage figure edited in manifest.yaml" 1 "is not what image.bin says" -- run EN
edit_image ECOM manifest.yaml '1s/^# LSNN/# My/'
hostile "a comment edited in manifest.yaml" 1 "ECOM/manifest.yaml:1: '# My hardware image" -- run ECOM
rm -rf OTHER && train tiny.yaml -o RUN2 --iters 3 && "$LSNN" compile RUN2 -o OTHER --quiet >/dev/null 2>&1
rm -rf EM && cp -r IMG EM && cp OTHER/manifest.yaml EM/
hostile "a manifest copied from another image" 1 "binary.crc32 0x[0-9a-f]{8} is not the CRC-32 of the image's image.bin .*belongs to another image" -- run EM
edit_image ES model.yaml 's/^seed: 1/seed: 2/'
hostile "the image's model.yaml edited" 1 "ES/model.yaml is not the model spec the image was compiled from .*only task.data_dir may change" -- run ES
rm -rf EB1 && cp -r IMG EB1 && printf '\x01' | dd of=EB1/image.bin bs=1 seek=1000 conv=notrunc 2>/dev/null
hostile "one byte of image.bin changed" 1 "EB1/image.bin: .*CRC-32" -- run EB1
rm -rf ET && cp -r IMG ET && head -c 1000 IMG/image.bin >ET/image.bin
hostile "image.bin truncated" 1 "ET/image.bin: truncated" -- run ET
if "$LSNN" verify --help | grep -q -- --readmemh; then
    edit_image EH core000_syn.hex '1s/^./f/'
    hostile "a \$readmemh file edited (verify --readmemh)" 1 "EH/core000_syn.hex:1: '.*' is not what image.bin holds" -- verify EH --readmemh --samples 1
    LSNN_RTL_MUTANT=bogus "$LSNN" verify IMG --samples 1 >out.txt 2>&1
    record "an unknown LSNN_RTL_MUTANT" 1 "LSNN_RTL_MUTANT='bogus' is not a mutant" $?
fi

# ---- interruption and progress ----
sed -e 's/iterations: 4/iterations: 100000/' tiny.yaml >long.yaml
# stop_when_training LOG PID SIGNAL: sends SIGNAL once LOG shows an iteration line
stop_when_training() {
    until grep -q "^lsnn train: it" "$1" 2>/dev/null || ! kill -0 "$2" 2>/dev/null; do sleep 0.05; done
    kill -s "$3" "$2"
    wait "$2"
}
LSNN_PROGRESS_INTERVAL=0.3 "$LSNN" train long.yaml -o LONG >out.txt 2>&1 &
stop_when_training out.txt $! INT
record "Ctrl-C (SIGINT) during training" 130 "^lsnn train: SIGINT received: stopped after iteration [0-9]+ of 100000; checkpoint written to LONG/checkpoint.safetensors; continue with: lsnn train --resume -o LONG" $?
LSNN_PROGRESS_INTERVAL=0.3 "$LSNN" train --resume -o LONG >first.log 2>&1 &
first=$!
until grep -q "^lsnn train: it" first.log 2>/dev/null || ! kill -0 $first 2>/dev/null; do sleep 0.05; done
"$LSNN" train tiny.yaml -o LONG --force >out.txt 2>&1
record "two lsnn train into one folder at once (a real second run)" 1 "LONG is being written by another process \(pid $first, lsnn train --resume\)" $?
stop_when_training first.log $first TERM
rc=$?
cp first.log out.txt
record "--resume after it, then SIGTERM" 143 "^lsnn train: resuming LONG from iteration [0-9]+ of 100000" $rc
check "  ... SIGTERM's message" grep -q "^lsnn train: SIGTERM received: stopped after iteration" out.txt
LSNN_PROGRESS_INTERVAL=0 "$LSNN" train tiny.yaml -o LOGGED --iters 3 >out.txt 2>&1
record "a redirected train log" 0 "^lsnn train: it 3/3  loss" $?
"$LSNN" train tiny.yaml -o LE --iters 6 --log-every 4 >out.txt 2>&1
record "--log-every 4 (no extra lines at evaluations)" 0 "^it 4 loss" $?
check "  ... exactly one log line" [ "$(grep -c '^it ' out.txt)" = 1 ]

# ---- small inconsistencies ----
sed -e 's/^name: tiny/name: fm/' "$SRC/models/smnist.yaml" >fm.yaml 2>/dev/null &&
    sed -i 's/dataset: mnist/dataset: fashion/' fm.yaml
hostile "dataset: fashion in a spec (the old spelling), data not there" 1 "data/mnist/train-images-idx3-ubyte \(or .gz\) not found \(task.data_dir 'data/mnist' is relative: it is resolved against the current directory, /.*\); to install Fashion-MNIST" -- train fm.yaml -o FM --iters 1
hostile "lsnn --version" 0 "^lsnn [0-9.]+ \(git [0-9a-f]+.*\), neurocore contract version [0-9]+" -- --version
hostile "an unknown option" 2 "unknown option '--frobnicate'" -- train tiny.yaml -o X --frobnicate
printf 'version: 1\nname: x\nbogus: 3\n' >unk.yaml
hostile "a spec with an unknown key" 1 "unk.yaml:3:1: error: " -- train unk.yaml -o UNK
check "  ... and no folder is left behind" test ! -e UNK

report_table() {
    echo "hostile-input table ($n cases): $TABLE"
    cat "$TABLE"
}
report_table
report
