#!/usr/bin/env bash
# slow_trained.sh - the shipped trained models (models/trained/*), whole test sets: the
# reference runtime's digest of every neuron state after every tick equals the one recorded
# in the model's digest.txt (bench_ref --digest), and, where lsnn has the RTL, the compiled
# image runs equal on the reference and the RTL (lsnn verify --samples 0). ctest label `slow`
# (minutes: `cd build && ctest -L slow`); sMNIST models need tools/fetch_mnist.sh first.
#
# usage: bash slow_trained.sh BUILD_DIR SOURCE_DIR TMPDIR
set -uo pipefail
build="$1" src="$2" tmp="$3"
cd "$src" || exit 2
mkdir -p "$tmp"
passed=0 failed=0 skipped=0
for dir in models/trained/*/; do
    name="$(basename "$dir")"
    if grep -q '^  kind: lstm' "$dir/model.yaml"; then
        echo "slow_trained: $name: skipped (an LSTM baseline: float only, no neurocore image)"
        skipped=$((skipped + 1))
        continue
    fi
    if grep -q 'kind: smnist' "$dir/model.yaml" && [[ ! -f data/mnist/t10k-images-idx3-ubyte ]]; then
        echo "slow_trained: $name: skipped (no data/mnist: run tools/fetch_mnist.sh)"
        skipped=$((skipped + 1))
        continue
    fi
    want="$(sed -n 's/^digest \([0-9a-f]*\).*/\1/p' "$dir/digest.txt" 2>/dev/null)"
    got="$("$build/tools/bench_ref" "$dir" --samples 1000000 --digest | sed -n 's/^digest //p')"
    if [[ -n "$want" && "$got" == "$want" ]]; then
        echo "slow_trained: $name: reference digest $got over the whole test set, as recorded"
        passed=$((passed + 1))
    else
        echo "slow_trained: $name: reference digest '$got', recorded '$want' ($dir/digest.txt)" >&2
        failed=$((failed + 1))
    fi
    [[ -f "$build/hw/liblsnn_hw.a" ]] || continue
    if "$build/tools/lsnn" compile "$dir" -o "$tmp/$name" --calibrate 0 >"$tmp/$name.compile" 2>&1 &&
        "$build/tools/lsnn" verify "$tmp/$name" --samples 0 >"$tmp/$name.verify" 2>&1; then
        echo "slow_trained: $name: $(head -n 1 "$tmp/$name.verify")"
        passed=$((passed + 1))
    else
        echo "slow_trained: $name: verify failed:" >&2
        tail -n 3 "$tmp/$name.compile" "$tmp/$name.verify" >&2
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
