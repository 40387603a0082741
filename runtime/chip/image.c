/* image.c - the hardware image: packing, image.bin/manifest/$readmemh writer, checked loader. */
#include "image.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "fileio.h"

/* ---- memories and row layouts (neurocore.md §2, §7; declared in neurocore.def) ------------ */

#define MEM_NAME(NAME, file, region, rows, LIST) #NAME,
#define MEM_FILE(NAME, file, region, rows, LIST) #file,
#define MEM_ID(NAME, file, region, rows, LIST)   region,
static const char *const mem_names[LSNN_IMG_NMEM] = {LSNN_MEMORIES(MEM_NAME)};
static const char *const mem_files[LSNN_IMG_NMEM] = {LSNN_MEMORIES(MEM_FILE)};
static const uint32_t mem_ids[LSNN_IMG_NMEM] = {LSNN_MEMORIES(MEM_ID)}; /* §9 regions */
#undef MEM_NAME
#undef MEM_FILE
#undef MEM_ID

/* A row's fields from bit 0 up (a SYN word: one lane's; the word is S lanes, lane 0 first). */
enum { MAX_FIELDS = 9 };
typedef struct {
    int n;
    int width[MAX_FIELDS];
    int is_signed[MAX_FIELDS];
} row_layout;

/* Every memory's row layout and row count under one config. */
typedef struct {
    row_layout row[LSNN_IMG_NMEM];
    uint32_t rows[LSNN_IMG_NMEM];
    int lanes; /* S: rows of SYN are S lanes */
} layouts;

static int log2u(uint32_t x) /* floor */
{
    int b = 0;
    while (x >>= 1)
        b++;
    return b;
}

/* The layouts of neurocore.def's row lists, with the §2 letters and derived widths that their
 * width expressions name. */
static layouts layouts_of(const lsnn_hw_config *g)
{
    const int N = g->neurons, X = g->axons, M = g->synapse_words, S = g->synapses_per_word,
              P = g->profiles, R = g->route_entries, W = g->weight_bits, V = g->v_bits,
              G = g->a_frac_bits, Q = g->ref_bits, K = g->decay_bits;
    const int TB = log2u((uint32_t)N) - log2u((uint32_t)S), DB = log2u((uint32_t)g->delay_slots),
              MB = log2u((uint32_t)M), RB = log2u((uint32_t)R), PB = P > 1 ? log2u((uint32_t)P) : 1;
    layouts L;
    memset(&L, 0, sizeof L);
    L.lanes = S;
    row_layout *r;
#define SIGNED   1
#define UNSIGNED 0
#define FIELD(field, bits, sign)                                                                   \
    r->width[r->n] = (bits);                                                                       \
    r->is_signed[r->n++] = (sign);
#define MEM_LAYOUT(NAME, file, region, nrows, LIST)                                                \
    r = &L.row[LSNN_IMG_##NAME];                                                                   \
    L.rows[LSNN_IMG_##NAME] = (uint32_t)(nrows);                                                   \
    LIST(FIELD)
    LSNN_MEMORIES(MEM_LAYOUT)
#undef MEM_LAYOUT
#undef FIELD
#undef SIGNED
#undef UNSIGNED
    return L;
}

const char *lsnn_image_mem_name(int m)
{
    return m >= 0 && m < LSNN_IMG_NMEM ? mem_names[m] : NULL;
}

uint32_t lsnn_image_mem_id(int m)
{
    return m >= 0 && m < LSNN_IMG_NMEM ? mem_ids[m] : 0;
}

uint32_t lsnn_image_rows(const lsnn_hw_config *g, int m)
{
    return m >= 0 && m < LSNN_IMG_NMEM ? layouts_of(g).rows[m] : 0;
}

static uint32_t layout_width(const layouts *L, int m)
{
    uint32_t w = 0;
    for (int f = 0; f < L->row[m].n; f++)
        w += (uint32_t)L->row[m].width[f];
    return m == LSNN_IMG_SYN ? w * (uint32_t)L->lanes : w;
}

uint32_t lsnn_image_width(const lsnn_hw_config *g, int m)
{
    if (m < 0 || m >= LSNN_IMG_NMEM) return 0;
    layouts L = layouts_of(g);
    return layout_width(&L, m);
}

uint32_t lsnn_image_row_bytes(const lsnn_hw_config *g, int m)
{
    return (lsnn_image_width(g, m) + 7) / 8;
}

/* ---- bit fields: rows are little-endian bit strings, fields listed from bit 0 up ----------- */

/* Writes the low n bits of v at bit *pos of row and advances *pos (n = 0: absent field). */
static void put_bits(uint8_t *row, uint32_t *pos, int n, uint64_t v)
{
    for (int i = 0; i < n; i++, ++*pos)
        if ((v >> i) & 1u) row[*pos / 8] |= (uint8_t)(1u << (*pos % 8));
}

/* Reads n bits at bit *pos of row (unsigned) and advances *pos. */
static uint64_t get_bits(const uint8_t *row, uint32_t *pos, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++, ++*pos)
        v |= (uint64_t)((row[*pos / 8] >> (*pos % 8)) & 1u) << i;
    return v;
}

/* The same, as an n-bit two's-complement value (n = 0: 0). */
static int64_t get_signed(const uint8_t *row, uint32_t *pos, int n)
{
    if (n == 0) return 0;
    uint64_t v = get_bits(row, pos, n), sign = (uint64_t)1 << (n - 1);
    return (int64_t)(v ^ sign) - (int64_t)sign;
}

static int row_is_zero(const uint8_t *row, uint32_t nbytes)
{
    for (uint32_t i = 0; i < nbytes; i++)
        if (row[i]) return 0;
    return 1;
}

/* Packs / unpacks the fields of one row (or lane) at bit *pos, in the layout's order. */
static void put_fields(uint8_t *row, uint32_t *pos, const row_layout *l, const int64_t *vals)
{
    for (int f = 0; f < l->n; f++)
        put_bits(row, pos, l->width[f], (uint64_t)vals[f]);
}

static void get_fields(const uint8_t *row, uint32_t *pos, const row_layout *l, int64_t *vals)
{
    for (int f = 0; f < l->n; f++)
        vals[f] = l->is_signed[f] ? get_signed(row, pos, l->width[f])
                                  : (int64_t)get_bits(row, pos, l->width[f]);
}

/* One decoded row of any memory. */
typedef struct {
    uint32_t profile;
} ncfg_row;

typedef union {
    lsnn_ref_profile p;
    ncfg_row ncfg;
    lsnn_ref_state s;
    lsnn_ref_axt a;
    lsnn_ref_lane lanes[8];
    lsnn_ref_rix x;
    lsnn_ref_rte t;
} row_val;

/* The row structs of ref_core.h to and from their fields in the row list's order. */
#define TO_VAL(field, width, sign)   vals[n++] = (int64_t)src->field;
#define FROM_VAL(field, width, sign) dst->field = vals[n++];
#define ROW_CODEC(type, LIST, name)                                                                \
    static void name##_to_vals(const type *src, int64_t *vals)                                     \
    {                                                                                              \
        int n = 0;                                                                                 \
        LIST(TO_VAL)                                                                               \
    }                                                                                              \
    static void name##_from_vals(type *dst, const int64_t *vals)                                   \
    {                                                                                              \
        int n = 0;                                                                                 \
        LIST(FROM_VAL)                                                                             \
    }
ROW_CODEC(lsnn_ref_profile, LSNN_ROW_PROFILE, profile)
ROW_CODEC(ncfg_row, LSNN_ROW_NCFG, ncfg)
ROW_CODEC(lsnn_ref_state, LSNN_ROW_STATE, state)
ROW_CODEC(lsnn_ref_axt, LSNN_ROW_AXT, axt)
ROW_CODEC(lsnn_ref_lane, LSNN_ROW_LANE, lane)
ROW_CODEC(lsnn_ref_rix, LSNN_ROW_RIX, rix)
ROW_CODEC(lsnn_ref_rte, LSNN_ROW_RTE, rte)
#undef ROW_CODEC
#undef TO_VAL
#undef FROM_VAL

/* Packs a decoded row of memory m into row (zeroed, row_bytes(m) long). */
static void pack_val(const layouts *L, int m, const row_val *v, uint8_t *row)
{
    int64_t vals[MAX_FIELDS];
    uint32_t pos = 0;
    const row_layout *l = &L->row[m];
    switch (m) {
    case LSNN_IMG_PROFILE:
        profile_to_vals(&v->p, vals);
        break;
    case LSNN_IMG_NCFG:
        ncfg_to_vals(&v->ncfg, vals);
        break;
    case LSNN_IMG_STATE:
        state_to_vals(&v->s, vals);
        break;
    case LSNN_IMG_AXT:
        axt_to_vals(&v->a, vals);
        break;
    case LSNN_IMG_RIX:
        rix_to_vals(&v->x, vals);
        break;
    case LSNN_IMG_RTE:
        rte_to_vals(&v->t, vals);
        break;
    case LSNN_IMG_SYN:
        for (int j = 0; j < L->lanes; j++) {
            lane_to_vals(&v->lanes[j], vals);
            put_fields(row, &pos, l, vals);
        }
        return;
    }
    put_fields(row, &pos, l, vals);
}

/* Decodes a packed row of memory m. */
static void unpack_row(const layouts *L, int m, const uint8_t *row, row_val *v)
{
    int64_t vals[MAX_FIELDS];
    uint32_t pos = 0;
    const row_layout *l = &L->row[m];
    memset(v, 0, sizeof *v);
    if (m == LSNN_IMG_SYN) {
        for (int j = 0; j < L->lanes; j++) {
            get_fields(row, &pos, l, vals);
            lane_from_vals(&v->lanes[j], vals);
        }
        return;
    }
    get_fields(row, &pos, l, vals);
    switch (m) {
    case LSNN_IMG_PROFILE:
        profile_from_vals(&v->p, vals);
        break;
    case LSNN_IMG_NCFG:
        ncfg_from_vals(&v->ncfg, vals);
        break;
    case LSNN_IMG_STATE:
        state_from_vals(&v->s, vals);
        break;
    case LSNN_IMG_AXT:
        axt_from_vals(&v->a, vals);
        break;
    case LSNN_IMG_RIX:
        rix_from_vals(&v->x, vals);
        break;
    case LSNN_IMG_RTE:
        rte_from_vals(&v->t, vals);
        break;
    }
}

/* Packs row r of memory m of core c into row (zeroed, row_bytes(m) long). */
static void pack_row(const lsnn_ref_core *c, const layouts *L, int m, uint32_t r, uint8_t *row)
{
    row_val v;
    memset(&v, 0, sizeof v);
    switch (m) {
    case LSNN_IMG_PROFILE:
        v.p = c->profile[r];
        break;
    case LSNN_IMG_NCFG:
        v.ncfg.profile = c->ncfg[r];
        break;
    case LSNN_IMG_STATE:
        v.s = c->state[r];
        break;
    case LSNN_IMG_AXT:
        v.a = c->axt[r];
        break;
    case LSNN_IMG_SYN:
        memcpy(v.lanes, &c->syn[(size_t)r * (size_t)L->lanes],
               (size_t)L->lanes * sizeof v.lanes[0]);
        break;
    case LSNN_IMG_RIX:
        v.x = c->rix[r];
        break;
    case LSNN_IMG_RTE:
        v.t = c->rte[r];
        break;
    }
    pack_val(L, m, &v, row);
}

/* Programs row r of memory m through its setter (which checks every field). */
static int set_row(lsnn_ref_core *c, int m, uint32_t r, const row_val *v, lsnn_error *e)
{
    switch (m) {
    case LSNN_IMG_PROFILE:
        return lsnn_ref_set_profile(c, r, &v->p, e);
    case LSNN_IMG_NCFG:
        return lsnn_ref_set_ncfg(c, r, v->ncfg.profile, e);
    case LSNN_IMG_STATE:
        return lsnn_ref_set_state(c, r, &v->s, e);
    case LSNN_IMG_AXT:
        return lsnn_ref_set_axt(c, r, &v->a, e);
    case LSNN_IMG_SYN:
        for (uint32_t j = 0; j < (uint32_t)c->cfg.synapses_per_word; j++)
            if (lsnn_ref_set_syn(c, r, j, &v->lanes[j], e)) return -1;
        return 0;
    case LSNN_IMG_RIX:
        return lsnn_ref_set_rix(c, r, &v->x, e);
    case LSNN_IMG_RTE:
        return lsnn_ref_set_rte(c, r, &v->t, e);
    }
    return lsnn_fail(e, "unknown memory %d", m);
}

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
static int alloc_cores(lsnn_image *img, int n, lsnn_error *e)
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
static int same_config(const lsnn_hw_config *a, const lsnn_hw_config *b)
{
    return a->version == b->version && a->neurocore == b->neurocore &&
           strcmp(a->name, b->name) == 0 && a->clock_mhz == b->clock_mhz &&
           a->mesh_x == b->mesh_x && a->mesh_y == b->mesh_y && lsnn_hw_same_core(a, b);
}

/* Core ids of cores[0..n) are < mesh cells and distinct. */
static int check_core_ids(const lsnn_hw_config *g, const uint32_t *ids, int n, lsnn_error *e)
{
    int cells = lsnn_hw_cores(g);
    for (int i = 0; i < n; i++) {
        if (ids[i] >= (uint32_t)cells)
            return lsnn_fail(e, "core %d: core id %" PRIu32 " >= %d mesh cells (mesh [%d, %d])", i,
                             ids[i], cells, g->mesh_x, g->mesh_y);
        for (int k = 0; k < i; k++)
            if (ids[k] == ids[i])
                return lsnn_fail(e, "core %d: core id %" PRIu32 " is also core %d's", i, ids[i], k);
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
        if (!same_config(g, &cores[i]->cfg))
            return lsnn_fail(e, "image: core %d has another hardware config than core 0", i);
        ids[i] = cores[i]->core_id;
    }
    if (check_core_ids(g, ids, n, e)) return lsnn_fail_prefix(e, "image");
    img->cfg = *g;
    if (alloc_cores(img, n, e)) {
        lsnn_image_free(img);
        return -1;
    }
    layouts d = layouts_of(g);
    for (int i = 0; i < n; i++) {
        lsnn_image_core *ic = &img->cores[i];
        ic->core_id = cores[i]->core_id;
        ic->nu = cores[i]->nu;
        ic->xu = cores[i]->xu;
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            uint32_t rows = lsnn_image_rows(g, m), rb = lsnn_image_row_bytes(g, m);
            for (uint32_t r = 0; r < rows; r++)
                pack_row(cores[i], &d, m, r, ic->mem[m] + (size_t)r * rb);
        }
    }
    return 0;
}

/* ---- to_core: the setters, then §13's cross-memory checks -------------------------------- */

static const uint8_t *row_ptr(const lsnn_image *img, int i, int m, uint32_t r)
{
    return img->cores[i].mem[m] + (size_t)r * lsnn_image_row_bytes(&img->cfg, m);
}

/* Neurons n < NU select a non-empty profile (an all-zero row is mode 0 with b0 = 0). */
static int check_ncfg(const lsnn_image *img, int i, const lsnn_ref_core *c, lsnn_error *e)
{
    uint32_t rb = lsnn_image_row_bytes(&img->cfg, LSNN_IMG_PROFILE);
    for (uint32_t n = 0; n < c->nu; n++)
        if (row_is_zero(row_ptr(img, i, LSNN_IMG_PROFILE, c->ncfg[n]), rb))
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
static int program_core(const lsnn_image *img, int i, lsnn_ref_core *c, lsnn_error *e)
{
    const lsnn_image_core *ic = &img->cores[i];
    layouts d = layouts_of(&img->cfg);
    if (lsnn_ref_set_core_id(c, ic->core_id, e) || lsnn_ref_set_nu(c, ic->nu, e) ||
        lsnn_ref_set_xu(c, ic->xu, e))
        return -1;
    for (int m = 0; m < LSNN_IMG_NMEM; m++) {
        uint32_t rows = lsnn_image_rows(&img->cfg, m), rb = lsnn_image_row_bytes(&img->cfg, m);
        for (uint32_t r = 0; r < rows; r++) {
            const uint8_t *row = row_ptr(img, i, m, r);
            row_val v;
            if (row_is_zero(row, rb)) continue;
            unpack_row(&d, m, row, &v);
            if (set_row(c, m, r, &v, e)) return -1;
        }
    }
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
    if (program_core(img, i, c, e) || check_ncfg(img, i, c, e) || check_syn(c, e) ||
        check_routes(img, c, e)) {
        lsnn_fail_prefix(e, "core %d (id %" PRIu32 ")", i, img->cores[i].core_id);
        lsnn_ref_free(c);
        return NULL;
    }
    return c;
}

/* ---- CRC-32 (zlib) and little-endian fields --------------------------------------------- */

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        crc = crc32(crc, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return (uint32_t)crc;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

/* ---- image.bin -------------------------------------------------------------------------- */

/* Header offsets (docs/image-format.md). */
enum {
    H_MAGIC = 0,
    H_FORMAT = 8,
    H_NEUROCORE = 12,
    H_FILE_BYTES = 16,
    H_HEADER_BYTES = 24,
    H_NCORES = 28,
    H_NMEM = 32,
    H_HW_VERSION = 36,
    H_MESH_X = 40,
    H_MESH_Y = 44,
    H_CLOCK = 48,
    H_CORE = 56, /* 15 x u32: N X M S D P R W V U G Q K fifo_in fifo_out */
    H_RESERVED0 = 116,
    H_NAME = 120, /* 64 bytes, NUL-padded */
    H_RESERVED1 = 184
};
#define NPARAMS 15

static int *param_ptr(lsnn_hw_config *g, int k)
{
    int *p[NPARAMS] = {&g->neurons,     &g->axons,    &g->synapse_words, &g->synapses_per_word,
                       &g->delay_slots, &g->profiles, &g->route_entries, &g->weight_bits,
                       &g->v_bits,      &g->acc_bits, &g->a_frac_bits,   &g->ref_bits,
                       &g->decay_bits,  &g->fifo_in,  &g->fifo_out};
    return p[k];
}

/* The exact file length that a checked config and core count give. */
static uint64_t expected_bytes(const lsnn_hw_config *g, uint32_t ncores)
{
    uint64_t per_core = LSNN_IMAGE_CORE_HDR;
    for (int m = 0; m < LSNN_IMG_NMEM; m++)
        per_core +=
            LSNN_IMAGE_MEM_HDR + (uint64_t)lsnn_image_rows(g, m) * lsnn_image_row_bytes(g, m);
    return LSNN_IMAGE_HEADER + (uint64_t)ncores * per_core + 4;
}

static void pack_header(const lsnn_image *img, uint8_t *h, uint64_t total)
{
    lsnn_hw_config g = img->cfg;
    uint64_t clock;
    memcpy(h + H_MAGIC, LSNN_IMAGE_MAGIC, LSNN_IMAGE_MAGIC_LEN);
    put_u32(h + H_FORMAT, LSNN_IMAGE_VERSION);
    put_u32(h + H_NEUROCORE, (uint32_t)g.neurocore);
    put_u64(h + H_FILE_BYTES, total);
    put_u32(h + H_HEADER_BYTES, LSNN_IMAGE_HEADER);
    put_u32(h + H_NCORES, (uint32_t)img->ncores);
    put_u32(h + H_NMEM, LSNN_IMG_NMEM);
    put_u32(h + H_HW_VERSION, (uint32_t)g.version);
    put_u32(h + H_MESH_X, (uint32_t)g.mesh_x);
    put_u32(h + H_MESH_Y, (uint32_t)g.mesh_y);
    memcpy(&clock, &g.clock_mhz, sizeof clock);
    put_u64(h + H_CLOCK, clock);
    for (int k = 0; k < NPARAMS; k++)
        put_u32(h + H_CORE + 4 * k, (uint32_t)*param_ptr(&g, k));
    memcpy(h + H_NAME, g.name, strnlen(g.name, LSNN_HW_NAME_MAX - 1));
}

int lsnn_image_pack(const lsnn_image *img, uint8_t **out, size_t *len, lsnn_error *e)
{
    const lsnn_hw_config *g = &img->cfg;
    uint64_t total = expected_bytes(g, (uint32_t)img->ncores);
    if (total > SIZE_MAX) return lsnn_fail(e, "image: %" PRIu64 " bytes do not fit", total);
    uint8_t *b = calloc((size_t)total, 1);
    if (!b) return lsnn_fail(e, "image: out of memory for %" PRIu64 " bytes", total);
    pack_header(img, b, total);
    size_t off = LSNN_IMAGE_HEADER;
    for (int i = 0; i < img->ncores; i++) {
        const lsnn_image_core *ic = &img->cores[i];
        put_u32(b + off, ic->core_id);
        put_u32(b + off + 4, ic->nu);
        put_u32(b + off + 8, ic->xu);
        off += LSNN_IMAGE_CORE_HDR;
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            size_t n = (size_t)lsnn_image_rows(g, m) * lsnn_image_row_bytes(g, m);
            put_u32(b + off, mem_ids[m]);
            put_u32(b + off + 4, lsnn_image_rows(g, m));
            put_u32(b + off + 8, lsnn_image_width(g, m));
            put_u32(b + off + 12, crc32_of(ic->mem[m], n));
            memcpy(b + off + LSNN_IMAGE_MEM_HDR, ic->mem[m], n);
            off += LSNN_IMAGE_MEM_HDR + n;
        }
    }
    put_u32(b + off, crc32_of(b, off));
    *out = b;
    *len = (size_t)total;
    return 0;
}

/* ---- loader: header ---------------------------------------------------------------------- */

static int all_zero(const uint8_t *p, size_t n)
{
    return row_is_zero(p, (uint32_t)n);
}

/* The name field: 1..63 of A-Z a-z 0-9 _ . -, then NUL padding. */
static int read_name(const uint8_t *p, char *name, lsnn_error *e)
{
    size_t n = 0;
    while (n < LSNN_HW_NAME_MAX && p[n])
        n++;
    if (n == 0 || n == LSNN_HW_NAME_MAX)
        return lsnn_fail(e,
                         "header: hardware name (bytes %d..%d) must be 1..%d characters and "
                         "NUL-terminated",
                         H_NAME, H_NAME + LSNN_HW_NAME_MAX - 1, LSNN_HW_NAME_MAX - 1);
    for (size_t i = 0; i < n; i++) {
        char ch = (char)p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '.' || ch == '-'))
            return lsnn_fail(e,
                             "header: hardware name byte %zu (0x%02x) is not one of A-Z a-z 0-9 "
                             "_ . -",
                             i, p[i]);
    }
    if (!all_zero(p + n, LSNN_HW_NAME_MAX - n))
        return lsnn_fail(e, "header: bytes after the hardware name's NUL must be 0");
    memcpy(name, p, n + 1);
    return 0;
}

/* The hardware config of the header, checked as lsnn_hw_parse and lsnn_hw_check do. */
static int read_config(const uint8_t *h, lsnn_hw_config *g, lsnn_error *e)
{
    uint64_t clock = get_u64(h + H_CLOCK);
    lsnn_hw_defaults(g);
    g->version = (int)get_u32(h + H_HW_VERSION);
    g->neurocore = (int)get_u32(h + H_NEUROCORE);
    if (get_u32(h + H_HW_VERSION) != LSNN_HW_VERSION)
        return lsnn_fail(e, "header: hardware-config version %" PRIu32 ", this build reads %d",
                         get_u32(h + H_HW_VERSION), LSNN_HW_VERSION);
    if (read_name(h + H_NAME, g->name, e)) return -1;
    memcpy(&g->clock_mhz, &clock, sizeof clock);
    if (!(g->clock_mhz > 0 && g->clock_mhz <= 10000))
        return lsnn_fail(e, "header: clock_mhz = %g out of range (0, 10000]", g->clock_mhz);
    uint32_t mx = get_u32(h + H_MESH_X), my = get_u32(h + H_MESH_Y);
    if (mx < 1 || my < 1 || mx > LSNN_HW_MAX_CORES || my > LSNN_HW_MAX_CORES ||
        mx * my > LSNN_HW_MAX_CORES)
        return lsnn_fail(e,
                         "header: mesh [%" PRIu32 ", %" PRIu32 "] out of range (each 1..%d, "
                         "x * y <= %d)",
                         mx, my, LSNN_HW_MAX_CORES, LSNN_HW_MAX_CORES);
    g->mesh_x = (int)mx;
    g->mesh_y = (int)my;
    for (int k = 0; k < NPARAMS; k++) {
        uint32_t v = get_u32(h + H_CORE + 4 * k);
        if (v > (1u << 24)) /* beyond every legal value; keeps the int conversion exact */
            return lsnn_fail(e, "header: core parameter %d (byte %d) = %" PRIu32 " out of range", k,
                             H_CORE + 4 * k, v);
        *param_ptr(g, k) = (int)v;
    }
    if (lsnn_hw_check(g, e)) return lsnn_fail_prefix(e, "header");
    return 0;
}

/* Magic, versions, fixed fields and the length of the file against its header. */
static int read_header(const uint8_t *b, size_t len, lsnn_image *img, lsnn_error *e)
{
    if (len < LSNN_IMAGE_MAGIC_LEN)
        return lsnn_fail(e, "truncated: %zu bytes, shorter than the %d-byte magic", len,
                         LSNN_IMAGE_MAGIC_LEN);
    if (memcmp(b, LSNN_IMAGE_MAGIC, LSNN_IMAGE_MAGIC_LEN) != 0)
        return lsnn_fail(e,
                         "bad magic: not an LSNN image.bin (want bytes 89 4c 53 4e 49 4d 47 0a)");
    if (len < LSNN_IMAGE_HEADER)
        return lsnn_fail(e, "truncated: %zu bytes, shorter than the %d-byte header", len,
                         LSNN_IMAGE_HEADER);
    if (get_u32(b + H_FORMAT) != LSNN_IMAGE_VERSION)
        return lsnn_fail(e, "image format version %" PRIu32 ", this build reads version %d",
                         get_u32(b + H_FORMAT), LSNN_IMAGE_VERSION);
    if (get_u32(b + H_NEUROCORE) != LSNN_NEUROCORE)
        return lsnn_fail(e,
                         "image is for neurocore contract version %" PRIu32
                         ", this build implements version %d",
                         get_u32(b + H_NEUROCORE), LSNN_NEUROCORE);
    if (get_u32(b + H_HEADER_BYTES) != LSNN_IMAGE_HEADER || get_u32(b + H_NMEM) != LSNN_IMG_NMEM)
        return lsnn_fail(
            e,
            "header: header bytes %" PRIu32 " and memories per core %" PRIu32 " must be %d and %d",
            get_u32(b + H_HEADER_BYTES), get_u32(b + H_NMEM), LSNN_IMAGE_HEADER, LSNN_IMG_NMEM);
    if (get_u32(b + H_RESERVED0) || get_u64(b + H_RESERVED1))
        return lsnn_fail(e, "header: reserved bytes %d..%d and %d..%d must be 0", H_RESERVED0,
                         H_RESERVED0 + 3, H_RESERVED1, H_RESERVED1 + 7);
    if (read_config(b, &img->cfg, e)) return -1;
    uint32_t ncores = get_u32(b + H_NCORES);
    int cells = lsnn_hw_cores(&img->cfg);
    if (ncores < 1 || ncores > (uint32_t)cells)
        return lsnn_fail(e, "header: %" PRIu32 " cores, must be 1..%d (mesh cells)", ncores, cells);
    img->ncores = (int)ncores;
    uint64_t want = expected_bytes(&img->cfg, ncores), said = get_u64(b + H_FILE_BYTES);
    if (said != want)
        return lsnn_fail(e,
                         "header: file size field %" PRIu64 " does not match the %" PRIu64
                         " bytes its config and %" PRIu32 " cores give",
                         said, want, ncores);
    if (len < want)
        return lsnn_fail(e, "truncated: %zu bytes, the header says %" PRIu64, len, want);
    if (len > want)
        return lsnn_fail(e, "trailing garbage: %zu bytes, the header says %" PRIu64, len, want);
    return 0;
}

/* ---- loader: cores and memories ---------------------------------------------------------- */

/* Memory header at b[off]: id, word count, width and CRC of the data that follows; every row's
 * bits at or above the width are 0. Copies the data into dst. */
static int read_memory(const lsnn_hw_config *g, const uint8_t *b, size_t off, int m, uint8_t *dst,
                       lsnn_error *e)
{
    uint32_t id = get_u32(b + off), cnt = get_u32(b + off + 4), width = get_u32(b + off + 8);
    uint32_t rows = lsnn_image_rows(g, m), rb = lsnn_image_row_bytes(g, m);
    uint32_t want_w = lsnn_image_width(g, m);
    if (id != mem_ids[m])
        return lsnn_fail(e, "%s (byte %zu): memory id %" PRIu32 ", expected %" PRIu32, mem_names[m],
                         off, id, mem_ids[m]);
    if (cnt != rows)
        return lsnn_fail(e, "%s (byte %zu): word count %" PRIu32 ", the config gives %" PRIu32,
                         mem_names[m], off + 4, cnt, rows);
    if (width != want_w)
        return lsnn_fail(e, "%s (byte %zu): word width %" PRIu32 " bits, the config gives %" PRIu32,
                         mem_names[m], off + 8, width, want_w);
    const uint8_t *data = b + off + LSNN_IMAGE_MEM_HDR;
    size_t n = (size_t)rows * rb;
    uint32_t crc = crc32_of(data, n);
    if (crc != get_u32(b + off + 12))
        return lsnn_fail(
            e, "%s (bytes %zu..%zu): CRC-32 0x%08" PRIx32 ", the header says 0x%08" PRIx32,
            mem_names[m], off + LSNN_IMAGE_MEM_HDR, off + LSNN_IMAGE_MEM_HDR + n - 1, crc,
            get_u32(b + off + 12));
    uint8_t top = (uint8_t)(want_w % 8 ? 0xFFu << (want_w % 8) : 0);
    for (uint32_t r = 0; r < rows; r++)
        if (data[(size_t)r * rb + rb - 1] & top)
            return lsnn_fail(e,
                             "%s[%" PRIu32 "]: bits at or above the row width %" PRIu32 " are set",
                             mem_names[m], r, want_w);
    memcpy(dst, data, n);
    return 0;
}

static int read_cores(const uint8_t *b, lsnn_image *img, lsnn_error *e)
{
    const lsnn_hw_config *g = &img->cfg;
    uint32_t ids[LSNN_HW_MAX_CORES];
    size_t off = LSNN_IMAGE_HEADER;
    for (int i = 0; i < img->ncores; i++) {
        lsnn_image_core *ic = &img->cores[i];
        ic->core_id = get_u32(b + off);
        ic->nu = get_u32(b + off + 4);
        ic->xu = get_u32(b + off + 8);
        ids[i] = ic->core_id;
        if (get_u32(b + off + 12))
            return lsnn_fail(e, "core %d (byte %zu): reserved field must be 0", i, off + 12);
        if (check_core_ids(g, ids, i + 1, e)) return -1;
        off += LSNN_IMAGE_CORE_HDR;
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            if (read_memory(g, b, off, m, ic->mem[m], e))
                return lsnn_fail_prefix(e, "core %d (id %" PRIu32 ")", i, ic->core_id);
            off += LSNN_IMAGE_MEM_HDR + (size_t)lsnn_image_rows(g, m) * lsnn_image_row_bytes(g, m);
        }
    }
    return 0;
}

/* Every core through the setters and the cross-memory checks. */
static int check_fields(const lsnn_image *img, lsnn_error *e)
{
    for (int i = 0; i < img->ncores; i++) {
        lsnn_ref_core *c = lsnn_image_to_core(img, i, e);
        if (!c) return -1;
        lsnn_ref_free(c);
    }
    return 0;
}

int lsnn_image_parse(const char *name, const uint8_t *b, size_t len, lsnn_image *out, lsnn_error *e)
{
    lsnn_image img;
    memset(&img, 0, sizeof img);
    if (read_header(b, len, &img, e)) return lsnn_fail_prefix(e, "%s", name);
    int n = img.ncores;
    if (alloc_cores(&img, n, e) || read_cores(b, &img, e)) goto fail;
    uint32_t crc = crc32_of(b, len - 4);
    if (crc != get_u32(b + len - 4)) {
        lsnn_fail(e, "file CRC-32 0x%08" PRIx32 " (bytes 0..%zu), the trailer says 0x%08" PRIx32,
                  crc, len - 5, get_u32(b + len - 4));
        goto fail;
    }
    if (check_fields(&img, e)) goto fail;
    img.file_crc = crc;
    *out = img;
    return 0;
fail:
    lsnn_image_free(&img);
    return lsnn_fail_prefix(e, "%s", name);
}

int lsnn_image_load(const char *path, lsnn_image *img, lsnn_error *e)
{
    char file[4096];
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(file, sizeof file, "%s/image.bin", path);
    else
        snprintf(file, sizeof file, "%s", path);
    char *data = NULL;
    size_t len = 0;
    if (lsnn_read_file(file, &data, &len, e)) return -1;
    int rc = lsnn_image_parse(file, (const uint8_t *)data, len, img, e);
    free(data);
    return rc;
}

/* ---- writer: $readmemh files and the manifest ------------------------------------------- */

static void hex_name(char *buf, size_t n, uint32_t core_id, int m)
{
    snprintf(buf, n, "core%03" PRIu32 "_%s.hex", core_id, mem_files[m]);
}

/* One row per line, ceil(width/4) hex digits, most significant first. */
static int write_hex(const lsnn_image *img, int i, int m, const char *dir, lsnn_error *e)
{
    const lsnn_hw_config *g = &img->cfg;
    uint32_t rows = lsnn_image_rows(g, m);
    uint32_t digits = (lsnn_image_width(g, m) + 3) / 4;
    size_t n = (size_t)rows * (digits + 1);
    char *text = malloc(n), name[64], path[4096];
    if (!text) return lsnn_fail(e, "image: out of memory");
    static const char hexd[] = "0123456789abcdef";
    char *p = text;
    for (uint32_t r = 0; r < rows; r++) {
        const uint8_t *row = row_ptr(img, i, m, r);
        for (uint32_t k = digits; k-- > 0;)
            *p++ = hexd[(row[k / 2] >> (4 * (k % 2))) & 0xF];
        *p++ = '\n';
    }
    hex_name(name, sizeof name, img->cores[i].core_id, m);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = lsnn_write_file_atomic(path, text, n, e);
    free(text);
    return rc;
}

/* Usage figures of one core for the manifest. */
typedef struct {
    uint32_t profiles, syn_words, routes;
} usage;

static usage core_usage(const lsnn_image *img, int i)
{
    const lsnn_hw_config *g = &img->cfg;
    usage u = {0, 0, 0};
    uint8_t seen[64] = {0};
    layouts d = layouts_of(g);
    row_val v;
    for (uint32_t n = 0; n < img->cores[i].nu && n < (uint32_t)g->neurons; n++) {
        unpack_row(&d, LSNN_IMG_NCFG, row_ptr(img, i, LSNN_IMG_NCFG, n), &v);
        if (v.ncfg.profile < 64 && !seen[v.ncfg.profile]) u.profiles++, seen[v.ncfg.profile] = 1;
    }
    for (uint32_t w = 0; w < (uint32_t)g->synapse_words; w++) {
        unpack_row(&d, LSNN_IMG_SYN, row_ptr(img, i, LSNN_IMG_SYN, w), &v);
        for (int j = 0; j < g->synapses_per_word; j++)
            if (v.lanes[j].valid) {
                u.syn_words++;
                break;
            }
    }
    uint32_t rb = lsnn_image_row_bytes(g, LSNN_IMG_RTE);
    for (uint32_t r = 0; r < (uint32_t)g->route_entries; r++)
        u.routes += !row_is_zero(row_ptr(img, i, LSNN_IMG_RTE, r), rb);
    return u;
}

static void manifest_hardware(FILE *f, const lsnn_hw_config *g)
{
    fprintf(f,
            "hardware:\n  version: %d\n  name: \"%s\"\n  neurocore: %d\n  clock_mhz: %.17g\n"
            "  mesh: [%d, %d]\n  core:\n",
            g->version, g->name, g->neurocore, g->clock_mhz, g->mesh_x, g->mesh_y);
    static const char *const keys[NPARAMS] = {"neurons",           "axons",       "synapse_words",
                                              "synapses_per_word", "delay_slots", "profiles",
                                              "route_entries",     "weight_bits", "v_bits",
                                              "acc_bits",          "a_frac_bits", "ref_bits",
                                              "decay_bits",        "fifo_in",     "fifo_out"};
    lsnn_hw_config c = *g;
    for (int k = 0; k < NPARAMS; k++)
        fprintf(f, "    %s: %d\n", keys[k], *param_ptr(&c, k));
}

static void manifest_core(FILE *f, const lsnn_image *img, int i)
{
    const lsnn_hw_config *g = &img->cfg;
    const lsnn_image_core *ic = &img->cores[i];
    usage u = core_usage(img, i);
    char name[64];
    fprintf(f,
            "  - id: %" PRIu32 "\n    registers: {core_id: %" PRIu32 ", nu: %" PRIu32
            ", xu: %" PRIu32 "}\n    used:\n",
            ic->core_id, ic->core_id, ic->nu, ic->xu);
    fprintf(f, "      neurons: {used: %" PRIu32 ", available: %d}\n", ic->nu, g->neurons);
    fprintf(f, "      axons: {used: %" PRIu32 ", available: %d}\n", ic->xu, g->axons);
    fprintf(f, "      profiles: {used: %" PRIu32 ", available: %d}\n", u.profiles, g->profiles);
    fprintf(f, "      synapse_words: {used: %" PRIu32 ", available: %d}\n", u.syn_words,
            g->synapse_words);
    fprintf(f, "      route_entries: {used: %" PRIu32 ", available: %d}\n", u.routes,
            g->route_entries);
    fprintf(f, "    memories:\n");
    for (int m = 0; m < LSNN_IMG_NMEM; m++) {
        size_t n = (size_t)lsnn_image_rows(g, m) * lsnn_image_row_bytes(g, m);
        hex_name(name, sizeof name, ic->core_id, m);
        fprintf(f,
                "      - {name: %s, id: %" PRIu32 ", file: %s, words: %" PRIu32 ", width: %" PRIu32
                ", crc32: 0x%08" PRIx32 "}\n",
                mem_names[m], mem_ids[m], name, lsnn_image_rows(g, m), lsnn_image_width(g, m),
                crc32_of(ic->mem[m], n));
    }
}

static int write_manifest(const lsnn_image *img, const char *dir, size_t bin_len, uint32_t bin_crc,
                          lsnn_error *e)
{
    char *text = NULL, path[4096];
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (!f) return lsnn_fail(e, "image: out of memory");
    fprintf(f, "# LSNN hardware image (docs/image-format.md). image.bin is what loaders read;\n"
               "# the coreNNN_*.hex files are the same memories for $readmemh.\n");
    fprintf(f, "format: lsnn-image\nversion: %d\nneurocore: %d\n", LSNN_IMAGE_VERSION,
            img->cfg.neurocore);
    fprintf(f, "binary: {file: image.bin, bytes: %zu, crc32: 0x%08" PRIx32 "}\n", bin_len, bin_crc);
    manifest_hardware(f, &img->cfg);
    fprintf(f, "cores:\n");
    for (int i = 0; i < img->ncores; i++)
        manifest_core(f, img, i);
    if (img->manifest_host) fputs(img->manifest_host, f);
    if (fclose(f) != 0) {
        free(text);
        return lsnn_fail(e, "image: cannot build the manifest");
    }
    snprintf(path, sizeof path, "%s/manifest.yaml", dir);
    int rc = lsnn_write_file_atomic(path, text, n, e);
    free(text);
    return rc;
}

int lsnn_image_write(const lsnn_image *img, const char *dir, lsnn_error *e)
{
    char path[4096];
    uint8_t *bin = NULL;
    size_t len = 0;
    if (lsnn_mkdir_p(dir, e) || lsnn_image_pack(img, &bin, &len, e)) return -1;
    snprintf(path, sizeof path, "%s/image.bin", dir);
    int rc = lsnn_write_file_atomic(path, bin, len, e);
    /* the trailer's value: the CRC-32 of the whole file including its trailer is the CRC
     * residue 0x2144df1c for every file, so it could not tell two images apart */
    uint32_t crc = crc32_of(bin, len - 4);
    free(bin);
    for (int i = 0; rc == 0 && i < img->ncores; i++)
        for (int m = 0; rc == 0 && m < LSNN_IMG_NMEM; m++)
            rc = write_hex(img, i, m, dir, e);
    if (rc == 0) rc = write_manifest(img, dir, len, crc, e);
    return rc;
}
