/* image_build.c - images in memory: allocation, from programmed cores, and the loader's
 * checks when an image becomes a reference core (neurocore.md §13). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"

/* ---- image objects -------------------------------------------------------------------------- */

void lsnn_image_free(lsnn_image *img)
{
    if (!img) return;
    for (int i = 0; img->cores && i < img->ncores; i++)
        for (int m = 0; m < LSNN_IMG_NMEM; m++)
            free(img->cores[i].mem[m]);
    free(img->cores);
    free(img->manifest_host);
    img->cores = NULL;
    img->manifest_host = NULL;
    img->ncores = 0;
}

/* Allocates img->cores[n] with zeroed memories for img->cfg. */
int img_alloc_cores(lsnn_image *img, int n, lsnn_error *e)
{
    img->ncores = n;
    img->cores = calloc((size_t)n, sizeof *img->cores);
    if (!img->cores) return lsnn_fail(e, "image: out of memory");
    for (int i = 0; i < n; i++)
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            size_t bytes =
                (size_t)lsnn_image_rows(&img->cfg, m) * lsnn_image_row_bytes(&img->cfg, m);
            img->cores[i].mem[m] = calloc(bytes, 1);
            if (!img->cores[i].mem[m]) return lsnn_fail(e, "image: out of memory");
        }
    return 0;
}

/* The per-core parameters (and name, mesh, clock) of two configs agree. */
int img_same_config(const lsnn_hw_config *a, const lsnn_hw_config *b)
{
    return a->version == b->version && a->neurocore == b->neurocore &&
           strcmp(a->name, b->name) == 0 && a->clock_mhz == b->clock_mhz &&
           a->mesh_x == b->mesh_x && a->mesh_y == b->mesh_y && a->noc_buffer == b->noc_buffer &&
           lsnn_hw_same_core(a, b);
}

/* Core ids of cores[0..n) are cells of the mesh (16 * y + x, §16.1) and distinct. */
int img_check_core_ids(const lsnn_hw_config *g, const uint32_t *ids, int n, lsnn_error *e)
{
    for (int i = 0; i < n; i++) {
        int x, y;
        if (!lsnn_hw_cell_of(g, ids[i], &x, &y))
            return lsnn_fail(e,
                             "core %d: core id %" PRIu32 " (x %d, y %d: id = 16*y + x) is not a "
                             "cell of the mesh [%d, %d]",
                             i, ids[i], x, y, g->mesh_x, g->mesh_y);
        for (int k = 0; k < i; k++)
            if (ids[k] == ids[i])
                return lsnn_fail(e, "core %d: core id %" PRIu32 " is also core %d's", i, ids[i], k);
    }
    return 0;
}

int lsnn_image_init(lsnn_image *img, const lsnn_hw_config *cfg, int n, lsnn_error *e)
{
    memset(img, 0, sizeof *img);
    if (lsnn_hw_check(cfg, e)) return lsnn_fail_prefix(e, "image");
    if (n < 1 || n > lsnn_hw_cores(cfg))
        return lsnn_fail(e, "image: %d cores, but the mesh has %d cells", n, lsnn_hw_cores(cfg));
    img->cfg = *cfg;
    if (img_alloc_cores(img, n, e)) {
        lsnn_image_free(img);
        return -1;
    }
    return 0;
}

/* Packs v into row r of memory m of core i after checking that every field fits its width
 * (the setters' ranges and cross-field rules are lsnn_image_check's). */
static int put_row(lsnn_image *img, int i, int m, uint32_t r, const row_val *v, lsnn_error *e)
{
    if (i < 0 || i >= img->ncores)
        return lsnn_fail(e, "image: core index %d out of range [0, %d)", i, img->ncores);
    layouts L = img_layouts_of(&img->cfg);
    if (r >= L.rows[m])
        return lsnn_fail(e, "image: core %d: %s[%" PRIu32 "] is past its %" PRIu32 " rows", i,
                         img_mem_names[m], r, L.rows[m]);
    const char *field;
    int64_t value;
    if (!img_row_fits(&L, m, v, &field, &value))
        return lsnn_fail(e,
                         "image: core %d: %s[%" PRIu32 "].%s = %" PRId64 " does not fit its width "
                         "under hw config '%s' (neurocore.md §7)",
                         i, img_mem_names[m], r, field, value, img->cfg.name);
    uint8_t *row = img->cores[i].mem[m] + (size_t)r * L.bytes[m];
    memset(row, 0, L.bytes[m]);
    img_pack_val(&L, m, v, row);
    return 0;
}

int lsnn_image_put_profile(lsnn_image *img, int i, uint32_t row, const lsnn_ref_profile *p,
                           lsnn_error *e)
{
    row_val v;
    memset(&v, 0, sizeof v);
    v.p = *p;
    return put_row(img, i, LSNN_IMG_PROFILE, row, &v, e);
}

int lsnn_image_put_ncfg(lsnn_image *img, int i, uint32_t n, uint32_t profile, lsnn_error *e)
{
    row_val v;
    memset(&v, 0, sizeof v);
    v.ncfg.profile = profile;
    return put_row(img, i, LSNN_IMG_NCFG, n, &v, e);
}

int lsnn_image_put_state(lsnn_image *img, int i, uint32_t n, const lsnn_ref_state *s, lsnn_error *e)
{
    row_val v;
    memset(&v, 0, sizeof v);
    v.s = *s;
    return put_row(img, i, LSNN_IMG_STATE, n, &v, e);
}

int lsnn_image_put_axt(lsnn_image *img, int i, uint32_t x, const lsnn_ref_axt *a, lsnn_error *e)
{
    row_val v;
    memset(&v, 0, sizeof v);
    v.a = *a;
    return put_row(img, i, LSNN_IMG_AXT, x, &v, e);
}

int lsnn_image_put_syn(lsnn_image *img, int i, uint32_t w, const lsnn_ref_lane *lanes,
                       lsnn_error *e)
{
    row_val v;
    memset(&v, 0, sizeof v);
    memcpy(v.lanes, lanes, (size_t)img->cfg.synapses_per_word * sizeof *lanes);
    return put_row(img, i, LSNN_IMG_SYN, w, &v, e);
}

int lsnn_image_put_rix(lsnn_image *img, int i, uint32_t n, const lsnn_ref_rix *x, lsnn_error *e)
{
    row_val v;
    memset(&v, 0, sizeof v);
    v.x = *x;
    return put_row(img, i, LSNN_IMG_RIX, n, &v, e);
}

int lsnn_image_put_rte(lsnn_image *img, int i, uint32_t r, const lsnn_ref_rte *t, lsnn_error *e)
{
    row_val v;
    memset(&v, 0, sizeof v);
    v.t = *t;
    return put_row(img, i, LSNN_IMG_RTE, r, &v, e);
}

int lsnn_image_check(const lsnn_image *img, lsnn_error *e)
{
    uint32_t ids[LSNN_HW_MAX_CORES];
    if (img->ncores < 1 || img->ncores > lsnn_hw_cores(&img->cfg))
        return lsnn_fail(e, "image: %d cores, but the mesh has %d cells", img->ncores,
                         lsnn_hw_cores(&img->cfg));
    for (int i = 0; i < img->ncores; i++)
        ids[i] = img->cores[i].core_id;
    if (img_check_core_ids(&img->cfg, ids, img->ncores, e)) return lsnn_fail_prefix(e, "image");
    for (int i = 0; i < img->ncores; i++) {
        lsnn_ref_core *c = lsnn_image_to_core(img, i, e);
        if (!c) return -1;
        lsnn_ref_free(c);
    }
    return 0;
}

int lsnn_image_from_cores(lsnn_ref_core *const *cores, int n, lsnn_image *img, lsnn_error *e)
{
    memset(img, 0, sizeof *img);
    if (n < 1) return lsnn_fail(e, "image: no cores");
    const lsnn_hw_config *g = &cores[0]->cfg;
    if (n > lsnn_hw_cores(g))
        return lsnn_fail(e, "image: %d cores, but the mesh has %d cells", n, lsnn_hw_cores(g));
    uint32_t ids[LSNN_HW_MAX_CORES];
    for (int i = 0; i < n; i++) {
        if (!img_same_config(g, &cores[i]->cfg))
            return lsnn_fail(e, "image: core %d has another hardware config than core 0", i);
        ids[i] = cores[i]->core_id;
    }
    if (img_check_core_ids(g, ids, n, e)) return lsnn_fail_prefix(e, "image");
    img->cfg = *g;
    if (img_alloc_cores(img, n, e)) {
        lsnn_image_free(img);
        return -1;
    }
    layouts d = img_layouts_of(g);
    for (int i = 0; i < n; i++) {
        lsnn_image_core *ic = &img->cores[i];
        ic->core_id = cores[i]->core_id;
        ic->nu = cores[i]->nu;
        ic->xu = cores[i]->xu;
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            uint32_t rows = lsnn_image_rows(g, m), rb = lsnn_image_row_bytes(g, m);
            for (uint32_t r = 0; r < rows; r++)
                img_pack_row(cores[i], &d, m, r, ic->mem[m] + (size_t)r * rb);
        }
    }
    return 0;
}

/* ---- to_core: the setters, then §13's cross-memory checks -------------------------------- */

const uint8_t *img_row_ptr(const lsnn_image *img, const layouts *L, int i, int m, uint32_t r)
{
    return img->cores[i].mem[m] + (size_t)r * L->bytes[m];
}

/* Neurons n < NU select a non-empty profile (an all-zero row is mode 0 with b0 = 0). */
static int check_ncfg(const lsnn_image *img, int i, const lsnn_ref_core *c, lsnn_error *e)
{
    layouts L = img_layouts_of(&img->cfg);
    for (uint32_t n = 0; n < c->nu; n++)
        if (img_row_is_zero(img_row_ptr(img, &L, i, LSNN_IMG_PROFILE, c->ncfg[n]),
                            L.bytes[LSNN_IMG_PROFILE]))
            return lsnn_fail(e,
                             "NCFG[%" PRIu32 "] = %" PRIu32 ": neuron %" PRIu32 " < NU = %" PRIu32
                             " uses PROFILE[%" PRIu32 "], which is empty (mode 0 needs b0 >= 1)",
                             n, c->ncfg[n], n, c->nu, c->ncfg[n]);
    return 0;
}

/* Every valid lane in a segment of an axon < XU targets a neuron < NU. */
static int check_syn(const lsnn_ref_core *c, lsnn_error *e)
{
    uint32_t S = (uint32_t)c->cfg.synapses_per_word;
    for (uint32_t a = 0; a < c->xu; a++)
        for (uint32_t w = c->axt[a].base; w < c->axt[a].base + c->axt[a].cnt; w++)
            for (uint32_t j = 0; j < S; j++) {
                const lsnn_ref_lane *l = &c->syn[(size_t)w * S + j];
                uint32_t n = l->tgt * S + j;
                if (l->valid && n >= c->nu)
                    return lsnn_fail(e,
                                     "SYN[%" PRIu32 "] lane %" PRIu32 ": target neuron %" PRIu32
                                     " >= NU = %" PRIu32 " (segment of axon %" PRIu32
                                     " < XU = %" PRIu32 ")",
                                     w, j, n, c->nu, a, c->xu);
            }
    return 0;
}

/* XU of the core with id `core` in img; -1 if img does not hold it. */
static int64_t xu_of(const lsnn_image *img, uint32_t core)
{
    for (int k = 0; k < img->ncores; k++)
        if (img->cores[k].core_id == core) return img->cores[k].xu;
    return -1;
}

/* Route entry `row`, used by neuron n: kind 1 or 2; a CORE entry resolves to an axon < XU of a
 * core the image holds. */
static int check_route(const lsnn_image *img, const lsnn_ref_core *c, uint32_t n, uint32_t row,
                       lsnn_error *e)
{
    const lsnn_ref_rte *t = &c->rte[row];
    if (t->kind != LSNN_REF_RTE_CORE && t->kind != LSNN_REF_RTE_HOST)
        return lsnn_fail(e,
                         "RTE[%" PRIu32 "]: kind = %" PRIu32 " out of range [1, 2] (1 CORE, 2 "
                         "HOST), used by RIX[%" PRIu32 "]",
                         row, t->kind, n);
    if (t->kind != LSNN_REF_RTE_CORE) return 0;
    uint32_t axon = t->rel ? (t->axon + n) & 0xFFFFu : t->axon;
    int64_t xu = t->core == c->core_id ? (int64_t)c->xu : xu_of(img, t->core);
    if (xu < 0)
        return lsnn_fail(e,
                         "RTE[%" PRIu32 "]: CORE entry to core %" PRIu32
                         ", which the image does not hold (used by RIX[%" PRIu32 "])",
                         row, t->core, n);
    if (axon >= (uint64_t)xu)
        return lsnn_fail(e,
                         "RTE[%" PRIu32 "]: neuron %" PRIu32 " resolves to axon %" PRIu32
                         " of core %" PRIu32 ", >= its XU = %" PRId64,
                         row, n, axon, t->core, xu);
    return 0;
}

static int check_routes(const lsnn_image *img, const lsnn_ref_core *c, lsnn_error *e)
{
    for (uint32_t n = 0; n < c->nu; n++)
        for (uint32_t k = 0; k < c->rix[n].cnt; k++)
            if (check_route(img, c, n, c->rix[n].base + k, e)) return -1;
    return 0;
}

/* Sets the registers and every non-zero row (zero rows are already zero in a fresh core). */
static int program_rows(const lsnn_image *img, int i, lsnn_ref_core *c, lsnn_error *e)
{
    const lsnn_image_core *ic = &img->cores[i];
    layouts d = img_layouts_of(&img->cfg);
    if (lsnn_ref_set_core_id(c, ic->core_id, e) || lsnn_ref_set_nu(c, ic->nu, e) ||
        lsnn_ref_set_xu(c, ic->xu, e))
        return -1;
    for (int m = 0; m < LSNN_IMG_NMEM; m++) {
        uint32_t rows = lsnn_image_rows(&img->cfg, m), rb = lsnn_image_row_bytes(&img->cfg, m);
        for (uint32_t r = 0; r < rows; r++) {
            const uint8_t *row = img_row_ptr(img, &d, i, m, r);
            row_val v;
            if (img_row_is_zero(row, rb)) continue;
            img_unpack_row(&d, m, row, &v);
            if (img_set_row(c, m, r, &v, e)) return -1;
        }
    }
    return 0;
}

int lsnn_image_program(const lsnn_image *img, int i, lsnn_ref_core *c, lsnn_error *e)
{
    if (i < 0 || i >= img->ncores)
        return lsnn_fail(e, "image: core index %d out of range [0, %d)", i, img->ncores);
    if (!lsnn_hw_same_core(&c->cfg, &img->cfg))
        return lsnn_fail(e, "image: core %d: the core's config ('%s') is not the image's ('%s')", i,
                         c->cfg.name, img->cfg.name);
    if (program_rows(img, i, c, e) || check_ncfg(img, i, c, e) || check_syn(c, e) ||
        check_routes(img, c, e))
        return lsnn_fail_prefix(e, "core %d (id %" PRIu32 ")", i, img->cores[i].core_id);
    return 0;
}

lsnn_ref_core *lsnn_image_to_core(const lsnn_image *img, int i, lsnn_error *e)
{
    if (i < 0 || i >= img->ncores) {
        lsnn_fail(e, "image: core index %d out of range [0, %d)", i, img->ncores);
        return NULL;
    }
    lsnn_ref_core *c = lsnn_ref_create(&img->cfg, e);
    if (!c) return NULL;
    if (lsnn_image_program(img, i, c, e)) {
        lsnn_ref_free(c);
        return NULL;
    }
    return c;
}
