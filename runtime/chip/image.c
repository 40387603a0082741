/* image.c - the image files: image.bin (packed, CRCs), the checked loader, the manifest and
 * $readmemh writer. Rows: image_rows.c; images in memory: image_build.c. */
#include "image.h"

#include "image_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "fileio.h"

/* ---- CRC-32 (zlib) and little-endian fields --------------------------------------------- */

uint32_t img_crc32(const uint8_t *p, size_t n)
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
    H_NOC_BUFFER = 116,
    H_NAME = 120,  /* 64 bytes, NUL-padded */
    H_LANES = 184, /* u32: neuron_lanes NL, the 16th core parameter (version 3) */
    H_HOST_CRC = 188
};
#define NPARAMS LSNN_HW_NPARAMS

/* Byte offset of core parameter k: the first 15 in one block, NL after the name. */
static int param_off(int k)
{
    return k < 15 ? H_CORE + 4 * k : H_LANES;
}

uint64_t lsnn_image_file_bytes(const lsnn_hw_config *g, uint32_t ncores)
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
    put_u32(h + H_NOC_BUFFER, (uint32_t)g.noc_buffer);
    memcpy(&clock, &g.clock_mhz, sizeof clock);
    put_u64(h + H_CLOCK, clock);
    for (int k = 0; k < NPARAMS; k++)
        put_u32(h + param_off(k), (uint32_t)lsnn_hw_param_value(&g, k));
    memcpy(h + H_NAME, g.name, strnlen(g.name, LSNN_HW_NAME_MAX - 1));
    put_u32(h + H_HOST_CRC, img->manifest_host ? img_crc32((const uint8_t *)img->manifest_host,
                                                           strlen(img->manifest_host))
                                               : img->host_crc);
}

int lsnn_image_pack(const lsnn_image *img, uint8_t **out, size_t *len, lsnn_error *e)
{
    const lsnn_hw_config *g = &img->cfg;
    uint64_t total = lsnn_image_file_bytes(g, (uint32_t)img->ncores);
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
            put_u32(b + off, img_mem_ids[m]);
            put_u32(b + off + 4, lsnn_image_rows(g, m));
            put_u32(b + off + 8, lsnn_image_width(g, m));
            put_u32(b + off + 12, img_crc32(ic->mem[m], n));
            memcpy(b + off + LSNN_IMAGE_MEM_HDR, ic->mem[m], n);
            off += LSNN_IMAGE_MEM_HDR + n;
        }
    }
    put_u32(b + off, img_crc32(b, off));
    *out = b;
    *len = (size_t)total;
    return 0;
}

/* ---- loader: header ---------------------------------------------------------------------- */

static int all_zero(const uint8_t *p, size_t n)
{
    return img_row_is_zero(p, (uint32_t)n);
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
    if (mx < 1 || my < 1 || mx > LSNN_HW_MESH_MAX || my > LSNN_HW_MESH_MAX)
        return lsnn_fail(e, "header: mesh [%" PRIu32 ", %" PRIu32 "] out of range (each 1..%d)", mx,
                         my, LSNN_HW_MESH_MAX);
    g->mesh_x = (int)mx;
    g->mesh_y = (int)my;
    uint32_t nb = get_u32(h + H_NOC_BUFFER);
    if (nb < 1 || nb > LSNN_HW_NOC_BUFFER_MAX)
        return lsnn_fail(e, "header: noc_buffer = %" PRIu32 " out of range (1..%d)", nb,
                         LSNN_HW_NOC_BUFFER_MAX);
    g->noc_buffer = (int)nb;
    for (int k = 0; k < NPARAMS; k++) {
        uint32_t v = get_u32(h + param_off(k));
        if (v > (1u << 24)) /* beyond every legal value; keeps the int conversion exact */
            return lsnn_fail(e, "header: core parameter %d (byte %d) = %" PRIu32 " out of range", k,
                             param_off(k), v);
        *lsnn_hw_param(g, k) = (int)v;
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
        return lsnn_fail(e,
                         "image format version %" PRIu32 ", this build reads version %d: "
                         "recompile the model with `lsnn compile RUN_DIR -o DIR`",
                         get_u32(b + H_FORMAT), LSNN_IMAGE_VERSION);
    if (get_u32(b + H_NEUROCORE) != LSNN_NEUROCORE)
        return lsnn_fail(e,
                         "image is for neurocore contract version %" PRIu32
                         ", this build implements version %d: recompile the model with `lsnn "
                         "compile MODEL --hw CONFIG -o DIR`",
                         get_u32(b + H_NEUROCORE), LSNN_NEUROCORE);
    if (get_u32(b + H_HEADER_BYTES) != LSNN_IMAGE_HEADER || get_u32(b + H_NMEM) != LSNN_IMG_NMEM)
        return lsnn_fail(
            e,
            "header: header bytes %" PRIu32 " and memories per core %" PRIu32 " must be %d and %d",
            get_u32(b + H_HEADER_BYTES), get_u32(b + H_NMEM), LSNN_IMAGE_HEADER, LSNN_IMG_NMEM);
    img->host_crc = get_u32(b + H_HOST_CRC);
    if (read_config(b, &img->cfg, e)) return -1;
    uint32_t ncores = get_u32(b + H_NCORES);
    int cells = lsnn_hw_cores(&img->cfg);
    if (ncores < 1 || ncores > (uint32_t)cells)
        return lsnn_fail(e, "header: %" PRIu32 " cores, must be 1..%d (mesh cells)", ncores, cells);
    img->ncores = (int)ncores;
    uint64_t want = lsnn_image_file_bytes(&img->cfg, ncores), said = get_u64(b + H_FILE_BYTES);
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
    if (id != img_mem_ids[m])
        return lsnn_fail(e, "%s (byte %zu): memory id %" PRIu32 ", expected %" PRIu32,
                         img_mem_names[m], off, id, img_mem_ids[m]);
    if (cnt != rows)
        return lsnn_fail(e, "%s (byte %zu): word count %" PRIu32 ", the config gives %" PRIu32,
                         img_mem_names[m], off + 4, cnt, rows);
    if (width != want_w)
        return lsnn_fail(e, "%s (byte %zu): word width %" PRIu32 " bits, the config gives %" PRIu32,
                         img_mem_names[m], off + 8, width, want_w);
    const uint8_t *data = b + off + LSNN_IMAGE_MEM_HDR;
    size_t n = (size_t)rows * rb;
    uint32_t crc = img_crc32(data, n);
    if (crc != get_u32(b + off + 12))
        return lsnn_fail(
            e, "%s (bytes %zu..%zu): CRC-32 0x%08" PRIx32 ", the header says 0x%08" PRIx32,
            img_mem_names[m], off + LSNN_IMAGE_MEM_HDR, off + LSNN_IMAGE_MEM_HDR + n - 1, crc,
            get_u32(b + off + 12));
    uint8_t top = (uint8_t)(want_w % 8 ? 0xFFu << (want_w % 8) : 0);
    for (uint32_t r = 0; r < rows; r++)
        if (data[(size_t)r * rb + rb - 1] & top)
            return lsnn_fail(e,
                             "%s[%" PRIu32 "]: bits at or above the row width %" PRIu32 " are set",
                             img_mem_names[m], r, want_w);
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
        if (img_check_core_ids(g, ids, i + 1, e)) return -1;
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
    if (img_alloc_cores(&img, n, e) || read_cores(b, &img, e)) goto fail;
    uint32_t crc = img_crc32(b, len - 4);
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
    snprintf(buf, n, "core%03" PRIu32 "_%s.hex", core_id, img_mem_files[m]);
}

/* Memory m of core index i as $readmemh text: one row per line, ceil(width/4) hex digits,
 * most significant first. Malloc'ed, *n bytes (no NUL); NULL on OOM. */
static char *hex_text(const lsnn_image *img, int i, int m, size_t *n)
{
    const lsnn_hw_config *g = &img->cfg;
    layouts L = img_layouts_of(g);
    uint32_t rows = L.rows[m];
    uint32_t digits = (lsnn_image_width(g, m) + 3) / 4;
    *n = (size_t)rows * (digits + 1);
    char *text = malloc(*n ? *n : 1);
    if (!text) return NULL;
    static const char hexd[] = "0123456789abcdef";
    char *p = text;
    for (uint32_t r = 0; r < rows; r++) {
        const uint8_t *row = img_row_ptr(img, &L, i, m, r);
        for (uint32_t k = digits; k-- > 0;)
            *p++ = hexd[(row[k / 2] >> (4 * (k % 2))) & 0xF];
        *p++ = '\n';
    }
    return text;
}

static int write_hex(const lsnn_image *img, int i, int m, const char *dir, lsnn_error *e)
{
    char name[64], path[4096];
    size_t n;
    char *text = hex_text(img, i, m, &n);
    if (!text) return lsnn_fail(e, "image: out of memory");
    hex_name(name, sizeof name, img->cores[i].core_id, m);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = lsnn_write_file_atomic(path, text, n, e);
    free(text);
    return rc;
}

int img_first_diff(const char *a, size_t na, const char *b, size_t nb, char *la, char *lb)
{
    int line = 1;
    size_t s = 0, k = 0;
    while (k < na && k < nb && a[k] == b[k])
        if (a[k++] == '\n') line++, s = k;
    size_t ea = s, eb = s;
    while (ea < na && a[ea] != '\n')
        ea++;
    while (eb < nb && b[eb] != '\n')
        eb++;
    snprintf(la, 64, "%.*s", (int)(ea - s > 60 ? 60 : ea - s), a + s);
    snprintf(lb, 64, "%.*s", (int)(eb - s > 60 ? 60 : eb - s), b + s);
    return line;
}

int lsnn_image_check_hex(const lsnn_image *img, const char *dir, lsnn_error *e)
{
    for (int i = 0; i < img->ncores; i++)
        for (int m = 0; m < LSNN_IMG_NMEM; m++) {
            char name[64], path[4096], *have = NULL, la[64], lb[64];
            size_t n, nh = 0;
            hex_name(name, sizeof name, img->cores[i].core_id, m);
            snprintf(path, sizeof path, "%s/%s", dir, name);
            if (lsnn_read_file(path, &have, &nh, e)) return -1;
            char *want = hex_text(img, i, m, &n);
            int same = want && n == nh && !memcmp(want, have, n);
            int line = want && !same ? img_first_diff(have, nh, want, n, la, lb) : 0;
            free(have);
            free(want);
            if (!want) return lsnn_fail(e, "image: out of memory");
            if (!same)
                return lsnn_fail(e,
                                 "%s:%d: '%s' is not what image.bin holds ('%s'): the $readmemh "
                                 "files are copies of image.bin; recompile or restore them",
                                 path, line, la, lb);
        }
    return 0;
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
    layouts d = img_layouts_of(g);
    row_val v;
    for (uint32_t n = 0; n < img->cores[i].nu && n < (uint32_t)g->neurons; n++) {
        img_unpack_row(&d, LSNN_IMG_NCFG, img_row_ptr(img, &d, i, LSNN_IMG_NCFG, n), &v);
        if (v.ncfg.profile < 64 && !seen[v.ncfg.profile]) u.profiles++, seen[v.ncfg.profile] = 1;
    }
    for (uint32_t w = 0; w < (uint32_t)g->synapse_words; w++) {
        img_unpack_row(&d, LSNN_IMG_SYN, img_row_ptr(img, &d, i, LSNN_IMG_SYN, w), &v);
        for (int j = 0; j < g->synapses_per_word; j++)
            if (v.lanes[j].valid) {
                u.syn_words++;
                break;
            }
    }
    uint32_t rb = lsnn_image_row_bytes(g, LSNN_IMG_RTE);
    for (uint32_t r = 0; r < (uint32_t)g->route_entries; r++)
        u.routes += !img_row_is_zero(img_row_ptr(img, &d, i, LSNN_IMG_RTE, r), rb);
    return u;
}

static void manifest_hardware(FILE *f, const lsnn_hw_config *g)
{
    fprintf(f,
            "hardware:\n  version: %d\n  name: \"%s\"\n  neurocore: %d\n  clock_mhz: %.17g\n"
            "  mesh: [%d, %d]\n  noc_buffer: %d\n  core:\n",
            g->version, g->name, g->neurocore, g->clock_mhz, g->mesh_x, g->mesh_y, g->noc_buffer);
    for (int k = 0; k < NPARAMS; k++)
        fprintf(f, "    %s: %d\n", lsnn_hw_param_key(k), lsnn_hw_param_value(g, k));
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
                img_mem_names[m], img_mem_ids[m], name, lsnn_image_rows(g, m),
                lsnn_image_width(g, m), img_crc32(ic->mem[m], n));
    }
}

/* The manifest for img whose image.bin has bin_len bytes and the trailer bin_crc. */
static char *manifest_text(const lsnn_image *img, const char *host_text, uint64_t bin_len,
                           uint32_t bin_crc, size_t *n)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, n);
    if (!f) return NULL;
    fprintf(f, "# LSNN hardware image (docs/image-format.md). image.bin is what loaders read;\n"
               "# the coreNNN_*.hex files are the same memories for $readmemh. Every line here\n"
               "# is checked against image.bin: edit nothing, recompile instead.\n");
    fprintf(f, "format: lsnn-image\nversion: %d\nneurocore: %d\n", LSNN_IMAGE_VERSION,
            img->cfg.neurocore);
    fprintf(f, "binary: {file: image.bin, bytes: %" PRIu64 ", crc32: 0x%08" PRIx32 "}\n", bin_len,
            bin_crc);
    manifest_hardware(f, &img->cfg);
    fprintf(f, "cores:\n");
    for (int i = 0; i < img->ncores; i++)
        manifest_core(f, img, i);
    if (host_text) fputs(host_text, f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

char *lsnn_image_manifest_text(const lsnn_image *img, const char *host_text, size_t *n)
{
    return manifest_text(img, host_text, lsnn_image_file_bytes(&img->cfg, (uint32_t)img->ncores),
                         img->file_crc, n);
}

static int write_manifest(const lsnn_image *img, const char *dir, size_t bin_len, uint32_t bin_crc,
                          lsnn_error *e)
{
    char path[4096];
    size_t n = 0;
    char *text = manifest_text(img, img->manifest_host, bin_len, bin_crc, &n);
    if (!text) return lsnn_fail(e, "image: cannot build the manifest");
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
    uint32_t crc = img_crc32(bin, len - 4);
    free(bin);
    for (int i = 0; rc == 0 && i < img->ncores; i++)
        for (int m = 0; rc == 0 && m < LSNN_IMG_NMEM; m++)
            rc = write_hex(img, i, m, dir, e);
    if (rc == 0) rc = write_manifest(img, dir, len, crc, e);
    return rc;
}
