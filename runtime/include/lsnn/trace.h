/* trace.h - the tick trace: every state variable of every neuron after every tick
 * (docs/trace-format.md).
 *
 * The format every engine writes (the reference runtime now, the RTL harness and the other
 * engines later) so that two runs can be compared line by line: the first differing line names
 * the sequence, the tick, the neuron or core and the variable. Text, one record per line:
 *
 *   lsnn-trace 1
 *   network <inputs> <recurrent> <readouts> cores <n>
 *   place <core id> <first global neuron> <count> <first local neuron>    (one per run)
 *   seq <s> steps <T>                      a sequence starts (after CLEAR)
 *   tick <t> <cycles>                      after tick t; cycles of the slowest core (§10)
 *   n <g> <v> <a> <ref> <z>                global neuron g, raw integers of §3
 *   k <core id> <c0> ... <c26>             the tick's increments of counters 0..26 (§11)
 *   end                                    the trace is complete
 *
 * The file is written to PATH.tmp.PID and renamed at lsnn_trace_close: a trace that exists is
 * complete. */
#ifndef LSNN_TRACE_H
#define LSNN_TRACE_H

#include <stdint.h>

#include "error.h"
#include "fileio.h"
#include "hostmap.h"
#include "ref_host.h"

#define LSNN_TRACE_VERSION  1
#define LSNN_TRACE_COUNTERS 27 /* counters 0..26 of §11; 27..31 are reserved */

typedef struct {
    lsnn_atomic_file out;
    const lsnn_hostmap *m;
    int ncores;
    uint64_t *prev; /* [ncores][LSNN_REF_NCOUNTERS]: counters at the previous tick */
} lsnn_trace;

/* Opens path and writes the header lines for map m on an engine. Returns 0 or -1. */
int lsnn_trace_open(lsnn_trace *t, const char *path, const lsnn_hostmap *m,
                    const lsnn_target *en, lsnn_error *e);

/* The records of tick `tick` of sequence seq (the seq line at tick 0). */
void lsnn_trace_tick(lsnn_trace *t, int seq, int steps, int tick, const lsnn_target *en);

/* Writes "end" and publishes the file. Returns 0 or -1 (a write error included). */
int lsnn_trace_close(lsnn_trace *t, lsnn_error *e);

/* Removes the unfinished file. */
void lsnn_trace_abort(lsnn_trace *t);

#endif
