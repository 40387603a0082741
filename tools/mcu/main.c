/* main.c - the firmware that checks an image compiled by `lsnn compile --emit obj` on the
 * machine it was compiled for (a Cortex-M4 or an RV32 core under qemu, or any C target), against
 * the vectors of `lsnn run --vectors` (cli_vectors.h): it reads them from the host through
 * semihosting, feeds the same CLEARs and EVENTs to the generated code, and after every CLEAR and
 * TICK compares the digest of every state variable and the cycle count with the reference's;
 * at the end every counter. Prints the first divergence, the instructions per tick where the
 * core counts them (RV32's instret under qemu -icount), and exits 0 only when all agree.
 *
 * Build: tools/mcu/run_qemu.sh (the compilers, picolibc and qemu of tools/setup.sh). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lsnn_image.h"

#ifndef VECTORS_PATH
#define VECTORS_PATH "vectors.bin"
#endif

static uint8_t block[LSNN_IMAGE_BLOCK_BYTES] __attribute__((aligned(8)));

#if defined(__riscv) && __riscv_xlen == 32
#define HAVE_INSTRET 1
static uint64_t instret(void) /* retired instructions (qemu: exact with -icount) */
{
    uint32_t hi, lo, hi2;
    do {
        /* csrrs rd, instret[h], x0, encoded: the toolchain's rv32imac has no Zicsr name */
        __asm__ volatile(".insn i 0x73, 2, %0, x0, -894" : "=r"(hi));  /* 0xC82 */
        __asm__ volatile(".insn i 0x73, 2, %0, x0, -1022" : "=r"(lo)); /* 0xC02 */
        __asm__ volatile(".insn i 0x73, 2, %0, x0, -894" : "=r"(hi2));
    } while (hi != hi2);
    return (uint64_t)hi << 32 | lo;
}
#define INSTRET_WHAT "instructions per tick (instret)"
#elif defined(__ARM_ARCH_7EM__)
/* The Cortex-M4 under qemu has no instruction counter (qemu models no DWT); with -icount
 * shift=0 an instruction takes 1 ns of virtual time, and the SysTick of mps2-an386 counts the
 * 25 MHz core clock: one count per 40 instructions. Over many ticks that gives instructions
 * per tick to within 40 / ticks. */
#define HAVE_INSTRET 1
#define INSTRET_WHAT "instructions per tick (SysTick x 40 under qemu -icount shift=0)"
static volatile uint32_t *const syst = (volatile uint32_t *)0xE000E010u; /* CSR RVR CVR */
static uint64_t systick_total;
static uint32_t systick_last;
static uint64_t instret(void)
{
    if (!(syst[0] & 1u)) { /* start: 24-bit reload, core clock, no interrupt */
        syst[1] = 0xFFFFFFu;
        syst[2] = 0;
        syst[0] = 5u;
        systick_last = syst[2];
    }
    uint32_t now = syst[2]; /* counts down; a tick takes far fewer than 2^24 counts */
    systick_total += (systick_last - now) & 0xFFFFFFu;
    systick_last = now;
    return systick_total * 40u;
}
#else
#define HAVE_INSTRET 0
#define INSTRET_WHAT ""
static uint64_t instret(void)
{
    return 0;
}
#endif

static FILE *in;
static int eof;

static uint64_t get(int bytes)
{
    uint8_t b[8] = {0};
    if (fread(b, 1, (size_t)bytes, in) != (size_t)bytes) eof = 1;
    uint64_t x = 0;
    for (int i = bytes - 1; i >= 0; i--)
        x = x << 8 | b[i];
    return x;
}

static uint64_t fnv(uint64_t h, int64_t x)
{
    for (int i = 0; i < 8; i++)
        h = (h ^ (uint8_t)((uint64_t)x >> (8 * i))) * 0x100000001b3ull;
    return h;
}

static uint64_t digest(uint32_t nu, uint64_t cycles)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t n = 0; n < nu; n++) {
        lsnn_state s;
        lsnn_read_state(block, 0, n, &s);
        h = fnv(fnv(fnv(fnv(fnv(h, s.v), s.a), (int64_t)s.ref), (int64_t)s.z), s.isyn);
    }
    return fnv(h, (int64_t)cycles);
}

int main(void)
{
    in = fopen(VECTORS_PATH, "rb");
    if (!in) {
        printf("mcu: cannot open %s on the host (semihosting)\n", VECTORS_PATH);
        return 2;
    }
    char magic[8];
    if (fread(magic, 1, 8, in) != 8 || memcmp(magic, "LSNNVEC1", 8)) {
        printf("mcu: %s is not an lsnn vectors file\n", VECTORS_PATH);
        return 2;
    }
    uint32_t cores = (uint32_t)get(4), nu = (uint32_t)get(4);
    get(4), get(4);
    if (cores != 1 || cores != LSNN_IMAGE_CORES || nu != lsnn_image_nu[0]) {
        printf("mcu: the vectors are for %u cores, NU %u; this image has %d, NU %u\n",
               (unsigned)cores, (unsigned)nu, LSNN_IMAGE_CORES, (unsigned)lsnn_image_nu[0]);
        return 2;
    }
    lsnn_nc_init(block);
    unsigned long seqs = 0, ticks = 0, mismatches = 0, seq = 0, tick = 0;
    uint64_t insns = 0;
    for (int kind; !eof && (kind = fgetc(in)) != EOF && kind != 'E';) {
        uint64_t want, got;
        if (kind == 'C') {
            lsnn_nc_clear(block);
            uint64_t k[LSNN_IMAGE_NCOUNTERS];
            lsnn_read_counters(block, 0, k);
            want = get(8), got = digest(nu, k[1]); /* counter 1: cycles */
            seq = seqs++, tick = 0;
            if (got != want && !mismatches++)
                printf("mcu: FIRST DIVERGENCE after the CLEAR of sequence %lu\n", seq);
        } else if (kind == 'T') {
            uint32_t n = (uint32_t)get(2);
            for (uint32_t i = 0; i < n; i++)
                lsnn_nc_event(block, 0, (int32_t)get(2));
            uint64_t t0 = instret();
            lsnn_nc_tick(block);
            insns += instret() - t0;
            want = get(8), got = digest(nu, lsnn_last_cycles(block, 0));
            if (got != want && !mismatches++)
                printf("mcu: FIRST DIVERGENCE at sequence %lu, tick %lu (state digest)\n", seq,
                       tick);
            ticks++, tick++;
        } else if (kind == 'K') {
            uint64_t k[LSNN_IMAGE_NCOUNTERS];
            lsnn_read_counters(block, 0, k);
            for (int i = 0; i < LSNN_IMAGE_NCOUNTERS; i++)
                if (get(8) != k[i] && !mismatches++)
                    printf("mcu: FIRST DIVERGENCE in counter %d at the end\n", i);
        } else {
            printf("mcu: bad record '%c' in %s\n", kind, VECTORS_PATH);
            return 2;
        }
    }
    fclose(in);
    printf("mcu: %lu sequences, %lu ticks, mismatches=%lu", seqs, ticks, mismatches);
    if (HAVE_INSTRET && ticks) printf(", %.1f %s", (double)insns / (double)ticks, INSTRET_WHAT);
    printf("\n");
    return mismatches ? 1 : 0;
}
