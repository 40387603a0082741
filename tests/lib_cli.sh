# lib_cli.sh - shared set-up of the shell tests (sourced): arguments, scratch dir, counters.
# The sourcing script is run as: bash cli_x.sh LSNN_BINARY SOURCE_DIR TMPDIR
# shellcheck shell=bash
set -u
abspath() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
LSNN=$(abspath "$1")
SRC=$(abspath "$2")
TMP=$(abspath "$3")
rm -rf "$TMP"
mkdir -p "$TMP"
cd "$TMP" || exit 1

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

# Prints the closing line and returns the test's status.
report() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
