#!/bin/sh
# hw/lint.sh - verilator --lint-only -Wall on rtl/ for every config in hw/configs.txt, and on
# the arithmetic testbench hw/arith/nc_arith_tb.v.
# Exits non-zero on the first warning (Verilator makes every -Wall warning fatal). A config
# without values (`default`) passes no -G: neurocore.v's parameters default to the contract's
# default core (rtl/gen/nc_defaults.vh).
set -e
here=$(cd "$(dirname "$0")" && pwd)
rtl="$here/../rtl"
grep -v '^#' "$here/configs.txt" | while read -r name n x m s d p r w v u g q k fi fo; do
    [ -n "$name" ] || continue
    if [ -z "$n" ]; then
        set --
    else
        set -- -GN=$n -GX=$x -GM=$m -GS=$s -GD=$d -GP=$p -GR=$r -GW=$w -GV=$v -GU=$u -GG=$g \
            -GQ=$q -GK=$k -GFIFO_IN=$fi -GFIFO_OUT=$fo
    fi
    verilator --lint-only -Wall -I"$rtl/gen" --top-module neurocore "$rtl"/*.v "$@"
    echo "lint $name: clean"
done
# rtl/nc_arith.v's testbench top (hw/arith/, ctest test_rtl_arith), at the default core
verilator --lint-only -Wall -I"$rtl/gen" --top-module nc_arith_tb "$rtl/nc_arith.v" \
    "$here/arith/nc_arith_tb.v"
echo "lint arith_tb: clean"
