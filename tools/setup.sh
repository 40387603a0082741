#!/usr/bin/env bash
# setup.sh - everything the README's commands need: Debian packages, configure, build.
#
# Usage: bash tools/setup.sh [--asan]
#   Installs the missing Debian packages (apt-get; `apt-get update` only when something is
#   missing), configures build/ (Release, Ninja) and builds it with `cmake --build -j2`.
#   --asan (or LSNN_SETUP_ASAN=1) also configures and builds build-asan/
#   (-DLSNN_SANITIZE=ON, ASan + UBSan, build type $LSNN_ASAN_BUILD_TYPE, default
#   RelWithDebInfo). Safe to run any number of times: each step does only what is missing.
#   LSNN_NATIVE=ON tunes for this CPU (faster training whose results may differ between CPUs;
#   the default, OFF, gives the same training results on every x86-64 CPU).
#
# Can also be sourced (`source tools/setup.sh`): that only defines the setup_* functions.
# Prints one line per step; the output of apt-get and cmake goes to a log that is shown
# only when the step fails.

# Debian packages. An entry "pkg:cmd" is satisfied when the package is installed or when
# the command is on PATH (node and npm may come from elsewhere, e.g. NodeSource's nodejs,
# which ships npm and conflicts with Debian's npm package).
SETUP_PACKAGES=(
    cmake
    ninja-build
    gcc
    g++
    libc6-dev
    make
    pkg-config
    libyaml-dev
    zlib1g-dev
    libfftw3-dev
    libhdf5-dev
    python3-numpy
    python3-venv
    python3-pip
    python3-setuptools
    python3-wheel
    nodejs:node
    npm:npm
    dataset-fashion-mnist
    verilator:verilator
    yosys:yosys
    libsystemc-dev
    qflow-tech-osu018
    opensta:sta
    llvm-14-dev
    qemu-system-arm
    qemu-system-misc
    gcc-arm-none-eabi
    picolibc-arm-none-eabi
    gcc-riscv64-unknown-elf
    picolibc-riscv64-unknown-elf
    libopenmpi-dev
    openmpi-bin
    libespeak-ng-dev
    espeak-ng-data
    gnuplot-nox:gnuplot
    chromium-headless-shell:chromium-headless-shell
)

SETUP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SETUP_JOBS="${LSNN_JOBS:-2}"

setup_say() { echo "setup: $*"; }

setup_die() {
    echo "setup: error: $*" >&2
    return 1
}

# Runs "$@" with its output in the log file $1; on failure shows the log's tail.
setup_logged() {
    local log="$1"
    shift
    local rc=0
    "$@" >"$log" 2>&1 </dev/null || rc=$?
    ((rc == 0)) && return 0
    echo "setup: '$*' failed (exit $rc); last lines of $log:" >&2
    tail -n 60 "$log" >&2
    return "$rc"
}

setup_pkg_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]
}

# Installs the packages of SETUP_PACKAGES that are missing.
setup_packages() {
    local entry pkg cmd missing=()
    for entry in "${SETUP_PACKAGES[@]}"; do
        pkg="${entry%%:*}"
        cmd=""
        [[ "$entry" == *:* ]] && cmd="${entry#*:}"
        setup_pkg_installed "$pkg" && continue
        [[ -n "$cmd" ]] && command -v "$cmd" >/dev/null 2>&1 && continue
        missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        setup_say "packages: all present"
        return 0
    fi
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 ||
            setup_die "missing packages (${missing[*]}) and not root; install them as root" ||
            return 1
        sudo=(sudo -n)
    fi
    local log
    log="$(mktemp "${TMPDIR:-/tmp}/lsnn-apt.XXXXXX")"
    setup_say "packages: apt-get update (missing: ${missing[*]})"
    setup_logged "$log" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout=900 update || return 1
    setup_say "packages: apt-get install ${missing[*]}"
    setup_logged "$log" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}" ||
        return 1
    rm -f "$log"
}

# setup_build DIR BUILD_TYPE SANITIZE(ON|OFF): configures (always: cheap, and it puts the
# options back if someone changed them) and builds DIR.
setup_build() {
    local dir="$1" type="$2" sanitize="$3"
    local bdir="$SETUP_ROOT/$dir"
    mkdir -p "$bdir"
    # A build directory made with another generator cannot be reconfigured with Ninja.
    if [[ -f "$bdir/CMakeCache.txt" ]] &&
        ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "$bdir/CMakeCache.txt"; then
        setup_say "configure $dir/: not a Ninja build directory, clearing its CMake cache"
        rm -rf "$bdir/CMakeCache.txt" "$bdir/CMakeFiles"
    fi
    setup_say "configure $dir/ ($type, Ninja, LSNN_SANITIZE=$sanitize)"
    setup_logged "$bdir/setup-configure.log" cmake -S "$SETUP_ROOT" -B "$bdir" -G Ninja \
        -DCMAKE_BUILD_TYPE="$type" -DLSNN_SANITIZE="$sanitize" -DLSNN_NATIVE="${LSNN_NATIVE:-OFF}" ||
        return 1
    setup_say "build $dir/ (cmake --build -j$SETUP_JOBS)"
    setup_logged "$bdir/setup-build.log" cmake --build "$bdir" -j"$SETUP_JOBS" || return 1
}

# setup_all [--asan]
setup_all() {
    local asan="${LSNN_SETUP_ASAN:-0}" a
    for a in "$@"; do
        case "$a" in
            --asan) asan=1 ;;
            -h | --help)
                sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
                return 0
                ;;
            *) setup_die "unknown argument '$a' (usage: tools/setup.sh [--asan])" || return 2 ;;
        esac
    done
    setup_packages || return 1
    setup_build build Release OFF || return 1
    if [[ "$asan" == 1 ]]; then
        setup_build build-asan "${LSNN_ASAN_BUILD_TYPE:-RelWithDebInfo}" ON || return 1
    fi
    setup_say "done"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    setup_all "$@"
fi
