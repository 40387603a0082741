/* idx.h - IDX image/label files (the MNIST format), plain or gzip-compressed (zlib).
 *
 * Checks the magic (0x00000803 images, 0x00000801 labels), the dimensions, that the data
 * length matches them exactly, that images and labels agree in count, and label range. */
#ifndef LSNN_IDX_H
#define LSNN_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct {
    int n, rows, cols;
    uint8_t *pixels; /* n * rows * cols, row-major */
    uint8_t *labels; /* n, 0..9 */
} lsnn_images;

/* Loads images + labels; either file may end in .gz (decompressed with zlib). */
int lsnn_idx_load(const char *images_path, const char *labels_path, lsnn_images *out,
                  lsnn_error *e);

/* The same from two buffers (the files' bytes, each plain or gzip as zlib's gzread takes them:
 * gzip members are recognised by their magic bytes 1f 8b). images_name and labels_name stand
 * for the paths in messages. On error *out is left empty. */
int lsnn_idx_parse(const char *images_name, const void *images, size_t images_len,
                   const char *labels_name, const void *labels, size_t labels_len, lsnn_images *out,
                   lsnn_error *e);

/* Writes uncompressed IDX files atomically (used by tests and the MNIST converter). */
int lsnn_idx_write(const char *images_path, const char *labels_path, const lsnn_images *im,
                   lsnn_error *e);

void lsnn_images_free(lsnn_images *im);

#endif
