/* hwconfig.h - the hardware configuration (DESIGN.md contract 4, docs/neurocore.md §2 and §14).
 *
 * A YAML file (models/hw/NAME.yaml) sets the chip (mesh, clock) and the per-core parameters that
 * the compiler's design rules, the loader and the RTL read. Keys, defaults and legal ranges
 * are documented in docs/hardware-config.md. Parsing is strict (yamltree.h): an unknown key, a
 * wrong type, an out-of-range value or a broken inequality (U >= V, V+G <= 40, S <= N,
 * mesh sides <= 16) is an error "FILE:LINE:COL: error: ..." naming the key and the range. */
#ifndef LSNN_HWCONFIG_H
#define LSNN_HWCONFIG_H

#include "error.h"
#include <stdint.h>

#include "neurocore.def"

/* §9: the port address of chunk `chunk` of row `row` of region `region`, and the regions of
 * LSNN_OTHER_REGIONS as LSNN_REGION_REGS .. LSNN_REGION_COUNTERS (every harness's loader). */
#define LSNN_PORT_ADDR(region, row, chunk)                                                         \
    (((uint32_t)(region) << 28) | ((uint32_t)(row) << 3) | (uint32_t)(chunk))
#define LSNN_REGION_ENUM(NAME, n) LSNN_REGION_##NAME = n,
enum { LSNN_OTHER_REGIONS(LSNN_REGION_ENUM) };
#undef LSNN_REGION_ENUM

#define LSNN_HW_VERSION        1 /* the hardware-config format */
#define LSNN_NEUROCORE         3 /* the docs/neurocore.md contract version this build implements */
#define LSNN_HW_MAX_CORES      256 /* core ids are 8 bits: 16 * y + x (§16.1) */
#define LSNN_HW_MESH_MAX       16  /* cells per mesh side (4-bit x and y) */
#define LSNN_HW_NOC_BUFFER_MAX 16  /* router input FIFO depth, flits (§16.2) */
#define LSNN_HW_NAME_MAX       64

typedef struct {
    int version;                 /* LSNN_HW_VERSION */
    char name[LSNN_HW_NAME_MAX]; /* A-Z a-z 0-9 _ . - */
    int neurocore;               /* LSNN_NEUROCORE */
    double clock_mhz;            /* (0, 10000] */
    int mesh_x, mesh_y;          /* 1..16 each (§16.1) */
    int noc_buffer;              /* router input FIFO depth in flits, 1..16 (§16.2) */
    /* core.* (symbols of neurocore.md §2; ranges, rules and defaults: LSNN_CORE_PARAMS) */
    int neurons;           /* N: power of 2, 8..4096 */
    int axons;             /* X: multiple of 32, 32..65536 */
    int synapse_words;     /* M: power of 2, 256..2^20 */
    int synapses_per_word; /* S: 1, 2, 4, 8; S <= N */
    int delay_slots;       /* D: power of 2, 1..64 */
    int profiles;          /* P: power of 2, 1..64 */
    int route_entries;     /* R: power of 2, 16..65536 */
    int weight_bits;       /* W: 2..16 */
    int v_bits;            /* V: 16..32 */
    int acc_bits;          /* U: 16..32, U >= V */
    int a_frac_bits;       /* G: 0..8, V + G <= 40 */
    int ref_bits;          /* Q: 1..10 */
    int decay_bits;        /* K: 8..16 */
    int fifo_in;           /* AER-in FIFO depth, 2..4096 */
    int fifo_out;          /* host-out FIFO depth, 2..4096 */
    int neuron_lanes;      /* NL: neurons updated per cycle, 1, 2, 4, 8; NL <= S (§10.1) */
} lsnn_hw_config;

/* The core parameters of neurocore.def's LSNN_CORE_PARAMS, in its order (the image header's
 * and §9's): their count, parameter k of c (0 <= k < LSNN_HW_NPARAMS) and its YAML key under
 * core. One list for every user: the image, the harnesses that pick a verilated model. */
#define LSNN_HW_COUNT_PARAM_(field, letter, lo, hi, rule, def) +1
enum { LSNN_HW_NPARAMS = 0 LSNN_CORE_PARAMS(LSNN_HW_COUNT_PARAM_) };
#undef LSNN_HW_COUNT_PARAM_
static inline int *lsnn_hw_param(lsnn_hw_config *c, int k)
{
#define LSNN_HW_PARAM_REF_(field, letter, lo, hi, rule, def) &c->field,
    int *ref[LSNN_HW_NPARAMS] = {LSNN_CORE_PARAMS(LSNN_HW_PARAM_REF_)};
#undef LSNN_HW_PARAM_REF_
    return ref[k];
}
static inline int lsnn_hw_param_value(const lsnn_hw_config *c, int k)
{
    return *lsnn_hw_param((lsnn_hw_config *)c, k);
}
static inline const char *lsnn_hw_param_key(int k)
{
#define LSNN_HW_PARAM_KEY_(field, letter, lo, hi, rule, def) #field,
    static const char *const key[LSNN_HW_NPARAMS] = {LSNN_CORE_PARAMS(LSNN_HW_PARAM_KEY_)};
#undef LSNN_HW_PARAM_KEY_
    return key[k];
}

/* §10.2: the cycles of a CLEAR, 2 + max(N, D*N/S, LW). */
static inline uint64_t lsnn_hw_clear_cycles(const lsnn_hw_config *c)
{
    uint64_t m = (uint64_t)c->neurons,
             rows =
                 (uint64_t)c->delay_slots * (uint64_t)c->neurons / (uint64_t)c->synapses_per_word,
             lw = (uint64_t)c->axons / 32;
    if (rows > m) m = rows;
    if (lw > m) m = lw;
    return 2 + m;
}

/* Fills c with the default core of neurocore.md §2 (models/hw/default.yaml), name "default". */
void lsnn_hw_defaults(lsnn_hw_config *c);

/* 1 if the core parameters (core.*, neurocore.def) of a and b agree: an image for one runs
 * on the other. */
int lsnn_hw_same_core(const lsnn_hw_config *a, const lsnn_hw_config *b);

/* The derived widths of §2, in bits: a neuron index (NB), a lane (SB), a lane's target (TB =
 * NB - SB), a delay slot (DB), an axon (XB, rounded up), a SYN word address (MB), an RTE
 * address (RB) and a profile index (PB, at least 1). Zero-width fields (S = 1, D = 1) are 0. */
typedef struct {
    int NB, SB, TB, DB, XB, MB, RB, PB;
} lsnn_hw_widths;
lsnn_hw_widths lsnn_hw_widths_of(const lsnn_hw_config *c);

/* Cores in the mesh (mesh_x * mesh_y). */
int lsnn_hw_cores(const lsnn_hw_config *c);

/* §16.1: the core id of mesh cell (x, y), 16 * y + x, and the inverse. lsnn_hw_cell_of
 * returns 1 if id is a cell of c's mesh, and its coordinates in *x, *y (either may be NULL). */
static inline unsigned lsnn_hw_core_id(int x, int y)
{
    return (unsigned)(16 * y + x);
}
int lsnn_hw_cell_of(const lsnn_hw_config *c, unsigned id, int *x, int *y);

/* The n-th cell of c's mesh in row-major order (x fastest): its core id. */
unsigned lsnn_hw_nth_cell(const lsnn_hw_config *c, int n);

/* Parses a hardware config file. Keys left out take the defaults of lsnn_hw_defaults; version
 * and name are required. Returns 0, or -1 with "FILE:LINE:COL: error: ..." in e; *out is
 * written only on success. */
/* Checks an in-memory config (built by hand or read from an image header) against the legal
 * ranges and relations of docs/neurocore.md §2, as the parser does for files. Returns 0, or -1
 * with a message naming the key. */
int lsnn_hw_check(const lsnn_hw_config *cfg, lsnn_error *e);

int lsnn_hw_load(const char *path, lsnn_hw_config *out, lsnn_error *e);

/* Same from a memory buffer; `name` is used as FILE in messages. */
int lsnn_hw_parse(const char *name, const char *text, unsigned long len, lsnn_hw_config *out,
                  lsnn_error *e);

#endif
