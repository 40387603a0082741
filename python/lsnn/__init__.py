"""lsnn - train, compile and run LSNN spiking networks from Python.

A thin layer over liblsnn.so (the toolchain's C library, through ctypes): every function
below runs the C code of the lsnn commands in this process and raises LsnnError with the C
library's own message when it fails. Arrays are numpy arrays. docs/python.md has a tour.

    import lsnn
    lsnn.train("models/store_recall.yaml", "runs/sr", iters=20)
    lsnn.compile("runs/sr", "runs/sr_img")
    with lsnn.Chip("runs/sr_img", engine="ref") as chip:
        rec = chip.run(2)          # rec.z: spikes [sequence, tick, neuron]
    lsnn.energy("runs/sr_img")["total"]
"""
from ._api import (Chip, LsnnError, Model, Records, command, compile, counter_names, energy,
                   energy_terms, engines, plot, read_trace, train)

__all__ = ["Chip", "LsnnError", "Model", "Records", "command", "compile", "counter_names",
           "energy", "energy_terms", "engines", "plot", "read_trace", "train"]
