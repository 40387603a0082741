/* mfcc_delta.c - delta and delta-delta columns of MFCC frames (mfcc.h).
 *
 * Two ways, both applied twice (the delta-deltas are the deltas of the deltas):
 *   regression  python_speech_features' delta(feat, N): d[t] = sum_{n=1..N} n (c[t+n] -
 *               c[t-n]) / (2 sum_{n=1..N} n^2), with c[t] for t < 0 or t >= T the edge frame
 *               (numpy.pad mode 'edge');
 *   central     the e-prop TIMIT code's (tools.py, add_derivatives): d[t] = c[t+1] - c[t-1]
 *               for 0 < t < T-1, and 0 at t = 0 and t = T-1 (and for T < 3).
 * Sums run in double over float inputs; the result is rounded to float once. */
#include "mfcc.h"

/* Column block `to` of every frame from column block `from` (n_cep columns each). */
static void delta_block(float *feat, int n_frames, int n_cep, int from, int to,
                        lsnn_mfcc_delta kind, int N)
{
    int stride = 3 * n_cep;
    for (int t = 0; t < n_frames; t++) {
        float *dst = feat + (long)t * stride + (long)to * n_cep;
        for (int k = 0; k < n_cep; k++) {
            double d = 0.0;
            if (kind == LSNN_MFCC_DELTA_CENTRAL) {
                if (t > 0 && t < n_frames - 1)
                    d = (double)feat[(long)(t + 1) * stride + from * n_cep + k] -
                        feat[(long)(t - 1) * stride + from * n_cep + k];
            } else {
                double den = 0.0;
                for (int n = 1; n <= N; n++) {
                    int after = t + n < n_frames ? t + n : n_frames - 1;
                    int before = t - n >= 0 ? t - n : 0;
                    d += n * ((double)feat[(long)after * stride + from * n_cep + k] -
                              feat[(long)before * stride + from * n_cep + k]);
                    den += (double)n * n;
                }
                d /= 2.0 * den;
            }
            dst[k] = (float)d;
        }
    }
}

void lsnn_mfcc_deltas(float *feat, int n_frames, int n_cep, lsnn_mfcc_delta kind, int delta_n)
{
    delta_block(feat, n_frames, n_cep, 0, 1, kind, delta_n);
    delta_block(feat, n_frames, n_cep, 1, 2, kind, delta_n);
}
