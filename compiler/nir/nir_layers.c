/* nir_layers.c - orders a graph's spiking nodes into a feed-forward chain of layers and refuses,
 * by name, every other topology (docs/nir.md, "Layers"). */
#include <string.h>

#include "nir_layers.h"
#include "nir_neurons.h"

void nir_chain_free(nir_chain *c)
{
    nir_paths_free(&c->from_in);
    for (int k = 0; k < c->n_layers; k++)
        nir_paths_free(&c->l[k].out);
    memset(c, 0, sizeof *c);
}

int nir_chain_layer_of(const nir_chain *c, int node)
{
    for (int k = 0; k < c->n_layers; k++)
        if (c->l[k].node == node) return k;
    return -1;
}

static int add_layer(const nir_graph *g, nir_chain *c, int node, const int *widths, lsnn_error *e)
{
    if (c->n_layers == NIR_MAX_LAYERS)
        return lsnn_fail(e,
                         "node '%s' (%s) would be spiking layer %d; at most %d layers (each is "
                         "at least one of the %d populations)",
                         g->nodes[node].name, g->nodes[node].type, c->n_layers + 1, NIR_MAX_LAYERS,
                         LSNN_MAX_POPS);
    nir_layer *l = &c->l[c->n_layers++];
    l->node = node, l->n = widths[node], l->off = c->n_rec;
    c->n_rec += l->n;
    if (c->n_rec > LSNN_MAX_NEURONS)
        return lsnn_fail(e, "spiking layers up to '%s': %d neurons; at most %d are supported",
                         g->nodes[node].name, c->n_rec, LSNN_MAX_NEURONS);
    return 0;
}

/* Checks the paths out of layer k and returns its successor layer's node (-1: it is the last);
 * *reads_out: whether it feeds the readout or the Output. */
static int next_of(const nir_graph *g, const nir_chain *c, int k, int ro, int out, int *next,
                   int *reads_out, lsnn_error *e)
{
    const nir_layer *l = &c->l[k];
    const char *name = g->nodes[l->node].name;
    *next = -1, *reads_out = 0;
    for (int i = 0; i < l->out.n; i++) {
        int s = l->out.p[i].sink;
        const nir_node *sn = &g->nodes[s];
        if (s == l->node) continue; /* its own recurrence */
        if (s == ro || s == out) {
            if (ro >= 0 && s == out)
                return lsnn_fail(e,
                                 "node '%s' reaches the Output '%s' directly and the LI '%s' too; "
                                 "the Output is either the LI readout or the last layer's spikes",
                                 name, sn->name, g->nodes[ro].name);
            *reads_out = 1;
            continue;
        }
        if (!nir_neuron_kind(sn->kind))
            return lsnn_fail(e,
                             "node '%s' (%s) reaches '%s' (%s) directly; a spiking layer feeds "
                             "itself, the next layer and (the last one) the readout only",
                             name, g->nodes[l->node].type, sn->name, sn->type);
        int earlier = nir_chain_layer_of(c, s);
        if (earlier >= 0)
            return lsnn_fail(e,
                             "node '%s' (layer %d) feeds '%s' (layer %d) back: feedback from a "
                             "later layer to an earlier one is not supported (a layer here runs "
                             "one step after the one before it, docs/nir.md)",
                             name, k + 1, sn->name, earlier + 1);
        if (*next >= 0 && *next != s)
            return lsnn_fail(e,
                             "node '%s' feeds two spiking nodes, '%s' and '%s': the layers must "
                             "form a chain (no skip connections or branches)",
                             name, g->nodes[*next].name, sn->name);
        *next = s;
    }
    if (*next >= 0 && *reads_out)
        return lsnn_fail(e,
                         "node '%s' feeds the next layer '%s' and the output as well: only the "
                         "last spiking layer may feed the readout (no skip connections)",
                         name, g->nodes[*next].name);
    return 0;
}

int nir_chain_find(const nir_graph *g, int in, int n_in, int ro, int out, const int *widths,
                   double dt_ms, double unit_ms, nir_chain *c, lsnn_error *e)
{
    memset(c, 0, sizeof *c);
    if (nir_follow(g, in, n_in, widths, dt_ms, unit_ms, &c->from_in, e)) return -1;
    int first = -1;
    for (int i = 0; i < c->from_in.n; i++) {
        int s = c->from_in.p[i].sink;
        if (first < 0 && nir_neuron_kind(g->nodes[s].kind)) first = s;
    }
    if (first < 0)
        return lsnn_fail(e, "node '%s' (Input) reaches no spiking node (LIF, CubaLIF, lsnn.ALIF)",
                         g->nodes[in].name);
    for (int i = 0; i < c->from_in.n; i++) {
        int s = c->from_in.p[i].sink;
        if (s != first)
            return lsnn_fail(e,
                             "node '%s' (Input) reaches '%s' (%s) directly; inputs go to the "
                             "first spiking layer '%s' only (a later layer here runs one step "
                             "behind, so inputs into it would arrive a step late)",
                             g->nodes[in].name, g->nodes[s].name, g->nodes[s].type,
                             g->nodes[first].name);
    }
    for (int node = first; node >= 0;) {
        if (add_layer(g, c, node, widths, e)) return -1;
        nir_layer *l = &c->l[c->n_layers - 1];
        if (nir_follow(g, node, l->n, widths, dt_ms, unit_ms, &l->out, e)) return -1;
        int reads_out;
        if (next_of(g, c, c->n_layers - 1, ro, out, &node, &reads_out, e)) return -1;
        if (node < 0 && !reads_out)
            return lsnn_fail(e, "the last spiking layer '%s' reaches neither an LI nor the Output",
                             g->nodes[l->node].name);
    }
    for (int i = 0; i < g->n_nodes; i++)
        if (nir_neuron_kind(g->nodes[i].kind) && nir_chain_layer_of(c, i) < 0)
            return lsnn_fail(e,
                             "node '%s' (%s) is not on the chain Input -> layers -> output "
                             "(not fed by the Input or the layer before it)",
                             g->nodes[i].name, g->nodes[i].type);
    return 0;
}
