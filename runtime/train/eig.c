/* eig.c - eigenvalues of a dense real matrix: Householder-Hessenberg + Francis double-shift QR. */
#include "eig.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITS 60 /* QR sweeps allowed for one eigenvalue (or pair) */

/* Reduces the row-major n x n matrix h in place to upper Hessenberg form by Householder
 * similarity transforms (entries below the subdiagonal become exactly 0). w: n doubles. */
static void hessenberg(double *h, int n, double *v, double *w)
{
    for (int k = 0; k + 2 < n; k++) {
        int len = n - k - 1; /* rows k+1 .. n-1 of column k */
        double norm = 0;
        for (int i = 0; i < len; i++)
            norm = hypot(norm, h[(size_t)(k + 1 + i) * n + k]);
        if (norm == 0) continue;
        double x0 = h[(size_t)(k + 1) * n + k], alpha = x0 > 0 ? -norm : norm;
        double vv = 0;
        for (int i = 0; i < len; i++)
            v[i] = h[(size_t)(k + 1 + i) * n + k];
        v[0] -= alpha;
        for (int i = 0; i < len; i++)
            vv += v[i] * v[i];
        if (vv == 0) continue;
        double c = 2 / vv;
        /* left: H(k+1:, k:) -= c v (v^T H(k+1:, k:)), row by row */
        memset(w, 0, sizeof(double) * n);
        for (int i = 0; i < len; i++) {
            const double *row = h + (size_t)(k + 1 + i) * n;
            for (int j = k; j < n; j++)
                w[j] += v[i] * row[j];
        }
        for (int i = 0; i < len; i++) {
            double *row = h + (size_t)(k + 1 + i) * n, f = c * v[i];
            for (int j = k; j < n; j++)
                row[j] -= f * w[j];
        }
        /* right: H(:, k+1:) -= c (H(:, k+1:) v) v^T */
        for (int i = 0; i < n; i++) {
            double *row = h + (size_t)i * n + k + 1, s = 0;
            for (int j = 0; j < len; j++)
                s += row[j] * v[j];
            s *= c;
            for (int j = 0; j < len; j++)
                row[j] -= s * v[j];
        }
        h[(size_t)(k + 1) * n + k] = alpha;
        for (int i = 1; i < len; i++)
            h[(size_t)(k + 1 + i) * n + k] = 0;
    }
}

static double sign_of(double a, double b)
{
    return b >= 0 ? fabs(a) : -fabs(a);
}

/* Eigenvalues of the upper Hessenberg matrix h (row-major, n x n, destroyed) by the
 * Francis implicit double-shift QR iteration with deflation on negligible subdiagonal
 * entries and exceptional shifts every 10 sweeps (EISPACK hqr). 1-based indices below,
 * as in the published algorithm. Returns 0, or -1 without convergence. */
static int hqr(double *h, int n, double *wr, double *wi)
{
#define A(i, j) h[(size_t)((i)-1) * n + ((j)-1)]
    double anorm = 0, t = 0;
    double p = 0, q = 0, r = 0, s, w, x, y, z;
    for (int i = 1; i <= n; i++)
        for (int j = i > 1 ? i - 1 : 1; j <= n; j++)
            anorm += fabs(A(i, j));
    int nn = n;
    while (nn >= 1) {
        int its = 0, l;
        do {
            for (l = nn; l >= 2; l--) { /* a negligible subdiagonal element splits the matrix */
                s = fabs(A(l - 1, l - 1)) + fabs(A(l, l));
                if (s == 0) s = anorm;
                if (fabs(A(l, l - 1)) + s == s) {
                    A(l, l - 1) = 0;
                    break;
                }
            }
            x = A(nn, nn);
            if (l == nn) { /* one root found */
                wr[nn - 1] = x + t;
                wi[nn - 1] = 0;
                nn--;
            } else {
                y = A(nn - 1, nn - 1);
                w = A(nn, nn - 1) * A(nn - 1, nn);
                if (l == nn - 1) { /* two roots found */
                    p = 0.5 * (y - x);
                    q = p * p + w;
                    z = sqrt(fabs(q));
                    x += t;
                    if (q >= 0) { /* a real pair */
                        z = p + sign_of(z, p);
                        wr[nn - 2] = wr[nn - 1] = x + z;
                        if (z != 0) wr[nn - 1] = x - w / z;
                        wi[nn - 2] = wi[nn - 1] = 0;
                    } else { /* a complex pair */
                        wr[nn - 2] = wr[nn - 1] = x + p;
                        wi[nn - 2] = z;
                        wi[nn - 1] = -z;
                    }
                    nn -= 2;
                } else { /* no roots yet: one double-shift QR sweep on rows/cols l..nn */
                    if (its == MAX_ITS) return -1;
                    if (its > 0 && its % 10 == 0) { /* exceptional shift */
                        t += x;
                        for (int i = 1; i <= nn; i++)
                            A(i, i) -= x;
                        s = fabs(A(nn, nn - 1)) + fabs(A(nn - 1, nn - 2));
                        y = x = 0.75 * s;
                        w = -0.4375 * s * s;
                    }
                    ++its;
                    int m;
                    for (m = nn - 2; m >= l; m--) { /* two consecutive small subdiagonals? */
                        z = A(m, m);
                        r = x - z;
                        s = y - z;
                        p = (r * s - w) / A(m + 1, m) + A(m, m + 1);
                        q = A(m + 1, m + 1) - z - r - s;
                        r = A(m + 2, m + 1);
                        s = fabs(p) + fabs(q) + fabs(r);
                        p /= s;
                        q /= s;
                        r /= s;
                        if (m == l) break;
                        double u = fabs(A(m, m - 1)) * (fabs(q) + fabs(r));
                        double v =
                            fabs(p) * (fabs(A(m - 1, m - 1)) + fabs(z) + fabs(A(m + 1, m + 1)));
                        if (u + v == v) break;
                    }
                    for (int i = m + 2; i <= nn; i++) {
                        A(i, i - 2) = 0;
                        if (i != m + 2) A(i, i - 3) = 0;
                    }
                    for (int k = m; k <= nn - 1; k++) { /* chase the bulge */
                        if (k != m) {
                            p = A(k, k - 1);
                            q = A(k + 1, k - 1);
                            r = 0;
                            if (k != nn - 1) r = A(k + 2, k - 1);
                            if ((x = fabs(p) + fabs(q) + fabs(r)) != 0) {
                                p /= x;
                                q /= x;
                                r /= x;
                            }
                        }
                        if ((s = sign_of(sqrt(p * p + q * q + r * r), p)) != 0) {
                            if (k == m) {
                                if (l != m) A(k, k - 1) = -A(k, k - 1);
                            } else {
                                A(k, k - 1) = -s * x;
                            }
                            p += s;
                            x = p / s;
                            y = q / s;
                            z = r / s;
                            q /= p;
                            r /= p;
                            for (int j = k; j <= nn; j++) { /* row modification */
                                p = A(k, j) + q * A(k + 1, j);
                                if (k != nn - 1) {
                                    p += r * A(k + 2, j);
                                    A(k + 2, j) -= p * z;
                                }
                                A(k + 1, j) -= p * y;
                                A(k, j) -= p * x;
                            }
                            int mmin = nn < k + 3 ? nn : k + 3;
                            for (int i = l; i <= mmin; i++) { /* column modification */
                                p = x * A(i, k) + y * A(i, k + 1);
                                if (k != nn - 1) {
                                    p += z * A(i, k + 2);
                                    A(i, k + 2) -= p * r;
                                }
                                A(i, k + 1) -= p * q;
                                A(i, k) -= p;
                            }
                        }
                    }
                }
            }
        } while (nn >= 1 && l < nn - 1);
    }
    return 0;
#undef A
}

int lsnn_eigenvalues(const double *a, int n, double *wr, double *wi)
{
    double *h = malloc(sizeof(double) * ((size_t)n * n + 2 * (size_t)n));
    if (!h) return -1;
    memcpy(h, a, sizeof(double) * (size_t)n * n);
    hessenberg(h, n, h + (size_t)n * n, h + (size_t)n * n + n);
    int rc = hqr(h, n, wr, wi);
    free(h);
    return rc;
}

int lsnn_spectral_radius(const double *a, int n, double *rho)
{
    double *wr = malloc(sizeof(double) * 2 * (size_t)n);
    if (!wr) return -1;
    int rc = lsnn_eigenvalues(a, n, wr, wr + n);
    if (rc == 0) {
        double best = 0;
        for (int k = 0; k < n; k++)
            best = fmax(best, hypot(wr[k], wr[n + k]));
        *rho = best;
    }
    free(wr);
    return rc;
}
