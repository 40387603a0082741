/* speech_synth.c - one voice of the espeak-ng stand-in corpus (docs/speech-corpus.md):
 * speaks sentences with libespeak-ng and writes each as TIMIT does, UTT.WAV (SPHERE, 16 kHz),
 * UTT.PHN (TIMIT phones, in samples) and UTT.TXT, into one speaker folder.
 *
 * usage: speech_synth --sentences FILE --dir SPEAKER_DIR --voice NAME --rate WPM --pitch P
 *                     --first I --count N --snr DB --seed S [--rhotic]
 *   speaks sentences I..I+N-1 (1-based, comment lines not counted) as SX<i>; tools/
 *   make_speech.sh runs it once per speaker. Prints the number of utterances, samples and
 *   phones written.
 *
 * The alignment comes from espeak-ng's synchronous mode: espeakEVENT_PHONEME events give each
 * phoneme's mnemonic and start (audio_position, ms). A phoneme lasts until the next one
 * starts; the silence before the first is h#, pauses are pau (h# at the utterance's ends).
 * espeak-ng places a voiceless stop's event at its burst and a voiced one's at its closure,
 * so the closure (bcl..kcl) is found in the clean audio: the quiet stretch (10 ms energy
 * under 12 % of the utterance's 90th percentile) just before the event, within the previous
 * phoneme, and just after it, within the stop. The audio is then resampled from espeak-ng's
 * 22,050 Hz to 16 kHz (windowed sinc) and white noise is added at the stated SNR, seeded per
 * utterance, so that every run writes the same bytes. */
#include <espeak-ng/speak_lib.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "espeak_phones.h"
#include "fileio.h"
#include "rng.h"
#include "sphere.h"
#include "timit.h"

#define MAX_EVENTS   4096
#define MAX_SEGS     (3 * MAX_EVENTS)
#define MAX_SENTENCE 400
#define OUT_RATE     LSNN_TIMIT_RATE
#define SINC_TAPS    24 /* each side */
#define QUIET_SHARE  0.12
#define MIN_RELEASE  5 /* ms a stop keeps after its closure */
#define PI           3.14159265358979323846

typedef struct {
    char name[9];
    int ms;
} event;

/* What the callback collects for one utterance. */
static struct {
    int16_t *audio;
    long n, cap;
    event ev[MAX_EVENTS];
    int n_ev, overflow;
} syn;

typedef struct {
    long start, end; /* ms, then samples at 16 kHz */
    const char *phone;
} seg;

static int on_synth(short *wav, int n, espeak_EVENT *ev)
{
    for (; ev && ev->type != espeakEVENT_LIST_TERMINATED; ev++) {
        if (ev->type != espeakEVENT_PHONEME) continue;
        if (syn.n_ev == MAX_EVENTS) {
            syn.overflow = 1;
            continue;
        }
        memcpy(syn.ev[syn.n_ev].name, ev->id.string, 8);
        syn.ev[syn.n_ev].name[8] = '\0';
        syn.ev[syn.n_ev++].ms = ev->audio_position;
    }
    if (wav && n > 0) {
        if (syn.n + n > syn.cap) {
            long ncap = (syn.n + n) * 2;
            int16_t *na = realloc(syn.audio, (size_t)ncap * sizeof *na);
            if (!na) return 1; /* stops synthesis; caught as a short utterance */
            syn.audio = na;
            syn.cap = ncap;
        }
        memcpy(syn.audio + syn.n, wav, (size_t)n * sizeof *wav);
        syn.n += n;
    }
    return 0;
}

/* 10 ms RMS energy of the clean audio at each ms (rate: the synthesis rate). */
static double *energy_per_ms(long n_ms, int rate)
{
    double *env = calloc((size_t)n_ms + 1, sizeof *env);
    if (!env) return NULL;
    for (long m = 0; m < n_ms; m++) {
        long a = (m - 5) * rate / 1000, b = (m + 5) * rate / 1000;
        if (a < 0) a = 0;
        if (b > syn.n) b = syn.n;
        double s = 0;
        for (long i = a; i < b; i++)
            s += (double)syn.audio[i] * syn.audio[i];
        env[m] = b > a ? sqrt(s / (double)(b - a)) : 0;
    }
    return env;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Builds the segments (in ms) of the utterance just synthesised. Returns the count, or -1
 * with e (an unknown mnemonic). */
static int align(seg *out, int rhotic, int rate, lsnn_error *e)
{
    long n_ms = syn.n * 1000 / rate;
    double *env = energy_per_ms(n_ms, rate), *sorted = malloc(((size_t)n_ms + 1) * sizeof *sorted);
    if (!env || !sorted) {
        free(env);
        free(sorted);
        return lsnn_fail(e, "out of memory");
    }
    memcpy(sorted, env, (size_t)n_ms * sizeof *env);
    qsort(sorted, (size_t)n_ms, sizeof *sorted, cmp_double);
    double quiet = QUIET_SHARE * (n_ms ? sorted[n_ms * 9 / 10] : 0);
    free(sorted);

    int n = 0;
    out[n++] = (seg){0, syn.n_ev ? syn.ev[0].ms : n_ms, "h#"};
    for (int i = 0; i < syn.n_ev; i++) {
        const espeak_phone *p = espeak_phone_lookup(syn.ev[i].name, rhotic);
        if (!p) {
            free(env);
            return lsnn_fail(e, "espeak-ng phoneme '%s' is not in tools/espeak_phones.c",
                             syn.ev[i].name);
        }
        long a = syn.ev[i].ms, b = i + 1 < syn.n_ev ? syn.ev[i + 1].ms : n_ms;
        if (b > n_ms) b = n_ms;
        if (a > b) a = b;
        if (!p->phone[0]) { /* a modifier: the previous segment goes on */
            out[n - 1].end = b;
            continue;
        }
        seg *prev = &out[n - 1];
        if (p->closure) {
            long c0 = a, c1 = a; /* the quiet stretch around the event */
            if (!(prev->phone &&
                  (strcmp(prev->phone, "pau") == 0 || strcmp(prev->phone, "h#") == 0)))
                while (c0 - 1 > prev->start + (a - prev->start) / 3 && env[c0 - 1] < quiet)
                    c0--;
            while (c1 < b - MIN_RELEASE && env[c1] < quiet)
                c1++;
            if (c1 > c0) {
                prev->end = c0;
                out[n++] = (seg){c0, c1, p->closure};
                a = c1;
            }
        }
        if (p->phone[1]) {
            long mid = a + (long)floor((double)(b - a) * p->split + 0.5);
            out[n++] = (seg){a, mid, p->phone[0]};
            out[n++] = (seg){mid, b, p->phone[1]};
        } else {
            out[n++] = (seg){a, b, p->pause ? "pau" : p->phone[0]};
        }
    }
    free(env);
    out[n - 1].end = n_ms;
    /* pauses at the end are the closing h# */
    for (int i = n - 1; i > 0 && strcmp(out[i].phone, "pau") == 0; i--)
        out[i].phone = "h#";
    return n;
}

/* Resamples syn.audio (rate Hz) to 16 kHz into *out (windowed sinc, cut-off 0.9 x 8 kHz). */
static long resample(int rate, double **out)
{
    long m = (long)((double)syn.n * OUT_RATE / rate + 0.5);
    double *y = malloc(((size_t)m + 1) * sizeof *y);
    if (!y) return -1;
    double ratio = (double)rate / OUT_RATE, fc = 0.9 * 0.5 * OUT_RATE / rate; /* cycles/sample */
    for (long j = 0; j < m; j++) {
        double t = (double)j * ratio, s = 0;
        long c = (long)floor(t);
        for (long k = c - SINC_TAPS + 1; k <= c + SINC_TAPS; k++) {
            if (k < 0 || k >= syn.n) continue;
            double x = t - (double)k, w = 0.5 + 0.5 * cos(PI * x / SINC_TAPS);
            double h = x == 0 ? 2 * fc : sin(2 * PI * fc * x) / (PI * x);
            s += syn.audio[k] * h * w;
        }
        y[j] = s;
    }
    *out = y;
    return m;
}

/* Samples with noise at snr dB (white, Gaussian, from rng) added, rounded and clipped. */
static void add_noise(const double *y, long m, double snr, lsnn_rng *rng, int16_t *out)
{
    double p = 0;
    for (long j = 0; j < m; j++)
        p += y[j] * y[j];
    double sigma = m && snr < 200 ? sqrt(p / (double)m / pow(10, snr / 10)) : 0;
    for (long j = 0; j < m; j++) {
        double v = floor(y[j] + sigma * lsnn_rng_normal(rng) + 0.5);
        out[j] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

/* Writes UTT.PHN for segs (ms) on m samples: emptied segments are dropped and a phone
 * that follows itself becomes one segment. *written is the count of segments. */
static int write_phn(const char *path, const seg *s, int n, long m, int *written, lsnn_error *e)
{
    char *text = malloc((size_t)n * 40 + 1);
    seg *out = malloc((size_t)n * sizeof *out);
    int k = 0;
    if (!text || !out) {
        free(text);
        free(out);
        return lsnn_fail(e, "%s: out of memory", path);
    }
    for (int i = 0; i < n; i++) {
        long from = k ? out[k - 1].end : 0;
        long end = i == n - 1 ? m : s[i].end * OUT_RATE / 1000;
        if (end > m) end = m;
        if (end <= from) continue;
        if (k && strcmp(out[k - 1].phone, s[i].phone) == 0)
            out[k - 1].end = end;
        else
            out[k++] = (seg){from, end, s[i].phone};
    }
    size_t len = 0;
    for (int i = 0; i < k; i++)
        len += (size_t)sprintf(text + len, "%ld %ld %s\n", out[i].start, out[i].end, out[i].phone);
    int rc = lsnn_write_file_atomic(path, text, len, e);
    *written = k;
    free(text);
    free(out);
    return rc;
}

typedef struct {
    const char *sentences, *dir, *voice;
    int rate, pitch, first, count, rhotic;
    double snr;
    unsigned long long seed;
} options;

static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->snr = 30;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--rhotic") == 0) {
            o->rhotic = 1;
            continue;
        }
        if (!v) return fprintf(stderr, "speech_synth: %s needs a value\n", a), -1;
        i++;
        if (strcmp(a, "--sentences") == 0)
            o->sentences = v;
        else if (strcmp(a, "--dir") == 0)
            o->dir = v;
        else if (strcmp(a, "--voice") == 0)
            o->voice = v;
        else if (strcmp(a, "--rate") == 0)
            o->rate = atoi(v);
        else if (strcmp(a, "--pitch") == 0)
            o->pitch = atoi(v);
        else if (strcmp(a, "--first") == 0)
            o->first = atoi(v);
        else if (strcmp(a, "--count") == 0)
            o->count = atoi(v);
        else if (strcmp(a, "--snr") == 0)
            o->snr = atof(v);
        else if (strcmp(a, "--seed") == 0)
            o->seed = strtoull(v, NULL, 10);
        else
            return fprintf(stderr, "speech_synth: unknown option %s\n", a), -1;
    }
    if (!o->sentences || !o->dir || !o->voice || o->rate < 80 || o->rate > 450 || o->pitch < 0 ||
        o->pitch > 100 || o->first < 1 || o->count < 1)
        return fprintf(stderr, "speech_synth: need --sentences --dir --voice, --rate 80..450, "
                               "--pitch 0..100, --first >= 1, --count >= 1 (see the top of "
                               "tools/speech_synth.c)\n"),
               -1;
    return 0;
}

/* The sentence lines of text (comments and blank lines left out), in place. */
static int split_sentences(char *text, char **lines, int cap)
{
    int n = 0;
    for (char *p = strtok(text, "\n"); p; p = strtok(NULL, "\n"))
        if (p[0] != '#' && p[0] && n < cap) lines[n++] = p;
    return n;
}

static int speak_one(const options *o, int index, const char *text, int rate, long *samples,
                     int *phones, lsnn_error *e)
{
    syn.n = 0;
    syn.n_ev = 0;
    syn.overflow = 0;
    if (espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL) !=
            EE_OK ||
        syn.n == 0 || syn.overflow)
        return lsnn_fail(e, "sentence %d: espeak-ng synthesis failed (or over %d phonemes)", index,
                         MAX_EVENTS);
    static seg segs[MAX_SEGS];
    int n = align(segs, o->rhotic, rate, e);
    if (n < 0) return lsnn_fail_prefix(e, "sentence %d (%s)", index, o->voice);
    double *y;
    long m = resample(rate, &y);
    int16_t *pcm = m >= 0 ? malloc(((size_t)m + 1) * sizeof *pcm) : NULL;
    if (!pcm) {
        if (m >= 0) free(y);
        return lsnn_fail(e, "out of memory");
    }
    lsnn_rng rng = lsnn_rng_derive(o->seed, 15, (uint64_t)index);
    add_noise(y, m, o->snr, &rng, pcm);
    free(y);
    char path[1200];
    lsnn_sphere s = {.sample_rate = OUT_RATE, .n = m, .samples = pcm};
    snprintf(path, sizeof path, "%s/SX%d.WAV", o->dir, index);
    int rc = lsnn_sphere_write(path, &s, 0, e);
    free(pcm);
    snprintf(path, sizeof path, "%s/SX%d.PHN", o->dir, index);
    int written = 0;
    if (rc == 0) rc = write_phn(path, segs, n, m, &written, e);
    char txt[MAX_SENTENCE + 64];
    int k = snprintf(txt, sizeof txt, "0 %ld %s\n", m, text);
    snprintf(path, sizeof path, "%s/SX%d.TXT", o->dir, index);
    if (rc == 0) rc = lsnn_write_file_atomic(path, txt, (size_t)k, e);
    *samples += m;
    *phones += written;
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_args(argc, argv, &o)) return 2;
    lsnn_error e = {{0}};
    char *text;
    size_t len;
    if (lsnn_read_file(o.sentences, &text, &len, &e)) {
        fprintf(stderr, "speech_synth: %s\n", e.msg);
        return 1;
    }
    static char *lines[100000];
    int n_lines = split_sentences(text, lines, 100000);
    if (o.first + o.count - 1 > n_lines) {
        fprintf(stderr, "speech_synth: %s has %d sentences, sentences %d..%d asked for\n",
                o.sentences, n_lines, o.first, o.first + o.count - 1);
        return 1;
    }
    int rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_PHONEME_EVENTS);
    if (rate <= 0 || espeak_SetVoiceByName(o.voice) != EE_OK) {
        fprintf(stderr,
                "speech_synth: espeak-ng cannot load voice '%s' (is espeak-ng-data "
                "installed?)\n",
                o.voice);
        return 1;
    }
    espeak_SetSynthCallback(on_synth);
    espeak_SetParameter(espeakRATE, o.rate, 0);
    espeak_SetParameter(espeakPITCH, o.pitch, 0);
    if (lsnn_mkdir_p(o.dir, &e)) {
        fprintf(stderr, "speech_synth: %s\n", e.msg);
        return 1;
    }
    long samples = 0;
    int phones = 0, rc = 0;
    for (int i = o.first; i < o.first + o.count && rc == 0; i++)
        if (strlen(lines[i - 1]) >= MAX_SENTENCE)
            rc = lsnn_fail(&e, "%s: sentence %d longer than %d bytes", o.sentences, i,
                           MAX_SENTENCE - 1);
        else
            rc = speak_one(&o, i, lines[i - 1], rate, &samples, &phones, &e);
    espeak_Terminate();
    free(syn.audio);
    free(text);
    if (rc) {
        fprintf(stderr, "speech_synth: %s\n", e.msg);
        return 1;
    }
    printf("%d utterances %ld samples %d phones\n", o.count, samples, phones);
    return 0;
}
