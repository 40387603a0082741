/* report_run.h - what lsnn run prints: the accuracy, the activity counts and the cycles, as text
 * or one JSON object. */
#ifndef LSNN_REPORT_RUN_H
#define LSNN_REPORT_RUN_H

#include <stdint.h>

#include "hwconfig.h"
#include "lsnn_fixed.h"
#include "ref_core.h"
#include "spec.h"
#include "window_curve.h"

/* What a run measured, from whichever engine ran it. */
typedef struct {
    const char *engine; /* the target's name: "ref", "rtl", "systemc" */
    const lsnn_hw_config *cfg;
    int ncores;
    uint64_t counter[LSNN_REF_NCOUNTERS]; /* summed over the cores */
    uint64_t chip_cycles;     /* Σ C_chip (docs/neurocore.md §16.5) over the commands */
    uint64_t barrier_cycles;  /* of which in barriers */
    uint64_t core_cycles_max; /* the busiest core's `cycles` counter */
    uint64_t noc_hops;        /* router-to-router flits */
    /* a simulator with a clock of its own (target.h's sim_time; SystemC): the simulated time
     * of the commands and of everything since the load, and its clock period, in ps */
    int has_sim_time;
    uint64_t sim_cmd_ps, sim_all_ps, sim_period_ps;
    const lsnn_nav_totals *nav; /* a navigation model's closed-loop episodes, else NULL */
} report_run_totals;

/* A core's tick by phase (docs/neurocore.md §10.2), in cycles per tick, the mean over the
 * cores: START, synaptic (latch words + events + words + the drain), neuron (the groups of NL
 * neurons + the fill), routing (lookups + reads + the drain), DONE, stalls. The groups come
 * from the cycle identity: what the other terms and the CLEARs leave of `cycles`. */
typedef struct {
    double start, synaptic, neuron, groups, routing, done, stalls, total;
    double sop_per_cycle; /* synaptic ops per core cycle (every phase) */
} report_run_phases;
void report_run_phases_of(const report_run_totals *t, report_run_phases *p);

/* 1 when the simulated time of the commands is not chip_cycles x period (a broken platform). */
int report_run_time_differs(const report_run_totals *t);

/* The totals of fx's engine after a run (rtl: the engine is the RTL, not fx's chip). */
void report_run_totals_of(const cli_fixed *fx, int rtl, report_run_totals *t);

/* A regression run (r->regression) prints its MSE, and curve's MSE by trial when not NULL. */
void report_run_text(const char *dir, const report_run_totals *c, const cli_fixed *fx,
                     const lsnn_spec *spec, const cli_fixed_result *r, int labelled, double secs,
                     const lsnn_window_curve *curve);
void report_run_json(const char *dir, const report_run_totals *c, const lsnn_spec *spec,
                     const cli_fixed_result *r, int labelled, double secs,
                     const lsnn_window_curve *curve);

#endif
