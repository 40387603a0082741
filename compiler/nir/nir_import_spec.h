/* nir_import_spec.h - the model spec of an imported network: the network section from the
 * graph, the rest (name, seed, task, training) from --task-from, from the spec an lsnn export
 * left in the graph's metadata, or a store-recall task that fits the network's sizes. */
#ifndef LSNN_NIR_IMPORT_SPEC_H
#define LSNN_NIR_IMPORT_SPEC_H

#include "nir.h"
#include "nir_graph.h"

/* What the graph decides of the spec. */
typedef struct {
    int n_in, n_out, n_pops, n_delay, bias, autapses;
    char out_layer[256]; /* the output layer's name when a readout was added for it, else "" */
    double dt_ms, tau_out_ms;
    lsnn_pop_spec pops[LSNN_MAX_POPS]; /* no names yet */
} nir_import_shape;

/* Builds spec (checked by the spec parser) around the imported network's shape. */
int nir_import_spec(const char *path, const nir_graph *g, const lsnn_nir_import_options *o,
                    const nir_import_shape *sh, lsnn_spec *spec, lsnn_error *e);

#endif
