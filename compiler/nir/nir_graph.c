/* nir_graph.c - the in-memory NIR graph: node and edge tables, parameters, metadata. */
#include "nir_graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    nir_kind kind;
    const char *type;
} types[] = {
    {NIR_INPUT, "Input"},
    {NIR_OUTPUT, "Output"},
    {NIR_AFFINE, "Affine"},
    {NIR_LINEAR, "Linear"},
    {NIR_SCALE, "Scale"},
    {NIR_DELAY, "Delay"},
    {NIR_LIF, "LIF"},
    {NIR_CUBALIF, "CubaLIF"},
    {NIR_LI, "LI"},
    {NIR_CUBALI, "CubaLI"},
    {NIR_INTEGRATOR, "I"},
    {NIR_IF, "IF"},
    {NIR_THRESHOLD, "Threshold"},
    {NIR_GRAPH, "NIRGraph"},
    {NIR_ALIF, "lsnn.ALIF"},
    {NIR_CUBAALIF, "lsnn.CubaALIF"},
    /* NIR 1.0 types without a counterpart here: read, then refused by name */
    {NIR_OTHER_KNOWN, "Conv1d"},
    {NIR_OTHER_KNOWN, "Conv2d"},
    {NIR_OTHER_KNOWN, "Flatten"},
    {NIR_OTHER_KNOWN, "SumPool2d"},
    {NIR_OTHER_KNOWN, "AvgPool2d"},
};

const char *nir_kind_type(nir_kind k)
{
    if (k == NIR_IDENTITY) return "Identity";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].kind == k) return types[i].type;
    return "?";
}

int nir_kind_of(const char *type)
{
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(types[i].type, type)) return (int)types[i].kind;
    return -1;
}

static void node_free(nir_node *n)
{
    free(n->name);
    for (int i = 0; i < n->n_params; i++)
        free(n->params[i].v);
    if (n->sub) {
        nir_graph_free(n->sub);
        free(n->sub);
    }
}

void nir_graph_free(nir_graph *g)
{
    for (int i = 0; i < g->n_nodes; i++)
        node_free(&g->nodes[i]);
    for (int i = 0; i < g->n_edges; i++) {
        free(g->edges[i].from);
        free(g->edges[i].to);
    }
    for (int i = 0; i < g->n_meta; i++)
        free(g->meta[i].text);
    free(g->nodes);
    free(g->edges);
    memset(g, 0, sizeof *g);
}

nir_node *nir_add_node(nir_graph *g, const char *name, nir_kind kind, lsnn_error *e)
{
    if (g->n_nodes >= NIR_MAX_NODES)
        return lsnn_fail(e, "more than %d nodes in one graph", NIR_MAX_NODES), NULL;
    if (g->n_nodes == g->cap_nodes) {
        int cap = g->cap_nodes ? 2 * g->cap_nodes : 8;
        nir_node *p = realloc(g->nodes, (size_t)cap * sizeof *p);
        if (!p) return lsnn_fail(e, "out of memory"), NULL;
        g->nodes = p;
        g->cap_nodes = cap;
    }
    nir_node *n = &g->nodes[g->n_nodes];
    memset(n, 0, sizeof *n);
    n->name = strdup(name);
    if (!n->name) return lsnn_fail(e, "out of memory"), NULL;
    n->kind = kind;
    snprintf(n->type, sizeof n->type, "%s", nir_kind_type(kind));
    g->n_nodes++;
    return n;
}

int nir_add_edge(nir_graph *g, const char *from, const char *to, lsnn_error *e)
{
    if (g->n_edges >= NIR_MAX_EDGES)
        return lsnn_fail(e, "more than %d edges in one graph", NIR_MAX_EDGES);
    if (g->n_edges == g->cap_edges) {
        int cap = g->cap_edges ? 2 * g->cap_edges : 8;
        nir_edge *p = realloc(g->edges, (size_t)cap * sizeof *p);
        if (!p) return lsnn_fail(e, "out of memory");
        g->edges = p;
        g->cap_edges = cap;
    }
    nir_edge *ed = &g->edges[g->n_edges];
    ed->from = strdup(from);
    ed->to = strdup(to);
    if (!ed->from || !ed->to) {
        free(ed->from);
        free(ed->to);
        return lsnn_fail(e, "out of memory");
    }
    g->n_edges++;
    return 0;
}

int nir_add_meta(nir_graph *g, const char *key, const char *text, lsnn_error *e)
{
    if (g->n_meta >= NIR_MAX_META) return 0; /* only the first few keys are of interest */
    nir_meta *m = &g->meta[g->n_meta];
    snprintf(m->key, sizeof m->key, "%s", key);
    m->text = strdup(text);
    if (!m->text) return lsnn_fail(e, "out of memory");
    g->n_meta++;
    return 0;
}

nir_param *nir_add_param(nir_node *n, const char *name, int ndim, const long *dims, const double *v,
                         lsnn_error *e)
{
    if (n->n_params >= NIR_MAX_PARAMS)
        return lsnn_fail(e, "node '%s': more than %d datasets", n->name, NIR_MAX_PARAMS), NULL;
    if (ndim < 0 || ndim > NIR_MAX_DIMS)
        return lsnn_fail(e, "node '%s': %s has %d dimensions (at most %d)", n->name, name, ndim,
                         NIR_MAX_DIMS),
               NULL;
    long count = 1;
    for (int i = 0; i < ndim; i++) {
        if (dims[i] < 0 || (dims[i] > 0 && count > NIR_MAX_ELEMS / dims[i]))
            return lsnn_fail(e, "node '%s': %s is larger than %ld elements", n->name, name,
                             NIR_MAX_ELEMS),
                   NULL;
        count *= dims[i];
    }
    nir_param *p = &n->params[n->n_params];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->ndim = ndim;
    for (int i = 0; i < ndim; i++)
        p->dims[i] = dims[i];
    p->n = count;
    p->v = malloc((size_t)(count ? count : 1) * sizeof *p->v);
    if (!p->v) return lsnn_fail(e, "out of memory"), NULL;
    if (v) memcpy(p->v, v, (size_t)count * sizeof *p->v);
    n->n_params++;
    return p;
}

const nir_param *nir_param_of(const nir_node *n, const char *name)
{
    for (int i = 0; i < n->n_params; i++)
        if (!strcmp(n->params[i].name, name)) return &n->params[i];
    return NULL;
}

int nir_node_index(const nir_graph *g, const char *name)
{
    for (int i = 0; i < g->n_nodes; i++)
        if (!strcmp(g->nodes[i].name, name)) return i;
    return -1;
}

const char *nir_meta_of(const nir_graph *g, const char *key)
{
    for (int i = 0; i < g->n_meta; i++)
        if (!strcmp(g->meta[i].key, key)) return g->meta[i].text;
    return NULL;
}
