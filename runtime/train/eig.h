/* eig.h - eigenvalues of a dense real matrix, for the spectral scaling of DEEP R's init.
 *
 * Method: Householder reduction to upper Hessenberg form, then the Francis implicit
 * double-shift QR iteration on the Hessenberg matrix (eigenvalues only, after EISPACK
 * hqr), in double precision. Both stages are backward stable: the eigenvalues returned
 * are exact for a matrix within a few n * 2^-53 * ||A|| of A, so for the well-scaled
 * random matrices of the initialisation the spectral radius is accurate to ~1e-12
 * relative (tests/test_deepr.c checks known spectra and inverse-iteration residuals).
 * Cost: about 10 n^3 flops, n^2 doubles of scratch (n = 220: a few milliseconds). */
#ifndef LSNN_EIG_H
#define LSNN_EIG_H

/* All n eigenvalues of the row-major n x n matrix a (not modified): wr[k] + i wi[k],
 * complex pairs adjacent (positive imaginary part first), in no particular order.
 * Returns 0, or -1 when out of memory or when the QR iteration does not converge
 * (more than 60 iterations for one eigenvalue; it has never been seen in practice). */
int lsnn_eigenvalues(const double *a, int n, double *wr, double *wi);

/* max_k |lambda_k| of the row-major n x n matrix a (not modified), n >= 1.
 * Returns 0, or -1 as lsnn_eigenvalues. */
int lsnn_spectral_radius(const double *a, int n, double *rho);

#endif
