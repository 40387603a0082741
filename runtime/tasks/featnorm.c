/* featnorm.c - training-set feature statistics, their file, and z-scores (featnorm.h). */
#include "featnorm.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors.h"

#define FORMAT_TAG "lsnn-featnorm-1"

int lsnn_featnorm_init(lsnn_featnorm *s, int n_feat, lsnn_error *e)
{
    memset(s, 0, sizeof *s);
    if (n_feat < 1 || n_feat > LSNN_FEATNORM_MAX)
        return lsnn_fail(e, "featnorm: %d features per frame is outside 1..%d", n_feat,
                         LSNN_FEATNORM_MAX);
    s->n_feat = n_feat;
    return 0;
}

int lsnn_featnorm_add(lsnn_featnorm *s, const float *feat, int n_frames, lsnn_error *e)
{
    int nf = s->n_feat;
    if (n_frames < 1) return lsnn_fail(e, "featnorm: utterance of %d frames (>= 1)", n_frames);
    for (long i = 0; i < (long)n_frames * nf; i++)
        if (!isfinite(feat[i]))
            return lsnn_fail(e, "featnorm: frame %ld feature %ld is %g (not finite)", i / nf,
                             i % nf, (double)feat[i]);
    double nb = n_frames, na = (double)s->n_frames, n = na + nb;
    for (int k = 0; k < nf; k++) {
        /* the utterance's own mean and squared deviations, two passes */
        double mb = 0.0, m2b = 0.0;
        for (int t = 0; t < n_frames; t++)
            mb += feat[(long)t * nf + k];
        mb /= nb;
        for (int t = 0; t < n_frames; t++) {
            double d = feat[(long)t * nf + k] - mb;
            m2b += d * d;
        }
        /* merged with the running ones (Chan et al. 1979) */
        double delta = mb - s->mean[k];
        s->mean[k] += delta * (nb / n);
        s->m2[k] += m2b + delta * delta * (na * nb / n);
    }
    s->n_frames += n_frames;
    return 0;
}

int lsnn_featnorm_finish(lsnn_featnorm *s, lsnn_error *e)
{
    if (s->n_frames < 1) return lsnn_fail(e, "featnorm: no frames were added");
    for (int k = 0; k < s->n_feat; k++)
        s->std[k] = sqrt(s->m2[k] / (double)s->n_frames);
    return 0;
}

void lsnn_featnorm_apply(const lsnn_featnorm *s, float *feat, int n_frames)
{
    for (int t = 0; t < n_frames; t++)
        for (int k = 0; k < s->n_feat; k++) {
            float *v = &feat[(long)t * s->n_feat + k];
            double sd = s->std[k] > LSNN_FEATNORM_STD_FLOOR ? s->std[k] : LSNN_FEATNORM_STD_FLOOR;
            *v = (float)((*v - s->mean[k]) / sd);
        }
}

int lsnn_featnorm_save(const lsnn_featnorm *s, const char *path, lsnn_error *e)
{
    lsnn_tensor t[2] = {
        {.name = "mean",
         .dtype = LSNN_F64,
         .ndim = 1,
         .shape = {s->n_feat},
         .data = (void *)s->mean,
         .nbytes = sizeof(double) * (size_t)s->n_feat},
        {.name = "std",
         .dtype = LSNN_F64,
         .ndim = 1,
         .shape = {s->n_feat},
         .data = (void *)s->std,
         .nbytes = sizeof(double) * (size_t)s->n_feat},
    };
    lsnn_meta meta[2] = {{.key = "format", .value = FORMAT_TAG}, {.key = "n_frames"}};
    snprintf(meta[1].value, sizeof meta[1].value, "%" PRId64, s->n_frames);
    if (lsnn_st_write(path, t, 2, meta, 2, e) != 0)
        return lsnn_fail_prefix(e, "featnorm: %s", path);
    return 0;
}

/* Copies the [n] F64 tensor `name` into dst and checks every value. */
static int load_vector(const lsnn_tensor_set *set, const char *path, const char *name, int n,
                       double *dst, int is_std, lsnn_error *e)
{
    int64_t shape = n;
    const lsnn_tensor *t = lsnn_st_expect(set, path, name, LSNN_F64, 1, &shape, e);
    if (!t) return lsnn_fail_prefix(e, "featnorm");
    memcpy(dst, t->data, sizeof *dst * (size_t)n); /* the data may sit unaligned */
    for (int k = 0; k < n; k++)
        if (!isfinite(dst[k]) || (is_std && dst[k] < 0.0))
            return lsnn_fail(e, "featnorm: %s: %s[%d] = %g (must be finite%s)", path, name, k,
                             dst[k], is_std ? " and >= 0" : "");
    return 0;
}

int lsnn_featnorm_load(lsnn_featnorm *s, const char *path, int n_feat, lsnn_error *e)
{
    lsnn_tensor_set set;
    memset(s, 0, sizeof *s);
    if (lsnn_st_read(path, &set, e) != 0) return lsnn_fail_prefix(e, "featnorm");
    int rc = -1;
    const char *tag = lsnn_st_meta(&set, "format"), *frames = lsnn_st_meta(&set, "n_frames");
    const lsnn_tensor *mean = lsnn_st_find(&set, "mean");
    if (!tag || strcmp(tag, FORMAT_TAG) != 0) {
        lsnn_fail(e, "featnorm: %s: metadata format is '%s', expected '%s'", path,
                  tag ? tag : "(none)", FORMAT_TAG);
        goto done;
    }
    if (!mean || mean->ndim != 1 || mean->shape[0] < 1 || mean->shape[0] > LSNN_FEATNORM_MAX) {
        lsnn_fail(e, "featnorm: %s: tensor 'mean' must be a vector of 1..%d features", path,
                  LSNN_FEATNORM_MAX);
        goto done;
    }
    s->n_feat = (int)mean->shape[0];
    if (n_feat > 0 && s->n_feat != n_feat) {
        lsnn_fail(e, "featnorm: %s: statistics of %d features, expected %d", path, s->n_feat,
                  n_feat);
        goto done;
    }
    char *end = NULL;
    long long nfr = frames ? strtoll(frames, &end, 10) : 0;
    if (!frames || end == frames || *end || nfr < 1) {
        lsnn_fail(e, "featnorm: %s: metadata n_frames '%s' must be an integer >= 1", path,
                  frames ? frames : "(none)");
        goto done;
    }
    s->n_frames = nfr;
    if (load_vector(&set, path, "mean", s->n_feat, s->mean, 0, e) != 0 ||
        load_vector(&set, path, "std", s->n_feat, s->std, 1, e) != 0)
        goto done;
    for (int k = 0; k < s->n_feat; k++)
        s->m2[k] = s->std[k] * s->std[k] * (double)s->n_frames;
    rc = 0;
done:
    lsnn_st_free(&set);
    return rc;
}
