#!/bin/sh
# hw/synth.sh [core|router|chip] - yosys generic synthesis, prints `stat`:
#   core   (default) the default core (hw/synth.ys)
#   router one router, BMAX 16 (hw/synth_router.ys)
#   chip   a 2 x 2 chip of small cores, BMAX 16 (hw/synth_chip.ys)
set -e
cd "$(dirname "$0")/.."
what=${1:-core}
[ $# -gt 0 ] && shift
case "$what" in
core) exec yosys -q -s hw/synth.ys "$@" ;;
router) exec yosys -q -s hw/synth_router.ys "$@" ;;
chip) exec yosys -q -s hw/synth_chip.ys "$@" ;;
*) echo "usage: hw/synth.sh [core|router|chip]" >&2; exit 2 ;;
esac
