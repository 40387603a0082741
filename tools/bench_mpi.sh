#!/usr/bin/env bash
# bench_mpi.sh - data-parallel training speed: `lsnn train` on R ranks x T threads.
#
# Usage: tools/bench_mpi.sh [MODEL.yaml] [REPEATS] [CONFIGS...]
#   MODEL.yaml  default models/smnist.yaml (needs tools/fetch_mnist.sh's data)
#   REPEATS     default 3 (the configurations interleaved, REPEATS rounds)
#   CONFIGS     RxT: R ranks (mpirun -n R; 1 = no mpirun) of T threads; default 1x2 2x1 1x1
# Each configuration trains ITERS_A (2) and ITERS_B (6) iterations from scratch; the difference
# of the two runs, divided by ITERS_B - ITERS_A, is the time of one iteration without the
# start-up (data loading, MPI) and the final validation. Prints per round and configuration:
# wall-clock ms per iteration, CPU ms per iteration (all ranks together), sequences per second,
# and checks that every configuration wrote the weights of the first one.
# Environment: LSNN (default build/tools/lsnn), MPIRUN (default mpirun), MPI_ARGS (added to
# mpirun; default "--bind-to none --oversubscribe"), TMPDIR.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="${1:-$ROOT/models/smnist.yaml}"
REPS="${2:-3}"
shift 2 2>/dev/null || shift $#
CONFIGS=("$@")
((${#CONFIGS[@]})) || CONFIGS=(1x2 2x1 1x1)
LSNN="${LSNN:-$ROOT/build/tools/lsnn}"
MPIRUN="${MPIRUN:-mpirun}"
read -r -a MPI_ARGS <<<"${MPI_ARGS:---bind-to none --oversubscribe}"
ITERS_A=2
ITERS_B=6
# root in CI and containers; CMA (single-copy) is often not allowed in containers
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench_mpi.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
BATCH=$(sed -n 's/^ *batch_size: *\([0-9]*\).*/\1/p' "$MODEL" | head -1)

# run CONFIG ITERS: trains into $WORK/CONFIG; prints "WALL_S CPU_S"
run() {
    local r="${1%x*}" t="${1#*x}" dir="$WORK/$1" cmd
    rm -rf "$dir"
    cmd=("$LSNN" train "$MODEL" -o "$dir" --iters "$2" --threads "$t" --quiet)
    ((r > 1)) && cmd=("$MPIRUN" -n "$r" "${MPI_ARGS[@]}" "${cmd[@]}")
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "${cmd[@]}" >"$WORK/log" 2>&1 || {
        echo "bench_mpi: ${cmd[*]} failed:" >&2
        tail -5 "$WORK/log" >&2
        exit 1
    }
    awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$WORK/time"
}

echo "bench_mpi: $(basename "$MODEL") (batch $BATCH), $(nproc) cores, iterations $ITERS_A and $ITERS_B"
for rep in $(seq "$REPS"); do
    for c in "${CONFIGS[@]}"; do
        read -r wa ca < <(run "$c" $ITERS_A)
        read -r wb cb < <(run "$c" $ITERS_B)
        awk -v c="$c" -v rep="$rep" -v wa="$wa" -v wb="$wb" -v ca="$ca" -v cb="$cb" \
            -v n=$((ITERS_B - ITERS_A)) -v b="$BATCH" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
            'BEGIN { w = (wb - wa) / n; printf "round %d  %-4s  %7.0f ms/it  %7.0f CPU-ms/it  %6.0f seq/s  (load %s)\n", rep, c, 1000 * w, 1000 * (cb - ca) / n, b / w, load }'
        if [ "$c" != "${CONFIGS[0]}" ]; then
            cmp -s "$WORK/$c/weights.safetensors" "$WORK/${CONFIGS[0]}/weights.safetensors" ||
                echo "bench_mpi: $c wrote other weights than ${CONFIGS[0]}" >&2
        fi
    done
done
