#!/bin/sh
# hw/memcheck.sh [CONFIG...] - the memory rule of docs/neurocore.md §7a, checked by yosys:
# after `proc -norom; flatten; opt -fast; memory_dff; memory_collect` (-norom: a case of constants is logic,
# not a memory) every memory cell of the core has one
# synchronous read port and one write port (1R1W; a macro gives that), none is read
# asynchronously, none has more ports, and no read relies on what a same-cycle write to its
# row does (yosys marks a read port that must see that write as transparent: an asynchronous
# read at a registered address becomes one, and no macro promises it). Flop arrays marked (* mem2reg *) (latch, FIFOs,
# counters) are no memories. CONFIG is a line name of hw/configs.txt (default: every line);
# each is checked as its own yosys run. Prints one line per config and the memories found;
# exits non-zero at the first violation. Needs yosys (tools/setup.sh installs it).
set -e
here=$(cd "$(dirname "$0")" && pwd)
rtl="$here/../rtl"
names=$*
[ -n "$names" ] || names=$(grep -v '^#' "$here/configs.txt" | awk 'NF {print $1}')
for name in $names; do
    line=$(grep -v '^#' "$here/configs.txt" | awk -v n="$name" '$1 == n')
    [ -n "$line" ] || { echo "hw/memcheck.sh: no config '$name' in hw/configs.txt" >&2; exit 2; }
    set -- $line
    chp=""
    if [ $# -eq 17 ]; then
        shift
        for l in N X M S D P R W V U G Q K FIFO_IN FIFO_OUT NL; do
            chp="$chp chparam -set $l $1 neurocore;"
            shift
        done
    fi
    log=$(mktemp)
    # shellcheck disable=SC2086
    if ! yosys -q -p "read_verilog -DSYNTHESIS -I$rtl/gen $(ls "$rtl"/*.v | tr '\n' ' ');
        $chp hierarchy -top neurocore; proc -norom; flatten; opt -fast; memory_dff; memory_collect;
        tee -o /dev/stdout select -list t:\$mem_v2;
        select -assert-none t:\$mem_v2 r:RD_PORTS>1 %i;
        select -assert-none t:\$mem_v2 r:WR_PORTS>1 %i;
        select -assert-none t:\$mem_v2 r:RD_CLK_ENABLE=1'0 %i;
        select -assert-none t:\$mem_v2 r:RD_TRANSPARENCY_MASK=1'1 %i;
        select -assert-none t:\$mem_v2 r:RD_COLLISION_X_MASK=1'1 %i" >"$log" 2>&1; then
        cat "$log" >&2
        echo "memcheck $name: FAILED (a memory with an asynchronous or transparent read or more than one read or write port; the listing above)" >&2
        rm -f "$log"
        exit 1
    fi
    n=$(grep -c 'mem' "$log" || true)
    echo "memcheck $name: $n memories, each 1R1W with a synchronous read"
    rm -f "$log"
done
