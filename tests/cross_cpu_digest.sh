#!/bin/sh
# cross_cpu_digest.sh - float training gives one result on every x86-64 CPU: train_digest
# built for the x86-64 baseline and for this CPU (-march=native) must print the same
# digests. The x86-64 one runs with glibc's FMA and AVX2 code paths off, as on an older CPU,
# so that a libm call back in training would show too; and the runtime must not call libm's
# transcendental functions at all (runtime/include/lsnn/pmath.h has the ones training needs).
# The x86-64 program runs twice: with its baseline engine code (LSNN_ENGINE_ISA=baseline) and
# as it runs by default, which on an AVX-512 CPU is the engine's x86-64-v4 flavour
# (runtime/train/engine/isa_avx512.c); all three digests must agree. The baseline run also uses the
# LSTM's SSE2 kernels, the native one the widest this CPU has.
# usage: sh cross_cpu_digest.sh X86_64_PROGRAM NATIVE_PROGRAM MODELS_DIR TMPDIR [LIB NM]
set -eu
rm -rf "$4"
base=$(LSNN_ENGINE_ISA=baseline LSNN_LSTM_KERNELS=sse2 GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA "$1" "$3" "$4/x86-64")
here=$("$2" "$3" "$4/native")
auto=$(LSNN_ENGINE_ISA=auto "$1" "$3" "$4/x86-64-auto")
printf 'x86-64:\n%s\nnative:\n%s\nx86-64, engine flavour chosen at run time:\n%s\n' "$base" "$here" "$auto"
if [ "$base" != "$here" ] || [ "$base" != "$auto" ]; then
    echo "FAILED: the digests differ" >&2
    exit 1
fi
if [ $# -ge 6 ]; then
    fns='exp|exp2|exp10|expm1|log|log2|log10|log1p|pow|sin|cos|sincos|tan|asin|acos|atan|atan2'
    fns="$fns|sinh|cosh|tanh|erf|erfc|cbrt"
    calls=$("$6" -u "$5" | awk '{print $NF}' | sed 's/@.*//' | grep -xE "($fns)[fl]?" |
        sort -u | tr '\n' ' ')
    if [ -n "$calls" ]; then
        echo "FAILED: $5 calls libm's $calls(use runtime/include/lsnn/pmath.h)" >&2
        exit 1
    fi
fi
echo "1 passed, 0 failed"
