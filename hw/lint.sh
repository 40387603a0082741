#!/bin/sh
# hw/lint.sh - verilator --lint-only -Wall on rtl/ for every config in hw/configs.txt (top
# neurocore), every chip in hw/chips.txt (top nc_chip, with the router mutant too) and the
# arithmetic testbench hw/arith/nc_arith_tb.v.
# Exits non-zero on the first warning (Verilator makes every -Wall warning fatal). A config
# without values (`default`) passes no -G: neurocore.v's parameters default to the contract's
# default core (rtl/gen/nc_defaults.vh).
set -e
here=$(cd "$(dirname "$0")" && pwd)
rtl="$here/../rtl"
# core_args NAME: the -G list of a core of configs.txt (nothing for a bare `default`)
core_args() {
    grep -v '^#' "$here/configs.txt" | while read -r name n x m s d p r w v u g q k fi fo nl; do
        [ "$name" = "$1" ] || continue
        [ -n "$n" ] && echo "-GN=$n -GX=$x -GM=$m -GS=$s -GD=$d -GP=$p -GR=$r -GW=$w -GV=$v" \
            "-GU=$u -GG=$g -GQ=$q -GK=$k -GFIFO_IN=$fi -GFIFO_OUT=$fo -GNL=$nl"
        echo found
    done
}
grep -v '^#' "$here/configs.txt" | while read -r name rest; do
    [ -n "$name" ] || continue
    # shellcheck disable=SC2046
    verilator --lint-only -Wall -I"$rtl/gen" --top-module neurocore "$rtl"/*.v \
        $(core_args "$name" | grep -v '^found$')
    echo "lint $name: clean"
done
# rtl/nc_arith.v's testbench top (hw/arith/, ctest test_rtl_arith), at the default core
verilator --lint-only -Wall -I"$rtl/gen" --top-module nc_arith_tb "$rtl/nc_arith.v" \
    "$here/arith/nc_arith_tb.v"
echo "lint arith_tb: clean"
lint_chip() { # name core mx my bmax [defines]
    args=$(core_args "$2")
    case "$args" in *found*) ;; *) echo "hw/chips.txt: $1: no core $2 in hw/configs.txt" >&2; exit 1 ;; esac
    # shellcheck disable=SC2046
    verilator --lint-only -Wall -I"$rtl/gen" --top-module nc_chip "$rtl"/*.v \
        -GMX="$3" -GMY="$4" -GBMAX="$5" $(echo "$args" | grep -v '^found$') $6
    echo "lint $1: clean"
}
grep -v '^#' "$here/chips.txt" | while read -r name core mx my bmax; do
    [ -n "$name" ] || continue
    lint_chip "$name" "$core" "$mx" "$my" "$bmax"
done
# the router mutant (hw/CMakeLists.txt) and corners: one cell with B = 1, a 3 x 2 mesh of the
# zero-width-field core. (A 16 x 16 mesh, stress_a, is clean too but takes a minute: by hand.)
lint_chip chip_small_mutant small 2 2 16 -DNC_MUTANT_WRONG_TURN
lint_chip chip_1x1_b1 small 1 1 1
lint_chip chip_3x2_stress_c stress_c 3 2 3
