/* test_featnorm.c - training-set statistics (featnorm.h): mean and std against a two-pass
 * computation over all frames at once, z-scores, the file round trip, and bad files. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "featnorm.h"
#include "fileio.h"
#include "safetensors.h"

enum { NF = 3 };

/* Three "utterances" of 4, 1 and 7 frames, with a large offset in feature 0 (as c0 is). */
static float utt[12][NF];

static void make_data(void)
{
    for (int t = 0; t < 12; t++) {
        utt[t][0] = 1000.0f + 0.25f * (float)((t * 7) % 5);
        utt[t][1] = (float)t - 5.5f;
        utt[t][2] = 2.0f; /* constant: std 0, z-scores 0 by the floor */
    }
}

static void test_stats_and_zscores(const char *dir)
{
    lsnn_featnorm s;
    lsnn_error e;
    CHECK(lsnn_featnorm_init(&s, NF, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_add(&s, utt[0], 4, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_add(&s, utt[4], 1, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_add(&s, utt[5], 7, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_finish(&s, &e) == 0 && s.n_frames == 12, "%s", e.msg);
    for (int k = 0; k < NF; k++) { /* numpy.mean / numpy.std of all 12 frames */
        double m = 0, v = 0;
        for (int t = 0; t < 12; t++)
            m += utt[t][k];
        m /= 12;
        for (int t = 0; t < 12; t++)
            v += (utt[t][k] - m) * (utt[t][k] - m);
        double sd = sqrt(v / 12);
        CHECK(fabs(s.mean[k] - m) < 1e-12 * fabs(m) + 1e-12, "mean %d: %.17g vs %.17g", k,
              s.mean[k], m);
        CHECK(fabs(s.std[k] - sd) < 1e-9 * sd + 1e-12, "std %d: %.17g vs %.17g", k, s.std[k], sd);
    }
    CHECK(fabs(s.std[1] - sqrt(143.0 / 12)) < 1e-12, "std of 0..11: %.17g", s.std[1]);

    float z[12][NF];
    memcpy(z, utt, sizeof z);
    lsnn_featnorm_apply(&s, z[0], 12);
    double zm = 0, zv = 0;
    for (int t = 0; t < 12; t++) {
        zm += z[t][1];
        zv += (double)z[t][1] * z[t][1];
    }
    CHECK(fabs(zm / 12) < 1e-6 && fabs(zv / 12 - 1) < 1e-6, "z of feature 1: mean %g, var %g",
          zm / 12, zv / 12);
    CHECK(z[3][2] == 0.0f, "constant feature: z %g", z[3][2]);

    /* round trip: the same bits back, and the same z-scores */
    char path[1100];
    snprintf(path, sizeof path, "%s/norm.safetensors", dir);
    CHECK(lsnn_featnorm_save(&s, path, &e) == 0, "%s", e.msg);
    lsnn_featnorm r;
    CHECK(lsnn_featnorm_load(&r, path, NF, &e) == 0, "%s", e.msg);
    CHECK(r.n_feat == NF && r.n_frames == 12 && !memcmp(r.mean, s.mean, sizeof(double) * NF) &&
              !memcmp(r.std, s.std, sizeof(double) * NF),
          "loaded statistics differ");
    float z2[12][NF];
    memcpy(z2, utt, sizeof z2);
    lsnn_featnorm_apply(&r, z2[0], 12);
    CHECK(!memcmp(z, z2, sizeof z), "z-scores after the round trip differ");
    CHECK(lsnn_featnorm_load(&r, path, 0, &e) == 0 && r.n_feat == NF, "any count: %s", e.msg);
    CHECK(lsnn_featnorm_load(&r, path, 39, &e) == -1 && strstr(e.msg, "3 features") &&
              strstr(e.msg, "expected 39") && strstr(e.msg, path),
          "wrong count: '%s'", e.msg);
}

static void test_bad_input(const char *dir)
{
    lsnn_featnorm s;
    lsnn_error e;
    CHECK(lsnn_featnorm_init(&s, 0, &e) == -1 && strstr(e.msg, "1..1024"), "0 features: '%s'",
          e.msg);
    CHECK(lsnn_featnorm_init(&s, NF, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_finish(&s, &e) == -1 && strstr(e.msg, "no frames"), "empty: '%s'", e.msg);
    float bad[2][NF] = {{1, 2, 3}, {4, NAN, 6}};
    CHECK(lsnn_featnorm_add(&s, bad[0], 2, &e) == -1 && strstr(e.msg, "frame 1 feature 1") &&
              s.n_frames == 0,
          "NaN: '%s'", e.msg);

    char path[1100];
    /* a safetensors file that is not feature statistics */
    snprintf(path, sizeof path, "%s/other.safetensors", dir);
    double v[NF] = {0, 1, 2};
    lsnn_tensor t = {
        .name = "mean", .dtype = LSNN_F64, .ndim = 1, .shape = {NF}, .data = v, .nbytes = sizeof v};
    CHECK(lsnn_st_write(path, &t, 1, NULL, 0, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_load(&s, path, NF, &e) == -1 && strstr(e.msg, "format"), "no tag: '%s'",
          e.msg);
    /* a negative deviation */
    double sd[NF] = {1, -1, 1};
    lsnn_tensor ts[2] = {t,
                         {.name = "std",
                          .dtype = LSNN_F64,
                          .ndim = 1,
                          .shape = {NF},
                          .data = sd,
                          .nbytes = sizeof sd}};
    lsnn_meta meta[2] = {{.key = "format", .value = "lsnn-featnorm-1"},
                         {.key = "n_frames", .value = "10"}};
    CHECK(lsnn_st_write(path, ts, 2, meta, 2, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_load(&s, path, NF, &e) == -1 && strstr(e.msg, "std[1]"),
          "negative std: '%s'", e.msg);
    /* no frames */
    sd[1] = 1;
    snprintf(meta[1].value, sizeof meta[1].value, "0");
    CHECK(lsnn_st_write(path, ts, 2, meta, 2, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_load(&s, path, NF, &e) == -1 && strstr(e.msg, "n_frames"), "0 frames: '%s'",
          e.msg);
    /* not a file of ours at all */
    snprintf(path, sizeof path, "%s/garbage.safetensors", dir);
    CHECK(lsnn_write_file_atomic(path, "hello", 5, &e) == 0, "%s", e.msg);
    CHECK(lsnn_featnorm_load(&s, path, NF, &e) == -1 && strstr(e.msg, "featnorm"), "garbage: '%s'",
          e.msg);
}

int main(void)
{
    const char *dir = check_tmpdir("test_featnorm");
    make_data();
    test_stats_and_zscores(dir);
    test_bad_input(dir);
    return check_report();
}
