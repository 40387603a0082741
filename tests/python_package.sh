# python_package.sh - the Python package (python/, docs/python.md): installed with Debian's pip
# into a fresh venv with no package index (--no-index --no-build-isolation), the notebook
# example docs/python_example.py runs, and tests/python_check.py holds what Python reads
# against what the lsnn binary writes for the same image.
# usage: bash python_package.sh LSNN_BINARY SOURCE_DIR TMPDIR LIBLSNN_SO PYTHON [PRELOAD]
# PRELOAD (the sanitizer build): the ASan and UBSan runtimes, preloaded into the Python that
# imports lsnn; LeakSanitizer is off there, since it would report the interpreter's own
# allocations (the lsnn binary's tests check leaks in that build).
case $4 in /*) LIB=$4 ;; *) LIB=$PWD/$4 ;; esac # before lib_cli.sh changes directory
# shellcheck source=lib_cli.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"
PY=$5
PRELOAD=${6:-}
# py ARGS...: the venv's Python, with the sanitizer runtimes where the library needs them
py() {
    if [ -n "$PRELOAD" ]; then
        LD_PRELOAD="$PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" venv/bin/python "$@"
    else
        venv/bin/python "$@"
    fi
}
if ! "$PY" -c 'import venv, numpy, setuptools, wheel' 2>err.txt; then
    fail "$PY lacks what the package needs: $(tail -1 err.txt); run tools/setup.sh (it installs python3-venv, python3-pip, python3-setuptools, python3-wheel, python3-numpy)"
    report
    exit 1
fi

# a fresh venv over the system's numpy; the package built from a copy of python/ (pip builds
# in place, and the source tree stays clean), liblsnn.so packaged from LSNN_LIB
check "a fresh venv" "$PY" -m venv --system-site-packages venv
cp -r "$SRC/python" pkg
if LSNN_LIB="$LIB" venv/bin/pip install --no-index --no-build-isolation --no-cache-dir ./pkg \
    >pip.log 2>&1; then
    ok "pip install --no-index --no-build-isolation ./python"
else
    fail "pip install: $(tail -3 pip.log)"
    report
    exit 1
fi
rm -rf pkg
# from here on, only the installed package: its own copy of the library, no LSNN_* variables
unset LSNN_LIB LSNN_BUILD
where=$(py -c 'import lsnn, lsnn._capi as c; print(lsnn.__file__); print(c.lib.path)')
case "$where" in
*/venv/lib/*/site-packages/lsnn/__init__.py*/venv/lib/*/site-packages/lsnn/liblsnn.so) ok "the installed package and its library" ;;
*) fail "import lsnn found: $where" ;;
esac

# the example, as a user runs it (in seconds)
t0=$(date +%s)
if py "$SRC/docs/python_example.py" ex >example.log 2>&1; then
    ok "docs/python_example.py ran in $(($(date +%s) - t0)) s"
else
    fail "docs/python_example.py: $(tail -5 example.log)"
fi
check "the example trained a run" test -f ex/run/weights.safetensors
check "the example compiled an image" test -f ex/image/image.bin
check "the example saved its spikes" test -f ex/spikes.npy
if command -v gnuplot >/dev/null; then
    check "the example drew a raster PNG" test "$(head -c 4 ex/raster.png | od -An -c | tr -d ' ')" = '211PNG'
fi

# what Python reads, against the lsnn binary's outputs
if py "$SRC/tests/python_check.py" "$LSNN" ex >check.log 2>&1; then
    cat check.log
    passed=$((passed + $(grep -c '^ok:' check.log)))
else
    cat check.log >&2
    passed=$((passed + $(grep -c '^ok:' check.log)))
    fail "tests/python_check.py"
fi
report
