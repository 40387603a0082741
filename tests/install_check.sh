#!/usr/bin/env bash
# install_check.sh - `cmake --install` into a temporary prefix, then a program outside the tree
# (tests/install/consumer.c) built with `pkg-config --cflags --libs lsnn` and run on an
# installed model spec; and the installed lsnn answers --help.
#
# usage: bash install_check.sh BUILD_DIR SOURCE_DIR TMPDIR CC [EXTRA_CFLAGS...]
set -euo pipefail
build="$1" src="$2" tmp="$3" cc="$4"
shift 4
prefix="$tmp/prefix"
rm -rf "$tmp"
mkdir -p "$tmp"
fail() {
    echo "install_check: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    fail "cmake --install failed: $(tail -n 5 "$tmp/install.log")"
pc_dir="$(dirname "$(find "$prefix" -name lsnn.pc | head -n 1)")"
[[ -f "$pc_dir/lsnn.pc" ]] || fail "no lsnn.pc under $prefix"
for h in spec.h model.h engine.h compiler.h ref_core.h image.h nir.h; do
    [[ -f "$prefix/include/lsnn/$h" ]] || fail "no include/lsnn/$h installed"
done
for h in yamltree.h json.h engine_internal.h cc_internal.h nir_graph.h; do # private: must stay private
    [[ ! -e "$prefix/include/lsnn/$h" ]] || fail "private header $h was installed"
done
model="$prefix/share/lsnn/models/store_recall.yaml"
[[ -f "$model" ]] || fail "models/ not installed ($model)"

export PKG_CONFIG_PATH="$pc_dir"
flags="$(pkg-config --cflags --libs lsnn)" || fail "pkg-config lsnn failed"
# shellcheck disable=SC2086 # the flags are words
"$cc" -std=c11 -Wall -Wextra -Werror "$@" "$src/tests/install/consumer.c" -o "$tmp/consumer" \
    $flags >"$tmp/cc.log" 2>&1 || fail "consumer did not build: $(head -n 20 "$tmp/cc.log")"
out="$("$tmp/consumer" "$model")" || fail "consumer failed: $out"
echo "$out"
grep -q "store_recall.yaml: 2420 parameters, 20 neurons on 1 core" <<<"$out" ||
    fail "unexpected consumer output"
"$prefix/bin/lsnn" --help >/dev/null || fail "installed lsnn --help failed"
echo "install_check: installed to $prefix; consumer built with pkg-config ($flags)"
echo "1 passed, 0 failed"
