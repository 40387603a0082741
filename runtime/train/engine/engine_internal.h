/* engine_internal.h - the per-chunk workspace shared by forward.c, backward.c, engine.c. */
#ifndef LSNN_ENGINE_INTERNAL_H
#define LSNN_ENGINE_INTERNAL_H

#include <math.h>
#if defined(__AVX512F__) && !defined(LSNN_REAL_DOUBLE)
#include <immintrin.h>
#define LSNN_AVX512_F32 1
/* a * b + c in 16 lanes as the scalar code computes it: fused only where the build lets the
 * compiler fuse (LSNN_NATIVE: -ffp-contract=fast), else rounded twice like the x86-64 build */
#ifdef LSNN_NATIVE
#define LSNN_MADD512(a, b, c) _mm512_fmadd_ps(a, b, c)
#else
#define LSNN_MADD512(a, b, c) _mm512_add_ps(_mm512_mul_ps(a, b), c)
#endif
#else
#define LSNN_AVX512_F32 0
#endif

#include "engine.h"
#include "pmath.h"
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

/* Inside the engine sources the plain names stand for this build's precision. */
typedef LSNN_REAL real;
#define lsnn_net    LSNN_FN(lsnn_net)
#define lsnn_grads  LSNN_FN(lsnn_grads)
#define lsnn_engine LSNN_FN(lsnn_engine)
#define lsnn_sorted LSNN_FN(lsnn_sorted)
#define lsnn_chunk  LSNN_FN(lsnn_chunk)

#define BC              LSNN_CHUNK
#define LSNN_CHUNK_LOG2 5
_Static_assert(1 << LSNN_CHUNK_LOG2 == LSNN_CHUNK, "LSNN_CHUNK_LOG2 is log2(LSNN_CHUNK)");

/* Weight rows re-ordered by delay: row r's targets with delay d are
 * idx[r*n + off[r*(D+1)+d] .. r*n + off[r*(D+1)+d+1]), with weights w in the same order
 * (ascending target within a delay). A spike then adds to one current vector per delay
 * from contiguous memory, instead of scattering over a ring of D vectors. Built with
 * skip_zeros, a row holds only its nonzero weights: the sparse execution path, whose cost
 * follows the connections that exist (DEEP R keeps 12 %). Without it, every entry: the
 * layout of the weight gradients, which DEEP R needs at dormant entries too. */
typedef struct {
    int rows, n, D;
    long nnz;
    uint32_t *off;  /* [rows][D+1] */
    uint16_t *idx;  /* [rows][n] */
    real *w;        /* [rows][n] */
    uint32_t *ring; /* [rows][n] d * n + idx: the entry's place in a ring of D vectors of n,
                       counted from the ring's slot for delay 0 */
} lsnn_sorted;

/* One bit per lane of a chunk. */
typedef uint32_t lanebits;
_Static_assert(LSNN_CHUNK <= 32, "lanebits holds one bit per lane");

/* Forward history and backward scratch of one chunk of BC sequences. Without `store` only
 * the last two steps are kept. The history is what BPTT reads back, and at 840 steps
 * of 220 neurons it does not fit any cache, so it is kept small: v as reals [t][neuron][lane];
 * b only for adaptive neurons (beta != 0: elsewhere A = b0 whatever b is); the 0/1 values z
 * (binary spikes) and free as lane bits [t][neuron]. Only the smooth (test) spike function,
 * whose z is not 0/1, keeps z as reals [neuron][lane], over the whole history; binary spikes
 * are made into reals from their bits where needed (bits_real), which is cheaper than storing
 * and loading them. */
typedef struct {
    int t_cap; /* history slots: n_steps when stored, else 2 (t % t_cap) */
    int z_cap; /* slots of z: t_cap for the smooth spike function, else 2 */
    int win_t; /* steps win_at can hold (always the whole sequence) */
    int n_rec, n_in, n_out, n_delay, stored, smooth;
    int n_adapt;                   /* neurons with beta != 0 */
    int *adapt;                    /* [n_rec] row of neuron i in b, or -1 (beta == 0) */
    const lsnn_sorted *sin, *srec; /* delay-sorted rows used to run (nonzero weights only,
                                      unless the net asks for dense execution) */
    const lsnn_sorted *gin, *grec; /* all entries: the layout of this chunk's w_in/w_rec
                                      gradients (engine-owned) */
    int seq0, lanes;               /* batch sequences seq0 .. seq0+lanes-1 */
    real *v;                       /* [t][n_rec][BC] membrane potential after step t */
    real *b;                       /* [t][n_adapt][BC] threshold adaptation after step t */
    real *z;                       /* [t % z_cap][n_rec][BC] spikes of step t (smooth only) */
    lanebits *zbits;               /* [t][n_rec] lanes where z_t = 1 (binary spikes) */
    lanebits *fbits;               /* [t][n_rec] lanes not refractory at step t (may spike) */
    real *cring;       /* [n_delay][n_rec][BC] input currents of steps t .. t+n_delay-1, in
                          slot step % n_delay: spikes add their rows there when they happen */
    lanebits *in_bits; /* [n_in] lanes in which a channel spiked at this step (0 after use) */
    uint16_t *act_in;  /* [n_in] channels with a spike in some lane at this step */
    real *racc;        /* [n_out][BC] readout scratch: W_out^T z of this step */
    real *vcur;        /* [n_rec][BC] v of the last step (the history's copy is streamed) */
    real *bcur;        /* [n_adapt][BC] b of the last step, likewise */
    real *refc;        /* [n_rec][BC] refractory counter (steps left, a small integer) */
    real *isyn;        /* [n_rec][BC] CUBA synaptic current i_t (0 where cuba is off) */
    real *ro;          /* [n_out][BC] readout trace (without bias) */
    int *win_at;       /* [t][BC] window index covering (t, lane), or -1 */
    double *count;     /* [n_rec] spikes of valid lanes */
    int *spk;          /* [n_rec*BC] spikes of the last step: neuron*BC + lane */
    int n_spk;
    /* backward scratch */
    real *gring;            /* [n_delay+1][n_rec][BC] dL/dI of steps t .. t+n_delay, in slot
                               step % (n_delay+1) (ring_slots) */
    real *gring_lane;       /* [BC][n_delay+1][n_rec] the same, lane-major */
    real *gv1, *gb1, *gvs1; /* [n_rec][BC] */
    real *gi1;              /* [n_rec][BC] dL/di_{t+1} of CUBA neurons */
    real *gout;             /* [n_out][BC] filtered readout gradient G_t */
    real *wout_k;           /* [n_rec][n_out] (1 - kappa) W_out, the readout's part of gz */
    uint16_t *lane_spk;     /* [BC][n_rec] spiking neurons of one step, per lane */
    int *n_lane;            /* [BC] their counts */
    lsnn_grads grads;       /* this chunk's gradient; w_in and w_rec rows delay-sorted */
    int grads_ready;
} lsnn_chunk;

/* Slots of the gradient ring: one more than the delays, so that the backward writes gI_t in
 * place while the step's gathers read gI_{t+1} .. gI_{t+D} (with D slots, gI_t was made aside
 * and copied in). */
static inline int ring_slots(const lsnn_chunk *c)
{
    return c->n_delay + 1;
}

/* Vectors over lanes (GCC vector extension) as wide as the target's SIMD registers: GCC
 * lowers wider ones through memory (64-byte vectors made the SSE2 build 10x slower). Lane
 * arithmetic is element-wise, so the width changes the speed, never a result. A lane row of
 * BC reals is NV vectors. */
#if defined(__AVX512F__)
#define LSNN_VBYTES 64
#elif defined(__AVX2__)
#define LSNN_VBYTES 32
#else
#define LSNN_VBYTES 16
#endif
typedef real vreal __attribute__((vector_size(LSNN_VBYTES)));
#ifdef LSNN_REAL_DOUBLE
typedef int64_t vmask_lane; /* a vreal comparison's lane: -1, 0 */
#else
typedef int32_t vmask_lane;
#endif
typedef vmask_lane vmask __attribute__((vector_size(LSNN_VBYTES)));
#define VL ((int)(LSNN_VBYTES / sizeof(real)))
#define NV (BC / VL)

/* The rows of step t in the histories, at neuron 0: v and z [n_rec][BC], b [n_adapt][BC],
 * zbits and fbits [n_rec]. Loops over neurons take them once per step: the slot of a ring
 * (t % cap) costs a division. */
typedef struct {
    real *v, *b, *z;
    lanebits *zbits, *fbits;
} step_rows;

static inline step_rows rows_at(const lsnn_chunk *c, int t)
{
    size_t slot = c->stored ? (size_t)t : (size_t)(t % c->t_cap);
    size_t zslot = (size_t)(t % c->z_cap), N = (size_t)c->n_rec;
    return (step_rows){c->v + slot * N * BC, c->b + slot * c->n_adapt * BC, c->z + zslot * N * BC,
                       c->zbits + slot * N, c->fbits + slot * N};
}

/* The bits of the first `lanes` lanes. */
static inline uint64_t lanes_mask(int lanes)
{
    return lanes >= 64 ? ~0ULL : (1ULL << lanes) - 1;
}

/* Bit l set where z[l] != 0, over the first `lanes` lanes; a quick vector test first, since
 * most neurons spike in no lane at a given step. */
static inline uint64_t spike_mask(const real *z, int lanes)
{
    const vreal *zv = (const vreal *)z;
    vmask any = (vmask){0};
    for (int q = 0; q < NV; q++)
        any |= zv[q] != (vreal){0};
    int nz = 0;
    for (int k = 0; k < VL; k++)
        nz |= any[k] != 0;
    if (!nz) return 0;
    uint64_t m = 0;
    for (int l = 0; l < BC; l++)
        m |= (uint64_t)(z[l] != 0) << l;
    return m & lanes_mask(lanes);
}

/* The valid lanes in which neuron i spiked at the step of `now` (rows_at): its lane bits, or
 * for the smooth (test) spike function, whose z is not 0/1, the lanes where z != 0. */
static inline uint64_t spike_lanes(const lsnn_chunk *c, const step_rows *now, int i)
{
    return c->smooth ? spike_mask(now->z + (size_t)i * BC, c->lanes)
                     : now->zbits[i] & lanes_mask(c->lanes);
}

/* Lane bits of a lane mask (a vector comparison: all ones where true). The sign bits are the
 * mask's bits, which x86 extracts in one instruction per vector (a lane-by-lane loop was most of
 * the neuron update's time). */
static inline lanebits vmask_bits(vmask m)
{
#if defined(__AVX512F__) && defined(LSNN_REAL_DOUBLE)
    return _mm512_cmpneq_epi64_mask((__m512i)m, _mm512_setzero_si512());
#elif defined(__AVX512F__)
    return _mm512_cmpneq_epi32_mask((__m512i)m, _mm512_setzero_si512());
#elif defined(__AVX__) && defined(LSNN_REAL_DOUBLE)
    return (lanebits)_mm256_movemask_pd((__m256d)m);
#elif defined(__AVX__)
    return (lanebits)_mm256_movemask_ps((__m256)m);
#elif defined(__SSE2__) && defined(LSNN_REAL_DOUBLE)
    return (lanebits)_mm_movemask_pd((__m128d)m);
#elif defined(__SSE2__)
    return (lanebits)_mm_movemask_ps((__m128)m);
#else
    lanebits r = 0;
    for (int k = 0; k < VL; k++)
        r |= (lanebits)(m[k] != 0) << k;
    return r;
#endif
}

/* The same over a lane row of NV masks. */
static inline lanebits mask_bits(const vmask *m)
{
    lanebits r = 0;
    for (int q = 0; q < NV; q++)
        r |= vmask_bits(m[q]) << (q * VL);
    return r;
}

/* The reals 1 where a lane's bit is set, else 0: exactly the values the bits were made of.
 * Written with vector operations (a splat, an AND with each lane's bit, a compare) so that
 * the compiler keeps it in registers. */
static inline void bits_real(lanebits m, vreal *out)
{
    const vmask one = (vmask)((vreal){0} + 1);
    vmask lane_bit;
    for (int k = 0; k < VL; k++)
        lane_bit[k] = (vmask_lane)1 << k;
    for (int q = 0; q < NV; q++) {
        vmask word = (vmask){0} + (vmask_lane)(m >> (q * VL) & ((1u << VL) - 1));
        out[q] = (vreal)(((word & lane_bit) != (vmask){0}) & one);
    }
}

/* (Re)builds s from row-major weights w and delays d (only nonzero weights if skip_zeros).
 * Returns 0, -1 on OOM. */
int LSNN_FN(lsnn_sorted_build)(lsnn_sorted *s, const real *w, const uint8_t *d, int rows, int n,
                               int D, int skip_zeros);
void LSNN_FN(lsnn_sorted_free)(lsnn_sorted *s);

int LSNN_FN(lsnn_chunk_reserve)(lsnn_chunk *c, const lsnn_net *net, int n_steps, int store);
void LSNN_FN(lsnn_chunk_release)(lsnn_chunk *c);

/* Forward over the chunk's lanes; adds window readouts into logits (n_win*n_out sums). */
void LSNN_FN(lsnn_forward_chunk)(const lsnn_net *net, const lsnn_batch *batch, lsnn_chunk *c,
                                 double *logit_sum);

/* Backward over the chunk. glogit: dL/dlogits per window (n_win*n_out); greg: dL/dz per
 * neuron for every valid (lane, step). Writes c->grads. */
void LSNN_FN(lsnn_backward_chunk)(const lsnn_net *net, const lsnn_batch *batch, lsnn_chunk *c,
                                  const double *glogit, const real *greg);

/* A batch split over the ranks of comm (engine_comm.c); chunks are this rank's, the first of
 * them global chunk c0 (lsnn_comm_chunks). After the forward phase: every chunk's spike counts
 * into counts_all ([n_all][n_rec], chunk order) and the other ranks' windows into logit_sum.
 * After the backward phase: the gradients of all n_all chunks summed into out in chunk order,
 * as engine.c's sum_grads sums them (buf, cap: the gather buffer, kept between runs). Both
 * return 0, or -1 (out of memory or a failed gather). */
struct lsnn_comm;
int LSNN_FN(lsnn_comm_forward)(const struct lsnn_comm *comm, const lsnn_chunk *chunks, int n_all,
                               const lsnn_batch *batch, int N, int C, double *logit_sum,
                               double *counts_all);
int LSNN_FN(lsnn_comm_sum_grads)(const struct lsnn_comm *comm, const lsnn_chunk *chunks, int n_all,
                                 const lsnn_net *net, const lsnn_sorted *gin,
                                 const lsnn_sorted *grec, real **buf, size_t *cap, lsnn_grads *out);

/* Surrogate spike function and its derivative with respect to vs. */
static inline real spike_fn(const lsnn_net *net, real vs)
{
    if (net->smooth) return (real)1 / ((real)1 + (real)lsnn_exp(-(double)(net->smooth_slope * vs)));
    return vs > 0 ? (real)1 : (real)0;
}

static inline real spike_deriv(const lsnn_net *net, real vs)
{
    if (net->smooth) {
        real s = (real)1 / ((real)1 + (real)lsnn_exp(-(double)(net->smooth_slope * vs)));
        return net->smooth_slope * s * ((real)1 - s);
    }
    real a = vs < 0 ? -vs : vs;
    return a < 1 ? net->gamma * ((real)1 - a) : (real)0;
}

/* The float engine's AVX-512 flavour, as the portable engine.c calls it (isa_avx512.c).
 *
 * The engine sources compile twice for float on x86-64: for the x86-64 baseline (SSE2) and
 * for x86-64-v4 (AVX-512), both with -ffp-contract=off and the engine's own exp/log
 * (pmath.h), so both compute every number the same way (tests/cross_cpu_digest.sh checks
 * it); vectors are only wider. lsnn_engine_new picks the flavour once, from the CPU and the
 * environment variable LSNN_ENGINE_ISA (baseline | avx512 | auto, the default). The entry
 * points below take untyped pointers because each flavour has its own type names
 * (real.h); the structs are the same. */
void *lsnn_isa_avx512_new(int n_threads);
void lsnn_isa_avx512_free(void *en);
int lsnn_isa_avx512_run(void *en, const void *net, const lsnn_batch *batch, void *grads,
                        lsnn_result *res, float *logits, double *rates);
void lsnn_isa_avx512_set_comm(void *en, const struct lsnn_comm *comm);
void lsnn_isa_avx512_set_loss(void *en, lsnn_loss_fn fn, void *ctx);
void lsnn_isa_avx512_state(const void *en, int s, int t, int i, float *v, float *b, float *z);

#endif
