# python_example.py - a notebook in plain Python (docs/python.md): train a small store-recall
# LSNN from Python, compile it to a neurocore image, run it on the bit-exact reference chip,
# read its spikes as a numpy array and draw a raster.
#
#   python3 docs/python_example.py [OUT_DIR]     (default runs/python_example)
#
# Each "# %%" starts a cell (Jupyter, VS Code and Spyder run them one by one). It takes a few
# seconds: a tiny network and 30 iterations, so the accuracy is whatever 30 iterations give.

# %% The package and where the results go
import os
import sys

import numpy as np

import lsnn

out = sys.argv[1] if len(sys.argv) > 1 else "runs/python_example"
os.makedirs(out, exist_ok=True)
print("lsnn", lsnn.__file__, "engines:", ", ".join(lsnn.engines()))

# %% A store-recall task (docs/model-spec.md): remember a bit on STORE, say it on RECALL.
# 8 LIF + 8 ALIF neurons, 20 input channels in 4 groups, sequences of 5 characters of 20 ms.
spec = """
version: 1
name: store_recall_py
seed: 7
network:
  inputs: 20
  populations:
    - {name: lif, kind: lif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2}
    - {name: alif, kind: alif, size: 8, tau_m_ms: 20, b0: 0.01, refractory: 2,
       tau_a_ms: 200, beta: 1.7}
  delays: 4
  readout: {size: 2, tau_ms: 20, bias: true}
task: {kind: store_recall, values: 2, group_size: 5, char_ms: 20, n_chars: 5, rate_hz: 50,
       seq_delay: 1, test_size: 64}
training:
  batch_size: 32
  iterations: 30
  optimizer: {lr: 0.05}
"""

# %% Train with BPTT (the C training engine, in this process), then look at the weights
run = lsnn.train(spec, os.path.join(out, "run"), force=True)
model = lsnn.Model(run)
w_rec = model["w_rec"]
print("w_rec", w_rec.shape, "mean |w| %.3f" % np.abs(w_rec).mean())

# %% Compile onto neurocores: fixed-point weights, placement, routing tables
report = lsnn.compile(run, os.path.join(out, "image"))
image = os.path.join(out, "image")
print("compiled onto", len(report.get("cores", [])) or "its", "core(s)")

# %% Run two test sequences on the reference chip; every neuron's state after every tick
with lsnn.Chip(image, engine="ref") as chip:
    rec = chip.run(2)
print(rec, rec.totals)
spikes = rec.z[0, :-1, :chip.n_rec]  # sequence 0: ticks 0..T-1, recurrent neurons
print("sequence 0: %d spikes of %d neurons in %d steps" % (spikes.sum(), *spikes.shape[::-1]))
np.save(os.path.join(out, "spikes.npy"), rec.z)

# %% A raster in the terminal: one row per neuron, one column per 4 steps
for n in range(spikes.shape[1]):
    row = spikes[:, n].reshape(-1, 4).any(axis=1) if spikes.shape[0] % 4 == 0 else spikes[:, n]
    print("%2d %s" % (n, "".join("|" if s else "." for s in row)))

# %% The same raster as a picture: lsnn plot raster (gnuplot, through the C library)
try:
    print("raster:", lsnn.plot("raster", image, os.path.join(out, "raster.png"), seq=0))
except lsnn.LsnnError as e:  # no gnuplot here: tools/setup.sh installs gnuplot-nox
    print("no raster picture:", e)

# %% Energy per inference from the counted activity (lsnn energy's figures)
en = lsnn.energy(image, samples=2)
for table, (names, count, pj) in lsnn.energy_terms(en).items():
    top = np.argsort(pj)[::-1][:3]
    print("%-16s %10.0f pJ per inference; most: %s" % (
        table, pj.sum(), ", ".join("%s %.0f pJ" % (names[i], pj[i]) for i in top)))
