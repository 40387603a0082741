/* fileio.h - whole-file reads and atomic writes.
 *
 * Writes of results and checkpoints are atomic: data goes to "PATH.tmp.PID", is fsync'ed,
 * renamed over PATH, and the directory is fsync'ed. A run killed at any moment leaves
 * either the old file or the new one, never a torn one. */
#ifndef LSNN_FILEIO_H
#define LSNN_FILEIO_H

#include <stddef.h>

#include "error.h"

/* Reads a whole file into a malloc'ed buffer (NUL-terminated, *len excludes the NUL). */
int lsnn_read_file(const char *path, char **data, size_t *len, lsnn_error *e);

/* Atomically replaces PATH with the n bytes at data. */
int lsnn_write_file_atomic(const char *path, const void *data, size_t n, lsnn_error *e);

/* mkdir -p; succeeds if the directory exists. */
int lsnn_mkdir_p(const char *path, lsnn_error *e);

/* 1 if a regular file exists at path, else 0. */
int lsnn_file_exists(const char *path);

#endif
