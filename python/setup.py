"""setup.py - copies liblsnn.so from the build tree into the package as it is built.

The library is taken from $LSNN_LIB (a path to liblsnn.so), else from $LSNN_BUILD/tools/capi/,
else from the source tree's build/tools/capi/. Without it the package installs anyway and finds
the library at import time from $LSNN_LIB or $LSNN_BUILD (lsnn/_capi.py)."""
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def find_library():
    if os.environ.get("LSNN_LIB"):
        return os.environ["LSNN_LIB"]
    build = os.environ.get("LSNN_BUILD") or os.path.join(HERE, "..", "build")
    path = os.path.join(build, "tools", "capi", "liblsnn.so")
    return path if os.path.exists(path) else None


class BuildPyWithLibrary(build_py):
    def run(self):
        super().run()
        lib = find_library()
        if lib is None:
            print("lsnn: no liblsnn.so found (build the source tree, or set LSNN_LIB); "
                  "the package will look for it at import time")
            return
        if not os.path.exists(lib):
            raise SystemExit(f"lsnn: LSNN_LIB={lib} does not exist")
        dest = os.path.join(self.build_lib, "lsnn", "liblsnn.so")
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(lib, dest)
        print(f"lsnn: packaged {os.path.realpath(lib)}")


setup(packages=["lsnn"], cmdclass={"build_py": BuildPyWithLibrary})
