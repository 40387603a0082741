/* nir_graph.h - a NIR graph in memory: nodes with their parameter arrays, edges, subgraphs and
 * the few metadata strings this project reads. The HDF5 reader and writer (nir_hdf5_*.c) turn
 * it into files and back; nir_lower.c and nir_raise.c turn it into an lsnn network and back. */
#ifndef LSNN_NIR_GRAPH_H
#define LSNN_NIR_GRAPH_H

#include "error.h"

#define NIR_MAX_PARAMS 16
#define NIR_MAX_DIMS   4
#define NIR_MAX_META   8
#define NIR_MAX_DEPTH  8          /* subgraph nesting */
#define NIR_MAX_NODES  4096       /* per graph */
#define NIR_MAX_EDGES  16384      /* per graph */
#define NIR_MAX_ELEMS  (1L << 24) /* elements of one parameter array (4096 x 4096) */
#define NIR_NAME_MAX   256

/* The node types of NIR 1.0 and the extension types of docs/nir.md. */
typedef enum {
    NIR_INPUT,
    NIR_OUTPUT,
    NIR_AFFINE,
    NIR_LINEAR,
    NIR_SCALE,
    NIR_DELAY,
    NIR_LIF,
    NIR_CUBALIF,
    NIR_LI,
    NIR_CUBALI,
    NIR_INTEGRATOR, /* "I" */
    NIR_IF,
    NIR_THRESHOLD,
    NIR_GRAPH,       /* "NIRGraph": a subgraph */
    NIR_ALIF,        /* extension "lsnn.ALIF": LIF + adaptation + refractory period */
    NIR_CUBAALIF,    /* extension "lsnn.CubaALIF": CubaLIF + adaptation + refractory period */
    NIR_OTHER_KNOWN, /* a NIR 1.0 type this project has no use for (Conv1d, Flatten, ...) */
    NIR_IDENTITY     /* internal: a flattened subgraph's Input or Output (passes its signal) */
} nir_kind;

/* A numeric dataset (converted to double on read): shape dims[0..ndim-1], n elements. A
 * scalar has ndim 0 and n 1. */
typedef struct {
    char name[32];
    int ndim;
    long dims[NIR_MAX_DIMS];
    long n;
    double *v;
} nir_param;

typedef struct nir_graph nir_graph;

typedef struct {
    char *name; /* malloc'ed; after flattening the path, "sub.node" */
    char type[64];
    nir_kind kind;
    int n_params;
    nir_param params[NIR_MAX_PARAMS];
    nir_graph *sub; /* NIR_GRAPH only */
} nir_node;

typedef struct {
    char *from, *to; /* malloc'ed node names */
} nir_edge;

typedef struct {
    char key[32];
    char *text; /* malloc'ed: a string value, or a number printed with %.17g */
} nir_meta;

struct nir_graph {
    int n_nodes, cap_nodes;
    nir_node *nodes;
    int n_edges, cap_edges;
    nir_edge *edges;
    int n_meta;
    nir_meta meta[NIR_MAX_META];
};

/* The type string of a kind, and the kind of a type string (-1: not a NIR 1.0 type). */
const char *nir_kind_type(nir_kind k);
int nir_kind_of(const char *type);

void nir_graph_free(nir_graph *g);

/* Appends a node (name copied) / an edge / a metadata string. Return the node, 0, or NULL/-1
 * with e on OOM or a full table. */
nir_node *nir_add_node(nir_graph *g, const char *name, nir_kind kind, lsnn_error *e);
int nir_add_edge(nir_graph *g, const char *from, const char *to, lsnn_error *e);
int nir_add_meta(nir_graph *g, const char *key, const char *text, lsnn_error *e);

/* Adds a parameter array to a node, copying n values (shape dims[0..ndim-1]). */
nir_param *nir_add_param(nir_node *n, const char *name, int ndim, const long *dims, const double *v,
                         lsnn_error *e);

/* A node's parameter by name, or NULL; a graph's node index by name, or -1; metadata text by
 * key, or NULL. */
const nir_param *nir_param_of(const nir_node *n, const char *name);
int nir_node_index(const nir_graph *g, const char *name);
const char *nir_meta_of(const nir_graph *g, const char *key);

#endif
