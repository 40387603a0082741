/* image_internal.h - the image's private pieces shared by its files: row layouts and packing
 * (image_rows.c), in-memory images (image_build.c), the file format (image.c). */
#ifndef LSNN_IMAGE_INTERNAL_H
#define LSNN_IMAGE_INTERNAL_H

#include <stdint.h>

#include "image.h"

extern const char *const img_mem_names[LSNN_IMG_NMEM];
extern const char *const img_mem_files[LSNN_IMG_NMEM];
extern const uint32_t img_mem_ids[LSNN_IMG_NMEM];

/* A row's fields from bit 0 up (a SYN word: one lane's; the word is S lanes, lane 0 first). */
enum { MAX_FIELDS = 12 }; /* PROFILE: 9, and §17's 3 */
typedef struct {
    int n;
    int width[MAX_FIELDS];
    int is_signed[MAX_FIELDS];
} row_layout;

/* Every memory's row layout and row count under one config. */
typedef struct {
    row_layout row[LSNN_IMG_NMEM];
    uint32_t rows[LSNN_IMG_NMEM];
    uint32_t bytes[LSNN_IMG_NMEM]; /* stored bytes per row */
    int lanes;                     /* S: rows of SYN are S lanes */
} layouts;

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

/* Every memory's layout under cfg (neurocore.def's row lists with cfg's widths). */
layouts img_layouts_of(const lsnn_hw_config *g);
int img_row_is_zero(const uint8_t *row, uint32_t nbytes);
/* Packs a decoded row of memory m into row (zeroed, row_bytes(m) long); decodes one. */
void img_pack_val(const layouts *L, int m, const row_val *v, uint8_t *row);
void img_unpack_row(const layouts *L, int m, const uint8_t *row, row_val *v);
/* 1 if every field of v fits its width under L; else 0 with the first field that does not. */
int img_row_fits(const layouts *L, int m, const row_val *v, const char **field, int64_t *value);
/* Row r of memory m of core c, packed. */
void img_pack_row(const lsnn_ref_core *c, const layouts *L, int m, uint32_t r, uint8_t *row);
/* Programs a decoded row through its setter (which checks every field). */
int img_set_row(lsnn_ref_core *c, int m, uint32_t r, const row_val *v, lsnn_error *e);

/* Allocates img->cores[n] with zeroed memories for img->cfg. */
int img_alloc_cores(lsnn_image *img, int n, lsnn_error *e);
/* The per-core parameters (and name, mesh, clock) of two configs agree. */
int img_same_config(const lsnn_hw_config *a, const lsnn_hw_config *b);
/* Core ids of cores[0..n) are < mesh cells and distinct. */
int img_check_core_ids(const lsnn_hw_config *g, const uint32_t *ids, int n, lsnn_error *e);
/* zlib's CRC-32 of n bytes (in chunks: zlib takes 32-bit lengths). */
uint32_t img_crc32(const uint8_t *p, size_t n);

/* The 1-based line where texts a and b first differ; la and lb (64 bytes each) receive the two
 * lines, cut to 60 characters. */
int img_first_diff(const char *a, size_t na, const char *b, size_t nb, char *la, char *lb);
/* Row r of memory m of core i (L: the image's layouts, computed once by the caller). */
const uint8_t *img_row_ptr(const lsnn_image *img, const layouts *L, int i, int m, uint32_t r);

#endif
