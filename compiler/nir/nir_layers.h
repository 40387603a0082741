/* nir_layers.h - the spiking layers of a flat NIR graph in order: Input -> layer 1 -> layer 2
 * -> ... -> layer K -> (an LI readout, or the Output itself), each layer possibly recurrent.
 * Layer k + 1 becomes a block of the one recurrent layer here, fed by layer k's spikes of the
 * previous step, so it runs one step later than in the graph (docs/nir.md, "Layers"). */
#ifndef LSNN_NIR_LAYERS_H
#define LSNN_NIR_LAYERS_H

#include "nir_lower.h"
#include "spec.h"

#define NIR_MAX_LAYERS LSNN_MAX_POPS /* each layer is at least one population */

typedef struct {
    int node;      /* flat-graph index of the neuron node */
    int n;         /* its neurons */
    int off;       /* its first neuron's index in the graph's order of all layers' neurons */
    nir_paths out; /* its paths: to itself, to the next layer, to the readout or the Output */
} nir_layer;

typedef struct {
    int n_layers, n_rec;
    nir_layer l[NIR_MAX_LAYERS];
    nir_paths from_in; /* the Input's paths (all into layer 1) */
} nir_chain;

/* Finds the chain from Input node `in` (width n_in): widths[i] is node i's width where known
 * (every neuron node's, the LI's and the Output's). ro is the LI readout node or -1 (then the
 * last layer feeds the Output `out`, possibly through a Linear). Refuses, naming the nodes,
 * inputs into a later layer, skip connections, branches, feedback from a later layer to an
 * earlier one, spiking nodes off the chain, and a readout fed by any layer but the last. */
int nir_chain_find(const nir_graph *g, int in, int n_in, int ro, int out, const int *widths,
                   double dt_ms, double unit_ms, nir_chain *c, lsnn_error *e);

void nir_chain_free(nir_chain *c);

/* The layer of flat-graph node `node`, or -1. */
int nir_chain_layer_of(const nir_chain *c, int node);

#endif
