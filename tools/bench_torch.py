#!/usr/bin/python3
"""bench_torch.py - PyTorch training throughput of the sMNIST LSNN, beside bench_train.

What it measures: sequences per second of one training iteration (forward pass over T steps,
BPTT by autograd, Adam step, and for DEEP R the rewiring step) of the network of a model spec
(models/smnist.yaml: DEEP R 12 %; models/smnist_dense.yaml: dense), written in PyTorch the way
LSNN-official writes it in TensorFlow, plus the peak resident memory. It is the PyTorch half
of tools/bench_torch_compare.sh; build/tools/bench_train is the other half, and the two print
the same figures (text, or one JSON line with --json).

The network (docs/training.md, runtime/train/engine/forward.c), read from the YAML:
  - 80 inputs, 120 LIF + 100 ALIF (tau_m 20 ms, tau_a 700 ms, beta 1.8, b0 0.01),
    dt 1 ms, zero initial state per sequence. Step k, in this order:
      b_k = rho b_{k-1} + (1 - rho) z_{k-1};  A_k = b0 + beta b_k
      v_k = alpha v_{k-1} + (1 - alpha) I_k - z_{k-1} A_k
      z_k = H((v_k - A_k) / A_k)  (spike_from: new_v; prev_v uses v_{k-1}), 0 while refractory;
      a spike at k blocks k+1 .. k+n_ref (5 steps).
  - Delays: every synapse has a fixed slot d in 0..D-1 (D = 10), drawn as the C model draws it
    (the same xoshiro256** stream, so the same delays): x_k reaches I_{k+d}, z_k reaches
    I_{k+1+d} (recurrent delays 1..10). No autapses (the diagonal of W_rec is 0).
  - Pseudo-derivative gamma * max(0, 1 - |vs|), gamma 0.3, through v and A; the refractory
    mask has zero gradient; nothing is stopped.
  - Leaky readout (tau 20 ms) with bias, logits = mean over the last 28 steps; loss = mean
    cross-entropy + 0.1 * sum_j (rate_j - 10 Hz)^2 (rate over batch and time).
  - Adam (torch.optim.Adam, lr 0.01, betas 0.9 / 0.999, eps 1e-8; the C code uses the TF1 form,
    which places eps differently: same cost). Batch 256, T = 840 (784 pixels + 56 cue steps).
  - DEEP R (hard, global budget, as runtime/train/deepr.c): theta and fixed signs, w = sign *
    theta where theta > 0; the gradient dL/dw at every entry (dormant ones too) drives Adam on
    theta; guard, L1 shrinkage, and rewiring to K = int(p * 68,200) active connections.

How it is written (as fast as plain PyTorch allows, without changing the computation):
  - Delays as LSNN-official implements them: a weight tensor with a delay dimension,
    W_D[i, d, j] = w[i, j] if delay[i, j] == d else 0, and a buffer of future currents
    (LSNN-official's i_future_buffer, slot d = step k+d) shifted by one slot per step, into
    which x_{k+1} @ W_in_D + z_k @ W_rec_D ([n_in, D*N] and [N, D*N]: one mm and one addmm
    per step) is added. The buffer is a list of D tensors [B, N] rather than one [B, D, N]
    tensor: indexing and padding the latter made autograd zero-fill and copy whole buffers
    every step (18 % more CPU time per batch). One conv1d over time for all input currents
    was measured slower than the per-step GEMMs (3.2-3.4 against 1.9-2.5 CPU-s per batch).
    The delay dimension makes the dense work D times the synapse count; that is the cost of
    heterogeneous delays on dense tensors, and LSNN-official pays it too. --no-delays (one
    slot, no delay dimension: NOT the same network) shows what they cost.
  - DEEP R runs the masked dense matmul (sign * theta * mask), as LSNN-official's TensorFlow
    code does; its cost does not depend on p.
  - The spike is one autograd.Function (Heaviside forward, the pseudo-derivative backward,
    refractory mask inside); the refractory counter and DEEP R bookkeeping run under no_grad.
    The readout is linear, so the mean over the window of the leaky trace is one weighted sum
    of the spikes over time (exactly the same function) followed by one small matmul.
  - Denormals are flushed to zero (torch.set_flush_denormal), as the C engine does.
  - Peak RSS is that of glibc's malloc, which fragments under autograd's thousands of
    [B, N] and [B, D*N] tensors: about 3x the live tensors; LD_PRELOAD=libjemalloc.so.2
    (Debian's libjemalloc2) gives about a third of it at the same speed
    (docs/benchmarks.md).
  - torch.set_num_threads(THREADS); OMP_NUM_THREADS and OPENBLAS_NUM_THREADS are set to
    THREADS before torch is loaded, and OMP_WAIT_POLICY to PASSIVE (unless set): Debian's
    torch runs its element-wise ops on OpenMP threads and its GEMMs on OpenBLAS's own
    pthreads, and OpenMP threads that spin-wait after each op take the cores from the GEMM
    (40x slower per step on the loaded 2-core machine).
  - About 70 % of the CPU time is in the GEMMs of the delay-expanded weights (the forward's
    and the two of the backward: torch.autograd.profiler, batch 256); the rest is element-wise
    work on [B, N] tensors, which torch.jit.script would not fuse (Debian's torch has no CPU
    fuser).

Assumptions and what is equal to bench_train: the same network and initial delays; for the
dense spec the same initial weights (the C model's random streams are reproduced here; the
last bit of a weight may differ); for DEEP R initial theta are drawn more simply (mask, Dale
signs, |N(0,1)| / sqrt(rows)): the cost of the dense tensors does not depend on them. The same
batches: the iterations 0..K of the task's shuffled training order (seed, validation split) of
data/mnist (IDX files, as runtime/tasks/task_smnist.c), encoded as runtime/tasks/smnist.c
does; without the data set, the same synthetic stroke images as bench_train. One warm-up
iteration, then K timed; building a batch is not timed (bench_train does not time it either).

BLAS: Debian's torch calls the system libblas.so.3. With only the reference BLAS installed it
runs about 12x slower, an unfair baseline; install libopenblas0-pthread. The script checks
which BLAS got loaded and times a GEMM, and refuses to measure on the reference BLAS unless
--allow-reference-blas is given.

usage: /usr/bin/python3 tools/bench_torch.py [MODEL.yaml] [--batch B] [--threads N]
           [--iters K] [--p P] [--no-delays] [--json] [--allow-reference-blas] [--check]
--check runs the forward pass of 3 sequences in float64 and compares every spike and the loss
with a plain numpy model of docs/training.md in which each synapse reads its own delayed
source (no delay tensors, no buffer); both sMNIST specs agree exactly.
Run it from the repository root (the spec's data_dir is relative). Use /usr/bin/python3: a
pyenv python earlier on PATH does not see Debian's torch.
"""
import argparse
import gzip
import json
import math
import os
import resource
import sys
import time

import numpy as np
import yaml

MASK64 = (1 << 64) - 1
RNG_WEIGHTS, RNG_DELAYS, RNG_SHUFFLE = 1, 2, 5  # runtime/include/lsnn/rng.h purposes
SMNIST_PIXELS, SMNIST_CUE_STEPS = 784, 56


# ---- the C model's random streams (runtime/include/lsnn/rng.h) ----

class Rng:
    """xoshiro256** seeded by splitmix64 from (seed, purpose, index), as lsnn_rng_derive."""

    def __init__(self, seed, purpose, index):
        x = (seed ^ (purpose * 0xD1B54A32D192ED03) ^ (index * 0x8CB92BA72F3D8DD7)) & MASK64
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
            self.s.append(z ^ (z >> 31))

    def next(self):
        s = self.s
        x = (s[1] * 5) & MASK64
        result = ((((x << 7) | (x >> 57)) & MASK64) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & MASK64
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def below(self, n):
        return ((self.next() >> 32) * n) >> 32

    def normal(self):
        u1, u2 = 1.0 - self.uniform(), self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(6.283185307179586 * u2)


# ---- the model spec ----

def load_spec(path):
    """The fields of a model YAML that the benchmark needs, with docs/model-spec.md defaults."""
    with open(path) as f:
        y = yaml.safe_load(f)
    net, task, tr = y["network"], y["task"], y["training"]
    if task.get("kind") != "smnist":
        sys.exit(f"bench_torch: {path}: only sMNIST specs (task.kind smnist) are supported")
    pops = []
    for p in net["populations"]:
        if p.get("tau_syn_ms", 0):
            sys.exit(f"bench_torch: {path}: CUBA populations (tau_syn_ms) are not modelled here")
        alif = p["kind"] == "alif"
        pops.append(dict(size=p["size"], tau_m=p["tau_m_ms"], b0=p["b0"],
                         refractory=p.get("refractory", 0),
                         tau_a=p["tau_a_ms"] if alif else 0.0, beta=p["beta"] if alif else 0.0))
    conn = net.get("connectivity", "dense")
    if isinstance(conn, str):
        conn = {"mode": conn}
    deepr = dict(p=conn.get("p", 1.0), budget=conn.get("budget", "global"),
                 soft=conn.get("soft", False), l1=conn.get("l1", 0.01),
                 temperature=conn.get("temperature", 0.0), dale=conn.get("dale", True),
                 excitatory=conn.get("excitatory", 0.75))
    ro = net["readout"]
    opt = tr.get("optimizer", {})
    reg = tr.get("regularization", {})
    return dict(
        name=y["name"], seed=y.get("seed", 1), dt=net.get("dt_ms", 1),
        spike_from=net.get("spike_from", "new_v"), n_in=net["inputs"], pops=pops,
        n_delay=net.get("delays", 1), deep_r=conn["mode"] == "deep_r", deepr=deepr,
        n_out=ro["size"], tau_out=ro["tau_ms"], readout_bias=ro.get("bias", False),
        gamma=net.get("gamma", 0.3), data_dir=task.get("data_dir", "data/mnist"),
        ext_time=task.get("ext_time", 1), readout_steps=task["readout_steps"],
        validation=task.get("validation", 0), train_limit=task.get("train_limit", 0),
        batch=tr["batch_size"], lr=opt.get("lr", 0.01), beta1=opt.get("beta1", 0.9),
        beta2=opt.get("beta2", 0.999), eps=float(opt.get("eps", 1e-8)),
        reg_rate=reg.get("rate", 0.0), reg_target_hz=reg.get("target_hz", 0.0))


# ---- input: MNIST batches as the task builds them ----

def read_idx(path):
    """An IDX file (or its .gz) as a numpy array."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * k: 8 + 4 * k], "big") for k in range(ndim)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


class MnistTask:
    """Training batches of task_smnist.c: epoch k is a Fisher-Yates shuffle of the first
    n_train images from Rng(seed, SHUFFLE, k); iteration i takes positions i*B .. i*B+B-1."""

    def __init__(self, spec):
        d = spec["data_dir"]
        self.images = read_idx(os.path.join(d, "train-images-idx3-ubyte")).reshape(-1, 784)
        self.labels = read_idx(os.path.join(d, "train-labels-idx1-ubyte"))
        n = len(self.labels) - spec["validation"]
        lim = spec["train_limit"]
        self.n_train = lim if 0 < lim < n else n
        self.seed, self.perms = spec["seed"], {}

    def perm(self, k):
        if k not in self.perms:
            r, p = Rng(self.seed, RNG_SHUFFLE, k), list(range(self.n_train))
            for i in range(self.n_train - 1, 0, -1):
                j = r.below(i + 1)
                p[i], p[j] = p[j], p[i]
            self.perms[k] = p
        return self.perms[k]

    def batch(self, iteration, n):
        pos = [iteration * n + s for s in range(n)]
        idx = [self.perm(q // self.n_train)[q % self.n_train] for q in pos]
        return self.images[idx], self.labels[idx].astype(np.int64)


def synth_batch(iteration, n):
    """bench_train's synthetic strokes (synth_image), for a tree without data/mnist."""
    r = Rng(iteration, 99, 0)
    imgs = np.zeros((n, 784), np.uint8)
    for s in range(n):
        img = imgs[s]
        x, y = 8 + 12 * r.uniform(), 6 + 16 * r.uniform()
        for _ in range(4):
            ang, ln = 6.2832 * r.uniform(), 6 + 8 * r.uniform()
            for k in range(40):
                px, py = x + math.cos(ang) * ln * k / 40, y + math.sin(ang) * ln * k / 40
                for dy in range(-2, 3):
                    for dx in range(-2, 3):
                        ix, iy = int(px) + dx, int(py) + dy
                        if ix < 0 or iy < 0 or ix >= 28 or iy >= 28:
                            continue
                        v = 255 * max(0.0, 1 - math.sqrt(dx * dx + dy * dy) / 2.5)
                        if v > img[iy * 28 + ix]:
                            img[iy * 28 + ix] = int(v)
            x += math.cos(ang) * ln
            y += math.sin(ang) * ln
            if x < 3 or x > 25:
                x = 14
            if y < 3 or y > 25:
                y = 14
    return imgs, np.arange(n, dtype=np.int64) % 10


def encode(imgs, ext_time, n_in):
    """runtime/tasks/smnist.c's threshold-crossing spikes as a float array [T, B, n_in]:
    channel 2k onset and 2k+1 offset of
    threshold k/39 (k = 1..38) on the last repeat of the pixel before the change, 78 every
    repeat of a pixel of 255, 79 the 56*ext_time cue steps."""
    n, e = len(imgs), ext_time
    T = (SMNIST_PIXELS + SMNIST_CUE_STEPS) * e
    x = np.zeros((T, n, n_in), np.float32)
    lvl = np.minimum(39 * imgs.astype(np.int32) // 255, 38)
    a, b = lvl[:, :-1], lvl[:, 1:]
    steps = np.arange(SMNIST_PIXELS - 1) * e + e - 1
    for k in range(1, 39):
        x[steps, :, 2 * k] = ((a < k) & (b >= k)).T
        x[steps, :, 2 * k + 1] = ((b < k) & (a >= k)).T
    x[:SMNIST_PIXELS * e, :, 78] = np.repeat(imgs == 255, e, axis=1).T
    x[SMNIST_PIXELS * e:, :, 79] = 1
    return x


# ---- the network ----

def init_params(spec, n_rec):
    """Initial weights and delays as runtime/train/model.c draws them (dense), or DEEP R theta
    and signs (simplified initial magnitudes; see the header)."""
    I, N, C, seed = spec["n_in"], n_rec, spec["n_out"], spec["seed"]
    r = Rng(seed, RNG_DELAYS, 0)
    d_in = np.array([r.below(spec["n_delay"]) for _ in range(I * N)], np.int64).reshape(I, N)
    d_rec = np.array([r.below(spec["n_delay"]) for _ in range(N * N)], np.int64).reshape(N, N)
    if not spec["deep_r"]:
        r = Rng(seed, RNG_WEIGHTS, 0)
        w_in = np.array([r.normal() / math.sqrt(I) for _ in range(I * N)], np.float32)
        w_rec = np.array([0.0 if a == b else r.normal() / math.sqrt(N)
                          for a in range(N) for b in range(N)], np.float32)
        lim = math.sqrt(6.0 / (N + C))
        w_out = np.array([(2 * r.uniform() - 1) * lim for _ in range(N * C)], np.float32)
        return dict(w=[w_in.reshape(I, N), w_rec.reshape(N, N), w_out.reshape(N, C)],
                    d_in=d_in, d_rec=d_rec)
    dr, g = spec["deepr"], np.random.default_rng(seed)

    def neuron_signs(n, shuffle):
        n_exc = min(n, int(dr["excitatory"] * n) + 1) if dr["dale"] else n
        s = np.array([-1] * (n - n_exc) + [1] * n_exc, np.float32)
        if shuffle:
            g.shuffle(s)
        return s

    theta, sign = [], []
    rec_sign = neuron_signs(N, False)
    for rows, cols, pre in ((I, N, neuron_signs(I, True)), (N, N, rec_sign), (N, C, rec_sign)):
        if dr["dale"]:
            sg = np.repeat(pre[:, None], cols, axis=1)
        else:
            sg = np.where(g.random((rows, cols)) < 0.5, -1, 1).astype(np.float32)
        th = np.zeros(rows * cols, np.float32)
        pick = g.integers(0, rows * cols, int(rows * cols * dr["p"]))  # with replacement
        th[pick] = np.abs(g.standard_normal(len(pick))) / math.sqrt(rows)
        theta.append(th.reshape(rows, cols))
        sign.append(sg)
    return dict(theta=theta, sign=sign, d_in=d_in, d_rec=d_rec)


def build(torch, spec, params, no_delays):
    """run(x, labels) -> (loss, rate): one training iteration; forward(x, labels, w_in, w_rec,
    w_out) -> (loss, rate, spikes [T, B, N]). In torch's default dtype (float32 here)."""
    F, dtype = torch.nn.functional, torch.get_default_dtype()
    pops = spec["pops"]
    N = sum(p["size"] for p in pops)
    C, D, dt = spec["n_out"], spec["n_delay"], spec["dt"]

    def per_neuron(f):
        return torch.tensor([f(p) for p in pops for _ in range(p["size"])], dtype=dtype)

    alpha = per_neuron(lambda p: math.exp(-dt / p["tau_m"]))
    rho = per_neuron(lambda p: math.exp(-dt / p["tau_a"]) if p["tau_a"] else 0.0)
    beta = per_neuron(lambda p: p["beta"])
    b0 = per_neuron(lambda p: p["b0"])
    n_ref = per_neuron(lambda p: p["refractory"])
    one_m_alpha, one_m_rho = 1 - alpha, 1 - rho
    kappa = math.exp(-dt / spec["tau_out"])
    gamma, new_v = spec["gamma"], spec["spike_from"] == "new_v"
    reg_rate, reg_target = spec["reg_rate"], spec["reg_target_hz"] * dt / 1000.0
    no_autapse = 1 - torch.eye(N)
    d_in = torch.from_numpy(params["d_in"])
    d_rec = torch.from_numpy(params["d_rec"])
    if no_delays:  # one slot: no delay dimension at all (recurrent delay 1, input delay 0)
        D, d_in, d_rec = 1, torch.zeros_like(d_in), torch.zeros_like(d_rec)
    # one-hot delay masks [pre, d, post]: W_D = w[:, None, :] * mask (LSNN-official's
    # weight_matrix_with_delay_dimension)
    in_mask = F.one_hot(d_in, D).permute(0, 2, 1).to(dtype)
    rec_mask = F.one_hot(d_rec, D).permute(0, 2, 1).to(dtype)

    T = (SMNIST_PIXELS + SMNIST_CUE_STEPS) * spec["ext_time"]
    R = spec["readout_steps"]
    # mean over the last R steps of r_k = kappa r_{k-1} + (1-kappa) y_k is sum_t c_t y_t
    c = np.zeros(T)
    for k in range(T - R, T):
        c[:k + 1] += (1 - kappa) * kappa ** (k - np.arange(k + 1)) / R
    read_w = torch.tensor(c, dtype=dtype)

    class Spike(torch.autograd.Function):
        """z = H(vs) where the neuron is not refractory; dz/dvs = gamma max(0, 1 - |vs|)."""

        @staticmethod
        def forward(ctx, vs, free):
            ctx.save_for_backward(vs, free)
            return ((vs > 0) & free).to(vs.dtype)

        @staticmethod
        def backward(ctx, g):
            vs, free = ctx.saved_tensors
            psi = (1 - vs.abs()).clamp_(min=0).mul_(gamma).masked_fill_(~free, 0)
            return g * psi, None

    deep_r = spec["deep_r"]
    if deep_r:
        theta = [torch.tensor(t, dtype=dtype) for t in params["theta"]]
        sign = [torch.tensor(s, dtype=dtype) for s in params["sign"]]
        trained = theta
    else:
        weights = [torch.tensor(w, dtype=dtype, requires_grad=True) for w in params["w"]]
        trained = weights
    b_out = torch.zeros(C, requires_grad=True)
    opt = torch.optim.Adam(trained + [b_out], lr=spec["lr"],
                           betas=(spec["beta1"], spec["beta2"]), eps=spec["eps"])
    sizes = [t.numel() for t in trained]
    K = int(sum(sizes) * spec["deepr"]["p"])

    def forward(x, labels, w_in, w_rec, w_out):
        B = x.shape[1]
        w_in_d = (w_in.unsqueeze(1) * in_mask).reshape(-1, D * N)
        w_rec_d = ((w_rec * no_autapse).unsqueeze(1) * rec_mask).reshape(N, D * N)
        v = torch.zeros(B, N)
        b = torch.zeros(B, N)
        z = torch.zeros(B, N)
        refc = torch.zeros(B, N)
        future = (x[0] @ w_in_d).view(B, D, N).unbind(1)  # the currents of steps t .. t+D-1
        zs = []
        for t in range(T):
            cur = future[0]
            b = rho * b + one_m_rho * z
            A = b0 + beta * b
            v_new = alpha * v + one_m_alpha * cur - z * A
            vs = ((v_new if new_v else v) - A) / A
            v = v_new
            with torch.no_grad():
                free = refc == 0
            z = Spike.apply(vs, free)
            with torch.no_grad():
                refc = torch.where(z > 0, n_ref, (refc - 1).clamp_(min=0))
            zs.append(z)
            if t + 1 < T:  # shift by one step, add z_t (slot d: step t+1+d) and x_{t+1}
                new = torch.addmm(x[t + 1] @ w_in_d, z, w_rec_d).view(B, D, N).unbind(1)
                future = [f + n for f, n in zip(future[1:], new)] + [new[-1]]
        Z = torch.stack(zs)                                           # [T, B, N]
        logits = torch.tensordot(read_w, Z, 1) @ w_out
        if spec["readout_bias"]:
            logits = logits + b_out
        rate = Z.mean((0, 1))
        loss = F.cross_entropy(logits, labels) + reg_rate * ((rate - reg_target) ** 2).sum()
        return loss, rate.detach(), Z

    def run_dense(x, labels):
        opt.zero_grad(set_to_none=True)
        loss, rate, _ = forward(x, labels, *weights)
        loss.backward()
        opt.step()
        return loss.item(), rate  # w_rec's diagonal has gradient 0, so Adam keeps it at 0

    def run_deep_r(x, labels):
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            active = [t > 0 for t in theta]
            w = [(s * t * a).requires_grad_() for s, t, a in zip(sign, theta, active)]
        loss, rate, _ = forward(x, labels, *w)
        loss.backward()
        dr = spec["deepr"]
        lr = opt.param_groups[0]["lr"]
        with torch.no_grad():
            for t, s, wk in zip(theta, sign, w):
                t.grad = s * wk.grad  # dense gradient, at dormant entries too (deepr.c)
            opt.step()
            n_active = 0
            for t, a in zip(theta, active):
                t.mul_(a)                                  # guard: no revival by Adam
                t.sub_(lr * dr["l1"] * (t > 0))            # L1 on the active
                if dr["temperature"] > 0:
                    t.add_(math.sqrt(2 * lr * dr["temperature"]) * torch.randn_like(t) * (t > 0))
                n_active += int((t > 0).sum())
            missing = max(0, K - n_active)
            counts = [0] * len(theta)  # multinomial over the matrices, weights their sizes
            if missing:
                pick = torch.multinomial(torch.tensor(sizes, dtype=torch.float64), missing, True)
                counts = pick.bincount(minlength=len(theta)).tolist()
            for t, n in zip(theta, counts):
                dormant = (t.view(-1) <= 0).nonzero().view(-1)
                n = min(int(n), len(dormant))
                t.view(-1)[dormant[torch.randperm(len(dormant))[:n]]] = 1e-12
        return loss.item(), rate

    return (run_deep_r if deep_r else run_dense), forward


# ---- --check: the torch forward against a plain per-synapse model ----

def reference_forward(spec, params, x, labels, ws):
    """docs/training.md step by step in numpy float64, each synapse reading its own delayed
    source (no delay tensors): (spikes [T, B, N], loss) at b_out = 0."""
    pops = spec["pops"]
    N = sum(p["size"] for p in pops)

    def vec(f):
        return np.array([f(p) for p in pops for _ in range(p["size"])])

    alpha = vec(lambda p: math.exp(-spec["dt"] / p["tau_m"]))
    rho = vec(lambda p: math.exp(-spec["dt"] / p["tau_a"]) if p["tau_a"] else 0.0)
    beta, b0 = vec(lambda p: p["beta"]), vec(lambda p: p["b0"])
    n_ref = vec(lambda p: p["refractory"])
    w_in, w_rec, w_out = (np.asarray(w, np.float64) for w in ws)
    w_rec = w_rec * (1 - np.eye(N))
    T, B, I = x.shape
    d_in, d_rec = params["d_in"], params["d_rec"]
    pre_in, pre_rec = np.arange(I)[:, None], np.arange(N)[:, None]
    kappa, R = math.exp(-spec["dt"] / spec["tau_out"]), spec["readout_steps"]
    v, b, z, refc = (np.zeros((B, N)) for _ in range(4))
    Z, r, logits = np.zeros((T, B, N)), np.zeros((B, spec["n_out"])), 0.0
    for t in range(T):
        src = x[np.maximum(t - d_in, 0), :, pre_in] * (t - d_in >= 0)[:, :, None]  # [I, N, B]
        cur = np.einsum("ij,ijb->bj", w_in, src)
        src = Z[np.maximum(t - 1 - d_rec, 0), :, pre_rec] * (t - 1 - d_rec >= 0)[:, :, None]
        cur += np.einsum("ij,ijb->bj", w_rec, src)
        b = rho * b + (1 - rho) * z
        A = b0 + beta * b
        v_new = alpha * v + (1 - alpha) * cur - z * A
        fires = (v_new if spec["spike_from"] == "new_v" else v) > A
        z = (fires & (refc == 0)).astype(np.float64)
        refc = np.where(z > 0, n_ref, np.maximum(refc - 1, 0))
        v, Z[t] = v_new, z
        r = kappa * r + (1 - kappa) * z @ w_out
        if t >= T - R:
            logits = logits + r / R
    m = logits.max(1, keepdims=True)
    ce = np.mean(m[:, 0] + np.log(np.exp(logits - m).sum(1)) - logits[np.arange(B), labels])
    rate = Z.mean((0, 1))
    target = spec["reg_target_hz"] * spec["dt"] / 1000
    return Z, ce + spec["reg_rate"] * ((rate - target) ** 2).sum()


def check(torch, spec, params, x, labels):
    """Spikes and loss of the torch forward (in float64) against reference_forward."""
    torch.set_default_dtype(torch.float64)
    _, forward = build(torch, spec, params, False)
    if spec["deep_r"]:
        ws = [s * t * (t > 0) for s, t in zip(params["sign"], params["theta"])]
    else:
        ws = params["w"]
    loss, _, Z = forward(torch.tensor(x, dtype=torch.float64), torch.from_numpy(labels),
                         *(torch.tensor(w, dtype=torch.float64) for w in ws))
    Z_ref, loss_ref = reference_forward(spec, params, x, labels, ws)
    Z = Z.detach().numpy()
    differ = int((Z != Z_ref).sum())
    print(f"{spec['name']}: {len(labels)} sequences, {int(Z.sum())} spikes in torch, "
          f"{int(Z_ref.sum())} in the per-synapse reference, {differ} (step, sequence, neuron) "
          f"differ; loss {float(loss):.12f} against {loss_ref:.12f}")
    return differ == 0 and abs(float(loss) - loss_ref) <= 1e-9 * abs(loss_ref)


# ---- BLAS check ----

def blas_check(torch):
    """(library, GFLOP per CPU-second of a 512^3 sgemm, whether it is an optimised BLAS): the
    BLAS that torch actually loaded. CPU time, not wall time, so that a busy machine does not
    make OpenBLAS look like the reference BLAS (about 2-4 GFLOP/s per core here)."""
    a = torch.randn(512, 512)
    torch.mm(a, a)
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if any(k in path for k in ("blas", "blis", "mkl_", "libmkl")):
                libs.add(path)
    t0, n = time.process_time(), 20
    for _ in range(n):
        torch.mm(a, a)
    gflops = 2 * 512 ** 3 * n / max(time.process_time() - t0, 1e-9) / 1e9
    fast = sorted(p for p in libs if any(k in p for k in ("openblas", "blis", "mkl")))
    fast = [p for p in fast if "lapack" not in p] or fast
    return (fast[0] if fast else ", ".join(sorted(libs)) or "unknown"), gflops, bool(fast)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", nargs="?", default="models/smnist.yaml")
    ap.add_argument("--batch", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--p", type=float, default=None,
                    help="DEEP R connectivity (as bench_train --p; a dense spec becomes DEEP R)")
    ap.add_argument("--no-delays", action="store_true",
                    help="one delay slot, no delay dimension (not the same network: what the "
                         "delays cost)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check", action="store_true",
                    help="compare the forward pass (float64, 3 sequences) with a plain "
                         "per-synapse numpy model of docs/training.md, and exit")
    ap.add_argument("--allow-reference-blas", action="store_true")
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    # torch's OpenMP threads spin after each op by default and then take the cores from
    # OpenBLAS's own threads: 14.7 against 590 ms per step (100 steps, batch 256, load 11)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    blas, gflops, fast = blas_check(torch)
    if not fast or gflops < 10:
        msg = (f"bench_torch: torch runs on a slow BLAS ({blas}, {gflops:.1f} GFLOP per "
               "CPU-second on a 512^3 sgemm): the reference BLAS makes PyTorch about 12x slower, "
               "an unfair baseline. Install libopenblas0-pthread (apt-get install -y "
               "libopenblas0-pthread).")
        if not args.allow_reference_blas:
            sys.exit(msg)
        print("WARNING: " + msg, file=sys.stderr)

    spec = load_spec(args.model)
    if args.p is not None:
        if not 0 < args.p <= 1:
            sys.exit("bench_torch: --p needs 0 < P <= 1")
        spec["deep_r"], spec["deepr"]["p"] = True, args.p
    if spec["deep_r"] and (spec["deepr"]["soft"] or spec["deepr"]["budget"] != "global"):
        sys.exit("bench_torch: only hard DEEP R with a global budget is modelled")
    batch = args.batch if args.batch > 0 else spec["batch"]
    n_rec = sum(p["size"] for p in spec["pops"])
    params = init_params(spec, n_rec)
    try:
        task, source = MnistTask(spec), "task data"
    except FileNotFoundError:
        task, source = None, "synthetic strokes (data set not found)"
    if args.check:
        imgs, labels = task.batch(0, 3) if task else synth_batch(0, 3)
        ok = check(torch, spec, params, encode(imgs, spec["ext_time"], spec["n_in"]), labels)
        sys.exit(0 if ok else 1)
    run, _ = build(torch, spec, params, args.no_delays)
    T = (SMNIST_PIXELS + SMNIST_CUE_STEPS) * spec["ext_time"]
    busy = cpu = rate_sum = spikes = 0.0
    for it in range(-1, args.iters):
        imgs, labels = task.batch(it + 1, batch) if task else synth_batch(it + 1, batch)
        xn = encode(imgs, spec["ext_time"], spec["n_in"])
        x, y = torch.from_numpy(xn), torch.from_numpy(labels)
        t0, c0 = time.perf_counter(), time.process_time()
        _, rate = run(x, y)
        dt = time.perf_counter() - t0
        if it >= 0:
            busy += dt
            cpu += time.process_time() - c0
            rate_sum += float(rate.mean())
            spikes += float(rate.sum()) * T
    in_spikes = float(xn.sum()) / batch
    sps = batch * args.iters / busy
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    rate_hz = rate_sum / args.iters * 1000 / spec["dt"]
    rec_spikes = spikes / args.iters
    delays = "none (one slot; not the same network)" if args.no_delays else \
        f"{spec['n_delay']} slots"
    conn = f"DEEP R p {spec['deepr']['p']:g} (masked dense)" if spec["deep_r"] else "dense"
    if args.json:
        print(json.dumps({
            "model": spec["name"], "framework": "pytorch", "torch": torch.__version__,
            "batch": batch, "steps": T, "threads": args.threads, "iters": args.iters,
            "seq_per_s": round(sps, 2), "peak_rss_mib": round(peak_mib, 1),
            "rate_hz": round(rate_hz, 2), "input_spikes_per_seq": round(in_spikes, 1),
            "cpu_ms_per_seq": round(1000 * cpu / (batch * args.iters), 3), "input": source,
            "connectivity": conn, "delays": delays, "blas": blas,
            "sgemm_gflops_per_cpu_s": round(gflops, 1)}))
    else:
        print(f"{spec['name']} (PyTorch {torch.__version__}, {conn}, delays {delays}): batch "
              f"{batch}, T {T}, {args.threads} threads, input {source}\n"
              f"  {sps:.1f} sequences/s (forward + BPTT + Adam), "
              f"{1000 * cpu / (batch * args.iters):.3f} CPU-ms per sequence, "
              f"peak RSS {peak_mib:.0f} MiB\n"
              f"  recurrent rate {rate_hz:.1f} Hz, {rec_spikes:.0f} recurrent and "
              f"{in_spikes:.0f} input spikes per sequence\n"
              f"  BLAS {blas} ({gflops:.0f} GFLOP per CPU-second on a 512^3 sgemm)")


if __name__ == "__main__":
    main()
