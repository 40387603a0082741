/* report_verify.h - what lsnn verify prints: equal or the first divergence, and the RTL's speed,
 * as text or one JSON object. */
#ifndef LSNN_REPORT_VERIFY_H
#define LSNN_REPORT_VERIFY_H

#include <stdint.h>

#include "hostmap.h"
#include "target.h"

/* What a verification found and how fast it ran. */
typedef struct {
    const char *dir;          /* the image directory */
    const char *a, *b;        /* the engines' names */
    unsigned core_id;         /* of the divergence's core */
    int readmemh;             /* loaded with $readmemh, not through the port */
    const lsnn_divergence *d; /* the first divergence, or NULL: equal */
    long global_neuron;       /* d's neuron in the host map, or -1 */
    long n_seq;               /* sequences run */
    uint64_t ticks;           /* ticks run */
    const uint64_t *counters; /* the first engine's activity counters (core index 0) */
    const char *sim_name;     /* the engine that simulates clock cycles, or NULL */
    uint64_t sim_cycles;      /* its clock cycles simulated during the run */
    double secs, load_secs;   /* the run's and the load's wall time */
    /* a simulator with a clock of its own (target.h's sim_time; SystemC): since the load, the
     * simulated time of the commands and of everything, its clock period (ps) and the chip
     * cycles of its chip counters */
    int has_sim_time;
    uint64_t sim_cmd_ps, sim_all_ps, sim_period_ps, chip_cycles;
    /* an image of several cores: their number and the chip cycles of the run (§16.5: every
     * command, the CLEAR before each sequence included), 0 when the engines have no chip */
    int ncores;
    uint64_t run_chip_cycles;
    /* a regression task (l2l): the windows scored and their MSE (the engines' outputs are
     * equal when the run is) */
    int regression, n_win;
    double mse;
} report_verify_data;

/* The global neuron (host-map numbering) of the divergence's local neuron on its core, or -1
 * (no neuron: a cycle count, a counter or an output word, whose index is in d->neuron). */
long cli_divergence_neuron(const lsnn_hostmap *m, const lsnn_divergence *d);

void report_verify_text(const report_verify_data *v);
void report_verify_json(const report_verify_data *v);

#endif
