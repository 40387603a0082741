/* safetensors.h - the safetensors format (DESIGN.md contract 2).
 *
 * Layout: 8-byte little-endian header length N, N bytes of JSON header, then the raw
 * little-endian tensor data. The header maps each tensor name to
 * {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]} (offsets relative to the
 * start of the data) and may hold "__metadata__": {string: string}. We write the header
 * padded with spaces to a multiple of 8 bytes, tensors in the order given, contiguous.
 *
 * The reader trusts nothing: header length against file size, JSON syntax, known dtype,
 * shape product * dtype size == end - begin, offsets in bounds, contiguous and without
 * overlap or holes, duplicate names. Every failure names the file and the tensor. */
#ifndef LSNN_SAFETENSORS_H
#define LSNN_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LSNN_ST_MAX_DIMS 8
#define LSNN_ST_NAME_MAX 128

typedef enum {
    LSNN_F32,
    LSNN_F64,
    LSNN_I32,
    LSNN_I64,
    LSNN_U8,
    LSNN_I8,
    LSNN_U16,
    LSNN_I16,
    LSNN_U32,
    LSNN_U64,
} lsnn_dtype;

typedef struct {
    char name[LSNN_ST_NAME_MAX];
    lsnn_dtype dtype;
    int ndim;
    int64_t shape[LSNN_ST_MAX_DIMS];
    void *data;    /* little-endian host layout (this project targets little-endian hosts) */
    size_t nbytes; /* product(shape) * dtype size */
} lsnn_tensor;

typedef struct {
    char key[LSNN_ST_NAME_MAX];
    char value[512];
} lsnn_meta;

typedef struct {
    int n;
    lsnn_tensor *tensors; /* data points into `blob` */
    int n_meta;
    lsnn_meta *meta;
    void *blob; /* owned file contents */
} lsnn_tensor_set;

size_t lsnn_dtype_size(lsnn_dtype t);
const char *lsnn_dtype_name(lsnn_dtype t); /* "F32", ... */

/* Serialises tensors (+ optional metadata) into a malloc'ed buffer. */
int lsnn_st_serialize(const lsnn_tensor *t, int n, const lsnn_meta *meta, int n_meta, uint8_t **out,
                      size_t *out_len, lsnn_error *e);

/* Serialise and write atomically (see fileio.h). */
int lsnn_st_write(const char *path, const lsnn_tensor *t, int n, const lsnn_meta *meta, int n_meta,
                  lsnn_error *e);

/* Parses a buffer (takes ownership of `buf`, which must be malloc'ed, on success and on
 * failure). `name` is used in messages. */
int lsnn_st_parse(const char *name, void *buf, size_t len, lsnn_tensor_set *out, lsnn_error *e);

int lsnn_st_read(const char *path, lsnn_tensor_set *out, lsnn_error *e);

void lsnn_st_free(lsnn_tensor_set *s);

/* Finds a tensor by name, or NULL. */
const lsnn_tensor *lsnn_st_find(const lsnn_tensor_set *s, const char *name);

/* Finds a tensor and checks dtype and shape (ndim entries); error names file, tensor,
 * expected and found. */
const lsnn_tensor *lsnn_st_expect(const lsnn_tensor_set *s, const char *file, const char *name,
                                  lsnn_dtype dtype, int ndim, const int64_t *shape, lsnn_error *e);

/* Metadata value by key, or NULL. */
const char *lsnn_st_meta(const lsnn_tensor_set *s, const char *key);

#endif
