/* lstm_kernels.c - the LSTM's inner loops: matrix products, the cell forward, the cell
 * backward.
 *
 * Each element is computed by the same sequence of IEEE operations whatever the vector width
 * (products are rounded before they are added: -ffp-contract=off in the default build; a
 * product's sum runs in ascending index; the exp below uses + - * / and bit operations only).
 * The float build therefore carries every kernel three times, for 16-, 32- and 64-byte
 * vectors (SSE2, AVX2 and AVX-512F code through GCC's target attribute), and takes the widest
 * the CPU has: the same numbers on every x86-64 CPU, faster where it can be. The double build
 * (gradient checks) has the 16-byte kernels and pmath.h's exp. */
#include <stdlib.h>
#include <string.h>

#include "lstm_internal.h"
#include "pmath.h"

/* C[m][n] += sum_i A[m*sam + i*sai] B[i*ldb + n], in register tiles of MR rows x 2 vectors,
 * K in blocks of KB so that the block of B stays in L1 (the sum per element still runs in
 * ascending i: C holds it between blocks). */
#define KB 128
#define GEMM_KERNEL(NAME, VB, MR, ATTR)                                                            \
    ATTR static void NAME(real *C, int ldc, const real *A, int sam, int sai, const real *B,        \
                          int ldb, int M, int N, int K)                                            \
    {                                                                                              \
        typedef real vec __attribute__((vector_size(VB)));                                         \
        enum { VLN = (int)(VB / sizeof(real)) };                                                   \
        for (int k0 = 0; k0 < K; k0 += KB) {                                                       \
            int k1 = K - k0 < KB ? K : k0 + KB;                                                    \
            for (int n0 = 0; n0 < N; n0 += 2 * VLN)                                                \
                for (int m0 = 0; m0 < M; m0 += MR) {                                               \
                    vec x[MR][2];                                                                  \
                    for (int r = 0; r < MR; r++) {                                                 \
                        const vec *c = (const vec *)(C + (size_t)(m0 + r) * ldc + n0);             \
                        x[r][0] = c[0];                                                            \
                        x[r][1] = c[1];                                                            \
                    }                                                                              \
                    const real *a = A + (size_t)m0 * sam + (size_t)k0 * sai;                       \
                    const real *bp = B + (size_t)k0 * ldb + n0;                                    \
                    for (int i = k0; i < k1; i++, a += sai, bp += ldb) {                           \
                        vec b0 = ((const vec *)bp)[0], b1 = ((const vec *)bp)[1];                  \
                        for (int r = 0; r < MR; r++) {                                             \
                            real ar = a[r * sam];                                                  \
                            x[r][0] += b0 * ar;                                                    \
                            x[r][1] += b1 * ar;                                                    \
                        }                                                                          \
                    }                                                                              \
                    for (int r = 0; r < MR; r++) {                                                 \
                        vec *c = (vec *)(C + (size_t)(m0 + r) * ldc + n0);                         \
                        c[0] = x[r][0];                                                            \
                        c[1] = x[r][1];                                                            \
                    }                                                                              \
                }                                                                                  \
        }                                                                                          \
    }

/* The backward step of one lane (docs/training.md, "LSTM"): da from dh, the stored gates
 * a = (i, f, g, o), tanh(c_t) and c_{t-1}; dc carried to step t-1. Plain loops: the compiler
 * vectorises them at the function's target width. */
#define CELL_BACKWARD_KERNEL(NAME, ATTR)                                                           \
    ATTR static void NAME(const real *restrict a, const real *restrict tc,                         \
                          const real *restrict cp, const real *restrict dh, real *restrict dc,     \
                          real *restrict da, int hp)                                               \
    {                                                                                              \
        for (int u = 0; u < hp; u++) {                                                             \
            real i = a[u], f = a[hp + u], g = a[2 * hp + u], o = a[3 * hp + u];                    \
            real dct = dc[u] + dh[u] * o * (1 - tc[u] * tc[u]);                                    \
            da[3 * hp + u] = dh[u] * tc[u] * o * (1 - o);                                          \
            da[u] = dct * g * i * (1 - i);                                                         \
            da[2 * hp + u] = dct * i * (1 - g * g);                                                \
            da[hp + u] = dct * cp[u] * f * (1 - f);                                                \
            dc[u] = dct * f;                                                                       \
        }                                                                                          \
    }

#ifdef LSNN_REAL_DOUBLE

static inline double sigm(double x)
{
    return 1 / (1 + lsnn_exp(-x));
}

static inline double tanh_(double x)
{
    return 1 - 2 / (lsnn_exp(2 * x) + 1);
}

static void cell_forward_f64(real *act, const real *c_prev, real *c, real *tc, real *h, int hp,
                             int gp)
{
    for (int l = 0; l < LC; l++) {
        real *a = act + (size_t)l * gp;
        const real *cp = c_prev + (size_t)l * hp;
        real *cl = c + (size_t)l * hp, *tl = tc + (size_t)l * hp, *hl = h + (size_t)l * hp;
        for (int k = 0; k < hp; k++) {
            double i = sigm(a[k]), f = sigm(a[hp + k]), g = tanh_(a[2 * hp + k]);
            double o = sigm(a[3 * hp + k]);
            a[k] = i, a[hp + k] = f, a[2 * hp + k] = g, a[3 * hp + k] = o;
            cl[k] = f * cp[k] + i * g;
            tl[k] = tanh_(cl[k]);
            hl[k] = o * tl[k];
        }
    }
}

GEMM_KERNEL(gemm_v16, 16, 4, )
CELL_BACKWARD_KERNEL(cell_backward_v16, )

static const lstm_kernels kernels = {gemm_v16, cell_forward_f64, cell_backward_v16, "generic"};

const lstm_kernels *LSNN_FN(lstm_kernels_pick)(void)
{
    return &kernels;
}

#else

/* The cell forward for lanes 0..LC-1 on vectors of VB bytes. exp(x) for x clamped to
 * [-87, 88] (sigmoid and tanh saturate long before): n = round(x / ln 2) by the 1.5 * 2^23
 * trick, r = x - n ln 2 in two parts (Cody-Waite), Cephes' degree-6 polynomial for e^r (within
 * 2 ulp of expf), and 2^n from its exponent bits. */
#define CELL_FORWARD_KERNEL(NAME, VB, ATTR)                                                        \
    ATTR static void NAME(real *act, const real *c_prev, real *c, real *tc, real *h, int hp,       \
                          int gp)                                                                  \
    {                                                                                              \
        typedef float vec __attribute__((vector_size(VB)));                                        \
        typedef int32_t ivec __attribute__((vector_size(VB)));                                     \
        const vec zero = {0}, one = zero + 1.0f, two = zero + 2.0f;                                \
        const vec lo = zero - 87.0f, hi = zero + 88.0f;                                            \
        int q = hp / (int)(VB / sizeof(float));                                                    \
        for (int l = 0; l < LC; l++) {                                                             \
            vec *a = (vec *)(act + (size_t)l * gp);                                                \
            const vec *cp = (const vec *)(c_prev + (size_t)l * hp);                                \
            vec *cl = (vec *)(c + (size_t)l * hp), *tl = (vec *)(tc + (size_t)l * hp);             \
            vec *hl = (vec *)(h + (size_t)l * hp);                                                 \
            for (int k = 0; k < q; k++) {                                                          \
                vec x[5] = {-a[k], -a[q + k], a[2 * q + k] + a[2 * q + k], -a[3 * q + k]}, e[5];   \
                for (int j = 0; j < 4; j++) {                                                      \
                    VEXP(x[j], e[j]);                                                              \
                }                                                                                  \
                vec i = one / (one + e[0]), f = one / (one + e[1]);                                \
                vec g = one - two / (e[2] + one), o = one / (one + e[3]);                          \
                a[k] = i, a[q + k] = f, a[2 * q + k] = g, a[3 * q + k] = o;                        \
                vec cn = f * cp[k] + i * g;                                                        \
                cl[k] = cn;                                                                        \
                x[4] = cn + cn;                                                                    \
                VEXP(x[4], e[4]);                                                                  \
                vec t = one - two / (e[4] + one);                                                  \
                tl[k] = t;                                                                         \
                hl[k] = o * t;                                                                     \
            }                                                                                      \
        }                                                                                          \
    }

#define VEXP(xin, out)                                                                             \
    do {                                                                                           \
        vec x_ = xin;                                                                              \
        ivec l_ = x_<lo, h_ = x_> hi;                                                              \
        x_ = (vec)(((ivec)x_ & ~(l_ | h_)) | ((ivec)lo & l_) | ((ivec)hi & h_));                   \
        vec n_ = (x_ * 1.44269504088896341f + 12582912.0f) - 12582912.0f;                          \
        vec r_ = x_ - n_ * 0.693359375f - n_ * -2.12194440e-4f;                                    \
        vec p_ = zero + 1.9875691500e-4f;                                                          \
        p_ = p_ * r_ + 1.3981999507e-3f;                                                           \
        p_ = p_ * r_ + 8.3334519073e-3f;                                                           \
        p_ = p_ * r_ + 4.1665795894e-2f;                                                           \
        p_ = p_ * r_ + 1.6666665459e-1f;                                                           \
        p_ = p_ * r_ + 5.0000001201e-1f;                                                           \
        p_ = p_ * (r_ * r_) + r_ + 1.0f;                                                           \
        ivec e_ = (__builtin_convertvector(n_, ivec) + 127) << 23;                                 \
        out = p_ * (vec)e_;                                                                        \
    } while (0)

GEMM_KERNEL(gemm_v16, 16, 4, )
CELL_FORWARD_KERNEL(cell_forward_v16, 16, )
CELL_BACKWARD_KERNEL(cell_backward_v16, )
static const lstm_kernels k16 = {gemm_v16, cell_forward_v16, cell_backward_v16, "sse2"};

#if defined(__x86_64__) && defined(__GNUC__)
#define AVX2   __attribute__((target("avx2")))
#define AVX512 __attribute__((target("avx512f")))
GEMM_KERNEL(gemm_v32, 32, 4, AVX2)
CELL_FORWARD_KERNEL(cell_forward_v32, 32, AVX2)
CELL_BACKWARD_KERNEL(cell_backward_v32, AVX2)
/* AVX-512 has 32 vector registers: tiles of 8 rows (16 accumulators) */
GEMM_KERNEL(gemm_v64, 64, 8, AVX512)
CELL_FORWARD_KERNEL(cell_forward_v64, 64, AVX512)
CELL_BACKWARD_KERNEL(cell_backward_v64, AVX512)
static const lstm_kernels k32 = {gemm_v32, cell_forward_v32, cell_backward_v32, "avx2"};
static const lstm_kernels k64 = {gemm_v64, cell_forward_v64, cell_backward_v64, "avx512f"};
#endif

const lstm_kernels *LSNN_FN(lstm_kernels_pick)(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    const char *force = getenv("LSNN_LSTM_KERNELS"); /* sse2, avx2: for tests and benchmarks */
    __builtin_cpu_init();
    if (force && !strcmp(force, "sse2")) return &k16;
    if (__builtin_cpu_supports("avx512f") && !(force && !strcmp(force, "avx2"))) return &k64;
    if (__builtin_cpu_supports("avx2")) return &k32;
#endif
    return &k16;
}

#endif

const char *LSNN_FN(lsnn_lstm_kernels)(void)
{
    return LSNN_FN(lstm_kernels_pick)()->name;
}
