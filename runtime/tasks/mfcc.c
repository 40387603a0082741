/* mfcc.c - MFCC frames of 16-bit audio, as python_speech_features computes them (mfcc.h).
 *
 * A front end holds everything that depends on the configuration only: the window, the mel
 * filters (sparse: filter j covers bins bin[j] .. bin[j+2]-1), the DCT-II table with the
 * lifter folded in, and an FFTW plan with its own aligned buffers. A frame then costs one
 * real FFT of n_fft points plus about 2 (n_fft/2) + n_cep*n_filt multiply-adds.
 *
 * The filter edges follow get_filterbanks exactly: mel points linspace(mel(low), mel(high),
 * n_filt + 2) with the last point exactly mel(high), bin = floor((n_fft + 1) hz / rate),
 * weights (i - bin[j]) / (bin[j+1] - bin[j]) rising, (bin[j+2] - i) / (bin[j+2] - bin[j+1])
 * falling; a side with equal bins is empty. */
#include "mfcc.h"

#include <fftw3.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pmath.h"

#define PI 3.14159265358979323846 /* numpy.pi, as a double */

struct lsnn_mfcc {
    lsnn_mfcc_config c;
    double *win;            /* win_len window weights */
    int *fb_lo;             /* n_filt: first bin of filter j */
    int *fb_off;            /* n_filt + 1: filter j's weights are fb_w[fb_off[j] .. fb_off[j+1]) */
    double *fb_w;           /* weights of bins fb_lo[j], fb_lo[j]+1, ... */
    double *dct;            /* n_cep x n_filt: orthonormal DCT-II rows times lifter(k) */
    double *pspec;          /* n_fft/2 + 1 power spectrum of the current frame */
    double *logfb;          /* n_filt log filter energies of the current frame */
    float *fft_in;          /* n_fft real input (fftwf_malloc'ed) */
    fftwf_complex *fft_out; /* n_fft/2 + 1 bins */
    fftwf_plan plan;
};

/* FFTW's planner is not thread-safe (only fftwf_execute is): one lock for this file's
 * plan creations and destructions. */
static pthread_mutex_t plan_lock = PTHREAD_MUTEX_INITIALIZER;

/* The transcendental functions are pmath.h's, the same on every CPU (glibc's pick code by
 * CPU and may differ in the last bit): log10 y = log y / log 10, 10^x = exp(x log 10),
 * sin x = cos(pi/2 - x). */
static double hz2mel(double hz)
{
    return 2595.0 * (lsnn_log(1.0 + hz / 700.0) / lsnn_log(10.0));
}

static double mel2hz(double mel)
{
    return 700.0 * (lsnn_exp(mel / 2595.0 * lsnn_log(10.0)) - 1.0);
}

/* Rounds rate * ms / 1000 half up, as round_half_up(winlen * samplerate) does for exact
 * decimal products. */
static int ms_to_samples(int rate, int ms)
{
    return (int)(((long)rate * ms + 500) / 1000);
}

void lsnn_mfcc_defaults(lsnn_mfcc_config *c, int sample_rate)
{
    memset(c, 0, sizeof *c);
    c->sample_rate = sample_rate;
    c->win_len = ms_to_samples(sample_rate, 25);
    c->hop = ms_to_samples(sample_rate, 10);
    c->n_fft = 1;
    while (c->n_fft < c->win_len && c->n_fft < LSNN_MFCC_MAX_FFT)
        c->n_fft *= 2;
    c->n_filt = 26;
    c->n_cep = 13;
    c->low_hz = 0.0;
    c->high_hz = sample_rate / 2.0;
    c->preemph = 0.97;
    c->lifter = 22;
    c->append_energy = 1;
    c->window = LSNN_MFCC_RECT;
    c->delta = LSNN_MFCC_DELTA_REGRESSION;
    c->delta_n = 2;
}

static int check_config(const lsnn_mfcc_config *c, lsnn_error *e)
{
    if (c->sample_rate < 1000 || c->sample_rate > 192000)
        return lsnn_fail(e, "mfcc: sample_rate %d Hz is outside 1000..192000", c->sample_rate);
    if (c->n_fft < 2 || c->n_fft > LSNN_MFCC_MAX_FFT || c->n_fft % 2)
        return lsnn_fail(e, "mfcc: n_fft %d must be even and in 2..%d", c->n_fft,
                         LSNN_MFCC_MAX_FFT);
    if (c->win_len < 1 || c->win_len > c->n_fft)
        return lsnn_fail(e, "mfcc: win_len %d samples must be in 1..n_fft (%d)", c->win_len,
                         c->n_fft);
    if (c->hop < 1) return lsnn_fail(e, "mfcc: hop %d samples must be >= 1", c->hop);
    if (c->n_filt < 1 || c->n_filt > LSNN_MFCC_MAX_FILTERS)
        return lsnn_fail(e, "mfcc: n_filt %d must be in 1..%d", c->n_filt, LSNN_MFCC_MAX_FILTERS);
    if (c->n_cep < 1 || c->n_cep > c->n_filt)
        return lsnn_fail(e, "mfcc: n_cep %d must be in 1..n_filt (%d)", c->n_cep, c->n_filt);
    if (!(c->low_hz >= 0.0 && c->low_hz < c->high_hz && c->high_hz <= c->sample_rate / 2.0))
        return lsnn_fail(e, "mfcc: filter band %g..%g Hz must satisfy 0 <= low < high <= %g",
                         c->low_hz, c->high_hz, c->sample_rate / 2.0);
    if (!(c->preemph >= 0.0 && c->preemph < 1.0))
        return lsnn_fail(e, "mfcc: preemph %g must be in [0, 1)", c->preemph);
    if (c->lifter < 0 || c->lifter > 10000)
        return lsnn_fail(e, "mfcc: lifter %d must be in 0..10000", c->lifter);
    if (c->window != LSNN_MFCC_RECT && c->window != LSNN_MFCC_HAMMING)
        return lsnn_fail(e, "mfcc: unknown window %d", (int)c->window);
    if (c->delta != LSNN_MFCC_DELTA_REGRESSION && c->delta != LSNN_MFCC_DELTA_CENTRAL)
        return lsnn_fail(e, "mfcc: unknown delta kind %d", (int)c->delta);
    if (c->delta_n < 1 || c->delta_n > 16)
        return lsnn_fail(e, "mfcc: delta_n %d must be in 1..16", c->delta_n);
    return 0;
}

/* The sparse mel filter bank of get_filterbanks. */
static int build_filters(lsnn_mfcc *m)
{
    const lsnn_mfcc_config *c = &m->c;
    int nf = c->n_filt, bins[LSNN_MFCC_MAX_FILTERS + 2];
    double lo = hz2mel(c->low_hz), hi = hz2mel(c->high_hz);
    for (int i = 0; i < nf + 2; i++) {
        /* numpy.linspace: start + i * step, the last point exactly stop */
        double mel = i == nf + 1 ? hi : lo + i * ((hi - lo) / (nf + 1));
        bins[i] = (int)floor((c->n_fft + 1) * mel2hz(mel) / c->sample_rate);
        /* mel2hz(hz2mel(f)) may miss f by an ulp: keep the edges in order and in the
         * spectrum (a no-op with exact arithmetic, as the band is inside 0..rate/2) */
        if (i > 0 && bins[i] < bins[i - 1]) bins[i] = bins[i - 1];
        if (bins[i] < 0) bins[i] = 0;
        if (bins[i] > c->n_fft / 2) bins[i] = c->n_fft / 2;
    }
    m->fb_lo = malloc(sizeof *m->fb_lo * (size_t)nf);
    m->fb_off = malloc(sizeof *m->fb_off * (size_t)(nf + 1));
    size_t total = 0;
    for (int j = 0; j < nf; j++)
        total += (size_t)(bins[j + 2] - bins[j]);
    m->fb_w = malloc(sizeof *m->fb_w * (total ? total : 1));
    if (!m->fb_lo || !m->fb_off || !m->fb_w) return -1;
    size_t k = 0;
    for (int j = 0; j < nf; j++) {
        m->fb_lo[j] = bins[j];
        m->fb_off[j] = (int)k;
        for (int i = bins[j]; i < bins[j + 1]; i++)
            m->fb_w[k++] = (double)(i - bins[j]) / (bins[j + 1] - bins[j]);
        for (int i = bins[j + 1]; i < bins[j + 2]; i++)
            m->fb_w[k++] = (double)(bins[j + 2] - i) / (bins[j + 2] - bins[j + 1]);
    }
    m->fb_off[nf] = (int)k;
    return 0;
}

/* Rows k of scipy's dct(type=2, norm='ortho') times lifter(k). */
static int build_dct(lsnn_mfcc *m)
{
    int nf = m->c.n_filt, nc = m->c.n_cep, L = m->c.lifter;
    m->dct = malloc(sizeof *m->dct * (size_t)nf * (size_t)nc);
    if (!m->dct) return -1;
    for (int k = 0; k < nc; k++) {
        double s = sqrt((k == 0 ? 1.0 : 2.0) / nf);
        double lift = L > 0 ? 1.0 + (L / 2.0) * lsnn_cos(PI / 2 - PI * k / L) : 1.0;
        for (int n = 0; n < nf; n++)
            m->dct[(size_t)k * nf + n] = lift * s * lsnn_cos(PI * k * (2 * n + 1) / (2.0 * nf));
    }
    return 0;
}

lsnn_mfcc *lsnn_mfcc_new(const lsnn_mfcc_config *c, lsnn_error *e)
{
    if (check_config(c, e) != 0) return NULL;
    lsnn_mfcc *m = calloc(1, sizeof *m);
    if (!m) goto oom;
    m->c = *c;
    int nbins = c->n_fft / 2 + 1;
    m->win = malloc(sizeof *m->win * (size_t)c->win_len);
    m->pspec = malloc(sizeof *m->pspec * (size_t)nbins);
    m->logfb = malloc(sizeof *m->logfb * (size_t)c->n_filt);
    m->fft_in = fftwf_malloc(sizeof *m->fft_in * (size_t)c->n_fft);
    m->fft_out = fftwf_malloc(sizeof *m->fft_out * (size_t)nbins);
    if (!m->win || !m->pspec || !m->logfb || !m->fft_in || !m->fft_out) goto oom;
    for (int i = 0; i < c->win_len; i++)
        m->win[i] = c->window == LSNN_MFCC_HAMMING && c->win_len > 1
                        ? 0.54 - 0.46 * lsnn_cos(2.0 * PI * i / (c->win_len - 1))
                        : 1.0;
    if (build_filters(m) != 0 || build_dct(m) != 0) goto oom;
    pthread_mutex_lock(&plan_lock);
    m->plan = fftwf_plan_dft_r2c_1d(c->n_fft, m->fft_in, m->fft_out, FFTW_ESTIMATE | FFTW_NO_SIMD);
    pthread_mutex_unlock(&plan_lock);
    if (!m->plan) goto oom;
    return m;
oom:
    lsnn_mfcc_free(m);
    lsnn_fail(e, "mfcc: out of memory for a front end with n_fft %d", c->n_fft);
    return NULL;
}

void lsnn_mfcc_free(lsnn_mfcc *m)
{
    if (!m) return;
    if (m->plan) {
        pthread_mutex_lock(&plan_lock);
        fftwf_destroy_plan(m->plan);
        pthread_mutex_unlock(&plan_lock);
    }
    fftwf_free(m->fft_in);
    fftwf_free(m->fft_out);
    free(m->win);
    free(m->fb_lo);
    free(m->fb_off);
    free(m->fb_w);
    free(m->dct);
    free(m->pspec);
    free(m->logfb);
    free(m);
}

const lsnn_mfcc_config *lsnn_mfcc_get_config(const lsnn_mfcc *m)
{
    return &m->c;
}

int lsnn_mfcc_n_features(const lsnn_mfcc *m)
{
    return 3 * m->c.n_cep;
}

long lsnn_mfcc_frames(const lsnn_mfcc_config *c, size_t n)
{
    if (n > (size_t)LSNN_MFCC_MAX_SAMPLES || c->win_len < 1 || c->hop < 1) return -1;
    if (n == 0) return 0;
    if (n <= (size_t)c->win_len) return 1;
    return 1 + (long)((n - (size_t)c->win_len + (size_t)c->hop - 1) / (size_t)c->hop);
}

/* log with python_speech_features' guard: an exact 0 becomes numpy's float eps. */
static double log_floor(double v)
{
    return lsnn_log(v == 0.0 ? DBL_EPSILON : v);
}

/* The n_cep static coefficients of the frame starting at sample s. */
static void frame_cepstra(lsnn_mfcc *m, const int16_t *x, size_t n, size_t s, float *out)
{
    const lsnn_mfcc_config *c = &m->c;
    for (int i = 0; i < c->n_fft; i++) {
        double y = 0.0; /* the pre-emphasised signal, zero past its end */
        size_t t = s + (size_t)i;
        if (i < c->win_len && t < n) y = t == 0 ? x[0] : x[t] - c->preemph * x[t - 1];
        m->fft_in[i] = i < c->win_len ? (float)(y * m->win[i]) : 0.0f;
    }
    fftwf_execute(m->plan);
    int nbins = c->n_fft / 2 + 1;
    double energy = 0.0;
    for (int b = 0; b < nbins; b++) {
        double re = m->fft_out[b][0], im = m->fft_out[b][1];
        m->pspec[b] = (re * re + im * im) / c->n_fft;
        energy += m->pspec[b];
    }
    for (int j = 0; j < c->n_filt; j++) {
        double acc = 0.0;
        const double *w = m->fb_w + m->fb_off[j];
        int len = m->fb_off[j + 1] - m->fb_off[j];
        for (int i = 0; i < len; i++)
            acc += w[i] * m->pspec[m->fb_lo[j] + i];
        m->logfb[j] = log_floor(acc);
    }
    for (int k = 0; k < c->n_cep; k++) {
        double acc = 0.0;
        const double *row = m->dct + (size_t)k * c->n_filt;
        for (int j = 0; j < c->n_filt; j++)
            acc += row[j] * m->logfb[j];
        out[k] = (float)acc;
    }
    if (c->append_energy) out[0] = (float)log_floor(energy);
}

int lsnn_mfcc_compute(lsnn_mfcc *m, const int16_t *x, size_t n, int sample_rate, float *out,
                      lsnn_error *e)
{
    const lsnn_mfcc_config *c = &m->c;
    if (sample_rate != c->sample_rate)
        return lsnn_fail(e,
                         "mfcc: audio at %d Hz given to a front end made for %d Hz (no "
                         "resampling is done)",
                         sample_rate, c->sample_rate);
    if (n == 0) return lsnn_fail(e, "mfcc: empty signal (at least 1 sample is needed)");
    long nfr = lsnn_mfcc_frames(c, n);
    if (nfr < 0)
        return lsnn_fail(e, "mfcc: signal of %zu samples exceeds the limit of %ld", n,
                         LSNN_MFCC_MAX_SAMPLES);
    int nfeat = 3 * c->n_cep;
    for (long f = 0; f < nfr; f++)
        frame_cepstra(m, x, n, (size_t)f * (size_t)c->hop, out + (size_t)f * nfeat);
    lsnn_mfcc_deltas(out, (int)nfr, c->n_cep, c->delta, c->delta_n);
    return 0;
}
