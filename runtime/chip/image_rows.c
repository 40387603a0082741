/* image_rows.c - the image's rows: neurocore.def's row layouts under a config, and packing
 * rows to and from little-endian bit strings (neurocore.md §7, image-format.md). */
#include <string.h>

#include "image_internal.h"

/* ---- memories and row layouts (neurocore.md §2, §7; declared in neurocore.def) ------------ */

#define MEM_NAME(NAME, file, region, rows, LIST) #NAME,
#define MEM_FILE(NAME, file, region, rows, LIST) #file,
#define MEM_ID(NAME, file, region, rows, LIST)   region,
const char *const img_mem_names[LSNN_IMG_NMEM] = {LSNN_MEMORIES(MEM_NAME)};
const char *const img_mem_files[LSNN_IMG_NMEM] = {LSNN_MEMORIES(MEM_FILE)};
const uint32_t img_mem_ids[LSNN_IMG_NMEM] = {LSNN_MEMORIES(MEM_ID)}; /* §9 regions */
#undef MEM_NAME
#undef MEM_FILE
#undef MEM_ID

static uint32_t layout_width(const layouts *L, int m)
{
    uint32_t w = 0;
    for (int f = 0; f < L->row[m].n; f++)
        w += (uint32_t)L->row[m].width[f];
    return m == LSNN_IMG_SYN ? w * (uint32_t)L->lanes : w;
}

/* The layouts of neurocore.def's row lists, with the §2 letters and derived widths that their
 * width expressions name. */
layouts img_layouts_of(const lsnn_hw_config *g)
{
    const int N = g->neurons, X = g->axons, M = g->synapse_words, S = g->synapses_per_word,
              P = g->profiles, R = g->route_entries, W = g->weight_bits, V = g->v_bits,
              U = g->acc_bits, G = g->a_frac_bits, Q = g->ref_bits, K = g->decay_bits;
    const lsnn_hw_widths w = lsnn_hw_widths_of(g);
    const int TB = w.TB, DB = w.DB, MB = w.MB, RB = w.RB, PB = w.PB;
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
    for (int m = 0; m < LSNN_IMG_NMEM; m++)
        L.bytes[m] = (layout_width(&L, m) + 7) / 8;
    return L;
}

const char *lsnn_image_mem_name(int m)
{
    return m >= 0 && m < LSNN_IMG_NMEM ? img_mem_names[m] : NULL;
}

uint32_t lsnn_image_mem_id(int m)
{
    return m >= 0 && m < LSNN_IMG_NMEM ? img_mem_ids[m] : 0;
}

uint32_t lsnn_image_rows(const lsnn_hw_config *g, int m)
{
    return m >= 0 && m < LSNN_IMG_NMEM ? img_layouts_of(g).rows[m] : 0;
}

uint32_t lsnn_image_width(const lsnn_hw_config *g, int m)
{
    if (m < 0 || m >= LSNN_IMG_NMEM) return 0;
    layouts L = img_layouts_of(g);
    return layout_width(&L, m);
}

uint32_t lsnn_image_row_bytes(const lsnn_hw_config *g, int m)
{
    return m >= 0 && m < LSNN_IMG_NMEM ? img_layouts_of(g).bytes[m] : 0;
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

int img_row_is_zero(const uint8_t *row, uint32_t nbytes)
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

/* The fields of a decoded row in its list's order (lane j of a SYN word); their count. */
static int row_vals(const layouts *L, int m, const row_val *v, int lane, int64_t *vals)
{
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
    case LSNN_IMG_SYN:
        lane_to_vals(&v->lanes[lane], vals);
        break;
    case LSNN_IMG_RIX:
        rix_to_vals(&v->x, vals);
        break;
    case LSNN_IMG_RTE:
        rte_to_vals(&v->t, vals);
        break;
    }
    return L->row[m].n;
}

int img_row_fits(const layouts *L, int m, const row_val *v, const char **field, int64_t *value)
{
    static const char *const names[LSNN_IMG_NMEM][MAX_FIELDS] = {
#define NAME(field, bits, sign)                      #field,
#define MEM_FIELDS(NAME_, file, region, nrows, LIST) {LIST(NAME)},
        LSNN_MEMORIES(MEM_FIELDS)
#undef MEM_FIELDS
#undef NAME
    };
    int64_t vals[MAX_FIELDS];
    for (int j = 0; j < (m == LSNN_IMG_SYN ? L->lanes : 1); j++) {
        int n = row_vals(L, m, v, j, vals);
        for (int f = 0; f < n; f++) {
            int w = L->row[m].width[f];
            int64_t lo = L->row[m].is_signed[f] && w > 0 ? -((int64_t)1 << (w - 1)) : 0;
            int64_t hi = w == 0                   ? 0
                         : L->row[m].is_signed[f] ? ((int64_t)1 << (w - 1)) - 1
                                                  : ((int64_t)1 << w) - 1;
            if (vals[f] < lo || vals[f] > hi) {
                *field = names[m][f];
                *value = vals[f];
                return 0;
            }
        }
    }
    return 1;
}

/* Packs a decoded row of memory m into row (zeroed, row_bytes(m) long): lane by lane for SYN. */
void img_pack_val(const layouts *L, int m, const row_val *v, uint8_t *row)
{
    int64_t vals[MAX_FIELDS];
    uint32_t pos = 0;
    for (int j = 0; j < (m == LSNN_IMG_SYN ? L->lanes : 1); j++) {
        row_vals(L, m, v, j, vals);
        put_fields(row, &pos, &L->row[m], vals);
    }
}

/* Decodes a packed row of memory m. */
void img_unpack_row(const layouts *L, int m, const uint8_t *row, row_val *v)
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
void img_pack_row(const lsnn_ref_core *c, const layouts *L, int m, uint32_t r, uint8_t *row)
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
    img_pack_val(L, m, &v, row);
}

/* Programs row r of memory m through its setter (which checks every field). */
int img_set_row(lsnn_ref_core *c, int m, uint32_t r, const row_val *v, lsnn_error *e)
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
