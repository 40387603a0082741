#!/usr/bin/env bash
# mfcc_ref.sh - the C speech front end (runtime/tasks/mfcc.c) against an independent float64
# numpy implementation of python_speech_features' mfcc + delta (tests/mfcc_ref.py), on a
# deterministic 0.4 s signal (chirp, tones, noise, a silent frame) and on its prefixes around the
# window boundaries (1 sample, a window less or more one sample, one hop more).
#
# usage: bash tests/mfcc_ref.sh MFCC_DUMP SOURCE_DIR TMP_DIR
#
# Tolerance: |C - reference| <= 1e-3 + 1e-5 |reference| for every feature of every frame.
# The C front end runs its FFT in float (fftw3f); the measured error is printed per block.
set -euo pipefail
dump="$1"
ref="/usr/bin/python3 $2/tests/mfcc_ref.py"
tmp="$3"
rm -rf "$tmp" && mkdir -p "$tmp"
ATOL=1e-3
RTOL=1e-5

fail=0
$ref signal "$tmp/signal.raw"
# name | options of both programs
while read -r name opts; do
    "$dump" "$tmp/signal.raw" "$tmp/$name.c.txt" $opts
    $ref mfcc "$tmp/signal.raw" "$tmp/$name.ref.txt" $opts
    echo "== $name ($opts)"
    $ref compare "$tmp/$name.ref.txt" "$tmp/$name.c.txt" $ATOL $RTOL || fail=1
done <<'CASES'
full
hamming --hamming
central --central
n1 --samples 1
n399 --samples 399
n400 --samples 400
n401 --samples 401
n560 --samples 560
n561 --samples 561
n1000 --samples 1000
CASES
if ((fail)); then
    echo "mfcc_ref: FAILED"
    exit 1
fi
echo "mfcc_ref: all cases within $ATOL + $RTOL |reference|"
