/* techtable.h - technology tables for energy (DESIGN.md contract 6): per-event costs with sources.
 *
 * A table (models/tech/NAME.yaml) is one of two kinds, documented in docs/tech-tables.md:
 *  - kind: neurocore - the energy of every activity-counter event of docs/neurocore.md §11
 *    that the energy model prices, plus static power; `lsnn energy` multiplies the counters
 *    by these figures.
 *  - kind: reference_ops - energies of generic arithmetic and memory operations by bit width
 *    (Horowitz 2014), for the conventional (LSTM) comparison line.
 * Every entry is {pj: <float >= 0>, source: "<citation>", scope: "<what it includes>"} (static
 * power: {watts: ...}); an entry without its source or scope, an unknown or missing entry name,
 * a wrong type or a negative energy is an error "FILE:LINE:COL: error: ...".
 *
 * A neurocore table may also carry the equal-terms sections (all three or none): `sram` (the
 * SRAM model's coefficients: 64-bit read energy at anchor sizes, size exponent, write/read
 * ratio, bank size limit, area, leakage and retention per bit), `logic_leakage` (watts per
 * core, besides its memories) and `ops` (the arithmetic of the table's node); and `fmax_mhz`,
 * a synthesised maximum clock. They let `lsnn energy` price the LSNN and the LSTM line with
 * one node, one memory model and one static-power assumption (docs/energy.md). */
#ifndef LSNN_TECHTABLE_H
#define LSNN_TECHTABLE_H

#include "error.h"

#define LSNN_TECH_VERSION    1
#define LSNN_TECH_NAME_MAX   64
#define LSNN_TECH_SOURCE_MAX 256
#define LSNN_TECH_SCOPE_MAX  1024
#define LSNN_TECH_NOTES_MAX  4096

typedef enum { LSNN_TECH_NEUROCORE, LSNN_TECH_REFERENCE_OPS } lsnn_tech_kind;

/* Priced events of a neurocore table; the YAML key of each is lsnn_tech_event_names[i], which
 * is the neurocore.md §11 counter name except the two mesh events of §16: noc_hops (a flit
 * crossing one router-to-router link, counted per link by the chip) and barrier_hops (a 1-bit
 * barrier token crossing one link, 2 (cells - 1) per command). */
typedef enum {
    LSNN_TECH_EVENTS_IN,      /* EVENT accepted into the latch (AER receive, latch write) */
    LSNN_TECH_LATCH_READS,    /* latch word scanned */
    LSNN_TECH_SYN_EVENTS,     /* set latch bit processed = axon-table (AXT) read */
    LSNN_TECH_SYN_WORD_READS, /* synapse-memory (SYN) word read */
    LSNN_TECH_SYN_OPS,        /* valid lane accumulated: ACC read + add + write */
    LSNN_TECH_NEURON_UPDATES, /* neuron update arithmetic */
    LSNN_TECH_STATE_READS,    /* STATE row read */
    LSNN_TECH_STATE_WRITES,   /* STATE row written */
    LSNN_TECH_ACC_READS,      /* ACC slot read and cleared in the neuron phase */
    LSNN_TECH_ROUTE_LOOKUPS,  /* RIX read (once per spike) */
    LSNN_TECH_ROUTE_READS,    /* RTE read (once per destination) */
    LSNN_TECH_SPIKES_LOCAL,   /* delivery to the own latch */
    LSNN_TECH_SPIKES_CORE,    /* spike sent to another core (NoC injection) */
    LSNN_TECH_NOC_HOPS,       /* a flit crossing one router-to-router link (§16.9 flits) */
    LSNN_TECH_BARRIER_HOPS,   /* a 1-bit barrier token crossing one link (§16.5) */
    LSNN_TECH_SPIKES_HOST,    /* spike sent to the host */
    LSNN_TECH_N_EVENTS
} lsnn_tech_event;

/* Operations of a reference_ops table (YAML keys in lsnn_tech_op_names). */
typedef enum {
    LSNN_OP_INT8_ADD,
    LSNN_OP_INT32_ADD,
    LSNN_OP_INT8_MULT,
    LSNN_OP_INT32_MULT,
    LSNN_OP_FP16_ADD,
    LSNN_OP_FP32_ADD,
    LSNN_OP_FP16_MULT,
    LSNN_OP_FP32_MULT,
    LSNN_OP_INT8_MAC,    /* int8 mult + int8 add */
    LSNN_OP_FP32_MAC,    /* fp32 mult + fp32 add */
    LSNN_OP_SRAM64_8KB,  /* 64-bit read from an 8 KB SRAM */
    LSNN_OP_SRAM64_32KB, /* 64-bit read from a 32 KB SRAM */
    LSNN_OP_SRAM64_1MB,  /* 64-bit read from a 1 MB SRAM */
    LSNN_OP_DRAM64_LOW,  /* 64-bit DRAM access, low end of the quoted range */
    LSNN_OP_DRAM64_HIGH, /* 64-bit DRAM access, high end of the quoted range */
    LSNN_TECH_N_OPS
} lsnn_tech_op;

/* The arithmetic ops (LSNN_OP_INT8_ADD .. LSNN_OP_FP32_MAC): a neurocore table's `ops`. */
#define LSNN_TECH_N_ARITH (LSNN_OP_FP32_MAC + 1)

extern const char *const lsnn_tech_event_names[LSNN_TECH_N_EVENTS + 1]; /* NULL-terminated */
extern const char *const lsnn_tech_op_names[LSNN_TECH_N_OPS + 1];

typedef struct {
    double value; /* pJ per event (static power: watts) */
    char source[LSNN_TECH_SOURCE_MAX];
    char scope[LSNN_TECH_SCOPE_MAX];
} lsnn_tech_entry;

#define LSNN_SRAM_MAX_ANCHORS 8

/* The SRAM model's coefficients (a neurocore table's `sram` section). Each figure keeps its
 * source and scope; value units are in the field comments. */
typedef struct {
    int n_anchors;                                 /* 1..LSNN_SRAM_MAX_ANCHORS */
    double anchor_kib[LSNN_SRAM_MAX_ANCHORS];      /* array sizes, KiB, strictly ascending */
    lsnn_tech_entry read64[LSNN_SRAM_MAX_ANCHORS]; /* pJ per 64-bit read, non-decreasing */
    lsnn_tech_entry size_exponent;                 /* x: E ~ size^x outside the anchors, [0, 2] */
    lsnn_tech_entry write_per_read;                /* a write's energy / a read's, [0, 100] */
    lsnn_tech_entry bank_max;                      /* largest bank, KiB, (0, 1e6] */
    lsnn_tech_entry bit_area;                      /* um^2 per bit, [0, 1e3] */
    lsnn_tech_entry bit_leakage;                   /* pW per bit while powered, [0, 1e6] */
    lsnn_tech_entry retention;                     /* leakage in retention / powered, [0, 1] */
} lsnn_tech_sram;

typedef struct {
    int version; /* LSNN_TECH_VERSION */
    lsnn_tech_kind kind;
    char name[LSNN_TECH_NAME_MAX];
    char technology[LSNN_TECH_NAME_MAX];        /* e.g. "28 nm FDSOI" */
    double clock_mhz;                           /* neurocore: default clock for latency; else 0 */
    char notes[LSNN_TECH_NOTES_MAX];            /* "" when absent */
    lsnn_tech_entry events[LSNN_TECH_N_EVENTS]; /* neurocore only */
    lsnn_tech_entry static_power;               /* neurocore only; value in watts */
    lsnn_tech_entry ops[LSNN_TECH_N_OPS];       /* reference_ops: all; neurocore with
                                                   has_equal_terms: the arithmetic ones */
    double fmax_mhz;     /* neurocore, optional: synthesised maximum clock; 0 when absent */
    int logic_only;      /* neurocore, optional: the table prices logic only (memory accesses 0:
                            models/tech/own_180nm.yaml); 0 when absent */
    int has_equal_terms; /* neurocore: sram, logic_leakage and ops are given */
    lsnn_tech_sram sram;
    lsnn_tech_entry logic_leakage; /* watts per core, memories excluded */
} lsnn_tech_table;

/* Parses a technology table file into *out (about 65 KB; written only on success). Returns 0,
 * or -1 with "FILE:LINE:COL: error: ..." in e. */
int lsnn_tech_load(const char *path, lsnn_tech_table *out, lsnn_error *e);

/* Same from a memory buffer; `name` is used as FILE in messages. */
int lsnn_tech_parse(const char *name, const char *text, unsigned long len, lsnn_tech_table *out,
                    lsnn_error *e);

#endif
