/* image_fixup.h - test helpers that walk an image.bin by docs/image-format.md's offsets and
 * recompute its CRCs, so that tests and the fuzz target can plant a bad field behind valid CRCs. */
#ifndef LSNN_TEST_IMAGE_FIXUP_H
#define LSNN_TEST_IMAGE_FIXUP_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

static inline uint32_t fx_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fx_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Offset of memory m's header (0..6 in file order) of core index `core`, or 0 when the walk
 * leaves the buffer (the data of memory m itself may still run past it: callers check). Memory data
 * starts 16 bytes later. Trusts nothing but len. */
static inline size_t fx_mem_offset(const uint8_t *b, size_t len, uint32_t core, int m)
{
    if (len < 192 + 4) return 0;
    uint32_t ncores = fx_get32(b + 28);
    size_t off = 192;
    for (uint32_t i = 0; i < ncores && i <= core; i++) {
        off += 16; /* core header */
        for (int k = 0; k < 7; k++) {
            if (off + 16 > len - 4) return 0;
            if (i == core && k == m) return off;
            uint64_t n = (uint64_t)fx_get32(b + off + 4) * ((fx_get32(b + off + 8) + 7) / 8);
            if (n > len - 4 - off - 16) return 0;
            off += 16 + (size_t)n;
        }
    }
    return 0;
}

/* Recomputes every memory CRC that the walk reaches and the trailer CRC. */
static inline void fx_fix_crcs(uint8_t *b, size_t len)
{
    if (len < 192 + 4) return;
    uint32_t ncores = fx_get32(b + 28);
    for (uint32_t i = 0; i < ncores && i < 256; i++)
        for (int m = 0; m < 7; m++) {
            size_t off = fx_mem_offset(b, len, i, m);
            if (!off) break;
            uint64_t n = (uint64_t)fx_get32(b + off + 4) * ((fx_get32(b + off + 8) + 7) / 8);
            if (n > len - 4 - off - 16) break;
            fx_put32(b + off + 12, (uint32_t)crc32(0L, b + off + 16, (uInt)n));
        }
    fx_put32(b + len - 4, (uint32_t)crc32(0L, b, (uInt)(len - 4)));
}

#endif
