/* nir_hdf5_read.c - a NIR file (HDF5) into the in-memory graph, checking every read: a
 * truncated, corrupt or hostile file gives a message naming the node and dataset. */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "nir_hdf5.h"

#define MAX_STRING (1 << 20) /* longest string dataset read (metadata holds a model spec) */

/* The HDF5 objects open in one read, closed together whatever the path out. */
typedef struct {
    const char *path;
    lsnn_error *e;
} rd;

static int fail_at(rd *r, const char *node, const char *what)
{
    return lsnn_fail(r->e, "%s: node '%s': %s", r->path, node, what);
}

/* Copies a member name list of a group (sorted by name, HDF5's name index). */
typedef struct {
    char **names;
    int n, cap;
    int too_many;
} name_list;

static herr_t collect_name(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
    (void)g;
    (void)info;
    name_list *l = data;
    if (l->n >= NIR_MAX_NODES + 64) {
        l->too_many = 1;
        return 1;
    }
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **p = realloc(l->names, (size_t)cap * sizeof *p);
        if (!p) return -1;
        l->names = p;
        l->cap = cap;
    }
    l->names[l->n] = strdup(name);
    if (!l->names[l->n]) return -1;
    l->n++;
    return 0;
}

static void names_free(name_list *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
    memset(l, 0, sizeof *l);
}

static int list_members(rd *r, hid_t g, const char *node, name_list *l)
{
    memset(l, 0, sizeof *l);
    hsize_t idx = 0;
    if (H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, l) < 0) {
        names_free(l);
        return fail_at(r, node, "its members cannot be listed (corrupt or truncated file)");
    }
    if (l->too_many) {
        names_free(l);
        return fail_at(r, node, "more members than a graph may have");
    }
    return 0;
}

/* 1 if loc/name is a group, 0 a dataset, -1 anything else or unreadable. */
static int member_kind(hid_t loc, const char *name)
{
    hid_t o = H5Oopen(loc, name, H5P_DEFAULT);
    if (o < 0) return -1;
    H5I_type_t t = H5Iget_type(o);
    H5Oclose(o);
    return t == H5I_GROUP ? 1 : t == H5I_DATASET ? 0 : -1;
}

/* Reads the strings of a string dataset (any shape, fixed or variable length) into a malloc'ed
 * array of n malloc'ed strings. */
static int read_strings(rd *r, hid_t loc, const char *node, const char *name, char ***out,
                        long *count, int ndim_want, long *dims_out)
{
    char msg[512];
    *out = NULL;
    *count = 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) {
        snprintf(msg, sizeof msg, "dataset '%s' cannot be opened (corrupt or truncated file)",
                 name);
        return fail_at(r, node, msg);
    }
    hid_t t = H5Dget_type(d), s = H5Dget_space(d), m = -1;
    int rc = -1;
    char **v = NULL;
    hssize_t n = s < 0 ? -1 : H5Sget_simple_extent_npoints(s);
    int ndim = s < 0 ? -1 : H5Sget_simple_extent_ndims(s);
    hsize_t dims[NIR_MAX_DIMS] = {0};
    if (t < 0 || n < 0 || ndim < 0 || ndim > NIR_MAX_DIMS) {
        snprintf(msg, sizeof msg, "dataset '%s' cannot be read (corrupt or truncated file)", name);
        fail_at(r, node, msg);
        goto done;
    }
    H5Sget_simple_extent_dims(s, dims, NULL);
    if (H5Tget_class(t) != H5T_STRING) {
        if (n == 0 && ndim_want >= 0) { /* an empty list written as an empty number array */
            rc = 0;
            goto done;
        }
        snprintf(msg, sizeof msg, "dataset '%s' must hold strings", name);
        fail_at(r, node, msg);
        goto done;
    }
    if (ndim_want >= 0 && n > 0 && ndim != ndim_want) {
        snprintf(msg, sizeof msg, "dataset '%s' has %d dimensions, expected %d", name, ndim,
                 ndim_want);
        fail_at(r, node, msg);
        goto done;
    }
    if (n > NIR_MAX_EDGES * 2) {
        snprintf(msg, sizeof msg, "dataset '%s' holds %lld strings (at most %d)", name,
                 (long long)n, NIR_MAX_EDGES * 2);
        fail_at(r, node, msg);
        goto done;
    }
    v = calloc((size_t)(n ? n : 1), sizeof *v);
    if (!v) {
        lsnn_fail(r->e, "out of memory");
        goto done;
    }
    m = H5Tcopy(H5T_C_S1);
    H5Tset_cset(m, H5Tget_cset(t));
    if (H5Tis_variable_str(t) > 0) {
        H5Tset_size(m, H5T_VARIABLE);
        if (n && H5Dread(d, m, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            snprintf(msg, sizeof msg, "dataset '%s' cannot be read (corrupt or truncated file)",
                     name);
            fail_at(r, node, msg);
            goto done;
        }
        /* HDF5 allocated the strings with malloc; they are ours now */
    } else {
        size_t sz = H5Tget_size(t);
        if (sz == 0 || sz > MAX_STRING) {
            snprintf(msg, sizeof msg, "dataset '%s': strings of %zu bytes", name, sz);
            fail_at(r, node, msg);
            goto done;
        }
        H5Tset_size(m, sz + 1);
        H5Tset_strpad(m, H5T_STR_NULLTERM);
        char *buf = calloc((size_t)(n ? n : 1), sz + 1);
        if (!buf) {
            lsnn_fail(r->e, "out of memory");
            goto done;
        }
        if (n && H5Dread(d, m, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            snprintf(msg, sizeof msg, "dataset '%s' cannot be read (corrupt or truncated file)",
                     name);
            fail_at(r, node, msg);
            goto done;
        }
        for (hssize_t i = 0; i < n; i++) {
            v[i] = strndup(buf + (size_t)i * (sz + 1), sz);
            if (!v[i]) {
                free(buf);
                lsnn_fail(r->e, "out of memory");
                goto done;
            }
        }
        free(buf);
    }
    for (hssize_t i = 0; i < n; i++)
        if (!v[i] || strlen(v[i]) > MAX_STRING) {
            snprintf(msg, sizeof msg, "dataset '%s': string %lld is missing or too long", name,
                     (long long)i);
            fail_at(r, node, msg);
            goto done;
        }
    if (dims_out)
        for (int i = 0; i < ndim; i++)
            dims_out[i] = (long)dims[i];
    *out = v;
    *count = (long)n;
    v = NULL;
    rc = 0;
done:
    if (v) {
        for (hssize_t i = 0; i < n; i++)
            free(v[i]);
        free(v);
    }
    if (m >= 0) H5Tclose(m);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    H5Dclose(d);
    return rc;
}

static void strings_free(char **v, long n)
{
    for (long i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* One string from a scalar (or one-element) string dataset, malloc'ed. */
static int read_string(rd *r, hid_t loc, const char *node, const char *name, char **out)
{
    char **v;
    long n;
    *out = NULL;
    if (read_strings(r, loc, node, name, &v, &n, -1, NULL)) return -1;
    if (n != 1) {
        strings_free(v, n);
        char msg[256];
        snprintf(msg, sizeof msg, "dataset '%s' must hold one string, it holds %ld", name, n);
        return fail_at(r, node, msg);
    }
    *out = v[0];
    free(v);
    return 0;
}

/* A numeric dataset into a node parameter (as double). Datasets of other classes (booleans,
 * compound types) are skipped: no node type here has such a parameter. */
static int read_param(rd *r, hid_t loc, nir_node *nd, const char *name)
{
    char msg[512];
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) {
        snprintf(msg, sizeof msg, "dataset '%s' cannot be opened (corrupt or truncated file)",
                 name);
        return fail_at(r, nd->name, msg);
    }
    hid_t t = H5Dget_type(d), s = H5Dget_space(d);
    int rc = -1;
    H5T_class_t cls = t < 0 ? H5T_NO_CLASS : H5Tget_class(t);
    int ndim = s < 0 ? -1 : H5Sget_simple_extent_ndims(s);
    if (t < 0 || ndim < 0) {
        snprintf(msg, sizeof msg, "dataset '%s' cannot be read (corrupt or truncated file)", name);
        fail_at(r, nd->name, msg);
        goto done;
    }
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        rc = 0;
        goto done;
    }
    if (ndim > NIR_MAX_DIMS) {
        snprintf(msg, sizeof msg, "dataset '%s' has %d dimensions (at most %d)", name, ndim,
                 NIR_MAX_DIMS);
        fail_at(r, nd->name, msg);
        goto done;
    }
    hsize_t hd[NIR_MAX_DIMS] = {0};
    long dims[NIR_MAX_DIMS] = {0};
    H5Sget_simple_extent_dims(s, hd, NULL);
    for (int i = 0; i < ndim; i++) {
        if (hd[i] > (hsize_t)NIR_MAX_ELEMS) {
            snprintf(msg, sizeof msg, "dataset '%s' is larger than %ld elements", name,
                     NIR_MAX_ELEMS);
            fail_at(r, nd->name, msg);
            goto done;
        }
        dims[i] = (long)hd[i];
    }
    if (H5Sget_simple_extent_type(s) == H5S_NULL) ndim = 1, dims[0] = 0;
    nir_param *p = nir_add_param(nd, name, ndim, dims, NULL, r->e);
    if (!p) {
        lsnn_fail_prefix(r->e, "%s", r->path);
        goto done;
    }
    if (p->n && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, p->v) < 0) {
        snprintf(msg, sizeof msg, "dataset '%s' cannot be read (corrupt or truncated file)", name);
        fail_at(r, nd->name, msg);
        goto done;
    }
    rc = 0;
done:
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    H5Dclose(d);
    return rc;
}

/* The metadata group: string and scalar number datasets become text; others are skipped. */
static int read_meta(rd *r, hid_t g, const char *node, nir_graph *graph)
{
    name_list l;
    if (list_members(r, g, node, &l)) return -1;
    int rc = 0;
    for (int i = 0; i < l.n && !rc; i++) {
        if (member_kind(g, l.names[i]) != 0) continue;
        hid_t d = H5Dopen2(g, l.names[i], H5P_DEFAULT);
        if (d < 0) continue;
        hid_t t = H5Dget_type(d);
        H5T_class_t cls = t < 0 ? H5T_NO_CLASS : H5Tget_class(t);
        if (t >= 0) H5Tclose(t);
        H5Dclose(d);
        if (cls == H5T_STRING) {
            char *s;
            if (read_string(r, g, node, l.names[i], &s)) {
                rc = -1;
                break;
            }
            rc = nir_add_meta(graph, l.names[i], s, r->e);
            free(s);
        } else if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
            nir_node tmp = {.name = (char *)node};
            if (read_param(r, g, &tmp, l.names[i])) {
                rc = -1;
                break;
            }
            if (tmp.n_params == 1 && tmp.params[0].n == 1) {
                char num[64];
                snprintf(num, sizeof num, "%.17g", tmp.params[0].v[0]);
                rc = nir_add_meta(graph, l.names[i], num, r->e);
            }
            for (int k = 0; k < tmp.n_params; k++)
                free(tmp.params[k].v);
        }
    }
    names_free(&l);
    return rc;
}

static int read_graph(rd *r, hid_t g, const char *node, nir_graph *graph, int depth);

/* One node group: its type, then its parameters or (a NIRGraph) its nodes and edges. */
static int read_node(rd *r, hid_t g, const char *name, nir_graph *parent, int depth)
{
    char *type;
    if (read_string(r, g, name, "type", &type)) return -1;
    int kind = nir_kind_of(type);
    if (kind < 0) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "unknown node type '%.100s' (NIR %s types and lsnn.ALIF, "
                 "lsnn.CubaALIF are known)",
                 type, "1.0");
        free(type);
        return fail_at(r, name, msg);
    }
    free(type);
    nir_node *nd = nir_add_node(parent, name, (nir_kind)kind, r->e);
    if (!nd) return lsnn_fail_prefix(r->e, "%s", r->path);
    if (kind == NIR_GRAPH) {
        if (depth >= NIR_MAX_DEPTH)
            return fail_at(r, name, "subgraphs nested deeper than 8 levels");
        nd->sub = calloc(1, sizeof *nd->sub);
        if (!nd->sub) return lsnn_fail(r->e, "out of memory");
        /* nd may move when parent's table grows: only its sub is used from here */
        return read_graph(r, g, name, nd->sub, depth + 1);
    }
    name_list l;
    if (list_members(r, g, name, &l)) return -1;
    int rc = 0;
    for (int i = 0; i < l.n && !rc; i++) {
        if (!strcmp(l.names[i], "type")) continue;
        int k = member_kind(g, l.names[i]);
        if (k == 0)
            rc = read_param(r, g, &parent->nodes[parent->n_nodes - 1], l.names[i]);
        else if (k < 0) {
            char msg[256];
            snprintf(msg, sizeof msg, "member '%.100s' cannot be opened (corrupt file)",
                     l.names[i]);
            rc = fail_at(r, name, msg);
        }
    }
    names_free(&l);
    return rc;
}

static int read_graph(rd *r, hid_t g, const char *node, nir_graph *graph, int depth)
{
    if (member_kind(g, "nodes") != 1) return fail_at(r, node, "a NIRGraph without a group 'nodes'");
    if (member_kind(g, "edges") != 0)
        return fail_at(r, node, "a NIRGraph without a dataset 'edges'");
    hid_t ng = H5Gopen2(g, "nodes", H5P_DEFAULT);
    if (ng < 0) return fail_at(r, node, "group 'nodes' cannot be opened (corrupt file)");
    name_list l;
    int rc = list_members(r, ng, node, &l);
    for (int i = 0; i < l.n && !rc; i++) {
        if (member_kind(ng, l.names[i]) != 1) {
            char msg[256];
            snprintf(msg, sizeof msg, "member '%.100s' of 'nodes' is not a node group", l.names[i]);
            rc = fail_at(r, node, msg);
            break;
        }
        hid_t cg = H5Gopen2(ng, l.names[i], H5P_DEFAULT);
        if (cg < 0) {
            rc = fail_at(r, l.names[i], "cannot be opened (corrupt file)");
            break;
        }
        rc = read_node(r, cg, l.names[i], graph, depth);
        H5Gclose(cg);
    }
    names_free(&l);
    H5Gclose(ng);
    if (rc) return -1;

    char **v;
    long n, dims[NIR_MAX_DIMS] = {0};
    if (read_strings(r, g, node, "edges", &v, &n, 2, dims)) return -1;
    if (n > 0 && dims[1] != 2) {
        strings_free(v, n);
        return fail_at(r, node, "dataset 'edges' must be [n, 2] (source, target) pairs");
    }
    for (long i = 0; i + 1 < n && !rc; i += 2)
        rc = nir_add_edge(graph, v[i], v[i + 1], r->e);
    strings_free(v, n);
    if (rc) return lsnn_fail_prefix(r->e, "%s: node '%s'", r->path, node);
    if (member_kind(g, "metadata") == 1) {
        hid_t mg = H5Gopen2(g, "metadata", H5P_DEFAULT);
        if (mg >= 0) {
            rc = read_meta(r, mg, node, graph);
            H5Gclose(mg);
        }
    }
    return rc;
}

int nir_hdf5_read(const char *path, nir_graph *g, char *version, size_t version_len, lsnn_error *e)
{
    char *buf;
    size_t len;
    version[0] = 0;
    if (lsnn_read_file(path, &buf, &len, e)) return -1;
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (len < 8 || memcmp(buf, sig, 8)) {
        free(buf);
        return lsnn_fail(e, "%s: not a NIR file (no HDF5 signature at its start%s)", path,
                         len < 8 ? "; the file is shorter than 8 bytes" : "");
    }
    /* HDF5 prints its own error stack unless told not to; messages here name the place */
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    rd r = {path, e};
    int rc = -1;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1, ng = -1;
    if (fapl < 0 || H5Pset_fapl_core(fapl, 1 << 16, 0) < 0 ||
        H5Pset_file_image(fapl, buf, len) < 0) {
        lsnn_fail(e, "%s: HDF5 cannot take the file into memory", path);
        goto done;
    }
    f = H5Fopen(NIR_MEMORY_NAME, H5F_ACC_RDONLY, fapl);
    if (f < 0) {
        lsnn_fail(e, "%s: not a readable HDF5 file (truncated or corrupt, %zu bytes)", path, len);
        goto done;
    }
    if (member_kind(f, "version") == 0) {
        char *v;
        if (read_string(&r, f, "/", "version", &v)) goto done;
        snprintf(version, version_len, "%s", v);
        free(v);
    }
    if (member_kind(f, "node") != 1) {
        lsnn_fail(e, "%s: not a NIR file (no group 'node' at the top)", path);
        goto done;
    }
    ng = H5Gopen2(f, "node", H5P_DEFAULT);
    if (ng < 0) {
        lsnn_fail(e, "%s: group 'node' cannot be opened (corrupt file)", path);
        goto done;
    }
    char *type;
    if (read_string(&r, ng, "node", "type", &type)) goto done;
    int top = strcmp(type, "NIRGraph");
    free(type);
    if (top) {
        lsnn_fail(e, "%s: the top node is not a NIRGraph", path);
        goto done;
    }
    rc = read_graph(&r, ng, "node", g, 0);
done:
    if (ng >= 0) H5Gclose(ng);
    if (f >= 0) H5Fclose(f);
    if (fapl >= 0) H5Pclose(fapl);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    free(buf);
    return rc;
}
