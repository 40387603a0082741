/* vcd.h - a tick-level VCD (IEEE 1364 value change dump) of a chip run, for GTKWave.
 *
 * One VCD time unit is one tick (`$timescale 1 ms`: the models' dt), sequences follow each
 * other. Scopes: chip (seq, tick), then core<ID> with the tick's cycles and one scope n<L> per
 * used neuron with v (V bits, two's complement), a (V+G bits), ref (Q bits) and z. Values are
 * the raw integers of docs/neurocore.md §3; only changes are written. The RTL harness writes a
 * cycle-level VCD of its own; this one shows the same state at tick resolution. The file is
 * written to PATH.tmp.PID and renamed at lsnn_vcd_close. */
#ifndef LSNN_VCD_H
#define LSNN_VCD_H

#include <stdint.h>

#include "error.h"
#include "fileio.h"
#include "ref_host.h"

typedef struct {
    lsnn_atomic_file out;
    int ncores;
    uint64_t time;
    int64_t *last; /* last dumped value of every signal, for change detection */
    uint8_t *known;
    int n_sig;
    int *width;
    uint64_t cycles_seen[LSNN_HW_MAX_CORES]; /* each core's cycles counter at the last dump */
    uint64_t end; /* the time step after the last dumped tick (the closing timestamp) */
} lsnn_vcd;

/* Opens path and writes the header (declarations) for an engine of config cfg. Returns 0 or -1. */
int lsnn_vcd_open(lsnn_vcd *v, const char *path, const lsnn_target *en,
                  const lsnn_hw_config *cfg, lsnn_error *e);

/* Dumps the state after tick t of sequence seq at the next time step. */
void lsnn_vcd_tick(lsnn_vcd *v, int seq, int t, const lsnn_target *en);

/* A tick left out (lsnn run --vcd-ticks): its time step passes with nothing written; the
 * cycles of the next dumped tick are still that tick's own. */
void lsnn_vcd_skip(lsnn_vcd *v, const lsnn_target *en);

int lsnn_vcd_close(lsnn_vcd *v, lsnn_error *e);
void lsnn_vcd_abort(lsnn_vcd *v);

#endif
