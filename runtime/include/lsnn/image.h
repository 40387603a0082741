/* image.h - the hardware image: per-core neurocore memories, written and loaded (image-format.md).
 *
 * An image (DESIGN.md contract 5, docs/neurocore.md §12) holds the hardware config and, per core,
 * the registers CORE_ID, NU, XU and the memories PROFILE, NCFG, STATE, AXT, SYN, RIX, RTE, each
 * as packed rows in the bit layout of neurocore.md §7. A row of width w bits is stored in
 * ceil(w/8) bytes, little-endian: bit b of the row is bit b%8 of byte b/8; bits at or above w
 * are 0. All-zero rows are "unused" (§12: unused PROFILE rows are 0).
 *
 * On disk (lsnn_image_write) an image is a directory: manifest.yaml, one $readmemh file per
 * memory per core, and image.bin, the packed binary that lsnn_image_load reads. The loader
 * checks magic, versions, sizes, every memory's id, word count, width and CRC-32, the file's
 * CRC-32, every field (through the lsnn_ref_set_* setters) and the cross-memory loader checks
 * of neurocore.md §13 before it returns an image; every failure is an lsnn_error naming the
 * file, the core, the memory, the row and the limit. */
#ifndef LSNN_IMAGE_H
#define LSNN_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hwconfig.h"
#include "ref_core.h"

#define LSNN_IMAGE_VERSION   2 /* the image format (docs/image-format.md) */
#define LSNN_IMAGE_MAGIC     "\x89LSNIMG\n"
#define LSNN_IMAGE_MAGIC_LEN 8
#define LSNN_IMAGE_HEADER    192 /* bytes of the file header */
#define LSNN_IMAGE_CORE_HDR  16  /* bytes of a core header */
#define LSNN_IMAGE_MEM_HDR   16  /* bytes of a memory header */

/* The stored memories, in file order (neurocore.def): LSNN_IMG_PROFILE .. LSNN_IMG_RTE. */
#define LSNN_IMG_ENUM(NAME, file, region, rows, LIST) LSNN_IMG_##NAME,
enum { LSNN_MEMORIES(LSNN_IMG_ENUM) LSNN_IMG_NMEM };
#undef LSNN_IMG_ENUM

typedef struct {
    uint32_t core_id, nu, xu;    /* registers (§9 rows 16..18) */
    uint8_t *mem[LSNN_IMG_NMEM]; /* rows(m) * row_bytes(m) bytes each, packed §7 rows */
} lsnn_image_core;

typedef struct {
    lsnn_hw_config cfg;
    int ncores;             /* 1 .. mesh cells */
    lsnn_image_core *cores; /* [ncores], distinct core ids < mesh cells */
    uint32_t file_crc;      /* CRC-32 of image.bin before its trailer, i.e. the trailer's
                             * value (set by lsnn_image_parse); the manifest's binary.crc32 */
    char *manifest_host;    /* NULL, or the manifest's host: section (hostmap.h) that
                             * lsnn_image_write appends; owned, freed by lsnn_image_free */
    uint32_t host_crc;      /* CRC-32 of the host: section the image was built with (header
                             * bytes 188..191; 0: none). lsnn_image_pack stores the CRC of
                             * manifest_host when it is set, else this value */
} lsnn_image;

/* Memory m's name as §7 spells it ("SYN"), NULL out of range. */
const char *lsnn_image_mem_name(int m);
/* Memory m's id: its programming-port region (§9: PROFILE 1 .. RTE 8). */
uint32_t lsnn_image_mem_id(int m);
/* Rows, row width in bits (§7) and stored bytes per row of memory m under cfg (cfg must pass
 * lsnn_hw_check). */
uint32_t lsnn_image_rows(const lsnn_hw_config *cfg, int m);
uint32_t lsnn_image_width(const lsnn_hw_config *cfg, int m);
uint32_t lsnn_image_row_bytes(const lsnn_hw_config *cfg, int m);

/* An image of n cores for cfg with every register and memory zero (core ids, NU and XU are
 * the caller's to set in img->cores[i]). Returns 0, or -1 (bad config, n outside the mesh, no
 * memory). The compiler's lowering fills it with the lsnn_image_put_* writers. */
int lsnn_image_init(lsnn_image *img, const lsnn_hw_config *cfg, int n, lsnn_error *e);

/* Row writers: pack one row of core index i (fields as ref_core.h's row structs). Each checks
 * the row index and that every field fits its width (§7); the setters' ranges and §13's
 * cross-memory rules are lsnn_image_check's. Return 0, or -1 naming the core and the row. */
int lsnn_image_put_profile(lsnn_image *img, int i, uint32_t row, const lsnn_ref_profile *p,
                           lsnn_error *e);
int lsnn_image_put_ncfg(lsnn_image *img, int i, uint32_t n, uint32_t profile, lsnn_error *e);
int lsnn_image_put_state(lsnn_image *img, int i, uint32_t n, const lsnn_ref_state *s,
                         lsnn_error *e);
int lsnn_image_put_axt(lsnn_image *img, int i, uint32_t x, const lsnn_ref_axt *a, lsnn_error *e);
/* Word w of SYN: lanes[0..S-1]. */
int lsnn_image_put_syn(lsnn_image *img, int i, uint32_t w, const lsnn_ref_lane *lanes,
                       lsnn_error *e);
int lsnn_image_put_rix(lsnn_image *img, int i, uint32_t n, const lsnn_ref_rix *x, lsnn_error *e);
int lsnn_image_put_rte(lsnn_image *img, int i, uint32_t r, const lsnn_ref_rte *t, lsnn_error *e);

/* Every check the loader makes (core ids, every field through the setters, §13's cross-memory
 * rules), on an image in memory. Returns 0, or -1 with the loader's message. */
int lsnn_image_check(const lsnn_image *img, lsnn_error *e);

/* Packs the registers and memories of n programmed cores (all with the same config, distinct
 * core ids) into *img (freed with lsnn_image_free). Returns 0, or -1 with a message. */
int lsnn_image_from_cores(lsnn_ref_core *const *cores, int n, lsnn_image *img, lsnn_error *e);

/* A fresh lsnn_ref_core for core index i (not core id) of img, programmed through the setters:
 * registers, then every non-zero row of every memory, then the cross-memory checks of §13.
 * ACC, latches and counters are zero. Returns NULL with a message naming the core, the memory,
 * the row and the limit. */
lsnn_ref_core *lsnn_image_to_core(const lsnn_image *img, int i, lsnn_error *e);

/* The same into a fresh core c of the image's core parameters (all memories zero). */
int lsnn_image_program(const lsnn_image *img, int i, lsnn_ref_core *c, lsnn_error *e);

/* Writes dir/manifest.yaml, dir/image.bin and dir/coreNNN_MEM.hex (creating dir), each file
 * atomically, image.bin and the hex files first and the manifest last. Returns 0 or -1. */
int lsnn_image_write(const lsnn_image *img, const char *dir, lsnn_error *e);

/* The length of image.bin for ncores cores of cfg (cfg must pass lsnn_hw_check). */
uint64_t lsnn_image_file_bytes(const lsnn_hw_config *cfg, uint32_t ncores);

/* The text of manifest.yaml for a loaded img (its binary line from img->file_crc, which
 * lsnn_image_parse sets, and the length of its image.bin), as lsnn_image_write writes it, with
 * host_text as its host: section (may be NULL): malloc'ed, NUL-terminated, *n bytes; NULL on
 * OOM. */
char *lsnn_image_manifest_text(const lsnn_image *img, const char *host_text, size_t *n);

/* Checks dir's coreNNN_MEM.hex files against img's memories byte for byte (they are what
 * $readmemh loads into the RTL). Returns 0, or -1 naming the file and its first differing line. */
int lsnn_image_check_hex(const lsnn_image *img, const char *dir, lsnn_error *e);

/* Serialises img into a malloc'ed image.bin buffer. Returns 0 or -1. */
int lsnn_image_pack(const lsnn_image *img, uint8_t **out, size_t *len, lsnn_error *e);

/* Loads path: an image directory (its image.bin) or an image.bin file. Runs every check
 * (lsnn_image_parse). Returns 0 with *img filled, or -1 with a message ("FILE: core ...").
 * *img is written only on success. */
int lsnn_image_load(const char *path, lsnn_image *img, lsnn_error *e);

/* Parses and checks an image.bin held in memory; `name` is FILE in messages. Never reads
 * outside buf[0..len). */
int lsnn_image_parse(const char *name, const uint8_t *buf, size_t len, lsnn_image *img,
                     lsnn_error *e);

void lsnn_image_free(lsnn_image *img);

#endif
