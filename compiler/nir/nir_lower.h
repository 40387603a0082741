/* nir_lower.h - the steps between a NIR graph and an lsnn network, shared by import and export:
 * flattening subgraphs, composing the linear paths between neurons, and the neuron
 * parameters' discretisation (docs/nir.md). */
#ifndef LSNN_NIR_LOWER_H
#define LSNN_NIR_LOWER_H

#include "nir.h"
#include "nir_graph.h"

/* Copies g into out (zeroed) without subgraphs: a subgraph's nodes are named "SUB.NODE", its
 * Input and Output nodes become NIR_IDENTITY nodes, and edges to or from a subgraph node go to
 * its (only) Input or from its (only) Output. Errors name the graph path ("file: ..."). */
int nir_flatten(const nir_graph *g, nir_graph *out, lsnn_error *e);

/* A linear path's effect at a sink: sink += m x(t - delay_steps) + c, with m [rows x cols]
 * (rows: the sink's width, cols: the source's) and c [rows] constant (Affine biases). */
typedef struct {
    int sink;  /* node index in the flat graph */
    int delay; /* steps */
    int rows, cols;
    double *m; /* row-major */
    double *c; /* rows entries */
} nir_path;

typedef struct {
    int n, cap;
    nir_path *p;
} nir_paths;

void nir_paths_free(nir_paths *ps);

/* 1 for the node kinds that end a path (neurons, readouts, Output), 0 for the linear ones. */
int nir_is_sink(nir_kind k);

/* Follows every path from node src (width cols) through linear nodes (Linear, Affine, Scale,
 * Delay, Identity) to the sinks, composing weights and delays (Delay / dt_ms, an integer number
 * of steps); paths to one sink with one delay are summed. A cycle of linear nodes is refused,
 * and so are shapes that do not fit. widths[i] is node i's width where known (sinks). */
int nir_follow(const nir_graph *g, int src, int cols, const int *widths, double dt_ms,
               double unit_ms, nir_paths *out, lsnn_error *e);

/* The decay of one step for a time constant (ms) under a discretisation: exp(-dt/tau) or
 * 1 - dt/tau; and back: the tau_ms (of this project's exp(-dt/tau) model) giving that decay. */
double nir_decay(lsnn_nir_discretisation d, double dt_ms, double tau_ms);
double nir_tau_of_decay(double dt_ms, double decay);

/* A warning for the caller's warn(ctx, message), formatted; nothing where warn is NULL. */
void nir_warnf(lsnn_nir_warn_fn warn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
