#!/usr/bin/python3
"""bench_brian2.py - a trained sMNIST LSNN in Brian2's C++ standalone mode: synaptic events/s.

usage: /usr/bin/python3 tools/bench_brian2.py RUN_DIR [--samples N] [--json] [--float32]
           [--repeat R] [--delays best|per-synapse|split|none] [--data-dir DIR]
           [--build-dir DIR] [--check]

The Brian2 side of the issue-12 comparison, to be put beside `build/tools/bench_ref RUN_DIR
--json` (the fixed-point reference core, one thread). Run it from the repository root, like
bench_ref (model.yaml's data_dir is relative), with Debian's python3-brian (Brian2 2.5.1) and
the system python (/usr/bin/python3). Needs numpy, PyYAML and g++.

What it builds (docs/training.md, the float model that `lsnn eval` runs and bench_ref's core
computes in fixed point):
  - one NeuronGroup of the N recurrent neurons (LIF: beta = 0, then ALIF, in model.yaml's
    population order), one of the C readout units (leaky integrators), and a
    SpikeGeneratorGroup of the 80 input channels;
  - Synapses input -> rec, rec -> rec, rec -> readout built from the NONZERO entries of w_in,
    w_rec and w_out in weights.safetensors: the trained sparsity pattern (DEEP R) or all
    entries (dense), on_pre `v_post += w` with w = (1 - alpha_post) * w_trained (the (1 - alpha)
    input factor folded in, as the compiler folds it for the core), and the trained per-synapse
    delays (delay_in, delay_rec: an input spike of step k reaches step k + d, a recurrent spike
    of step k reaches step k + 1 + d). Brian2 takes heterogeneous delays in two ways, and which
    is faster depends on the network, so by default (--delays best) both are built and run and
    the faster is reported (the other under other_delay_modes):
      per-synapse: one Synapses object per projection with a `delay` per synapse (Brian2's
                   spike queue then files every synapse of a spike by its delay);
      split:       one Synapses object per projection and delay value, each with a scalar
                   delay (the spike queue copies whole rows; more objects run every step).
    --delays none sets every delay to 0: NOT the trained network (the spikes differ), only a
    reference for what the delays cost Brian2;
  - neuron model (spike_from: new_v):
        b_k = rho b_{k-1} + (1 - rho) z_{k-1},   A_k = b0 + beta b_k
        v_k = alpha v_{k-1} + (1 - alpha) I_k - z_{k-1} A_k,   z_k = [v_k > A_k], not refractory
    written the Brian2 way: `dv/dt = -v/tau_m`, `db/dt = -b/tau_a` (method 'exact'), threshold
    `v > b0 + beta*b`, refractory (n_ref + 1)*dt (Brian2 counts the spike step itself), and a
    reset by subtraction of the NEXT step's threshold, pre-divided by the decay it will see
    (`v -= A_{k+1}/alpha; b += (1 - rho)/rho`), which gives the formulas above exactly (up to
    rounding). The schedule is groups (decay), synapses, thresholds, resets;
  - readout r_k = kappa r_{k-1} + (1 - kappa) W_out^T z: Brian2 delivers a spike of step k in
    step k + 1, so Brian2's r is the model's r one step late (same work).
  - The inputs are the first N test images of model.yaml's data set (the MNIST IDX files, in
    file order, as bench_ref and `lsnn eval` take them), encoded as runtime/tasks/smnist.c does
    (threshold crossings, 79 channels + cue, 840 steps at ext_time 1): the same spike trains.
  - Every sequence starts from the zero state, as bench_ref's CLEAR: the run is one long
    Brian2 run of N periods of T + G steps; at the start of each period a run_regularly sets
    v, b, r to 0 and forgets the last spike, and during the last G steps (G = 1 + the longest
    effective delay: 11 for delays 0..9) the threshold is lifted (a shared `gate`, set by a
    scalar operation each step) so the spikes still in Brian2's queues are delivered and
    nothing carries over. The G idle steps per sequence are timed as part of Brian2's run
    (bench_ref runs T + 1 ticks per sequence).

What it times: only the simulation loop of the compiled binary. The code Brian2 generates is
extended (device.insert_code) with clock_gettime(CLOCK_MONOTONIC) around the run call: wall
time, as bench_ref. Code generation, compilation, loading the arrays and creating the synapses
are not timed. Brian2's own figure (device._last_run_time: std::clock(), CPU time of the
process, without OpenMP) is reported as brian2_run_cpu_s. One thread: OpenMP off
(prefs.devices.cpp_standalone.openmp_threads = 0). Brian2's default g++ flags (-O3 -ffast-math
-march=native). --repeat R runs the compiled binary R times and reports the best wall time (as
bench_ref --repeat) and the median.

Synaptic events: every presynaptic spike times its number of synapses (input spikes x input
out-degree, recurrent spikes x (recurrent + readout out-degree)), the spikes counted by a
SpikeMonitor(record=False) during the run. That counts what Brian2 delivers (also the deliveries
of the idle steps); bench_ref's syn_ops counts the same thing on the core (one per valid synapse
lane delivered), over its own synapse list (weights that quantise to 0 are dropped there).
neuron_updates = (N + C) x all steps, as bench_ref counts rec + readout units per tick.

--float32 sets Brian2's default float type to float32 (the trained weights are float32; the
default is float64). --check builds with a full SpikeMonitor instead, runs at most 3 sequences
and compares every spike (step, neuron) with a numpy float64 model of docs/training.md; it
times nothing (exit status 1 if they differ). On both trained sMNIST networks the spike trains
are identical, and the spike counts equal those of `lsnn eval` (the float engine).
--json prints one JSON object (keys include syn_events, wall_s, syn_events_per_s, neurons,
synapses, steps, sequences, float_type).
"""
import argparse
import contextlib
import json
import os
import shutil
import struct
import sys
import tempfile

import numpy as np

# -------------------------------------------------------------------------------------------
# the trained network


def load_safetensors(path):
    """{name: numpy array} of a safetensors file (8-byte LE header length, JSON header, data)."""
    dtypes = {'F32': '<f4', 'F64': '<f8', 'U8': 'u1', 'I8': 'i1', 'I32': '<i4', 'I64': '<i8',
              'U32': '<u4', 'F16': '<f2'}
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        a, b = info['data_offsets']
        out[name] = np.frombuffer(raw[8 + n + a:8 + n + b],
                                  dtype=dtypes[info['dtype']]).reshape(info['shape'])
    return out


def load_model(run_dir):
    import yaml
    with open(os.path.join(run_dir, 'model.yaml')) as f:
        spec = yaml.safe_load(f)
    net, task = spec['network'], spec['task']
    if task.get('kind') != 'smnist':
        sys.exit(f"bench_brian2: {run_dir}: task kind '{task.get('kind')}' (only smnist)")
    if net.get('spike_from', 'new_v') != 'new_v':
        sys.exit("bench_brian2: only spike_from: new_v is modelled")
    dt = float(net.get('dt_ms', 1))
    alpha, b0, beta, rho, nref, kinds = [], [], [], [], [], []
    for p in net['populations']:
        if p.get('tau_syn_ms'):
            sys.exit('bench_brian2: CUBA populations (tau_syn_ms) are not modelled')
        n = int(p['size'])
        ta = float(p.get('tau_a_ms', 0) or 0) if p['kind'] == 'alif' else 0.0
        alpha += [np.exp(-dt / float(p['tau_m_ms']))] * n
        b0 += [float(p['b0'])] * n
        beta += [float(p.get('beta', 0)) if p['kind'] == 'alif' else 0.0] * n
        rho += [np.exp(-dt / ta) if ta > 0 else 0.0] * n
        nref += [int(p.get('refractory', 0))] * n
        kinds.append((p['name'], p['kind'], n))
    w = load_safetensors(os.path.join(run_dir, 'weights.safetensors'))
    m = dict(spec=spec, dt=dt, kinds=kinds,
             alpha=np.array(alpha), b0=np.array(b0), beta=np.array(beta), rho=np.array(rho),
             nref=np.array(nref), kappa=np.exp(-dt / float(net['readout']['tau_ms'])),
             w_in=w['w_in'].astype(np.float64), w_rec=w['w_rec'].astype(np.float64),
             w_out=w['w_out'].astype(np.float64),
             d_in=w['delay_in'].astype(np.int64), d_rec=w['delay_rec'].astype(np.int64))
    I, N = m['w_in'].shape
    assert m['w_rec'].shape == (N, N) and m['w_out'].shape[0] == N and len(alpha) == N
    return m


# -------------------------------------------------------------------------------------------
# the sMNIST test sequences (runtime/tasks/smnist.c)


def load_idx_images(path):
    with open(path, 'rb') as f:
        raw = f.read()
    magic, n, rows, cols = struct.unpack('>IIII', raw[:16])
    if magic != 0x803 or rows != 28 or cols != 28:
        sys.exit(f'bench_brian2: {path}: not a 28x28 IDX image file')
    return np.frombuffer(raw[16:16 + n * 784], dtype=np.uint8).reshape(n, 784)


def encode_smnist(px, ext_time=1):
    """(step, channel) pairs of one image, in step order; T = 840 * ext_time steps."""
    def level(b):
        return min((39 * int(b)) // 255, 38)
    steps, chans, t = [], [], 0
    for p in range(784):
        for r in range(ext_time):
            if r == ext_time - 1 and p + 1 < 784:
                lo, hi = level(px[p]), level(px[p + 1])
                for k in range(lo + 1, hi + 1):
                    steps.append(t), chans.append(2 * k)
                for k in range(hi + 1, lo + 1):
                    steps.append(t), chans.append(2 * k + 1)
            if px[p] == 255:
                steps.append(t), chans.append(78)
            t += 1
    for _ in range(56 * ext_time):
        steps.append(t), chans.append(79)
        t += 1
    return np.array(steps, dtype=np.int64), np.array(chans, dtype=np.int64), t


def test_sequences(m, data_dir, n):
    sm = m['spec']['task']
    ext = int(sm.get('ext_time', 1))
    path = os.path.join(data_dir, 't10k-images-idx3-ubyte')
    if not os.path.exists(path):
        sys.exit(f'bench_brian2: {path} not found (run from the repository root or give '
                 '--data-dir)')
    imgs = load_idx_images(path)
    limit = int(sm.get('test_limit', 0) or 0)
    avail = min(len(imgs), limit) if limit > 0 else len(imgs)
    seqs = [encode_smnist(imgs[i], ext) for i in range(min(n, avail))]
    return seqs, seqs[0][2]


# -------------------------------------------------------------------------------------------
# numpy float64 model of docs/training.md (for --check only)


def numpy_spikes(m, steps, chans, T):
    I, N = m['w_in'].shape
    D = int(max(m['d_in'].max(), m['d_rec'].max() + 1)) + 1
    ring = np.zeros((D, N))
    v, b, z = np.zeros(N), np.zeros(N), np.zeros(N)
    ref = np.zeros(N, dtype=np.int64)
    wi = m['w_in'] * (1 - m['alpha'])[None, :]
    wr = m['w_rec'] * (1 - m['alpha'])[None, :]
    by_step = [[] for _ in range(T)]
    for s, c in zip(steps, chans):
        by_step[s].append(c)
    out = []
    for k in range(T):
        for i in by_step[k]:
            np.add.at(ring, ((k + m['d_in'][i]) % D, np.arange(N)), wi[i])
        I_k = ring[k % D].copy()
        ring[k % D] = 0
        b = m['rho'] * b + (1 - m['rho']) * z
        A = m['b0'] + m['beta'] * b
        v = m['alpha'] * v + I_k - z * A
        free = ref == 0
        ref = np.maximum(ref - 1, 0)
        zn = ((v > A) & free).astype(np.float64)
        ref[zn > 0] = m['nref'][zn > 0]
        for j in np.nonzero(zn)[0]:
            out.append((k, j))
            np.add.at(ring, ((k + 1 + m['d_rec'][j]) % D, np.arange(N)), wr[j])
        z = zn
    return out


# -------------------------------------------------------------------------------------------
# the Brian2 network


@contextlib.contextmanager
def stdout_to_stderr():
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def build_and_run(m, seqs, T, args, mode, build_dir, check=False):
    import brian2 as b2
    from brian2 import ms

    if b2.get_device() is b2.all_devices['cpp_standalone'] and b2.device.has_been_run:
        b2.device.reinit()  # a second build in this process (--delays best)
    b2.set_device('cpp_standalone', directory=None, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0
    b2.prefs.devices.cpp_standalone.extra_make_args_unix = ['-j1']
    b2.prefs.core.default_float_dtype = np.float32 if args.float32 else np.float64
    b2.prefs.logging.file_log = False
    b2.prefs.logging.std_redirection = False
    dt = m['dt'] * ms
    b2.defaultclock.dt = dt
    I, N = m['w_in'].shape
    C = m['w_out'].shape[1]
    S = len(seqs)
    G = int(max(m['d_in'].max(), m['d_rec'].max() + 1)) + 1  # idle steps after a sequence
    P = T + G

    # inputs: sequence s occupies steps s*P .. s*P + T - 1
    idx = np.concatenate([c for (_, c, _) in seqs])
    stp = np.concatenate([st + s * P for s, (st, _, _) in enumerate(seqs)])
    inp = b2.SpikeGeneratorGroup(I, idx, stp * dt, when='start', name='inp')

    uniform = lambda a: np.allclose(a, a[0], rtol=0, atol=0)
    alif = m['beta'] != 0
    tau_a_vals = -m['dt'] / np.log(m['rho'][alif]) if alif.any() else np.array([1.0])
    if not all(uniform(a) for a in (m['alpha'], m['b0'], tau_a_vals, m['nref'])):
        sys.exit('bench_brian2: populations with different tau_m, b0, tau_a or refractory '
                 'periods: not modelled')
    alpha, rho = float(m['alpha'][0]), float(np.exp(-m['dt'] / tau_a_vals[0]))
    ns = dict(tau_m=-dt / np.log(alpha), tau_a=float(tau_a_vals[0]) * ms, b0=float(m['b0'][0]),
              alpha=alpha, rho=rho, one_m_rho_over_rho=(1 - rho) / rho, T_seq=T, P_per=P)
    eqs = '''
    dv/dt = -v/tau_m : 1
    db/dt = -b/tau_a : 1
    beta : 1 (constant)
    gate : 1 (shared)
    phase : integer (shared)
    '''
    rec = b2.NeuronGroup(N, eqs, method='exact', threshold='v > b0 + beta*b + gate',
                         reset='v -= (b0 + beta*(rho*b + 1 - rho))/alpha\n'
                               'b += one_m_rho_over_rho',
                         refractory=(int(m['nref'][0]) + 1) * dt, namespace=ns, name='rec')
    rec.beta = m['beta']
    # the gate: threshold lifted in the G idle steps of every period (scalar code, each step)
    rec.run_regularly('gate = 1e30*int(phase >= T_seq)\nphase = (phase + 1) % P_per',
                      when='start', order=1, name='rec_gate')
    # zero state at the start of every period
    rec.run_regularly('v = 0\nb = 0\nlastspike = -1e4*second',
                      dt=P * dt, when='start', order=0, name='rec_clear')
    out = b2.NeuronGroup(C, 'dr/dt = -r/tau_o : 1', method='exact',
                         namespace=dict(tau_o=-dt / np.log(m['kappa'])), name='readout')
    out.run_regularly('r = 0', dt=P * dt, when='start', order=0, name='readout_clear')

    def synapses(src, tgt, var, W, D, fold, name):
        """Synapses objects for the nonzero entries of W (the trained connectivity), and the
        out-degree of every source."""
        i, j = np.nonzero(W)
        if D is None or mode == 'none':
            D = np.zeros(W.shape, dtype=np.int64)
        d = D[i, j]
        if mode == 'split':  # one Synapses object per delay value, scalar delay each
            groups = [(f'{name}_d{v}', d == v, v) for v in np.unique(d)]
        else:  # one Synapses object with a delay per synapse
            groups = [(name, np.ones(len(i), dtype=bool), None)]
        objs = []
        for gname, sel, v in groups:
            syn = b2.Synapses(src, tgt, 'w : 1 (constant)', on_pre=f'{var}_post += w',
                              delay=None if v is None else v * dt, name=gname)
            syn.connect(i=i[sel], j=j[sel])
            syn.w = W[i[sel], j[sel]] * fold[j[sel]]
            if v is None and d.any():
                syn.delay = d * dt
            objs.append(syn)
        return objs, np.bincount(i, minlength=W.shape[0])

    s_in, deg_in = synapses(inp, rec, 'v', m['w_in'], m['d_in'], 1 - m['alpha'], 's_in')
    s_rec, deg_rec = synapses(rec, rec, 'v', m['w_rec'], m['d_rec'], 1 - m['alpha'], 's_rec')
    s_out, deg_out = synapses(rec, out, 'r', m['w_out'], None, np.full(C, 1 - m['kappa']),
                              's_out')
    mon = b2.SpikeMonitor(rec, record=check, name='rec_spikes')

    net = b2.Network(inp, rec, out, *s_in, *s_rec, *s_out, mon)
    net.schedule = ['start', 'groups', 'synapses', 'thresholds', 'resets', 'end']
    dev = b2.device
    dev.insert_code('main', 'struct timespec bb_t0, bb_t1; clock_gettime(CLOCK_MONOTONIC, &bb_t0);')
    net.run(S * P * dt)
    dev.insert_code('main', 'clock_gettime(CLOCK_MONOTONIC, &bb_t1);\n'
                    '{ FILE *bb_f = fopen("results/bench_wall_s.txt", "w");\n'
                    '  if (bb_f) { fprintf(bb_f, "%.9f\\n", (bb_t1.tv_sec - bb_t0.tv_sec) + '
                    '1e-9 * (bb_t1.tv_nsec - bb_t0.tv_nsec)); fclose(bb_f); } }')
    b2.prefs.codegen.cpp.headers = ['<stdio.h>', '<time.h>']
    walls, cpus = [], []
    with stdout_to_stderr():  # make's and the binary's output must not mix with --json
        dev.build(directory=build_dir, compile=True, run=False, with_output=False)
        for _ in range(1 if check else args.repeat):
            dev.run(build_dir, with_output=False, run_args=[])
            with open(os.path.join(build_dir, 'results', 'bench_wall_s.txt')) as f:
                walls.append(float(f.read()))
            cpus.append(float(dev._last_run_time))
    counts = np.asarray(mon.count[:], dtype=np.int64)
    in_counts = np.bincount(idx, minlength=I)
    res = dict(mode=mode, walls=walls, cpus=cpus, build_dir=build_dir,
               S=S, T=T, P=P, G=G, N=N, C=C, I=I,
               rec_spikes=int(counts.sum()), in_spikes=int(len(idx)),
               syn_events=int((in_counts * deg_in).sum() + (counts * (deg_rec + deg_out)).sum()),
               synapses=dict(input=int(deg_in.sum()), recurrent=int(deg_rec.sum()),
                             readout=int(deg_out.sum())))
    if check:
        res['spikes'] = list(zip(np.asarray(mon.t[:] / dt + 0.5, dtype=np.int64).tolist(),
                                 np.asarray(mon.i[:]).tolist()))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('run_dir')
    ap.add_argument('--samples', type=int, default=100, help='test sequences (default 100)')
    ap.add_argument('--json', action='store_true', help='one JSON object')
    ap.add_argument('--float32', action='store_true', help='float32 (default float64)')
    ap.add_argument('--repeat', type=int, default=1, help='runs of the compiled binary')
    ap.add_argument('--delays', choices=('best', 'split', 'per-synapse', 'none'), default='best',
                    help='how the trained delays are given to Brian2: per-synapse (one '
                         'Synapses object per projection, a delay variable per synapse), '
                         'split (one Synapses object per projection and delay value, each '
                         'with a scalar delay), best (default: both, the faster reported) or '
                         'none (all delays 0: NOT the trained network, for reference only)')
    ap.add_argument('--data-dir', help="the IDX files (default: model.yaml's data_dir)")
    ap.add_argument('--build-dir', help='where Brian2 writes the project, kept (default: a '
                                        'temporary directory, removed)')
    ap.add_argument('--check', action='store_true',
                    help='compare spikes with a numpy float64 model on <= 3 sequences; no timing')
    args = ap.parse_args()
    if args.samples < 1 or args.repeat < 1:
        sys.exit('bench_brian2: --samples and --repeat must be >= 1')
    m = load_model(args.run_dir)
    data_dir = args.data_dir or m['spec']['task'].get('data_dir', 'data/mnist')
    seqs, T = test_sequences(m, data_dir, min(3, args.samples) if args.check else args.samples)
    float_type = 'float32' if args.float32 else 'float64'
    modes = ['per-synapse', 'split'] if args.delays == 'best' else [args.delays]
    base = args.build_dir or tempfile.mkdtemp(prefix='bench_brian2_')
    try:
        runs = [build_and_run(m, seqs, T, args, mode,
                              base if len(modes) == 1 else os.path.join(base, mode), args.check)
                for mode in modes]
    finally:
        if not args.build_dir:  # a temporary project: removed (--build-dir keeps it)
            shutil.rmtree(base, ignore_errors=True)

    if args.check:
        bad = 0
        refs = [sorted(numpy_spikes(m, st, ch, T)) for (st, ch, _) in seqs]
        for r in runs:
            for s, ref in enumerate(refs):
                got = sorted((t - s * r['P'], i) for t, i in r['spikes']
                             if s * r['P'] <= t < (s + 1) * r['P'])
                same = len(set(ref) & set(got))
                first = next((a for a, b in zip(ref, got) if a != b), None)
                print(f"delays {r['mode']}, sequence {s}: numpy {len(ref)} spikes, Brian2 "
                      f"{len(got)} spikes, {same} identical (step, neuron) pairs"
                      + (f'; first difference at step {first[0]}' if first else ''))
                bad += len(ref) != len(got) or same != len(ref)
        print(f'check ({float_type}): ' + ('spike trains identical' if not bad else
                                            f'{bad} sequence(s) differ'))
        return 0 if not bad else 1

    def summary(r):
        walls = sorted(r['walls'])
        best, median = walls[0], float(np.median(walls))
        steps_all = r['S'] * r['P']
        neurons = r['N'] + r['C']
        nupd = neurons * steps_all
        syn = r['synapses']
        return dict(
            run=args.run_dir, simulator='brian2 %s cpp_standalone' % brian2_version(),
            threads=1, float_type=float_type, delays=r['mode'], sequences=r['S'],
            steps=r['T'], idle_steps=r['G'], steps_total=steps_all, neurons=neurons,
            synapses=syn['input'] + syn['recurrent'] + syn['readout'],
            synapses_input=syn['input'], synapses_recurrent=syn['recurrent'],
            synapses_readout=syn['readout'], input_spikes=r['in_spikes'],
            spikes=r['rec_spikes'], syn_events=r['syn_events'], neuron_updates=nupd,
            repeat=args.repeat, wall_s=best, wall_s_median=median,
            brian2_run_cpu_s=min(r['cpus']), syn_events_per_s=r['syn_events'] / best,
            syn_events_per_s_median=r['syn_events'] / median,
            neuron_updates_per_s=nupd / best, ns_per_neuron_update=1e9 * best / nupd,
            inputs='the spike trains of bench_ref: the first %d test images of %s'
                   % (r['S'], data_dir))

    outs = sorted((summary(r) for r in runs), key=lambda o: o['wall_s'])
    out = dict(outs[0])
    if len(outs) > 1:
        out['other_delay_modes'] = {o['delays']: dict(wall_s=o['wall_s'],
                                                      syn_events=o['syn_events'],
                                                      syn_events_per_s=o['syn_events_per_s'])
                                    for o in outs[1:]}
    if args.json:
        print(json.dumps(out))
        return 0
    o = out
    print(f"bench_brian2 {args.run_dir} ({o['simulator']}, 1 thread, {float_type}): "
          f"{o['sequences']} sequences x {o['steps']} steps (+{o['idle_steps']} idle), "
          f"{o['neurons']} neurons, {o['synapses']} synapses ({o['synapses_input']} in, "
          f"{o['synapses_recurrent']} rec, {o['synapses_readout']} out), {o['input_spikes']} "
          f"input spikes, {o['spikes']} spikes, {o['syn_events']} syn events, "
          f"{o['neuron_updates']} neuron updates")
    for o in outs:
        print(f"delays {o['delays']}: wall {o['wall_s']:.4f} s (best of {args.repeat}; median "
              f"{o['wall_s_median']:.4f} s; Brian2's CPU time {o['brian2_run_cpu_s']:.4f} s): "
              f"{o['syn_events_per_s'] * 1e-6:.1f} M syn events/s (median "
              f"{o['syn_events_per_s_median'] * 1e-6:.1f} M), "
              f"{o['neuron_updates_per_s'] * 1e-6:.1f} M neuron updates/s, "
              f"{o['ns_per_neuron_update']:.2f} ns per neuron update"
              + ('  <- best' if o is outs[0] and len(outs) > 1 else ''))
    return 0


def brian2_version():
    import brian2
    return brian2.__version__


if __name__ == '__main__':
    sys.exit(main())
