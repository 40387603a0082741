#!/usr/bin/env bash
# check_includes.sh - the tree's include graph has no cycle, between files or between folders,
# and the libraries depend one way: tools -> {compiler, hw} -> runtime, and hw never on tools.
#
# usage: bash tests/check_includes.sh [SOURCE_DIR]
#
# A node is a module: a .c file together with the header of the same name (wherever that
# header lives: runtime's public headers are in runtime/include/lsnn/); NAME_internal.h is
# part of module NAME. Header-only headers belong to the folder named in HEADER_ONLY below. An edge A -> B means a file of A includes a
# header of B. Includes that resolve to no file of the tree (system headers, generated
# files) are not edges. Cycles are found with tsort(1), which names the nodes of each loop.
set -uo pipefail

ROOT="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$ROOT" || exit 2

# The folders of header-only public headers.
declare -A HEADER_ONLY=([rng.h]=runtime/base [real.h]=runtime/train/engine
    [neurocore.def]=runtime/config [nc_arith.h]=runtime/chip [target.h]=runtime/chip [pmath.h]=runtime/base
    [mesh.h]=runtime/chip [curve.h]=runtime/train [train_opts.h]=runtime/train)
# Where "X.h" is looked for after the including file's own folder (the build's include path).
SEARCH=(runtime/include/lsnn runtime/base runtime/formats runtime/tasks runtime/train
    runtime/train/engine compiler hw hw/systemc tools)

mapfile -t FILES < <(find runtime compiler hw tools -name '*.[ch]' -o -name '*.cpp' -o -name '*.def' | sort)

# module_of FILE: the module node of a source file or header.
declare -A STEM_DIR=()
for f in "${FILES[@]}"; do
    case "$f" in *.c | *.cpp) STEM_DIR[$(basename "${f%.*}")]="$(dirname "$f")" ;; esac
done
module_of() {
    local f="$1" b stem
    b="$(basename "$f")"
    stem="${b%.*}"
    if [[ "$f" == runtime/include/lsnn/* ]]; then
        if [[ -n "${HEADER_ONLY[$b]:-}" ]]; then
            echo "${HEADER_ONLY[$b]}/$stem"
        elif [[ -n "${STEM_DIR[$stem]:-}" ]]; then
            echo "${STEM_DIR[$stem]}/$stem"
        else
            echo "runtime/include/lsnn/$stem" # a public header with no home: reported below
        fi
    elif [[ "$stem" == *_internal ]]; then
        echo "$(dirname "$f")/${stem%_internal}" # a module's private header is the module's
    else
        echo "$(dirname "$f")/$stem"
    fi
}

resolve() { # resolve INCLUDING_FILE NAME: the tree's file for #include "NAME", or nothing
    local d
    d="$(dirname "$1")"
    [[ -f "$d/$2" ]] && { echo "$d/$2"; return; }
    for d in "${SEARCH[@]}"; do
        [[ -f "$d/$2" ]] && { echo "$d/$2"; return; }
    done
}

# The library of a folder and the libraries it may include from.
lib_of() { echo "${1%%/*}"; }
declare -A MAY=([runtime]="runtime" [compiler]="runtime compiler" [hw]="runtime hw"
    [tools]="runtime compiler hw tools")

fail=0
module_edges="$(mktemp)"
folder_edges="$(mktemp)"
trap 'rm -f "$module_edges" "$folder_edges"' EXIT
for f in "${FILES[@]}"; do
    from="$(module_of "$f")"
    if [[ "$from" == runtime/include/lsnn/* ]]; then
        echo "check_includes: $f: a public header with no source file of the same name;" \
            "name its folder in HEADER_ONLY" >&2
        fail=1
    fi
    while read -r name; do
        target="$(resolve "$f" "$name")"
        [[ -z "$target" ]] && continue
        to="$(module_of "$target")"
        [[ "$to" == "$from" ]] && continue
        lf="$(lib_of "$from")" lt="$(lib_of "$to")"
        if [[ " ${MAY[$lf]} " != *" $lt "* ]]; then
            echo "check_includes: $f includes $target: $lf/ may not depend on $lt/" >&2
            fail=1
        fi
        echo "$from $to" >>"$module_edges"
        fd="$(dirname "$from")" td="$(dirname "$to")"
        [[ "$fd" != "$td" ]] && echo "$fd $td" >>"$folder_edges"
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done

for kind in module folder; do
    edges="${kind}_edges"
    if ! out="$(sort -u "${!edges}" | tsort 2>&1 >/dev/null)"; then
        echo "check_includes: the $kind include graph has a cycle; its nodes:" >&2
        sed -n 's/^tsort: \([^:]*\)$/  \1/p' <<<"$out" >&2
        fail=1
    fi
done

n_mod="$(sort -u "$module_edges" | wc -l)"
n_dir="$(sort -u "$folder_edges" | wc -l)"
if ((fail)); then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "check_includes: ${#FILES[@]} files, $n_mod module edges, $n_dir folder edges: no cycle"
echo "1 passed, 0 failed"
