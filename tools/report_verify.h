/* report_verify.h - what lsnn verify prints: equal or the first divergence, and the RTL's speed,
 * as text or one JSON object. Needs the RTL (LSNN_HAVE_RTL). */
#ifndef LSNN_REPORT_VERIFY_H
#define LSNN_REPORT_VERIFY_H

#include <stdint.h>

#include "cli_verify_pair.h"

/* What a verification found and how fast it ran. */
typedef struct {
    const char *dir; /* the image directory */
    unsigned core_id;
    int readmemh;             /* loaded with $readmemh, not through the port */
    const cli_divergence *d;  /* the first divergence, or NULL: equal */
    long global_neuron;       /* d's neuron in the host map, or -1 */
    long n_seq;               /* sequences run */
    uint64_t ticks;           /* ticks run */
    const uint64_t *counters; /* the reference core's activity counters */
    uint64_t sim_cycles;      /* RTL clock cycles simulated during the run */
    double secs, load_secs;   /* the run's and the load's wall time */
} report_verify_data;

void report_verify_text(const report_verify_data *v);
void report_verify_json(const report_verify_data *v);

#endif
