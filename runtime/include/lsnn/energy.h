/* energy.h - energy and latency per inference from activity counters (DESIGN.md contract 6).
 *
 * A pure library: no I/O except the printers, which write to the FILE * they are given. The
 * model, every term, the static/latency approximation, the NeuroBench counts and the LSTM
 * comparison line are documented in docs/energy.md.
 *
 * Neurocore model: each priced event of a neurocore technology table (lsnn_tech_event) is
 * multiplied by the activity counter of docs/neurocore.md §11 that counts it, summed over the
 * cores and divided by the number of inferences. The mesh's two events come from the chip
 * (§16.9): noc_hops from the flits that left each router through E/W/N/S (priced per link), or
 * from a hop count when no per-link counts are given; barrier_hops from the commands, 2 (cells
 * - 1) token hops each (§16.5). Static energy is the table's static watts times the chip's
 * latency per inference times the number of cores used (a core with a nonzero `cycles`
 * counter); every used core leaks for the whole inference.
 *
 * Identity: total = Σ cores (dynamic + static) + Σ links + barrier.
 *
 * LSTM line: the energy of an LSTM with H hidden units on a MAC accelerator, priced with a
 * reference_ops table (Horowitz 45 nm), in an int8 and an fp32 variant. */
#ifndef LSNN_ENERGY_H
#define LSNN_ENERGY_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "hwconfig.h"
#include "mesh.h"
#include "ref_core.h"
#include "techtable.h"

#define LSNN_LSTM_HIDDEN_DEFAULT 128 /* the paper's LSTM-128 */

/* The §11 counter index that prices event ev, or -1 for LSNN_TECH_NOC_HOPS and
 * LSNN_TECH_BARRIER_HOPS (no core counter: they come from the chip's counts) and for an ev out
 * of range. */
int lsnn_energy_counter_of(lsnn_tech_event ev);

/* One run: counters summed over n_inferences inferences. Optional fields are 0 when unknown. */
typedef struct {
    int n_cores;                  /* 1..LSNN_HW_MAX_CORES */
    const uint64_t *counters;     /* [n_cores * LSNN_REF_NCOUNTERS]: core c counter i at
                                     counters[c * LSNN_REF_NCOUNTERS + i] */
    uint64_t n_inferences;        /* >= 1 */
    uint64_t noc_hops;            /* router-to-router hops over the run; 0 = none or unknown.
                                     With `flits` given: 0, or Σ flits over E/W/N/S */
    uint64_t chip_cycles;         /* optional: Σ C_chip over the run's commands (§16.6: TICKs and
                                     CLEARs, routing, contention and the barrier included);
                                     0 = use max over cores of `cycles` */
    uint64_t dense_synapses;      /* optional: weights of the dense network (n_in*n_rec +
                                     n_rec*n_rec + n_rec*n_out); 0 = dense MACs not reported */
    uint64_t spiking_neurons;     /* optional: LIF + ALIF neurons; 0 = sparsity over every
                                     neuron update (readouts included) */
    uint64_t ticks_per_inference; /* optional: 0 = max over cores of `ticks` / n_inferences */
    /* The mesh (docs/neurocore.md §16), all optional; the fields above alone are a run without
     * one (no per-link figures, no barrier term). */
    int mesh_x, mesh_y;       /* mesh sides, 1..16 each; 0, 0 = no mesh given */
    const uint64_t *flits;    /* NULL, or [LSNN_HW_MAX_CORES * LSNN_PORTS]: flits that left the
                                 router of cell 16 y + x through port p (LSNN_PORT_*) over the
                                 run at flits[(16 y + x) * LSNN_PORTS + p] (lsnn_ref_chip's
                                 flits); read for the mesh's cells only. Needs the mesh */
    uint64_t commands;        /* TICK + CLEAR commands over the run (chip_ticks + chip_clears):
                                 each runs the barrier. 0 with a mesh: no barrier term */
    const unsigned *core_ids; /* NULL, or [n_cores]: each core's cell id (16 y + x), printed
                                 beside its per-core line */
} lsnn_energy_run;

/* Energy per inference. pJ unless the name says otherwise. */
typedef struct {
    char table[LSNN_TECH_NAME_MAX];      /* the technology table's name */
    char technology[LSNN_TECH_NAME_MAX]; /* and its technology */
    int logic_only;                      /* the table prices no memory access */
    uint64_t n_inferences;
    int n_cores, cores_used;
    double clock_mhz; /* the hardware config's, or the table's when none was given */
    /* by term (lsnn_tech_event order): events per inference, pJ per event, pJ per inference */
    double count[LSNN_TECH_N_EVENTS];
    double pj_per_event[LSNN_TECH_N_EVENTS];
    double pj[LSNN_TECH_N_EVENTS];
    /* by core: dynamic (every term but noc_hops and barrier_hops) and static share */
    double core_dynamic_pj[LSNN_HW_MAX_CORES];
    double core_static_pj[LSNN_HW_MAX_CORES];
    int core_id[LSNN_HW_MAX_CORES];   /* cell id (16 y + x), -1 when the run gave none */
    int core_used[LSNN_HW_MAX_CORES]; /* 1: the core's `cycles` counter is nonzero */
    /* the mesh: 0, 0 when the run gave none */
    int mesh_x, mesh_y;
    /* by link, with per-link counts (links_given): flits per inference that left the router of
     * cell 16 y + x through port p, and their pJ at pj_per_event[LSNN_TECH_NOC_HOPS]; port L
     * (ejection into the core) is counted, not priced (link_pj 0) */
    int links_given;
    int links_used; /* router outputs E/W/N/S with flits > 0 */
    double link_flits[LSNN_HW_MAX_CORES][LSNN_PORTS];
    double link_pj[LSNN_HW_MAX_CORES][LSNN_PORTS];
    double noc_pj; /* = pj[LSNN_TECH_NOC_HOPS] = Σ link_pj when links_given */
    /* the barrier: commands per inference, token hops per command (2 (cells - 1)); its hops per
     * inference are count[LSNN_TECH_BARRIER_HOPS] */
    double commands;
    double barrier_hops_per_command;
    double barrier_pj; /* = pj[LSNN_TECH_BARRIER_HOPS] */
    /* totals: dynamic_pj = Σ pj = Σ core_dynamic_pj + noc_pj + barrier_pj;
     *         total_pj = dynamic_pj + static_pj
     *                  = Σ (core_dynamic_pj + core_static_pj) + noc_pj + barrier_pj */
    double dynamic_pj, static_pj, total_pj;
    double static_watts_per_core;
    int chip_cycles_given; /* 1 if run->chip_cycles set cycles, 0 if max over cores did */
    double cycles;         /* chip cycles per inference */
    double latency_us;     /* cycles / clock_mhz */
    /* NeuroBench-style counts per inference */
    double ticks;               /* time steps per inference */
    double syn_ops;             /* synaptic operations (= syn_ops counter) */
    double dense_macs;          /* dense_synapses × ticks; 0 when dense_synapses is 0 */
    double membrane_updates;    /* = neuron_updates counter */
    double spikes;              /* = spikes counter */
    double activation_sparsity; /* 1 - spikes / (neurons × ticks); see lsnn_energy_run */
} lsnn_energy_report;

/* Prices a run with a neurocore table. hw gives the clock; NULL uses the table's clock_mhz.
 * Returns 0 with *out filled (about 27 KB), or -1 with a message (wrong table kind,
 * n_inferences 0, n_cores out of range, NULL counters, no positive clock, a mesh side out of
 * 1..16 or more cores than cells, flits or commands without a mesh, noc_hops that differs from
 * the flits, a core id outside the mesh) and *out untouched. */
int lsnn_energy_compute(const lsnn_energy_run *run, const lsnn_hw_config *hw,
                        const lsnn_tech_table *tech, lsnn_energy_report *out, lsnn_error *e);

/* A human-readable table: per term count, pJ/event, nJ per inference and share; static,
 * total, latency; per core when there are several, then the links and the barrier with the
 * identity's total; each NoC link with flits (or a line saying there is no NoC traffic) and the
 * barrier; the NeuroBench counts. */
void lsnn_energy_print(FILE *f, const lsnn_energy_report *r);

/* One precision of the LSTM line (per inference). */
typedef struct {
    int weight_bits;    /* 8 or 32 */
    double param_bytes; /* weights + biases at weight_bits */
    lsnn_tech_op mem;   /* the smallest table memory that holds them (DRAM low if > 1 MB) */
    double mem_reads;   /* 64-bit reads: every parameter once per step, packed */
    double mac_pj, add_pj, mult_pj, mem_pj, total_pj;
} lsnn_lstm_variant;

/* The LSTM line: operation counts per inference and both priced variants. */
typedef struct {
    char table[LSNN_TECH_NAME_MAX]; /* the reference_ops table's name */
    int n_in, hidden, n_out, steps;
    double params;         /* 4H(n_in + H + 1) + n_out(H + 1) */
    double macs;           /* (4H(n_in + H) + n_out·H) × T */
    double adds;           /* (4H + n_out + H) × T: biases and the cell-state add */
    double mults;          /* 3H × T: f⊙c, i⊙g, o⊙tanh(c) */
    double nonlinearities; /* 5H × T (3 sigmoid, 2 tanh): counted, not priced */
    lsnn_lstm_variant int8, fp32;
} lsnn_lstm_energy;

/* Prices an LSTM-`hidden` (n_in inputs, n_out readouts, `steps` time steps) with a
 * reference_ops table. Each size must be in 1..2^20. Returns 0 with *out filled, or -1 with
 * a message (wrong table kind, a size out of range) and *out untouched. */
int lsnn_lstm_energy_compute(const lsnn_tech_table *ops, int n_in, int hidden, int n_out, int steps,
                             lsnn_lstm_energy *out, lsnn_error *e);

/* The same for a trained LSTM (lsnn energy --lstm RUN_DIR) with its own parameter count: the
 * weights and biases it has (without a readout bias, n_out fewer than the formula above). */
int lsnn_lstm_energy_of_model(const lsnn_tech_table *ops, int n_in, int hidden, int n_out,
                              int steps, double params, lsnn_lstm_energy *out, lsnn_error *e);

/* A human-readable table of the LSTM line (both variants, per term). */
void lsnn_lstm_print(FILE *f, const lsnn_lstm_energy *l);

/* ---- The SRAM model (sram.c; docs/energy.md "The SRAM model") ---- */

/* One memory of `instances` identical arrays of `rows` x `width` bits, each split into `banks`
 * equal banks of at most the table's bank_max. Energies are per access of one row. */
typedef struct {
    char name[16];
    uint64_t rows;      /* logical rows per instance */
    int width;          /* bits per row */
    int instances;      /* identical arrays (ACC: S banks of §7) */
    int banks;          /* per instance: ceil(rows x width / bank_max) */
    uint64_t bank_rows; /* rows per bank: ceil(rows / banks) */
    double bank_bits;   /* bank_rows x width */
    double bits;        /* instances x banks x bank_bits (built, not only used) */
    double read_pj;     /* E64(bank size) x width / 64 */
    double write_pj;    /* read_pj x write_per_read */
    double area_um2;    /* bits x bit_area */
    double bank_leak_w; /* one bank, powered */
    double leak_w;      /* every bank of every instance, powered */
} lsnn_sram_mem;

/* Prices a memory with the SRAM model m. Returns 0 with *out filled, or -1 with a message
 * naming the memory and the limit (no model, rows outside 1..2^40, width outside 1..4096,
 * instances outside 1..4096) and *out untouched. */
int lsnn_sram_price(const lsnn_tech_sram *m, const char *name, uint64_t rows, int width,
                    int instances, lsnn_sram_mem *out, lsnn_error *e);

/* ---- LSNN and LSTM on equal terms (equal_terms.c; docs/energy.md) ---- */

/* The memories of one core (docs/neurocore.md §7), in this order. */
enum {
    LSNN_CM_PROFILE,
    LSNN_CM_NCFG,
    LSNN_CM_STATE,
    LSNN_CM_ACC,
    LSNN_CM_AXT,
    LSNN_CM_SYN,
    LSNN_CM_RIX,
    LSNN_CM_RTE,
    LSNN_CM_LATCH,
    LSNN_CM_N
};

/* Static energy per inference of one network under three operating assumptions. */
typedef struct {
    double sram_bits;    /* powered SRAM bits */
    double area_mm2;     /* of the powered SRAM */
    double leak_sram_w;  /* sram_bits x bit_leakage */
    double leak_logic_w; /* logic_leakage x cores */
    double busy_us;      /* busy time per inference at the clock */
    double realtime_us;  /* steps x tick period, at least busy_us */
    int keeps_real_time; /* steps x tick >= busy_us */
    double busy_pj;      /* every leak x busy time */
    double realtime_pj;  /* every leak x real time (no power gating) */
    double gated_pj;     /* busy_pj + retention x leak_sram x (real time - busy time) */
} lsnn_et_static;

/* One network's line. */
typedef struct {
    double memory_pj, arith_pj, other_pj; /* dynamic: SRAM accesses, arithmetic, NoC/host */
    double dynamic_pj;
    double cycles;                      /* busy cycles per inference */
    double latency_us, latency_fmax_us; /* at the clock and at fmax */
    lsnn_et_static st;
} lsnn_et_line;

typedef struct {
    char table[LSNN_TECH_NAME_MAX], technology[LSNN_TECH_NAME_MAX];
    double clock_mhz, fmax_mhz, tick_us, lstm_step_us;
    double retention, bit_leakage_pw, logic_leakage_w, bank_max_kib;
    /* the LSNN: one core's memories as configured, the price of each event, its line */
    lsnn_sram_mem mem[LSNN_CM_N];
    double event_pj[LSNN_TECH_N_EVENTS]; /* per event: memory + arithmetic, or the table's */
    double term_pj[LSNN_TECH_N_EVENTS];  /* per inference */
    int cores_used;
    double ticks;              /* per inference */
    double syn_banks_powered;  /* SYN banks holding synapses, over the used cores */
    double config_bits;        /* every bank of the used cores powered */
    double config_realtime_pj; /* static at real time, ungated, every bank powered */
    lsnn_et_line lsnn;
    /* the LSTM line, int8 (the LSNN's weights are 8-bit or fewer) */
    int hidden, steps;
    double params;
    lsnn_sram_mem lstm_weights, lstm_state;
    lsnn_et_line lstm;
} lsnn_equal_terms;

/* The memories of one core of hw in the SRAM model m: rows and widths of §7 (PROFILE .. RTE as
 * the image stores them; ACC S banks of D N / S rows of U bits; LATCH 2 X / 32 rows of 32
 * bits). Returns 0, or -1 with a message. */
int lsnn_core_memories(const lsnn_hw_config *hw, const lsnn_tech_sram *m,
                       lsnn_sram_mem out[LSNN_CM_N], lsnn_error *e);

/* Prices the LSNN run of rep (priced by table t, hw its config) and the LSTM line of lstm's
 * counts with one table: t's SRAM model for every memory of both, t's ops for the arithmetic
 * of both, t's leakage for both (docs/energy.md, "Equal terms"). syn_words_used[c]: SYN words
 * core c's image uses (its banks beyond them are power-gated off); NULL: every bank powered.
 * tick_us: the LSNN's real-time tick period, lstm_step_us the LSTM's step period (sMNIST: one
 * pixel), both > 0; fmax_mhz: the clock of the second latency, > 0. Returns 0 with *out filled, or
 * -1 with a message (t without the equal-terms sections, a report of another table, tick or fmax
 * not positive) and *out untouched. */
int lsnn_equal_terms_compute(const lsnn_energy_report *rep, const lsnn_hw_config *hw,
                             const lsnn_tech_table *t, const uint32_t *syn_words_used,
                             const lsnn_lstm_energy *lstm, double tick_us, double lstm_step_us,
                             double fmax_mhz, lsnn_equal_terms *out, lsnn_error *e);

/* The equal-terms table: memories, both lines' dynamic and static parts, busy / real time,
 * gated / not, latency at the clock and at fmax. Accuracies are the caller's to print. */
void lsnn_equal_terms_print(FILE *f, const lsnn_equal_terms *q);

#endif
