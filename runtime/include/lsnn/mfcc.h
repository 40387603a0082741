/* mfcc.h - the speech front end: 16-bit audio to MFCC + delta + delta-delta frames.
 *
 * The algorithm is python_speech_features' mfcc() with its defaults (the e-prop TIMIT code,
 * lsnn-model.md §5.2, calls it with winlen 0.025, winstep 0.01 and nothing else), on the raw
 * int16 sample values (no scaling to [-1, 1], as that code reads them with scipy's wavfile):
 *
 *   pre-emphasis y[0] = x[0], y[t] = x[t] - 0.97 x[t-1]; frames of win_len samples every hop
 *   samples, the last one zero-padded (lsnn_mfcc_frames); a rectangular window (the
 *   library's default winfunc; Hamming on request); power spectrum |rfft(frame, n_fft)|^2 /
 *   n_fft; frame energy = its sum over the n_fft/2+1 bins; n_filt triangular mel filters;
 *   log (an exact 0 becomes DBL_EPSILON first); orthonormal DCT-II, the first n_cep kept;
 *   lifter 1 + (L/2) sin(pi k / L); c0 replaced by log(frame energy).
 *
 * Then delta and delta-delta of the n_cep static coefficients (the delta of the delta), by
 * default as python_speech_features' delta(feat, 2): d[t] = sum_{n=1..N} n (c[t+n] - c[t-n]) /
 * (2 sum n^2), frames beyond either end repeating the edge frame. A frame holds 3*n_cep
 * features: the statics, then the deltas, then the delta-deltas. docs/speech-features.md
 * has the details, the e-prop variant of the deltas and how the tests check all this.
 *
 * The FFT is FFTW's single-precision real transform (fftw3f); everything around it is double,
 * the features are float, log/exp/cos are pmath.h's. Results are deterministic: the plan is
 * made with FFTW_ESTIMATE (no timing) and FFTW_NO_SIMD (no codelet chosen by the CPU's vector
 * extensions). */
#ifndef LSNN_MFCC_H
#define LSNN_MFCC_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LSNN_MFCC_MAX_FFT     65536      /* n_fft limit */
#define LSNN_MFCC_MAX_FILTERS 256        /* n_filt limit */
#define LSNN_MFCC_MAX_SAMPLES (1L << 30) /* signal length limit: about 18 h at 16 kHz */

typedef enum {
    LSNN_MFCC_RECT,    /* python_speech_features' default winfunc, numpy.ones */
    LSNN_MFCC_HAMMING, /* numpy.hamming(win_len): 0.54 - 0.46 cos(2 pi n / (win_len - 1)) */
} lsnn_mfcc_window;

typedef enum {
    LSNN_MFCC_DELTA_REGRESSION, /* python_speech_features' delta(feat, delta_n), edges repeated */
    LSNN_MFCC_DELTA_CENTRAL,    /* e-prop tools.py: d[t] = c[t+1] - c[t-1], 0 at both ends */
} lsnn_mfcc_delta;

typedef struct {
    int sample_rate;        /* Hz, 1000..192000; the audio given must have this rate */
    int win_len;            /* samples per frame, 1..n_fft (400: 25 ms at 16 kHz) */
    int hop;                /* samples from one frame's start to the next, >= 1 (160) */
    int n_fft;              /* FFT length, even, win_len..LSNN_MFCC_MAX_FFT (512) */
    int n_filt;             /* mel filters, 1..LSNN_MFCC_MAX_FILTERS (26) */
    int n_cep;              /* cepstral coefficients kept, 1..n_filt (13) */
    double low_hz, high_hz; /* filter bank band, 0 <= low < high <= sample_rate/2 */
    double preemph;         /* pre-emphasis coefficient in [0, 1); 0 = none (0.97) */
    int lifter;             /* cepstral lifter L >= 0; 0 = none (22) */
    int append_energy;      /* 1: c0 is log(frame energy), as python_speech_features' default */
    lsnn_mfcc_window window;
    lsnn_mfcc_delta delta;
    int delta_n; /* regression half-width N of LSNN_MFCC_DELTA_REGRESSION, 1..16 (2) */
} lsnn_mfcc_config;

typedef struct lsnn_mfcc lsnn_mfcc; /* a front end: tables, FFT plan and buffers */

/* Fills c with python_speech_features' defaults for audio of sample_rate Hz: win_len and hop
 * of 25 and 10 ms rounded half up, n_fft the least power of two >= win_len, 26 filters from
 * 0 Hz to sample_rate/2, 13 coefficients, pre-emphasis 0.97, lifter 22, energy in c0, a
 * rectangular window, regression deltas over +-2 frames. This function can't fail (a bad
 * rate is reported by lsnn_mfcc_new). */
void lsnn_mfcc_defaults(lsnn_mfcc_config *c, int sample_rate);

/* Makes a front end for config c (copied): checks every field against the limits above, builds
 * the window, mel filter and DCT tables and the FFT plan. Returns NULL with the field and its
 * limit in e on bad config or OOM.
 *
 * Not thread-safe with other FFTW planning: FFTW's planner has global state. This file's own
 * plan creations and destructions are serialised by a mutex, but a caller that also makes
 * FFTW plans elsewhere must not do so while lsnn_mfcc_new or lsnn_mfcc_free runs. A front end
 * has working buffers: use one per thread; distinct front ends may compute concurrently. */
lsnn_mfcc *lsnn_mfcc_new(const lsnn_mfcc_config *c, lsnn_error *e);

/* Frees a front end and its plan (see lsnn_mfcc_new on threads); NULL is allowed. */
void lsnn_mfcc_free(lsnn_mfcc *m);

/* The front end's configuration. */
const lsnn_mfcc_config *lsnn_mfcc_get_config(const lsnn_mfcc *m);

/* Features per frame: 3 * n_cep (39 with the defaults). */
int lsnn_mfcc_n_features(const lsnn_mfcc *m);

/* Frames of a signal of n samples, as python_speech_features' framesig: 0 for n = 0 (an
 * error for lsnn_mfcc_compute), 1 for 1 <= n <= win_len (the signal zero-padded to one
 * window), else 1 + ceil((n - win_len) / hop), the last frame zero-padded. -1 if n exceeds
 * LSNN_MFCC_MAX_SAMPLES or win_len/hop are < 1. */
long lsnn_mfcc_frames(const lsnn_mfcc_config *c, size_t n);

/* Computes the features of the n samples at x (sample_rate Hz) into out, which holds
 * lsnn_mfcc_frames(config, n) * lsnn_mfcc_n_features(m) floats, frame after frame.
 * Deterministic: the same samples give the same bits. Returns 0, or -1 with out untouched
 * when n is 0 or over LSNN_MFCC_MAX_SAMPLES or sample_rate differs from the front end's
 * (no resampling is done). */
int lsnn_mfcc_compute(lsnn_mfcc *m, const int16_t *x, size_t n, int sample_rate, float *out,
                      lsnn_error *e);

/* The delta columns of n_frames frames of 3*n_cep features whose first n_cep are filled:
 * writes the deltas of the statics, then the deltas of those, as kind and delta_n say
 * (delta_n is used by LSNN_MFCC_DELTA_REGRESSION only, 1..16). lsnn_mfcc_compute calls it;
 * exposed for features made elsewhere. This function can't fail (n_frames >= 1). */
void lsnn_mfcc_deltas(float *feat, int n_frames, int n_cep, lsnn_mfcc_delta kind, int delta_n);

#endif
