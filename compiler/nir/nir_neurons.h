/* nir_neurons.h - one NIR neuron node (LIF, CubaLIF, lsnn.ALIF, lsnn.CubaALIF) read as this
 * project's neurons, one record per neuron (docs/nir.md, "Neurons"). */
#ifndef LSNN_NIR_NEURONS_H
#define LSNN_NIR_NEURONS_H

#include "nir_lower.h"

typedef struct {
    lsnn_nir_discretisation disc;
    double dt_ms, unit_ms;
} nir_neuron_opts;

/* One neuron in this project's terms; gain multiplies every weight into it (r, and for CUBA
 * (1 - alpha_syn) w_in). */
typedef struct {
    int alif;
    double tau_m_ms, b0, tau_a_ms, beta, tau_syn_ms; /* tau_syn_ms 0: no current */
    int refractory;
    double gain;
} nir_neuron;

/* 1 for the node kinds that are spiking neurons here. */
int nir_neuron_kind(nir_kind k);

/* Reads node n's n_neurons neurons into out, refusing what they cannot express. */
int nir_neurons_read(const nir_node *n, const nir_neuron_opts *o, nir_neuron *out, int n_neurons,
                     lsnn_error *e);

/* 1 if a and b belong in one population (every parameter equal). */
int nir_neuron_same(const nir_neuron *a, const nir_neuron *b);

#endif
