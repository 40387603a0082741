/* test_speech_spikes.c - the speech encodings (speech_spikes.h): crossings of a small ramp
 * checked by hand, the analog encoding, determinism, padding, bad input, and the whole front
 * end once (audio -> MFCC -> z-scores -> crossings). */
#include <math.h>
#include <string.h>

#include "check.h"
#include "featnorm.h"
#include "mfcc.h"
#include "speech_spikes.h"

/* 4 frames of 2 features; thresholds -1, 0, 1. Channels 2 (f*3 + k) + (0 onset, 1 offset):
 * feature 0: thr -1 -> 0/1, thr 0 -> 2/3, thr 1 -> 4/5; feature 1: 6/7, 8/9, 10/11. */
static const float ramp[4][2] = {{0.5f, -0.5f}, {1.5f, -1.5f}, {-1.0f, 0.0f}, {-1.0f, 0.0f}};

/* By hand, starting from 0 before frame 0 ("at or above" a threshold includes equal):
 *   frame 0  f0 0 -> 0.5: none;  f1 0 -> -0.5: offset thr 0 (9)
 *   frame 1  f0 0.5 -> 1.5: onset thr 1 (4);  f1 -0.5 -> -1.5: offset thr -1 (7)
 *   frame 2  f0 1.5 -> -1: offsets thr 0 (3), thr 1 (5), not thr -1 (-1 is at it);
 *            f1 -1.5 -> 0: onsets thr -1 (6), thr 0 (8)
 *   frame 3  no change: none
 * Each frame holds 2 steps; spikes sit on a frame's first step; steps 8, 9 are padding. */
static const int want_count[10] = {1, 0, 2, 0, 4, 0, 0, 0, 0, 0};
static const int want_idx[7] = {9, 4, 7, 3, 5, 6, 8};

static void test_crossings(void)
{
    lsnn_batch b = {0};
    lsnn_error e;
    lsnn_speech_crossing c = {.n_repeat = 2, .n_thr = 3, .thr_lo = -1.0, .thr_hi = 1.0};
    CHECK(lsnn_speech_crossing_channels(2, &c) == 12, "channels %d",
          lsnn_speech_crossing_channels(2, &c));
    CHECK(lsnn_speech_threshold(&c, 0) == -1.0 && lsnn_speech_threshold(&c, 1) == 0.0 &&
              lsnn_speech_threshold(&c, 2) == 1.0,
          "thresholds");
    CHECK(lsnn_batch_reset(&b, 2, 10, 12) == 0, "reset");
    for (int s = 0; s < 2; s++) /* twice: the same spikes (deterministic, no hidden state) */
        CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &c, &e) == 0, "%s", e.msg);
    CHECK(b.cell == 20 && b.n_spikes == 14 && b.in_val == NULL, "cells %zu spikes %zu", b.cell,
          b.n_spikes);
    CHECK(lsnn_batch_check(&b, 1) == 0, "batch inconsistent");
    int bad = 0;
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 10; t++) {
            int cell = s * 10 + t;
            int n = (int)(b.in_ptr[cell + 1] - b.in_ptr[cell]);
            if (n != want_count[t]) bad++;
        }
    for (int k = 0; k < 14; k++)
        if (b.in_idx[k] != want_idx[k % 7]) bad++;
    CHECK(bad == 0, "%d differences from the hand-checked spikes", bad);
    lsnn_batch_free(&b);
}

static void test_analog(void)
{
    lsnn_batch b = {0};
    lsnn_error e;
    const float z[2][3] = {{0.25f, 0.0f, -2.0f}, {1.0f, 3.5f, 0.0f}};
    CHECK(lsnn_batch_reset(&b, 1, 8, 3) == 0, "reset");
    CHECK(lsnn_speech_encode_analog(&b, z[0], 2, 3, 3, &e) == 0, "%s", e.msg);
    CHECK(b.cell == 8 && b.in_val != NULL, "cells %zu", b.cell);
    /* steps 0-2: channels 0, 2 (feature 1 is exactly 0: no event); 3-5: 0, 1; 6-7 empty */
    static const int idx[12] = {0, 2, 0, 2, 0, 2, 0, 1, 0, 1, 0, 1};
    static const float val[12] = {0.25f, -2, 0.25f, -2, 0.25f, -2, 1, 3.5f, 1, 3.5f, 1, 3.5f};
    int bad = b.n_spikes != 12;
    for (int k = 0; k < 12 && !bad; k++)
        if (b.in_idx[k] != idx[k] || b.in_val[k] != val[k]) bad++;
    for (int t = 0; t < 8; t++)
        if ((int)(b.in_ptr[t + 1] - b.in_ptr[t]) != (t < 6 ? 2 : 0)) bad++;
    CHECK(bad == 0, "analog events differ (%zu events)", b.n_spikes);
    lsnn_batch_free(&b);
}

static void test_bad_input(void)
{
    lsnn_batch b = {0};
    lsnn_error e;
    lsnn_speech_crossing c = {.n_repeat = 2, .n_thr = 3, .thr_lo = -1.0, .thr_hi = 1.0};
    CHECK(lsnn_batch_reset(&b, 1, 7, 12) == 0, "reset");
    CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &c, &e) == -1 &&
              strstr(e.msg, "8 steps") && strstr(e.msg, "7 steps"),
          "too few steps: '%s'", e.msg);
    CHECK(lsnn_batch_reset(&b, 1, 8, 11) == 0, "reset");
    CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &c, &e) == -1 &&
              strstr(e.msg, "11 inputs") && strstr(e.msg, "needs 12"),
          "too few inputs: '%s'", e.msg);
    CHECK(lsnn_batch_reset(&b, 1, 8, 12) == 0, "reset");
    float nan_frame[2][2] = {{0, 0}, {0, NAN}};
    CHECK(lsnn_speech_encode_crossing(&b, nan_frame[0], 2, 2, &c, &e) == -1 &&
              strstr(e.msg, "frame 1 feature 1"),
          "NaN: '%s'", e.msg);
    lsnn_speech_crossing bad_thr = {.n_repeat = 2, .n_thr = 65, .thr_lo = -1, .thr_hi = 1};
    CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &bad_thr, &e) == -1 &&
              strstr(e.msg, "1..64"),
          "65 thresholds: '%s'", e.msg);
    bad_thr.n_thr = 3;
    bad_thr.thr_lo = 2;
    CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &bad_thr, &e) == -1 &&
              strstr(e.msg, "ordered"),
          "thresholds out of order: '%s'", e.msg);
    c.n_repeat = 0;
    CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &c, &e) == -1 && strstr(e.msg, ">= 1"),
          "0 steps per frame: '%s'", e.msg);
    c.n_repeat = 2;
    CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &c, &e) == 0, "%s", e.msg);
    CHECK(lsnn_speech_encode_crossing(&b, ramp[0], 4, 2, &c, &e) == -1 && strstr(e.msg, "full"),
          "batch full: '%s'", e.msg);
    CHECK(lsnn_batch_reset(&b, 1, 8, 2) == 0, "reset");
    CHECK(lsnn_speech_encode_analog(&b, ramp[0], 4, 2, 3, &e) == -1 && strstr(e.msg, "12 steps"),
          "analog too long: '%s'", e.msg);
    lsnn_batch_free(&b);
}

/* The whole front end once: 0.3 s of a two-tone signal -> 39 features -> z-scores with its own
 * statistics -> 624 crossing channels (8 thresholds), 5 steps per frame, twice: same spikes. */
static void test_pipeline(void)
{
    enum { N = 4800 };
    static int16_t x[N];
    for (int t = 0; t < N; t++)
        x[t] = (int16_t)(8000.0 * sin(0.2 * t) * (t < N / 2 ? 1.0 : 0.3) + 3000.0 * sin(0.71 * t));
    lsnn_mfcc_config mc;
    lsnn_mfcc_defaults(&mc, 16000);
    lsnn_error e;
    lsnn_mfcc *m = lsnn_mfcc_new(&mc, &e);
    long nfr = lsnn_mfcc_frames(&mc, N);
    float *f = malloc(sizeof *f * (size_t)nfr * 39);
    CHECK(m && f && lsnn_mfcc_compute(m, x, N, 16000, f, &e) == 0, "mfcc: %s", e.msg);
    lsnn_featnorm s;
    CHECK(lsnn_featnorm_init(&s, 39, &e) == 0 && lsnn_featnorm_add(&s, f, (int)nfr, &e) == 0 &&
              lsnn_featnorm_finish(&s, &e) == 0,
          "featnorm: %s", e.msg);
    lsnn_featnorm_apply(&s, f, (int)nfr);
    lsnn_speech_crossing c = {.n_repeat = 5, .n_thr = 8, .thr_lo = -1.75, .thr_hi = 1.75};
    int n_in = lsnn_speech_crossing_channels(39, &c);
    CHECK(n_in == 624, "channels %d", n_in);
    lsnn_batch b = {0};
    CHECK(lsnn_batch_reset(&b, 2, (int)nfr * 5 + 3, n_in) == 0, "reset");
    for (int i = 0; i < 2; i++)
        CHECK(lsnn_speech_encode_crossing(&b, f, (int)nfr, 39, &c, &e) == 0, "%s", e.msg);
    CHECK(lsnn_batch_check(&b, 1) == 0 && b.n_spikes > 100 && b.n_spikes % 2 == 0, "%zu spikes",
          b.n_spikes);
    size_t half = b.n_spikes / 2, cells = (size_t)b.n_steps;
    int same = !memcmp(b.in_idx, b.in_idx + half, half * sizeof *b.in_idx);
    for (size_t k = 0; k <= cells; k++)
        same &= b.in_ptr[cells + k] - b.in_ptr[cells] == b.in_ptr[k];
    CHECK(same, "the second encoding differs from the first");
    lsnn_batch_free(&b);
    lsnn_mfcc_free(m);
    free(f);
}

int main(void)
{
    test_crossings();
    test_analog();
    test_bad_input();
    test_pipeline();
    return check_report();
}
