/* rng.h - deterministic random numbers: splitmix64 seeding, xoshiro256** stream.
 *
 * Everything random in training is a pure function of (seed, purpose, index), so a
 * resumed run needs no saved generator state: derive a stream with lsnn_rng_derive. */
#ifndef LSNN_RNG_H
#define LSNN_RNG_H

#include <math.h>
#include <stdint.h>

#include "pmath.h"

typedef struct {
    uint64_t s[4];
} lsnn_rng;

static inline uint64_t lsnn_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A stream for (seed, purpose, index): independent streams for weights, batches, noise... */
static inline lsnn_rng lsnn_rng_derive(uint64_t seed, uint64_t purpose, uint64_t index)
{
    uint64_t x = seed ^ (purpose * 0xd1b54a32d192ed03ULL) ^ (index * 0x8cb92ba72f3d8dd7ULL);
    lsnn_rng r;
    for (int i = 0; i < 4; i++)
        r.s[i] = lsnn_splitmix64(&x);
    return r;
}

static inline uint64_t lsnn_rng_next(lsnn_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double lsnn_rng_uniform(lsnn_rng *r)
{
    return (lsnn_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply; bias below 2^-32 for n < 2^32). */
static inline uint32_t lsnn_rng_below(lsnn_rng *r, uint32_t n)
{
    return (uint32_t)(((lsnn_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Standard normal by Box-Muller (one value per call; deterministic, no cached pair; the
 * portable log and cos: the same numbers on every CPU). */
static inline double lsnn_rng_normal(lsnn_rng *r)
{
    double u1 = 1.0 - lsnn_rng_uniform(r), u2 = lsnn_rng_uniform(r);
    return sqrt(-2.0 * lsnn_log(u1)) * lsnn_cos(6.283185307179586 * u2);
}

/* Purposes for lsnn_rng_derive. */
enum {
    LSNN_RNG_WEIGHTS = 1,
    LSNN_RNG_DELAYS = 2,
    LSNN_RNG_TRAIN_BATCH = 3,
    LSNN_RNG_TEST_BATCH = 4,
    LSNN_RNG_SHUFFLE = 5,
    LSNN_RNG_REWIRE = 6,
};

#endif
