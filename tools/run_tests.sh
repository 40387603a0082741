#!/usr/bin/env bash
# run_tests.sh - the README's second command: set up, build and run the whole test suite.
#
#   1. tools/setup.sh --asan: missing Debian packages, build/ (Release) and build-asan/
#      (ASan + UBSan).
#   2. ctest in build/: every test except those labelled "slow" (ctest -LE slow).
#   3. ctest in build-asan/: the same, with leak detection on and UBSan stopping at the first
#      error.
# The slow checks (minutes each: whole test sets through the RTL, long stress runs) run with
# `cd build && ctest -L slow` (README, "Tests").
#
# Exits non-zero if the set-up or any test fails. The last line is always
# "N passed, M failed", counted over both ctest runs (a run that could not start counts as
# one failure).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${LSNN_JOBS:-2}"

passed=0
failed=0
status=0

summary() {
    echo "$passed passed, $failed failed"
}

if ! bash tools/setup.sh --asan; then
    echo "run_tests: set-up or build failed; no tests were run" >&2
    failed=$((failed + 1))
    summary
    exit 1
fi

# run_ctest LABEL BUILD_DIR [ctest args...]: runs ctest, shows its output, adds its counts.
run_ctest() {
    local label="$1" dir="$2"
    shift 2
    local log="$ROOT/$dir/ctest-run.log" rc=0
    echo "run_tests: $label: ctest --output-on-failure -j$JOBS${*:+ $*} (in $dir/)"
    (cd "$ROOT/$dir" && ctest --output-on-failure -j"$JOBS" "$@") </dev/null 2>&1 |
        tee "$log" || rc=$?
    # ctest's summary: "100% tests passed, 0 tests failed out of 9"
    local line total nfail
    line="$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)"
    if [[ -n "$line" ]]; then
        total="$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")"
        nfail="$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")"
        passed=$((passed + total - nfail))
        failed=$((failed + nfail))
        if ((rc != 0 && nfail == 0)); then
            echo "run_tests: $label: ctest exited with $rc" >&2
            failed=$((failed + 1))
        fi
    elif grep -q 'No tests were found' "$log"; then
        echo "run_tests: $label: no tests found" >&2
        failed=$((failed + 1))
        rc=1
    else
        echo "run_tests: $label: ctest did not report a summary (exit $rc)" >&2
        failed=$((failed + 1))
        ((rc != 0)) || rc=1
    fi
    ((rc == 0)) || status=1
}

run_ctest "release" build -LE slow

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
run_ctest "asan+ubsan" build-asan -LE slow

summary
exit "$status"
