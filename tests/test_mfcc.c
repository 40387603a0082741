/* test_mfcc.c - closed-form checks of the speech front end (mfcc.h): frame counts around the
 * window boundaries, the silence floor, a pure tone in its mel filter, deltas of a ramp,
 * determinism, and the errors for bad settings and input. tests/mfcc_ref.sh compares every
 * coefficient with a numpy reference. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "mfcc.h"

#define RATE 16000
#define PI   3.14159265358979323846

static void test_defaults_and_frames(void)
{
    lsnn_mfcc_config c;
    lsnn_mfcc_defaults(&c, RATE);
    CHECK(c.win_len == 400 && c.hop == 160 && c.n_fft == 512, "16 kHz: %d %d %d", c.win_len, c.hop,
          c.n_fft);
    CHECK(c.n_filt == 26 && c.n_cep == 13 && c.lifter == 22 && c.preemph == 0.97, "defaults");
    CHECK(c.window == LSNN_MFCC_RECT && c.append_energy == 1 && c.high_hz == 8000.0, "defaults");
    lsnn_mfcc_config c8;
    lsnn_mfcc_defaults(&c8, 8000);
    CHECK(c8.win_len == 200 && c8.hop == 80 && c8.n_fft == 256, "8 kHz: %d %d %d", c8.win_len,
          c8.hop, c8.n_fft);
    /* framesig: 1 frame up to one window, then 1 + ceil((n - 400) / 160) */
    static const struct {
        size_t n;
        long frames;
    } cases[] = {{0, 0},      {1, 1},      {399, 1},     {400, 1},    {401, 2},
                 {559, 2},    {560, 2},    {561, 3},     {720, 3},    {721, 4},
                 {16000, 99}, {16080, 99}, {16081, 100}, {32000, 199}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(lsnn_mfcc_frames(&c, cases[i].n) == cases[i].frames, "n %zu: %ld frames, want %ld",
              cases[i].n, lsnn_mfcc_frames(&c, cases[i].n), cases[i].frames);
    CHECK(lsnn_mfcc_frames(&c, (size_t)LSNN_MFCC_MAX_SAMPLES + 1) == -1, "over the limit");
}

/* Features of n samples with config c into a fresh array (NULL on error, message printed). */
static float *features(const lsnn_mfcc_config *c, const int16_t *x, size_t n, long *nfr)
{
    lsnn_error e;
    lsnn_mfcc *m = lsnn_mfcc_new(c, &e);
    CHECK(m != NULL, "new: %s", e.msg);
    if (!m) return NULL;
    *nfr = lsnn_mfcc_frames(c, n);
    float *out = malloc(sizeof *out * (size_t)*nfr * (size_t)lsnn_mfcc_n_features(m));
    int rc = lsnn_mfcc_compute(m, x, n, c->sample_rate, out, &e);
    CHECK(rc == 0, "compute: %s", e.msg);
    lsnn_mfcc_free(m);
    if (rc != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static void test_silence_floor(void)
{
    lsnn_mfcc_config c;
    lsnn_mfcc_defaults(&c, RATE);
    int16_t x[1000] = {0};
    long nfr;
    float *f = features(&c, x, 1000, &nfr);
    if (!f) return;
    CHECK(nfr == 5, "%ld frames", nfr);
    double floor_log = log(DBL_EPSILON); /* -36.0437: numpy's eps stands in for log(0) */
    int bad = 0;
    for (long t = 0; t < nfr; t++)
        for (int k = 0; k < 39; k++) {
            float v = f[t * 39 + k];
            /* c0 = log(energy) = log(eps); the other statics are the DCT of a constant
             * vector (0 up to rounding); the deltas of constant columns are exactly 0 */
            if (k == 0 ? v != (float)floor_log : k < 13 ? fabsf(v) > 1e-9f : v != 0.0f) bad++;
        }
    CHECK(bad == 0, "%d silence features off the floor (c0 %.9g, want %.9g)", bad, f[0], floor_log);
    free(f);
}

/* The log mel energies of a signal: with n_cep = n_filt, no lifter and no energy in c0 the
 * statics are the orthonormal DCT-II of them, inverted here (DCT-III, orthonormal). */
static void log_fbank(const float *stat, int nf, double *out)
{
    for (int n = 0; n < nf; n++) {
        double acc = 0.0;
        for (int k = 0; k < nf; k++)
            acc += sqrt((k ? 2.0 : 1.0) / nf) * cos(PI * k * (2 * n + 1) / (2.0 * nf)) * stat[k];
        out[n] = acc;
    }
}

/* Centre bin of mel filter j (0-based): get_filterbanks' bin[j + 1], computed here again. */
static int centre_bin(int j, int nfilt)
{
    double hi = 2595.0 * log10(1.0 + 8000.0 / 700.0);
    double mel = (j + 1) * (hi / (nfilt + 1));
    return (int)floor(513.0 * 700.0 * (pow(10.0, mel / 2595.0) - 1.0) / RATE);
}

static void test_tone_in_its_filter(void)
{
    lsnn_mfcc_config c;
    lsnn_mfcc_defaults(&c, RATE);
    c.n_cep = c.n_filt;
    c.lifter = 0;
    c.append_energy = 0;
    c.preemph = 0.0; /* the tone's amplitude then reaches the spectrum unchanged */
    const double amp = 10000.0;
    for (int j = 4; j < 26; j += 7) {
        int bin = centre_bin(j, c.n_filt);
        double hz = bin * (double)RATE / c.n_fft; /* on the FFT grid: one bin at the peak */
        int16_t x[2000];
        for (int t = 0; t < 2000; t++)
            x[t] = (int16_t)lrint(amp * sin(2.0 * PI * hz * t / RATE));
        long nfr;
        float *f = features(&c, x, 2000, &nfr);
        if (!f) return;
        double fb[26];
        log_fbank(f + 2 * 3 * c.n_cep, c.n_filt, fb); /* frame 2, all inside the signal */
        int best = 0;
        for (int i = 1; i < c.n_filt; i++)
            if (fb[i] > fb[best]) best = i;
        CHECK(best == j, "%.2f Hz (bin %d) peaks in filter %d, want %d", hz, bin, best, j);
        /* the peak bin alone has power about (amp * 400 / 2)^2 / 512, weight 1 in filter j;
         * the rectangular window's main lobe adds its neighbours (less than 2x more) */
        double peak = log(pow(amp * 400 / 2, 2) / c.n_fft);
        CHECK(fb[j] > peak - 0.05 && fb[j] < peak + log(2.0),
              "filter %d: log energy %.4f, peak "
              "bin alone %.4f",
              j, fb[j], peak);
        free(f);
    }
}

static void test_deltas_of_a_ramp(void)
{
    enum { T = 8, NC = 2 };
    float f[T * 3 * NC];
    for (int t = 0; t < T; t++) {
        f[t * 3 * NC + 0] = 3.0f * t;        /* slope 3 */
        f[t * 3 * NC + 1] = 1.0f - 2.0f * t; /* slope -2 */
    }
    lsnn_mfcc_deltas(f, T, NC, LSNN_MFCC_DELTA_REGRESSION, 2);
    /* interior: the slope; edges (padding repeats the edge frame): t = 0 and T-1 see
     * (1 + 2*2) / 10 = 1/2 of it, t = 1 and T-2 see (1*2 + 2*3) / 10 = 4/5 */
    static const float share[T] = {0.5f, 0.8f, 1, 1, 1, 1, 0.8f, 0.5f};
    int bad = 0;
    for (int t = 0; t < T; t++) {
        if (fabsf(f[t * 3 * NC + 2] - 3.0f * share[t]) > 1e-6f) bad++;
        if (fabsf(f[t * 3 * NC + 3] + 2.0f * share[t]) > 1e-6f) bad++;
    }
    CHECK(bad == 0, "%d regression deltas off", bad);
    /* delta-delta of the first column: the regression delta of 3*share */
    float dd1 = f[1 * 3 * NC + 4], want = 3.0f * (1 * (1.0f - 0.5f) + 2 * (1.0f - 0.5f)) / 10;
    CHECK(fabsf(dd1 - want) < 1e-6f, "delta-delta at t=1: %g, want %g", dd1, want);
    lsnn_mfcc_deltas(f, T, NC, LSNN_MFCC_DELTA_CENTRAL, 2);
    bad = 0;
    for (int t = 0; t < T; t++) {
        float want_d = t == 0 || t == T - 1 ? 0.0f : 6.0f; /* c[t+1] - c[t-1] */
        if (f[t * 3 * NC + 2] != want_d) bad++;
    }
    CHECK(bad == 0, "%d central deltas off", bad);
    /* central delta-deltas: 0 at the ends, 6 - 0 at t = 1 and T-2, 0 in between */
    CHECK(f[0 * 3 * NC + 4] == 0 && f[1 * 3 * NC + 4] == 6.0f && f[2 * 3 * NC + 4] == 0.0f &&
              f[6 * 3 * NC + 4] == -6.0f && f[7 * 3 * NC + 4] == 0,
          "central delta-deltas %g %g %g %g %g", f[4], f[10], f[16], f[40], f[46]);
}

static void test_determinism(void)
{
    lsnn_mfcc_config c;
    lsnn_mfcc_defaults(&c, RATE);
    enum { N = 4000 };
    int16_t x[N];
    uint32_t s = 12345;
    for (int t = 0; t < N; t++) {
        s = s * 1664525u + 1013904223u;
        x[t] = (int16_t)(3000.0 * sin(0.05 * t) + (int)(s >> 20) - 2048);
    }
    long n1, n2;
    float *a = features(&c, x, N, &n1), *b = features(&c, x, N, &n2);
    if (a && b)
        CHECK(n1 == n2 && memcmp(a, b, sizeof *a * (size_t)n1 * 39) == 0,
              "two front ends, one signal: different bits");
    /* the same front end twice, with another signal in between */
    lsnn_error e;
    lsnn_mfcc *m = lsnn_mfcc_new(&c, &e);
    float *r = malloc(sizeof *r * (size_t)n1 * 39);
    int16_t other[800];
    for (int t = 0; t < 800; t++)
        other[t] = (int16_t)(t * 37);
    CHECK(lsnn_mfcc_compute(m, other, 800, RATE, r, &e) == 0, "%s", e.msg);
    CHECK(lsnn_mfcc_compute(m, x, N, RATE, r, &e) == 0, "%s", e.msg);
    if (a) CHECK(memcmp(a, r, sizeof *a * (size_t)n1 * 39) == 0, "reused front end differs");
    lsnn_mfcc_free(m);
    free(a);
    free(b);
    free(r);
}

static void test_errors(void)
{
    lsnn_mfcc_config c;
    lsnn_error e;
    static const struct {
        const char *field;
        int value;
    } bad[] = {{"n_fft", 511}, {"win_len", 600}, {"n_cep", 27},
               {"hop", 0},     {"n_filt", 0},    {"sample_rate", 100}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lsnn_mfcc_defaults(&c, RATE);
        const char *f = bad[i].field;
        int *p = !strcmp(f, "n_fft")     ? &c.n_fft
                 : !strcmp(f, "win_len") ? &c.win_len
                 : !strcmp(f, "n_cep")   ? &c.n_cep
                 : !strcmp(f, "hop")     ? &c.hop
                 : !strcmp(f, "n_filt")  ? &c.n_filt
                                         : &c.sample_rate;
        *p = bad[i].value;
        e.msg[0] = 0;
        lsnn_mfcc *m = lsnn_mfcc_new(&c, &e);
        CHECK(m == NULL && strstr(e.msg, f), "%s = %d: '%s'", f, bad[i].value, e.msg);
        lsnn_mfcc_free(m);
    }
    lsnn_mfcc_defaults(&c, RATE);
    c.high_hz = 9000.0;
    CHECK(lsnn_mfcc_new(&c, &e) == NULL && strstr(e.msg, "8000"), "high_hz: '%s'", e.msg);

    lsnn_mfcc_defaults(&c, RATE);
    lsnn_mfcc *m = lsnn_mfcc_new(&c, &e);
    int16_t x[10] = {0};
    float out[39];
    out[0] = 42.0f;
    CHECK(lsnn_mfcc_compute(m, x, 0, RATE, out, &e) == -1 && strstr(e.msg, "empty") &&
              out[0] == 42.0f,
          "empty signal: '%s'", e.msg);
    CHECK(lsnn_mfcc_compute(m, x, 10, 8000, out, &e) == -1 && strstr(e.msg, "8000 Hz") &&
              strstr(e.msg, "16000 Hz"),
          "wrong rate: '%s'", e.msg);
    CHECK(lsnn_mfcc_compute(m, x, (size_t)LSNN_MFCC_MAX_SAMPLES + 1, RATE, out, &e) == -1 &&
              strstr(e.msg, "limit"),
          "too long: '%s'", e.msg);
    CHECK(lsnn_mfcc_compute(m, x, 10, RATE, out, &e) == 0, "10 samples: %s", e.msg);
    lsnn_mfcc_free(m);
}

int main(void)
{
    test_defaults_and_frames();
    test_silence_floor();
    test_tone_in_its_filter();
    test_deltas_of_a_ramp();
    test_determinism();
    test_errors();
    return check_report();
}
