"""_capi.py - loads liblsnn.so and declares its functions (tools/capi/lsnn_capi.h).

The library is looked for in this order: $LSNN_LIB (a path to the file), the copy installed
next to this package, $LSNN_BUILD/tools/capi/liblsnn.so (a build folder)."""
import ctypes
import os

ABI_VERSION = 1  # LSNN_CAPI_VERSION of the header this module declares


def _candidates():
    if os.environ.get("LSNN_LIB"):
        yield os.environ["LSNN_LIB"]
        return
    yield os.path.join(os.path.dirname(os.path.abspath(__file__)), "liblsnn.so")
    if os.environ.get("LSNN_BUILD"):
        yield os.path.join(os.environ["LSNN_BUILD"], "tools", "capi", "liblsnn.so")


def _load():
    tried = []
    for path in _candidates():
        if os.path.exists(path):
            lib = ctypes.CDLL(path)
            break
        tried.append(path)
    else:
        raise ImportError("lsnn: liblsnn.so not found (looked at: %s); build the source tree "
                          "(it builds build/tools/capi/liblsnn.so) and set LSNN_LIB or LSNN_BUILD, "
                          "or reinstall the package from a built tree" % ", ".join(tried))
    if lib.lsnn_capi_version() != ABI_VERSION:
        raise ImportError("lsnn: %s has ABI version %d, this package speaks %d"
                          % (path, lib.lsnn_capi_version(), ABI_VERSION))
    lib.path = path
    return lib


lib = _load()

c_int_p = ctypes.POINTER(ctypes.c_int)
c_void_p = ctypes.c_void_p


def _fn(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)


_fn("lsnn_capi_error", ctypes.c_char_p)
_fn("lsnn_capi_free", None, c_void_p)
_fn("lsnn_capi_engines", ctypes.c_char_p)
_fn("lsnn_capi_counter_name", ctypes.c_char_p, ctypes.c_int)
_fn("lsnn_capi_command", ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p),
    ctypes.POINTER(c_void_p))
_fn("lsnn_capi_model_load", c_void_p, ctypes.c_char_p)
_fn("lsnn_capi_model_free", None, c_void_p)
_fn("lsnn_capi_model_spec", c_void_p, c_void_p)
_fn("lsnn_capi_model_shape", ctypes.c_int, c_void_p, ctypes.c_char_p, c_int_p, c_int_p, c_int_p)
_fn("lsnn_capi_model_get", ctypes.c_int, c_void_p, ctypes.c_char_p, c_void_p, ctypes.c_size_t)
_fn("lsnn_capi_model_set", ctypes.c_int, c_void_p, ctypes.c_char_p, c_void_p, ctypes.c_size_t)
_fn("lsnn_capi_model_save", ctypes.c_int, c_void_p, ctypes.c_char_p)
_fn("lsnn_capi_open", c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p)
_fn("lsnn_capi_close", None, c_void_p)
_fn("lsnn_capi_sizes", None, c_void_p, c_int_p)
_fn("lsnn_capi_run", ctypes.c_int, c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int64))
_fn("lsnn_capi_dims", None, c_void_p, c_int_p)
_fn("lsnn_capi_records", None, c_void_p, c_void_p, c_void_p, c_void_p, c_void_p)


def error():
    return lib.lsnn_capi_error().decode("utf-8", "replace")


def take_string(ptr):
    """A malloc'ed C string as str, freed."""
    if not ptr:
        return ""
    try:
        return ctypes.string_at(ptr).decode("utf-8", "replace")
    finally:
        lib.lsnn_capi_free(ptr)


def path_arg(p):
    return None if p is None else os.fsencode(p)
