/* test_rng.h - the tests' seeded generator: the same seed, the same networks on every machine. */
#ifndef LSNN_TEST_RNG_H
#define LSNN_TEST_RNG_H

#include <stdint.h>

/* xorshift64 */
static uint64_t rs;
static inline uint32_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)(rs >> 16);
}
static inline uint32_t below(uint32_t n) /* 0..n-1 (0 for n = 0) */
{
    return n ? (uint32_t)(((uint64_t)rnd() * n) >> 32) : 0;
}
static inline int chance(int pct)
{
    return (int)below(100) < pct;
}

static inline int64_t range64(int64_t lo, int64_t hi) /* inclusive */
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    uint64_t r = ((uint64_t)rnd() << 32) | rnd();
    return lo + (int64_t)(span ? r % span : r);
}

#endif
