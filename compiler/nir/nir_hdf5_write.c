/* nir_hdf5_write.c - the in-memory graph as a NIR file: built in an in-memory HDF5 file (the
 * core driver), whose image is then written atomically, so a killed export leaves no torn
 * file. Strings are variable-length UTF-8 and numbers float64 (Input/Output shapes int64), as
 * the NIR reference implementation writes them. */
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "nir_hdf5.h"

static hid_t utf8_string(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* A dataset of n strings, shape dims (ndim 0: a scalar). */
static int put_strings(hid_t loc, const char *name, int ndim, const hsize_t *dims, const char **v)
{
    hid_t t = utf8_string();
    hid_t s = ndim ? H5Screate_simple(ndim, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t d = H5Dcreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ? -1 : 0;
    if (d >= 0) H5Dclose(d);
    H5Sclose(s);
    H5Tclose(t);
    return rc;
}

static int put_numbers(hid_t loc, const nir_param *p, int as_int)
{
    hsize_t dims[NIR_MAX_DIMS];
    for (int i = 0; i < p->ndim; i++)
        dims[i] = (hsize_t)p->dims[i];
    hid_t s = p->ndim ? H5Screate_simple(p->ndim, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t ft = as_int ? H5T_STD_I64LE : H5T_IEEE_F64LE;
    hid_t d = H5Dcreate2(loc, p->name, ft, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d < 0 ? -1 : 0;
    if (!rc && p->n) {
        if (as_int) {
            long long *b = malloc((size_t)p->n * sizeof *b);
            if (!b) rc = -1;
            for (long i = 0; !rc && i < p->n; i++)
                b[i] = (long long)p->v[i];
            if (!rc && H5Dwrite(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, b) < 0) rc = -1;
            free(b);
        } else if (H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, p->v) < 0) {
            rc = -1;
        }
    }
    if (d >= 0) H5Dclose(d);
    H5Sclose(s);
    return rc;
}

static int put_graph(hid_t g, const nir_graph *graph);

static int put_node(hid_t parent, const nir_node *n)
{
    hid_t g = H5Gcreate2(parent, n->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) return -1;
    const char *type = n->type;
    int rc = put_strings(g, "type", 0, NULL, &type);
    if (!rc && n->kind == NIR_GRAPH) rc = put_graph(g, n->sub);
    int shape = n->kind == NIR_INPUT || n->kind == NIR_OUTPUT;
    for (int i = 0; !rc && i < n->n_params; i++)
        rc = put_numbers(g, &n->params[i], shape);
    H5Gclose(g);
    return rc;
}

static int put_graph(hid_t g, const nir_graph *graph)
{
    hid_t ng = H5Gcreate2(g, "nodes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (ng < 0) return -1;
    int rc = 0;
    for (int i = 0; !rc && i < graph->n_nodes; i++)
        rc = put_node(ng, &graph->nodes[i]);
    H5Gclose(ng);
    if (rc) return -1;
    const char **ends = malloc((size_t)(2 * graph->n_edges + 1) * sizeof *ends);
    if (!ends) return -1;
    for (int i = 0; i < graph->n_edges; i++) {
        ends[2 * i] = graph->edges[i].from;
        ends[2 * i + 1] = graph->edges[i].to;
    }
    hsize_t dims[2] = {(hsize_t)graph->n_edges, 2};
    rc = put_strings(g, "edges", 2, dims, ends);
    free(ends);
    if (rc || !graph->n_meta) return rc;
    hid_t mg = H5Gcreate2(g, "metadata", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (mg < 0) return -1;
    for (int i = 0; !rc && i < graph->n_meta; i++) {
        const char *text = graph->meta[i].text;
        rc = put_strings(mg, graph->meta[i].key, 0, NULL, &text);
    }
    H5Gclose(mg);
    return rc;
}

int nir_hdf5_write(const char *path, const nir_graph *g, lsnn_error *e)
{
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rc = -1;
    void *image = NULL;
    ssize_t size = 0;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS), f = -1, ng = -1;
    /* the core driver without a backing store: the file lives in memory until written */
    if (fapl < 0 || H5Pset_fapl_core(fapl, 1 << 16, 0) < 0) goto done;
    f = H5Fcreate(NIR_MEMORY_NAME, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    if (f < 0) goto done;
    const char *version = NIR_FILE_VERSION;
    if (put_strings(f, "version", 0, NULL, &version)) goto done;
    ng = H5Gcreate2(f, "node", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (ng < 0) goto done;
    const char *type = "NIRGraph";
    if (put_strings(ng, "type", 0, NULL, &type) || put_graph(ng, g)) goto done;
    H5Gclose(ng);
    ng = -1;
    if (H5Fflush(f, H5F_SCOPE_GLOBAL) < 0) goto done;
    size = H5Fget_file_image(f, NULL, 0);
    if (size <= 0) goto done;
    image = malloc((size_t)size);
    if (!image || H5Fget_file_image(f, image, (size_t)size) != size) goto done;
    rc = 0;
done:
    if (ng >= 0) H5Gclose(ng);
    if (f >= 0) H5Fclose(f);
    if (fapl >= 0) H5Pclose(fapl);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    if (rc) {
        free(image);
        return lsnn_fail(e, "%s: HDF5 could not build the NIR file in memory", path);
    }
    /* the image is complete before the file is touched */
    rc = lsnn_write_file_atomic(path, image, (size_t)size, e);
    free(image);
    return rc;
}
