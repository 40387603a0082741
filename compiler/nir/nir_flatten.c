/* nir_flatten.c - subgraphs (NIRGraph nodes) inlined into one flat graph, so that the import
 * sees one set of nodes and edges. */
#include <stdio.h>
#include <string.h>

#include "nir_lower.h"

static void join(char *out, size_t n, const char *prefix, const char *name)
{
    if (prefix[0])
        snprintf(out, n, "%s.%s", prefix, name);
    else
        snprintf(out, n, "%s", name);
}

/* The one node of kind k (Input or Output) of a subgraph, or -1 (none or several: *count). */
static int only_of_kind(const nir_graph *g, nir_kind k, int *count)
{
    int at = -1;
    *count = 0;
    for (int i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].kind == k) at = i, (*count)++;
    return *count == 1 ? at : -1;
}

/* The flat name of an edge end `name` in graph g (flat prefix `prefix`): a plain node, a
 * subgraph (its only Input when is_target, its only Output otherwise), or "SUB.NODE". */
static int resolve(const nir_graph *g, const char *prefix, const char *name, int is_target,
                   char *out, size_t n, int depth, lsnn_error *e)
{
    char full[2 * NIR_NAME_MAX];
    int i = nir_node_index(g, name);
    if (i >= 0 && g->nodes[i].kind != NIR_GRAPH) {
        join(out, n, prefix, name);
        return 0;
    }
    if (i >= 0) { /* a subgraph: through its only Input / Output */
        int count, k = only_of_kind(g->nodes[i].sub, is_target ? NIR_INPUT : NIR_OUTPUT, &count);
        join(full, sizeof full, prefix, name);
        if (k < 0)
            return lsnn_fail(e, "edge %s subgraph '%s': it has %d %s nodes, name one ('%s.NAME')",
                             is_target ? "into" : "out of", full, count,
                             is_target ? "Input" : "Output", full);
        join(out, n, full, g->nodes[i].sub->nodes[k].name);
        return 0;
    }
    /* "SUB.REST": the longest prefix that names a subgraph */
    if (depth < NIR_MAX_DEPTH)
        for (const char *dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.')) {
            char head[NIR_NAME_MAX];
            size_t hl = (size_t)(dot - name);
            if (hl >= sizeof head) break;
            memcpy(head, name, hl);
            head[hl] = 0;
            int s = nir_node_index(g, head);
            if (s < 0 || g->nodes[s].kind != NIR_GRAPH) continue;
            join(full, sizeof full, prefix, head);
            return resolve(g->nodes[s].sub, full, dot + 1, is_target, out, n, depth + 1, e);
        }
    join(full, sizeof full, prefix, name);
    return lsnn_fail(e, "edge %s '%s': there is no node of that name", is_target ? "to" : "from",
                     full);
}

static int flatten_into(const nir_graph *g, const char *prefix, nir_graph *out, int depth,
                        lsnn_error *e)
{
    char full[2 * NIR_NAME_MAX], a[2 * NIR_NAME_MAX], b[2 * NIR_NAME_MAX];
    for (int i = 0; i < g->n_nodes; i++) {
        const nir_node *n = &g->nodes[i];
        join(full, sizeof full, prefix, n->name);
        if (strlen(full) >= NIR_NAME_MAX)
            return lsnn_fail(e, "node '%.60s...': name longer than %d characters", full,
                             NIR_NAME_MAX - 1);
        if (n->kind == NIR_GRAPH) {
            if (depth >= NIR_MAX_DEPTH)
                return lsnn_fail(e, "node '%s': subgraphs nested deeper than %d", full,
                                 NIR_MAX_DEPTH);
            if (flatten_into(n->sub, full, out, depth + 1, e)) return -1;
            continue;
        }
        if (nir_node_index(out, full) >= 0)
            return lsnn_fail(e, "node '%s': two nodes of this name once subgraphs are inlined",
                             full);
        int inner = prefix[0] && (n->kind == NIR_INPUT || n->kind == NIR_OUTPUT);
        nir_node *c = nir_add_node(out, full, inner ? NIR_IDENTITY : n->kind, e);
        if (!c) return -1;
        snprintf(c->type, sizeof c->type, "%s", n->type);
        for (int k = 0; k < n->n_params; k++) {
            const nir_param *p = &n->params[k];
            if (!nir_add_param(c, p->name, p->ndim, p->dims, p->v, e)) return -1;
        }
    }
    for (int i = 0; i < g->n_edges; i++) {
        if (resolve(g, prefix, g->edges[i].from, 0, a, sizeof a, depth, e) ||
            resolve(g, prefix, g->edges[i].to, 1, b, sizeof b, depth, e) ||
            nir_add_edge(out, a, b, e))
            return -1;
    }
    return 0;
}

int nir_flatten(const nir_graph *g, nir_graph *out, lsnn_error *e)
{
    if (flatten_into(g, "", out, 0, e)) {
        nir_graph_free(out);
        return -1;
    }
    for (int i = 0; i < g->n_meta; i++)
        if (nir_add_meta(out, g->meta[i].key, g->meta[i].text, e)) {
            nir_graph_free(out);
            return -1;
        }
    return 0;
}
