/* mfcc_dump.c - the C front end's features of a raw 16 kHz int16 file, as text, for
 * tests/mfcc_ref.sh to compare with tests/mfcc_ref.py (one frame per line, %.9g: every float
 * digit).
 *
 * usage: mfcc_dump IN.raw OUT.txt [--hamming] [--central] [--samples N]
 *        mfcc_dump --bench IN.raw SECONDS   prints the cost per second of audio */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fileio.h"
#include "mfcc.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Runs the front end over the signal until `seconds` of audio are done. */
static int bench(lsnn_mfcc *m, const int16_t *x, size_t n, double seconds)
{
    lsnn_error e;
    long nfr = lsnn_mfcc_frames(lsnn_mfcc_get_config(m), n);
    float *out = malloc(sizeof *out * (size_t)nfr * (size_t)lsnn_mfcc_n_features(m));
    if (!out) return 1;
    double audio = 0.0, t0 = now();
    while (audio < seconds) {
        if (lsnn_mfcc_compute(m, x, n, 16000, out, &e) != 0) {
            fprintf(stderr, "mfcc_dump: %s\n", e.msg);
            free(out);
            return 1;
        }
        audio += n / 16000.0;
    }
    double t = now() - t0;
    printf("mfcc_dump: %.1f s of audio in %.3f s: %.3f ms per second of audio (%.2f us per "
           "frame)\n",
           audio, t, 1e3 * t / audio, 1e6 * t / (audio * 100.0));
    free(out);
    return 0;
}

int main(int argc, char **argv)
{
    int is_bench = argc == 4 && strcmp(argv[1], "--bench") == 0;
    if (argc < 3) {
        fprintf(stderr, "usage: mfcc_dump IN.raw OUT.txt [--hamming] [--central] "
                        "[--samples N] | --bench IN.raw SECONDS\n");
        return 2;
    }
    lsnn_mfcc_config c;
    lsnn_mfcc_defaults(&c, 16000);
    size_t limit = (size_t)-1;
    for (int i = 3; !is_bench && i < argc; i++) {
        if (strcmp(argv[i], "--hamming") == 0) {
            c.window = LSNN_MFCC_HAMMING;
        } else if (strcmp(argv[i], "--central") == 0) {
            c.delta = LSNN_MFCC_DELTA_CENTRAL;
        } else if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) {
            limit = strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "mfcc_dump: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    lsnn_error e;
    char *data;
    size_t len;
    if (lsnn_read_file(argv[is_bench ? 2 : 1], &data, &len, &e) != 0) {
        fprintf(stderr, "mfcc_dump: %s\n", e.msg);
        return 1;
    }
    size_t n = len / 2;
    if (n > limit) n = limit;
    int16_t *x = malloc(sizeof *x * (n ? n : 1));
    lsnn_mfcc *m = lsnn_mfcc_new(&c, &e);
    if (!x || !m) {
        fprintf(stderr, "mfcc_dump: %s\n", m ? "out of memory" : e.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++) /* little-endian file, any host */
        x[i] = (int16_t)((uint8_t)data[2 * i] | (uint8_t)data[2 * i + 1] << 8);
    free(data);
    int rc;
    if (is_bench) {
        rc = bench(m, x, n, atof(argv[3]));
    } else {
        long nfr = lsnn_mfcc_frames(&c, n);
        int nfeat = lsnn_mfcc_n_features(m);
        float *out = malloc(sizeof *out * (size_t)(nfr > 0 ? nfr : 1) * (size_t)nfeat);
        rc = 1;
        if (!out) {
            fprintf(stderr, "mfcc_dump: out of memory\n");
        } else if (lsnn_mfcc_compute(m, x, n, 16000, out, &e) != 0) {
            fprintf(stderr, "mfcc_dump: %s\n", e.msg);
        } else {
            lsnn_atomic_file f;
            if (lsnn_atomic_open(&f, argv[2], &e) == 0) {
                for (long t = 0; t < nfr; t++)
                    for (int k = 0; k < nfeat; k++)
                        fprintf(f.f, "%.9g%c", out[t * nfeat + k], k + 1 < nfeat ? ' ' : '\n');
                rc = lsnn_atomic_commit(&f, &e) == 0 ? 0 : 1;
            }
            if (rc) fprintf(stderr, "mfcc_dump: %s\n", e.msg);
        }
        free(out);
    }
    lsnn_mfcc_free(m);
    free(x);
    return rc;
}
