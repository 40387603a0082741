"""python_check.py - what the lsnn package reads from the C library, against the lsnn
binary's own outputs for the same image: spikes and states against lsnn run --trace, counters
against its k lines, the energy report against lsnn energy --json, models saved and loaded
back, and bad input raising LsnnError with the C library's message.

usage: python python_check.py LSNN_BINARY EXAMPLE_OUT   (EXAMPLE_OUT: docs/python_example.py's)"""
import json
import os
import subprocess
import sys

import numpy as np

import lsnn

LSNN, OUT = sys.argv[1], sys.argv[2]
RUN, IMG = os.path.join(OUT, "run"), os.path.join(OUT, "image")
failed = 0


def ok(what):
    print("ok:", what)


def fail(what):
    global failed
    failed += 1
    print("FAILED:", what, file=sys.stderr)


def check(what, cond):
    ok(what) if cond else fail(what)


def binary(*args):
    return subprocess.run([LSNN, *args], check=True, capture_output=True, text=True).stdout


# the reference chip: every state, every counter, every tick's cycles, as the trace has them
N = 34  # more than one batch of the spec (32): sequences numbered over the run
trace = os.path.join(OUT, "ref.tr")
binary("run", IMG, "--samples", str(N), "--trace", trace, "--quiet")
tr = lsnn.read_trace(trace)
with lsnn.Chip(IMG, engine="ref") as chip:
    rec = chip.run(N)
    check("sizes: %d inputs, %d + %d neurons, %d steps" % (chip.n_in, chip.n_rec, chip.n_out,
                                                          chip.steps),
          rec.state.shape == (N, chip.steps + 1, chip.n_rec + chip.n_out, 4))
check("the trace has %d sequences of %d ticks" % tr.state.shape[:2], tr.state.shape == rec.state.shape)
spikes = int(rec.z.sum())
check("z: the %d spikes read from Python are the trace's" % spikes,
      spikes > 0 and np.array_equal(rec.z, tr.z))
check("v, a, ref of every neuron and tick are the trace's", np.array_equal(rec.state, tr.state))
check("counters: every core's increments are the trace's k lines",
      np.array_equal(rec.counters, tr.counters) and rec.counters.sum() > 0)
check("cycles of every tick are the trace's", np.array_equal(rec.cycles, tr.cycles))
check("core ids are the trace's", np.array_equal(rec.core_id, tr.core_id))
names = lsnn.counter_names()
check("counter names: %s, %s, ..." % (names[0], names[1]), len(names) == 27 and names[0] == "ticks")
check("ticks counted: one per tick", np.all(rec.counters[..., names.index("ticks")].sum(axis=2) ==
                                          len(rec.core_id)))
run_json = json.loads(binary("run", IMG, "--samples", str(N), "--json", "--quiet"))
check("totals: %d of %d windows right, %d spikes, as lsnn run --json says"
      % (rec.totals["correct"], rec.totals["windows"], rec.totals["spikes"]),
      all(rec.totals[k] == run_json[k] for k in ("sequences", "windows", "correct", "spikes",
                                                  "steps")))
summed = rec.counters.sum(axis=(0, 1, 2))
check("counters summed over the run are lsnn run --json's",
      all(int(summed[i]) == run_json["counters"][n] for i, n in enumerate(names)))

# other engines give the same states, counters and cycles: the JIT (in every build), the RTL
# under Verilator where this build has it
with lsnn.Chip(IMG, engine="jit") as jit:
    j = jit.run(N)
    check("the jit engine's records are the reference chip's",
          np.array_equal(j.state, rec.state) and np.array_equal(j.counters, rec.counters))
try:
    rtl = lsnn.Chip(IMG, engine="rtl")
except lsnn.LsnnError as e:
    check("no rtl engine in this build: '%s'" % str(e)[:60], "without Verilator" in str(e))
else:
    with rtl:
        r = rtl.run(3)
    check("the rtl engine's records are the reference chip's (3 sequences)",
          np.array_equal(r.state, rec.state[:3]) and np.array_equal(r.counters, rec.counters[:3])
          and np.array_equal(r.cycles, rec.cycles[:3]))

# the energy report: lsnn energy --json's figures, numbers as numpy arrays
want = json.loads(binary("energy", IMG, "--samples", "2", "--json", "--quiet"))
got = lsnn.energy(IMG, samples=2)


def same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(b, np.ndarray):
        return np.array_equal(np.array(a), b)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


check("energy: the report equals lsnn energy --json (%d keys)" % len(want), same(want, got))
arrays = [k for k, v in got.items() if isinstance(v, np.ndarray)]

# models: loaded, changed, saved and loaded back; the binary evaluates the saved folder
with lsnn.Model(RUN) as m:
    w = m.weights
    check("weights: w_in %s, w_rec %s, w_out %s" % (w["w_in"].shape, w["w_rec"].shape,
                                                    w["w_out"].shape),
          w["w_rec"].shape == (chip.n_rec, chip.n_rec) and w["w_rec"].dtype == np.float32)
    check("the spec names the model", "name: store_recall_py" in m.spec)
    m["w_out"] = 2 * w["w_out"]
    saved = m.save(os.path.join(OUT, "run2"))
with lsnn.Model(saved) as m2:
    check("a saved model loads back with its new weights", np.array_equal(m2["w_out"], 2 * w["w_out"])
          and np.array_equal(m2["w_rec"], w["w_rec"]))
check("lsnn eval takes the saved run folder", "accuracy" in binary("eval", saved, "--json"))


def raises(what, expect, fn):
    try:
        fn()
    except lsnn.LsnnError as e:
        check("%s: LsnnError '%s'" % (what, str(e).splitlines()[0]), expect in str(e))
        return
    except Exception as e:  # noqa: BLE001 - any other exception is the failure
        fail("%s: %s instead of LsnnError" % (what, repr(e)))
        return
    fail("%s: no exception" % what)


raises("a missing run folder", "nonexistent", lambda: lsnn.Model(os.path.join(OUT, "nonexistent")))
raises("a missing image folder", "nonexistent", lambda: lsnn.Chip(os.path.join(OUT, "nonexistent")))
raises("an unknown engine", "unknown engine 'gpu' (engines: ref", lambda: lsnn.Chip(IMG, engine="gpu"))
raises("a run folder given as an image", "run folder", lambda: lsnn.Chip(RUN))
raises("a tensor of the wrong shape", "tensor 'w_rec' is", lambda: lsnn.Model(RUN).__setitem__("w_rec", np.zeros(3)))
raises("w_rec with a self-connection", "diagonal element 0",
       lambda: lsnn.Model(RUN).__setitem__("w_rec", np.ones(w["w_rec"].shape)))
raises("a bad option to a command", "--samples", lambda: lsnn.energy(IMG, samples=-1))
raises("malformed YAML to train", "model.yaml", lambda: lsnn.train("version: 1\nname: [\n",
                                                                   os.path.join(OUT, "bad")))
raises("an unknown command", "unknown command 'fly'", lambda: lsnn.command("fly"))
print("%d failed" % failed)
sys.exit(1 if failed else 0)
