/* trace_read.h - reads tick traces back (docs/trace-format.md §1): a strict, streaming reader
 * and the comparison of two traces, record by record, to the first difference.
 *
 * The reader checks the whole grammar as it goes: the header, the placements, every sequence
 * numbered from 0 with ticks 0..steps, one n line per global neuron in order, one k line per core
 * in the first tick's order, the values' ranges, and the closing "end" (a trace without it was
 * cut short). Every error is "FILE:LINE: error: ...". */
#ifndef LSNN_TRACE_READ_H
#define LSNN_TRACE_READ_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "trace.h"

enum { LSNN_TR_SEQ, LSNN_TR_TICK, LSNN_TR_NEURON, LSNN_TR_CORE, LSNN_TR_END };

/* One record after the header: seq (v[0] = sequence, v[1] = steps), tick (v[0] = tick,
 * v[1] = cycles), n (v[0] = g, v[1..4] = v, a, ref, z), k (v[0] = core id, v[1..27] = the
 * counters' increments), end. */
typedef struct {
    int kind;
    long line;
    int64_t v[1 + LSNN_TRACE_COUNTERS];
} lsnn_trace_rec;

typedef struct {
    FILE *f;
    const char *name;
    long line;
    int n_in, n_rec, n_out, ncores; /* the header's network line */
    /* where the grammar stands */
    int64_t seq, steps, tick; /* the current sequence and tick (-1 before the first) */
    int next_n, next_k;       /* the next n line's neuron, the next k line's index */
    int *core_ids;            /* [ncores]: the first tick's k order (-1 until seen) */
    int ended;
    char buf[1024];
} lsnn_trace_reader;

/* Reads the header (lsnn-trace 1, network, place lines) of f; name is FILE in messages.
 * Returns 0, or -1 with a message. */
int lsnn_trace_reader_open(lsnn_trace_reader *r, FILE *f, const char *name, lsnn_error *e);

/* The next record: 1 with *rec filled, 0 after "end" (and only blank-free EOF after it), -1 on
 * an error (a message naming the line). */
int lsnn_trace_next(lsnn_trace_reader *r, lsnn_trace_rec *rec, lsnn_error *e);

void lsnn_trace_reader_close(lsnn_trace_reader *r);

/* What lsnn_trace_compare found. */
typedef struct {
    int equal;    /* 1: every record equal */
    long records; /* records compared */
    long line_a, line_b;
    char what[512]; /* the first difference, for people: sequence, tick, neuron or core, field */
} lsnn_trace_diff;

/* Compares two traces record by record (both read and checked in full up to the first
 * difference). Returns 0 with *d filled, or -1 if either trace is malformed. */
int lsnn_trace_compare(lsnn_trace_reader *a, lsnn_trace_reader *b, lsnn_trace_diff *d,
                       lsnn_error *e);

#endif
