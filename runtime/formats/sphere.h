/* sphere.h - NIST SPHERE audio files (TIMIT's .WAV), 16-bit linear PCM, one channel.
 *
 * A SPHERE file is a text header ("NIST_1A\n", the header size in bytes on the second line,
 * usually "   1024\n", then "name -i|-r|-sN value" lines up to "end_head") padded to that
 * size, then the samples. Read: sample_rate, sample_count, channel_count (1), sample_n_bytes
 * (2), sample_byte_format ("01" little-endian, "10" big-endian; may be absent in a file with
 * one byte per sample only, so required here) and sample_coding ("pcm" or absent). Compressed
 * codings (TIMIT copies that ship "pcm,embedded-shorten-v2.00") are refused with a message
 * saying to decompress with sph2pipe. The data length must match the header exactly. */
#ifndef LSNN_SPHERE_H
#define LSNN_SPHERE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LSNN_SPHERE_MAX_HEADER  (1 << 20)   /* header size limit, bytes */
#define LSNN_SPHERE_MAX_SAMPLES 1000000000L /* sample_count limit */
#define LSNN_SPHERE_MAX_RATE    1000000     /* sample_rate limit, Hz */

typedef struct {
    int sample_rate;  /* Hz, 1..LSNN_SPHERE_MAX_RATE */
    long n;           /* samples, 0..LSNN_SPHERE_MAX_SAMPLES */
    int16_t *samples; /* n, host byte order */
} lsnn_sphere;

/* Reads a SPHERE file. On error *out is left empty and e says what is wrong, naming path,
 * the header line or field, and the limit. */
int lsnn_sphere_load(const char *path, lsnn_sphere *out, lsnn_error *e);

/* The same from the file's len bytes; name stands for the path in messages. */
int lsnn_sphere_parse(const char *name, const void *data, size_t len, lsnn_sphere *out,
                      lsnn_error *e);

/* Writes s atomically as a 1024-byte-header SPHERE file, 16-bit PCM, little-endian (byte
 * format "01", as TIMIT) or, with big_endian = 1, "10". Returns 0, or -1 with e (path
 * untouched). */
int lsnn_sphere_write(const char *path, const lsnn_sphere *s, int big_endian, lsnn_error *e);

/* Frees the samples and empties *s; a NULL or empty s is fine. */
void lsnn_sphere_free(lsnn_sphere *s);

#endif
