"""_api.py - the package's functions and classes over liblsnn.so (_capi.py)."""
import ctypes
import json
import os
import tempfile

import numpy as np

from . import _capi
from ._capi import lib, path_arg

N_COUNTERS = 27  # counters 0..26 of docs/neurocore.md §11, as a trace's k lines hold them


class LsnnError(RuntimeError):
    """A failure of the C library; str() is its message. status: a command's exit status
    (1 failure, 2 usage error), else 1."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def engines():
    """The engines this library opens images on: ['ref', 'rtl', 'systemc', 'jit']."""
    return lib.lsnn_capi_engines().decode().split(", ")


def counter_names():
    """The names of the 27 counters of §11, in the order of Records.counters' last axis."""
    return [lib.lsnn_capi_counter_name(i).decode() for i in range(N_COUNTERS)]


def command(*args):
    """Runs `lsnn ARGS...` (train, eval, compile, run, energy, verify, trace-diff, plot,
    report) in this process through the C library and returns what it printed on stdout.
    Raises LsnnError with its error message unless it exits 0."""
    argv = [os.fsencode(str(a)) for a in args]
    arr = (ctypes.c_char_p * len(argv))(*argv)
    out = ctypes.c_void_p()
    status = lib.lsnn_capi_command(len(argv), arr, ctypes.byref(out))
    text = _capi.take_string(out.value)
    if status != 0:
        raise LsnnError(_capi.error(), status)
    return text


def _options(**opts):
    """Keyword options as command-line options: threads=2 -> --threads 2, force=True ->
    --force (False and None are left out)."""
    args = []
    for key, value in opts.items():
        if value is None or value is False:
            continue
        args.append("--" + key.replace("_", "-"))
        if value is not True:
            args.append(str(value))
    return args


def train(spec, out, *args, **opts):
    """Trains a model (lsnn train): spec is a MODEL.yaml path or the YAML text itself; out the
    run folder. Extra positional args and keyword options are lsnn train's (iters=20,
    seed=3, threads=2, force=True, ...). Returns out."""
    with tempfile.TemporaryDirectory() as tmp:
        if "\n" in str(spec):  # the spec's text
            path = os.path.join(tmp, "model.yaml")
            with open(path, "w") as f:
                f.write(spec)
            spec = path
        opts.setdefault("quiet", True)
        command("train", spec, "-o", out, *args, *_options(**opts))
    return out


def compile(run, out, *args, **opts):
    """Compiles a run folder into an image folder (lsnn compile; hw="models/hw/small.yaml",
    ...). Returns the compile report (lsnn compile --json) as a dict."""
    opts.setdefault("quiet", True)
    return json.loads(command("compile", run, "-o", out, "--json", *args, *_options(**opts)))


def _arrays(obj):
    """A JSON report with its lists of numbers as numpy arrays."""
    if isinstance(obj, dict):
        return {k: _arrays(v) for k, v in obj.items()}
    if isinstance(obj, list):
        if obj and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in obj):
            return np.array(obj)
        return [_arrays(x) for x in obj]
    return obj


def energy(image, *args, **opts):
    """The energy report of an image (lsnn energy --json; samples=10, tech=FILE, ...) as a
    dict, its lists of numbers as numpy arrays."""
    opts.setdefault("quiet", True)
    return _arrays(json.loads(command("energy", image, "--json", *args, *_options(**opts))))


def energy_terms(report):
    """The terms of each technology table of an energy report: {table: (names, counts, pj)},
    counts and pj numpy arrays (per inference) in the order of names."""
    out = {}
    for t in report.get("tables", []):
        names = list(t["terms"])
        out[t["table"]] = (names, np.array([t["terms"][n]["count"] for n in names], float),
                           np.array([t["terms"][n]["pj"] for n in names], float))
    return out


def plot(kind, source, out, *args, **opts):
    """Draws a picture with lsnn plot (kind: curve, raster, compare, cores; out: .png or
    .svg; seq=1, ...). Returns out."""
    opts.setdefault("quiet", True)
    command("plot", kind, source, "-o", out, *args, *_options(**opts))
    return out


class _Handle:
    """A C library handle, released by close(), at garbage collection or by `with`."""

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Model(_Handle):
    """A trained model in memory: a run folder's spec and weights (Model(RUN_DIR)).
    model["w_rec"] is a copy of a tensor (w_in, w_rec, w_out, b_out: float32; delay_in,
    delay_rec: uint8); model["w_rec"] = array sets it (checked as a weights file is);
    model.save(DIR) writes a run folder that lsnn eval and compile take."""

    TENSORS = ("w_in", "w_rec", "w_out", "b_out", "delay_in", "delay_rec")

    def __init__(self, run_dir):
        self._h = lib.lsnn_capi_model_load(path_arg(run_dir))
        if not self._h:
            raise LsnnError(_capi.error())

    def close(self):
        if self._h:
            lib.lsnn_capi_model_free(self._h)
            self._h = None


    def _check(self):
        if not self._h:
            raise LsnnError("the model is closed")

    @property
    def spec(self):
        """The model's spec as canonical YAML."""
        self._check()
        return _capi.take_string(lib.lsnn_capi_model_spec(self._h))

    def shape(self, name):
        self._check()
        rows, cols, size = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        if lib.lsnn_capi_model_shape(self._h, name.encode(), ctypes.byref(rows),
                                     ctypes.byref(cols), ctypes.byref(size)):
            raise LsnnError(_capi.error())
        dtype = np.float32 if size.value == 4 else np.uint8
        shape = (rows.value,) if name == "b_out" else (rows.value, cols.value)
        return shape, dtype

    def __getitem__(self, name):
        shape, dtype = self.shape(name)
        a = np.empty(shape, dtype)
        if lib.lsnn_capi_model_get(self._h, name.encode(), a.ctypes.data, a.nbytes):
            raise LsnnError(_capi.error())
        return a

    def __setitem__(self, name, value):
        shape, dtype = self.shape(name)
        a = np.ascontiguousarray(value, dtype=dtype)
        if a.shape != shape:
            raise LsnnError("tensor '%s' is %s, got %s" % (name, shape, a.shape))
        if lib.lsnn_capi_model_set(self._h, name.encode(), a.ctypes.data, a.nbytes):
            raise LsnnError(_capi.error())

    @property
    def weights(self):
        """Every tensor, as a dict of copies."""
        return {name: self[name] for name in self.TENSORS}

    def save(self, run_dir):
        self._check()
        if lib.lsnn_capi_model_save(self._h, path_arg(run_dir)):
            raise LsnnError(_capi.error())
        return run_dir


class Records:
    """What a run recorded after every tick t = 0..T of every sequence: state
    [seq, tick, neuron, 4] (v, a, ref, z: the raw integers of docs/neurocore.md §3 of every
    global neuron, recurrent then readouts, as a trace's n lines), counters [seq, tick, core,
    27] (each core's counter increments, as a trace's k lines), cycles [seq, tick] (the
    trace's tick lines) and core_id [core]. v, a, ref and z are views of state."""

    def __init__(self, state, counters, cycles, core_id, totals=None):
        self.state, self.counters, self.cycles, self.core_id = state, counters, cycles, core_id
        self.v, self.a, self.ref, self.z = (state[..., i] for i in range(4))
        self.totals = totals or {}

    def __repr__(self):
        return "Records(%d sequences, %d ticks, %d neurons, %d cores)" % (
            self.state.shape[0], self.state.shape[1], self.state.shape[2], self.counters.shape[2])


class Chip(_Handle):
    """An image opened on an engine (ref, rtl, systemc, jit), fed with the test set of its
    model's task or with a spike file (input=FILE, lsnn-spikes format)."""

    def __init__(self, image_dir, engine="ref", input=None):
        self._h = lib.lsnn_capi_open(path_arg(image_dir), engine.encode(), path_arg(input))
        if not self._h:
            raise LsnnError(_capi.error())
        s = (ctypes.c_int * 6)()
        lib.lsnn_capi_sizes(self._h, s)
        (self.n_in, self.n_rec, self.n_out, self.n_cores, self.steps,
         self.n_sequences) = list(s)
        self.engine = engine

    def close(self):
        if getattr(self, "_h", None):
            lib.lsnn_capi_close(self._h)
            self._h = None


    def run(self, n_seq=1):
        """Runs the first n_seq sequences (0: all), as lsnn run --samples n_seq; returns their
        Records; .totals has the sequences, windows, correct predictions, spikes and steps."""
        if not self._h:
            raise LsnnError("the chip is closed")
        t = (ctypes.c_int64 * 5)()
        if lib.lsnn_capi_run(self._h, int(n_seq), t):
            raise LsnnError(_capi.error())
        d = (ctypes.c_int * 4)()
        lib.lsnn_capi_dims(self._h, d)
        n, ticks, neurons, cores = list(d)
        state = np.empty((n, ticks, neurons, 4), np.int64)
        counters = np.empty((n, ticks, cores, N_COUNTERS), np.uint64)
        cycles = np.empty((n, ticks), np.uint64)
        core_id = np.empty(cores, np.int32)
        lib.lsnn_capi_records(self._h, state.ctypes.data, counters.ctypes.data,
                              cycles.ctypes.data, core_id.ctypes.data)
        keys = ("sequences", "windows", "correct", "spikes", "steps")
        return Records(state, counters, cycles, core_id, dict(zip(keys, list(t))))


def read_trace(path):
    """A trace file (lsnn run --trace, docs/trace-format.md) as Records; every sequence must
    have the same steps. .place lists the trace's place lines (core, first, count, local)."""
    states, counters, cycles, core_ids, place = [], [], [], [], []
    seq_state = seq_k = seq_cyc = None
    tick_n, tick_k = [], []
    ended = False

    def end_tick():
        if tick_n:
            seq_state.append(tick_n[:])
            seq_k.append(tick_k[:])
        tick_n.clear()
        tick_k.clear()

    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            w = line.split()
            if not w:
                continue
            tag = w[0]
            try:
                if tag == "n":
                    tick_n.append([int(x) for x in w[2:6]])
                elif tag == "k":
                    tick_k.append([int(x) for x in w[2:]])
                    if len(states) == 0 and len(seq_state) == 0:
                        core_ids.append(int(w[1]))
                elif tag == "tick":
                    end_tick()
                    seq_cyc.append(int(w[2]))
                elif tag == "seq":
                    started = len(states) + (seq_state is not None)
                    if int(w[1]) != started:
                        raise ValueError("sequence %s, expected %d (numbered from 0 over the run)"
                                         % (w[1], started))
                    if seq_state is not None:
                        end_tick()
                        states.append(seq_state), counters.append(seq_k), cycles.append(seq_cyc)
                    seq_state, seq_k, seq_cyc = [], [], []
                elif tag == "place":
                    place.append(tuple(int(x) for x in w[1:5]))
                elif tag == "end":
                    ended = True
                elif tag not in ("lsnn-trace", "network"):
                    raise ValueError("unknown record '%s'" % tag)
            except (ValueError, IndexError, TypeError) as ex:
                raise LsnnError("%s:%d: %s" % (path, lineno, ex)) from None
    if not ended:
        raise LsnnError("%s: no 'end' line: the trace was cut short" % path)
    if seq_state is not None:
        end_tick()
        states.append(seq_state), counters.append(seq_k), cycles.append(seq_cyc)
    r = Records(np.array(states, np.int64).reshape(len(states), -1, len(states[0][0]), 4)
                if states else np.zeros((0, 0, 0, 4), np.int64),
                np.array(counters, np.uint64), np.array(cycles, np.uint64),
                np.array(core_ids, np.int32))
    r.place = place
    return r
