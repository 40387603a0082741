/* ref_core.h - the bit-exact fixed-point reference of one neurocore (docs/neurocore.md, v1).
 *
 * The golden model that the RTL, the SystemC platform and the other engines are compared with:
 * every memory of §7 as plain arrays with the field meanings of §7, the tick of §5.2 exactly as
 * its pseudo-code is written, the activity counters of §11 and the cycle model of §10.
 *
 * Reading: every field of lsnn_ref_core may be read directly. Writing: only through the
 * lsnn_ref_set_* setters (the calls the programming port and the image loader make), which
 * check the row index and every field against the config, so the tick never meets a value its
 * memory could not hold.
 *
 * Output: the tick and CLEAR hand every word they send to an lsnn_ref_emit_fn, in the order
 * the hardware sends them (§8): host-out words (SPIKE, TICK_DONE, CLEAR_DONE) and NoC-out
 * words (destination core [23:16], axon [15:0]). The host and the NoC are ideal here (they
 * accept a word every cycle), so stall_cycles stays 0 (§10.2: St = 0 in verification). */
#ifndef LSNN_REF_CORE_H
#define LSNN_REF_CORE_H

#include <stdint.h>

#include "error.h"
#include "hwconfig.h"
#include "neurocore.def"

#define LSNN_REF_ID LSNN_ID_BASE /* the ID register: + contract version (§9) */

/* §11: the activity counters, in region 0xA order (neurocore.def). */
#define LSNN_REF_COUNTER_ENUM(id, name) LSNN_REF_##id,
enum { LSNN_COUNTERS(LSNN_REF_COUNTER_ENUM) LSNN_REF_NLIVE_COUNTERS };
#undef LSNN_REF_COUNTER_ENUM
#define LSNN_REF_NCOUNTERS                                                                         \
    LSNN_COUNTER_ROWS /* the §9 region's rows: LSNN_REF_NLIVE_COUNTERS.. are reserved (0)         \
                       */
#ifdef __cplusplus    /* the Verilator harness */
static_assert(LSNN_REF_NLIVE_COUNTERS == 27, "neurocore.md §11 has 27 counters (nc_counters.v)");
#else
_Static_assert(LSNN_REF_NLIVE_COUNTERS == 27, "neurocore.md §11 has 27 counters (nc_counters.v)");
#endif

/* The counter's name as §11 spells it ("syn_ops"), "reserved" for 27..31, NULL out of range. */
const char *lsnn_ref_counter_name(int i);

/* §7 PROFILE row (§4.3 gives the values per neuron type). */
typedef struct {
    uint32_t mode;     /* [1:0]: 0 spiking (LIF/ALIF), 1 readout (2, 3 rejected) */
    uint32_t spk_prev; /* [2]: 1 = spike from v before the update */
    uint32_t n_ref;    /* Q bits: refractory ticks after a spike */
    uint32_t f_v, k_v; /* 5 bits, K bits: v decay, k_v <= 2^f_v */
    uint32_t f_a, k_a; /* 5 bits, K bits: a decay, k_a <= 2^f_a */
    int64_t b0;        /* V-1 bits, unsigned: threshold; >= 1 in mode 0 */
    int64_t inc;       /* V+G bits, unsigned: adaptation increment per spike (a-LSB) */
    uint32_t cuba;     /* 1 bit: 1 = current-based synapse (§17): v integrates isyn */
    uint32_t f_i, k_i; /* 5 bits, K bits: isyn decay (§17), k_i <= 2^f_i */
} lsnn_ref_profile;

/* §7 STATE row. */
typedef struct {
    int64_t v;    /* V bits, signed: membrane (readout: r) in v-LSB */
    int64_t a;    /* V+G bits, unsigned: adaptation in 2^-G v-LSB */
    uint32_t ref; /* Q bits: refractory down-counter */
    uint32_t z;   /* 1 bit: spike of the last tick */
    int64_t isyn; /* U bits, signed: synaptic current i of a CUBA profile (§17), in v-LSB */
} lsnn_ref_state;

/* §7 AXT row: the axon's segment of SYN words. */
typedef struct {
    uint32_t base; /* MB bits: first SYN word */
    uint32_t cnt;  /* MB bits: words (0 = no synapses); base + cnt <= M */
    uint32_t wexp; /* 4 bits: weight left shift */
} lsnn_ref_axt;

/* §7 SYN lane j of a word: targets neuron tgt*S + j, bank j. */
typedef struct {
    uint32_t valid; /* 1 bit */
    uint32_t d;     /* DB bits: delay 0..D-1 */
    uint32_t tgt;   /* TB bits: 0..N/S-1 */
    int32_t m;      /* W bits, signed: weight mantissa */
} lsnn_ref_lane;

/* §7 RIX row: the neuron's route list. */
typedef struct {
    uint32_t base; /* RB bits */
    uint32_t cnt;  /* 4 bits: 0..15 destinations; base + cnt <= R */
} lsnn_ref_rix;

enum { LSNN_REF_RTE_CORE = 1, LSNN_REF_RTE_HOST = 2 };

/* §7 RTE row. */
typedef struct {
    uint32_t kind; /* [1:0]: 1 CORE, 2 HOST (0, 3 rejected) */
    uint32_t rel;  /* [2]: axon += the source's local index, mod 2^16 */
    uint32_t core; /* [10:3]: destination core (CORE) */
    uint32_t axon; /* [26:11]: destination axon (CORE) or host channel (HOST) */
} lsnn_ref_rte;

/* Output ports and words (§8). */
enum { LSNN_REF_PORT_HOST = 0, LSNN_REF_PORT_NOC = 1 };
#define LSNN_REF_W_SPIKE(ch)       ((uint32_t)(ch)&0xFFFFu)
#define LSNN_REF_W_TICK_DONE(t)    (0x40000000u | ((uint32_t)(t)&0x3FFFFFFFu))
#define LSNN_REF_W_CLEAR_DONE      0x80000000u
#define LSNN_REF_W_NOC(core, axon) ((((uint32_t)(core)&0xFFu) << 16) | ((uint32_t)(axon)&0xFFFFu))

/* Receives one output word; port is LSNN_REF_PORT_HOST or LSNN_REF_PORT_NOC. */
typedef void (*lsnn_ref_emit_fn)(void *ctx, int port, uint32_t word);

/* The routing phase's machine (§10.1, nc_route.v): the next spike k, the entry being read, the
 * delivery register (dv, de, dn), and the NoC word of the last delivery. */
typedef struct {
    int rte; /* 0: a RIX cycle next; 1: an RTE read next */
    uint32_t k, ra, left, rn;
    int dv;
    lsnn_ref_rte de;
    uint32_t dn;
    uint32_t noc_word;
} lsnn_ref_route;

/* lsnn_ref_route_cycle's result bits. */
enum {
    LSNN_REF_RC_STALL = 1, /* the NoC port refused the delivery: nothing else happened */
    LSNN_REF_RC_LOCAL = 2, /* a local spike was written into pend this cycle */
    LSNN_REF_RC_NOC = 4,   /* route.noc_word left through the NoC port */
    LSNN_REF_RC_LAST = 8   /* this was the drain cycle: DONE is next */
};

/* STATUS bits (§9 row 20). */
#define LSNN_REF_STATUS_ERROR 2u /* a bad word or duplicate event was seen */
#define LSNN_REF_STATUS_SAT   4u /* a saturation occurred */

typedef struct {
    lsnn_hw_config cfg;
    /* derived widths (§2) */
    int NB, SB, TB, DB, XB, MB, RB, PB;
    uint32_t LW;      /* latch words per buffer, X/32 */
    uint32_t rows;    /* rows per ACC bank, D*N/S */
    uint64_t c_clear; /* §10.2: 2 + max(N, D*N/S, LW) */
    /* registers (§2, §9) */
    uint32_t core_id, nu, xu;
    /* memories (§7) */
    lsnn_ref_profile *profile; /* [P] */
    uint32_t *ncfg;            /* [N] profile index */
    lsnn_ref_state *state;     /* [N] */
    int64_t *acc;              /* [S][D*N/S]: bank j row r at acc[j*rows + r] */
    lsnn_ref_axt *axt;         /* [X] */
    lsnn_ref_lane *syn;        /* [M][S]: word w lane j at syn[w*S + j] */
    lsnn_ref_rix *rix;         /* [N] */
    lsnn_ref_rte *rte;         /* [R] */
    uint32_t *latch[2];        /* [LW] each; latch[pend] collects, the other is cur */
    int pend;
    uint32_t tick; /* wraps mod 2^32 */
    uint64_t counters[LSNN_REF_NCOUNTERS];
    uint32_t status; /* LSNN_REF_STATUS_* sticky flags */
    /* the last tick: its spike buffer (ascending n) and its cycle count (§10.2) */
    uint32_t *spikebuf; /* [N] */
    uint32_t nspikes;
    uint64_t last_cycles;
    lsnn_ref_route route; /* the routing phase in progress (lsnn_ref_route_cycle) */
    uint64_t busy_before; /* §10.2's counter sum at the tick's START */
    /* private to ref_core.c: AXT + SYN decoded for the synaptic phase, a cache allocated by
     * lsnn_ref_create, marked stale by lsnn_ref_set_axt / lsnn_ref_set_syn and rebuilt by the
     * next tick. Not part of the memories of §7: never read or write it. */
    struct lsnn_ref_syn_cache *syn_cache;
} lsnn_ref_core;

/* §0 operators: nc_arith.h. */

/* A core for cfg with every memory, register and counter zero (NU = XU = 0, CORE_ID = 0).
 * Returns NULL with a message on a bad config (lsnn_hw_check) or when memory runs out. */
lsnn_ref_core *lsnn_ref_create(const lsnn_hw_config *cfg, lsnn_error *e);

/* An upper bound of the bytes one core of cfg allocates (every memory full), for the memory
 * check before a simulation (lsnn_memory_available). */
uint64_t lsnn_ref_memory_bound(const lsnn_hw_config *cfg);
void lsnn_ref_free(lsnn_ref_core *c);

/* Setters (the programming port and the image loader). Each checks the row index and every
 * field against the config and §7/§13's per-row rules; on error it returns -1 with a message
 * naming the memory, the row, the field and the limit, and changes nothing. Returns 0. */
int lsnn_ref_set_core_id(lsnn_ref_core *c, uint32_t id, lsnn_error *e); /* 0..255 */
int lsnn_ref_set_nu(lsnn_ref_core *c, uint32_t nu, lsnn_error *e);      /* 0..N */
int lsnn_ref_set_xu(lsnn_ref_core *c, uint32_t xu, lsnn_error *e);      /* 0..X */
int lsnn_ref_set_profile(lsnn_ref_core *c, uint32_t row, const lsnn_ref_profile *p, lsnn_error *e);
int lsnn_ref_set_ncfg(lsnn_ref_core *c, uint32_t n, uint32_t profile, lsnn_error *e);
int lsnn_ref_set_state(lsnn_ref_core *c, uint32_t n, const lsnn_ref_state *s, lsnn_error *e);
/* ACC of neuron n, delay-ring slot `slot` (logical row slot*N + n). */
int lsnn_ref_set_acc(lsnn_ref_core *c, uint32_t slot, uint32_t n, int64_t value, lsnn_error *e);
int lsnn_ref_set_axt(lsnn_ref_core *c, uint32_t axon, const lsnn_ref_axt *a, lsnn_error *e);
int lsnn_ref_set_syn(lsnn_ref_core *c, uint32_t word, uint32_t lane, const lsnn_ref_lane *l,
                     lsnn_error *e);
int lsnn_ref_set_rix(lsnn_ref_core *c, uint32_t n, const lsnn_ref_rix *r, lsnn_error *e);
int lsnn_ref_set_rte(lsnn_ref_core *c, uint32_t row, const lsnn_ref_rte *r, lsnn_error *e);
/* Word w of the pend latch (region 0x9). */
int lsnn_ref_set_latch(lsnn_ref_core *c, uint32_t w, uint32_t bits, lsnn_error *e);

/* Getters: 0, or -1 with a message on a bad index (*out untouched). */
int lsnn_ref_get_state(const lsnn_ref_core *c, uint32_t n, lsnn_ref_state *out, lsnn_error *e);
int lsnn_ref_get_acc(const lsnn_ref_core *c, uint32_t slot, uint32_t n, int64_t *out,
                     lsnn_error *e);
/* Counter i (§11 order); 0 for i out of range. */
uint64_t lsnn_ref_counter(const lsnn_ref_core *c, int i);

/* §9 CTRL: bit 0 clears the counters, bit 1 clears the STATUS flags. */
void lsnn_ref_ctrl(lsnn_ref_core *c, uint32_t bits);
/* §9 STATUS (busy is always 0 between calls). */
uint32_t lsnn_ref_status(const lsnn_ref_core *c);

/* §5.1 EVENT x: latch_set(x) into pend. Counts bad_words (x >= XU), dup_events (already set)
 * or events_in. Never fails. */
void lsnn_ref_event(lsnn_ref_core *c, uint32_t axon);

/* §5.2 one TICK: START, synaptic, neuron, routing phases and DONE, counters and the cycle
 * count (last_cycles, added to `cycles`). Words go to emit (may be NULL: dropped). */
void lsnn_ref_tick(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx);

/* The tick in three parts, for the chip's cycle model (§16.6), which runs the routing phase
 * cycle by cycle against the NoC: lsnn_ref_tick_begin runs START and the synaptic and neuron
 * phases and returns their cycles (START included: the routing phase's first cycle is that
 * many cycles after START's); lsnn_ref_route_cycle runs one routing cycle, noc_ready saying
 * whether the NoC-out port takes a word in it (LSNN_REF_RC_* bits); after the cycle that
 * returns LSNN_REF_RC_LAST, lsnn_ref_tick_end runs DONE (one cycle). lsnn_ref_tick is the
 * three with a NoC that is always ready. */
uint64_t lsnn_ref_tick_begin(lsnn_ref_core *c);
int lsnn_ref_route_cycle(lsnn_ref_core *c, int noc_ready, lsnn_ref_emit_fn emit, void *ctx);
void lsnn_ref_tick_end(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx);

/* §5.3 CLEAR: zeroes v, a, ref, z, ACC, both latches and tick; keeps the programmed memories,
 * registers and counters; counts clears and C_clear cycles; emits CLEAR_DONE. */
void lsnn_ref_clear(lsnn_ref_core *c, lsnn_ref_emit_fn emit, void *ctx);

/* §5.1 one AER-in word: EVENT (bits [29:XB] must be 0), TICK, CLEAR; reserved words and bad
 * EVENT payloads count bad_words and are ignored. */
void lsnn_ref_word(lsnn_ref_core *c, uint32_t word, lsnn_ref_emit_fn emit, void *ctx);

#endif
