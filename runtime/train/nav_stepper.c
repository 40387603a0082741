/* nav_stepper.c - the float LSNN a step at a time (nav_stepper.h). */
#include "nav_stepper.h"

#include <stdlib.h>
#include <string.h>

#include "spec.h" /* LSNN_MAX_OUTPUTS */

int lsnn_nav_stepper_init(lsnn_nav_stepper *s, const lsnn_net *net)
{
    memset(s, 0, sizeof *s);
    int N = net->n_rec;
    s->net = net;
    s->slots = net->n_delay + 1;
    s->ring = malloc(sizeof(float) * (size_t)s->slots * N);
    s->v = malloc(sizeof(float) * N);
    s->b = malloc(sizeof(float) * N);
    s->isyn = malloc(sizeof(float) * N);
    s->z = malloc(N);
    s->refc = malloc(sizeof(int) * N);
    s->ro = malloc(sizeof(float) * net->n_out);
    s->wsum = malloc(sizeof(double) * net->n_out);
    if (!s->ring || !s->v || !s->b || !s->isyn || !s->z || !s->refc || !s->ro || !s->wsum) {
        lsnn_nav_stepper_free(s);
        return -1;
    }
    lsnn_nav_stepper_reset(s);
    return 0;
}

void lsnn_nav_stepper_free(lsnn_nav_stepper *s)
{
    free(s->ring);
    free(s->v);
    free(s->b);
    free(s->isyn);
    free(s->z);
    free(s->refc);
    free(s->ro);
    free(s->wsum);
    memset(s, 0, sizeof *s);
}

void lsnn_nav_stepper_reset(lsnn_nav_stepper *s)
{
    int N = s->net->n_rec, C = s->net->n_out;
    memset(s->ring, 0, sizeof(float) * (size_t)s->slots * N);
    memset(s->v, 0, sizeof(float) * N);
    memset(s->b, 0, sizeof(float) * N);
    memset(s->isyn, 0, sizeof(float) * N);
    memset(s->z, 0, N);
    memset(s->refc, 0, sizeof(int) * N);
    memset(s->ro, 0, sizeof(float) * C);
    memset(s->wsum, 0, sizeof(double) * C);
    s->t = 0;
    s->wlen = 0;
    s->spikes = 0;
}

void lsnn_nav_stepper_step(lsnn_nav_stepper *s, const uint16_t *ch, int n, int in_window)
{
    const lsnn_net *net = s->net;
    int N = net->n_rec, C = net->n_out, t = s->t;
    /* input x_t with delay d is current of step t + d */
    for (int k = 0; k < n; k++) {
        const float *w = net->w_in + (size_t)ch[k] * N;
        const uint8_t *d = net->d_in + (size_t)ch[k] * N;
        for (int j = 0; j < N; j++)
            s->ring[(size_t)((t + d[j]) % s->slots) * N + j] += w[j];
    }
    float *cur = s->ring + (size_t)(t % s->slots) * N;
    int prev = net->spike_from_prev_v;
    for (int i = 0; i < N; i++) {
        float alpha = net->alpha[i], rho = net->rho[i], beta = net->beta[i], b0 = net->b0[i];
        float zp = s->z[i], vp = s->v[i], A = b0;
        if (beta != 0) {
            float bn = rho * s->b[i] + (1 - rho) * zp;
            A = b0 + beta * bn;
            s->b[i] = bn;
        }
        float in = cur[i];
        if (net->cuba[i]) {
            in = net->alpha_syn[i] * s->isyn[i] + cur[i];
            s->isyn[i] = in;
        }
        float vn = alpha * vp + (1 - alpha) * in - zp * A;
        float vsrc = prev ? vp : vn;
        int spike = s->refc[i] == 0 && vsrc > A;
        s->refc[i] = spike ? net->n_ref[i] : s->refc[i] > 1 ? s->refc[i] - 1 : 0;
        s->v[i] = vn;
        s->z[i] = (uint8_t)spike;
    }
    memset(cur, 0, sizeof(float) * N);
    /* z_t with delay d is current of step t + 1 + d; the readout sums W_out^T z_t */
    float acc[LSNN_MAX_OUTPUTS];
    memset(acc, 0, sizeof(float) * C);
    for (int i = 0; i < N; i++) {
        if (!s->z[i]) continue;
        s->spikes++;
        const float *w = net->w_rec + (size_t)i * N;
        const uint8_t *d = net->d_rec + (size_t)i * N;
        for (int j = 0; j < N; j++)
            s->ring[(size_t)((t + 1 + d[j]) % s->slots) * N + j] += w[j];
        for (int o = 0; o < C; o++)
            acc[o] += net->w_out[(size_t)i * C + o];
    }
    for (int o = 0; o < C; o++) {
        s->ro[o] = net->kappa * s->ro[o] + (1 - net->kappa) * acc[o];
        if (in_window) s->wsum[o] += s->ro[o] + net->b_out[o];
    }
    s->wlen += in_window;
    s->t++;
}

void lsnn_nav_stepper_window(lsnn_nav_stepper *s, double *out)
{
    int C = s->net->n_out;
    for (int o = 0; o < C; o++) {
        out[o] = s->wlen ? s->wsum[o] / s->wlen : 0;
        s->wsum[o] = 0;
    }
    s->wlen = 0;
}
