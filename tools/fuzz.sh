#!/usr/bin/env bash
# fuzz.sh - run the libFuzzer targets (tests/fuzz_*.c) for a fixed time each; docs/fuzzing.md.
#
#   tools/fuzz.sh [TARGET|all] [SECONDS]        (defaults: all, 60)
#
# TARGET is a name such as spec or fuzz_spec (tools/fuzz.sh list prints them). The script
#   1. configures build-fuzz/ with clang, -DLSNN_LIBFUZZER=ON and -DLSNN_SANITIZE=ON (ASan and
#      UBSan, which stops at the first error; the runtime is built with libFuzzer's coverage;
#      -Wno-unknown-warning-option because clang 14 lacks gcc's -Wno-format-truncation)
#      and builds the targets (LSNN_JOBS parallel jobs, default 1);
#   2. runs each target, one after the other, for SECONDS (-max_total_time, -jobs=1,
#      -rss_limit_mb=2048, -timeout=20) over a copy of its corpus tests/fuzz_corpus/NAME in
#      build-fuzz/fuzz/NAME/ (fuzz_hostmap writes its seeds there itself);
#   3. merges the inputs that reach new coverage back into tests/fuzz_corpus/NAME (-merge=1):
#      the named seeds there stay, the fuzzer's finds (files named by their SHA-1) are chosen
#      again from the earlier finds and this run's corpus, those that add the most coverage
#      first, while the corpus stays within 50 files and 200 KB (LSNN_FUZZ_NO_MERGE=1 skips
#      this step);
#   4. prints one line per target: runs, CPU seconds, corpus files before and after, crashes.
# Crashes, leaks, timeouts and out-of-memory inputs are left in build-fuzz/fuzz/NAME/ (crash-*,
# leak-*, timeout-*, oom-*) with the fuzzer's log, fuzz-0.log. Reproduce one with
# build-fuzz/tests/fuzz_NAME FILE. Exits 1 if any target crashed, 2 on a usage or build error.
# Run it under `nice -n 19` on a shared machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build-fuzz"
JOBS="${LSNN_JOBS:-1}"
MAX_FILES=50
MAX_BYTES=$((200 * 1024))

usage() {
    echo "usage: tools/fuzz.sh [TARGET|all|list] [SECONDS]" >&2
    exit 2
}

targets() {
    local f
    for f in "$ROOT"/tests/fuzz_*.c; do
        f="$(basename "$f" .c)"
        [ "$f" = fuzz_replay ] || echo "${f#fuzz_}"
    done
}

# The in-tree corpus of a target, or nothing (fuzz_hostmap writes its seeds at run time).
corpus_of() {
    case "$1" in
    image_load) echo "$ROOT/tests/fuzz_corpus/image" ;;
    hostmap) ;;
    *) echo "$ROOT/tests/fuzz_corpus/$1" ;;
    esac
}

count_files() { find "$1" -maxdepth 1 -type f | wc -l; }
count_bytes() { find "$1" -maxdepth 1 -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# Merges the inputs of $2/corpus that reach coverage into the in-tree corpus $3. The named
# seeds there stay; the fuzzer's finds (files named by their SHA-1) are chosen again from the
# earlier finds and this run's corpus: libFuzzer's -merge=1 over the seeds goes through the
# candidates smallest first and records the features each adds, and the ones that add the most
# are kept while the corpus stays within MAX_FILES and MAX_BYTES. Prints the summary.
merge_back() {
    local exe="$1" work="$2" tree="$3" m="$2/merge" hex='.*/[0-9a-f]{40}'
    local files bytes old kept=0 found size path sum
    rm -rf "$m" "$work/old"
    mkdir -p "$m" "$work/old"
    old="$(find "$tree" -maxdepth 1 -type f -regextype egrep -regex "$hex" | wc -l)"
    find "$tree" -maxdepth 1 -type f -regextype egrep -regex "$hex" -exec cp {} "$work/old/" \;
    find "$tree" -maxdepth 1 -type f -regextype egrep ! -regex "$hex" -exec cp {} "$m/" \;
    (cd "$work" && TMPDIR="$work/tmp" "$exe" -merge=1 -merge_control_file="$work/merge.cf" \
        -rss_limit_mb=2048 -timeout=20 "$m" "$work/old" "$work/corpus" >merge.log 2>&1) || true
    # "features added, size, path" of every candidate that adds any, most features first
    awk 'NR == 1 {n = $1; next} NR == 2 {first = $1; next} NR <= n + 2 {path[NR - 3] = $0; next}
         $1 == "STARTED" {size[$2] = $3} $1 == "FT" {ft[$2] = NF - 2}
         END {for (i = first; i < n; i++) if (ft[i] > 0) print ft[i], size[i], path[i]}' \
        "$work/merge.cf" 2>/dev/null | sort -k1,1nr -k2,2n >"$work/merge.ranked" || true
    found="$(wc -l <"$work/merge.ranked")"
    if [ "$found" -eq 0 ] && [ "$old" -gt 0 ]; then
        echo "corpus unchanged (the merge found nothing, see $work/merge.log)"
        return
    fi
    find "$tree" -maxdepth 1 -type f -regextype egrep -regex "$hex" -delete
    files="$(count_files "$tree")"
    bytes="$(count_bytes "$tree")"
    while read -r _ size path; do
        sum="$(sha1sum "$path" | cut -c1-40)"
        [ ! -e "$tree/$sum" ] || continue
        [ "$files" -lt "$MAX_FILES" ] || break
        [ $((bytes + size)) -le "$MAX_BYTES" ] || continue
        cp "$path" "$tree/$sum"
        files=$((files + 1))
        bytes=$((bytes + size))
        kept=$((kept + 1))
    done <"$work/merge.ranked"
    echo "corpus $((files - kept + old)) -> $files files in tests/fuzz_corpus/$(basename "$tree")" \
        "($kept of $found inputs with new coverage kept, $((bytes / 1024)) KB)"
}

what="${1:-all}"
seconds="${2:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then usage; fi
if [ "$what" = list ]; then
    targets
    exit 0
fi
if [ "$what" = all ]; then
    mapfile -t run < <(targets)
else
    name="${what#fuzz_}"
    targets | grep -x "$name" >/dev/null || { echo "fuzz.sh: no target '$what'" >&2 && usage; }
    run=("$name")
fi

# clang and its libFuzzer runtime (libclang-rt-14-dev), installed like the other set-up scripts
if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "fuzz.sh: apt-get install clang libclang-rt-14-dev" >&2
        { apt-get -o DPkg::Lock::Timeout=900 update && apt-get -o DPkg::Lock::Timeout=900 install -y \
            clang libclang-rt-14-dev; } >/dev/null || { echo "fuzz.sh: cannot install clang" >&2 && exit 2; }
    else
        echo "fuzz.sh: needs clang and libclang-rt-14-dev (libFuzzer); run as root to install them" >&2
        exit 2
    fi
fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    mkdir -p "$BUILD"
    CC=clang cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DLSNN_LIBFUZZER=ON -DLSNN_SANITIZE=ON -DLSNN_RTL_CHIPS=OFF \
        -DCMAKE_C_FLAGS=-Wno-unknown-warning-option >"$BUILD/configure.log" 2>&1 ||
        { echo "fuzz.sh: configure failed, see $BUILD/configure.log" >&2 && exit 2; }
fi
cmake --build "$BUILD" -j "$JOBS" --target "${run[@]/#/fuzz_}" >"$BUILD/fuzz-build.log" 2>&1 ||
    { tail -30 "$BUILD/fuzz-build.log" >&2 && echo "fuzz.sh: build failed" >&2 && exit 2; }

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
status=0
summary=()
for name in "${run[@]}"; do
    exe="$BUILD/tests/fuzz_$name"
    work="$BUILD/fuzz/$name"
    rm -rf "$work"
    mkdir -p "$work/corpus"
    tree="$(corpus_of "$name")"
    if [ -n "$tree" ]; then
        cp "$tree"/* "$work/corpus/"
    else
        (cd "$work" && LSNN_FUZZ_SEEDS="$work/corpus" "$exe" -runs=0 "$work/corpus" >seeds.log 2>&1)
    fi
    before="$(count_files "$work/corpus")"
    # the fuzzer's own time; TMPDIR for the targets that write their input to a file
    mkdir -p "$work/tmp"
    start_cpu="$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)"
    (cd "$work" && TMPDIR="$work/tmp" "$exe" -max_total_time="$seconds" -jobs=1 \
        -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 -artifact_prefix="$work/" \
        "$work/corpus" >run.log 2>&1) || true
    end_cpu="$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)"
    cpu=$(((end_cpu - start_cpu) / $(getconf CLK_TCK)))
    log="$work/fuzz-0.log"
    [ -f "$log" ] || log="$work/run.log"
    runs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)"
    [ -n "$runs" ] || runs="$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')"
    mapfile -t crashes < <(find "$work" -maxdepth 1 -type f \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    after="$(count_files "$work/corpus")"
    if [ -n "$tree" ] && [ "${LSNN_FUZZ_NO_MERGE:-0}" != 1 ]; then
        corpus="$(merge_back "$exe" "$work" "$tree")"
    else
        corpus="corpus $before -> $after files (not merged)"
    fi
    line="fuzz_$name: ${runs:-0} runs, ${cpu} s CPU, $corpus, ${#crashes[@]} crashes"
    [ ${#crashes[@]} -eq 0 ] || { line="$line: ${crashes[*]}" && status=1; }
    echo "$line"
    summary+=("$line")
done
if [ ${#run[@]} -gt 1 ]; then
    echo "--"
    printf '%s\n' "${summary[@]}"
fi
exit $status
