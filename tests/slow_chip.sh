#!/usr/bin/env bash
# slow_chip.sh - issue 10's acceptance runs of the multi-core chip (docs/neurocore.md §16), the
# reference against the verilated RTL chip in lockstep (lsnn verify: every state variable,
# counter, output word, link counter and chip cycle count, every tick):
#   1. sMNIST DEEP R and dense (models/trained/smnist_*) on the small core, 5 cores of a 4 x 2
#      mesh, the whole 2,000-image test set;
#   2. models/store_recall_big.yaml (896 neurons, larger than one default core), trained
#      briefly (40 iterations, a few minutes) and compiled onto models/hw/mesh2x3.yaml, on 100
#      test sequences.
# ctest label `slow` (`cd build && ctest -L slow -R slow_chip`, tens of minutes); sMNIST needs
# tools/fetch_mnist.sh first. Each step prints lsnn verify's verdict line and its wall time.
#
# usage: bash slow_chip.sh BUILD_DIR SOURCE_DIR TMPDIR
set -uo pipefail
build="$1" src="$2" tmp="$3"
cd "$src" || exit 2
mkdir -p "$tmp"
lsnn="$build/tools/lsnn"
passed=0 failed=0 skipped=0

verify() { # name image samples
    local t0 t1
    t0=$(date +%s)
    if "$lsnn" verify "$2" --samples "$3" --engines ref,rtl >"$tmp/$1.verify" 2>&1; then
        t1=$(date +%s)
        echo "slow_chip: $1: $(head -n 1 "$tmp/$1.verify") [$((t1 - t0)) s]"
        sed -n '2p' "$tmp/$1.verify"
        passed=$((passed + 1))
    else
        echo "slow_chip: $1: verify failed:" >&2
        tail -n 4 "$tmp/$1.verify" >&2
        failed=$((failed + 1))
    fi
}

if [[ ! -f "$build/hw/liblsnn_hw.a" ]]; then
    echo "slow_chip: skipped (no RTL in this build)"
    exit 0
fi
for name in smnist_deepr smnist_dense; do
    if [[ ! -f data/mnist/t10k-images-idx3-ubyte ]]; then
        echo "slow_chip: $name: skipped (no data/mnist: run tools/fetch_mnist.sh)"
        skipped=$((skipped + 1))
        continue
    fi
    if "$lsnn" compile "models/trained/$name" --hw models/hw/small.yaml -o "$tmp/$name.small" \
        --calibrate 0 >"$tmp/$name.compile" 2>&1; then
        verify "$name on 5 small cores" "$tmp/$name.small" 0
    else
        echo "slow_chip: $name: compile failed: $(tail -n 2 "$tmp/$name.compile")" >&2
        failed=$((failed + 1))
    fi
done
run="$tmp/store_recall_big"
if [[ -f "$run/weights.safetensors" ]] ||
    "$lsnn" train models/store_recall_big.yaml -o "$run" --quiet >"$tmp/big.train" 2>&1; then
    if "$lsnn" compile "$run" --hw models/hw/mesh2x3.yaml -o "$run.img" >"$tmp/big.compile" 2>&1; then
        verify "store_recall_big (896 neurons) on a 2 x 3 mesh of default cores" "$run.img" 100
    else
        echo "slow_chip: store_recall_big: compile failed: $(tail -n 2 "$tmp/big.compile")" >&2
        failed=$((failed + 1))
    fi
else
    echo "slow_chip: store_recall_big: training failed: $(tail -n 2 "$tmp/big.train")" >&2
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
