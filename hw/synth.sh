#!/bin/sh
# hw/synth.sh - yosys generic synthesis of rtl/ (default core); prints `stat`.
set -e
cd "$(dirname "$0")/.."
exec yosys -q -s hw/synth.ys "$@"
