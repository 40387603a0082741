/* nir_import_spec.c - the spec around an imported network. NIR carries no task, so the task and
 * the training settings come from --task-from, else from the spec that lsnn export-nir keeps in
 * the graph's metadata (non-essential information, as NIR intends metadata), else a
 * store-recall task whose sizes fit. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nir_import_spec.h"

/* A model name from the graph file's name: its base name without extension, cut to the
 * characters a name may hold. */
static void name_from_path(const char *path, char *out, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t k = 0;
    for (; *b && *b != '.' && k + 1 < n && k < LSNN_NAME_MAX - 1; b++)
        out[k++] = isalnum((unsigned char)*b) || *b == '_' || *b == '-' ? *b : '_';
    out[k] = 0;
    if (!k) snprintf(out, n, "nir");
}

/* The default base: a store-recall task of values = readouts, inputs = (values + 2) * group. */
static int default_base(const char *path, const nir_import_shape *sh, lsnn_spec *base,
                        lsnn_error *e)
{
    int v = sh->n_out, grp = v >= 2 && v <= 16 && sh->n_in % (v + 2) == 0 ? sh->n_in / (v + 2) : 0;
    if (!grp || grp > 1000)
        return lsnn_fail(e,
                         "%s: no task fits a network of %d inputs and %d readouts by default "
                         "(store_recall needs 2..16 readouts and inputs = (readouts + 2) * "
                         "group_size); give --task-from SPEC.yaml with a task of these sizes",
                         path, sh->n_in, sh->n_out);
    char text[1024];
    snprintf(text, sizeof text,
             "version: 1\nname: nir\nnetwork:\n  inputs: %d\n  populations:\n"
             "    - {name: p, kind: lif, size: 1, tau_m_ms: 20, b0: 1}\n"
             "  readout: {size: %d}\n"
             "task: {kind: store_recall, values: %d, group_size: %d}\n"
             "training: {batch_size: 32, iterations: 100}\n",
             sh->n_in, v, v, grp);
    return lsnn_spec_parse("(default spec)", text, strlen(text), base, e);
}

/* Population names: the base's where its populations have the same kinds and sizes, else
 * "lif", "alif" (numbered when one kind has several). */
static void name_pops(const lsnn_spec *base, int keep, lsnn_spec *s)
{
    int same = keep && base->n_pops == s->n_pops;
    for (int q = 0; same && q < s->n_pops; q++)
        same = base->pops[q].size == s->pops[q].size && base->pops[q].kind == s->pops[q].kind;
    int count[2] = {0, 0}, seen[2] = {0, 0};
    for (int q = 0; q < s->n_pops; q++)
        count[s->pops[q].kind]++;
    for (int q = 0; q < s->n_pops; q++) {
        if (same) {
            memcpy(s->pops[q].name, base->pops[q].name, LSNN_NAME_MAX);
            continue;
        }
        int k = s->pops[q].kind;
        const char *stem = k == LSNN_NEURON_ALIF ? "alif" : "lif";
        if (count[k] > 1)
            snprintf(s->pops[q].name, LSNN_NAME_MAX, "%s%d", stem, seen[k]++);
        else
            snprintf(s->pops[q].name, LSNN_NAME_MAX, "%s", stem);
    }
}

int nir_import_spec(const char *path, const nir_graph *g, const lsnn_nir_import_options *o,
                    const nir_import_shape *sh, lsnn_spec *spec, lsnn_error *e)
{
    lsnn_spec base;
    int from_meta = 0;
    const char *meta = nir_meta_of(g, "lsnn_spec");
    if (o->task_from) {
        if (lsnn_spec_load(o->task_from, &base, e)) return lsnn_fail_prefix(e, "--task-from");
    } else if (meta && !lsnn_spec_parse("metadata lsnn_spec", meta, strlen(meta), &base, NULL) &&
               base.network == LSNN_NET_LSNN) {
        from_meta = 1;
    } else if (default_base(path, sh, &base, e)) {
        return -1;
    }
    lsnn_spec s = base;
    s.network = LSNN_NET_LSNN;
    s.hidden = 0;
    s.dt_ms = sh->dt_ms;
    s.spike_from = LSNN_SPIKE_FROM_NEW_V; /* a spike from this step's potential, as in NIR */
    s.n_in = sh->n_in;
    s.n_pops = sh->n_pops;
    for (int q = 0; q < sh->n_pops; q++)
        s.pops[q] = sh->pops[q];
    name_pops(&base, from_meta, &s);
    /* the delay slots: as many as the graph needs, or the exported model's if it had more */
    s.n_delay = sh->n_delay;
    if (from_meta && base.n_delay > s.n_delay) s.n_delay = base.n_delay;
    /* the weights are plain: DEEP R's rewiring state is training state, not in the graph */
    s.connectivity = LSNN_CONN_DENSE;
    s.n_out = sh->n_out;
    s.tau_out_ms = sh->tau_out_ms;
    s.readout_bias = sh->bias || (from_meta && base.readout_bias);
    s.autapses = sh->autapses;
    if (o->name)
        snprintf(s.name, sizeof s.name, "%s", o->name);
    else if (!from_meta)
        name_from_path(path, s.name, sizeof s.name);
    /* the parser has the last word: ranges, and whether the task fits the network */
    char *yaml = lsnn_spec_to_yaml(&s);
    if (!yaml) return lsnn_fail(e, "out of memory");
    int rc = lsnn_spec_parse("imported spec", yaml, strlen(yaml), spec, e);
    free(yaml);
    if (rc && sh->out_layer[0])
        return lsnn_fail_prefix(e,
                                "%s: the imported network (%d inputs; %d readouts, one per neuron "
                                "of the output layer '%s') does not fit %s",
                                path, sh->n_in, sh->n_out, sh->out_layer,
                                o->task_from ? o->task_from
                                : from_meta  ? "the spec in the graph's metadata"
                                             : "the default task");
    if (rc)
        return lsnn_fail_prefix(e, "%s: the imported network does not fit %s", path,
                                o->task_from ? o->task_from
                                : from_meta  ? "the spec in the graph's metadata"
                                             : "the default task");
    return 0;
}
