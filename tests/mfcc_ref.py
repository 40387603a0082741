#!/usr/bin/python3
"""mfcc_ref.py - an independent numpy reference of python_speech_features' mfcc + delta.

Written from the library's documented algorithm (docs/speech-features.md, "Reference"), all
in float64, to check runtime/tasks/mfcc.c (float FFT). Needs only numpy (Debian's
python3-numpy); run with /usr/bin/python3.

usage:
  mfcc_ref.py signal OUT.raw                 the deterministic test signal, int16 LE, 16 kHz
  mfcc_ref.py mfcc IN.raw OUT.txt [options]  39 features per frame, one frame per line
      --hamming        Hamming window instead of python_speech_features' rectangular one
      --central        the e-prop deltas (c[t+1] - c[t-1], 0 at the ends) instead of delta(N=2)
      --samples N      use the first N samples of IN.raw only
  mfcc_ref.py compare REF.txt GOT.txt ATOL RTOL
      passes when every |got - ref| <= ATOL + RTOL |ref| (same frame count required); prints
      the largest absolute and relative errors per block (statics, deltas, delta-deltas)
"""
import sys

import numpy as np

RATE = 16000


def test_signal():
    """0.4 s: a chirp 100 Hz -> 5 kHz, two tones and noise, with 40 ms of digital silence at
    190..230 ms (samples 3040..3679) so that frame 20 (samples 3200..3599) is all zeros."""
    n = int(0.4 * RATE)
    t = np.arange(n) / RATE
    f0, f1, dur = 100.0, 5000.0, n / RATE
    chirp = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * dur)))  # linear sweep
    tones = 0.35 * np.sin(2 * np.pi * 440.0 * t) + 0.2 * np.sin(2 * np.pi * 1800.0 * t + 0.3)
    noise = np.random.RandomState(15).standard_normal(n)  # legacy generator: a fixed stream
    x = 9000.0 * chirp + 9000.0 * tones + 400.0 * noise
    x[3040:3680] = 0.0
    return np.clip(np.round(x), -32768, 32767).astype("<i2")


def frames_of(sig, win, hop):
    """framesig: one frame for len <= win, else 1 + ceil((len - win) / hop); zero padding."""
    n = len(sig)
    count = 1 if n <= win else 1 + -(-(n - win) // hop)
    padded = np.concatenate([sig, np.zeros(max(0, (count - 1) * hop + win - n))])
    return np.stack([padded[i * hop : i * hop + win] for i in range(count)])


def mel_filters(nfilt, nfft, rate, low, high):
    """get_filterbanks: linspace in mel, bins floor((nfft + 1) hz / rate), triangles."""
    mel = np.linspace(2595 * np.log10(1 + low / 700.0), 2595 * np.log10(1 + high / 700.0), nfilt + 2)
    bins = np.floor((nfft + 1) * (700 * (10 ** (mel / 2595.0) - 1)) / rate).astype(int)
    fb = np.zeros((nfilt, nfft // 2 + 1))
    for j in range(nfilt):
        for i in range(bins[j], bins[j + 1]):
            fb[j, i] = (i - bins[j]) / (bins[j + 1] - bins[j])
        for i in range(bins[j + 1], bins[j + 2]):
            fb[j, i] = (bins[j + 2] - i) / (bins[j + 2] - bins[j + 1])
    return fb


def dct2_ortho(x):
    """scipy.fftpack.dct(x, type=2, axis=1, norm='ortho'), by its definition."""
    n = x.shape[1]
    k = np.arange(n)[:, None]
    basis = np.cos(np.pi * k * (2 * np.arange(n)[None, :] + 1) / (2 * n))
    scale = np.full(n, np.sqrt(2.0 / n))
    scale[0] = np.sqrt(1.0 / n)
    return (x @ basis.T) * scale


def mfcc(sig, hamming=False, numcep=13, nfilt=26, nfft=512, preemph=0.97, lifter=22):
    x = sig.astype(np.float64)
    y = np.append(x[0], x[1:] - preemph * x[:-1])
    fr = frames_of(y, 400, 160)
    if hamming:
        fr = fr * np.hamming(400)
    pspec = np.abs(np.fft.rfft(fr, nfft)) ** 2 / nfft
    energy = pspec.sum(axis=1)
    energy[energy == 0] = np.finfo(float).eps
    feat = pspec @ mel_filters(nfilt, nfft, RATE, 0, RATE / 2).T
    feat[feat == 0] = np.finfo(float).eps
    cep = dct2_ortho(np.log(feat))[:, :numcep]
    cep *= 1 + (lifter / 2.0) * np.sin(np.pi * np.arange(numcep) / lifter)
    cep[:, 0] = np.log(energy)
    return cep


def delta_regression(feat, n=2):
    """delta(feat, N): edge-padded regression over +-N frames."""
    pad = np.pad(feat, ((n, n), (0, 0)), mode="edge")
    den = 2 * sum(i * i for i in range(1, n + 1))
    w = np.arange(-n, n + 1)
    return np.stack([w @ pad[t : t + 2 * n + 1] / den for t in range(len(feat))])


def delta_central(feat):
    d = np.zeros_like(feat)
    d[1:-1] = feat[2:] - feat[:-2]
    return d


def main(argv):
    if len(argv) >= 2 and argv[0] == "signal":
        test_signal().tofile(argv[1])
        return 0
    if len(argv) >= 3 and argv[0] == "mfcc":
        sig = np.fromfile(argv[1], dtype="<i2")
        opts = argv[3:]
        if "--samples" in opts:
            sig = sig[: int(opts[opts.index("--samples") + 1])]
        cep = mfcc(sig, hamming="--hamming" in opts)
        delta = delta_central if "--central" in opts else delta_regression
        d1 = delta(cep)
        feat = np.concatenate([cep, d1, delta(d1)], axis=1)
        np.savetxt(argv[2], feat, fmt="%.17g")
        return 0
    if len(argv) == 5 and argv[0] == "compare":
        ref = np.atleast_2d(np.loadtxt(argv[1]))
        got = np.atleast_2d(np.loadtxt(argv[2]))
        if ref.shape != got.shape:
            print(f"compare: shapes differ: reference {ref.shape}, got {got.shape}")
            return 1
        atol, rtol = float(argv[3]), float(argv[4])
        err = np.abs(got - ref)
        ncep = ref.shape[1] // 3
        for b, name in enumerate(["static", "delta", "delta2"]):
            e = err[:, b * ncep : (b + 1) * ncep]
            r = np.abs(ref[:, b * ncep : (b + 1) * ncep])
            rel = e / np.maximum(r, 1.0)  # relative to the value, or absolute below 1
            print(f"compare {name}: max abs err {e.max():.3g}, max rel err {rel.max():.3g} "
                  f"(|ref| up to {r.max():.3g})")
        bad = np.argwhere(err > atol + rtol * np.abs(ref))
        for t, k in bad[:10]:
            print(f"compare: frame {t} feature {k}: reference {ref[t, k]!r}, got {got[t, k]!r}")
        print(f"compare: {ref.shape[0]} frames x {ref.shape[1]} features, "
              f"{len(bad)} outside {atol} + {rtol} |ref|")
        return 1 if len(bad) else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
